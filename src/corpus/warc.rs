//! WARC archives (`.warc`, `.warc.gz`), as the Internet Archive, Common Crawl, Heritrix,
//! `wget --warc-file` and Browsertrix write them: every `response` record with status 200 and
//! an HTML payload is one page (see [`super::html`]); the others are counted and skipped.
//! The HTTP body is un-chunked and decompressed (`gzip`, `deflate`) before it is read, and the
//! charset of the HTTP `Content-Type` comes before the page's own declaration.

use super::{id_from_url, normalise_date, Document, Fields, InputError};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use warc::{RecordType, WarcHeader, WarcReader};

/// What an archive held beyond its pages.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Records skipped, by why (`request`, `status 404`, `not HTML`...).
    pub by_reason: BTreeMap<String, usize>,
}

impl Skipped {
    fn add(&mut self, why: impl Into<String>) {
        *self.by_reason.entry(why.into()).or_default() += 1;
    }

    /// `3 request, 1 status 404`, or empty.
    pub fn summary(&self) -> String {
        self.by_reason
            .iter()
            .map(|(w, n)| format!("{n} {w}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads the pages of the archive at `path`: documents into `docs`, each bad record or a
/// truncated archive into `errors` (`file:record N: what`); returns the pages read and what
/// was skipped.
pub fn read(
    path: &Path,
    fields: &Fields,
    docs: &mut Vec<Document>,
    errors: &mut Vec<InputError>,
) -> (usize, Skipped) {
    let shown = path.display().to_string();
    let gz = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".gz"));
    let err = |message: String| InputError {
        path: shown.clone(),
        line: None,
        message,
    };
    let mut skipped = Skipped::default();
    let mut pages = 0;
    let file = match std::fs::File::open(path) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => {
            errors.push(err(format!("cannot open: {e}")));
            return (0, skipped);
        }
    };
    // one gzip member per record, as crawlers write them, or one for all
    let stream: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let records = WarcReader::new(std::io::BufReader::new(stream)).iter_records();
    for (i, rec) in records.enumerate() {
        let n = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(format!(
                    "record {n}: truncated or malformed, the records after it are not read: {e}"
                )));
                break;
            }
        };
        let kind = rec.warc_type().clone();
        if kind != RecordType::Response {
            skipped.add(kind.to_string());
            continue;
        }
        let target = rec
            .header(WarcHeader::TargetURI)
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .unwrap_or_default();
        let at = |m: String| {
            err(format!(
                "record {n} ({}): {m}",
                if target.is_empty() {
                    "no target URI"
                } else {
                    &target
                }
            ))
        };
        let http = match response(rec.body()) {
            Ok(h) => h,
            Err(m) => {
                errors.push(at(m));
                continue;
            }
        };
        if http.status != 200 {
            skipped.add(format!("status {}", http.status));
            continue;
        }
        if !http.content_type.is_empty() && !http.content_type.contains("html") {
            skipped.add("not HTML");
            continue;
        }
        let page =
            match super::page_with(&http.body, fields.max_page_bytes, http.charset.as_deref()) {
                Ok(p) => p,
                Err(m) => {
                    errors.push(at(m));
                    continue;
                }
            };
        let url = page
            .url
            .clone()
            .or_else(|| Some(target.clone()).filter(|t| !t.is_empty()));
        let Some(id) = url.as_deref().and_then(id_from_url) else {
            errors.push(at("no URL to make an id from".into()));
            continue;
        };
        let date = page
            .date
            .clone()
            .or_else(|| normalise_date(&rec.date().to_rfc3339()));
        let record_id = rec.warc_id().trim_matches(['<', '>']).to_string();
        docs.push(Document {
            id,
            text: page.text,
            url,
            date,
            title: page.title,
            source: format!("{shown}:{record_id}"),
            record: Some(format!("{shown} {record_id}")),
        });
        pages += 1;
    }
    (pages, skipped)
}

/// An HTTP response as a WARC record keeps it.
struct Response {
    status: u16,
    /// The `Content-Type` media type, lower-cased (empty: not given).
    content_type: String,
    /// The charset of `Content-Type`, if any.
    charset: Option<String>,
    /// The body, un-chunked and decompressed.
    body: Vec<u8>,
}

fn response(bytes: &[u8]) -> Result<Response, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut r = httparse::Response::new(&mut headers);
    let head = match r.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the HTTP response head is cut off".into()),
        Err(e) => return Err(format!("not an HTTP response: {e}")),
    };
    let status = r.code.unwrap_or(0);
    let get = |name: &str| {
        r.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let ct = get("content-type").unwrap_or_default();
    let content_type = ct.split(';').next().unwrap_or("").trim().to_string();
    let charset = ct
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches(['"', '\'']).to_string())
        .next();
    let mut body = bytes[head..].to_vec();
    if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = unchunk(&body)?;
    }
    match get("content-encoding").as_deref() {
        None | Some("identity") | Some("") => {}
        Some("gzip" | "x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("the gzip body cannot be read: {e}"))?;
            body = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            // zlib-wrapped, as the standard says; some servers send raw deflate
            if flate2::read::ZlibDecoder::new(&body[..])
                .read_to_end(&mut out)
                .is_err()
            {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .read_to_end(&mut out)
                    .map_err(|e| format!("the deflate body cannot be read: {e}"))?;
            }
            body = out;
        }
        Some(other) => {
            return Err(format!(
                "a body in {other:?} encoding, which vnkg cannot read"
            ))
        }
    }
    Ok(Response {
        status,
        content_type,
        charset,
        body,
    })
}

/// The body of a chunked transfer.
fn unchunk(mut b: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let (start, size) = match httparse::parse_chunk_size(b) {
            Ok(httparse::Status::Complete(x)) => x,
            _ => return Err("a chunked body that is cut off or malformed".into()),
        };
        let size = usize::try_from(size).map_err(|_| "a chunk too large".to_string())?;
        if size == 0 {
            return Ok(out);
        }
        let end = start
            .checked_add(size)
            .filter(|&e| e <= b.len())
            .ok_or("a chunked body that is cut off")?;
        out.extend_from_slice(&b[start..end]);
        b = &b[end..];
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_bodies_are_unchunked_and_decompressed() {
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>Bo\r\n4\r\n Y t\r\n0\r\n\r\n";
        let r = response(chunked).unwrap();
        assert_eq!(r.body, b"<p>Bo Y t");
        assert_eq!((r.status, r.content_type.as_str()), (200, "text/html"));
        assert_eq!(r.charset.as_deref(), Some("utf-8"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, "<p>Sở Y tế</p>".as_bytes()).unwrap();
        let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        bytes.extend(gz.finish().unwrap());
        assert_eq!(response(&bytes).unwrap().body, "<p>Sở Y tế</p>".as_bytes());
        assert!(
            response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nab").is_err()
        );
        assert!(response(b"not http").is_err());
    }
}
