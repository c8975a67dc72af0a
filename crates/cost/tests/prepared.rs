//! A prepared structure gives bit-identical results to an unprepared evaluation for every
//! mapping with that structure (only loop sizes and unroll factors differ), and falls back to
//! a fresh structure for a mapping without it.
mod common;

use common::{Rng, conv, dual, random_structure, resize};
use dnnc_arch::Accelerator;
use dnnc_cost::real::gradient;
use dnnc_cost::*;
use num_dual::DualSVec64;

fn dual_bits(c: &Cost<DualSVec64<2>>) -> Vec<u64> {
    [c.energy, c.latency, c.stall_cycles, c.onload_cycles, c.offload_cycles]
        .iter()
        .flat_map(|x| std::iter::once(x.re).chain(gradient(x)))
        .map(f64::to_bits)
        .collect()
}

fn bits(c: &Cost<f64>) -> [u64; 9] {
    [
        c.energy,
        c.latency,
        c.mac_energy,
        c.memory_energy,
        c.compute_cycles,
        c.stall_cycles,
        c.onload_cycles,
        c.offload_cycles,
        c.drain_cycles,
    ]
    .map(f64::to_bits)
}

#[test]
fn prepared_structures_give_identical_results() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut evaluations = 0;
    for arch in ["tpu_like", "eyeriss_like"] {
        let mut arch = Accelerator::preset(arch).unwrap();
        arch.vector = None;
        for layer in [common::gemm(), conv()] {
            let model = LayerModel::new(&arch, &layer);
            for _ in 0..40 {
                let shape = random_structure(&mut rng, &arch, &layer);
                let prepared = model.prepare(&shape);
                let mut m = resize(&mut rng, &shape, true);
                for i in 0..25 {
                    // Runs of evaluations that keep the unroll factors (as while tile sizes
                    // vary), and some that change them.
                    m = resize(&mut rng, &m, i % 5 == 0);
                    assert!(prepared.matches(&m));
                    assert_eq!(bits(&prepared.evaluate(&m)), bits(&model.evaluate(&m)), "{m:?}");
                    assert_eq!(bits(&prepared.evaluate_relaxed(&m)), bits(&model.evaluate_relaxed(&m)), "{m:?}");
                    assert_eq!(prepared.footprints(&m, true), model.footprints(&m, true));
                    let d = dual(&m);
                    assert_eq!(dual_bits(&prepared.evaluate(&d)), dual_bits(&model.evaluate(&d)));
                    assert_eq!(dual_bits(&prepared.evaluate_relaxed(&d)), dual_bits(&model.evaluate_relaxed(&d)));
                    evaluations += 1;
                }
                // Another structure is evaluated as itself.
                let other = random_structure(&mut rng, &arch, &layer);
                let other = resize(&mut rng, &other, true);
                if !prepared.matches(&other) {
                    assert_eq!(bits(&prepared.evaluate(&other)), bits(&model.evaluate(&other)));
                }
            }
        }
    }
    assert_eq!(evaluations, 4000);
}
