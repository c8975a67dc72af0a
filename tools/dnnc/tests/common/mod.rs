//! What the driver's integration tests share: the repository root and an in-process `dnnc`.
// Each test binary uses its own subset of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root (test data paths are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the driver in process: exit code, stdout, stderr.
pub fn dnnc(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["dnnc".to_string()];
    argv.extend(args.iter().map(|s| s.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = dnnc::run(&argv, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}

/// Checks a schedule JSON's latency accounting: each group's latency lies between its PE-array
/// members' serial time (the array runs them one after another; the vector unit can only hide
/// behind it) and all its members' serial sum; each member runs at least its latency within the
/// group's span; the total is the layers outside groups plus the groups. Returns the cycles
/// the groups hide. `label` names the schedule in failures.
pub fn check_group_accounting(v: &serde_json::Value, label: &str) -> f64 {
    let latency = |l: &serde_json::Value| l["cost"]["latency_cycles"].as_f64().unwrap();
    let layers = v["layers"].as_array().unwrap();
    let groups = v["groups"].as_array().unwrap();
    let mut in_group = vec![false; layers.len()];
    let mut hidden = 0.0;
    for g in groups {
        let members: Vec<usize> =
            g["layers"].as_array().unwrap().iter().map(|m| m.as_u64().unwrap() as usize).collect();
        let group_latency = g["latency_cycles"].as_f64().unwrap();
        let serial: f64 = members.iter().map(|&m| latency(&layers[m])).sum();
        let array: f64 =
            members.iter().filter(|&&m| layers[m]["unit"] == "pe_array").map(|&m| latency(&layers[m])).sum();
        assert!(group_latency <= serial * (1.0 + 1e-12), "{label}: {g}");
        assert!(group_latency >= array * (1.0 - 1e-12), "{label}: {g}");
        hidden += serial - group_latency;
        for (k, &m) in members.iter().enumerate() {
            let (start, end) = (g["starts"][k].as_f64().unwrap(), g["ends"][k].as_f64().unwrap());
            assert!(start >= 0.0 && end <= group_latency * (1.0 + 1e-9), "{label}: {g}");
            assert!(end - start >= latency(&layers[m]) * (1.0 - 1e-9), "{label}: {g}");
            in_group[m] = true;
        }
    }
    let outside: f64 = layers.iter().zip(&in_group).filter(|(_, g)| !**g).map(|(l, _)| latency(l)).sum();
    let grouped: f64 = groups.iter().map(|g| g["latency_cycles"].as_f64().unwrap()).sum();
    let total = v["totals"]["latency_cycles"].as_f64().unwrap();
    assert!((total - (outside + grouped)).abs() <= 1e-9 * total, "{label}: {total} vs {outside} + {grouped}");
    assert!(total <= v["totals"]["layerwise_latency_cycles"].as_f64().unwrap() * (1.0 + 1e-12), "{label}");
    hidden
}
