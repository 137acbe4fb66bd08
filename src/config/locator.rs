//! Where a key of a TOML document stands, so that a message about a value can name its line and
//! column. The document itself is parsed by [`crate::toml`]; this only follows table headers and
//! `key =` lines to find positions, and falls back to the enclosing table when it cannot.

use std::fmt;

use crate::text::hash::TextIndex;

/// A path such as `aws.accounts[2].environment`, each step borrowing the path it extends: the
/// reader names the place of every value it reads, and a path is written out only for a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    pub fn key(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    pub fn index(&'p self, index: usize) -> Path<'p> {
        Path::Index(self, index)
    }

    pub fn is_root(&self) -> bool {
        matches!(self, Path::Root)
    }

    /// The path and each path it extends, the root last.
    fn lineage(&self) -> impl Iterator<Item = &Path<'p>> {
        std::iter::successors(Some(self), |path| match path {
            Path::Root => None,
            Path::Key(parent, _) | Path::Index(parent, _) => Some(*parent),
        })
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => write!(f, "{key}"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Positions (1-based line and column) of the headers and keys of a document, by path; the first
/// place a path appears wins.
#[derive(Debug, Default)]
pub struct Locator {
    /// The paths found, numbered as `positions`.
    places: TextIndex,
    positions: Vec<(usize, usize)>,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        let mut locator = Locator::default();
        // Paths are kept as the text `Path` displays (`aws.accounts[2].id`), built once per line.
        let mut table = String::new();
        // How many of each array of tables were seen so far (`counts`, by the number `arrays` gives
        // its path): a text of thousands of distinct headers is read in linear time.
        let (mut arrays, mut counts) = (TextIndex::default(), Vec::new());
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
                let (i, new) = arrays.add(base.clone());
                if new {
                    counts.push(0);
                }
                table = format!("{base}[{}]", counts[i]);
                counts[i] += 1;
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
        path.lineage().find_map(|step| self.places.find(&step.to_string()).map(|i| self.positions[i])).unwrap_or((1, 1))
    }
}

impl Locator {
    /// Records where `path` first appears.
    fn add(&mut self, path: String, at: (usize, usize)) {
        if self.places.add(path).1 {
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
    // Byte by byte: a text of thousands of headers splits each of them.
    let quote = |b: &u8| matches!(b, b'"' | b'\'');
    dotted.split('.').map(move |k| {
        let k = k.trim_ascii();
        let bytes = k.as_bytes();
        let start = bytes.iter().position(|b| !quote(b)).unwrap_or(k.len());
        let end = bytes.iter().rposition(|b| !quote(b)).map_or(start, |i| i + 1);
        // Both ends are next to an ASCII quote or at the ends of the key: character boundaries.
        k.get(start..end).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_arrays_of_tables() {
        let text = "[[environments]]\nname = \"dev\"\n\n[[aws.accounts]]\nid = \"1\"\n[[aws.accounts]]\n  environment = \"x\"\n";
        let locator = Locator::new(text);
        let (aws, environments) = (Path::Root.key("aws"), Path::Root.key("environments"));
        let accounts = aws.key("accounts");
        let second = accounts.index(1);
        let path = second.key("environment");
        assert_eq!(path.to_string(), "aws.accounts[1].environment");
        assert_eq!(locator.find(&path), (7, 3));
        assert_eq!(locator.find(&second.key("name")), (6, 1));
        assert_eq!(locator.find(&environments.index(0).key("name")), (2, 1));
    }

    #[test]
    fn skips_multiline_values() {
        let text = "a = [\n  \"x = 1\",\n]\nb = \"\"\"\nc = 2\n\"\"\"\nd = 1\n";
        let locator = Locator::new(text);
        assert_eq!(locator.find(&Path::Root.key("c")), (1, 1));
        assert_eq!(locator.find(&Path::Root.key("d")), (7, 1));
    }
}
