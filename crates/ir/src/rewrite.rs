//! Rewriting: a [`Rewriter`] that records what it touches, rewrite patterns, and a greedy driver
//! that applies folds, dead-code elimination and patterns until nothing changes.
//!
//! Passes stay thin: a pass gathers patterns into a [`PatternSet`] and calls
//! [`apply_patterns_greedily`]; the patterns themselves live with their dialects and can be
//! reused by other passes.

use crate::attrs::Attribute;
use crate::context::{Context, OperationState};
use crate::diag::Diagnostic;
use crate::dialect::{FoldInput, FoldResult, Traits};
use crate::ids::{BlockId, OpId, TypeId, ValueId};
use indexmap::IndexMap;
use std::ops::Deref;

/// Mutates IR on behalf of a pattern and tells the driver which ops to revisit.
pub struct Rewriter<'a> {
    cx: &'a mut Context,
    touched: Vec<OpId>,
}

impl Deref for Rewriter<'_> {
    type Target = Context;
    fn deref(&self) -> &Context {
        self.cx
    }
}

impl<'a> Rewriter<'a> {
    pub fn new(cx: &'a mut Context) -> Self {
        Rewriter { cx, touched: Vec::new() }
    }

    /// Ops created, modified, or whose operands changed since the last call.
    pub fn take_touched(&mut self) -> Vec<OpId> {
        std::mem::take(&mut self.touched)
    }

    /// Direct access for changes the driver need not revisit (e.g. interning types).
    pub fn context_mut(&mut self) -> &mut Context {
        self.cx
    }

    /// Creates an op right before `anchor`, inheriting its location and source position when
    /// the state gives none, so provenance survives rewrites.
    pub fn create_before(&mut self, anchor: OpId, mut state: OperationState) -> OpId {
        if state.loc.is_unknown() {
            state.loc = self.cx.loc(anchor).clone();
        }
        let op = self.cx.create_op(state);
        self.cx.set_source_pos(op, self.cx.source_pos(anchor));
        self.cx.insert_op_before(anchor, op);
        self.touched.push(op);
        op
    }

    /// Replaces `op`'s results with `values` and erases it.
    pub fn replace_op(&mut self, op: OpId, values: &[ValueId]) {
        for r in self.cx.results(op) {
            self.touch_users(r);
        }
        self.touch_operand_defs(op);
        self.cx.replace_op(op, values);
    }

    /// Replaces `op` with a new op built from `state` (placed where `op` was) and returns it.
    pub fn replace_op_with(&mut self, op: OpId, state: OperationState) -> OpId {
        let new = self.create_before(op, state);
        let values: Vec<ValueId> = self.cx.results(new).collect();
        self.replace_op(op, &values);
        new
    }

    pub fn erase_op(&mut self, op: OpId) {
        self.touch_operand_defs(op);
        self.cx.erase_op(op);
    }

    pub fn replace_all_uses(&mut self, from: ValueId, to: ValueId) {
        self.touch_users(from);
        self.cx.replace_all_uses(from, to);
    }

    /// Sets an operand; the old operand's producer is revisited (it may have become dead).
    pub fn set_operand(&mut self, op: OpId, index: usize, v: ValueId) {
        if let Some(def) = self.cx.defining_op(self.cx.operand(op, index)) {
            self.touched.push(def);
        }
        self.cx.set_operand(op, index, v);
        self.touched.push(op);
    }

    pub fn set_attr(&mut self, op: OpId, key: &str, value: Attribute) {
        self.cx.set_attr(op, key, value);
        self.touched.push(op);
    }

    fn touch_users(&mut self, v: ValueId) {
        self.touched.extend(self.cx.uses(v).iter().map(|u| u.op));
    }

    fn touch_operand_defs(&mut self, op: OpId) {
        let defs: Vec<OpId> = self.cx.operands(op).iter().filter_map(|&v| self.cx.defining_op(v)).collect();
        self.touched.extend(defs);
    }
}

/// A local rewrite: matches at one op and, if it applies, changes the IR through the rewriter.
pub trait RewritePattern {
    /// A short name, for statistics and debugging.
    fn name(&self) -> &'static str;
    /// The op name this pattern matches, or `None` to be tried on every op.
    fn root(&self) -> Option<&'static str>;
    /// Tries to rewrite `op`; returns whether it changed anything.
    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool;
}

/// Patterns grouped by the op name they match.
#[derive(Default)]
pub struct PatternSet {
    by_root: IndexMap<&'static str, Vec<Box<dyn RewritePattern>>>,
    any: Vec<Box<dyn RewritePattern>>,
}

impl PatternSet {
    pub fn add(&mut self, p: impl RewritePattern + 'static) {
        match p.root() {
            Some(root) => self.by_root.entry(root).or_default().push(Box::new(p)),
            None => self.any.push(Box::new(p)),
        }
    }

    /// Every canonicalization pattern the context's dialects declare.
    pub fn canonicalization(cx: &Context) -> Self {
        let mut set = PatternSet::default();
        for d in cx.registry().dialects() {
            for op in d.ops {
                if let Some(add) = op.canonicalize {
                    add(&mut set);
                }
            }
        }
        set
    }

    pub fn len(&self) -> usize {
        self.by_root.values().map(Vec::len).sum::<usize>() + self.any.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn for_op(&self, name: &str) -> impl Iterator<Item = &dyn RewritePattern> {
        self.by_root.get(name).into_iter().flatten().chain(self.any.iter()).map(|b| &**b)
    }
}

/// What the greedy driver may do besides applying patterns.
#[derive(Clone, Copy, Debug)]
pub struct GreedyConfig {
    /// Call each op's fold hook.
    pub fold: bool,
    /// Erase pure ops whose results are unused.
    pub dce: bool,
    /// Give up (with an error) after this many rewrites; `None` means 10 × ops + 1000.
    pub max_rewrites: Option<usize>,
}

impl Default for GreedyConfig {
    fn default() -> Self {
        GreedyConfig { fold: true, dce: true, max_rewrites: None }
    }
}

/// Counts of what the greedy driver did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GreedyStats {
    pub folded: usize,
    /// Constants merged into an equal one or gathered at the top of their block.
    pub constants: usize,
    pub erased_dead: usize,
    /// Successful applications per pattern name.
    pub patterns: IndexMap<&'static str, usize>,
}

impl GreedyStats {
    pub fn changed(&self) -> bool {
        self.folded + self.constants + self.erased_dead + self.patterns.values().sum::<usize>() > 0
    }
}

/// Whether `op` can be deleted: pure and without used results.
pub fn is_trivially_dead(cx: &Context, op: OpId) -> bool {
    cx.op_def(op).is_some_and(|d| d.has(Traits::PURE)) && cx.results(op).all(|r| !cx.has_uses(r))
}

/// The constant a value is known to hold: the `value` attribute of a constant-like defining op.
pub fn constant_value(cx: &Context, v: ValueId) -> Option<&Attribute> {
    let op = cx.defining_op(v)?;
    if cx.op_def(op)?.has(Traits::CONSTANT_LIKE) { cx.attr(op, "value") } else { None }
}

/// Applies folds, dead-code elimination and `patterns` to everything nested in `root` until a
/// fixpoint. Errors if the rewrite budget runs out (a pattern loop).
pub fn apply_patterns_greedily(
    cx: &mut Context,
    root: OpId,
    patterns: &PatternSet,
    config: GreedyConfig,
) -> Result<GreedyStats, Diagnostic> {
    let initial = cx.nested_ops(root);
    let budget = config.max_rewrites.unwrap_or(10 * initial.len() + 1000);
    let mut in_list = vec![false; cx.ops.len()];
    for &op in &initial {
        in_list[op.index()] = true;
    }
    let mut worklist = initial;
    let mut rewrites = 0usize;
    let mut rw = Rewriter::new(cx);
    let mut stats = GreedyStats::default();
    let mut constants = if config.fold {
        let (cache, changes) = ConstantCache::collect(&mut rw, root);
        stats.constants = changes;
        cache
    } else {
        ConstantCache::default()
    };
    rw.take_touched();

    while let Some(op) = worklist.pop() {
        if op.index() < in_list.len() {
            in_list[op.index()] = false;
        }
        if rw.is_erased(op) || rw.parent_block(op).is_none() {
            continue;
        }
        let mut changed = false;
        if config.dce && is_trivially_dead(&rw, op) {
            rw.erase_op(op);
            stats.erased_dead += 1;
            changed = true;
        } else if config.fold && try_fold(&mut rw, op, &mut constants) {
            stats.folded += 1;
            changed = true;
        } else {
            let name = rw.name(op).to_string();
            for p in patterns.for_op(&name) {
                if p.match_and_rewrite(op, &mut rw) {
                    *stats.patterns.entry(p.name()).or_default() += 1;
                    changed = true;
                    // The op may still be live (rewritten in place): revisit it.
                    if !rw.is_erased(op) {
                        rw.touched.push(op);
                    }
                    break;
                }
            }
        }
        if changed {
            rewrites += 1;
            if rewrites > budget {
                return Err(Diagnostic::error(format!(
                    "greedy rewriting did not converge after {budget} rewrites (a pattern may undo another)"
                ))
                .at(rw.source_pos(root)));
            }
        }
        for t in rw.take_touched() {
            if t.index() >= in_list.len() {
                in_list.resize(t.index() + 1, false);
            }
            if !rw.is_erased(t) && !in_list[t.index()] {
                in_list[t.index()] = true;
                worklist.push(t);
            }
        }
    }
    Ok(stats)
}

/// The constants of each block, unique by value and type and gathered at the top of the block
/// in order of first appearance, so folds can share them and every use is dominated.
#[derive(Default)]
struct ConstantCache {
    by_value: std::collections::HashMap<(BlockId, Attribute, TypeId), OpId>,
    /// The last constant gathered at the top of each block: the next one goes after it.
    last: std::collections::HashMap<BlockId, OpId>,
}

impl ConstantCache {
    /// Gathers the existing constant-like ops under `root`, erasing duplicates; also returns
    /// how many constants were merged or moved.
    fn collect(rw: &mut Rewriter<'_>, root: OpId) -> (Self, usize) {
        let mut changes = 0;
        let mut cache = ConstantCache::default();
        let constants: Vec<OpId> = rw
            .nested_ops(root)
            .into_iter()
            .filter(|&o| rw.op_def(o).is_some_and(|d| d.has(Traits::CONSTANT_LIKE)) && rw.num_results(o) == 1)
            .collect();
        for op in constants {
            let Some(value) = rw.attr(op, "value").cloned() else {
                continue;
            };
            let block = rw.parent_block(op).expect("nested op is in a block");
            let key = (block, value, rw.value_type(rw.result(op, 0)));
            match cache.by_value.get(&key) {
                Some(&existing) => {
                    let v = rw.result(existing, 0);
                    rw.replace_op(op, &[v]);
                    changes += 1;
                }
                None => {
                    changes += usize::from(cache.place(rw.context_mut(), block, op));
                    cache.by_value.insert(key, op);
                }
            }
        }
        (cache, changes)
    }

    /// Moves (or inserts) constant `op` to the top of `block`, after the constants already
    /// there; returns whether it had to move.
    fn place(&mut self, cx: &mut Context, block: BlockId, op: OpId) -> bool {
        let after = self.last.get(&block).copied().filter(|&l| !cx.is_erased(l) && cx.parent_block(l) == Some(block));
        if after.is_some_and(|l| cx.next_op(l) == Some(op)) || (after.is_none() && cx.block_first(block) == Some(op)) {
            self.last.insert(block, op);
            return false;
        }
        cx.detach_op(op);
        match after {
            Some(l) => cx.insert_op_after(l, op),
            None => match cx.block_first(block) {
                Some(first) => cx.insert_op_before(first, op),
                None => cx.append_op(block, op),
            },
        }
        self.last.insert(block, op);
        true
    }
}

/// Runs `op`'s folder; on success replaces its results and erases it. Constants it produces
/// are materialized at the start of the op's block (so they dominate every use there) and
/// shared between folds.
fn try_fold(rw: &mut Rewriter<'_>, op: OpId, constants: &mut ConstantCache) -> bool {
    let Some(def) = rw.op_def(op) else {
        return false;
    };
    let Some(fold) = def.fold else { return false };
    if def.has(Traits::CONSTANT_LIKE) {
        return false;
    }
    let results = {
        let cx: &Context = rw;
        let constants: Vec<Option<&Attribute>> = cx.operands(op).iter().map(|&v| constant_value(cx, v)).collect();
        match fold(&FoldInput { cx, op, constants: &constants }) {
            Some(r) => r,
            None => return false,
        }
    };
    if results.len() != rw.num_results(op) {
        return false;
    }
    let mut values = Vec::with_capacity(results.len());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            FoldResult::Value(v) => values.push(v),
            FoldResult::Attr(attr) => {
                let ty = rw.value_type(rw.result(op, i));
                let block = rw.parent_block(op).expect("folded op is in a block");
                let key = (block, attr, ty);
                if let Some(&c) = constants.by_value.get(&key)
                    && !rw.is_erased(c)
                    && rw.parent_block(c) == Some(block)
                {
                    values.push(rw.result(c, 0));
                    continue;
                }
                let name = rw.name(op);
                let dialect = name.split_once('.').map_or(name, |(d, _)| d);
                let Some(materialize) = rw.registry().dialect(dialect).and_then(|d| d.materialize_constant) else {
                    return false;
                };
                let loc = rw.loc(op).clone();
                let pos = rw.source_pos(op);
                let Some(c) = materialize(rw.context_mut(), &key.1, ty) else {
                    return false;
                };
                let cx = rw.context_mut();
                cx.set_loc(c, loc);
                cx.set_source_pos(c, pos);
                // A new constant, not a move: counted as part of the fold.
                constants.place(cx, block, c);
                rw.touched.push(c);
                values.push(rw.result(c, 0));
                constants.by_value.insert(key, c);
            }
        }
    }
    if values.iter().zip(rw.results(op)).all(|(v, r)| *v == r) {
        return false;
    }
    rw.replace_op(op, &values);
    true
}
