//! Where a key of a TOML document stands, so that a message about a value can name its line and
//! column. The document itself is parsed by [`crate::toml`]; this only follows table headers and
//! `key =` lines to find positions, and falls back to the enclosing table when it cannot.

use std::collections::BTreeMap;
use std::fmt;

/// One step of a path into the document: a key, or the index in an array of tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A path such as `aws.accounts[2].environment`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Step>);

impl Path {
    pub fn key(&self, key: &str) -> Path {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        Path(steps)
    }

    pub fn index(&self, index: usize) -> Path {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        Path(steps)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(key) if i == 0 => write!(f, "{key}")?,
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Positions (1-based line and column) of the headers and keys of a document, by path; the first
/// place a path appears wins.
#[derive(Debug, Default)]
pub struct Locator {
    /// Path → position in `positions`; one map type for the whole crate keeps the wasm small.
    places: BTreeMap<String, usize>,
    positions: Vec<(usize, usize)>,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        let mut locator = Locator::default();
        // Paths are kept as the text `Path` displays (`aws.accounts[2].id`), built once per line.
        let mut table = String::new();
        // How many of each array of tables were seen so far, by path: a map, so that a text of
        // thousands of distinct headers is read in linear time.
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut open_brackets = 0usize;
        let mut in_multiline: Option<&str> = None;
        for (number, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            let content = line.trim();
            if let Some(fence) = in_multiline {
                if content.contains(fence) {
                    in_multiline = None;
                }
                continue;
            }
            if open_brackets > 0 {
                open_brackets = (open_brackets + count(content, '[')).saturating_sub(count(content, ']'));
                continue;
            }
            let at = (number + 1, indent + 1);
            if let Some(header) = content.strip_prefix("[[").and_then(|h| h.split("]]").next()) {
                let base = locator.add_with_parents(header, at);
                let seen = counts.entry(base.clone()).or_insert(0);
                table = format!("{base}[{seen}]");
                *seen += 1;
                locator.add(table.clone(), at);
            } else if let Some(header) = content.strip_prefix('[').and_then(|h| h.split(']').next()) {
                table = locator.add_with_parents(header, at);
            } else if let Some((key, value)) = content.split_once('=') {
                if key.trim().is_empty() || content.starts_with('#') {
                    continue;
                }
                let mut path = table.clone();
                for part in parts(key) {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(part);
                }
                locator.add(path, at);
                let value = value.trim_start();
                for fence in ["\"\"\"", "'''"] {
                    if value.starts_with(fence) && !value[3..].contains(fence) {
                        in_multiline = Some(fence);
                    }
                }
                if value.starts_with('[') {
                    open_brackets = count(value, '[').saturating_sub(count(value, ']'));
                }
            }
        }
        locator
    }

    /// The position of `path`, or of the nearest enclosing table or key that was found.
    pub fn find(&self, path: &Path) -> (usize, usize) {
        (0..=path.0.len())
            .rev()
            .find_map(|len| self.places.get(&Path(path.0[..len].to_vec()).to_string()).map(|&i| self.positions[i]))
            .unwrap_or((1, 1))
    }
}

impl Locator {
    /// Records where `path` first appears.
    fn add(&mut self, path: String, at: (usize, usize)) {
        let next = self.positions.len();
        if *self.places.entry(path).or_insert(next) == next {
            self.positions.push(at);
        }
    }

    /// Records a header's path and each table above it where they first appear (`[[aws.accounts]]`
    /// opens `aws` and `aws.accounts`); the header's path.
    fn add_with_parents(&mut self, header: &str, at: (usize, usize)) -> String {
        let mut path = String::new();
        for part in parts(header) {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(part);
            self.add(path.clone(), at);
        }
        path
    }
}

fn count(text: &str, c: char) -> usize {
    text.chars().filter(|x| *x == c).count()
}

/// `a.b."c d"` → the keys `a`, `b`, `c d`.
fn parts(dotted: &str) -> impl Iterator<Item = &str> {
    dotted.split('.').map(|k| k.trim().trim_matches('"').trim_matches('\''))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_arrays_of_tables() {
        let text = "[[environments]]\nname = \"dev\"\n\n[[aws.accounts]]\nid = \"1\"\n[[aws.accounts]]\n  environment = \"x\"\n";
        let locator = Locator::new(text);
        let path = Path::default().key("aws").key("accounts").index(1).key("environment");
        assert_eq!(path.to_string(), "aws.accounts[1].environment");
        assert_eq!(locator.find(&path), (7, 3));
        assert_eq!(locator.find(&Path::default().key("aws").key("accounts").index(1).key("name")), (6, 1));
        assert_eq!(locator.find(&Path::default().key("environments").index(0).key("name")), (2, 1));
    }

    #[test]
    fn skips_multiline_values() {
        let text = "a = [\n  \"x = 1\",\n]\nb = \"\"\"\nc = 2\n\"\"\"\nd = 1\n";
        let locator = Locator::new(text);
        assert_eq!(locator.find(&Path::default().key("c")), (1, 1));
        assert_eq!(locator.find(&Path::default().key("d")), (7, 1));
    }
}
