//! What the scheduling passes (`tile`, `fuse`) share: the accelerator and objective options,
//! declared and read one way.

use dnnc_arch::Accelerator;
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_search::Objective;

/// `arch=NAME|PATH`: a preset or an accelerator file.
pub const ARCH: PassOptionDef = PassOptionDef {
    name: "arch",
    kind: OptionKind::String,
    default: "tpu_like",
    help: "accelerator preset or file (.toml, ZigZag .yaml)",
};

/// `objective=edp|latency|energy`.
pub const OBJECTIVE: PassOptionDef = PassOptionDef {
    name: "objective",
    kind: OptionKind::Enum(&["edp", "latency", "energy"]),
    default: "edp",
    help: "what to minimise",
};

/// The accelerator and objective a scheduling pass was created with.
pub fn read(opts: &PassOptions) -> Result<(Accelerator, Objective), String> {
    let arch = Accelerator::resolve(opts.string("arch")).map_err(|e| e.to_string())?;
    let objective = Objective::parse(opts.string("objective")).ok_or("objective must be edp, latency or energy")?;
    Ok((arch, objective))
}
