//! Bad input never panics: every test file, mutated thousands of ways (deleted, duplicated and
//! inserted characters, deterministic seed), goes through dnnc-opt with no pipeline, with the
//! canonicalisation passes and with the graph-to-einsum lowering; each run must end with an
//! exit code, not a panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ALPHABET: &[u8] = b"%\"(){}[]<>:=,#^@!-+*x.0123456789adfiknrstu \n";

fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = text.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(3) {
            0 if !out.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            1 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(16)).min(out.len());
                let chunk = out[start..end].to_vec();
                out.splice(at..at, chunk);
            }
            _ => out.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
        }
    }
    out
}

#[test]
fn mutated_inputs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rng = Rng(0x5EED);
    let mut runs = 0;
    for rel in dnnc_test_suite::discover(root) {
        let text = std::fs::read(root.join(&rel)).unwrap();
        for i in 0..120 {
            let input = mutate(&text, &mut rng);
            let mut args = vec!["dnnc-opt".to_string(), "-".to_string(), "--split-input-file".to_string()];
            if i % 2 == 0 {
                args.push("--allow-unregistered-dialect".into());
            }
            match i % 3 {
                0 => args.push("--pass-pipeline=builtin.module(canonicalize,topological-sort)".into()),
                1 => args.push(
                    "--pass-pipeline=builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)"
                        .into(),
                ),
                _ => {}
            }
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let result = catch_unwind(AssertUnwindSafe(|| {
                dnnc_opt::run(&args, dnnc_opt::Env { stdin: &mut input.as_slice(), stdout: &mut out, stderr: &mut err })
            }));
            let code = result.unwrap_or_else(|_| {
                panic!(
                    "dnnc-opt panicked on a mutation of {} (args {args:?}):\n{}",
                    rel.display(),
                    String::from_utf8_lossy(&input)
                )
            });
            assert!((0..=2).contains(&code));
            runs += 1;
        }
    }
    assert!(runs > 1000);
}
