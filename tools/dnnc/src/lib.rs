//! `dnnc`: the compiler driver. `dnnc MODEL --emit=STAGE [--arch ACCEL] [-o FILE] [--bind NAME=SIZE]...`.
//!
//! MODEL is an ONNX protobuf file or, with the extension `.onnxtxt`, a model in the ONNX text
//! syntax (`dnnc_onnx::read_model_any`). `--bind N=1` gives a symbolic dimension its size; an
//! unbound symbolic dimension is an error naming it.
//!
//! The driver's stages come with the issues that implement them. [`Emit`] lists exactly the
//! stages this build implements: `graph`, the imported model in the graph dialect; `einsum`,
//! the model after `graph-canonicalize`, `lower-graph-to-einsum` and `fold-layout-into-access`;
//! `summary`, a per-layer table of the einsums; and, with `--arch`, the schedule found by the
//! `tile` pass: `schedule` (the IR with every einsum's mapping), `json` (schema
//! `dnnc.schedule/1`, docs/schedule-json.md), `zigzag-mapping` (a ZigZag mapping file that
//! makes ZigZag score exactly dnnc's loop nests) and `report` (a per-layer table; `--figures
//! DIR` also writes SVG figures). With an FPGA board (`--arch u55c`, `u280` or a board TOML,
//! docs/fpga.md) the dataflow stages: `dataflow` (the IR after the dataflow pipeline),
//! `kernels` (kernel descriptors, docs/kernels.md) and `hls` (Vitis-HLS C++). Any other
//! `--emit` value is a usage error naming the valid ones, never placeholder output. [`run`] is
//! the whole tool behind an in-memory interface, for tests.
//!
//! Exit codes: 0 success; 1 the IR failed verification; 2 usage errors and bad input (an
//! unreadable or corrupt model, an unsupported op).

use clap::Parser;
mod dataflow;
mod mlir;
mod schedule;
mod summary;

use dnnc_ir::{Context, PassManager, PassManagerOptions, PrintOptions, print_module, render_all, verify};
use std::io::Write;
use std::sync::Arc;

/// Exit code for IR that fails verification.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code for usage errors and bad input.
pub const EXIT_USAGE: i32 = 2;

/// The output stages this build can emit. Each variant arrives with the pass pipeline and
/// emitter that produce it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Emit {
    /// The model imported into the graph dialect, verified, as IR text.
    Graph,
    /// The model lowered to einsum loop nests, as IR text.
    Einsum,
    /// A per-layer table of the einsums: kind, loop nest, MACs or points, bytes per operand.
    Summary,
    /// The scheduled IR: every einsum with its mapping and cost.
    Schedule,
    /// The schedule as JSON (`dnnc.schedule/1`).
    Json,
    /// A ZigZag mapping file for the scheduled layers.
    ZigzagMapping,
    /// A per-layer table of the schedule (and SVG figures with `--figures`).
    Report,
    /// The dataflow design for an FPGA board (`--arch u55c`), as IR text.
    Dataflow,
    /// The dataflow design's kernel descriptors as JSON (`dnnc.kernels/1`, docs/kernels.md).
    Kernels,
    /// The dataflow design as Vitis-HLS C++.
    Hls,
    /// The v++ link configuration of that C++: compute units, each memory argument on its
    /// HBM pseudo channel, the kernel clock.
    VitisLink,
    /// The IR of `--mlir-stage` as an MLIR module checked by MLIR's verifier (a build with
    /// the `mlir` feature; see docs/mlir.md).
    Mlir,
}

impl Emit {
    /// Every implemented stage's name, for messages.
    pub const NAMES: &'static [&'static str] = &[
        "graph",
        "einsum",
        "summary",
        "schedule",
        "json",
        "zigzag-mapping",
        "report",
        "dataflow",
        "kernels",
        "hls",
        "vitis-link",
        "mlir",
    ];

    /// Whether the stage needs a schedule (and so `--arch`).
    fn scheduled(self) -> bool {
        matches!(self, Emit::Schedule | Emit::Json | Emit::ZigzagMapping | Emit::Report)
    }

    fn parse(text: &str) -> Result<Emit, String> {
        match text {
            "graph" => Ok(Emit::Graph),
            "einsum" => Ok(Emit::Einsum),
            "summary" => Ok(Emit::Summary),
            "schedule" => Ok(Emit::Schedule),
            "json" => Ok(Emit::Json),
            "zigzag-mapping" => Ok(Emit::ZigzagMapping),
            "report" => Ok(Emit::Report),
            "dataflow" => Ok(Emit::Dataflow),
            "kernels" => Ok(Emit::Kernels),
            "hls" => Ok(Emit::Hls),
            "vitis-link" => Ok(Emit::VitisLink),
            "mlir" => Ok(Emit::Mlir),
            _ => Err(format!("unknown --emit stage '{text}' (implemented stages: {})", Self::NAMES.join(", "))),
        }
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "dnnc",
    version,
    about = "Compile a neural network for an accelerator: schedules, fusion and dataflow designs"
)]
struct Args {
    /// The model to compile: ONNX protobuf (`.onnx`) or the ONNX text syntax (`.onnxtxt`).
    model: String,
    /// What to produce.
    #[arg(long, value_name = "STAGE", value_parser = Emit::parse)]
    emit: Emit,
    /// Write the output here instead of standard output.
    #[arg(short = 'o', value_name = "FILE")]
    output: Option<String>,
    /// Print every op in MLIR's generic form.
    #[arg(long)]
    print_op_generic: bool,
    /// Give the symbolic dimension NAME (e.g. `N` in `float[N, 128]`) the size SIZE; repeatable.
    #[arg(long = "bind", value_name = "NAME=SIZE", value_parser = parse_binding)]
    bindings: Vec<(String, i64)>,
    /// The accelerator: a preset (tpu_like, eyeriss_like, gemmini, simba_like) or a file
    /// (dnnc `.toml`, ZigZag `.yaml`). Needed by the schedule stages.
    #[arg(long, value_name = "ACCEL")]
    arch: Option<String>,
    /// Override memory capacities of the accelerator: `sram_2MB=1MiB` (binary units B, KiB,
    /// MiB, GiB, or bit); repeatable or comma-separated.
    #[arg(long, value_name = "MEM=SIZE")]
    capacity: Vec<String>,
    /// What the schedule minimises.
    #[arg(long, value_name = "OBJ", default_value = "edp", value_parser = ["edp", "latency", "energy"])]
    objective: String,
    /// Search seed: the same model, accelerator and seed give byte-identical output.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// `fadiff`: per-layer mappings and layer fusion; `layerwise`: FADiff mappings only, every
    /// intermediate through off-chip memory; the baselines `random` (sampling at FADiff's
    /// evaluation budget per layer) and `exhaustive` (every point; small layers only), both
    /// layer-wise.
    #[arg(long, value_name = "SEARCH", default_value = "fadiff", value_parser = ["fadiff", "layerwise", "random", "exhaustive"])]
    search: String,
    /// Fix the spatial unrolling instead of searching it: `D1=K:32,D2=C:32` (accelerator
    /// array dimension = einsum dimension : factor; entries for dimensions a layer lacks are
    /// ignored for that layer).
    #[arg(long, value_name = "UNROLL")]
    spatial: Option<String>,
    /// After the fusion search, refine the layers' tile sizes and the fusion decision together
    /// (FADiff's joint descent plus an exact local search; see the `fuse` pass's `joint`).
    #[arg(long)]
    joint: bool,
    /// With `--emit=report`: also write roofline.svg, energy.svg and timeline.svg here.
    #[arg(long, value_name = "DIR")]
    figures: Option<String>,
    /// With `--emit=mlir`: the stage to export [default: schedule with --arch, else einsum].
    #[arg(long, value_name = "STAGE", value_parser = ["graph", "einsum", "schedule"])]
    mlir_stage: Option<String>,
    /// With `--emit=mlir`: einsums expressible as `linalg.generic` are written as such.
    #[arg(long)]
    linalg: bool,
    /// Dataflow stages on an FPGA board: `resident`, one bitstream holding every distinct
    /// region design (each idle while the others run); `pipelined`, the same bitstream with
    /// each distinct design working on another request at once (throughput for a stream of
    /// requests; HBM bandwidth split between the designs); `time-shared`, every region on the
    /// whole fabric — the bound of a fabric that swaps region designs, for networks whose
    /// designs do not fit side by side.
    #[arg(long, value_name = "MODE", default_value = "resident", value_parser = ["resident", "pipelined", "time-shared"])]
    regions: String,
    /// Dataflow stages on an FPGA board: the share of its DSP/BRAM/URAM/LUT a design may use
    /// (the shell and routing take the rest).
    #[arg(long, value_name = "F", default_value_t = 0.75, value_parser = parse_share)]
    fabric_share: f64,
}

/// Parses `--fabric-share`: a fraction in (0, 1].
fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err(format!("expected a fraction of the board in (0, 1], got '{text}'")),
    }
}

/// Parses a `--bind` value, `NAME=SIZE` with a non-empty name and a size of 0 or more.
fn parse_binding(text: &str) -> Result<(String, i64), String> {
    let Some((name, size)) = text.split_once('=') else {
        return Err(format!("expected NAME=SIZE (e.g. N=1), got '{text}'"));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("the dimension name is empty in '{text}'"));
    }
    match size.trim().parse::<i64>() {
        Ok(n) if n >= 0 => Ok((name.to_string(), n)),
        _ => Err(format!("the size of '{name}' must be a non-negative integer, got '{size}'")),
    }
}

/// Runs dnnc with `args` (the first being the program name), writing to the given streams;
/// returns the exit code.
pub fn run(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            let sink: &mut dyn Write = if e.use_stderr() { stderr } else { stdout };
            let _ = write!(sink, "{}", e.render());
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    match compile(&args) {
        Ok(text) => {
            let written = match &args.output {
                Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write '{path}': {e}")),
                None => stdout.write_all(text.as_bytes()).map_err(|e| format!("cannot write output: {e}")),
            };
            match written {
                Ok(()) => 0,
                Err(e) => {
                    let _ = writeln!(stderr, "dnnc: error: {e}");
                    EXIT_USAGE
                }
            }
        }
        Err((code, message)) => {
            let _ = write!(stderr, "{message}");
            code
        }
    }
}

/// Imports the model and produces the requested stage's text, or an exit code and message.
fn compile(args: &Args) -> Result<String, (i32, String)> {
    let usage = |e: &dyn std::fmt::Display| (EXIT_USAGE, format!("dnnc: error: {e}\n"));
    let mut options = dnnc_onnx::ImportOptions::default();
    for (name, size) in &args.bindings {
        if options.bindings.insert(name.clone(), *size).is_some() {
            return Err(usage(&format!("--bind {name} is given more than once")));
        }
    }
    mlir::check(args)?;
    // Dataflow stages need an FPGA board, schedule stages an accelerator: check before reading.
    let board = dataflow::board(args)?;
    let arch = match (&args.arch, board.is_none() && (args.emit.scheduled() || mlir::at(args, "schedule"))) {
        (Some(name), true) => Some(
            dnnc_arch::Accelerator::resolve(name)
                .and_then(|a| a.with_capacities(&args.capacity.join(",")))
                .map_err(|e| usage(&e))?,
        ),
        (None, true) => {
            return Err(usage(&"--emit=schedule, json, zigzag-mapping and report need --arch (e.g. --arch tpu_like)"));
        }
        _ => None,
    };
    let model = dnnc_onnx::read_model_any(&args.model).map_err(|e| usage(&e))?;
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let module = dnnc_onnx::import_model(&mut cx, &model, &options).map_err(|e| usage(&e))?;
    if let Err(diags) = verify(&cx, module) {
        return Err((EXIT_FAILURE, render_all(&diags, &cx.sources)));
    }
    let print = PrintOptions { generic: args.print_op_generic, locations: true };
    if args.emit == Emit::Graph || mlir::at(args, "graph") {
        return mlir::or_print(args, &cx, module, print);
    }
    let pipeline = "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)";
    let mut pm = PassManager::parse(pipeline, &dnnc_passes::registry(), PassManagerOptions::default())
        .map_err(|e| (EXIT_FAILURE, format!("dnnc: internal error: {e}\n")))?;
    if let Err(e) = pm.run(&mut cx, module, &mut std::io::sink()) {
        return Err((EXIT_FAILURE, format!("{}{}: error: {e}\n", render_all(&e.diagnostics, &cx.sources), args.model)));
    }
    if let Some(board) = &board {
        return dataflow::emit(args, board, &mut cx, module, print);
    }
    if mlir::at(args, "einsum") {
        return mlir::or_print(args, &cx, module, print);
    }
    if !args.emit.scheduled() && args.emit != Emit::Mlir {
        return Ok(match args.emit {
            Emit::Einsum => print_module(&cx, module, print),
            _ => summary::render(&cx, module, &args.model),
        });
    }
    let (Some(arch), Some(arch_name)) = (arch, &args.arch) else {
        return Err(usage(&"--emit=schedule, json, zigzag-mapping and report need --arch (e.g. --arch tpu_like)"));
    };
    let arch_option = arch_name.replace('"', "");
    let method = match args.search.as_str() {
        "random" | "exhaustive" => args.search.as_str(),
        _ => "fadiff",
    };
    let spatial = args.spatial.as_deref().unwrap_or("").replace('"', "");
    let capacity = args.capacity.join(",").replace('"', "");
    let mut pipeline = format!(
        "tile{{arch=\"{arch_option}\" capacity=\"{capacity}\" objective={} seed={} search={method} spatial=\"{spatial}\"}}",
        args.objective, args.seed
    );
    if args.search == "fadiff" {
        pipeline.push_str(&format!(
            ",fuse{{arch=\"{arch_option}\" capacity=\"{capacity}\" objective={} joint={}}}",
            args.objective, args.joint
        ));
    }
    let tile = format!("builtin.module({pipeline})");
    let mut pm = PassManager::parse(&tile, &dnnc_passes::registry(), PassManagerOptions::default())
        .map_err(|e| (EXIT_USAGE, format!("dnnc: error: {e}\n")))?;
    let spinner = Spinner::after(std::time::Duration::from_secs(1), "scheduling (tile, fuse)");
    let run = pm.run(&mut cx, module, &mut std::io::sink());
    drop(spinner);
    let report = match run {
        Ok(r) => r,
        Err(e) => {
            return Err((
                EXIT_FAILURE,
                format!("{}{}: error: {e}\n", render_all(&e.diagnostics, &cx.sources), args.model),
            ));
        }
    };
    if args.emit == Emit::Schedule || args.emit == Emit::Mlir {
        return mlir::or_print(args, &cx, module, print);
    }
    let info = schedule::RunInfo {
        model: &args.model,
        objective: &args.objective,
        seed: args.seed,
        searches: report.statistics.get("tile").and_then(|s| s.get("searches")).copied().unwrap_or(0) as usize,
    };
    let (sched, layers) =
        schedule::collect(&cx, module, &arch, &info).map_err(|e| (EXIT_FAILURE, format!("dnnc: error: {e}\n")))?;
    match args.emit {
        Emit::Json => Ok(dnnc_emit::to_json(&sched)),
        Emit::ZigzagMapping => {
            let entries: Vec<dnnc_emit::zigzag::Entry<'_>> = layers
                .iter()
                .map(|l| dnnc_emit::zigzag::Entry {
                    name: &l.name,
                    source: &l.source,
                    layer: &l.layer,
                    mapping: &l.mapping,
                })
                .collect();
            dnnc_emit::zigzag::mapping_yaml(&arch, &entries).map_err(|e| (EXIT_FAILURE, format!("dnnc: error: {e}\n")))
        }
        _ => {
            if let Some(dir) = &args.figures {
                write_figures(dir, &sched).map_err(|e| usage(&e))?;
            }
            Ok(dnnc_emit::report_text(&sched))
        }
    }
}

/// Writes the report's SVG figures into `dir`.
fn write_figures(dir: &str, sched: &dnnc_emit::Schedule) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create '{dir}': {e}"))?;
    let figures = [
        ("roofline.svg", dnnc_emit::roofline_svg(sched)?),
        ("energy.svg", dnnc_emit::energy_breakdown_svg(sched)?),
        ("timeline.svg", dnnc_emit::timeline_svg(sched)?),
    ];
    for (name, svg) in figures {
        let path = std::path::Path::new(dir).join(name);
        std::fs::write(&path, svg).map_err(|e| format!("cannot write '{}': {e}", path.display()))?;
    }
    Ok(())
}

/// A spinner on stderr for searches longer than `delay`, only when stderr is a terminal (so
/// pipes, logs and tests see nothing); cleared when dropped.
struct Spinner {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    fn after(delay: std::time::Duration, message: &'static str) -> Spinner {
        use std::io::IsTerminal;
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Spinner { done, thread: None };
        }
        let flag = done.clone();
        let thread = std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while start.elapsed() < delay {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let bar = indicatif::ProgressBar::new_spinner().with_message(message);
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            bar.finish_and_clear();
        });
        Spinner { done, thread: Some(thread) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
