//! Benchmarks of the render core (criterion): one app in one environment, a
//! blueprint's own test case in every environment, and the YAML emitter.
//!
//! `cargo bench -p paved-render`; the whole-tool benchmark (1,000 apps to a
//! directory, against `helm template`) is `scripts/bench`, see
//! `docs/performance.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use paved_blueprint::Catalog;
use paved_render::{Charts, Directory, Engine, ImageOverride, Input, Rendered};
use paved_spec::platform::{DEFAULT_PLATFORM, Platform};
use paved_spec::{SourceFile, ValidApp};

/// An api app with most options: env, secrets, resources, autoscaling,
/// ingress, metrics, calls of each kind and a prod override.
const API_APP: &str = r#"
name: payments-api
team: payments
blueprint: api@1
image: acr.bank.internal/payments/payments-api:1.4.2
port: 8080
env:
  LOG_LEVEL: info
  FEATURE_FAST_PATH: "true"
secrets: [payments-api-db]
resources: {cpu: 250m, memory: 512Mi}
replicas: {min: 2, max: 8}
ingress:
  host: payments
metrics:
  port: 9090
calls:
  - ledger-db
  - https://api.psp.example.com
  - 10.40.0.0/16:5671
calledBy:
  - web/checkout
environments:
  prod:
    replicas: {min: 3, max: 10}
    resources: {cpu: 500m, memory: 1Gi}
    env:
      LOG_LEVEL: warn
"#;

/// The api blueprint's fullest test case: every field, overrides in dev and prod.
const TEST_CASE: &str = include_str!("../../../blueprints/api/1.1.0/tests/full/app.yaml");

struct Fixture {
    platform: Platform,
    catalog: Catalog,
    engine: Engine,
}

impl Fixture {
    fn new() -> Fixture {
        let platform = paved_spec::validate_platform(SourceFile {
            name: "<embedded platform.yaml>".into(),
            text: DEFAULT_PLATFORM.into(),
        })
        .expect("the embedded platform is valid");
        let catalog = Catalog::embedded().expect("the embedded catalog loads");
        let engine = Engine::new(&catalog);
        Fixture { platform, catalog, engine }
    }

    fn app(&self, name: &str, text: &str) -> ValidApp {
        let resolve =
            |r: &paved_spec::syntax::BlueprintRef, _id: &str| self.catalog.resolve(r).map(|b| self.catalog.rules_of(b));
        paved_spec::validate_app(SourceFile { name: name.into(), text: text.into() }, &self.platform, &resolve)
            .unwrap_or_else(|problems| panic!("{name} is not valid: {problems:?}"))
    }

    /// Render `app` in `env`: objects, policies, Applications, and the chart unless skipped.
    fn render(&self, app: &ValidApp, env: &str, directory: &Directory, charts: Charts) -> Rendered {
        let environment = self.platform.environment(env).expect("a known environment");
        let effective = &app.environments.iter().find(|(name, _)| name == env).expect("merged for every env").1;
        let input = Input {
            app: effective,
            environment,
            platform: &self.platform,
            blueprint: self.catalog.get(&app.blueprint_id).expect("resolved"),
            image: &ImageOverride::default(),
            directory,
        };
        self.engine.render(&input, charts).expect("renders")
    }
}

fn directory(apps: &[&ValidApp]) -> Directory {
    Directory::new(apps.iter().map(|a| &a.app))
}

fn benches(c: &mut Criterion) {
    let fixture = Fixture::new();
    let api = fixture.app("payments-api/app.yaml", API_APP);
    let case = fixture.app("api/1.1.0/tests/full/app.yaml", TEST_CASE);
    let api_directory = directory(&[&api]);
    let case_directory = directory(&[&case]);
    let envs: Vec<String> = fixture.platform.environment_names().map(str::to_owned).collect();

    // Parsing and validating one app file (schema and rules, every environment merged).
    c.bench_function("validate_app/api", |b| b.iter(|| fixture.app("payments-api/app.yaml", black_box(API_APP))));

    // The first render compiles the blueprint's templates; the benches measure renders after it.
    fixture.render(&api, "prod", &api_directory, Charts::Build);
    c.bench_function("render/api/prod", |b| {
        b.iter(|| fixture.render(black_box(&api), "prod", &api_directory, Charts::Build))
    });
    // Without the chart pass: what the chart costs on top.
    c.bench_function("render/api/prod/skip-chart", |b| {
        b.iter(|| fixture.render(black_box(&api), "prod", &api_directory, Charts::Skip))
    });
    c.bench_function("render/api-test-case-full/every-env", |b| {
        b.iter(|| {
            for env in &envs {
                black_box(fixture.render(black_box(&case), env, &case_directory, Charts::Build));
            }
        })
    });

    let rendered = fixture.render(&api, "prod", &api_directory, Charts::Skip);
    let deployment = rendered.objects.iter().find(|o| o.kind() == "Deployment").expect("an api renders a Deployment");
    c.bench_function("emit/deployment", |b| b.iter(|| paved_yaml::emit(black_box(&deployment.value))));
}

criterion_group!(render, benches);
criterion_main!(render);
