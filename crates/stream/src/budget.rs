//! What a design may use: fabric resources, HBM bandwidth and the clock, from an FPGA board.

use dnnc_arch::fpga::FpgaBoard;
use serde::{Deserialize, Serialize};

use crate::design::Resources;

/// Resource budgets and timing constants for allocation, partitioning and the roofline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Budgets {
    /// DSP slices.
    pub dsp: u64,
    /// 36 Kb block RAMs.
    pub bram36: u64,
    /// 288 Kb UltraRAMs.
    pub uram: u64,
    /// Look-up tables.
    pub lut: u64,
    /// Peak HBM bandwidth, bytes per cycle of the kernel clock.
    pub hbm_bytes_per_cycle: f64,
    /// What one HBM pseudo channel sustains, bytes per cycle (0: bandwidth is one pool). A DMA
    /// engine needing more takes whole channels, its tensor striped over them
    /// ([`Budgets::dma_claim`]).
    pub hbm_channel_bytes_per_cycle: f64,
    /// Kernel clock, MHz.
    pub clock_mhz: f64,
    /// DSPs per multiply-accumulate per cycle when the design has no MAC kernel to say (1 for
    /// int8/int16 on a DSP48E2; a floating-point MAC takes more).
    pub dsp_per_mac: f64,
    /// Cycles lost each time one dataflow region ends and the next starts (host handshake, the
    /// next region's kernels starting; the drain/fill itself is in each region's latency).
    pub region_switch_cycles: u64,
}

impl Budgets {
    /// The whole board's fabric and bandwidth, scaled by `fraction` (the share a design may
    /// claim after the platform shell and routing headroom; bandwidth and clock are not scaled):
    /// what designs are allocated against. HBM bandwidth is what streaming sustains
    /// ([`FpgaBoard::hbm_sustained_bytes_per_cycle`]), not the peak.
    pub fn from_board(board: &FpgaBoard, fraction: f64) -> Budgets {
        let scale = |x: u64| (x as f64 * fraction).floor() as u64;
        Budgets {
            dsp: scale(board.dsps),
            bram36: scale(board.bram36),
            uram: scale(board.uram),
            lut: scale(board.luts),
            hbm_bytes_per_cycle: board.hbm_sustained_bytes_per_cycle(),
            hbm_channel_bytes_per_cycle: board.hbm_bytes_per_cycle_per_channel() * board.hbm_efficiency,
            clock_mhz: board.clock_mhz,
            dsp_per_mac: 1.0,
            // ≈ 10 µs at 300 MHz: an XRT kernel start round trip.
            region_switch_cycles: (10.0 * board.clock_mhz) as u64,
        }
    }

    /// The HBM bandwidth a DMA engine moving `bytes_per_cycle` claims: its own when it fits in
    /// one pseudo channel (such engines share channels), else the whole channels its stripes
    /// take — the rest of each is left to engines small enough to fit beside it, so counting
    /// it as used keeps a region's engines placeable on the channels (docs/kernels.md, "HBM
    /// placement").
    pub fn dma_claim(&self, bytes_per_cycle: f64) -> f64 {
        let channel = self.hbm_channel_bytes_per_cycle;
        if channel <= 0.0 || bytes_per_cycle <= channel {
            bytes_per_cycle
        } else {
            (bytes_per_cycle / channel - 1e-9).ceil() * channel
        }
    }

    /// Seconds per cycle at the kernel clock.
    pub fn seconds_per_cycle(&self) -> f64 {
        1.0 / (self.clock_mhz * 1e6)
    }

    /// Whether `r` fits in these budgets.
    pub fn fits(&self, r: &Resources) -> bool {
        r.dsp <= self.dsp
            && r.bram36 <= self.bram36
            && r.uram <= self.uram
            && r.lut <= self.lut
            && r.hbm_bytes_per_cycle <= self.hbm_bytes_per_cycle * (1.0 + 1e-9)
    }

    /// The first budget `r` exceeds, for messages.
    pub fn first_excess(&self, r: &Resources) -> Option<String> {
        let over = |what: &str, used: f64, have: f64| format!("{what}: {used} > {have}");
        if r.dsp > self.dsp {
            Some(over("DSP", r.dsp as f64, self.dsp as f64))
        } else if r.bram36 > self.bram36 {
            Some(over("BRAM36", r.bram36 as f64, self.bram36 as f64))
        } else if r.uram > self.uram {
            Some(over("URAM", r.uram as f64, self.uram as f64))
        } else if r.lut > self.lut {
            Some(over("LUT", r.lut as f64, self.lut as f64))
        } else if r.hbm_bytes_per_cycle > self.hbm_bytes_per_cycle * (1.0 + 1e-9) {
            Some(over("HBM bytes/cycle", r.hbm_bytes_per_cycle, self.hbm_bytes_per_cycle))
        } else {
            None
        }
    }
}

impl From<&FpgaBoard> for Budgets {
    /// The whole board at its peaks (fraction 1, HBM at its peak bandwidth): the board's
    /// roofline.
    fn from(board: &FpgaBoard) -> Budgets {
        Budgets { hbm_bytes_per_cycle: board.hbm_bytes_per_cycle(), ..Budgets::from_board(board, 1.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u55c_budgets() {
        let board = dnnc_arch::fpga::preset("u55c").unwrap();
        let b = Budgets::from(&board);
        assert_eq!(b.dsp, 9024);
        // 460 GB/s at 300 MHz.
        assert!((b.hbm_bytes_per_cycle - 460e9 / 300e6).abs() < 1e-6);
        let half = Budgets::from_board(&board, 0.5);
        assert_eq!(half.dsp, 4512);
        // Allocation counts on the 92 % of the peak HBM sustains.
        assert!((half.hbm_bytes_per_cycle - 0.92 * 460e9 / 300e6).abs() < 1e-6);
        assert!(b.fits(&Resources { dsp: 9024, ..Resources::default() }));
        assert!(b.first_excess(&Resources { uram: 961, ..Resources::default() }).unwrap().contains("URAM"));
        // A U55C pseudo channel sustains 44.1 bytes per cycle: an engine of 30 claims its 30, one of
        // 100 three whole channels.
        let channel = 0.92 * 14.375e9 / 300e6;
        assert!((half.hbm_channel_bytes_per_cycle - channel).abs() < 1e-9);
        assert_eq!(half.dma_claim(30.0), 30.0);
        assert!((half.dma_claim(100.0) - 3.0 * channel).abs() < 1e-9);
    }
}
