//! The cost model (under construction).
pub mod allocate;
pub mod check;
pub mod einsum;
pub mod fused;
pub mod layer_model;
pub mod mapping;
pub mod problem;
pub mod real;
pub mod vector;

pub use allocate::zigzag_cuts;
pub use check::check;
pub use einsum::{EinsumError, layer_of};
pub use fused::{Edge, FusedGroup, GroupCost, GroupError, Member, evaluate_group, soft_choice};
pub use layer_model::{
    Breakdown, Cost, Footprint, GiveUp, LayerModel, LevelTraffic, Prepared, evaluate, evaluate_relaxed,
    evaluate_with_breakdown, footprints,
};
pub use mapping::{Loop, Mapping, Unroll};
pub use problem::{Access, Layer, Window, op_index};
pub use real::Real;
pub use vector::{VectorCost, VectorError, VectorWork, evaluate_vector, vector_work};
