//! FNV-1a: the one hash of the configuration reader's open-addressing tables (a TOML table's keys,
//! the locator's paths, the rules checked for repeats), which need a spread over their slots and
//! no more; one function rather than a hash map type keeps the wasm small.

/// FNV-1a over `bytes`.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Texts numbered in the order they were first added, each found again in constant time.
#[derive(Debug, Default)]
pub struct TextIndex {
    texts: Vec<String>,
    /// Open addressing, kept at most half full: each slot a text's number, `EMPTY` where none is.
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

impl TextIndex {
    /// The number of `text`, if it was added.
    pub fn find(&self, text: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut slot = fnv1a(text.bytes()) as usize & mask;
        loop {
            match self.slots[slot] {
                EMPTY => return None,
                i if self.texts[i as usize] == text => return Some(i as usize),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// The number of `text`, which is added if new; and whether it was new.
    pub fn add(&mut self, text: String) -> (usize, bool) {
        if let Some(i) = self.find(&text) {
            return (i, false);
        }
        let i = self.texts.len();
        self.texts.push(text);
        if self.texts.len() * 2 > self.slots.len() {
            self.slots = vec![EMPTY; (self.texts.len() * 4).next_power_of_two()];
            for j in 0..self.texts.len() {
                self.place(j);
            }
        } else {
            self.place(i);
        }
        (i, true)
    }

    fn place(&mut self, i: usize) {
        let mask = self.slots.len() - 1;
        let mut slot = fnv1a(self.texts[i].bytes()) as usize & mask;
        while self.slots[slot] != EMPTY {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = u32::try_from(i).unwrap_or(EMPTY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_texts_in_the_order_first_added() {
        let mut index = TextIndex::default();
        assert_eq!(index.find("a"), None);
        let names: Vec<String> = (0..1000).map(|i| format!("aws.accounts[{i}]")).collect();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.add(name.clone()), (i, true));
        }
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.add(name.clone()), (i, false));
            assert_eq!(index.find(name), Some(i));
        }
        assert_eq!(index.find("aws.accounts[1000]"), None);
    }
}
