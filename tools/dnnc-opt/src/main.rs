//! The `dnnc-opt` binary: a thin wrapper over [`dnnc_opt::run`] with the process's streams.
//! Set `DNNC_LOG` (e.g. `DNNC_LOG=debug`) to see a tracing span per pass on standard error.

fn main() {
    if let Ok(filter) = std::env::var("DNNC_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .init();
    }
    let args: Vec<String> = std::env::args().collect();
    let code = dnnc_opt::run(
        &args,
        dnnc_opt::Env { stdin: &mut std::io::stdin(), stdout: &mut std::io::stdout(), stderr: &mut std::io::stderr() },
    );
    std::process::exit(code);
}
