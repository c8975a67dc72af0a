//! The IR API as passes use it: building, mutating, use lists, verification of programmatic
//! IR, the greedy driver, graph views and the pass manager — each behaviour pinned on IR built
//! or parsed in the test.

use dnnc_ir::dialect::{Dialect, OpDef, Traits, TypeConstraint, ValueSpec};
use dnnc_ir::graph::{BlockGraph, sort_topologically};
use dnnc_ir::pass::{PassOptions, PipelineError};
use dnnc_ir::{
    Attribute, Changed, Context, Diagnostics, DialectRegistry, GreedyConfig, Location, OpId, OperationState,
    ParseOptions, Pass, PassContext, PassInfo, PassManager, PassManagerOptions, PassRegistry, PatternSet, PrintOptions,
    RewritePattern, Rewriter, TypeId, apply_patterns_greedily, builtin, parse_source, print_module, verify,
};
use std::sync::Arc;

/// A tiny dialect for these tests: a pure `t.add`, a `t.src` source, a `t.sink` with side
/// effects, and an isolated `t.iso` with one region.
static OPS: [OpDef; 4] = [
    OpDef {
        operands: &[ValueSpec::variadic("in", TypeConstraint::Any)],
        results: &[ValueSpec::one("out", TypeConstraint::Any)],
        traits: Traits::PURE,
        ..OpDef::new("t.add", "pure op")
    },
    OpDef { results: &[ValueSpec::one("out", TypeConstraint::Any)], ..OpDef::new("t.src", "source") },
    OpDef { operands: &[ValueSpec::variadic("in", TypeConstraint::Any)], ..OpDef::new("t.sink", "side effect") },
    OpDef {
        regions: 1,
        traits: Traits::ISOLATED_FROM_ABOVE.union(Traits::NO_TERMINATOR),
        ..OpDef::new("t.iso", "isolated region")
    },
];
static T: Dialect =
    Dialect { name: "t", summary: "test", ops: &OPS, types: &[], attrs: &[], materialize_constant: None };

fn context() -> Context {
    Context::new(Arc::new(DialectRegistry::new().with(&T)))
}

fn parse(cx: &mut Context, text: &str) -> OpId {
    parse_source(cx, "test.mlir", text, ParseOptions::default()).unwrap_or_else(|d| panic!("{}", d.render(&cx.sources)))
}

fn print(cx: &Context, m: OpId) -> String {
    print_module(cx, m, PrintOptions::default())
}

#[test]
fn building_and_inserting_keeps_program_order() {
    let mut cx = context();
    let m = builtin::create_module(&mut cx);
    let body = cx.body(m, 0).unwrap();
    let (src, add, sink) = (cx.op_name("t.src"), cx.op_name("t.add"), cx.op_name("t.sink"));
    let a = cx.create_op(OperationState::new(src).results([TypeId::I32]).loc(Location::name("a")));
    let va = cx.result(a, 0);
    let s = cx.create_op(OperationState::new(sink).operands([va]));
    cx.append_op(body, a);
    cx.append_op(body, s);
    let b =
        cx.create_op(OperationState::new(add).operands([va, va]).results([TypeId::I32]).attr("k", Attribute::i64(2)));
    cx.insert_op_before(s, b);
    let vb = cx.result(b, 0);
    cx.set_operand(s, 0, vb);
    assert_eq!(cx.block_ops(body).collect::<Vec<_>>(), vec![a, b, s]);
    assert_eq!(cx.uses(va).len(), 2, "only t.add uses %a now");
    verify(&cx, m).unwrap();
    assert_eq!(
        print(&cx, m),
        "%0 = \"t.src\"() : () -> i32 loc(\"a\")\n%1 = \"t.add\"(%0, %0) {k = 2} : (i32, i32) -> i32\n\"t.sink\"(%1) : (i32) -> ()\n"
    );
}

#[test]
fn replace_and_erase_maintain_use_lists() {
    let mut cx = context();
    let m = parse(
        &mut cx,
        "%0 = \"t.src\"() : () -> i32\n%1 = \"t.src\"() : () -> i32\n%2 = \"t.add\"(%0, %0) : (i32, i32) -> i32\n\"t.sink\"(%2, %0) : (i32, i32) -> ()\n",
    );
    let ops: Vec<OpId> = cx.block_ops(cx.body(m, 0).unwrap()).collect();
    let (v0, v1, v2) = (cx.result(ops[0], 0), cx.result(ops[1], 0), cx.result(ops[2], 0));
    cx.replace_all_uses(v0, v1);
    assert!(!cx.has_uses(v0));
    assert_eq!(cx.uses(v1).len(), 3);
    cx.replace_op(ops[2], &[v1]);
    assert!(cx.is_erased(ops[2]));
    assert_eq!(cx.uses(v1).len(), 2, "the erased add no longer uses %1");
    assert!(!cx.has_uses(v2));
    cx.erase_op(ops[0]);
    verify(&cx, m).unwrap();
    assert_eq!(print(&cx, m), "%0 = \"t.src\"() : () -> i32\n\"t.sink\"(%0, %0) : (i32, i32) -> ()\n");
    assert_eq!(cx.num_live_ops(), 3, "module, src and sink remain");
}

#[test]
#[should_panic(expected = "still has uses")]
fn erasing_a_used_op_is_a_bug() {
    let mut cx = context();
    let m = parse(&mut cx, "%0 = \"t.src\"() : () -> i32\n\"t.sink\"(%0) : (i32) -> ()\n");
    let first = cx.block_first(cx.body(m, 0).unwrap()).unwrap();
    cx.erase_op(first);
}

#[test]
fn verifier_rejects_values_captured_across_isolation() {
    // The parser cannot produce this (names do not cross isolated regions), a pass can.
    let mut cx = context();
    let m = parse(&mut cx, "%0 = \"t.src\"() : () -> i32\n\"t.iso\"() ({\n  \"t.sink\"() : () -> ()\n}) : () -> ()\n");
    let ops: Vec<OpId> = cx.block_ops(cx.body(m, 0).unwrap()).collect();
    let sink = cx.block_first(cx.body(ops[1], 0).unwrap()).unwrap();
    let outer = cx.result(ops[0], 0);
    let sink_name = cx.name_id(sink);
    let bad = cx.create_op(OperationState::new(sink_name).operands([outer]));
    cx.insert_op_before(sink, bad);
    let errs = verify(&cx, m).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("defined outside an isolated-from-above region"), "{}", errs[0].message);
}

#[test]
fn verifier_collects_every_error() {
    let mut cx = context();
    cx.set_allow_unregistered(true);
    let m = parse(&mut cx, "\"x.a\"() : () -> ()\n\"t.iso\"() ({\n}) : () -> ()\n");
    cx.set_allow_unregistered(false);
    let errs = verify(&cx, m).unwrap_err();
    let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("'x.a' op is not registered"));
}

/// A pattern that swaps the operands of `t.add` forever.
struct Flip;
impl RewritePattern for Flip {
    fn name(&self) -> &'static str {
        "flip"
    }
    fn root(&self) -> Option<&'static str> {
        Some("t.add")
    }
    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let (a, b) = (rw.operand(op, 0), rw.operand(op, 1));
        rw.set_operand(op, 0, b);
        rw.set_operand(op, 1, a);
        true
    }
}

#[test]
fn greedy_driver_stops_pattern_loops_with_an_error() {
    let mut cx = context();
    let m = parse(
        &mut cx,
        "%0 = \"t.src\"() : () -> i32\n%1 = \"t.src\"() : () -> i32\n%2 = \"t.add\"(%0, %1) : (i32, i32) -> i32\n\"t.sink\"(%2) : (i32) -> ()\n",
    );
    let mut set = PatternSet::default();
    set.add(Flip);
    let err = apply_patterns_greedily(&mut cx, m, &set, GreedyConfig { max_rewrites: Some(50), ..Default::default() })
        .unwrap_err();
    assert!(err.message.contains("did not converge after 50 rewrites"));
}

#[test]
fn greedy_driver_erases_dead_pure_ops_transitively() {
    let mut cx = context();
    let m = parse(
        &mut cx,
        "%0 = \"t.src\"() : () -> i32\n%1 = \"t.add\"(%0) : (i32) -> i32\n%2 = \"t.add\"(%1, %1) : (i32, i32) -> i32\n",
    );
    let stats = apply_patterns_greedily(&mut cx, m, &PatternSet::default(), GreedyConfig::default()).unwrap();
    assert_eq!(stats.erased_dead, 2, "both adds die; the source has effects and stays");
    assert_eq!(print(&cx, m), "%0 = \"t.src\"() : () -> i32\n");
}

#[test]
fn block_graph_orders_stably_and_finds_cycles() {
    let mut cx = context();
    cx.set_allow_unregistered(true);
    let m = parse(
        &mut cx,
        "%0 = \"t.add\"(%2) : (i32) -> i32\n\"t.sink\"() : () -> ()\n%1 = \"t.src\"() : () -> i32\n%2 = \"t.add\"(%1) : (i32) -> i32\n",
    );
    let body = cx.body(m, 0).unwrap();
    let g = BlockGraph::new(&cx, body);
    assert_eq!(g.find_cycle(), None);
    assert!(sort_topologically(&mut cx, body).unwrap());
    let names: Vec<&str> = cx.block_ops(body).map(|o| cx.name(o)).collect();
    assert_eq!(names, ["t.sink", "t.src", "t.add", "t.add"]);
    assert!(!sort_topologically(&mut cx, body).unwrap(), "already sorted");

    let m2 = parse(&mut cx, "%0 = \"t.add\"(%1) : (i32) -> i32\n%1 = \"t.add\"(%0) : (i32) -> i32\n");
    let body2 = cx.body(m2, 0).unwrap();
    let cycle = BlockGraph::new(&cx, body2).find_cycle().unwrap();
    assert_eq!(cycle.len(), 2);
    assert!(sort_topologically(&mut cx, body2).is_err());
}

/// A pass that breaks the IR: it erases the first source, leaving its uses dangling.
struct Vandal;
impl Pass for Vandal {
    fn run(&mut self, cx: &mut Context, op: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let src = cx.nested_ops(op).into_iter().find(|&o| cx.is(o, "t.src")).unwrap();
        let v = cx.result(src, 0);
        // Detach the uses by hand so `erase_op` accepts it, as a buggy pass might.
        let dummy = cx.create_block(&[TypeId::I32]);
        let other = cx.block_args(dummy)[0];
        cx.replace_all_uses(v, other);
        cx.erase_op(src);
        pcx.add_stat("vandalised", 1);
        Ok(Changed::Yes)
    }
}

static VANDAL: PassInfo = PassInfo {
    argument: "vandal",
    summary: "breaks the IR",
    description: "",
    anchor: None,
    options: &[],
    statistics: &[("vandalised", "ops broken")],
    create: |_: &PassOptions| Ok(Box::new(Vandal)),
};

#[test]
fn pass_manager_verifies_after_each_pass_and_names_the_culprit() {
    let mut cx = context();
    let m = parse(&mut cx, "%0 = \"t.src\"() : () -> i32\n\"t.sink\"(%0) : (i32) -> ()\n");
    let registry = PassRegistry::new(&[&VANDAL]);
    let mut pm = PassManager::parse("builtin.module(vandal)", &registry, PassManagerOptions::default()).unwrap();
    let err: PipelineError = pm.run(&mut cx, m, &mut std::io::sink()).unwrap_err();
    assert_eq!(err.to_string(), "verification failed after pass 'vandal'");
    assert!(
        err.diagnostics[0].message.contains("uses a value of a block that is not in any region"),
        "{:?}",
        err.diagnostics
    );

    let mut cx = context();
    let m = parse(&mut cx, "%0 = \"t.src\"() : () -> i32\n\"t.sink\"(%0) : (i32) -> ()\n");
    let opts = PassManagerOptions { verify_each: false, ..Default::default() };
    let mut pm = PassManager::parse("vandal", &registry, opts).unwrap();
    let report = pm.run(&mut cx, m, &mut std::io::sink()).unwrap();
    assert!(report.changed);
    assert_eq!(report.statistics["vandal"]["vandalised"], 1);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let mut cx = context();
    cx.set_allow_unregistered(true);
    for depth in [65, 5000] {
        let text = format!("\"x.y\"() {{a = {}{}}} : () -> ()\n", "[".repeat(depth), "]".repeat(depth));
        let err = parse_source(&mut cx, "deep.mlir", &text, ParseOptions::default()).unwrap_err();
        assert!(err.message.contains("nesting is deeper") || err.message.contains("stack limit"), "{}", err.message);
    }
    let ok = format!("\"x.y\"() {{a = {}{}}} : () -> ()\n", "[".repeat(63), "]".repeat(63));
    let m = parse(&mut cx, &ok);
    assert_eq!(print(&cx, m), ok);
}

#[test]
fn parse_errors_point_at_the_token() {
    let mut cx = context();
    let text = "%0 = \"t.src\"() : () -> i32\n\"t.sink\"(%0, %nope) : (i32, i32) -> ()\n";
    let err = parse_source(&mut cx, "e.mlir", text, ParseOptions::default()).unwrap_err();
    let pos = err.pos.unwrap();
    assert_eq!((pos.line, pos.col), (2, 14));
    assert_eq!(
        err.render(&cx.sources),
        "e.mlir:2:14: error: use of undeclared SSA value '%nope'\n\"t.sink\"(%0, %nope) : (i32, i32) -> ()\n             ^\n"
    );
}
