//! `fuse`: decides which layers run as fused groups so the intermediates between them stay
//! on chip, and rewrites each group into a `sched.group` region holding its einsums.
//!
//! Candidates are MAC einsums feeding a later MAC einsum's input directly or through vector
//! einsums (bias, activation, residual add), whose intermediate can live in a memory both
//! share across the array. The decision is FADiff's: fusion probabilities descended on the
//! cost model (`dnnc_search::fusion`, which also prices the vector einsums on each candidate's
//! path: off chip until the path fuses), rounded, repaired to fit, polished. A group whose
//! einsums are interleaved with ops that use its intermediate values is left unfused (it could
//! not be one region). A group whose live values do not fit the activation memory whole streams
//! in equal steps along a dimension that indexes every operand of its MAC einsums (attention's
//! heads, `dnnc_einsum::stream_dims`): `tile_dim` and `tiles` on the `sched.group`. Runs after
//! `tile`, whose mappings it reads; with `joint` the mappings and the fusion decision are then
//! refined together (`dnnc_search::joint`), a producer of fused vector work may be reordered so
//! that work hides behind it (`dnnc_search::overlap`), and the einsums whose tiling changed get
//! their new `mapping`.

use std::collections::HashMap;

use dnnc_arch::{Accelerator, Operand};
use dnnc_cost::{Layer, Mapping};
use dnnc_einsum::{Einsum, MAC_PATH_LIMIT, Stream, layer_name, mac_producer, stream_dims};
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{
    Attribute, BlockId, Changed, Context, Diagnostic, Diagnostics, OpId, OperationState, Pass, PassContext, PassInfo,
    ValueId,
};
use dnnc_search::Objective;
use dnnc_search::fusion::{Edge, PathOp, Problem, evaluate_decision, intermediate_memory, search_fusion};
use dnnc_search::joint;
use dnnc_search::overlap::reorder_for_overlap;

pub static INFO: PassInfo = PassInfo {
    argument: "fuse",
    summary: "Fuse layers into sched.group regions so intermediates stay on chip",
    description: "After `tile`: every intermediate between two MAC einsums (directly or through \
        vector einsums) that a shared on-chip memory can hold gets a fusion probability; the \
        probabilities descend the cost model (each layer's cost blended with its intermediates \
        on and off chip, the vector einsums on a candidate's path priced at their off-chip round \
        trip until an edge through them fuses, a capacity barrier on the memory), are rounded, repaired until every \
        group fits, and polished by single flips on the exact cost. With `joint`, every MAC \
        einsum's tile sizes and the fusion probabilities then descend one loss together \
        (loop orders and allocation kept), are rounded, polished by an exact local search over \
        the tile sizes in the fused context, re-decided, and replace the two-step result only \
        if they beat it on the exact cost. Then each MAC einsum whose output fused vector \
        einsums work on may take a loop order that finishes that output in more steps (a \
        stream loop hoisted outermost, a reduction loop moved inward), so the vector unit works \
        beside the array, when the network's exact objective improves. Vector einsums between a group's einsums that read \
        its values, and vector einsums after it that read only its values (a residual add and \
        its ReLU), join it when the values it then keeps live fit the activation memory. A group \
        whose live values do not fit whole streams in the fewest equal steps that fit along a \
        dimension that indexes every operand of its MAC einsums (attention's heads; `tile_dim`, \
        `tiles`). Each group becomes a `sched.group` whose `intermediates` say what stays on \
        chip and where.",
    anchor: None,
    options: &[
        crate::target::ARCH,
        crate::target::CAPACITY,
        crate::target::OBJECTIVE,
        PassOptionDef { name: "steps", kind: OptionKind::UInt, default: "100", help: "gradient steps" },
        PassOptionDef {
            name: "joint",
            kind: OptionKind::Bool,
            default: "false",
            help: "refine tile sizes and fusion together after the fusion search",
        },
        PassOptionDef {
            name: "max-depth",
            kind: OptionKind::UInt,
            default: "0",
            help: "most MAC einsums in one group (0: no limit)",
        },
    ],
    statistics: &[
        ("candidates", "intermediates that could stay on chip"),
        ("fused", "intermediates kept on chip"),
        ("groups", "sched.group regions created"),
        ("retiled", "MAC einsums whose tile sizes the joint refinement changed"),
        ("reordered", "MAC einsums whose loop order changed so fused vector work hides behind them"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    let (arch, objective) = crate::target::read(opts)?;
    Ok(Box::new(Fuse {
        arch,
        objective,
        steps: opts.uint("steps") as usize,
        max_depth: opts.uint("max-depth") as usize,
        joint: opts.bool("joint"),
    }))
}

struct Fuse {
    arch: Accelerator,
    objective: Objective,
    steps: usize,
    max_depth: usize,
    joint: bool,
}

/// A candidate edge with the vector einsums on its path.
struct Candidate {
    edge: Edge,
    path: Vec<OpId>,
}

impl Pass for Fuse {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut blocks: Vec<BlockId> = Vec::new();
        for op in cx.nested_ops(root) {
            if Einsum::of(cx, op).is_some()
                && let Some(b) = cx.parent_block(op)
                && !blocks.contains(&b)
            {
                blocks.push(b);
            }
        }
        let (mut candidates_total, mut fused_total, mut groups_total, mut retiled_total) = (0u64, 0u64, 0u64, 0u64);
        let mut reordered_total = 0u64;
        for block in blocks {
            let (c, f, g, r, o) = self.fuse_block(cx, block)?;
            reordered_total += o;
            candidates_total += c;
            fused_total += f;
            groups_total += g;
            retiled_total += r;
        }
        pcx.add_stat("candidates", candidates_total);
        pcx.add_stat("fused", fused_total);
        pcx.add_stat("groups", groups_total);
        pcx.add_stat("retiled", retiled_total);
        pcx.add_stat("reordered", reordered_total);
        Ok((groups_total > 0).into())
    }
}

impl Fuse {
    fn fuse_block(&self, cx: &mut Context, block: BlockId) -> Result<(u64, u64, u64, u64, u64), Diagnostics> {
        let arch = &self.arch;
        let order: Vec<OpId> = cx.block_ops(block).collect();
        let pos: HashMap<OpId, usize> = order.iter().enumerate().map(|(i, &o)| (o, i)).collect();
        let mut macs = Vec::new();
        let mut layers: Vec<Layer> = Vec::new();
        let mut mappings: Vec<Mapping<f64>> = Vec::new();
        let mut vectors = Vec::new();
        for &op in &order {
            let Some(e) = Einsum::of(cx, op) else { continue };
            if e.kind != "mac" {
                vectors.push(op);
                continue;
            }
            let Some(attr) = cx.attr(op, "mapping") else {
                return Err(vec![Diagnostic::at_op(cx, op, "fuse needs every MAC einsum mapped (run tile first)")]);
            };
            let layer = dnnc_cost::layer_of(cx, op, &layer_name(cx.loc(op)), arch.array.precision)
                .map_err(|e| vec![Diagnostic::at_op(cx, op, e.to_string())])?;
            let mapping =
                dnnc_sched::mapping_from_attr(attr, arch, &layer).map_err(|e| vec![Diagnostic::at_op(cx, op, e)])?;
            macs.push(op);
            layers.push(layer);
            mappings.push(mapping);
        }
        let index: HashMap<OpId, usize> = macs.iter().enumerate().map(|(i, &o)| (o, i)).collect();
        let mut candidates = Vec::new();
        for (ci, &c) in macs.iter().enumerate() {
            for (slot, operand) in [(0, Operand::I), (1, Operand::W)] {
                let Some(&v) = cx.operands(c).get(slot) else { continue };
                let Some((p, path)) = mac_producer(cx, v, MAC_PATH_LIMIT) else { continue };
                let Some(&pi) = index.get(&p) else { continue };
                if pi >= ci || intermediate_memory(arch, &mappings[pi], &mappings[ci], operand).is_none() {
                    continue;
                }
                // Streamable along a dimension that partitions every operand (attention's
                // heads): the search may then count one step's slice of the intermediate.
                let mut chain = vec![p];
                chain.extend(path.iter().rev().copied());
                chain.push(c);
                let steps = stream_dims(cx, &chain).filter(|s| s.partitions_macs).map_or(1, |s| s.extent.max(1) as u64);
                candidates.push(Candidate { edge: Edge { producer: pi, consumer: ci, operand, steps }, path });
            }
        }
        if candidates.is_empty() {
            return Ok((0, 0, 0, 0, 0));
        }
        // Vector einsums on a candidate's path are priced by the decision; the rest are a
        // constant at their on-chip cost.
        let mut other = (0.0, 0.0);
        let mut path_ops = Vec::new();
        let stream_dims = producer_stream_dims(cx, &candidates, &macs, &pos);
        for &op in &vectors {
            let on_chip = dnnc_sched::recorded_vector_cost(cx, op);
            let edges: Vec<usize> =
                candidates.iter().enumerate().filter(|(_, c)| c.path.contains(&op)).map(|(k, _)| k).collect();
            if edges.is_empty() {
                other.0 += on_chip.energy;
                other.1 += on_chip.latency;
            } else {
                let alone = dnnc_sched::vector_cost_alone(cx, arch, op);
                let producer = candidates[edges[0]].edge.producer;
                path_ops.push(PathOp {
                    edges,
                    on_chip: (on_chip.energy, on_chip.latency),
                    off_chip: (alone.energy, alone.latency),
                    producer,
                    stream_dims: stream_dims.get(&producer).cloned().unwrap_or_default(),
                });
            }
        }
        let mut problem = Problem {
            arch,
            layers: &layers,
            mappings: &mappings,
            other,
            edges: candidates.iter().map(|c| c.edge.clone()).collect(),
            path_ops,
        };
        let value = |(e, l, fits): (f64, f64, bool)| if fits { self.objective.value_of(e, l) } else { f64::INFINITY };
        let mut decision = search_fusion(&problem, self.objective, self.steps);
        let mut fused = self.regions(cx, &problem.edges, decision.fused.clone(), &candidates, &macs, &order, &pos);
        // Streaming lets more intermediates fit, but a group that then cannot stream as a whole
        // is cut back by `regions` in its own way: the decision made without any streaming
        // competes, and wins ties.
        if problem.edges.iter().any(|e| e.steps > 1) {
            let whole = Problem {
                edges: problem.edges.iter().map(|e| Edge { steps: 1, ..e.clone() }).collect(),
                path_ops: problem.path_ops.clone(),
                ..problem
            };
            let whole_decision = search_fusion(&whole, self.objective, self.steps);
            let whole_fused =
                self.regions(cx, &whole.edges, whole_decision.fused.clone(), &candidates, &macs, &order, &pos);
            if value(evaluate_decision(&whole, &whole_fused)) <= value(evaluate_decision(&problem, &fused)) {
                problem = whole;
                decision = whole_decision;
                fused = whole_fused;
            }
        }
        let memory = decision.memory.map(|m| arch.memories[m].name.clone()).unwrap_or_default();
        let mut retiled = 0;
        let mut current = mappings.clone();
        // The joint refinement competes with the two-step result after both are made into
        // regions (which may unfuse edges), on the exact cost.
        if self.joint
            && let Some(refined) = joint::refine(&problem, &decision, self.objective, self.steps)
        {
            let after = Problem {
                mappings: &refined.mappings,
                edges: problem.edges.clone(),
                path_ops: problem.path_ops.clone(),
                ..problem
            };
            let joint_fused =
                self.regions(cx, &after.edges, refined.decision.fused.clone(), &candidates, &macs, &order, &pos);
            if value(evaluate_decision(&after, &joint_fused)) < value(evaluate_decision(&problem, &fused)) {
                retiled = mappings.iter().zip(&refined.mappings).filter(|(old, new)| old != new).count() as u64;
                current = refined.mappings;
                fused = joint_fused;
            }
        }
        // Loop orders that let the fused vector work hide behind its producer.
        let now =
            Problem { mappings: &current, edges: problem.edges.clone(), path_ops: problem.path_ops.clone(), ..problem };
        let mut reordered = 0;
        if let Some(better) = reorder_for_overlap(&now, &fused, self.objective) {
            reordered = current.iter().zip(&better).filter(|(old, new)| old != new).count() as u64;
            current = better;
        }
        for (j, (old, new)) in mappings.iter().zip(&current).enumerate() {
            if old != new {
                let cost = dnnc_cost::evaluate(arch, &layers[j], new);
                cx.set_attr(macs[j], "mapping", dnnc_sched::mapping_attr_with_cost(arch, &layers[j], new, &cost));
            }
        }
        let groups = components(macs.len(), &problem.edges, &fused);
        let mut made = 0;
        for g in groups.iter().filter(|g| g.len() > 1) {
            let mut ops = group_ops(g, &candidates, &fused, &macs, &pos);
            let between = absorb_vector_between(cx, &mut ops, &order, &pos);
            let mut tails = absorb_vector_tails(cx, &mut ops, &order, &pos, self.capacity_bits(), self.bits());
            tails.extend(between);
            let positions: HashMap<OpId, usize> = ops.iter().enumerate().map(|(i, &o)| (o, i)).collect();
            // Every value on a fused path stays on chip: producer → vector einsums → consumer,
            // one intermediate per direct use.
            let mut intermediates: Vec<Attribute> = Vec::new();
            for (c, _) in candidates.iter().zip(&fused).filter(|(c, f)| **f && g.contains(&c.edge.producer)) {
                let mut chain = vec![macs[c.edge.producer]];
                chain.extend(c.path.iter().rev().copied());
                chain.push(macs[c.edge.consumer]);
                for pair in chain.windows(2) {
                    let attr = dnnc_sched::Intermediate {
                        producer: positions[&pair[0]],
                        consumer: positions[&pair[1]],
                        memory: memory.clone(),
                        fused: true,
                    }
                    .to_attr();
                    if !intermediates.contains(&attr) {
                        intermediates.push(attr);
                    }
                }
            }
            // A vector tail reads its group's values on chip.
            for (producer, consumer) in tails {
                let attr = dnnc_sched::Intermediate {
                    producer: positions[&producer],
                    consumer: positions[&consumer],
                    memory: memory.clone(),
                    fused: true,
                }
                .to_attr();
                if !intermediates.contains(&attr) {
                    intermediates.push(attr);
                }
            }
            // A group whose values fit whole runs in one step along its last einsum's
            // outermost dimension; one that does not streams in the fewest steps that fit.
            let last = *ops.last().expect("a group has einsums");
            let (tiles, stream) = self.steps(cx, &ops).unwrap_or((1, None));
            let tile_dim = Einsum::of(cx, last)
                .and_then(|e| {
                    let d = stream.as_ref().map_or(0, |s| *s.dims.last().expect("one dim per einsum"));
                    e.dims.get(d).map(|d| d.to_string())
                })
                .unwrap_or_default();
            build_group(cx, &ops, &tile_dim, tiles, intermediates, &arch.name);
            made += 1;
        }
        let fused_count = fused.iter().filter(|&&f| f).count() as u64;
        Ok((candidates.len() as u64, fused_count, made, retiled, reordered))
    }
}

/// Per MAC producer (index into `macs`) with vector einsums on candidate paths: its
/// dimensions along which it and all those einsums stream together (`dnnc_einsum::streams`),
/// sorted. A vector einsum on a path has one producer: `mac_producer` follows one input back.
fn producer_stream_dims(
    cx: &Context,
    candidates: &[Candidate],
    macs: &[OpId],
    pos: &HashMap<OpId, usize>,
) -> HashMap<usize, Vec<usize>> {
    let mut paths: HashMap<usize, Vec<OpId>> = HashMap::new();
    for c in candidates {
        let ops = paths.entry(c.edge.producer).or_default();
        for &op in &c.path {
            if !ops.contains(&op) {
                ops.push(op);
            }
        }
    }
    paths
        .into_iter()
        .map(|(producer, mut ops)| {
            ops.sort_by_key(|op| pos[op]);
            let mut chain = vec![macs[producer]];
            chain.extend(ops);
            (producer, dnnc_einsum::chain_stream_dims(cx, &chain))
        })
        .collect()
}

impl Fuse {
    /// The largest on-chip memory that holds activations (where fused intermediates live).
    fn capacity_bits(&self) -> Option<f64> {
        let arch = &self.arch;
        let top = arch.memories.len().checked_sub(1)?;
        arch.memories[..top]
            .iter()
            .filter(|m| m.operands.contains(&Operand::I) && m.operands.contains(&Operand::O))
            .map(|m| m.size_bits as f64)
            .reduce(f64::max)
    }

    /// Bits of one activation element.
    fn bits(&self) -> f64 {
        self.arch.array.precision.output_bits as f64
    }

    /// The steps group `ops` runs in: 1 if the values it keeps live fit the activation memory
    /// whole; else the fewest equal steps along a stream that partitions every operand
    /// (`stream_dims`) that make one step's slice fit, with that stream. `None` if neither.
    fn steps(&self, cx: &Context, ops: &[OpId]) -> Option<(u64, Option<Stream>)> {
        let capacity = self.capacity_bits()?;
        let peak = peak_live_bits(cx, ops, self.bits());
        if peak <= capacity {
            return Some((1, None));
        }
        let stream = stream_dims(cx, ops).filter(|s| s.partitions_macs)?;
        let extent = stream.extent.max(1) as u64;
        // Each MAC member's layer, mapping and stream dimension, read once.
        let mut macs = Vec::new();
        for (&op, &dim) in ops.iter().zip(&stream.dims) {
            if let Some(member) = self.mac_member(cx, op, dim)? {
                macs.push(member);
            }
        }
        // The fewest steps that fit and that every MAC member's mapping can be cut into.
        let steps = (2..=extent).find(|&t| {
            extent.is_multiple_of(t)
                && peak / t as f64 <= capacity
                && macs.iter().all(|(layer, mapping, d)| dnnc_cost::fused::stream_step(layer, mapping, *d, t).is_some())
        })?;
        Some((steps, Some(stream)))
    }

    /// MAC einsum `op`'s layer, mapping and the layer dimension of its einsum dimension `dim`
    /// (`Some(None)` for a vector einsum, which any step count divides; `None` if a MAC
    /// einsum's layer or mapping cannot be read).
    fn mac_member(&self, cx: &Context, op: OpId, dim: usize) -> Option<Option<(Layer, Mapping<f64>, usize)>> {
        let e = Einsum::of(cx, op)?;
        if e.kind != "mac" {
            return Some(None);
        }
        let arch = &self.arch;
        let layer = dnnc_cost::layer_of(cx, op, &layer_name(cx.loc(op)), arch.array.precision).ok()?;
        let mapping = dnnc_sched::mapping_from_attr(cx.attr(op, "mapping")?, arch, &layer).ok()?;
        let d = layer.dim(e.dims[dim])?;
        Some(Some((layer, mapping, d)))
    }

    /// `fused` with edges unfused until every group is at most `max-depth` deep and its
    /// einsums can form one region (nothing else uses its values in between, once the vector
    /// einsums in between that read its values have joined it and the values it then keeps
    /// live fit on chip).
    #[allow(clippy::too_many_arguments)]
    fn regions(
        &self,
        cx: &Context,
        edges: &[Edge],
        mut fused: Vec<bool>,
        candidates: &[Candidate],
        macs: &[OpId],
        order: &[OpId],
        pos: &HashMap<OpId, usize>,
    ) -> Vec<bool> {
        loop {
            let mut changed = false;
            for g in &components(macs.len(), edges, &fused) {
                let too_deep = self.max_depth > 0 && g.len() > self.max_depth;
                let mut ops = group_ops(g, candidates, &fused, macs, pos);
                let absorbed = !absorb_vector_between(cx, &mut ops, order, pos).is_empty();
                // A group that joined einsums, or that the search fused counting one stream
                // step's slice of an intermediate, must fit whole or as a stream.
                let streamed =
                    (0..fused.len()).any(|e| fused[e] && g.contains(&edges[e].consumer) && edges[e].steps > 1);
                let fits = !(absorbed || streamed) || self.steps(cx, &ops).is_some();
                if too_deep || !fits || !contiguous(cx, &ops, order, pos) {
                    // Unfuse the group's last edge and try again — when it failed to fit as a
                    // stream, its last edge that cannot stream (a projection feeding attention
                    // through a head split), so the streamable part stays fused.
                    let in_group = |e: usize| fused[e] && g.contains(&edges[e].consumer);
                    let unstreamable = (!fits && streamed)
                        .then(|| (0..fused.len()).rev().find(|&e| in_group(e) && edges[e].steps <= 1))
                        .flatten();
                    if let Some(e) = unstreamable.or_else(|| (0..fused.len()).rev().find(|&e| in_group(e))) {
                        fused[e] = false;
                        changed = true;
                    }
                }
            }
            if !changed {
                return fused;
            }
        }
    }
}

/// Connected components (by layer index) of the fused edges, in layer order.
fn components(n: usize, edges: &[Edge], fused: &[bool]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    for (_, edge) in edges.iter().enumerate().filter(|(e, _)| fused[*e]) {
        let (a, b) = (find(&mut parent, edge.producer), find(&mut parent, edge.consumer));
        parent[a.max(b)] = a.min(b);
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut root_of: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        let k = *root_of.entry(r).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push(i);
    }
    out
}

/// The einsums of a group in program order: its MAC layers and the vector einsums on its
/// fused paths.
fn group_ops(
    g: &[usize],
    candidates: &[Candidate],
    fused: &[bool],
    macs: &[OpId],
    pos: &HashMap<OpId, usize>,
) -> Vec<OpId> {
    let mut ops: Vec<OpId> = g.iter().map(|&i| macs[i]).collect();
    for (c, &f) in candidates.iter().zip(fused) {
        if f && g.contains(&c.edge.consumer) {
            ops.extend(c.path.iter().copied().filter(|o| !ops.contains(o)).collect::<Vec<_>>());
        }
    }
    ops.sort_by_key(|o| pos[o]);
    ops.dedup();
    ops
}

/// Pulls into a group the vector einsums that only read its values (and weights or other
/// non-einsum values): a residual add and its ReLU after the group's last MAC layer. Left
/// outside, they would read the group's results back from off-chip memory and make its last
/// MAC layer write its output there; inside, those values stay on chip. The fusion search
/// prices MAC layers only, so this is decided here, structurally: a tail joins only if the
/// group stays one contiguous region and the values the group keeps live at once
/// (`peak_live_bits`, at `bits` per element) fit the `capacity` of the memory holding its
/// intermediates. Returns the (producer, tail) pairs it links.
fn absorb_vector_tails(
    cx: &Context,
    ops: &mut Vec<OpId>,
    order: &[OpId],
    pos: &HashMap<OpId, usize>,
    capacity: Option<f64>,
    bits: f64,
) -> Vec<(OpId, OpId)> {
    let mut links = Vec::new();
    loop {
        let Some(&first) = ops.first() else { return links };
        let tail = order[pos[&first]..].iter().copied().find(|&v| {
            if ops.contains(&v) || Einsum::of(cx, v).is_none_or(|e| e.kind == "mac") {
                return false;
            }
            let producers: Vec<Option<OpId>> = cx.operands(v).iter().map(|&x| cx.defining_op(x)).collect();
            let reads_group = producers.iter().any(|p| p.is_some_and(|p| ops.contains(&p)));
            let only_group_or_data =
                producers.iter().all(|p| p.is_none_or(|p| ops.contains(&p) || Einsum::of(cx, p).is_none()));
            if !(reads_group && only_group_or_data) {
                return false;
            }
            let mut with = ops.clone();
            with.push(v);
            with.sort_by_key(|o| pos[o]);
            capacity.is_some_and(|c| peak_live_bits(cx, &with, bits) <= c) && contiguous(cx, &with, order, pos)
        });
        let Some(v) = tail else { return links };
        join(cx, ops, v, &mut links, pos);
    }
}

/// Pulls into a group the vector einsums that sit between its first and last einsum and read
/// one of its values (the V slice of a fused Q·Kᵀ, a residual add next to a fused path):
/// left outside they would break the group's region. Returns the (producer, einsum) pairs
/// it links, empty if nothing joined.
fn absorb_vector_between(
    cx: &Context,
    ops: &mut Vec<OpId>,
    order: &[OpId],
    pos: &HashMap<OpId, usize>,
) -> Vec<(OpId, OpId)> {
    let mut links = Vec::new();
    loop {
        let (Some(&first), Some(&last)) = (ops.first(), ops.last()) else { return links };
        let next = order[pos[&first]..=pos[&last]].iter().copied().find(|&x| {
            !ops.contains(&x)
                && Einsum::of(cx, x).is_some_and(|e| e.kind != "mac")
                && cx.operands(x).iter().any(|&v| cx.defining_op(v).is_some_and(|p| ops.contains(&p)))
        });
        let Some(x) = next else { return links };
        join(cx, ops, x, &mut links, pos);
    }
}

/// Adds einsum `v` to group `ops` (kept in program order), linking it to each member whose
/// value it reads.
fn join(cx: &Context, ops: &mut Vec<OpId>, v: OpId, links: &mut Vec<(OpId, OpId)>, pos: &HashMap<OpId, usize>) {
    for &x in cx.operands(v) {
        if let Some(p) = cx.defining_op(x).filter(|p| ops.contains(p))
            && !links.contains(&(p, v))
        {
            links.push((p, v));
        }
    }
    ops.push(v);
    ops.sort_by_key(|o| pos[o]);
}

/// The most bits of values produced inside a group (`ops`, in program order) that are live at
/// once: a value lives from the op that makes it to its last reader inside the group — but
/// not at that reader when it is an elementwise einsum of the same size, which overwrites it
/// in place (the vector unit streams through it).
fn peak_live_bits(cx: &Context, ops: &[OpId], bits: f64) -> f64 {
    // Per member: its results' elements and the last position they are live at.
    let produced: Vec<(f64, usize)> = ops
        .iter()
        .enumerate()
        .flat_map(|(i, &o)| cx.results(o).map(move |v| (i, v)))
        .map(|(i, v)| {
            let elements = dnnc_einsum::elements(cx, v);
            let last = cx.uses(v).iter().filter_map(|u| ops.iter().position(|&o| o == u.op)).fold(i, usize::max);
            let in_place = last > i
                && Einsum::of(cx, ops[last]).is_some_and(|e| e.kind == "elementwise")
                && cx.results(ops[last]).any(|r| dnnc_einsum::elements(cx, r) == elements);
            (elements, if in_place { last - 1 } else { last })
        })
        .collect();
    // A value made at position p with last reader r is live at every position in p..=r.
    let mut live = vec![0.0; ops.len()];
    let mut made_at = 0;
    for (i, &o) in ops.iter().enumerate() {
        for _ in cx.results(o) {
            let (elements, last) = produced[made_at];
            for l in &mut live[i..=last] {
                *l += elements;
            }
            made_at += 1;
        }
    }
    live.into_iter().fold(0.0, f64::max) * bits
}

/// Whether the group can become one region placed at its last einsum: no op outside it
/// between its first and last einsum uses one of its results.
fn contiguous(cx: &Context, ops: &[OpId], order: &[OpId], pos: &HashMap<OpId, usize>) -> bool {
    let (Some(&first), Some(&last)) = (ops.first(), ops.last()) else { return true };
    order[pos[&first]..=pos[&last]]
        .iter()
        .filter(|o| !ops.contains(o))
        .all(|&x| cx.operands(x).iter().all(|&v| cx.defining_op(v).is_none_or(|d| !ops.contains(&d))))
}

/// Moves `ops` into a new `sched.group` placed after the last of them.
fn build_group(cx: &mut Context, ops: &[OpId], tile_dim: &str, tiles: u64, intermediates: Vec<Attribute>, arch: &str) {
    // Values the group takes from outside, in order of first use; results used outside.
    let mut inputs: Vec<ValueId> = Vec::new();
    for &op in ops {
        for &v in cx.operands(op) {
            if cx.defining_op(v).is_none_or(|d| !ops.contains(&d)) && !inputs.contains(&v) {
                inputs.push(v);
            }
        }
    }
    let mut outputs: Vec<ValueId> = Vec::new();
    for &op in ops {
        for r in cx.results(op) {
            if cx.uses(r).iter().any(|u| !ops.contains(&u.op)) {
                outputs.push(r);
            }
        }
    }
    let external_uses: Vec<Vec<(OpId, usize)>> = outputs
        .iter()
        .map(|&r| cx.uses(r).iter().filter(|u| !ops.contains(&u.op)).map(|u| (u.op, u.index as usize)).collect())
        .collect();
    let region = cx.create_region();
    let body = cx.create_block(&[]);
    let args: Vec<ValueId> = inputs
        .iter()
        .map(|&v| {
            let ty = cx.value_type(v);
            cx.add_block_arg(body, ty)
        })
        .collect();
    cx.append_block(region, body);
    let last = *ops.last().expect("a group has einsums");
    let loc = cx.loc(last).clone();
    let name = cx.op_name("sched.group");
    let state = OperationState::new(name)
        .operands(inputs.iter().copied())
        .results(outputs.iter().map(|&v| cx.value_type(v)).collect::<Vec<_>>())
        .attr("tile_dim", Attribute::string(tile_dim))
        .attr("tiles", Attribute::i64(tiles as i64))
        .attr("intermediates", Attribute::array(intermediates))
        .attr("arch", Attribute::string(arch))
        .regions([region])
        .loc(loc);
    let group = cx.create_op(state);
    cx.insert_op_after(last, group);
    for &op in ops {
        cx.detach_op(op);
        cx.append_op(body, op);
        for i in 0..cx.operands(op).len() {
            let v = cx.operand(op, i);
            if let Some(k) = inputs.iter().position(|&x| x == v) {
                cx.set_operand(op, i, args[k]);
            }
        }
    }
    let yield_name = cx.op_name("sched.yield");
    let y = cx.create_op(OperationState::new(yield_name).operands(outputs.iter().copied()));
    cx.append_op(body, y);
    let results: Vec<ValueId> = cx.results(group).collect();
    for (k, uses) in external_uses.into_iter().enumerate() {
        for (user, index) in uses {
            cx.set_operand(user, index, results[k]);
        }
    }
}
