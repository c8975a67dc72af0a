//! The builder: walks the parse tree of `onnx.pest` and builds the `ModelProto` that
//! `onnx.parser` builds for the same text, setting the same optional fields (a node's `domain`
//! is always set, an attribute tensor's `name` is set to `""`, `float` has an empty shape and
//! `float[]` none). It also reports what the grammar accepts but cannot mean: unknown element
//! or attribute types, values of the wrong kind, numbers out of range, duplicates, unsupported
//! constructs. Every error is a [`TextError`] at the offending token.

use std::collections::HashMap;

use bytes::Bytes;
use pest::Parser as _;
use pest::iterators::Pair;

use super::{OnnxTextGrammar, Rule, TextError};
use crate::dtype::DataType;
use crate::proto::attribute_proto::AttributeType;
use crate::proto::tensor_proto::DataLocation;
use crate::proto::tensor_shape_proto::{Dimension, dimension};
use crate::proto::{
    AttributeProto, GraphProto, ModelProto, NodeProto, OperatorSetIdProto, StringStringEntryProto, TensorProto,
    TensorShapeProto, TypeProto, ValueInfoProto, type_proto,
};

/// Deepest nesting of types (`seq(seq(...))`) and graphs (graph attributes of nodes of graph
/// attributes ...) accepted. The builder recurses on nesting, so this bounds its stack use.
pub const MAX_NESTING: usize = 64;

type Result<T> = std::result::Result<T, TextError>;

/// Parses `text` into a model; errors name `file`.
pub(super) fn parse(text: &str, file: &str) -> Result<ModelProto> {
    let mut pairs = OnnxTextGrammar::parse(Rule::model, text).map_err(|e| syntax_error(&e, text, file))?;
    let builder = Builder { text, file, depth: 0 };
    match pairs.next() {
        Some(model) => builder.model(model),
        None => Err(builder.err_at(0, "empty parse")),
    }
}

/// Punctuation and keywords: tokens the builder skips.
fn is_token(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::lt
            | Rule::gt
            | Rule::lparen
            | Rule::rparen
            | Rule::lbracket
            | Rule::rbracket
            | Rule::lbrace
            | Rule::rbrace
            | Rule::comma
            | Rule::colon
            | Rule::dot
            | Rule::arrow
            | Rule::eq
            | Rule::at
            | Rule::kw_ir_version
            | Rule::kw_opset_import
            | Rule::kw_producer_name
            | Rule::kw_producer_version
            | Rule::kw_domain
            | Rule::kw_model_version
            | Rule::kw_doc_string
            | Rule::kw_metadata_props
            | Rule::kw_seq
            | Rule::kw_map
            | Rule::kw_optional
            | Rule::kw_sparse_tensor
            | Rule::kw_opaque
            | Rule::EOI
    )
}

/// The children of `pair` that carry meaning (tokens skipped).
fn items<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.into_inner().filter(|p| !is_token(p.as_rule()))
}

/// What an attribute holds, without the list-ness.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    String,
    Tensor,
    Graph,
    SparseTensor,
    TypeProto,
}

impl Kind {
    /// The attribute-type names of annotations (`a: ints = []`), singular first.
    const NAMES: [(&'static str, Kind); 7] = [
        ("int", Kind::Int),
        ("float", Kind::Float),
        ("string", Kind::String),
        ("tensor", Kind::Tensor),
        ("graph", Kind::Graph),
        ("sparse_tensor", Kind::SparseTensor),
        ("type_proto", Kind::TypeProto),
    ];

    fn attribute_type(self, list: bool) -> AttributeType {
        match (self, list) {
            (Kind::Int, false) => AttributeType::Int,
            (Kind::Float, false) => AttributeType::Float,
            (Kind::String, false) => AttributeType::String,
            (Kind::Tensor, false) => AttributeType::Tensor,
            (Kind::Graph, false) => AttributeType::Graph,
            (Kind::SparseTensor, false) => AttributeType::SparseTensor,
            (Kind::TypeProto, false) => AttributeType::TypeProto,
            (Kind::Int, true) => AttributeType::Ints,
            (Kind::Float, true) => AttributeType::Floats,
            (Kind::String, true) => AttributeType::Strings,
            (Kind::Tensor, true) => AttributeType::Tensors,
            (Kind::Graph, true) => AttributeType::Graphs,
            (Kind::SparseTensor, true) => AttributeType::SparseTensors,
            (Kind::TypeProto, true) => AttributeType::TypeProtos,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Int => "an integer",
            Kind::Float => "a float",
            Kind::String => "a string",
            Kind::Tensor => "a tensor",
            Kind::Graph => "a graph",
            Kind::SparseTensor => "a sparse tensor",
            Kind::TypeProto => "a type",
        }
    }

    /// The kind a value written this way has on its own.
    fn of_value(pair: &Pair<'_, Rule>) -> Option<Kind> {
        Some(match pair.as_rule() {
            Rule::int_lit => Kind::Int,
            Rule::float_lit => Kind::Float,
            Rule::string => Kind::String,
            Rule::tensor_constant => Kind::Tensor,
            Rule::graph => Kind::Graph,
            Rule::type_ => Kind::TypeProto,
            _ => return None,
        })
    }
}

/// The error for a bare name where an attribute value belongs (`a = x`, `a = true`).
fn bare_name_message(name: &str) -> String {
    format!(
        "`{name}` is not an attribute value (strings are quoted, booleans are 0 or 1, graphs are `name (...) => (...) {{...}}`)"
    )
}

struct Builder<'t> {
    text: &'t str,
    file: &'t str,
    depth: usize,
}

impl Builder<'_> {
    fn err_at(&self, pos: usize, message: impl Into<String>) -> TextError {
        TextError::at(self.file, self.text, pos, message)
    }

    fn err(&self, pair: &Pair<'_, Rule>, message: impl Into<String>) -> TextError {
        self.err_at(pair.as_span().start(), message)
    }

    /// `line:col` of a byte offset, for "first given at" notes.
    fn line_col(&self, pos: usize) -> String {
        let e = self.err_at(pos, "");
        format!("{}:{}", e.line, e.col)
    }

    /// Goes one nesting level deeper, failing cleanly past [`MAX_NESTING`]; the caller calls
    /// [`Self::leave`] when done.
    fn enter(&mut self, pair: &Pair<'_, Rule>) -> Result<()> {
        if self.depth >= MAX_NESTING {
            return Err(self.err(pair, format!("nesting is deeper than {MAX_NESTING} levels")));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn model(mut self, pair: Pair<'_, Rule>) -> Result<ModelProto> {
        let mut model = ModelProto::default();
        for p in items(pair) {
            match p.as_rule() {
                Rule::header => self.header(p, &mut model)?,
                Rule::graph => model.graph = Some(self.graph(p)?),
                Rule::trailing => {
                    return Err(
                        self.err(&p, "unexpected text after the main graph (model-local functions are not supported)")
                    );
                }
                _ => {}
            }
        }
        Ok(model)
    }

    fn header(&mut self, pair: Pair<'_, Rule>, model: &mut ModelProto) -> Result<()> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for entry in items(pair) {
            let start = entry.as_span().start();
            let key = entry.clone().into_inner().next().map_or("", |k| k.as_str());
            if let Some(&first) = seen.get(key) {
                let at = self.line_col(first);
                return Err(self.err(&entry, format!("`{key}` is given twice in the model header (first at {at})")));
            }
            seen.insert(key, start);
            let rule = entry.as_rule();
            if rule == Rule::opset_import {
                self.opsets(entry, model)?;
                continue;
            }
            let Some(value) = items(entry).last() else { continue };
            match rule {
                Rule::ir_version => model.ir_version = Some(self.int(&value)?),
                Rule::model_version => model.model_version = Some(self.int(&value)?),
                Rule::producer_name => model.producer_name = Some(self.string(&value)),
                Rule::producer_version => model.producer_version = Some(self.string(&value)),
                Rule::model_domain => model.domain = Some(self.string(&value)),
                Rule::doc_string => model.doc_string = Some(self.string(&value)),
                Rule::metadata_props => model.metadata_props = self.str_str_list(value),
                _ => {}
            }
        }
        Ok(())
    }

    fn opsets(&mut self, entry: Pair<'_, Rule>, model: &mut ModelProto) -> Result<()> {
        let is_default = |d: &str| d.is_empty() || d == "ai.onnx";
        let mut seen: Vec<(String, usize)> = Vec::new();
        for opset in items(entry) {
            let mut parts = items(opset.clone());
            let (Some(domain), Some(version)) = (parts.next(), parts.next()) else { continue };
            let name = self.string(&domain);
            let same = |d: &str| d == name || (is_default(d) && is_default(&name));
            if let Some((_, first)) = seen.iter().find(|(d, _)| same(d)) {
                let at = self.line_col(*first);
                return Err(self.err(&opset, format!("operator set {name:?} is imported twice (first at {at})")));
            }
            seen.push((name.clone(), opset.as_span().start()));
            let version = self.int(&version)?;
            model.opset_import.push(OperatorSetIdProto { domain: Some(name), version: Some(version) });
        }
        Ok(())
    }

    fn str_str_list(&self, pair: Pair<'_, Rule>) -> Vec<StringStringEntryProto> {
        items(pair)
            .map(|entry| {
                let mut parts = items(entry);
                let mut next = || parts.next().map(|p| self.string(&p)).unwrap_or_default();
                StringStringEntryProto { key: Some(next()), value: Some(next()) }
            })
            .collect()
    }

    /// A graph (the main one or an attribute value). Graphs nest through node attributes: the
    /// functions on that path (`graph`, `graph_body`, `node_into`, `attributes_into`) keep
    /// their frames small and leave the rest to `#[inline(never)]` helpers.
    fn graph(&mut self, pair: Pair<'_, Rule>) -> Result<GraphProto> {
        self.enter(&pair)?;
        let graph = self.graph_body(pair);
        self.leave();
        graph
    }

    /// The graph's parts; the node list (the only way to nest) is built last, in a small frame.
    fn graph_body(&mut self, pair: Pair<'_, Rule>) -> Result<GraphProto> {
        let mut graph = GraphProto::default();
        let mut nodes = None;
        let mut names = [HashMap::new(), HashMap::new()];
        for p in items(pair) {
            if p.as_rule() == Rule::node_list {
                nodes = Some(p);
            } else {
                self.graph_part(p, &mut graph, &mut names)?;
            }
        }
        for n in nodes.into_iter().flat_map(items) {
            self.node_into(n, &mut graph.node)?;
        }
        Ok(graph)
    }

    /// Name, inputs, outputs, initializers and value infos of a graph. Kept out of the frames
    /// that recurse into nested graphs, so that deep nesting uses little stack;
    /// `names` records where each input and each initializer name was first declared.
    #[inline(never)]
    fn graph_part(
        &mut self,
        p: Pair<'_, Rule>,
        graph: &mut GraphProto,
        names: &mut [HashMap<String, usize>; 2],
    ) -> Result<()> {
        let [input_names, initializer_names] = names;
        match p.as_rule() {
            Rule::ident | Rule::string => graph.name = Some(self.string(&p)),
            Rule::input_list => {
                for v in items(p) {
                    let start = v.as_span().start();
                    let (info, tensor) = self.value_or_init(v)?;
                    self.unique(input_names, info.name(), start, "graph input")?;
                    if let Some(tensor) = tensor {
                        self.unique(initializer_names, tensor.name(), start, "initializer")?;
                        graph.initializer.push(tensor);
                    }
                    graph.input.push(info);
                }
            }
            Rule::output_list => {
                for v in items(p) {
                    graph.output.push(self.value_info(v)?);
                }
            }
            Rule::initializer_list => {
                for v in items(p) {
                    let start = v.as_span().start();
                    match self.value_or_init(v)? {
                        (_, Some(tensor)) => {
                            self.unique(initializer_names, tensor.name(), start, "initializer")?;
                            graph.initializer.push(tensor);
                        }
                        (info, None) => graph.value_info.push(info),
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Records `name` at `pos`, failing if it was recorded before.
    fn unique(&self, seen: &mut HashMap<String, usize>, name: &str, pos: usize, what: &str) -> Result<()> {
        if let Some(&first) = seen.get(name) {
            let at = self.line_col(first);
            return Err(self.err_at(pos, format!("{what} {name:?} is declared twice (first at {at})")));
        }
        seen.insert(name.to_string(), pos);
        Ok(())
    }

    /// `float[N] X` or `X` (no type).
    fn value_info(&mut self, pair: Pair<'_, Rule>) -> Result<ValueInfoProto> {
        let mut info = ValueInfoProto::default();
        for p in items(pair) {
            match p.as_rule() {
                Rule::type_ => info.r#type = Some(self.type_proto(p)?),
                _ => info.name = Some(self.string(&p)),
            }
        }
        Ok(info)
    }

    /// A value info, and the initializer if the value has data (`float[2] w = {1, 2}`).
    fn value_or_init(&mut self, pair: Pair<'_, Rule>) -> Result<(ValueInfoProto, Option<TensorProto>)> {
        let mut info = ValueInfoProto::default();
        let mut type_pair = None;
        let mut data = None;
        for p in items(pair) {
            match p.as_rule() {
                Rule::type_ => {
                    info.r#type = Some(self.type_proto(p.clone())?);
                    type_pair = Some(p);
                }
                Rule::tensor_values | Rule::str_str_list => data = Some(p),
                _ => info.name = Some(self.string(&p)),
            }
        }
        let Some(data) = data else { return Ok((info, None)) };
        let tensor_type = type_pair.and_then(|t| items(t).next()).filter(|t| t.as_rule() == Rule::tensor_type);
        let Some(tensor_type) = tensor_type else {
            return Err(
                self.err(&data, format!("initializer {:?} needs a tensor type such as `float[2]`", info.name()))
            );
        };
        let tensor = self.tensor(tensor_type, info.name.clone(), data)?;
        Ok((info, Some(tensor)))
    }

    fn type_proto(&mut self, pair: Pair<'_, Rule>) -> Result<TypeProto> {
        self.enter(&pair)?;
        let ty = self.type_body(pair);
        self.leave();
        ty
    }

    fn type_body(&mut self, pair: Pair<'_, Rule>) -> Result<TypeProto> {
        use type_proto::Value;
        let Some(inner) = items(pair).next() else { return Ok(TypeProto::default()) };
        let rule = inner.as_rule();
        let mut parts: Vec<Pair<'_, Rule>> = items(inner.clone()).collect();
        let value = match rule {
            Rule::tensor_type => {
                let (elem_type, shape) = self.tensor_type(inner)?;
                Value::TensorType(type_proto::Tensor { elem_type: Some(elem_type), shape })
            }
            Rule::sparse_tensor_type => {
                let Some(t) = parts.pop() else { return Ok(TypeProto::default()) };
                let (elem_type, shape) = self.tensor_type(t)?;
                Value::SparseTensorType(type_proto::SparseTensor { elem_type: Some(elem_type), shape })
            }
            Rule::seq_type | Rule::optional_type => {
                let Some(t) = parts.pop() else { return Ok(TypeProto::default()) };
                let elem_type = Some(Box::new(self.type_proto(t)?));
                if rule == Rule::seq_type {
                    Value::SequenceType(Box::new(type_proto::Sequence { elem_type }))
                } else {
                    Value::OptionalType(Box::new(type_proto::Optional { elem_type }))
                }
            }
            Rule::map_type => {
                let (Some(value), Some(key)) = (parts.pop(), parts.pop()) else { return Ok(TypeProto::default()) };
                let key_type = Some(self.prim_type(&key)?);
                let value_type = Some(Box::new(self.type_proto(value)?));
                Value::MapType(Box::new(type_proto::Map { key_type, value_type }))
            }
            Rule::opaque_type => {
                let qualified = |p: &Pair<'_, Rule>| items(p.clone()).map(|i| i.as_str()).collect::<Vec<_>>().join(".");
                match parts.as_slice() {
                    [] => Value::OpaqueType(type_proto::Opaque::default()),
                    [name] => Value::OpaqueType(type_proto::Opaque { domain: None, name: Some(qualified(name)) }),
                    [domain, name, ..] => Value::OpaqueType(type_proto::Opaque {
                        domain: Some(qualified(domain)),
                        name: Some(name.as_str().to_string()),
                    }),
                }
            }
            _ => return Ok(TypeProto::default()),
        };
        Ok(TypeProto { denotation: None, value: Some(value) })
    }

    /// The element type code of a `prim_type` (or an `unknown_prim_type`, an error).
    fn prim_type(&self, pair: &Pair<'_, Rule>) -> Result<i32> {
        let name = pair.as_str();
        match DataType::ALL.iter().find(|dt| dt.name().to_ascii_lowercase() == name) {
            Some(dt) => Ok(dt.code()),
            None => {
                let known: Vec<String> = DataType::ALL.iter().map(|dt| dt.name().to_ascii_lowercase()).collect();
                Err(self.err(pair, format!("unknown element type `{name}` (expected one of {})", known.join(", "))))
            }
        }
    }

    /// Element type and shape: `float` is rank 0 (an empty shape), `float[]` has no shape.
    fn tensor_type(&self, pair: Pair<'_, Rule>) -> Result<(i32, Option<TensorShapeProto>)> {
        let mut elem_type = 0;
        let mut shape = Some(TensorShapeProto::default());
        for p in items(pair) {
            match p.as_rule() {
                Rule::prim_type | Rule::unknown_prim_type => elem_type = self.prim_type(&p)?,
                Rule::shape => {
                    let dims = items(p).map(|d| self.dim(d)).collect::<Result<Vec<_>>>()?;
                    shape = if dims.is_empty() { None } else { Some(TensorShapeProto { dim: dims }) };
                }
                _ => {}
            }
        }
        Ok((elem_type, shape))
    }

    fn dim(&self, pair: Pair<'_, Rule>) -> Result<Dimension> {
        let value = match items(pair).next() {
            Some(p) if p.as_rule() == Rule::int_lit => Some(dimension::Value::DimValue(self.int(&p)?)),
            Some(p) if p.as_rule() == Rule::question => None,
            Some(p) => Some(dimension::Value::DimParam(self.string(&p))),
            None => None,
        };
        Ok(Dimension { denotation: None, value })
    }

    /// A tensor from a `tensor_type`, a name and its data (`tensor_values` or external-data
    /// `str_str_list`).
    fn tensor(&self, type_pair: Pair<'_, Rule>, name: Option<String>, data: Pair<'_, Rule>) -> Result<TensorProto> {
        let type_start = type_pair.as_span().start();
        let mut tensor = TensorProto { name, ..Default::default() };
        let mut has_shape = false;
        for p in items(type_pair) {
            match p.as_rule() {
                Rule::prim_type | Rule::unknown_prim_type => tensor.data_type = Some(self.prim_type(&p)?),
                Rule::shape => {
                    has_shape = true;
                    for d in items(p) {
                        let value = items(d.clone()).next().filter(|v| v.as_rule() == Rule::int_lit);
                        let Some(value) = value else {
                            return Err(self.err(&d, "the dimensions of a tensor with data must be integers"));
                        };
                        let n = self.int(&value)?;
                        if n < 0 {
                            return Err(self.err(&d, "tensor dimensions cannot be negative"));
                        }
                        tensor.dims.push(n);
                    }
                }
                _ => {}
            }
        }
        if has_shape && tensor.dims.is_empty() {
            return Err(
                self.err_at(type_start, "a tensor with data needs a shape (`float[2]`, or `float` for a scalar)")
            );
        }
        if data.as_rule() == Rule::str_str_list {
            tensor.external_data = self.str_str_list(data);
            tensor.data_location = Some(DataLocation::External as i32);
            return Ok(tensor);
        }
        let data_type = DataType::from_code(tensor.data_type.unwrap_or(0)).unwrap_or(DataType::Float);
        let values: Vec<Pair<'_, Rule>> = items(data.clone()).collect();
        let per_element = if data_type.is_complex() { 2 } else { 1 };
        let expected = tensor.dims.iter().try_fold(per_element as u64, |n, &d| n.checked_mul(d as u64));
        if expected != Some(values.len() as u64) {
            let shape = tensor.dims.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            let wanted = expected.map_or_else(|| "too many".to_string(), |n| n.to_string());
            return Err(self.err(
                &data,
                format!("a {} tensor of shape [{shape}] needs {wanted} values, found {}", data_type, values.len()),
            ));
        }
        for v in &values {
            match data_type {
                DataType::Float | DataType::Complex64 => tensor.float_data.push(self.f32(v)?),
                DataType::Double | DataType::Complex128 => tensor.double_data.push(self.f64(v)?),
                DataType::Int64 => tensor.int64_data.push(self.int(v)?),
                DataType::Uint32 | DataType::Uint64 => tensor.uint64_data.push(self.uint(v)?),
                DataType::String => tensor.string_data.push(self.bytes(v)?),
                _ => {
                    let n = self.int(v)?;
                    if n < 0 && data_type.is_unsigned_integer() {
                        return Err(self.err(v, format!("{n} is negative, but {data_type} is unsigned")));
                    }
                    let n = i32::try_from(n)
                        .map_err(|_| self.err(v, format!("{n} is out of range for {data_type} (32-bit storage)")))?;
                    tensor.int32_data.push(n);
                }
            }
        }
        Ok(tensor)
    }

    /// Appends the node of `pair` to `nodes`.
    fn node_into(&mut self, pair: Pair<'_, Rule>, nodes: &mut Vec<NodeProto>) -> Result<()> {
        nodes.push(NodeProto::default());
        let Some(node) = nodes.last_mut() else { return Ok(()) };
        let mut attr_lists = 0;
        for p in items(pair) {
            if p.as_rule() != Rule::attr_list {
                self.node_part(p, node);
                continue;
            }
            attr_lists += 1;
            if attr_lists > 1 {
                return Err(self.err(&p, "attributes are given both before and after the inputs"));
            }
            self.attributes_into(p, &mut node.attribute)?;
        }
        Ok(())
    }

    /// A node's label, outputs, operator or inputs.
    #[inline(never)]
    fn node_part(&self, p: Pair<'_, Rule>, node: &mut NodeProto) {
        match p.as_rule() {
            Rule::node_label => node.name = items(p).next().map(|n| self.string(&n)),
            Rule::node_outputs => node.output = self.id_list(p),
            Rule::node_inputs => node.input = self.id_list(p),
            Rule::qualified_id => {
                let mut parts: Vec<&str> = items(p).map(|i| i.as_str()).collect();
                node.op_type = parts.pop().map(str::to_string);
                node.domain = Some(parts.join("."));
            }
            _ => {}
        }
    }

    /// Appends the attributes of an `attr_list` to `attrs`; a name may appear once.
    fn attributes_into(&mut self, pair: Pair<'_, Rule>, attrs: &mut Vec<AttributeProto>) -> Result<()> {
        let mut names: HashMap<String, usize> = HashMap::new();
        for a in items(pair) {
            let (kind, list, elements) = self.attribute_head(a, attrs, &mut names)?;
            let Some(attr) = attrs.last_mut() else { return Ok(()) };
            if kind != Kind::Graph {
                self.attribute_values(attr, kind, list, elements)?;
                continue;
            }
            for e in elements {
                let graph = self.graph(e)?;
                if list {
                    attr.graphs.push(graph);
                } else {
                    attr.g = Some(graph);
                }
            }
        }
        Ok(())
    }

    /// Names of a node's inputs or outputs: a missing name is `""`, except one after the last
    /// comma (or the only one, in `()`), which is dropped.
    fn id_list(&self, pair: Pair<'_, Rule>) -> Vec<String> {
        let mut ids: Vec<Option<String>> = items(pair).map(|p| items(p).next().map(|n| self.string(&n))).collect();
        if ids.last().is_some_and(Option::is_none) {
            ids.pop();
        }
        ids.into_iter().map(Option::unwrap_or_default).collect()
    }

    /// Appends an attribute with its name and type (not yet its values) to `attrs`, and
    /// returns its kind, whether it is a list, and its value pairs, each checked to be of that
    /// kind. `names` records where each attribute name of the node was first given.
    #[inline(never)]
    fn attribute_head<'i>(
        &mut self,
        pair: Pair<'i, Rule>,
        attrs: &mut Vec<AttributeProto>,
        names: &mut HashMap<String, usize>,
    ) -> Result<(Kind, bool, Vec<Pair<'i, Rule>>)> {
        let pos = pair.as_span().start();
        let mut name = String::new();
        let mut annotation: Option<(Kind, bool)> = None;
        let mut value = None;
        for p in items(pair) {
            match p.as_rule() {
                Rule::ident => name = p.as_str().to_string(),
                Rule::attr_type => annotation = Some(self.attr_type(&p)?),
                Rule::value_list | Rule::value => value = Some(p),
                _ => {}
            }
        }
        let Some(value) = value else { return Err(self.err_at(pos, "attribute without value")) };
        let list = value.as_rule() == Rule::value_list;
        let values: Vec<Pair<'_, Rule>> = if list { items(value.clone()).collect() } else { vec![value.clone()] };
        // Each `value` holds one literal, tensor, type, graph or reference.
        let elements: Vec<Pair<'_, Rule>> = values.into_iter().filter_map(|v| items(v).next()).collect();
        if let Some(bare) = elements.iter().find(|e| e.as_rule() == Rule::bare_name) {
            return Err(self.err(bare, bare_name_message(bare.as_str())));
        }
        if let Some(r) = elements.iter().find(|e| e.as_rule() == Rule::attr_ref) {
            return Err(self.err(
                r,
                "attribute references (`@name`) are not supported: they are only meaningful inside model-local functions",
            ));
        }
        let kind = match annotation {
            Some((_, true)) if !list => {
                return Err(self.err(&value, format!("attribute {name:?} is annotated as a list but has one value")));
            }
            Some((kind, _)) => kind,
            None => match elements.first() {
                Some(first) => Kind::of_value(first).unwrap_or(Kind::Int),
                None => {
                    return Err(self.err(
                        &value,
                        format!(
                            "the empty list of attribute {name:?} needs a type annotation, e.g. `{name}: ints = []`"
                        ),
                    ));
                }
            },
        };
        for e in &elements {
            if kind == Kind::SparseTensor {
                return Err(self.err(e, "sparse tensor attribute values are not supported"));
            }
            let found = Kind::of_value(e);
            let compatible = found == Some(kind) || (kind == Kind::Float && found == Some(Kind::Int));
            if !compatible {
                let what = if list { "an element of this list" } else { "the value" };
                let found = found.map_or("something else", Kind::describe);
                return Err(self.err(e, format!("{what} should be {}, found {found}", kind.describe())));
            }
        }
        self.unique(names, &name, pos, "attribute")?;
        attrs.push(AttributeProto {
            name: Some(name),
            r#type: Some(kind.attribute_type(list) as i32),
            ..Default::default()
        });
        Ok((kind, list, elements))
    }

    /// Sets the values of a non-graph attribute from pairs already checked to be of `kind`.
    #[inline(never)]
    fn attribute_values(
        &mut self,
        attr: &mut AttributeProto,
        kind: Kind,
        list: bool,
        elements: Vec<Pair<'_, Rule>>,
    ) -> Result<()> {
        for e in elements {
            match (kind, list) {
                (Kind::Int, false) => attr.i = Some(self.int(&e)?),
                (Kind::Int, true) => attr.ints.push(self.int(&e)?),
                (Kind::Float, false) => attr.f = Some(self.f32(&e)?),
                (Kind::Float, true) => attr.floats.push(self.f32(&e)?),
                (Kind::String, false) => attr.s = Some(self.bytes(&e)?),
                (Kind::String, true) => attr.strings.push(self.bytes(&e)?),
                (Kind::Tensor, false) => attr.t = Some(self.tensor_constant(e)?),
                (Kind::Tensor, true) => attr.tensors.push(self.tensor_constant(e)?),
                (Kind::TypeProto, false) => attr.tp = Some(self.type_proto(e)?),
                (Kind::TypeProto, true) => attr.type_protos.push(self.type_proto(e)?),
                (Kind::Graph | Kind::SparseTensor, _) => {}
            }
        }
        Ok(())
    }

    /// `ints` → (Int, list), `float` → (Float, single).
    fn attr_type(&self, pair: &Pair<'_, Rule>) -> Result<(Kind, bool)> {
        let text = pair.as_str();
        for (name, kind) in Kind::NAMES {
            if text == name {
                return Ok((kind, false));
            }
            if text.strip_suffix('s') == Some(name) {
                return Ok((kind, true));
            }
        }
        let names: Vec<String> =
            Kind::NAMES.iter().flat_map(|(n, _)| [n.to_string(), format!("{n}s")]).collect::<Vec<_>>();
        Err(self.err(pair, format!("unknown attribute type `{text}` (expected one of {})", names.join(", "))))
    }

    /// An attribute tensor: `float[2] {1.0, 2.0}` or `float[2] name = {...}`; its name is `""`
    /// when not given, as in `onnx.parser`.
    fn tensor_constant(&self, pair: Pair<'_, Rule>) -> Result<TensorProto> {
        let mut tensor_type = None;
        let mut name = String::new();
        let mut data = None;
        for p in items(pair.clone()) {
            match p.as_rule() {
                Rule::tensor_type => tensor_type = Some(p),
                Rule::tensor_values => data = Some(p),
                _ => name = self.string(&p),
            }
        }
        match (tensor_type, data) {
            (Some(t), Some(d)) => self.tensor(t, Some(name), d),
            _ => Err(self.err(&pair, "malformed tensor constant")),
        }
    }

    /// The text of a name or string (unquoted, escapes resolved).
    fn string(&self, pair: &Pair<'_, Rule>) -> String {
        let text = pair.as_str();
        if pair.as_rule() != Rule::string {
            return text.to_string();
        }
        let inner = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
        }
        out
    }

    fn bytes(&self, pair: &Pair<'_, Rule>) -> Result<Bytes> {
        if pair.as_rule() != Rule::string {
            return Err(self.err(pair, "expected a string"));
        }
        Ok(Bytes::from(self.string(pair)))
    }

    fn int(&self, pair: &Pair<'_, Rule>) -> Result<i64> {
        if pair.as_rule() != Rule::int_lit {
            return Err(self.err(pair, format!("expected an integer, found `{}`", pair.as_str())));
        }
        pair.as_str()
            .parse()
            .map_err(|_| self.err(pair, format!("{} is out of range for a 64-bit integer", pair.as_str())))
    }

    fn uint(&self, pair: &Pair<'_, Rule>) -> Result<u64> {
        if pair.as_rule() != Rule::int_lit {
            return Err(self.err(pair, format!("expected an integer, found `{}`", pair.as_str())));
        }
        if pair.as_str().starts_with('-') {
            return Err(self.err(pair, format!("{} is negative, but the element type is unsigned", pair.as_str())));
        }
        pair.as_str()
            .parse()
            .map_err(|_| self.err(pair, format!("{} is out of range for an unsigned 64-bit integer", pair.as_str())))
    }

    /// A number as f64: decimal, or `inf`/`infinity`/`nan` in any case, optionally negative.
    fn number(&self, pair: &Pair<'_, Rule>) -> Result<f64> {
        let text = pair.as_str();
        if !matches!(pair.as_rule(), Rule::int_lit | Rule::float_lit) {
            return Err(self.err(pair, format!("expected a number, found `{text}`")));
        }
        let (negative, magnitude) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let value = match magnitude.to_ascii_lowercase().as_str() {
            "inf" | "infinity" => f64::INFINITY,
            "nan" => f64::NAN,
            digits => digits.parse::<f64>().map_err(|_| self.err(pair, format!("`{text}` is not a number")))?,
        };
        Ok(if negative { -value } else { value })
    }

    fn is_special(pair: &Pair<'_, Rule>) -> bool {
        pair.as_str().trim_start_matches('-').starts_with(|c: char| c.is_ascii_alphabetic())
    }

    fn f64(&self, pair: &Pair<'_, Rule>) -> Result<f64> {
        let value = self.number(pair)?;
        if value.is_infinite() && !Self::is_special(pair) {
            return Err(self.err(pair, format!("{} is out of range for a 64-bit float", pair.as_str())));
        }
        Ok(value)
    }

    fn f32(&self, pair: &Pair<'_, Rule>) -> Result<f32> {
        let value = self.number(pair)?;
        if Self::is_special(pair) {
            return Ok(value as f32);
        }
        // Parse as f32 directly: rounding through f64 first could round twice.
        let text = pair.as_str();
        let single: f32 = text.parse().map_err(|_| self.err(pair, format!("`{text}` is not a number")))?;
        if single.is_infinite() {
            return Err(self.err(pair, format!("{text} is out of range for a 32-bit float")));
        }
        Ok(single)
    }
}

/// Turns a pest error into a [`TextError`]: "expected X or Y, found Z" at the furthest position
/// the grammar reached.
fn syntax_error(e: &pest::error::Error<Rule>, text: &str, file: &str) -> TextError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) | pest::error::InputLocation::Span((p, _)) => p,
    };
    let message = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let rest = &text[pos.min(text.len())..];
            if rest.starts_with('"') && closing_quote(rest).is_none() {
                "unterminated string (no closing `\"`)".to_string()
            } else {
                let mut names: Vec<&str> = Vec::new();
                for r in positives {
                    let name = describe(*r);
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                let expected = match names.as_slice() {
                    [] => "unexpected input".to_string(),
                    [one] => format!("expected {one}"),
                    [init @ .., last] => format!("expected {} or {last}", init.join(", ")),
                };
                format!("{expected}, found {}", found(rest))
            }
        }
        // The grammar's own recursion guard ("stack limit reached") and the like.
        pest::error::ErrorVariant::CustomError { message } => format!("the text nests too deeply to parse ({message})"),
    };
    // At the end of the input, point just after the last text rather than at a blank last line.
    let pos =
        if text.get(pos..).is_some_and(|rest| rest.trim().is_empty()) { pos.min(text.trim_end().len()) } else { pos };
    TextError::at(file, text, pos, message)
}

/// The token at the start of `rest`, for "found ..." in messages.
fn found(rest: &str) -> String {
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').take(24).collect();
    match rest.chars().next() {
        None => "end of input".to_string(),
        Some('"') => {
            let quoted = closing_quote(rest).map_or(rest, |end| &rest[..=end]);
            let quoted = quoted.lines().next().unwrap_or_default();
            let short: String = quoted.chars().take(24).collect();
            if short.len() < quoted.len() { format!("`{short}...`") } else { format!("`{quoted}`") }
        }
        Some(_) if !word.is_empty() => format!("`{word}`"),
        Some(c) => format!("`{c}`"),
    }
}

/// The byte offset of the quote that closes the string `rest` starts with, if any.
fn closing_quote(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// Names grammar rules as a user thinks of them, for "expected ..." messages.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::lt => "`<`",
        Rule::gt => "`>`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
        Rule::dot => "`.`",
        Rule::arrow => "`=>`",
        Rule::eq => "`=`",
        Rule::at => "`@`",
        Rule::question => "`?`",
        Rule::EOI | Rule::trailing => "end of input",
        Rule::ident | Rule::opt_id | Rule::node_outputs => "a name",
        Rule::string => "a string",
        Rule::qualified_id => "an operator name",
        Rule::int_lit => "an integer",
        Rule::float_lit => "a number",
        Rule::header => "a model header `<...>`",
        Rule::ir_version | Rule::kw_ir_version => "`ir_version`",
        Rule::opset_import | Rule::kw_opset_import => "`opset_import`",
        Rule::producer_name | Rule::kw_producer_name => "`producer_name`",
        Rule::producer_version | Rule::kw_producer_version => "`producer_version`",
        Rule::model_domain | Rule::kw_domain => "`domain`",
        Rule::model_version | Rule::kw_model_version => "`model_version`",
        Rule::doc_string | Rule::kw_doc_string => "`doc_string`",
        Rule::metadata_props | Rule::kw_metadata_props => "`metadata_props`",
        Rule::opset => "an operator set `\"domain\": version`",
        Rule::str_str_list => "a list of `\"key\": \"value\"` pairs",
        Rule::str_str => "a `\"key\": \"value\"` pair",
        Rule::graph => "a graph",
        Rule::input_list | Rule::output_list => "a value list `(...)`",
        Rule::initializer_list => "an initializer list `<...>`",
        Rule::value_info | Rule::value_or_init => "a value (`float[N] X` or a name)",
        Rule::tensor_values => "tensor values `{...}`",
        Rule::type_
        | Rule::tensor_type
        | Rule::prim_type
        | Rule::unknown_prim_type
        | Rule::seq_type
        | Rule::map_type
        | Rule::optional_type
        | Rule::sparse_tensor_type
        | Rule::opaque_type
        | Rule::kw_seq
        | Rule::kw_map
        | Rule::kw_optional
        | Rule::kw_sparse_tensor
        | Rule::kw_opaque => "a type",
        Rule::shape => "a shape `[...]`",
        Rule::dim => "a dimension (an integer, a name or `?`)",
        Rule::node_list => "a node list `{...}`",
        Rule::node => "a node",
        Rule::node_label => "a node label `[...]`",
        Rule::node_inputs => "an input list `(...)`",
        Rule::attr_list => "an attribute list `<...>`",
        Rule::attr => "an attribute",
        Rule::attr_type => "an attribute type",
        Rule::value | Rule::value_list | Rule::attr_ref | Rule::tensor_constant | Rule::bare_name => {
            "an attribute value"
        }
        Rule::model => "a model (a header `<...>` or a graph)",
        _ => "a token",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> ModelProto {
        parse(text, "t.onnxtxt").unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(text: &str) -> TextError {
        parse(text, "t.onnxtxt").expect_err("should fail")
    }

    fn node(body: &str) -> NodeProto {
        let m = model(&format!("g (float X) => (float Y) {{ {body} }}"));
        m.graph.unwrap().node.into_iter().next().unwrap()
    }

    #[test]
    fn id_lists_drop_only_a_missing_last_name() {
        assert_eq!(node("Y = Op(X, , , )").input, ["X", "", ""]);
        assert_eq!(node("Y = Op(,)").input, [""]);
        assert_eq!(node("Y = Op()").input, Vec::<String>::new());
        assert_eq!(node("Y = Op(X, \"\")").input, ["X", ""]);
        assert_eq!(node(", Y = Op(X)").output, ["", "Y"]);
        assert_eq!(node("= Op(X)").output, Vec::<String>::new());
    }

    #[test]
    fn scalars_have_an_empty_shape_and_brackets_alone_no_shape() {
        let g = model("g (float A, float[] B, float[?, N, 3] C) => () {}").graph.unwrap();
        let shape = |i: usize| match &g.input[i].r#type.as_ref().unwrap().value {
            Some(type_proto::Value::TensorType(t)) => t.shape.clone(),
            _ => panic!(),
        };
        assert_eq!(shape(0), Some(TensorShapeProto::default()));
        assert_eq!(shape(1), None);
        let dims = shape(2).unwrap().dim;
        assert_eq!(dims[0].value, None);
        assert_eq!(dims[1].value, Some(dimension::Value::DimParam("N".into())));
        assert_eq!(dims[2].value, Some(dimension::Value::DimValue(3)));
    }

    #[test]
    fn attribute_kinds() {
        let n = node(
            r#"Y = Op <i = -3, f = 1e-5, s = "a\"b", is = [1, 2], fs = [1.5, 2], ss = ["x"], e: ints = [],
                   t = int64[2] {4, 5}, tp = seq(float[2]), inf = -inf> (X)"#,
        );
        let a = |name: &str| n.attribute.iter().find(|a| a.name() == name).unwrap().clone();
        assert_eq!((a("i").i, a("i").r#type()), (Some(-3), AttributeType::Int));
        assert_eq!(a("f").f, Some(1e-5));
        assert_eq!(a("s").s.as_deref(), Some(&b"a\"b"[..]));
        assert_eq!(a("is").ints, [1, 2]);
        assert_eq!(a("fs").floats, [1.5, 2.0]);
        assert_eq!(a("ss").r#type(), AttributeType::Strings);
        assert_eq!((a("e").r#type(), a("e").ints.len()), (AttributeType::Ints, 0));
        let t = a("t").t.unwrap();
        assert_eq!((t.name.as_deref(), t.dims.as_slice(), t.int64_data.as_slice()), (Some(""), &[2][..], &[4, 5][..]));
        assert!(matches!(a("tp").tp.unwrap().value, Some(type_proto::Value::SequenceType(_))));
        assert_eq!(a("inf").f, Some(f32::NEG_INFINITY));
    }

    #[test]
    fn tensor_values_go_where_onnx_parser_puts_them() {
        let n = node(
            r#"Y = Op <a = float16[2] {15360, 0}, b = uint64[1] {18446744073709551615}, c = double {0.1},
                   d = bool[2] {1, 0}, e = string[1] {"x"}, f = complex64[1] {1, 2}> (X)"#,
        );
        let t = |i: usize| n.attribute[i].t.clone().unwrap();
        assert_eq!(t(0).int32_data, [15360, 0]);
        assert_eq!(t(1).uint64_data, [u64::MAX]);
        assert_eq!((t(2).double_data.as_slice(), t(2).dims.len()), (&[0.1][..], 0));
        assert_eq!(t(3).int32_data, [1, 0]);
        assert_eq!(t(4).string_data, [Bytes::from_static(b"x")]);
        assert_eq!(t(5).float_data, [1.0, 2.0]);
    }

    #[test]
    fn errors_point_at_the_token() {
        let e = error("g (float X) => (float Y) {\n  Y = Op(X Z)\n}");
        assert_eq!((e.line, e.col), (2, 12), "{e}");
        assert_eq!(e.message, "expected `)` or `,`, found `Z`");
        assert_eq!(e.to_string(), "t.onnxtxt:2:12: expected `)` or `,`, found `Z`\n    Y = Op(X Z)\n             ^");
        let e = error("g (float X) => (float Y) {\n\tY = Op<a = \"x>(X)\n}");
        assert_eq!((e.line, e.col, e.message.as_str()), (2, 13, "unterminated string (no closing `\"`)"));
        assert!(e.to_string().ends_with("\n  \tY = Op<a = \"x>(X)\n  \t           ^"), "{e}");
    }

    #[test]
    fn crlf_tabs_and_comments_are_blanks() {
        let lf = "# header\ng (float X) => (float Y)\n{\n\tY = Relu(X) # trailing\n}\n";
        assert_eq!(model(lf), model(&lf.replace('\n', "\r\n")));
        let e = error("g (float X) => (float Y)\r\n{\r\n  Y = Relu(X\r\n}\r\n");
        assert_eq!((e.line, e.col, e.source_line.as_str()), (4, 1, "}"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("g ({}float{} X) => () {{}}", "seq(".repeat(200), ")".repeat(200));
        let e = error(&deep);
        assert!(e.message.contains("nesting is deeper than 64 levels"), "{e}");
        let ok = format!("g ({}float{} X) => () {{}}", "seq(".repeat(60), ")".repeat(60));
        model(&ok);
    }
}
