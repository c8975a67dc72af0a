//! Emitters: turn scheduled layers into the files users feed other tools.
pub mod schedule;
pub mod zigzag;

pub use schedule::*;
