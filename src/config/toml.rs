//! TOML, read into a [`Node`] in one pass: linear in the text, with a depth limit of its own and
//! every error at its line and column.
//!
//! A reader of its own rather than a parser crate: the one that fits the wasm (`basic-toml`) read a
//! 5,000-profile configuration in 150 ms natively, slower with every array-of-tables entry, and
//! recursed without a limit; the full-featured ones cost the wasm 100 KB more. Dates and times are
//! read as their text (redline reads none).

use std::borrow::Cow;

use crate::model::hex_value;
use crate::text::hash::fnv1a;
use crate::text::node::{Node, Table};

/// How deep tables, arrays and inline tables may nest.
pub const MAX_DEPTH: usize = 32;

/// Where a text stopped being TOML, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// From 1.
    pub line: usize,
    /// From 1, in characters.
    pub column: usize,
    pub message: String,
}

/// Reads a TOML document.
pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut reader = Reader { text, bytes: text.as_bytes(), at: 0 };
    let mut root = Tab::new(Origin::Header);
    let mut current: Vec<Step> = Vec::new();
    // The keys of each header or key line, in one buffer for the whole text.
    let mut keys = Vec::new();
    loop {
        reader.skip_blank_lines()?;
        if reader.at >= reader.bytes.len() {
            break;
        }
        if reader.peek() == Some(b'[') {
            let start = reader.at;
            let array = reader.bytes.get(reader.at + 1) == Some(&b'[');
            reader.at += if array { 2 } else { 1 };
            reader.skip_spaces();
            reader.key_path(&mut keys)?;
            reader.skip_spaces();
            let close: &[u8] = if array { b"]]" } else { b"]" };
            if !reader.bytes[reader.at..].starts_with(close) {
                // `[[a]` fails where the second bracket should be.
                let at = if array && reader.peek() == Some(b']') { reader.at + 1 } else { reader.at };
                return Err(
                    reader.error_at(at, &format!("expected `{}` to close the header", if array { "]]" } else { "]" }))
                );
            }
            reader.at += close.len();
            reader.end_of_line()?;
            if keys.len() > MAX_DEPTH {
                return Err(reader.error_at(start, &format!("tables nested more than {MAX_DEPTH} deep")));
            }
            current = root.open_header(&keys, array).map_err(|m| reader.error_at(start, &m))?;
        } else {
            let start = reader.at;
            let value = reader.key_value(current.len(), &mut keys)?;
            reader.end_of_line()?;
            let table = root.walk_mut(&current);
            table.insert_dotted(&keys, value).map_err(|m| reader.error_at(start, &m))?;
        }
    }
    Ok(root.into_node())
}

/// How a table came to be: redefining one is an error unless it was only implied by a header
/// under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// `[a.b.c]` implies `a` and `a.b`; a later `[a]` may still define `a`.
    Implied,
    /// Defined by its own header.
    Header,
    /// Defined by dotted keys (`a.b = 1` defines `a`).
    Dotted,
}

/// A table while it is built: its entries in document order and, once it holds more than a few,
/// an index by key, so that a table of thousands of keys is read in linear time while the many
/// small ones cost no index.
struct Tab<'a> {
    entries: Vec<(Cow<'a, str>, Item<'a>)>,
    /// Open addressing by the key's hash: each slot an entry's position, `EMPTY` where none is.
    index: Option<Vec<u32>>,
    origin: Origin,
}

const EMPTY: u32 = u32::MAX;

fn hash(key: &str) -> usize {
    fnv1a(key.bytes()) as usize
}

/// Up to this many entries a table is searched in order.
const UNINDEXED: usize = 16;

enum Item<'a> {
    Value(Node<'a>),
    Table(Tab<'a>),
    /// An array of tables (`[[a]]`), still open to more.
    Tables(Vec<Tab<'a>>),
}

/// A step from the root to the table in force: an entry, and for arrays of tables the last one.
type Step = usize;

impl<'a> Tab<'a> {
    fn new(origin: Origin) -> Tab<'a> {
        Tab { entries: Vec::new(), index: None, origin }
    }

    fn position(&self, key: &str) -> Option<usize> {
        let Some(slots) = &self.index else { return self.entries.iter().position(|(k, _)| k == key) };
        let mut slot = hash(key) & (slots.len() - 1);
        loop {
            match slots[slot] {
                EMPTY => return None,
                i if self.entries[i as usize].0 == key => return Some(i as usize),
                _ => slot = (slot + 1) & (slots.len() - 1),
            }
        }
    }

    /// Puts the entry at `i` in the index, which is kept at most half full.
    fn index_entry(slots: &mut [u32], key: &str, i: usize) {
        let mut slot = hash(key) & (slots.len() - 1);
        while slots[slot] != EMPTY {
            slot = (slot + 1) & (slots.len() - 1);
        }
        slots[slot] = u32::try_from(i).unwrap_or(EMPTY);
    }

    fn get_mut(&mut self, key: &str) -> Option<(usize, &mut Item<'a>)> {
        let i = self.position(key)?;
        Some((i, &mut self.entries[i].1))
    }

    fn push(&mut self, key: Cow<'a, str>, item: Item<'a>) -> usize {
        let i = self.entries.len();
        self.entries.push((key, item));
        let size = self.index.as_ref().map_or(0, Vec::len);
        if self.entries.len() > UNINDEXED && self.entries.len() * 2 > size {
            let mut slots = vec![EMPTY; (self.entries.len() * 4).next_power_of_two()];
            for (j, (k, _)) in self.entries.iter().enumerate() {
                Tab::index_entry(&mut slots, k, j);
            }
            self.index = Some(slots);
        } else if let Some(slots) = &mut self.index {
            Tab::index_entry(slots, &self.entries[i].0, i);
        }
        i
    }

    /// The table a header names, created where missing; the steps to it from this table.
    fn open_header(&mut self, keys: &[Cow<'a, str>], array: bool) -> Result<Vec<Step>, String> {
        let mut steps = Vec::new();
        let mut table = self;
        let (last, parents) = keys.split_last().expect("a header names at least one key");
        for key in parents {
            let i = match table.get_mut(key) {
                Some((i, Item::Table(_) | Item::Tables(_))) => i,
                Some(_) => return Err(format!("`{key}` is a value, not a table")),
                None => table.push(key.clone(), Item::Table(Tab::new(Origin::Implied))),
            };
            steps.push(i);
            table = match &mut table.entries[i].1 {
                Item::Table(t) => t,
                Item::Tables(list) => list.last_mut().expect("an array of tables has one"),
                Item::Value(_) => unreachable!("checked above"),
            };
        }
        let i = match (table.get_mut(last), array) {
            (None, false) => table.push(last.clone(), Item::Table(Tab::new(Origin::Header))),
            (None, true) => table.push(last.clone(), Item::Tables(vec![Tab::new(Origin::Header)])),
            (Some((i, Item::Table(t))), false) if t.origin == Origin::Implied => {
                t.origin = Origin::Header;
                i
            }
            (Some((i, Item::Tables(list))), true) => {
                list.push(Tab::new(Origin::Header));
                i
            }
            (Some(_), _) => return Err(format!("table `{}` is defined twice", keys.join("."))),
        };
        steps.push(i);
        Ok(steps)
    }

    fn walk_mut(&mut self, steps: &[Step]) -> &mut Tab<'a> {
        let mut table = self;
        for &i in steps {
            table = match &mut table.entries[i].1 {
                Item::Table(t) => t,
                Item::Tables(list) => list.last_mut().expect("an array of tables has one"),
                Item::Value(_) => unreachable!("steps lead through tables"),
            };
        }
        table
    }

    /// `a.b.c = value`: `a` and `a.b` are tables this statement defines (or extends, if dotted
    /// keys defined them); `c` must be new.
    fn insert_dotted(&mut self, keys: &[Cow<'a, str>], value: Node<'a>) -> Result<(), String> {
        let (last, parents) = keys.split_last().expect("a key has at least one part");
        let mut table = self;
        for key in parents {
            let i = match table.get_mut(key) {
                Some((i, Item::Table(t))) if t.origin != Origin::Header => {
                    t.origin = Origin::Dotted;
                    i
                }
                Some(_) => return Err(format!("`{key}` is already defined, it cannot be extended with dotted keys")),
                None => table.push(key.clone(), Item::Table(Tab::new(Origin::Dotted))),
            };
            let Item::Table(next) = &mut table.entries[i].1 else { unreachable!("a table was found or made") };
            table = next;
        }
        if table.position(last).is_some() {
            return Err(format!("the key `{}` is defined twice", keys.join(".")));
        }
        table.push(last.clone(), Item::Value(value));
        Ok(())
    }

    fn into_node(self) -> Node<'a> {
        Node::Table(Table(
            self.entries
                .into_iter()
                .map(|(key, item)| {
                    let node = match item {
                        Item::Value(node) => node,
                        Item::Table(t) => t.into_node(),
                        Item::Tables(list) => Node::List(list.into_iter().map(Tab::into_node).collect()),
                    };
                    (key, node)
                })
                .collect(),
        ))
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    // Called for every byte of the text: at opt-level "z" it would stay a call each time.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn error_at(&self, at: usize, message: &str) -> SyntaxError {
        let at = at.min(self.bytes.len());
        let line_start = self.bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = 1 + self.bytes[..at].iter().filter(|&&b| b == b'\n').count();
        // The text is UTF-8: its characters are the bytes that start one.
        let column = 1 + self.bytes[line_start..at].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        SyntaxError { line, column, message: message.to_owned() }
    }

    fn error_here(&self, message: &str) -> SyntaxError {
        self.error_at(self.at, message)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment to the end of its line; control characters other than tab are not allowed in it.
    fn skip_comment(&mut self) -> Result<(), SyntaxError> {
        if self.peek() != Some(b'#') {
            return Ok(());
        }
        while let Some(b) = self.peek() {
            if b == b'\n' || (b == b'\r' && self.bytes.get(self.at + 1) == Some(&b'\n')) {
                break;
            }
            if (b < 0x20 && b != b'\t') || b == 0x7f {
                return Err(self.error_here("a control character in a comment"));
            }
            self.at += 1;
        }
        Ok(())
    }

    /// A newline (`\n` or `\r\n`), if one is here.
    fn newline(&mut self) -> bool {
        match self.peek() {
            Some(b'\n') => {
                self.at += 1;
                true
            }
            Some(b'\r') if self.bytes.get(self.at + 1) == Some(&b'\n') => {
                self.at += 2;
                true
            }
            _ => false,
        }
    }

    fn skip_blank_lines(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_spaces();
            self.skip_comment()?;
            if !self.newline() {
                return Ok(());
            }
        }
    }

    /// Spaces, a comment, then the end of the line or of the text.
    fn end_of_line(&mut self) -> Result<(), SyntaxError> {
        self.skip_spaces();
        self.skip_comment()?;
        if self.at >= self.bytes.len() || self.newline() {
            Ok(())
        } else {
            Err(self.error_here("expected the end of the line"))
        }
    }

    /// `a.b."c d"`: the parts of a key.
    fn key_path(&mut self, keys: &mut Vec<Cow<'a, str>>) -> Result<(), SyntaxError> {
        keys.clear();
        keys.push(self.key()?);
        loop {
            let before = self.at;
            self.skip_spaces();
            if self.peek() != Some(b'.') {
                self.at = before;
                return Ok(());
            }
            self.at += 1;
            self.skip_spaces();
            keys.push(self.key()?);
        }
    }

    fn key(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        match self.peek() {
            Some(b'"') => self.basic_string(),
            Some(b'\'') => self.literal_string().map(Cow::Borrowed),
            _ => {
                let start = self.at;
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                    self.at += 1;
                }
                if self.at == start {
                    return Err(self.error_here("expected a key"));
                }
                Ok(Cow::Borrowed(&self.text[start..self.at]))
            }
        }
    }

    /// `key = value`, at a depth of `depth` tables already: the value, and the key's parts in `keys`.
    fn key_value(&mut self, depth: usize, keys: &mut Vec<Cow<'a, str>>) -> Result<Node<'a>, SyntaxError> {
        let start = self.at;
        self.key_path(keys)?;
        if depth + keys.len() > MAX_DEPTH {
            return Err(self.error_at(start, &format!("tables nested more than {MAX_DEPTH} deep")));
        }
        self.skip_spaces();
        if self.peek() != Some(b'=') {
            return Err(self.error_here("expected `=` after the key"));
        }
        self.at += 1;
        self.skip_spaces();
        self.value(depth + keys.len())
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        match self.peek() {
            Some(b'"') => {
                if self.bytes[self.at..].starts_with(b"\"\"\"") {
                    self.multiline_basic_string().map(|text| Node::Text(Cow::Owned(text)))
                } else {
                    self.basic_string().map(Node::Text)
                }
            }
            Some(b'\'') => {
                if self.bytes[self.at..].starts_with(b"'''") {
                    self.multiline_literal_string().map(|text| Node::Text(Cow::Owned(text)))
                } else {
                    self.literal_string().map(|text| Node::Text(Cow::Borrowed(text)))
                }
            }
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.inline_table(depth + 1),
            Some(_) => self.scalar(),
            None => Err(self.error_here("expected a value")),
        }
    }

    fn too_deep(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            Err(self.error_here(&format!("arrays and tables nested more than {MAX_DEPTH} deep")))
        } else {
            Ok(())
        }
    }

    /// Spaces, comments and newlines, as an array allows between its values.
    fn skip_array_space(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_spaces();
            self.skip_comment()?;
            if !self.newline() {
                return Ok(());
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        self.too_deep(depth)?;
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_array_space()?;
            if self.peek() == Some(b']') {
                self.at += 1;
                return Ok(Node::List(items));
            }
            items.push(self.value(depth)?);
            self.skip_array_space()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Node::List(items));
                }
                _ => return Err(self.error_here("expected `,` or `]` in the array")),
            }
        }
    }

    fn inline_table(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        self.too_deep(depth)?;
        self.at += 1;
        let mut table = Tab::new(Origin::Header);
        let mut keys = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(table.into_node());
        }
        loop {
            self.skip_spaces();
            let start = self.at;
            let value = self.key_value(depth, &mut keys)?;
            table.insert_dotted(&keys, value).map_err(|m| self.error_at(start, &m))?;
            self.skip_spaces();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(table.into_node());
                }
                _ => return Err(self.error_here("expected `,` or `}` in the inline table")),
            }
        }
    }

    /// A character allowed in a string: not a control character other than tab.
    fn string_char(&self, b: u8) -> Result<(), SyntaxError> {
        if (b < 0x20 && b != b'\t') || b == 0x7f {
            Err(self.error_here("a control character in a string; expected it escaped"))
        } else {
            Ok(())
        }
    }

    /// Borrowed from the text unless it holds an escape.
    fn basic_string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.at += 1;
        let plain = self.plain_run(|b| b != b'"' && b != b'\\' && (b >= 0x20 || b == b'\t') && b != 0x7f);
        if self.peek() == Some(b'"') {
            self.at += 1;
            return Ok(Cow::Borrowed(plain));
        }
        let mut out = String::from(plain);
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error_here("the string is not closed on its line")),
                Some(b'\r') if self.bytes.get(self.at + 1) == Some(&b'\n') => {
                    return Err(self.error_here("the string is not closed on its line"))
                }
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(b) => {
                    self.string_char(b)?;
                    let run = self.plain_run(|b| b != b'"' && b != b'\\' && (b >= 0x20 || b == b'\t') && b != 0x7f);
                    out.push_str(run);
                }
            }
        }
    }

    /// The longest run of bytes `keep` allows, as text (it never splits a character: every byte
    /// it stops at is ASCII).
    fn plain_run(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.at;
        while matches!(self.peek(), Some(b) if keep(b) || b >= 0x80) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let c = match self.peek() {
            Some(b'b') => '\u{8}',
            Some(b't') => '\t',
            Some(b'n') => '\n',
            Some(b'f') => '\u{c}',
            Some(b'r') => '\r',
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'u') => return self.unicode(4),
            Some(b'U') => return self.unicode(8),
            _ => {
                return Err(self.error_here(
                    "not a valid escape; expected one of \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX",
                ))
            }
        };
        self.at += 1;
        Ok(c)
    }

    fn unicode(&mut self, digits: usize) -> Result<char, SyntaxError> {
        let start = self.at + 1;
        let c = self.text.get(start..start + digits).and_then(|h| hex_value(h.as_bytes())).and_then(char::from_u32);
        match c {
            Some(c) => {
                self.at = start + digits;
                Ok(c)
            }
            None => Err(self.error_here("not a valid Unicode escape")),
        }
    }

    fn multiline_basic_string(&mut self) -> Result<String, SyntaxError> {
        self.at += 3;
        self.newline();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error_here("the multi-line string is not closed")),
                Some(b'"') if self.bytes[self.at..].starts_with(b"\"\"\"") => {
                    // Up to two quotes may end the content right before the closing three.
                    let mut quotes = 3;
                    while quotes < 5 && self.bytes.get(self.at + quotes) == Some(&b'"') {
                        quotes += 1;
                    }
                    out.extend(std::iter::repeat_n('"', quotes - 3));
                    self.at += quotes;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    // A backslash at the end of a line takes the line break and the blanks after it.
                    let before = self.at;
                    self.skip_spaces();
                    if self.newline() {
                        loop {
                            self.skip_spaces();
                            if !self.newline() {
                                break;
                            }
                        }
                    } else {
                        self.at = before;
                        out.push(self.escape()?);
                    }
                }
                Some(_) if self.newline() => out.push('\n'),
                Some(b) => {
                    self.string_char(b)?;
                    let run = self.plain_run(|b| b != b'"' && b != b'\\' && (b >= 0x20 || b == b'\t') && b != 0x7f);
                    out.push_str(run);
                    if self.peek() == Some(b'"') && !self.bytes[self.at..].starts_with(b"\"\"\"") {
                        out.push('"');
                        self.at += 1;
                    }
                }
            }
        }
    }

    fn literal_string(&mut self) -> Result<&'a str, SyntaxError> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error_here("the string is not closed on its line")),
                Some(b'\'') => {
                    self.at += 1;
                    return Ok(&self.text[start..self.at - 1]);
                }
                Some(b) => {
                    self.string_char(b)?;
                    self.at += 1;
                }
            }
        }
    }

    fn multiline_literal_string(&mut self) -> Result<String, SyntaxError> {
        self.at += 3;
        self.newline();
        let start = self.at;
        loop {
            match self.peek() {
                None => return Err(self.error_here("the multi-line string is not closed")),
                Some(b'\'') if self.bytes[self.at..].starts_with(b"'''") => {
                    let mut quotes = 3;
                    while quotes < 5 && self.bytes.get(self.at + quotes) == Some(&b'\'') {
                        quotes += 1;
                    }
                    let end = self.at + quotes - 3;
                    self.at += quotes;
                    return Ok(self.text[start..end].replace("\r\n", "\n"));
                }
                Some(_) if self.newline() => {}
                Some(b) => {
                    self.string_char(b)?;
                    self.at += 1;
                }
            }
        }
    }

    /// A boolean, number, date or time: the run of characters up to a separator.
    fn scalar(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.at;
        while let Some(b) = self.peek() {
            // A date and a time may be separated by one space: `1979-05-27 07:32:00`.
            let date_space = b == b' '
                && self.at - start == 10
                && self.bytes.get(self.at + 1).is_some_and(u8::is_ascii_digit)
                && self.bytes[start..self.at].iter().filter(|&&c| c == b'-').count() == 2;
            if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'_' | b'.' | b':') || date_space) {
                break;
            }
            self.at += 1;
        }
        let word = &self.text[start..self.at];
        let node = match word {
            "true" => Some(Node::Bool(true)),
            "false" => Some(Node::Bool(false)),
            "inf" | "+inf" | "-inf" | "nan" | "+nan" | "-nan" => Some(Node::Float),
            _ if integer(word) == Some(None) => {
                return Err(self.error_at(start, "the integer does not fit in 64 bits"));
            }
            _ => integer(word).map(|n| n.map_or(Node::Float, Node::Integer)).or_else(|| {
                if float(word) {
                    Some(Node::Float)
                } else if datetime(word) {
                    Some(Node::Text(Cow::Borrowed(word)))
                } else {
                    None
                }
            }),
        };
        node.ok_or_else(|| {
            self.error_at(
                start,
                "expected a value: a string in quotes, a number, true, false, a date, an array or a table",
            )
        })
    }
}

/// Digits with single underscores between them.
fn digits(text: &str, radix: u32) -> bool {
    !text.is_empty()
        && !text.starts_with('_')
        && !text.ends_with('_')
        && !text.contains("__")
        && text.chars().all(|c| c == '_' || c.is_digit(radix))
}

/// An integer (`Some(None)`: one too large for an `i64`, which TOML refuses), or `None` when
/// `word` is none.
fn integer(word: &str) -> Option<Option<i64>> {
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = word.strip_prefix(prefix) {
            return digits(rest, radix).then(|| value(rest, radix, false));
        }
    }
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word);
    let leading_zero = unsigned.len() > 1 && unsigned.starts_with('0');
    (digits(unsigned, 10) && !leading_zero).then(|| value(unsigned, 10, word.starts_with('-')))
}

/// The value of `digits` (checked by [`digits`]: the underscores are skipped), negated when
/// `negative`; `None` when it does not fit an `i64`. A hand-written loop: `from_str_radix` costs
/// the worker's wasm a parser of its own.
fn value(digits: &str, radix: u32, negative: bool) -> Option<i64> {
    // Summed below zero, so that `i64::MIN` fits.
    let below = digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .try_fold(0i64, |n, digit| n.checked_mul(i64::from(radix))?.checked_sub(i64::from(digit)))?;
    if negative {
        Some(below)
    } else {
        below.checked_neg()
    }
}

fn float(word: &str) -> bool {
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let whole_ok = digits(whole, 10) && !(whole.len() > 1 && whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(|f| digits(f, 10));
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e), 10));
    whole_ok && fraction_ok && exponent_ok && (fraction.is_some() || exponent.is_some())
}

/// `1979-05-27`, `07:32:00`, `1979-05-27T07:32:00.999-07:00` and the forms between.
fn datetime(word: &str) -> bool {
    let number = |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
    let time = |text: &str| {
        let (clock, offset) = match text.find(['Z', 'z', '+', '-']) {
            Some(at) => text.split_at(at),
            None => (text, ""),
        };
        let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
        let parts: Vec<&str> = clock.split(':').collect();
        let offset_ok = match offset {
            "" | "Z" | "z" => true,
            _ => offset[1..].split_once(':').is_some_and(|(h, m)| number(h, 2) && number(m, 2)),
        };
        parts.len() == 3
            && parts.iter().all(|p| number(p, 2))
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && offset_ok
    };
    let date = |text: &str| {
        let parts: Vec<&str> = text.split('-').collect();
        parts.len() == 3 && number(parts[0], 4) && number(parts[1], 2) && number(parts[2], 2)
    };
    match word.split_once(['T', 't', ' ']) {
        Some((d, t)) => date(d) && time(t),
        None => date(word) || (!word.contains(['Z', 'z', '+', '-']) && time(word)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table<'_> {
        match parse(text) {
            Ok(Node::Table(t)) => t,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn reads_every_kind_of_value() {
        let t = table(
            "s = \"a\\tb\\u00e9\\\"\"\nl = 'C:\\x'\nm = \"\"\"\nx\\\n   y\"\"\"\nml = '''\nraw\\n'''\ni = +1_000\nh = 0xff\nb = 0b11\nf = -1.5e3\n\
             t = true\nd = 1979-05-27T07:32:00Z\nd2 = 1979-05-27 07:32:00\na = [1, [2, \"x\"], ] # c\nit = { a.b = 1, c = [] }\ntab = \"a\tb\"\n",
        );
        assert_eq!(t.get("s"), Some(&Node::Text("a\tbé\"".into())));
        assert_eq!(t.get("l"), Some(&Node::Text("C:\\x".into())));
        assert_eq!(t.get("m"), Some(&Node::Text("xy".into())));
        assert_eq!(t.get("ml"), Some(&Node::Text("raw\\n".into())));
        assert_eq!(
            (t.get("i"), t.get("h"), t.get("b")),
            (Some(&Node::Integer(1000)), Some(&Node::Integer(255)), Some(&Node::Integer(3)))
        );
        assert_eq!(t.get("f"), Some(&Node::Float));
        assert_eq!(t.get("tab"), Some(&Node::Text("a\tb".into())), "a literal tab is allowed in a string");
        assert_eq!(t.get("t"), Some(&Node::Bool(true)));
        assert_eq!(t.get("d"), Some(&Node::Text("1979-05-27T07:32:00Z".into())));
        assert_eq!(t.get("d2"), Some(&Node::Text("1979-05-27 07:32:00".into())));
        assert!(matches!(t.get("a"), Some(Node::List(items)) if items.len() == 2));
        assert!(matches!(t.get("it"), Some(Node::Table(it)) if it.get("a").is_some() && it.get("c").is_some()));
    }

    #[test]
    fn tables_follow_the_rules_of_definition() {
        let t = table("[a.b]\nx = 1\n[a]\ny = 2\n[[c]]\n[c.d]\nz = 3\n[[c]]\n");
        assert!(matches!(t.get("c"), Some(Node::List(items)) if items.len() == 2));
        for bad in [
            "[a]\n[a]\n",
            "a = 1\n[a]\n",
            "[a]\nb.c = 1\n[a.b]\n",
            "a = 1\na = 2\n",
            "a.b = 1\na = 2\n",
            "[[a]]\n[a]\n",
            "a = {b = 1, b = 2}\n",
            "x = [1,,2]\n",
            "x = 01\n",
            "x = 1__0\n",
            "x = \"\\q\"\n",
            "x = 'a\u{1}'\n",
            "x = \"\u{7f}\"\n",
            "x = 1 y = 2\n",
            "[a\n",
            "x = 9223372036854775808\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn integers_span_the_whole_i64_range_and_no_more() {
        let t = table("min = -9_223_372_036_854_775_808\nmax = 9223372036854775807\nhex = 0x7FFF_ffff_FFFF_FFFF\nz = -0\no = 0o777\n");
        let got = ["min", "max", "hex", "z", "o"].map(|k| t.get(k).cloned());
        let want = [i64::MIN, i64::MAX, i64::MAX, 0, 0o777].map(|n| Some(Node::Integer(n)));
        assert_eq!(got, want);
        for bad in ["x = -9223372036854775809\n", "x = 0x8000000000000000\n", "x = 0b2\n", "x = 0x-1\n", "x = +0x1\n"] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn errors_say_where() {
        let at = |text: &str| parse(text).map(|_| ()).map_err(|e| (e.line, e.column)).unwrap_err();
        assert_eq!(at("[[environments]]\nname = \"prod\nkind = \"prod\"\n"), (2, 13));
        assert_eq!(at("[[environments]]\nname \"prod\"\n"), (2, 6));
        assert_eq!(at("[[environments]\nname = \"prod\"\n"), (1, 16));
        assert_eq!(at("[[environments]]\nname = \"prod\"\nname = \"dev\"\n"), (3, 1));
        assert_eq!(at("[[environments]]\nname = prod\n"), (2, 8));
        assert_eq!(at("[aws]\n[aws]\n"), (2, 1));
        assert_eq!(at("[[environments]]\nname = \"prod\" x\n"), (2, 15));
        assert_eq!(at("[[environments]]\nname = \"pr\\qod\"\n"), (2, 12));
        // Columns count characters, not bytes: 'é' is two bytes, '🚀' four.
        assert_eq!(at("[[environments]]\nname = \"é🚀\" x\n"), (2, 13));
    }

    #[test]
    fn nesting_is_limited_every_way() {
        let deep = |unit: &str, n: usize, tail: &str| format!("{}{tail}", unit.repeat(n));
        for text in [
            format!("[{}k]\n", "k.".repeat(20_000)),
            format!("{}k = 1\n", "k.".repeat(20_000)),
            deep("x = ", 1, &"[".repeat(20_000)),
            deep("x = ", 1, &"{a = ".repeat(20_000)),
        ] {
            let error = parse(&text).unwrap_err();
            assert!(error.message.contains("nested more than"), "{}", error.message);
        }
        assert!(parse(&format!("x = {}{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1))).is_ok());
    }

    /// The reader redline used before (`basic-toml`) and this one agree on every text they both
    /// read, and refuse the same broken ones: the fixture tables' configurations, the seed, a
    /// 5,000-profile text and forms of TOML written by hand.
    #[test]
    fn agrees_with_basic_toml() {
        #[derive(serde::Deserialize)]
        struct Cases {
            cases: Vec<Case>,
        }
        #[derive(serde::Deserialize)]
        struct Case {
            text: String,
        }
        let invalid: Cases = serde_json::from_str(include_str!("../../tests/fixtures/config/invalid.json")).unwrap();
        let mut texts: Vec<String> = invalid.cases.into_iter().map(|c| c.text).collect();
        texts.push(crate::SEED_TEXT.to_owned());
        let mut big = crate::SEED_TEXT.to_owned();
        for i in 0..5_000u64 {
            let id = 100_000_000_000 + i;
            big.push_str(&format!(
                "\n[[aws.accounts]]\nid = \"{id}\"\nenvironment = \"dev\"\n[[targets]]\nprovider = \"aws\"\n"
            ));
        }
        texts.push(big);
        for text in [
            r#"a = """
one
two"""""
b = '''x''''
"#,
            "[x]\n  [x.y]\n  z = [ 1 , 2 , ]\n\"q k\" = 'v'\n",
            "a = { }\nb = {x=1,y={z=[]}}\n",
            "x = -0\ny = +0.0\nz = 1e-7\nw = 0o17\n",
            "x = 'unterminated\n",
            "[a]\n[b]\n[a.c]\n",
            "t = [ [ 1 ], [ 'a' ] ]\n",
            "k = 1 # comment\r\nm = 2\r\n",
            "x = \"\"\"a\\\n   b\"\"\"\n",
            "= 1\n",
            "x.y = 1\nx.z = 2\n",
            "[[a.b]]\n[a]\nc = 1\n",
        ] {
            texts.push(text.to_owned());
        }
        for text in &texts {
            let ours = parse(text);
            // basic-toml has no depth limit: on those texts it would overflow the test's stack.
            if ours.as_ref().is_err_and(|e| e.message.contains("nested more than")) {
                continue;
            }
            let theirs: Result<Node, _> = basic_toml::from_str(text);
            match (&theirs, &ours) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text:?}: basic-toml {:?}, redline {:?}", theirs.map(|_| ()), ours.map(|_| ())),
            }
        }
    }
}
