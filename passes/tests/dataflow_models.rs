//! The whole dataflow pipeline ([`dnnc_passes::dataflow_pipeline`]) on bundled models,
//! imported and lowered as the driver does: the result verifies, every einsum sits in a
//! kernel (MACs conserved), every stream has one consumer through a sized FIFO, every kernel
//! has a parallelism, and each design block is a valid stream-model design that fits the board.

use std::sync::Arc;

use dnnc_dataflow::design::{dataflow_blocks, design_of};
use dnnc_dataflow::{FIFO, ITensor, KERNEL};
use dnnc_ir::{Attribute, Context, OpId, PassManager, PassManagerOptions};

fn run(cx: &mut Context, m: OpId, pipeline: &str) {
    let mut pm = PassManager::parse(pipeline, &dnnc_passes::registry(), PassManagerOptions::default()).unwrap();
    pm.run(cx, m, &mut std::io::sink()).unwrap_or_else(|e| panic!("{pipeline}: {e}: {:?}", e.diagnostics));
}

fn macs(cx: &Context, ops: &[OpId]) -> i64 {
    ops.iter().filter_map(|&o| dnnc_einsum::Einsum::of(cx, o)).filter(|e| e.kind == "mac").map(|e| e.points()).sum()
}

fn check(name: &str) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../test-suite/models");
    let model = dnnc_onnx::read_model(format!("{root}/{name}.onnx")).unwrap();
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let m = dnnc_onnx::import_model(&mut cx, &model, &Default::default()).unwrap();
    run(&mut cx, m, "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)");
    let before = macs(&cx, &cx.nested_ops(m));
    run(&mut cx, m, &dnnc_passes::dataflow_pipeline("u55c"));
    dnnc_ir::verify(&cx, m).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    let ops = cx.nested_ops(m);
    // Every einsum is in a kernel, and no work is lost.
    for &o in &ops {
        if cx.is(o, dnnc_einsum::OP) {
            assert!(cx.parent_op(o).is_some_and(|p| cx.is(p, KERNEL)), "{name}: einsum outside a kernel");
        }
    }
    assert_eq!(macs(&cx, &ops), before, "{name}: MACs");
    let kernels: Vec<OpId> = ops.iter().copied().filter(|&o| cx.is(o, KERNEL)).collect();
    assert!(kernels.len() > 10, "{name}: {} kernels", kernels.len());
    for &k in &kernels {
        let p = cx.attr(k, "parallelism").and_then(Attribute::as_int).unwrap();
        assert!(p >= 1 && cx.attr(k, "resources").is_some(), "{name}: kernel not allocated");
    }
    // Streams: one consumer each; every stream into a stage passes a FIFO.
    let mut fifos = 0;
    for &o in &ops {
        for v in cx.results(o) {
            if ITensor::of(&cx, cx.value_type(v)).is_some() {
                assert_eq!(cx.uses(v).len(), 1, "{name}: a stream of '{}' has {} uses", cx.name(o), cx.uses(v).len());
            }
        }
        if cx.is(o, FIFO) {
            fifos += 1;
            assert!(cx.attr(o, "depth").and_then(Attribute::as_int).unwrap() >= 1);
        } else if dnnc_dataflow::design::is_node(&cx, o) {
            for &v in cx.operands(o) {
                if ITensor::of(&cx, cx.value_type(v)).is_some() {
                    assert!(
                        cx.defining_op(v).is_some_and(|d| cx.is(d, FIFO)),
                        "{name}: an unsized stream into '{}'",
                        cx.name(o)
                    );
                }
            }
        }
    }
    assert!(fifos > 0, "{name}: no FIFO");
    // Each block is a valid design within the board's budgets.
    let budgets = dnnc_stream::Budgets::from_board(&dnnc_arch::fpga::preset("u55c").unwrap(), 0.75);
    for b in dataflow_blocks(&cx, m) {
        let map = design_of(&cx, b, name).unwrap();
        let timing = dnnc_stream::analyze(&map.design).unwrap();
        assert!(timing.latency_cycles > 0.0);
        assert!(budgets.fits(&map.design.resources()), "{name}: {:?}", budgets.first_excess(&map.design.resources()));
    }
}

#[test]
fn gpt2_prefill_becomes_a_sized_dataflow_design() {
    check("gpt2_l2_s128");
}

#[test]
fn resnet18_becomes_a_sized_dataflow_design() {
    check("resnet18");
}

#[test]
fn llama_prefill_becomes_a_sized_dataflow_design() {
    check("llama_l2_s256");
}

/// One bitstream (`allocate-resources{regions=resident}`) for Llama's two layers: the regions
/// the two layers repeat are the same hardware and get the same allocation, and the distinct
/// designs together fit the board's share. (GPT-2's two layers are one region each, distinct:
/// the first also computes the next layer's Q/K/V.)
#[test]
fn resident_regions_share_identical_designs_and_fit_together() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../test-suite/models");
    let model = dnnc_onnx::read_model(format!("{root}/llama_l2_s256.onnx")).unwrap();
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let m = dnnc_onnx::import_model(&mut cx, &model, &Default::default()).unwrap();
    run(&mut cx, m, "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)");
    let resident = dnnc_passes::dataflow_pipeline_with("u55c", "0.75", "resident");
    run(&mut cx, m, &resident);
    let designs: Vec<dnnc_stream::Design> =
        dataflow_blocks(&cx, m).into_iter().map(|b| design_of(&cx, b, "llama").unwrap().design).collect();
    assert!(designs.len() >= 4, "{} regions", designs.len());
    let class_of = dnnc_stream::classes(&designs);
    let distinct = class_of.iter().max().unwrap() + 1;
    assert!(distinct < designs.len(), "no two regions are the same design: {class_of:?}");
    // Regions of one design have the same lanes, kernel by kernel.
    for (r, &c) in class_of.iter().enumerate() {
        let first = class_of.iter().position(|&k| k == c).unwrap();
        let lanes = |d: &dnnc_stream::Design| d.kernels.iter().map(|k| k.parallelism).collect::<Vec<_>>();
        assert_eq!(lanes(&designs[r]), lanes(&designs[first]), "region {r} against region {first}");
    }
    // The distinct designs, FIFOs at their sized depths included, fit the share side by side
    // (HBM bandwidth: one region at a time).
    let budgets = dnnc_stream::Budgets::from_board(&dnnc_arch::fpga::preset("u55c").unwrap(), 0.75);
    let mut together = dnnc_stream::Resources::default();
    for c in 0..distinct {
        let d = &designs[class_of.iter().position(|&k| k == c).unwrap()];
        let r = &d.resources().add(&d.fifo_resources());
        together = dnnc_stream::Resources {
            hbm_bytes_per_cycle: together.hbm_bytes_per_cycle.max(r.hbm_bytes_per_cycle),
            ..together.add(&dnnc_stream::Resources { hbm_bytes_per_cycle: 0.0, ..*r })
        };
    }
    assert!(budgets.fits(&together), "{:?}", budgets.first_excess(&together));
    assert!(together.dsp > budgets.dsp / 2, "the share is used: {} DSPs", together.dsp);
}
