//! Fusion decisions on small chains.
use dnnc_arch::{Accelerator, Operand};
use dnnc_cost::Layer;
use dnnc_search::fusion::{Edge, Problem, intermediate_memory, search_fusion};
use dnnc_search::{Objective, Options, Space, search};

fn chain(arch: &Accelerator, layers: &[Layer]) -> Vec<dnnc_cost::Mapping<f64>> {
    layers.iter().map(|l| search(&Space::new(arch, l).unwrap(), &Options::default()).unwrap().mapping).collect()
}

#[test]
fn a_chain_whose_intermediate_fits_is_fused_and_saves_energy() {
    let arch = Accelerator::preset("tpu_like").unwrap();
    let layers = [Layer::gemm("a", 768, 512, 768), Layer::gemm("b", 768, 512, 768)];
    let mappings = chain(&arch, &layers);
    assert_eq!(intermediate_memory(&arch, &mappings[0], &mappings[1], Operand::I), Some(2), "sram_2MB");
    let edges = vec![Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 }];
    let p =
        Problem { arch: &arch, layers: &layers, mappings: &mappings, other: (0.0, 0.0), edges, path_ops: Vec::new() };
    let d = search_fusion(&p, Objective::Edp, 60);
    assert_eq!(d.fused, vec![true]);
    let apart: f64 = mappings.iter().zip(&layers).map(|(m, l)| dnnc_cost::evaluate(&arch, l, m).energy).sum();
    assert!(d.energy < apart, "fused {} vs layer by layer {apart}", d.energy);
}

#[test]
fn an_intermediate_larger_than_the_buffer_stays_off_chip() {
    let arch = Accelerator::preset("tpu_like").unwrap();
    // 4096 × 1024 8-bit outputs = 32 Mbit > the 16 Mbit SRAM.
    let layers = [Layer::gemm("a", 256, 4096, 1024), Layer::gemm("b", 1024, 4096, 256)];
    let mappings = chain(&arch, &layers);
    let edges = vec![Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 }];
    let p =
        Problem { arch: &arch, layers: &layers, mappings: &mappings, other: (0.0, 0.0), edges, path_ops: Vec::new() };
    assert_eq!(search_fusion(&p, Objective::Edp, 60).fused, vec![false]);
}

#[test]
fn weights_in_per_pe_registers_cannot_hold_an_intermediate() {
    let arch = Accelerator::preset("tpu_like").unwrap();
    let layers = [Layer::gemm("a", 64, 64, 64), Layer::gemm("b", 64, 64, 64)];
    let mappings = chain(&arch, &layers);
    assert_eq!(intermediate_memory(&arch, &mappings[0], &mappings[1], Operand::W), None);
}

#[test]
fn an_output_read_by_an_unfused_consumer_still_goes_off_chip() {
    // Layer 0 feeds layers 1 and 2; fusing only 0 -> 1 keeps 0's output on chip for 1, but
    // 2 still reads it from DRAM, so 0 pays its off-chip write either way.
    let arch = Accelerator::preset("tpu_like").unwrap();
    let layers = [Layer::gemm("a", 256, 256, 256), Layer::gemm("b", 256, 256, 256), Layer::gemm("c", 256, 256, 256)];
    let mappings = chain(&arch, &layers);
    let edges = vec![
        Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 },
        Edge { producer: 0, consumer: 2, operand: Operand::I, steps: 1 },
    ];
    let p =
        Problem { arch: &arch, layers: &layers, mappings: &mappings, other: (0.0, 0.0), edges, path_ops: Vec::new() };
    let cost = |m: &dnnc_cost::Mapping<f64>, l: &Layer| dnnc_cost::evaluate(&arch, l, m).energy;
    let (half, _, _) = dnnc_search::fusion::evaluate_decision(&p, &[true, false]);
    let on_chip = dnnc_cost::fused::keep_on_chip(&mappings[1], Operand::I).unwrap();
    let expected = cost(&mappings[0], &layers[0]) + cost(&on_chip, &layers[1]) + cost(&mappings[2], &layers[2]);
    assert!((half - expected).abs() <= 1e-9 * expected, "{half} vs {expected}");
}

#[test]
fn joint_refinement_only_ever_improves_and_keeps_mappings_valid() {
    use dnnc_search::joint::refine;
    // A 1 MiB SRAM: both intermediates fuse, and re-tiling around them gains ~3 % EDP.
    let arch = Accelerator::preset("tpu_like").unwrap().with_capacities("sram_2MB=1MiB").unwrap();
    let layers = [Layer::gemm("a", 512, 512, 512), Layer::gemm("b", 512, 512, 512), Layer::gemm("c", 512, 512, 512)];
    let mappings = chain(&arch, &layers);
    let edges = vec![
        Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 },
        Edge { producer: 1, consumer: 2, operand: Operand::I, steps: 1 },
    ];
    let p =
        Problem { arch: &arch, layers: &layers, mappings: &mappings, other: (0.0, 0.0), edges, path_ops: Vec::new() };
    let start = search_fusion(&p, Objective::Edp, 60);
    let again = refine(&p, &start, Objective::Edp, 60);
    match refine(&p, &start, Objective::Edp, 60) {
        None => panic!("expected the refinement to improve this chain"),
        Some(r) => {
            assert!(r.decision.energy * r.decision.latency < start.energy * start.latency);
            for (m, l) in r.mappings.iter().zip(&layers) {
                assert_eq!(dnnc_cost::check(&arch, l, m), Ok(()));
            }
            let again = again.expect("deterministic");
            assert_eq!(again.mappings, r.mappings);
            assert_eq!(again.decision.fused, r.decision.fused);
        }
    }
}

#[test]
fn a_vector_op_on_a_path_is_priced_off_chip_until_an_edge_through_it_fuses() {
    use dnnc_search::fusion::{PathOp, evaluate_decision, path_cost};
    let arch = Accelerator::preset("tpu_like").unwrap();
    let layers = [Layer::gemm("a", 256, 256, 256), Layer::gemm("b", 256, 256, 256), Layer::gemm("c", 256, 256, 256)];
    let mappings = chain(&arch, &layers);
    let edges = vec![
        Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 },
        Edge { producer: 1, consumer: 2, operand: Operand::I, steps: 1 },
    ];
    // A ReLU between a and b, and an op both edges' paths share.
    let path_ops = vec![
        PathOp { edges: vec![0], on_chip: (10.0, 1.0), off_chip: (1000.0, 50.0), producer: 0, stream_dims: vec![] },
        PathOp { edges: vec![0, 1], on_chip: (20.0, 2.0), off_chip: (300.0, 30.0), producer: 0, stream_dims: vec![] },
    ];
    let p = Problem { arch: &arch, layers: &layers, mappings: &mappings, other: (5.0, 0.5), edges, path_ops };
    assert_eq!(path_cost(&p, &[0.0, 0.0]), (1300.0, 80.0));
    assert_eq!(path_cost(&p, &[1.0, 0.0]), (30.0, 3.0));
    assert_eq!(path_cost(&p, &[0.0, 1.0]), (1020.0, 52.0), "the shared op is on chip once either edge fuses");
    // Half-way it interpolates (multilinear), so the descent sees the saving.
    let (half, _) = path_cost(&p, &[0.5, 0.0]);
    assert!(half > 30.0 && half < 1300.0);
    // The exact evaluation adds it to the MAC layers and `other`.
    let macs = |fused: &[bool]| {
        let q = Problem { path_ops: Vec::new(), other: (0.0, 0.0), edges: p.edges.clone(), ..p };
        evaluate_decision(&q, fused).0
    };
    let (energy, _, _) = evaluate_decision(&p, &[false, true]);
    assert!((energy - (macs(&[false, true]) + 5.0 + 1020.0)).abs() < 1e-6 * energy);
}

#[test]
fn a_fused_vector_op_that_streams_with_its_producer_runs_beside_the_array() {
    use dnnc_search::fusion::{PathOp, path_cost};
    let arch = Accelerator::preset("tpu_like").unwrap();
    let layers = [Layer::gemm("a", 256, 256, 256), Layer::gemm("b", 256, 256, 256)];
    let mappings = chain(&arch, &layers);
    let edges = vec![Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 }];
    let output_dims: Vec<usize> =
        (0..layers[0].rank()).filter(|&d| dnnc_cost::problem::contains(layers[0].relevant(Operand::O), d)).collect();
    let steps = dnnc_cost::fused::finished_steps(&mappings[0], &output_dims);
    assert!(steps > 1.0, "the producer finishes its output in steps: {}", mappings[0].describe(&arch, &layers[0]));
    let relu = |stream_dims: Vec<usize>| PathOp {
        edges: vec![0],
        on_chip: (10.0, 1000.0),
        off_chip: (1000.0, 5000.0),
        producer: 0,
        stream_dims,
    };
    let problem = |op: PathOp| Problem {
        arch: &arch,
        layers: &layers,
        mappings: &mappings,
        other: (0.0, 0.0),
        edges: edges.clone(),
        path_ops: vec![op],
    };
    let streamed = problem(relu(output_dims.clone()));
    let serial = problem(relu(Vec::new()));
    // Unfused, it runs alone off chip either way; fused, only its last step shows when it
    // streams, and all of it when it cannot.
    assert_eq!(path_cost(&streamed, &[0.0]), (1000.0, 5000.0));
    assert_eq!(path_cost(&serial, &[1.0]), (10.0, 1000.0));
    let (energy, latency) = path_cost(&streamed, &[1.0]);
    assert_eq!(energy, 10.0, "overlap changes no energy");
    assert!((latency - 1000.0 / steps).abs() < 1e-9, "{latency} vs {steps} steps");
}

#[test]
fn a_producer_finishing_its_output_only_at_the_end_is_reordered_so_its_activation_hides() {
    use dnnc_cost::{Loop, Mapping, fused::finished_steps, zigzag_cuts};
    use dnnc_search::fusion::{PathOp, evaluate_decision};
    use dnnc_search::overlap::reorder_for_overlap;
    let arch = Accelerator::preset("tpu_like").unwrap();
    // Dims C (reduction), D, K; a's output is (D, K).
    let layers = [Layer::gemm("a", 256, 512, 256), Layer::gemm("b", 256, 512, 256)];
    let mut mappings = chain(&arch, &layers);
    // a's nest with every temporal loop over C outermost: nothing is final before the end.
    let m = &mappings[0];
    let mut loops: Vec<Loop<f64>> = m.loops.iter().copied().filter(|l| l.dim != 0).collect();
    loops.extend(m.loops.iter().copied().filter(|l| l.dim == 0));
    assert!(loops.last().is_some_and(|l| l.dim == 0 && l.size > 1.0), "{}", m.describe(&arch, &layers[0]));
    let cuts = zigzag_cuts(&arch, &layers[0], &m.spatial, &loops).unwrap();
    mappings[0] = Mapping { spatial: m.spatial.clone(), loops, levels: m.levels.clone(), cuts };
    let output_dims = vec![1, 2];
    assert_eq!(finished_steps(&mappings[0], &output_dims), 1.0);
    let a_latency = dnnc_cost::evaluate(&arch, &layers[0], &mappings[0]).latency;
    // An activation as slow as a third of the producer.
    let path_ops = vec![PathOp {
        edges: vec![0],
        on_chip: (1.0, a_latency / 3.0),
        off_chip: (1e9, a_latency),
        producer: 0,
        stream_dims: output_dims.clone(),
    }];
    let edges = vec![Edge { producer: 0, consumer: 1, operand: Operand::I, steps: 1 }];
    let p = Problem { arch: &arch, layers: &layers, mappings: &mappings, other: (0.0, 0.0), edges, path_ops };
    let (_, before, fits) = evaluate_decision(&p, &[true]);
    assert!(fits);
    let better = reorder_for_overlap(&p, &[true], Objective::Latency).expect("a reorder hides the activation");
    assert!(finished_steps(&better[0], &output_dims) > 1.0, "{}", better[0].describe(&arch, &layers[0]));
    assert_eq!(better[1], mappings[1], "only the producer is reordered");
    let q = Problem { mappings: &better, edges: p.edges.clone(), path_ops: p.path_ops.clone(), ..p };
    let (_, after, fits) = evaluate_decision(&q, &[true]);
    assert!(fits && after < before, "{after} vs {before}");
    // Unfused, the activation runs alone off chip: nothing to hide, nothing reordered.
    assert!(reorder_for_overlap(&p, &[false], Objective::Latency).is_none());
}
