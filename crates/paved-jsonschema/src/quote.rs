//! How a value is quoted in a message.

/// At most this many characters of a value are quoted in a message.
///
/// Long enough for every value paved itself suggests in a hint, which a person
/// copies and must therefore come out whole: a `sha256:` digest (71
/// characters), an image reference with its tag and digest, a 63-character
/// DNS label, a host name. Short enough that a hostile 64 KiB value cannot
/// drown the message it is quoted in.
pub const MAX_QUOTED_CHARS: usize = 160;

/// Quote a value for a message: in backticks, at most [`MAX_QUOTED_CHARS`]
/// characters (then `…`), control characters escaped (`\n`, `\u{1b}`) so a
/// value cannot break a message's line or steer a terminal.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(MAX_QUOTED_CHARS * 4) + 4);
    out.push('`');
    for (i, c) in value.chars().enumerate() {
        if i == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole() {
        assert_eq!(quote("payments-api"), "`payments-api`");
        assert_eq!(quote(""), "``");
        let longest = "x".repeat(MAX_QUOTED_CHARS);
        assert_eq!(quote(&longest), format!("`{longest}`"));
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "é".repeat(100_000);
        let quoted = quote(&long);
        assert_eq!(quoted, format!("`{}…`", "é".repeat(MAX_QUOTED_CHARS)));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(quote("a\u{1b}b"), "`a\\u{1b}b`");
        assert_eq!(quote("a\nb\tc"), "`a\\nb\\tc`");
    }
}
