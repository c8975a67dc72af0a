//! The cost model (under construction).
pub mod layer_model;
pub mod mapping;
pub mod problem;
pub mod real;

pub use layer_model::{Breakdown, Cost, LevelTraffic, evaluate, evaluate_with_breakdown};
pub use mapping::{Loop, Mapping, Unroll};
pub use problem::{Access, Layer, Window};
pub use real::Real;
