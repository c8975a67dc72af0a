//! The ONNX text reader (`.onnxtxt`) on the models in `test-suite/onnxtxt/`: what each model
//! parses to (header, graph, types, initializers, nodes, attributes, nested graphs), errors with
//! their line and column, the import of text models into the graph dialect (with and without
//! bindings for a symbolic dimension), and robustness (mutated inputs, deep nesting, bad UTF-8).
//! `bench/onnx-text-crosscheck.sh` checks the same files against Python's `onnx.parser`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use dnnc_ir::{Context, DialectRegistry, verify};
use dnnc_onnx::proto::attribute_proto::AttributeType;
use dnnc_onnx::proto::{AttributeProto, GraphProto, NodeProto, TensorProto, type_proto};
use dnnc_onnx::{
    DataType, Dim, ImportOptions, Model, OnnxError, TextError, decode_model, import_model, parse_model_text,
    read_model_any,
};
use prost::Message;

fn path(name: &str) -> String {
    format!("{}/../../test-suite/onnxtxt/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> Model {
    read_model_any(path(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn node<'g>(graph: &'g GraphProto, name: &str) -> &'g NodeProto {
    graph.node.iter().find(|n| n.name() == name).unwrap_or_else(|| panic!("no node {name}"))
}

fn attr<'n>(node: &'n NodeProto, name: &str) -> &'n AttributeProto {
    node.attribute.iter().find(|a| a.name() == name).unwrap_or_else(|| panic!("no attribute {name}"))
}

fn initializer<'g>(graph: &'g GraphProto, name: &str) -> &'g TensorProto {
    graph.initializer.iter().find(|t| t.name() == name).unwrap_or_else(|| panic!("no initializer {name}"))
}

fn sym(name: &str) -> Dim {
    Dim::Symbolic(name.to_string())
}

#[test]
fn mlp_with_gemm_and_relu() {
    let model = read("mlp.onnxtxt");
    assert_eq!((model.ir_version(), model.opset_version(""), model.producer_name()), (8, Some(17), "dnnc-tests"));
    assert_eq!(model.producer_version(), "0.1");
    let graph = model.graph();
    assert_eq!(graph.name(), "mlp");
    let input = graph.inputs().next().unwrap().tensor_type().unwrap();
    assert_eq!(input.elem_type, DataType::Float);
    assert_eq!(input.shape, Some(vec![sym("N"), Dim::Static(784)]));
    assert_eq!(graph.outputs().next().unwrap().shape().unwrap(), Some(vec![sym("N"), Dim::Static(10)]));
    let g = graph.proto();
    let w = graph.initializer("fc1_w").unwrap();
    assert_eq!(w.dims(), [128, 784]);
    let ext = w.external_data().unwrap().unwrap();
    assert_eq!((ext.location.as_str(), ext.offset, ext.length), ("mlp.weights", Some(0), Some(401_408)));
    let b = initializer(g, "fc2_b");
    assert_eq!(b.float_data.len(), 10);
    assert_eq!((b.float_data[0], b.float_data[9]), (0.1, -1.0));
    let ops: Vec<(&str, &str)> = g.node.iter().map(|n| (n.name(), n.op_type())).collect();
    assert_eq!(ops, [("fc1", "Gemm"), ("relu1", "Relu"), ("fc2", "Gemm")]);
    let fc1 = node(g, "fc1");
    assert_eq!((&fc1.input, &fc1.output), (&vec!["X".to_string(), "fc1_w".into(), "fc1_b".into()], &vec!["H".into()]));
    assert_eq!(fc1.domain(), "");
    assert_eq!((attr(fc1, "alpha").r#type(), attr(fc1, "alpha").f), (AttributeType::Float, Some(1.0)));
    assert_eq!((attr(fc1, "transB").r#type(), attr(fc1, "transB").i), (AttributeType::Int, Some(1)));
    // The typed view reads the text model like a decoded one.
    let fc2 = graph.nodes().find(|n| n.name() == "fc2").unwrap();
    assert_eq!(fc2.attr_int("transB").unwrap(), 1);
}

#[test]
fn conv_net_with_an_initializer_and_a_value_info() {
    let model = read("convnet.onnxtxt");
    assert_eq!(model.proto().model_version, Some(2));
    assert_eq!(model.proto().doc_string(), "conv net for the dnnc tests");
    let graph = model.graph();
    let inputs: Vec<&str> = graph.inputs().map(|i| i.name()).collect();
    assert_eq!(inputs, ["image", "conv_w", "fc_w", "fc_b"]);
    assert_eq!(graph.inputs().nth(1).unwrap().shape().unwrap(), Some([8, 1, 3, 3].map(Dim::Static).to_vec()));
    let g = graph.proto();
    let bias = initializer(g, "conv_b");
    assert_eq!((bias.dims.as_slice(), bias.data_type), (&[8][..], Some(DataType::Float.code())));
    assert_eq!(bias.float_data, [0.5, 0.25, 0.0, -0.25, -0.5, 1e-3, 25.0, -1.5]);
    let infos: Vec<_> = graph.value_infos().map(|v| (v.name(), v.shape().unwrap())).collect();
    assert_eq!(infos, [("conv_out", Some([1, 8, 28, 28].map(Dim::Static).to_vec()))]);
    let conv = node(g, "conv1");
    assert_eq!(attr(conv, "kernel_shape").ints, [3, 3]);
    assert_eq!((attr(conv, "pads").r#type(), attr(conv, "pads").ints.as_slice()), (AttributeType::Ints, &[1; 4][..]));
    assert_eq!(attr(node(g, "pool1"), "strides").ints, [2, 2]);
    assert_eq!(attr(node(g, "flatten"), "axis").i, Some(1));
    let ops: Vec<&str> = g.node.iter().map(|n| n.op_type()).collect();
    assert_eq!(ops, ["Conv", "Relu", "MaxPool", "Flatten", "Gemm"]);
}

#[test]
fn symbolic_dimensions_and_several_operator_sets() {
    let model = read("attention.onnxtxt");
    let opsets: Vec<(&str, i64)> = model.opset_imports().collect();
    assert_eq!(opsets, [("", 17), ("com.microsoft", 1)]);
    assert_eq!((model.opset_version("ai.onnx"), model.opset_version("com.microsoft")), (Some(17), Some(1)));
    assert_eq!((model.ir_version(), model.proto().domain()), (9, "ai.dnnc.tests"));
    let meta: Vec<(&str, &str)> = model.proto().metadata_props.iter().map(|e| (e.key(), e.value())).collect();
    assert_eq!(meta, [("author", "dnnc"), ("purpose", "symbolic dimensions")]);
    let graph = model.graph();
    assert_eq!(graph.inputs().next().unwrap().shape().unwrap(), Some(vec![sym("N"), Dim::Static(64)]));
    let g = graph.proto();
    assert_eq!(initializer(g, "rows").int64_data, [-1, 64]);
    let constant = g.node.iter().find(|n| n.op_type() == "Constant").unwrap();
    let value = attr(constant, "value").t.as_ref().unwrap();
    assert_eq!((value.name.as_deref(), value.dims.len(), value.float_data.as_slice()), (Some(""), 0, &[0.125][..]));
    assert_eq!(attr(node(g, "norm"), "epsilon").f, Some(1e-5));
    assert_eq!(attr(node(g, "norm"), "axis").i, Some(-1));
}

#[test]
fn graphs_nested_in_attributes() {
    let model = read("control-flow.onnxtxt");
    let g = model.graph().proto();
    let branch = node(g, "branch");
    assert_eq!(branch.input, ["cond"]);
    let then_branch = attr(branch, "then_branch");
    assert_eq!(then_branch.r#type(), AttributeType::Graph);
    let then_graph = then_branch.g.as_ref().unwrap();
    assert_eq!((then_graph.name(), then_graph.input.len(), then_graph.output[0].name()), ("then_graph", 0, "then_out"));
    assert_eq!((then_graph.node[0].op_type(), then_graph.node[0].input.clone()), ("Relu", vec!["x".to_string()]));
    assert_eq!(attr(branch, "else_branch").g.as_ref().unwrap().node[0].op_type(), "Neg");
    let repeat = node(g, "repeat");
    assert_eq!(repeat.input, ["trip", "", "x"], "an omitted input is an empty name");
    let body = attr(repeat, "body").g.as_ref().unwrap();
    let inputs: Vec<&str> = body.input.iter().map(|i| i.name()).collect();
    assert_eq!(inputs, ["i", "keep_going", "acc"]);
    assert_eq!(body.node.len(), 2);
    let trip = model.graph().inputs().nth(2).unwrap().tensor_type().unwrap();
    assert_eq!((trip.elem_type, trip.shape), (DataType::Int64, Some(vec![])), "`int64 trip` is a scalar");
}

#[test]
fn the_syntax_tour() {
    let model = read("syntax-tour.onnxtxt");
    let p = model.proto();
    assert_eq!((p.producer_name(), p.doc_string(), p.model_version()), ("dnnc \"tour\"", "a\\b # not a comment", -7));
    let graph = model.graph();
    assert_eq!(graph.name(), "the tour");
    let input = |name: &str| graph.inputs().find(|i| i.name() == name).unwrap();
    assert_eq!(input("images").shape().unwrap(), Some(vec![sym("N"), Dim::Static(3), Dim::Unknown, Dim::Static(224)]));
    assert_eq!(input("halves").shape().unwrap(), Some(vec![Dim::Static(2), sym("batch size")]));
    assert_eq!(input("unranked").tensor_type().unwrap().shape, None);
    assert_eq!(input("scalar").tensor_type().unwrap().shape, Some(vec![]));
    assert!(input("untyped").proto().r#type.is_none());
    assert!(input("onnx::quoted name").proto().r#type.is_none());
    let seq = input("sequence").proto().r#type.clone().unwrap();
    assert!(matches!(seq.value, Some(type_proto::Value::SequenceType(_))));
    let Some(type_proto::Value::OpaqueType(o)) = input("o3").proto().r#type.clone().unwrap().value else { panic!() };
    assert_eq!((o.domain(), o.name()), ("com.x", "thing"));
    let g = graph.proto();
    assert_eq!(initializer(g, "in_init").float_data, [1.5, -2.5], "an input with data is also an initializer");
    assert_eq!(initializer(g, "big").uint64_data, [u64::MAX]);
    assert_eq!(initializer(g, "strings").string_data, [&b"a"[..], &b"b\"c"[..]]);
    assert_eq!(initializer(g, "half_bits").int32_data, [15360, 48128], "float16 values are bit patterns");
    let specials = &initializer(g, "specials").float_data;
    assert!(specials[0] == f32::INFINITY && specials[1] == f32::NEG_INFINITY && specials[2].is_nan());
    let values: Vec<&str> = g.value_info.iter().map(|v| v.name()).collect();
    assert_eq!(values, ["mid", "mid2"]);
    let outputs = |op: &str| g.node.iter().find(|n| n.op_type() == op).unwrap().output.clone();
    assert_eq!(outputs("Foo"), ["", "c"]);
    assert_eq!(outputs("NoOutputs"), Vec::<String>::new());
    let foo = g.node.iter().find(|n| n.op_type() == "Foo").unwrap();
    assert_eq!(foo.domain(), "com.microsoft");
    let op = g.node.iter().find(|n| n.op_type() == "Op").unwrap();
    assert_eq!(op.input, ["a", "", "b"], "an empty name after the last comma is dropped");
    let attrs = g.node.iter().find(|n| n.op_type() == "Attrs").unwrap();
    assert_eq!(attr(attrs, "esc").s.as_deref(), Some(&b"q\"uote\\slashnn"[..]));
    assert_eq!(attr(attrs, "small").i, Some(i64::MIN));
    assert_eq!(attr(attrs, "floats").floats, [1.5, 2.0, f32::NEG_INFINITY]);
    assert_eq!(
        (attr(attrs, "empty_graphs").r#type(), attr(attrs, "empty_graphs").graphs.len()),
        (AttributeType::Graphs, 0)
    );
    assert_eq!(attr(attrs, "list_from_int").ints, [4, 5]);
    assert_eq!(attr(attrs, "named").t.as_ref().unwrap().name(), "t_named");
    assert_eq!(attr(attrs, "typ").r#type(), AttributeType::TypeProto);
    let after = g.node.iter().find(|n| n.op_type() == "After").unwrap();
    assert_eq!(attr(after, "name").s.as_deref(), Some(&b"after"[..]));
}

#[test]
fn lists_of_tensors_graphs_and_types_keep_their_elements() {
    let text = r#"g (float x) => (float y) {
        y = Op <ts = [int32[1] {1}, int32[2] {2, 3}], gs = [a () => () {}, b () => () {}], tps = [float, int8[2]]> (x)
    }"#;
    let model = parse_model_text(text, "lists.onnxtxt").unwrap();
    let n = &model.graph().proto().node[0];
    assert_eq!((attr(n, "ts").r#type(), attr(n, "ts").tensors.len()), (AttributeType::Tensors, 2));
    assert_eq!(attr(n, "ts").tensors[1].int32_data, [2, 3]);
    assert_eq!((attr(n, "gs").r#type(), attr(n, "gs").graphs[1].name()), (AttributeType::Graphs, "b"));
    assert_eq!((attr(n, "tps").r#type(), attr(n, "tps").type_protos.len()), (AttributeType::TypeProtos, 2));
}

#[test]
fn text_and_protobuf_give_the_same_model() {
    for name in ["mlp.onnxtxt", "convnet.onnxtxt", "attention.onnxtxt", "control-flow.onnxtxt", "syntax-tour.onnxtxt"] {
        let text = read(name);
        let bytes = text.proto().encode_to_vec();
        let decoded = decode_model(bytes.clone().into(), name).unwrap();
        // Compared as bytes: NaN attributes make the messages unequal to themselves.
        assert!(decoded.proto().encode_to_vec() == bytes, "{name}");
    }
    // Any other extension is read as protobuf.
    let resnet = format!("{}/../../test-suite/models/resnet18.onnx", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(read_model_any(resnet).unwrap().graph().node_count(), 65);
}

/// The text error inside `e`.
fn text_error(e: OnnxError) -> TextError {
    match e {
        OnnxError::TextSyntax(t) => *t,
        other => panic!("not a text error: {other}"),
    }
}

#[test]
fn errors_name_file_line_and_column() {
    let files = [
        ("invalid/unterminated-graph.onnxtxt", 6, 14, "expected `<`, `}` or a node, found end of input"),
        ("invalid/bad-type.onnxtxt", 3, 9, "unknown element type `floaty`"),
        ("invalid/bad-attribute.onnxtxt", 5, 26, "`true` is not an attribute value"),
        ("invalid/mixed-list.onnxtxt", 5, 35, "an element of this list should be an integer, found a float"),
        ("invalid/unterminated-string.onnxtxt", 1, 57, "unterminated string"),
        ("invalid/unknown-header-key.onnxtxt", 1, 17, "expected `ir_version`, `opset_import`"),
        ("invalid/tensor-values.onnxtxt", 4, 23, "expected an integer, found `1.5`"),
    ];
    for (name, line, col, message) in files {
        let e = text_error(read_model_any(path(name)).unwrap_err());
        assert_eq!((e.line, e.col), (line, col), "{name}: {}", e.message);
        assert!(e.message.contains(message), "{name}: {}", e.message);
        assert!(e.file.ends_with(name), "{name}: {}", e.file);
    }
    let e = text_error(read_model_any(path("invalid/bad-type.onnxtxt")).unwrap_err());
    let shown = e.to_string();
    let expected_tail = ":3:9: unknown element type `floaty` (expected one of float, uint8, ";
    assert!(shown.contains(expected_tail), "{shown}");
    assert!(shown.ends_with("\n  broken (floaty[1, 4] X) => (float[1, 4] Y)\n          ^"), "{shown}");
}

#[test]
fn what_onnx_parser_rejects_and_what_dnnc_rejects_too() {
    const H: &str = "g (float X) => (float Y)";
    let cases = [
        // Syntax errors onnx.parser also reports.
        (format!("{H} {{ Y = Op(X); Z = Op(Y) }}"), 1, 37, "expected `<`, `}` or a node, found `;`"),
        (format!("{H} {{ Y = Op.(X) }}"), 1, 35, "expected a name, found `(`"),
        (format!("{H} {{ Y = Op<>(X) }}"), 1, 35, "expected a name, found `>`"),
        (format!("{H} {{ Y = Op<a = [1, 2,]>(X) }}"), 1, 45, "expected an attribute value, found `]`"),
        (format!("{H} {{ Y = Op<a = 1.0f>(X) }}"), 1, 39, "an attribute value, found `1`"),
        (format!("{H} {{ Y = Op<a = []>(X) }}"), 1, 39, "needs a type annotation"),
        (format!("{H} {{ Y = Op<a: int = 1.5>(X) }}"), 1, 44, "should be an integer, found a float"),
        (format!("{H} {{ Y = Op<a: foo = 1>(X) }}"), 1, 38, "unknown attribute type `foo`"),
        (format!("{H} {{ Y = Op<a: ints = 1>(X) }}"), 1, 45, "annotated as a list but has one value"),
        (format!("{H} {{ Y = Op<a = 9223372036854775808>(X) }}"), 1, 39, "out of range for a 64-bit integer"),
        (format!("{H} {{ Y = Op<a = 1e39>(X) }}"), 1, 39, "out of range for a 32-bit float"),
        (
            format!("{H} {{ Y = Op<a = float[N] {{1}}>(X) }}"),
            1,
            45,
            "dimensions of a tensor with data must be integers",
        ),
        (format!("{H} {{ Y = Op<a = int32[1] {{9999999999}}>(X) }}"), 1, 49, "out of range for INT32"),
        (format!("{H} {{ Y = Op<a=1>(X)<b=2> }}"), 1, 42, "both before and after the inputs"),
        (format!("{H} {{ Y = Op(X) }} extra"), 1, 40, "model-local functions are not supported"),
        ("g (float X, ) => () {}".to_string(), 1, 13, "expected a value"),
        ("g (float X) = > () {}".to_string(), 1, 13, "expected `=>`, found `=`"),
        ("<ir_version: \"8\"> g () => () {}".to_string(), 1, 14, "expected an integer, found `\"8\"`"),
        ("<producer_name: pt> g () => () {}".to_string(), 1, 17, "expected a string, found `pt`"),
        ("<> g () => () {}".to_string(), 1, 2, "expected `ir_version`"),
        (String::new(), 1, 1, "expected a model (a header `<...>` or a graph), found end of input"),
        // Out of scope.
        (format!("{H} {{ Y = Op<a = @ref>(X) }}"), 1, 39, "attribute references (`@name`) are not supported"),
        (format!("{H} {{ Y = Op<a: sparse_tensor = float {{1}}>(X) }}"), 1, 54, "sparse tensor attribute values"),
        // Accepted by onnx.parser, rejected by onnx.checker and by dnnc.
        (
            format!("{H} {{\n  Y = Op<a = 1,\n b = 2, a = 3>(X) }}"),
            3,
            9,
            "attribute \"a\" is declared twice (first at 2:10)",
        ),
        ("g (float X, float X) => () {}".to_string(), 1, 13, "graph input \"X\" is declared twice (first at 1:4)"),
        ("g () => () <float w = {1}, float w = {2}> {}".to_string(), 1, 28, "initializer \"w\" is declared twice"),
        ("<ir_version: 8, ir_version: 9> g () => () {}".to_string(), 1, 17, "`ir_version` is given twice"),
        ("<opset_import: [\"\": 17, \"ai.onnx\": 18]> g () => () {}".to_string(), 1, 25, "imported twice"),
        ("g (float[2] w = {1}) => () {}".to_string(), 1, 17, "a FLOAT tensor of shape [2] needs 2 values, found 1"),
        ("g (uint8[1] w = {-1}) => () {}".to_string(), 1, 18, "-1 is negative, but UINT8 is unsigned"),
    ];
    let mut wrong = Vec::new();
    for (text, line, col, message) in cases {
        let e = text_error(parse_model_text(&text, "t.onnxtxt").unwrap_err());
        if (e.line, e.col) != (line, col) || !e.message.contains(message) {
            wrong.push(format!("{text:?}: {}:{}: {}", e.line, e.col, e.message));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn registry() -> std::sync::Arc<DialectRegistry> {
    std::sync::Arc::new(DialectRegistry::new().with(&dnnc_func::DIALECT).with(&dnnc_graph::DIALECT))
}

/// Imports and verifies; returns the printed result type of `main`.
fn import(model: &Model, bindings: &[(&str, i64)]) -> Result<String, String> {
    let mut options = ImportOptions::default();
    options.bindings.extend(bindings.iter().map(|(k, v)| (k.to_string(), *v)));
    let mut cx = Context::new(registry());
    let module = import_model(&mut cx, model, &options).map_err(|e| e.to_string())?;
    verify(&cx, module).map_err(|d| format!("{d:?}"))?;
    let main = cx.block_first(cx.body(module, 0).unwrap()).unwrap();
    let (_, results) = dnnc_func::signature(&cx, main).unwrap();
    Ok(results.iter().map(|&t| cx.show_type(t).to_string()).collect::<Vec<_>>().join(", "))
}

#[test]
fn text_models_import_into_the_graph_dialect() {
    let mlp = read("mlp.onnxtxt");
    let e = import(&mlp, &[]).unwrap_err();
    assert!(e.contains("input \"X\" has the symbolic dimension N") && e.contains("--bind N=<size>"), "{e}");
    assert_eq!(import(&mlp, &[("N", 1)]).unwrap(), "tensor<1x10xf32>");
    assert_eq!(import(&mlp, &[("N", 32)]).unwrap(), "tensor<32x10xf32>");
    assert_eq!(import(&read("convnet.onnxtxt"), &[]).unwrap(), "tensor<1x10xf32>");
    let attention = read("attention.onnxtxt");
    assert!(import(&attention, &[]).unwrap_err().contains("symbolic dimension N"));
    assert_eq!(import(&attention, &[("N", 8)]).unwrap(), "tensor<8x64xf32>");
    let e = import(&read("control-flow.onnxtxt"), &[]).unwrap_err();
    assert!(e.contains("node \"branch\" (If, opset 17): operator is not supported"), "{e}");
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ALPHABET: &[u8] = b"<>()[]{},:=@?.\"\\#-+e0123456789afinxN \n\t\xc3\xa9";

#[test]
fn mutated_models_never_panic() {
    let mut files: Vec<_> = std::fs::read_dir(path("")).unwrap().flatten().map(|e| e.path()).collect();
    files.extend(std::fs::read_dir(path("invalid")).unwrap().flatten().map(|e| e.path()));
    files.retain(|p| p.extension().is_some_and(|x| x == "onnxtxt"));
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let mut rng = Rng(0x0DDC_5EED);
    let (mut parsed, mut failed) = (0, 0);
    for file in &files {
        let text = std::fs::read(file).unwrap();
        for _ in 0..300 {
            let mut bytes = text.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(3) {
                    0 if !bytes.is_empty() => {
                        let end = (at + 1 + rng.below(8)).min(bytes.len());
                        bytes.drain(at.min(end)..end);
                    }
                    1 if !bytes.is_empty() => {
                        let start = rng.below(bytes.len());
                        let end = (start + 1 + rng.below(16)).min(bytes.len());
                        let chunk = bytes[start..end].to_vec();
                        bytes.splice(at..at, chunk);
                    }
                    _ => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
                }
            }
            let input = String::from_utf8_lossy(&bytes).into_owned();
            let result = catch_unwind(AssertUnwindSafe(|| parse_model_text(&input, "mutant.onnxtxt")));
            match result {
                Ok(Ok(_)) => parsed += 1,
                Ok(Err(e)) => {
                    assert!(matches!(e, OnnxError::TextSyntax(_)), "{e}");
                    failed += 1;
                }
                Err(_) => panic!("the parser panicked on a mutation of {}:\n{input}", file.display()),
            }
        }
    }
    assert!(parsed > 100 && failed > 1000, "parsed {parsed}, failed {failed}");
}

#[test]
fn deep_nesting_is_an_error() {
    let limit = dnnc_onnx::TEXT_MAX_NESTING;
    let nested_graphs = |depth: usize| {
        let mut body = "y = Identity (x)".to_string();
        for _ in 0..depth {
            body = format!("y = If (c) <then_branch = g () => (float y) {{ {body} }}>");
        }
        format!("g (bool c, float x) => (float y) {{ {body} }}")
    };
    // Each graph is a level, and so is the type of its output.
    parse_model_text(&nested_graphs(limit - 2), "ok.onnxtxt").unwrap();
    let e = text_error(parse_model_text(&nested_graphs(limit + 5), "deep.onnxtxt").unwrap_err());
    assert!(e.message.contains(&format!("nesting is deeper than {limit} levels")), "{e}");
    // Far deeper than the builder allows: the grammar itself must fail cleanly, not overflow.
    for depth in [1_000, 100_000] {
        let types = format!("g ({}float{} x) => () {{}}", "seq(".repeat(depth), ")".repeat(depth));
        let e = text_error(parse_model_text(&types, "deep.onnxtxt").unwrap_err());
        assert!(e.message.contains("nest"), "{e}");
        let e = text_error(parse_model_text(&nested_graphs(depth.min(5_000)), "deep.onnxtxt").unwrap_err());
        assert!(e.message.contains("nest"), "{e}");
    }
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.onnxtxt");
    std::fs::write(&file, b"g (float X) => (float Y)\n{ Y = Relu(\xff) }").unwrap();
    let e = text_error(read_model_any(&file).unwrap_err());
    assert_eq!((e.line, e.col, e.message.as_str()), (2, 12, "the file is not valid UTF-8"));
    let missing = dir.path().join("missing.onnxtxt");
    assert!(matches!(read_model_any(&missing), Err(OnnxError::Io { .. })));
}
