//! The builtin dialect: `builtin.module`, the top-level container every IR file parses into,
//! and `builtin.unrealized_conversion_cast`, the bridge partial lowerings leave between layers.

use crate::context::{Context, OperationState};
use crate::dialect::{AttrKind, AttrSpec, Dialect, OpDef, Traits, TypeConstraint, ValueSpec};
use crate::ids::OpId;

pub const MODULE: &str = "builtin.module";
pub const CAST: &str = "builtin.unrealized_conversion_cast";

static OPS: [OpDef; 2] = [
    OpDef {
        attrs: &[AttrSpec::optional("sym_name", AttrKind::String, "name of the module")],
        regions: 1,
        traits: Traits::NO_TERMINATOR
            .union(Traits::ISOLATED_FROM_ABOVE)
            .union(Traits::SINGLE_BLOCK)
            .union(Traits::GRAPH_REGION),
        ..OpDef::new(MODULE, "A top-level container of operations")
    },
    OpDef {
        operands: &[ValueSpec::variadic("inputs", TypeConstraint::Any)],
        results: &[ValueSpec::variadic("outputs", TypeConstraint::Any)],
        traits: Traits::PURE,
        ..OpDef::new(CAST, "A placeholder conversion between types of two IR layers")
    },
];

pub static DIALECT: Dialect = Dialect {
    name: "builtin",
    summary: "Top-level module and cross-layer casts",
    ops: &OPS,
    types: &[],
    attrs: &[],
    materialize_constant: None,
};

/// Creates an empty, detached `builtin.module` with one empty block.
pub fn create_module(cx: &mut Context) -> OpId {
    let region = cx.create_region();
    let block = cx.create_block(&[]);
    cx.append_block(region, block);
    let name = cx.op_name(MODULE);
    cx.create_op(OperationState::new(name).regions([region]))
}
