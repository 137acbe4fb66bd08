//! AWS: who the page says the user is, in which account, and what that means.
//!
//! Every place on the page that names the account or the principal is a [`Source`] with the trust
//! of whoever chose its content (the Trust table): the session ARN, the account ids and the login
//! names are the console's; an alias and a role name are the account administrators'; a
//! switch-role display name, the account menu button's text and the session name are the user's
//! (or a link's) and may only raise. The `aws-userInfo` cookie decides only what the page
//! corroborates: after a classic switch-role it most likely still describes the login identity.

use crate::config::lookup::Lookup;
use crate::config::{all_rules, best_rule, Aspect, Config, Origin, Rule, RuleMatch, Scope, Target};
pub(crate) mod portal;
pub(crate) mod switch;

use super::environment::{self, Matched};
use super::privilege::{self, RoleSeen};
use super::switch::{From, Plan};
use super::{Account, Console, ConsoleHost, ConsoleLocation, Reading};
use crate::model::{
    is_region, normalise_account_id, Arn, Named, Partition, Principal, PrincipalKind, Privilege, Provider, Trust,
};
use crate::signals::{labelled, present, shown, AwsSessionData, AwsUserInfo, MenuButton, NavbarUser, Signals};
use crate::text::address::Address;
use crate::text::token::Keyword;

/// Reads an AWS console tab.
pub(crate) fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
    let mut identity = identity(location, signals);
    let mut reasons = std::mem::take(&mut identity.evidence);
    let mut conflict = identity.conflict;

    let trusted_names = identity.names(true);
    let trusted_names: Vec<&str> = trusted_names.iter().map(String::as_str).collect();
    let raising_names = identity.names(false);
    let raising_names: Vec<&str> = raising_names.iter().map(String::as_str).collect();
    let id = identity.account_id.clone();
    let trusted_id = id.as_ref().filter(|(_, t)| t.decides()).map(|(id, _)| id.as_str());
    let accounts = config.rules(Scope::AwsAccount);
    let mut raising_ids: Vec<&str> =
        id.as_ref().filter(|(_, t)| !t.decides()).map(|(id, _)| id.as_str()).into_iter().collect();
    raising_ids.extend(identity.raising_ids.iter().map(String::as_str));
    let rules: Vec<Matched> = best_rule(accounts, trusted_id, &trusted_names, Aspect::Environment)
        .into_iter()
        .map(|(rule, how)| (rule, how, "this AWS account"))
        .collect();
    // Whatever anyone may set is matched against every rule, so that a quieter match never hides
    // a louder one.
    let raising: Vec<Matched> = raising_ids
        .iter()
        .map(|id| Some(*id))
        .chain([None])
        .flat_map(|id| all_rules(accounts, id, if id.is_none() { &raising_names } else { &[] }, Aspect::Environment))
        .map(|(rule, how)| (rule, how, "this AWS account"))
        .collect();

    if identity.account_name.is_none() {
        // A label the configuration or a named portal gave beats one learned from a portal nobody
        // named; one reached through what anyone may set is itself only shown.
        let trusted_labels = all_rules(accounts, trusted_id, &trusted_names, Aspect::Label);
        let label = trusted_labels
            .iter()
            .find(|(rule, _)| label_trust(rule).decides())
            .or(trusted_labels.first())
            .map(|(rule, _)| (*rule, label_trust(rule)))
            .or_else(|| {
                // Only the account shown is named: another account's label beside its id would
                // name the wrong account (the cookie's login account after a switch-role, say).
                let shown = id.as_ref().map(|(id, _)| id.as_str());
                best_rule(accounts, shown, if shown.is_none() { &raising_names } else { &[] }, Aspect::Label)
                    .map(|(rule, _)| (rule, Trust::Anyone))
            });
        if let Some((rule, trust)) = label {
            let text = rule.label.clone().unwrap_or_default();
            let whose = match rule.origin {
                Origin::Portal { .. } => "an access portal",
                Origin::Written if rule.managed => "the organisation's rule",
                Origin::Written => "your rule",
            };
            reasons.push(format!("account name '{text}' from {whose} for this account ({})", trust.describe()));
            identity.account_name = Some((text, trust));
        }
    }
    let mut named = Vec::new();
    if let Some((alias, trust)) = &identity.alias {
        named.push(Named::new("account alias", alias, *trust));
    }
    if let Some((name, trust)) = &identity.account_name {
        named.push(Named::new("account name", name, *trust));
    }
    for (what, value) in &identity.raising_names {
        named.push(Named::new(what, value, Trust::Anyone));
    }
    // Another account's label is not shown beside this one's id, but what it says may raise.
    for other in &identity.raising_ids {
        if let Some(label) = best_rule(accounts, Some(other), &[], Aspect::Label).and_then(|(r, _)| r.label.as_deref())
        {
            named.push(Named::new("other account's name", label, Trust::Anyone));
        }
    }
    let environment = environment::decide(config, &rules, &raising, &named, &mut reasons, &mut conflict);

    let privilege = if identity.principal.kind == PrincipalKind::Root {
        reasons.push("privilege admin: the root user can do everything".to_owned());
        Privilege::Admin
    } else {
        let mut roles: Vec<RoleSeen> =
            identity.roles.iter().map(|(role, source, trust)| RoleSeen { name: role, source, trust: *trust }).collect();
        let configured =
            best_rule(accounts, trusted_id, &trusted_names, Aspect::Role).and_then(|(r, _)| r.role.as_deref());
        // The account's configured role stands in where the page shows no role that decides. Where
        // a source that may only raise shows another role (a switched role's display name, say),
        // the role could be any: the configured one may then only raise too.
        if !roles.iter().any(|r| r.trust.decides()) {
            if let Some(role) = configured {
                let contradicted = roles.iter().any(|r| !r.name.eq_ignore_ascii_case(role));
                roles.push(if contradicted {
                    RoleSeen {
                        name: role,
                        source: "configured for this account, but the page shows another role that may only raise",
                        trust: Trust::Anyone,
                    }
                } else {
                    RoleSeen {
                        name: role,
                        source: "configured for this account, the page showing none that decides",
                        trust: Trust::Configured,
                    }
                });
            }
            // Each account that may be the tab's raises with its configured role. The deciding
            // account's own id or alias repeated is no other account: its rules were weighed
            // above, the exact one before any pattern.
            let deciding =
                |r: &String| trusted_id == Some(r) || trusted_names.iter().any(|n| n.eq_ignore_ascii_case(r));
            for account in identity.readings.iter().filter(|r| !deciding(r)) {
                if let Some(role) =
                    best_rule(accounts, Some(account), &[account], Aspect::Role).and_then(|(r, _)| r.role.as_deref())
                {
                    roles.push(RoleSeen {
                        name: role,
                        source: "configured for an account shown",
                        trust: Trust::Anyone,
                    });
                }
            }
        }
        privilege::decide(Provider::Aws, &roles, config, &mut reasons, &mut conflict)
    };
    // The banner names the role that gave the privilege shown (a louder one may have raised it).
    let gave =
        |p: &Principal| p.role.as_deref().is_some_and(|r| privilege::of_role(Provider::Aws, r, config) == privilege);
    // A root session stays the principal shown: its danger is that it is root, whatever role raised it.
    if privilege != Privilege::Unknown && identity.principal.kind != PrincipalKind::Root && !gave(&identity.principal) {
        if let Some(principal) = identity.principals.iter().find(|p| gave(p)) {
            identity.principal = principal.clone();
        }
    }
    let region =
        location.region.clone().or_else(|| present(&signals.aws_region).filter(|r| is_region(r)).map(str::to_owned));
    let id_decides = identity.account_id.as_ref().is_some_and(|(_, trust)| trust.decides());
    let account_id = identity.account_id.map(|(id, _)| id);
    let alias = identity.alias.map(|(alias, _)| alias);
    let name = identity.account_name.map(|(name, _)| name);
    Reading {
        region,
        account: Account {
            id_decides,
            display: account_display(account_id.as_deref(), alias.as_deref(), name.as_deref()),
            id: account_id,
            alias,
            name,
        },
        principal: identity.principal,
        environment,
        privilege,
        reasons,
        conflict,
    }
}

/// Who chose an account label: the user or the organisation, the administrators of a portal the
/// configuration names, or a portal nobody named.
fn label_trust(rule: &Rule) -> Trust {
    match rule.origin {
        Origin::Written => Trust::Configured,
        Origin::Portal { named: true } => Trust::Administrator,
        Origin::Portal { named: false } => Trust::Anyone,
    }
}

/// `acme-prod (1111-2222-3333)`, or whichever part is known.
fn account_display(id: Option<&str>, alias: Option<&str>, name: Option<&str>) -> String {
    let dashed = id.map(|id| format!("{}-{}-{}", &id[0..4], &id[4..8], &id[8..12]));
    match (alias.or(name), dashed) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (Some(name), None) => name.to_owned(),
        (None, Some(id)) => id,
        (None, None) => "account unknown".to_owned(),
    }
}

/// The identity of a console tab: what is shown, with the trust of its source, and every role
/// seen, for the deciders to weigh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account_id: Option<(String, Trust)>,
    pub alias: Option<(String, Trust)>,
    /// A human name of the account (an Identity Center issuer or a rule's label).
    pub account_name: Option<(String, Trust)>,
    /// The principal shown: the first identified one, deciding sources first.
    pub principal: Principal,
    /// Every role a source showed: (role, source, trust).
    pub roles: Vec<(String, &'static str, Trust)>,
    /// Every principal a source showed, deciding sources first.
    pub principals: Vec<Principal>,
    /// Account names that only sources anyone may set showed, beyond the alias: (what, name).
    pub raising_names: Vec<(String, String)>,
    /// Account ids that only sources anyone may set showed, or deciding sources that disagreed.
    pub raising_ids: Vec<String>,
    /// Ids and aliases of accounts that may be the tab's though nothing deciding says so: those in
    /// a dispute, those a display name or the menu button shows, the cookie's when no other source
    /// names any account. Each raises with its configured role; not the base identity's after a
    /// switch-role (the legacy login names', a cookie the page contradicts or that sits beside them).
    pub readings: Vec<String>,
    /// Deciding sources disagreed on the account.
    pub conflict: bool,
    /// Which source gave what, and which sources were set aside: reasons a person can read.
    pub evidence: Vec<String>,
}

impl Identity {
    /// The account's alias and name when they are of the wanted kind of trust (deciding or not).
    fn names(&self, deciding: bool) -> Vec<String> {
        let mut names: Vec<String> = [&self.alias, &self.account_name]
            .into_iter()
            .flatten()
            .filter(|(_, trust)| trust.decides() == deciding)
            .map(|(name, _)| name.clone())
            .collect();
        if !deciding {
            names.extend(self.raising_names.iter().map(|(_, name)| name.clone()));
        }
        names
    }
}

/// One place on the page that says something about the identity.
struct Source {
    name: &'static str,
    trust: Trust,
    account_id: Option<String>,
    alias: Option<String>,
    account_name: Option<String>,
    principal: Option<Principal>,
}

impl Source {
    fn new(name: &'static str, trust: Trust) -> Source {
        Source { name, trust, account_id: None, alias: None, account_name: None, principal: None }
    }

    fn says_anything(&self) -> bool {
        self.account_id.is_some() || self.alias.is_some() || self.account_name.is_some() || self.principal.is_some()
    }
}

/// Merges every AWS source into one identity.
///
/// Deciding sources, most trusted first: the URL (a multi-session host names its account), the
/// `awsc-session-data` meta tag's ids, alias and ARN, the navbar's labelled account rows, the
/// legacy navbar's login names. A deciding source that names another account or alias than an
/// earlier one is a disagreement: neither of them may then decide the account (which one is the
/// tab's is unknown, whichever was read first), nor any of their roles; each may raise, and the
/// verdict says they disagree. So is a meta tag whose session ARN names another account than its
/// accountId, and, where the id and the alias come from two sources, a cookie that pairs one of
/// them with another. The cookie decides what the page does not say only when
/// it agrees with the page on the account id or alias (an account in doubt agrees with nothing);
/// its principal decides only where the page shows none at all (a display name or the menu
/// button's text counts); alone or contradicted it may only raise; under multi-session it is set
/// aside (one browser holds several identities). Display names, the account menu button and the
/// legacy switched-role names may only raise. The principal shown is the first identified one, the
/// page's before the cookie's.
pub fn identity(location: &ConsoleLocation, signals: &Signals) -> Identity {
    let mut evidence = Vec::new();
    let mut host = Source::new("the multi-session host", Trust::Console);
    host.account_id = location.account_id.clone();
    let (meta, own_arn, display, multi_session_meta) = session_data_sources(signals, &mut evidence);
    let multi_session = location.account_id.is_some() || multi_session_meta;
    let mut deciding_legacy = None;
    let switched = legacy_switched_source(signals);
    let switch_shown = switched.says_anything();
    let mut legacy_login = legacy_login_source(signals);
    let legacy_raising = if switched.says_anything() && legacy_login.says_anything() {
        // After a switch-role the login names are the base identity's, as the cookie's may be.
        evidence.push(format!(
            "{} describe the identity signed in before the switch-role: they may only raise",
            legacy_login.name
        ));
        legacy_login.trust = Trust::Anyone;
        Some(legacy_login)
    } else {
        deciding_legacy = Some(legacy_login);
        None
    };
    let deciding = [host, meta, own_arn, navbar_details_source(signals)].into_iter().chain(deciding_legacy);
    let menu_button = menu_button_source(signals);
    let display_names = [display, switched];

    let mut identity = Identity {
        account_id: None,
        alias: None,
        account_name: None,
        principal: Principal::UNKNOWN,
        roles: Vec::new(),
        principals: Vec::new(),
        raising_names: Vec::new(),
        raising_ids: Vec::new(),
        readings: Vec::new(),
        conflict: false,
        evidence: Vec::new(),
    };
    let mut shown: Vec<Source> = Vec::new();
    let mut demoted: Vec<Source> = Vec::new();
    for mut source in deciding.filter(Source::says_anything) {
        if let Some(disagreement) = disagreement(&identity, &source) {
            evidence
                .push(format!("signals disagree: {} {disagreement}: neither may decide, each may raise", source.name));
            identity.conflict = true;
            source.trust = Trust::Anyone;
            demoted.push(source);
            continue;
        }
        adopt(&mut identity, &source, &mut evidence);
        shown.push(source);
    }
    let disputed = !demoted.is_empty();
    identity.readings = demoted.iter().flat_map(|s| [&s.account_id, &s.alias]).flatten().cloned().collect();
    let (cookie, issuer) = cookie_source(signals, &mut evidence);
    let cookie = if multi_session && cookie.says_anything() {
        evidence
            .push("set aside the aws-userInfo cookie: under multi-session it may belong to another session".to_owned());
        None
    } else {
        Some(cookie).filter(Source::says_anything)
    };
    let mut later: Vec<Source> = Vec::new();
    let mut cookie_later = None;
    let mut cookie_principal = None;
    if let Some(mut cookie) = cookie {
        let agrees = (identity.account_id.is_some() && same(&identity.account_id, &cookie.account_id))
            || (identity.alias.is_some() && same_alias(&identity.alias, &cookie.alias));
        // An account already in doubt is no account to agree with.
        if agrees && !disputed && disagreement(&identity, &cookie).is_none() {
            evidence.push(
                "the aws-userInfo cookie agrees with the page: it fills in what the page does not say".to_owned(),
            );
            // A display name or the menu button's text can neither confirm nor rule out a
            // switch-role (anyone may type the login role's name): what they show is the page's.
            let page_shows = [&display_names[0], &menu_button].into_iter().any(|s| s.principal.is_some());
            if switch_shown || page_shows || shown.iter().any(|s| s.principal.is_some()) {
                // The page shows a principal, or a switch-role: the cookie's, perhaps the login
                // one, may only raise.
                let mut principal = Source::new("the aws-userInfo cookie's principal", Trust::Anyone);
                principal.principal = cookie.principal.take();
                cookie_principal = Some(principal);
            }
            adopt(&mut identity, &cookie, &mut evidence);
            shown.push(cookie);
        } else {
            // The page's id and alias from two sources were never compared: a cookie that pairs one
            // of them with another (an alias is unique to its account) puts both in doubt.
            let unpaired = !shown.iter().any(|s| s.account_id.is_some() && s.alias.is_some());
            if let Some(disagreement) = disagreement(&identity, &cookie).filter(|_| agrees && unpaired) {
                evidence.push(format!(
                    "signals disagree: {} {disagreement}: neither may decide, each may raise",
                    cookie.name
                ));
                identity.conflict = true;
                identity.readings.extend(cookie.account_id.clone());
            }
            let what = if identity.account_id.is_some() || identity.alias.is_some() {
                "the aws-userInfo cookie does not agree with the page"
            } else {
                "only the aws-userInfo cookie names the account"
            };
            evidence.push(format!("{what} (after a switch-role it keeps the login identity): it may only raise"));
            cookie.trust = Trust::Anyone;
            cookie_later = Some(cookie);
        }
    }
    if identity.conflict {
        // Which of them names the tab's account is unknown: the one read first is no likelier, so
        // what it names (its role too) may only raise, and the louder reading of the two is shown.
        identity.readings.extend([&identity.account_id, &identity.alias].into_iter().flatten().map(|(v, _)| v.clone()));
        for (_, trust) in
            [&mut identity.account_id, &mut identity.alias, &mut identity.account_name].into_iter().flatten()
        {
            *trust = Trust::Anyone;
        }
        for source in &mut shown {
            source.trust = Trust::Anyone;
        }
    }
    // The cookie is a reading only where no other source names an account at all: after a
    // switch-role it describes the base identity, whose role is not the tab's.
    let names_account = |s: &Source| s.account_id.is_some() || s.alias.is_some();
    let named_alone = identity.account_id.is_none()
        && identity.alias.is_none()
        && !display_names.iter().chain([&menu_button]).chain(&demoted).chain(&legacy_raising).any(names_account);
    let cookie_alone = cookie_later.iter().filter(|_| named_alone);
    for source in display_names.iter().chain([&menu_button]).chain(cookie_alone) {
        identity.readings.extend([&source.account_id, &source.alias].into_iter().flatten().cloned());
    }
    // What the console shows before the cookie, which may describe another identity; the names a
    // user chose (or a link prefilled) last.
    later.extend(demoted);
    later.extend(legacy_raising);
    later.extend(Some(menu_button).filter(Source::says_anything));
    later.extend(cookie_later);
    later.extend(display_names.into_iter().filter(Source::says_anything));
    // Set aside for a principal the page shows: that one is named on the banner, not the cookie's.
    later.extend(cookie_principal);
    later.extend(Some(issuer).filter(|i| !multi_session && i.says_anything()));
    for source in &later {
        // Shown where the deciding sources say nothing, unless it contradicts what is shown; what
        // it names may only raise.
        let how = source.trust.describe();
        let contradicts = disagreement(&identity, source).is_some();
        if identity.account_id.is_none() && !contradicts {
            if let Some(id) = &source.account_id {
                evidence.push(format!("account {id} from {} ({how})", source.name));
                identity.account_id = Some((id.clone(), Trust::Anyone));
            }
        } else if let Some(id) = source.account_id.as_ref().filter(|id| !identity.raising_ids.contains(id)) {
            if identity.account_id.as_ref().is_none_or(|(known, _)| known != id) {
                evidence.push(format!("account {id} from {} ({how})", source.name));
                identity.raising_ids.push(id.clone());
            }
        }
        if let (None, Some(alias), false) = (&identity.alias, &source.alias, contradicts) {
            evidence.push(format!("alias '{alias}' from {} ({how})", source.name));
            identity.alias = Some((alias.clone(), Trust::Anyone));
        }
        for name in [&source.alias, &source.account_name].into_iter().flatten() {
            let known = [&identity.alias, &identity.account_name].into_iter().flatten().any(|(n, _)| n == name);
            if !known {
                evidence.push(format!("the name '{name}' from {} ({how})", source.name));
                identity.raising_names.push((format!("name shown by {}", source.name), name.clone()));
            }
        }
    }
    // The principal shown: the first identified one, deciding sources first; a bare user text (a
    // root user's navbar shows only the account name) only when no source identifies more.
    let all: Vec<&Source> = shown.iter().chain(&later).collect();
    let principal = all
        .iter()
        .find_map(|s| s.principal.as_ref().filter(|p| p.kind != PrincipalKind::Unknown).map(|p| (p, s)))
        .or_else(|| all.iter().find_map(|s| s.principal.as_ref().map(|p| (p, s))));
    if let Some((principal, source)) = principal {
        evidence.push(format!("principal {} from {}", principal.display(), source.name));
        identity.principal = principal.clone();
    }
    // A root session from any source is the loudest reading there is.
    if let Some(root) = all.iter().find(|s| s.principal.as_ref().is_some_and(|p| p.kind == PrincipalKind::Root)) {
        if identity.principal.kind != PrincipalKind::Root {
            evidence.push(format!("{} shows a root session: the louder reading is shown", root.name));
            identity.principal = Principal { kind: PrincipalKind::Root, ..Principal::UNKNOWN };
        }
    }
    for source in &all {
        if let Some(principal) = &source.principal {
            if let Some(role) = &principal.role {
                identity.roles.push((role.clone(), source.name, source.trust));
            }
            identity.principals.push(principal.clone());
        }
    }
    identity.evidence = evidence;
    identity
}

fn same(known: &Option<(String, Trust)>, said: &Option<String>) -> bool {
    matches!((known, said), (Some((a, _)), Some(b)) if a == b)
}

fn same_alias(known: &Option<(String, Trust)>, said: &Option<String>) -> bool {
    matches!((known, said), (Some((a, _)), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// How `source` contradicts what deciding sources already said, if it does.
fn disagreement(identity: &Identity, source: &Source) -> Option<String> {
    if let (Some((known, _)), Some(said)) = (&identity.account_id, &source.account_id) {
        if known != said {
            return Some(format!("names account {said}, not {known}"));
        }
    }
    if let (Some((known, _)), Some(said)) = (&identity.alias, &source.alias) {
        if !known.eq_ignore_ascii_case(said) {
            return Some(format!("names alias '{said}', not '{known}'"));
        }
    }
    None
}

/// Takes from a deciding source what the identity does not know yet.
fn adopt(identity: &mut Identity, source: &Source, evidence: &mut Vec<String>) {
    let trust = source.trust;
    if identity.account_id.is_none() {
        if let Some(id) = &source.account_id {
            evidence.push(format!("account {id} from {} ({})", source.name, trust.describe()));
            identity.account_id = Some((id.clone(), trust));
        }
    }
    if identity.alias.is_none() {
        if let Some(alias) = &source.alias {
            evidence.push(format!("alias '{alias}' from {} ({})", source.name, Trust::Administrator.describe()));
            identity.alias = Some((alias.clone(), Trust::Administrator));
        }
    }
    if identity.account_name.is_none() {
        if let Some(name) = &source.account_name {
            evidence.push(format!("account name '{name}' from {} ({})", source.name, Trust::Administrator.describe()));
            identity.account_name = Some((name.clone(), Trust::Administrator));
        }
    }
}

/// An alias as AWS reports it: AWS puts the account id there when the account has no alias.
fn alias(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    (!text.is_empty() && normalise_account_id(text).is_none()).then(|| text.to_owned())
}

/// The meta tag's ids, alias and ARN (the console's); its session ARN as a source of its own when it
/// names another account than the tag's accountId (the tag then contradicts itself); its
/// `displayName` (the user's, or a link's, choice); and whether the browser is in multi-session mode.
fn session_data_sources(signals: &Signals, evidence: &mut Vec<String>) -> (Source, Source, Source, bool) {
    let mut meta = Source::new("the awsc-session-data meta tag", Trust::Console);
    let mut own_arn = Source::new("the meta tag's session ARN", Trust::Console);
    let mut display = Source::new("the meta tag's switch-role display name", Trust::Anyone);
    let Some(text) = present(&signals.aws_session_data) else {
        return (meta, own_arn, display, false);
    };
    let data = match AwsSessionData::parse(text) {
        Ok(data) => data,
        Err(problem) => {
            evidence.push(format!("ignored: {problem}"));
            return (meta, own_arn, display, false);
        }
    };
    let arn = data.session_arn.as_deref().and_then(Arn::parse);
    meta.account_id = data.account_id.as_deref().and_then(normalise_account_id);
    meta.alias = alias(data.account_alias.as_deref());
    if let Some(Arn { account_id, principal, .. }) = arn {
        let source =
            if meta.account_id.as_ref().is_some_and(|id| *id != account_id) { &mut own_arn } else { &mut meta };
        source.account_id = Some(account_id);
        source.principal = Some(principal);
    }
    if let Some(text) = data.display_name.as_deref() {
        let shown = NavbarUser::parse(text);
        display.account_id = shown.account.as_deref().and_then(normalise_account_id);
        display.alias = alias(shown.account.as_deref());
        // A display name is a label the user chose: a role name as often as `Role/session`.
        display.principal = shown.principal.as_deref().map(|p| {
            if p.contains('/') {
                Principal::from_display(p)
            } else {
                Principal::from_role(p, None)
            }
        });
    }
    (meta, own_arn, display, data.multi_session)
}

/// The account detail menu's labelled rows (`Account ID: 1234-5678-9012`, `Federated user:
/// Role/session`): the console's own.
fn navbar_details_source(signals: &Signals) -> Source {
    let mut source = Source::new("the navbar's account details", Trust::Console);
    source.account_id = present(&signals.aws_nav_account_id).and_then(|text| normalise_account_id(labelled(text).1));
    source.principal = present(&signals.aws_nav_principal).map(|text| {
        let (label, value) = labelled(text);
        match label {
            Some(label) if label.to_ascii_lowercase().contains("iam user") => {
                Principal { kind: PrincipalKind::IamUser, user: Some(value.to_owned()), ..Principal::UNKNOWN }
            }
            _ => Principal::from_display(value),
        }
    });
    source
}

/// The account menu button: after a classic switch-role it may show the display name the user
/// chose, so whatever it says may only raise.
fn menu_button_source(signals: &Signals) -> Source {
    let mut source = Source::new("the navbar's account menu button", Trust::Anyone);
    for text in [present(&signals.aws_nav_user), present(&signals.aws_nav_user_title)].into_iter().flatten() {
        let button = MenuButton::parse(text);
        source.account_id = source.account_id.or(button.account_id);
        source.alias = source.alias.or(button.alias);
        if source.principal.as_ref().is_none_or(|p| p.kind == PrincipalKind::Unknown) {
            source.principal = button.principal.as_deref().map(Principal::from_display).or(source.principal);
        }
    }
    source
}

/// The older navbar (GovCloud, China): the signed-in identity's alias or id and role/session.
fn legacy_login_source(signals: &Signals) -> Source {
    let mut source = Source::new("the legacy navbar's login names", Trust::Console);
    let account = present(&signals.aws_legacy_login_account);
    source.account_id = account.and_then(normalise_account_id);
    source.alias = alias(account);
    source.principal = present(&signals.aws_legacy_login_user).map(Principal::from_display);
    source
}

/// After a switch-role the older navbar shows the display names the user typed (or a link
/// prefilled) in the switch-role form: they identify nothing and may only raise.
fn legacy_switched_source(signals: &Signals) -> Source {
    let mut source = Source::new("the legacy navbar's switched-role display names", Trust::Anyone);
    let account = present(&signals.aws_legacy_role_account);
    source.account_id = account.and_then(normalise_account_id);
    source.alias = alias(account);
    source.principal = present(&signals.aws_legacy_role_user).map(|u| Principal::from_role(u, None));
    source
}

fn cookie_source(signals: &Signals, evidence: &mut Vec<String>) -> (Source, Source) {
    let mut source = Source::new("the aws-userInfo cookie", Trust::Console);
    let none = || Source::new("the aws-userInfo cookie's Identity Center issuer", Trust::Anyone);
    let Some(raw) = present(&signals.aws_user_info) else {
        return (source, none());
    };
    let info = match AwsUserInfo::parse(raw) {
        Ok(info) => info,
        Err(problem) => {
            evidence.push(format!("ignored: {problem}"));
            return (source, none());
        }
    };
    let arn = info.arn.as_deref().and_then(Arn::parse);
    source.account_id = arn.as_ref().map(|a| a.account_id.clone());
    source.alias = alias(info.alias.as_deref());
    source.principal = arn.map(|a| a.principal);
    // The old issuer link carries the account's name, in a link anyone can write: it may only raise.
    let mut issuer = Source::new("the aws-userInfo cookie's Identity Center issuer", Trust::Anyone);
    issuer.account_name = source.account_id.as_deref().and_then(|id| info.identity_center_account_name(id));
    (source, issuer)
}

/// The AWS console, in every partition.
pub(crate) struct Aws;

const AWS: Option<Partition> = Some(Partition::Aws);
const GOV: Option<Partition> = Some(Partition::AwsUsGov);
const CN: Option<Partition> = Some(Partition::AwsCn);
const EUSC: Option<Partition> = Some(Partition::AwsEusc);

impl Console for Aws {
    const HOSTS: &'static [ConsoleHost] = &[
        ConsoleHost::new("https://console.aws.amazon.com/*", Provider::Aws, AWS),
        ConsoleHost::new("https://*.console.aws.amazon.com/*", Provider::Aws, AWS),
        ConsoleHost::new("https://health.aws.amazon.com/*", Provider::Aws, AWS),
        ConsoleHost::new("https://phd.aws.amazon.com/*", Provider::Aws, AWS),
        ConsoleHost::new("https://lightsail.aws.amazon.com/*", Provider::Aws, AWS),
        ConsoleHost::new("https://console.amazonaws-us-gov.com/*", Provider::Aws, GOV),
        ConsoleHost::new("https://*.console.amazonaws-us-gov.com/*", Provider::Aws, GOV),
        ConsoleHost::new("https://phd.amazonaws-us-gov.com/*", Provider::Aws, GOV),
        ConsoleHost::new("https://console.amazonaws.cn/*", Provider::Aws, CN),
        ConsoleHost::new("https://*.console.amazonaws.cn/*", Provider::Aws, CN),
        ConsoleHost::new("https://health.amazonaws.cn/*", Provider::Aws, CN),
        ConsoleHost::new("https://*.console.amazonaws-eusc.eu/*", Provider::Aws, EUSC),
    ];
    const ROLE_KEYWORDS: &'static [Keyword<Privilege>] = &[];

    fn locate(address: &Address, host: &ConsoleHost) -> ConsoleLocation {
        location(address, host)
    }

    fn read(location: &ConsoleLocation, signals: &Signals, config: &Config) -> Reading {
        read(location, signals, config)
    }

    /// The account menu's account row and a principal, or the older navbar's account and user.
    fn page_complete(_: &ConsoleLocation, s: &Signals) -> bool {
        (shown(&s.aws_nav_account_id) && (shown(&s.aws_nav_principal) || shown(&s.aws_nav_user)))
            || (shown(&s.aws_legacy_login_account) && shown(&s.aws_legacy_login_user))
    }

    fn target_rule<'l>(target: &Target, lookup: &'l Lookup, aspect: Aspect) -> Option<(&'l Rule, RuleMatch)> {
        lookup.by_id(Scope::AwsAccount, target.account.as_deref(), aspect)
    }

    fn plan_switch(target: &Target, from: &From, here: Option<ConsoleLocation>) -> Plan {
        switch::plan(target, from, here.as_ref().and_then(|l| l.partition), here.and_then(|l| l.region))
    }
}

fn location(address: &Address, host: &ConsoleHost) -> ConsoleLocation {
    let (base, _) = host.host();
    let prefix = address.host.strip_suffix(base).unwrap_or("").trim_end_matches('.');
    let mut account_id = None;
    let mut region = None;
    for label in prefix.split('.').filter(|l| !l.is_empty()) {
        if let Some(account) = multi_session_account(label) {
            account_id = Some(account.to_owned());
        } else if is_region(label) {
            region = Some(label.to_owned());
        }
    }
    let region = address.query_param("region").filter(|r| is_region(r)).or(region);
    ConsoleLocation { partition: host.partition, region, account_id, ..ConsoleLocation::of(Provider::Aws) }
}

/// `123456789012-abcd1234` → the account id of a multi-session host label.
fn multi_session_account(label: &str) -> Option<&str> {
    let (account, session) = label.split_once('-')?;
    (account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !session.is_empty()
        && session.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then_some(account)
}
