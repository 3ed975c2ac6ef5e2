//! Rules about a set of files together, which no single file can break alone.
//!
//! Each file is checked on its own first ([`crate::validate_app`],
//! [`crate::validate_team`]); these then look across the set: no app is
//! defined twice, every app's team has a team file (when team files are
//! given), no team is described twice. They are pure, so the edge only reads
//! the files and reports what comes back. `calls.rs` is the other set rule:
//! both ends of every call agree.

use std::collections::BTreeMap;
use std::sync::Arc;

use paved_jsonschema::quote;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::platform::Platform;
use crate::team::TeamFile;
use crate::validate::{ValidApp, validate_team};

/// Every app defined a second time, by team and name, wherever its files
/// are: the same app twice would write the same objects twice. The
/// diagnostic is on the later file (by path), naming the earlier one.
pub fn duplicate_apps(apps: &[ValidApp]) -> Vec<Diagnostic> {
    let mut sorted: Vec<&ValidApp> = apps.iter().collect();
    sorted.sort_by(|a, b| (&a.app.team, &a.app.name, &a.file.name).cmp(&(&b.app.team, &b.app.name, &b.file.name)));
    sorted
        .windows(2)
        .filter(|pair| (&pair[0].app.team, &pair[0].app.name) == (&pair[1].app.team, &pair[1].app.name))
        .map(|pair| Diagnostic {
            file: pair[1].file.clone(),
            span: pair[1].name_span,
            field: "name".into(),
            message: format!(
                "app {} of team {} is also defined in `{}`",
                quote(&pair[1].app.name),
                quote(&pair[1].app.team),
                pair[0].file.name
            ),
            hint: Some("app names are unique within a team; rename one".into()),
        })
        .collect()
}

/// With team files (`--teams DIR`, `teams` as read from `dir`): every app's
/// team needs a team file, and an app keeps only the environments its team
/// uses (its Applications name projects that exist only there). Returns a
/// problem for each app whose team has no file.
pub fn check_teams(apps: &mut [ValidApp], teams: &BTreeMap<String, TeamFile>, dir: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for app in apps {
        match teams.get(&app.app.team) {
            Some(team) => app.environments.retain(|(env, _)| team.uses(env)),
            None => problems.push(Diagnostic {
                file: app.file.clone(),
                span: app.root.get("team").map(|n| n.span).unwrap_or(app.name_span),
                field: "team".into(),
                message: format!("team {} has no team file in `{dir}`", quote(&app.app.team)),
                hint: Some(format!(
                    "add `{dir}/{}.yaml` (its landing zone: namespaces, access, Argo CD projects), or fix `team`",
                    app.app.team
                )),
            }),
        }
    }
    problems
}

/// Check team files, each on its own and together: every problem of every
/// file, and a team described by a second file (the later one, in the order
/// given, is the problem); or the teams by name.
pub fn validate_teams(
    files: Vec<SourceFile>,
    platform: &Platform,
) -> Result<BTreeMap<String, TeamFile>, Vec<Diagnostic>> {
    let mut teams: BTreeMap<String, (String, TeamFile)> = BTreeMap::new();
    let mut problems = Vec::new();
    for file in files {
        let source = Arc::new(file.clone());
        match validate_team(file, platform) {
            Ok(team) => {
                if let Some((first, _)) = teams.get(&team.team) {
                    problems.push(Diagnostic {
                        file: source,
                        span: Default::default(),
                        field: "team".into(),
                        message: format!("team {} is also described in `{first}`", quote(&team.team)),
                        hint: Some("a team has one team file; remove one of them".into()),
                    });
                    continue;
                }
                teams.insert(team.team.clone(), (source.name.clone(), team));
            }
            Err(diagnostics) => problems.extend(diagnostics),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(teams.into_iter().map(|(name, (_, team))| (name, team)).collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::BlueprintRules;
    use crate::platform::DEFAULT_PLATFORM;
    use crate::validate::{validate_app, validate_platform};

    fn platform() -> Platform {
        let file = SourceFile { name: "platform.yaml".into(), text: DEFAULT_PLATFORM.into() };
        validate_platform(file).unwrap_or_else(|problems| panic!("{problems:?}"))
    }

    fn app(path: &str, team: &str, name: &str) -> ValidApp {
        let text =
            format!("name: {name}\nteam: {team}\nblueprint: worker@1\nimage: acr.bank.internal/{team}/{name}:1.0.0\n");
        let rules =
            BlueprintRules { id: "worker@1.0.0".into(), supported: BTreeSet::new(), ..BlueprintRules::default() };
        let file = SourceFile { name: path.into(), text };
        validate_app(file, &platform(), &|_, _| Ok(rules.clone())).unwrap_or_else(|problems| panic!("{problems:?}"))
    }

    fn team_file(path: &str, team: &str, environments: &str) -> SourceFile {
        let text = format!(
            "team: {team}\ngroups:\n  admins: 4b1f6c2e-8d3a-4f5b-9c7e-1a2b3c4d5e6f\n  developers: 9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c5d\nquota: {{cpu: \"2\", memory: 4Gi}}\n{environments}"
        );
        SourceFile { name: path.into(), text }
    }

    /// `file:line:column: field: message (hint)`, as `--format short` prints it.
    fn lines(problems: &[Diagnostic]) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn an_app_defined_twice_is_named_on_the_later_file() {
        let apps = [
            app("b/app.yaml", "payments", "api"),
            app("a/app.yaml", "payments", "api"),
            app("c/app.yaml", "web", "api"),
        ];
        assert_eq!(
            lines(&duplicate_apps(&apps)),
            [
                "b/app.yaml:1:7: name: app `api` of team `payments` is also defined in `a/app.yaml` (app names are unique within a team; rename one)"
            ]
        );
        assert!(duplicate_apps(&apps[1..]).is_empty());
    }

    #[test]
    fn apps_keep_only_their_teams_environments() {
        let platform = platform();
        let teams =
            validate_teams(vec![team_file("teams/web.yaml", "web", "environments: {dev: {}, prod: {}}\n")], &platform)
                .unwrap_or_else(|problems| panic!("{problems:?}"));
        let mut apps = [app("web/app.yaml", "web", "shop"), app("pay/app.yaml", "payments", "api")];
        let problems = check_teams(&mut apps, &teams, "teams");
        assert_eq!(
            lines(&problems),
            [
                "pay/app.yaml:2:7: team: team `payments` has no team file in `teams` (add `teams/payments.yaml` (its landing zone: namespaces, access, Argo CD projects), or fix `team`)"
            ]
        );
        let kept: Vec<&str> = apps[0].environments.iter().map(|(env, _)| env.as_str()).collect();
        assert_eq!(kept, ["dev", "prod"]);
        assert_eq!(apps[1].environments.len(), 3, "an app without a team file is left as it is");
    }

    #[test]
    fn a_team_described_twice_is_a_problem_of_the_later_file() {
        let platform = platform();
        let files = vec![
            team_file("teams/web.yaml", "web", ""),
            team_file("other/web.yaml", "web", ""),
            team_file("teams/payments.yaml", "payments", ""),
        ];
        let problems = validate_teams(files, &platform).err().unwrap_or_default();
        assert_eq!(
            lines(&problems),
            [
                "other/web.yaml:1:1: team: team `web` is also described in `teams/web.yaml` (a team has one team file; remove one of them)"
            ]
        );
    }

    #[test]
    fn every_team_file_problem_is_reported() {
        let platform = platform();
        let files = vec![team_file("teams/web.yaml", "shop", ""), team_file("teams/payments.yaml", "payments", "")];
        let problems = validate_teams(files, &platform).err().unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, "the team is `shop`, but the file is `web.yaml`");
        let teams = validate_teams(vec![team_file("teams/payments.yaml", "payments", "")], &platform);
        assert_eq!(teams.map(|t| t.into_keys().collect::<Vec<_>>()).unwrap_or_default(), ["payments"]);
    }
}
