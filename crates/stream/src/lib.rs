//! Analytic model of streaming dataflow designs (StreamTensor-style FPGA accelerators): the
//! [`Design`] (kernels, FIFO channels, rates, resources) that the dataflow passes build from IR
//! and the simulator (`dnnc-sim`) executes, and the analyses on it. Independent of the IR.
//! The token and timing model is described in docs/stream-model.md.

pub mod allocate;
pub mod analysis;
pub mod budget;
pub mod design;
pub mod fifo;
pub mod flow;
pub mod partition;
pub mod pipelined;
pub mod resident;

pub use allocate::{AllocError, Allocation, allocate_resources, minimum_resources};
pub use analysis::{Roofline, Timing, analyze, design_roofline, roofline};
pub use budget::Budgets;
pub use design::{Channel, ChannelId, Design, DesignError, Kernel, KernelId, KernelKind, Resources};
pub use fifo::{FifoError, FifoSizing, LARGE_TOKEN_BITS, MIN_DEPTH, apply_fifo_sizing, min_depth, size_fifos};
pub use flow::{FreeFlow, bounded_flow, free_flow};
pub use partition::{
    Partition, is_barrier, partition, partition_and_allocate, phases, sequential_latency, split, split_at_barriers,
};
pub use pipelined::{PipelineSchedule, PipelinedPlan, SCHEDULED_REQUESTS, allocate_pipelined, pipeline_schedule};
pub use resident::{ResidentPlan, allocate_resident, classes, structure_key};
