//! Plain values that every layer speaks of: providers and partitions, environment kinds,
//! privileges, severities, colours, principals, trust, and the forms of identifiers. This module
//! depends on nothing else in the crate.

mod colour;
mod environment;
mod evidence;
mod ids;
mod principal;
mod privilege;
mod provider;
mod severity;

pub use colour::{default_background, Colour, MIN_CONTRAST};
pub use environment::EnvironmentKind;
pub use evidence::{Named, Trust};
pub(crate) use ids::hex_value;
pub use ids::{is_guid, is_region, normalise_account_id};
pub use principal::{Arn, Principal, PrincipalKind};
pub use privilege::Privilege;
pub use provider::{Partition, Provider};
pub use severity::Severity;
