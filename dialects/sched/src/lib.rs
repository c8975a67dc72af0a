//! The `sched` dialect: the schedule layer between `einsum` and `dataflow`. It records what
//! the scheduler decided, in IR that prints, parses and verifies like any other:
//!
//! - how each MAC einsum runs on the accelerator — a `mapping` attribute on the `einsum.op`
//!   (spatial unrolls, the temporal loop nest, per operand its memory levels and cuts; see
//!   [`mapping`]);
//! - which einsums are fused — a `sched.group` holding them in its one block, ended by a
//!   `sched.yield` of the group's results, with the streamed dimension `tile_dim`, the number
//!   of steps `tiles`, and the `intermediates` passed between its einsums (which on-chip memory
//!   holds each, and whether it stays there).
//!
//! ```text
//! %0 = "sched.group"(%a, %w) ({
//! ^bb0(%arg0: tensor<64x64xi8>, %arg1: tensor<64x64xi8>):
//!   %1 = "einsum.op"(%arg0, %arg1) {kind = "mac", …, mapping = {arch = "tpu_like", …}} : …
//!   %2 = "einsum.op"(%1) {kind = "elementwise", …} : …
//!   "sched.yield"(%2) : (tensor<64x64xi8>) -> ()
//! }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB", fused = true}]} : …
//! ```
//!
//! A group is isolated from above: its block arguments stand for its operands, so everything
//! it reads from outside is explicit. The group's verifier also checks the mappings of the
//! einsums it holds ([`mapping::verify_mapping`]); [`verify_mappings`] does that for every
//! einsum under an op, grouped or not.

pub mod mapping;

pub use mapping::{
    MAPPING, cost_attr, format_mapping, mapping_arch, mapping_attr, mapping_attr_with_cost, mapping_from_attr, preset,
    recorded_cost, recorded_vector_cost, vector_cost_alone, verify_mapping,
};

use std::sync::Arc;

use dnnc_einsum::Einsum;
use dnnc_ir::dialect::{AttrKind, AttrSpec, Dialect, OpDef, Traits, TypeConstraint, ValueSpec};
use dnnc_ir::{Attribute, Context, Diagnostic, Diagnostics, OpId, TypeId};

pub const GROUP: &str = "sched.group";
pub const YIELD: &str = "sched.yield";

static OPS: [OpDef; 2] = [
    OpDef {
        operands: &[ValueSpec::variadic("inputs", TypeConstraint::AnyTensor)],
        results: &[ValueSpec::variadic("outputs", TypeConstraint::AnyTensor)],
        attrs: &[
            AttrSpec::required("tile_dim", AttrKind::String, "the streamed dimension of the group's last einsum"),
            AttrSpec::required("tiles", AttrKind::Int, "steps the group is split into along tile_dim (at least 1)"),
            AttrSpec::required(
                "intermediates",
                AttrKind::Array,
                "tensors passed between its einsums: {producer, consumer, memory, fused}",
            ),
            AttrSpec::optional("arch", AttrKind::String, "the accelerator (default: its einsums' mappings' arch)"),
        ],
        regions: 1,
        traits: Traits::ISOLATED_FROM_ABOVE.union(Traits::SINGLE_BLOCK),
        verify: Some(verify_group),
        ..OpDef::new(GROUP, "Einsums fused into one scheduling group, run tile by tile")
    },
    OpDef {
        operands: &[ValueSpec::variadic("results", TypeConstraint::AnyTensor)],
        traits: Traits::TERMINATOR,
        verify: Some(verify_yield),
        ..OpDef::new(YIELD, "Returns a sched.group's results")
    },
];

pub static DIALECT: Dialect = Dialect {
    name: "sched",
    summary: "Schedules: mappings onto an accelerator and fused groups",
    ops: &OPS,
    types: &[],
    attrs: &[],
    materialize_constant: None,
};

/// A tensor passed from one einsum of a group to a later one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intermediate {
    /// Position of the producing einsum among the group's einsums.
    pub producer: usize,
    /// Position of the consuming einsum.
    pub consumer: usize,
    /// The memory holding it between the two.
    pub memory: String,
    /// Whether it stays on chip (tile by tile) instead of going through the top memory.
    pub fused: bool,
}

impl Intermediate {
    /// The dictionary written in a group's `intermediates`.
    pub fn to_attr(&self) -> Attribute {
        Attribute::dict([
            (Arc::from("producer"), Attribute::i64(self.producer as i64)),
            (Arc::from("consumer"), Attribute::i64(self.consumer as i64)),
            (Arc::from("memory"), Attribute::string(self.memory.as_str())),
            (Arc::from("fused"), Attribute::Bool(self.fused)),
        ])
    }

    /// Reads one entry of `intermediates`; the error names the missing or mistyped field.
    pub fn from_attr(a: &Attribute) -> Result<Intermediate, String> {
        let d = a.as_dict().ok_or_else(|| format!("must be a dictionary, but is {}", a.kind_name()))?;
        if let Some(k) = d.keys().find(|k| !matches!(&***k, "producer" | "consumer" | "memory" | "fused")) {
            return Err(format!("unknown field '{k}' (fields are producer, consumer, memory, fused)"));
        }
        let get = |k: &str| d.get(k).ok_or_else(|| format!("missing field '{k}'"));
        let position = |k: &str| match get(k)?.as_int() {
            Some(p) if p >= 0 => Ok(p as usize),
            _ => Err(format!("'{k}' must be a non-negative integer (an einsum's position in the group)")),
        };
        Ok(Intermediate {
            producer: position("producer")?,
            consumer: position("consumer")?,
            memory: get("memory")?.as_str().ok_or("'memory' must be a string (a memory name)")?.to_string(),
            fused: get("fused")?.as_bool().ok_or("'fused' must be a bool")?,
        })
    }
}

/// A read-only view of a `sched.group`.
pub struct Group<'a> {
    pub tile_dim: &'a str,
    pub tiles: i64,
    pub intermediates: Vec<Intermediate>,
    /// The einsums of its body, in order.
    pub einsums: Vec<OpId>,
    /// Its `arch` attribute, else the arch of its einsums' mappings.
    pub arch: Option<&'a str>,
}

impl<'a> Group<'a> {
    /// Reads the op's attributes; `None` if it is not a well-formed group.
    pub fn of(cx: &'a Context, op: OpId) -> Option<Self> {
        if !cx.is(op, GROUP) {
            return None;
        }
        let intermediates = cx
            .attr(op, "intermediates")?
            .as_array()?
            .iter()
            .map(|a| Intermediate::from_attr(a).ok())
            .collect::<Option<_>>()?;
        let einsums = einsums(cx, op);
        let arch = cx
            .attr(op, "arch")
            .and_then(Attribute::as_str)
            .or_else(|| einsums.iter().find_map(|&e| cx.attr(e, MAPPING).and_then(mapping_arch)));
        Some(Group {
            tile_dim: cx.attr(op, "tile_dim")?.as_str()?,
            tiles: cx.attr(op, "tiles")?.as_int()?,
            intermediates,
            einsums,
            arch,
        })
    }
}

/// The `einsum.op`s in a group's body, in order.
pub fn einsums(cx: &Context, group: OpId) -> Vec<OpId> {
    cx.body(group, 0).map_or_else(Vec::new, |b| cx.block_ops(b).filter(|&o| cx.is(o, dnnc_einsum::OP)).collect())
}

fn show_types(cx: &Context, ts: &[TypeId]) -> String {
    ts.iter().map(|&t| cx.show_type(t).to_string()).collect::<Vec<_>>().join(", ")
}

fn verify_group(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(&region) = cx.regions(op).first() else { return };
    let Some(&body) = cx.region_blocks(region).first() else {
        errors.push("body must have one block holding its einsums".into());
        return;
    };
    let args: Vec<TypeId> = cx.block_args(body).iter().map(|&a| cx.value_type(a)).collect();
    let inputs: Vec<TypeId> = cx.operands(op).iter().map(|&v| cx.value_type(v)).collect();
    if args != inputs {
        errors.push(format!(
            "body arguments ({}) must match the operands ({})",
            show_types(cx, &args),
            show_types(cx, &inputs)
        ));
    }
    for o in cx.block_ops(body) {
        if !cx.is(o, dnnc_einsum::OP) && !cx.is(o, YIELD) {
            errors.push(format!(
                "holds '{}'; a group holds only '{}' ops and a '{YIELD}'",
                cx.name(o),
                dnnc_einsum::OP
            ));
        }
    }
    let members = einsums(cx, op);
    let Some(&last) = members.last() else {
        errors.push("holds no einsum".into());
        return;
    };

    // Tiling.
    let tiles = cx.attr(op, "tiles").and_then(Attribute::as_int);
    if let Some(t) = tiles.filter(|&t| t < 1) {
        errors.push(format!("tiles must be at least 1, but is {t}"));
    }
    if let (Some(dim), Some(e)) = (cx.attr(op, "tile_dim").and_then(Attribute::as_str), Einsum::of(cx, last)) {
        match e.dims.iter().position(|&d| d == dim) {
            None => errors.push(format!(
                "tile_dim '{dim}' is not a dimension of the last einsum (#{}: {})",
                members.len() - 1,
                e.dims.join(", ")
            )),
            Some(i) => {
                if let (Some(t), Some(&size)) = (tiles, e.sizes.get(i))
                    && t > size
                {
                    errors.push(format!("tiles {t} exceeds the size {size} of tile_dim '{dim}'"));
                }
            }
        }
    }

    // Mappings: every mapped einsum on one accelerator, each mapping valid.
    let group_arch = cx.attr(op, "arch").and_then(Attribute::as_str);
    let mut arch = group_arch;
    for (i, &e) in members.iter().enumerate() {
        let Some(m) = cx.attr(e, MAPPING) else { continue };
        if let Some(a) = mapping_arch(m) {
            match arch {
                None => arch = Some(a),
                Some(g) if g != a => errors.push(format!(
                    "einsum #{i} is mapped onto '{a}' but the group is scheduled for '{g}'{}",
                    if group_arch.is_some() { " (its 'arch')" } else { " (its first mapping)" }
                )),
                Some(_) => {}
            }
        }
        for msg in verify_mapping(cx, e) {
            errors.push(format!("einsum #{i}: {msg}"));
        }
    }

    // Intermediates.
    let Some(list) = cx.attr(op, "intermediates").and_then(Attribute::as_array) else { return };
    let accelerator = arch.and_then(preset);
    let mut seen = Vec::new();
    for (k, a) in list.iter().enumerate() {
        let it = match Intermediate::from_attr(a) {
            Ok(it) => it,
            Err(e) => {
                errors.push(format!("intermediates[{k}]: {e}"));
                continue;
            }
        };
        let n = members.len();
        if it.producer >= n || it.consumer >= n {
            errors.push(format!(
                "intermediates[{k}]: producer #{} and consumer #{} must be positions of the group's {n} einsums",
                it.producer, it.consumer
            ));
            continue;
        }
        if it.producer >= it.consumer {
            errors.push(format!(
                "intermediates[{k}]: producer #{} must come before consumer #{}",
                it.producer, it.consumer
            ));
            continue;
        }
        let (p, c) = (members[it.producer], members[it.consumer]);
        if !cx.results(p).any(|r| cx.operands(c).contains(&r)) {
            errors.push(format!(
                "intermediates[{k}]: einsum #{} does not use the result of einsum #{}",
                it.consumer, it.producer
            ));
        }
        if seen.contains(&(it.producer, it.consumer)) {
            errors.push(format!("intermediates[{k}]: #{} -> #{} is listed twice", it.producer, it.consumer));
        }
        seen.push((it.producer, it.consumer));
        if let Some(acc) = accelerator {
            match acc.memory(&it.memory) {
                None => {
                    let names: Vec<&str> = acc.memories.iter().map(|m| m.name.as_str()).collect();
                    errors.push(format!(
                        "intermediates[{k}]: unknown memory '{}' ({} has {})",
                        it.memory,
                        acc.name,
                        names.join(", ")
                    ));
                }
                Some((m, _)) if it.fused && m + 1 == acc.memories.len() => errors.push(format!(
                    "intermediates[{k}]: a fused intermediate stays on chip, but '{}' is the top memory",
                    it.memory
                )),
                Some(_) => {}
            }
        }
    }
}

fn verify_yield(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(parent) = cx.parent_op(op).filter(|&p| cx.is(p, GROUP)) else {
        errors.push(format!("must be nested in a '{GROUP}'"));
        return;
    };
    let yielded: Vec<TypeId> = cx.operands(op).iter().map(|&v| cx.value_type(v)).collect();
    let results: Vec<TypeId> = cx.results(parent).map(|v| cx.value_type(v)).collect();
    if yielded != results {
        errors.push(format!(
            "yields ({}) but the group's results are ({})",
            show_types(cx, &yielded),
            show_types(cx, &results)
        ));
    }
}

/// Checks the `mapping` of every einsum under `root` (in a group or not), each diagnostic at
/// the einsum's position: the check for IR whose mapped einsums are not (yet) grouped, which
/// the op verifiers do not reach.
pub fn verify_mappings(cx: &Context, root: OpId) -> Diagnostics {
    let mut out = Vec::new();
    cx.walk(root, &mut |cx, op| {
        if cx.is(op, dnnc_einsum::OP) {
            for msg in verify_mapping(cx, op) {
                out.push(Diagnostic::at_op(cx, op, format!("'{}' op {msg}", cx.name(op))));
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dnnc_ir::{DialectRegistry, ParseOptions, parse_source};

    const MAP: &str = r#"{arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}"#;

    /// A GEMM and a ReLU fused into one group, the GEMM mapped with `mapping`; `group_attrs`
    /// are the group's attributes.
    fn module(mapping: &str, group_attrs: &str) -> String {
        format!(
            r#""func.func"() ({{
^bb0(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>):
  %r = "sched.group"(%a, %b) ({{
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %0 = "einsum.op"(%x, %w) {{kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {mapping}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %1 = "einsum.op"(%0) {{kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"}} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%1) : (tensor<64x64xi8>) -> ()
  }}) {group_attrs} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"(%r) : (tensor<64x64xi8>) -> ()
}}) {{function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>, sym_name = "f"}} : () -> ()
"#
        )
    }

    const GROUP_ATTRS: &str = r#"{tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB", fused = true}]}"#;

    fn parse(text: &str) -> (Context, OpId) {
        let registry = DialectRegistry::new().with(&dnnc_func::DIALECT).with(&dnnc_einsum::DIALECT).with(&DIALECT);
        let mut cx = Context::new(Arc::new(registry));
        let module = parse_source(&mut cx, "group.mlir", text, ParseOptions::default()).unwrap();
        (cx, module)
    }

    fn errors(text: &str) -> Vec<String> {
        let (cx, module) = parse(text);
        dnnc_ir::verify(&cx, module).err().unwrap_or_default().into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_fused_group_verifies_prints_back_and_reads_as_a_view() {
        let text = module(MAP, GROUP_ATTRS);
        let (cx, m) = parse(&text);
        dnnc_ir::verify(&cx, m).unwrap();
        let group = cx.nested_ops(m).into_iter().find(|&o| cx.is(o, GROUP)).unwrap();
        let g = Group::of(&cx, group).unwrap();
        assert_eq!((g.tile_dim, g.tiles, g.arch, g.einsums.len()), ("M", 4, Some("tpu_like"), 2));
        let it = Intermediate { producer: 0, consumer: 1, memory: "sram_2MB".into(), fused: true };
        assert_eq!(g.intermediates, std::slice::from_ref(&it));
        assert_eq!(Intermediate::from_attr(&it.to_attr()), Ok(it));
        // Printing is a fixed point.
        let printed = dnnc_ir::print_module(&cx, m, Default::default());
        let (cx2, m2) = parse(&printed);
        dnnc_ir::verify(&cx2, m2).unwrap();
        assert_eq!(dnnc_ir::print_module(&cx2, m2, Default::default()), printed);
        assert!(verify_mappings(&cx, m).is_empty());
    }

    #[test]
    fn the_group_verifier_names_the_attribute_at_fault() {
        let attrs = |s: &str| module(MAP, s);
        assert_eq!(
            errors(&attrs(r#"{tile_dim = "M", tiles = 0, intermediates = []}"#)),
            ["'sched.group' op tiles must be at least 1, but is 0"]
        );
        assert_eq!(
            errors(&attrs(r#"{tile_dim = "K", tiles = 65, intermediates = []}"#)),
            ["'sched.group' op tile_dim 'K' is not a dimension of the last einsum (#1: M, N)"]
        );
        assert_eq!(
            errors(&attrs(r#"{tile_dim = "N", tiles = 65, intermediates = []}"#)),
            ["'sched.group' op tiles 65 exceeds the size 64 of tile_dim 'N'"]
        );
        assert_eq!(
            errors(&attrs(r#"{tile_dim = "M", tiles = 1, arch = "gemmini", intermediates = []}"#)),
            [
                "'sched.group' op einsum #0 is mapped onto 'tpu_like' but the group is scheduled for 'gemmini' (its 'arch')"
            ]
        );
        let inter = |s: &str| attrs(&format!(r#"{{tile_dim = "M", tiles = 2, intermediates = [{s}]}}"#));
        assert_eq!(
            errors(&inter(r#"{producer = 0, consumer = 1, memory = "sram_1MB", fused = true}"#)),
            [
                "'sched.group' op intermediates[0]: unknown memory 'sram_1MB' (tpu_like has rf_128B, rf_2B, sram_2MB, dram)"
            ]
        );
        assert_eq!(
            errors(&inter(r#"{producer = 0, consumer = 1, memory = "dram", fused = true}"#)),
            ["'sched.group' op intermediates[0]: a fused intermediate stays on chip, but 'dram' is the top memory"]
        );
        assert!(errors(&inter(r#"{producer = 0, consumer = 1, memory = "dram", fused = false}"#)).is_empty());
        assert_eq!(
            errors(&inter(r#"{producer = 1, consumer = 0, memory = "sram_2MB", fused = true}"#)),
            ["'sched.group' op intermediates[0]: producer #1 must come before consumer #0"]
        );
        assert_eq!(
            errors(&inter(r#"{producer = 0, consumer = 2, memory = "sram_2MB", fused = true}"#)),
            [
                "'sched.group' op intermediates[0]: producer #0 and consumer #2 must be positions of the group's 2 einsums"
            ]
        );
        assert_eq!(
            errors(&inter(r#"{producer = 0, consumer = 1, memory = "sram_2MB"}"#)),
            ["'sched.group' op intermediates[0]: missing field 'fused'"]
        );
        assert_eq!(
            errors(&inter(
                r#"{producer = 0, consumer = 1, memory = "sram_2MB", fused = true}, {producer = 0, consumer = 1, memory = "sram_2MB", fused = false}"#
            )),
            ["'sched.group' op intermediates[1]: #0 -> #1 is listed twice"]
        );
        // The members' mappings are checked too, naming the einsum.
        let bad = MAP.replace(r#"cuts = [0, 3]"#, r#"cuts = [3]"#);
        assert_eq!(
            errors(&module(&bad, GROUP_ATTRS)),
            ["'sched.group' op einsum #0: mapping.O.cuts: 1 cuts for 3 levels (need one per level but the top, 2)"]
        );
    }

    #[test]
    fn the_body_must_match_the_operands_and_results() {
        let text = module(MAP, GROUP_ATTRS);
        let wrong_arg = text.replace("%w: tensor<64x64xi8>):", "%w: tensor<64x64xi8>, %z: tensor<1xi8>):");
        assert_eq!(
            errors(&wrong_arg),
            [
                "'sched.group' op body arguments (tensor<64x64xi8>, tensor<64x64xi8>, tensor<1xi8>) must match the operands (tensor<64x64xi8>, tensor<64x64xi8>)"
            ]
        );
        let wrong_yield = text.replace(
            r#""sched.yield"(%1) : (tensor<64x64xi8>) -> ()"#,
            r#""sched.yield"(%1, %0) : (tensor<64x64xi8>, tensor<64x64xi8>) -> ()"#,
        );
        assert_eq!(
            errors(&wrong_yield),
            [
                "'sched.yield' op yields (tensor<64x64xi8>, tensor<64x64xi8>) but the group's results are (tensor<64x64xi8>)"
            ]
        );
        let stray = text.replace(
            r#""func.return"(%r)"#,
            r#""sched.yield"(%r) : (tensor<64x64xi8>) -> ()
  "func.return"(%r)"#,
        );
        assert!(errors(&stray).contains(&"'sched.yield' op must be nested in a 'sched.group'".to_string()));
        let foreign = text.replace(
            r#"    "sched.yield"(%1)"#,
            r#"    "func.call"() {callee = @f} : () -> ()
    "sched.yield"(%1)"#,
        );
        assert!(errors(&foreign).contains(
            &"'sched.group' op holds 'func.call'; a group holds only 'einsum.op' ops and a 'sched.yield'".to_string()
        ));
    }

    #[test]
    fn verify_mappings_reports_at_each_einsum() {
        let text =
            module(&MAP.replace("sram_2MB\", \"dram\"], cuts = [3]", "sram_1MB\", \"dram\"], cuts = [3]"), GROUP_ATTRS);
        let (cx, m) = parse(&text);
        let diags = verify_mappings(&cx, m);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "'einsum.op' op mapping.I.levels: unknown memory 'sram_1MB' (tpu_like has rf_128B, rf_2B, sram_2MB, dram)"
        );
        let rendered = dnnc_ir::render_all(&diags, &cx.sources);
        assert!(rendered.starts_with("group.mlir:5:5: error: 'einsum.op' op mapping.I.levels"), "{rendered}");
    }
}
