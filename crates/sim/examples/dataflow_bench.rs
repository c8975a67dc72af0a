//! Runs an ONNX model through dnnc's dataflow pipeline for an FPGA board and measures the
//! design with the stream model and the simulator (bench/dataflow/run.sh drives it).
//!
//! `cargo run --release -p dnnc-sim --features pipeline --example dataflow_bench -- MODEL --tokens N [--board u55c]
//! [--fraction F] [--tile T] [--row-tile R] [--onchip F] [--verbose | --verbose-all]`
//!
//! Prints one `key=value` line: latency (flow estimate, paced bound, simulated), tokens/s,
//! on-chip memory, roofline fraction (at the network's compulsory HBM traffic), FIFO + converter bytes vs full-tensor double buffering,
//! simulator-vs-model error, deadlocks.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use dnnc_dataflow::design::{dataflow_blocks, design_of};
use dnnc_ir::{Attribute, Context, OpId, PassManager, PassManagerOptions, render_all, verify};
use dnnc_sim::simulate;
use dnnc_stream::{Budgets, KernelKind, analyze, apply_fifo_sizing, bounded_flow, roofline};

struct Args {
    model: String,
    tokens: u64,
    board: String,
    fraction: Option<f64>,
    tile: Option<u64>,
    row_tile: Option<u64>,
    onchip: Option<f64>,
    verbose: bool,
    verbose_all: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut args = Args {
        model: String::new(),
        tokens: 0,
        board: "u55c".into(),
        fraction: None,
        tile: None,
        row_tile: None,
        onchip: None,
        verbose: false,
        verbose_all: false,
    };
    while let Some(a) = it.next() {
        let mut value = |what: &str| it.next().ok_or_else(|| format!("{what} needs a value"));
        match a.as_str() {
            "--tokens" => args.tokens = value("--tokens")?.parse().map_err(|e| format!("--tokens: {e}"))?,
            "--board" => args.board = value("--board")?,
            "--fraction" => args.fraction = Some(value("--fraction")?.parse().map_err(|e| format!("--fraction: {e}"))?),
            "--verbose" => args.verbose = true,
            "--verbose-all" => (args.verbose, args.verbose_all) = (true, true),
            "--onchip" => args.onchip = Some(value("--onchip")?.parse().map_err(|e| format!("--onchip: {e}"))?),
            "--tile" => args.tile = Some(value("--tile")?.parse().map_err(|e| format!("--tile: {e}"))?),
            "--row-tile" => args.row_tile = Some(value("--row-tile")?.parse().map_err(|e| format!("--row-tile: {e}"))?),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => args.model = s.to_string(),
        }
    }
    if args.model.is_empty() || args.tokens == 0 {
        return Err(
            "usage: dataflow_bench MODEL --tokens N [--board u55c] [--fraction F] [--tile T] [--row-tile R] [--onchip F]".into()
        );
    }
    Ok(args)
}

/// The model through dnnc's dataflow pipeline for the board, its regions sharing the fabric
/// as `regions` says; with the compile time.
fn compile(args: &Args, regions: &str) -> Result<(Context, OpId, f64), String> {
    let model = dnnc_onnx::read_model_any(&args.model).map_err(|e| format!("{}: {e}", args.model))?;
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let module = dnnc_onnx::import_model(&mut cx, &model, &dnnc_onnx::ImportOptions::default())
        .map_err(|e| format!("{}: {e}", args.model))?;
    if let Err(diags) = verify(&cx, module) {
        return Err(render_all(&diags, &cx.sources));
    }
    let fraction = args.fraction.map_or_else(|| "0.75".to_string(), |f| f.to_string());
    let mut dataflow = dnnc_passes::dataflow_pipeline_with(&args.board, &fraction, regions);
    if let Some(f) = args.onchip {
        dataflow = dataflow.replace(
            &format!("insert-dma{{board={}}}", args.board),
            &format!("insert-dma{{board={} onchip-fraction={f}}}", args.board),
        );
    }
    let convert: Vec<String> = [("tile", args.tile), ("row-tile", args.row_tile)]
        .iter()
        .filter_map(|&(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if !convert.is_empty() {
        dataflow = dataflow.replace("convert-to-dataflow", &format!("convert-to-dataflow{{{}}}", convert.join(" ")));
    }
    let pipeline = format!(
        "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access,{})",
        dataflow.trim_start_matches("builtin.module(").trim_end_matches(')')
    );
    let started = Instant::now();
    let mut pm = PassManager::parse(&pipeline, &dnnc_passes::registry(), PassManagerOptions::default())
        .map_err(|e| format!("pipeline '{pipeline}': {e}"))?;
    pm.run(&mut cx, module, &mut std::io::sink())
        .map_err(|e| format!("{}{}: {e}", render_all(&e.diagnostics, &cx.sources), args.model))?;
    Ok((cx, module, started.elapsed().as_secs_f64()))
}

/// Pipelined regions (`regions=pipelined`): each distinct design works on another request.
/// The period and a request's latency from the stream model (the summary's schedule at the
/// regions' flow estimates) and from the simulator (the same schedule at the simulated
/// latencies), and the roofline at one request per period.
fn pipelined(args: &Args, budgets: &Budgets, dsp_per_mac: f64) -> Result<String, String> {
    let (cx, module, _) = compile(args, "pipelined")?;
    let summary = dnnc_dataflow::summary::summarize(&cx, module, budgets)?;
    let blocks = dataflow_blocks(&cx, module);
    let mut sim_latency = Vec::with_capacity(blocks.len());
    let mut deadlocks = 0usize;
    for (i, &block) in blocks.iter().enumerate() {
        let map = design_of(&cx, block, &format!("region{i}"))?;
        let sim = simulate(&map.design).map_err(|e| e.to_string())?;
        if let Some(dl) = &sim.deadlock {
            deadlocks += 1;
            eprintln!("pipelined region{i}: deadlock at cycle {}: {}", dl.time, dl.cycle.join(" -> "));
        }
        sim_latency.push(sim.latency_cycles as f64);
    }
    let class_of: Vec<usize> = summary.regions.iter().map(|r| r.design).collect();
    let call = budgets.region_switch_cycles as f64;
    let sim = dnnc_stream::pipeline_schedule(&class_of, &sim_latency, call);
    // One region: nothing to overlap, the period is the latency.
    let model = summary.pipeline.clone().unwrap_or(dnnc_stream::PipelineSchedule {
        period_cycles: summary.latency_cycles,
        bound_cycles: summary.latency_cycles,
        request_latency_cycles: summary.latency_cycles,
        in_flight: 1,
    });
    let (macs, hbm) = (summary.roofline.macs, summary.roofline.hbm_bytes);
    let roof = roofline(macs, hbm, model.period_cycles, dsp_per_mac, budgets);
    let spc = budgets.seconds_per_cycle();
    let err = (sim.period_cycles - model.period_cycles).abs() / model.period_cycles;
    Ok(format!(
        "pipelined_period_ms={:.4} pipelined_sim_period_ms={:.4} pipelined_request_latency_ms={:.4} \
         pipelined_tokens_per_s={:.1} pipelined_roofline_fraction={:.4} pipelined_in_flight={} \
         pipelined_sim_vs_model_err={err:.4} pipelined_deadlocks={deadlocks} pipelined_dsp={} \
         pipelined_hbm_gbps={:.1}",
        model.period_cycles * spc * 1e3,
        sim.period_cycles * spc * 1e3,
        model.request_latency_cycles * spc * 1e3,
        args.tokens as f64 / (model.period_cycles * spc),
        roof.fraction,
        model.in_flight,
        summary.bitstream.dsp,
        summary.bitstream.hbm_bytes_per_cycle / spc / 1e9,
    ))
}

fn run(args: &Args) -> Result<String, String> {
    let board = dnnc_arch::fpga::resolve(&args.board).map_err(|e| e.to_string())?;
    let (cx, module, compile_s) = compile(args, "resident")?;

    let roof_budgets = Budgets::from(&board);
    let (mut paced_cycles, mut sim_cycles) = (0.0f64, 0.0f64);
    let (mut fifo_bytes, mut converter_bytes, mut baseline_bytes) = (0u64, 0u64, 0u64);
    let (mut deadlocks, mut kernels, mut channels, mut events) = (0usize, 0usize, 0usize, 0u64);
    let mut max_region_err = 0.0f64;
    let budgets = Budgets::from_board(&board, args.fraction.unwrap_or(0.75));
    let mut sim_s = 0.0f64;
    let blocks = dataflow_blocks(&cx, module);
    let mut designs = Vec::new();
    for (i, &block) in blocks.iter().enumerate() {
        let map = design_of(&cx, block, &format!("region{i}"))?;
        designs.push(map.design.clone());
        let d = &map.design;
        kernels += d.kernels.len();
        channels += d.channels.len();
        let paced = analyze(d).map_err(|e| e.to_string())?;
        let flow = bounded_flow(d).map_err(|e| e.to_string())?;
        let t = Instant::now();
        let sim = simulate(d).map_err(|e| e.to_string())?;
        sim_s += t.elapsed().as_secs_f64();
        events += sim.events;
        if let Some(dl) = &sim.deadlock {
            deadlocks += 1;
            eprintln!("region{i}: deadlock at cycle {}: {}", dl.time, dl.cycle.join(" -> "));
        }
        if args.verbose {
            let r = d.resources();
            eprintln!(
                "region{i}: {} kernels, period {} (bottleneck {}), paced {:.0}, flow {:.0}, sim {}, DSP {} BRAM {} URAM {} HBM B/cycle {:.0}",
                d.kernels.len(),
                paced.period,
                d.kernel(paced.bottleneck).name,
                paced.latency_cycles,
                flow.latency_cycles,
                sim.latency_cycles,
                r.dsp,
                r.bram36,
                r.uram,
                r.hbm_bytes_per_cycle
            );
            let mut ks: Vec<_> = d.kernel_ids().collect();
            ks.sort_by_key(|&k| std::cmp::Reverse(d.kernel(k).busy_cycles()));
            for &k in ks.iter().take(if args.verbose_all { usize::MAX } else { 12 }) {
                let kern = d.kernel(k);
                let st = &sim.kernels[k.index()];
                eprintln!(
                    "  {:<28} {:?} F={} ii={} p={}/{} busy={} macs={} dsp={} hbm={} start={} finish={} starved={} blocked={}",
                    kern.name,
                    kern.kind,
                    kern.firings,
                    kern.ii,
                    kern.parallelism,
                    kern.max_parallelism,
                    kern.busy_cycles(),
                    kern.macs,
                    kern.resources().dsp,
                    kern.hbm_bytes,
                    st.first_start,
                    st.finish,
                    st.starved_cycles,
                    st.blocked_cycles
                );
            }
        }
        if args.verbose {
            let mut cs: Vec<_> = d.channel_ids().collect();
            cs.sort_by_key(|&c| std::cmp::Reverse(d.channel(c).fifo_bytes()));
            for &c in cs.iter().take(4) {
                let ch = d.channel(c);
                eprintln!(
                    "  fifo {:<40} depth={} tokens={} width={} lead={} bytes={} max_occ={}",
                    ch.name,
                    ch.depth,
                    ch.tokens,
                    ch.width_bits,
                    ch.lead,
                    ch.fifo_bytes(),
                    sim.max_occupancy[c.index()]
                );
            }
        }
        paced_cycles += paced.latency_cycles;
        sim_cycles += sim.latency_cycles as f64;
        if flow.latency_cycles > 0.0 {
            max_region_err =
                max_region_err.max((sim.latency_cycles as f64 - flow.latency_cycles).abs() / flow.latency_cycles);
        }
        // FIFOs on streams that do not come straight from HBM, converter buffers, and the
        // full-tensor double buffers they replace (each tensor a compute kernel produces).
        for ch in &d.channels {
            let producer = d.kernel(ch.producer);
            if producer.kind != KernelKind::DmaLoad {
                fifo_bytes += ch.fifo_bytes();
            }
            if producer.kind == KernelKind::Compute {
                baseline_bytes += 2 * ch.tensor_bytes();
            }
        }
        for (k, &(op, synthetic)) in d.kernels.iter().zip(&map.kernel_ops) {
            if k.kind == KernelKind::Converter && synthetic.is_none() {
                converter_bytes += cx.attr(op, "bytes").and_then(Attribute::as_int).unwrap_or(0).max(0) as u64;
            }
        }
    }
    if blocks.is_empty() {
        return Err(format!("{}: the pipeline left no dataflow design", args.model));
    }
    // Latency (flow estimate), roofline, on-chip memory and designs as `dnnc --emit=report`
    // gives them.
    let summary = dnnc_dataflow::summary::summarize(&cx, module, &roof_budgets)?;
    let (macs, hbm) = (summary.roofline.macs, summary.roofline.hbm_bytes);
    let dsp_per_mac = roof_budgets.dsp as f64 / summary.roofline.peak_macs_per_cycle;
    let flow_cycles = summary.latency_cycles;
    let switch = (blocks.len() - 1) as f64 * roof_budgets.region_switch_cycles as f64;
    paced_cycles += switch;
    sim_cycles += switch;
    let spc = roof_budgets.seconds_per_cycle();
    let roof = &summary.roofline;
    let roof_sim = roofline(macs, hbm, sim_cycles, dsp_per_mac, &roof_budgets);
    let err = (sim_cycles - flow_cycles).abs() / flow_cycles;
    let err_paced = (sim_cycles - paced_cycles).abs() / paced_cycles;
    let (distinct, onchip) = (summary.designs, summary.onchip_bytes);
    if args.verbose {
        for c in 0..distinct {
            let regions: Vec<usize> = (0..summary.regions.len()).filter(|&r| summary.regions[r].design == c).collect();
            eprintln!("design {c}: regions {regions:?}");
        }
    }
    // What-if: every region on the whole share (regions=time-shared), the bound of a fabric
    // that swaps region designs between invocations.
    let mut time_shared_flow = switch;
    for d in &mut designs {
        dnnc_stream::allocate_resources(d, &budgets).map_err(|e| e.to_string())?;
        apply_fifo_sizing(d).map_err(|e| e.to_string())?;
        time_shared_flow += bounded_flow(d).map_err(|e| e.to_string())?.latency_cycles;
    }
    let time_shared_roof = roofline(macs, hbm, time_shared_flow, dsp_per_mac, &roof_budgets);
    let ratio = if baseline_bytes > 0 { (fifo_bytes + converter_bytes) as f64 / baseline_bytes as f64 } else { 0.0 };
    let pipelined = pipelined(args, &roof_budgets, dsp_per_mac)?;
    Ok(format!(
        "regions={} kernels={kernels} channels={channels} latency_ms={:.4} paced_latency_ms={:.4} sim_latency_ms={:.4} \
         tokens_per_s={:.1} onchip_mb={:.3} fifo_mb={:.3} converter_mb={:.3} double_buffer_mb={:.3} \
         fifo_bytes_ratio={ratio:.4} roofline_fraction={:.4} roofline_fraction_sim={:.4} memory_bound={} \
         gmacs={:.3} hbm_mb={:.1} compulsory_hbm_mb={:.1} dsp_per_mac={dsp_per_mac:.2} sim_vs_model_err={err:.4} \
         sim_vs_model_err_region_max={max_region_err:.4} sim_vs_paced_err={err_paced:.4} deadlocks={deadlocks} \
         sim_events={events} sim_s={sim_s:.2} compile_s={compile_s:.2} distinct_designs={distinct} \
         time_shared_latency_ms={:.4} time_shared_roofline_fraction={:.4} {pipelined}",
        blocks.len(),
        flow_cycles * spc * 1e3,
        paced_cycles * spc * 1e3,
        sim_cycles * spc * 1e3,
        args.tokens as f64 / (flow_cycles * spc),
        onchip as f64 / 1e6,
        fifo_bytes as f64 / 1e6,
        converter_bytes as f64 / 1e6,
        baseline_bytes as f64 / 1e6,
        roof.fraction,
        roof_sim.fraction,
        roof.memory_bound,
        macs as f64 / 1e9,
        summary.hbm_bytes as f64 / 1e6,
        hbm as f64 / 1e6,
        time_shared_flow * spc * 1e3,
        time_shared_roof.fraction,
    ))
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dataflow_bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}
