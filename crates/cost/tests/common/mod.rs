//! Shared fixtures: ZigZag's tpu_like accelerator and the reference GEMM.
#![allow(dead_code)]
use dnnc_arch::*;
use dnnc_cost::*;
use indexmap::IndexMap;

fn port(name: &str, kind: PortKind, min: u32, max: u32, serves: &[(Operand, Direction)]) -> Port {
    Port { name: name.into(), kind, bw_min_bits: min, bw_max_bits: max, serves: serves.to_vec() }
}

pub fn tpu_like() -> Accelerator {
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

pub fn gemm() -> Layer {
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

/// ZigZag's LOMA mapping of [`gemm`] on [`tpu_like`] (zigzag-model.md §7), loop sizes given.
pub fn gemm_mapping<S: Real>(arch: &Accelerator, sizes: [S; 6]) -> Mapping<S> {
    let (c, d, k) = (0, 1, 2);
    let dims = [c, c, d, d, k, k];
    let loops = dims.iter().zip(sizes).map(|(&dim, size)| Loop { dim, size }).collect();
    let spatial = vec![
        Unroll { array_dim: 0, dim: k, factor: S::cst(32.0) },
        Unroll { array_dim: 1, dim: c, factor: S::cst(32.0) },
    ];
    Mapping::new(arch, spatial, loops, [vec![6], vec![2], vec![2, 6]])
}
