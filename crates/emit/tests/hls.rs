//! The HLS emitter end to end: small models are lowered to einsums, evaluated by an independent
//! einsum interpreter (tests/support/einsum_ref.rs), compiled to a dataflow design, emitted as
//! C++, built with `g++ -std=c++17 -O1` against test-suite/hls/hls_stream.h, run on the same
//! random inputs, and the outputs compared. Skipped, saying so, only when g++ is absent.

#[path = "support/einsum_ref.rs"]
mod einsum_ref;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use dnnc_emit::hls::{HlsDesign, TopArg, hls_design};
use dnnc_emit::kernels::Role;
use dnnc_ir::{Context, OpId, PassManager, PassManagerOptions};
use einsum_ref::Tensor;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gxx() -> bool {
    Command::new("g++").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn run_pipeline(cx: &mut Context, module: OpId, pipeline: &str) {
    let mut pm = PassManager::parse(pipeline, &dnnc_passes::registry(), PassManagerOptions::default())
        .unwrap_or_else(|e| panic!("{pipeline}: {e}"));
    if let Err(e) = pm.run(cx, module, &mut std::io::sink()) {
        panic!("{pipeline}: {e} {:?}", e.diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>());
    }
}

/// The dataflow design of a bundled model (`test-suite/models/<model>.onnx`) after the
/// driver's lowering and the dataflow `pipeline`.
fn bundled_design(model: &str, pipeline: &str) -> (Context, OpId) {
    let path = repo().join(format!("test-suite/models/{model}.onnx"));
    let m = dnnc_onnx::read_model_any(&path).unwrap_or_else(|e| panic!("{model}: {e}"));
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let module = dnnc_onnx::import_model(&mut cx, &m, &Default::default()).unwrap();
    run_pipeline(&mut cx, module, "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)");
    run_pipeline(&mut cx, module, pipeline);
    (cx, module)
}

/// Deterministic values in [-1, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
}

struct Case {
    reference: Vec<Tensor>,
    design: HlsDesign,
    inputs: Vec<Tensor>,
    weights: HashMap<String, Tensor>,
    /// The dataflow IR the design was emitted from.
    cx: Context,
    module: OpId,
}

/// Imports `model`, evaluates the reference on random inputs, builds the dataflow design and
/// emits it.
fn prepare(model: &str, bindings: &[(&str, i64)], seed: u64, pipeline: &str) -> Case {
    let path = repo().join(model);
    let m = dnnc_onnx::read_model_any(&path).unwrap_or_else(|e| panic!("{model}: {e}"));
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let mut options = dnnc_onnx::ImportOptions::default();
    for (k, v) in bindings {
        options.bindings.insert(k.to_string(), *v);
    }
    let module = dnnc_onnx::import_model(&mut cx, &m, &options).unwrap();
    run_pipeline(&mut cx, module, "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)");
    let func = cx.nested_ops(module).into_iter().find(|&o| cx.is(o, "func.func")).unwrap();
    let body = cx.body(func, 0).unwrap();
    let mut rng = Lcg(seed);
    let mut random = |shape: &[i64]| Tensor {
        shape: shape.to_vec(),
        data: (0..shape.iter().product::<i64>().max(1)).map(|_| rng.next()).collect(),
    };
    // Integer inputs (token ids, gather indices) get small non-negative values.
    let inputs: Vec<Tensor> = cx
        .block_args(body)
        .iter()
        .map(|&a| {
            let (shape, elem) = cx.tensor_shape(cx.value_type(a)).unwrap();
            let mut t = random(shape);
            if cx.type_data(elem).is_integer() {
                t.data.iter_mut().for_each(|x| *x = ((*x + 1.0) * 2.0).floor().min(3.0));
            }
            t
        })
        .collect();
    let mut weights = HashMap::new();
    for o in cx.nested_ops(func) {
        if cx.is(o, "graph.weight") {
            let name = cx.attr(o, "name").and_then(|a| a.as_str()).unwrap().to_string();
            let shape = cx.tensor_shape(cx.value_type(cx.result(o, 0))).unwrap().0.to_vec();
            weights.insert(name, random(&shape));
        }
    }
    let reference = einsum_ref::evaluate(&cx, module, &inputs, &weights).unwrap();
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let pipeline = if pipeline.is_empty() { dnnc_passes::dataflow_pipeline(&board.name) } else { pipeline.to_string() };
    run_pipeline(&mut cx, module, &pipeline);
    dnnc_ir::verify(&cx, module).unwrap_or_else(|d| panic!("{model}: dataflow IR does not verify: {d:?}"));
    let design = hls_design(&cx, module, &board).unwrap_or_else(|e| panic!("{model}: {e}"));
    Case { reference, design, inputs, weights, cx, module }
}

/// A `main` that reads every input and weight (f32 or i64, in argument order, each port's
/// array of a striped tensor in turn) from argv[1], calls the top function and writes every
/// output's port arrays to argv[2] as f32.
fn harness(d: &HlsDesign) -> String {
    let mut s = String::from("\n#include <cstdio>\nint main(int argc, char **argv) {\n  (void)argc;\n");
    s.push_str("  FILE *in = std::fopen(argv[1], \"rb\");\n  FILE *out = std::fopen(argv[2], \"wb\");\n");
    s.push_str("  if (!in || !out) return 2;\n");
    for a in &d.args {
        assert!(a.ctype == "float" || a.ctype == "int64_t", "the harness feeds f32 and i64 tensors only ({})", a.name);
        for p in a.params() {
            s.push_str(&format!("  static {} {p}[{}];\n", a.ctype, a.port_elems()));
            if matches!(a.role, Role::Input | Role::Weight) {
                s.push_str(&format!(
                    "  if (std::fread({p}, sizeof({t}), {e}, in) != {e}) return 3;\n",
                    t = a.ctype,
                    e = a.port_elems()
                ));
            }
        }
    }
    let names: Vec<String> = d.args.iter().flat_map(|a| a.params()).collect();
    s.push_str(&format!("  {}({});\n", d.top, names.join(", ")));
    // Outputs go out as f32 (an i64 one converted element by element).
    for a in d.args.iter().filter(|a| a.role == Role::Output) {
        for p in a.params() {
            if a.ctype == "int64_t" {
                s.push_str(&format!(
                    "  for (long long i = 0; i < {}LL; ++i) {{ float f = (float){p}[i]; std::fwrite(&f, sizeof(float), 1, out); }}\n",
                    a.port_elems()
                ));
            } else {
                s.push_str(&format!("  std::fwrite({p}, sizeof(float), {}, out);\n", a.port_elems()));
            }
        }
    }
    s.push_str("  std::fclose(out);\n  return 0;\n}\n");
    s
}

/// The host-side layout of docs/kernels.md, written out again: element `i` of a tensor with
/// innermost dim `n`, striped over `p` ports in beats of `w` elements, is at (port, index in
/// the port's array).
fn stripe_slot(i: usize, n: usize, w: usize, p: usize) -> (usize, usize) {
    let r = n.div_ceil(w).div_ceil(p) * p;
    let b = i / w;
    ((b + b / r) % p, (b / p) * w + i % w)
}

/// A tensor's values as the top function's arrays hold them: one array per port.
fn to_ports(a: &TopArg, data: &[f64]) -> Vec<Vec<f64>> {
    let p = a.striping.ports as usize;
    let mut out = vec![vec![0.0; a.port_elems() as usize]; p];
    for (i, &x) in data.iter().enumerate() {
        let (port, at) =
            if p == 1 { (0, i) } else { stripe_slot(i, *a.shape.last().unwrap() as usize, a.beat as usize, p) };
        out[port][at] = x;
    }
    out
}

/// Builds and runs the design; returns the outputs in result order.
fn run_cpp(name: &str, case: &Case) -> Vec<Vec<f32>> {
    let dir = std::env::temp_dir().join(format!("dnnc-hls-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("design.cpp");
    std::fs::write(&src, format!("{}{}", case.design.code, harness(&case.design))).unwrap();
    // DNNC_HLS_DUMP=DIR keeps a copy of each emitted design for reading.
    if let Some(keep) = std::env::var_os("DNNC_HLS_DUMP") {
        let _ = std::fs::write(Path::new(&keep).join(format!("{name}.cpp")), &case.design.code);
    }
    let exe = dir.join("design");
    let out = Command::new("g++")
        .args(["-std=c++17", "-O1", "-w", "-I"])
        .arg(repo().join("test-suite/hls"))
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .output()
        .unwrap();
    assert!(out.status.success(), "{name}: g++ failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let mut bytes = Vec::new();
    for a in &case.design.args {
        let data: &[f64] = match a.role {
            Role::Input => {
                let i: usize = a.name.strip_prefix("arg").unwrap().parse().unwrap();
                &case.inputs[i].data
            }
            Role::Weight => {
                &case.weights.iter().find(|(k, _)| dnnc_emit::kernels::ident(k) == a.name).expect("weight data").1.data
            }
            _ => continue,
        };
        assert_eq!(data.len() as i64, a.elems().max(1), "{}", a.name);
        for &x in to_ports(a, data).concat().iter() {
            if a.ctype == "int64_t" {
                bytes.extend_from_slice(&(x as i64).to_le_bytes());
            } else {
                bytes.extend_from_slice(&(x as f32).to_le_bytes());
            }
        }
    }
    let (fin, fout) = (dir.join("in.bin"), dir.join("out.bin"));
    std::fs::write(&fin, bytes).unwrap();
    let run = Command::new(&exe).arg(&fin).arg(&fout).output().unwrap();
    assert!(run.status.success(), "{name}: the design failed: {}", String::from_utf8_lossy(&run.stderr));
    let raw = std::fs::read(&fout).unwrap();
    let floats: Vec<f32> = raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let mut outs: Vec<(usize, Vec<f32>)> = Vec::new();
    let mut at = 0;
    for a in case.design.args.iter().filter(|a| a.role == Role::Output) {
        // Gather the elements back from the port arrays.
        let n = a.port_elems() as usize;
        let ports: Vec<&[f32]> = (0..a.params().len()).map(|k| &floats[at + k * n..at + (k + 1) * n]).collect();
        at += n * ports.len();
        let p = ports.len();
        // The top lists its results in the order the design writes them; the reference has
        // them in the function's order (`result<i>`).
        let index: usize = a.name.strip_prefix("result").and_then(|i| i.parse().ok()).unwrap_or(outs.len());
        outs.push((
            index,
            (0..a.elems().max(1) as usize)
                .map(|i| {
                    let (port, k) = if p == 1 {
                        (0, i)
                    } else {
                        stripe_slot(i, *a.shape.last().unwrap() as usize, a.beat as usize, p)
                    };
                    ports[port][k]
                })
                .collect(),
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    outs.sort_by_key(|(i, _)| *i);
    outs.into_iter().map(|(_, data)| data).collect()
}

/// The arrays the dataflow IR implies, as (node, array, elements): both ping-pong halves of
/// each converter's `buffer`, and one output tile of the result itensor for each kernel of one
/// MAC or plain reduction whose reduced loops are innermost (every default loop nest). No
/// kernel of one einsum holds a whole tensor: its streams follow its loop nest.
fn implied_buffers(cx: &Context, module: OpId) -> Vec<(String, String, i64)> {
    use dnnc_emit::kernels::{NodeKind, Topology};
    let topo = Topology::of(cx, module).unwrap();
    let mut out = Vec::new();
    for n in &topo.nodes {
        match n.kind {
            NodeKind::Converter => {
                let buffer = cx.attr(n.op, "buffer").and_then(|a| a.as_int_array()).unwrap();
                out.push((n.name.clone(), "buf".to_string(), 2 * buffer.iter().product::<i64>()));
            }
            NodeKind::Kernel => {
                let body = cx.body(n.op, 0).unwrap();
                let einsums: Vec<OpId> = cx.block_ops(body).filter(|&o| cx.is(o, "einsum.op")).collect();
                let [o] = einsums[..] else { panic!("kernel {} fuses einsums: not covered here", n.name) };
                let e = dnnc_einsum::Einsum::of(cx, o).unwrap();
                if !(e.kind == "mac" || (e.kind == "reduction" && cx.attr(o, "normalized").is_none())) {
                    continue;
                }
                if dnnc_dataflow::ITensor::of(cx, cx.value_type(cx.result(n.op, 0))).is_none() {
                    // A result written whole (a scatter): the kernel holds its streamed inputs
                    // and its result whole.
                    for (i, &v) in cx.operands(n.op).iter().enumerate() {
                        if let Some(t) = dnnc_dataflow::ITensor::of(cx, cx.value_type(v)) {
                            out.push((n.name.clone(), format!("b_in{i}"), t.full_shape().iter().product()));
                        }
                    }
                    let (shape, _) = cx.tensor_shape(cx.value_type(cx.result(n.op, 0))).unwrap();
                    let elems: i64 = shape.iter().product::<i64>().max(1);
                    out.push((n.name.clone(), "t0".to_string(), elems));
                    // A mean over the reads inside a padded input counts them.
                    let mean = ["graph.reduce_mean", "graph.global_average_pool", "graph.average_pool"];
                    let include_pad = cx
                        .attr(o, "source_attrs")
                        .and_then(|a| a.as_dict())
                        .and_then(|d| d.get("count_include_pad").and_then(|v| v.as_int()))
                        .unwrap_or(0);
                    if e.kind == "reduction" && mean.contains(&e.source) && include_pad == 0 {
                        out.push((n.name.clone(), "t0_cnt".to_string(), elems));
                    }
                    continue;
                }
                let out_map = e.maps[e.maps.len() - 1];
                let reduced = |dim: &str| {
                    let d = e.dims.iter().position(|x| *x == dim).unwrap() as u32;
                    !out_map.results.iter().any(|r| format!("{r}").contains(&format!("d{d}")))
                };
                let loops = dnnc_dataflow::kernel_loops(cx, n.op).unwrap();
                let first = loops.iter().position(|l| l.trips > 1 && reduced(&l.dim));
                let inner_result = first.is_some_and(|f| loops[f..].iter().any(|l| l.trips > 1 && !reduced(&l.dim)));
                assert!(!inner_result, "kernel {}: a result loop inside a reduced one", n.name);
                let t = dnnc_dataflow::ITensor::from_type(cx, cx.value_type(cx.result(n.op, 0))).unwrap();
                out.push((n.name.clone(), "acc".to_string(), t.tile_elems()));
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// The arrays each node function of `code` declares, as (node, array, elements).
fn declared_arrays(code: &str) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    let mut func = None;
    for line in code.lines() {
        if let Some(rest) = line.strip_prefix("static void ") {
            let name = rest.split('(').next().unwrap();
            func = name.strip_prefix("kernel_").or_else(|| name.strip_prefix("node_")).map(str::to_string);
            continue;
        }
        if line == "}" {
            func = None;
        }
        let Some(f) = &func else { continue };
        let l = line.trim();
        if l.starts_with("//") || l.contains('=') || !l.ends_with("];") {
            continue;
        }
        // `T name[N];` or `T name[2][N];` (T possibly two words: `long long`)
        let head = l.split('[').next().unwrap_or(l);
        let Some((ty, _)) = head.rsplit_once(' ') else { continue };
        let decl = &l[ty.len() + 1..];
        let (name, dims) = decl.split_once('[').unwrap();
        let elems: i64 = dims.trim_end_matches("];").split("][").map(|d| d.parse::<i64>().unwrap()).product();
        out.push((f.clone(), name.to_string(), elems));
    }
    out.sort();
    out
}

/// The emitter's account of its arrays is what the C++ declares, and what the IR implies.
fn check_buffers(name: &str, case: &Case) {
    let mut listed: Vec<(String, String, i64)> =
        case.design.buffers.iter().map(|b| (b.node.clone(), b.name.clone(), b.elems)).collect();
    listed.sort();
    assert_eq!(declared_arrays(&case.design.code), listed, "{name}: declared arrays vs HlsDesign::buffers");
    assert_eq!(listed, implied_buffers(&case.cx, case.module), "{name}: arrays vs what the IR implies");
}

/// Checks `model` through the driver's dataflow pipeline and through one with small tiles
/// (several firings per kernel, layout converters between differently tiled kernels).
fn check(name: &str, model: &str, bindings: &[(&str, i64)]) {
    check_with(name, model, bindings, "");
    check_with(&format!("{name}-tile4"), model, bindings, SMALL_TILES);
}

const SMALL_TILES: &str = "builtin.module(convert-to-dataflow{tile=4},insert-layout-converters,insert-dma)";

/// Returns the emitted code, or `None` when g++ is absent and nothing ran.
fn check_with(name: &str, model: &str, bindings: &[(&str, i64)], pipeline: &str) -> Option<String> {
    if !gxx() {
        eprintln!("SKIPPED {name}: g++ is not installed, the emitted C++ cannot be compiled");
        return None;
    }
    let case = prepare(model, bindings, 0x5eed ^ model.len() as u64, pipeline);
    check_buffers(name, &case);
    compare(name, &case);
    Some(case.design.code)
}

/// Runs the design and compares its outputs with the reference.
fn compare(name: &str, case: &Case) {
    let got = run_cpp(name, case);
    assert_eq!(got.len(), case.reference.len(), "{name}: outputs");
    for (i, (g, r)) in got.iter().zip(&case.reference).enumerate() {
        assert_eq!(g.len(), r.data.len(), "{name}: output {i} size");
        let mut worst = 0.0f64;
        for (k, (&x, &y)) in g.iter().zip(&r.data).enumerate() {
            let err = (x as f64 - y).abs();
            assert!(err <= 1e-4 + 1e-3 * y.abs(), "{name}: output {i}[{k}] = {x}, reference {y}");
            worst = worst.max(err);
        }
        eprintln!("{name}: output {i}: {} values, max |error| {worst:.2e}", g.len());
    }
}

/// The dataflow pipeline for `board`, each region allocated on the whole budget
/// (`regions=time-shared`): the tiny board holds one region's design at a time, not all of them.
fn time_shared(board: &Path) -> String {
    dnnc_passes::dataflow_pipeline_with(&format!("\"{}\"", board.display()), "0.75", "time-shared")
}

/// On a board too small for the whole design, the pipeline splits it into sequential regions
/// that pass tensors through HBM: one DATAFLOW function per distinct region design, called in
/// order once per region.
#[test]
fn partitioned_designs() {
    let board = repo().join("test-suite/hls/tiny_board.toml");
    let pipeline = time_shared(&board);
    for (name, model) in [
        ("residual-tiny", "test-suite/hls/residual.onnxtxt"),
        ("softmax-tiny", "test-suite/hls/softmax.onnxtxt"),
        ("conv-tiny", "test-suite/hls/conv.onnxtxt"),
    ] {
        let regions = check_with(name, model, &[], &pipeline);
        assert!(regions.is_none_or(|code| code.contains("static void design1(")), "{name}: not partitioned");
    }
}

/// For each region of the case's design, the distinct design it runs (`dnnc_stream::classes`).
fn region_classes(case: &Case) -> Vec<usize> {
    let designs: Vec<dnnc_stream::Design> = dnnc_dataflow::design::dataflow_blocks(&case.cx, case.module)
        .into_iter()
        .map(|b| dnnc_dataflow::design::design_of(&case.cx, b, "case").unwrap().design)
        .collect();
    dnnc_stream::classes(&designs)
}

/// Four identical layers on the tiny board, time-shared: eight regions (each matmul and each
/// relu its own), of which the middle relus and matmuls are two designs called three times
/// each — one function, wrapped in one kernel (a bitstream of its own), which the host's order
/// calls once per region — as the stream model's `classes` finds them; the outputs still match
/// the reference.
#[test]
fn repeated_regions_share_one_design() {
    if !gxx() {
        eprintln!("SKIPPED repeated_regions_share_one_design: g++ is not installed");
        return;
    }
    let board = repo().join("test-suite/hls/tiny_board.toml");
    let pipeline = time_shared(&board);
    let case = prepare("test-suite/hls/repeat.onnxtxt", &[], 7, &pipeline);
    compare("repeat", &case);
    let code = &case.design.code;
    let classes = region_classes(&case);
    let distinct = classes.iter().max().unwrap() + 1;
    assert!(classes.len() > distinct, "{classes:?}");
    assert_eq!(code.matches("\nstatic void design").count(), distinct, "{classes:?}");
    assert_eq!(case.design.kernels.len(), distinct);
    assert!(case.design.kernel_per_bitstream);
    for d in 0..distinct {
        let uses = classes.iter().filter(|&&c| c == d).count();
        assert_eq!(code.matches(&format!("  design{d}(")).count(), 1, "design{d}: called by its kernel");
        assert_eq!(code.matches(&format!("  main_design{d}(")).count(), uses, "design{d}");
        assert!(!code.contains("limit=1"), "one bitstream per design: nothing to share");
    }
}

/// Pipelined regions (`regions=pipelined`) on the tiny board: each distinct design's dataflow
/// function is wrapped in a kernel of its own (`extern "C"`, its own ports), which the host
/// starts for each request; the top function is the host's order for one request, with no
/// ports of its own, and calling the kernels in that order still computes the reference.
#[test]
fn pipelined_regions_are_kernels_of_their_own() {
    if !gxx() {
        eprintln!("SKIPPED pipelined_regions_are_kernels_of_their_own: g++ is not installed");
        return;
    }
    // Split on the tiny board, whose designs do not fit side by side; allocated on the U55C.
    let board = repo().join("test-suite/hls/tiny_board.toml");
    let tiny = format!("board=\"{}\"", board.display());
    let pipeline = format!(
        "builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{{{tiny}}},partition-dataflow{{{tiny}}},\
         allocate-resources{{board=u55c regions=pipelined}},size-fifos)"
    );
    let case = prepare("test-suite/hls/repeat.onnxtxt", &[], 7, &pipeline);
    compare("repeat-pipelined", &case);
    let code = &case.design.code;
    let classes = region_classes(&case);
    let distinct = classes.iter().max().unwrap() + 1;
    assert!(distinct > 1, "{classes:?}");
    for d in 0..distinct {
        let kernel = format!("extern \"C\" void {}_design{d}(", case.design.top.trim_end_matches("_top"));
        let at = code.find(&kernel).unwrap_or_else(|| panic!("no kernel {kernel}"));
        let body = &code[at..at + code[at..].find("\n}\n").unwrap()];
        assert!(body.contains("#pragma HLS INTERFACE s_axilite port=return"), "{kernel}: no control port");
        assert!(body.contains(&format!("  design{d}(")), "{kernel}: does not run design {d}");
        // The design itself is a dataflow function, as in one bitstream run one request at a time.
        let at = code.find(&format!("static void design{d}(")).unwrap_or_else(|| panic!("no design{d}"));
        let design = &code[at..at + code[at..].find("\n}\n").unwrap()];
        assert!(design.contains("#pragma HLS DATAFLOW"), "design{d}: not a dataflow design");
        let uses = classes.iter().filter(|&&c| c == d).count();
        assert_eq!(code.matches(&format!("  {}_design{d}(", case.design.top.trim_end_matches("_top"))).count(), uses);
    }
    let top = &code[code.find(&format!("void {}(", case.design.top)).unwrap()..];
    assert!(!top.contains("#pragma HLS"), "the host's order has no pragmas:\n{top}");
}

/// On the bundled LLMs, T5 and ShuffleNetV2 the emitted C++ has one design function per
/// distinct region design that the stream model shares an instance among
/// (`dnnc_stream::classes`), each in one kernel that the host's order starts once per region:
/// the HLS instantiates what `allocate-resources` allocated. T5's layers read constants the
/// C++ bakes in (other arrays, other hardware) and ShuffleNetV2's blocks have kernels of equal
/// rates but other loop orders: the stream model tells those regions apart too
/// (`Kernel::program`). Llama needs the ports of a spill
/// aligned across the regions of one design (its reader in the last layer is wider).
#[test]
fn emitted_designs_are_the_allocated_designs() {
    for (model, repeats) in [
        ("gpt2_l12_s1024", true),
        ("llama_l2_s256", true),
        ("hf/t5_encoder", false),
        ("torchvision/shufflenet_v2_x0_5", true),
    ] {
        let (cx, module) = bundled_design(model, &dnnc_passes::dataflow_pipeline("u55c"));
        let designs: Vec<dnnc_stream::Design> = dnnc_dataflow::design::dataflow_blocks(&cx, module)
            .into_iter()
            .map(|b| dnnc_dataflow::design::design_of(&cx, b, model).unwrap().design)
            .collect();
        let classes = dnnc_stream::classes(&designs);
        let distinct = classes.iter().max().unwrap() + 1;
        assert_eq!(distinct < designs.len(), repeats, "{model}: {classes:?}");
        let board = dnnc_arch::fpga::preset("u55c").unwrap();
        let hls = hls_design(&cx, module, &board).unwrap();
        let (code, func) = (&hls.code, hls.top.trim_end_matches("_top"));
        assert_eq!(code.matches("\nstatic void design").count(), distinct, "{model}: {classes:?}");
        assert_eq!(hls.kernels.len(), distinct, "{model}");
        for d in 0..distinct {
            let uses = classes.iter().filter(|&&c| c == d).count();
            // One kernel a design, which the host's order starts once per region.
            assert_eq!(code.matches(&format!("  design{d}(")).count(), 1, "{model}: design{d}");
            assert_eq!(code.matches(&format!("  {func}_design{d}(")).count(), uses, "{model}: design{d}");
        }
    }
}

/// With several regions each distinct design is a kernel whose memory arguments v++ wires to
/// fixed HBM pseudo channels (`--emit=vitis-link`), and the host passes it one region's tensors
/// after another. On GPT-2 (twelve layers: eleven regions share one kernel) every
/// tensor the host's order passes lies on exactly the channels of the argument it is passed as;
/// the link configuration wires each argument once (time-shared: one configuration per kernel,
/// each its own bitstream).
#[test]
fn design_kernels_find_every_region_tensor_on_their_wired_channels() {
    for regions in ["resident", "pipelined", "time-shared"] {
        design_kernels_wired(regions);
    }
}

fn design_kernels_wired(regions: &str) {
    let (cx, module) = bundled_design("gpt2_l12_s1024", &dnnc_passes::dataflow_pipeline_with("u55c", "0.75", regions));
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let d = hls_design(&cx, module, &board).unwrap();
    let topo = dnnc_emit::kernels::Topology::of(&cx, module).unwrap();
    let plan = topo.hbm_plan(&cx, &board);
    assert!(d.kernels.len() > 1, "{regions}: {:?}", d.kernels);
    assert_eq!(d.kernel_per_bitstream, regions == "time-shared");
    // Every parameter name: its tensor and port.
    let mut param: HashMap<String, (String, usize)> = HashMap::new();
    for a in &d.args {
        for (k, p) in a.params().into_iter().enumerate() {
            param.insert(p, (a.name.clone(), k));
        }
    }
    let top = &d.code[d.code.find(&format!("void {}(", d.top)).unwrap()..];
    let mut calls = 0;
    for line in top.lines().map(str::trim) {
        let Some(k) = d.kernels.iter().find(|k| line.starts_with(&format!("{}(", k.name))) else { continue };
        calls += 1;
        let inside = &line[k.name.len() + 1..line.find(')').unwrap()];
        let passed: Vec<&str> = inside.split(", ").collect();
        assert_eq!(passed.len(), k.ports.len(), "{line}");
        for (p, (wired, channel)) in passed.iter().zip(&k.ports) {
            let (tensor, port) = &param[*p];
            let lies = plan.channels_of(tensor);
            if !lies.is_empty() {
                assert_eq!(lies[*port], *channel, "{line}: {p} passed as {wired}");
            }
        }
    }
    assert_eq!((calls, d.kernels.len()), (13, 3), "{top}");
    let link = dnnc_emit::hls::vitis_link(&cx, module, &board).unwrap();
    let bitstreams = link.matches("\n[connectivity]\n").count();
    assert_eq!(bitstreams, if regions == "time-shared" { d.kernels.len() } else { 1 }, "{link}");
    for k in &d.kernels {
        assert!(link.contains(&format!("nk={}:1:{}_1\n", k.name, k.name)), "{link}");
        for (p, c) in &k.ports {
            assert_eq!(link.matches(&format!("sp={}_1.{p}:", k.name)).count(), 1, "{link}");
            assert!(link.contains(&format!("sp={}_1.{p}:HBM[{c}]\n", k.name)), "{link}");
        }
    }
}

/// v++ wires at most 15 kernel interfaces to one HBM bank. ResNet-18's resident bitstream has
/// 18 kernels, each with bundles on several channels, and the link configuration keeps every
/// bank within the limit (placed without counting interfaces, one bank gets 16); every memory
/// argument is wired exactly once.
#[test]
fn no_bank_serves_more_than_fifteen_kernel_interfaces() {
    let (cx, module) = bundled_design("resnet18", &dnnc_passes::dataflow_pipeline("u55c"));
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let link = dnnc_emit::hls::vitis_link(&cx, module, &board).unwrap();
    let mut per_bank: HashMap<String, std::collections::BTreeSet<String>> = HashMap::new();
    let mut wired = std::collections::BTreeSet::new();
    for line in link.lines().filter_map(|l| l.strip_prefix("sp=")) {
        let (arg, bank) = line.split_once(':').unwrap();
        let (cu, _) = arg.split_once('.').unwrap();
        assert!(wired.insert(arg.to_string()), "{arg} wired twice");
        per_bank.entry(bank.to_string()).or_default().insert(cu.to_string());
    }
    assert!(link.matches("\nnk=").count() > 15, "{link}");
    for (bank, cus) in &per_bank {
        assert!(cus.len() <= 15, "{bank}: {} kernels: {cus:?}", cus.len());
    }
}

#[test]
fn matmul_bias_relu_chain() {
    check("mlp", "test-suite/hls/mlp.onnxtxt", &[]);
    // Its DMA engines are wide: the inputs' tensors are striped over several AXI ports (12 for
    // the first weight: its engine's 512 bytes per cycle over U55C pseudo channels sustaining 44.1),
    // which the run above scattered and gathered by the documented layout.
    let case = prepare("test-suite/hls/mlp.onnxtxt", &[], 1, "");
    let ports: Vec<(&str, u32)> = case.design.args.iter().map(|a| (a.name.as_str(), a.striping.ports)).collect();
    assert!(ports.contains(&("arg1", 12)) && ports.iter().filter(|p| p.1 > 1).count() >= 3, "{ports:?}");
}

#[test]
fn residual_fork_join() {
    check("residual", "test-suite/hls/residual.onnxtxt", &[]);
}

#[test]
fn softmax_and_layer_norm() {
    check("softmax", "test-suite/hls/softmax.onnxtxt", &[]);
}

#[test]
fn attention_block() {
    check("attention", "test-suite/onnxtxt/attention.onnxtxt", &[("N", 8)]);
}

/// A fused Q/K/V projection split three ways: the attention reads its parts through the
/// split folded into its maps (no split kernel is left), and computes the same as the model.
#[test]
fn attention_reading_a_folded_split() {
    check("qkv", "test-suite/hls/qkv.onnxtxt", &[]);
    if let Some(code) = check_with("qkv-split", "test-suite/hls/qkv.onnxtxt", &[], "") {
        assert!(!code.contains("_split("), "the split's copies are folded away");
    }
}

/// Attention and its output projection, which reads the context through the heads' merge
/// (`k floordiv 8, k mod 8`): the context streams into the projection (through a converter of
/// one row panel, at the default tiles and at 4-element ones), and the design computes what
/// the model does.
#[test]
fn attention_streaming_into_its_projection() {
    check("attn-proj", "test-suite/hls/attn_proj.onnxtxt", &[]);
    for pipeline in ["", SMALL_TILES] {
        let case = prepare("test-suite/hls/attn_proj.onnxtxt", &[], 3, pipeline);
        let topo = dnnc_emit::kernels::Topology::of(&case.cx, case.module).unwrap();
        let proj = topo.nodes.iter().position(|n| n.name == "k4_matmul").expect("the projection kernel");
        let ctx = topo.input_channel(proj, 0).expect("the context arrives as a stream");
        assert_eq!(ctx.itensor.tile.last(), Some(&8), "{pipeline}: tiles of whole heads");
        let from = &topo.nodes[ctx.producer.0].name;
        assert!(from.starts_with("convert"), "{pipeline}: the context comes from {from}, not a converter");
    }
}

#[test]
fn gather_concat_where_and_friends() {
    check("ops", "test-suite/hls/ops.onnxtxt", &[]);
}

/// CumSum as a MAC over a triangle of ones, in its four modes.
#[test]
fn running_sums() {
    check("cumsum", "test-suite/hls/cumsum.onnxtxt", &[]);
    // The reference interprets the lowered einsums; ONNX's definition, computed directly,
    // checks the lowering itself: rows of 6, forward, exclusive, reversed, both.
    let case = prepare("test-suite/hls/cumsum.onnxtxt", &[], 3, "");
    let x = &case.inputs[0].data;
    for (k, (exclusive, reverse)) in
        [(false, false), (true, false), (false, true), (true, true)].into_iter().enumerate()
    {
        for row in 0..2 {
            let xs = &x[row * 6..row * 6 + 6];
            for i in 0..6 {
                let expect: f64 = (0..6)
                    .filter(|&j| match (reverse, exclusive) {
                        (false, false) => j <= i,
                        (false, true) => j < i,
                        (true, false) => j >= i,
                        (true, true) => j > i,
                    })
                    .map(|j| xs[j])
                    .sum();
                let got = case.reference[k].data[row * 6 + i];
                assert!((got - expect).abs() < 1e-9, "output {k} [{row}, {i}]: {got} against {expect}");
            }
        }
    }
}

/// Asserts that `got`, a [2, h, w] image (two channels), holds `expect(channel, row, column)`
/// within `tolerance`.
fn assert_image(got: &[f64], (h, w): (usize, usize), expect: impl Fn(usize, usize, usize) -> f64, tolerance: f64) {
    for ch in 0..2 {
        for y in 0..h {
            for xo in 0..w {
                let (g, e) = (got[(ch * h + y) * w + xo], expect(ch, y, xo));
                assert!((g - e).abs() <= tolerance, "[{ch}, {y}, {xo}]: {g} against {e}");
            }
        }
    }
}

/// Bilinear Resize as two MACs against constant interpolation matrices; the reference is
/// checked against ONNX's bilinear formula computed directly.
#[test]
fn bilinear_resizing() {
    check("resize_linear", "test-suite/hls/resize_linear.onnxtxt", &[]);
    let case = prepare("test-suite/hls/resize_linear.onnxtxt", &[], 9, "");
    let x = &case.inputs[0].data;
    // Source coordinate, clamped, and its two neighbours' weights.
    let taps = |o: usize, n_in: usize, n_out: usize, align: bool| -> (usize, usize, f64) {
        let src = if align {
            o as f64 * (n_in - 1) as f64 / (n_out - 1) as f64
        } else {
            (o as f64 + 0.5) * n_in as f64 / n_out as f64 - 0.5
        };
        let src = src.clamp(0.0, (n_in - 1) as f64);
        let i0 = src.floor() as usize;
        (i0, (i0 + 1).min(n_in - 1), src - i0 as f64)
    };
    for (k, (h, w, align)) in [(8usize, 10usize, false), (6, 3, true)].into_iter().enumerate() {
        let expect = |ch: usize, y: usize, xo: usize| {
            let ((y0, y1, fy), (x0, x1, fx)) = (taps(y, 4, h, align), taps(xo, 5, w, align));
            let at = |i: usize, j: usize| x[ch * 20 + i * 5 + j];
            (1.0 - fy) * ((1.0 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1.0 - fx) * at(y1, x0) + fx * at(y1, x1))
        };
        assert_image(&case.reference[k].data, (h, w), expect, 1e-9);
    }
}

/// Bicubic Resize, the same two MACs against cubic interpolation matrices (their values are
/// checked against onnxruntime beside `cubic_weights`): half-pixel up-sampling, and
/// align_corners with `exclude_outside`.
#[test]
fn bicubic_resizing() {
    check("resize_cubic", "test-suite/hls/resize_cubic.onnxtxt", &[]);
}

/// Pad in its reflect, edge and wrap modes and with a non-zero constant (borders read from
/// `x` and concatenated); the reference is checked against ONNX's definition directly.
#[test]
fn border_padding() {
    check("pad_modes", "test-suite/hls/pad_modes.onnxtxt", &[]);
    let case = prepare("test-suite/hls/pad_modes.onnxtxt", &[], 4, "");
    let x = &case.inputs[0].data;
    // Output k: its (height, width), pads before (rows, columns), and the source index of an
    // out-of-range one (`None`: the constant 2.5).
    type Source = fn(i64, i64) -> Option<i64>;
    let reflect: Source = |i, n| {
        Some(if i < 0 {
            -i
        } else if i >= n {
            2 * (n - 1) - i
        } else {
            i
        })
    };
    let edge: Source = |i, n| Some(i.clamp(0, n - 1));
    let wrap: Source = |i, n| Some(i.rem_euclid(n));
    let constant: Source = |i, n| (0..n).contains(&i).then_some(i);
    let cases: [(usize, usize, i64, i64, Source); 4] =
        [(6, 9, 1, 2, reflect), (5, 8, 0, 3, edge), (7, 6, 3, 0, wrap), (4, 7, 0, 1, constant)];
    for (k, (h, w, top, left, source)) in cases.into_iter().enumerate() {
        let expect = |ch: usize, y: usize, xo: usize| {
            let at = source(y as i64 - top, 4).zip(source(xo as i64 - left, 5));
            at.map_or(2.5, |(i, j)| x[ch * 20 + i as usize * 5 + j as usize])
        };
        assert_image(&case.reference[k].data, (h, w), expect, 0.0);
    }
}

/// Nearest Resize by factors that are no whole number (gathers of constant indices, after a
/// map for the whole-number axes); the reference is checked against ONNX's definition.
#[test]
fn nearest_resizing_by_any_factor() {
    check("resize_nearest", "test-suite/hls/resize_nearest.onnxtxt", &[]);
    let case = prepare("test-suite/hls/resize_nearest.onnxtxt", &[], 6, "");
    let x = &case.inputs[0].data;
    // Output k's source index along an axis of n_in resized to n_out.
    let half_pixel = |o: usize, n_in: usize, n_out: usize| -> usize {
        let src = (o as f64 + 0.5) * n_in as f64 / n_out as f64 - 0.5;
        let i = if src.fract() == 0.5 { src.floor() } else { src.round() };
        (i.max(0.0) as usize).min(n_in - 1)
    };
    let floor = |o: usize, n_in: usize, n_out: usize| -> usize { (o * n_in / n_out).min(n_in - 1) };
    type Sample = fn(usize, usize, usize) -> usize;
    let cases: [(usize, usize, Sample); 2] = [(6, 3, half_pixel), (8, 7, floor)];
    for (k, (h, w, sample)) in cases.into_iter().enumerate() {
        let expect = |ch: usize, y: usize, xo: usize| x[ch * 20 + sample(y, 4, h) * 5 + sample(xo, 5, w)];
        assert_image(&case.reference[k].data, (h, w), expect, 0.0);
    }
}

/// GatherND with index tuples of length 1, by a constant index and by an input.
#[test]
fn gather_nd_by_single_indices() {
    check("gather_nd", "test-suite/hls/gather_nd.onnxtxt", &[]);
    // ONNX's definition, directly: k = qkv[8], sel[i] = qkv[pick[i]] (slices of 2·4·8).
    let case = prepare("test-suite/hls/gather_nd.onnxtxt", &[], 5, "");
    let (qkv, pick) = (&case.inputs[0].data, &case.inputs[1].data);
    let slice = |h: usize| &qkv[h * 64..h * 64 + 64];
    assert_eq!(case.reference[0].data, slice(8));
    for (i, &p) in pick.iter().enumerate() {
        assert_eq!(&case.reference[1].data[i * 64..i * 64 + 64], slice(p as usize), "sel[{i}]");
    }
}

/// GatherND with index tuples of length 2 and 3 (a gather of single indices into the data
/// reshaped, at the linear index of each normalised tuple), checked against ONNX's definition.
#[test]
fn gather_nd_by_index_tuples() {
    check("gather_nd_tuples", "test-suite/hls/gather_nd_tuples.onnxtxt", &[]);
    let case = prepare("test-suite/hls/gather_nd_tuples.onnxtxt", &[], 7, "");
    let (data, pick) = (&case.inputs[0].data, &case.inputs[1].data);
    let at = |i: i64, j: i64, k: i64| data[(i.rem_euclid(4) * 20 + j.rem_euclid(4) * 5 + k.rem_euclid(5)) as usize];
    for b in 0..12 {
        let (i, j) = (pick[2 * b] as i64, pick[2 * b + 1] as i64);
        for k in 0..5 {
            assert_eq!(case.reference[0].data[b * 5 + k], at(i, j, k as i64), "rows[{b}, {k}]");
        }
    }
    assert_eq!(case.reference[1].data, [at(-1, 0, 4), at(2, -4, -5)]);
}

/// Composite ONNX operators decomposed into graph ops (LogSoftmax, Mish, norms and
/// log-sum-exp, instance and group normalisation, DepthToSpace, SpaceToDepth): the emitted C++
/// against the reference, and the reference against ONNX's definitions computed directly.
#[test]
fn decomposed_composites() {
    check("composites", "test-suite/hls/composites.onnxtxt", &[]);
    let case = prepare("test-suite/hls/composites.onnxtxt", &[], 8, "");
    let input = |k: usize| &case.inputs[k].data;
    let (x, s4, b4, s2, b2, z) = (input(0), input(1), input(2), input(3), input(4), input(5));
    // x is [1, 4, 2, 3]: channel c, row h, column w.
    let at = |c: usize, h: usize, w: usize| x[c * 6 + h * 3 + w];
    let out = |k: usize| &case.reference[k].data;
    let close = |got: f64, expect: f64, what: &str| {
        assert!((got - expect).abs() <= 1e-9 * (1.0 + expect.abs()), "{what}: {got} against {expect}");
    };
    let pixels = || (0..2).flat_map(|h| (0..3).map(move |w| (h, w)));
    for (h, w) in pixels() {
        let lse = (0..4).map(|c| at(c, h, w).exp()).sum::<f64>().ln();
        for c in 0..4 {
            let i = c * 6 + h * 3 + w;
            close(out(0)[i], at(c, h, w) - lse, &format!("log_softmax[{c}, {h}, {w}]"));
            let v = at(c, h, w);
            close(out(1)[i], v * v.exp().ln_1p().tanh(), &format!("mish[{c}, {h}, {w}]"));
        }
        close(out(4)[h * 3 + w], (0..4).map(|c| at(c, h, w).powi(2)).sum(), &format!("sum_square[{h}, {w}]"));
    }
    for c in 0..4 {
        for h in 0..2 {
            close(out(2)[c * 2 + h], (0..3).map(|w| at(c, h, w).powi(2)).sum::<f64>().sqrt(), "l2");
        }
        close(out(5)[c], pixels().map(|(h, w)| at(c, h, w).exp()).sum::<f64>().ln(), "log_sum_exp");
    }
    close(out(3)[0], x.iter().map(|v| v.abs()).sum(), "l1");
    // Normalised over `members` (channel, row, column) triples, ε as given.
    let normalised = |members: &[(usize, usize, usize)], eps: f64, c: usize, h: usize, w: usize| {
        let n = members.len() as f64;
        let mean = members.iter().map(|&(c, h, w)| at(c, h, w)).sum::<f64>() / n;
        let var = members.iter().map(|&(c, h, w)| (at(c, h, w) - mean).powi(2)).sum::<f64>() / n;
        (at(c, h, w) - mean) / (var + eps).sqrt()
    };
    let group = |g: usize| -> Vec<(usize, usize, usize)> {
        (2 * g..2 * g + 2).flat_map(|c| pixels().map(move |(h, w)| (c, h, w))).collect()
    };
    for c in 0..4 {
        let channel: Vec<_> = pixels().map(|(h, w)| (c, h, w)).collect();
        for (h, w) in pixels() {
            let i = c * 6 + h * 3 + w;
            let inorm = normalised(&channel, 1e-3, c, h, w) * s4[c] + b4[c];
            close(out(6)[i], inorm, &format!("instance_norm[{c}, {h}, {w}]"));
            let g = c / 2;
            close(out(7)[i], normalised(&group(g), 1e-3, c, h, w) * s2[g] + b2[g], "group_norm per group");
            close(out(8)[i], normalised(&group(g), 1e-5, c, h, w) * s4[c] + b4[c], "group_norm per channel");
        }
    }
    // Pixel shuffles: [1, 2, 4, 6] from u [1, 8, 2, 3] (output pixel (2h + i, 2w + j) of
    // channel c from u's channel (2i + j)·2 + c in DCR order, 4c + 2i + j in CRD order), and
    // [1, 8, 2, 3] from z [1, 2, 4, 6] (channel (2i + j)·2 + c from z's pixel (2h + i, 2w + j)).
    let u = input(6);
    for c in 0..2 {
        for y in 0..4 {
            for xo in 0..6 {
                let (h, i, w, j) = (y / 2, y % 2, xo / 2, xo % 2);
                let from = |channel: usize| u[channel * 6 + h * 3 + w];
                let o = c * 24 + y * 6 + xo;
                close(out(9)[o], from((2 * i + j) * 2 + c), &format!("depth_to_space DCR [{c}, {y}, {xo}]"));
                close(out(10)[o], from(4 * c + 2 * i + j), &format!("depth_to_space CRD [{c}, {y}, {xo}]"));
            }
        }
    }
    for c in 0..8 {
        let (bh, bw, zc) = (c / 4, (c / 2) % 2, c % 2);
        for h in 0..2 {
            for w in 0..3 {
                let expect = z[zc * 24 + (h * 2 + bh) * 6 + w * 2 + bw];
                close(out(11)[c * 6 + h * 3 + w], expect, &format!("space_to_depth[{c}, {h}, {w}]"));
            }
        }
    }
}

/// Whole image-to-image networks: ESPCN (convolutions, tanh, a sub-pixel DepthToSpace) and a
/// tiny CycleGAN ResNet generator (reflect padding, instance normalisation, transposed
/// convolutions, residual adds).
#[test]
fn image_generators() {
    check("espcn", "test-suite/onnxtxt/espcn.onnxtxt", &[]);
    check("cyclegan", "test-suite/onnxtxt/cyclegan.onnxtxt", &[]);
}

/// ONNX Einsum (MACs over the equation's labels, contracted pairwise; transposes, diagonals and
/// sums of one operand), the reference checked against the equations computed directly.
#[test]
fn einsum_equations() {
    check("einsum", "test-suite/hls/einsum.onnxtxt", &[]);
    let case = prepare("test-suite/hls/einsum.onnxtxt", &[], 11, "");
    let input = |k: usize| &case.inputs[k].data;
    let (q, k, w, v, sq) = (input(0), input(1), input(2), input(3), input(4));
    let out = |n: usize| &case.reference[n].data;
    let close = |got: f64, expect: f64, what: &str| {
        assert!((got - expect).abs() <= 1e-9 * (1.0 + expect.abs()), "{what}: {got} against {expect}");
    };
    // q [2, 3, 4], k [2, 5, 4], w [4, 6], v [6, 3], sq [4, 4].
    let qa = |b: usize, i: usize, d: usize| q[b * 12 + i * 4 + d];
    for b in 0..2 {
        for i in 0..3 {
            for j in 0..5 {
                let dot: f64 = (0..4).map(|d| qa(b, i, d) * k[b * 20 + j * 4 + d]).sum();
                close(out(0)[b * 15 + i * 5 + j], dot, "scores");
            }
            for f in 0..3 {
                let s: f64 = (0..4)
                    .flat_map(|d| (0..6).map(move |e| (d, e)))
                    .map(|(d, e)| qa(b, i, d) * w[d * 6 + e] * v[e * 3 + f])
                    .sum();
                close(out(2)[b * 9 + i * 3 + f], s, "chain");
            }
            close(out(7)[b * 3 + i], (0..4).map(|d| qa(b, i, d)).sum(), "rows");
            for d in 0..4 {
                close(out(4)[d * 6 + b * 3 + i], qa(b, i, d), "moved");
            }
        }
        for j in 0..5 {
            for e in 0..6 {
                let s: f64 = (0..4).map(|d| k[b * 20 + j * 4 + d] * w[d * 6 + e]).sum();
                close(out(1)[b * 30 + j * 6 + e], s, "proj");
            }
        }
    }
    for i in 0..4 {
        close(out(5)[i], sq[i * 5], "diag");
        for j in 0..6 {
            close(out(3)[i * 6 + j], sq[i * 5] * (0..4).map(|r| w[r * 6 + j]).sum::<f64>(), "outer");
        }
    }
    close(out(6)[0], (0..4).map(|i| sq[i * 5]).sum(), "trace");
}

/// ArgMax/ArgMin (decomposed into a maximum, an equality, an iota and a reduction), ReduceMin,
/// and an integer maximum of negative values, against their definitions.
#[test]
fn arg_extremes() {
    check("argmax", "test-suite/hls/argmax.onnxtxt", &[]);
    let case = prepare("test-suite/hls/argmax.onnxtxt", &[], 12, "");
    let (x, ints) = (&case.inputs[0].data, &case.inputs[1].data);
    let out = |n: usize| &case.reference[n].data;
    // x is [2, 5, 3]; the first index of the extreme (strict comparison keeps the first).
    type Better = fn(f64, f64) -> bool;
    let arg = |values: &[f64], better: Better| -> f64 {
        (1..values.len()).fold(0, |best, i| if better(values[i], values[best]) { i } else { best }) as f64
    };
    let (gt, lt): (Better, Better) = (|a, b| a > b, |a, b| a < b);
    for b in 0..2 {
        for j in 0..3 {
            let column: Vec<f64> = (0..5).map(|i| x[b * 15 + i * 3 + j]).collect();
            assert_eq!(out(0)[b * 3 + j], arg(&column, gt), "argmax[{b}, :, {j}]");
        }
        for i in 0..5 {
            let row = &x[b * 15 + i * 3..b * 15 + i * 3 + 3];
            assert_eq!(out(4)[b * 5 + i], row.iter().copied().fold(f64::INFINITY, f64::min), "min[{b}, {i}]");
        }
    }
    assert_eq!(out(1), &[1.0, 0.0], "first maxima of the ties");
    assert_eq!(out(2), &[2.0, 3.0], "last maxima of the ties");
    for i in 0..5 {
        for j in 0..3 {
            let across: Vec<f64> = (0..2).map(|b| x[b * 15 + i * 3 + j]).collect();
            assert_eq!(out(3)[i * 3 + j], arg(&across, lt), "argmin[:, {i}, {j}]");
        }
    }
    for r in 0..3 {
        let expect = ints[r * 4..r * 4 + 4].iter().copied().fold(f64::NEG_INFINITY, f64::max) - 10.0;
        assert_eq!(out(5)[r], expect, "integer max of row {r}");
    }
}

/// Floor, Ceil, Round (halves to even), Sign and the decomposed Softsign, SELU, CELU,
/// ThresholdedRelu, and the variadic Sum, Mean, Max and Min, against their ONNX definitions.
#[test]
fn rounding_and_activations() {
    check("rounding", "test-suite/hls/rounding.onnxtxt", &[]);
    let case = prepare("test-suite/hls/rounding.onnxtxt", &[], 13, "");
    let x = &case.inputs[0].data;
    let out = |n: usize| &case.reference[n].data;
    let (alpha, gamma) = (1.673_263_192_176_818_8, 1.050_701_022_148_132_3);
    for (i, &v) in x.iter().enumerate() {
        let big = 3.0 * v;
        let close = |got: f64, expect: f64, what: &str| {
            assert!((got - expect).abs() <= 1e-9 * (1.0 + expect.abs()), "{what}[{i}]: {got} against {expect}");
        };
        close(out(0)[i], big.floor(), "floor");
        close(out(1)[i], big.ceil(), "ceil");
        close(
            out(3)[i],
            if v > 0.0 {
                1.0
            } else if v < 0.0 {
                -1.0
            } else {
                0.0
            },
            "sign",
        );
        close(out(4)[i], big / (1.0 + big.abs()), "softsign");
        close(out(5)[i], gamma * if big > 0.0 { big } else { alpha * (big.exp() - 1.0) }, "selu");
        close(out(6)[i], big.max(0.0) + (2.0 * ((big / 2.0).exp() - 1.0)).min(0.0), "celu");
        close(out(7)[i], if v > 0.3 { v } else { 0.0 }, "thresholded_relu");
        close(out(8)[i], v + big + v, "sum");
        close(out(9)[i], (v + big) / 2.0, "mean");
        close(out(10)[i], v, "sum of one");
        close(out(11)[i], v.max(big).max(-v), "max of three");
        close(out(12)[i], v.min(big).min(-v), "min of three");
    }
    assert_eq!(out(2), &[-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 0.0, 2.0], "round");
}

/// An input returned as it is and a value returned twice: every output is written (copied by
/// a DMA load and store), and equals the reference.
#[test]
fn returned_inputs_and_repeated_results() {
    check("passthrough", "test-suite/hls/passthrough.onnxtxt", &[]);
    let case = prepare("test-suite/hls/passthrough.onnxtxt", &[], 14, "");
    assert_eq!(case.reference[1].data, case.reference[0].data);
    assert_eq!(case.reference[2].data, case.inputs[0].data);
}

/// ScatterND on run-time values (an equality matrix against an iota picks each row's last
/// update), checked against ONNX's definition with the last of equal indices winning.
#[test]
fn scatter_nd_at_run_time() {
    check("scatter_nd", "test-suite/hls/scatter_nd.onnxtxt", &[]);
    let case = prepare("test-suite/hls/scatter_nd.onnxtxt", &[], 15, "");
    let input = |k: usize| &case.inputs[k].data;
    let (data, rows, rowvals, pairs, pairvals, last) = (input(0), input(1), input(2), input(3), input(4), input(5));
    // data [4, 4, 2]: slice (i, j) is elements (i * 4 + j) * 2 .. + 2, row i is 8 elements.
    let mut byrow = data.clone();
    for (u, &r) in rows.iter().enumerate() {
        byrow[r as usize * 8..r as usize * 8 + 8].copy_from_slice(&rowvals[u * 8..u * 8 + 8]);
    }
    let mut bypair = data.clone();
    for u in 0..3 {
        let at = (pairs[2 * u] as usize * 4 + pairs[2 * u + 1] as usize) * 2;
        bypair[at..at + 2].copy_from_slice(&pairvals[u * 2..u * 2 + 2]);
    }
    let mut fromend = data.clone();
    fromend[24..26].copy_from_slice(last);
    assert_eq!(case.reference[0].data, byrow);
    assert_eq!(case.reference[1].data, bypair);
    assert_eq!(case.reference[2].data, fromend);
}

/// LRN (sums of zero-padded channel slices of x²) and OneHot (an equality against an iota),
/// checked against ONNX's definitions.
#[test]
fn lrn_and_one_hot() {
    check("lrn_onehot", "test-suite/hls/lrn_onehot.onnxtxt", &[]);
    let case = prepare("test-suite/hls/lrn_onehot.onnxtxt", &[], 16, "");
    let (x, ids) = (&case.inputs[0].data, &case.inputs[1].data);
    let out = |n: usize| &case.reference[n].data;
    // x is [1, 6, 2, 3]: channel c of pixel p at c * 6 + p.
    for (k, (size, alpha, beta, bias)) in [(5i64, 1e-4, 0.75, 2.0), (4, 0.5, 0.5, 1.0)].into_iter().enumerate() {
        for c in 0..6i64 {
            for p in 0..6 {
                let window = (c - (size - 1) / 2).max(0)..=(c + size / 2).min(5);
                let sum: f64 = window.map(|i| x[i as usize * 6 + p].powi(2)).sum();
                let expect = x[c as usize * 6 + p] / (bias + alpha / size as f64 * sum).powf(beta);
                let got = out(k)[c as usize * 6 + p];
                assert!(
                    (got - expect).abs() <= 1e-9 * (1.0 + expect.abs()),
                    "lrn{size}[{c}, {p}]: {got} against {expect}"
                );
            }
        }
    }
    for (i, &id) in ids.iter().enumerate() {
        for d in 0..5 {
            assert_eq!(out(2)[i * 5 + d], f64::from(u8::from(d as f64 == id)), "hot[{i}, {d}]");
        }
    }
    // picks [0, -1, 2] over depth 4, the new axis first: first[d, i].
    for (i, pick) in [0usize, 3, 2].into_iter().enumerate() {
        for d in 0..4 {
            assert_eq!(out(3)[d * 3 + i], if d == pick { 3.0 } else { -1.0 }, "first[{d}, {i}]");
        }
    }
}

/// Tile (`d mod n` reads) and Not.
#[test]
fn tile_and_not() {
    check("tile", "test-suite/hls/tile.onnxtxt", &[]);
}

#[test]
fn convolution_and_pools() {
    check("conv", "test-suite/hls/conv.onnxtxt", &[]);
}

/// Depthwise and grouped convolutions (their results streamed: the channel `g` or `g * 4 + k`)
/// and the activations MobileNets use: clip, hard-swish, hard sigmoid, leaky ReLU, PReLU, ELU,
/// softplus.
#[test]
fn mobilenet_blocks() {
    check("mobilenet", "test-suite/hls/mobilenet.onnxtxt", &[]);
}

/// A transposed convolution with kernel = stride (the scatter `h * 2 + r` streams as a merged
/// pair) between a strided convolution and a skip concatenation; overlapping, padded and
/// grouped ones (their patches accumulate, so the kernel writes its result whole).
#[test]
fn transposed_convolution() {
    check("unet", "test-suite/hls/unet.onnxtxt", &[]);
    check("deconv", "test-suite/hls/deconv.onnxtxt", &[]);
}

/// Pad (zero padding as an offset read), Resize (nearest, up by `d floordiv 2`, down by `d * 2`).
#[test]
fn padding_and_resizing() {
    check("upsample", "test-suite/hls/upsample.onnxtxt", &[]);
}

/// A matmul whose loop nests re-stream its operands (A once per result column tile, B once per
/// result row tile at 4-element tiles): the kernel consumes them firing by firing and holds one
/// output tile.
#[test]
fn matmul_restreaming_its_operands() {
    check("restream", "test-suite/hls/restream.onnxtxt", &[]);
    if !gxx() {
        return;
    }
    for (pipeline, a_passes, b_passes) in [("", 3, 1), (SMALL_TILES, 12, 4)] {
        let case = prepare("test-suite/hls/restream.onnxtxt", &[], 1, pipeline);
        let topo = dnnc_emit::kernels::Topology::of(&case.cx, case.module).unwrap();
        let mm = topo.nodes.iter().position(|n| n.name.contains("matmul")).unwrap();
        let tokens = |port: usize| topo.input_channel(mm, port).unwrap().itensor.tokens();
        let tiles = |port: usize| {
            let t = &topo.input_channel(mm, port).unwrap().itensor;
            t.full_shape().iter().zip(&t.tile).map(|(s, t)| s / t).product::<i64>()
        };
        assert_eq!((tokens(0), tokens(1)), (a_passes * tiles(0), b_passes * tiles(1)), "{pipeline}");
    }
}

/// A hand-written design whose MAC kernel runs its reduced loop outside a result loop
/// (test-suite/hls/matmul_k_outer.mlir): compared with a plain matmul.
#[test]
fn matmul_with_a_reduced_loop_outside_a_result_loop() {
    if !gxx() {
        eprintln!("SKIPPED matmul_k_outer: g++ is not installed");
        return;
    }
    let path = repo().join("test-suite/hls/matmul_k_outer.mlir");
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let text = std::fs::read_to_string(&path).unwrap();
    let module =
        dnnc_ir::parse_source(&mut cx, "matmul_k_outer.mlir", &text, dnnc_ir::ParseOptions::default()).unwrap();
    dnnc_ir::verify(&cx, module).unwrap();
    let design = hls_design(&cx, module, &dnnc_arch::fpga::preset("u55c").unwrap()).unwrap();
    let acc: Vec<i64> = design.buffers.iter().filter(|b| b.node == "mm").map(|b| b.elems).collect();
    assert_eq!(acc, [32], "one 4x8 row panel of partial sums");
    let mut rng = Lcg(7);
    let mut random = |shape: &[i64]| Tensor {
        shape: shape.to_vec(),
        data: (0..shape.iter().product::<i64>()).map(|_| rng.next()).collect(),
    };
    let (a, b) = (random(&[8, 12]), random(&[12, 8]));
    let mut c = vec![0.0; 64];
    for m in 0..8 {
        for n in 0..8 {
            c[m * 8 + n] = (0..12).map(|k| a.data[m * 12 + k] * b.data[k * 8 + n]).sum();
        }
    }
    let reference = vec![Tensor { shape: vec![8, 8], data: c }];
    let case = Case { reference, design, inputs: vec![a, b], weights: HashMap::new(), cx, module };
    compare("matmul_k_outer", &case);
}
