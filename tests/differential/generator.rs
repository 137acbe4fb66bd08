//! A seeded generator of `~/.aws/config` files written the way people write them, and the ways
//! they go wrong: every section form the AWS CLI reads (and some it does not), keys in any case
//! with `=` or `:`, values with inline comments and quotes, indented lines that continue a value,
//! sub-sections, `[DEFAULT]`, comments, blank lines, `\r\n` and `\r` line ends, repeated sections
//! and keys, and junk lines. The same seed gives the same file on every machine.

/// xorshift64*: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, chance: usize) -> bool {
        self.below(100) < chance
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// One of `choices`, each as likely as its weight.
    fn weighted<T: Copy>(&mut self, choices: &[(usize, T)]) -> T {
        let total: usize = choices.iter().map(|(weight, _)| weight).sum();
        let mut at = self.below(total);
        for (weight, choice) in choices {
            if at < *weight {
                return *choice;
            }
            at -= weight;
        }
        choices[0].1
    }
}

const ACCOUNTS: &[&str] = &["111122223333", "222233334444", "333344445555", "444455556666", "555566667777"];
const ROLES: &[&str] = &["Admin", "Operator", "ReadOnly", "AdministratorAccess", "PowerUserAccess", "deploy"];
const NAMES: &[&str] = &[
    "dev",
    "prod",
    "staging",
    "ci",
    "sandbox",
    "acme-prod-admin",
    "acme-dev-operator",
    "team-staging",
    "data-ci",
    "core-prod-readonly",
    "identity",
    "base",
    "Prod",
    "café-dev",
];
const SESSIONS: &[&str] = &["acme", "corp", "my-sso", "gone"];
const PORTALS: &[&str] = &[
    "https://d-1234567890.awsapps.com/start",
    "https://acme.awsapps.com/start/",
    "https://start.us-gov-home.awsapps.com/directory/d-9067",
    "https://evil.example/start",
    "javascript:alert(1)",
    "https://acme.awsapps.com/start # portal",
];

fn name(rng: &mut Rng) -> String {
    let base = rng.pick(NAMES);
    if rng.percent(60) {
        format!("{base}-{}", rng.below(40))
    } else {
        base.to_owned()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum SectionKind {
    Profile,
    Session,
    Other,
}

fn header(rng: &mut Rng, earlier: &[String]) -> (String, SectionKind) {
    // Now and then a profile named again under another header form, which the AWS CLI reads as one.
    let n = match earlier.last() {
        Some(last) if rng.percent(8) => last.clone(),
        _ => name(rng),
    };
    let s = rng.pick(SESSIONS);
    let form: usize = rng.weighted(&[
        (40, 0),
        (5, 1),
        (5, 2),
        (2, 3),
        (10, 4),
        (5, 5),
        (2, 6),
        (3, 7),
        (2, 8),
        (2, 9),
        (2, 10),
        (2, 11),
        (4, 12),
        (2, 13),
        (1, 14),
        (1, 15),
        (1, 16),
        (1, 17),
        (1, 18),
        (1, 19),
    ]);
    let (text, kind) = match form {
        0 => (format!("[profile {n}]"), SectionKind::Profile),
        1 => ("[default]".to_owned(), SectionKind::Profile),
        2 => (format!("[profile \"{n} app\"]"), SectionKind::Profile),
        3 => (format!("[profile '{n}']"), SectionKind::Profile),
        4 => (format!("[sso-session {s}]"), SectionKind::Session),
        5 => (format!("[{n}]"), SectionKind::Other),
        6 => (format!("[services {n}]"), SectionKind::Other),
        7 => ("[DEFAULT]".to_owned(), SectionKind::Profile),
        8 => (format!("[ profile {n}]"), SectionKind::Profile),
        9 => (format!("[profile {n} ]"), SectionKind::Profile),
        10 => (format!("[profile  {n}]"), SectionKind::Profile),
        11 => (format!("[Profile {n}]"), SectionKind::Profile),
        12 => (format!("[profile {n}] ; trailing comment"), SectionKind::Profile),
        13 => (format!("[profile {n}] # see [docs]"), SectionKind::Profile),
        14 => ("[profile a b]".to_owned(), SectionKind::Profile),
        15 => (format!("[profile \"{n}]"), SectionKind::Profile),
        16 => (format!("[profile{n} x]"), SectionKind::Profile),
        17 => ("[profile]".to_owned(), SectionKind::Profile),
        18 => (format!("[profile {n}\\ x]"), SectionKind::Profile),
        _ => ("[default]  # the default".to_owned(), SectionKind::Profile),
    };
    (text, kind)
}

fn role_arn(rng: &mut Rng) -> String {
    let account = rng.pick(ACCOUNTS);
    let role = rng.pick(ROLES);
    match rng.weighted(&[(60, 0), (5, 1), (5, 2), (8, 3), (3, 4), (3, 5), (3, 6), (3, 7), (5, 8), (5, 9)]) {
        0 => format!("arn:aws:iam::{account}:role/{role}"),
        1 => format!("arn:aws-cn:iam::{account}:role/{role}"),
        2 => format!("arn:aws-us-gov:iam::{account}:role/{role}"),
        3 => format!("arn:aws:iam::{account}:role/platform/team/{role}"),
        4 => "arn:aws:iam::1234:role/Admin".to_owned(),
        5 => format!("arn:aws:iam::{account}:user/jane"),
        6 => "not-an-arn".to_owned(),
        7 => format!("arn:aws:iam::{account}:role/Ad min"),
        8 => format!("arn:aws:iam::{account}:role/{role} # {role} in prod"),
        _ => format!("\"arn:aws:iam::{account}:role/{role}\""),
    }
}

fn value_of(rng: &mut Rng, key: &str, profiles: &[String]) -> String {
    match key {
        "role_arn" => role_arn(rng),
        "sso_account_id" => match rng.weighted(&[(85, 0), (5, 1), (5, 2), (5, 3)]) {
            0 => rng.pick(ACCOUNTS).to_owned(),
            1 => "1111-2222-3333".to_owned(),
            2 => "12345".to_owned(),
            _ => format!("{} ; the data account", rng.pick(ACCOUNTS)),
        },
        "sso_role_name" => match rng.weighted(&[(85, 0), (5, 1), (10, 2)]) {
            0 => rng.pick(ROLES).to_owned(),
            1 => "Read Only".to_owned(),
            _ => String::new(),
        },
        "sso_session" => rng.pick(SESSIONS).to_owned(),
        "sso_start_url" => rng.pick(PORTALS).to_owned(),
        "region" => rng
            .pick(&[
                "eu-west-2",
                "us-east-1",
                "cn-north-1",
                "us-gov-west-1",
                "eu-west-2 # London",
                "\"eu-west-1\"",
                "EU-WEST-1",
                "",
            ])
            .to_owned(),
        "source_profile" => match profiles.len() {
            0 => name(rng),
            n if rng.percent(80) => profiles[rng.below(n)].clone(),
            _ => name(rng),
        },
        "credential_source" => rng.pick(&["Environment", "Ec2InstanceMetadata", "EcsContainer"]).to_owned(),
        "mfa_serial" => format!("arn:aws:iam::{}:mfa/jane", rng.pick(ACCOUNTS)),
        "aws_access_key_id" => "AKIAIOSFODNN7EXAMPLE".to_owned(),
        "sso_region" => "eu-west-2".to_owned(),
        _ => rng.pick(&["json", "text", "1", "true"]).to_owned(),
    }
}

const PROFILE_KEYS: &[(usize, &str)] = &[
    (20, "role_arn"),
    (10, "sso_account_id"),
    (10, "sso_role_name"),
    (8, "sso_session"),
    (5, "sso_start_url"),
    (15, "region"),
    (8, "source_profile"),
    (3, "credential_source"),
    (5, "output"),
    (3, "mfa_serial"),
    (2, "aws_access_key_id"),
    (3, "s3"),
];
const SESSION_KEYS: &[(usize, &str)] =
    &[(10, "sso_start_url"), (5, "sso_region"), (2, "sso_registration_scopes"), (2, "region")];

/// The key as written: in some other case now and then.
fn spelled(rng: &mut Rng, key: &str) -> String {
    match rng.weighted(&[(90, 0), (5, 1), (5, 2)]) {
        0 => key.to_owned(),
        1 => key.to_uppercase(),
        _ => key.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect::<Vec<_>>().join("_"),
    }
}

/// One generated `~/.aws/config`.
pub fn aws_config(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut lines: Vec<String> = Vec::new();
    let mut profiles: Vec<String> = Vec::new();
    let junk = rng.percent(6);
    if rng.percent(2) {
        lines.push("region = eu-west-2".to_owned());
    }
    if rng.percent(30) {
        lines.push("# ~/.aws/config".to_owned());
    }
    for _ in 0..1 + rng.below(7) {
        let (header, kind) = header(&mut rng, &profiles);
        if let Some(name) = header.strip_prefix("[profile ").and_then(|h| h.split(']').next()) {
            profiles.push(name.trim().to_owned());
        }
        lines.push(header);
        let pool = if kind == SectionKind::Session { SESSION_KEYS } else { PROFILE_KEYS };
        let mut used: Vec<&str> = Vec::new();
        for _ in 0..rng.below(6) {
            let key = rng.weighted(pool);
            // A repeated key, now and then on purpose.
            if used.contains(&key) && !rng.percent(3) {
                continue;
            }
            used.push(key);
            if rng.percent(8) {
                lines.push(
                    rng.pick(&["", "# a comment", "; a comment", "  # indented comment", "#[profile old]"]).to_owned(),
                );
            }
            let indent = rng.weighted(&[(88, ""), (5, " "), (4, "  "), (3, "\t")]);
            let delimiter = rng.weighted(&[(80, " = "), (10, "="), (5, ": "), (5, " : ")]);
            let trailing = rng.weighted(&[(90, ""), (10, "  ")]);
            let spelled = spelled(&mut rng, key);
            if key == "s3" {
                lines.push(format!("{indent}{spelled}{}", delimiter.trim_end()));
                lines.push(format!("{indent}  max_concurrent_requests = 10"));
                if rng.percent(10) {
                    lines.push(format!("{indent}  junk"));
                }
                if rng.percent(20) {
                    lines.push(String::new());
                    lines.push(format!("{indent}  addressing_style = path"));
                }
                continue;
            }
            let value = value_of(&mut rng, key, &profiles);
            lines.push(format!("{indent}{spelled}{delimiter}{value}{trailing}"));
            if rng.percent(3) {
                lines.push(format!("{indent}    and a continued line"));
            }
        }
        if junk && rng.percent(30) {
            lines.push(rng.pick(&["junk", "= x", "[]", "key without value"]).to_owned());
        }
        if rng.percent(40) {
            lines.push(String::new());
        }
    }
    let end = rng.weighted(&[(85, "\n"), (10, "\r\n"), (5, "\r")]);
    let mut text = lines.join(end);
    if rng.percent(90) {
        text.push_str(end);
    }
    text
}
