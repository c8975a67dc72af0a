//! From scheduled IR to the `Schedule` data the emitters read: every einsum with its mapping
//! (re-evaluated for the per-level breakdown), the vector layers with their cost, off-chip
//! traffic against the compulsory minimum, and totals.

use dnnc_arch::{Accelerator, Direction, Operand};
use dnnc_cost::{Layer, LayerModel, Mapping, layer_of};
use dnnc_einsum::{Einsum, MAC_PATH_LIMIT, elements, layer_name, operand_traffic_elements};
use dnnc_emit::{
    ArchSummary, GroupSchedule, LayerCost, LayerSchedule, LevelEnergy, MappingSummary, OperandLevels, SCHEMA, Schedule,
    Totals,
};
use dnnc_ir::{Context, OpId};

/// A scheduled MAC layer, for emitters that need the model's own types (ZigZag files).
pub struct Scheduled {
    pub name: String,
    pub source: String,
    pub layer: Layer,
    pub mapping: Mapping<f64>,
}

/// The run's settings recorded in the schedule.
pub struct RunInfo<'a> {
    pub model: &'a str,
    pub objective: &'a str,
    pub seed: u64,
    pub searches: usize,
}

fn top_memory(arch: &Accelerator) -> usize {
    arch.memories.len().saturating_sub(1)
}

/// The `sched.group` an einsum sits in, if any.
fn group_of(cx: &Context, op: OpId) -> Option<OpId> {
    cx.parent_op(op).filter(|&g| cx.is(g, "sched.group"))
}

/// The operands of MAC einsum `op` that its group keeps on chip: its output if it produces a
/// fused intermediate and nothing outside the group reads it, the input fed by one if it
/// consumes it.
fn on_chip_operands(cx: &Context, op: OpId) -> Vec<Operand> {
    let Some(group) = group_of(cx, op).and_then(|g| dnnc_sched::Group::of(cx, g)) else { return Vec::new() };
    let Some(me) = group.einsums.iter().position(|&o| o == op) else { return Vec::new() };
    let mut out = Vec::new();
    let result = cx.result(op, 0);
    let stays_inside =
        cx.uses(result).iter().all(|u| cx.parent_op(u.op) == group_of(cx, op) && !cx.is(u.op, "sched.yield"));
    for i in group.intermediates.iter().filter(|i| i.fused) {
        if i.producer == me && stays_inside && !out.contains(&Operand::O) {
            out.push(Operand::O);
        }
        if i.consumer == me {
            let producer = group.einsums[i.producer];
            for (slot, operand) in [(0, Operand::I), (1, Operand::W)] {
                let fed = cx.operands(op).get(slot).and_then(|&v| cx.defining_op(v)) == Some(producer);
                if fed && !out.contains(&operand) {
                    out.push(operand);
                }
            }
        }
    }
    out
}

/// Elements vector einsum `op` reads from and writes to off-chip memory: an operand comes
/// from off chip unless an einsum of the same fused group produced it, and the result goes
/// off chip unless every reader is in the same group. A group keeps its members' results on
/// chip — also a residual that no fusion edge names (the fusion search sized the group's
/// memory for its fused intermediates only, so this is optimistic for residuals, which are
/// no larger than the intermediates they run beside).
fn vector_offchip_elements(cx: &Context, op: OpId) -> (f64, f64) {
    let group = group_of(cx, op);
    let fused_edge = |producer: OpId, consumer: OpId| {
        group.is_some() && group_of(cx, producer) == group && group_of(cx, consumer) == group
    };
    // In a group streamed in steps, an operand the op's stream dimension does not index (a
    // broadcast attention mask) is read again at every step.
    let rereads = streamed_dim(cx, op);
    let maps = Einsum::of(cx, op).map(|e| e.maps).unwrap_or_default();
    let offchip_in = operand_traffic_elements(cx, op)
        .into_iter()
        .enumerate()
        .filter(|&(_, (v, _))| !cx.defining_op(v).is_some_and(|p| fused_edge(p, op)))
        .map(|(k, (_, n))| match (rereads, maps.get(k)) {
            (Some((steps, d)), Some(m)) if !m.results.iter().any(|r| dnnc_einsum::uses_dim(r, d as u32)) => n * steps,
            _ => n,
        })
        .sum::<f64>();
    let offchip_out = cx
        .results(op)
        .filter(|&v| {
            // What leaves the group through its yield goes off chip like any outside reader.
            let uses = cx.uses(v);
            uses.is_empty() || !uses.iter().all(|u| !cx.is(u.op, "sched.yield") && fused_edge(op, u.op))
        })
        .map(|v| elements(cx, v))
        .sum::<f64>();
    // `+ 0.0`: an empty f64 sum is −0.0, which would print as such.
    (offchip_in + 0.0, offchip_out + 0.0)
}

/// When einsum `op` sits in a group streamed in `tiles` > 1 steps: the steps and the index of
/// the einsum's dimension it steps along.
fn streamed_dim(cx: &Context, op: OpId) -> Option<(f64, usize)> {
    let group = dnnc_sched::Group::of(cx, group_of(cx, op)?)?;
    if group.tiles <= 1 {
        return None;
    }
    let stream = dnnc_einsum::stream_dims(cx, &group.einsums)?;
    let me = group.einsums.iter().position(|&o| o == op)?;
    Some((group.tiles as f64, stream.dims[me]))
}

/// When MAC einsum `op` sits in a group streamed in `tiles` > 1 steps: the steps, and one
/// step's layer and mapping (`dnnc_cost::fused::stream_step` along the einsum's stream
/// dimension, `dnnc_einsum::stream_dims`).
fn stream_step(cx: &Context, op: OpId, layer: &Layer, mapping: &Mapping<f64>) -> Option<(f64, Layer, Mapping<f64>)> {
    let (steps, dim) = streamed_dim(cx, op)?;
    let name = Einsum::of(cx, op)?.dims[dim];
    let (step_layer, step_mapping) = dnnc_cost::fused::stream_step(layer, mapping, layer.dim(name)?, steps as u64)?;
    Some((steps, step_layer, step_mapping))
}

/// The vector einsums of a group that work beside the array: per MAC einsum (by position in
/// `einsums`), the run of vector einsums right after it whose results derive from its own
/// through einsums of that run (`dnnc_einsum::mac_producer`) — a bias, an activation, a
/// pooling on the value the group keeps on chip. Only a run that directly follows its producer
/// overlaps it; a vector einsum after another MAC einsum waits, as in a serial schedule.
fn pipelined_stages(cx: &Context, einsums: &[OpId]) -> Vec<(usize, Vec<usize>)> {
    let mut stages = Vec::new();
    let mut producer = 0;
    while producer < einsums.len() {
        let mut run: Vec<usize> = Vec::new();
        if Einsum::of(cx, einsums[producer]).is_some_and(|e| e.kind == "mac") {
            for (v, &op) in einsums.iter().enumerate().skip(producer + 1) {
                // Its path back to a MAC einsum: itself, then members of the run, then the producer.
                let path = cx.results(op).next().and_then(|r| dnnc_einsum::mac_producer(cx, r, MAC_PATH_LIMIT));
                let follows = path.is_some_and(|(p, path)| {
                    p == einsums[producer] && path.iter().all(|&o| o == op || run.iter().any(|&r| einsums[r] == o))
                });
                if !follows {
                    break;
                }
                run.push(v);
            }
        }
        let next = run.last().map_or(producer + 1, |&v| v + 1);
        if !run.is_empty() {
            stages.push((producer, run));
        }
        producer = next;
    }
    stages
}

/// A group's timeline: each member's start and end and the group's latency, relative to its
/// start. Members run in order, except that a MAC member's pipelined stage
/// ([`pipelined_stages`]) works beside it: the vector unit takes each step of the producer's
/// output as it is finished (`dnnc_cost::fused::finished_steps`; per group step when the group
/// streams) and the group waits only for the stage's `pipelined_tail`. `runs` gives each MAC
/// member the mapping it runs under and its number of group steps.
fn group_timeline(
    cx: &Context,
    einsums: &[OpId],
    latencies: &[f64],
    runs: &[Option<&(Mapping<f64>, f64)>],
) -> (Vec<f64>, Vec<f64>, f64) {
    let stages = pipelined_stages(cx, einsums);
    let mut starts = vec![0.0; einsums.len()];
    let mut ends = vec![0.0; einsums.len()];
    let mut t = 0.0;
    let mut k = 0;
    while k < einsums.len() {
        starts[k] = t;
        let producer = latencies[k];
        let stage = stages.iter().find(|(p, _)| *p == k).map_or(&[][..], |(_, v)| v.as_slice());
        let Some((mapping, steps)) = runs[k].filter(|_| !stage.is_empty()) else {
            t += producer;
            ends[k] = t;
            k += 1;
            continue;
        };
        ends[k] = t + producer;
        let mut chain = vec![einsums[k]];
        chain.extend(stage.iter().map(|&v| einsums[v]));
        let finished = dnnc_cost::fused::finished_steps(mapping, &dnnc_einsum::chain_stream_dims(cx, &chain));
        let tail = |work: f64| steps * dnnc_cost::fused::pipelined_tail(producer / steps, work / steps, finished);
        // Each vector member starts on the producer's first finished step after the members
        // before it, and ends when its share of the pipeline does.
        let mut before = 0.0;
        for &v in stage {
            starts[v] = t + (producer + before) / (steps * finished);
            before += latencies[v];
            ends[v] = t + producer + tail(before);
        }
        t += producer + tail(before);
        k = stage.last().map_or(k, |&v| v) + 1;
    }
    (starts, ends, t)
}

/// Reads every einsum of `module`; MAC einsums must carry a `mapping` (from `tile`).
pub fn collect(
    cx: &Context,
    module: OpId,
    arch: &Accelerator,
    info: &RunInfo<'_>,
) -> Result<(Schedule, Vec<Scheduled>), String> {
    let top = top_memory(arch);
    let top_mem = &arch.memories[top];
    let einsums: Vec<OpId> = cx.nested_ops(module).into_iter().filter(|&o| Einsum::of(cx, o).is_some()).collect();
    let mut layers = Vec::new();
    let mut scheduled = Vec::new();
    // Each layer's cost with every intermediate off chip (the layer-by-layer baseline).
    let mut layerwise = Vec::new();
    // Per MAC layer (by index): the mapping it runs under and in how many steps.
    let mut runs: Vec<Option<(Mapping<f64>, f64)>> = vec![None; einsums.len()];
    let peak = arch.array.pe_count() as f64;
    let offchip_bits_per_cycle = top_mem.ports.iter().map(|p| p.bw_max_bits as f64).fold(0.0, f64::max).max(1.0);
    for (index, &op) in einsums.iter().enumerate() {
        let e = Einsum::of(cx, op).ok_or("einsum vanished")?;
        let name = layer_name(cx.loc(op));
        let dims: Vec<(String, u64)> =
            e.dims.iter().zip(&e.sizes).map(|(d, &s)| (d.to_string(), s.max(0) as u64)).collect();
        if e.kind == "mac" {
            let layer = layer_of(cx, op, &name, arch.array.precision).map_err(|err| format!("{name}: {err}"))?;
            let attr = cx.attr(op, "mapping").ok_or_else(|| format!("{name}: no mapping (run the tile pass)"))?;
            let unfused = dnnc_sched::mapping_from_attr(attr, arch, &layer).map_err(|err| format!("{name}: {err}"))?;
            let mut mapping = unfused.clone();
            // Intermediates its fused group keeps on chip no longer go through the top memory.
            for operand in on_chip_operands(cx, op) {
                mapping = dnnc_cost::fused::keep_on_chip(&mapping, operand).unwrap_or(mapping);
            }
            let model = LayerModel::new(arch, &layer);
            let (cost, breakdown) = match stream_step(cx, op, &layer, &mapping) {
                // A streamed group runs the layer as `steps` equal steps.
                Some((steps, step_layer, step_mapping)) => {
                    let (c, mut b) = LayerModel::new(arch, &step_layer).evaluate_with_breakdown(&step_mapping);
                    for t in &mut b.levels {
                        t.words = t.words.map(|w| w * steps);
                        t.energy_pj *= steps;
                    }
                    runs[index] = Some((step_mapping, steps));
                    (dnnc_cost::fused::repeated(&c, steps), b)
                }
                None => {
                    runs[index] = Some((mapping.clone(), 1.0));
                    model.evaluate_with_breakdown(&mapping)
                }
            };
            let alone = model.evaluate(&unfused);
            layerwise.push((alone.energy, alone.latency));
            // Off-chip bits: every word moved at the top memory times its port width.
            let mut offchip_bits = 0.0;
            for t in breakdown.levels.iter().filter(|t| t.memory == top_mem.name) {
                for (d, dir) in
                    [Direction::ReadToLow, Direction::WriteFromLow, Direction::ReadToHigh, Direction::WriteFromHigh]
                        .iter()
                        .enumerate()
                {
                    if let Some(p) = top_mem.port_for(t.operand, *dir) {
                        offchip_bits += t.words[d] * top_mem.ports[p].bw_max_bits as f64;
                    }
                }
            }
            let macs = layer.macs() as f64;
            let achieved = if cost.latency > 0.0 { macs / cost.latency } else { 0.0 };
            let attainable = if offchip_bits > 0.0 {
                peak.min(macs / (offchip_bits / 8.0) * offchip_bits_per_cycle / 8.0)
            } else {
                peak
            };
            let array_dims: Vec<&String> = arch.array.dims.keys().collect();
            let mapping_summary = MappingSummary {
                spatial: mapping
                    .spatial
                    .iter()
                    .map(|u| (array_dims[u.array_dim].clone(), layer.dim_names[u.dim].clone(), u.factor))
                    .collect(),
                loops: mapping.loops.iter().map(|l| (layer.dim_names[l.dim].clone(), l.size)).collect(),
                operands: [Operand::I, Operand::W, Operand::O]
                    .iter()
                    .map(|&o| OperandLevels {
                        operand: format!("{o:?}"),
                        levels: mapping.levels(o).iter().map(|&m| arch.memories[m].name.clone()).collect(),
                        cuts: mapping.cuts(o).to_vec(),
                    })
                    .collect(),
                text: dnnc_sched::format_mapping(arch, &layer, &mapping),
            };
            layers.push(LayerSchedule {
                index,
                name: name.clone(),
                source: e.source.to_string(),
                part: e.part.map(str::to_string),
                kind: e.kind.to_string(),
                dims,
                work: layer.macs(),
                unit: "pe_array".into(),
                mapping: Some(mapping_summary),
                cost: LayerCost {
                    energy_pj: cost.energy,
                    latency_cycles: cost.latency,
                    mac_energy_pj: cost.mac_energy,
                    memory_energy_pj: cost.memory_energy,
                    compute_cycles: cost.compute_cycles,
                    stall_cycles: cost.stall_cycles,
                    onload_cycles: cost.onload_cycles,
                    offload_cycles: cost.offload_cycles,
                    drain_cycles: cost.drain_cycles,
                    ideal_cycles: cost.ideal_cycles,
                    utilization: if cost.latency > 0.0 { cost.ideal_cycles / cost.latency } else { 0.0 },
                    bound: breakdown.bound.clone(),
                    roofline_fraction: if attainable > 0.0 { achieved / attainable } else { 0.0 },
                },
                energy_by_level: breakdown
                    .levels
                    .iter()
                    .map(|t| LevelEnergy {
                        operand: format!("{:?}", t.operand),
                        memory: t.memory.clone(),
                        energy_pj: t.energy_pj,
                    })
                    .collect(),
                offchip_bits,
            });
            scheduled.push(Scheduled { name, source: e.source.to_string(), layer, mapping });
        } else {
            if cx.attr(op, "cost").is_none() {
                return Err(format!("{name}: no cost (run the tile pass)"));
            }
            let on_chip = dnnc_sched::recorded_vector_cost(cx, op);
            // Alone, it reads every operand from off-chip memory and writes its result back;
            // in the schedule, only what no fused intermediate keeps on chip.
            let alone = dnnc_sched::vector_cost_alone(cx, arch, op);
            layerwise.push((alone.energy, alone.latency));
            let (offchip_in, offchip_out) = vector_offchip_elements(cx, op);
            let cost = dnnc_cost::vector::with_offchip(arch, on_chip, offchip_in, offchip_out);
            let p = arch.array.precision;
            let offchip_bits = offchip_in * p.input_bits as f64 + offchip_out * p.output_bits as f64;
            let (energy, latency) = (cost.energy, cost.latency);
            layers.push(LayerSchedule {
                index,
                name,
                source: e.source.to_string(),
                part: e.part.map(str::to_string),
                kind: e.kind.to_string(),
                dims,
                work: e.points().max(0) as u64,
                unit: "vector_unit".into(),
                mapping: None,
                cost: LayerCost {
                    energy_pj: energy,
                    latency_cycles: latency,
                    mac_energy_pj: 0.0,
                    memory_energy_pj: 0.0,
                    compute_cycles: cost.compute_cycles,
                    stall_cycles: 0.0,
                    onload_cycles: 0.0,
                    offload_cycles: 0.0,
                    drain_cycles: 0.0,
                    ideal_cycles: cost.compute_cycles,
                    utilization: 0.0,
                    bound: "vector".into(),
                    roofline_fraction: 0.0,
                },
                energy_by_level: Vec::new(),
                offchip_bits,
            });
        }
    }
    // The compulsory off-chip traffic: every weight, model input and model output once.
    let p = arch.array.precision;
    let mut compulsory = 0.0;
    for op in cx.nested_ops(module) {
        if cx.is(op, "graph.weight") {
            // A table read through a gather (embeddings) moves only the rows it gathers.
            for v in cx.results(op) {
                let gathered: Option<f64> = cx
                    .uses(v)
                    .iter()
                    .filter(|u| cx.attr(u.op, "indirect").is_some())
                    .map(|u| cx.results(u.op).map(|r| elements(cx, r)).sum::<f64>())
                    .reduce(f64::max);
                compulsory += gathered.unwrap_or_else(|| elements(cx, v)) * p.weight_bits as f64;
            }
        }
        if cx.is(op, "func.func")
            && let Some(&block) = cx.regions(op).first().and_then(|&r| cx.region_blocks(r).first())
        {
            compulsory += cx.block_args(block).iter().map(|&v| elements(cx, v)).sum::<f64>() * p.input_bits as f64;
        }
        if cx.is(op, "func.return") {
            compulsory += cx.operands(op).iter().map(|&v| elements(cx, v)).sum::<f64>() * p.output_bits as f64;
        }
    }
    // Fused groups, in program order.
    let mut groups = Vec::new();
    for g in cx.nested_ops(module).into_iter().filter(|&o| cx.is(o, "sched.group")) {
        let Some(group) = dnnc_sched::Group::of(cx, g) else { continue };
        let members: Vec<usize> = group.einsums.iter().filter_map(|o| einsums.iter().position(|x| x == o)).collect();
        if members.len() != group.einsums.len() {
            continue;
        }
        let latencies: Vec<f64> = members.iter().map(|&m| layers[m].cost.latency_cycles).collect();
        let member_runs: Vec<Option<&(Mapping<f64>, f64)>> = members.iter().map(|&m| runs[m].as_ref()).collect();
        let (starts, ends, t) = group_timeline(cx, &group.einsums, &latencies, &member_runs);
        let mut saved = 0.0;
        let mut on_chip = Vec::new();
        for i in group.intermediates.iter().filter(|i| i.fused) {
            let (p, c) = (members[i.producer], members[i.consumer]);
            if let Some(v) = cx.results(group.einsums[i.producer]).next() {
                saved += 2.0 * elements(cx, v) * arch.array.precision.output_bits as f64;
            }
            on_chip.push((p, c, i.memory.clone()));
        }
        groups.push(GroupSchedule {
            energy_pj: members.iter().map(|&m| layers[m].cost.energy_pj).sum(),
            latency_cycles: t,
            layers: members,
            tiles: group.tiles.max(1) as u64,
            on_chip,
            dram_bits_saved: saved,
            starts,
            ends,
        });
    }
    let energy: f64 = layers.iter().map(|l| l.cost.energy_pj).sum();
    // A group's latency is its timeline's, where vector work may run beside the array.
    let mut grouped = vec![false; layers.len()];
    for &m in groups.iter().flat_map(|g| &g.layers) {
        grouped[m] = true;
    }
    let latency: f64 = layers
        .iter()
        .zip(&grouped)
        .filter(|(_, in_group)| !**in_group)
        .map(|(l, _)| l.cost.latency_cycles)
        .sum::<f64>()
        + groups.iter().map(|g| g.latency_cycles).sum::<f64>();
    let totals = Totals {
        energy_pj: energy,
        latency_cycles: latency,
        edp: energy * latency,
        layerwise_energy_pj: layerwise.iter().map(|c| c.0).sum::<f64>(),
        layerwise_latency_cycles: layerwise.iter().map(|c| c.1).sum::<f64>(),
        macs: layers.iter().filter(|l| l.unit == "pe_array").map(|l| l.work).sum(),
        offchip_bits: layers.iter().map(|l| l.offchip_bits).sum(),
        compulsory_offchip_bits: compulsory,
        searches: info.searches,
    };
    let schedule = Schedule {
        schema: SCHEMA,
        model: info.model.to_string(),
        arch: ArchSummary {
            name: arch.name.clone(),
            pes: arch.array.pe_count(),
            clock_mhz: arch.clock_mhz,
            peak_macs_per_cycle: peak,
            offchip_bits_per_cycle,
        },
        objective: info.objective.to_string(),
        seed: info.seed,
        layers,
        groups,
        totals,
    };
    Ok((schedule, scheduled))
}
