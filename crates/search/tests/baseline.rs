//! Exhaustive search against a brute force through the unprepared path: the same points
//! (every distinct mapping of the space, each once) and the same optimum, bit for bit.
use std::collections::HashMap;

use dnnc_arch::Accelerator;
use dnnc_cost::Layer;
use dnnc_search::baseline::{exhaustive, exhaustive_search};
use dnnc_search::local::score;
use dnnc_search::space::divisors;
use dnnc_search::{Objective, Options, Skeleton, Space, search};

/// Ordered factorisations of `n` into `parts` factors (ones included).
fn factorisations(n: u64, parts: usize) -> Vec<Vec<u64>> {
    if parts == 1 {
        return vec![vec![n]];
    }
    divisors(n)
        .into_iter()
        .flat_map(|d| {
            factorisations(n / d, parts - 1).into_iter().map(move |mut rest| {
                rest.insert(0, d);
                rest
            })
        })
        .collect()
}

fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            out.push(p);
        }
    }
    out
}

/// Every point of the space the slow way — every spatial candidate, every factorisation of
/// every dimension over the levels, every order of each level's non-unit loops — scored
/// through `score` (the unprepared model), by the mapping it gives: the unrolls and loops,
/// and the cuts when the levels set them. Returns the distinct mappings' values (`None`: does
/// not fit).
fn brute_force(space: &Space<'_>) -> HashMap<String, Option<f64>> {
    let (nd, ng) = (space.dims.len(), space.levels.len());
    let mut seen = HashMap::new();
    for spatial in space.spatial_candidates(usize::MAX) {
        let probe = Skeleton { spatial: spatial.clone(), orders: vec![space.dims.clone(); ng + 1] };
        let totals = space.temporal_totals(&probe);
        let splits: Vec<Vec<Vec<u64>>> = space.dims.iter().map(|&d| factorisations(totals[d], ng + 1)).collect();
        let mut idx = vec![0usize; nd];
        loop {
            let at = |g: usize, k: usize| splits[k][idx[k]][g];
            let factors: Vec<f64> =
                (0..ng).flat_map(|g| (0..nd).map(move |k| (g, k))).map(|(g, k)| at(g, k) as f64).collect();
            // Per level, every order of its non-unit loops (the unit ones after them).
            let level_orders: Vec<Vec<Vec<usize>>> = (0..=ng)
                .map(|g| {
                    let (busy, idle): (Vec<usize>, Vec<usize>) = (0..nd).partition(|&k| at(g, k) > 1);
                    let idle: Vec<usize> = idle.iter().map(|&k| space.dims[k]).collect();
                    let busy: Vec<usize> = busy.iter().map(|&k| space.dims[k]).collect();
                    permutations(&busy)
                        .into_iter()
                        .map(|mut p| {
                            p.extend(&idle);
                            p
                        })
                        .collect()
                })
                .collect();
            let combos: usize = level_orders.iter().map(Vec::len).product();
            for combo in 0..combos {
                let mut c = combo;
                let orders = level_orders
                    .iter()
                    .map(|opts| {
                        let o = opts[c % opts.len()].clone();
                        c /= opts.len();
                        o
                    })
                    .collect();
                let sk = Skeleton { spatial: spatial.clone(), orders };
                let mapping = space.mapping(&sk, &factors, true);
                let mut key = format!("{:?} {:?}", mapping.spatial, mapping.loops);
                if !space.zigzag_allocation {
                    key += &format!(" {:?}", mapping.cuts);
                }
                seen.entry(key).or_insert_with(|| score(space, &sk, &factors, Objective::Edp).map(|c| c.value));
            }
            let mut k = 0;
            while k < nd {
                idx[k] += 1;
                if idx[k] < splits[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == nd {
                break;
            }
        }
    }
    seen
}

/// The exhaustive search visits exactly the brute force's distinct mappings and finds its
/// optimum with the same bits, with ZigZag's allocation and with level cuts.
fn agrees_with_brute_force(arch: &str, layer: &Layer, zigzag_allocation: bool) {
    let arch = Accelerator::preset(arch).unwrap();
    let mut space = Space::new(&arch, layer).unwrap();
    space.zigzag_allocation = zigzag_allocation;
    let slow = brute_force(&space);
    let optimum = slow.values().flatten().copied().fold(f64::INFINITY, f64::min);
    let fast = exhaustive_search(&space, Objective::Edp, 10_000_000).unwrap();
    assert_eq!(fast.points, slow.len(), "{} on {}: the same points", layer.name, arch.name);
    assert!(fast.scored <= fast.points && fast.scored > 0);
    let best = fast.best.expect("a mapping fits");
    assert_eq!(
        best.value.to_bits(),
        optimum.to_bits(),
        "{} on {}: {} vs {}",
        layer.name,
        arch.name,
        best.value,
        optimum
    );
    assert_eq!(best.evaluations, fast.scored);
    // The candidate is the point it says it is.
    let again = score(&space, &best.skeleton, &best.factors, Objective::Edp).unwrap();
    assert_eq!(again.mapping, best.mapping);
    eprintln!(
        "{} on {} ({}): {} points, {} scored",
        layer.name, arch.name, zigzag_allocation, fast.points, fast.scored
    );
}

#[test]
fn exhaustive_gemm_matches_brute_force() {
    for arch in ["tpu_like", "eyeriss_like"] {
        agrees_with_brute_force(arch, &Layer::gemm("gemm", 2, 6, 4), true);
    }
}

#[test]
fn exhaustive_conv_matches_brute_force() {
    agrees_with_brute_force("tpu_like", &Layer::conv2d("conv", 2, 1, 3, 2, 1, 4), true);
}

#[test]
fn exhaustive_with_level_cuts_matches_brute_force() {
    agrees_with_brute_force("tpu_like", &Layer::gemm("gemm", 2, 6, 4), false);
    agrees_with_brute_force("eyeriss_like", &Layer::gemm("gemm", 2, 3, 2), false);
}

#[test]
fn exhaustive_refuses_a_large_layer_at_once() {
    let arch = Accelerator::preset("tpu_like").unwrap();
    let mut layer = Layer::gemm("gemm", 768, 512, 768);
    layer.name = "big_gemm".into();
    let space = Space::new(&arch, &layer).unwrap();
    let err = exhaustive(&space, Objective::Edp, 1_000_000).unwrap_err();
    assert_eq!(err.limit, 1_000_000);
    let msg = err.to_string();
    assert!(msg.contains("big_gemm") && msg.contains("1000000"), "{msg}");
}

#[test]
fn exhaustive_result_does_not_depend_on_the_thread_count() {
    let arch = Accelerator::preset("eyeriss_like").unwrap();
    let layer = Layer::gemm("gemm", 8, 12, 8);
    let space = Space::new(&arch, &layer).unwrap();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| exhaustive_search(&space, Objective::Edp, 1_000_000).unwrap())
    };
    let (a, b) = (run(1), run(2));
    let (x, y) = (a.best.unwrap(), b.best.unwrap());
    assert_eq!((a.points, a.scored), (b.points, b.scored));
    assert_eq!(x.value.to_bits(), y.value.to_bits());
    assert_eq!(x.mapping, y.mapping);
}

/// FADiff (default options) within 5 % of the optimum on a small 3×3 convolution, on both
/// accelerators.
#[test]
fn fadiff_is_within_five_percent_of_exhaustive_on_a_small_conv() {
    let layer = Layer::conv2d("conv", 4, 4, 7, 3, 1, 9);
    for arch in ["tpu_like", "eyeriss_like"] {
        let arch = Accelerator::preset(arch).unwrap();
        let space = Space::new(&arch, &layer).unwrap();
        let best = exhaustive(&space, Objective::Edp, 1_000_000).unwrap().unwrap();
        let found = search(&space, &Options::default()).unwrap();
        assert!(found.value >= best.value, "nothing beats the optimum of the space FADiff searches");
        assert!(
            found.value <= 1.05 * best.value,
            "{}: fadiff {:.4e} vs exhaustive {:.4e}",
            arch.name,
            found.value,
            best.value
        );
    }
}
