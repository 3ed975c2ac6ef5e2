//! The call graph of a set of apps, as Mermaid, Graphviz DOT or an SVG picture.
//!
//! Nodes are the apps (grouped by team), apps they call outside the set,
//! external hosts and address ranges, and the ingress controller; edges are
//! `calls` (labelled with the port when known) and ingress routes. Output is
//! sorted, so the same apps always give the same text.

use std::collections::{BTreeMap, BTreeSet};

use paved_spec::app::AppFile;
use paved_spec::syntax::{self, Call, Caller};

mod matrix;
mod svg;
pub use svg::svg;

/// One app of the graph: its file settings and its blueprint's name.
#[derive(Debug, Clone, Copy)]
pub struct GraphApp<'a> {
    /// The app file as written.
    pub app: &'a AppFile,
    /// The blueprint's name (`api`, `worker`, ...), shown on the node.
    pub blueprint: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Ingress,
    App {
        team: String,
        name: String,
    },
    /// Every app of a team (`team/*` in `calledBy`).
    Team(String),
    External(String),
}

struct Graph {
    /// Apps of the set, by team, with their blueprint.
    teams: BTreeMap<String, BTreeMap<String, String>>,
    /// Apps called but not in the set.
    outside: BTreeSet<(String, String)>,
    externals: BTreeSet<String>,
    has_ingress: bool,
    /// `(from, to, port, accepted only)`: the last is set for callers outside
    /// the set that the callee accepts (`calledBy`), drawn dashed.
    edges: BTreeSet<(Node, Node, Option<u32>, bool)>,
    /// Teams whose every app is accepted somewhere (`team/*`).
    whole_teams: BTreeSet<String>,
}

impl Graph {
    /// Every team drawn: those of the set, and those of apps outside it that
    /// are called or accepted (their subgraphs hold the dashed nodes).
    fn all_teams(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut teams = self.teams.clone();
        for team in self.outside.iter().map(|(team, _)| team).chain(&self.whole_teams) {
            teams.entry(team.clone()).or_default();
        }
        teams
    }
}

fn build(apps: &[GraphApp<'_>]) -> Graph {
    let mut graph = Graph {
        teams: BTreeMap::new(),
        outside: BTreeSet::new(),
        externals: BTreeSet::new(),
        has_ingress: false,
        edges: BTreeSet::new(),
        whole_teams: BTreeSet::new(),
    };
    let ports: BTreeMap<(&str, &str), Option<u32>> =
        apps.iter().map(|a| ((a.app.team.as_str(), a.app.name.as_str()), a.app.port)).collect();
    for a in apps {
        let app = a.app;
        graph.teams.entry(app.team.clone()).or_default().insert(app.name.clone(), a.blueprint.to_owned());
        let me = Node::App { team: app.team.clone(), name: app.name.clone() };
        if app.ingress.is_some() {
            graph.has_ingress = true;
            graph.edges.insert((Node::Ingress, me.clone(), app.port, false));
        }
        for entry in app.calls.iter().flatten() {
            let (team, name) = match syntax::call(entry) {
                Ok(Call::App { app: name }) => (app.team.clone(), name),
                Ok(Call::TeamApp { team, app: name }) => (team, name),
                Ok(Call::Fqdn { host, port }) => {
                    let label = format!("https://{host}");
                    graph.externals.insert(label.clone());
                    graph.edges.insert((me.clone(), Node::External(label), Some(u32::from(port)), false));
                    continue;
                }
                Ok(Call::Cidr { cidr, port }) => {
                    graph.externals.insert(cidr.clone());
                    graph.edges.insert((me.clone(), Node::External(cidr), Some(u32::from(port)), false));
                    continue;
                }
                Err(_) => continue,
            };
            let port = match ports.get(&(team.as_str(), name.as_str())) {
                Some(port) => *port,
                None => {
                    graph.outside.insert((team.clone(), name.clone()));
                    None
                }
            };
            graph.edges.insert((me.clone(), Node::App { team, name }, port, false));
        }
        // Callers from outside the set that this app accepts.
        for entry in app.called_by.iter().flatten() {
            let from = match syntax::caller(entry) {
                Ok(Caller::App { app: name }) => Node::App { team: app.team.clone(), name },
                Ok(Caller::TeamApp { team, app: name }) => Node::App { team, name },
                Ok(Caller::Team { team }) => {
                    graph.whole_teams.insert(team.clone());
                    Node::Team(team)
                }
                Err(_) => continue,
            };
            if let Node::App { team, name } = &from {
                if ports.contains_key(&(team.as_str(), name.as_str())) {
                    continue;
                }
                graph.outside.insert((team.clone(), name.clone()));
            }
            graph.edges.insert((from, me.clone(), app.port, true));
        }
    }
    graph
}

/// The graph as a Mermaid flowchart.
pub fn mermaid(apps: &[GraphApp<'_>]) -> String {
    let graph = build(apps);
    // App and team names hold only `a-z0-9-`, so `-` → `_` keeps them apart;
    // external hosts and ranges are numbered in sorted order.
    // Every node is numbered in sorted order: names may hold `-` and `--`,
    // so no rewriting of them into identifiers is collision-free.
    let mut nodes: BTreeSet<Node> = BTreeSet::new();
    for (from, to, _, _) in &graph.edges {
        nodes.insert(from.clone());
        nodes.insert(to.clone());
    }
    for (team, members) in &graph.teams {
        nodes.extend(members.keys().map(|name| Node::App { team: team.clone(), name: name.clone() }));
    }
    let nodes: Vec<Node> = nodes.into_iter().collect();
    let id = |node: &Node| match node {
        Node::Ingress => "ingress".to_owned(),
        other => format!("n{}", nodes.iter().position(|n| n == other).unwrap_or_default()),
    };
    let mut out = String::from("flowchart LR\n");
    if graph.has_ingress {
        out.push_str("  ingress([\"ingress controller\"])\n");
    }
    let teams = graph.all_teams();
    for (team, members) in &teams {
        let index = teams.keys().position(|t| t == team).unwrap_or_default();
        out.push_str(&format!("  subgraph team{index}[\"{}\"]\n", escape_mermaid(team)));
        if graph.whole_teams.contains(team) {
            out.push_str(&format!(
                "    {}[\"every app of {}\"]:::outside\n",
                id(&Node::Team(team.clone())),
                escape_mermaid(team)
            ));
        }
        for (name, blueprint) in members {
            let node = Node::App { team: team.clone(), name: name.clone() };
            out.push_str(&format!("    {}[\"{} ({})\"]\n", id(&node), escape_mermaid(name), escape_mermaid(blueprint)));
        }
        for (_, name) in graph.outside.iter().filter(|(t, _)| t == team) {
            let node = Node::App { team: team.clone(), name: name.clone() };
            out.push_str(&format!("    {}[\"{} (not rendered)\"]:::outside\n", id(&node), escape_mermaid(name)));
        }
        out.push_str("  end\n");
    }
    for external in &graph.externals {
        out.push_str(&format!("  {}{{{{\"{}\"}}}}\n", id(&Node::External(external.clone())), escape_mermaid(external)));
    }
    for (from, to, port, accepted_only) in &graph.edges {
        let arrow = if *accepted_only { "-.->" } else { "-->" };
        match port {
            Some(port) => out.push_str(&format!("  {} {arrow}|{port}| {}\n", id(from), id(to))),
            None => out.push_str(&format!("  {} {arrow} {}\n", id(from), id(to))),
        }
    }
    if !graph.outside.is_empty() || !graph.whole_teams.is_empty() {
        out.push_str("  classDef outside stroke-dasharray: 5 5\n");
    }
    out
}

/// The graph in Graphviz DOT.
pub fn dot(apps: &[GraphApp<'_>]) -> String {
    let graph = build(apps);
    let id = |node: &Node| match node {
        Node::Ingress => quote("ingress"),
        Node::App { team, name } => quote(&format!("{team}/{name}")),
        Node::Team(team) => quote(&format!("{team}/*")),
        Node::External(label) => quote(label),
    };
    let mut out = String::from("digraph paved {\n  rankdir=LR;\n  node [shape=box];\n");
    if graph.has_ingress {
        out.push_str("  \"ingress\" [label=\"ingress controller\", shape=oval];\n");
    }
    let teams = graph.all_teams();
    for (team, members) in &teams {
        out.push_str(&format!("  subgraph {} {{\n    label={};\n", quote(&format!("cluster_{team}")), quote(team)));
        if graph.whole_teams.contains(team) {
            let node = id(&Node::Team(team.clone()));
            out.push_str(&format!("    {node} [label={}, style=dashed];\n", quote(&format!("every app of {team}"))));
        }
        for (name, blueprint) in members {
            let node = Node::App { team: team.clone(), name: name.clone() };
            out.push_str(&format!("    {} [label={}];\n", id(&node), quote(&format!("{name}\n({blueprint})"))));
        }
        for (_, name) in graph.outside.iter().filter(|(t, _)| t == team) {
            let node = Node::App { team: team.clone(), name: name.clone() };
            out.push_str(&format!(
                "    {} [label={}, style=dashed];\n",
                id(&node),
                quote(&format!("{name}\n(not rendered)"))
            ));
        }
        out.push_str("  }\n");
    }
    for external in &graph.externals {
        out.push_str(&format!("  {} [shape=hexagon];\n", id(&Node::External(external.clone()))));
    }
    for (from, to, port, accepted_only) in &graph.edges {
        let mut attributes = Vec::new();
        if let Some(port) = port {
            attributes.push(format!("label=\"{port}\""));
        }
        if *accepted_only {
            attributes.push("style=dashed".to_owned());
        }
        match attributes.is_empty() {
            true => out.push_str(&format!("  {} -> {};\n", id(from), id(to))),
            false => out.push_str(&format!("  {} -> {} [{}];\n", id(from), id(to), attributes.join(", "))),
        }
    }
    out.push_str("}\n");
    out
}

/// Mermaid labels are in double quotes; a quote inside is written as an entity.
fn escape_mermaid(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// A DOT quoted string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}
