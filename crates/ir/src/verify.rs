//! The verifier: structural invariants plus each op's declared signature and custom checks.
//!
//! Structure: use lists agree with operands, values dominate their uses (earlier in the same
//! block or in an enclosing block, never across an isolated-from-above boundary; graph regions
//! are exempt from ordering), terminators end blocks that need them. Signature: operand and
//! result counts and type constraints, required attributes and their kinds, region counts.
//! Every problem found is reported, each at its op's position. Runs in time linear in the IR.

use crate::context::{Context, Use, ValueDef};
use crate::diag::{Diagnostic, Diagnostics};
use crate::dialect::{Arity, OpDef, Traits, ValueSpec};
use crate::ids::{OpId, ValueId};

/// Verifies `root` and everything nested in it.
pub fn verify(cx: &Context, root: OpId) -> Result<(), Diagnostics> {
    let mut v = Verifier { cx, diags: Vec::new(), position: vec![0; cx.ops.len()] };
    v.number_ops(root);
    v.op(root);
    if v.diags.is_empty() { Ok(()) } else { Err(v.diags) }
}

struct Verifier<'a> {
    cx: &'a Context,
    diags: Diagnostics,
    /// Index of each op within its block, for dominance checks.
    position: Vec<u32>,
}

impl Verifier<'_> {
    fn number_ops(&mut self, root: OpId) {
        let cx = self.cx;
        let mut stack = vec![root];
        while let Some(op) = stack.pop() {
            for &r in cx.regions(op) {
                for &b in cx.region_blocks(r) {
                    for (i, o) in cx.block_ops(b).enumerate() {
                        self.position[o.index()] = i as u32;
                        stack.push(o);
                    }
                }
            }
        }
    }

    fn error(&mut self, op: OpId, msg: String) {
        let text = format!("'{}' op {msg}", self.cx.name(op));
        self.diags.push(Diagnostic::at_op(self.cx, op, text));
    }

    fn op(&mut self, root: OpId) {
        let cx = self.cx;
        let mut stack = vec![root];
        while let Some(op) = stack.pop() {
            self.check_op(op);
            // Push in reverse so ops are checked (and reported) in program order.
            for &r in cx.regions(op).iter().rev() {
                for &b in cx.region_blocks(r).iter().rev() {
                    let ops: Vec<OpId> = cx.block_ops(b).collect();
                    stack.extend(ops.into_iter().rev());
                }
            }
        }
    }

    fn check_op(&mut self, op: OpId) {
        let cx = self.cx;
        if cx.is_erased(op) {
            self.error(op, "was erased but is still in a block".into());
            return;
        }
        self.check_operands(op);
        self.check_results(op);
        let Some(def) = cx.op_def(op) else {
            if !cx.allows_unregistered() {
                self.error(op, "is not registered (use --allow-unregistered-dialect to accept it)".into());
            }
            return;
        };
        self.check_values(op, def, "operand", cx.operands(op).to_vec(), def.operands);
        self.check_values(op, def, "result", cx.results(op).collect(), def.results);
        self.check_attrs(op, def);
        self.check_regions(op, def);
        if def.has(Traits::SAME_OPERANDS_AND_RESULT_TYPE) {
            let mut types = cx.operands(op).iter().copied().chain(cx.results(op)).map(|v| cx.value_type(v));
            if let Some(first) = types.next()
                && types.any(|t| t != first)
            {
                self.error(op, "requires the same type for all operands and results".into());
            }
        }
        if def.has(Traits::TERMINATOR) && cx.next_op(op).is_some() {
            self.error(op, "must be the last operation in its block".into());
        }
        if let Some(verify) = def.verify {
            let mut msgs = Vec::new();
            verify(cx, op, &mut msgs);
            for m in msgs {
                self.error(op, m);
            }
        }
    }

    /// Use-def consistency and dominance of each operand.
    fn check_operands(&mut self, op: OpId) {
        let cx = self.cx;
        for (i, &v) in cx.operands(op).iter().enumerate() {
            if v.index() >= cx.values.len() {
                self.error(op, format!("operand #{i} is not a value of this context"));
                continue;
            }
            if !cx.uses(v).contains(&Use { op, index: i as u32 }) {
                self.error(op, format!("operand #{i} is missing from its value's use list"));
            }
            if let Err(msg) = self.dominates(v, op) {
                self.error(op, format!("operand #{i} {msg}"));
            }
        }
    }

    fn check_results(&mut self, op: OpId) {
        let cx = self.cx;
        for (i, r) in cx.results(op).enumerate() {
            for u in cx.uses(r) {
                let ok = !cx.is_erased(u.op) && cx.operands(u.op).get(u.index as usize) == Some(&r);
                if !ok {
                    self.error(op, format!("result #{i} lists a use that does not refer to it"));
                }
            }
        }
    }

    /// Whether `v` is visible at `user`: `Err` carries the reason it is not.
    fn dominates(&self, v: ValueId, user: OpId) -> Result<(), &'static str> {
        let cx = self.cx;
        let (def_block, def_op) = match cx.value_def(v) {
            ValueDef::OpResult { op, .. } => {
                if cx.is_erased(op) {
                    return Err("uses a value whose defining op was erased");
                }
                (cx.parent_block(op), Some(op))
            }
            ValueDef::BlockArg { block, .. } => (Some(block), None),
        };
        let Some(def_block) = def_block else {
            return Err("uses a value that is not in any block");
        };
        if cx.block_region(def_block).is_none() {
            return Err("uses a value of a block that is not in any region");
        }
        // Climb from the user to the ancestor that lives in the defining block.
        let mut anchor = user;
        loop {
            let Some(block) = cx.parent_block(anchor) else {
                return Err("uses a value that is not visible here");
            };
            if block == def_block {
                break;
            }
            let Some(parent) = cx.block_parent_op(block) else {
                return Err("uses a value that is not visible here");
            };
            if cx.op_def(parent).is_some_and(|d| d.has(Traits::ISOLATED_FROM_ABOVE)) {
                return Err(if self.encloses(def_block, parent) {
                    "uses a value defined outside an isolated-from-above region"
                } else {
                    "uses a value that is not visible here"
                });
            }
            anchor = parent;
        }
        let Some(def_op) = def_op else { return Ok(()) };
        if def_op == anchor {
            return Err("uses a value defined by the op that encloses it");
        }
        let graph =
            cx.block_parent_op(def_block).and_then(|p| cx.op_def(p)).is_some_and(|d| d.has(Traits::GRAPH_REGION));
        if !graph && self.position[def_op.index()] > self.position[anchor.index()] {
            return Err("does not dominate this use (it is defined later in the block)");
        }
        Ok(())
    }

    /// Whether `op` is nested (at any depth) in `block`.
    fn encloses(&self, block: crate::ids::BlockId, mut op: OpId) -> bool {
        loop {
            match self.cx.parent_block(op) {
                Some(b) if b == block => return true,
                Some(b) => match self.cx.block_parent_op(b) {
                    Some(p) => op = p,
                    None => return false,
                },
                None => return false,
            }
        }
    }

    fn check_values(&mut self, op: OpId, _def: &OpDef, what: &str, values: Vec<ValueId>, specs: &[ValueSpec]) {
        let cx = self.cx;
        let singles = specs.iter().filter(|s| s.arity == Arity::Single).count();
        let optional = specs.iter().filter(|s| s.arity == Arity::Optional).count();
        let variadic = specs.iter().any(|s| s.arity == Arity::Variadic);
        let n = values.len();
        let ok = if variadic { n >= singles } else { n >= singles && n <= singles + optional };
        if !ok {
            let expected = if variadic {
                format!("at least {singles}")
            } else if optional > 0 {
                format!("{singles} to {}", singles + optional)
            } else {
                singles.to_string()
            };
            self.error(op, format!("expects {expected} {what}s but has {n}"));
            return;
        }
        // Segment values into groups; only unambiguous with at most one non-single group.
        if specs.len() - singles > 1 {
            return;
        }
        let extra = n - singles;
        let mut idx = 0;
        for spec in specs {
            let take = if spec.arity == Arity::Single { 1 } else { extra };
            for &v in &values[idx..idx + take] {
                let ty = cx.value_type(v);
                if !spec.constraint.accepts(cx.type_data(ty)) {
                    let msg = format!(
                        "{what} #{idx} ('{}') must be {}, but is '{}'",
                        spec.name,
                        spec.constraint.describe(),
                        cx.show_type(ty)
                    );
                    self.error(op, msg);
                }
                idx += 1;
            }
        }
    }

    fn check_attrs(&mut self, op: OpId, def: &OpDef) {
        let cx = self.cx;
        for spec in def.attrs {
            match cx.attr(op, spec.name) {
                None if spec.required => self.error(op, format!("requires attribute '{}'", spec.name)),
                Some(a) if !spec.kind.accepts(a) => self.error(
                    op,
                    format!("attribute '{}' must be {}, but is {}", spec.name, spec.kind.describe(), a.kind_name()),
                ),
                _ => {}
            }
        }
    }

    fn check_regions(&mut self, op: OpId, def: &OpDef) {
        let cx = self.cx;
        let regions = cx.regions(op);
        if regions.len() != def.regions {
            self.error(op, format!("expects {} regions but has {}", def.regions, regions.len()));
            return;
        }
        for (ri, &r) in regions.iter().enumerate() {
            let blocks = cx.region_blocks(r);
            if def.has(Traits::SINGLE_BLOCK) && blocks.len() > 1 {
                self.error(op, format!("region #{ri} must have at most one block, but has {}", blocks.len()));
            }
            if def.has(Traits::NO_TERMINATOR) {
                continue;
            }
            for &b in blocks {
                match cx.block_last(b) {
                    None => self.error(op, format!("region #{ri} has a block with no terminator")),
                    Some(last) => {
                        let terminates = cx.op_def(last).is_none_or(|d| d.has(Traits::TERMINATOR));
                        if !terminates {
                            self.error(
                                op,
                                format!(
                                    "region #{ri} has a block that does not end in a terminator (ends in '{}')",
                                    cx.name(last)
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}
