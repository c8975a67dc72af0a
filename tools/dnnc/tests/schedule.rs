//! The schedule's latency accounting (`--emit=json`): fused groups whose vector work runs
//! beside the array, and totals that add up.

mod common;
use common::{dnnc, root};

fn latency(v: &serde_json::Value) -> f64 {
    v["cost"]["latency_cycles"].as_f64().unwrap()
}

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
    let model = root().join(format!("test-suite/models/{model}.onnx"));
    let (code, json, err) = dnnc(&[model.to_str().unwrap(), "--arch", arch, "--emit=json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let layers = v["layers"].as_array().unwrap();
    let groups = v["groups"].as_array().unwrap();
    assert!(!groups.is_empty());
    let mut in_group = vec![false; layers.len()];
    let mut hidden_somewhere = false;
    for g in groups {
        let members: Vec<usize> =
            g["layers"].as_array().unwrap().iter().map(|m| m.as_u64().unwrap() as usize).collect();
        let group_latency = g["latency_cycles"].as_f64().unwrap();
        let serial: f64 = members.iter().map(|&m| latency(&layers[m])).sum();
        let array: f64 =
            members.iter().filter(|&&m| layers[m]["unit"] == "pe_array").map(|&m| latency(&layers[m])).sum();
        // The array runs its layers one after another; the vector unit can only hide behind it.
        assert!(group_latency <= serial * (1.0 + 1e-12), "{g}");
        assert!(group_latency >= array * (1.0 - 1e-12), "{g}");
        hidden_somewhere |= group_latency < serial * (1.0 - 1e-6);
        // Every member runs for at least its latency, within the group's span.
        for (k, &m) in members.iter().enumerate() {
            let (start, end) = (g["starts"][k].as_f64().unwrap(), g["ends"][k].as_f64().unwrap());
            assert!(start >= 0.0 && end <= group_latency * (1.0 + 1e-9), "{g}");
            assert!(end - start >= latency(&layers[m]) * (1.0 - 1e-9), "{g}");
            in_group[m] = true;
        }
    }
    assert!(hidden_somewhere, "{model:?} on {arch}: an activation after a MAC layer streams along its output");
    let outside: f64 = layers.iter().zip(&in_group).filter(|(_, g)| !**g).map(|(l, _)| latency(l)).sum();
    let grouped: f64 = groups.iter().map(|g| g["latency_cycles"].as_f64().unwrap()).sum();
    let total = v["totals"]["latency_cycles"].as_f64().unwrap();
    assert!((total - (outside + grouped)).abs() <= 1e-9 * total, "{total} vs {outside} + {grouped}");
    assert!(total <= v["totals"]["layerwise_latency_cycles"].as_f64().unwrap());
}
