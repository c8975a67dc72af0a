//! The ONNX frontend: imports a decoded [`Model`] into dnnc IR — a `builtin.module` holding one
//! `func.func @main` whose body is `graph` dialect ops, one per ONNX node, each located at its
//! node name.
//!
//! Result types come from the graph dialect's shape inference; ops whose result shape is not a
//! function of operand shapes (Reshape) take it from the model's value_info or from a constant
//! shape input. Weights become `graph.weight` ops (name and type only). Anything the importer
//! does not support — an op, an attribute value, a symbolic dimension — is an error naming the
//! node, its op type and the opset: nothing is dropped silently.

use crate::fold::{EvalInput, FoldError, IntTensor, eval, filled, whole_number};
use crate::{DataType, Dim, Graph, Model, Node, OnnxError, TensorType};
use dnnc_ir::dialect::{Arity, AttrKind};
use dnnc_ir::{AttrDict, Attribute, Context, Location, OpId, OperationState, TypeData, TypeId, ValueId, builtin};
use std::collections::HashMap;
use std::sync::Arc;

/// Why a model could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The model itself is malformed (see [`OnnxError`]).
    #[error(transparent)]
    Onnx(#[from] OnnxError),
    /// A node, value or attribute the importer cannot represent.
    #[error("{file}: {what}")]
    Unsupported {
        /// The model file.
        file: String,
        /// What could not be imported, naming the node or value.
        what: String,
    },
}

/// ONNX op types and the graph op each becomes.
const OPS: &[(&str, &str)] = &[
    ("Identity", "graph.identity"),
    ("Dropout", "graph.identity"),
    ("ScatterND", "graph.scatter_nd"),
    ("LRN", "graph.lrn"),
    ("OneHot", "graph.one_hot"),
    ("Relu", "graph.relu"),
    ("Sigmoid", "graph.sigmoid"),
    ("Tanh", "graph.tanh"),
    ("Erf", "graph.erf"),
    ("Sqrt", "graph.sqrt"),
    ("Exp", "graph.exp"),
    ("Log", "graph.log"),
    ("Neg", "graph.neg"),
    ("Abs", "graph.abs"),
    ("Reciprocal", "graph.reciprocal"),
    ("Gelu", "graph.gelu"),
    ("Add", "graph.add"),
    ("Sub", "graph.sub"),
    ("Mul", "graph.mul"),
    ("Div", "graph.div"),
    ("Pow", "graph.pow"),
    ("Max", "graph.max"),
    ("Min", "graph.min"),
    ("MatMul", "graph.matmul"),
    ("Gemm", "graph.gemm"),
    ("Conv", "graph.conv"),
    ("MaxPool", "graph.max_pool"),
    ("AveragePool", "graph.average_pool"),
    ("GlobalAveragePool", "graph.global_average_pool"),
    ("Flatten", "graph.flatten"),
    ("Reshape", "graph.reshape"),
    ("Transpose", "graph.transpose"),
    ("Softmax", "graph.softmax"),
    ("LayerNormalization", "graph.layer_normalization"),
    ("BatchNormalization", "graph.batch_normalization"),
    ("Concat", "graph.concat"),
    ("Equal", "graph.equal"),
    ("Less", "graph.less"),
    ("LessOrEqual", "graph.less_or_equal"),
    ("Greater", "graph.greater"),
    ("And", "graph.and"),
    ("Or", "graph.or"),
    ("IsNaN", "graph.is_nan"),
    ("Cast", "graph.cast"),
    ("Trilu", "graph.trilu"),
    ("Where", "graph.where"),
    ("Gather", "graph.gather"),
    ("Split", "graph.split"),
    ("Cos", "graph.cos"),
    ("Sin", "graph.sin"),
    ("GatherElements", "graph.gather_elements"),
    ("Expand", "graph.expand"),
    ("Unsqueeze", "graph.unsqueeze"),
    ("Squeeze", "graph.squeeze"),
    ("Slice", "graph.slice"),
    ("ReduceMean", "graph.reduce_mean"),
    ("ReduceSum", "graph.reduce_sum"),
    ("ReduceMax", "graph.reduce_max"),
    ("Clip", "graph.clip"),
    ("LeakyRelu", "graph.leaky_relu"),
    ("HardSigmoid", "graph.hard_sigmoid"),
    ("HardSwish", "graph.hard_swish"),
    ("Softplus", "graph.softplus"),
    ("Elu", "graph.elu"),
    ("PRelu", "graph.prelu"),
    ("ConvTranspose", "graph.conv_transpose"),
    ("Pad", "graph.pad"),
    ("Not", "graph.not"),
    ("CumSum", "graph.cumsum"),
    ("GatherND", "graph.gather_nd"),
    ("Tile", "graph.tile"),
    ("Resize", "graph.resize"),
    ("Einsum", "graph.einsum"),
    ("Sum", "graph.sum"),
    ("Mean", "graph.mean"),
    ("Floor", "graph.floor"),
    ("Ceil", "graph.ceil"),
    ("Round", "graph.round"),
    ("Sign", "graph.sign"),
    ("Softsign", "graph.softsign"),
    ("Selu", "graph.selu"),
    ("Celu", "graph.celu"),
    ("ThresholdedRelu", "graph.thresholded_relu"),
    ("ReduceMin", "graph.reduce_min"),
    ("ArgMax", "graph.arg_max"),
    ("ArgMin", "graph.arg_min"),
    ("ReduceL1", "graph.reduce_l1"),
    ("ReduceL2", "graph.reduce_l2"),
    ("ReduceSumSquare", "graph.reduce_sum_square"),
    ("ReduceLogSumExp", "graph.reduce_log_sum_exp"),
    ("LogSoftmax", "graph.log_softmax"),
    ("Mish", "graph.mish"),
    ("InstanceNormalization", "graph.instance_normalization"),
    ("GroupNormalization", "graph.group_normalization"),
    ("DepthToSpace", "graph.depth_to_space"),
    ("SpaceToDepth", "graph.space_to_depth"),
];

/// The ONNX operator types the importer turns into graph ops (docs/onnx-ops.md lists them with
/// what the later stages accept).
pub fn supported_operators() -> impl Iterator<Item = &'static str> {
    OPS.iter().map(|&(t, _)| t)
}

/// Inputs that ONNX passes as tensors but the graph op takes as attributes: (op type, input
/// index, attribute). A constant input becomes the attribute; otherwise the result types must
/// be declared in the model.
const INPUT_ATTRS: &[(&str, usize, &str)] = &[
    ("Split", 1, "split"),
    ("Trilu", 1, "k"),
    ("Unsqueeze", 1, "axes"),
    ("Squeeze", 1, "axes"),
    ("Slice", 1, "starts"),
    ("Slice", 2, "ends"),
    ("Slice", 3, "axes"),
    ("Slice", 4, "steps"),
    ("ReduceMean", 1, "axes"),
    ("ReduceSum", 1, "axes"),
    ("ReduceMax", 1, "axes"),
    ("ReduceMin", 1, "axes"),
    ("OneHot", 1, "depth"),
    ("ReduceL1", 1, "axes"),
    ("ReduceL2", 1, "axes"),
    ("ReduceSumSquare", 1, "axes"),
    ("ReduceLogSumExp", 1, "axes"),
    ("Pad", 1, "pads"),
    ("Tile", 1, "repeats"),
    ("CumSum", 1, "axis"),
    ("Pad", 3, "axes"),
    ("Resize", 3, "sizes"),
];

/// Inputs that ONNX passes as tensors but the graph op takes as float attributes (a scalar for
/// a `Float` attribute, else an array): (op type, input index, attribute). The input must be a
/// constant: Clip's bounds since opset 11, Pad's constant, Resize's scales (its `roi` matters
/// only to a crop-and-resize, which the lowering refuses).
const FLOAT_INPUT_ATTRS: &[(&str, usize, &str)] =
    &[("Clip", 1, "min"), ("Clip", 2, "max"), ("Pad", 2, "value"), ("Resize", 1, "roi"), ("Resize", 2, "scales")];

/// Attributes that may be present with their default value and mean nothing to the graph op.
const IGNORABLE_DEFAULTS: &[(&str, &str)] = &[
    ("auto_pad", "NOTSET"),
    ("training_mode", "0"),
    ("storage_order", "0"),
    ("stash_type", "1"),
    ("noop_with_empty_axes", "0"),
];

/// Attributes the importer itself consumes (they shape the result type, not the graph op).
const CONSUMED: &[(&str, &str)] = &[
    ("Reshape", "allowzero"),
    ("Split", "num_outputs"),
    // An inference-mode dropout is the identity whatever its ratio and seed.
    ("Dropout", "ratio"),
    ("Dropout", "seed"),
];

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Values for symbolic dimensions (`N` in `float[N, 128]`), as given by `--bind N=1`.
    pub bindings: HashMap<String, i64>,
}

/// Imports `model` into a new module in `cx`, whose registry must hold the `func` and `graph`
/// dialects. The result is not verified; callers run [`dnnc_ir::verify()`].
pub fn import_model(cx: &mut Context, model: &Model, options: &ImportOptions) -> Result<OpId, ImportError> {
    let graph = model.graph();
    let mut importer = Importer {
        cx,
        bindings: &options.bindings,
        file: model.source_name().to_string(),
        opset: model.opset_version("").unwrap_or(1),
        values: HashMap::new(),
        constants: HashMap::new(),
        float_constants: HashMap::new(),
        value_types: HashMap::new(),
    };
    importer.import(&graph)
}

struct Importer<'c> {
    cx: &'c mut Context,
    bindings: &'c HashMap<String, i64>,
    file: String,
    opset: i64,
    /// ONNX value name → IR value.
    values: HashMap<String, ValueId>,
    /// Integer tensors known at import time (shape arithmetic), by value name.
    constants: HashMap<String, IntTensor>,
    /// Small floating-point tensors known at import time (Resize's scales), by value name.
    float_constants: HashMap<String, Vec<f64>>,
    /// Static types the model declares for intermediate values (value_info and outputs).
    value_types: HashMap<String, TensorType>,
}

impl Importer<'_> {
    fn unsupported<T>(&self, what: impl Into<String>) -> Result<T, ImportError> {
        Err(ImportError::Unsupported { file: self.file.clone(), what: what.into() })
    }

    fn node_error<T>(&self, node: &Node<'_>, what: impl std::fmt::Display) -> Result<T, ImportError> {
        // An unnamed node (common in hand-written and text models) is named by its output.
        let label = match (node.name(), node.outputs().iter().find(|o| !o.is_empty())) {
            ("", Some(out)) => format!("the node producing \"{out}\""),
            (name, _) => format!("node \"{name}\""),
        };
        self.unsupported(format!("{label} ({}, opset {}): {what}", node.op_type(), self.opset))
    }

    /// The IR type of an ONNX tensor type. Symbolic dimensions take their bound value; an
    /// unbound symbolic or an unknown dimension is an error.
    fn tensor_type(&mut self, what: &str, t: &TensorType) -> Result<TypeId, ImportError> {
        let elem = self.element_type(what, t.elem_type)?;
        let Some(dims) = &t.shape else { return self.unsupported(format!("{what} has no shape")) };
        let mut shape = Vec::with_capacity(dims.len());
        for d in dims {
            match d {
                Dim::Static(n) => shape.push(*n),
                Dim::Symbolic(name) => match self.bindings.get(name) {
                    Some(&n) => shape.push(n),
                    None => {
                        return self.unsupported(format!(
                            "{what} has the symbolic dimension {name} in {t}; bind it with --bind {name}=<size>"
                        ));
                    }
                },
                Dim::Unknown => {
                    return self
                        .unsupported(format!("{what} has an unknown dimension in {t}; dnnc needs static shapes"));
                }
            }
        }
        Ok(self.cx.tensor_type(&shape, elem))
    }

    /// The static shape of a declared type after binding symbolic dimensions, if it has one.
    fn bound_shape(&self, t: &TensorType) -> Option<Vec<i64>> {
        t.shape
            .as_ref()?
            .iter()
            .map(|d| match d {
                Dim::Static(n) => Some(*n),
                Dim::Symbolic(name) => self.bindings.get(name).copied(),
                Dim::Unknown => None,
            })
            .collect()
    }

    fn element_type(&mut self, what: &str, dt: DataType) -> Result<TypeId, ImportError> {
        Ok(match dt {
            DataType::Float => TypeId::F32,
            DataType::Float16 => TypeId::F16,
            DataType::Bfloat16 => TypeId::BF16,
            DataType::Double => TypeId::F64,
            DataType::Int8 => TypeId::I8,
            DataType::Int16 => TypeId::I16,
            DataType::Int32 => TypeId::I32,
            DataType::Int64 => TypeId::I64,
            DataType::Bool => TypeId::I1,
            DataType::Uint8 | DataType::Uint16 | DataType::Uint32 | DataType::Uint64 => {
                let width = dt.bit_width().unwrap_or(8);
                self.cx.intern_type(TypeData::Integer { width, signedness: dnnc_ir::Signedness::Unsigned })
            }
            other => return self.unsupported(format!("{what} has element type {other}, which dnnc does not support")),
        })
    }

    fn import(&mut self, graph: &Graph<'_>) -> Result<OpId, ImportError> {
        for vi in graph.value_infos().chain(graph.outputs()) {
            if let Ok(t) = vi.tensor_type() {
                self.value_types.insert(vi.name().to_string(), t);
            }
        }
        let initializers: HashMap<&str, _> = graph.initializers().map(|t| (t.name(), t)).collect();
        let mut arg_types = Vec::new();
        let mut arg_names = Vec::new();
        for input in graph.inputs().filter(|i| !initializers.contains_key(i.name())) {
            let t = input.tensor_type()?;
            arg_types.push(self.tensor_type(&format!("input \"{}\"", input.name()), &t)?);
            arg_names.push(input.name().to_string());
        }
        let module = builtin::create_module(self.cx);
        let region = self.cx.create_region();
        let body = self.cx.create_block(&arg_types);
        self.cx.append_block(region, body);
        for (name, &v) in arg_names.iter().zip(self.cx.block_args(body)) {
            self.values.insert(name.clone(), v);
        }
        for init in graph.initializers() {
            let dt = init.data_type()?;
            let t = TensorType { elem_type: dt, shape: Some(init.dims().iter().map(|&d| Dim::Static(d)).collect()) };
            let ty = self.tensor_type(&format!("initializer \"{}\"", init.name()), &t)?;
            // Inline integer tensors are shape arithmetic: keep their values.
            let op = match (int_tensor(&init, dt), scalar_float(&init, dt)) {
                (Some(value), _) => self.constant_op(ty, Some(&value), None, init.name()),
                (None, Some(f)) => self.constant_op(ty, None, Some(f), init.name()),
                (None, None) => {
                    let name = self.cx.op_name("graph.weight");
                    let state = OperationState::new(name).attr("name", Attribute::string(init.name()));
                    self.cx.create_op(state.results([ty]).loc(Location::name(init.name())))
                }
            };
            self.cx.append_op(body, op);
            self.values.insert(init.name().to_string(), self.cx.result(op, 0));
            if let Some(value) = int_tensor(&init, dt) {
                self.constants.insert(init.name().to_string(), value);
            }
            if let Some(values) = float_tensor(&init, dt) {
                self.float_constants.insert(init.name().to_string(), values);
            }
        }
        for node in graph.nodes() {
            let op = self.node(&node)?;
            self.cx.append_op(body, op);
        }
        let mut results = Vec::new();
        let mut result_types = Vec::new();
        for out in graph.outputs() {
            let Some(&v) = self.values.get(out.name()) else {
                return self.unsupported(format!("graph output \"{}\" is not produced by any node", out.name()));
            };
            results.push(v);
            result_types.push(self.cx.value_type(v));
        }
        let ret = self.cx.op_name("func.return");
        let ret = self.cx.create_op(OperationState::new(ret).operands(results));
        self.cx.append_op(body, ret);
        let fn_type = self.cx.function_type(&arg_types, &result_types);
        let func = self.cx.op_name("func.func");
        let func = self.cx.create_op(
            OperationState::new(func)
                .regions([region])
                .attr("sym_name", Attribute::string("main"))
                .attr("function_type", Attribute::Type(fn_type))
                .loc(Location::name(self.file.as_str())),
        );
        let module_body = self.cx.body(module, 0).expect("module has a body");
        self.cx.append_op(module_body, func);
        Ok(module)
    }

    /// Creates (detached) the op for one node and records its outputs.
    fn node(&mut self, node: &Node<'_>) -> Result<OpId, ImportError> {
        if !node.domain().is_empty() && node.domain() != "ai.onnx" {
            return self.node_error(node, format!("operator domain \"{}\" is not supported", node.domain()));
        }
        // ONNX graphs are in SSA form: a name defined twice would silently rebind later uses.
        if let Some(out) = node.outputs().iter().find(|o| !o.is_empty() && self.values.contains_key(*o)) {
            return self.node_error(node, format!("output \"{out}\" is already defined earlier in the graph"));
        }
        if node.op_type() == "Constant" {
            return self.constant(node);
        }
        if let Some(op) = self.try_fold(node)? {
            return Ok(op);
        }
        if node.op_type() == "Dropout" {
            // Inference: the identity. A training-mode dropout is random (its mask, an optional
            // output, is refused like any other).
            let training = node.inputs().get(2).filter(|s| !s.is_empty());
            match training.map(|t| self.constants.get(t).map(|c| c.data.iter().any(|&x| x != 0))) {
                None | Some(Some(false)) => {}
                Some(Some(true)) => return self.node_error(node, "Dropout in training mode is not supported"),
                Some(None) => {
                    return self.node_error(node, "Dropout's training_mode must be a constant (inference: false)");
                }
            }
        }
        let Some(&(_, op_name)) = OPS.iter().find(|(t, _)| *t == node.op_type()) else {
            return self.node_error(node, "operator is not supported by the graph dialect yet");
        };
        let name_id = self.cx.op_name(op_name);
        let Some(def) = self.cx.op_name_def(name_id) else {
            return self.node_error(node, format!("'{op_name}' is not registered: load the graph dialect"));
        };
        // ONNX passes some parameters as inputs (Reshape's shape); the graph op takes only its
        // declared operands.
        let max_operands =
            if def.operands.iter().any(|s| s.arity == Arity::Variadic) { usize::MAX } else { def.operands.len() };
        let mut operands = Vec::new();
        for (i, input) in node.inputs().iter().enumerate() {
            if input.is_empty() {
                continue;
            }
            // Inputs the graph op takes as attributes are never operands (OneHot's depth sits
            // between two operands).
            if INPUT_ATTRS.iter().chain(FLOAT_INPUT_ATTRS).any(|&(t, k, _)| t == node.op_type() && k == i) {
                continue;
            }
            if operands.len() >= max_operands {
                // Inputs past the op's operands must be ones the importer turns into
                // attributes or result shapes; anything else would be dropped silently.
                let consumed = (matches!(node.op_type(), "Reshape" | "Expand") && i == 1)
                    || (node.op_type() == "Dropout" && (i == 1 || i == 2));
                if !consumed {
                    return self.node_error(
                        node,
                        format!("input #{i} (\"{input}\") is not supported by the graph dialect yet"),
                    );
                }
                continue;
            }
            match self.values.get(input) {
                Some(&v) => operands.push(v),
                None => return self.node_error(node, format!("input \"{input}\" is not defined before the node")),
            }
        }
        let mut attrs = self.attributes(node, def.attrs.iter().map(|a| a.name))?;
        if node.op_type() == "Cast" {
            let code = node.attr_int("to")?;
            let dt = DataType::from_code(code as i32).map_err(|e| ImportError::Unsupported {
                file: self.file.clone(),
                what: format!("node \"{}\" (Cast): {e}", node.name()),
            })?;
            let ty = self.element_type(&format!("node \"{}\"", node.name()), dt)?;
            attrs.insert("to".into(), Attribute::Type(ty));
        }
        let mut needs_declared_types = false;
        for &(_, index, attr) in INPUT_ATTRS.iter().filter(|(t, ..)| *t == node.op_type()) {
            match node.inputs().get(index).filter(|s| !s.is_empty()) {
                None => {}
                Some(input) => match self.constants.get(input) {
                    Some(values) => {
                        let scalar = def.attrs.iter().any(|a| a.name == attr && a.kind == AttrKind::Int);
                        let value = match (scalar, &values.data[..]) {
                            (true, [v]) => Attribute::i64(*v),
                            (true, _) => {
                                return self.node_error(node, format!("input #{index} must be a single integer"));
                            }
                            (false, data) => Attribute::i64_array(data),
                        };
                        attrs.insert(Arc::from(attr), value);
                    }
                    None => needs_declared_types = true,
                },
            }
        }
        for &(_, index, attr) in FLOAT_INPUT_ATTRS.iter().filter(|(t, ..)| *t == node.op_type()) {
            let Some(input) = node.inputs().get(index).filter(|s| !s.is_empty()) else { continue };
            if attr == "roi" {
                continue;
            }
            let scalar = def.attrs.iter().any(|a| a.name == attr && a.kind == AttrKind::Float);
            let float = |value: f64| Attribute::Float { value, ty: TypeId::F32 };
            match (scalar, self.float_values(input).as_deref()) {
                (true, Some(&[value])) => {
                    attrs.insert(Arc::from(attr), float(value));
                }
                (false, Some(values)) => {
                    attrs.insert(Arc::from(attr), Attribute::array(values.iter().map(|&v| float(v))));
                }
                _ => {
                    let what = if scalar { "a constant scalar" } else { "a constant" };
                    return self.node_error(node, format!("input #{index} (\"{input}\", the {attr}) must be {what}"));
                }
            }
        }
        let variadic_results = def.results.iter().any(|r| r.arity == Arity::Variadic);
        let mut outputs: Vec<&String> = node.outputs().iter().collect();
        while outputs.last().is_some_and(|o| o.is_empty()) {
            outputs.pop();
        }
        if outputs.is_empty() {
            return self.node_error(node, "node has no output");
        }
        if !variadic_results && outputs.len() > 1 {
            return self.node_error(node, format!("optional output \"{}\" is not supported", outputs[1]));
        }
        let results = if needs_declared_types {
            outputs.iter().map(|o| self.declared_type(node, o)).collect::<Result<Vec<_>, _>>()?
        } else {
            match dnnc_graph::infer_result_types(self.cx, op_name, &operands, &attrs, outputs.len()) {
                Ok(Some(types)) => types,
                Ok(None) => vec![self.declared_or_folded_type(node, outputs[0], &operands)?],
                Err(e) => return self.node_error(node, e),
            }
        };
        for (output, &result) in outputs.iter().zip(&results) {
            self.check_declared(node, output, result)?;
        }
        let mut state = OperationState::new(name_id).operands(operands).results(results).loc(node_location(node));
        state.attrs = attrs;
        let op = self.cx.create_op(state);
        for (i, output) in outputs.iter().enumerate() {
            self.values.insert((*output).clone(), self.cx.result(op, i));
        }
        Ok(op)
    }

    /// Errors if the model declares `output` with a static type other than `result`.
    fn check_declared(&mut self, node: &Node<'_>, output: &str, result: TypeId) -> Result<(), ImportError> {
        let Some(declared) = self.value_types.get(output).cloned() else { return Ok(()) };
        if self.bound_shape(&declared).is_none() {
            return Ok(());
        }
        let declared_ty = self.tensor_type(&format!("value \"{output}\""), &declared)?;
        if declared_ty != result {
            return self.node_error(
                node,
                format!(
                    "the model declares \"{output}\" as {} but its inputs make it {}",
                    self.cx.show_type(declared_ty),
                    self.cx.show_type(result)
                ),
            );
        }
        Ok(())
    }

    /// The static type the model declares for `output`, or an error saying it must.
    fn declared_type(&mut self, node: &Node<'_>, output: &str) -> Result<TypeId, ImportError> {
        match self.value_types.get(output).cloned() {
            Some(t) if self.bound_shape(&t).is_some() => self.tensor_type(&format!("value \"{output}\""), &t),
            _ => self.node_error(
                node,
                format!(
                    "the shape of \"{output}\" is neither declared in the model nor computable from constant inputs"
                ),
            ),
        }
    }

    /// Converts the node's attributes to IR attributes, keeping those the graph op declares;
    /// any other attribute is an error unless it holds its default value.
    fn attributes<'n>(
        &self,
        node: &Node<'_>,
        declared: impl Iterator<Item = &'n str> + Clone,
    ) -> Result<AttrDict, ImportError> {
        use crate::AttributeType as A;
        let mut attrs = AttrDict::default();
        for a in node.attributes() {
            let key = a.name();
            let value = match node.attribute_type(key) {
                Some(A::Int) => Attribute::i64(node.attr_int(key)?),
                Some(A::Ints) => Attribute::i64_array(node.attr_ints(key)?),
                Some(A::Float) => Attribute::Float { value: node.attr_float(key)? as f64, ty: TypeId::F32 },
                Some(A::Floats) => Attribute::array(
                    node.attr_floats(key)?.iter().map(|&f| Attribute::Float { value: f as f64, ty: TypeId::F32 }),
                ),
                Some(A::String) => Attribute::string(node.attr_string(key)?),
                other => {
                    return self.node_error(node, format!("attribute \"{key}\" of type {other:?} is not supported"));
                }
            };
            if declared.clone().any(|d| d == key) {
                attrs.insert(Arc::from(key), value);
                continue;
            }
            if CONSUMED.contains(&(node.op_type(), key)) {
                continue;
            }
            let text = match &value {
                Attribute::Int { value, .. } => value.to_string(),
                Attribute::String(s) => s.to_string(),
                _ => String::new(),
            };
            if !IGNORABLE_DEFAULTS.iter().any(|&(k, v)| k == key && v == text) {
                return self.node_error(node, format!("attribute \"{key}\" is not supported by the graph dialect yet"));
            }
        }
        Ok(attrs)
    }

    /// The result type of an op without shape inference (Reshape): the model's declared type
    /// for the output, else the shape computed from a constant shape input.
    fn declared_or_folded_type(
        &mut self,
        node: &Node<'_>,
        output: &str,
        operands: &[ValueId],
    ) -> Result<TypeId, ImportError> {
        let target = node.inputs().get(1).and_then(|s| self.constants.get(s)).map(|t| t.data.clone());
        if let (Some(target), Some(&operand)) = (target, operands.first()) {
            let (from, elem) = self.cx.tensor_shape(self.cx.value_type(operand)).expect("operands are tensors");
            let shape = match node.op_type() {
                "Reshape" => reshape_target(from, &target, node.opt_attr_int("allowzero")?.unwrap_or(0) != 0),
                "Expand" => dnnc_graph::shape::broadcast(from, &target),
                _ => return self.declared_type(node, output),
            };
            return match shape {
                Ok(shape) => Ok(self.cx.tensor_type(&shape, elem)),
                Err(e) => self.node_error(node, e),
            };
        }
        self.declared_type(node, output)
    }

    /// `Constant` nodes become `graph.constant`; integer values are kept for shape arithmetic.
    fn constant(&mut self, node: &Node<'_>) -> Result<OpId, ImportError> {
        let Some(tensor) = node.opt_attr_tensor("value")? else {
            return self.node_error(node, "only Constant nodes with a tensor \"value\" are supported");
        };
        let dt = tensor.data_type()?;
        let t = TensorType { elem_type: dt, shape: Some(tensor.dims().iter().map(|&d| Dim::Static(d)).collect()) };
        let ty = self.tensor_type(&format!("constant \"{}\"", node.name()), &t)?;
        // Whole-number floats are tracked too, for the evaluator (docs/onnx-ops.md).
        let value = int_tensor(&tensor, dt).or_else(|| whole_floats(&tensor, dt));
        let op = self.constant_op(ty, value.as_ref(), scalar_float(&tensor, dt), node.name());
        let Some(out) = node.outputs().first() else { return self.node_error(node, "node has no output") };
        self.values.insert(out.clone(), self.cx.result(op, 0));
        if let Some(value) = value {
            self.constants.insert(out.clone(), value);
        }
        if let Some(values) = float_tensor(&tensor, dt) {
            self.float_constants.insert(out.clone(), values);
        }
        Ok(op)
    }

    /// A detached `graph.constant` of type `ty`: all values when there are few, a `splat` when
    /// they are all equal, the type alone otherwise.
    /// The values of `input` when it is a small constant (floats, or integers as floats).
    fn float_values(&self, input: &str) -> Option<Vec<f64>> {
        if let Some(v) = self.float_constants.get(input) {
            return Some(v.clone());
        }
        if let Some(t) = self.constants.get(input) {
            return Some(t.data.iter().map(|&v| v as f64).collect());
        }
        self.float_scalar(input).map(|v| vec![v])
    }

    /// The value of `input` when it is a constant scalar (a float splat, or a single integer).
    fn float_scalar(&self, input: &str) -> Option<f64> {
        let &v = self.values.get(input)?;
        let (shape, _) = self.cx.tensor_shape(self.cx.value_type(v))?;
        (shape.iter().product::<i64>() == 1).then(|| dnnc_graph::patterns::scalar(self.cx, v)).flatten()
    }

    fn constant_op(&mut self, ty: TypeId, value: Option<&IntTensor>, float_splat: Option<f64>, loc: &str) -> OpId {
        let name = self.cx.op_name("graph.constant");
        let loc = if loc.is_empty() { Location::Unknown } else { Location::name(loc) };
        let mut state = OperationState::new(name).results([ty]).loc(loc);
        let elem = self.cx.element_type(ty);
        // A tracked float tensor holds whole numbers, kept as floats of its element type.
        let float = self.cx.type_data(elem).is_float();
        let int = |v: i64| match () {
            _ if elem == TypeId::I1 => Attribute::Bool(v != 0),
            _ if float => Attribute::Float { value: v as f64, ty: elem },
            _ => Attribute::Int { value: v, ty: elem },
        };
        if let Some(v) = value {
            let uniform = v.data.first().filter(|&&first| v.data.iter().all(|&x| x == first));
            if v.data.len() <= 64 && !(float && uniform.is_some()) {
                state.attrs.insert("value".into(), Attribute::array(v.data.iter().map(|&x| int(x))));
            } else if let Some(&first) = uniform {
                state.attrs.insert("splat".into(), int(first));
            }
        } else if let Some(f) = float_splat {
            state.attrs.insert("splat".into(), Attribute::Float { value: f, ty: elem });
        }
        self.cx.create_op(state)
    }

    /// Evaluates shape arithmetic whose inputs are known, emitting the result as a constant.
    fn try_fold(&mut self, node: &Node<'_>) -> Result<Option<OpId>, ImportError> {
        let known = |s: &String| if s.is_empty() { None } else { self.constants.get(s) };
        // Only ScatterND's plain replacement is evaluated.
        if node.op_type() == "ScatterND" && !matches!(node.opt_attr_string("reduction")?, None | Some("none")) {
            return Ok(None);
        }
        let result = if node.op_type() == "ConstantOfShape" {
            let Some(target) = node.inputs().first().and_then(known) else { return Ok(None) };
            let fill = node.opt_attr_tensor("value")?;
            let dt = match &fill {
                Some(t) => t.data_type()?,
                None => DataType::Float,
            };
            // An integer fill, or a float one that is a whole number (0.0 by default), is
            // tracked exactly; a larger result than the evaluator builds is a splat only.
            let fill_value = match &fill {
                None => Some(0),
                Some(t) => int_tensor(t, dt)
                    .map(|v| v.data.first().copied().unwrap_or(0))
                    .or_else(|| scalar_float(t, dt).and_then(|f| whole_number(f, dt))),
            };
            match fill_value.map(|v| filled(&target.data, v, dt)) {
                Some(Err(FoldError::TooLarge)) | None => {
                    // Not tracked (a fractional fill, or too many elements): the type and the
                    // splat value.
                    let t = TensorType {
                        elem_type: dt,
                        shape: Some(target.data.iter().map(|&d| Dim::Static(d)).collect()),
                    };
                    let ty = self.tensor_type(&format!("value \"{}\"", node.outputs()[0]), &t)?;
                    let splat = fill_value
                        .map(|v| v as f64)
                        .or_else(|| fill.as_ref().and_then(|t| scalar_float(t, dt)))
                        .unwrap_or(0.0);
                    let op = self.constant_op(ty, None, Some(splat), node.name());
                    self.bind_outputs(node, op)?;
                    return Ok(Some(op));
                }
                Some(result) => result,
            }
        } else {
            let values: Vec<Option<&IntTensor>> = node.inputs().iter().map(known).collect();
            let shapes: Vec<Option<Vec<i64>>> = node
                .inputs()
                .iter()
                .map(|s| {
                    self.values
                        .get(s)
                        .and_then(|&v| self.cx.tensor_shape(self.cx.value_type(v)))
                        .map(|(s, _)| s.to_vec())
                })
                .collect();
            let int_attr = |name: &str| node.opt_attr_int(name).ok().flatten();
            let ints_attr = |name: &str| node.opt_attr_ints(name).ok().flatten().map(<[i64]>::to_vec);
            let cast_to = node.opt_attr_int("to").ok().flatten().and_then(|c| DataType::from_code(c as i32).ok());
            let input = EvalInput {
                op_type: node.op_type(),
                values: &values,
                shapes: &shapes,
                int_attr: &int_attr,
                ints_attr: &ints_attr,
                cast_to,
            };
            match eval(&input) {
                Ok(Some(t)) => Ok(t),
                Ok(None) => return Ok(None),
                Err(e) => Err(e),
            }
        };
        let value = match result {
            Ok(v) => v,
            // Too large to evaluate here: the node stays a graph op on its constant inputs.
            Err(FoldError::TooLarge) => return Ok(None),
            Err(FoldError::Invalid(e)) => return self.node_error(node, e),
        };
        let t =
            TensorType { elem_type: value.dtype, shape: Some(value.shape.iter().map(|&d| Dim::Static(d)).collect()) };
        let ty = self.tensor_type(&format!("value \"{}\"", node.outputs().first().map_or("", |s| s.as_str())), &t)?;
        let op = self.constant_op(ty, Some(&value), None, node.name());
        self.bind_outputs(node, op)?;
        if let Some(out) = node.outputs().first() {
            self.check_declared(node, out, ty)?;
            self.constants.insert(out.clone(), value);
        }
        Ok(Some(op))
    }

    /// Records the single result of `op` as the node's output.
    fn bind_outputs(&mut self, node: &Node<'_>, op: OpId) -> Result<(), ImportError> {
        let Some(out) = node.outputs().first() else { return self.node_error(node, "node has no output") };
        self.values.insert(out.clone(), self.cx.result(op, 0));
        Ok(())
    }
}

/// A node's location: its name, or unknown for an unnamed node.
/// A node's location: its name, or (unnamed, as in hand-written and text models) its first
/// output's, so diagnostics and per-layer reports can still say which node.
fn node_location(node: &Node<'_>) -> Location {
    match (node.name(), node.outputs().iter().find(|o| !o.is_empty())) {
        ("", Some(out)) => Location::name(out.as_str()),
        ("", None) => Location::Unknown,
        (name, _) => Location::name(name),
    }
}

/// The elements of a small (at most 64 elements) float or double tensor stored in the model.
fn float_tensor(tensor: &crate::Tensor<'_>, dt: DataType) -> Option<Vec<f64>> {
    if tensor.is_external() || tensor.element_count()? > 64 {
        return None;
    }
    let p = tensor.proto();
    let raw = || tensor.raw_data();
    let data: Vec<f64> = match dt {
        DataType::Float if !p.float_data.is_empty() => p.float_data.iter().map(|&f| f as f64).collect(),
        DataType::Double if !p.double_data.is_empty() => p.double_data.clone(),
        DataType::Float => {
            raw()?.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")) as f64).collect()
        }
        DataType::Double => {
            raw()?.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect()
        }
        _ => return None,
    };
    (data.len() as u64 == tensor.element_count()?).then_some(data)
}

/// A small float tensor whose elements are all whole numbers, as an exact [`IntTensor`].
fn whole_floats(tensor: &crate::Tensor<'_>, dt: DataType) -> Option<IntTensor> {
    let values = float_tensor(tensor, dt)?;
    let data = values.iter().map(|&f| whole_number(f, dt)).collect::<Option<Vec<i64>>>()?;
    Some(IntTensor { shape: tensor.dims().to_vec(), data, dtype: dt })
}

/// The value of a one-element float tensor stored inline, if it is one.
fn scalar_float(tensor: &crate::Tensor<'_>, dt: DataType) -> Option<f64> {
    if tensor.element_count()? != 1 {
        return None;
    }
    let p = tensor.proto();
    match dt {
        DataType::Float => p.float_data.first().map(|&f| f as f64).or_else(|| {
            let raw = tensor.raw_data()?;
            Some(f32::from_le_bytes(raw.get(..4)?.try_into().ok()?) as f64)
        }),
        DataType::Double => p.double_data.first().copied().or_else(|| {
            let raw = tensor.raw_data()?;
            Some(f64::from_le_bytes(raw.get(..8)?.try_into().ok()?))
        }),
        _ => None,
    }
}

/// The value of an inline integer or boolean tensor (not too large), if it is one.
fn int_tensor(tensor: &crate::Tensor<'_>, dt: DataType) -> Option<IntTensor> {
    if tensor.is_external() || tensor.element_count()? > 1 << 16 {
        return None;
    }
    let p = tensor.proto();
    let raw = || tensor.raw_data();
    let data: Vec<i64> = match dt {
        DataType::Int64 if !p.int64_data.is_empty() => p.int64_data.clone(),
        DataType::Int32 | DataType::Bool if !p.int32_data.is_empty() => {
            p.int32_data.iter().map(|&v| v as i64).collect()
        }
        DataType::Int64 => raw()?.chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes"))).collect(),
        DataType::Int32 => {
            raw()?.chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().expect("4 bytes")) as i64).collect()
        }
        DataType::Bool => raw()?.iter().map(|&b| i64::from(b != 0)).collect(),
        _ => return None,
    };
    let shape = tensor.dims().to_vec();
    (data.len() as i64 == dnnc_graph::shape::numel(&shape)).then_some(IntTensor { shape, data, dtype: dt })
}

/// ONNX Reshape's target shape: `0` copies the input dimension (unless `allowzero`), one `-1`
/// is inferred from the element count.
pub fn reshape_target(from: &[i64], target: &[i64], allow_zero: bool) -> Result<Vec<i64>, String> {
    let mut shape: Vec<i64> = target
        .iter()
        .enumerate()
        .map(|(i, &d)| if d == 0 && !allow_zero { from.get(i).copied().unwrap_or(0) } else { d })
        .collect();
    let total = dnnc_graph::shape::numel(from);
    let known = shape.iter().filter(|&&d| d != -1).fold(1i64, |acc, &d| acc.saturating_mul(d));
    match shape.iter().filter(|&&d| d == -1).count() {
        0 => {}
        1 if known > 0 && total % known == 0 => {
            let slot = shape.iter().position(|&d| d == -1).expect("one -1");
            shape[slot] = total / known;
        }
        _ => return Err(format!("cannot reshape {from:?} to {target:?}")),
    }
    if shape.iter().any(|&d| d < 0) || dnnc_graph::shape::numel(&shape) != total {
        return Err(format!("cannot reshape {from:?} to {target:?}"));
    }
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::reshape_target;

    #[test]
    fn reshape_targets() {
        assert_eq!(reshape_target(&[1, 128, 768], &[0, 0, 12, 64], false).unwrap(), vec![1, 128, 12, 64]);
        assert_eq!(reshape_target(&[1, 128, 768], &[-1, 768], false).unwrap(), vec![128, 768]);
        assert!(reshape_target(&[2, 3], &[-1, -1], false).is_err());
        assert!(reshape_target(&[2, 3], &[4, 2], false).is_err());
        assert_eq!(reshape_target(&[0, 3], &[0, 3], true).unwrap(), vec![0, 3]);
    }
}
