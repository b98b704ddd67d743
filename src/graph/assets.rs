//! The interactive viewer, as one JavaScript file and one stylesheet, compiled in. The HTML
//! export inlines them; `vnkg serve` can serve them as they are.
//!
//! `viewer.js` defines one global function, `vnkgGraph(container, data, options)`: `data` is
//! the Cytoscape.js elements JSON of [`crate::graph::cytoscape`]; `options` may give `title`
//! (a heading), `onOpen(iri)` (called when the reader asks to open an entity: serve links it
//! to its entity page), `labelShare` (the share of nodes labelled before zooming in, default
//! 0.12) and `iterations` (layout steps, default by graph size). It draws on a canvas with a
//! force-directed layout of its own (no library, no network): drag nodes, pan by dragging the
//! background, zoom with the wheel, search by name, click a node or an edge for its details,
//! colours by kind with a legend that hides or shows a kind. Once drawn, the container
//! carries `data-vnkg-nodes` and `data-vnkg-edges` with the counts drawn.

/// The viewer's JavaScript.
pub const VIEWER_JS: &str = include_str!("assets/viewer.js");

/// The viewer's stylesheet (its rules are scoped under `.vnkg-graph`).
pub const VIEWER_CSS: &str = include_str!("assets/viewer.css");
