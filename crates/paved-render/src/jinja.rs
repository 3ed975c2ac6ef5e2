//! The one way paved sets up minijinja, for manifest and pipeline templates alike.
//!
//! A blueprint is code the platform team writes and every app runs, so its
//! templates render in an environment that cannot be talked out of its
//! guarantees: a setting made here holds for every template paved renders.

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// How deep templates may nest macro calls, includes and recursive loops. A
/// blueprint nests a few levels; a template that recurses without end fails
/// with an error instead of exhausting the stack.
const RECURSION_LIMIT: usize = 32;

/// An empty environment with paved's safety settings: strict undefined (a
/// typo is an error, never an empty field), every interpolated value written
/// as JSON (which YAML reads as the same scalar, so no value can add
/// structure or change type), no `safe` filter (which would switch that off),
/// a bounded recursion depth, and blocks that leave no blank lines behind.
///
/// `syntax` replaces the `{{ }}` delimiters, for pipeline templates whose
/// output holds Azure DevOps' own `${{ }}`.
pub(crate) fn environment(syntax: Option<SyntaxConfig>) -> Environment<'static> {
    let mut env = Environment::new();
    if let Some(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|_| AutoEscape::Json);
    env.remove_filter("safe");
    env.set_recursion_limit(RECURSION_LIMIT);
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(env: &mut Environment<'static>, source: &str, context: minijinja::Value) -> Result<String, String> {
        env.add_template_owned("t.yaml", source.to_owned()).map_err(|e| e.to_string())?;
        env.get_template("t.yaml").and_then(|t| t.render(context)).map_err(|e| e.to_string())
    }

    #[test]
    fn a_value_cannot_add_structure_and_safe_is_gone() {
        let mut env = environment(None);
        let context = minijinja::context! { v => "x\ny: 1" };
        assert_eq!(render(&mut env, "a: {{ v }}", context.clone()).as_deref(), Ok(r#"a: "x\ny: 1""#));
        let mut env = environment(None);
        assert!(render(&mut env, "a: {{ v | safe }}", context).is_err(), "`safe` must not exist");
    }

    #[test]
    fn an_undefined_name_is_an_error() {
        let mut env = environment(None);
        assert!(render(&mut env, "a: {{ missing }}", minijinja::context! {}).is_err());
    }

    #[test]
    fn endless_recursion_stops() {
        let mut env = environment(None);
        let source = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}";
        let error = render(&mut env, source, minijinja::context! {}).expect_err("recursion is bounded");
        assert!(error.contains("recursion"), "{error}");
    }

    #[test]
    fn pipeline_syntax_replaces_the_delimiters() {
        let syntax = SyntaxConfig::builder().variable_delimiters("<<", ">>").build().expect("valid delimiters");
        let mut env = environment(Some(syntax));
        let text = render(&mut env, "a: << v >>\nb: ${{ variables.x }}", minijinja::context! { v => "1" });
        assert_eq!(text.as_deref(), Ok("a: \"1\"\nb: ${{ variables.x }}"));
    }
}
