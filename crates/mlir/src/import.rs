//! MLIR -> dnnc IR.
//!
//! Walks an MLIR module with melior and rebuilds every op in a dnnc [`Context`]: names,
//! operands, result types, attributes, regions, block arguments and locations. Numbers,
//! strings, arrays, dictionaries, symbol references and units are read structurally through
//! MLIR's C API; types and the remaining attributes (affine maps, dialect attributes) are
//! printed by MLIR and read by dnnc's parser, whose syntax is MLIR's. What the exporter added
//! is undone: segment sizes on dnnc ops, `dnnc.attr_order` (applied, then dropped),
//! `linalg.generic` carrying `einsum.*` attributes (back to `einsum.op`) and its
//! `dnnc.init` output tensor.

use crate::context::Mlir;
use crate::{Error, linalg, order};
use dnnc_ir::{AttrDict, Attribute, BlockId, Context, Location, OpId, OperationState, TypeId, ValueId};
use melior::ir::ValueLike;
use melior::ir::attribute::AttributeLike;
use melior::ir::block::BlockLike;
use melior::ir::operation::{OperationLike, OperationRef};
use melior::ir::r#type::TypeLike;
use melior::ir::{Module, RegionLike};
use mlir_sys as sys;
use std::collections::HashMap;
use std::sync::Arc;

/// Parses MLIR text (any form MLIR reads), verifies it and imports it into `cx`.
pub fn import_text(mlir: &Mlir, cx: &mut Context, text: &str) -> Result<OpId, Error> {
    let module = mlir.parse(text)?;
    import(cx, &module)
}

/// Imports an MLIR module into `cx` as a `builtin.module`.
pub fn import(cx: &mut Context, module: &Module) -> Result<OpId, Error> {
    import_module_op(cx, module.as_operation())
}

/// Imports a `builtin.module` operation (e.g. the one an MLIR pass runs on).
pub fn import_module_op(cx: &mut Context, op: OperationRef) -> Result<OpId, Error> {
    let mut im = Importer { cx, values: HashMap::new(), types: HashMap::new(), parsed: HashMap::new() };
    let module = dnnc_ir::builtin::create_module(im.cx);
    let attrs = im.attrs(op, false)?;
    for (k, v) in attrs {
        im.cx.set_attr(module, &k, v);
    }
    let loc = location(op.location());
    im.cx.set_loc(module, loc);
    let block = im.cx.body(module, 0).expect("a new module has a block");
    let region = op.region(0).map_err(|e| Error::new(format!("builtin.module without a body: {e}")))?;
    if let Some(mlir_block) = region.first_block() {
        let mut next = mlir_block.first_operation();
        while let Some(o) = next {
            im.op(o, block)?;
            next = o.next_in_block();
        }
    }
    Ok(module)
}

/// Properties MLIR gives its own ops by default, which dnnc's versions of those ops do not
/// have (`arith.addi` gets `overflowFlags = #arith.overflow<none>`): dropped on import.
const MLIR_DEFAULTS: &[(&str, &str)] =
    &[("overflowFlags", "#arith.overflow<none>"), ("fastmath", "#arith.fastmath<none>")];

struct Importer<'x> {
    cx: &'x mut Context,
    values: HashMap<usize, ValueId>,
    types: HashMap<usize, TypeId>,
    /// Attributes read through dnnc's parser, by MLIR text.
    parsed: HashMap<String, Attribute>,
}

fn op_name(o: OperationRef) -> String {
    o.name().as_string_ref().as_str().unwrap_or("<non-UTF-8 name>").to_string()
}

impl Importer<'_> {
    fn op(&mut self, o: OperationRef, into: BlockId) -> Result<(), Error> {
        let name = op_name(o);
        if name == "tensor.empty" && o.has_attribute(linalg::INIT) {
            // The output operand of a converted einsum; the einsum itself makes its result.
            return Ok(());
        }
        if name == "linalg.generic" && o.has_attribute(&format!("{}kind", linalg::PREFIX)) {
            return self.einsum_from_linalg(o, into);
        }
        let operands = self.operands(o, o.operand_count())?;
        let results = (0..o.result_count())
            .map(|i| self.ty(o.result(i).expect("index in range").r#type(), o))
            .collect::<Result<Vec<_>, _>>()?;
        let name = match o.attribute(crate::export::TERMINATOR) {
            Ok(t) if name == "gpu.yield" => match self.attr(t, o)? {
                Attribute::String(s) => s.to_string(),
                _ => return Err(self.error(o, "dnnc.terminator must be a string")),
            },
            _ => name,
        };
        let name_id = self.cx.op_name(&name);
        let dnnc_op = self.cx.op_name_def(name_id).is_some()
            && !dnnc_ir::irdl::MLIR_NATIVE.contains(&name.split('.').next().unwrap_or(""));
        let attrs = self.attrs(o, dnnc_op)?;
        let mut regions = Vec::new();
        for region in o.regions() {
            let r = self.cx.create_region();
            let mut next = region.first_block();
            while let Some(b) = next {
                let types = (0..b.argument_count())
                    .map(|i| self.ty(b.argument(i).expect("index in range").r#type(), o))
                    .collect::<Result<Vec<_>, _>>()?;
                let block = self.cx.create_block(&types);
                for i in 0..b.argument_count() {
                    let v = self.cx.block_args(block)[i];
                    self.values.insert(b.argument(i).expect("index in range").to_raw().ptr as usize, v);
                }
                self.cx.append_block(r, block);
                let mut op = b.first_operation();
                while let Some(inner) = op {
                    self.op(inner, block)?;
                    op = inner.next_in_block();
                }
                next = b.next_in_region();
            }
            regions.push(r);
        }
        let mut state = OperationState::new(name_id)
            .operands(operands)
            .results(results)
            .regions(regions)
            .loc(location(o.location()));
        state.attrs = attrs;
        let created = self.cx.create_op(state);
        self.cx.append_op(into, created);
        for i in 0..o.result_count() {
            let v = self.cx.result(created, i);
            self.values.insert(o.result(i).expect("index in range").to_raw().ptr as usize, v);
        }
        Ok(())
    }

    /// `linalg.generic` written by the exporter -> the `einsum.op` it came from.
    fn einsum_from_linalg(&mut self, o: OperationRef, into: BlockId) -> Result<(), Error> {
        let segments = o
            .attribute("operandSegmentSizes")
            .map_err(|_| self.error(o, "linalg.generic without operandSegmentSizes"))?;
        // SAFETY: the attribute is read through the C API after checking its kind.
        let n_in = unsafe {
            if !sys::mlirAttributeIsADenseI32Array(segments.to_raw())
                || sys::mlirDenseArrayGetNumElements(segments.to_raw()) != 2
            {
                return Err(self.error(o, "operandSegmentSizes is not a pair of sizes"));
            }
            sys::mlirDenseI32ArrayGetElement(segments.to_raw(), 0) as usize
        };
        let operands = self.operands(o, n_in)?;
        if o.result_count() != 1 {
            return Err(self.error(o, "an einsum linalg.generic has one result"));
        }
        let result = self.ty(o.result(0).expect("one result").r#type(), o)?;
        let maps = self.attr(o.attribute("indexing_maps").map_err(|_| self.error(o, "no indexing_maps"))?, o)?;
        let mut attrs = AttrDict::new();
        attrs.insert("maps".into(), maps);
        let mut ord = None;
        let mut exact = None;
        for (name, value) in o.attributes() {
            let name = name.as_string_ref().as_str().unwrap_or("").to_string();
            if name == order::ATTR_ORDER {
                ord = Some(self.attr(value, o)?);
            } else if name == crate::export::EXACT {
                exact = Some(self.attr(value, o)?);
            } else if let Some(key) = name.strip_prefix(linalg::PREFIX) {
                attrs.insert(key.into(), self.attr(value, o)?);
            }
        }
        self.apply_exact(&mut attrs, exact, o)?;
        let attrs = self.ordered(attrs, ord, o)?;
        let name = self.cx.op_name(dnnc_einsum::OP);
        let mut state = OperationState::new(name).operands(operands).results([result]).loc(location(o.location()));
        state.attrs = attrs;
        let created = self.cx.create_op(state);
        self.cx.append_op(into, created);
        let v = self.cx.result(created, 0);
        self.values.insert(o.result(0).expect("one result").to_raw().ptr as usize, v);
        Ok(())
    }

    fn operands(&self, o: OperationRef, n: usize) -> Result<Vec<ValueId>, Error> {
        (0..n)
            .map(|i| {
                let v = o.operand(i).map_err(|e| Error::new(e.to_string()))?;
                self.values
                    .get(&(v.to_raw().ptr as usize))
                    .copied()
                    .ok_or_else(|| self.error(o, &format!("operand #{i} is not defined before the op")))
            })
            .collect()
    }

    /// An op's attributes in dnnc order: `dnnc.attr_order` applied when present, otherwise
    /// sorted by name; segment sizes dropped from dnnc ops (`segments`).
    fn attrs(&mut self, o: OperationRef, segments: bool) -> Result<AttrDict, Error> {
        let mut attrs = AttrDict::new();
        let mut ord = None;
        let mut exact = None;
        for (name, value) in o.attributes() {
            let name = name.as_string_ref().as_str().unwrap_or("").to_string();
            if name == crate::export::TERMINATOR
                || (segments && (name == "operandSegmentSizes" || name == "resultSegmentSizes"))
            {
                continue;
            }
            if MLIR_DEFAULTS.contains(&(name.as_str(), value.to_string().as_str())) {
                continue;
            }
            let value = self.attr(value, o)?;
            if name == order::ATTR_ORDER {
                ord = Some(value);
            } else if name == crate::export::EXACT {
                exact = Some(value);
            } else {
                attrs.insert(name.into(), value);
            }
        }
        self.apply_exact(&mut attrs, exact, o)?;
        self.ordered(attrs, ord, o)
    }

    /// Replaces attributes by the dnnc text carried in `dnnc.exact`.
    fn apply_exact(&mut self, attrs: &mut AttrDict, exact: Option<Attribute>, o: OperationRef) -> Result<(), Error> {
        let Some(exact) = exact else { return Ok(()) };
        let Some(entries) = exact.as_dict() else { return Err(self.error(o, "dnnc.exact must be a dictionary")) };
        for (key, text) in entries.iter() {
            let text = text.as_str().ok_or_else(|| self.error(o, "dnnc.exact holds strings"))?;
            let value = self.parse(text, o)?;
            attrs.insert(key.clone(), value);
        }
        Ok(())
    }

    fn ordered(&self, mut attrs: AttrDict, ord: Option<Attribute>, o: OperationRef) -> Result<AttrDict, Error> {
        match ord {
            Some(ord) => order::apply_to_dict(&attrs, &ord).map_err(|e| self.error(o, &e)),
            None => {
                attrs.sort_keys();
                Ok(attrs)
            }
        }
    }

    fn ty(&mut self, t: melior::ir::Type, o: OperationRef) -> Result<TypeId, Error> {
        let key = t.to_raw().ptr as usize;
        if let Some(&ty) = self.types.get(&key) {
            return Ok(ty);
        }
        let text = dnnc_type_text(&t.to_string());
        match self.parse(&text, o)? {
            Attribute::Type(ty) => {
                self.types.insert(key, ty);
                Ok(ty)
            }
            _ => Err(self.error(o, &format!("dnnc does not read `{text}` as a type"))),
        }
    }

    fn attr(&mut self, a: melior::ir::Attribute, o: OperationRef) -> Result<Attribute, Error> {
        let raw = a.to_raw();
        // SAFETY: each C API getter is called only on an attribute of the kind it reads.
        unsafe {
            if sys::mlirAttributeIsABool(raw) {
                return Ok(Attribute::Bool(sys::mlirBoolAttrGetValue(raw)));
            }
            if sys::mlirAttributeIsAInteger(raw) {
                let ty = self.ty(a.r#type(), o)?;
                return Ok(Attribute::Int { value: sys::mlirIntegerAttrGetValueInt(raw), ty });
            }
            if sys::mlirAttributeIsAFloat(raw) {
                let ty = self.ty(a.r#type(), o)?;
                return Ok(Attribute::Float { value: sys::mlirFloatAttrGetValueDouble(raw), ty });
            }
            if sys::mlirAttributeIsAString(raw) {
                return Ok(Attribute::String(string(sys::mlirStringAttrGetValue(raw)).into()));
            }
            if sys::mlirAttributeIsAUnit(raw) {
                return Ok(Attribute::Unit);
            }
            if sys::mlirAttributeIsAFlatSymbolRef(raw) {
                return Ok(Attribute::SymbolRef(string(sys::mlirFlatSymbolRefAttrGetValue(raw)).into()));
            }
            if sys::mlirAttributeIsAType(raw) {
                let t = melior::ir::Type::from_raw(sys::mlirTypeAttrGetValue(raw));
                return Ok(Attribute::Type(self.ty(t, o)?));
            }
            if sys::mlirAttributeIsAArray(raw) {
                let n = sys::mlirArrayAttrGetNumElements(raw);
                let items = (0..n)
                    .map(|i| self.attr(melior::ir::Attribute::from_raw(sys::mlirArrayAttrGetElement(raw, i)), o))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Attribute::array(items));
            }
            if sys::mlirAttributeIsADictionary(raw) {
                let n = sys::mlirDictionaryAttrGetNumElements(raw);
                let mut d = AttrDict::new();
                for i in 0..n {
                    let named = sys::mlirDictionaryAttrGetElement(raw, i);
                    let key: Arc<str> = string(sys::mlirIdentifierStr(named.name)).into();
                    d.insert(key, self.attr(melior::ir::Attribute::from_raw(named.attribute), o)?);
                }
                return Ok(Attribute::Dict(Arc::new(d)));
            }
        }
        let text = a.to_string();
        self.parse(&text, o)
    }

    /// Reads one attribute (or type) in MLIR syntax with dnnc's parser.
    fn parse(&mut self, text: &str, o: OperationRef) -> Result<Attribute, Error> {
        if let Some(a) = self.parsed.get(text) {
            return Ok(a.clone());
        }
        let wrapper = format!("\"builtin.module\"() ({{\n}}) {{x = {text}}} : () -> ()\n");
        let top = dnnc_ir::parse_source(self.cx, "<mlir>", &wrapper, Default::default())
            .map_err(|d| self.error(o, &format!("dnnc cannot read `{text}`: {}", d.message)))?;
        let holder = if self.cx.attr(top, "x").is_some() {
            top
        } else {
            self.cx.body(top, 0).and_then(|b| self.cx.block_first(b)).unwrap_or(top)
        };
        let value =
            self.cx.attr(holder, "x").cloned().ok_or_else(|| self.error(o, &format!("dnnc cannot read `{text}`")))?;
        if holder != top {
            self.cx.detach_op(holder);
            self.cx.erase_op(holder);
        }
        self.cx.erase_op(top);
        self.parsed.insert(text.to_string(), value.clone());
        Ok(value)
    }

    fn error(&self, o: OperationRef, msg: &str) -> Error {
        Error::new(format!("{} at {}: {msg}", op_name(o), o.location()))
    }
}

/// A type in dnnc syntax: a dialect type's string parameter (`!d.t<"…">`, see
/// [`crate::irdl`]) back to dnnc's parameter list.
fn dnnc_type_text(text: &str) -> String {
    let Some(rest) = text.strip_prefix('!') else { return text.to_string() };
    let Some((head, quoted)) = rest.split_once("<\"") else { return text.to_string() };
    let Some(body) = quoted.strip_suffix("\">") else { return text.to_string() };
    let mut params = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            params.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => params.push('\n'),
            Some('t') => params.push('\t'),
            Some(h1) if h1.is_ascii_hexdigit() => {
                let h2 = chars.next().unwrap_or('0');
                params.push(u8::from_str_radix(&format!("{h1}{h2}"), 16).unwrap_or(b'?') as char);
            }
            Some(other) => params.push(other),
            None => {}
        }
    }
    if params.is_empty() { format!("!{head}") } else { format!("!{head}<{params}>") }
}

fn string(s: sys::MlirStringRef) -> String {
    // SAFETY: MLIR string refs point at `length` valid bytes.
    let bytes = unsafe { std::slice::from_raw_parts(s.data as *const u8, s.length) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// An MLIR location as a dnnc location (call sites keep their callee; anything dnnc has no
/// form for is unknown).
pub fn location(loc: melior::ir::Location) -> Location {
    if loc.is_name() {
        let name = loc.name_value().as_string_ref().as_str().unwrap_or("").to_string();
        let child = match location(loc.name_child_location()) {
            Location::Unknown => None,
            c => Some(Box::new(c)),
        };
        return Location::Name { name: name.into(), child };
    }
    if loc.is_fused() {
        return Location::fused((0..loc.fused_num_locations()).map(|i| location(loc.fused_location(i))));
    }
    if loc.is_file_line_col_range() {
        let file = loc.file_line_col_range_filename().as_string_ref().as_str().unwrap_or("").to_string();
        return Location::FileLineCol {
            file: file.into(),
            line: loc.file_line_col_range_start_line() as u32,
            col: loc.file_line_col_range_start_column() as u32,
        };
    }
    if loc.is_call_site() {
        return location(loc.call_site_callee());
    }
    Location::Unknown
}
