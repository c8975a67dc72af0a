//! Number formats shared by the text report and the figures' axes, so both print a quantity
//! the same way.

/// `x` in engineering notation with three significant digits: the exponent is a multiple of
/// three, so magnitudes read as kilo/mega/giga at a glance (`42.0e6`, `5.42e6`, `512`, `12.8`,
/// `500e-3`). Zero is `0`; non-finite values print as Rust prints them (`inf`, `NaN`).
pub(crate) fn eng(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mut exp = (x.abs().log10() / 3.0).floor() as i32 * 3;
    let mut mant = x / 10f64.powi(exp);
    let mut decimals = decimals_for(mant.abs());
    let rounded = round_to(mant, decimals);
    // 999.7 rounds to 1000: move up one step so the mantissa stays below a thousand.
    if rounded.abs() >= 1000.0 {
        exp += 3;
        mant = x / 10f64.powi(exp);
        decimals = decimals_for(mant.abs());
    }
    let m = format!("{mant:.decimals$}");
    if exp == 0 { m } else { format!("{m}e{exp}") }
}

/// [`eng`] without trailing zeros in the mantissa (`1e3`, `45e6`, `12.5`): for axis ticks,
/// which are round numbers and where `1.00e3` is only noise.
pub(crate) fn short(x: f64) -> String {
    let e = eng(x);
    let (mant, exp) = e.split_once('e').map_or((e.as_str(), None), |(m, x)| (m, Some(x)));
    let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
    match exp {
        Some(exp) => format!("{mant}e{exp}"),
        None => mant.to_string(),
    }
}

/// Decimals that give three significant digits for a mantissa in [1, 1000).
fn decimals_for(mant: f64) -> usize {
    if mant >= 100.0 {
        0
    } else if mant >= 10.0 {
        1
    } else {
        2
    }
}

fn round_to(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    (x * scale).round() / scale
}

/// A loop or unroll factor: integral ones as integers (`32`), fractional ones (an uneven
/// unroll's average) with at most two decimals (`31.25`, `2.5`).
pub(crate) fn factor(f: f64) -> String {
    if f.fract() == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let s = format!("{f:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A fraction in [0, 1] as a percentage with one decimal (`78.0`).
pub(crate) fn percent(fraction: f64) -> String {
    format!("{:.1}", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engineering_notation() {
        assert_eq!(eng(0.0), "0");
        assert_eq!(eng(42e6), "42.0e6");
        assert_eq!(eng(5_419_008.0), "5.42e6");
        assert_eq!(eng(40_000.0), "40.0e3");
        assert_eq!(eng(512.0), "512");
        assert_eq!(eng(12.8), "12.8");
        assert_eq!(eng(1.5), "1.50");
        assert_eq!(eng(0.5), "500e-3");
        assert_eq!(eng(999.7), "1.00e3");
        assert_eq!(eng(-2.5e9), "-2.50e9");
        assert_eq!(eng(f64::INFINITY), "inf");
    }

    #[test]
    fn short_drops_trailing_zeros() {
        assert_eq!(short(1000.0), "1e3");
        assert_eq!(short(45e6), "45e6");
        assert_eq!(short(12.5e3), "12.5e3");
        assert_eq!(short(1.0), "1");
        assert_eq!(short(100.0), "100");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn factors_and_percentages() {
        assert_eq!(factor(32.0), "32");
        assert_eq!(factor(31.25), "31.25");
        assert_eq!(factor(2.5), "2.5");
        assert_eq!(factor(1.0 / 3.0), "0.33");
        assert_eq!(percent(0.78), "78.0");
    }
}
