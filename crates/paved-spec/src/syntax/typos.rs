//! "Did you mean": the one way paved guesses what a person meant to write.

/// Inputs longer than this never get a suggestion (and cost nothing to reject).
const MAX_TYPO_LEN: usize = 256;

/// Whether an edit distance is small enough, relative to the longer word, to be a typo:
/// a normalised Damerau-Levenshtein similarity of at least 0.7, or at most two edits when
/// they change less than half of the longer word (`img` → `image`, but not `api` → `cpu`).
fn plausible_typo(distance: usize, longest: usize) -> bool {
    distance.saturating_mul(10) <= longest.saturating_mul(3) || (distance <= 2 && distance.saturating_mul(2) < longest)
}

/// The closest candidate by Damerau-Levenshtein distance (ignoring case), if it is close
/// enough to be a plausible typo of `input`, for "did you mean" hints.
///
/// Deterministic: among equally close candidates the first one wins.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    let input_len = input.chars().count();
    if input_len == 0 || input_len > MAX_TYPO_LEN {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        let candidate_len = lower.chars().count();
        let longest = input_len.max(candidate_len);
        // The distance is at least the difference in length: skip hopeless candidates
        // without computing it.
        let at_least = input_len.abs_diff(candidate_len);
        if !plausible_typo(at_least, longest) || best.is_some_and(|(d, _)| at_least >= d) {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&input, &lower);
        if plausible_typo(distance, longest) && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_picks_plausible_candidates() {
        let fields = ["name", "team", "blueprint", "image", "port", "replicas", "resources", "env"];
        let cases = [
            ("replica", Some("replicas")),
            ("Replicas", Some("replicas")),
            ("prot", Some("port")),
            ("nmae", Some("name")),
            ("img", Some("image")),
            ("blueprnt", Some("blueprint")),
            ("resource", Some("resources")),
            ("enviroment", None),
            ("cpu", None),
            ("x", None),
            ("", None),
            ("completely-different", None),
        ];
        for (input, expected) in cases {
            assert_eq!(did_you_mean(input, fields), expected, "{input}");
        }
        // Ties go to the first candidate.
        assert_eq!(did_you_mean("cat", ["bat", "hat"]), Some("bat"));
        assert_eq!(did_you_mean("cat", ["hat", "bat"]), Some("hat"));
        assert_eq!(did_you_mean("abc", Vec::<&str>::new()), None);
        let long = "a".repeat(10_000);
        assert_eq!(did_you_mean(&long, ["a"]), None);
    }
}
