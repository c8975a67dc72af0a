//! The schedule's latency accounting (`--emit=json`): fused groups whose vector work runs
//! beside the array, and totals that add up.

mod common;
use common::{check_group_accounting, dnnc, root};

#[test]
fn a_group_hides_vector_work_behind_the_array_and_the_totals_add_up() {
    for (model, arch) in [
        ("resnet18", "tpu_like"),
        ("resnet18", "eyeriss_like"),
        ("gpt2_l2_s128", "tpu_like"),
        ("llama_l2_s256", "eyeriss_like"),
    ] {
        check_groups(model, arch);
    }
}

fn check_groups(model: &str, arch: &str) {
    let path = root().join(format!("test-suite/models/{model}.onnx"));
    let (code, json, err) = dnnc(&[path.to_str().unwrap(), "--arch", arch, "--emit=json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hidden = check_group_accounting(&v, &format!("{model} on {arch}"));
    assert!(hidden > 0.0, "{model} on {arch}: an activation after a MAC layer streams along its output");
}
