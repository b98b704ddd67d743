//! A dictionary of phrases over token keys, matched longest first (as in lindera or vaporetto:
//! the dictionary drives the segmentation, not a hand-written pattern per entry).

use super::{phrase_keys, Token};
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
struct Node {
    children: HashMap<String, u32>,
    value: Option<u32>,
}

/// A trie of phrases, each a sequence of token keys ([`super::fold`]ed), with a value per phrase.
#[derive(Debug, Clone)]
pub struct Lexicon<T> {
    nodes: Vec<Node>,
    values: Vec<T>,
}

impl<T> Default for Lexicon<T> {
    fn default() -> Self {
        Lexicon {
            nodes: vec![Node::default()],
            values: Vec::new(),
        }
    }
}

impl<T> Lexicon<T> {
    /// An empty lexicon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `phrase` (tokenised and folded like document text). An existing phrase keeps its
    /// first value. Returns false for a phrase with no tokens.
    pub fn insert(&mut self, phrase: &str, value: T) -> bool {
        let keys = phrase_keys(phrase);
        if keys.is_empty() {
            return false;
        }
        let mut node = 0usize;
        for k in keys {
            node = match self.nodes[node].children.get(&k) {
                Some(&n) => n as usize,
                None => {
                    self.nodes.push(Node::default());
                    let n = self.nodes.len() - 1;
                    self.nodes[node].children.insert(k, n as u32);
                    n
                }
            };
        }
        if self.nodes[node].value.is_none() {
            self.values.push(value);
            self.nodes[node].value = Some((self.values.len() - 1) as u32);
        }
        true
    }

    /// The longest phrase starting at `tokens[at]`: its length in tokens and its value.
    pub fn longest(&self, tokens: &[Token], at: usize) -> Option<(usize, &T)> {
        let mut node = 0usize;
        let mut best = None;
        for (len, t) in tokens[at.min(tokens.len())..].iter().enumerate() {
            match self.nodes[node].children.get(&t.key) {
                Some(&n) => node = n as usize,
                None => break,
            }
            if let Some(v) = self.nodes[node].value {
                best = Some((len + 1, &self.values[v as usize]));
            }
        }
        best
    }

    /// The value of exactly this phrase.
    pub fn get(&self, phrase: &str) -> Option<&T> {
        let mut node = 0usize;
        for k in phrase_keys(phrase) {
            node = *self.nodes[node].children.get(&k)? as usize;
        }
        self.nodes[node].value.map(|v| &self.values[v as usize])
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when no phrase was added.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::prepare;

    #[test]
    fn longest_match_wins_and_folds() {
        let mut lex = Lexicon::new();
        lex.insert("Sở", 1);
        lex.insert("Sở Y tế", 2);
        let p = prepare("Giám đốc sở y tế Hà Giang");
        assert_eq!(lex.longest(&p.tokens, 2), Some((3, &2)));
        assert_eq!(lex.longest(&p.tokens, 0), None);
        assert_eq!(lex.get("SỞ Y TẾ"), Some(&2));
    }
}
