//! The dataflow stages: `--emit=dataflow` (the IR after the dataflow pipeline), `--emit=kernels`
//! (kernel descriptors, docs/kernels.md) and `--emit=hls` (Vitis-HLS C++), all for an FPGA
//! board given with `--arch` (a preset, `u55c` or `u280`, or a board TOML; docs/fpga.md).
//!
//! `--arch` names either kind of target, so each kind of stage checks it got its own: a spatial
//! accelerator for a dataflow stage, or a board for a schedule stage, is a usage error.

use dnnc_arch::fpga::{self, FpgaBoard};
use dnnc_ir::{Context, OpId, PassManager, PassManagerOptions, PrintOptions, print_module, render_all, verify};

use crate::{Args, EXIT_FAILURE, EXIT_USAGE, Emit};

type Failure = (i32, String);

fn usage(message: impl std::fmt::Display) -> Failure {
    (EXIT_USAGE, format!("dnnc: error: {message}\n"))
}

/// Whether `name` (an `--arch` value) is an FPGA board: a board preset, or a TOML file with a
/// `[fabric]` table.
fn is_board(name: &str) -> bool {
    if fpga::is_preset(name) {
        return true;
    }
    let path = std::path::Path::new(name);
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        && std::fs::read_to_string(path).is_ok_and(|text| fpga::looks_like_board(&text))
}

/// Checks `--arch` against the stage before the model is read: the board of a dataflow stage,
/// `None` for other stages (after rejecting a board given to a schedule stage).
pub(crate) fn board(args: &Args) -> Result<Option<FpgaBoard>, Failure> {
    // `--emit=report` serves both kinds of target: the schedule's report for a spatial
    // accelerator, the dataflow design's for a board.
    let dataflow = matches!(args.emit, Emit::Dataflow | Emit::Kernels | Emit::Hls | Emit::VitisLink)
        || (args.emit == Emit::Report && args.arch.as_deref().is_some_and(is_board));
    match (&args.arch, dataflow) {
        (None, true) => Err(usage(
            "--emit=dataflow, kernels, hls and vitis-link need an FPGA board: --arch u55c, u280 or a board TOML",
        )),
        (Some(name), true) => {
            if !is_board(name)
                && (dnnc_arch::Accelerator::preset_source(name).is_some() || std::path::Path::new(name).exists())
            {
                return Err(usage(format!(
                    "'{name}' is a spatial accelerator; --emit=dataflow, kernels, hls and vitis-link need an FPGA board (presets: {}, or a board TOML with a [fabric] table)",
                    fpga::PRESET_NAMES.join(", ")
                )));
            }
            fpga::resolve(name).map(Some).map_err(usage)
        }
        (Some(name), false) if args.emit.scheduled() && is_board(name) => Err(usage(format!(
            "'{name}' is an FPGA board; --emit={} needs a spatial accelerator (presets: {}); boards serve --emit=dataflow, kernels and hls",
            spatial_stage(args.emit),
            dnnc_arch::PRESET_NAMES.join(", ")
        ))),
        _ => Ok(None),
    }
}

fn spatial_stage(emit: Emit) -> &'static str {
    match emit {
        Emit::Schedule => "schedule",
        Emit::Json => "json",
        Emit::ZigzagMapping => "zigzag-mapping",
        Emit::Report => "report",
        _ => "this stage",
    }
}

/// Runs the dataflow pipeline on the einsum IR in `module` and renders the stage.
pub(crate) fn emit(
    args: &Args,
    board: &FpgaBoard,
    cx: &mut Context,
    module: OpId,
    print: PrintOptions,
) -> Result<String, Failure> {
    let name = args.arch.as_deref().unwrap_or(&board.name).replace('"', "");
    let pipeline =
        dnnc_passes::dataflow_pipeline_with(&format!("\"{name}\""), &args.fabric_share.to_string(), &args.regions);
    let mut pm = PassManager::parse(&pipeline, &dnnc_passes::registry(), PassManagerOptions::default())
        .map_err(|e| (EXIT_FAILURE, format!("dnnc: internal error: {e}\n")))?;
    if let Err(e) = pm.run(cx, module, &mut std::io::sink()) {
        return Err((EXIT_FAILURE, format!("{}{}: error: {e}\n", render_all(&e.diagnostics, &cx.sources), args.model)));
    }
    if let Err(diags) = verify(cx, module) {
        return Err((EXIT_FAILURE, render_all(&diags, &cx.sources)));
    }
    let fail = |e: String| (EXIT_FAILURE, format!("dnnc: error: {}: {e}\n", args.model));
    match args.emit {
        Emit::Dataflow => Ok(print_module(cx, module, print)),
        Emit::Kernels => dnnc_emit::kernels::kernels_json(cx, module, board).map_err(fail),
        Emit::Hls => dnnc_emit::hls::hls_cpp(cx, module, board).map_err(fail),
        Emit::VitisLink => dnnc_emit::hls::vitis_link(cx, module, board).map_err(fail),
        Emit::Report => {
            let summary =
                dnnc_dataflow::summary::summarize(cx, module, &dnnc_stream::Budgets::from(board)).map_err(fail)?;
            let topo = dnnc_emit::kernels::Topology::of(cx, module).ok();
            let hbm = topo.as_ref().map(|t| t.hbm_plan(cx, board));
            let function = topo.map(|t| t.func_name).unwrap_or_default();
            Ok(dnnc_emit::dataflow_report::report_text(&function, board, &summary, hbm.as_ref()))
        }
        _ => unreachable!("emit() serves the dataflow stages only"),
    }
}
