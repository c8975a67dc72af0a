//! `dnnc MODEL --arch BOARD --emit=report`: what the dataflow design does on the board, as a
//! terminal report (`dnnc_dataflow::summary`): one row per distinct region design, then the
//! latency, the board's roofline, on-chip memory and what one bitstream holds; for pipelined
//! regions also the period between requests and the roofline at that throughput.

use dnnc_arch::fpga::FpgaBoard;
use dnnc_dataflow::RegionMode;
use dnnc_dataflow::summary::Summary;

use crate::format::{eng, percent};
use crate::hbm::HbmPlan;
use crate::table::{Align, Table};

/// The report for `summary` of a design of function `function` on `board`, as its regions
/// share the fabric (`summary.mode`, from `allocate-resources{regions=…}`).
pub fn report_text(function: &str, board: &FpgaBoard, summary: &Summary, hbm: Option<&HbmPlan>) -> String {
    let s = summary;
    let time_shared = s.mode == RegionMode::TimeShared;
    let ms = |cycles: f64| cycles * s.seconds_per_cycle * 1e3;
    let mut out = format!(
        "Dataflow design of '{function}' on {} ({} MHz; {} DSP, {} BRAM36, {} URAM, {} LUT; HBM {} GB/s)\n",
        board.name,
        board.clock_mhz,
        board.dsps,
        board.bram36,
        board.uram,
        board.luts,
        board.hbm_gbps()
    );
    out.push_str(&match s.mode {
        RegionMode::TimeShared => format!(
            "  {} region(s) run one after another, each on the whole fabric share ({} distinct design(s)); \
             time-shared: the bound of a fabric that swaps designs between regions, which one bitstream cannot\n\n",
            s.regions.len(),
            s.designs
        ),
        RegionMode::Resident => format!(
            "  {} region(s) run one after another; {} distinct design(s), one instance each, called once per region\n\n",
            s.regions.len(),
            s.designs
        ),
        RegionMode::Pipelined => format!(
            "  {} region(s) run one after another for each request; {} distinct design(s), one instance each, \
             called once per region, each working on another request at the same time (pipelined)\n\n",
            s.regions.len(),
            s.designs
        ),
    });
    // Each design's share of the time: of one request's latency, or, pipelined, of the period
    // (its busy fraction in steady state, calls included).
    let (share_of, whole) = match &s.pipeline {
        Some(p) => ("busy", p.period_cycles),
        None => ("of latency", s.latency_cycles),
    };
    let call = if s.pipeline.is_some() { s.region_switch_cycles } else { 0.0 };
    let mut t = Table::new(&[
        ("design", Align::Right),
        ("regions", Align::Left),
        ("kernels", Align::Right),
        ("DSP", Align::Right),
        ("BRAM36", Align::Right),
        ("URAM", Align::Right),
        ("LUT", Align::Right),
        ("period", Align::Right),
        ("latency/call", Align::Right),
        ("calls", Align::Right),
        ("total ms", Align::Right),
        (share_of, Align::Right),
    ]);
    for d in 0..s.designs {
        let regions: Vec<usize> = (0..s.regions.len()).filter(|&r| s.regions[r].design == d).collect();
        let Some(&first) = regions.first() else { continue };
        let r = &s.regions[first];
        let total: f64 = regions.iter().map(|&i| s.regions[i].latency_cycles).sum();
        t.row(vec![
            d.to_string(),
            ranges(&regions),
            r.kernels.to_string(),
            r.resources.dsp.to_string(),
            r.resources.bram36.to_string(),
            r.resources.uram.to_string(),
            r.resources.lut.to_string(),
            r.period_cycles.to_string(),
            format!("{:.0}", r.latency_cycles),
            regions.len().to_string(),
            format!("{:.3}", ms(total)),
            format!("{} %", percent((total + call * regions.len() as f64) / whole.max(1.0))),
        ]);
    }
    out.push_str(&t.render("  "));
    let roof = &s.roofline;
    let b = &s.bitstream;
    out.push_str(&format!(
        "\n  latency        {:.3} ms ({:.0} cycles: the regions' flow estimates and {} switch(es))\n",
        ms(s.latency_cycles),
        s.latency_cycles,
        s.regions.len() - 1
    ));
    out.push_str(&format!(
        "  roofline       {:.3} of the board's{} ({} MACs, {} bytes of compulsory HBM traffic, the design moves {}; \
         bound {:.0} cycles, {})\n",
        roof.fraction,
        if s.pipeline.is_some() { " for one request alone" } else { "" },
        eng(roof.macs as f64),
        eng(roof.hbm_bytes as f64),
        eng(s.hbm_bytes as f64),
        roof.bound_cycles,
        if roof.memory_bound { "memory-bound" } else { "compute-bound" }
    ));
    if let Some(period) = s.declined_period_cycles {
        let why =
            if s.designs == 1 { "one design: nothing to overlap" } else { "the designs would share HBM bandwidth" };
        out.push_str(&format!(
            "  pipelined      declined: one request every {:.3} ms at best, no faster than one at a time ({why}); \
             allocated resident\n",
            ms(period)
        ));
    }
    if let (Some(p), Some(proof)) = (&s.pipeline, &s.pipelined_roofline) {
        out.push_str(&format!(
            "  pipelined      one request every {:.3} ms ({:.0} cycles; bound {:.0}: the busiest design's time \
             per request); {:.3} ms a request, {} request(s) in flight, each with its own spills ({:.3} MB of HBM \
             in all)\n",
            ms(p.period_cycles),
            p.period_cycles,
            p.bound_cycles,
            ms(p.request_latency_cycles),
            p.in_flight,
            (p.in_flight as u64 * s.spill_bytes) as f64 / 1e6
        ));
        out.push_str(&format!("  roofline       {:.3} of the board's at that throughput\n", proof.fraction));
    }
    // Time-shared, the fabric holds one region at a time: its largest one.
    let largest = |f: fn(&dnnc_dataflow::summary::RegionSummary) -> u64| s.regions.iter().map(f).max().unwrap_or(0);
    let (onchip, what) = if time_shared {
        (largest(|r| r.onchip_bytes), "of the largest region")
    } else {
        (s.onchip_bytes, "of every design")
    };
    out.push_str(&format!("  on-chip        {:.3} MB (kernel buffers and FIFOs {what})\n", onchip as f64 / 1e6));
    let b = &if time_shared {
        dnnc_stream::Resources {
            dsp: largest(|r| r.resources.dsp),
            bram36: largest(|r| r.resources.bram36),
            uram: largest(|r| r.resources.uram),
            lut: largest(|r| r.resources.lut),
            ..*b
        }
    } else {
        *b
    };
    let pct = |used: u64, have: u64| percent(if have > 0 { used as f64 / have as f64 } else { 0.0 });
    out.push_str(&format!(
        "  {}DSP {} ({} %), BRAM36 {} ({} %), URAM {} ({} %), LUT {} ({} %){}\n",
        if time_shared { "largest region " } else { "bitstream      " },
        b.dsp,
        pct(b.dsp, board.dsps),
        b.bram36,
        pct(b.bram36, board.bram36),
        b.uram,
        pct(b.uram, board.uram),
        b.lut,
        pct(b.lut, board.luts),
        if s.pipeline.is_some() {
            format!(", HBM {:.1} GB/s claimed at once", b.hbm_bytes_per_cycle * board.clock_mhz * 1e6 / 1e9)
        } else {
            String::new()
        }
    ));
    if let Some((channel, share)) = hbm.and_then(HbmPlan::busiest) {
        let gbps = board.hbm_gbps_per_channel * board.hbm_efficiency;
        out.push_str(&format!(
            "  HBM channels   busiest pseudo channel {channel} at {} % of the {gbps:.1} GB/s it sustains{}\n",
            percent(share),
            if share > 1.0 + 1e-6 {
                " (oversubscribed: engines that run at the same time ask it for more than it has)"
            } else {
                " (engines placed by load, the tensors of wide ones striped over several channels)"
            }
        ));
    }
    out
}

/// `0-3, 5, 7-9`: sorted indices as ranges of consecutive ones, and alternating runs (`1, 3,
/// …, 23`) as `1..23 step 2`.
fn ranges(xs: &[usize]) -> String {
    if xs.len() > 2 {
        let step = xs[1] - xs[0];
        if step > 1 && xs.windows(2).all(|w| w[1] - w[0] == step) {
            return format!("{}..{} step {step}", xs[0], xs[xs.len() - 1]);
        }
    }
    let mut parts = Vec::new();
    let mut i = 0;
    while i < xs.len() {
        let mut j = i;
        while j + 1 < xs.len() && xs[j + 1] == xs[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}-{}", xs[i], xs[j]) } else { xs[i].to_string() });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn region_lists_read_as_ranges() {
        assert_eq!(ranges(&[0]), "0");
        assert_eq!(ranges(&[0, 1, 2, 5, 7, 8]), "0-2, 5, 7-8");
        assert_eq!(ranges(&[1, 3, 5, 7]), "1..7 step 2");
        assert_eq!(ranges(&[2, 4]), "2, 4");
    }
}
