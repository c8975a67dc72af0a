//! The text printer: MLIR's generic operation syntax, plus declared custom formats.
//!
//! Values are renumbered on every print (`%0`, `%1`, block arguments `%arg0`), restarting inside
//! regions of ops that are isolated from above, exactly as MLIR does, so the output does not
//! depend on arena ids and `print(parse(x))` is a fixed point. A module without attributes or a
//! location prints as its bare contents (the parser wraps bare ops in an implicit module).

use crate::attrs::Attribute;
use crate::context::{Context, ValueDef};
use crate::dialect::{AsmFormat, Traits};
use crate::ids::{BlockId, OpId, RegionId, TypeId, ValueId};
use crate::types::{TypeData, TypeParam};
use std::fmt::{self, Write};

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct PrintOptions {
    /// Print every op in the generic form, ignoring custom formats (what MLIR tools read when
    /// they do not know our dialects).
    pub generic: bool,
    /// Print `loc(...)` after ops that have a known location.
    pub locations: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { generic: false, locations: true }
    }
}

/// Prints `op` and everything nested in it.
pub fn print_op(cx: &Context, op: OpId, opts: PrintOptions) -> String {
    let mut p = Printer::new(cx, opts);
    p.name_op(op);
    p.op(op, 0);
    p.out
}

/// Prints a top-level module: its bare contents when the module carries nothing of its own,
/// otherwise the module op itself.
pub fn print_module(cx: &Context, module: OpId, opts: PrintOptions) -> String {
    let bare = cx.is(module, crate::builtin::MODULE)
        && cx.attrs(module).is_empty()
        && (cx.loc(module).is_unknown() || !opts.locations)
        && cx.region_blocks(cx.regions(module)[0]).len() == 1;
    if !bare {
        return print_op(cx, module, opts);
    }
    let mut p = Printer::new(cx, opts);
    p.name_op(module);
    let block = cx.body(module, 0).expect("module has a block");
    for op in cx.block_ops(block) {
        p.op(op, 0);
    }
    p.out
}

#[derive(Copy, Clone)]
enum Name {
    None,
    Arg(u32),
    Result(u32),
}

struct Printer<'a> {
    cx: &'a Context,
    opts: PrintOptions,
    out: String,
    names: Vec<Name>,
    block_names: Vec<u32>,
    next_value: u32,
    next_arg: u32,
}

impl<'a> Printer<'a> {
    fn new(cx: &'a Context, opts: PrintOptions) -> Self {
        Printer {
            cx,
            opts,
            out: String::with_capacity(cx.num_live_ops() * 96),
            names: vec![Name::None; cx.values.len()],
            block_names: vec![u32::MAX; cx.blocks.len()],
            next_value: 0,
            next_arg: 0,
        }
    }

    /// Assigns names to everything nested in `op` in print order, before printing, so that
    /// forward references (graph regions) already have a name.
    fn name_op(&mut self, op: OpId) {
        let cx = self.cx;
        if cx.num_results(op) > 0 {
            let n = self.next_value;
            self.next_value += 1;
            let first = cx.result(op, 0);
            self.names[first.index()] = Name::Result(n);
        }
        let isolated = cx.op_def(op).is_some_and(|d| d.has(Traits::ISOLATED_FROM_ABOVE));
        let saved = (self.next_value, self.next_arg);
        if isolated {
            (self.next_value, self.next_arg) = (0, 0);
        }
        for &r in cx.regions(op) {
            // Blocks are numbered per region, as in MLIR.
            for (i, &b) in cx.region_blocks(r).iter().enumerate() {
                self.block_names[b.index()] = i as u32;
                for &a in cx.block_args(b) {
                    self.names[a.index()] = Name::Arg(self.next_arg);
                    self.next_arg += 1;
                }
                for o in cx.block_ops(b) {
                    self.name_op(o);
                }
            }
        }
        if isolated {
            (self.next_value, self.next_arg) = saved;
        }
    }

    fn value(&mut self, v: ValueId) {
        match self.cx.value_def(v) {
            ValueDef::OpResult { op, index } => {
                let first = self.cx.result(op, 0);
                match self.names[first.index()] {
                    Name::Result(n) => {
                        let _ = write!(self.out, "%{n}");
                        if self.cx.num_results(op) > 1 {
                            let _ = write!(self.out, "#{index}");
                        }
                    }
                    _ => self.out.push_str("%<<UNKNOWN>>"),
                }
            }
            ValueDef::BlockArg { .. } => match self.names[v.index()] {
                Name::Arg(n) => {
                    let _ = write!(self.out, "%arg{n}");
                }
                _ => self.out.push_str("%<<UNKNOWN>>"),
            },
        }
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn op(&mut self, op: OpId, depth: usize) {
        let cx = self.cx;
        self.indent(depth);
        let n = cx.num_results(op);
        if n > 0 {
            match self.names[cx.result(op, 0).index()] {
                Name::Result(id) => {
                    let _ = write!(self.out, "%{id}");
                }
                _ => self.out.push_str("%<<UNKNOWN>>"),
            }
            if n > 1 {
                let _ = write!(self.out, ":{n}");
            }
            self.out.push_str(" = ");
        }
        let def = cx.op_def(op);
        let custom = !self.opts.generic
            && def.is_some_and(|d| d.format == AsmFormat::SameType)
            && cx.regions(op).is_empty()
            && n == 1
            && {
                let t = cx.value_type(cx.result(op, 0));
                cx.operands(op).iter().all(|&v| cx.value_type(v) == t)
            };
        if custom {
            self.out.push_str(cx.name(op));
            for (i, &v) in cx.operands(op).iter().enumerate() {
                self.out.push_str(if i == 0 { " " } else { ", " });
                self.value(v);
            }
            if !cx.attrs(op).is_empty() {
                self.out.push(' ');
                self.attr_dict(op);
            }
            self.out.push_str(" : ");
            self.ty(cx.value_type(cx.result(op, 0)));
        } else {
            write_string_literal(&mut self.out, cx.name(op)).unwrap();
            self.out.push('(');
            for (i, &v) in cx.operands(op).iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.value(v);
            }
            self.out.push(')');
            if !cx.regions(op).is_empty() {
                self.out.push_str(" (");
                for (i, &r) in cx.regions(op).iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.region(r, depth);
                }
                self.out.push(')');
            }
            if !cx.attrs(op).is_empty() {
                self.out.push(' ');
                self.attr_dict(op);
            }
            self.out.push_str(" : (");
            for (i, &v) in cx.operands(op).iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.ty(cx.value_type(v));
            }
            self.out.push_str(") -> ");
            let results: Vec<TypeId> = cx.results(op).map(|v| cx.value_type(v)).collect();
            self.result_types(&results);
        }
        if self.opts.locations && !cx.loc(op).is_unknown() {
            let _ = write!(self.out, " {}", cx.loc(op));
        }
        self.out.push('\n');
    }

    fn region(&mut self, r: RegionId, depth: usize) {
        let cx = self.cx;
        self.out.push_str("{\n");
        for (i, &b) in cx.region_blocks(r).iter().enumerate() {
            if i > 0 || !cx.block_args(b).is_empty() {
                self.block_label(b, depth);
            }
            for op in cx.block_ops(b) {
                self.op(op, depth + 1);
            }
        }
        self.indent(depth);
        self.out.push('}');
    }

    fn block_label(&mut self, b: BlockId, depth: usize) {
        self.indent(depth);
        let _ = write!(self.out, "^bb{}", self.block_names[b.index()]);
        let args = self.cx.block_args(b);
        if !args.is_empty() {
            self.out.push('(');
            for (i, &a) in args.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.value(a);
                self.out.push_str(": ");
                self.ty(self.cx.value_type(a));
            }
            self.out.push(')');
        }
        self.out.push_str(":\n");
    }

    fn attr_dict(&mut self, op: OpId) {
        let _ = write_attr_dict(&mut self.out, self.cx, self.cx.attrs(op).iter());
    }

    fn ty(&mut self, ty: TypeId) {
        let _ = write_type(&mut self.out, self.cx, ty);
    }

    fn result_types(&mut self, results: &[TypeId]) {
        let _ = write_result_types(&mut self.out, self.cx, results);
    }
}

/// `->` result list: a single non-function type bare, otherwise parenthesised.
fn write_result_types(out: &mut impl Write, cx: &Context, results: &[TypeId]) -> fmt::Result {
    if let [single] = results
        && !matches!(cx.type_data(*single), TypeData::Function { .. })
    {
        return write_type(out, cx, *single);
    }
    out.write_char('(')?;
    write_type_list(out, cx, results)?;
    out.write_char(')')
}

fn write_type_list(out: &mut impl Write, cx: &Context, types: &[TypeId]) -> fmt::Result {
    for (i, &t) in types.iter().enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        write_type(out, cx, t)?;
    }
    Ok(())
}

/// Writes a type in MLIR syntax.
pub fn write_type(out: &mut impl Write, cx: &Context, ty: TypeId) -> fmt::Result {
    match cx.type_data(ty) {
        TypeData::Integer { width, signedness } => {
            let prefix = match signedness {
                crate::types::Signedness::Signless => "i",
                crate::types::Signedness::Signed => "si",
                crate::types::Signedness::Unsigned => "ui",
            };
            write!(out, "{prefix}{width}")
        }
        TypeData::Float(k) => out.write_str(k.keyword()),
        TypeData::Index => out.write_str("index"),
        TypeData::None => out.write_str("none"),
        TypeData::Tensor { shape, elem } => {
            out.write_str("tensor<")?;
            write_shaped(out, cx, shape, *elem)?;
            out.write_char('>')
        }
        TypeData::Function { inputs, results } => {
            out.write_char('(')?;
            write_type_list(out, cx, inputs)?;
            out.write_str(") -> ")?;
            write_result_types(out, cx, results)
        }
        TypeData::Dialect { dialect, name, params } => {
            write!(out, "!{dialect}.{name}")?;
            write_params(out, cx, params)
        }
    }
}

fn write_shaped(out: &mut impl Write, cx: &Context, shape: &[i64], elem: TypeId) -> fmt::Result {
    for d in shape {
        write!(out, "{d}x")?;
    }
    write_type(out, cx, elem)
}

fn write_params(out: &mut impl Write, cx: &Context, params: &[TypeParam]) -> fmt::Result {
    if params.is_empty() {
        return Ok(());
    }
    out.write_char('<')?;
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        match p {
            TypeParam::Shaped { shape, elem } => write_shaped(out, cx, shape, *elem)?,
            TypeParam::Attr(a) => write_attr(out, cx, a)?,
            TypeParam::Named(k, a) => {
                write_key(out, k)?;
                out.write_str(" = ")?;
                write_attr(out, cx, a)?;
            }
        }
    }
    out.write_char('>')
}

/// `{key = value, flag}`.
pub fn write_attr_dict<'a>(
    out: &mut impl Write,
    cx: &Context,
    entries: impl Iterator<Item = (&'a std::sync::Arc<str>, &'a Attribute)>,
) -> fmt::Result {
    out.write_char('{')?;
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        write_key(out, k)?;
        if !matches!(v, Attribute::Unit) {
            out.write_str(" = ")?;
            write_attr(out, cx, v)?;
        }
    }
    out.write_char('}')
}

fn is_bare_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
}

fn write_key(out: &mut impl Write, k: &str) -> fmt::Result {
    if is_bare_identifier(k) { out.write_str(k) } else { write_string_literal(out, k) }
}

/// Writes an attribute in MLIR syntax.
pub fn write_attr(out: &mut impl Write, cx: &Context, attr: &Attribute) -> fmt::Result {
    match attr {
        Attribute::Unit => out.write_str("unit"),
        Attribute::Bool(b) => write!(out, "{b}"),
        Attribute::Int { value, ty } => {
            write!(out, "{value}")?;
            if *ty != TypeId::I64 {
                out.write_str(" : ")?;
                write_type(out, cx, *ty)?;
            }
            Ok(())
        }
        Attribute::Float { value, ty } => {
            write_float(out, cx, *value, *ty)?;
            // Non-finite values print as hex bit patterns, which need the type to read as floats.
            if *ty != TypeId::F64 || !value.is_finite() {
                out.write_str(" : ")?;
                write_type(out, cx, *ty)?;
            }
            Ok(())
        }
        Attribute::String(s) => write_string_literal(out, s),
        Attribute::Array(items) => {
            out.write_char('[')?;
            for (i, a) in items.iter().enumerate() {
                if i > 0 {
                    out.write_str(", ")?;
                }
                write_attr(out, cx, a)?;
            }
            out.write_char(']')
        }
        Attribute::Dict(d) => write_attr_dict(out, cx, d.iter()),
        Attribute::AffineMap(m) => write!(out, "affine_map<{m}>"),
        Attribute::Type(t) => write_type(out, cx, *t),
        Attribute::SymbolRef(s) => {
            out.write_char('@')?;
            if is_bare_identifier(s) { out.write_str(s) } else { write_string_literal(out, s) }
        }
        Attribute::Dialect { dialect, name, params } => {
            write!(out, "#{dialect}.{name}")?;
            write_params(out, cx, params)
        }
    }
}

/// Shortest text that parses back to the same value; non-finite values as hex bit patterns,
/// as MLIR prints them.
fn write_float(out: &mut impl Write, cx: &Context, v: f64, ty: TypeId) -> fmt::Result {
    let kind = match cx.type_data(ty) {
        TypeData::Float(k) => *k,
        _ => crate::types::FloatKind::F64,
    };
    if !v.is_finite() {
        let digits = kind.bit_width() as usize / 4;
        return write!(out, "0x{:0digits$X}", kind.non_finite_bits(v));
    }
    let s = if ty == TypeId::F32 { format!("{:?}", v as f32) } else { format!("{v:?}") };
    match s.find('e') {
        Some(e) if !s[..e].contains('.') => write!(out, "{}.0{}", &s[..e], &s[e..]),
        _ => out.write_str(&s),
    }
}

/// A double-quoted string literal with MLIR escapes (`\"`, `\\`, `\n`, `\t`, `\XX`).
pub fn write_string_literal<W: Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\t' => out.write_str("\\t")?,
            c if (c as u32) < 0x20 || c == '\u{7f}' => write!(out, "\\{:02X}", c as u32)?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

/// Display adapter for a type: `format!("{}", cx.show_type(t))`.
pub struct ShowType<'a>(pub &'a Context, pub TypeId);

impl fmt::Display for ShowType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_type(f, self.0, self.1)
    }
}

/// Display adapter for an attribute.
pub struct ShowAttr<'a>(pub &'a Context, pub &'a Attribute);

impl fmt::Display for ShowAttr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_attr(f, self.0, self.1)
    }
}

impl Context {
    /// Displays a type in MLIR syntax.
    pub fn show_type(&self, ty: TypeId) -> ShowType<'_> {
        ShowType(self, ty)
    }

    /// Displays an attribute in MLIR syntax.
    pub fn show_attr<'a>(&'a self, attr: &'a Attribute) -> ShowAttr<'a> {
        ShowAttr(self, attr)
    }
}
