//! Emitters: turn scheduled layers into the files users feed other tools.
//!
//! Every emitter but the ZigZag one reads a [`Schedule`]: [`to_json`] for machines,
//! [`report_text`] for terminals, the `*_svg` figures for papers and reviews.
pub mod figures;
mod format;
pub mod hls;
pub mod json;
pub mod kernels;
pub mod report;
pub mod schedule;
mod table;
pub mod zigzag;

#[cfg(test)]
mod fixture;

pub use figures::{energy_breakdown_svg, roofline_svg, timeline_svg};
pub use json::to_json;
pub use report::report_text;
pub use schedule::*;
