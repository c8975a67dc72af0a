//! Every dnnc pass, one file each, and the one table that registers them.
//!
//! [`PASSES`] feeds the registry, `dnnc-opt --help` and the generated `docs/passes.md`; adding a
//! pass means adding its file and one line here. [`dialects`] lists every dialect the tools
//! load, for the same reason.

pub mod allocate_resources;
pub mod canonicalize;
pub mod convert_to_dataflow;
pub mod dataflow_pipeline;
pub mod fold_layout_into_access;
pub mod fuse;
pub mod graph_canonicalize;
pub mod insert_dma;
pub mod insert_layout_converters;
pub mod lower_graph_to_einsum;
pub mod partition_dataflow;
pub mod size_fifos;
pub mod target;
pub mod tile;
pub mod topological_sort;

pub use dataflow_pipeline::{dataflow_pipeline, dataflow_pipeline_with};
use dnnc_ir::{DialectRegistry, PassInfo, PassRegistry};

/// All passes, in the order they are listed in docs.
pub static PASSES: &[&PassInfo] = &[
    &allocate_resources::INFO,
    &canonicalize::INFO,
    &convert_to_dataflow::INFO,
    &fold_layout_into_access::INFO,
    &fuse::INFO,
    &graph_canonicalize::INFO,
    &insert_dma::INFO,
    &insert_layout_converters::INFO,
    &lower_graph_to_einsum::INFO,
    &partition_dataflow::INFO,
    &size_fifos::INFO,
    &tile::INFO,
    &topological_sort::INFO,
];

/// A registry of every pass.
pub fn registry() -> PassRegistry {
    PassRegistry::new(PASSES)
}

/// A registry of every dialect dnnc knows.
pub fn dialects() -> DialectRegistry {
    DialectRegistry::new()
        .with(&dnnc_func::DIALECT)
        .with(&dnnc_arith::DIALECT)
        .with(&dnnc_graph::DIALECT)
        .with(&dnnc_einsum::DIALECT)
        .with(&dnnc_sched::DIALECT)
        .with(&dnnc_dataflow::DIALECT)
}
