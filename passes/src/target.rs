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

/// `capacity=MEM=SIZE,...`: memory capacities overriding the accelerator's.
pub const CAPACITY: PassOptionDef = PassOptionDef {
    name: "capacity",
    kind: OptionKind::String,
    default: "",
    help: "memory capacities overriding the accelerator's, e.g. \"sram_2MB=1MiB,rf_128B=64B\"",
};

/// `objective=edp|latency|energy`.
pub const OBJECTIVE: PassOptionDef = PassOptionDef {
    name: "objective",
    kind: OptionKind::Enum(&["edp", "latency", "energy"]),
    default: "edp",
    help: "what to minimise",
};

/// The accelerator (with its capacity overrides) and objective a scheduling pass was created
/// with.
pub fn read(opts: &PassOptions) -> Result<(Accelerator, Objective), String> {
    let arch = Accelerator::resolve(opts.string("arch"))
        .and_then(|a| a.with_capacities(opts.string("capacity")))
        .map_err(|e| e.to_string())?;
    let objective = Objective::parse(opts.string("objective")).ok_or("objective must be edp, latency or energy")?;
    Ok((arch, objective))
}
