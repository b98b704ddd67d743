//! Stage 1: corpus. Reads documents from `.txt` files, `.jsonl` files, directories and stdin.
//!
//! A problem with one document (not UTF-8, empty, a line that is not JSON or lacks `text`) is
//! reported as an [`InputError`] naming the file and line; the other documents are still read.

use serde::Deserialize;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Identifier: a `.txt` file's name without its extension, a JSON record's `id`.
    pub id: String,
    /// The text as read (not yet normalised).
    pub text: String,
    /// Where it was published.
    pub url: Option<String>,
    /// Publication date (`YYYY-MM-DD` or `YYYY-MM`), from the record.
    pub date: Option<String>,
    /// Headline, from the record.
    pub title: Option<String>,
    /// Where it was read from: a path, with `:LINE` for JSON Lines.
    pub source: String,
}

/// A document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file (or `-` for stdin).
    pub path: String,
    /// The line, for JSON Lines input.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path, l, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

#[derive(Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    text: Option<String>,
    url: Option<String>,
    date: Option<String>,
    title: Option<String>,
}

/// Reads every input. Returns the documents and the problems, in input order.
pub fn read_inputs(inputs: &[PathBuf]) -> (Vec<Document>, Vec<InputError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            read_jsonl(std::io::stdin().lock(), "-", &mut docs, &mut errors);
        } else if input.is_dir() {
            let mut files = Vec::new();
            collect_dir(input, &mut files, &mut errors);
            files.sort();
            for f in files {
                read_file(&f, &mut docs, &mut errors);
            }
        } else if input.exists() {
            read_file(input, &mut docs, &mut errors);
        } else {
            errors.push(InputError {
                path: input.display().to_string(),
                line: None,
                message: "no such file or directory".into(),
            });
        }
    }
    (docs, errors)
}

fn collect_dir(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError {
                path: dir.display().to_string(),
                line: None,
                message: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_dir(&p, files, errors);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("txt" | "jsonl")
        ) {
            files.push(p);
        }
    }
}

fn read_file(path: &Path, docs: &mut Vec<Document>, errors: &mut Vec<InputError>) {
    let shown = path.display().to_string();
    let err = |line: Option<usize>, message: String| InputError {
        path: shown.clone(),
        line,
        message,
    };
    if path.extension().and_then(|e| e.to_str()) == Some("jsonl") {
        match std::fs::File::open(path) {
            Ok(f) => read_jsonl(BufReader::new(f), &shown, docs, errors),
            Err(e) => errors.push(err(None, format!("cannot open: {e}"))),
        }
        return;
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
        errors.push(err(None, format!("cannot read: {e}")));
        return;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            errors.push(err(
                Some(line),
                format!("not UTF-8 text (invalid byte at offset {at})"),
            ));
            return;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    if text.trim().is_empty() {
        errors.push(err(None, "empty document".into()));
        return;
    }
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    docs.push(Document {
        id,
        text,
        url: None,
        date: None,
        title: None,
        source: shown,
    });
}

/// Reads JSON Lines: one record per line with `id` and `text` (and optional `url`, `date`,
/// `title`). Blank lines are skipped.
pub fn read_jsonl(
    reader: impl BufRead,
    path: &str,
    docs: &mut Vec<Document>,
    errors: &mut Vec<InputError>,
) {
    let err = |line: usize, message: String| InputError {
        path: path.to_string(),
        line: Some(line),
        message,
    };
    for (n, line) in reader.split(b'\n').enumerate() {
        let no = n + 1;
        let bytes = match line {
            Ok(b) => b,
            Err(e) => {
                errors.push(err(no, format!("cannot read: {e}")));
                break;
            }
        };
        let line = match std::str::from_utf8(&bytes) {
            Ok(l) => l.trim(),
            Err(e) => {
                errors.push(err(
                    no,
                    format!(
                        "not UTF-8 text (invalid byte at column {})",
                        e.valid_up_to() + 1
                    ),
                ));
                continue;
            }
        };
        if line.is_empty() {
            continue;
        }
        let rec: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(no, format!("not a JSON object: {e}")));
                continue;
            }
        };
        let Some(text) = rec.text else {
            errors.push(err(no, "no \"text\" field".into()));
            continue;
        };
        if text.trim().is_empty() {
            errors.push(err(no, "empty \"text\"".into()));
            continue;
        }
        let id = match rec.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(_) => {
                errors.push(err(no, "\"id\" is not a string or number".into()));
                continue;
            }
            None => {
                errors.push(err(no, "no \"id\" field".into()));
                continue;
            }
        };
        docs.push(Document {
            id,
            text,
            url: rec.url,
            date: rec.date,
            title: rec.title,
            source: format!("{path}:{no}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_errors_name_the_line_and_keep_the_rest() {
        let input = "{\"id\":\"a\",\"text\":\"Sở Y tế họp.\"}\nnot json\n\n{\"id\":\"c\"}\n{\"id\":7,\"text\":\"Bộ Y tế.\",\"date\":\"2021-03-04\"}\n";
        let (mut docs, mut errors) = (Vec::new(), Vec::new());
        read_jsonl(input.as_bytes(), "in.jsonl", &mut docs, &mut errors);
        assert_eq!(
            docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["a", "7"]
        );
        assert_eq!(docs[1].date.as_deref(), Some("2021-03-04"));
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0]
                .to_string()
                .starts_with("in.jsonl:2: not a JSON object"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1].to_string(), "in.jsonl:4: no \"text\" field");
    }
}
