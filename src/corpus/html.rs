//! HTML pages: the article's text and metadata, found in a saved page.
//!
//! The main text is found by `dom_smoothie` (a port of Mozilla's readability.js, the
//! algorithm of Firefox's reader view): menus, breadcrumbs, share bars, "related" lists,
//! comments and footers are left out. The text is rebuilt from the article's blocks: a
//! paragraph, heading, list item, table row or `<figcaption>` is a line of its own (a caption
//! stays a line apart, as the extractor expects a caption), `<br>` breaks a line, cells of a
//! row are joined with ` | `, and entities are decoded. The headline is the first line.
//! Metadata, most trusted first: JSON-LD `NewsArticle` (`headline`, `datePublished`, `url`),
//! OpenGraph (`og:title`, `og:url`) and `article:published_time`, then readability's title
//! (`<title>` without the site's name); the URL of `<link rel=canonical>` first.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};

/// What a page says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The article's text: the headline, then one line per block.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// The publication date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
}

/// The text of bytes that claim to be HTML: the charset of a byte-order mark, else of a
/// `<meta charset>` or `http-equiv` tag in the first 4 KB, else UTF-8. A page in an
/// undeclared legacy encoding is refused rather than read wrong.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    decode_with(bytes, None)
}

/// [`decode`], with the charset of the HTTP `Content-Type` (a WARC record's), which comes
/// after a byte-order mark and before the page's own declaration.
pub fn decode_with(bytes: &[u8], transport: Option<&str>) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!(
                "bytes that are not {} (its byte-order mark says so)",
                enc.name()
            ));
        }
        return Ok(text.into_owned());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = transport
        .map(str::to_string)
        .or_else(|| declared_charset(&head));
    let enc = match &declared {
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes())
            .ok_or_else(|| format!("the page declares charset {label:?}, which is unknown"))?,
        None => encoding_rs::UTF_8,
    };
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return Err(match declared {
            Some(label) => format!("bytes that are not {label}, the charset the page declares"),
            None => "not UTF-8, and the page declares no charset (<meta charset=...>)".into(),
        });
    }
    Ok(text.into_owned())
}

/// The charset a page's head declares, lower-cased.
fn declared_charset(head: &str) -> Option<String> {
    let at = head.find("charset")?;
    let rest = head[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!label.is_empty()).then_some(label)
}

const NO_ARTICLE: &str =
    "no article text in the page (an index page, an error page, or only scripts)";

/// The article of a page, or why there is none.
pub fn read(html: &str) -> Result<Page, String> {
    let doc = Document::from(html);
    let meta = metadata(&doc);
    let cfg = Config {
        max_elements_to_parse: 0,
        ..Config::default()
    };
    let mut r = Readability::with_document(
        doc,
        meta.url.as_deref().filter(|u| u.starts_with("http")),
        Some(cfg),
    )
    .map_err(|e| format!("cannot read the page: {e}"))?;
    let article = r.parse().map_err(|_| NO_ARTICLE.to_string())?;
    let content = Document::from(article.content.as_ref());
    // an index page: what readability keeps is mostly the text of links
    let count = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
    let all = count(&content.root().text());
    let linked = count(&content.select("a").text());
    if all == 0 || linked * 2 > all {
        return Err(NO_ARTICLE.into());
    }
    let mut lines = Vec::new();
    let title = meta
        .title
        .clone()
        .or_else(|| Some(article.title.trim().to_string()).filter(|t| !t.is_empty()));
    if let Some(t) = &title {
        lines.push(t.clone());
    }
    let mut line = String::new();
    blocks(&content.root(), &mut line, &mut lines);
    flush(&mut line, &mut lines);
    // the headline again as the article's first block
    if lines.len() > 1 && title.as_deref().is_some_and(|t| same_text(t, &lines[1])) {
        lines.remove(1);
    }
    if lines
        .iter()
        .skip(usize::from(title.is_some()))
        .all(|l| l.trim().is_empty())
    {
        return Err(NO_ARTICLE.into());
    }
    let date = meta.date.or_else(|| {
        article
            .published_time
            .as_deref()
            .and_then(super::normalise_date)
    });
    Ok(Page {
        text: lines.join("\n"),
        title,
        date,
        url: meta.url,
    })
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    norm(a) == norm(b)
}

/// Metadata of the page itself, before readability cleans it.
#[derive(Default)]
struct Meta {
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
}

fn metadata(doc: &Document) -> Meta {
    let mut m = Meta::default();
    // JSON-LD: a NewsArticle (or Article, ReportageNewsArticle...), also inside @graph or a list
    for script in doc.select(r#"script[type="application/ld+json"]"#).nodes() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&script.text()) else {
            continue;
        };
        let mut items = vec![&v];
        let mut articles = Vec::new();
        while let Some(x) = items.pop() {
            match x {
                serde_json::Value::Array(a) => items.extend(a),
                serde_json::Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        items.push(g);
                    }
                    let ty = o.get("@type").map(|t| t.to_string()).unwrap_or_default();
                    if ty.contains("Article") {
                        articles.push(o);
                    }
                }
                _ => {}
            }
        }
        for o in articles {
            let s = |k: &str| {
                o.get(k)
                    .and_then(|v| v.as_str())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            m.title = m.title.take().or_else(|| s("headline"));
            m.date = m
                .date
                .take()
                .or_else(|| s("datePublished").and_then(|d| super::normalise_date(&d)));
            m.url = m
                .url
                .take()
                .or_else(|| s("url").filter(|u| u.starts_with("http")));
        }
    }
    let attr = |sel: &str, a: &str| {
        doc.select(sel).nodes().iter().find_map(|n| {
            n.attr(a)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        })
    };
    m.title = m
        .title
        .take()
        .or_else(|| attr(r#"meta[property="og:title"]"#, "content"));
    m.date = m.date.take().or_else(|| {
        attr(r#"meta[property="article:published_time"]"#, "content")
            .or_else(|| attr(r#"meta[itemprop="datePublished"]"#, "content"))
            .and_then(|d| super::normalise_date(&d))
    });
    m.url = attr(r#"link[rel="canonical"]"#, "href")
        .filter(|u| u.starts_with("http"))
        .or(m.url.take())
        .or_else(|| {
            attr(r#"meta[property="og:url"]"#, "content").filter(|u| u.starts_with("http"))
        });
    m
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "figure",
    "figcaption",
    "blockquote",
    "pre",
    "address",
    "hr",
];

fn flush(line: &mut String, lines: &mut Vec<String>) {
    let l = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if !l.is_empty() {
        lines.push(l);
    }
    line.clear();
}

/// Walks the cleaned article: text runs gather into a line, blocks end it.
fn blocks(node: &NodeRef<'_>, line: &mut String, lines: &mut Vec<String>) {
    for child in node.children() {
        if child.is_text() {
            line.push_str(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        match name.as_str() {
            "script" | "style" | "noscript" | "template" | "img" | "svg" | "iframe" => {}
            "br" => flush(line, lines),
            "td" | "th" => {
                if !line.trim().is_empty() {
                    line.push_str(" | ");
                }
                blocks(&child, line, lines);
            }
            n if BLOCKS.contains(&n) => {
                flush(line, lines);
                blocks(&child, line, lines);
                flush(line, lines);
            }
            _ => blocks(&child, line, lines),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_come_from_the_bom_or_the_head_and_an_undeclared_one_is_refused() {
        assert_eq!(
            declared_charset(
                r#"<meta http-equiv="content-type" content="text/html; charset=windows-1258">"#
            )
            .as_deref(),
            Some("windows-1258")
        );
        assert_eq!(
            declared_charset("<meta charset='utf-8'>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(declared_charset("<title>charset</title>"), None);
        let page = "<html><head><meta charset=\"windows-1258\"></head><body><p>Sở Y tế Đắk Lắk</p></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1258.encode(page);
        let back = decode(&bytes).unwrap();
        assert!(back.contains("Đắk") || back.contains("&#"), "{back}");
        let bare = page.replace("<meta charset=\"windows-1258\">", "");
        let (bytes, _, _) = encoding_rs::WINDOWS_1258.encode(&bare);
        assert!(decode(&bytes).unwrap_err().contains("declares no charset"));
        let mut utf16 = vec![0xFE, 0xFF];
        for u in "<p>Bộ Y tế</p>".encode_utf16() {
            utf16.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&utf16).unwrap(), "<p>Bộ Y tế</p>");
    }

    #[test]
    fn blocks_make_lines_and_cells_are_joined() {
        let html = "<html><head><title>Tin</title></head><body><article><h1>Kết quả năm 2024</h1>\
            <p>Sáng 3/1, Sở Tư pháp tỉnh Nam Định tổng kết công tác năm 2024 với nhiều kết quả nổi bật trong lĩnh vực hộ tịch, công chứng và trợ giúp pháp lý cho người dân.</p>\
            <p>Giám đốc Sở Tư pháp cho biết:<br>năm qua đã cấp 12.000 bản sao, chứng thực 45.000 hồ sơ, giải quyết đúng hạn mọi thủ tục hành chính của người dân và doanh nghiệp.</p>\
            <table><tr><th>Lĩnh vực</th><th>Hồ sơ</th></tr><tr><td>Hộ tịch</td><td>8.000</td></tr></table>\
            <ul><li>Công chứng</li><li>Trợ giúp pháp lý</li></ul></article></body></html>";
        let p = read(html).unwrap();
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(
            Some(lines[0]),
            p.title.as_deref(),
            "the headline first: {lines:?}"
        );
        assert!(
            lines.contains(&"Giám đốc Sở Tư pháp cho biết:"),
            "{lines:?}"
        );
        assert!(lines.contains(&"Lĩnh vực | Hồ sơ"), "{lines:?}");
        assert!(lines.contains(&"Hộ tịch | 8.000"), "{lines:?}");
        assert!(lines.contains(&"Trợ giúp pháp lý"), "{lines:?}");
    }
}
