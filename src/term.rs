//! Text for a terminal: ids, names and sentences come from the documents, and a document may
//! hold ANSI escapes, bidirectional overrides or other control characters that would recolour,
//! reorder or hide what a terminal shows. Everything vnkg prints for people (messages, tables,
//! `explain`, `graph path`) goes through [`safe`] or [`SafeWriter`], which write such a
//! character as a visible escape (`\u{1b}`); machine formats (CSV, TSV, JSON, RDF) keep the
//! data as it is.

use std::borrow::Cow;
use std::io::{self, Write};

/// A character a terminal must not receive raw: C0 controls but the line break, DEL, C1
/// controls, and the bidirectional marks, embeddings, overrides and isolates.
fn unsafe_char(c: char, keep_newline: bool) -> bool {
    match c {
        '\n' => !keep_newline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            true
        }
        _ => false,
    }
}

fn escape(s: &str, keep_newline: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c, keep_newline)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c, keep_newline) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every unsafe character, the line break too, written as `\u{...}`: for one cell or
/// one line.
pub fn safe(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Prints `vnkg: MESSAGE` on standard error, the message's unsafe characters escaped (ids and
/// paths in messages come from the input).
pub fn warn(message: &dyn std::fmt::Display) {
    eprintln!("vnkg: {}", safe(&message.to_string()));
}

/// A writer that escapes unsafe characters (as [`safe`], line breaks kept) in the text that
/// goes through it. Bytes that are not UTF-8 are written as U+FFFD.
pub struct SafeWriter<W: Write> {
    inner: W,
    /// The start of a character cut by the end of the last write.
    carry: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            carry: Vec::new(),
        }
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(buf);
        let mut rest: &[u8] = &bytes;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.inner.write_all(escape(s, true).as_bytes())?;
                    rest = &[];
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // valid up to here by the check above
                    let s = std::str::from_utf8(good).unwrap_or_default();
                    self.inner.write_all(escape(s, true).as_bytes())?;
                    match e.error_len() {
                        // a character cut at the end: wait for the rest of it
                        None => {
                            self.carry = bad.to_vec();
                            rest = &[];
                        }
                        Some(n) => {
                            self.inner.write_all("\u{fffd}".as_bytes())?;
                            rest = &bad[n..];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.carry.is_empty() {
            self.carry.clear();
            self.inner.write_all("\u{fffd}".as_bytes())?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_overrides_are_shown_escaped() {
        assert_eq!(safe("Sở Y tế"), "Sở Y tế");
        assert!(matches!(safe("Sở Y tế"), Cow::Borrowed(_)));
        assert_eq!(safe("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(safe("x\u{202e}y\nz"), "x\\u{202e}y\\u{a}z");
    }

    #[test]
    fn the_writer_keeps_line_breaks_and_characters_cut_between_writes() {
        let mut w = SafeWriter::new(Vec::new());
        let text = "Đỗ\u{1b}]0;x\u{7}\nHà\u{2066}Nội\n".as_bytes();
        // every cut, inside characters too
        for chunk in text.chunks(1) {
            w.write_all(chunk).unwrap();
        }
        w.write_all(&[0xff, b'!']).unwrap();
        w.flush().unwrap();
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "Đỗ\\u{1b}]0;x\\u{7}\nHà\\u{2066}Nội\n\u{fffd}!"
        );
    }
}
