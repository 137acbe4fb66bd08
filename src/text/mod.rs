//! Text the other layers read: URLs, the JSON and TOML tree, whole-token names, wildcard patterns
//! and access portal addresses. Depends only on [`crate::model`].

pub(crate) mod address;
pub(crate) mod hash;
pub(crate) mod names;
pub(crate) mod node;
pub(crate) mod pattern;
pub(crate) mod portal_url;
pub(crate) mod token;
