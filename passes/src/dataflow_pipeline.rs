//! What the dataflow passes share: the board and fabric-share options, the budgets they give,
//! and the pipeline a driver runs to turn einsum IR into a sized dataflow design.

use dnnc_arch::fpga::FpgaBoard;
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_stream::Budgets;

/// `board=u55c|u280|PATH`: the FPGA whose budgets a dataflow pass uses.
pub const BOARD: PassOptionDef = PassOptionDef {
    name: "board",
    kind: OptionKind::String,
    default: "u55c",
    help: "FPGA board preset (u55c, u280) or board TOML file",
};

/// `fraction=F`: the share of the board's fabric a design may take.
pub const FRACTION: PassOptionDef = PassOptionDef {
    name: "fraction",
    kind: OptionKind::Float,
    default: "0.75",
    help: "share of the board's DSP/BRAM/URAM/LUT a design may use (the shell and routing take the rest)",
};

/// Reads the `board` option.
pub fn board(opts: &PassOptions) -> Result<FpgaBoard, String> {
    dnnc_arch::fpga::resolve(opts.string("board")).map_err(|e| e.to_string())
}

/// The budgets of the `board` and `fraction` options.
pub fn budgets(opts: &PassOptions) -> Result<Budgets, String> {
    let fraction = opts.float("fraction");
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(format!("fraction must be within (0, 1], but is {fraction}"));
    }
    Ok(Budgets::from_board(&board(opts)?, fraction))
}

/// The pass pipeline from einsum IR (after `lower-graph-to-einsum`, optionally `tile`/`fuse`)
/// to a dataflow design for `board`: kernels, on-chip streams and converters, DMA, sequential
/// regions when the design exceeds the chip, parallelism per kernel, FIFO depths.
/// Partitioning comes before allocation and sizing, which then work per region.
pub fn dataflow_pipeline(board: &str) -> String {
    dataflow_pipeline_with(board, FRACTION.default, "resident")
}

/// [`dataflow_pipeline`] with the fabric share `fraction` the partitioning and allocation use
/// and `allocate-resources`' `regions` (`resident`, `pipelined` or `time-shared`).
pub fn dataflow_pipeline_with(board: &str, fraction: &str, regions: &str) -> String {
    format!(
        "builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{{board={board}}},\
         partition-dataflow{{board={board} fraction={fraction}}},\
         allocate-resources{{board={board} fraction={fraction} regions={regions}}},size-fifos)"
    )
}
