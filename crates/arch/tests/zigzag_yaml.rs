//! The ZigZag YAML reader on ZigZag 3.9.1's own hardware files (tests/data/) and on broken
//! variants of them: what is mapped, what is ignored, what is rejected and how errors read.

use dnnc_arch::{Accelerator, ArchError, Direction, Operand, PortKind, Precision, required_flows};

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Accelerator {
    Accelerator::from_zigzag_yaml(&data(name), name).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> String {
    Accelerator::from_zigzag_yaml(text, "hw.yaml").map(|_| ()).unwrap_err().to_string()
}

const NON_IMC: [&str; 9] = [
    "ascend_like.yaml",
    "edge_tpu_like.yaml",
    "eyeriss_like.yaml",
    "gemm_l1.yaml",
    "gemm_l1_l3.yaml",
    "generic_array_cacti.yaml",
    "meta_prototype.yaml",
    "tesla_npu_like.yaml",
    "tpu_like.yaml",
];

#[test]
fn every_bundled_non_imc_file_loads_and_validates() {
    for file in NON_IMC {
        let acc = load(file);
        acc.validate().unwrap();
        assert_eq!(acc.vector, None, "{file}");
        assert_eq!(acc.array.precision, Precision::default(), "{file}");
        assert_eq!(acc.clock_mhz, dnnc_arch::DEFAULT_CLOCK_MHZ, "{file}");
        // The rule validation enforces holds for ZigZag's own files.
        for op in Operand::ALL {
            let levels = acc.levels(op);
            for (i, &m) in levels.iter().enumerate() {
                for dir in required_flows(op, i, levels.len()) {
                    assert!(acc.memories[m].port_for(op, dir).is_some(), "{file}: {op:?} {dir:?}");
                }
            }
        }
    }
}

#[test]
fn in_memory_computing_files_are_rejected() {
    for file in ["aimc.yaml", "dimc.yaml"] {
        let e = Accelerator::from_zigzag_yaml(&data(file), file).unwrap_err().to_string();
        assert_eq!(
            e,
            format!("{file}: operational_array: in-memory-computing arrays (is_imc: true) are not modelled by dnnc")
        );
    }
}

#[test]
fn tpu_like_maps_every_field() {
    let acc = load("tpu_like.yaml");
    assert_eq!(acc.name, "tpu_like");
    assert_eq!(acc.array.dims.iter().map(|(d, &s)| (d.as_str(), s)).collect::<Vec<_>>(), [("D1", 32), ("D2", 32)]);
    assert_eq!(acc.array.pe_count(), 1024);
    assert_eq!(acc.array.mac_pj, 0.04);
    assert_eq!(acc.array.systolic_dims, ["D1", "D2"]);
    let names: Vec<_> = acc.memories.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["rf_128B", "rf_2B", "sram_2MB", "dram"]);
    assert_eq!(acc.levels(Operand::I), [2, 3]);
    assert_eq!(acc.levels(Operand::W), [0, 3]);
    assert_eq!(acc.levels(Operand::O), [1, 2, 3]);
    assert_eq!(acc.shared_top(), Some(3));

    // sram_2MB lists `ports:` twice (an old form first): the second wins, as in PyYAML.
    let (_, sram) = acc.memory("sram_2MB").unwrap();
    assert_eq!(sram.size_bits, 16_777_216);
    assert_eq!((sram.read_pj, sram.write_pj), (416.16, 378.4));
    assert_eq!(sram.operands, [Operand::I, Operand::O]);
    assert_eq!(sram.served_dims, ["D1", "D2"]);
    assert_eq!(sram.ports.len(), 2);
    let r = &sram.ports[0];
    assert_eq!((r.name.as_str(), r.kind, r.bw_min_bits, r.bw_max_bits), ("r_port_1", PortKind::Read, 64, 2048));
    assert_eq!(
        r.serves,
        [(Operand::I, Direction::ReadToLow), (Operand::O, Direction::ReadToLow), (Operand::O, Direction::ReadToHigh)]
    );
    assert_eq!(sram.port_for(Operand::O, Direction::WriteFromLow), Some(1));

    let (_, rf) = acc.memory("rf_2B").unwrap();
    assert_eq!(
        rf.ports.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["r_port_1", "r_port_2", "w_port_1", "w_port_2"]
    );
    let (_, dram) = acc.memory("dram").unwrap();
    assert_eq!(dram.size_bits, 10_000_000_000);
    assert_eq!(dram.ports[0].kind, PortKind::ReadWrite);
    assert_eq!(dram.ports[0].serves.len(), 8);
}

#[test]
fn double_buffering_and_capitalised_booleans() {
    // gemm_l1_l3.yaml: `force_double_buffering: True`, `auto_cost_extraction: False`.
    let acc = load("gemm_l1_l3.yaml");
    let (_, l1) = acc.memory("l1").unwrap();
    assert!(l1.double_buffered);
    assert!(!acc.memory("reg_O").unwrap().1.double_buffered);
    assert_eq!(l1.ports.len(), 4);
}

#[test]
fn a_flow_allocated_twice_belongs_to_the_last_port() {
    // generic_array_cacti.yaml's sram_32MB lists O tl/th on both read ports and O fh/fl on both
    // write ports; ZigZag keeps the allocation in a dict, so the later port wins.
    let acc = load("generic_array_cacti.yaml");
    let (_, sram) = acc.memory("sram_32MB").unwrap();
    let serves = |name: &str| sram.ports.iter().find(|p| p.name == name).unwrap().serves.clone();
    assert_eq!(serves("r_port_1"), [(Operand::I, Direction::ReadToLow)]);
    assert_eq!(
        serves("r_port_2"),
        [(Operand::W, Direction::ReadToLow), (Operand::O, Direction::ReadToLow), (Operand::O, Direction::ReadToHigh)]
    );
    assert_eq!(serves("w_port_1"), [(Operand::I, Direction::WriteFromHigh)]);
    assert_eq!(
        serves("w_port_2"),
        [
            (Operand::W, Direction::WriteFromHigh),
            (Operand::O, Direction::WriteFromHigh),
            (Operand::O, Direction::WriteFromLow)
        ]
    );
}

#[test]
fn unmodelled_fields_are_ignored() {
    // area, mem_type, unit_area, input_precision, dataflows, IMC fields of a non-IMC array.
    let text = data("tpu_like.yaml")
        .replace("    area: 0\n    latency: 1\n    operands: [I1, I2, O]", "    area: 0\n    mem_type: dram\n    latency: 1\n    operands: [I1, I2, O]")
        .replace(
            "  unit_area: 1 # unit",
            "  unit_area: 1\n  input_precision: [8, 8]\n  is_imc: False\n  imc_type: ~\n  adc_resolution: 0\n  bit_serial_precision: ~",
        )
        + "\ndataflows:\n  D1:\n    - K, 32\n";
    let acc = Accelerator::from_zigzag_yaml(&text, "x.yaml").unwrap();
    assert_eq!(acc, load("tpu_like.yaml"));
}

#[test]
fn errors_name_the_file_memory_and_field() {
    let tpu = data("tpu_like.yaml");
    let cases: Vec<(String, &str)> = vec![
        (
            tpu.replace(
                "bandwidth_min: 64\n        bandwidth_max: 2048",
                "bandwidth_min: 4096\n        bandwidth_max: 2048",
            ),
            "hw.yaml: memory \"sram_2MB\": port \"r_port_1\": bandwidth_min 4096 exceeds bandwidth_max 2048",
        ),
        (
            tpu.replace("size: 16777216", "size: -3"),
            "hw.yaml:61:11: memories.sram_2MB.size: invalid type: integer `-3`, expected u64",
        ),
        (tpu.replace("size: 16777216", "size: 0"), "hw.yaml: memory \"sram_2MB\": size must be > 0"),
        (
            tpu.replace("    r_cost: 700\n", ""),
            "hw.yaml: memory \"dram\": `r_cost` is missing (and auto_cost_extraction is off)",
        ),
        (
            tpu.replace("r_cost: 700", "r_cost: .nan"),
            "hw.yaml: memory \"dram\": r_cost must be finite and >= 0, not NaN",
        ),
        (tpu.replace("w_cost: 750", "w_cost: -1"), "hw.yaml: memory \"dram\": w_cost must be finite and >= 0, not -1"),
        (
            tpu.replace(
                "    latency: 1\n    operands: [I1, O]",
                "    latency: 1\n    auto_cost_extraction: true\n    operands: [I1, O]",
            ),
            "hw.yaml: memory \"sram_2MB\": auto_cost_extraction: true needs CACTI, which dnnc does not run; \
             give r_cost and w_cost and set auto_cost_extraction: false",
        ),
        (
            tpu.replace("- O, fl", "- O, xx"),
            "hw.yaml: memory \"rf_2B\": port \"w_port_2\": unknown direction \"xx\" in flow \"O, xx\" (expected tl, fh, fl or th)",
        ),
        (
            tpu.replace("operands: [I1, O]", "operands: [I1, W]"),
            "hw.yaml: memory \"sram_2MB\": unknown operand \"W\" in `operands` (expected I1, I2 or O)",
        ),
        (
            tpu.replace("operands: [I1, O]", "operands: [I1]"),
            "hw.yaml: memory \"sram_2MB\": port \"r_port_1\": allocates O but the memory's operands do not include it",
        ),
        (
            tpu.replace("served_dimensions: [D1, D2]\n\n  dram", "served_dimensions: [D1, D3]\n\n  dram"),
            "hw.yaml: memory \"sram_2MB\": served dimension D3 is not an array dimension (the array has D1, D2)",
        ),
        (
            tpu.replace("type: read_write", "type: read"),
            "hw.yaml: memory \"dram\": port \"rw_port_1\": a read port cannot carry the write flow I fh (I1, fh)",
        ),
        (
            tpu.replace("          - O, fh\n      - name: w_port_2", "          - O, fl\n      - name: w_port_2"),
            "hw.yaml: memory \"rf_2B\": no port carries O fh (O, fh), which the innermost level of O needs",
        ),
        (tpu.replace("sizes: [32, 32]", "sizes: [32]"), "hw.yaml: operational_array: 2 dimensions but 1 sizes"),
        (
            tpu.replace("sizes: [32, 32]", "sizes: [32, 0]"),
            "hw.yaml: operational_array: dimension D2 has size 0; sizes must be > 0",
        ),
        (
            tpu.replace("systolic_dimensions: [D1, D2]", "systolic_dimensions: [D3]"),
            "hw.yaml: array: systolic dimension D3 is not an array dimension",
        ),
        (tpu.replace("  unit_energy: 0.04 # pJ\n", ""), "hw.yaml: operational_array: `unit_energy` is missing"),
        (
            tpu.replace("unit_area: 1 # unit", "unit_area: 1\n  bogus: 1"),
            "hw.yaml:117:3: operational_array: unknown field `bogus`, expected one of `dimensions`, `sizes`, `unit_energy`, \
             `unit_area`, `systolic_dimensions`, `is_imc`, `imc_type`, `adc_resolution`, `bit_serial_precision`, `input_precision`",
        ),
        (tpu.replace("name: tpu_like\n", ""), "hw.yaml: `name` is missing"),
        (tpu.replace("  rf_2B:", "  rf_128B:"), "hw.yaml:4:3: memories: memory \"rf_128B\" is defined twice"),
        ("name: a: b".into(), "hw.yaml:1:8: mapping values are not allowed in this context"),
        (format!("name: {}", "[".repeat(300)), "hw.yaml:1:263: brackets nested deeper than 256 levels"),
    ];
    for (text, want) in cases {
        assert_eq!(error(&text), want);
    }
}

#[test]
fn parse_errors_carry_the_line() {
    let text = data("tpu_like.yaml").replace("size: 16777216", "size: big");
    match Accelerator::from_zigzag_yaml(&text, "hw.yaml").unwrap_err() {
        ArchError::Parse { line, column, .. } => assert_eq!((line, column), (Some(61), Some(11))),
        other => panic!("{other:?}"),
    }
}
