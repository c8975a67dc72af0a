//! What a sized dataflow design does on its board, from the stream model of each block:
//! latency, roofline fraction, on-chip memory and the resources one bitstream holds. The
//! roofline is the network's: its MACs against the HBM bytes any design must move (inputs,
//! weights, outputs once), so a design that re-reads its weights does not raise its own bound. The
//! driver's `--emit=report` for a board renders it; `bench/dataflow` adds the simulator.
//!
//! Regions run one after another ([`dnnc_stream::Budgets::region_switch_cycles`] between
//! two), each for its flow-estimate latency (`dnnc_stream::bounded_flow`). Regions with the
//! same structure (`dnnc_stream::classes`) are one design: one instance in the bitstream,
//! called once per region, so resources and on-chip memory count each design once.
//!
//! When the function's regions are pipelined ([`RegionMode::Pipelined`]), the distinct designs
//! also work on different requests at once: [`Summary::pipeline`] runs a stream of requests
//! through the regions (`dnnc_stream::pipeline_schedule`) for the period between two requests,
//! and the bitstream's HBM bandwidth is the designs' claims summed.

use dnnc_ir::{Context, OpId};
use dnnc_stream::{Budgets, PipelineSchedule, Resources, Roofline};

use crate::RegionMode;
use crate::design::{compulsory_bytes, dataflow_blocks, design_of, function_of, spill_bytes};

/// One region of the design.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionSummary {
    /// Index of the distinct design the region runs.
    pub design: usize,
    pub kernels: usize,
    /// Flow-estimate latency of one call, cycles.
    pub latency_cycles: f64,
    /// The slowest stage's busy cycles.
    pub period_cycles: u64,
    /// Kernels at their parallelism, and FIFOs at their depths.
    pub resources: Resources,
    /// Kernel buffers and FIFOs, bytes (whole memory blocks).
    pub onchip_bytes: u64,
    pub macs: u64,
    /// HBM bytes its DMA engines move.
    pub hbm_bytes: u64,
}

/// The whole design.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub regions: Vec<RegionSummary>,
    /// Distinct designs (one instance each).
    pub designs: usize,
    /// All regions in order plus the switches between them, cycles.
    pub latency_cycles: f64,
    pub seconds_per_cycle: f64,
    /// Cycles between two regions (a kernel start), as the latency counts them.
    pub region_switch_cycles: f64,
    /// One instance of each design (HBM bandwidth: the most one region claims).
    pub bitstream: Resources,
    /// Kernel buffers and FIFOs of every design, bytes.
    pub onchip_bytes: u64,
    /// HBM bytes the design moves (its DMA engines and memory ports: repeated reads and spills
    /// between regions included).
    pub hbm_bytes: u64,
    /// The board's roofline at the network's MACs and compulsory HBM bytes (each input,
    /// weight, constant and output once: `design::compulsory_bytes`) and the design's latency.
    pub roofline: Roofline,
    /// How the regions share the fabric (the function's `regions` attribute).
    pub mode: RegionMode,
    /// Pipelined regions: a stream of requests through them.
    pub pipeline: Option<PipelineSchedule>,
    /// Pipelined regions: the board's roofline at one request per period.
    pub pipelined_roofline: Option<Roofline>,
    /// Bytes spilled to HBM between regions, per request.
    pub spill_bytes: u64,
    /// Regions that pipelining was asked for and declined (no faster than one request at a
    /// time): the period it would have reached, cycles.
    pub declined_period_cycles: Option<f64>,
}

/// Summarises the dataflow design in `module` on the board of `budgets` (its whole fabric:
/// the roofline's peak).
pub fn summarize(cx: &Context, module: OpId, budgets: &Budgets) -> Result<Summary, String> {
    let mut designs = Vec::new();
    let blocks = dataflow_blocks(cx, module);
    for (i, &block) in blocks.iter().enumerate() {
        designs.push(design_of(cx, block, &format!("region{i}"))?.design);
    }
    let mut functions: Vec<OpId> = blocks.iter().filter_map(|&b| function_of(cx, b)).collect();
    functions.dedup();
    let mode = functions.first().map_or(RegionMode::Resident, |&f| RegionMode::of_function(cx, f));
    let compulsory: u64 = functions.iter().map(|&f| compulsory_bytes(cx, f)).sum();
    let spills: u64 = functions.iter().map(|&f| spill_bytes(cx, f)).sum();
    let declined_period_cycles =
        functions.first().and_then(|&f| cx.attr(f, crate::DECLINED_PERIOD_ATTR)).and_then(|a| a.as_float());
    let pipelined = mode == RegionMode::Pipelined;
    if designs.is_empty() {
        return Err("no dataflow design (run the dataflow pipeline first)".into());
    }
    let class_of = dnnc_stream::classes(&designs);
    let mut regions = Vec::with_capacity(designs.len());
    let (mut macs, mut hbm, mut dsp_weighted) = (0u64, 0u64, 0.0f64);
    for (d, &design) in designs.iter().zip(&class_of) {
        let flow = dnnc_stream::bounded_flow(d).map_err(|e| e.to_string())?;
        let region_macs: u64 = d.kernels.iter().map(|k| k.macs).sum();
        let hbm_bytes = d.kernels.iter().filter(|k| k.kind.is_dma()).map(|k| k.hbm_bytes).sum();
        macs += region_macs;
        hbm += hbm_bytes;
        dsp_weighted += region_macs as f64 * dnnc_stream::analysis::dsp_per_mac(d, budgets);
        regions.push(RegionSummary {
            design,
            kernels: d.kernels.len(),
            latency_cycles: flow.latency_cycles,
            period_cycles: dnnc_stream::analysis::period(d).0 as u64,
            resources: d.resources().add(&d.fifo_resources()),
            onchip_bytes: d.onchip_bytes(),
            macs: region_macs,
            hbm_bytes,
        });
    }
    let switches = (regions.len() - 1) as f64 * budgets.region_switch_cycles as f64;
    let latency_cycles = regions.iter().map(|r| r.latency_cycles).sum::<f64>() + switches;
    let designs = class_of.iter().max().map_or(0, |&c| c + 1);
    let (mut bitstream, mut onchip_bytes) = (Resources::default(), 0u64);
    for c in 0..designs {
        let Some(r) = regions.iter().find(|r| r.design == c) else { continue };
        // Designs that run at the same time claim HBM bandwidth together.
        let hbm = if pipelined {
            bitstream.hbm_bytes_per_cycle + r.resources.hbm_bytes_per_cycle
        } else {
            bitstream.hbm_bytes_per_cycle.max(r.resources.hbm_bytes_per_cycle)
        };
        bitstream = Resources {
            hbm_bytes_per_cycle: hbm,
            ..bitstream.add(&Resources { hbm_bytes_per_cycle: 0.0, ..r.resources })
        };
        onchip_bytes += r.onchip_bytes;
    }
    let dsp_per_mac = if macs > 0 { dsp_weighted / macs as f64 } else { budgets.dsp_per_mac };
    let roofline = dnnc_stream::roofline(macs, compulsory, latency_cycles, dsp_per_mac, budgets);
    let pipeline = pipelined.then(|| {
        let latency: Vec<f64> = regions.iter().map(|r| r.latency_cycles).collect();
        dnnc_stream::pipeline_schedule(&class_of, &latency, budgets.region_switch_cycles as f64)
    });
    let pipelined_roofline =
        pipeline.as_ref().map(|p| dnnc_stream::roofline(macs, compulsory, p.period_cycles, dsp_per_mac, budgets));
    Ok(Summary {
        regions,
        designs,
        latency_cycles,
        seconds_per_cycle: budgets.seconds_per_cycle(),
        region_switch_cycles: budgets.region_switch_cycles as f64,
        bitstream,
        onchip_bytes,
        hbm_bytes: hbm,
        roofline,
        mode,
        pipeline,
        pipelined_roofline,
        spill_bytes: spills,
        declined_period_cycles,
    })
}
