//! The `tpu_like` and `eyeriss_like` presets equal ZigZag 3.9.1's bundled hardware files (copied
//! into tests/data/, see tests/data/README.md) field by field, apart from the vector unit that only
//! dnnc's presets have.

use dnnc_arch::{Accelerator, Memory};

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn assert_memory_eq(preset: &Memory, zigzag: &Memory) {
    let n = &zigzag.name;
    assert_eq!(preset.name, zigzag.name);
    assert_eq!(preset.size_bits, zigzag.size_bits, "{n}: size");
    assert_eq!(preset.read_pj, zigzag.read_pj, "{n}: r_cost");
    assert_eq!(preset.write_pj, zigzag.write_pj, "{n}: w_cost");
    assert_eq!(preset.latency_cycles, zigzag.latency_cycles, "{n}: latency");
    assert_eq!(preset.operands, zigzag.operands, "{n}: operands");
    assert_eq!(preset.served_dims, zigzag.served_dims, "{n}: served_dimensions");
    assert_eq!(preset.double_buffered, zigzag.double_buffered, "{n}: force_double_buffering");
    assert_eq!(preset.ports.len(), zigzag.ports.len(), "{n}: number of ports");
    for (p, z) in preset.ports.iter().zip(&zigzag.ports) {
        assert_eq!(p.name, z.name, "{n}: port name");
        assert_eq!(p.kind, z.kind, "{n}.{}: type", z.name);
        assert_eq!(p.bw_min_bits, z.bw_min_bits, "{n}.{}: bandwidth_min", z.name);
        assert_eq!(p.bw_max_bits, z.bw_max_bits, "{n}.{}: bandwidth_max", z.name);
        assert_eq!(p.serves, z.serves, "{n}.{}: allocation", z.name);
    }
}

fn check(preset_name: &str, yaml_file: &str) {
    let preset = Accelerator::preset(preset_name).unwrap();
    let zigzag = Accelerator::from_zigzag_yaml(&data(yaml_file), yaml_file).unwrap();
    assert!(preset.vector.is_some(), "every preset has a vector unit");
    assert_eq!(zigzag.vector, None, "ZigZag files have no vector unit");

    assert_eq!(preset.name, zigzag.name);
    assert_eq!(preset.clock_mhz, zigzag.clock_mhz);
    assert_eq!(preset.array.dims, zigzag.array.dims, "dimensions/sizes");
    assert_eq!(preset.array.mac_pj, zigzag.array.mac_pj, "unit_energy");
    assert_eq!(preset.array.systolic_dims, zigzag.array.systolic_dims, "systolic_dimensions");
    assert_eq!(preset.array.precision, zigzag.array.precision);
    assert_eq!(
        preset.memories.iter().map(|m| &m.name).collect::<Vec<_>>(),
        zigzag.memories.iter().map(|m| &m.name).collect::<Vec<_>>(),
        "memories and their order"
    );
    for (p, z) in preset.memories.iter().zip(&zigzag.memories) {
        assert_memory_eq(p, z);
    }
    // And nothing else differs.
    let mut without_vector = preset.clone();
    without_vector.vector = None;
    assert_eq!(without_vector, zigzag);
}

#[test]
fn tpu_like_preset_equals_zigzag() {
    check("tpu_like", "tpu_like.yaml");
}

#[test]
fn eyeriss_like_preset_equals_zigzag() {
    check("eyeriss_like", "eyeriss_like.yaml");
}
