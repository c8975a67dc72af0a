//! Searches the reference GEMM 512×768×768 on an accelerator (default `tpu_like`) and prints
//! the mapping and its cost next to ZigZag LOMA's (anchors: E 1.938e8 pJ, L 3.441e5 cycles).
use dnnc_arch::{Accelerator, Operand, Precision};
use dnnc_cost::{Access, Layer};
use dnnc_search::{Options, Space, search};

fn main() {
    let arch_name = std::env::args().nth(1).unwrap_or_else(|| "tpu_like".into());
    let arch = Accelerator::resolve(&arch_name).expect("accelerator");
    let (c, d, k) = (0, 1, 2);
    let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
    let layer = Layer::new(
        "gemm",
        &[("C", 768), ("D", 512), ("K", 768)],
        [rel(&[d, c]), rel(&[c, k]), rel(&[d, k])],
        [Operand::O, Operand::I, Operand::W],
        Precision::default(),
    );
    let space = Space::new(&arch, &layer).expect("space");
    let t = std::time::Instant::now();
    let found = search(&space, &Options::default()).expect("a mapping");
    println!("{}", found.mapping.describe(&arch, &layer));
    println!(
        "energy={:.4e} latency={} edp={:.4e} evaluations={} wall_ms={}",
        found.cost.energy,
        found.cost.latency,
        found.value,
        found.evaluations,
        t.elapsed().as_millis()
    );
}
