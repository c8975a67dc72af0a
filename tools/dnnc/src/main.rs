//! The `dnnc` binary: a thin wrapper over [`dnnc::run`] with the process's streams.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    std::process::exit(dnnc::run(&args, &mut std::io::stdout(), &mut std::io::stderr()));
}
