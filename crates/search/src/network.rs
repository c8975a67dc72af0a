//! Searching every layer of a network: layers with the same shape, access pattern and
//! precision are searched once (a transformer repeats a handful of shapes), distinct ones in
//! order, each search parallel over its starts.

use std::collections::HashMap;

use dnnc_arch::Accelerator;
use dnnc_cost::Layer;

use crate::baseline::{exhaustive, random};
use crate::fadiff::{Method, Options, search};

/// Evaluations exhaustive search may spend on one layer.
pub const EXHAUSTIVE_LIMIT: usize = 5_000_000;
use crate::local::Candidate;
use crate::space::Space;

/// What identifies a layer's search problem (everything but its name).
fn signature(layer: &Layer) -> String {
    format!("{:?}|{:?}|{:?}|{:?}", layer.sizes, layer.access, layer.order, layer.precision)
}

/// The best mapping of each layer (`Err` says why a layer has none), and how many distinct
/// searches ran.
pub fn search_layers(arch: &Accelerator, layers: &[Layer], opts: &Options) -> (Vec<Result<Candidate, String>>, usize) {
    let mut done: HashMap<String, Result<Candidate, String>> = HashMap::new();
    let mut out = Vec::with_capacity(layers.len());
    for layer in layers {
        let key = signature(layer);
        if !done.contains_key(&key) {
            let result = Space::new(arch, layer).map_err(|e| e.to_string()).and_then(|space| {
                let found = match opts.method {
                    Method::Fadiff => search(&space, opts),
                    Method::Random => {
                        // The budget FADiff spends on this layer, for a like-for-like baseline.
                        let budget = search(&space, opts).map_or(10_000, |c| c.evaluations);
                        random(&space, opts.objective, budget, opts.seed)
                    }
                    Method::Exhaustive => {
                        exhaustive(&space, opts.objective, EXHAUSTIVE_LIMIT).map_err(|e| e.to_string())?
                    }
                };
                found.ok_or_else(|| "no mapping fits the memories".to_string())
            });
            done.insert(key.clone(), result);
        }
        out.push(done[&key].clone());
    }
    let searches = done.len();
    (out, searches)
}
