//! Simulator throughput on a synthetic transformer-sized design: `layers` blocks of a fork into
//! three projections, a block-buffering converter, two attention stages and a residual join,
//! every kernel firing `firings` times (`cargo bench -p dnnc-sim --bench sim`).

use criterion::{Criterion, criterion_group, criterion_main};
use dnnc_sim::simulate;
use dnnc_stream::{Design, Kernel, KernelId, KernelKind, apply_fifo_sizing};

/// A stack of `layers` attention-like blocks.
pub fn blocks(layers: usize, firings: u64) -> Design {
    let mut d = Design::new("blocks");
    let k = |d: &mut Design, name: String, kind, ii, lat| d.add_kernel(Kernel::new(name, kind, firings, ii, lat));
    let mut prev = k(&mut d, "load".into(), KernelKind::DmaLoad, 1, 100);
    for l in 0..layers {
        let fork = k(&mut d, format!("fork{l}"), KernelKind::Fork, 1, 1);
        let q = k(&mut d, format!("q{l}"), KernelKind::Compute, 2, 12);
        let kk = k(&mut d, format!("k{l}"), KernelKind::Compute, 2, 12);
        let v = k(&mut d, format!("v{l}"), KernelKind::Compute, 2, 12);
        let kt = k(&mut d, format!("kt{l}"), KernelKind::Converter, 1, 2);
        let qk = k(&mut d, format!("qk{l}"), KernelKind::Compute, 2, 15);
        let av = k(&mut d, format!("av{l}"), KernelKind::Compute, 2, 15);
        let add = k(&mut d, format!("add{l}"), KernelKind::Compute, 1, 3);
        let c = |d: &mut Design, u: KernelId, v: KernelId| {
            let n = d.channels.len();
            d.connect(format!("c{n}"), u, v, 512, firings)
        };
        c(&mut d, prev, fork);
        for x in [q, kk, v, add] {
            c(&mut d, fork, x);
        }
        c(&mut d, kk, kt);
        let ktc = c(&mut d, kt, qk);
        d.channel_mut(ktc).lead = firings / 16;
        c(&mut d, q, qk);
        c(&mut d, qk, av);
        c(&mut d, v, av);
        c(&mut d, av, add);
        prev = add;
    }
    let store = k(&mut d, "store".into(), KernelKind::DmaStore, 1, 100);
    let n = d.channels.len();
    d.connect(format!("c{n}"), prev, store, 512, firings);
    d
}

fn bench(c: &mut Criterion) {
    let mut d = blocks(12, 16_384);
    apply_fifo_sizing(&mut d).unwrap();
    let firings: u64 = d.kernels.iter().map(|k| k.firings).sum();
    let report = simulate(&d).unwrap();
    assert!(report.deadlock.is_none());
    eprintln!("{} kernels, {} firings, {} events", d.kernels.len(), firings, report.events);
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.bench_function("gpt2_like_12x16k", |b| b.iter(|| simulate(&d).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
