//! Rules looked up by exact id through an index, so that listing thousands of targets stays
//! linear; the answers are [`best_rule`]'s.

use std::collections::BTreeMap;

use super::{best_rule, Aspect, Config, Rule, RuleMatch, Scope};
use crate::text::pattern::is_pattern;

/// Every scope's rules of one configuration, indexed by exact id.
pub(crate) struct Lookup<'c> {
    config: &'c Config,
    indexes: [RuleIndex<'c>; Scope::COUNT],
}

impl<'c> Lookup<'c> {
    pub(crate) fn new(config: &'c Config) -> Lookup<'c> {
        Lookup { config, indexes: Scope::ALL.map(|scope| RuleIndex::new(config.rules(scope))) }
    }

    /// The best rule of `scope` that says `aspect` for the thing with this `id`.
    pub(crate) fn by_id(&self, scope: Scope, id: Option<&str>, aspect: Aspect) -> Option<(&Rule, RuleMatch)> {
        self.indexes[scope.index()].find(id?, aspect)
    }

    /// The best rule of `scope` that says `aspect` for the thing with one of these `names`.
    pub(crate) fn by_name(&self, scope: Scope, names: &[&str], aspect: Aspect) -> Option<(&Rule, RuleMatch)> {
        best_rule(self.config.rules(scope), None, names, aspect)
    }
}

/// One scope's rules by exact id, per aspect.
struct RuleIndex<'c> {
    rules: &'c [Rule],
    /// Lower-case exact id → position in `rules` of the first rule giving the environment, the
    /// role, the label.
    exact: [BTreeMap<String, usize>; 3],
    patterns: Vec<Rule>,
    /// The organisation's locked rules, which beat every other (see `best_rule`).
    locked: Vec<Rule>,
}

const ASPECTS: [Aspect; 3] = [Aspect::Environment, Aspect::Role, Aspect::Label];

impl<'c> RuleIndex<'c> {
    fn new(rules: &'c [Rule]) -> RuleIndex<'c> {
        let mut exact = [BTreeMap::new(), BTreeMap::new(), BTreeMap::new()];
        let mut patterns = Vec::new();
        let locked = rules.iter().filter(|r| r.locked && r.managed).cloned().collect();
        for (position, rule) in rules.iter().enumerate() {
            match rule.id.as_deref() {
                Some(id) if !is_pattern(id) => {
                    for (map, aspect) in exact.iter_mut().zip(ASPECTS) {
                        if aspect.of(rule) {
                            map.entry(id.to_ascii_lowercase()).or_insert(position);
                        }
                    }
                }
                _ => patterns.push(rule.clone()),
            }
        }
        RuleIndex { rules, exact, patterns, locked }
    }

    fn find(&self, id: &str, aspect: Aspect) -> Option<(&Rule, RuleMatch)> {
        if let Some(found) = best_rule(&self.locked, Some(id), &[], aspect) {
            return Some(found);
        }
        let map = &self.exact[ASPECTS.iter().position(|a| *a == aspect).unwrap_or(0)];
        match map.get(&id.to_ascii_lowercase()) {
            Some(&position) => Some((&self.rules[position], RuleMatch::ExactId)),
            None => best_rule(&self.patterns, Some(id), &[], aspect),
        }
    }
}
