//! Both ends of every call must agree.
//!
//! With default-deny network policies, a call is only possible when the caller
//! allows it out (`calls`) and the callee allows it in (`calledBy`). If one
//! side forgets, the traffic is dropped in production; this check finds that
//! at pull-request time, when the apps of both sides render together.

use std::collections::BTreeMap;

use paved_jsonschema::quote;
use paved_yaml::Segment;

use crate::diagnostic::{Diagnostic, display_path};
use crate::syntax::{self, Call, Caller};
use crate::validate::ValidApp;

/// What the cross-app check found: errors (exit 1) and notes (`--verbose`).
#[derive(Debug, Default)]
pub struct CallReport {
    pub errors: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// Check every in-cluster call between `apps`: the callee must accept the
/// caller in `calledBy`, and must have a port to call. Calls to apps outside
/// the set, and callers outside it named in `calledBy`, cannot be checked and
/// are noted.
pub fn check_calls(apps: &[ValidApp]) -> CallReport {
    let by_id: BTreeMap<(&str, &str), &ValidApp> =
        apps.iter().map(|a| ((a.app.team.as_str(), a.app.name.as_str()), a)).collect();
    let mut report = CallReport::default();
    for caller in apps {
        let (team, name) = (caller.app.team.as_str(), caller.app.name.as_str());
        for (index, entry) in caller.app.calls.iter().flatten().enumerate() {
            let (callee_team, callee_name) = match syntax::call(entry) {
                Ok(Call::App { app }) => (team.to_owned(), app),
                Ok(Call::TeamApp { team, app }) => (team, app),
                _ => continue,
            };
            let path = vec![Segment::Key("calls".into()), Segment::Index(index)];
            let span = caller.root.span_at(&path, false);
            let Some(callee) = by_id.get(&(callee_team.as_str(), callee_name.as_str())) else {
                report.notes.push(format!(
                    "note: {}: `{name}` calls `{callee_team}/{callee_name}`, which is not among the apps rendered; its side is not checked",
                    caller.file.name
                ));
                continue;
            };
            let error = |message: String, hint: String| Diagnostic {
                file: caller.file.clone(),
                span,
                field: display_path(&path),
                message,
                hint: Some(hint),
            };
            if callee.app.port.is_none() {
                report.errors.push(error(
                    format!("`{name}` calls {}, which takes no traffic (it has no `port`)", quote(entry)),
                    format!(
                        "remove this call; `{callee_name}` ({}) is a `{}` app",
                        callee.file.name, callee.app.blueprint
                    ),
                ));
                continue;
            }
            if !accepts(callee, team, name) {
                let written = if callee_team == team { name.to_owned() } else { format!("{team}/{name}") };
                report.errors.push(error(
                    format!(
                        "`{name}` calls {}, but `{callee_name}` does not accept calls from `{written}`; the traffic would be dropped",
                        quote(entry)
                    ),
                    format!("add `{written}` to `calledBy` in {}, or remove this call", callee.file.name),
                ));
            }
        }
        // Callers named in `calledBy` that are in the set but never call, and
        // callers outside the set, whose side cannot be checked.
        for entry in caller.app.called_by.iter().flatten() {
            let (peer_team, peer_name) = match syntax::caller(entry) {
                Ok(Caller::App { app }) => (team.to_owned(), app),
                Ok(Caller::TeamApp { team, app }) => (team, app),
                Ok(Caller::Team { team: peer_team }) => {
                    if !apps.iter().any(|a| a.app.team == peer_team) {
                        report.notes.push(format!(
                            "note: {}: `{name}` accepts calls from every app of team `{peer_team}`, none of which is among the apps rendered; their side is not checked",
                            caller.file.name
                        ));
                    }
                    continue;
                }
                Err(_) => continue,
            };
            match by_id.get(&(peer_team.as_str(), peer_name.as_str())) {
                Some(peer) if !calls(peer, team, name) => report.notes.push(format!(
                    "note: {}: `{name}` accepts calls from {}, which does not call it ({})",
                    caller.file.name,
                    quote(entry),
                    peer.file.name
                )),
                Some(_) => {}
                None => report.notes.push(format!(
                    "note: {}: `{name}` accepts calls from `{peer_team}/{peer_name}`, which is not among the apps rendered; its side is not checked",
                    caller.file.name
                )),
            }
        }
    }
    report.errors.sort_by(|a, b| (&a.file.name, a.span.start).cmp(&(&b.file.name, b.span.start)));
    report
}

/// Whether `callee` lists the caller `team/name` in `calledBy`.
fn accepts(callee: &ValidApp, team: &str, name: &str) -> bool {
    callee.app.called_by.iter().flatten().any(|entry| match syntax::caller(entry) {
        Ok(Caller::App { app }) => callee.app.team == team && app == name,
        Ok(Caller::TeamApp { team: t, app }) => t == team && app == name,
        Ok(Caller::Team { team: t }) => t == team,
        Err(_) => false,
    })
}

/// Whether `caller` lists `team/name` in `calls`.
fn calls(caller: &ValidApp, team: &str, name: &str) -> bool {
    caller.app.calls.iter().flatten().any(|entry| match syntax::call(entry) {
        Ok(Call::App { app }) => caller.app.team == team && app == name,
        Ok(Call::TeamApp { team: t, app }) => t == team && app == name,
        _ => false,
    })
}
