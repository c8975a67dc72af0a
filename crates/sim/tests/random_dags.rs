//! Property: on random DAGs (random rates, latencies, block leads, reconvergent paths) the
//! LP's FIFO depths never deadlock, and the simulated latency never exceeds the analytic
//! latency the LP sized for (no stall costs time).

use dnnc_sim::simulate;
use dnnc_stream::{Design, Kernel, KernelId, KernelKind, analyze, apply_fifo_sizing, bounded_flow};
use proptest::prelude::*;

const FIRINGS: [u64; 6] = [1, 8, 12, 16, 48, 64];

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Builds a DAG: kernel `i` gets `(firings index, ii, latency)`; each edge `(a, b, tokens
/// choice, lead percent, has lead)` connects `min(a, b) → max(a, b)` (mod n, self loops
/// dropped); kernels without inputs but a predecessor get one from kernel 0 so most graphs
/// are connected and reconverge.
fn build(kernels: &[(usize, u64, u64)], edges: &[(usize, usize, usize, u64, bool)]) -> Design {
    let n = kernels.len();
    let mut d = Design::new("random");
    for (i, &(f, ii, lat)) in kernels.iter().enumerate() {
        d.add_kernel(Kernel::new(format!("k{i}"), KernelKind::Compute, FIRINGS[f], ii, lat));
    }
    let mut has_input = vec![false; n];
    let add = |d: &mut Design, u: usize, v: usize, choice: usize, lead_pct: u64, lead: bool| {
        let (fu, fv) = (FIRINGS[kernels[u].0], FIRINGS[kernels[v].0]);
        let tokens = match choice {
            0 => fu,
            1 => fv,
            2 => fu / gcd(fu, fv) * fv,
            _ => gcd(fu, fv),
        };
        // Every third channel carries wide tokens, whose FIFOs may be a single slot.
        let width = if lead_pct.is_multiple_of(3) { dnnc_stream::LARGE_TOKEN_BITS + 64 } else { 64 };
        let c = d.connect(format!("c{}", d.channels.len()), KernelId(u as u32), KernelId(v as u32), width, tokens);
        if lead {
            d.channel_mut(c).lead = tokens * lead_pct / 200;
        }
    };
    for &(a, b, choice, lead_pct, lead) in edges {
        let (a, b) = (a % n, b % n);
        if a == b {
            continue;
        }
        let (u, v) = (a.min(b), a.max(b));
        add(&mut d, u, v, choice, lead_pct, lead);
        has_input[v] = true;
    }
    for (v, has) in has_input.iter().enumerate().skip(1) {
        if !has {
            add(&mut d, 0, v, 0, 0, false);
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1200, ..ProptestConfig::default() })]

    #[test]
    fn lp_depths_never_deadlock(
        kernels in prop::collection::vec((0usize..FIRINGS.len(), 1u64..=4, 0u64..=12), 2..=8),
        edges in prop::collection::vec((0usize..64, 0usize..64, 0usize..4, 0u64..=100, any::<bool>()), 1..=14),
    ) {
        let mut d = build(&kernels, &edges);
        apply_fifo_sizing(&mut d).unwrap();
        let model = analyze(&d).unwrap();
        let sim = simulate(&d).unwrap();
        prop_assert!(sim.deadlock.is_none(), "deadlock {:?}\n{:?}", sim.deadlock, d);
        prop_assert!(
            sim.latency_cycles as f64 <= model.latency_cycles + 1e-6,
            "sim {} > model {}\n{:?}", sim.latency_cycles, model.latency_cycles, d
        );
        // Under 512 firings per kernel the flow estimate samples every firing: it is the
        // simulator's max-plus system solved by rounds, and must agree.
        let flow = bounded_flow(&d).unwrap();
        prop_assert!(
            (flow.latency_cycles - sim.latency_cycles as f64).abs() <= 1e-6,
            "flow {} vs sim {}\n{:?}", flow.latency_cycles, sim.latency_cycles, d
        );
    }
}
