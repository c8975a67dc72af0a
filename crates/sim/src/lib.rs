//! Discrete-event simulator of a streaming dataflow design ([`dnnc_stream::Design`]) at token
//! (tile) granularity, with the firing semantics of `dnnc_stream::design`: bounded FIFOs whose
//! capacity is the channel depth plus the producer's pipeline tokens, eager pops up to the next
//! firing's need, a firing every `ii` cycles at most, outputs visible `latency` cycles after the
//! start.
//!
//! Time advances from event to event (a binary heap of token-visibility and kernel-wake-up
//! events); at each instant kernels are re-examined from a work list until nothing changes, so
//! simultaneous pops free space for producers at the same cycle. When no event is pending while
//! kernels still have firings left, the design is deadlocked: the report names the kernels
//! waiting on each other in a cycle.
//!
//! The simulation is exact for the model: it computes the earliest start of every firing, the
//! least solution of the max-plus system the FIFO-sizing LP schedules against.

mod engine;

pub use engine::{Deadlock, KernelStats, SimReport, Wait, simulate};
