//! `dnnc MODEL --arch BOARD --emit=report`: what the dataflow design does on the board, as a
//! terminal report (`dnnc_dataflow::summary`): one row per distinct region design, then the
//! latency, the board's roofline, on-chip memory and what one bitstream holds.

use dnnc_arch::fpga::FpgaBoard;
use dnnc_dataflow::summary::Summary;

use crate::format::{eng, percent};
use crate::table::{Align, Table};

/// The report for `summary` of a design of function `function` on `board`; `time_shared`
/// when every region was allocated the whole fabric share (`allocate-resources{regions=
/// time-shared}`) instead of one bitstream holding every distinct design.
pub fn report_text(function: &str, board: &FpgaBoard, summary: &Summary, time_shared: bool) -> String {
    let s = summary;
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
    out.push_str(&if time_shared {
        format!(
            "  {} region(s) run one after another, each on the whole fabric share ({} distinct design(s)); \
             time-shared: the bound of a fabric that swaps designs between regions, which one bitstream cannot\n\n",
            s.regions.len(),
            s.designs
        )
    } else {
        format!(
            "  {} region(s) run one after another; {} distinct design(s), one instance each, called once per region\n\n",
            s.regions.len(),
            s.designs
        )
    });
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
        ("of latency", Align::Right),
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
            format!("{} %", percent(total / s.latency_cycles.max(1.0))),
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
        "  roofline       {:.3} of the board's ({} MACs, {} bytes of HBM traffic; bound {:.0} cycles, {})\n",
        roof.fraction,
        eng(roof.macs as f64),
        eng(roof.hbm_bytes as f64),
        roof.bound_cycles,
        if roof.memory_bound { "memory-bound" } else { "compute-bound" }
    ));
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
        "  {}DSP {} ({} %), BRAM36 {} ({} %), URAM {} ({} %), LUT {} ({} %)\n",
        if time_shared { "largest region " } else { "bitstream      " },
        b.dsp,
        pct(b.dsp, board.dsps),
        b.bram36,
        pct(b.bram36, board.bram36),
        b.uram,
        pct(b.uram, board.uram),
        b.lut,
        pct(b.lut, board.luts)
    ));
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
