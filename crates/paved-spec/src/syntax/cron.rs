//! Cron schedules and time zones, as Kubernetes reads them: five fields
//! (robfig/cron's standard parser) and an IANA zone in `timeZone:`, never in
//! the schedule.

use std::str::FromStr;

use paved_jsonschema::quote;

use super::typos::did_you_mean;
use super::{Issue, Problem, did_you_mean_hint};

const CRON_FIELDS_HINT: &str = "use five fields (minute, hour, day of month, month, day of week), like `0 5 * * *`";

#[derive(Debug, Clone, Copy)]
struct CronField {
    name: &'static str,
    min: u32,
    max: u32,
    allowed: &'static str,
    /// Names for the values `names_start..`, like `JAN` for 1.
    names: &'static [&'static str],
    names_start: u32,
    /// Whether `?` is allowed (a synonym of `*`).
    question: bool,
}

const MONTH_NAMES: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Kubernetes parses schedules with robfig/cron v3 (`ParseStandard`), whose day of week
/// is 0-6: a `7` for Sunday is rejected by the API server, so it is rejected here too.
const CRON_FIELDS: [CronField; 5] = [
    CronField { name: "minute", min: 0, max: 59, allowed: "0-59", names: &[], names_start: 0, question: false },
    CronField { name: "hour", min: 0, max: 23, allowed: "0-23", names: &[], names_start: 0, question: false },
    CronField { name: "day-of-month", min: 1, max: 31, allowed: "1-31", names: &[], names_start: 0, question: true },
    CronField {
        name: "month",
        min: 1,
        max: 12,
        allowed: "1-12 or JAN-DEC",
        names: MONTH_NAMES,
        names_start: 1,
        question: false,
    },
    CronField {
        name: "day-of-week",
        min: 0,
        max: 6,
        allowed: "0-6 or SUN-SAT",
        names: DAY_NAMES,
        names_start: 0,
        question: true,
    },
];

const CRON_MACROS: [&str; 7] = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

const QUARTZ_HINT: &str = "Kubernetes schedules do not support `L`, `W` or `#`";

fn cron_value(field: &CronField, token: &str) -> Result<u32, Issue> {
    if token.is_empty() {
        return Err(Issue::new("a value is missing"));
    }
    if token.bytes().all(|b| b.is_ascii_digit()) {
        let number = if token.len() > 9 { None } else { token.parse::<u32>().ok() };
        return match number {
            Some(n) if (field.min..=field.max).contains(&n) => Ok(n),
            Some(7) if field.name == "day-of-week" => {
                Err(Issue::new("`7` is out of range").hint("use `0` or `SUN` for Sunday"))
            }
            _ => Err(Issue::new(format!("{} is out of range", quote(token)))
                .hint(format!("the {} field takes {}", field.name, field.allowed))),
        };
    }
    if !field.names.is_empty() {
        let upper = token.to_ascii_uppercase();
        if let Some(index) = field.names.iter().position(|n| *n == upper) {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            return Ok(field.names_start.saturating_add(index));
        }
        let kind = if field.name == "month" { "month" } else { "day" };
        let guess = field
            .names
            .iter()
            .copied()
            .find(|n| upper.len() > 3 && upper.starts_with(n))
            .or_else(|| did_you_mean(&upper, field.names.iter().copied()));
        let issue = Issue::new(format!("{} is not a number or a {kind} name", quote(token)));
        return Err(match guess {
            Some(guess) => issue.hint(format!("use {}", quote(guess))),
            None if token.contains(['L', 'W', '#']) => issue.hint(QUARTZ_HINT),
            None => issue,
        });
    }
    let issue = Issue::new(format!("{} is not a number", quote(token)));
    if token.contains(['L', 'W', '#']) {
        return Err(issue.hint(QUARTZ_HINT));
    }
    Err(issue)
}

fn cron_field_issue(field: &CronField, text: &str) -> Option<Issue> {
    for item in text.split(',') {
        if item.is_empty() {
            return Some(Issue::new("it has an empty list item").hint("remove the extra `,`"));
        }
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (item, None),
        };
        if let Some(step) = step {
            if step.contains('/') {
                return Some(Issue::new(format!("{} has more than one `/`", quote(item))));
            }
            if step.is_empty() || !step.bytes().all(|b| b.is_ascii_digit()) {
                return Some(Issue::new(format!("step {} is not a number", quote(step))));
            }
            if step.bytes().all(|b| b == b'0') {
                return Some(Issue::new("a step must be at least 1"));
            }
        }
        match base {
            "*" => {}
            "?" if field.question => {}
            "?" => {
                return Some(Issue::new("`?` is only allowed for day of month and day of week").hint("use `*`"));
            }
            _ => {
                let (low, high) = match base.split_once('-') {
                    Some((low, high)) => (low, Some(high)),
                    None => (base, None),
                };
                if high.is_some_and(|h| h.contains('-')) {
                    return Some(Issue::new(format!("{} has more than one `-`", quote(base))));
                }
                if low == "*" || low == "?" {
                    return Some(Issue::new(format!("{} mixes `{low}` with a range", quote(base))));
                }
                let low = match cron_value(field, low) {
                    Ok(n) => n,
                    Err(issue) => return Some(issue),
                };
                if let Some(high) = high {
                    let high_value = match cron_value(field, high) {
                        Ok(n) => n,
                        Err(issue) => return Some(issue),
                    };
                    if low > high_value {
                        let issue = Issue::new(format!("range {} runs backwards", quote(base)));
                        return Some(if step.is_none() {
                            issue.hint(format!(
                                "ranges cannot wrap around: use {}",
                                quote(&format!("{low}-{},{}-{high_value}", field.max, field.min))
                            ))
                        } else {
                            issue.hint("put the smaller value first")
                        });
                    }
                }
            }
        }
    }
    None
}

/// A schedule for `@every <duration>` in five fields, for the simple cases.
fn every_replacement(duration: &str) -> Option<String> {
    let (number, unit) = duration.split_at(duration.find(|c: char| !c.is_ascii_digit())?);
    let n: u32 = number.parse().ok()?;
    match unit {
        "m" if n == 1 => Some("* * * * *".to_string()),
        "m" if n > 0 && 60 % n == 0 => Some(format!("*/{n} * * * *")),
        "h" if n == 1 => Some("0 * * * *".to_string()),
        "h" if n > 0 && 24 % n == 0 => Some(format!("0 */{n} * * *")),
        _ => None,
    }
}

fn cron_fields_ok(fields: &[&str]) -> bool {
    fields.len() == 5 && CRON_FIELDS.iter().zip(fields).all(|(field, text)| cron_field_issue(field, text).is_none())
}

/// Check a Kubernetes CronJob schedule: five fields (minute 0-59, hour 0-23, day of month
/// 1-31, month 1-12 or `JAN`-`DEC`, day of week 0-6 or `SUN`-`SAT`), each `*`, `?` (day of
/// month and day of week only), a number or name, a range `a-b`, a step `*/n`, `a-b/n` or
/// `a/n`, or a comma list of those; or one of the macros `@yearly`, `@annually`,
/// `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`.
///
/// A `TZ=`/`CRON_TZ=` prefix is rejected (Kubernetes wants `timeZone:`), as are seconds
/// fields, `@every` and Quartz extensions.
pub fn cron_schedule(value: &str) -> Result<(), Problem> {
    let trimmed = value.trim();
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    if trimmed.is_empty() {
        return Err(Problem::new("schedule is empty").with_hint(CRON_FIELDS_HINT));
    }
    for prefix in ["CRON_TZ=", "TZ="] {
        let starts = trimmed.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
        if starts {
            let rest = trimmed.get(prefix.len()..).unwrap_or_default();
            let zone = rest.split_whitespace().next().unwrap_or_default();
            let hint = if zone.is_empty() {
                format!("use `timeZone:` instead of a `{prefix}` prefix")
            } else {
                format!("remove `{prefix}{zone}` and use `timeZone: {zone}` instead")
            };
            return Err(bad("sets a time zone in the schedule").with_hint(hint));
        }
    }
    if trimmed.starts_with('@') {
        if CRON_MACROS.contains(&trimmed) {
            return Ok(());
        }
        let lower = trimmed.to_ascii_lowercase();
        if let Some(duration) = lower.strip_prefix("@every").filter(|d| d.is_empty() || d.starts_with(' ')) {
            let hint = match every_replacement(duration.trim()) {
                Some(schedule) => format!("use {}", quote(&schedule)),
                None => CRON_FIELDS_HINT.to_string(),
            };
            return Err(bad("uses `@every`, which is not supported").with_hint(hint));
        }
        let hint = match CRON_MACROS.iter().find(|m| **m == lower) {
            Some(m) => did_you_mean_hint(m),
            None => match did_you_mean(trimmed, CRON_MACROS) {
                Some(m) => did_you_mean_hint(m),
                None => "use `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly` or five fields".to_string(),
            },
        };
        return Err(bad("is not a known schedule macro").with_hint(hint));
    }

    let fields: Vec<&str> = trimmed.split_whitespace().collect();
    match fields.len() {
        5 => {}
        6 => {
            let first_five = fields.get(..5).unwrap_or_default();
            let last_five = fields.get(1..).unwrap_or_default();
            let sixth_is_field = fields
                .get(5)
                .is_some_and(|last| CRON_FIELDS.get(4).is_some_and(|dow| cron_field_issue(dow, last).is_none()));
            let hint = if !sixth_is_field && cron_fields_ok(first_five) {
                format!(
                    "did you mean {}? A schedule has five fields, without a command or year",
                    quote(&first_five.join(" "))
                )
            } else if cron_fields_ok(last_five) {
                format!("did you mean {}? Kubernetes schedules have no seconds field", quote(&last_five.join(" ")))
            } else {
                format!("Kubernetes schedules have no seconds field; {CRON_FIELDS_HINT}")
            };
            return Err(bad("has 6 fields instead of 5").with_hint(hint));
        }
        n => {
            let hint = if n == 7 {
                format!("Kubernetes schedules have no seconds or year fields; {CRON_FIELDS_HINT}")
            } else {
                CRON_FIELDS_HINT.to_string()
            };
            return Err(bad(&format!("has {n} fields instead of 5")).with_hint(hint));
        }
    }
    for (field, text) in CRON_FIELDS.iter().zip(&fields) {
        if let Some(issue) = cron_field_issue(field, text) {
            let message = if *text == issue.reason.split(' ').next().unwrap_or_default().trim_matches('`') {
                format!("{} field: {}", field.name, issue.reason)
            } else {
                format!("{} field {}: {}", field.name, quote(text), issue.reason)
            };
            let hint = issue.hint.unwrap_or_else(|| format!("the {} field takes {}", field.name, field.allowed));
            return Err(Problem::new(message).with_hint(hint));
        }
    }
    Ok(())
}

// Time zones

/// Check an IANA time zone name, like `Europe/Amsterdam`, against the chrono-tz database.
pub fn time_zone(value: &str) -> Result<(), Problem> {
    const EXAMPLE: &str = "use an IANA time zone name, like `Europe/Amsterdam`";
    if value.is_empty() {
        return Err(Problem::new("time zone is empty").with_hint(EXAMPLE));
    }
    if chrono_tz::Tz::from_str(value).is_ok() {
        return Ok(());
    }
    let problem = Problem::new(format!("{} is not a known time zone", quote(value)));
    let names = || chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    if let Some(name) = names().find(|name| name.eq_ignore_ascii_case(value)) {
        return Err(problem.with_hint(did_you_mean_hint(name)));
    }
    let upper = value.to_ascii_uppercase();
    let offset =
        ["UTC+", "UTC-", "GMT+", "GMT-", "+", "-"].iter().any(|p| upper.starts_with(p) && upper.len() > p.len());
    if offset {
        return Err(problem
            .with_hint("name a region, like `Europe/Amsterdam`, so daylight saving time is followed, or use `UTC`"));
    }
    // A city on its own: `Amsterdam` for `Europe/Amsterdam`.
    let city = value.replace(' ', "_");
    if let Some(name) =
        names().find(|name| name.rsplit_once('/').is_some_and(|(_, last)| last.eq_ignore_ascii_case(&city)))
    {
        return Err(problem.with_hint(did_you_mean_hint(name)));
    }
    match did_you_mean(value, names()) {
        Some(name) => Err(problem.with_hint(did_you_mean_hint(name))),
        None => Err(problem.with_hint(EXAMPLE)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{accepts, hint, rejects};

    #[test]
    fn cron_schedule_accepts() {
        accepts(
            cron_schedule,
            &[
                "0 5 * * *",
                "*/15 * * * *",
                "0 9-17 * * 1-5",
                "0 9-17/2 * * MON-FRI",
                "30 2 1,15 * ?",
                "0 0 ? JAN,jul *",
                "0 0 1 jan-dec/3 *",
                "5/10 * * * *",
                "59 23 31 12 6",
                "0 0 * * SUN",
                "0  5\t* * *",
                " 0 5 * * * ",
                "00 05 * * *",
                "@yearly",
                "@annually",
                "@monthly",
                "@weekly",
                "@daily",
                "@midnight",
                "@hourly",
            ],
        );
    }

    #[test]
    fn cron_schedule_rejects() {
        rejects(
            cron_schedule,
            &[
                ("", "empty", "five fields"),
                ("   ", "empty", ""),
                ("CRON_TZ=Europe/Amsterdam 0 5 * * *", "time zone", "`timeZone: Europe/Amsterdam`"),
                ("TZ=UTC 0 5 * * *", "time zone", "timeZone:"),
                ("TZ=", "time zone", "use `timeZone:`"),
                ("0 0 5 * * *", "6 fields", "did you mean `0 5 * * *`? Kubernetes schedules have no seconds field"),
                ("0 5 * * * /bin/backup", "6 fields", "did you mean `0 5 * * *`?"),
                ("0 0 5 * * * 2024", "7 fields", "no seconds or year"),
                ("* * *", "3 fields instead of 5", "five fields"),
                ("75 * * * *", "minute field: `75` is out of range", ""),
                ("0 24 * * *", "hour field: `24`", ""),
                ("0 0 0 * *", "day-of-month field: `0`", ""),
                ("0 0 32 * *", "day-of-month field: `32` is out of range", "the day-of-month field takes 1-31"),
                ("0 0 * 13 *", "month field: `13` is out of range", "takes 1-12 or JAN-DEC"),
                ("0 0 * 0 *", "month field", ""),
                ("0 0 * * 7", "day-of-week field: `7`", "use `0` or `SUN` for Sunday"),
                ("0 0 * * 8", "day-of-week field: `8` is out of range", "takes 0-6 or SUN-SAT"),
                ("0 22-2 * * *", "runs backwards", "use `22-23,0-2`"),
                ("0 5-1/2 * * *", "runs backwards", "smaller value first"),
                ("? * * * *", "`?` is only allowed", "use `*`"),
                ("0 ? * * *", "`?` is only allowed", ""),
                ("0 0 * * MONDAY", "not a number or a day name", "use `MON`"),
                ("0 0 * * MNO", "day name", "use `MON`"),
                ("0 0 * FOO *", "month name", ""),
                ("0 0 MON * *", "`MON` is not a number", ""),
                ("*/0 * * * *", "step must be at least 1", ""),
                ("*/x * * * *", "step `x` is not a number", ""),
                ("*/5/2 * * * *", "more than one `/`", ""),
                ("1-2-3 * * * *", "more than one `-`", ""),
                ("*-5 * * * *", "mixes `*` with a range", ""),
                ("1,,2 * * * *", "empty list item", "extra `,`"),
                ("1, * * * *", "empty list item", ""),
                ("-5 * * * *", "value is missing", ""),
                ("+5 * * * *", "not a number", ""),
                ("0 0 L * *", "not a number", "`L`, `W` or `#`"),
                ("0 0 * * 5#3", "", "`L`, `W` or `#`"),
                ("99999999999999999999 * * * *", "out of range", ""),
                ("@Daily", "macro", "did you mean `@daily`?"),
                ("@dayly", "macro", "did you mean `@daily`?"),
                ("@reboot", "macro", "`@hourly`"),
                ("@every 5m", "`@every`", "use `*/5 * * * *`"),
                ("@every 2h", "`@every`", "use `0 */2 * * *`"),
                ("@every 7m", "`@every`", "five fields"),
                ("@", "macro", ""),
                ("0 5 * * * *", "6 fields", "seconds"),
                ("٥ * * * *", "not a number", ""),
            ],
        );
    }

    #[test]
    fn time_zone_checks() {
        accepts(time_zone, &["Europe/Amsterdam", "UTC", "America/New_York", "Asia/Kolkata", "Etc/GMT+1"]);
        rejects(
            time_zone,
            &[
                ("", "empty", "`Europe/Amsterdam`"),
                ("Europe/Amsterdm", "not a known time zone", "did you mean `Europe/Amsterdam`?"),
                ("europe/amsterdam", "not a known time zone", "did you mean `Europe/Amsterdam`?"),
                ("Amsterdam", "", "did you mean `Europe/Amsterdam`?"),
                ("new york", "", "did you mean `America/New_York`?"),
                ("America/NewYork", "", "did you mean `America/New_York`?"),
                ("UTC+1", "", "name a region"),
                ("+01:00", "", "name a region"),
                ("Mars/Olympus", "not a known time zone", "IANA"),
                ("Local", "not a known time zone", ""),
                ("CET ", "", ""),
            ],
        );
        assert_eq!(hint(time_zone("Europe/Amsterdm")), "did you mean `Europe/Amsterdam`?");
    }
}
