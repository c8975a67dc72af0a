//! A small synthetic schedule the emitters' tests share: a convolution and a ReLU fused into
//! one group, then a GEMM's matmul step. Every optional field is populated so the JSON of
//! [`sample`] carries every key the schema can emit (the docs test relies on that).

use crate::schedule::*;

fn cost(energy: f64, latency: f64, mac: f64, ideal: f64, bound: &str, roof: f64) -> LayerCost {
    LayerCost {
        energy_pj: energy,
        latency_cycles: latency,
        mac_energy_pj: mac,
        memory_energy_pj: energy - mac,
        compute_cycles: ideal,
        stall_cycles: latency - ideal - 40.0,
        onload_cycles: 20.0,
        offload_cycles: 12.0,
        drain_cycles: 8.0,
        ideal_cycles: ideal,
        utilization: ideal / latency,
        bound: bound.to_string(),
        roofline_fraction: roof,
    }
}

fn level(operand: &str, memory: &str, energy_pj: f64) -> LevelEnergy {
    LevelEnergy { operand: operand.to_string(), memory: memory.to_string(), energy_pj }
}

fn mapping(spatial: &[(&str, &str, f64)], loops: &[(&str, f64)], text: &str) -> MappingSummary {
    let operands = ["I", "W", "O"]
        .iter()
        .map(|op| OperandLevels {
            operand: op.to_string(),
            levels: vec!["rf".to_string(), "sram".to_string(), "dram".to_string()],
            cuts: vec![1, 2],
        })
        .collect();
    MappingSummary {
        spatial: spatial.iter().map(|&(a, d, f)| (a.to_string(), d.to_string(), f)).collect(),
        loops: loops.iter().map(|&(d, n)| (d.to_string(), n)).collect(),
        operands,
        text: text.to_string(),
    }
}

fn dims(d: &[(&str, u64)]) -> Vec<(String, u64)> {
    d.iter().map(|&(n, s)| (n.to_string(), s)).collect()
}

/// Three layers (two on the PE array, one on the vector unit) and one fused group.
pub fn sample() -> Schedule {
    let conv = LayerSchedule {
        index: 0,
        name: "/conv1/Conv".to_string(),
        source: "graph.conv".to_string(),
        part: None,
        kind: "mac".to_string(),
        dims: dims(&[("N", 1), ("K", 64), ("C", 3), ("P", 56), ("Q", 56), ("R", 3), ("S", 3)]),
        work: 5_419_008,
        unit: "pe_array".to_string(),
        mapping: Some(mapping(
            &[("D1", "K", 32.0), ("D2", "C", 3.0)],
            &[("R", 3.0), ("S", 3.0), ("Q", 56.0), ("P", 56.0), ("K", 2.0)],
            "dram: K2\nsram: P56 Q56\nrf: S3 R3\n",
        )),
        cost: cost(4.2e7, 40_000.0, 1.1e7, 5_292.0, "bandwidth dram.rw", 0.78),
        energy_by_level: vec![
            level("I", "rf", 2.0e6),
            level("W", "rf", 1.0e6),
            level("O", "sram", 9.0e6),
            level("I", "sram", 4.0e6),
            level("W", "dram", 1.5e7),
        ],
        offchip_bits: 4.0e6,
    };
    let relu = LayerSchedule {
        index: 1,
        name: "/relu1/Relu".to_string(),
        source: "graph.relu".to_string(),
        part: None,
        kind: "elementwise".to_string(),
        dims: dims(&[("N", 1), ("C", 64), ("H", 56), ("W", 56)]),
        work: 200_704,
        unit: "vector_unit".to_string(),
        mapping: None,
        cost: cost(3.0e5, 6_272.0, 1.0e5, 6_272.0 - 40.0, "vector", 1.0),
        energy_by_level: vec![],
        offchip_bits: 0.0,
    };
    let gemm = LayerSchedule {
        index: 2,
        name: "/fc/Gemm".to_string(),
        source: "graph.gemm".to_string(),
        part: Some("matmul".to_string()),
        kind: "mac".to_string(),
        dims: dims(&[("M", 1), ("N", 1000), ("K", 512)]),
        work: 512_000,
        unit: "pe_array".to_string(),
        mapping: Some(mapping(
            &[("D1", "N", 31.25), ("D2", "K", 32.0)],
            &[("K", 16.0), ("N", 32.0)],
            "dram: N32\nsram: K16\n",
        )),
        cost: cost(9.5e6, 40_000.0, 1.0e6, 500.0, "bandwidth dram.rw", 0.8),
        energy_by_level: vec![level("W", "sram", 5.0e5), level("W", "dram", 8.0e6)],
        offchip_bits: 4.1e6,
    };
    let group = GroupSchedule {
        layers: vec![0, 1],
        tiles: 4,
        on_chip: vec![(0, 1, "sram".to_string())],
        energy_pj: 3.9e7,
        latency_cycles: 42_000.0,
        dram_bits_saved: 3.2e6,
        starts: vec![0.0, 10_000.0],
        ends: vec![40_000.0, 16_272.0],
    };
    let layers = vec![conv, relu, gemm];
    let energy: f64 = group.energy_pj + layers[2].cost.energy_pj;
    let latency = group.latency_cycles + layers[2].cost.latency_cycles;
    Schedule {
        schema: SCHEMA,
        model: "tiny.onnx".to_string(),
        arch: ArchSummary {
            name: "tpu_like".to_string(),
            pes: 1024,
            clock_mhz: 1000.0,
            peak_macs_per_cycle: 1024.0,
            offchip_bits_per_cycle: 128.0,
        },
        objective: "edp".to_string(),
        seed: 7,
        totals: Totals {
            energy_pj: energy,
            latency_cycles: latency,
            edp: energy * latency,
            layerwise_energy_pj: energy * 1.5,
            layerwise_latency_cycles: latency * 1.25,
            macs: 5_419_008 + 512_000,
            offchip_bits: 8.1e6,
            compulsory_offchip_bits: 4.4e6,
            searches: 2,
        },
        layers,
        groups: vec![group],
    }
}
