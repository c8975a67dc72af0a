//! The whole driver on the exported model zoo of test-suite/models (zoo.tsv): the torchvision
//! classifiers and the small Hugging Face transformers. Each one schedules on a spatial
//! accelerator — every MAC of the network in the schedule, the count crates/onnx's import test
//! checks — and compiles to a dataflow design for the U55C: in one bitstream where its distinct
//! region designs fit side by side, and otherwise (GoogLeNet, DenseNet, ConvNeXt) with an error
//! naming `--regions time-shared`, which then compiles.

mod common;
use common::{check_group_accounting, dnnc, root};

/// (model path, MACs, whether one bitstream holds its region designs).
fn zoo() -> Vec<(String, u64, bool)> {
    let table = std::fs::read_to_string(root().join("test-suite/models/zoo.tsv")).unwrap();
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|row| {
            let f: Vec<&str> = row.split('\t').collect();
            let path = root().join(format!("test-suite/models/{}.onnx", f[0])).to_string_lossy().into_owned();
            (path, f[1].parse().unwrap(), f[2] == "yes")
        })
        .collect()
}

#[test]
fn every_model_schedules_all_its_macs() {
    for (model, macs, _) in zoo() {
        let (code, json, err) = dnnc(&[&model, "--arch", "tpu_like", "--emit=json"]);
        assert_eq!(code, 0, "{model}: {err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["totals"]["macs"].as_u64(), Some(macs), "{model}");
        let latency = v["totals"]["latency_cycles"].as_f64().unwrap();
        // No faster than the array's peak.
        assert!(latency >= macs as f64 / 1024.0, "{model}: {latency} cycles for {macs} MACs on 1024 PEs");
        check_group_accounting(&v, &model);
    }
}

#[test]
fn every_model_compiles_for_the_u55c() {
    for (model, _, resident) in zoo() {
        let (code, report, err) = dnnc(&[&model, "--arch", "u55c", "--emit=report"]);
        if resident {
            assert_eq!(code, 0, "{model}: {err}");
            assert!(report.contains("one instance each"), "{model}: {report}");
            // The same bitstream for a stream of requests: one request per period, never
            // slower than one request at a time.
            let (code, piped, err) = dnnc(&[&model, "--arch", "u55c", "--emit=report", "--regions", "pipelined"]);
            assert_eq!(code, 0, "{model}: {err}");
            let resident_ms = ms_after(&report, "\n  latency");
            match piped.lines().find(|l| l.trim_start().starts_with("pipelined      one request")) {
                Some(line) => {
                    assert!(ms_after(line, "every") <= resident_ms * 1.0001, "{model}: {line} vs {resident_ms} ms")
                }
                // One region (nothing to overlap), or designs bound by HBM bandwidth, which
                // they would share: allocated resident, one request at a time, and said so.
                None => {
                    let declined: Vec<&str> = piped.lines().filter(|l| l.contains("pipelined      declined")).collect();
                    let rest: Vec<&str> = piped.lines().filter(|l| !l.contains("pipelined      declined")).collect();
                    assert_eq!(rest, report.lines().collect::<Vec<_>>(), "{model}: not the resident design");
                    assert!(declined.len() == 1 || report.contains("  1 region(s)"), "{model}: {piped}");
                }
            }
            continue;
        }
        assert_ne!(code, 0, "{model}: its designs fit side by side now; mark it `yes` in zoo.tsv");
        assert!(err.contains("--regions time-shared"), "{model}: {err}");
        let (code, report, err) = dnnc(&[&model, "--arch", "u55c", "--emit=report", "--regions", "time-shared"]);
        assert_eq!(code, 0, "{model}: {err}");
        assert!(report.contains("time-shared") && report.contains("largest region"), "{model}: {report}");
    }
}

/// The number of milliseconds after the first `word` in `text` ("latency        57.880 ms").
fn ms_after(text: &str, word: &str) -> f64 {
    let at = text.find(word).unwrap_or_else(|| panic!("no '{word}' in {text}")) + word.len();
    text[at..]
        .split_whitespace()
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no number after '{word}'"))
}
