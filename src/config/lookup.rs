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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules over a few ids, names and patterns, each locked or not and silent on some aspects:
    /// `seed` picks which.
    fn rules(seed: u64) -> Vec<Rule> {
        let ids = [Some("111"), Some("222"), Some("1*"), None, Some("ABC"), Some("abc")];
        let mut state = seed;
        let mut next = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        (0..next(9))
            .map(|i| Rule {
                id: ids[next(ids.len())].map(str::to_owned),
                name: (next(3) == 0).then(|| "acme".to_owned()),
                environment: (next(3) != 0).then(|| format!("env{i}")),
                role: (next(2) == 0).then(|| format!("role{i}")),
                label: (next(2) == 0).then(|| format!("label{i}")),
                locked: next(3) == 0,
                managed: next(2) == 0,
                ..Rule::default()
            })
            .collect()
    }

    #[test]
    fn the_index_answers_as_best_rule_does() {
        for seed in 0..3_000 {
            let mut config = Config::default();
            *config.rules_mut(Scope::GcpProject) = rules(seed);
            let lookup = Lookup::new(&config);
            for id in ["111", "222", "123", "abc", "Abc", "zzz"] {
                for aspect in [Aspect::Environment, Aspect::Role, Aspect::Label] {
                    let indexed = lookup.by_id(Scope::GcpProject, Some(id), aspect);
                    let scanned = best_rule(config.rules(Scope::GcpProject), Some(id), &[], aspect);
                    assert_eq!(indexed, scanned, "seed {seed}, id {id}, {aspect:?}");
                }
            }
        }
    }
}
