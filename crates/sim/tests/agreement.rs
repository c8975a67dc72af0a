//! The simulator against the analytic model and the FIFO-sizing LP.

use dnnc_sim::{Wait, simulate};
use dnnc_stream::{ChannelId, Design, Kernel, KernelKind, analyze, apply_fifo_sizing, bounded_flow};

fn kernel(name: &str, kind: KernelKind, firings: u64, ii: u64, latency: u64) -> Kernel {
    Kernel::new(name, kind, firings, ii, latency)
}

fn rel_err(sim: u64, model: f64) -> f64 {
    (sim as f64 - model).abs() / model
}

/// load → matmul (reduction over 8 tiles) → gelu → store, the matmul the bottleneck.
#[test]
fn chain_agrees_with_the_model() {
    let mut d = Design::new("chain");
    let load = d.add_kernel(kernel("load", KernelKind::DmaLoad, 4096, 1, 100));
    let mm = d.add_kernel(kernel("mm", KernelKind::Compute, 4096, 4, 20));
    let act = d.add_kernel(kernel("gelu", KernelKind::Compute, 512, 2, 8));
    let store = d.add_kernel(kernel("store", KernelKind::DmaStore, 512, 1, 100));
    d.connect("a", load, mm, 512, 4096);
    d.connect("b", mm, act, 512, 512);
    d.connect("c", act, store, 512, 512);
    apply_fifo_sizing(&mut d).unwrap();
    let model = analyze(&d).unwrap();
    let sim = simulate(&d).unwrap();
    assert!(sim.deadlock.is_none());
    let err = rel_err(sim.latency_cycles, model.latency_cycles);
    assert!(err <= 0.10, "sim {} vs model {} ({err})", sim.latency_cycles, model.latency_cycles);
    assert!(sim.latency_cycles as f64 <= model.latency_cycles + 1e-6);
    let flow = bounded_flow(&d).unwrap();
    let err = rel_err(sim.latency_cycles, flow.latency_cycles);
    assert!(err <= 0.01, "sim {} vs flow estimate {} ({err})", sim.latency_cycles, flow.latency_cycles);
    // The bottleneck runs back to back.
    assert_eq!(sim.kernels[1].blocked_cycles, 0);
    assert!((sim.kernels[1].throughput - 0.25).abs() < 1e-9);
}

/// A transformer-block-like DAG: three projections from one input (fork), a converter that
/// buffers K, a join, a residual around it all.
#[test]
fn dag_agrees_with_the_model() {
    let mut d = Design::new("block");
    let x = d.add_kernel(kernel("x", KernelKind::DmaLoad, 1024, 1, 100));
    let fork = d.add_kernel(kernel("fork", KernelKind::Fork, 1024, 1, 1));
    let q = d.add_kernel(kernel("q", KernelKind::Compute, 1024, 3, 12));
    let k = d.add_kernel(kernel("k", KernelKind::Compute, 1024, 3, 12));
    let v = d.add_kernel(kernel("v", KernelKind::Compute, 1024, 3, 12));
    let kt = d.add_kernel(kernel("kt", KernelKind::Converter, 1024, 1, 2));
    let qk = d.add_kernel(kernel("qk", KernelKind::Compute, 1024, 3, 15));
    let av = d.add_kernel(kernel("av", KernelKind::Compute, 1024, 3, 15));
    let add = d.add_kernel(kernel("residual", KernelKind::Compute, 1024, 1, 3));
    let out = d.add_kernel(kernel("out", KernelKind::DmaStore, 1024, 1, 100));
    d.connect("x", x, fork, 256, 1024);
    d.connect("xq", fork, q, 256, 1024);
    d.connect("xk", fork, k, 256, 1024);
    d.connect("xv", fork, v, 256, 1024);
    d.connect("xr", fork, add, 256, 1024);
    d.connect("k", k, kt, 256, 1024);
    let ktc = d.connect("kt", kt, qk, 256, 1024);
    d.connect("q", q, qk, 256, 1024);
    d.connect("s", qk, av, 256, 1024);
    d.connect("v", v, av, 256, 1024);
    d.connect("o", av, add, 256, 1024);
    d.connect("y", add, out, 256, 1024);
    d.channel_mut(ktc).lead = 63;
    apply_fifo_sizing(&mut d).unwrap();
    let model = analyze(&d).unwrap();
    let sim = simulate(&d).unwrap();
    assert!(sim.deadlock.is_none());
    let err = rel_err(sim.latency_cycles, model.latency_cycles);
    assert!(err <= 0.10, "sim {} vs model {} ({err})", sim.latency_cycles, model.latency_cycles);
    assert!(sim.latency_cycles as f64 <= model.latency_cycles + 1e-6);
    let flow = bounded_flow(&d).unwrap();
    let err = rel_err(sim.latency_cycles, flow.latency_cycles);
    assert!(err <= 0.01, "sim {} vs flow estimate {} ({err})", sim.latency_cycles, flow.latency_cycles);
}

/// fork → short (one stage) → join and fork → converter (buffers a 32-token block) → join.
fn reconvergent() -> Design {
    let mut d = Design::new("reconvergent");
    let src = d.add_kernel(kernel("src", KernelKind::DmaLoad, 256, 1, 10));
    let fork = d.add_kernel(kernel("fork", KernelKind::Fork, 256, 1, 1));
    let short = d.add_kernel(kernel("short", KernelKind::Compute, 256, 1, 2));
    let conv = d.add_kernel(kernel("conv", KernelKind::Converter, 256, 1, 1));
    let join = d.add_kernel(kernel("join", KernelKind::Compute, 256, 1, 2));
    let sink = d.add_kernel(kernel("sink", KernelKind::DmaStore, 256, 1, 10));
    d.connect("in", src, fork, 128, 256);
    d.connect("f_short", fork, short, 128, 256);
    let fc = d.connect("f_conv", fork, conv, 128, 256);
    d.connect("short_join", short, join, 128, 256);
    d.connect("conv_join", conv, join, 128, 256);
    d.connect("out", join, sink, 128, 256);
    d.channel_mut(fc).lead = 32;
    d
}

#[test]
fn lp_depths_run_the_reconvergent_graph_without_stall() {
    let mut d = reconvergent();
    let sizing = apply_fifo_sizing(&mut d).unwrap();
    let model = analyze(&d).unwrap();
    let sim = simulate(&d).unwrap();
    assert!(sim.deadlock.is_none());
    assert_eq!(sim.latency_cycles as f64, model.latency_cycles, "depths {:?}", sizing.depths);
    // The fork is never output-blocked: both paths drain as fast as it feeds them. (A stage
    // that starts earlier than the LP's schedule may wait a few cycles for room; that costs
    // nothing, the latency is the model's.)
    assert_eq!(sim.kernels[1].blocked_cycles, 0, "{:#?}", sim.kernels);
}

/// The short path's capacity is what the LP says and not a token less: one below on the
/// short path's sized channel, the fork blocks and the whole design finishes later (a stall,
/// not a deadlock: the converter's block still fills); far below, it deadlocks.
#[test]
fn one_below_the_lp_on_the_short_path_stalls() {
    let mut d = reconvergent();
    let sizing = apply_fifo_sizing(&mut d).unwrap();
    let model = analyze(&d).unwrap();
    let short_path = [ChannelId(1), ChannelId(3)];
    // The LP puts the buffering on one channel of the short path; the other stays minimal.
    let sized = *short_path.iter().max_by_key(|c| sizing.depths[c.index()]).unwrap();
    assert!(sizing.depths[sized.index()] > dnnc_stream::MIN_DEPTH);
    let mut less = d.clone();
    less.channel_mut(sized).depth -= 1;
    let sim = simulate(&less).unwrap();
    assert!(sim.deadlock.is_none(), "one below stalls rather than deadlocks");
    assert!(sim.latency_cycles as f64 > model.latency_cycles, "{} vs {}", sim.latency_cycles, model.latency_cycles);
    assert!(sim.blocked_cycles() > 0);
    // With the whole short path at the minimum depth the fork can never fill the converter's
    // block: deadlock, the fork waiting for room on the short path and the join for the
    // converter.
    let mut tiny = d.clone();
    for c in short_path {
        tiny.channel_mut(c).depth = dnnc_stream::MIN_DEPTH;
    }
    let sim = simulate(&tiny).unwrap();
    let dl = sim.deadlock.expect("minimum depths deadlock");
    assert!(dl.cycle.contains(&"fork".to_string()) && dl.cycle.contains(&"join".to_string()), "{dl:?}");
    assert!(dl.waiting.iter().any(|(k, w)| k == "fork" && matches!(w, Wait::Output { .. })), "{dl:?}");
}

/// Attention-like block whose K path fills a whole-tensor transpose while the Q projection is
/// the bottleneck: the paced schedule (the LP's, an upper bound) is loose, the bounded-flow
/// estimate follows the simulator.
#[test]
fn flow_estimate_tracks_back_pressure() {
    let f = 2048;
    let mut d = Design::new("attn");
    let x = d.add_kernel(kernel("x", KernelKind::DmaLoad, f, 1, 100));
    let fork = d.add_kernel(kernel("fork", KernelKind::Fork, f, 1, 1));
    let q = d.add_kernel(kernel("q", KernelKind::Compute, f, 4, 12));
    let k = d.add_kernel(kernel("k", KernelKind::Compute, f, 1, 12));
    let kt = d.add_kernel(kernel("kt", KernelKind::Converter, f, 1, 2));
    let qk = d.add_kernel(kernel("qk", KernelKind::Compute, f, 1, 15));
    let out = d.add_kernel(kernel("out", KernelKind::DmaStore, f, 1, 100));
    d.connect("x", x, fork, 256, f);
    d.connect("xq", fork, q, 256, f);
    d.connect("xk", fork, k, 256, f);
    d.connect("k", k, kt, 256, f);
    let ktc = d.connect("kt", kt, qk, 256, f);
    d.connect("q", q, qk, 256, f);
    d.connect("s", qk, out, 256, f);
    d.channel_mut(ktc).lead = f / 2;
    apply_fifo_sizing(&mut d).unwrap();
    let paced = analyze(&d).unwrap().latency_cycles;
    let flow = bounded_flow(&d).unwrap().latency_cycles;
    let sim = simulate(&d).unwrap();
    assert!(sim.deadlock.is_none());
    assert!(sim.latency_cycles as f64 <= paced);
    assert!(rel_err(sim.latency_cycles, flow) <= 0.01, "sim {} flow {flow} paced {paced}", sim.latency_cycles);
}
