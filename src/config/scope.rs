//! The configuration's rule sections: what each console's rules name. One table, so reading,
//! merging and keeping a configuration never spell a console's sections out again.

use crate::model::{is_guid, normalise_account_id, Provider};

/// A kind of thing a console shows and rules name: the `[[<provider>.<key>]]` array of tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `[[aws.accounts]]`: AWS accounts, by account id or alias.
    AwsAccount,
    /// `[[azure.tenants]]`: Azure tenants (directories), by domain or tenant id, or directory name.
    AzureTenant,
    /// `[[azure.apps]]`: app registrations and enterprise apps, by app (client) id or display name.
    AzureApp,
    /// `[[azure.subscriptions]]`: Azure subscriptions, by subscription id.
    AzureSubscription,
    /// `[[azure.resource_groups]]`: Azure resource groups, by name.
    AzureResourceGroup,
    /// `[[gcp.projects]]`: Google Cloud projects, by project id or display name.
    GcpProject,
    /// `[[aiven.projects]]`: Aiven projects, by slug.
    AivenProject,
}

impl Scope {
    /// How many scopes there are.
    pub const COUNT: usize = 7;

    /// Every scope, grouped by provider in [`Provider::ALL`]'s order (the order a configuration is
    /// kept in).
    pub const ALL: [Scope; Scope::COUNT] = [
        Scope::AwsAccount,
        Scope::AzureTenant,
        Scope::AzureApp,
        Scope::AzureSubscription,
        Scope::AzureResourceGroup,
        Scope::GcpProject,
        Scope::AivenProject,
    ];

    /// Whose console shows it.
    pub fn provider(self) -> Provider {
        match self {
            Scope::AwsAccount => Provider::Aws,
            Scope::AzureTenant | Scope::AzureApp | Scope::AzureSubscription | Scope::AzureResourceGroup => {
                Provider::Azure
            }
            Scope::GcpProject => Provider::Gcp,
            Scope::AivenProject => Provider::Aiven,
        }
    }

    /// The key under the provider's table, e.g. `accounts` in `[[aws.accounts]]`.
    pub fn key(self) -> &'static str {
        match self {
            Scope::AwsAccount => "accounts",
            Scope::AzureTenant => "tenants",
            Scope::AzureApp => "apps",
            Scope::AzureSubscription => "subscriptions",
            Scope::AzureResourceGroup => "resource_groups",
            Scope::GcpProject | Scope::AivenProject => "projects",
        }
    }

    /// What people call one of them, e.g. `AWS account`.
    pub fn noun(self) -> &'static str {
        match self {
            Scope::AwsAccount => "AWS account",
            Scope::AzureTenant => "Azure tenant",
            Scope::AzureApp => "Azure app",
            Scope::AzureSubscription => "Azure subscription",
            Scope::AzureResourceGroup => "Azure resource group",
            Scope::GcpProject => "Google Cloud project",
            Scope::AivenProject => "Aiven project",
        }
    }

    /// What an id of this scope looks like.
    pub(crate) fn ids(self) -> IdShape {
        match self {
            Scope::AwsAccount => IdShape::AwsAccount,
            Scope::AzureApp | Scope::AzureSubscription => IdShape::Guid,
            Scope::AzureTenant | Scope::GcpProject => IdShape::Any,
            Scope::AzureResourceGroup | Scope::AivenProject => IdShape::NotUsed,
        }
    }

    /// The scopes of `provider`'s rule section.
    pub fn of(provider: Provider) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |scope| scope.provider() == provider)
    }

    /// Its position in [`Scope::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// What an id must look like to ever match.
#[derive(Clone, Copy)]
pub(crate) enum IdShape {
    AwsAccount,
    Guid,
    Any,
    /// Matched by name only (resource groups, Aiven project slugs).
    NotUsed,
}

impl IdShape {
    pub(crate) fn fits(self, id: &str) -> bool {
        match self {
            IdShape::AwsAccount => normalise_account_id(id).as_deref() == Some(id),
            IdShape::Guid => is_guid(id),
            IdShape::Any => true,
            IdShape::NotUsed => false,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            IdShape::AwsAccount => "a 12-digit AWS account id without dashes",
            IdShape::Guid => "an id of the form 00000000-0000-0000-0000-000000000000",
            IdShape::Any => "any id",
            IdShape::NotUsed => "no id here: these match by 'name' (the resource group's, or the project slug)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_grouped_by_provider_in_its_order() {
        let providers: Vec<Provider> = Scope::ALL.iter().map(|s| s.provider()).collect();
        let mut grouped = providers.clone();
        grouped.dedup();
        assert_eq!(grouped, Provider::ALL);
        assert!(Scope::ALL.iter().enumerate().all(|(i, s)| s.index() == i));
    }
}
