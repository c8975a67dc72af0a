//! Capacities with units (`"2MiB"`, `"128B"`, `"1.5 KiB"`, `"24bit"`) for the TOML format.

/// Parses a capacity into bits. Byte units are binary (`B`, `KiB`, `MiB`, `GiB`, `TiB`); `bit`
/// or `bits` counts bits. The decimal-looking `KB`, `MB`, `GB`, `kB` are rejected as ambiguous
/// (hardware papers use them for powers of 1024, SI for powers of 1000). The result must be a
/// whole number of bits.
pub fn parse_capacity(text: &str) -> Result<u64, String> {
    let s = text.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_')).unwrap_or(s.len());
    let (number, unit) = (s[..split].replace('_', ""), s[split..].trim());
    if number.is_empty() {
        return Err(format!("\"{text}\" does not start with a number"));
    }
    let bits_per_unit: u64 = match unit {
        "bit" | "bits" | "b" => 1,
        "B" => 8,
        "KiB" => 8 << 10,
        "MiB" => 8 << 20,
        "GiB" => 8 << 30,
        "TiB" => 8 << 40,
        "" => return Err(format!("\"{text}\" has no unit (write e.g. \"128B\", \"2MiB\" or \"24bit\")")),
        "kB" | "KB" | "MB" | "GB" | "TB" | "kb" | "Kb" | "Mb" | "Gb" => {
            return Err(format!(
                "\"{text}\": {unit} is ambiguous (1000 or 1024?); write KiB/MiB/GiB for powers of 1024, or give capacity_bits"
            ));
        }
        _ => return Err(format!("\"{text}\": unknown unit \"{unit}\" (expected B, KiB, MiB, GiB, TiB or bit)")),
    };
    if let Ok(n) = number.parse::<u64>() {
        return n.checked_mul(bits_per_unit).ok_or_else(|| format!("\"{text}\" is too large"));
    }
    let x: f64 = number.parse().map_err(|_| format!("\"{text}\": \"{number}\" is not a number"))?;
    let bits = x * bits_per_unit as f64;
    if !bits.is_finite() || bits >= u64::MAX as f64 {
        return Err(format!("\"{text}\" is too large"));
    }
    if bits.fract() != 0.0 {
        return Err(format!("\"{text}\" is not a whole number of bits"));
    }
    Ok(bits as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_capacity;

    #[test]
    fn units() {
        assert_eq!(parse_capacity("128B"), Ok(1024));
        assert_eq!(parse_capacity("2MiB"), Ok(16_777_216));
        assert_eq!(parse_capacity("2 MiB"), Ok(16_777_216));
        assert_eq!(parse_capacity("8KiB"), Ok(65_536));
        assert_eq!(parse_capacity("1.5KiB"), Ok(12_288));
        assert_eq!(parse_capacity("24bit"), Ok(24));
        assert_eq!(parse_capacity("1_024B"), Ok(8192));
        assert_eq!(parse_capacity("0.375KiB"), Ok(3072));
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "MiB",
            "2",
            "2MB",
            "2KB",
            "2 XB",
            "1.0001B",
            "0.1bit",
            "99999999999999999999TiB",
            "1e9B",
            "-1B",
            "1.2.3B",
        ] {
            assert!(parse_capacity(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
