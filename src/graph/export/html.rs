//! One self-contained HTML file: the viewer of [`crate::graph::assets`] and the Cytoscape.js
//! JSON of the projection, all inlined; it opens from disk with no network.

use super::cytoscape;
use crate::graph::assets::{VIEWER_CSS, VIEWER_JS};
use crate::graph::Projection;
use std::io::Write;

/// JSON made safe inside a `<script>` element: every `<` (only ever inside a string) written
/// `\u003c`, so no `</script>` or `<!--` can end or confuse it.
pub fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

/// Writes the HTML view of the projection, titled `title`.
pub fn html(p: &Projection, title: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let data = script_json(&cytoscape(p));
    let options = script_json(&serde_json::json!({ "title": title }));
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vnkg graph">
<title>{}</title>
<style>
{VIEWER_CSS}
</style>
</head>
<body class="vnkg-page">
<div id="vnkg-graph"></div>
<script>
{VIEWER_JS}
</script>
<script id="vnkg-data" type="application/json">{data}</script>
<script>
vnkgGraph(document.getElementById("vnkg-graph"), JSON.parse(document.getElementById("vnkg-data").textContent), {options});
</script>
</body>
</html>
"#,
        super::xml_escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::script_json;

    #[test]
    fn script_json_cannot_close_its_element() {
        let v = serde_json::json!({"label": "</script><!-- x"});
        let s = script_json(&v);
        assert!(!s.contains("</") && !s.contains("<!--"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
