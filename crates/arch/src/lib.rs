//! Accelerator descriptions: the PE array, the memory hierarchy and the vector unit that the
//! cost model (`dnnc-cost`) prices mappings on.
//!
//! The model is ZigZag's, because that is what our users' files describe and what our numbers are
//! checked against: memories listed bottom-up, each holding some of the three *memory operands*
//! ([`Operand::I`], [`Operand::W`], [`Operand::O`] — ZigZag's `I1`, `I2`, `O`), shared across the
//! array dimensions it *serves*, with ports that each carry a set of (operand, direction) flows.

mod model;

pub use model::*;
