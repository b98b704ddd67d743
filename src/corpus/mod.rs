//! Stage 1: corpus. Reads documents from `.txt` files, `.jsonl` files, directories and stdin.
//!
//! A problem with one document (not UTF-8, empty, a line that is not JSON or lacks `text`) is
//! reported as an [`InputError`] naming the file and line; the other documents are still read.

pub mod html;
pub mod warc;

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
    /// Where it was read from: a path, with `:LINE` for JSON Lines (`:RECORD-ID` for WARC).
    pub source: String,
    /// For a page of a WARC archive: the archive and the record id (`FILE RECORD-ID`), kept
    /// with the document so that a user can go back to the capture.
    pub record: Option<String>,
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

/// How inputs are read: which fields of a JSON Lines record hold the id and the text, when
/// they are not vnkg's own (`id`, `text`) or a news scraper's (news-please's `maintext`,
/// trafilatura's `text`), and the largest page read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// The field of the id (`--id-field`).
    pub id: Option<String>,
    /// The field of the text (`--text-field`).
    pub text: Option<String>,
    /// The largest HTML page read, in bytes (larger: refused); `None`: any.
    pub max_page_bytes: Option<usize>,
}

/// The id of a page from its URL: host and path, without scheme, query, fragment or a file
/// extension (`https://baoyte.vn/tin/hop-123.html?x=1` -> `baoyte.vn/tin/hop-123`).
pub fn id_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return None;
    }
    let cut = match rest.rsplit_once('/') {
        Some((_, last)) => match last.rsplit_once('.') {
            Some((stem, ext))
                if !stem.is_empty()
                    && matches!(
                        ext.to_ascii_lowercase().as_str(),
                        "html" | "htm" | "shtml" | "php" | "asp" | "aspx" | "jsp" | "cms"
                    ) =>
            {
                rest.len() - ext.len() - 1
            }
            _ => rest.len(),
        },
        None => rest.len(),
    };
    Some(rest[..cut].to_string())
}

/// A date as vnkg keeps it: the `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) a date or date-time
/// string starts with (`2024-03-05T08:00:00+07:00`, `2024-03-05 08:00:00`).
pub fn normalise_date(d: &str) -> Option<String> {
    let d = d.trim();
    for len in [10, 7, 4] {
        let Some(head) = d.get(..len) else {
            continue;
        };
        let next = d[len..].chars().next();
        let ok = head.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
        if ok && !next.is_some_and(|c| c.is_ascii_digit() || c == '-') {
            return Some(head.to_string());
        }
    }
    None
}

/// The article of an HTML page's bytes, or what is wrong with it.
pub fn page(bytes: &[u8], max: Option<usize>) -> Result<html::Page, String> {
    page_with(bytes, max, None)
}

/// [`page`], with the charset of the HTTP response that carried it.
pub fn page_with(
    bytes: &[u8],
    max: Option<usize>,
    transport: Option<&str>,
) -> Result<html::Page, String> {
    if let Some(max) = max.filter(|&m| bytes.len() > m) {
        return Err(format!(
            "page of {:.1} MB exceeds the limit of {:.1} MB (--max-doc-bytes)",
            bytes.len() as f64 / 1e6,
            max as f64 / 1e6
        ));
    }
    let text = html::decode_with(bytes, transport)?;
    html::read(&text)
}

/// A record's field as a string (numbers written out).
fn string_field(rec: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    match rec.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `keys` that the record has as a non-empty string.
fn first_field(rec: &serde_json::Map<String, serde_json::Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|k| string_field(rec, k))
        .find(|v| !v.trim().is_empty())
}

/// Reads every input. Returns the documents and the problems, in input order.
pub fn read_inputs(inputs: &[PathBuf]) -> (Vec<Document>, Vec<InputError>) {
    let (docs, errors, _) = read_inputs_with(inputs, &Fields::default());
    (docs, errors)
}

/// [`read_inputs`], read as `fields` says; also returns notes for the user (what a WARC
/// archive held beyond its pages).
pub fn read_inputs_with(
    inputs: &[PathBuf],
    fields: &Fields,
) -> (Vec<Document>, Vec<InputError>, Vec<String>) {
    let mut notes = Vec::new();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            read_jsonl(std::io::stdin().lock(), "-", fields, &mut docs, &mut errors);
        } else if input.is_dir() {
            let mut files = Vec::new();
            collect_dir(input, &mut files, &mut errors);
            files.sort();
            for f in files {
                read_file(&f, fields, &mut docs, &mut errors, &mut notes);
            }
        } else if input.exists() {
            read_file(input, fields, &mut docs, &mut errors, &mut notes);
        } else {
            errors.push(InputError {
                path: input.display().to_string(),
                line: None,
                message: "no such file or directory".into(),
            });
        }
    }
    (docs, errors, notes)
}

/// True for the name of a WARC archive.
fn is_warc(p: &Path) -> bool {
    let n = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    n.ends_with(".warc") || n.ends_with(".warc.gz")
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
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("txt" | "jsonl" | "html" | "htm")
        ) || is_warc(&p)
        {
            files.push(p);
        }
    }
}

fn read_file(
    path: &Path,
    fields: &Fields,
    docs: &mut Vec<Document>,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<String>,
) {
    let shown = path.display().to_string();
    if is_warc(path) {
        let (pages, skipped) = warc::read(path, fields, docs, errors);
        let also = skipped.summary();
        notes.push(format!(
            "{shown}: {pages} page{} read{}",
            if pages == 1 { "" } else { "s" },
            if also.is_empty() {
                String::new()
            } else {
                format!("; records skipped: {also}")
            }
        ));
        return;
    }
    let err = |line: Option<usize>, message: String| InputError {
        path: shown.clone(),
        line,
        message,
    };
    if path.extension().and_then(|e| e.to_str()) == Some("jsonl") {
        match std::fs::File::open(path) {
            Ok(f) => read_jsonl(BufReader::new(f), &shown, fields, docs, errors),
            Err(e) => errors.push(err(None, format!("cannot open: {e}"))),
        }
        return;
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
        errors.push(err(None, format!("cannot read: {e}")));
        return;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("html" | "htm")) {
        match page(&bytes, fields.max_page_bytes) {
            Ok(p) => {
                let id = p.url.as_deref().and_then(id_from_url).unwrap_or_else(|| {
                    path.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| shown.clone())
                });
                docs.push(Document {
                    id,
                    text: p.text,
                    url: p.url,
                    date: p.date,
                    title: p.title,
                    source: shown,
                    record: None,
                });
            }
            Err(m) => errors.push(err(None, m)),
        }
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
        record: None,
    });
}

/// Reads JSON Lines: one record per line. The text is `text`, else news-please's `maintext`
/// (or `fields.text`); the id is `id` (or `fields.id`), else made from the record's `url` (or
/// trafilatura's `source`), else news-please's `filename`; `url`, `date` (or `date_publish`,
/// `datePublished`, cut to the day) and `title` (or `headline`) are optional. Blank lines are
/// skipped.
pub fn read_jsonl(
    reader: impl BufRead,
    path: &str,
    fields: &Fields,
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
        let rec: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(no, format!("not a JSON object: {e}")));
                continue;
            }
        };
        let text = match &fields.text {
            Some(f) => match string_field(&rec, f) {
                Some(t) => t,
                None => {
                    errors.push(err(no, format!("no {f:?} field (--text-field)")));
                    continue;
                }
            },
            None => match first_field(&rec, &["text", "maintext"]) {
                Some(t) => t,
                None if rec.contains_key("text") || rec.contains_key("maintext") => {
                    errors.push(err(no, "empty \"text\"".into()));
                    continue;
                }
                None => {
                    errors.push(err(no, "no \"text\" field".into()));
                    continue;
                }
            },
        };
        if text.trim().is_empty() {
            errors.push(err(no, "empty \"text\"".into()));
            continue;
        }
        let url = first_field(&rec, &["url", "source"]).filter(|u| u.contains("://"));
        let id_key = fields.id.as_deref().unwrap_or("id");
        let id = match rec.get(id_key) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::Null) | None => {
                let made = url.as_deref().and_then(id_from_url).or_else(|| {
                    first_field(&rec, &["filename"]).map(|f| {
                        Path::new(&f)
                            .file_stem()
                            .map_or(f.clone(), |s| s.to_string_lossy().into_owned())
                    })
                });
                match (made, &fields.id) {
                    (Some(m), None) => m,
                    (_, Some(f)) => {
                        errors.push(err(no, format!("no {f:?} field (--id-field)")));
                        continue;
                    }
                    (None, None) => {
                        errors.push(err(
                            no,
                            "no \"id\" field (and no \"url\" to make one from)".into(),
                        ));
                        continue;
                    }
                }
            }
            Some(_) => {
                errors.push(err(no, format!("{id_key:?} is not a string or number")));
                continue;
            }
        };
        docs.push(Document {
            id,
            text,
            url,
            date: first_field(&rec, &["date", "date_publish", "datePublished"])
                .map(|d| normalise_date(&d).unwrap_or(d)),
            title: first_field(&rec, &["title", "headline"]),
            source: format!("{path}:{no}"),
            record: None,
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
        read_jsonl(
            input.as_bytes(),
            "in.jsonl",
            &Fields::default(),
            &mut docs,
            &mut errors,
        );
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

    #[test]
    fn news_scrapers_records_are_read_with_their_own_fields() {
        // news-please: maintext, date_publish, url, no id
        let np = r#"{"title": "Sở Y tế họp", "maintext": "Sáng 5/3, Sở Y tế tỉnh Nam Định họp.", "date_publish": "2024-03-05 08:15:00", "url": "https://baonamdinh.vn/y-te/so-y-te-hop-1234.html?utm=x", "authors": ["Minh An"]}"#;
        // trafilatura: text, date, source as the URL
        let tr = r#"{"title": "Bộ Y tế làm việc", "text": "Chiều 6/3, Bộ Y tế làm việc với tỉnh Lào Cai.", "date": "2024-03-06", "source": "https://example.org/bo-y-te/"}"#;
        // anything else, with --id-field and --text-field
        let other = r#"{"ma": 77, "noi_dung": "Ngày 7/3, UBND tỉnh Yên Bái họp."}"#;
        let (mut docs, mut errors) = (Vec::new(), Vec::new());
        let input = format!("{np}\n{tr}\n");
        read_jsonl(
            input.as_bytes(),
            "s.jsonl",
            &Fields::default(),
            &mut docs,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(docs[0].id, "baonamdinh.vn/y-te/so-y-te-hop-1234");
        assert_eq!(docs[0].date.as_deref(), Some("2024-03-05"));
        assert_eq!(docs[0].text, "Sáng 5/3, Sở Y tế tỉnh Nam Định họp.");
        assert_eq!(docs[1].id, "example.org/bo-y-te");
        assert_eq!(docs[1].url.as_deref(), Some("https://example.org/bo-y-te/"));
        let fields = Fields {
            id: Some("ma".into()),
            text: Some("noi_dung".into()),
            max_page_bytes: None,
        };
        let input = format!("{other}\n{np}\n");
        let (mut docs, mut errors) = (Vec::new(), Vec::new());
        read_jsonl(input.as_bytes(), "s.jsonl", &fields, &mut docs, &mut errors);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "77");
        assert_eq!(
            errors[0].to_string(),
            "s.jsonl:2: no \"noi_dung\" field (--text-field)"
        );
    }

    #[test]
    fn dates_and_urls_are_cut_to_what_vnkg_keeps() {
        assert_eq!(
            normalise_date("2024-03-05T08:00:00+07:00").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(normalise_date("2024-03").as_deref(), Some("2024-03"));
        assert_eq!(normalise_date("05/03/2024"), None);
        assert_eq!(normalise_date("20240305"), None);
        assert_eq!(id_from_url("https://a.vn/").as_deref(), Some("a.vn"));
        assert_eq!(
            id_from_url("http://a.vn/x/y.v1#top").as_deref(),
            Some("a.vn/x/y.v1")
        );
        assert_eq!(
            id_from_url("https://a.vn/tin.htm").as_deref(),
            Some("a.vn/tin")
        );
        assert_eq!(id_from_url("https://"), None);
    }
}
