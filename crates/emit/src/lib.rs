//! Emitters: turn scheduled layers into the files users feed other tools.
//!
//! The schedule emitters read a [`Schedule`]: [`to_json`] for machines, [`report_text`] for
//! terminals, the `*_svg` figures for papers and reviews, [`zigzag`] for ZigZag. The dataflow
//! emitters read dataflow IR: [`kernels`] (kernel descriptors, JSON) and [`hls`] (Vitis-HLS C++).
pub mod dataflow_report;
pub mod figures;
mod format;
pub mod hbm;
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
