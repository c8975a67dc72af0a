//! The `dnnc` binary: a thin wrapper over [`dnnc::run`] with the process's streams.

/// The search allocates and frees small buffers (mappings, memo keys, cost vectors) across
/// threads at a high rate; mimalloc's thread-local free lists serve that faster than glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    std::process::exit(dnnc::run(&args, &mut std::io::stdout(), &mut std::io::stderr()));
}
