//! Dialects: named groups of op, type and attribute definitions, and the registry holding them.
//!
//! An op definition ([`OpDef`]) is plain `'static` data — operand and result lists with type
//! constraints, attribute specs, traits, and optional hooks for extra verification, folding and
//! canonicalization patterns. The generic verifier and the parser read these same tables, and
//! so can any tool that needs a dialect's signature (documentation, export to MLIR's IRDL), so
//! a dialect is declared once.

use crate::attrs::Attribute;
use crate::context::Context;
use crate::ids::{OpId, TypeId, ValueId};
use crate::rewrite::PatternSet;
use crate::types::{TypeData, TypeParam};
use indexmap::IndexMap;

/// Properties of an op the infrastructure relies on.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct Traits(u32);

impl Traits {
    pub const NONE: Traits = Traits(0);
    /// No side effects: an unused result means the op can be deleted.
    pub const PURE: Traits = Traits(1);
    /// Must be the last op of its block.
    pub const TERMINATOR: Traits = Traits(1 << 1);
    /// Its regions' blocks need no terminator (e.g. `builtin.module`).
    pub const NO_TERMINATOR: Traits = Traits(1 << 2);
    /// Its regions cannot use values defined outside it; value numbering restarts inside.
    pub const ISOLATED_FROM_ABOVE: Traits = Traits(1 << 3);
    /// Produces a constant held in its `value` attribute (folders read it).
    pub const CONSTANT_LIKE: Traits = Traits(1 << 4);
    /// All operands and results have one type.
    pub const SAME_OPERANDS_AND_RESULT_TYPE: Traits = Traits(1 << 5);
    /// Operands may be swapped (folders put constants on the right).
    pub const COMMUTATIVE: Traits = Traits(1 << 6);
    /// Its regions have at most one block.
    pub const SINGLE_BLOCK: Traits = Traits(1 << 7);
    /// Its regions are graph regions: ops may use values defined later in the same block.
    pub const GRAPH_REGION: Traits = Traits(1 << 8);

    pub const fn union(self, other: Traits) -> Traits {
        Traits(self.0 | other.0)
    }

    pub const fn contains(self, other: Traits) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Traits {
    type Output = Traits;
    fn bitor(self, rhs: Traits) -> Traits {
        self.union(rhs)
    }
}

/// What types an operand or result accepts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TypeConstraint {
    Any,
    AnyTensor,
    AnyInteger,
    AnyFloat,
    Index,
    /// An integer (of any signedness) or `index`.
    IntegerOrIndex,
    /// An integer, float or index scalar.
    AnyScalar,
    /// A function type.
    Function,
    /// A tensor or a scalar.
    TensorOrScalar,
    /// A dialect type `!dialect.name`, given as `"dialect.name"`.
    Dialect(&'static str),
}

impl TypeConstraint {
    pub fn accepts(self, data: &TypeData) -> bool {
        match self {
            TypeConstraint::Any => true,
            TypeConstraint::AnyTensor => data.is_tensor(),
            TypeConstraint::AnyInteger => data.is_integer(),
            TypeConstraint::AnyFloat => data.is_float(),
            TypeConstraint::Index => matches!(data, TypeData::Index),
            TypeConstraint::IntegerOrIndex => data.is_integer() || matches!(data, TypeData::Index),
            TypeConstraint::AnyScalar => data.is_scalar(),
            TypeConstraint::Function => matches!(data, TypeData::Function { .. }),
            TypeConstraint::TensorOrScalar => data.is_tensor() || data.is_scalar(),
            TypeConstraint::Dialect(full) => match data {
                TypeData::Dialect { dialect, name, .. } => {
                    full.len() == dialect.len() + 1 + name.len()
                        && full.starts_with(&**dialect)
                        && full.ends_with(&**name)
                        && full.as_bytes()[dialect.len()] == b'.'
                }
                _ => false,
            },
        }
    }

    /// Human-readable description, for diagnostics and docs.
    pub fn describe(self) -> String {
        match self {
            TypeConstraint::Any => "any type".into(),
            TypeConstraint::AnyTensor => "tensor".into(),
            TypeConstraint::AnyInteger => "integer".into(),
            TypeConstraint::AnyFloat => "float".into(),
            TypeConstraint::Index => "index".into(),
            TypeConstraint::IntegerOrIndex => "integer or index".into(),
            TypeConstraint::AnyScalar => "integer, float or index".into(),
            TypeConstraint::Function => "function type".into(),
            TypeConstraint::TensorOrScalar => "tensor or scalar".into(),
            TypeConstraint::Dialect(n) => format!("!{n}"),
        }
    }
}

/// How many values an operand or result group takes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Arity {
    Single,
    Optional,
    Variadic,
}

/// One named operand or result group of an op definition.
#[derive(Copy, Clone, Debug)]
pub struct ValueSpec {
    pub name: &'static str,
    pub constraint: TypeConstraint,
    pub arity: Arity,
}

impl ValueSpec {
    pub const fn one(name: &'static str, constraint: TypeConstraint) -> Self {
        ValueSpec { name, constraint, arity: Arity::Single }
    }

    pub const fn optional(name: &'static str, constraint: TypeConstraint) -> Self {
        ValueSpec { name, constraint, arity: Arity::Optional }
    }

    pub const fn variadic(name: &'static str, constraint: TypeConstraint) -> Self {
        ValueSpec { name, constraint, arity: Arity::Variadic }
    }
}

/// Kinds of attribute an op may require.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AttrKind {
    Any,
    Unit,
    Bool,
    Int,
    Float,
    String,
    Array,
    /// An array whose elements are all integers.
    IntArray,
    Dict,
    AffineMap,
    Type,
    SymbolRef,
    /// A dialect attribute `#dialect.name`, given as `"dialect.name"`.
    Dialect(&'static str),
}

impl AttrKind {
    pub fn accepts(self, attr: &Attribute) -> bool {
        match (self, attr) {
            (AttrKind::Any, _) => true,
            (AttrKind::Unit, Attribute::Unit) => true,
            (AttrKind::Bool, Attribute::Bool(_)) => true,
            (AttrKind::Int, Attribute::Int { .. }) => true,
            (AttrKind::Float, Attribute::Float { .. }) => true,
            (AttrKind::String, Attribute::String(_)) => true,
            (AttrKind::Array, Attribute::Array(_)) => true,
            (AttrKind::IntArray, a @ Attribute::Array(_)) => a.as_int_array().is_some(),
            (AttrKind::Dict, Attribute::Dict(_)) => true,
            (AttrKind::AffineMap, Attribute::AffineMap(_)) => true,
            (AttrKind::Type, Attribute::Type(_)) => true,
            (AttrKind::SymbolRef, Attribute::SymbolRef(_)) => true,
            (AttrKind::Dialect(full), Attribute::Dialect { dialect, name, .. }) => {
                full.strip_prefix(&**dialect).and_then(|r| r.strip_prefix('.')) == Some(&**name)
            }
            _ => false,
        }
    }

    pub fn describe(self) -> String {
        match self {
            AttrKind::Any => "any attribute".into(),
            AttrKind::Unit => "unit".into(),
            AttrKind::Bool => "bool".into(),
            AttrKind::Int => "integer".into(),
            AttrKind::Float => "float".into(),
            AttrKind::String => "string".into(),
            AttrKind::Array => "array".into(),
            AttrKind::IntArray => "array of integers".into(),
            AttrKind::Dict => "dictionary".into(),
            AttrKind::AffineMap => "affine map".into(),
            AttrKind::Type => "type".into(),
            AttrKind::SymbolRef => "symbol reference".into(),
            AttrKind::Dialect(n) => format!("#{n}"),
        }
    }
}

/// An attribute an op declares.
#[derive(Copy, Clone, Debug)]
pub struct AttrSpec {
    pub name: &'static str,
    pub kind: AttrKind,
    pub required: bool,
    pub summary: &'static str,
}

impl AttrSpec {
    pub const fn required(name: &'static str, kind: AttrKind, summary: &'static str) -> Self {
        AttrSpec { name, kind, required: true, summary }
    }

    pub const fn optional(name: &'static str, kind: AttrKind, summary: &'static str) -> Self {
        AttrSpec { name, kind, required: false, summary }
    }
}

/// A value a folder produces for one result: an existing value or a constant.
#[derive(Clone, Debug, PartialEq)]
pub enum FoldResult {
    Value(ValueId),
    Attr(Attribute),
}

/// What a folder sees: the op, and for each operand the constant it is known to hold.
pub struct FoldInput<'a> {
    pub cx: &'a Context,
    pub op: OpId,
    pub constants: &'a [Option<&'a Attribute>],
}

/// Folds an op to values or constants (one per result), or `None` if it cannot.
pub type FoldFn = fn(&FoldInput<'_>) -> Option<Vec<FoldResult>>;

/// Extra verification beyond the declared signature; pushes one message per problem.
pub type VerifyFn = fn(&Context, OpId, &mut Vec<String>);

/// Adds canonicalization patterns for an op to a pattern set.
pub type PatternsFn = fn(&mut PatternSet);

/// Builds an op producing constant `attr` of type `ty`, for folders; returns the new op.
pub type MaterializeFn = fn(&mut Context, &Attribute, TypeId) -> Option<OpId>;

/// Custom assembly formats an op may declare instead of the generic form.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AsmFormat {
    /// `%r = "d.op"(%a) {attrs} : (T) -> T` only.
    Generic,
    /// `%r = d.op %a, %b {attrs} : T` for ops whose operands and single result share type `T`
    /// (regionless; requires [`Traits::SAME_OPERANDS_AND_RESULT_TYPE`]).
    SameType,
}

/// The definition of one operation.
#[derive(Clone, Copy, Debug)]
pub struct OpDef {
    /// Fully qualified, e.g. `"arith.addi"`.
    pub name: &'static str,
    pub summary: &'static str,
    pub operands: &'static [ValueSpec],
    pub results: &'static [ValueSpec],
    pub attrs: &'static [AttrSpec],
    /// Number of regions the op has.
    pub regions: usize,
    pub traits: Traits,
    pub format: AsmFormat,
    pub verify: Option<VerifyFn>,
    pub fold: Option<FoldFn>,
    pub canonicalize: Option<PatternsFn>,
}

impl OpDef {
    /// A definition with no operands, results, attributes, regions, traits or hooks; fill in
    /// the rest with struct update syntax.
    pub const fn new(name: &'static str, summary: &'static str) -> Self {
        OpDef {
            name,
            summary,
            operands: &[],
            results: &[],
            attrs: &[],
            regions: 0,
            traits: Traits::NONE,
            format: AsmFormat::Generic,
            verify: None,
            fold: None,
            canonicalize: None,
        }
    }

    pub fn has(&self, t: Traits) -> bool {
        self.traits.contains(t)
    }

    /// The short name after the dialect prefix.
    pub fn short_name(&self) -> &'static str {
        self.name.split_once('.').map_or(self.name, |(_, n)| n)
    }
}

/// Checks the parameters of a dialect type or attribute; returns a message on error.
pub type ParamVerifyFn = fn(&Context, &[TypeParam]) -> Result<(), String>;

/// A dialect type `!dialect.name<params>` or attribute `#dialect.name<params>`.
#[derive(Clone, Copy, Debug)]
pub struct ParamDef {
    /// Fully qualified, e.g. `"dataflow.itensor"`.
    pub name: &'static str,
    pub summary: &'static str,
    pub verify: Option<ParamVerifyFn>,
}

/// A dialect: a namespace of ops, types and attributes.
#[derive(Clone, Copy, Debug)]
pub struct Dialect {
    pub name: &'static str,
    pub summary: &'static str,
    pub ops: &'static [OpDef],
    pub types: &'static [ParamDef],
    pub attrs: &'static [ParamDef],
    /// Builds constant ops for folders (e.g. `arith.constant`).
    pub materialize_constant: Option<MaterializeFn>,
}

/// All dialects a context knows. Built once at start-up, then shared read-only.
#[derive(Debug, Clone)]
pub struct DialectRegistry {
    dialects: IndexMap<&'static str, &'static Dialect>,
    ops: IndexMap<&'static str, &'static OpDef>,
    types: IndexMap<&'static str, &'static ParamDef>,
    attrs: IndexMap<&'static str, &'static ParamDef>,
}

impl Default for DialectRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl DialectRegistry {
    /// A registry holding the builtin dialect.
    pub fn new() -> Self {
        let mut r = DialectRegistry {
            dialects: IndexMap::new(),
            ops: IndexMap::new(),
            types: IndexMap::new(),
            attrs: IndexMap::new(),
        };
        r.register(&crate::builtin::DIALECT);
        r
    }

    /// Adds a dialect (registering one twice is harmless).
    pub fn register(&mut self, d: &'static Dialect) {
        if self.dialects.insert(d.name, d).is_some() {
            return;
        }
        for op in d.ops {
            debug_assert!(op.name.starts_with(d.name), "{} is not in dialect {}", op.name, d.name);
            self.ops.insert(op.name, op);
        }
        for t in d.types {
            self.types.insert(t.name, t);
        }
        for a in d.attrs {
            self.attrs.insert(a.name, a);
        }
    }

    pub fn with(mut self, d: &'static Dialect) -> Self {
        self.register(d);
        self
    }

    pub fn op(&self, name: &str) -> Option<&'static OpDef> {
        self.ops.get(name).copied()
    }

    pub fn dialect(&self, name: &str) -> Option<&'static Dialect> {
        self.dialects.get(name).copied()
    }

    pub fn type_def(&self, name: &str) -> Option<&'static ParamDef> {
        self.types.get(name).copied()
    }

    pub fn attr_def(&self, name: &str) -> Option<&'static ParamDef> {
        self.attrs.get(name).copied()
    }

    /// Registered dialects in registration order.
    pub fn dialects(&self) -> impl Iterator<Item = &'static Dialect> + '_ {
        self.dialects.values().copied()
    }
}
