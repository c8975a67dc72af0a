//! No input makes a loader panic: truncated, line-dropped, byte-mutated and value-mutated versions
//! of every preset and every bundled ZigZag file give `Err` (or, where the damage happens to
//! leave a valid description, an accelerator that validates).

use std::panic::{AssertUnwindSafe, catch_unwind};

use dnnc_arch::{Accelerator, ArchError, PRESET_NAMES};

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Yaml,
}

fn parse(format: Format, text: &str) -> Result<Accelerator, ArchError> {
    match format {
        Format::Toml => Accelerator::from_toml(text, "t.toml"),
        Format::Yaml => Accelerator::from_zigzag_yaml(text, "t.yaml"),
    }
}

/// Every input of the corpus: (label, format, text).
fn corpus() -> Vec<(String, Format, String)> {
    let mut out: Vec<_> = PRESET_NAMES
        .iter()
        .map(|n| (format!("preset {n}"), Format::Toml, Accelerator::preset_source(n).unwrap().to_string()))
        .collect();
    let dir = format!("{}/tests/data", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        if path.extension().is_some_and(|e| e == "yaml") {
            out.push((path.display().to_string(), Format::Yaml, std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(out.len() >= 15, "the corpus lost its files");
    out
}

/// Runs the loader on `text`, failing the test on a panic or on an `Ok` that does not validate.
/// Returns whether it was an error.
fn check(label: &str, what: &str, format: Format, text: &str) -> bool {
    match catch_unwind(AssertUnwindSafe(|| parse(format, text))) {
        Err(_) => panic!("{label}: {what}: the loader panicked"),
        Ok(Ok(acc)) => {
            acc.validate().unwrap_or_else(|e| panic!("{label}: {what}: returned an invalid accelerator: {e}"));
            false
        }
        Ok(Err(e)) => {
            assert!(!e.to_string().is_empty());
            true
        }
    }
}

fn char_boundaries(text: &str) -> impl Iterator<Item = usize> + '_ {
    (0..text.len()).filter(|&i| text.is_char_boundary(i))
}

#[test]
fn truncated_files_are_errors_never_panics() {
    for (label, format, text) in corpus() {
        let (mut errors, mut total) = (0, 0);
        // Every cut point would be slow in debug builds for the larger files; every 7th byte plus
        // every line end covers mid-token, mid-key and between-entry cuts.
        let line_ends: std::collections::HashSet<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        for cut in char_boundaries(&text).filter(|i| i % 7 == 0 || line_ends.contains(i)) {
            total += 1;
            errors += check(&label, &format!("cut at byte {cut}"), format, &text[..cut]) as usize;
        }
        // Most prefixes lack a required part (the array, a memory's fields, the DRAM that every
        // operand needs on top); the few that parse only lost optional trailing parts.
        assert!(errors * 10 >= total * 9, "{label}: only {errors} of {total} truncations were errors");
    }
}

#[test]
fn empty_and_garbage_inputs_are_errors() {
    let garbage = [
        "",
        " ",
        "\n\n",
        "#",
        "\0",
        "\u{feff}",
        "[",
        "{",
        "]]]",
        "- - -",
        "name",
        "name:",
        "name =",
        "memories: 5",
        "name: x\nmemories: []\noperational_array: {}",
        "name = \"x\"\n[array]\n",
        "!!binary AAAA",
        "&a [*a]",
        "a: &a [*a, *a]\nb: *a",
        "\u{1F600}: \u{1F600}",
        "name: x\nname: y\n",
        "[[memory]]\n[[memory]]\n",
        "name = 1e999",
        "---\n---\n",
    ];
    let deep = [
        format!("name: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("name = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("a = {}1{}", "{b = ".repeat(10_000), "}".repeat(10_000)),
        format!("name: x\nmemories:\n{}", "  - ".repeat(10_000)),
        // Exponential alias expansion ("billion laughs").
        (0..20).fold("a0: &a0 [x]\n".to_string(), |s, i| {
            format!("{s}a{}: &a{} [*a{i}, *a{i}, *a{i}, *a{i}]\n", i + 1, i + 1)
        }) + "name: *a20\n",
    ];
    for text in garbage.iter().copied().chain(deep.iter().map(String::as_str)) {
        for format in [Format::Toml, Format::Yaml] {
            let shown: String = text.chars().take(40).collect();
            assert!(check("garbage", &format!("{shown:?}"), format, text), "{shown:?} was accepted");
        }
    }
    // Random bytes (a fixed linear congruential sequence, so the test is reproducible).
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for len in [1usize, 7, 64, 300] {
        for _ in 0..50 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (state >> 33) as u8
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            for format in [Format::Toml, Format::Yaml] {
                assert!(check("random bytes", &format!("{text:?}"), format, &text));
            }
        }
    }
}

#[test]
fn dropped_and_duplicated_lines_never_panic() {
    for (label, format, text) in corpus() {
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let dropped: String =
                lines.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, l)| format!("{l}\n")).collect();
            check(&label, &format!("line {} dropped", i + 1), format, &dropped);
            let doubled: String = lines
                .iter()
                .enumerate()
                .flat_map(|(j, l)| if j == i { vec![*l, *l] } else { vec![*l] })
                .map(|l| format!("{l}\n"))
                .collect();
            check(&label, &format!("line {} doubled", i + 1), format, &doubled);
        }
    }
}

#[test]
fn mutated_values_never_panic() {
    // Replace each number (and each quoted/bracketed value) with hostile ones.
    let hostile = [
        "0",
        "-1",
        "-0.0",
        "1e999",
        "-1e999",
        "nan",
        ".nan",
        "inf",
        ".inf",
        "18446744073709551616",
        "4294967296",
        "99999999999999999999999999",
        "\"\"",
        "\"2MiB\"",
        "[]",
        "{}",
        "~",
        "true",
        "[\"D9\"]",
    ];
    for (label, format, text) in corpus() {
        let mut sites = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_') {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                sites.push(start..i);
            } else {
                i += 1;
            }
        }
        // Three hostile values per site, rotating, so every value meets every kind of field
        // somewhere without multiplying the run time by the list's length.
        for (k, site) in sites.iter().enumerate() {
            for h in (0..3).map(|j| hostile[(3 * k + j) % hostile.len()]) {
                let mutated = format!("{}{h}{}", &text[..site.start], &text[site.end..]);
                check(
                    &label,
                    &format!("{:?} at byte {} replaced by {h}", &text[site.clone()], site.start),
                    format,
                    &mutated,
                );
            }
        }
        // Single-byte substitutions at a stride, with bytes that matter to both syntaxes.
        let specials = [":", "=", "[", "]", "\"", "'", "-", ",", "#", "\t", "&", "*", "!", "{"];
        for (k, cut) in char_boundaries(&text).step_by(13).enumerate() {
            for b in (0..2).map(|j| specials[(2 * k + j) % specials.len()]) {
                let end = (cut + 1..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
                let mutated = format!("{}{b}{}", &text[..cut], &text[end..]);
                check(&label, &format!("byte {cut} replaced by {b:?}"), format, &mutated);
            }
        }
    }
}
