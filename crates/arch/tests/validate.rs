//! `Accelerator::validate` on descriptions built in code: one test per rule, each breaking one
//! thing in an otherwise valid accelerator.

use dnnc_arch::{Accelerator, Direction, Operand, Port, PortKind, VectorUnit, required_flows};

fn tpu() -> Accelerator {
    Accelerator::preset("tpu_like").unwrap()
}

fn err(acc: &Accelerator) -> String {
    acc.validate().unwrap_err().to_string()
}

fn mem(acc: &mut Accelerator, name: &str) -> usize {
    acc.memory(name).unwrap().0
}

#[test]
fn required_flows_mirror_zigzag() {
    use Direction::*;
    assert_eq!(required_flows(Operand::I, 0, 2), [ReadToLow, WriteFromHigh]);
    assert_eq!(required_flows(Operand::W, 1, 2), [ReadToLow]);
    assert_eq!(required_flows(Operand::O, 0, 3), [ReadToLow, WriteFromLow, WriteFromHigh, ReadToHigh]);
    assert_eq!(required_flows(Operand::O, 2, 3), [ReadToLow, WriteFromLow]);
    assert_eq!(required_flows(Operand::O, 0, 1), [ReadToLow, WriteFromLow]);
}

#[test]
fn whole_accelerator_rules() {
    let name = "accelerator \"tpu_like\"";
    let mut a = tpu();
    a.name = " ".into();
    assert_eq!(err(&a), "accelerator \" \": the accelerator name is empty");
    let mut a = tpu();
    a.clock_mhz = f64::INFINITY;
    assert_eq!(err(&a), format!("{name}: clock_mhz must be a finite number > 0, not inf"));
    let mut a = tpu();
    a.memories.clear();
    a.vector = None;
    assert_eq!(err(&a), format!("{name}: the accelerator has no memories"));
    let mut a = tpu();
    a.memories[1].name = "rf_128B".into();
    assert_eq!(err(&a), format!("{name}: memory \"rf_128B\": two memories have this name"));
}

#[test]
fn array_rules() {
    let name = "accelerator \"tpu_like\"";
    let mut a = tpu();
    a.array.dims.clear();
    assert_eq!(err(&a), format!("{name}: array: the PE array has no dimensions"));
    let mut a = tpu();
    a.array.dims["D2"] = 0;
    assert_eq!(err(&a), format!("{name}: array: dimension D2 has size 0; sizes must be > 0"));
    let mut a = tpu();
    for d in ["D3", "D4", "D5"] {
        a.array.dims.insert(d.into(), u32::MAX);
    }
    assert_eq!(err(&a), format!("{name}: array: the number of PEs overflows 64 bits"));
    let mut a = tpu();
    a.array.mac_pj = -1.0;
    assert_eq!(err(&a), format!("{name}: array: the MAC energy must be finite and >= 0, not -1"));
    let mut a = tpu();
    a.array.systolic_dims.push("D1".into());
    assert_eq!(err(&a), format!("{name}: array: systolic dimension D1 is listed twice"));
    let mut a = tpu();
    a.array.precision.output_bits = 0;
    assert_eq!(err(&a), format!("{name}: array: precision output_bits must be > 0"));
}

/// Breaks one thing in an accelerator.
type Breaker = fn(&mut Accelerator);

#[test]
fn memory_rules() {
    let name = "accelerator \"tpu_like\"";
    let cases: Vec<(Breaker, &str)> = vec![
        (|a| a.memories[2].size_bits = 0, "memory \"sram_2MB\": the size must be > 0 bits"),
        (|a| a.memories[2].read_pj = f64::NAN, "memory \"sram_2MB\": the read energy must be finite and >= 0, not NaN"),
        (|a| a.memories[2].write_pj = -0.5, "memory \"sram_2MB\": the write energy must be finite and >= 0, not -0.5"),
        (|a| a.memories[2].operands.clear(), "memory \"sram_2MB\": holds no operand"),
        (|a| a.memories[2].operands.push(Operand::I), "memory \"sram_2MB\": operand I is listed twice"),
        (
            |a| a.memories[2].served_dims.push("D9".into()),
            "memory \"sram_2MB\": served dimension D9 is not an array dimension (the array has D1, D2)",
        ),
        (|a| a.memories[2].served_dims.push("D1".into()), "memory \"sram_2MB\": served dimension D1 is listed twice"),
        (|a| a.memories[2].ports.clear(), "memory \"sram_2MB\": has no ports"),
        (
            |a| a.memories[2].ports[1].name = "r_port_1".into(),
            "memory \"sram_2MB\": port \"r_port_1\": two ports of this memory have this name",
        ),
        (
            |a| a.memories[2].ports[0].bw_max_bits = 0,
            "memory \"sram_2MB\": port \"r_port_1\": the bandwidth must be > 0 bits/cycle",
        ),
        (
            |a| a.memories[2].ports[0].bw_min_bits = 0,
            "memory \"sram_2MB\": port \"r_port_1\": the minimum bandwidth (granule) must be > 0 bits",
        ),
        (
            |a| a.memories[2].ports[0].bw_min_bits = 4096,
            "memory \"sram_2MB\": port \"r_port_1\": the minimum bandwidth 4096 exceeds the maximum bandwidth 2048",
        ),
        (
            |a| a.memories[2].ports[0].serves.push((Operand::W, Direction::ReadToLow)),
            "memory \"sram_2MB\": port \"r_port_1\": carries W tl (I2, tl) but the memory does not hold W",
        ),
        (
            |a| a.memories[2].ports[0].serves.push((Operand::I, Direction::WriteFromHigh)),
            "memory \"sram_2MB\": port \"r_port_1\": a read port cannot carry the write flow I fh (I1, fh)",
        ),
        (
            |a| a.memories[2].ports[1].kind = PortKind::Read,
            "memory \"sram_2MB\": port \"w_port_1\": a read port cannot carry the write flow I fh (I1, fh)",
        ),
        (
            |a| a.memories[2].ports[0].kind = PortKind::Write,
            "memory \"sram_2MB\": port \"r_port_1\": a write port cannot carry the read flow I tl (I1, tl)",
        ),
        (
            |a| {
                a.memories[2].ports.push(Port {
                    name: "extra".into(),
                    kind: PortKind::ReadWrite,
                    bw_min_bits: 8,
                    bw_max_bits: 8,
                    serves: vec![(Operand::O, Direction::ReadToHigh)],
                })
            },
            "memory \"sram_2MB\": flow O th (O, th) is carried by more than one port",
        ),
    ];
    for (break_it, want) in cases {
        let mut a = tpu();
        break_it(&mut a);
        assert_eq!(err(&a), format!("{name}: {want}"));
    }
    // A port serving nothing is allowed (ZigZag drops it).
    let mut a = tpu();
    let i = mem(&mut a, "dram");
    a.memories[i].ports.push(Port {
        name: "spare".into(),
        kind: PortKind::Read,
        bw_min_bits: 8,
        bw_max_bits: 8,
        serves: vec![],
    });
    a.validate().unwrap();
}

#[test]
fn hierarchy_rules() {
    let name = "accelerator \"tpu_like\"";
    // No memory holds W.
    let mut a = tpu();
    a.memories.remove(0);
    let dram = mem(&mut a, "dram");
    a.memories[dram].operands.retain(|&o| o != Operand::W);
    a.memories[dram].ports[0].serves.retain(|&(o, _)| o != Operand::W);
    assert_eq!(err(&a), format!("{name}: operand W: no memory holds operand W (ZigZag I2)"));

    // Each missing required flow, at each level of each operand, is reported.
    let base = tpu();
    for op in Operand::ALL {
        let levels = base.levels(op);
        for (i, &m) in levels.iter().enumerate() {
            for dir in required_flows(op, i, levels.len()) {
                let mut a = base.clone();
                for port in &mut a.memories[m].ports {
                    port.serves.retain(|&f| f != (op, dir));
                }
                let e = err(&a);
                assert!(
                    e.contains(&format!(
                        "memory \"{}\": no port carries {op:?} {}",
                        base.memories[m].name,
                        dir.zigzag_code()
                    )),
                    "{e}"
                );
            }
        }
    }
    // The top level does not need the outside flows.
    let mut a = tpu();
    let dram = mem(&mut a, "dram");
    a.memories[dram].ports[0].serves.retain(|&(_, d)| d == Direction::ReadToLow || d == Direction::WriteFromLow);
    a.validate().unwrap();

    // Different top levels are allowed: O stops at the SRAM.
    let mut a = tpu();
    let dram = mem(&mut a, "dram");
    a.memories[dram].operands.retain(|&o| o != Operand::O);
    a.memories[dram].ports[0].serves.retain(|&(o, _)| o != Operand::O);
    a.validate().unwrap();
    assert_eq!(a.top_level(Operand::O), Some(2));
    assert_eq!(a.shared_top(), None);
}

#[test]
fn vector_rules() {
    let name = "accelerator \"tpu_like\"";
    let v = |lanes, op_pj, memory: &str| Some(VectorUnit { lanes, op_pj, memory: memory.into() });
    let mut a = tpu();
    a.vector = v(0, 0.1, "sram_2MB");
    assert_eq!(err(&a), format!("{name}: vector: lanes must be > 0"));
    a.vector = v(4, f64::NEG_INFINITY, "sram_2MB");
    assert_eq!(err(&a), format!("{name}: vector: the op energy must be finite and >= 0, not -inf"));
    a.vector = v(4, 0.1, "l2");
    assert_eq!(err(&a), format!("{name}: vector: memory \"l2\" does not exist"));
    a.vector = None;
    a.validate().unwrap();
}
