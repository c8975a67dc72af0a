//! Accelerator descriptions: the PE array, the memory hierarchy and the vector unit that the
//! cost model (`dnnc-cost`) prices mappings on.
//!
//! The model is ZigZag's, because that is what our users' files describe and what our numbers are
//! checked against: memories listed bottom-up, each holding some of the three *memory operands*
//! ([`Operand::I`], [`Operand::W`], [`Operand::O`] — ZigZag's `I1`, `I2`, `O`), shared across the
//! array dimensions it *serves*, with ports that each carry a set of (operand, direction) flows.
//!
//! Descriptions come from ZigZag's accelerator YAML ([`Accelerator::from_zigzag_yaml`]), dnnc's
//! own TOML ([`Accelerator::from_toml`]), a file of either kind ([`Accelerator::load`]) or a
//! built-in preset ([`Accelerator::preset`], [`PRESET_NAMES`]); every loader runs
//! [`Accelerator::validate`]. The formats, presets and rules are documented in docs/arch.md.

mod error;
pub mod fpga;
mod lastwins;
mod load;
mod model;
mod overrides;
mod toml_format;
mod units;
mod validate;
mod zigzag;

pub use error::ArchError;
pub use load::PRESET_NAMES;
pub use model::*;
pub use toml_format::{AutoPorts, auto_ports};
pub use units::parse_capacity;
pub use validate::required_flows;
pub use zigzag::DEFAULT_CLOCK_MHZ;
