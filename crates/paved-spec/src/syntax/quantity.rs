//! Kubernetes quantities: CPU in cores or millicores, memory and storage in
//! whole bytes. Checked exactly (no floating point) so `0.1Ki` is refused and
//! `0.5Ki` accepted, as the API server would.

use paved_jsonschema::quote;

use super::{Issue, Problem, compact, describe_char, did_you_mean_hint, is_space_or_control};

const CPU_HINT: &str = "CPU is in cores (`0.5`) or millicores (`500m`)";
const MEMORY_HINT: &str = "use bytes with a binary unit, like `512Mi` or `1Gi`";

/// The number part of a Kubernetes quantity, `[+-]?digits[.digits]`, and what follows it.
#[derive(Debug)]
struct Number<'a> {
    negative: bool,
    /// The number as written, with its sign: `512`, `-0.5`.
    text: &'a str,
    /// Everything after the number: `Mi`, `m`, `e3`, `MB`.
    suffix: &'a str,
    /// The significant digits without leading or trailing zeros; empty for zero.
    digits: String,
    /// The value is `digits × 10^exp10` (before the suffix).
    exp10: i64,
}

fn parse_number(value: &str) -> Result<Number<'_>, Issue> {
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let end = unsigned.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(end);
    let text = value.strip_suffix(suffix).unwrap_or(value);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if frac.contains('.') {
        return Err(Issue::new("it has more than one `.`"));
    }
    if int.is_empty() && frac.is_empty() {
        return Err(Issue::new("it does not start with a number"));
    }
    let mut digits: String = int.chars().chain(frac.chars()).skip_while(|c| *c == '0').collect();
    let mut exp10 = -i64::try_from(frac.len()).unwrap_or(i64::MAX);
    while digits.ends_with('0') {
        digits.pop();
        exp10 = exp10.saturating_add(1);
    }
    Ok(Number { negative, text, suffix, digits, exp10 })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// A power of ten: `m` is -3, `k` is 3, `e9` is 9.
    Decimal(i64),
    /// A power of two: `Ki` is 10, `Mi` is 20.
    Binary(u32),
}

/// The unit of a Kubernetes quantity suffix.
fn unit(suffix: &str) -> Option<Unit> {
    Some(match suffix {
        "" => Unit::Decimal(0),
        "n" => Unit::Decimal(-9),
        "u" => Unit::Decimal(-6),
        "m" => Unit::Decimal(-3),
        "k" => Unit::Decimal(3),
        "M" => Unit::Decimal(6),
        "G" => Unit::Decimal(9),
        "T" => Unit::Decimal(12),
        "P" => Unit::Decimal(15),
        "E" => Unit::Decimal(18),
        "Ki" => Unit::Binary(10),
        "Mi" => Unit::Binary(20),
        "Gi" => Unit::Binary(30),
        "Ti" => Unit::Binary(40),
        "Pi" => Unit::Binary(50),
        "Ei" => Unit::Binary(60),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let (negative, digits) = match exponent.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, exponent.strip_prefix('+').unwrap_or(exponent)),
            };
            if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i64 = digits.parse().ok()?;
            Unit::Decimal(if negative { -n } else { n })
        }
    })
}

/// Whether `digits` (decimal digits, no leading zeros) is divisible by 5^n.
fn divisible_by_pow5(digits: &str, n: u64) -> bool {
    let mut number: Vec<u32> = digits.bytes().map(|b| u32::from(b.saturating_sub(b'0'))).collect();
    for _ in 0..n {
        let mut remainder = 0;
        for digit in &mut number {
            let current = remainder * 10 + *digit;
            *digit = current / 5;
            remainder = current % 5;
        }
        if remainder != 0 {
            return false;
        }
    }
    true
}

/// Whether the quantity is a whole number of base units (bytes).
fn is_whole(number: &Number<'_>, unit: Unit) -> bool {
    if number.digits.is_empty() {
        return true;
    }
    match unit {
        Unit::Decimal(e) => number.exp10.saturating_add(e) >= 0,
        Unit::Binary(bits) => {
            // digits × 10^exp10 × 2^bits, where digits has no trailing zeros: whole when
            // the 10^-n is cancelled by 2^bits and by 5^n dividing the digits.
            if number.exp10 >= 0 {
                return true;
            }
            let n = number.exp10.unsigned_abs();
            n <= u64::from(bits) && divisible_by_pow5(&number.digits, n)
        }
    }
}

fn whitespace_problem(value: &str, c: char, valid: impl Fn(&str) -> bool, fallback: &str) -> Problem {
    let fixed = compact(value);
    let hint = if !fixed.is_empty() && valid(&fixed) { did_you_mean_hint(&fixed) } else { fallback.to_string() };
    Problem::new(format!("{} contains {}", quote(value), describe_char(c))).with_hint(hint)
}

/// The size of a valid quantity in base units (cores, bytes), to compare
/// quantities written in different units: `500m` < `1` and `1Gi` > `1G`.
/// `None` when it is not a quantity.
pub fn quantity_magnitude(value: &str) -> Option<f64> {
    let number = parse_number(value).ok()?;
    let mantissa: f64 = if number.digits.is_empty() { 0.0 } else { number.digits.parse().ok()? };
    let scale = match unit(number.suffix)? {
        Unit::Decimal(e) => 10f64.powi(i32::try_from(e).ok()?),
        Unit::Binary(bits) => 2f64.powi(i32::try_from(bits).ok()?),
    };
    let sign = if number.negative { -1.0 } else { 1.0 };
    Some(sign * mantissa * 10f64.powi(i32::try_from(number.exp10).ok()?) * scale)
}

/// Check a CPU request: a Kubernetes quantity greater than zero in cores (`2`, `0.5`) or
/// millicores (`500m`), no finer than one millicore.
pub fn cpu_quantity(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("CPU amount is empty").with_hint(CPU_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(whitespace_problem(value, c, |v| cpu_quantity(v).is_ok(), CPU_HINT));
    }
    let number = parse_number(value)
        .map_err(|issue| bad(&format!("is not a CPU amount: {}", issue.reason)).with_hint(CPU_HINT))?;
    let text = number.text;
    if number.negative && !number.digits.is_empty() {
        return Err(bad("is negative").with_hint(CPU_HINT));
    }
    let suffix = number.suffix;
    let exponent = match unit(suffix) {
        Some(Unit::Decimal(e)) if matches!(suffix, "" | "m" | "u" | "n") => e,
        Some(Unit::Decimal(e)) if suffix.len() > 1 && suffix.starts_with(['e', 'E']) => e,
        Some(Unit::Decimal(_)) if suffix == "M" => {
            return Err(bad("is in millions of cores")
                .with_hint(format!("did you mean {}? {CPU_HINT}", quote(&format!("{text}m")))));
        }
        Some(Unit::Decimal(_)) => {
            return Err(bad(&format!("uses the unit {}, which is not for CPU", quote(suffix))).with_hint(CPU_HINT));
        }
        Some(Unit::Binary(_)) => {
            return Err(bad(&format!("uses the memory unit {}", quote(suffix))).with_hint(CPU_HINT));
        }
        None => {
            let hint = match suffix.to_ascii_lowercase().as_str() {
                "core" | "cores" | "cpu" | "cpus" | "c" => did_you_mean_hint(text),
                "millicore" | "millicores" | "mcpu" | "millicpu" | "mc" => did_you_mean_hint(&format!("{text}m")),
                _ => CPU_HINT.to_string(),
            };
            return Err(bad(&format!("has the unknown unit {}", quote(suffix))).with_hint(hint));
        }
    };
    if number.digits.is_empty() {
        return Err(bad("is zero").with_hint("request some CPU, like `100m`"));
    }
    let millicore_exponent = number.exp10.saturating_add(exponent).saturating_add(3);
    if millicore_exponent < 0 {
        // Round up to whole millicores for the hint: drop the fractional digits, add one.
        let drop = usize::try_from(millicore_exponent.unsigned_abs()).unwrap_or(usize::MAX);
        let whole = number.digits.len().saturating_sub(drop);
        let rounded = number
            .digits
            .get(..whole)
            .filter(|d| d.len() <= 30)
            .map(|d| d.parse::<u128>().unwrap_or(0).saturating_add(1));
        let hint = match rounded {
            Some(m) => format!("use whole millicores, like `{m}m`"),
            None => "use whole millicores".to_string(),
        };
        return Err(bad("is finer than one millicore").with_hint(hint));
    }
    Ok(())
}

fn memory_unit_hint(text: &str, suffix: &str) -> String {
    let lower = suffix.to_ascii_lowercase();
    if matches!(lower.as_str(), "b" | "byte" | "bytes") {
        return format!("a size without a unit is in bytes: did you mean {}?", quote(text));
    }
    let stem = suffix.strip_suffix(['b', 'B']).unwrap_or(suffix);
    let mut chars = stem.chars();
    let prefix = chars.next().map(|c| c.to_ascii_uppercase());
    let rest = chars.as_str();
    let names = match prefix {
        Some('K') => Some(("kibibytes", "kilobytes")),
        Some('M') => Some(("mebibytes", "megabytes")),
        Some('G') => Some(("gibibytes", "gigabytes")),
        Some('T') => Some(("tebibytes", "terabytes")),
        Some('P') => Some(("pebibytes", "petabytes")),
        Some('E') => Some(("exbibytes", "exabytes")),
        _ => None,
    };
    match (prefix, names) {
        (Some(p), Some((binary_name, decimal_name))) if rest.is_empty() || rest.eq_ignore_ascii_case("i") => {
            let binary = format!("{text}{p}i");
            if rest.is_empty() {
                let decimal = format!("{text}{}", if p == 'K' { 'k' } else { p });
                format!("write {} for {binary_name}, or {} for {decimal_name}", quote(&binary), quote(&decimal))
            } else {
                did_you_mean_hint(&binary)
            }
        }
        _ => MEMORY_HINT.to_string(),
    }
}

/// Check a memory or storage size: a Kubernetes quantity greater than zero and a whole
/// number of bytes, like `128Mi`, `1Gi`, `500M`, `1e9` or `134217728`.
///
/// A lowercase `m` means thousandths (`512m` is half a byte), so it is an error with a
/// hint for `Mi`; `MB`, `GB`, `Mib` and the like get the right suffix as a hint.
pub fn memory_quantity(value: &str) -> Result<(), Problem> {
    let bad = |reason: &str| Problem::new(format!("{} {reason}", quote(value)));
    if value.is_empty() {
        return Err(Problem::new("size is empty").with_hint(MEMORY_HINT));
    }
    if let Some(c) = value.chars().find(|c| is_space_or_control(*c)) {
        return Err(whitespace_problem(value, c, |v| memory_quantity(v).is_ok(), MEMORY_HINT));
    }
    let number =
        parse_number(value).map_err(|issue| bad(&format!("is not a size: {}", issue.reason)).with_hint(MEMORY_HINT))?;
    let text = number.text;
    if number.negative && !number.digits.is_empty() {
        return Err(bad("is negative").with_hint(MEMORY_HINT));
    }
    if number.suffix == "m" {
        return Err(bad("is in thousandths of a byte").with_hint(did_you_mean_hint(&format!("{text}Mi"))));
    }
    let Some(unit) = unit(number.suffix) else {
        if number.suffix.starts_with('e') || (number.suffix.starts_with('E') && number.suffix.len() > 1) {
            return Err(bad("has an invalid exponent").with_hint("write the exponent as a whole number, like `1e9`"));
        }
        return Err(bad(&format!("has the unknown unit {}", quote(number.suffix)))
            .with_hint(memory_unit_hint(text, number.suffix)));
    };
    if number.digits.is_empty() {
        return Err(bad("is zero").with_hint("use a positive size, like `512Mi`"));
    }
    if !is_whole(&number, unit) {
        return Err(bad("is not a whole number of bytes").with_hint("use whole bytes or a larger unit, like `512Mi`"));
    }
    Ok(())
}

/// Check a container's memory (request or limit): a size as [`memory_quantity`]
/// checks it, in binary units only (`256Mi`, `1Gi`), as the app file's
/// reference says. `128M` is 128,000,000 bytes, not the 128 MiB people mean,
/// and a bare number is bytes (`512` is half a kibibyte): both are refused with
/// the binary size they were most likely meant as.
pub fn container_memory(value: &str) -> Result<(), Problem> {
    memory_quantity(value)?;
    let Ok(number) = parse_number(value) else { return Ok(()) };
    let text = number.text;
    let decimal_name = match number.suffix {
        "k" => Some(("kilobytes", "Ki")),
        "M" => Some(("megabytes", "Mi")),
        "G" => Some(("gigabytes", "Gi")),
        "T" => Some(("terabytes", "Ti")),
        "P" => Some(("petabytes", "Pi")),
        "E" => Some(("exabytes", "Ei")),
        _ => None,
    };
    if let Some((name, binary)) = decimal_name {
        return Err(Problem::new(format!(
            "{} is in {name} (powers of 1000); memory is given in binary units",
            quote(value)
        ))
        .with_hint(did_you_mean_hint(&format!("{text}{binary}"))));
    }
    match unit(number.suffix) {
        Some(Unit::Binary(_)) | None => Ok(()),
        Some(Unit::Decimal(e)) => {
            let bytes = whole_bytes(&number, e);
            let hint = match bytes.and_then(binary_size) {
                Some(size) => did_you_mean_hint(&size),
                // A small bare number is a size in MiB with the unit forgotten.
                None => match bytes {
                    Some(n) if number.suffix.is_empty() && n < 1 << 20 => did_you_mean_hint(&format!("{n}Mi")),
                    _ => MEMORY_HINT.to_owned(),
                },
            };
            Err(Problem::new(format!("{} has no binary unit, so it is a number of bytes", quote(value)))
                .with_hint(hint))
        }
    }
}

/// The quantity `number × 10^e` as a whole number of bytes, when it is one and fits.
fn whole_bytes(number: &Number<'_>, e: i64) -> Option<u128> {
    let exponent = u32::try_from(number.exp10.checked_add(e)?).ok()?;
    if number.digits.is_empty() {
        return Some(0);
    }
    if number.digits.len() > 38 {
        return None;
    }
    number.digits.parse::<u128>().ok()?.checked_mul(10u128.checked_pow(exponent)?)
}

/// `bytes` in the largest binary unit that divides it exactly, from `Ki` up (`134217728` → `128Mi`).
fn binary_size(bytes: u128) -> Option<String> {
    let units = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let (size, unit) = units
        .iter()
        .enumerate()
        .map(|(i, unit)| (1u128 << (10 * (i + 1)), *unit))
        .rfind(|(scale, _)| bytes >= *scale && bytes % scale == 0)?;
    Some(format!("{}{unit}", bytes / size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::testing::{accepts, hint, rejects};

    #[test]
    fn cpu_quantity_checks() {
        accepts(cpu_quantity, &["100m", "1m", "0.5", "2", "1.5", "+1", ".5", "5.", "1e-1", "1000000n", "2000u", "64"]);
        rejects(
            cpu_quantity,
            &[
                ("", "empty", "cores"),
                ("500Mi", "memory unit `Mi`", "CPU is in cores (`0.5`) or millicores (`500m`)"),
                ("1Gi", "memory unit", "CPU is in cores"),
                ("500M", "millions of cores", "did you mean `500m`?"),
                ("2k", "not for CPU", "CPU is in cores"),
                ("1G", "not for CPU", ""),
                ("0", "is zero", "like `100m`"),
                ("0m", "is zero", ""),
                ("0.000", "is zero", ""),
                ("-1", "negative", "CPU is in cores"),
                ("-100m", "negative", ""),
                ("0.0005", "finer than one millicore", "like `1m`"),
                ("1.5m", "finer than one millicore", "like `2m`"),
                ("100n", "finer than one millicore", "like `1m`"),
                ("2cores", "unknown unit `cores`", "did you mean `2`?"),
                ("500millicores", "unknown unit", "did you mean `500m`?"),
                ("500 m", "contains a space", "did you mean `500m`?"),
                ("2 cores", "contains a space", "CPU is in cores"),
                ("abc", "does not start with a number", ""),
                ("1..2", "more than one `.`", ""),
                (".", "does not start with a number", ""),
                ("--1", "does not start with a number", ""),
                ("1e", "unknown unit", ""),
                ("1e3m", "unknown unit `e3m`", ""),
                ("1e9999999999999999", "unknown unit", ""),
                ("½", "", ""),
            ],
        );
    }

    #[test]
    fn memory_quantity_checks() {
        accepts(
            memory_quantity,
            &[
                "128Mi",
                "1Gi",
                "500M",
                "1e9",
                "1E9",
                "134217728",
                "1.5Gi",
                "0.5Ki",
                "0.25Mi",
                "1k",
                "2Ti",
                "1E",
                "+1Gi",
                "1.000",
                "0.0009765625Mi",
            ],
        );
        rejects(
            memory_quantity,
            &[
                ("", "empty", "`512Mi`"),
                ("512m", "thousandths of a byte", "did you mean `512Mi`?"),
                ("1.5m", "thousandths", "did you mean `1.5Mi`?"),
                ("512mb", "unknown unit `mb`", "write `512Mi` for mebibytes, or `512M` for megabytes"),
                ("512MB", "unknown unit `MB`", "`512Mi`"),
                ("1GB", "unknown unit `GB`", "write `1Gi` for gibibytes, or `1G` for gigabytes"),
                ("1gb", "unknown unit", "`1Gi`"),
                ("512Mib", "unknown unit", "did you mean `512Mi`?"),
                ("512MiB", "unknown unit", "did you mean `512Mi`?"),
                ("512mi", "unknown unit", "did you mean `512Mi`?"),
                ("1K", "unknown unit `K`", "write `1Ki` for kibibytes, or `1k` for kilobytes"),
                ("1KB", "unknown unit", "`1Ki`"),
                ("2TB", "unknown unit", "`2Ti`"),
                ("512b", "unknown unit", "did you mean `512`?"),
                ("12xyz", "unknown unit", "`512Mi`"),
                ("0", "is zero", "positive"),
                ("0Gi", "is zero", ""),
                ("-1Gi", "negative", ""),
                ("0.5", "not a whole number of bytes", ""),
                ("0.1Ki", "not a whole number of bytes", ""),
                ("1e-1", "not a whole number of bytes", ""),
                ("1u", "not a whole number of bytes", ""),
                ("1e", "invalid exponent", "`1e9`"),
                ("512 Mi", "contains a space", "did you mean `512Mi`?"),
                ("Mi", "does not start with a number", ""),
                ("1.2.3Gi", "more than one `.`", ""),
            ],
        );
        assert_eq!(hint(memory_quantity("512m")), "did you mean `512Mi`?");
    }

    #[test]
    fn container_memory_checks() {
        accepts(container_memory, &["128Mi", "1Gi", "1.5Gi", "0.5Ki", "2Ti", "+1Gi"]);
        rejects(
            container_memory,
            &[
                ("128M", "in megabytes (powers of 1000)", "did you mean `128Mi`?"),
                ("1G", "in gigabytes", "did you mean `1Gi`?"),
                ("1.5G", "in gigabytes", "did you mean `1.5Gi`?"),
                ("500k", "in kilobytes", "did you mean `500Ki`?"),
                ("1E", "in exabytes", "did you mean `1Ei`?"),
                ("134217728", "no binary unit", "did you mean `128Mi`?"),
                ("512", "no binary unit", "did you mean `512Mi`?"),
                ("1e9", "no binary unit", "like `512Mi`"),
                ("1.000", "no binary unit", "did you mean `1Mi`?"),
                ("1073741824", "no binary unit", "did you mean `1Gi`?"),
                ("512MB", "unknown unit", "`512Mi`"),
                ("512m", "thousandths", "did you mean `512Mi`?"),
                ("0", "is zero", ""),
            ],
        );
    }

    #[test]
    fn memory_whole_bytes_with_binary_units() {
        // 2^-10 Mi is exactly 1 Ki; 2^-21 Mi is half a byte.
        assert!(memory_quantity("0.0009765625Mi").is_ok());
        assert!(memory_quantity("0.000000476837158203125Mi").is_err());
        assert!(memory_quantity("0.5Ki").is_ok());
        assert!(memory_quantity("0.3Ki").is_err());
        assert!(divisible_by_pow5("125", 3));
        assert!(!divisible_by_pow5("126", 1));
    }

    #[test]
    fn quantities_compare_across_units() {
        let m = |v| quantity_magnitude(v).unwrap_or(f64::NAN);
        assert!(m("500m") < m("1") && m("1") < m("1.5") && m("1.5") == m("1500m"));
        assert!(m("1G") < m("1Gi") && m("256Mi") < m("512Mi") && m("1Gi") == m("1024Mi"));
        assert!(m("1e3") == m("1k"));
        assert_eq!(quantity_magnitude("1 Gi"), None);
    }
}
