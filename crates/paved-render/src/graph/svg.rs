//! The call graph as an SVG picture (`paved graph --format svg`, `paved report`),
//! laid out and drawn by the `layout-rs` crate, with two corrections to its SVG
//! writer: the order of its style rules, and the size of the picture.

use std::collections::BTreeMap;

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, RecordDef, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::{GraphApp, Node, build, matrix};

/// The most calls drawn one by one: past it, layout-rs takes seconds (about 2 s for 100
/// calls, 70 s for 400) and no picture of the calls stays readable, so the graph is
/// drawn as a matrix of calls between teams (`matrix.rs`) instead.
const MOST_DRAWN: usize = 120;

/// Past this many calls, layout-rs's crossing reduction is left out: it is most of the
/// time, and a picture this busy gains little from it.
const MOST_OPTIMISED: usize = 60;

/// The graph as an SVG picture, laid out and drawn by the `layout-rs` crate (a
/// Sugiyama layout, as Graphviz's `dot` does), so no Graphviz binary is needed.
///
/// Each team is one box (a record) holding its apps, one row each, so a team
/// reads as a cluster and its apps stay together however many there are;
/// calls run from an app's row to the callee's row, labelled with the port.
/// External hosts and ranges are boxes of their own, apart from every team.
/// Two kinds of edge are written on the app's row instead of drawn: calls
/// within a team (`payments-api (api) → ledger-db:5432`), which would be loops
/// piled on the team's box, and routes from the ingress controller
/// (`payments-api (api) ← ingress:8080`), which would fan out across the whole
/// picture from one node once many apps have an ingress.
///
/// A set with more than [`MOST_DRAWN`] calls between boxes is drawn as a matrix instead.
pub fn svg(apps: &[GraphApp<'_>]) -> String {
    let graph = build(apps);
    let drawn = graph.edges.iter().filter(|(from, to, _, _)| drawn_one_by_one(from, to)).count();
    if drawn > MOST_DRAWN {
        return matrix::svg(&graph);
    }
    let orientation = Orientation::LeftToRight;
    const FONT: usize = 14;
    // layout-rs sizes a label as one font size per character, about 1.7 times what a
    // sans-serif face takes: boxes measured so are mostly empty, and the picture twice
    // as wide as its text. Measured at 10 pixels, they fit their 14-pixel text.
    const MEASURE: usize = 10;
    let style = |line: &str, fill: &str| StyleAttr::new(Color::fast(line), 1, Some(Color::fast(fill)), 6, FONT);
    let element = |shape: ShapeKind, look: StyleAttr| {
        let size = get_shape_size(orientation, &shape, MEASURE, false);
        Element::create(shape, look, orientation, size)
    };
    let mut picture = VisualGraph::new(orientation);
    // Where each node of the graph is drawn: a handle, and a port in a team's box.
    let mut at: BTreeMap<Node, (layout::adt::dag::NodeHandle, Option<String>)> = BTreeMap::new();
    // Calls within one team's box, by caller: `callee:port`, in the edges' order;
    // ingress routes, by app: the port.
    let mut within: BTreeMap<&Node, Vec<String>> = BTreeMap::new();
    let mut ingress: BTreeMap<&Node, String> = BTreeMap::new();
    for (from, to, port, _) in &graph.edges {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        if *from == Node::Ingress {
            ingress.insert(to, port);
        } else if let (Some((team, _)), Some((callee_team, callee))) = (box_of(from), box_of(to)) {
            if team == callee_team {
                within.entry(from).or_default().push(format!("{callee}{port}"));
            }
        }
    }
    let row = |node: &Node, mut text: String| {
        if let Some(port) = ingress.get(node) {
            text.push_str(&format!(" ← ingress{port}"));
        }
        if let Some(callees) = within.get(node) {
            text.push_str(&format!(" → {}", callees.join(", ")));
        }
        text
    };
    for (team, members) in &graph.all_teams() {
        let mut rows = vec![RecordDef::new_text(&format!("team {team}"))];
        let mut ports = Vec::new();
        if graph.whole_teams.contains(team) {
            let node = Node::Team(team.clone());
            rows.push(RecordDef::new_text_with_port(&row(&node, format!("every app of {team}")), "*"));
            ports.push((node, "*".to_owned()));
        }
        for (name, blueprint) in members {
            let node = Node::App { team: team.clone(), name: name.clone() };
            rows.push(RecordDef::new_text_with_port(&row(&node, format!("{name} ({blueprint})")), name));
            ports.push((node, name.clone()));
        }
        for (_, name) in graph.outside.iter().filter(|(t, _)| t == team) {
            let node = Node::App { team: team.clone(), name: name.clone() };
            rows.push(RecordDef::new_text_with_port(&row(&node, format!("{name} (not rendered)")), name));
            ports.push((node, name.clone()));
        }
        // An array inside the record runs across the graph's direction: the rows stack.
        let record = ShapeKind::new_record(&RecordDef::Array(vec![RecordDef::Array(rows)]));
        let handle = picture.add_node(element(record, style("#2b6cb0", "#ebf4ff")));
        for (node, port) in ports {
            at.insert(node, (handle, Some(port)));
        }
    }
    for external in &graph.externals {
        let handle = picture.add_node(element(ShapeKind::new_box(external), style("#975a16", "#fffaf0")));
        at.insert(Node::External(external.clone()), (handle, None));
    }
    for (from, to, port, accepted_only) in &graph.edges {
        let (Some((from, from_port)), Some((to, to_port))) = (at.get(from), at.get(to)) else { continue };
        if from == to {
            continue; // within a team: written on the caller's row
        }
        let line = if *accepted_only { LineStyleKind::Dashed } else { LineStyleKind::Normal };
        let label = port.map(|p| p.to_string()).unwrap_or_default();
        let look = StyleAttr::new(Color::fast("#4a5568"), 1, None, 0, FONT);
        let arrow = Arrow::new(LineEndKind::None, LineEndKind::Arrow, line, &label, &look, from_port, to_port);
        picture.add_edge(arrow, *from, *to);
    }
    let mut writer = Bounded { svg: SVGWriter::new(), right: 0.0, bottom: 0.0 };
    if picture.num_nodes() > 0 {
        picture.do_it(false, drawn > MOST_OPTIMISED, false, &mut writer);
    }
    let text = writer.finalize();
    // The XML declaration would be out of place inside an HTML page; the rest is the SVG element.
    let text = text.strip_prefix(r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#).unwrap_or(&text);
    // The writer's fonts are Times; a sans-serif face reads better at small sizes.
    let mut svg = sorted_styles(&text.replace("font-family: Times, serif;", "font-family: sans-serif;"));
    if !svg.ends_with('\n') {
        svg.push('\n');
    }
    svg
}

/// Whether an edge is drawn as an arrow (not written on a row: an ingress route, or a
/// call within a team).
fn drawn_one_by_one(from: &Node, to: &Node) -> bool {
    match (box_of(from), box_of(to)) {
        _ if *from == Node::Ingress => false,
        (Some((team, _)), Some((callee_team, _))) => team != callee_team,
        _ => true,
    }
}

/// The team whose box a node is drawn in, and its name there.
fn box_of(node: &Node) -> Option<(&str, String)> {
    match node {
        Node::App { team, name } => Some((team, name.clone())),
        Node::Team(team) => Some((team, format!("every app of {team}"))),
        Node::Ingress | Node::External(_) => None,
    }
}

/// The writer keeps its font classes in a hash map and prints them in its order, which
/// changes from run to run (the layout adds a second size for its own connectors): sort
/// the lines of the `<style>` block, so the picture is the same bytes on every run.
fn sorted_styles(svg: &str) -> String {
    let Some((head, rest)) = svg.split_once("<style>\n") else { return svg.to_owned() };
    let Some((styles, tail)) = rest.split_once("</style>") else { return svg.to_owned() };
    let mut lines: Vec<&str> = styles.lines().collect();
    lines.sort_unstable();
    let mut out = format!("{head}<style>\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("</style>");
    out.push_str(tail);
    out
}

/// The SVG writer, keeping the true extent of what is drawn: the writer's own grows
/// the picture by ten pixels of height per character of every label (width and height
/// swapped), so a graph with long names gets a tall empty band below it.
struct Bounded {
    svg: SVGWriter,
    right: f64,
    bottom: f64,
}

/// The space left around the drawing, as the writer leaves it.
const MARGIN: f64 = 5.0;

impl Bounded {
    fn grow(&mut self, x: f64, y: f64) {
        self.right = self.right.max(x);
        self.bottom = self.bottom.max(y);
    }

    /// The writer's picture, with its size set to what was drawn.
    fn finalize(&self) -> String {
        let text = self.svg.finalize();
        let Some(start) = text.find("<svg width=\"") else { return text };
        let Some(end) = text[start..].find('>').map(|e| start + e) else { return text };
        let (width, height) = ((self.right + MARGIN).ceil(), (self.bottom + MARGIN).ceil());
        let svg = format!(
            "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\""
        );
        format!("{}{svg}{}", &text[..start], &text[end..])
    }
}

impl RenderBackend for Bounded {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        properties: Option<String>,
        clip: Option<ClipHandle>,
    ) {
        self.grow(xy.x + size.x, xy.y + size.y);
        self.svg.draw_rect(xy, size, look, properties, clip);
    }

    fn draw_line(&mut self, start: Point, stop: Point, look: &StyleAttr, properties: Option<String>) {
        self.grow(start.x.max(stop.x), start.y.max(stop.y));
        self.svg.draw_line(start, stop, look, properties);
    }

    fn draw_circle(&mut self, xy: Point, size: Point, look: &StyleAttr, properties: Option<String>) {
        // `xy` is the centre, `size` the whole ellipse.
        self.grow(xy.x + size.x / 2.0, xy.y + size.y / 2.0);
        self.svg.draw_circle(xy, size, look, properties);
    }

    fn draw_text(&mut self, xy: Point, text: &str, look: &StyleAttr) {
        // Centred on `xy`; a character of a sans-serif face is about 0.6 of the font size wide.
        let half = text.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * look.font_size as f64 * 0.3;
        let lines = text.lines().count().max(1) as f64;
        self.grow(xy.x + half, xy.y + lines * look.font_size as f64);
        self.svg.draw_text(xy, text, look);
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        dashed: bool,
        head: (bool, bool),
        look: &StyleAttr,
        properties: Option<String>,
        text: &str,
    ) {
        for (point, control) in path {
            self.grow(point.x.max(control.x), point.y.max(control.y));
        }
        self.svg.draw_arrow(path, dashed, head, look, properties, text);
    }

    fn create_clip(&mut self, xy: Point, size: Point, rounded_px: usize) -> ClipHandle {
        self.svg.create_clip(xy, size, rounded_px)
    }
}
