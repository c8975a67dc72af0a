//! Decodes the five real models in `test-suite/models/` (PyTorch exports whose weights were saved
//! as external data and then removed) and checks the facts stated in that folder's README and
//! found with the Python `onnx` package: node counts, operator set versions, input and output
//! shapes, attributes, and initializers that point at `.data` files that do not exist.

use std::path::PathBuf;

use dnnc_onnx::{AttributeProblem, AttributeType, DataType, Dim, Model, TensorStorage, read_model};

fn models_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-suite/models")
}

fn load(name: &str) -> Model {
    read_model(models_dir().join(format!("{name}.onnx"))).unwrap_or_else(|e| panic!("{e}"))
}

fn statics(dims: &[i64]) -> Option<Vec<Dim>> {
    Some(dims.iter().map(|&d| Dim::Static(d)).collect())
}

/// (model, nodes, default-domain opset, IR version, initializers, external initializers)
const MODELS: [(&str, usize, i64, i64, usize, usize); 5] = [
    ("resnet18", 65, 17, 8, 26, 24),
    ("gpt2_l2_s128", 97, 17, 10, 35, 15),
    ("gpt2_l12_s1024", 529, 17, 10, 77, 57),
    ("bert_base_l2_s128", 134, 17, 8, 18, 18),
    ("llama_l2_s256", 144, 18, 10, 43, 24),
];

#[test]
fn node_counts_opsets_and_producers() {
    for (name, nodes, opset, ir, _, _) in MODELS {
        let model = load(name);
        assert_eq!(model.graph().node_count(), nodes, "{name}");
        assert_eq!(model.graph().nodes().len(), nodes, "{name}");
        assert_eq!(model.opset_version(""), Some(opset), "{name}");
        assert_eq!(model.opset_version("ai.onnx"), Some(opset), "{name}");
        assert_eq!(model.opset_version("com.microsoft"), None, "{name}");
        assert_eq!(model.opset_imports().collect::<Vec<_>>(), [("", opset)], "{name}");
        assert_eq!(model.ir_version(), ir, "{name}");
        assert_eq!(model.producer_name(), "pytorch", "{name}");
        assert!(model.producer_version().starts_with("2.15.0"), "{name}: {}", model.producer_version());
        assert_eq!(model.graph().name(), "main_graph", "{name}");
        assert!(model.source_name().ends_with(&format!("{name}.onnx")), "{name}");
    }
}

#[test]
fn initializers_reference_absent_external_data_files() {
    for (name, _, _, _, total, external) in MODELS {
        let model = load(name);
        let data_file = format!("{name}.data");
        assert!(!models_dir().join(&data_file).exists(), "{data_file} must not be needed");
        let graph = model.graph();
        assert_eq!(graph.initializers().len(), total, "{name}");
        let mut seen_external = 0;
        let mut next_offset = 0;
        for init in graph.initializers() {
            let dtype = init.data_type().unwrap_or_else(|e| panic!("{e}"));
            assert!(matches!(dtype, DataType::Float | DataType::Int64 | DataType::Bool), "{name}: {dtype}");
            match init.external_data().unwrap_or_else(|e| panic!("{e}")) {
                Some(ext) => {
                    seen_external += 1;
                    assert!(init.is_external());
                    assert_eq!(init.storage(), TensorStorage::External);
                    assert_eq!(ext.location, data_file, "{name}: {}", init.name());
                    // Each length matches type and dims, and the tensors are laid out back to back.
                    assert_eq!(ext.length, init.byte_size(), "{name}: {}", init.name());
                    assert_eq!(ext.offset, Some(next_offset), "{name}: {}", init.name());
                    next_offset += ext.length.unwrap();
                }
                None => {
                    let TensorStorage::Raw(raw) = init.storage() else {
                        panic!("{name}: inline initializer {} has no raw_data", init.name());
                    };
                    assert_eq!(Some(raw.len() as u64), init.byte_size(), "{name}: {}", init.name());
                }
            }
        }
        assert_eq!(seen_external, external, "{name}");
    }
}

#[test]
fn resnet18_interface_and_weights() {
    let model = load("resnet18");
    let graph = model.graph();
    let inputs: Vec<_> = graph.inputs().collect();
    let outputs: Vec<_> = graph.outputs().collect();
    assert_eq!((inputs.len(), outputs.len()), (1, 1));
    assert_eq!(inputs[0].name(), "input.1");
    assert_eq!(inputs[0].elem_type().unwrap(), DataType::Float);
    assert_eq!(inputs[0].shape().unwrap(), statics(&[1, 3, 224, 224]));
    assert_eq!(inputs[0].tensor_type().unwrap().to_string(), "FLOAT[1x3x224x224]");
    assert_eq!(outputs[0].name(), "191");
    assert_eq!(outputs[0].tensor_type().unwrap().static_shape(), Some(vec![1, 1000]));

    let fc = graph.initializer("fc.weight").unwrap();
    assert_eq!((fc.data_type().unwrap(), fc.dims()), (DataType::Float, &[1000, 512][..]));
    let ext = fc.external_data().unwrap().unwrap();
    assert_eq!((ext.location.as_str(), ext.offset, ext.length), ("resnet18.data", Some(0), Some(2_048_000)));
    let bias = graph.initializer("fc.bias").unwrap().external_data().unwrap().unwrap();
    assert_eq!((bias.offset, bias.length), (Some(2_048_000), Some(4000)));
    let conv1 = graph.initializer("onnx::Conv_193").unwrap();
    assert_eq!(conv1.dims(), [64, 3, 7, 7]);
    assert_eq!(conv1.external_data().unwrap().unwrap().offset, Some(2_052_000));
    let inline = graph.initializer("onnx::Conv_194").unwrap();
    assert_eq!((inline.dims(), inline.raw_data().map(|r| r.len())), (&[64][..], Some(256)));
    assert!(graph.initializer("no such weight").is_none());
}

#[test]
fn resnet18_node_attributes() {
    let model = load("resnet18");
    let graph = model.graph();
    let conv = graph.nodes().find(|n| n.op_type() == "Conv").unwrap();
    assert_eq!(conv.name(), "/conv1/Conv");
    assert_eq!(conv.inputs(), ["input.1", "onnx::Conv_193", "onnx::Conv_194"]);
    assert_eq!(conv.attr_ints("kernel_shape").unwrap(), [7, 7]);
    assert_eq!(conv.attr_ints("pads").unwrap(), [3, 3, 3, 3]);
    assert_eq!(conv.attr_ints("strides").unwrap(), [2, 2]);
    assert_eq!(conv.attr_ints("dilations").unwrap(), [1, 1]);
    assert_eq!(conv.attr_int("group").unwrap(), 1);
    assert_eq!(conv.opt_attr_string("auto_pad").unwrap(), None);

    let gemm = graph.nodes().find(|n| n.op_type() == "Gemm").unwrap();
    assert_eq!((gemm.attr_float("alpha").unwrap(), gemm.attr_float("beta").unwrap()), (1.0, 1.0));
    assert_eq!(gemm.attr_int("transB").unwrap(), 1);
    assert_eq!(gemm.opt_attr_int("transA").unwrap().unwrap_or(0), 0);

    let err = gemm.attr_ints("alpha").unwrap_err();
    assert!(matches!(err.attribute_problem(), Some(AttributeProblem::WrongType { expected: "INTS", .. })));
    assert!(
        err.to_string()
            .ends_with(r#"resnet18.onnx: node "/fc/Gemm" (Gemm): attribute "alpha" is FLOAT, expected INTS"#)
    );
    let err = conv.attr_float("epsilon").unwrap_err();
    assert!(err.to_string().ends_with(r#"resnet18.onnx: node "/conv1/Conv" (Conv): attribute "epsilon" is missing"#));

    let ops: std::collections::BTreeSet<_> = graph.nodes().map(|n| n.op_type()).collect();
    let expected = ["Add", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "Identity", "MaxPool", "Relu"];
    assert_eq!(ops.into_iter().collect::<Vec<_>>(), expected);
}

#[test]
fn transformer_interfaces() {
    let cases = [
        ("gpt2_l2_s128", "ids", vec![1, 128], "linear", vec![1, 128, 50257]),
        ("gpt2_l12_s1024", "ids", vec![1, 1024], "linear", vec![1, 1024, 50257]),
        ("bert_base_l2_s128", "input.1", vec![1, 128], "274", vec![1, 128, 768]),
        ("llama_l2_s256", "ids", vec![1, 256], "linear_14", vec![1, 256, 32000]),
    ];
    for (name, input, in_shape, output, out_shape) in cases {
        let model = load(name);
        let graph = model.graph();
        let i = graph.inputs().next().unwrap();
        let o = graph.outputs().next().unwrap();
        assert_eq!(
            (i.name(), i.elem_type().unwrap(), i.shape().unwrap()),
            (input, DataType::Int64, statics(&in_shape))
        );
        assert_eq!(
            (o.name(), o.elem_type().unwrap(), o.shape().unwrap()),
            (output, DataType::Float, statics(&out_shape))
        );
    }
    let llama = load("llama_l2_s256");
    let embed = llama.graph().initializer("m.model.embed_tokens.weight").unwrap();
    assert_eq!(embed.dims(), [32000, 2048]);
    assert_eq!(embed.external_data().unwrap().unwrap().length, Some(262_144_000));
}

#[test]
fn every_value_type_and_attribute_is_readable() {
    for (name, ..) in MODELS {
        let model = load(name);
        let graph = model.graph();
        for v in graph.inputs().chain(graph.outputs()).chain(graph.value_infos()) {
            let t = v.tensor_type().unwrap_or_else(|e| panic!("{e}"));
            assert!(t.shape.is_some(), "{name}: {}", v.name());
        }
        for node in graph.nodes() {
            for attr in node.attributes() {
                let a = attr.name();
                let ok = match node.attribute_type(a) {
                    Some(AttributeType::Int) => node.attr_int(a).is_ok(),
                    Some(AttributeType::Ints) => node.attr_ints(a).is_ok(),
                    Some(AttributeType::Float) => node.attr_float(a).is_ok(),
                    Some(AttributeType::Floats) => node.attr_floats(a).is_ok(),
                    Some(AttributeType::String) => node.attr_string(a).is_ok(),
                    Some(AttributeType::Strings) => node.attr_strings(a).is_ok(),
                    Some(AttributeType::Tensor) => node.attr_tensor(a).is_ok_and(|t| t.data_type().is_ok()),
                    Some(AttributeType::Graph) => node.attr_graph(a).is_ok(),
                    other => panic!("{name}: {}: unexpected attribute type {other:?}", node.name()),
                };
                assert!(ok, "{name}: {} {}: attribute {a}", node.name(), node.op_type());
            }
        }
    }
}

#[test]
fn gpt2_value_info_and_split() {
    let model = load("gpt2_l2_s128");
    let graph = model.graph();
    assert_eq!(graph.value_infos().len(), 135);
    let split = graph.nodes().find(|n| n.op_type() == "Split").unwrap();
    assert_eq!((split.attr_int("axis").unwrap(), split.attr_int("num_outputs").unwrap()), (2, 3));
    let gemm = graph.nodes().find(|n| n.op_type() == "Gemm").unwrap();
    assert_eq!((gemm.attr_int("transA").unwrap(), gemm.attr_int("transB").unwrap()), (0, 0));
    let ln = graph.value_infos().find(|v| v.name() == "m.transformer.h.0.ln_1.weight").unwrap();
    assert_eq!(ln.shape().unwrap(), statics(&[768]));
}

#[test]
fn bert_constants_and_layer_norm() {
    let model = load("bert_base_l2_s128");
    let graph = model.graph();
    let constant = graph.nodes().find(|n| n.name() == "/m/embeddings/Constant").unwrap();
    let value = constant.attr_tensor("value").unwrap();
    assert_eq!((value.data_type().unwrap(), value.dims()), (DataType::Int64, &[1, 128][..]));
    assert_eq!(value.raw_data().map(|r| r.len()), Some(1024));
    assert!(!value.is_external());
    let ln = graph.nodes().find(|n| n.op_type() == "LayerNormalization").unwrap();
    assert_eq!(ln.attr_int("axis").unwrap(), -1);
    assert!((ln.attr_float("epsilon").unwrap() - 1e-12).abs() < 1e-15);
    let transpose = graph.nodes().find(|n| n.op_type() == "Transpose").unwrap();
    assert_eq!(transpose.attr_ints("perm").unwrap(), [0, 2, 1, 3]);
    let err = constant.attr_graph("value").unwrap_err();
    assert!(err.to_string().contains(r#"attribute "value" is TENSOR, expected GRAPH"#), "{err}");
}
