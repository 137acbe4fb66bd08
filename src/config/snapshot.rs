//! A compiled configuration as bytes, so that a service worker the browser stopped can start again
//! without reading and checking its texts anew: 5,000 profiles are 865 KB of TOML, and a banner
//! waits for them.
//!
//! The bytes are the engine's own (written by [`crate::Engine::snapshot`] from texts it checked),
//! read back only by the same version of redline: anything unexpected is refused whole, and the
//! texts are read instead.

use crate::config::{Config, DangerSettings, EnvironmentDef, Origin, RoleRule, Rule, Scope, Target};
use crate::model::EnvironmentKind;
use crate::model::Privilege;
use crate::model::Provider;

/// Bumped whenever the layout below changes.
const VERSION: u8 = 4;

/// The configurations an engine keeps: the user's part, the organisation's, and the merged one in
/// force (what the access portals taught included), `None` where it is the user's part itself.
pub(crate) struct Parts<'a> {
    pub user: &'a Config,
    pub managed: Option<&'a Config>,
    pub merged: Option<&'a Config>,
}

/// The same, read back.
pub(crate) struct Owned {
    pub user: Config,
    pub managed: Option<Config>,
    pub merged: Option<Config>,
}

/// `digest` names the texts the parts were compiled from; it is written first.
pub(crate) fn write(digest: u64, parts: &Parts) -> Vec<u8> {
    let mut out = Writer(Vec::with_capacity(64 * 1024));
    out.0.push(VERSION);
    out.0.extend_from_slice(&digest.to_le_bytes());
    out.sized(|out| out.config(parts.user));
    out.flag(parts.managed.is_some());
    if let Some(managed) = parts.managed {
        out.sized(|out| out.config(managed));
    }
    out.flag(parts.merged.is_some());
    if let Some(merged) = parts.merged {
        out.sized(|out| out.config(merged));
    }
    // A checksum last: a value damaged in storage is refused, never read as another configuration.
    let sum = hash(&out.0);
    out.0.extend_from_slice(&sum.to_le_bytes());
    out.0
}

/// A 64-bit hash of `bytes`, eight at a time (byte-at-a-time FNV took a restarted worker ~5 ms in
/// wasm over 2 MB of snapshot and texts). It tells texts apart and finds damage, nothing more: the
/// bytes are the engine's own, never an attacker's guess.
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, word: u64| (h.rotate_left(26) ^ word).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    // Every chunk is 8 bytes: the conversion cannot fail (and no panic path is compiled in).
    let mut h = words.by_ref().fold(bytes.len() as u64, |h, w| mix(h, w.try_into().map_or(0, u64::from_le_bytes)));
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    h = mix(h, u64::from_le_bytes(last));
    h ^ (h >> 29)
}

/// The parts, when `bytes` are a snapshot of this version for the texts `digest` names. Not
/// `whole`: the configuration in force alone, as `user`, without its targets: what a verdict
/// without danger reads (see [`crate::Engine::restore`]); the rest is passed over.
pub(crate) fn read(bytes: &[u8], digest: u64, whole: bool) -> Option<Owned> {
    let mut input = Reader::checked(bytes, digest)?;
    let user = input.skip()?;
    let managed = if input.flag()? { Some(input.skip()?) } else { None };
    let merged = if input.flag()? { Some(input.skip()?) } else { None };
    if !input.done() {
        return None;
    }
    let config = |bytes: &[u8], targets: bool| {
        let mut part = Reader { bytes, at: 0 };
        let config = part.config(targets)?;
        part.done().then_some(config)
    };
    if !whole {
        return Some(Owned { user: config(merged.unwrap_or(user), false)?, managed: None, merged: None });
    }
    let optional = |part: Option<&[u8]>| match part {
        Some(part) => config(part, true).map(Some),
        None => Some(None),
    };
    Some(Owned { user: config(user, true)?, managed: optional(managed)?, merged: optional(merged)? })
}

/// A hash of the texts a configuration is compiled from, each told apart from the next, and of the
/// redline version that compiled them.
pub(crate) fn digest(texts: &[Option<&str>]) -> u64 {
    // Which redline compiled them too: a snapshot kept across an update is compiled again.
    let mut framed = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    for text in texts {
        match text {
            None => framed.push(0),
            Some(text) => {
                framed.push(1);
                framed.extend_from_slice(&hash(text.as_bytes()).to_le_bytes());
            }
        }
    }
    hash(&framed)
}

struct Writer(Vec<u8>);

impl Writer {
    fn flag(&mut self, value: bool) {
        self.0.push(u8::from(value));
    }

    fn len(&mut self, n: usize) {
        self.0.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    }

    fn text(&mut self, text: &str) {
        self.len(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn optional(&mut self, text: &Option<String>) {
        self.flag(text.is_some());
        if let Some(text) = text {
            self.text(text);
        }
    }

    /// What `write` writes, after its length in bytes: a reader can pass over it unread.
    fn sized(&mut self, write: impl FnOnce(&mut Self)) {
        let at = self.0.len();
        self.len(0);
        write(self);
        let n = self.0.len() - at - 4;
        self.0[at..at + 4].copy_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    }

    fn kind(&mut self, kind: EnvironmentKind) {
        self.text(kind.as_str());
    }

    fn privilege(&mut self, privilege: Privilege) {
        self.text(privilege.as_str());
    }

    fn config(&mut self, config: &Config) {
        self.len(config.environments.len());
        for e in &config.environments {
            self.text(&e.name);
            self.kind(e.kind);
            self.optional(&e.colour);
            self.optional(&e.label);
            self.optional(&e.text);
            self.0.push(match e.guard {
                None => 0,
                Some(false) => 1,
                Some(true) => 2,
            });
        }
        for scope in Scope::ALL {
            self.rules(config.rules(scope));
        }
        for roles in Provider::ALL.map(|provider| config.roles(provider)) {
            self.len(roles.len());
            for role in roles {
                self.text(&role.name);
                self.privilege(role.privilege);
            }
        }
        self.sized(|out| {
            out.len(config.targets.len());
            for t in &config.targets {
                out.text(t.provider.as_str());
                for field in
                    [&t.label, &t.account, &t.role, &t.region, &t.colour, &t.tenant, &t.app, &t.project, &t.portal]
                {
                    out.optional(field);
                }
                out.optional(&t.environment);
            }
        });
        self.flag(config.danger.is_some());
        if let Some(danger) = &config.danger {
            self.flag(danger.acknowledge);
            self.0.extend_from_slice(&danger.reminder_minutes.to_le_bytes());
            self.len(danger.verbs.len());
            for verb in &danger.verbs {
                self.text(verb);
            }
        }
    }

    fn rules(&mut self, rules: &[Rule]) {
        self.len(rules.len());
        for rule in rules {
            for field in [&rule.id, &rule.name, &rule.environment, &rule.role, &rule.label] {
                self.optional(field);
            }
            self.flag(rule.locked);
            self.flag(rule.managed);
            self.0.push(match rule.origin {
                Origin::Written => 0,
                Origin::Portal { named: false } => 1,
                Origin::Portal { named: true } => 2,
            });
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// The snapshot's body after its header, when its checksum, version and texts' digest are right.
    fn checked(bytes: &'a [u8], digest: u64) -> Option<Self> {
        let (bytes, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if hash(bytes).to_le_bytes() != sum {
            return None;
        }
        let mut input = Reader { bytes, at: 0 };
        (input.byte()? == VERSION && input.u64()? == digest).then_some(input)
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// What `Writer::sized` wrote, read whole by `read`.
    fn sized<T>(&mut self, read: impl FnOnce(&mut Reader<'a>) -> Option<T>) -> Option<T> {
        let mut part = Reader { bytes: self.skip()?, at: 0 };
        let value = read(&mut part)?;
        part.done().then_some(value)
    }

    /// What `Writer::sized` wrote, passed over unread.
    fn skip(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn number(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A count or a length: never more than the bytes left, so a corrupted one is refused, never
    /// allocated.
    fn len(&mut self) -> Option<usize> {
        let n = self.number()? as usize;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn text(&mut self) -> Option<String> {
        self.word().map(str::to_owned)
    }

    /// A text read where it lies: a provider or a kind, parsed and not kept.
    fn word(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn optional(&mut self) -> Option<Option<String>> {
        if self.flag()? {
            self.text().map(Some)
        } else {
            Some(None)
        }
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        // A count is at most the bytes left, not items of their size: reserved up to a bound.
        let mut items = Vec::with_capacity(n.min(4_096));
        for _ in 0..n {
            items.push(item(self)?);
        }
        Some(items)
    }

    /// A configuration; with `targets` false, its targets are passed over and it has none.
    fn config(&mut self, targets: bool) -> Option<Config> {
        let environments = self.list(|r| {
            Some(EnvironmentDef {
                name: r.text()?,
                kind: EnvironmentKind::parse(r.word()?)?,
                colour: r.optional()?,
                label: r.optional()?,
                text: r.optional()?,
                guard: match r.byte()? {
                    0 => None,
                    1 => Some(false),
                    2 => Some(true),
                    _ => return None,
                },
            })
        })?;
        let mut config = Config { environments, ..Config::default() };
        for scope in Scope::ALL {
            *config.rules_mut(scope) = self.list(Reader::rule)?;
        }
        for provider in Provider::ALL {
            *config.roles_mut(provider) =
                self.list(|r| Some(RoleRule { name: r.text()?, privilege: Privilege::parse(r.word()?)? }))?;
        }
        let targets = if !targets {
            self.skip()?;
            Vec::new()
        } else {
            self.sized(|r| r.list(Reader::target))?
        };
        let danger = if self.flag()? {
            Some(DangerSettings {
                acknowledge: self.flag()?,
                reminder_minutes: self.number()?,
                verbs: self.list(Reader::text)?,
            })
        } else {
            None
        };
        config.targets = targets;
        config.danger = danger;
        Some(config)
    }

    fn target(&mut self) -> Option<Target> {
        let provider = Provider::parse(self.word()?)?;
        let [label, account, role, region, colour, tenant, app, project, portal, environment] = self.optionals()?;
        Some(Target { provider, label, account, role, region, colour, tenant, app, project, portal, environment })
    }

    /// `N` optional texts in a row (read in a loop: a struct's fields one by one made this
    /// module's reading kilobytes larger in the wasm).
    fn optionals<const N: usize>(&mut self) -> Option<[Option<String>; N]> {
        let mut texts = std::array::from_fn(|_| None);
        for text in &mut texts {
            *text = self.optional()?;
        }
        Some(texts)
    }

    fn rule(&mut self) -> Option<Rule> {
        let [id, name, environment, role, label] = self.optionals()?;
        let (locked, managed) = (self.flag()?, self.flag()?);
        let origin = match self.byte()? {
            0 => Origin::Written,
            1 => Origin::Portal { named: false },
            2 => Origin::Portal { named: true },
            _ => return None,
        };
        Some(Rule { id, name, environment, role, label, locked, managed, origin })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    /// Every field the layout writes, in each of the three parts.
    fn parts() -> (String, &'static str, &'static str) {
        let user = format!(
            r##"{}
[[aws.roles]]
name = "Operator"
privilege = "readonly"
[[aws.roles]]
name = "Admin"
privilege = "admin"
[[environments]]
name = "sandbox"
kind = "dev"
colour = "#00897B"
text = "#FFFFFF"
label = "SANDBOX"
guard = false
[[aws.accounts]]
id = "111122223333"
name = "acme-*"
environment = "prod"
role = "Admin"
label = "Acme production"
[[azure.tenants]]
id = "contoso.onmicrosoft.com"
environment = "prod"
[[azure.subscriptions]]
id = "00000000-0000-0000-0000-000000000001"
environment = "staging"
[[azure.resource_groups]]
name = "rg-*"
environment = "dev"
[[aiven.projects]]
id = "acme-ci"
environment = "ci"
[[gcp.roles]]
name = "roles/viewer"
privilege = "readonly"
[[azure.roles]]
name = "Reader"
privilege = "readonly"
[[aiven.roles]]
name = "developer"
privilege = "write"
[[targets]]
provider = "aws"
label = "prod admin"
account = "111122223333"
role = "Admin"
region = "eu-west-2"
colour = "#B3261E"
portal = "https://d-1234567890.awsapps.com/start"
environment = "prod"
[[targets]]
provider = "azure"
tenant = "contoso.onmicrosoft.com"
app = "00000000-0000-0000-0000-000000000002"
[[targets]]
provider = "gcp"
project = "govuk-paas"
[danger]
acknowledge = true
reminder_minutes = 15
verbs = ["delete", "terminate"]
"##,
            ["dev", "ci", "staging", "prod"]
                .map(|kind| format!("[[environments]]\nname = \"{kind}\"\nkind = \"{kind}\"\n"))
                .concat()
        );
        let managed = "[[aws.accounts]]\nid = \"444455556666\"\nenvironment = \"prod\"\nlocked = true\n";
        let learned = "# Learned from the access portal https://d-1234567890.awsapps.com/start (names and ids only).\n[[aws.accounts]]\nid = \"777788889999\"\nlabel = \"Acme dev\"\n";
        (user, managed, learned)
    }

    /// The layout is pinned: a change to what the snapshot writes, or how, changes these bytes.
    /// Then bump VERSION (a restored engine reads the parts it left for later only when first
    /// needed, trusting that bytes of its version are in its layout) and pin the new hash.
    #[test]
    fn the_layout_is_the_one_of_its_version() {
        let (user, managed, learned) = parts();
        let mut engine = Engine::new();
        let configured = engine.configure(Some(&user), Some(managed), Some(learned));
        assert!(configured.applied && configured.notices.is_empty(), "{configured:?}");
        let bytes = engine.snapshot(Some(&user), Some(managed), Some(learned));
        // Between the version and digest and the checksum: the layout alone.
        let layout = &bytes[9..bytes.len() - 8];
        assert_eq!(
            (VERSION, hash(layout)),
            (4, 17_653_415_853_687_313_877),
            "the snapshot's layout changed: bump VERSION and pin the new hash"
        );
    }

    /// Bytes of this version whose part left for later cannot be read (they cannot be written, only
    /// made by hand): the rules in force stay, alone, and nothing stops.
    #[test]
    fn a_part_left_for_later_that_does_not_read_leaves_the_rules_in_force() {
        let (user, managed, learned) = parts();
        let mut engine = Engine::new();
        engine.configure(Some(&user), Some(managed), Some(learned));
        let mut bytes = engine.snapshot(Some(&user), Some(managed), Some(learned));
        // The user's part (the merged one is in force): its first environment's kind, resealed.
        let at = 1 + 8 + 4 + 4;
        let name = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("a length")) as usize;
        bytes[at + 4 + name + 4] = b'X';
        let body = bytes.len() - 8;
        let sum = hash(&bytes[..body]);
        bytes[body..].copy_from_slice(&sum.to_le_bytes());

        let mut restored = Engine::new();
        assert!(restored.restore(&bytes, Some(&user), Some(managed), Some(learned)));
        let admin = crate::Signals {
            aws_session_data: Some(
                r#"{"accountId":"111122223333","sessionARN":"arn:aws:sts::111122223333:assumed-role/Admin/jane"}"#
                    .into(),
            ),
            ..crate::Signals::default()
        };
        let url = "https://eu-west-2.console.aws.amazon.com/ec2/home";
        let (verdict, expected) = (restored.evaluate(url, &admin), engine.evaluate(url, &admin));
        let (verdict, expected) = (verdict.expect("a console"), expected.expect("a console"));
        assert!(verdict.danger.is_some());
        assert_eq!((verdict.environment, verdict.privilege), (expected.environment, expected.privilege));
        assert!(restored.targets().is_empty(), "no targets rather than a wrong list");
    }
}
