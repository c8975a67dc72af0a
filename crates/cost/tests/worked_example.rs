//! zigzag-model.md §7: GEMM 512×768×768 on tpu_like with the mapping LOMA picks.
use dnnc_arch::*;
use dnnc_cost::*;
use indexmap::IndexMap;

fn port(name: &str, kind: PortKind, min: u32, max: u32, serves: &[(Operand, Direction)]) -> Port {
    Port { name: name.into(), kind, bw_min_bits: min, bw_max_bits: max, serves: serves.to_vec() }
}

fn tpu_like() -> Accelerator {
    use Direction::*;
    use Operand::*;
    let mem = |name: &str, size, r, w, operands: Vec<Operand>, ports, served: &[&str]| Memory {
        name: name.into(),
        size_bits: size,
        read_pj: r,
        write_pj: w,
        latency_cycles: 1,
        operands,
        ports,
        served_dims: served.iter().map(|s| s.to_string()).collect(),
        double_buffered: false,
    };
    Accelerator {
        name: "tpu_like".into(),
        clock_mhz: 1000.0,
        array: PeArray {
            dims: IndexMap::from([("D1".to_string(), 32), ("D2".to_string(), 32)]),
            mac_pj: 0.04,
            systolic_dims: vec!["D1".into(), "D2".into()],
            precision: Precision::default(),
        },
        memories: vec![
            mem(
                "rf_128B",
                1024,
                0.095,
                0.095,
                vec![W],
                vec![
                    port("r_port_1", PortKind::Read, 8, 8, &[(W, ReadToLow)]),
                    port("w_port_1", PortKind::Write, 8, 8, &[(W, WriteFromHigh)]),
                ],
                &[],
            ),
            mem(
                "rf_2B",
                16,
                0.021,
                0.021,
                vec![O],
                vec![
                    port("r_port_1", PortKind::Read, 16, 16, &[(O, ReadToLow)]),
                    port("r_port_2", PortKind::Read, 16, 16, &[(O, ReadToHigh)]),
                    port("w_port_1", PortKind::Write, 16, 16, &[(O, WriteFromHigh)]),
                    port("w_port_2", PortKind::Write, 16, 16, &[(O, WriteFromLow)]),
                ],
                &[],
            ),
            mem(
                "sram_2MB",
                16777216,
                416.16,
                378.4,
                vec![I, O],
                vec![
                    port("r_port_1", PortKind::Read, 64, 2048, &[(I, ReadToLow), (O, ReadToLow), (O, ReadToHigh)]),
                    port(
                        "w_port_1",
                        PortKind::Write,
                        64,
                        2048,
                        &[(I, WriteFromHigh), (O, WriteFromHigh), (O, WriteFromLow)],
                    ),
                ],
                &["D1", "D2"],
            ),
            mem(
                "dram",
                10000000000,
                700.0,
                750.0,
                vec![I, W, O],
                vec![port(
                    "rw_port_1",
                    PortKind::ReadWrite,
                    64,
                    64,
                    &[
                        (I, WriteFromHigh),
                        (I, ReadToLow),
                        (W, WriteFromHigh),
                        (W, ReadToLow),
                        (O, WriteFromHigh),
                        (O, ReadToLow),
                        (O, WriteFromLow),
                        (O, ReadToHigh),
                    ],
                )],
                &["D1", "D2"],
            ),
        ],
        vector: None,
    }
}

fn gemm() -> Layer {
    let (c, d, k) = (0, 1, 2);
    let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
    Layer::new(
        "gemm",
        &[("C", 768), ("D", 512), ("K", 768)],
        [rel(&[d, c]), rel(&[c, k]), rel(&[d, k])],
        [Operand::O, Operand::I, Operand::W],
        Precision::default(),
    )
}

#[test]
fn gemm_on_tpu_like_matches_zigzag_exactly() {
    let arch = tpu_like();
    let layer = gemm();
    let (c, d, k) = (0, 1, 2);
    let l = |dim, size: f64| Loop { dim, size };
    let loops = vec![l(c, 4.0), l(c, 6.0), l(d, 32.0), l(d, 16.0), l(k, 6.0), l(k, 4.0)];
    let spatial = vec![Unroll { array_dim: 0, dim: k, factor: 32.0 }, Unroll { array_dim: 1, dim: c, factor: 32.0 }];
    // LOMA's raw allocation (before the stationarity merge-down).
    let cuts = [vec![6], vec![2], vec![2, 6]];
    let mapping = Mapping::new(&arch, spatial, loops, cuts);
    let (cost, b) = evaluate_with_breakdown(&arch, &layer, &mapping);
    eprintln!("{cost:#?}\n{b:#?}");
    assert!((cost.energy - 193_795_473.408).abs() < 1e-3, "energy {}", cost.energy);
    assert_eq!(cost.latency, 344_128.0);
    assert_eq!(cost.compute_cycles, 294_912.0);
    assert_eq!(cost.stall_cycles, 0.0);
    assert_eq!(cost.onload_cycles, 49_152.0);
    assert_eq!(cost.offload_cycles, 2.0);
    assert_eq!(cost.drain_cycles, 62.0);
}
