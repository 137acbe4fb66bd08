//! The consoles' providers, and AWS's partitions.

use serde::Serialize;

use super::ids::is_region;

/// A cloud provider whose console redline recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services, in any of its partitions.
    Aws,
    /// Microsoft Azure (the Azure portal and Entra admin center).
    Azure,
    /// Google Cloud.
    Gcp,
    /// Aiven's managed data services.
    Aiven,
}

impl Provider {
    /// Every provider, in the order of the console host list.
    pub const ALL: [Provider; 4] = [Provider::Aws, Provider::Azure, Provider::Gcp, Provider::Aiven];

    /// `aws`, `azure`, `gcp` or `aiven`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Azure => "azure",
            Provider::Gcp => "gcp",
            Provider::Aiven => "aiven",
        }
    }

    /// The provider named `text` (as written in the configuration).
    pub fn parse(text: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// Its position in [`Provider::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Azure => "Azure",
            Provider::Gcp => "Google Cloud",
            Provider::Aiven => "Aiven",
        }
    }
}

/// An AWS partition: each has its own console and sign-in hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Partition {
    /// The standard commercial partition.
    #[serde(rename = "aws")]
    Aws,
    /// AWS GovCloud (US).
    #[serde(rename = "aws-us-gov")]
    AwsUsGov,
    /// The AWS China regions.
    #[serde(rename = "aws-cn")]
    AwsCn,
    /// The AWS European Sovereign Cloud.
    #[serde(rename = "aws-eusc")]
    AwsEusc,
}

impl Partition {
    /// The partition as written in ARNs.
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsCn => "aws-cn",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    const ALL: [Partition; 4] = [Partition::Aws, Partition::AwsUsGov, Partition::AwsCn, Partition::AwsEusc];

    /// The partition's sign-in domain: `signin.aws.amazon.com` and `<region>.signin.aws.amazon.com`
    /// take switch-role requests; the European Sovereign Cloud has regional sign-in hosts only.
    fn sign_in_domain(self) -> &'static str {
        match self {
            Partition::Aws => "signin.aws.amazon.com",
            Partition::AwsUsGov => "signin.amazonaws-us-gov.com",
            Partition::AwsCn => "signin.amazonaws.cn",
            Partition::AwsEusc => "signin.amazonaws-eusc.eu",
        }
    }

    /// The sign-in host switch-role requests go to, in `region` where the partition needs one.
    ///
    /// ```
    /// use redline::Partition;
    /// assert_eq!(Partition::Aws.sign_in_host(Some("eu-west-2")), "signin.aws.amazon.com");
    /// assert_eq!(Partition::AwsEusc.sign_in_host(None), "eusc-de-east-1.signin.amazonaws-eusc.eu");
    /// ```
    pub fn sign_in_host(self, region: Option<&str>) -> String {
        match self {
            Partition::AwsEusc => {
                let region = region.filter(|r| is_region(r) && r.starts_with("eusc-")).unwrap_or("eusc-de-east-1");
                format!("{region}.{}", self.sign_in_domain())
            }
            _ => self.sign_in_domain().to_owned(),
        }
    }

    /// The partition whose sign-in host `host` is (`signin.…` or `<region>.signin.…`).
    pub fn of_sign_in_host(host: &str) -> Option<Partition> {
        let host = host.to_ascii_lowercase();
        Partition::ALL.into_iter().find(|p| {
            let domain = p.sign_in_domain();
            (host == domain && *p != Partition::AwsEusc)
                || host.strip_suffix(domain).and_then(|r| r.strip_suffix('.')).is_some_and(is_region)
        })
    }

    /// Parses the partition field of an ARN.
    pub fn from_arn_field(field: &str) -> Option<Partition> {
        Partition::ALL.into_iter().find(|p| p.as_str() == field)
    }
}
