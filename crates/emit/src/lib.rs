//! Emitters: turn scheduled layers into the files users feed other tools.
//!
//! Every emitter but the ZigZag one reads a [`Schedule`]: [`to_json`] for machines.
pub mod json;
pub mod schedule;
pub mod zigzag;

#[cfg(test)]
mod fixture;

pub use json::to_json;
pub use schedule::*;
