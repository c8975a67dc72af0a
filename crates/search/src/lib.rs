//! Mapping search for one layer: FADiff's gradient descent on the differentiable cost model,
//! rounded to valid factors and polished on the exact model.
pub mod baseline;
pub mod dual;
pub mod fadiff;
pub mod fusion;
pub mod joint;
pub mod local;
pub mod network;
pub mod objective;
pub mod overlap;
pub mod space;

pub use fadiff::{FixedSpatial, Method, Options, search};
pub use local::Candidate;
pub use network::search_layers;
pub use objective::Objective;
pub use space::{Skeleton, Space, SpaceError};
