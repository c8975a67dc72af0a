//! `insert-layout-converters`: connects kernels on chip. A stream that a kernel result was
//! written back through (`dataflow.dma_store`) is delivered directly to every kernel that reads
//! the stored tensor as a stream (its `reads` entry), instead of through external memory:
//!
//! - where the producer's itensor type equals the one the consumer reads, the stream is wired
//!   straight in;
//! - where they differ, a `dataflow.converter` re-streams it, with the buffer given by
//!   StreamTensor's minimal-buffer rule ([`dnnc_dataflow::min_buffer`]: walking the two loop
//!   nests from the outermost in, a buffer dim shrinks to the tile while both sides walk the
//!   same tensor dim with the same trips and step at the same position; the rest is full) and
//!   two (ping-pong) copies of it;
//! - a stream with several consumers goes through a `dataflow.fork`.
//!
//! The store stays only for the tensor's other users (function results, kernels reading it
//! whole); with none left it is erased.

use dnnc_dataflow::{CONVERTER, DMA_STORE, FORK, ITensor, KERNEL, converter_bytes, min_buffer};
use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    Attribute, Changed, Context, Diagnostics, OpId, OperationState, Pass, PassContext, PassInfo, TypeId, ValueId,
};

pub static INFO: PassInfo = PassInfo {
    argument: "insert-layout-converters",
    summary: "Stream kernel results to their consumers on chip, with layout converters where itensor types differ",
    description: "For every dma_store of a stream whose tensor some kernel reads as a stream: wire \
        the producer to that kernel directly when the itensor types are equal, else through a \
        dataflow.converter sized by the minimal-buffer rule; several consumers share the stream \
        through a dataflow.fork. A store left without users is erased.",
    anchor: None,
    options: &[],
    statistics: &[
        ("direct", "consumers wired to their producer's stream unchanged"),
        ("converters", "layout converters inserted"),
        ("converter-bytes", "on-chip bytes of the converters (two buffers each)"),
        ("forks", "forks inserted"),
        ("stores-erased", "write-backs no longer needed"),
    ],
    create,
};

fn create(_: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(InsertLayoutConverters))
}

struct InsertLayoutConverters;

/// Where a stream goes: the consumer op, its operand slot, and the itensor it reads there.
#[derive(Clone, Copy)]
struct Route {
    op: OpId,
    index: usize,
    want: TypeId,
}

/// The kernels that read `tensor` as a stream, in use order.
fn stream_readers(cx: &Context, tensor: ValueId) -> Vec<Route> {
    let mut out = Vec::new();
    for u in cx.uses(tensor) {
        if !cx.is(u.op, KERNEL) {
            continue;
        }
        if let Some(Attribute::Type(want)) =
            cx.attr(u.op, "reads").and_then(Attribute::as_array).and_then(|r| r.get(u.index as usize))
        {
            out.push(Route { op: u.op, index: u.index as usize, want: *want });
        }
    }
    out
}

/// Inserts `dataflow.fork` of `stream` into `n` copies right after `after`; returns them.
pub fn fork(cx: &mut Context, stream: ValueId, n: usize, after: OpId) -> Vec<ValueId> {
    let ty = cx.value_type(stream);
    let name = cx.op_name(FORK);
    let loc = cx.loc(after).clone();
    let f = cx.create_op(OperationState::new(name).operands([stream]).results(vec![ty; n]).loc(loc));
    cx.insert_op_after(after, f);
    cx.results(f).collect()
}

/// Inserts a converter from `stream` to layout `want` before `before`; returns its output and
/// its bytes.
pub fn converter(cx: &mut Context, stream: ValueId, want: TypeId, before: OpId) -> (ValueId, i64) {
    let from = ITensor::of(cx, cx.value_type(stream)).expect("converter input is a stream");
    let to = ITensor::of(cx, want).expect("converter output is a stream");
    let buffer = min_buffer(&from, &to);
    let bytes = converter_bytes(&buffer, from.elem_bits);
    let name = cx.op_name(CONVERTER);
    let loc = cx.loc(before).clone();
    let c = cx.create_op(
        OperationState::new(name)
            .operands([stream])
            .results([want])
            .attr("buffer", Attribute::i64_array(&buffer))
            .attr("bytes", Attribute::i64(bytes))
            .loc(loc),
    );
    cx.insert_op_before(before, c);
    (cx.result(c, 0), bytes)
}

impl Pass for InsertLayoutConverters {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let stores: Vec<OpId> = cx
            .nested_ops(root)
            .into_iter()
            .filter(|&o| cx.is(o, DMA_STORE) && ITensor::of(cx, cx.value_type(cx.operand(o, 0))).is_some())
            .collect();
        let mut changed = false;
        for store in stores {
            let tensor = cx.result(store, 0);
            let routes: Vec<Route> = stream_readers(cx, tensor)
                .into_iter()
                .filter(|r| cx.parent_block(r.op) == cx.parent_block(store))
                .collect();
            if routes.is_empty() {
                continue;
            }
            changed = true;
            let stream = cx.operand(store, 0);
            let keep_store = cx.uses(tensor).len() > routes.len();
            let n = routes.len() + usize::from(keep_store);
            let copies = if n > 1 {
                pcx.add_stat("forks", 1);
                fork(cx, stream, n, store)
            } else {
                vec![stream]
            };
            for (r, &copy) in routes.iter().zip(&copies) {
                let v = if cx.value_type(copy) == r.want {
                    pcx.add_stat("direct", 1);
                    copy
                } else {
                    let (v, bytes) = converter(cx, copy, r.want, r.op);
                    pcx.add_stat("converters", 1);
                    pcx.add_stat("converter-bytes", bytes as u64);
                    v
                };
                cx.set_operand(r.op, r.index, v);
            }
            if keep_store {
                let last = *copies.last().expect("a copy for the store");
                cx.set_operand(store, 0, last);
                // The fork was placed after the store; the store must follow it.
                if let Some(f) = cx.defining_op(last).filter(|&f| f != store && cx.is(f, FORK)) {
                    cx.detach_op(store);
                    cx.insert_op_after(f, store);
                }
            } else {
                cx.erase_op(store);
                pcx.add_stat("stores-erased", 1);
            }
        }
        Ok(changed.into())
    }
}

#[cfg(test)]
mod tests {
    use dnnc_dataflow::{ITensor, min_buffer};
    use dnnc_ir::{AffineMap, TypeId};

    /// The rule on the two cases the pass meets most: identical types (no converter is
    /// inserted; the rule would keep one tile) and a transpose (everything buffered).
    #[test]
    fn minimal_buffer_identical_and_transposed() {
        let row = ITensor::regular(&[64, 32], TypeId::F16, 16, &[16, 16], &[0, 1]);
        assert_eq!(min_buffer(&row, &row), [16, 16]);
        let col = ITensor::regular(&[64, 32], TypeId::F16, 16, &[16, 16], &[1, 0]);
        assert_eq!(col.map, AffineMap::permutation(&[1, 0]));
        assert_eq!(min_buffer(&row, &col), [64, 32]);
        // Same outer rows, columns in halves of the producer's tiles: one producer tile.
        let halves = ITensor::regular(&[64, 32], TypeId::F16, 16, &[16, 8], &[0, 1]);
        assert_eq!(min_buffer(&row, &halves), [16, 16]);
        // Columns walked outermost by the consumer: the whole tensor.
        let columns = ITensor::regular(&[64, 32], TypeId::F16, 16, &[16, 8], &[1, 0]);
        assert_eq!(min_buffer(&row, &columns), [64, 32]);
        assert_eq!(dnnc_dataflow::converter_bytes(&[16, 32], 16), 2048);
    }
}
