//! Builds IR from the pest parse tree: name scopes, forward references, types, attributes,
//! affine maps and locations. Semantic errors (undefined values, type mismatches, unknown
//! dialects) are reported at the exact token.

use super::{ParseOptions, Rule};
use crate::affine::{AffineBinOp, AffineExpr, AffineMap};
use crate::attrs::{AttrDict, Attribute};
use crate::builtin;
use crate::context::{Context, OperationState};
use crate::diag::Diagnostic;
use crate::dialect::{AsmFormat, Traits};
use crate::ids::{BlockId, OpId, RegionId, TypeId, ValueId};
use crate::location::{FileId, Location, SourcePos};
use crate::types::{FloatKind, Signedness, TypeData, TypeParam};
use pest::iterators::{Pair, Pairs};
use std::collections::HashMap;
use std::sync::Arc;

type PResult<T> = Result<T, Diagnostic>;

/// Deepest nesting of regions, types, attributes, affine expressions and locations accepted.
/// The builder recurses on nesting, so this bounds its stack use; real IR stays far below it.
pub const MAX_NESTING: u32 = 64;

/// A use of a name before its definition (graph regions), resolved when the name is defined.
struct Forward<'i> {
    name: &'i str,
    index: u32,
    placeholder: ValueId,
    pos: SourcePos,
}

/// Names visible in one region. Lookups walk outwards and stop after an isolated scope.
struct Scope<'i> {
    isolated: bool,
    values: HashMap<&'i str, (ValueId, u32)>,
    blocks: HashMap<&'i str, SourcePos>,
    forward: Vec<Forward<'i>>,
}

impl Scope<'_> {
    fn new(isolated: bool) -> Self {
        Scope { isolated, values: HashMap::new(), blocks: HashMap::new(), forward: Vec::new() }
    }
}

pub(crate) struct Builder<'i, 'c> {
    cx: &'c mut Context,
    file: FileId,
    opts: ParseOptions,
    line_starts: Vec<usize>,
    scopes: Vec<Scope<'i>>,
    type_cache: HashMap<&'i str, TypeId>,
    placeholders: Option<BlockId>,
    loc_files: HashMap<String, Arc<str>>,
    depth: u32,
}

impl<'i, 'c> Builder<'i, 'c> {
    /// Runs `f` one nesting level deeper, failing cleanly past [`MAX_NESTING`].
    fn nested<T>(&mut self, pair: &Pair<'i, Rule>, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_NESTING {
            return self.err(pair, format!("nesting is deeper than {MAX_NESTING} levels"));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    pub(crate) fn new(cx: &'c mut Context, text: &'i str, file: FileId, opts: ParseOptions) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Builder {
            cx,
            file,
            opts,
            line_starts,
            scopes: Vec::new(),
            type_cache: HashMap::new(),
            placeholders: None,
            loc_files: HashMap::new(),
            depth: 0,
        }
    }

    fn pos(&self, offset: usize) -> SourcePos {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let col = offset - self.line_starts[line - 1] + 1;
        SourcePos { file: self.file, line: line as u32 + self.opts.line_offset, col: col as u32 }
    }

    fn err<T>(&self, pair: &Pair<'i, Rule>, message: impl Into<String>) -> PResult<T> {
        Err(Diagnostic::error(message).at(Some(self.pos(pair.as_span().start()))))
    }

    pub(crate) fn build_file(mut self, mut pairs: Pairs<'i, Rule>) -> PResult<OpId> {
        let file = pairs.next().expect("grammar yields a file");
        self.scopes.push(Scope::new(true));
        let mut ops = Vec::new();
        for p in file.into_inner() {
            if p.as_rule() == Rule::operation {
                ops.push(self.operation(p)?);
            }
        }
        self.pop_scope()?;
        if let [single] = ops[..]
            && self.cx.is(single, builtin::MODULE)
        {
            return Ok(single);
        }
        let module = builtin::create_module(self.cx);
        let body = self.cx.body(module, 0).expect("module has a body");
        for op in ops {
            self.cx.append_op(body, op);
        }
        Ok(module)
    }

    fn pop_scope(&mut self) -> PResult<()> {
        let scope = self.scopes.pop().expect("scope stack underflow");
        if scope.forward.is_empty() {
            return Ok(());
        }
        match self.scopes.last_mut() {
            Some(parent) if !scope.isolated => {
                parent.forward.extend(scope.forward);
                Ok(())
            }
            _ => {
                let f = &scope.forward[0];
                let outside = self.scopes.iter().any(|s| s.values.contains_key(f.name));
                let msg = if outside {
                    format!("'%{}' is defined outside the isolated-from-above region that uses it", f.name)
                } else {
                    format!("use of undeclared SSA value '%{}'", f.name)
                };
                Err(Diagnostic::error(msg).at(Some(f.pos)))
            }
        }
    }

    // ----- operations --------------------------------------------------------------------

    fn operation(&mut self, pair: Pair<'i, Rule>) -> PResult<OpId> {
        let pos = self.pos(pair.as_span().start());
        let mut inner = pair.into_inner();
        let mut p = inner.next().expect("operation has a body");
        let mut bindings: Vec<(&'i str, u32, SourcePos)> = Vec::new();
        if p.as_rule() == Rule::op_results {
            for r in p.into_inner() {
                let rpos = self.pos(r.as_span().start());
                let (name, count) = match r.as_str()[1..].split_once(':') {
                    Some((name, count)) => match count.parse::<u32>() {
                        Ok(c) => (name, c),
                        Err(_) => return self.err(&r, "result count out of range"),
                    },
                    None => (&r.as_str()[1..], 1),
                };
                if count == 0 {
                    return Err(Diagnostic::error("expected a result count of at least 1").at(Some(rpos)));
                }
                bindings.push((name, count, rpos));
            }
            p = inner.next().expect("operation after results");
        }
        let op = match p.as_rule() {
            Rule::generic_op => self.generic_op(p, pos)?,
            _ => self.custom_op(p, pos)?,
        };
        if let Some(l) = inner.next() {
            let loc = self.location(l.into_inner().next().expect("location body"))?;
            self.cx.set_loc(op, loc);
        }
        let provided: u32 = bindings.iter().map(|b| b.1).sum();
        let defined = self.cx.num_results(op) as u32;
        if provided != defined {
            return Err(Diagnostic::error(format!(
                "operation defines {defined} results but was provided {provided} to bind"
            ))
            .at(Some(pos)));
        }
        let mut next = 0;
        for (name, count, rpos) in bindings {
            let first = self.cx.result(op, next as usize);
            self.define(name, first, count, rpos)?;
            next += count;
        }
        Ok(op)
    }

    /// Interns an op name and checks that its dialect allows it.
    fn op_name(&mut self, name: &str, pair: &Pair<'i, Rule>) -> PResult<crate::ids::OpNameId> {
        let Some((dialect, _)) = name.split_once('.') else {
            return self.err(pair, format!("operation name '{name}' is not of the form 'dialect.op'"));
        };
        let id = self.cx.op_name(name);
        if self.cx.op_name_def(id).is_none() {
            if self.cx.registry().dialect(dialect).is_some() {
                return self.err(pair, format!("unknown operation '{name}': dialect '{dialect}' has no such op"));
            }
            if !self.cx.allows_unregistered() {
                return self.err(
                    pair,
                    format!(
                        "operation '{name}' belongs to unregistered dialect '{dialect}' \
                         (use --allow-unregistered-dialect to accept it)"
                    ),
                );
            }
        }
        Ok(id)
    }

    fn generic_op(&mut self, pair: Pair<'i, Rule>, pos: SourcePos) -> PResult<OpId> {
        let mut inner = pair.into_inner();
        let name_pair = inner.next().expect("op name");
        let name = self.string(&name_pair)?;
        let name_id = self.op_name(&name, &name_pair)?;
        let isolated = self.cx.op_name_def(name_id).is_some_and(|d| d.has(Traits::ISOLATED_FROM_ABOVE));
        let uses = self.value_uses(inner.next().expect("operand list"));
        let mut state = OperationState::new(name_id);
        let mut fn_pair = None;
        for p in inner {
            match p.as_rule() {
                Rule::region_list => {
                    for r in p.into_inner() {
                        state.regions.push(self.region(r, isolated)?);
                    }
                }
                Rule::attr_dict => state.attrs = self.attr_dict(p)?,
                _ => fn_pair = Some(p),
            }
        }
        let fn_pair = fn_pair.expect("generic op has a function type");
        let fn_ty = self.function_type(fn_pair.clone())?;
        let TypeData::Function { inputs, results } = self.cx.type_data(fn_ty).clone() else {
            unreachable!("function_type builds a function type")
        };
        if inputs.len() != uses.len() {
            return self.err(
                &fn_pair,
                format!("the type lists {} operand types but the op has {} operands", inputs.len(), uses.len()),
            );
        }
        for ((name, index, upos), ty) in uses.into_iter().zip(inputs) {
            state.operands.push(self.resolve(name, index, ty, upos)?);
        }
        state.result_types = results;
        if name == builtin::MODULE {
            self.ensure_entry_block(&state.regions);
        }
        let op = self.cx.create_op(state);
        self.cx.set_source_pos(op, Some(pos));
        Ok(op)
    }

    fn custom_op(&mut self, pair: Pair<'i, Rule>, pos: SourcePos) -> PResult<OpId> {
        let mut inner = pair.into_inner();
        let name_pair = inner.next().expect("op name");
        let name = name_pair.as_str();
        let name_id = self.op_name(name, &name_pair)?;
        let has_format = self.cx.op_name_def(name_id).is_some_and(|d| d.format == AsmFormat::SameType);
        if !has_format {
            return self.err(&name_pair, format!("'{name}' has no custom assembly format; use the generic form"));
        }
        let uses = self.value_uses(inner.next().expect("operand list"));
        let mut state = OperationState::new(name_id);
        let mut ty = TypeId::NONE;
        for p in inner {
            match p.as_rule() {
                Rule::attr_dict => state.attrs = self.attr_dict(p)?,
                _ => ty = self.ty(p)?,
            }
        }
        for (name, index, upos) in uses {
            state.operands.push(self.resolve(name, index, ty, upos)?);
        }
        state.result_types.push(ty);
        let op = self.cx.create_op(state);
        self.cx.set_source_pos(op, Some(pos));
        Ok(op)
    }

    fn value_uses(&self, pair: Pair<'i, Rule>) -> Vec<(&'i str, u32, SourcePos)> {
        pair.into_inner()
            .map(|u| {
                let pos = self.pos(u.as_span().start());
                let text = &u.as_str()[1..];
                match text.split_once('#') {
                    Some((name, index)) => (name, index.parse().unwrap_or(u32::MAX), pos),
                    None => (text, 0, pos),
                }
            })
            .collect()
    }

    fn ensure_entry_block(&mut self, regions: &[RegionId]) {
        for &r in regions {
            if self.cx.region_blocks(r).is_empty() {
                let b = self.cx.create_block(&[]);
                self.cx.append_block(r, b);
            }
        }
    }

    fn region(&mut self, pair: Pair<'i, Rule>, isolated: bool) -> PResult<RegionId> {
        self.nested(&pair.clone(), |b| b.region_body(pair, isolated))
    }

    fn region_body(&mut self, pair: Pair<'i, Rule>, isolated: bool) -> PResult<RegionId> {
        let region = self.cx.create_region();
        self.scopes.push(Scope::new(isolated));
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::entry_ops => {
                    let mut ops = part.into_inner().peekable();
                    if ops.peek().is_none() {
                        continue;
                    }
                    let block = self.cx.create_block(&[]);
                    self.cx.append_block(region, block);
                    for op in ops {
                        let op = self.operation(op)?;
                        self.cx.append_op(block, op);
                    }
                }
                _ => {
                    let mut inner = part.into_inner();
                    let label = inner.next().expect("block label");
                    let block = self.block_label(label)?;
                    self.cx.append_block(region, block);
                    for op in inner {
                        let op = self.operation(op)?;
                        self.cx.append_op(block, op);
                    }
                }
            }
        }
        self.pop_scope()?;
        Ok(region)
    }

    fn block_label(&mut self, pair: Pair<'i, Rule>) -> PResult<BlockId> {
        let mut inner = pair.into_inner();
        let id = inner.next().expect("block name");
        let pos = self.pos(id.as_span().start());
        let name = &id.as_str()[1..];
        let scope = self.scopes.last_mut().expect("block in a scope");
        if scope.blocks.insert(name, pos).is_some() {
            return Err(Diagnostic::error(format!("redefinition of block '^{name}'")).at(Some(pos)));
        }
        let block = self.cx.create_block(&[]);
        if let Some(args) = inner.next() {
            for arg in args.into_inner() {
                let apos = self.pos(arg.as_span().start());
                let mut parts = arg.into_inner();
                let aname = &parts.next().expect("arg name").as_str()[1..];
                let ty = self.ty(parts.next().expect("arg type"))?;
                if let Some(l) = parts.next() {
                    // Block-argument locations are accepted for compatibility but not kept.
                    self.location(l.into_inner().next().expect("location body"))?;
                }
                let v = self.cx.add_block_arg(block, ty);
                self.define(aname, v, 1, apos)?;
            }
        }
        Ok(block)
    }

    // ----- SSA names ---------------------------------------------------------------------

    fn define(&mut self, name: &'i str, first: ValueId, count: u32, pos: SourcePos) -> PResult<()> {
        for scope in self.scopes.iter().rev() {
            if scope.values.contains_key(name) {
                return Err(Diagnostic::error(format!("redefinition of SSA value '%{name}'")).at(Some(pos)));
            }
            if scope.isolated {
                break;
            }
        }
        self.scopes.last_mut().expect("scope").values.insert(name, (first, count));
        // Resolve earlier forward references to this name.
        let mut resolved = Vec::new();
        for scope in self.scopes.iter_mut().rev() {
            let mut i = 0;
            while i < scope.forward.len() {
                if scope.forward[i].name == name {
                    resolved.push(scope.forward.swap_remove(i));
                } else {
                    i += 1;
                }
            }
            if scope.isolated {
                break;
            }
        }
        for f in resolved {
            if f.index >= count {
                return Err(Diagnostic::error(format!("'%{name}' has {count} results; #{} is out of range", f.index))
                    .at(Some(f.pos)));
            }
            let real = ValueId::from_index(first.index() + f.index as usize);
            let (want, got) = (self.cx.value_type(f.placeholder), self.cx.value_type(real));
            if want != got {
                return Err(Diagnostic::error(format!(
                    "'%{name}' is defined with type '{}' but was used earlier as '{}'",
                    self.cx.show_type(got),
                    self.cx.show_type(want)
                ))
                .at(Some(pos)));
            }
            self.cx.replace_all_uses(f.placeholder, real);
        }
        Ok(())
    }

    fn resolve(&mut self, name: &'i str, index: u32, ty: TypeId, pos: SourcePos) -> PResult<ValueId> {
        let mut found = None;
        for scope in self.scopes.iter().rev() {
            if let Some(&(first, count)) = scope.values.get(name) {
                found = Some((first, count));
                break;
            }
            if let Some(f) = scope.forward.iter().find(|f| f.name == name && f.index == index) {
                found = Some((f.placeholder, u32::MAX));
                break;
            }
            if scope.isolated {
                break;
            }
        }
        let v = match found {
            Some((v, u32::MAX)) => v,
            Some((first, count)) => {
                if index >= count {
                    let msg = format!("'%{name}' has {count} results; #{index} is out of range");
                    return Err(Diagnostic::error(msg).at(Some(pos)));
                }
                ValueId::from_index(first.index() + index as usize)
            }
            None => {
                let block = *self.placeholders.get_or_insert_with(|| self.cx.create_block(&[]));
                let v = self.cx.add_block_arg(block, ty);
                let scope = self.scopes.last_mut().expect("scope");
                scope.forward.push(Forward { name, index, placeholder: v, pos });
                return Ok(v);
            }
        };
        let actual = self.cx.value_type(v);
        if actual != ty {
            let suffix = if index > 0 { format!("#{index}") } else { String::new() };
            return Err(Diagnostic::error(format!(
                "'%{name}{suffix}' has type '{}' but is used as '{}'",
                self.cx.show_type(actual),
                self.cx.show_type(ty)
            ))
            .at(Some(pos)));
        }
        Ok(v)
    }

    // ----- literals ----------------------------------------------------------------------

    fn uint(&self, pair: &Pair<'i, Rule>) -> PResult<u64> {
        match pair.as_str().parse::<u64>() {
            Ok(v) => Ok(v),
            Err(_) => self.err(pair, "integer literal out of range"),
        }
    }

    /// Unescapes a `string_lit` pair.
    fn string(&self, pair: &Pair<'i, Rule>) -> PResult<String> {
        let quoted = pair.as_str();
        let raw = &quoted[1..quoted.len() - 1];
        if !raw.contains('\\') {
            return Ok(raw.to_string());
        }
        let mut bytes = Vec::with_capacity(raw.len());
        let mut it = raw.bytes().peekable();
        while let Some(b) = it.next() {
            if b != b'\\' {
                bytes.push(b);
                continue;
            }
            match it.next() {
                Some(b'"') => bytes.push(b'"'),
                Some(b'\\') => bytes.push(b'\\'),
                Some(b'n') => bytes.push(b'\n'),
                Some(b't') => bytes.push(b'\t'),
                Some(h) if h.is_ascii_hexdigit() => {
                    let l = it.next().filter(u8::is_ascii_hexdigit);
                    let Some(l) = l else {
                        return self.err(pair, "invalid escape in string literal");
                    };
                    let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                    bytes.push(hex(h) * 16 + hex(l));
                }
                _ => return self.err(pair, "invalid escape in string literal"),
            }
        }
        match String::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(_) => self.err(pair, "string literal is not valid UTF-8"),
        }
    }

    // ----- types -------------------------------------------------------------------------

    fn ty(&mut self, pair: Pair<'i, Rule>) -> PResult<TypeId> {
        if let Some(&t) = self.type_cache.get(pair.as_str()) {
            return Ok(t);
        }
        self.nested(&pair.clone(), |b| b.ty_uncached(pair))
    }

    fn ty_uncached(&mut self, pair: Pair<'i, Rule>) -> PResult<TypeId> {
        let text = pair.as_str();
        let inner = pair.into_inner().next().expect("type body");
        let t = match inner.as_rule() {
            Rule::scalar_tensor => {
                // `tensor<` (digits `x`)* keyword `>`: dimensions are the leading `digits x` runs.
                let mut rest = &inner.as_str()["tensor<".len()..inner.as_str().len() - 1];
                let mut shape = Vec::new();
                while rest.starts_with(|c: char| c.is_ascii_digit()) {
                    let (dim, tail) = rest.split_once('x').expect("grammar: a dimension ends in 'x'");
                    match dim.parse::<i64>() {
                        Ok(d) => shape.push(d),
                        Err(_) => return self.err(&inner, "dimension size out of range"),
                    }
                    rest = tail;
                }
                let elem = self.scalar_keyword(&inner, rest)?;
                self.cx.intern_type(TypeData::Tensor { shape, elem })
            }
            Rule::int_type | Rule::float_type => self.scalar_keyword(&inner, inner.as_str())?,
            Rule::index_type => TypeId::INDEX,
            Rule::none_type => TypeId::NONE,
            Rule::tensor_type => {
                let mut parts = inner.into_inner().peekable();
                let shape = match parts.peek().map(|p| p.as_rule()) {
                    Some(Rule::shape) => {
                        let p = parts.next().expect("shape");
                        self.shape(&p)?
                    }
                    _ => Vec::new(),
                };
                let elem_pair = parts.next().expect("element type");
                let elem = self.ty(elem_pair.clone())?;
                if !self.cx.type_data(elem).is_scalar() && !matches!(self.cx.type_data(elem), TypeData::Dialect { .. })
                {
                    return self.err(&elem_pair, "tensor element type must be a scalar or dialect type");
                }
                self.cx.intern_type(TypeData::Tensor { shape, elem })
            }
            Rule::function_type => self.function_type(inner)?,
            _ => self.dialect_type(inner)?,
        };
        self.type_cache.insert(text, t);
        Ok(t)
    }

    /// The type named by a scalar keyword (`i32`, `si8`, `bf16`, `index`, …).
    fn scalar_keyword(&mut self, pair: &Pair<'i, Rule>, s: &str) -> PResult<TypeId> {
        let data = match s {
            "f16" => TypeData::Float(FloatKind::F16),
            "bf16" => TypeData::Float(FloatKind::BF16),
            "f32" => TypeData::Float(FloatKind::F32),
            "f64" => TypeData::Float(FloatKind::F64),
            "index" => TypeData::Index,
            _ => {
                let (signedness, digits) = if let Some(d) = s.strip_prefix("si") {
                    (Signedness::Signed, d)
                } else if let Some(d) = s.strip_prefix("ui") {
                    (Signedness::Unsigned, d)
                } else {
                    (Signedness::Signless, s.strip_prefix('i').unwrap_or(s))
                };
                match digits.parse::<u32>() {
                    Ok(width @ 1..=65535) => TypeData::Integer { width, signedness },
                    _ => return self.err(pair, format!("invalid integer width in '{s}'")),
                }
            }
        };
        Ok(self.cx.intern_type(data))
    }

    fn shape(&self, pair: &Pair<'i, Rule>) -> PResult<Vec<i64>> {
        let s = pair.as_str();
        s[..s.len() - 1]
            .split('x')
            .map(|d| d.parse::<i64>().or_else(|_| self.err(pair, "dimension size out of range")))
            .collect()
    }

    fn type_list(&mut self, pair: Pair<'i, Rule>) -> PResult<Vec<TypeId>> {
        pair.into_inner().map(|t| self.ty(t)).collect()
    }

    fn function_type(&mut self, pair: Pair<'i, Rule>) -> PResult<TypeId> {
        let mut inner = pair.into_inner();
        let inputs = self.type_list(inner.next().expect("inputs"))?;
        let res = inner.next().expect("results").into_inner().next().expect("result types");
        let results = match res.as_rule() {
            Rule::type_list => self.type_list(res)?,
            _ => vec![self.ty(res)?],
        };
        Ok(self.cx.intern_type(TypeData::Function { inputs, results }))
    }

    fn dialect_type(&mut self, pair: Pair<'i, Rule>) -> PResult<TypeId> {
        let (dialect, name, params) = self.dialect_entity(pair, true)?;
        Ok(self.cx.intern_type(TypeData::Dialect { dialect, name, params }))
    }

    /// `!dialect.name<params>` or `#dialect.name<params>`: the name split at its first dot and
    /// the parameters, checked against the registry.
    fn dialect_entity(&mut self, pair: Pair<'i, Rule>, is_type: bool) -> PResult<(Arc<str>, Arc<str>, Vec<TypeParam>)> {
        let mut inner = pair.clone().into_inner();
        let full = inner.next().expect("dialect entity name").as_str();
        let params = match inner.next() {
            Some(p) => self.params(p)?,
            None => Vec::new(),
        };
        self.check_param_def(&pair, full, &params, is_type)?;
        let (dialect, name) = full.split_once('.').expect("grammar requires a dot");
        Ok((dialect.into(), name.into(), params))
    }

    /// Checks a dialect type or attribute name against the registry and runs its verifier.
    fn check_param_def(
        &mut self,
        pair: &Pair<'i, Rule>,
        full: &str,
        params: &[TypeParam],
        is_type: bool,
    ) -> PResult<()> {
        let (dialect, _) = full.split_once('.').expect("grammar requires a dot");
        let (sigil, what) = if is_type { ('!', "type") } else { ('#', "attribute") };
        let def = if is_type { self.cx.registry().type_def(full) } else { self.cx.registry().attr_def(full) };
        match def {
            Some(def) => {
                if let Some(verify) = def.verify
                    && let Err(msg) = verify(self.cx, params)
                {
                    return self.err(pair, format!("invalid {sigil}{full}: {msg}"));
                }
                Ok(())
            }
            None if self.cx.registry().dialect(dialect).is_some() => {
                self.err(pair, format!("dialect '{dialect}' has no {what} '{sigil}{full}'"))
            }
            None if !self.cx.allows_unregistered() => self.err(
                pair,
                format!("{what} '{sigil}{full}' belongs to unregistered dialect '{dialect}' (use --allow-unregistered-dialect to accept it)"),
            ),
            None => Ok(()),
        }
    }

    fn params(&mut self, pair: Pair<'i, Rule>) -> PResult<Vec<TypeParam>> {
        let mut out = Vec::new();
        for p in pair.into_inner() {
            let inner = p.into_inner().next().expect("param body");
            out.push(match inner.as_rule() {
                Rule::shaped_param => {
                    let mut parts = inner.into_inner();
                    let shape = self.shape(&parts.next().expect("shape"))?;
                    let elem = self.ty(parts.next().expect("element type"))?;
                    TypeParam::Shaped { shape, elem }
                }
                Rule::named_param => {
                    let mut parts = inner.into_inner();
                    let key = parts.next().expect("key").as_str();
                    let value = self.attr(parts.next().expect("value"))?;
                    TypeParam::Named(key.into(), value)
                }
                _ => TypeParam::Attr(self.attr(inner)?),
            });
        }
        Ok(out)
    }

    // ----- attributes --------------------------------------------------------------------

    fn attr_dict(&mut self, pair: Pair<'i, Rule>) -> PResult<AttrDict> {
        let mut dict = AttrDict::default();
        for entry in pair.into_inner() {
            let entry_pair = entry.clone();
            let mut parts = entry.into_inner();
            let key_pair = parts.next().expect("attribute name");
            let key: Arc<str> = match key_pair.as_rule() {
                Rule::string_lit => self.string(&key_pair)?.into(),
                _ => key_pair.as_str().into(),
            };
            let value = match parts.next() {
                Some(v) => self.attr(v)?,
                None => Attribute::Unit,
            };
            if dict.insert(key.clone(), value).is_some() {
                return self.err(&entry_pair, format!("duplicate attribute '{key}'"));
            }
        }
        Ok(dict)
    }

    fn attr(&mut self, pair: Pair<'i, Rule>) -> PResult<Attribute> {
        self.nested(&pair.clone(), |b| b.attr_body(pair))
    }

    fn attr_body(&mut self, pair: Pair<'i, Rule>) -> PResult<Attribute> {
        let inner = pair.into_inner().next().expect("attribute body");
        Ok(match inner.as_rule() {
            Rule::kw_true => Attribute::Bool(true),
            Rule::kw_false => Attribute::Bool(false),
            Rule::kw_unit => Attribute::Unit,
            Rule::affine_map_attr => Attribute::affine_map(self.affine_map(inner)?),
            Rule::float_attr => {
                let mut parts = inner.into_inner();
                let lit = parts.next().expect("float literal");
                let ty = match parts.next() {
                    Some(t) => self.ty(t)?,
                    None => TypeId::F64,
                };
                let TypeData::Float(kind) = *self.cx.type_data(ty) else {
                    return self.err(&lit, "float literal needs a float type");
                };
                let Ok(value) = lit.as_str().parse::<f64>() else {
                    return self.err(&lit, "invalid float literal");
                };
                if !kind.holds(value) {
                    return self.err(&lit, format!("float literal out of range for {}", kind.keyword()));
                }
                // f32 values are kept rounded to f32, so they compare and fold as the target does.
                let value = if kind == FloatKind::F32 { value as f32 as f64 } else { value };
                Attribute::Float { value, ty }
            }
            Rule::int_attr => self.int_attr(inner)?,
            Rule::string_lit => Attribute::String(self.string(&inner)?.into()),
            Rule::array_attr => {
                let items: PResult<Vec<Attribute>> = inner.into_inner().map(|a| self.attr(a)).collect();
                Attribute::Array(items?.into())
            }
            Rule::dict_attr => {
                Attribute::Dict(Arc::new(self.attr_dict(inner.into_inner().next().expect("dictionary"))?))
            }
            Rule::symbol_ref => {
                let name = inner.into_inner().next().expect("symbol name");
                let s = match name.as_rule() {
                    Rule::string_lit => self.string(&name)?,
                    _ => name.as_str().to_string(),
                };
                Attribute::SymbolRef(s.into())
            }
            Rule::dialect_attr => {
                let (dialect, name, params) = self.dialect_entity(inner, false)?;
                Attribute::Dialect { dialect, name, params: params.into() }
            }
            _ => Attribute::Type(self.ty(inner)?),
        })
    }

    fn int_attr(&mut self, pair: Pair<'i, Rule>) -> PResult<Attribute> {
        let mut parts = pair.into_inner();
        let lit = parts.next().expect("integer literal");
        let ty = match parts.next() {
            Some(t) => self.ty(t)?,
            None => TypeId::I64,
        };
        let s = lit.as_str();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, s),
        };
        let data = self.cx.type_data(ty).clone();
        if let Some(hex) = digits.strip_prefix("0x") {
            let Ok(bits) = u64::from_str_radix(hex, 16) else {
                return self.err(&lit, "integer literal out of range");
            };
            if neg {
                return self.err(&lit, "hexadecimal literals cannot be negative");
            }
            return match data {
                TypeData::Float(kind) => match kind.from_bits(bits) {
                    Some(value) => Ok(Attribute::Float { value, ty }),
                    None => self.err(&lit, format!("hexadecimal literal has more bits than {}", kind.keyword())),
                },
                TypeData::Integer { width, .. } if width < 64 && bits >> width != 0 => {
                    self.err(&lit, format!("integer {s} does not fit in {}", self.cx.show_type(ty)))
                }
                TypeData::Integer { .. } | TypeData::Index => Ok(Attribute::Int { value: bits as i64, ty }),
                _ => self.err(&lit, "integer literal needs an integer, index or float type"),
            };
        }
        if data.is_float() {
            return self.err(&lit, "integer literal used with a float type; write it with a decimal point");
        }
        if !matches!(data, TypeData::Integer { .. } | TypeData::Index) {
            return self.err(&lit, "integer literal needs an integer or index type");
        }
        let Ok(value) = s.parse::<i64>() else {
            return self.err(&lit, "integer literal out of range");
        };
        if let TypeData::Integer { width, signedness } = data {
            let wide = width >= 64;
            let fits = match signedness {
                Signedness::Unsigned => value >= 0 && (wide || value < (1i64 << width)),
                // Signless values may be written signed or unsigned, as in MLIR.
                Signedness::Signless => wide || (value >= -(1i64 << (width - 1)) && value < (1i64 << width)),
                Signedness::Signed => wide || (value >= -(1i64 << (width - 1)) && value < (1i64 << (width - 1))),
            };
            if !fits {
                return self.err(&lit, format!("integer {value} does not fit in {}", self.cx.show_type(ty)));
            }
        }
        Ok(Attribute::Int { value, ty })
    }

    fn affine_map(&mut self, pair: Pair<'i, Rule>) -> PResult<AffineMap> {
        let mut inner = pair.into_inner().peekable();
        let mut names: HashMap<&'i str, AffineExpr> = HashMap::new();
        let dims = inner.next().expect("affine dims");
        let mut num_dims = 0;
        for d in dims.into_inner() {
            if names.insert(d.as_str(), AffineExpr::Dim(num_dims)).is_some() {
                return self.err(&d, format!("redefinition of identifier '{}'", d.as_str()));
            }
            num_dims += 1;
        }
        let mut num_symbols = 0;
        if inner.peek().map(|p| p.as_rule()) == Some(Rule::affine_syms) {
            for s in inner.next().expect("symbols").into_inner() {
                if names.insert(s.as_str(), AffineExpr::Symbol(num_symbols)).is_some() {
                    return self.err(&s, format!("redefinition of identifier '{}'", s.as_str()));
                }
                num_symbols += 1;
            }
        }
        let results: PResult<Vec<AffineExpr>> = inner.map(|e| self.affine_expr(e, &names, self.depth)).collect();
        Ok(AffineMap::new(num_dims, num_symbols, results?))
    }

    /// `lhs op rhs`, reporting division by zero and constant overflow at `at`.
    fn affine_op(&self, at: &Pair<'i, Rule>, op: AffineBinOp, lhs: AffineExpr, rhs: AffineExpr) -> PResult<AffineExpr> {
        let by_zero = op != AffineBinOp::Add && op != AffineBinOp::Mul && rhs == AffineExpr::Const(0);
        match AffineExpr::binary(op, lhs, rhs) {
            Some(e) => Ok(e),
            None if by_zero => self.err(at, "division by zero in affine expression"),
            None => self.err(at, "integer overflow in affine expression"),
        }
    }

    fn affine_expr(
        &self,
        pair: Pair<'i, Rule>,
        names: &HashMap<&'i str, AffineExpr>,
        depth: u32,
    ) -> PResult<AffineExpr> {
        if depth >= MAX_NESTING {
            return self.err(&pair, format!("nesting is deeper than {MAX_NESTING} levels"));
        }
        let depth = depth + 1;
        match pair.as_rule() {
            Rule::affine_expr => {
                let mut parts = pair.into_inner();
                let mut acc = self.affine_expr(parts.next().expect("term"), names, depth)?;
                while let Some(op) = parts.next() {
                    let rhs = self.affine_expr(parts.next().expect("term"), names, depth)?;
                    let rhs = if op.as_str() == "-" {
                        self.affine_op(&op, AffineBinOp::Mul, rhs, AffineExpr::Const(-1))?
                    } else {
                        rhs
                    };
                    acc = self.affine_op(&op, AffineBinOp::Add, acc, rhs)?;
                }
                Ok(acc)
            }
            Rule::affine_term => {
                let mut parts = pair.into_inner();
                let mut acc = self.affine_expr(parts.next().expect("factor"), names, depth)?;
                while let Some(op) = parts.next() {
                    let rhs_pair = parts.next().expect("factor");
                    let rhs = self.affine_expr(rhs_pair.clone(), names, depth)?;
                    let kind = match op.as_str() {
                        "*" => AffineBinOp::Mul,
                        "floordiv" => AffineBinOp::FloorDiv,
                        "ceildiv" => AffineBinOp::CeilDiv,
                        _ => AffineBinOp::Mod,
                    };
                    let symbolic = |e: &AffineExpr| e.arity().0 == 0;
                    if kind == AffineBinOp::Mul && !symbolic(&acc) && !symbolic(&rhs) {
                        return self.err(&op, "non-affine expression: product of two dimension expressions");
                    }
                    if kind != AffineBinOp::Mul && !symbolic(&rhs) {
                        return self
                            .err(&rhs_pair, "non-affine expression: right operand must be a constant or symbol");
                    }
                    acc = self.affine_op(&rhs_pair, kind, acc, rhs)?;
                }
                Ok(acc)
            }
            Rule::affine_factor => self.affine_expr(pair.into_inner().next().expect("factor body"), names, depth),
            Rule::affine_neg => {
                let e = self.affine_expr(pair.clone().into_inner().next().expect("negated factor"), names, depth)?;
                self.affine_op(&pair, AffineBinOp::Mul, e, AffineExpr::Const(-1))
            }
            Rule::uint => match pair.as_str().parse::<i64>() {
                Ok(c) => Ok(AffineExpr::Const(c)),
                Err(_) => self.err(&pair, "integer literal out of range"),
            },
            _ => match names.get(pair.as_str()) {
                Some(e) => Ok(e.clone()),
                None => self.err(&pair, format!("use of undeclared identifier '{}' in affine map", pair.as_str())),
            },
        }
    }

    // ----- locations ---------------------------------------------------------------------

    fn location(&mut self, pair: Pair<'i, Rule>) -> PResult<Location> {
        self.nested(&pair.clone(), |b| b.location_body(pair))
    }

    fn location_body(&mut self, pair: Pair<'i, Rule>) -> PResult<Location> {
        let inner = pair.into_inner().next().expect("location kind");
        Ok(match inner.as_rule() {
            Rule::kw_unknown => Location::Unknown,
            Rule::loc_file => {
                let mut parts = inner.into_inner();
                let file = self.string(&parts.next().expect("file"))?;
                let line = self.uint(&parts.next().expect("line"))? as u32;
                let col = self.uint(&parts.next().expect("col"))? as u32;
                let file = self.loc_files.entry(file).or_insert_with_key(|k| Arc::from(k.as_str())).clone();
                Location::FileLineCol { file, line, col }
            }
            Rule::loc_name => {
                let mut parts = inner.into_inner();
                let name = self.string(&parts.next().expect("name"))?;
                let child = match parts.next() {
                    Some(c) => Some(Box::new(self.location(c)?)),
                    None => None,
                };
                Location::Name { name: name.into(), child }
            }
            _ => {
                let locs: PResult<Vec<Location>> = inner.into_inner().map(|l| self.location(l)).collect();
                Location::Fused(locs?)
            }
        })
    }
}
