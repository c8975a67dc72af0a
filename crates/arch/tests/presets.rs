//! The built-in presets: each parses, validates, and carries the numbers docs/arch.md derives.

use dnnc_arch::{Accelerator, ArchError, Direction, Operand, PRESET_NAMES, PortKind, Precision};

fn preset(name: &str) -> Accelerator {
    Accelerator::preset(name).unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn every_preset_parses_validates_and_has_a_vector_unit() {
    for name in PRESET_NAMES {
        let acc = preset(name);
        assert_eq!(acc.name, name);
        acc.validate().unwrap();
        let vector = acc.vector.as_ref().unwrap_or_else(|| panic!("{name}: no vector unit"));
        assert!(acc.memory(&vector.memory).is_some());
        assert_eq!(acc.shared_top(), Some(acc.memories.len() - 1), "{name}: DRAM on top of every operand");
        assert_eq!(Accelerator::resolve(name).unwrap(), acc);
    }
    match Accelerator::preset("tpu") {
        Err(e @ ArchError::UnknownPreset { .. }) => assert_eq!(
            e.to_string(),
            "unknown accelerator preset \"tpu\" (presets: tpu_like, eyeriss_like, gemmini, simba_like)"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn gemmini_numbers_follow_dosa() {
    let acc = preset("gemmini");
    let pe_dim = 16.0;
    let (acc_kb, sp_kb) = (32.0, 128.0);
    assert_eq!(acc.array.pe_count(), 256);
    assert_eq!(acc.array.dims.values().copied().collect::<Vec<_>>(), [16, 16]);
    assert_eq!(acc.array.mac_pj, 0.5608);
    assert_eq!(acc.array.precision, Precision { input_bits: 8, weight_bits: 8, psum_bits: 32, output_bits: 8 });
    assert_eq!(acc.array.systolic_dims, ["rows", "cols"]);
    assert_eq!(acc.clock_mhz, 1000.0);

    let mem = |name: &str| acc.memory(name).unwrap().1;
    let per_word = |name: &str| {
        // Energy of a one-word access: per port access × granule / port width.
        let m = mem(name);
        m.read_pj * f64::from(m.ports[0].bw_min_bits) / f64::from(m.ports[0].bw_max_bits)
    };
    // Energies per word (DOSA's energy_model.py).
    assert!(close(per_word("registers"), 0.48746172));
    assert!(close(per_word("accumulator"), 1.94 + 0.1005 * acc_kb / pe_dim));
    assert!(close(per_word("scratchpad"), 0.49 + 0.02513 * sp_kb));
    assert!(close(per_word("dram"), 100.0));
    for name in ["registers", "accumulator", "scratchpad", "dram"] {
        assert_eq!(mem(name).read_pj, mem(name).write_pj, "{name}");
    }

    // Capacities: 1 B register per PE, 32 KiB accumulator over 16 columns, 128 KiB scratchpad.
    assert_eq!(mem("registers").size_bits, 8);
    assert_eq!(mem("accumulator").size_bits * 16, 32 * 1024 * 8);
    assert_eq!(mem("scratchpad").size_bits, 128 * 1024 * 8);
    assert_eq!(mem("registers").served_dims, Vec::<String>::new());
    assert_eq!(mem("accumulator").served_dims, ["rows"]);

    // Bandwidths in words per cycle over all instances: L0 2·PEs, L1 and L2 2·√PEs, DRAM 8.
    let words_per_cycle = |name: &str, word_bits: u32| -> u64 {
        let m = mem(name);
        let instances: u64 =
            acc.array.dims.iter().filter(|(d, _)| !m.served_dims.contains(d)).map(|(_, &s)| u64::from(s)).product();
        let per_instance: u32 = m.ports.iter().map(|p| p.bw_max_bits / word_bits).sum();
        u64::from(per_instance) * instances
    };
    assert_eq!(words_per_cycle("registers", 8), 2 * 256);
    assert_eq!(words_per_cycle("accumulator", 32), 2 * 16);
    assert_eq!(words_per_cycle("scratchpad", 8), 2 * 16);
    assert_eq!(words_per_cycle("dram", 8), 8);

    assert_eq!(
        acc.levels(Operand::W).iter().map(|&m| acc.memories[m].name.as_str()).collect::<Vec<_>>(),
        ["registers", "scratchpad", "dram"]
    );
    assert_eq!(
        acc.levels(Operand::I).iter().map(|&m| acc.memories[m].name.as_str()).collect::<Vec<_>>(),
        ["scratchpad", "dram"]
    );
    assert_eq!(
        acc.levels(Operand::O).iter().map(|&m| acc.memories[m].name.as_str()).collect::<Vec<_>>(),
        ["accumulator", "dram"]
    );
}

#[test]
fn simba_like_structure_and_derived_energies() {
    let acc = preset("simba_like");
    assert_eq!(
        acc.array.dims.iter().map(|(d, &s)| (d.as_str(), s)).collect::<Vec<_>>(),
        [("pe", 16), ("lane", 8), ("vec", 8)]
    );
    assert_eq!(acc.array.pe_count(), 1024);
    assert!(acc.array.systolic_dims.is_empty());
    assert_eq!(acc.array.precision.psum_bits, 24);
    let mem = |name: &str| acc.memory(name).unwrap().1;
    let sram = |kb: f64| 0.49 + 0.02513 * kb;
    let per_word = |name: &str| {
        let m = mem(name);
        m.read_pj * f64::from(m.ports[0].bw_min_bits) / f64::from(m.ports[0].bw_max_bits)
    };
    assert!(close(per_word("weight_buffer"), sram(4.0)));
    assert!(close(per_word("input_buffer"), sram(8.0)));
    assert!(close(per_word("global_buffer"), sram(64.0)));
    assert!(close(per_word("accumulation_buffer"), 1.94 + 0.1005 * 0.375));
    assert!(close(per_word("registers"), 0.48746172));
    assert!(close(per_word("dram"), 100.0));
    // Per-PE totals of the per-lane buffers: 32 KiB of weights, 3 KiB of partial sums.
    assert_eq!(mem("weight_buffer").size_bits * 8, 32 * 1024 * 8);
    assert_eq!(mem("accumulation_buffer").size_bits * 8, 3 * 1024 * 8);
    assert_eq!(mem("input_buffer").size_bits, 8 * 1024 * 8);
    assert_eq!(mem("global_buffer").size_bits, 64 * 1024 * 8);
    assert_eq!(mem("weight_buffer").ports.len(), 1);
    assert_eq!(mem("weight_buffer").ports[0].kind, PortKind::ReadWrite);
    assert_eq!(mem("accumulation_buffer").served_dims, ["vec"]);
    assert_eq!(mem("input_buffer").served_dims, ["lane", "vec"]);
    assert_eq!(mem("global_buffer").operands, [Operand::I, Operand::O]);
    assert!(mem("accumulation_buffer").port_for(Operand::O, Direction::WriteFromLow).is_some());
}

#[test]
fn tpu_like_and_eyeriss_like_headline_numbers() {
    let tpu = preset("tpu_like");
    assert_eq!(tpu.array.pe_count(), 1024);
    assert_eq!(tpu.memory("sram_2MB").unwrap().1.size_bits, 2 * 1024 * 1024 * 8);
    let v = tpu.vector.unwrap();
    assert_eq!((v.lanes, v.op_pj, v.memory.as_str()), (32, 0.04, "sram_2MB"));
    let eyeriss = preset("eyeriss_like");
    assert_eq!(eyeriss.array.pe_count(), 168);
    assert_eq!(eyeriss.levels(Operand::O).len(), 4);
    let v = eyeriss.vector.unwrap();
    assert_eq!((v.lanes, v.op_pj, v.memory.as_str()), (14, 0.5, "sram_1M"));
}
