use super::*;
use dnnc_ir::{DialectRegistry, ParseOptions, parse_source};
use std::sync::Arc;

const S: &str = "!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>";
const T: &str = "!dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>";

fn registry() -> Arc<DialectRegistry> {
    Arc::new(
        DialectRegistry::new()
            .with(&dnnc_func::DIALECT)
            .with(&dnnc_graph::DIALECT)
            .with(&dnnc_einsum::DIALECT)
            .with(&DIALECT),
    )
}

fn parse(text: &str) -> Result<(Context, OpId), String> {
    let mut cx = Context::new(registry());
    let m = parse_source(&mut cx, "t.mlir", text, ParseOptions::default()).map_err(|d| d.message)?;
    Ok((cx, m))
}

fn errors(text: &str) -> Vec<String> {
    let (cx, m) = parse(text).unwrap();
    dnnc_ir::verify(&cx, m).err().unwrap_or_default().into_iter().map(|d| d.message).collect()
}

/// A relu kernel between a DMA load and a store, through a FIFO and a converter.
fn design(kernel_attrs: &str, converter: &str) -> String {
    format!(
        r#""func.func"() ({{
^bb0(%x: tensor<8x8xf16>):
  %s = "dataflow.dma_load"(%x) {{reason = "input"}} : (tensor<8x8xf16>) -> {S}
  %f = "dataflow.fifo"(%s) {{depth = 2, width = 128}} : ({S}) -> {S}
  %k = "dataflow.kernel"(%f) ({{
  ^bb0(%a: tensor<8x8xf16>):
    %r = "einsum.op"(%a) {{kind = "elementwise", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"}} : (tensor<8x8xf16>) -> tensor<8x8xf16>
    "dataflow.yield"(%r) : (tensor<8x8xf16>) -> ()
  }}) {kernel_attrs} : ({S}) -> {S}
  %c = "dataflow.converter"(%k) {converter} : ({S}) -> {T}
  %o = "dataflow.dma_store"(%c) : ({T}) -> tensor<8x8xf16>
  "func.return"(%o) : (tensor<8x8xf16>) -> ()
}}) {{function_type = (tensor<8x8xf16>) -> tensor<8x8xf16>, sym_name = "f"}} : () -> ()
"#
    )
}

const KERNEL_ATTRS: &str = r#"{name = "relu", loops = [["D0", 4, 2], ["D1", 2, 4]], reads = [!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>], ii = 8, latency = 12, parallelism = 1}"#;
const CONVERTER_ATTRS: &str = "{buffer = [8, 8], bytes = 256}";

#[test]
fn a_design_verifies_and_prints_back() {
    let text = design(KERNEL_ATTRS, CONVERTER_ATTRS);
    let (cx, m) = parse(&text).unwrap();
    dnnc_ir::verify(&cx, m).unwrap();
    let printed = dnnc_ir::print_module(&cx, m, Default::default());
    let (cx2, m2) = parse(&printed).unwrap();
    assert_eq!(dnnc_ir::print_module(&cx2, m2, Default::default()), printed);
    let k = cx.nested_ops(m).into_iter().find(|&o| cx.is(o, KERNEL)).unwrap();
    assert_eq!(firings(&cx, k), 8);
    let it = ITensor::from_type(&cx, cx.value_type(cx.result(k, 0))).unwrap();
    assert_eq!((it.full_shape(), it.tokens(), it.tile_bytes()), (vec![8, 8], 8, 16));
}

#[test]
fn itensor_round_trips_through_a_type() {
    let (mut cx, m) = parse(&design(KERNEL_ATTRS, CONVERTER_ATTRS)).unwrap();
    let k = cx.nested_ops(m).into_iter().find(|&o| cx.is(o, KERNEL)).unwrap();
    let ty = cx.value_type(cx.result(k, 0));
    let it = ITensor::from_type(&cx, ty).unwrap();
    assert_eq!(it.to_type(&mut cx), ty, "building the decoded type gives the same interned type");
    assert_eq!(it, ITensor::regular(&[8, 8], TypeId::F16, 16, &[2, 4], &[0, 1]));
}

#[test]
fn malformed_types_are_parse_errors() {
    let bad = |s: &str| parse(&design(KERNEL_ATTRS, CONVERTER_ATTRS).replace(S, s)).err().unwrap();
    let e = bad("!dataflow.itensor<2x4xf16, trips = [4], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>");
    assert!(e.contains("invalid !dataflow.itensor: 1 trip counts for a map of 2 iteration dims"), "{e}");
    let e = bad("!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4]>");
    assert!(e.contains("missing 'map'"), "{e}");
    let e = bad(
        "!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], depth = 3, map = affine_map<(d0, d1) -> (d0, d1)>>",
    );
    assert!(e.contains("unknown parameter 'depth'"), "{e}");
}

#[test]
fn op_verifiers_name_the_problem() {
    let k = |s: &str| errors(&design(s, CONVERTER_ATTRS));
    assert_eq!(
        k(r#"{name = "relu", loops = [["D0", 0, 2]], reads = [unit], ii = 0, latency = 1, parallelism = 1}"#),
        [
            "'dataflow.kernel' op loop 'D0' needs positive trips and tile, has 0 and 2",
            "'dataflow.kernel' op operand #0 is a stream but reads[0] is unit (whole-tensor access)",
            "'dataflow.kernel' op 'ii' must be at least 1, but is 0"
        ]
    );
    let c = |s: &str| errors(&design(KERNEL_ATTRS, s));
    assert_eq!(
        c("{buffer = [2, 8], bytes = 64}"),
        ["'dataflow.converter' op buffer [2, 8] is smaller than the [8, 8] the two layouts need"]
    );
    assert_eq!(
        c("{buffer = [8, 8], bytes = 128}"),
        ["'dataflow.converter' op bytes 128 but two buffers of [8, 8] take 256"]
    );
    let text = design(KERNEL_ATTRS, CONVERTER_ATTRS)
        .replace("^bb0(%a: tensor<8x8xf16>)", "^bb0(%a: tensor<8x4xf16>)")
        .replace(r#"relu"} : (tensor<8x8xf16>)"#, r#"relu"} : (tensor<8x4xf16>)"#);
    assert_eq!(
        errors(&text),
        [
            "'dataflow.kernel' op body arguments (tensor<8x4xf16>) must be the tensors its operands stream (tensor<8x8xf16>)"
        ]
    );
}

#[test]
fn design_of_models_streams_and_dependencies_through_memory() {
    // A store of the relu's result and a load of it again (a spill): the load waits for the
    // store through a one-token channel.
    let text = design(KERNEL_ATTRS, CONVERTER_ATTRS).replace(
        r#"  "func.return"(%o)"#,
        &format!(
            "  %l = \"dataflow.dma_load\"(%o) {{reason = \"spill\"}} : (tensor<8x8xf16>) -> {S}\n  %p = \"dataflow.dma_store\"(%l) : ({S}) -> tensor<8x8xf16>\n  \"func.return\"(%p)"
        ),
    );
    let (cx, m) = parse(&text).unwrap();
    dnnc_ir::verify(&cx, m).unwrap();
    let blocks = design::dataflow_blocks(&cx, m);
    assert_eq!(blocks.len(), 1);
    let map = design::design_of(&cx, blocks[0], "f").unwrap();
    let d = &map.design;
    // load, relu, converter, store, load, store.
    assert_eq!(d.kernels.len(), 6);
    let kinds: Vec<_> = d.kernels.iter().map(|k| k.kind).collect();
    use dnnc_stream::KernelKind::*;
    assert_eq!(kinds, [DmaLoad, Compute, Converter, DmaStore, DmaLoad, DmaStore]);
    // Four streams (fifo'd load -> relu, relu -> converter, converter -> store, load -> store)
    // and the memory dependency store -> load.
    assert_eq!(d.channels.len(), 5);
    let dep = d.channels.last().unwrap();
    assert_eq!((dep.producer.0, dep.consumer.0, dep.tokens, dep.width_bits), (3, 4, 1, 1));
    assert_eq!(d.channels[0].depth, 2, "the FIFO's depth");
    assert_eq!(d.channels[0].tokens, 8);
    // The transposing converter fills its whole buffer (8 tokens) before its first output.
    assert_eq!(d.channels[1].lead, 7);
    assert!(map.edges[4].is_none() && map.edges[0].is_some());
    assert_eq!(d.kernels[1].work, 8, "one 2x4 tile per firing");
    // The design moves the input, the spill (out and back) and the output; any design of the
    // function must move only the input and the output.
    let moved: u64 = d.kernels.iter().filter(|k| k.kind.is_dma()).map(|k| k.hbm_bytes).sum();
    assert_eq!(moved, 4 * 128);
    let func = cx.nested_ops(m).into_iter().find(|&o| cx.is(o, "func.func")).unwrap();
    assert_eq!(design::compulsory_bytes(&cx, func), 2 * 128);
    // The store that goes out and back is a spill once it says so.
    assert_eq!(design::spill_bytes(&cx, func), 0);
    let spilled = text.replacen(r#""dataflow.dma_store"(%c) :"#, r#""dataflow.dma_store"(%c) {reason = "spill"} :"#, 1);
    let (cx, m) = parse(&spilled).unwrap();
    let func = cx.nested_ops(m).into_iter().find(|&o| cx.is(o, "func.func")).unwrap();
    assert_eq!(design::spill_bytes(&cx, func), 128);
}

/// The stream model of a compute kernel keeps the IR's timing whatever parallelism the
/// allocation gives it: `ii` and the latency (`ii` plus the pipeline depth) both follow the
/// lanes, as `estimate::timing` and the HLS loop do — so what `allocate-resources` optimises is
/// what the IR it writes back says.
#[test]
fn a_kernels_latency_follows_its_parallelism() {
    let (cx, m) = parse(&design(KERNEL_ATTRS, CONVERTER_ATTRS)).unwrap();
    let map = design::design_of(&cx, design::dataflow_blocks(&cx, m)[0], "f").unwrap();
    let op = map.kernel_ops[1].0;
    let mut k = map.design.kernels[1].clone();
    for p in [1, 2, 3, 8] {
        k.set_parallelism(p);
        assert_eq!((k.ii, k.latency), estimate::timing(&cx, op, p), "at {p} lanes");
    }
}

/// A converter's lead: a one-for-one reorder fills its buffer before its first output; one
/// that gathers blocks of tiles into each output token pops a block per output through its
/// rate, so it needs no lead on top.
#[test]
fn converter_lead_counts_the_buffer_beyond_the_rate() {
    // 8 tiles transposed one for one, the whole 8-tile buffer first (as above).
    assert_eq!(design::converter_lead(8, 8, 8), 7);
    // 3072 16x16 tiles gathered into 64 whole-row panels of 48 tiles each.
    assert_eq!(design::converter_lead(48, 3072, 64), 0);
    // 64 row panels re-read as 16x64 tiles, 147 456 of them: one panel buffered.
    assert_eq!(design::converter_lead(1, 64, 147_456), 0);
    // The whole tensor before the first tile: a barrier.
    assert_eq!(design::converter_lead(64, 64, 20_796), 63);
    // A gather into panels of 2 tiles whose buffer holds 4: two tiles beyond the rate.
    assert_eq!(design::converter_lead(4, 8, 4), 2);
}

/// A gather's table read whole from memory moves only the rows the gather selects: 4 rows of
/// 64 f32 (1 KiB) of a 100-row table (25.6 KB), at the kernel's firing rate.
#[test]
fn design_of_a_gather_reads_only_its_rows() {
    let text = r#""func.func"() ({
^bb0(%ids: tensor<4xi64>):
  %e = "graph.weight"() {name = "emb"} : () -> tensor<100x64xf32>
  %k = "dataflow.kernel"(%e, %ids) ({
  ^bb0(%t: tensor<100x64xf32>, %i: tensor<4xi64>):
    %r = "einsum.op"(%t, %i) {kind = "data_movement", dims = ["D0", "D1"], sizes = [4, 64], maps = [affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.gather", indirect = [0, 0]} : (tensor<100x64xf32>, tensor<4xi64>) -> tensor<4x64xf32>
    "dataflow.yield"(%r) : (tensor<4x64xf32>) -> ()
  }) {name = "gather", loops = [["D0", 1, 4], ["D1", 4, 16]], reads = [unit, unit], ii = 64, latency = 66, parallelism = 1} : (tensor<100x64xf32>, tensor<4xi64>) -> tensor<4x64xf32>
  "func.return"(%k) : (tensor<4x64xf32>) -> ()
}) {function_type = (tensor<4xi64>) -> tensor<4x64xf32>, sym_name = "g"} : () -> ()
"#;
    let (cx, m) = parse(text).unwrap();
    dnnc_ir::verify(&cx, m).unwrap();
    let blocks = design::dataflow_blocks(&cx, m);
    let d = design::design_of(&cx, blocks[0], "g").unwrap().design;
    let hbm = |name: &str| d.kernels[d.kernel_named(name).unwrap().index()].hbm_bytes;
    assert_eq!(hbm("gather.in0"), 4 * 64 * 4, "the 4 gathered rows, not the 100-row table");
    assert_eq!(hbm("gather.in1"), 4 * 8, "the indices, read whole");
    assert_eq!(hbm("gather.out0"), 4 * 64 * 4);
}
