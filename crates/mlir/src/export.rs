//! dnnc IR -> an MLIR module in a melior context.
//!
//! Ops are rebuilt one by one with MLIR's `OperationBuilder` (same names, operands, result
//! types, attributes, regions, block arguments and locations); types and attributes are
//! handed to MLIR's own parser in the syntax dnnc prints, which is MLIR's. Three things are
//! added on the way, each undone by the importer:
//! - `operandSegmentSizes` / `resultSegmentSizes` on dnnc ops whose MLIR-form IRDL has more
//!   than one optional or variadic group ([`crate::irdl`]);
//! - `dnnc.attr_order` where dnnc's attribute order is not MLIR's sorted one ([`crate::order`]);
//! - dnnc terminators (`sched.yield`, `dataflow.yield`) as `gpu.yield` with
//!   `dnnc.terminator = "<name>"`, since IRDL cannot declare a terminator;
//! - with [`ExportOptions::linalg`], einsums that are plain contractions, copies or binary
//!   elementwise arithmetic become `linalg.generic` ([`crate::linalg`]).

use crate::context::Mlir;
use crate::{Error, irdl, linalg, order};
use dnnc_ir::{Attribute, Context, Location, OpId, TypeId, ValueId};
use melior::ir::ValueLike;
use melior::ir::block::BlockLike;
use melior::ir::operation::{OperationBuilder, OperationMutLike};
use melior::ir::{Block, Identifier, Module, Region, RegionLike, Type, Value};
use std::collections::HashMap;

/// dnnc's text of attributes MLIR would print differently (see [`Exporter::exact`]).
pub const EXACT: &str = "dnnc.exact";

/// Carries the name of a dnnc terminator written as `gpu.yield`.
pub const TERMINATOR: &str = "dnnc.terminator";

/// How dnnc IR is written as MLIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExportOptions {
    /// Einsums expressible as `linalg.generic` (contractions, copies, binary elementwise
    /// arithmetic on one element type, with invertible indexing maps) are written as
    /// `linalg.generic` with their indexing maps and iterator types; the rest stay
    /// `einsum.op`.
    pub linalg: bool,
}

/// Exports the dnnc module `module` (a `builtin.module`) into a new MLIR module and verifies
/// it with MLIR's verifier.
pub fn export<'c>(mlir: &'c Mlir, cx: &Context, module: OpId, opts: ExportOptions) -> Result<Module<'c>, Error> {
    let mut out = Module::new(Exporter::location(&mlir.context, cx.loc(module)));
    let mut ex = Exporter::new(&mlir.context, Some(mlir), cx, opts);
    if cx.is(module, dnnc_ir::builtin::MODULE) {
        for (key, value) in cx.attrs(module) {
            let attr = ex.attr(value, module)?;
            out.as_operation_mut().set_attribute(key, attr);
        }
        if let Some(block) = cx.body(module, 0) {
            ex.block_ops(block, &out.body())?;
        }
    } else {
        ex.op(module, &out.body())?;
    }
    mlir.verify(&out)?;
    Ok(out)
}

/// Exports and prints in MLIR's generic form (what `dnnc --emit=mlir` writes).
pub fn export_text(mlir: &Mlir, cx: &Context, module: OpId, opts: ExportOptions) -> Result<String, Error> {
    crate::context::print_generic(&export(mlir, cx, module, opts)?)
}

pub(crate) struct Exporter<'c, 'x> {
    context: &'c melior::Context,
    /// Where MLIR's diagnostics are collected, when the context came from [`Mlir`].
    mlir: Option<&'c Mlir>,
    pub cx: &'x Context,
    opts: ExportOptions,
    values: HashMap<ValueId, mlir_sys::MlirValue>,
    types: HashMap<TypeId, Type<'c>>,
}

impl<'c, 'x> Exporter<'c, 'x> {
    pub fn new(context: &'c melior::Context, mlir: Option<&'c Mlir>, cx: &'x Context, opts: ExportOptions) -> Self {
        Exporter { context, mlir, cx, opts, values: HashMap::new(), types: HashMap::new() }
    }

    pub fn context(&self) -> &'c melior::Context {
        self.context
    }

    pub fn block_ops(&mut self, block: dnnc_ir::BlockId, into: &Block<'c>) -> Result<(), Error> {
        for op in self.cx.block_ops(block) {
            self.op(op, into)?;
        }
        Ok(())
    }

    /// Appends the MLIR form of `op` to `into`.
    fn op(&mut self, op: OpId, into: &Block<'c>) -> Result<(), Error> {
        if self.opts.linalg && linalg::export(self, op, into)? {
            return Ok(());
        }
        let cx = self.cx;
        let operands = self.operands(op)?;
        let results: Vec<Type<'c>> = cx.results(op).map(|v| self.ty(cx.value_type(v), op)).collect::<Result<_, _>>()?;
        let mut attrs = Vec::new();
        for (key, value) in cx.attrs(op) {
            attrs.push((Identifier::new(self.context(), key), self.attr(value, op)?));
        }
        if let Some(ord) = order::order_of_dict(cx.attrs(op)) {
            attrs.push((Identifier::new(self.context(), order::ATTR_ORDER), self.attr(&ord, op)?));
        }
        if let Some(exact) = self.exact(op, &attrs)? {
            attrs.push((Identifier::new(self.context(), EXACT), exact));
        }
        let own = cx.op_def(op).filter(|_| !dnnc_ir::irdl::MLIR_NATIVE.contains(&dialect_of(cx.name(op))));
        let terminator = own.is_some_and(|d| d.has(dnnc_ir::Traits::TERMINATOR));
        let mut name = cx.name(op);
        if terminator {
            // IRDL cannot mark an op as a terminator, and MLIR wants every block of a region
            // to end in one: dnnc's terminators travel as `gpu.yield` (a terminator with any
            // operands and no parent constraint), their name in `dnnc.terminator`.
            attrs.push((Identifier::new(self.context(), TERMINATOR), self.attr(&Attribute::string(name), op)?));
            name = "gpu.yield";
        }
        if let Some(def) = own.filter(|_| !terminator) {
            let sizes = [
                ("operandSegmentSizes", def.operands, cx.operands(op).len()),
                ("resultSegmentSizes", def.results, cx.num_results(op)),
            ];
            for (key, specs, n) in sizes {
                let groups = irdl::group_sizes(specs, n)
                    .ok_or_else(|| self.op_error(op, &format!("{n} values do not fit its definition")))?;
                if let Some(seg) = irdl::mlir_segments(specs, &groups) {
                    self.check_tail(op, specs, &groups, key)?;
                    let text = format!("array<i32: {}>", seg.iter().map(i32::to_string).collect::<Vec<_>>().join(", "));
                    attrs.push((Identifier::new(self.context(), key), self.parse_attr(&text, op)?));
                }
            }
        }
        let mut regions = Vec::new();
        for &r in cx.regions(op) {
            let region = Region::new();
            for &b in cx.region_blocks(r) {
                let args: Vec<(Type<'c>, melior::ir::Location<'c>)> = cx
                    .block_args(b)
                    .iter()
                    .map(|&v| Ok((self.ty(cx.value_type(v), op)?, melior::ir::Location::unknown(self.context()))))
                    .collect::<Result<_, Error>>()?;
                let block = Block::new(&args);
                for (i, &v) in cx.block_args(b).iter().enumerate() {
                    let arg = block.argument(i).map_err(|e| Error::new(e.to_string()))?;
                    self.values.insert(v, arg.to_raw());
                }
                self.block_ops(b, &block)?;
                region.append_block(block);
            }
            regions.push(region);
        }
        let built = OperationBuilder::new(name, Self::location(self.context, cx.loc(op)))
            .add_operands(&operands)
            .add_results(&results)
            .add_attributes(&attrs)
            .add_regions_vec(regions)
            .build()
            .map_err(|e| self.op_error(op, &format!("MLIR could not build it: {e}")))?;
        let built = into.append_operation(built);
        for (i, v) in cx.results(op).enumerate() {
            let r = built.result(i).map_err(|e| Error::new(e.to_string()))?;
            self.values.insert(v, r.to_raw());
        }
        Ok(())
    }

    /// MLIR keeps affine expressions in its own canonical form (`d1 * 64 + (d3 + 32)` becomes
    /// `d1 * 64 + d3 + 32`): equal maps, different text; an `i8` of 200 comes back as -56. Attributes whose text would not
    /// come back the same are also carried verbatim in `dnnc.exact = {name = "dnnc text"}`.
    pub fn exact(
        &self,
        op: OpId,
        attrs: &[(Identifier<'c>, melior::ir::Attribute<'c>)],
    ) -> Result<Option<melior::ir::Attribute<'c>>, Error> {
        let mut exact = dnnc_ir::AttrDict::new();
        for (key, value) in self.cx.attrs(op) {
            let text = self.cx.show_attr(value).to_string();
            if unsigned_int(self.cx, value) {
                // `200 : i8`: MLIR's integers are signless and come back as -56.
                exact.insert(key.clone(), Attribute::string(text));
                continue;
            }
            if !text.contains("affine_map<") {
                continue;
            }
            let name = if attrs.iter().any(|(k, _)| k.as_string_ref().as_str() == Ok(&**key)) {
                key.to_string()
            } else {
                format!("{}{key}", linalg::PREFIX)
            };
            let Some((_, mlir_value)) =
                attrs.iter().find(|(k, _)| k.as_string_ref().as_str() == Ok(name.as_str())).or_else(|| {
                    // Einsum maps on linalg.generic travel as indexing_maps.
                    (&**key == "maps")
                        .then(|| attrs.iter().find(|(k, _)| k.as_string_ref().as_str() == Ok("indexing_maps")))
                        .flatten()
                })
            else {
                continue;
            };
            if reparse(&mlir_value.to_string()).as_deref() != Some(text.as_str()) {
                exact.insert(key.clone(), Attribute::string(text));
            }
        }
        if exact.is_empty() {
            return Ok(None);
        }
        self.attr(&Attribute::Dict(std::sync::Arc::new(exact)), op).map(Some)
    }

    /// Values beyond a group's slots share one constraint variable: they must share a type.
    fn check_tail(
        &self,
        op: OpId,
        specs: &[dnnc_ir::dialect::ValueSpec],
        groups: &[usize],
        key: &str,
    ) -> Result<(), Error> {
        let values: Vec<ValueId> =
            if key == "operandSegmentSizes" { self.cx.operands(op).to_vec() } else { self.cx.results(op).collect() };
        let mut start = 0;
        for (spec, &n) in specs.iter().zip(groups) {
            if spec.arity == dnnc_ir::dialect::Arity::Variadic && n > irdl::SLOTS {
                let tail = &values[start + irdl::SLOTS..start + n];
                if tail.iter().any(|&v| self.cx.value_type(v) != self.cx.value_type(tail[0])) {
                    return Err(self.op_error(
                        op,
                        &format!(
                            "`{}` has {n} values of different types; MLIR's IRDL lets only the first {} differ",
                            spec.name,
                            irdl::SLOTS
                        ),
                    ));
                }
            }
            start += n;
        }
        Ok(())
    }

    pub fn operands(&self, op: OpId) -> Result<Vec<Value<'c, 'static>>, Error> {
        self.cx
            .operands(op)
            .iter()
            .map(|v| {
                let raw = self.values.get(v).ok_or_else(|| self.op_error(op, "uses a value defined after it"))?;
                // SAFETY: the value belongs to an op or block already built in this module.
                Ok(unsafe { Value::from_raw(*raw) })
            })
            .collect()
    }

    pub fn map_result(&mut self, v: ValueId, raw: mlir_sys::MlirValue) {
        self.values.insert(v, raw);
    }

    pub fn ty(&mut self, ty: TypeId, op: OpId) -> Result<Type<'c>, Error> {
        if let Some(t) = self.types.get(&ty) {
            return Ok(*t);
        }
        let text = mlir_type_text(self.cx, ty);
        let t = Type::parse(self.context(), &text)
            .ok_or_else(|| self.mlir_error(op, &format!("MLIR cannot read the type `{text}`")))?;
        self.types.insert(ty, t);
        Ok(t)
    }

    pub fn attr(&self, attr: &Attribute, op: OpId) -> Result<melior::ir::Attribute<'c>, Error> {
        self.parse_attr(&mlir_attr_text(self.cx, attr), op)
    }

    pub fn parse_attr(&self, text: &str, op: OpId) -> Result<melior::ir::Attribute<'c>, Error> {
        melior::ir::Attribute::parse(self.context(), text)
            .ok_or_else(|| self.mlir_error(op, &format!("MLIR cannot read the attribute `{text}`")))
    }

    pub fn op_error(&self, op: OpId, msg: &str) -> Error {
        Error::new(format!("{} ({}): {msg}", self.cx.name(op), describe_loc(self.cx.loc(op))))
    }

    fn mlir_error(&self, op: OpId, msg: &str) -> Error {
        let what = self.op_error(op, msg).to_string();
        match self.mlir {
            Some(m) => m.error(&what),
            None => Error::new(what),
        }
    }

    pub fn location(cx: &'c melior::Context, loc: &Location) -> melior::ir::Location<'c> {
        match loc {
            Location::Unknown => melior::ir::Location::unknown(cx),
            Location::FileLineCol { file, line, col } => {
                melior::ir::Location::new(cx, file, *line as usize, *col as usize)
            }
            Location::Name { name, child } => {
                let child =
                    child.as_deref().map_or_else(|| melior::ir::Location::unknown(cx), |c| Self::location(cx, c));
                melior::ir::Location::name(cx, name, child)
            }
            Location::Fused(locs) => {
                let locs: Vec<_> = locs.iter().map(|l| Self::location(cx, l)).collect();
                // SAFETY: a null attribute is MLIR's "no metadata".
                let none =
                    unsafe { melior::ir::Attribute::from_raw(mlir_sys::MlirAttribute { ptr: std::ptr::null() }) };
                melior::ir::Location::fused(cx, &locs, none)
            }
        }
    }
}

/// A type in MLIR syntax: dnnc's, except that a dialect type's parameters become one string
/// parameter (see [`crate::irdl`]).
fn mlir_type_text(cx: &Context, ty: TypeId) -> String {
    let text = cx.show_type(ty).to_string();
    if let dnnc_ir::TypeData::Dialect { dialect, name, .. } = cx.type_data(ty) {
        let head = format!("!{dialect}.{name}");
        let params = text.strip_prefix(&head).unwrap_or("");
        let params = params.strip_prefix('<').and_then(|p| p.strip_suffix('>')).unwrap_or(params);
        let mut quoted = String::new();
        let _ = dnnc_ir::print::write_string_literal(&mut quoted, params);
        return format!("{head}<{quoted}>");
    }
    text
}

/// An attribute in MLIR syntax: dnnc's, with dialect types inside written as
/// [`mlir_type_text`] does.
fn mlir_attr_text(cx: &Context, attr: &Attribute) -> String {
    match attr {
        Attribute::Type(t) => mlir_type_text(cx, *t),
        Attribute::Array(items) => {
            format!("[{}]", items.iter().map(|a| mlir_attr_text(cx, a)).collect::<Vec<_>>().join(", "))
        }
        Attribute::Dict(d)
            if d.values().any(|v| matches!(v, Attribute::Type(_) | Attribute::Array(_) | Attribute::Dict(_))) =>
        {
            let entries: Vec<String> = d
                .iter()
                .map(|(k, v)| {
                    let bare = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || "_$.".contains(c));
                    let mut key = String::new();
                    if bare {
                        key.push_str(k);
                    } else {
                        let _ = dnnc_ir::print::write_string_literal(&mut key, k);
                    }
                    format!("{key} = {}", mlir_attr_text(cx, v))
                })
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        _ => cx.show_attr(attr).to_string(),
    }
}

/// Whether `attr` holds an integer written above its signed range (`200 : i8`).
fn unsigned_int(cx: &Context, attr: &Attribute) -> bool {
    match attr {
        Attribute::Int { value, ty } => match cx.type_data(*ty) {
            dnnc_ir::TypeData::Integer { width, .. } if *width < 64 => *value >= 1i64 << (width - 1),
            _ => false,
        },
        Attribute::Array(items) => items.iter().any(|a| unsigned_int(cx, a)),
        Attribute::Dict(d) => d.values().any(|a| unsigned_int(cx, a)),
        _ => false,
    }
}

/// How dnnc prints an attribute that MLIR printed as `text` (`None` if dnnc cannot read it).
fn reparse(text: &str) -> Option<String> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Context> = std::cell::RefCell::new(Context::new(std::sync::Arc::new(dnnc_passes::dialects())));
    }
    SCRATCH.with(|cx| {
        let mut cx = cx.borrow_mut();
        if cx.num_live_ops() > 10_000 {
            *cx = Context::new(std::sync::Arc::new(dnnc_passes::dialects()));
        }
        let wrapper = format!("\"builtin.module\"() ({{\n}}) {{x = {text}}} : () -> ()\n");
        let top = dnnc_ir::parse_source(&mut cx, "<mlir>", &wrapper, Default::default()).ok()?;
        let holder = if cx.attr(top, "x").is_some() { top } else { cx.body(top, 0).and_then(|b| cx.block_first(b))? };
        let value = cx.attr(holder, "x")?.clone();
        Some(cx.show_attr(&value).to_string())
    })
}

fn dialect_of(name: &str) -> &str {
    name.split_once('.').map_or(name, |(d, _)| d)
}

/// An op's location for messages: its name or file position, or "no location".
pub(crate) fn describe_loc(loc: &Location) -> String {
    match loc {
        Location::Unknown => "no location".into(),
        Location::FileLineCol { file, line, col } => format!("{file}:{line}:{col}"),
        Location::Name { name, .. } => format!("\"{name}\""),
        Location::Fused(l) => l.first().map_or("no location".into(), describe_loc),
    }
}
