//! The `graph` dialect: ONNX-level tensor operations, one op per ONNX operator the frontend
//! imports, with ONNX's attribute names and semantics and static-shape inference.
//!
//! Every op's verifier re-derives its result types from its operands and attributes
//! ([`infer_result_types`]) and rejects IR whose declared types disagree, so a graph that
//! verifies has consistent shapes everywhere. Weights are `graph.weight` ops that carry a name
//! and a type, never data.

pub mod decompose;
pub mod einsum_equation;
pub mod patterns;
pub mod shape;

use dnnc_ir::dialect::{Arity, AttrKind, AttrSpec, Dialect, OpDef, Traits, TypeConstraint, ValueSpec};
use dnnc_ir::{AttrDict, Attribute, Context, OpId, TypeId, ValueId};
use shape::Window;

/// A shape with its element type.
pub type ShapedType = (Vec<i64>, TypeId);

/// What shape inference sees: each operand's shape and element type, and the attributes.
pub struct InferInput<'a> {
    pub operands: &'a [(&'a [i64], TypeId)],
    pub attrs: &'a AttrDict,
}

impl InferInput<'_> {
    fn int(&self, key: &str, default: i64) -> Result<i64, String> {
        match self.attrs.get(key) {
            None => Ok(default),
            Some(a) => a.as_int().ok_or_else(|| format!("attribute '{key}' must be an integer")),
        }
    }

    fn ints(&self, key: &str) -> Result<Option<Vec<i64>>, String> {
        match self.attrs.get(key) {
            None => Ok(None),
            Some(a) => {
                a.as_int_array().map(Some).ok_or_else(|| format!("attribute '{key}' must be an array of integers"))
            }
        }
    }

    fn operand(&self, i: usize) -> (&[i64], TypeId) {
        self.operands[i]
    }
}

type InferFn = fn(&InferInput<'_>) -> Result<Vec<ShapedType>, String>;

const TENSOR: TypeConstraint = TypeConstraint::AnyTensor;
const X: &[ValueSpec] = &[ValueSpec::one("X", TENSOR)];
const Y: &[ValueSpec] = &[ValueSpec::one("output", TENSOR)];
/// A convolution's input, weight and optional per-channel bias.
const CONV_OPERANDS: &[ValueSpec] =
    &[ValueSpec::one("X", TENSOR), ValueSpec::one("W", TENSOR), ValueSpec::optional("B", TENSOR)];
const AB: &[ValueSpec] = &[ValueSpec::one("A", TENSOR), ValueSpec::one("B", TENSOR)];
const PURE: Traits = Traits::PURE;

const fn op(name: &'static str, summary: &'static str, operands: &'static [ValueSpec]) -> OpDef {
    OpDef { operands, results: Y, traits: PURE, verify: Some(verify_shapes), ..OpDef::new(name, summary) }
}

const fn with_attrs(def: OpDef, attrs: &'static [AttrSpec]) -> OpDef {
    OpDef { attrs, ..def }
}

const fn opt(name: &'static str, kind: AttrKind, summary: &'static str) -> AttrSpec {
    AttrSpec::optional(name, kind, summary)
}

const WINDOW_ATTRS: [AttrSpec; 3] = [
    opt("strides", AttrKind::IntArray, "stride per spatial dimension (default 1)"),
    opt("pads", AttrKind::IntArray, "padding: all begins, then all ends (default 0)"),
    opt("dilations", AttrKind::IntArray, "dilation per spatial dimension (default 1)"),
];

const REDUCE_ATTRS: [AttrSpec; 2] = [
    opt("axes", AttrKind::IntArray, "reduced axes (default: all)"),
    opt("keepdims", AttrKind::Int, "keep reduced axes as size 1 (default 1)"),
];

const ARG_ATTRS: [AttrSpec; 3] = [
    opt("axis", AttrKind::Int, "the searched axis (default 0)"),
    opt("keepdims", AttrKind::Int, "keep the axis as size 1 (default 1)"),
    opt("select_last_index", AttrKind::Int, "the last of equal extremes instead of the first"),
];

const COND_XY: &[ValueSpec] =
    &[ValueSpec::one("condition", TENSOR), ValueSpec::one("X", TENSOR), ValueSpec::one("Y", TENSOR)];

static OPS: &[OpDef] = &[
    OpDef {
        results: Y,
        attrs: &[
            AttrSpec::required(
                "name",
                AttrKind::String,
                "the initializer's name in the model, or a derived tensor's name",
            ),
            opt(
                "fold",
                AttrKind::String,
                "a derived tensor's formula over `folded_from`: \"conv_bn_weight\" [W, scale, var] is \
                 W·scale/√(var+ε) per output channel (dimension 0); \"conv_bn_bias\" [B, scale, bias, mean, \
                 var] is (B−mean)·scale/√(var+ε)+bias",
            ),
            opt(
                "folded_from",
                AttrKind::Array,
                "the formula's inputs in its order: a weight's name, or a constant's value (its splat or \
                 elements)",
            ),
            opt("epsilon", AttrKind::Float, "the formula's ε (the folded batch normalisation's epsilon)"),
        ],
        traits: PURE,
        verify: Some(verify_weight),
        ..OpDef::new(
            "graph.weight",
            "A model weight (initializer) or a tensor derived from weights (`fold`): its name and type; \
             the data stays in the model",
        )
    },
    with_attrs(
        OpDef { operands: &[], ..op("graph.constant", "A small constant tensor (shape arithmetic, scalars)", &[]) },
        &[
            opt("value", AttrKind::Array, "the elements, row-major; absent when not kept"),
            opt("splat", AttrKind::Any, "the value of every element, when they are all equal"),
        ],
    ),
    op("graph.identity", "Identity", X),
    op("graph.relu", "Rectified linear unit", X),
    op("graph.sigmoid", "Logistic sigmoid", X),
    op("graph.tanh", "Hyperbolic tangent", X),
    op("graph.erf", "Error function", X),
    op("graph.sqrt", "Square root", X),
    op("graph.exp", "Exponential", X),
    op("graph.log", "Natural logarithm", X),
    op("graph.neg", "Negation", X),
    op("graph.abs", "Absolute value", X),
    op("graph.floor", "Largest integer not above x", X),
    op("graph.ceil", "Smallest integer not below x", X),
    op("graph.round", "Nearest integer, halves to even", X),
    op("graph.sign", "−1, 0 or 1 by the sign of x", X),
    op("graph.reciprocal", "Reciprocal", X),
    op("graph.cos", "Cosine", X),
    op("graph.sin", "Sine", X),
    with_attrs(
        op("graph.gelu", "Gaussian error linear unit", X),
        &[opt("approximate", AttrKind::String, "\"none\" or \"tanh\"")],
    ),
    op("graph.silu", "Sigmoid linear unit, x * sigmoid(x)", X),
    with_attrs(
        op("graph.clip", "Clamps to [min, max] (ReLU6 is clip to [0, 6])", X),
        &[
            opt("min", AttrKind::Float, "lower bound (none: unbounded below)"),
            opt("max", AttrKind::Float, "upper bound (none: unbounded above)"),
        ],
    ),
    with_attrs(
        op("graph.leaky_relu", "x for x ≥ 0, alpha · x below", X),
        &[opt("alpha", AttrKind::Float, "slope below zero (default 0.01)")],
    ),
    with_attrs(
        op("graph.hard_sigmoid", "max(0, min(1, alpha · x + beta))", X),
        &[opt("alpha", AttrKind::Float, "slope (default 0.2)"), opt("beta", AttrKind::Float, "offset (default 0.5)")],
    ),
    op("graph.hard_swish", "x · max(0, min(1, x / 6 + 1/2)) (MobileNetV3)", X),
    op("graph.softplus", "log(1 + exp(x))", X),
    with_attrs(
        op("graph.elu", "x for x ≥ 0, alpha · (exp(x) − 1) below", X),
        &[opt("alpha", AttrKind::Float, "scale below zero (default 1)")],
    ),
    op(
        "graph.prelu",
        "x for x ≥ 0, slope · x below; the slope broadcasts to x (one per channel)",
        &[ValueSpec::one("X", TENSOR), ValueSpec::one("slope", TENSOR)],
    ),
    op("graph.add", "Elementwise addition with broadcasting", AB),
    op("graph.sub", "Elementwise subtraction with broadcasting", AB),
    op("graph.mul", "Elementwise multiplication with broadcasting", AB),
    op("graph.div", "Elementwise division with broadcasting", AB),
    op("graph.pow", "Elementwise power with broadcasting", AB),
    op(
        "graph.max",
        "Elementwise maximum of any number of operands, with broadcasting (graph-canonicalize leaves pairs)",
        &[ValueSpec::variadic("data_0", TENSOR)],
    ),
    op(
        "graph.min",
        "Elementwise minimum of any number of operands, with broadcasting (graph-canonicalize leaves pairs)",
        &[ValueSpec::variadic("data_0", TENSOR)],
    ),
    op("graph.matmul", "Matrix product with numpy semantics (batched, broadcast)", AB),
    with_attrs(
        op(
            "graph.gemm",
            "alpha * A' * B' + beta * C with optional transposes",
            &[ValueSpec::one("A", TENSOR), ValueSpec::one("B", TENSOR), ValueSpec::optional("C", TENSOR)],
        ),
        &[
            opt("transA", AttrKind::Int, "transpose A (0 or 1)"),
            opt("transB", AttrKind::Int, "transpose B (0 or 1)"),
            opt("alpha", AttrKind::Float, "scale of A'B'"),
            opt("beta", AttrKind::Float, "scale of C"),
        ],
    ),
    with_attrs(
        op("graph.conv", "N-d convolution (NCHW), grouped, strided, padded, dilated", CONV_OPERANDS),
        &[
            WINDOW_ATTRS[0],
            WINDOW_ATTRS[1],
            WINDOW_ATTRS[2],
            opt("group", AttrKind::Int, "number of groups (default 1)"),
            opt("kernel_shape", AttrKind::IntArray, "spatial kernel size (must match W)"),
        ],
    ),
    with_attrs(
        op(
            "graph.conv_transpose",
            "N-d transposed convolution (NCHW): each input pixel scatters a kernel-sized patch",
            CONV_OPERANDS,
        ),
        &[
            WINDOW_ATTRS[0],
            WINDOW_ATTRS[1],
            WINDOW_ATTRS[2],
            opt("group", AttrKind::Int, "number of groups (default 1)"),
            opt("kernel_shape", AttrKind::IntArray, "spatial kernel size (must match W)"),
            opt("output_padding", AttrKind::IntArray, "extra size at the end of each spatial axis (default 0)"),
            opt("output_shape", AttrKind::IntArray, "the spatial output shape (then pads are implied)"),
        ],
    ),
    with_attrs(
        op("graph.max_pool", "Max pooling", X),
        &[
            AttrSpec::required("kernel_shape", AttrKind::IntArray, "spatial window size"),
            WINDOW_ATTRS[0],
            WINDOW_ATTRS[1],
            WINDOW_ATTRS[2],
            opt("ceil_mode", AttrKind::Int, "round output sizes up (0 or 1)"),
        ],
    ),
    with_attrs(
        op("graph.average_pool", "Average pooling", X),
        &[
            AttrSpec::required("kernel_shape", AttrKind::IntArray, "spatial window size"),
            WINDOW_ATTRS[0],
            WINDOW_ATTRS[1],
            opt("ceil_mode", AttrKind::Int, "round output sizes up (0 or 1)"),
            opt("count_include_pad", AttrKind::Int, "count padding in the average (0 or 1)"),
        ],
    ),
    op("graph.global_average_pool", "Average over all spatial dimensions", X),
    with_attrs(
        op("graph.flatten", "Flattens to 2-d around an axis", X),
        &[opt("axis", AttrKind::Int, "split point (default 1)")],
    ),
    op("graph.reshape", "Reinterprets the elements with the result's shape (same count)", X),
    with_attrs(
        op("graph.transpose", "Permutes dimensions", X),
        &[opt("perm", AttrKind::IntArray, "output dimension i is input dimension perm[i] (default: reversed)")],
    ),
    with_attrs(
        op("graph.softmax", "Softmax along an axis", X),
        &[opt("axis", AttrKind::Int, "the normalised axis (default -1)")],
    ),
    with_attrs(
        op(
            "graph.layer_normalization",
            "Normalises over the dimensions from axis on, then scales and shifts",
            &[ValueSpec::one("X", TENSOR), ValueSpec::one("Scale", TENSOR), ValueSpec::optional("B", TENSOR)],
        ),
        &[
            opt("axis", AttrKind::Int, "first normalised axis (default -1)"),
            opt("epsilon", AttrKind::Float, "variance bias"),
        ],
    ),
    with_attrs(
        op(
            "graph.rms_normalization",
            "Root-mean-square normalisation over the last axis, optionally scaled",
            &[ValueSpec::one("X", TENSOR), ValueSpec::optional("Scale", TENSOR)],
        ),
        &[
            opt("axis", AttrKind::Int, "the normalised axis (default -1)"),
            opt("epsilon", AttrKind::Float, "bias inside the root"),
        ],
    ),
    with_attrs(
        op(
            "graph.batch_normalization",
            "Inference-mode batch normalisation with running statistics",
            &[
                ValueSpec::one("X", TENSOR),
                ValueSpec::one("scale", TENSOR),
                ValueSpec::one("B", TENSOR),
                ValueSpec::one("mean", TENSOR),
                ValueSpec::one("var", TENSOR),
            ],
        ),
        &[opt("epsilon", AttrKind::Float, "variance bias"), opt("momentum", AttrKind::Float, "unused at inference")],
    ),
    with_attrs(
        op(
            "graph.attention",
            "Scaled dot-product attention: softmax(scale·Q·Kᵀ, masked) · V over the last two dimensions",
            &[
                ValueSpec::one("Q", TENSOR),
                ValueSpec::one("K", TENSOR),
                ValueSpec::one("V", TENSOR),
                ValueSpec::optional("mask", TENSOR),
            ],
        ),
        &[
            AttrSpec::required("scale", AttrKind::Float, "factor applied to Q·Kᵀ before the mask"),
            opt("k_transposed", AttrKind::Int, "1: K is given as [..., D, Skv], 0: as [..., Skv, D] (default 0)"),
            opt(
                "mask_kind",
                AttrKind::String,
                "\"additive\" (added to the scaled scores; the default), \"keep\" (i1: scores kept where \
                 true, mask_fill elsewhere) or \"drop\" (i1: mask_fill where true)",
            ),
            opt("mask_fill", AttrKind::Float, "the score a boolean mask puts in (default -inf)"),
            opt("nan_to_zero", AttrKind::Int, "1: NaN probabilities (fully masked rows) become 0 (default 0)"),
        ],
    ),
    op("graph.equal", "Elementwise equality with broadcasting (result i1)", AB),
    op("graph.less", "Elementwise A < B with broadcasting (result i1)", AB),
    op("graph.less_or_equal", "Elementwise A <= B with broadcasting (result i1)", AB),
    op("graph.greater", "Elementwise A > B with broadcasting (result i1)", AB),
    op("graph.and", "Elementwise logical and of i1 tensors with broadcasting", AB),
    op("graph.or", "Elementwise logical or of i1 tensors with broadcasting", AB),
    op("graph.is_nan", "Elementwise NaN test (result i1)", X),
    op("graph.not", "Elementwise logical not of an i1 tensor", X),
    with_attrs(
        op(
            "graph.gather_nd",
            "Gathers slices by index tuples along the leading axes (ONNX GatherND)",
            &[ValueSpec::one("data", TENSOR), ValueSpec::one("indices", TENSOR)],
        ),
        &[opt("batch_dims", AttrKind::Int, "leading batch axes shared by data and indices (only 0)")],
    ),
    with_attrs(
        op("graph.cumsum", "Running sums along an axis (ONNX CumSum)", X),
        &[
            AttrSpec::required("axis", AttrKind::Int, "the summed axis"),
            opt("exclusive", AttrKind::Int, "1: each sum leaves its own element out"),
            opt("reverse", AttrKind::Int, "1: sums run from the end"),
        ],
    ),
    with_attrs(
        op("graph.tile", "Repeats the tensor along each axis (ONNX Tile)", X),
        &[AttrSpec::required("repeats", AttrKind::IntArray, "copies along each axis")],
    ),
    with_attrs(
        op("graph.cast", "Converts elements to another type", X),
        &[AttrSpec::required("to", AttrKind::Type, "the result's element type")],
    ),
    with_attrs(
        op("graph.trilu", "Keeps the upper or lower triangle of the last two dimensions", X),
        &[
            opt("upper", AttrKind::Int, "1 keeps the upper triangle (default), 0 the lower"),
            opt("k", AttrKind::Int, "diagonal offset (default 0)"),
        ],
    ),
    op("graph.where", "Selects X where condition holds, else Y, with broadcasting", COND_XY),
    with_attrs(
        op(
            "graph.gather",
            "Gathers slices of data along an axis at the given indices",
            &[ValueSpec::one("data", TENSOR), ValueSpec::one("indices", TENSOR)],
        ),
        &[opt("axis", AttrKind::Int, "the gathered axis (default 0)")],
    ),
    with_attrs(
        op(
            "graph.gather_elements",
            "Gathers single elements of data along an axis (result shaped like indices)",
            &[ValueSpec::one("data", TENSOR), ValueSpec::one("indices", TENSOR)],
        ),
        &[opt("axis", AttrKind::Int, "the gathered axis (default 0)")],
    ),
    op("graph.expand", "Broadcasts to the result's shape", X),
    with_attrs(
        op("graph.unsqueeze", "Inserts size-1 dimensions", X),
        &[AttrSpec::required("axes", AttrKind::IntArray, "positions of the new dimensions in the result")],
    ),
    with_attrs(
        op("graph.squeeze", "Removes size-1 dimensions", X),
        &[opt("axes", AttrKind::IntArray, "the removed dimensions (default: every size-1 dimension)")],
    ),
    with_attrs(
        op("graph.slice", "Takes a strided slice along some axes", X),
        &[
            AttrSpec::required("starts", AttrKind::IntArray, "first index per sliced axis (negative from the end)"),
            AttrSpec::required("ends", AttrKind::IntArray, "one past the last index per sliced axis (clamped)"),
            opt("axes", AttrKind::IntArray, "the sliced axes (default: the first ones)"),
            opt("steps", AttrKind::IntArray, "step per sliced axis (default 1)"),
        ],
    ),
    with_attrs(
        OpDef {
            results: &[ValueSpec::variadic("outputs", TENSOR)],
            ..op("graph.split", "Splits into pieces along an axis", X)
        },
        &[
            opt("axis", AttrKind::Int, "the split axis (default 0)"),
            opt("split", AttrKind::IntArray, "piece sizes (default: equal pieces, one per result)"),
        ],
    ),
    with_attrs(
        op("graph.concat", "Concatenates along an axis", &[ValueSpec::variadic("inputs", TENSOR)]),
        &[AttrSpec::required("axis", AttrKind::Int, "the concatenation axis")],
    ),
    with_attrs(
        op("graph.pad", "Pads with a constant, or crops where a pad is negative", X),
        &[
            AttrSpec::required("pads", AttrKind::IntArray, "begin values of every padded axis, then end values"),
            opt("axes", AttrKind::IntArray, "the padded axes (default: all)"),
            opt("mode", AttrKind::String, "\"constant\" (default), \"reflect\", \"edge\" or \"wrap\""),
            opt("value", AttrKind::Float, "the constant (default 0)"),
        ],
    ),
    with_attrs(
        op("graph.resize", "Resamples spatial axes by scales or to sizes (ONNX Resize)", X),
        &[
            opt("scales", AttrKind::Array, "scale per axis (floats), or"),
            opt("sizes", AttrKind::IntArray, "output size per axis"),
            opt("axes", AttrKind::IntArray, "the axes scales or sizes give (default: all)"),
            opt("mode", AttrKind::String, "\"nearest\" (default), \"linear\" or \"cubic\""),
            opt("coordinate_transformation_mode", AttrKind::String, "default \"half_pixel\""),
            opt("nearest_mode", AttrKind::String, "default \"round_prefer_floor\""),
            opt("cubic_coeff_a", AttrKind::Float, "cubic mode's coefficient"),
            opt("exclude_outside", AttrKind::Int, "cubic mode's weights outside the tensor"),
            opt("extrapolation_value", AttrKind::Float, "tf_crop_and_resize's value outside the tensor"),
            opt("antialias", AttrKind::Int, "antialiasing of linear and cubic downsampling"),
            opt("keep_aspect_ratio_policy", AttrKind::String, "how sizes keep the aspect ratio"),
        ],
    ),
    with_attrs(op("graph.reduce_mean", "Mean over axes", X), &REDUCE_ATTRS),
    with_attrs(op("graph.reduce_sum", "Sum over axes", X), &REDUCE_ATTRS),
    with_attrs(op("graph.reduce_max", "Maximum over axes", X), &REDUCE_ATTRS),
    with_attrs(
        op(
            "graph.einsum",
            "Sums products over the labels an equation leaves out of the result (ONNX Einsum)",
            &[ValueSpec::variadic("Inputs", TENSOR)],
        ),
        &[opt("equation", AttrKind::String, "the labels of each operand's dimensions, and of the result's")],
    ),
    // Composites that graph-canonicalize decomposes into the ops above (`decompose`).
    with_attrs(op("graph.reduce_min", "Minimum over axes", X), &REDUCE_ATTRS),
    with_attrs(op("graph.arg_max", "Index of the largest element along an axis (int64)", X), &ARG_ATTRS),
    with_attrs(op("graph.arg_min", "Index of the smallest element along an axis (int64)", X), &ARG_ATTRS),
    with_attrs(op("graph.reduce_l1", "Sum of absolute values over axes", X), &REDUCE_ATTRS),
    with_attrs(op("graph.reduce_l2", "Euclidean norm over axes", X), &REDUCE_ATTRS),
    with_attrs(op("graph.reduce_sum_square", "Sum of squares over axes", X), &REDUCE_ATTRS),
    with_attrs(op("graph.reduce_log_sum_exp", "log Σ exp over axes", X), &REDUCE_ATTRS),
    with_attrs(
        op("graph.log_softmax", "log(softmax(x)) along an axis", X),
        &[opt("axis", AttrKind::Int, "the normalised axis (default -1)")],
    ),
    op("graph.mish", "x · tanh(softplus(x))", X),
    op("graph.softsign", "x / (1 + |x|)", X),
    with_attrs(
        op("graph.lrn", "Local response normalisation across channels: x / (bias + alpha/size · Σ window x²)^beta", X),
        &[
            AttrSpec::required("size", AttrKind::Int, "channels in the window"),
            opt("alpha", AttrKind::Float, "default 1e-4"),
            opt("beta", AttrKind::Float, "default 0.75"),
            opt("bias", AttrKind::Float, "default 1"),
        ],
    ),
    with_attrs(
        op(
            "graph.one_hot",
            "values[1] where an index equals the position along a new axis, values[0] elsewhere",
            &[ValueSpec::one("indices", TENSOR), ValueSpec::one("values", TENSOR)],
        ),
        &[
            AttrSpec::required("depth", AttrKind::Int, "the new axis's size"),
            opt("axis", AttrKind::Int, "where the new axis goes (default -1: last)"),
        ],
    ),
    with_attrs(
        op(
            "graph.scatter_nd",
            "data with the slices index tuples pick replaced by updates (ONNX ScatterND, no reduction)",
            &[ValueSpec::one("data", TENSOR), ValueSpec::one("indices", TENSOR), ValueSpec::one("updates", TENSOR)],
        ),
        &[opt("reduction", AttrKind::String, "only \"none\" (the default)")],
    ),
    op(
        "graph.sum",
        "Elementwise sum of any number of operands, with broadcasting",
        &[ValueSpec::variadic("data_0", TENSOR)],
    ),
    op(
        "graph.mean",
        "Elementwise mean of any number of operands, with broadcasting",
        &[ValueSpec::variadic("data_0", TENSOR)],
    ),
    with_attrs(
        op("graph.selu", "gamma · (x for x > 0, alpha · (exp(x) − 1) below)", X),
        &[
            opt("alpha", AttrKind::Float, "default 1.67326319217681884765625"),
            opt("gamma", AttrKind::Float, "default 1.05070102214813232421875"),
        ],
    ),
    with_attrs(
        op("graph.celu", "max(0, x) + min(0, alpha · (exp(x / alpha) − 1))", X),
        &[opt("alpha", AttrKind::Float, "default 1")],
    ),
    with_attrs(
        op("graph.thresholded_relu", "x for x > alpha, else 0", X),
        &[opt("alpha", AttrKind::Float, "default 1")],
    ),
    with_attrs(
        op(
            "graph.instance_normalization",
            "Normalises each channel of each sample over its spatial dimensions, then scales and shifts per \
             channel",
            &[ValueSpec::one("X", TENSOR), ValueSpec::one("scale", TENSOR), ValueSpec::one("B", TENSOR)],
        ),
        &[opt("epsilon", AttrKind::Float, "variance bias (default 1e-5)")],
    ),
    with_attrs(
        op(
            "graph.group_normalization",
            "Normalises each group of channels of each sample, then scales and shifts (per channel, or per \
             group as opset 18 defined it)",
            &[ValueSpec::one("X", TENSOR), ValueSpec::one("scale", TENSOR), ValueSpec::one("bias", TENSOR)],
        ),
        &[
            opt("epsilon", AttrKind::Float, "variance bias (default 1e-5)"),
            opt("num_groups", AttrKind::Int, "the number of channel groups"),
        ],
    ),
    with_attrs(
        op("graph.depth_to_space", "Moves blocks of channels into spatial blocks (pixel shuffle)", X),
        &[
            opt("blocksize", AttrKind::Int, "the spatial block's side"),
            opt("mode", AttrKind::String, "\"DCR\" (default: depth, column, row) or \"CRD\""),
        ],
    ),
    with_attrs(
        op("graph.space_to_depth", "Moves spatial blocks into channels (pixel unshuffle)", X),
        &[opt("blocksize", AttrKind::Int, "the spatial block's side")],
    ),
];

pub static DIALECT: Dialect = Dialect {
    name: "graph",
    summary: "ONNX-level tensor operations",
    ops: OPS,
    types: &[],
    attrs: &[],
    materialize_constant: None,
};

/// The inference rule of a graph op, by name.
fn infer_fn(name: &str) -> Option<InferFn> {
    Some(match name.strip_prefix("graph.")? {
        "identity" | "relu" | "sigmoid" | "tanh" | "erf" | "sqrt" | "exp" | "log" | "neg" | "abs" | "reciprocal"
        | "cos" | "sin" | "gelu" | "silu" | "softmax" | "clip" | "leaky_relu" | "hard_sigmoid" | "hard_swish"
        | "softplus" | "elu" | "log_softmax" | "mish" | "floor" | "ceil" | "round" | "sign" | "softsign" | "selu"
        | "celu" | "thresholded_relu" => same_as_first,
        "einsum" => einsum,
        "scatter_nd" => scatter_nd,
        "lrn" => lrn,
        "one_hot" => one_hot,
        "sum" | "mean" | "max" | "min" => broadcast_all,
        "instance_normalization" => instance_norm,
        "group_normalization" => group_norm,
        "depth_to_space" => depth_to_space,
        "space_to_depth" => space_to_depth,
        "prelu" => prelu,
        "pad" => pad,
        "resize" => resize,
        "gather_elements" => gather_elements,
        "unsqueeze" => unsqueeze,
        "squeeze" => squeeze,
        "slice" => slice,
        "add" | "sub" | "mul" | "div" => broadcast_same_element,
        "pow" => broadcast_first_element,
        "matmul" => matmul,
        "gemm" => gemm,
        "conv" => conv,
        "conv_transpose" => conv_transpose,
        "max_pool" | "average_pool" => pool,
        "global_average_pool" => global_pool,
        "flatten" => flatten,
        "transpose" => transpose,
        "layer_normalization" | "rms_normalization" => layer_norm,
        "batch_normalization" => batch_norm,
        "attention" => attention,
        "concat" => concat,
        "equal" | "less" | "less_or_equal" | "greater" => compare,
        "and" | "or" => logical,
        "is_nan" => is_nan,
        "not" => not,
        "gather_nd" => gather_nd,
        "cumsum" => same_as_first,
        "tile" => tile,
        "cast" => cast,
        "trilu" => trilu,
        "where" => select,
        "gather" => gather,
        "reduce_mean" | "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_l1" | "reduce_l2"
        | "reduce_sum_square" | "reduce_log_sum_exp" => reduce,
        "arg_max" | "arg_min" => arg_reduce,
        _ => return None,
    })
}

fn same_as_first(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (s, e) = i.operand(0);
    if let Some(axis) = i.attrs.get("axis").and_then(Attribute::as_int) {
        shape::axis(axis, s.len(), 0)?;
    }
    Ok(vec![(s.to_vec(), e)])
}

fn broadcast_same_element(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((a, ea), (b, eb)) = (i.operand(0), i.operand(1));
    if ea != eb {
        return Err("operands must have the same element type".into());
    }
    Ok(vec![(shape::broadcast(a, b)?, ea)])
}

/// Per axis of a rank-`rank` tensor, (begin, end) padding from `pads` over `axes`.
pub fn pad_amounts(rank: usize, pads: &[i64], axes: Option<&[i64]>) -> Result<Vec<(i64, i64)>, String> {
    let axes: Vec<usize> = match axes {
        Some(a) => a.iter().map(|&a| shape::axis(a, rank, 0)).collect::<Result<_, _>>()?,
        None => (0..rank).collect(),
    };
    if pads.len() != 2 * axes.len() {
        return Err(format!("pads has {} values for {} axes (begins, then ends)", pads.len(), axes.len()));
    }
    let mut out = vec![(0, 0); rank];
    for (k, &a) in axes.iter().enumerate() {
        out[a] = (pads[k], pads[k + axes.len()]);
    }
    Ok(out)
}

fn pad(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let pads = i.ints("pads")?.ok_or("pad needs 'pads'")?;
    let amounts = pad_amounts(x.len(), &pads, i.ints("axes")?.as_deref())?;
    let out: Vec<i64> = x.iter().zip(&amounts).map(|(&n, &(b, e))| n + b + e).collect();
    if out.iter().any(|&n| n < 0) {
        return Err(format!("pads {pads:?} crop more than the shape {x:?}"));
    }
    Ok(vec![(out, e)])
}

/// Per axis of `x`, the output size of a resize by `scales` (floor of size · scale) or to
/// `sizes`, over `axes` (default all).
pub fn resize_shape(
    x: &[i64],
    scales: Option<&[f64]>,
    sizes: Option<&[i64]>,
    axes: Option<&[i64]>,
) -> Result<Vec<i64>, String> {
    let axes: Vec<usize> = match axes {
        Some(a) => a.iter().map(|&a| shape::axis(a, x.len(), 0)).collect::<Result<_, _>>()?,
        None => (0..x.len()).collect(),
    };
    let mut out = x.to_vec();
    match (scales.filter(|s| !s.is_empty()), sizes.filter(|s| !s.is_empty())) {
        (Some(sc), None) if sc.len() == axes.len() => {
            for (&a, &f) in axes.iter().zip(sc) {
                if f <= 0.0 {
                    return Err(format!("scale {f} must be positive"));
                }
                out[a] = (x[a] as f64 * f).floor() as i64;
            }
        }
        (None, Some(sz)) if sz.len() == axes.len() => {
            for (&a, &n) in axes.iter().zip(sz) {
                out[a] = n;
            }
        }
        _ => return Err(format!("resize needs either scales or sizes, one per axis ({} axes)", axes.len())),
    }
    Ok(out)
}

fn resize(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let scales: Option<Vec<f64>> = match i.attrs.get("scales") {
        None => None,
        Some(a) => Some(
            a.as_array()
                .ok_or("'scales' must be an array")?
                .iter()
                .map(|v| v.as_float().ok_or("'scales' must hold floats"))
                .collect::<Result<_, _>>()?,
        ),
    };
    let out = resize_shape(x, scales.as_deref(), i.ints("sizes")?.as_deref(), i.ints("axes")?.as_deref())?;
    Ok(vec![(out, e)])
}

/// PReLU's slope broadcasts to `X` in one direction: the result is `X`'s shape.
fn prelu(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((x, ex), (slope, es)) = (i.operand(0), i.operand(1));
    if ex != es {
        return Err("X and slope must have the same element type".into());
    }
    if shape::broadcast(x, slope)? != x {
        return Err(format!("slope of shape {slope:?} does not broadcast to X of shape {x:?}"));
    }
    Ok(vec![(x.to_vec(), ex)])
}

fn broadcast_first_element(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((a, ea), (b, _)) = (i.operand(0), i.operand(1));
    Ok(vec![(shape::broadcast(a, b)?, ea)])
}

fn matmul(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((a, ea), (b, eb)) = (i.operand(0), i.operand(1));
    if ea != eb {
        return Err("operands must have the same element type".into());
    }
    Ok(vec![(shape::matmul(a, b)?, ea)])
}

fn gemm(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((a, e), (b, _)) = (i.operand(0), i.operand(1));
    if a.len() != 2 || b.len() != 2 {
        return Err(format!("A and B must be matrices, got shapes {a:?} and {b:?}"));
    }
    let (m, k) = if i.int("transA", 0)? != 0 { (a[1], a[0]) } else { (a[0], a[1]) };
    let (k2, n) = if i.int("transB", 0)? != 0 { (b[1], b[0]) } else { (b[0], b[1]) };
    if k != k2 {
        return Err(format!("contraction sizes differ: {k} vs {k2}"));
    }
    if let Some(&(c, _)) = i.operands.get(2)
        && shape::broadcast(c, &[m, n])? != [m, n]
    {
        return Err(format!("C of shape {c:?} does not broadcast to [{m}, {n}]"));
    }
    Ok(vec![(vec![m, n], e)])
}

/// Strides, pads and dilations of a window op, with ONNX's defaults filled in.
struct WindowAttrs {
    strides: Vec<i64>,
    pads: Vec<i64>,
    dilations: Vec<i64>,
}

impl WindowAttrs {
    /// Reads the attributes for `n` spatial dimensions.
    fn read(i: &InferInput<'_>, n: usize) -> Result<Self, String> {
        Ok(WindowAttrs {
            strides: i.ints("strides")?.unwrap_or_else(|| vec![1; n]),
            pads: i.ints("pads")?.unwrap_or_else(|| vec![0; 2 * n]),
            dilations: i.ints("dilations")?.unwrap_or_else(|| vec![1; n]),
        })
    }

    fn window<'a>(&'a self, kernel: &'a [i64], ceil_mode: bool) -> Window<'a> {
        Window { kernel, strides: &self.strides, pads: &self.pads, dilations: &self.dilations, ceil_mode }
    }
}

fn conv(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((x, e), (w, _)) = (i.operand(0), i.operand(1));
    if x.len() < 3 || w.len() != x.len() {
        return Err(format!("X {x:?} and W {w:?} must have the same rank, at least 3"));
    }
    let group = i.int("group", 1)?;
    if group <= 0 || x[1] % group != 0 || w[0] % group != 0 || w[1] * group != x[1] {
        return Err(format!("{} input channels do not match W {w:?} with group {group}", x[1]));
    }
    if let Some(k) = i.ints("kernel_shape")?
        && k != w[2..]
    {
        return Err(format!("kernel_shape {k:?} does not match W {w:?}"));
    }
    if let Some(&(b, _)) = i.operands.get(2)
        && b != [w[0]]
    {
        return Err(format!("bias of shape {b:?} must be [{}]", w[0]));
    }
    let attrs = WindowAttrs::read(i, x.len() - 2)?;
    let mut out = vec![x[0], w[0]];
    out.extend(shape::window_output(&x[2..], &attrs.window(&w[2..], false))?);
    Ok(vec![(out, e)])
}

/// `(in − 1)·stride + (kernel − 1)·dilation + 1 − pads + output_padding` per spatial axis;
/// W is `[C, K / group, kernel…]`.
fn conv_transpose(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((x, e), (w, _)) = (i.operand(0), i.operand(1));
    if x.len() < 3 || w.len() != x.len() {
        return Err(format!("X {x:?} and W {w:?} must have the same rank, at least 3"));
    }
    let n = x.len() - 2;
    let group = i.int("group", 1)?;
    if group <= 0 || w[0] != x[1] || x[1] % group != 0 {
        return Err(format!("{} input channels do not match W {w:?} with group {group}", x[1]));
    }
    if let Some(k) = i.ints("kernel_shape")?
        && k != w[2..]
    {
        return Err(format!("kernel_shape {k:?} does not match W {w:?}"));
    }
    let channels = w[1] * group;
    if let Some(&(b, _)) = i.operands.get(2)
        && b != [channels]
    {
        return Err(format!("bias of shape {b:?} must be [{channels}]"));
    }
    let attrs = WindowAttrs::read(i, n)?;
    let extra = i.ints("output_padding")?.unwrap_or_else(|| vec![0; n]);
    if attrs.strides.len() != n || attrs.pads.len() != 2 * n || attrs.dilations.len() != n || extra.len() != n {
        return Err(format!("strides, pads, dilations and output_padding must cover {n} spatial axes"));
    }
    let mut out = vec![x[0], channels];
    match i.ints("output_shape")? {
        Some(shape) if shape.len() == n => out.extend(shape),
        Some(shape) => return Err(format!("output_shape {shape:?} must have {n} values")),
        None => {
            for a in 0..n {
                let size = (x[a + 2] - 1) * attrs.strides[a] + (w[a + 2] - 1) * attrs.dilations[a] + 1
                    - attrs.pads[a]
                    - attrs.pads[a + n]
                    + extra[a];
                if size <= 0 {
                    return Err(format!("spatial axis {a} would have size {size}"));
                }
                out.push(size);
            }
        }
    }
    Ok(vec![(out, e)])
}

fn pool(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if x.len() < 3 {
        return Err(format!("X {x:?} must have rank at least 3"));
    }
    let kernel = i.ints("kernel_shape")?.ok_or("requires 'kernel_shape'")?;
    let attrs = WindowAttrs::read(i, x.len() - 2)?;
    let ceil_mode = i.int("ceil_mode", 0)? != 0;
    let mut out = x[..2].to_vec();
    out.extend(shape::window_output(&x[2..], &attrs.window(&kernel, ceil_mode))?);
    Ok(vec![(out, e)])
}

fn global_pool(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if x.len() < 3 {
        return Err(format!("X {x:?} must have rank at least 3"));
    }
    let mut out = x[..2].to_vec();
    out.resize(x.len(), 1);
    Ok(vec![(out, e)])
}

fn flatten(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let axis = shape::axis(i.int("axis", 1)?, x.len(), 1)?;
    Ok(vec![(vec![shape::numel(&x[..axis]), shape::numel(&x[axis..])], e)])
}

fn transpose(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let perm = i.ints("perm")?.unwrap_or_else(|| (0..x.len() as i64).rev().collect());
    let mut seen = vec![false; x.len()];
    let valid = perm.len() == x.len()
        && perm.iter().all(|&p| (0..x.len() as i64).contains(&p) && !std::mem::replace(&mut seen[p as usize], true));
    if !valid {
        return Err(format!("perm {perm:?} is not a permutation of {} dimensions", x.len()));
    }
    Ok(vec![(perm.iter().map(|&p| x[p as usize]).collect(), e)])
}

fn layer_norm(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let axis = shape::axis(i.int("axis", -1)?, x.len(), 0)?;
    let normalised = &x[axis..];
    for (name, &(s, _)) in ["Scale", "B"].iter().zip(&i.operands[1..]) {
        if shape::broadcast(s, normalised)? != normalised {
            return Err(format!("{name} of shape {s:?} does not broadcast to the normalised shape {normalised:?}"));
        }
    }
    Ok(vec![(x.to_vec(), e)])
}

fn broadcast_all(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (first, e) = *i.operands.first().ok_or("needs at least one operand")?;
    let mut out = first.to_vec();
    for &(s, t) in &i.operands[1..] {
        if t != e {
            return Err("operands must have the same element type".into());
        }
        out = shape::broadcast(&out, s)?;
    }
    Ok(vec![(out, e)])
}

fn einsum(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let equation = i.attrs.get("equation").and_then(Attribute::as_str).ok_or("einsum needs 'equation'")?;
    let shapes: Vec<&[i64]> = i.operands.iter().map(|(s, _)| *s).collect();
    let e = i.operands.first().ok_or("einsum needs an operand")?.1;
    if i.operands.iter().any(|&(_, t)| t != e) {
        return Err("operands must have the same element type".into());
    }
    Ok(vec![(einsum_equation::Equation::parse(equation, &shapes)?.output_shape(), e)])
}

fn instance_norm(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if x.len() < 3 {
        return Err(format!("input {x:?} must have a channel and a spatial dimension"));
    }
    for (name, &(s, _)) in ["scale", "B"].iter().zip(&i.operands[1..]) {
        if s != [x[1]] {
            return Err(format!("{name} of shape {s:?} must be [{}]", x[1]));
        }
    }
    Ok(vec![(x.to_vec(), e)])
}

fn group_norm(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let groups = i.int("num_groups", 0)?;
    if x.len() < 2 {
        return Err(format!("input {x:?} must have a channel dimension"));
    }
    if groups <= 0 || x[1] % groups != 0 {
        return Err(format!("num_groups {groups} must be positive and divide the {} channels", x[1]));
    }
    for (name, &(s, _)) in ["scale", "bias"].iter().zip(&i.operands[1..]) {
        if s != [x[1]] && s != [groups] {
            return Err(format!("{name} of shape {s:?} must be [{}] (per channel) or [{groups}] (per group)", x[1]));
        }
    }
    Ok(vec![(x.to_vec(), e)])
}

/// Validates a DepthToSpace/SpaceToDepth operand: rank 4 and a positive block size.
fn block_operand<'a>(i: &'a InferInput<'_>) -> Result<(&'a [i64], TypeId, i64), String> {
    let (x, e) = i.operand(0);
    let b = i.int("blocksize", 0)?;
    if x.len() != 4 || b <= 0 {
        return Err(format!("needs a rank-4 input (has {x:?}) and a positive blocksize (has {b})"));
    }
    Ok((x, e, b))
}

fn depth_to_space(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e, b) = block_operand(i)?;
    let mode = i.attrs.get("mode").and_then(Attribute::as_str).unwrap_or("DCR");
    if mode != "DCR" && mode != "CRD" {
        return Err(format!("mode {mode:?} must be \"DCR\" or \"CRD\""));
    }
    if x[1] % (b * b) != 0 {
        return Err(format!("{} channels do not divide into blocks of {b}×{b}", x[1]));
    }
    Ok(vec![(vec![x[0], x[1] / (b * b), x[2] * b, x[3] * b], e)])
}

fn space_to_depth(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e, b) = block_operand(i)?;
    if x[2] % b != 0 || x[3] % b != 0 {
        return Err(format!("spatial size {:?} does not divide into blocks of {b}×{b}", &x[2..]));
    }
    Ok(vec![(vec![x[0], x[1] * b * b, x[2] / b, x[3] / b], e)])
}

fn batch_norm(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if x.len() < 2 {
        return Err(format!("X {x:?} must have a channel dimension"));
    }
    for (name, &(s, _)) in ["scale", "B", "mean", "var"].iter().zip(&i.operands[1..]) {
        if s != [x[1]] {
            return Err(format!("{name} of shape {s:?} must be [{}]", x[1]));
        }
    }
    Ok(vec![(x.to_vec(), e)])
}

/// The mask kinds of `graph.attention`.
pub const MASK_KINDS: &[&str] = &["additive", "keep", "drop"];

fn attention(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((q, e), (k, ek), (v, ev)) = (i.operand(0), i.operand(1), i.operand(2));
    if q.len() < 2 || k.len() < 2 || v.len() < 2 {
        return Err(format!("Q {q:?}, K {k:?} and V {v:?} must have rank at least 2"));
    }
    if ek != e || ev != e {
        return Err("Q, K and V must have the same element type".into());
    }
    let flag = |key: &str| match i.int(key, 0)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(format!("attribute '{key}' must be 0 or 1, got {other}")),
    };
    let mut kt = k.to_vec();
    if !flag("k_transposed")? {
        kt.swap(k.len() - 2, k.len() - 1);
    }
    flag("nan_to_zero")?;
    let scores = shape::matmul(q, &kt)?;
    let kind = match i.attrs.get("mask_kind") {
        None => None,
        Some(a) => Some(a.as_str().ok_or("attribute 'mask_kind' must be a string")?),
    };
    if let Some(kind) = kind
        && !MASK_KINDS.contains(&kind)
    {
        return Err(format!("mask_kind '{kind}' is not one of {}", MASK_KINDS.join(", ")));
    }
    match (i.operands.get(3), kind) {
        (None, Some(kind)) => return Err(format!("mask_kind '{kind}' needs a mask operand")),
        (None, None) => {}
        (Some(&(m, em)), kind) => {
            let boolean = kind.is_some_and(|k| k != "additive");
            if boolean && em != TypeId::I1 {
                return Err(format!("a '{}' mask must be an i1 tensor", kind.unwrap_or_default()));
            }
            if !boolean && em != e {
                return Err("an additive mask must have the element type of Q".into());
            }
            if shape::broadcast(m, &scores)? != scores {
                return Err(format!("mask of shape {m:?} does not broadcast to the scores' shape {scores:?}"));
            }
        }
    }
    if i.attrs.contains_key("mask_fill") && kind.is_none_or(|k| k == "additive") {
        return Err("mask_fill needs a 'keep' or 'drop' mask".into());
    }
    Ok(vec![(shape::matmul(&scores, v)?, e)])
}

fn concat(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let Some(&(first, e)) = i.operands.first() else { return Err("needs at least one input".into()) };
    let axis = shape::axis(i.int("axis", 0)?, first.len(), 0)?;
    let mut out = first.to_vec();
    for &(s, se) in &i.operands[1..] {
        let same_rest = s.len() == first.len() && (0..s.len()).all(|d| d == axis || s[d] == first[d]);
        if se != e || !same_rest {
            return Err(format!("input of shape {s:?} does not concatenate with {first:?} along axis {axis}"));
        }
        out[axis] = out[axis].saturating_add(s[axis]);
    }
    Ok(vec![(out, e)])
}

fn compare(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((a, ea), (b, eb)) = (i.operand(0), i.operand(1));
    if ea != eb {
        return Err("operands must have the same element type".into());
    }
    Ok(vec![(shape::broadcast(a, b)?, TypeId::I1)])
}

fn logical(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((a, ea), (b, eb)) = (i.operand(0), i.operand(1));
    if ea != TypeId::I1 || eb != TypeId::I1 {
        return Err("operands must be i1 tensors".into());
    }
    Ok(vec![(shape::broadcast(a, b)?, TypeId::I1)])
}

fn cast(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let to = i.attrs.get("to").and_then(Attribute::as_type).ok_or("attribute 'to' must be a type")?;
    Ok(vec![(i.operand(0).0.to_vec(), to)])
}

fn trilu(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if x.len() < 2 {
        return Err(format!("X {x:?} must have rank at least 2"));
    }
    Ok(vec![(x.to_vec(), e)])
}

/// `indices.shape[:-1] + data.shape[q:]`, `q` the length of an index tuple.
fn gather_nd(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((data, e), (indices, _)) = (i.operand(0), i.operand(1));
    if i.int("batch_dims", 0)? != 0 {
        return Err("only batch_dims = 0 is supported".into());
    }
    let Some(&q) = indices.last() else { return Err("indices must have rank at least 1".into()) };
    if q < 1 || q as usize > data.len() {
        return Err(format!("index tuples of length {q} for data of rank {}", data.len()));
    }
    let mut out = indices[..indices.len() - 1].to_vec();
    out.extend_from_slice(&data[q as usize..]);
    Ok(vec![(out, e)])
}

fn lrn(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if x.len() < 2 || i.int("size", 0)? < 1 {
        return Err(format!("needs a channel dimension (input {x:?}) and a positive size"));
    }
    Ok(vec![(x.to_vec(), e)])
}

fn one_hot(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((indices, _), (values, e)) = (i.operand(0), i.operand(1));
    let depth = i.int("depth", 0)?;
    if depth < 1 || values != [2] {
        return Err(format!("depth {depth} must be positive and values (shape {values:?}) [off, on]"));
    }
    let axis = shape::axis(i.int("axis", -1)?, indices.len() + 1, 0)?;
    let mut out = indices.to_vec();
    out.insert(axis, depth);
    Ok(vec![(out, e)])
}

fn scatter_nd(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((data, e), (indices, _), (updates, ue)) = (i.operand(0), i.operand(1), i.operand(2));
    if let Some(r) = i.attrs.get("reduction").and_then(Attribute::as_str).filter(|&r| r != "none") {
        return Err(format!("reduction {r:?} is supported only where ScatterND is evaluated at import"));
    }
    let Some(&q) = indices.last() else { return Err("indices must have rank at least 1".into()) };
    if q < 1 || q as usize > data.len() {
        return Err(format!("index tuples of length {q} for data of rank {}", data.len()));
    }
    let mut expected = indices[..indices.len() - 1].to_vec();
    expected.extend_from_slice(&data[q as usize..]);
    if updates != expected.as_slice() || ue != e {
        return Err(format!("updates of shape {updates:?} must have shape {expected:?} and the data's type"));
    }
    Ok(vec![(data.to_vec(), e)])
}

fn not(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    if e != TypeId::I1 {
        return Err("operand must be an i1 tensor".into());
    }
    Ok(vec![(x.to_vec(), TypeId::I1)])
}

fn tile(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let repeats = i.ints("repeats")?.ok_or("tile needs 'repeats'")?;
    if repeats.len() != x.len() || repeats.iter().any(|&r| r < 0) {
        return Err(format!("repeats {repeats:?} must give a count of at least 0 for each of {} axes", x.len()));
    }
    Ok(vec![(x.iter().zip(&repeats).map(|(&n, &r)| n * r).collect(), e)])
}

fn is_nan(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    Ok(vec![(i.operand(0).0.to_vec(), TypeId::I1)])
}

fn select(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((c, ec), (x, ex), (y, ey)) = (i.operand(0), i.operand(1), i.operand(2));
    if ec != TypeId::I1 {
        return Err("condition must be an i1 tensor".into());
    }
    if ex != ey {
        return Err("X and Y must have the same element type".into());
    }
    Ok(vec![(shape::broadcast(&shape::broadcast(c, x)?, y)?, ex)])
}

fn gather(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((data, e), (indices, ei)) = (i.operand(0), i.operand(1));
    if ei != TypeId::I32 && ei != TypeId::I64 {
        return Err("indices must be i32 or i64".into());
    }
    let axis = shape::axis(i.int("axis", 0)?, data.len(), 0)?;
    let mut out = data[..axis].to_vec();
    out.extend_from_slice(indices);
    out.extend_from_slice(&data[axis + 1..]);
    Ok(vec![(out, e)])
}

fn gather_elements(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let ((data, e), (indices, _)) = (i.operand(0), i.operand(1));
    shape::axis(i.int("axis", 0)?, data.len(), 0)?;
    if indices.len() != data.len() {
        return Err(format!("indices {indices:?} must have the rank of data {data:?}"));
    }
    Ok(vec![(indices.to_vec(), e)])
}

fn unsqueeze(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let axes = i.ints("axes")?.unwrap_or_default();
    let rank = x.len() + axes.len();
    let mut positions: Vec<usize> = axes.iter().map(|&a| shape::axis(a, rank, 0)).collect::<Result<_, _>>()?;
    positions.sort_unstable();
    if positions.windows(2).any(|w| w[0] == w[1]) {
        return Err(format!("axes {axes:?} repeat a position"));
    }
    let mut rest = x.iter();
    let out = (0..rank).map(|d| if positions.contains(&d) { 1 } else { *rest.next().expect("ranks add up") }).collect();
    Ok(vec![(out, e)])
}

fn squeeze(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let axes: Vec<usize> = match i.ints("axes")? {
        Some(a) => a.iter().map(|&a| shape::axis(a, x.len(), 0)).collect::<Result<_, _>>()?,
        None => (0..x.len()).filter(|&d| x[d] == 1).collect(),
    };
    if let Some(&d) = axes.iter().find(|&&d| x[d] != 1) {
        return Err(format!("dimension {d} of {x:?} is not 1"));
    }
    Ok(vec![((0..x.len()).filter(|d| !axes.contains(d)).map(|d| x[d]).collect(), e)])
}

fn slice(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let starts = i.ints("starts")?.unwrap_or_default();
    let ends = i.ints("ends")?.unwrap_or_default();
    let axes = i.ints("axes")?.unwrap_or_else(|| (0..starts.len() as i64).collect());
    let steps = i.ints("steps")?.unwrap_or_else(|| vec![1; starts.len()]);
    if ends.len() != starts.len() || axes.len() != starts.len() || steps.len() != starts.len() {
        return Err("starts, ends, axes and steps must have the same length".into());
    }
    let mut out = x.to_vec();
    for k in 0..starts.len() {
        let d = shape::axis(axes[k], x.len(), 0)?;
        let (n, step) = (x[d], steps[k]);
        if step == 0 {
            return Err("slice steps must not be 0".into());
        }
        // ONNX clamping: negative indices count from the end; positive steps clamp to [0, n],
        // negative steps to [-1, n - 1].
        let fix = |v: i64, lo: i64, hi: i64| (if v < 0 { v.saturating_add(n) } else { v }).clamp(lo, hi);
        let (lo, hi) = if step > 0 { (0, n) } else { (-1, n - 1) };
        let (start, end) = (fix(starts[k], lo, hi), fix(ends[k], lo, hi));
        let len = if step > 0 { (end - start + step - 1) / step } else { (start - end - step - 1) / -step };
        out[d] = len.max(0);
    }
    Ok(vec![(out, e)])
}

/// Split needs to know how many results it has; [`infer_split`] takes that from the caller.
fn split(i: &InferInput<'_>, results: usize) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let axis = shape::axis(i.int("axis", 0)?, x.len(), 0)?;
    let sizes = match i.ints("split")? {
        Some(s) => s,
        None => {
            let n = results.max(1) as i64;
            let piece = (x[axis] + n - 1) / n;
            (0..n).map(|k| piece.min(x[axis] - k * piece).max(0)).collect()
        }
    };
    let total = sizes.iter().try_fold(0i64, |acc, &s| acc.checked_add(s));
    if sizes.len() != results || total != Some(x[axis]) || sizes.iter().any(|&s| s < 0) {
        return Err(format!("split sizes {sizes:?} do not divide dimension {axis} of {x:?} into {results} pieces"));
    }
    Ok(sizes
        .iter()
        .map(|&s| {
            let mut piece = x.to_vec();
            piece[axis] = s;
            (piece, e)
        })
        .collect())
}

fn reduce(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, e) = i.operand(0);
    let axes: Vec<usize> = match i.ints("axes")? {
        Some(a) => a.iter().map(|&a| shape::axis(a, x.len(), 0)).collect::<Result<_, _>>()?,
        None => (0..x.len()).collect(),
    };
    let keep = i.int("keepdims", 1)? != 0;
    let out = (0..x.len())
        .filter_map(|d| match (axes.contains(&d), keep) {
            (false, _) => Some(x[d]),
            (true, true) => Some(1),
            (true, false) => None,
        })
        .collect();
    Ok(vec![(out, e)])
}

fn arg_reduce(i: &InferInput<'_>) -> Result<Vec<ShapedType>, String> {
    let (x, _) = i.operand(0);
    let axis = shape::axis(i.int("axis", 0)?, x.len(), 0)?;
    let mut out = x.to_vec();
    if i.int("keepdims", 1)? != 0 {
        out[axis] = 1;
    } else {
        out.remove(axis);
    }
    Ok(vec![(out, TypeId::I64)])
}

/// The result types an op named `name` must have for these operands and attributes.
/// `Ok(None)` for ops whose result type is given rather than inferred (weights, constants,
/// reshape).
/// `results` is the number of results the op will have (it matters only for variadic ops such
/// as `graph.split`).
pub fn infer_result_types(
    cx: &mut Context,
    name: &str,
    operands: &[ValueId],
    attrs: &AttrDict,
    results: usize,
) -> Result<Option<Vec<TypeId>>, String> {
    let shaped = operand_shapes(cx, operands)?;
    let Some(inferred) = infer(name, &InferInput { operands: &shaped, attrs }, results) else { return Ok(None) };
    Ok(Some(inferred?.into_iter().map(|(s, e)| cx.tensor_type(&s, e)).collect()))
}

/// For a graph op named `name` (`None` if there is none): a message if `n` operands do not fit
/// its declared operand list.
fn operand_count_error(name: &str, n: usize) -> Option<Option<String>> {
    let def = OPS.iter().find(|d| d.name == name)?;
    let required = def.operands.iter().filter(|s| s.arity == Arity::Single).count();
    let variadic = def.operands.iter().any(|s| s.arity == Arity::Variadic);
    let fits = n >= required && (variadic || n <= def.operands.len());
    Some((!fits).then(|| format!("expects {} operands but has {n}", def.operands.len())))
}

/// The shape the inference rule of graph op `op` (without the `graph.` prefix) gives its
/// single result, for callers that evaluate shapes outside the IR (e.g. the frontend's constant
/// folding).
pub fn infer_shape(op: &str, operands: &[(&[i64], TypeId)], attrs: &AttrDict) -> Result<Vec<i64>, String> {
    let name = format!("graph.{op}");
    match infer(&name, &InferInput { operands, attrs }, 1) {
        Some(Ok(mut shapes)) if !shapes.is_empty() => Ok(shapes.swap_remove(0).0),
        Some(Ok(_)) => Err(format!("{name} has no result")),
        Some(Err(e)) => Err(e),
        None => Err(format!("{name} has no shape inference rule")),
    }
}

/// Runs the inference rule of op `name` with `results` results, if the op has one. Operand
/// counts are checked first, so the rules can index their operands.
fn infer(name: &str, input: &InferInput<'_>, results: usize) -> Option<Result<Vec<ShapedType>, String>> {
    if let Some(e) = operand_count_error(name, input.operands.len())? {
        return Some(Err(e));
    }
    if name == "graph.split" {
        return Some(split(input, results));
    }
    infer_fn(name).map(|f| f(input))
}

fn operand_shapes<'c>(cx: &'c Context, operands: &[ValueId]) -> Result<Vec<(&'c [i64], TypeId)>, String> {
    operands
        .iter()
        .enumerate()
        .map(|(n, &v)| cx.tensor_shape(cx.value_type(v)).ok_or_else(|| format!("operand #{n} must be a tensor")))
        .collect()
}

/// The formulas a derived `graph.weight` may name in `fold`, with their number of inputs.
pub const WEIGHT_FOLDS: &[(&str, usize)] = &[("conv_bn_weight", 3), ("conv_bn_bias", 5)];

/// A weight derived from others names its formula, the formula's inputs and its epsilon.
fn verify_weight(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let fold = cx.attr(op, "fold").and_then(Attribute::as_str);
    let inputs = cx.attr(op, "folded_from").and_then(Attribute::as_array);
    let (Some(fold), Some(inputs)) = (fold, inputs) else {
        if cx.attr(op, "fold").is_some() || cx.attr(op, "folded_from").is_some() || cx.attr(op, "epsilon").is_some() {
            errors.push("'fold', 'folded_from' and 'epsilon' describe a derived weight together".into());
        }
        return;
    };
    let Some(&(_, arity)) = WEIGHT_FOLDS.iter().find(|(f, _)| *f == fold) else {
        let known: Vec<&str> = WEIGHT_FOLDS.iter().map(|(f, _)| *f).collect();
        return errors.push(format!("fold '{fold}' is not one of {}", known.join(", ")));
    };
    if inputs.len() != arity {
        errors.push(format!("fold '{fold}' takes {arity} inputs, 'folded_from' lists {}", inputs.len()));
    }
    let valid = |a: &Attribute| match a {
        Attribute::String(_) | Attribute::Int { .. } | Attribute::Float { .. } | Attribute::Bool(_) => true,
        Attribute::Array(items) => items.iter().all(|x| x.as_float().is_some() || x.as_int().is_some()),
        _ => false,
    };
    if !inputs.iter().all(valid) {
        errors.push("'folded_from' holds weight names and constant values only".into());
    }
    if cx.attr(op, "epsilon").is_none() {
        errors.push(format!("fold '{fold}' needs 'epsilon'"));
    }
}

/// Verifier shared by all graph ops: result types must be what inference derives.
fn verify_shapes(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let name = cx.name(op);
    if name == "graph.reshape" {
        let (Some((from, fe)), Some((to, te))) =
            (cx.tensor_shape(cx.value_type(cx.operand(op, 0))), cx.tensor_shape(cx.value_type(cx.result(op, 0))))
        else {
            return;
        };
        if shape::numel(from) != shape::numel(to) || fe != te {
            errors.push(format!("cannot reshape {from:?} into {to:?}"));
        }
        return;
    }
    if name == "graph.expand" {
        let (Some((from, fe)), Some((to, te))) =
            (cx.tensor_shape(cx.value_type(cx.operand(op, 0))), cx.tensor_shape(cx.value_type(cx.result(op, 0))))
        else {
            return;
        };
        if shape::broadcast(from, to).ok().as_deref() != Some(to) || fe != te {
            errors.push(format!("cannot expand {from:?} to {to:?}"));
        }
        return;
    }
    if name == "graph.constant" {
        let count = cx.tensor_shape(cx.value_type(cx.result(op, 0))).map(|(s, _)| shape::numel(s));
        if let (Some(values), Some(count)) = (cx.attr(op, "value").and_then(Attribute::as_array), count)
            && values.len() as i64 != count
        {
            errors.push(format!("has {} values for a tensor of {count} elements", values.len()));
        }
        return;
    }
    // Missing required attributes and wrong operand counts are reported by the generic
    // verifier; inferring without them would only repeat that.
    if cx.op_def(op).is_some_and(|d| d.attrs.iter().any(|a| a.required && cx.attr(op, a.name).is_none()))
        || operand_count_error(name, cx.operands(op).len()).flatten().is_some()
    {
        return;
    }
    let shaped = match operand_shapes(cx, cx.operands(op)) {
        Ok(s) => s,
        Err(e) => return errors.push(e),
    };
    let inferred = match infer(name, &InferInput { operands: &shaped, attrs: cx.attrs(op) }, cx.num_results(op)) {
        None => return,
        Some(Ok(t)) => t,
        Some(Err(e)) => return errors.push(e),
    };
    for ((shape, elem), r) in inferred.iter().zip(cx.results(op)) {
        let ok = cx.tensor_shape(cx.value_type(r)).is_some_and(|(s, e)| s == shape.as_slice() && e == *elem);
        if !ok {
            let elem = cx.show_type(*elem);
            let dims: String = shape.iter().map(|d| format!("{d}x")).collect();
            errors.push(format!(
                "result type '{}' does not match the inferred 'tensor<{dims}{elem}>'",
                cx.show_type(cx.value_type(r))
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use dnnc_ir::{Context, DialectRegistry, ParseOptions, parse_source, verify};
    use std::sync::Arc;

    /// The verifier's messages for `ops` (graph ops at module level), joined.
    fn errors(ops: &str) -> String {
        let mut cx = Context::new(Arc::new(DialectRegistry::new().with(&super::DIALECT)));
        let text = format!("\"builtin.module\"() ({{\n{ops}\n}}) : () -> ()\n");
        let m = parse_source(&mut cx, "t.mlir", &text, ParseOptions::default()).expect("parses");
        match verify(&cx, m) {
            Ok(()) => String::new(),
            Err(d) => d.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; "),
        }
    }

    const QKV: &str = r#"
  %q = "graph.weight"() {name = "q"} : () -> tensor<2x4x8xf32>
  %k = "graph.weight"() {name = "k"} : () -> tensor<2x6x8xf32>
  %kt = "graph.weight"() {name = "kt"} : () -> tensor<2x8x6xf32>
  %v = "graph.weight"() {name = "v"} : () -> tensor<2x6x16xf32>
  %m = "graph.weight"() {name = "m"} : () -> tensor<4x6xf32>
  %b = "graph.weight"() {name = "b"} : () -> tensor<4x6xi1>"#;

    fn attention(operands: &str, attrs: &str, types: &str, result: &str) -> String {
        errors(&format!(
            "{QKV}\n  %o = \"graph.attention\"({operands}) {{scale = 0.35355339059327373{attrs}}} : ({types}) -> {result}"
        ))
    }

    #[test]
    fn attention_shapes_and_masks() {
        let t = "tensor<2x4x8xf32>, tensor<2x6x8xf32>, tensor<2x6x16xf32>";
        let out = "tensor<2x4x16xf32>";
        assert_eq!(attention("%q, %k, %v", "", t, out), "");
        let tt = "tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<2x6x16xf32>";
        assert_eq!(attention("%q, %kt, %v", ", k_transposed = 1", tt, out), "");
        assert!(attention("%q, %kt, %v", "", tt, out).contains("contraction sizes differ"));
        assert!(attention("%q, %k, %v", "", t, "tensor<2x4x8xf32>").contains("does not match the inferred"));
        assert!(attention("%q, %k, %v", ", k_transposed = 2", t, out).contains("must be 0 or 1"));
        let masked = format!("{t}, tensor<4x6xf32>");
        assert_eq!(attention("%q, %k, %v, %m", "", &masked, out), "");
        assert_eq!(attention("%q, %k, %v, %m", ", mask_kind = \"additive\"", &masked, out), "");
        assert!(attention("%q, %k, %v, %m", ", mask_kind = \"keep\"", &masked, out).contains("must be an i1 tensor"));
        assert!(attention("%q, %k, %v, %m", ", mask_kind = \"mul\"", &masked, out).contains("is not one of"));
        let boolean = format!("{t}, tensor<4x6xi1>");
        assert_eq!(attention("%q, %k, %v, %b", ", mask_kind = \"drop\", mask_fill = -1.0e9", &boolean, out), "");
        assert!(attention("%q, %k, %v, %b", "", &boolean, out).contains("additive mask must have the element type"));
        assert!(attention("%q, %k, %v", ", mask_kind = \"keep\"", t, out).contains("needs a mask operand"));
        assert!(attention("%q, %k, %v, %m", ", mask_fill = -1.0e9", &masked, out).contains("mask_fill needs"));
        let wide = format!("{t}, tensor<3x2x4x6xf32>");
        let ops = format!("{QKV}\n  %w = \"graph.weight\"() {{name = \"w\"}} : () -> tensor<3x2x4x6xf32>");
        let wide_mask = errors(&format!(
            "{ops}\n  %o = \"graph.attention\"(%q, %k, %v, %w) {{scale = 0.5}} : ({wide}) -> tensor<2x4x16xf32>"
        ));
        assert!(wide_mask.contains("does not broadcast to the scores' shape"), "{wide_mask}");
        let no_scale = errors(&format!("{QKV}\n  %o = \"graph.attention\"(%q, %k, %v) : ({t}) -> {out}"));
        assert!(no_scale.contains("scale"), "{no_scale}");
    }

    fn weight(attrs: &str) -> String {
        errors(&format!("  %w = \"graph.weight\"() {{name = \"w+g\"{attrs}}} : () -> tensor<4xf32>"))
    }

    #[test]
    fn derived_weights_name_their_formula() {
        assert_eq!(weight(""), "");
        let bias = r#", fold = "conv_bn_bias", folded_from = [0.0 : f32, "g", "b", "m", "v"], epsilon = 1.0e-5 : f32"#;
        assert_eq!(weight(bias), "");
        let constant = r#", fold = "conv_bn_weight", folded_from = ["w", [1.0, 2.0], "v"], epsilon = 1.0e-5"#;
        assert_eq!(weight(constant), "");
        assert!(weight(r#", fold = "conv_bn_weight""#).contains("describe a derived weight together"));
        assert!(weight(r#", epsilon = 1.0e-5"#).contains("describe a derived weight together"));
        let unknown = r#", fold = "conv_bn", folded_from = ["w"], epsilon = 1.0e-5"#;
        assert!(weight(unknown).contains("is not one of conv_bn_weight, conv_bn_bias"));
        let short = r#", fold = "conv_bn_weight", folded_from = ["w", "g"], epsilon = 1.0e-5"#;
        assert!(weight(short).contains("takes 3 inputs, 'folded_from' lists 2"));
        let odd = r#", fold = "conv_bn_weight", folded_from = ["w", {a = 1}, "v"], epsilon = 1.0e-5"#;
        assert!(weight(odd).contains("weight names and constant values only"));
        let no_eps = r#", fold = "conv_bn_weight", folded_from = ["w", "g", "v"]"#;
        assert!(weight(no_eps).contains("needs 'epsilon'"));
    }
}
