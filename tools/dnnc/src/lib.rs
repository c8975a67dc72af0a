//! `dnnc`: the compiler driver. `dnnc MODEL --arch A --emit=STAGE [-o FILE]`.
//!
//! The driver's stages come with the issues that implement them (ONNX frontend, scheduling,
//! dataflow backend, MLIR export). [`Emit`] lists exactly the stages this build implements; any
//! other `--emit` value is a usage error naming the valid ones, never placeholder output.
//! [`run`] is the whole tool behind an in-memory interface, for tests.

use clap::Parser;
use std::io::Write;

/// Exit code for usage errors.
pub const EXIT_USAGE: i32 = 2;

/// The output stages this build can emit. Each variant arrives with the pass pipeline and
/// emitter that produce it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Emit {}

impl Emit {
    /// Every implemented stage's name, for messages.
    pub const NAMES: &'static [&'static str] = &[];

    fn parse(text: &str) -> Result<Emit, String> {
        let valid = if Self::NAMES.is_empty() {
            "none yet: this build has no frontend, so dnnc cannot compile models; \
             use dnnc-opt to run passes over IR text"
                .to_string()
        } else {
            Self::NAMES.join(", ")
        };
        Err(format!("unknown --emit stage '{text}' (implemented stages: {valid})"))
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "dnnc",
    version,
    about = "Compile a neural network for an accelerator: schedules, fusion and dataflow designs"
)]
struct Args {
    /// The model to compile (ONNX).
    model: String,
    /// What to produce.
    #[arg(long, value_name = "STAGE", value_parser = Emit::parse)]
    emit: Emit,
    /// Accelerator description (a preset name or a file).
    #[arg(long, value_name = "ARCH")]
    arch: Option<String>,
    /// Write the output here instead of standard output.
    #[arg(short = 'o', value_name = "FILE")]
    output: Option<String>,
    /// Seed for every randomised search, for reproducible output.
    #[arg(long, default_value_t = 0)]
    seed: u64,
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
    // `Emit` has no variants until a stage is implemented, so a parsed `Args` cannot exist yet.
    match args.emit {}
}
