//! The whole pipeline on one app file's text, for the property test and the
//! fuzz target (`fuzz/`), which include this file: parse, validate against
//! the embedded platform and catalog, and, when the app is valid, render it in
//! every environment and check what a valid app must give. Returns why the
//! text was refused (a finding, fine), or panics when paved is wrong.

use paved_blueprint::Catalog;
use paved_render::{Charts, Directory, Engine, ImageOverride, Input};
use paved_spec::platform::{DEFAULT_PLATFORM, Platform};
use paved_spec::{SourceFile, validate_app, validate_platform};
use paved_validate::SchemaSet;
use std::sync::OnceLock;

struct World {
    platform: Platform,
    catalog: Catalog,
    engine: Engine,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let file = SourceFile { name: "platform.yaml".into(), text: DEFAULT_PLATFORM.into() };
        let platform = validate_platform(file).expect("the embedded platform is valid");
        let catalog = Catalog::embedded().expect("the embedded catalog loads");
        let engine = Engine::new(&catalog);
        World { platform, catalog, engine }
    })
}

/// `Err(findings)` when the app is refused; `Ok(objects rendered)` when it is
/// valid and everything it renders is right. Panics on a bug: a rendered
/// object that fails the schemas or the baseline, output that does not read
/// back as the same data, or a render that differs the second time.
#[allow(dead_code)]
pub fn check_app(text: &str) -> Result<usize, String> {
    let world = world();
    let file = SourceFile { name: "app.yaml".into(), text: text.into() };
    let resolve =
        |r: &paved_spec::syntax::BlueprintRef, _: &str| world.catalog.resolve(r).map(|b| world.catalog.rules_of(b));
    let app = validate_app(file, &world.platform, &resolve)
        .map_err(|diagnostics| diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
    let blueprint = world.catalog.get(&app.blueprint_id).expect("a valid app's blueprint is in the catalog");
    let directory = Directory::new([&app.app]);
    let schemas = SchemaSet::for_version(&world.platform.kubernetes_version).expect("vendored schemas");
    let image = ImageOverride::default();
    let mut count = 0;
    for (env, effective) in &app.environments {
        let environment = world.platform.environment(env).expect("validated environments exist");
        let input = Input {
            app: effective,
            environment,
            platform: &world.platform,
            blueprint,
            image: &image,
            directory: &directory,
        };
        let rendered =
            world.engine.render(&input, Charts::Build).unwrap_or_else(|e| panic!("a valid app failed to render: {e}"));
        let again = world.engine.render(&input, Charts::Build).expect("renders twice");
        assert_eq!(rendered, again, "the second render differs");
        assert!(rendered.chart.is_some(), "the chart was asked for");
        for object in rendered.all_objects() {
            let problems: Vec<String> = schemas
                .validate(&object.value)
                .into_iter()
                .chain(paved_validate::baseline(&object.value))
                .map(|v| v.to_string())
                .collect();
            assert!(
                problems.is_empty(),
                "{env}: {} {} is invalid: {problems:?}\napp:\n{text}",
                object.kind(),
                object.name()
            );
            // What paved writes reads back as the same data.
            let written = paved_yaml::emit(&object.value);
            let read = paved_yaml::load_one(&written, paved_yaml::Limits::default())
                .unwrap_or_else(|e| panic!("emitted YAML does not load: {e:?}\n{written}"));
            assert_eq!(read.to_json(), object.value, "emitted YAML reads back differently:\n{written}");
            count += 1;
        }
    }
    Ok(count)
}
