//! JSON pointers (RFC 6901): where in a document a problem is.
//!
//! A pointer is `/`-separated tokens; inside a token `~` is written `~0` and
//! `/` is written `~1` (`/metadata/labels/app.kubernetes.io~1name`). Schema
//! errors come with pointers, and problems about rendered objects are reported
//! with them, so both directions live here once.

/// Escape one token: `~` becomes `~0`, then `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The tokens of a pointer, unescaped: `""` (the whole document) has none,
/// `/a~1b/0` is `a/b` and `0`. `~1` is undone before `~0`, so `~01` is `~1`.
pub fn parse(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped() {
        assert_eq!(escape("app.kubernetes.io/name"), "app.kubernetes.io~1name");
        assert_eq!(escape("a~b"), "a~0b");
        assert_eq!(escape("~/"), "~0~1");
    }

    #[test]
    fn pointers_are_parsed() {
        assert_eq!(parse(""), Vec::<String>::new());
        assert_eq!(parse("/"), vec![""]);
        assert_eq!(parse("/a~1b/0"), vec!["a/b", "0"]);
        assert_eq!(parse("/~01"), vec!["~1"]);
    }

    #[test]
    fn parse_undoes_escape() {
        for token in ["plain", "a/b", "a~b", "~1", "~0/~1", ""] {
            assert_eq!(parse(&format!("/{}", escape(token))), vec![token.to_owned()], "{token}");
        }
    }
}
