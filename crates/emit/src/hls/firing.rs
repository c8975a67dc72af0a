//! Streaming kernel bodies: a kernel whose input streams follow its loop nest computes firing
//! by firing, holding no tensor.
//!
//! `convert-to-dataflow` reads every operand as the stream its kernel's loop nest implies
//! (docs/dataflow.md §3): loops over the dims the operand's map uses walk it, the other loops
//! with more than one trip stream the same tiles again, so each stream delivers exactly one
//! token per firing — the operand's tile at that firing. The reuse a loop order needs is
//! therefore already in the stream (a re-streamed operand), and such a kernel needs no copy of
//! its inputs: each firing reads one token per input stream, computes on the tokens, and
//!
//! - an elementwise, data-movement or normalising einsum (whose normalised dims a firing
//!   holds whole) writes its result tile at once;
//! - a MAC or a plain reduction adds the firing's partial result into an accumulator and writes
//!   an output tile in the firing that completes its reduction. The accumulator holds one
//!   output tile when the reduced loops are innermost (output-stationary, the default nest),
//!   and the tiles of the result loops nested inside the outermost reduced loop otherwise —
//!   exactly the partial sums that are live at once.
//!
//! A stream that does not follow the nest (or a kernel of several einsums) falls back to the
//! buffered form in hls.rs, which says so in the emitted code.

use dnnc_dataflow::{ITensor, Loop, NestAccess, Origin, kernel_loops, nest_access};
use dnnc_ir::{AffineExpr, AffineMap, Attribute, OpId, ValueDef};

use super::{
    Buf, Code, EinsumCtx, Emitter, LocalBuffer, access, ctype, einsum, firing_origin, guarded, linear, lowest, uses,
};
use crate::kernels::{ident, port_name};

/// The einsum dims of `loops` with their tiles, as `dnnc_dataflow::nest_access` takes them
/// (`None` if a loop walks a dim the einsum lacks).
fn nest_of(loops: &[Loop], dims: &[&str]) -> Option<Vec<(usize, i64)>> {
    loops.iter().map(|l| Some((dims.iter().position(|&x| x == l.dim)?, l.tile))).collect()
}

/// The access through `map` under the kernel's loops if itensor `t` is the stream it reads
/// (`reread`) or writes, in the form `convert-to-dataflow` builds it.
fn nest_stream(
    t: &ITensor,
    map: &AffineMap,
    loops: &[Loop],
    dims: &[&str],
    sizes: &[i64],
    reread: bool,
) -> Option<NestAccess> {
    let a = nest_access(map, &nest_of(loops, dims)?, sizes, reread)?;
    (a.tile == t.tile && a.trips == t.trips && a.steps == t.steps && a.map == t.map).then_some(a)
}

/// Per tensor dim of an access, the C++ expression of the firing's first coordinate.
fn tile_origin(access: &NestAccess, loops: &[Loop], dims: &[&str]) -> Vec<String> {
    access
        .origin
        .iter()
        .map(|o| match *o {
            Origin::Loop { dim, mul, div } if loops.iter().any(|l| l.dim == dims[dim]) => {
                let first = firing_origin(dims[dim]);
                let first = if mul == 1 { first } else { format!("({first} * {mul}LL)") };
                if div == 1 { first } else { format!("({first} / {div}LL)") }
            }
            _ => "0".into(),
        })
        .collect()
}

/// A stream read by the kernel, as [`Emitter::kernel`] collects it: port, itensor, token type.
pub(super) type StreamPort = (usize, ITensor, String);

impl Emitter<'_> {
    /// The body of kernel `ni` as a streaming kernel, or `Err(why not)` when its streams do not
    /// follow its loop nest (then nothing has been written to `code`).
    pub(super) fn firing_kernel(
        &mut self,
        ni: usize,
        reads: &[StreamPort],
        writes: &[StreamPort],
        ii: i64,
        par: i64,
        code: &mut Code,
    ) -> Result<Result<(), String>, String> {
        let cx = self.cx;
        let node = &self.topo.nodes[ni];
        let (op, kname) = (node.op, node.name.clone());
        let Some(body) = cx.body(op, 0) else { return Ok(Err("it has no body".into())) };
        let ops: Vec<OpId> = cx.block_ops(body).collect();
        let ([o, y], [(_, tout, tokout)]) = (ops.as_slice(), writes) else {
            let n = ops.iter().filter(|&&o| cx.is(o, dnnc_einsum::OP)).count();
            return Ok(Err(format!("a kernel of {n} einsums computes on whole tensors")));
        };
        let (o, y) = (*o, *y);
        let Some(e) = dnnc_einsum::Einsum::of(cx, o) else { return Ok(Err("its body is not an einsum".into())) };
        if !cx.is(y, dnnc_dataflow::YIELD) || cx.operands(y) != [cx.result(o, 0)] {
            return Ok(Err("its body does not yield its einsum".into()));
        }
        let loops = kernel_loops(cx, op).map_err(|e| format!("kernel {kname}: {e}"))?;
        for (k, l) in loops.iter().enumerate() {
            if !e.dims.contains(&l.dim.as_str()) || loops[..k].iter().any(|m| m.dim == l.dim) {
                return Ok(Err("its loops do not walk the einsum's dims once each".into()));
            }
        }
        if e.maps.len() != cx.operands(o).len() + 1 {
            return Ok(Err("its maps do not match its operands".into()));
        }
        // Each einsum operand: one token of a stream that follows the nest, or a tensor port.
        let mut ins = Vec::new();
        let mut streamed: Vec<usize> = Vec::new();
        for (i, &v) in cx.operands(o).iter().enumerate() {
            let ValueDef::BlockArg { index, .. } = cx.value_def(v) else {
                return Ok(Err("an operand is not a kernel input".into()));
            };
            let port = index as usize;
            let (full, elem) = dnnc_dataflow::viewed_shape(cx, cx.value_type(cx.operand(op, port)))
                .ok_or_else(|| format!("kernel {kname}: operand #{port} is not a tensor or stream"))?;
            let c = ctype(cx, elem).map_err(|e| format!("kernel {kname}: {e}"))?;
            match reads.iter().find(|r| r.0 == port) {
                Some((_, t, _)) => {
                    let Some(access) = nest_stream(t, e.maps[i], &loops, &e.dims, &e.sizes, true) else {
                        return Ok(Err(format!("the stream of in{port} does not follow the loop nest")));
                    };
                    ins.push(Buf {
                        name: format!("tk{port}.v"),
                        shape: t.tile.clone(),
                        ctype: c,
                        full,
                        origin: Some(tile_origin(&access, &loops, &e.dims)),
                        stripe: None,
                    });
                    if !streamed.contains(&port) {
                        streamed.push(port);
                    }
                }
                None => {
                    let name = self.tensor_arg(cx.operand(op, port), &kname)?;
                    let bits = cx.type_data(elem).scalar_bits().unwrap_or(8);
                    ins.push(self.memory_buf(&name, &port_name(true, port), full, c, bits));
                }
            }
        }
        if let Some((p, _, _)) = reads.iter().find(|r| !streamed.contains(&r.0)) {
            return Ok(Err(format!("its einsum does not read stream in{p}")));
        }
        let omap = e.maps[e.maps.len() - 1];
        let Some(oaccess) = nest_stream(tout, omap, &loops, &e.dims, &e.sizes, false) else {
            return Ok(Err("its result stream does not follow the loop nest".into()));
        };
        let normalized = cx.attr(o, "normalized").and_then(Attribute::as_int_array);
        if let Some(norm) = &normalized {
            let split = norm.iter().any(|&d| {
                let d = d as usize;
                d >= e.dims.len() || loops.iter().any(|l| l.dim == e.dims[d] && l.tile < e.sizes[d])
            });
            if split {
                return Ok(Err("a firing does not hold the normalised dims whole".into()));
            }
        }
        let accumulate = e.kind == "mac" || (e.kind == "reduction" && normalized.is_none());
        let out_c = ctype(cx, tout.elem)?;
        let ofull = tout.full_shape();
        let oorigin = tile_origin(&oaccess, &loops, &e.dims);
        // Reduced loops: over dims the result does not use. The accumulator spans, per result
        // dim, the whole dim when its loop runs inside the outermost reduced loop of several
        // trips (those tiles' partial sums are live together), else the firing's tile.
        let reduced: Vec<&Loop> = loops
            .iter()
            .filter(|l| {
                let d = e.dims.iter().position(|x| *x == l.dim).expect("checked") as u32;
                l.trips > 1 && !omap.results.iter().any(|r| uses(r, d))
            })
            .collect();
        let first_reduced = loops.iter().position(|l| reduced.iter().any(|r| r.dim == l.dim));
        let mut acc = None;
        if accumulate {
            let mut shape = Vec::new();
            let mut origin = Vec::new();
            for (r, res) in omap.results.iter().enumerate() {
                let live = match res {
                    AffineExpr::Dim(d) => loops
                        .iter()
                        .position(|l| l.dim == e.dims[*d as usize])
                        .is_some_and(|p| first_reduced.is_some_and(|f| p > f) && loops[p].trips > 1),
                    _ => false,
                };
                shape.push(if live { ofull[r] } else { tout.tile[r] });
                origin.push(if live { "0".to_string() } else { oorigin[r].clone() });
            }
            let elems: i64 = shape.iter().product();
            let what = if elems == tout.tile_elems() {
                "one output tile".to_string()
            } else {
                format!(
                    "the output tiles of the result loops inside the reduced loop {}",
                    loops[first_reduced.unwrap_or(0)].dim
                )
            };
            self.buffers.push(LocalBuffer {
                node: kname.clone(),
                name: "acc".into(),
                elems,
                bytes: elems * ((tout.elem_bits as i64 + 7) / 8),
                role: "accumulator",
            });
            code.line(format!("// accumulator: {what} ({elems} partial results)"));
            code.line(format!("{out_c} acc[{elems}];"));
            if par >= elems {
                code.line("#pragma HLS ARRAY_PARTITION variable=acc complete");
            } else if par > 1 {
                code.line(format!("#pragma HLS ARRAY_PARTITION variable=acc cyclic factor={par}"));
            }
            acc = Some(Buf {
                name: "acc".into(),
                shape,
                ctype: out_c,
                full: ofull.clone(),
                origin: Some(origin),
                stripe: None,
            });
        }
        code.line(format!(
            "// streaming: each firing reads one token per input stream (its tile of the loop nest){}",
            if accumulate {
                ", adds into the accumulator, and writes an output tile when its reduction is complete"
            } else {
                " and writes one output tile"
            }
        ));
        // The firing loops (a loop of one trip is only its origin).
        code.open("{");
        let mut opened = 1;
        for l in &loops {
            let (f, o) = (format!("f_{}", ident(&l.dim)), firing_origin(&l.dim));
            if l.trips == 1 {
                code.line(format!("const long long {o} = 0;"));
                code.line(format!("(void){o};"));
                continue;
            }
            code.open(format!("fire_{}: for (long long {f} = 0; {f} < {}LL; ++{f}) {{", ident(&l.dim), l.trips));
            code.line(format!("const long long {o} = {f} * {}LL;", l.tile));
            opened += 1;
        }
        for &port in &streamed {
            let tok = &reads.iter().find(|r| r.0 == port).expect("a stream port").2;
            code.line(format!("const {tok} tk{port} = in{port}.read();"));
        }
        let ctx = EinsumCtx { kernel: &kname, loops: &loops, ii, par, firing: true };
        match acc {
            None => {
                code.line(format!("{tokout} to;"));
                code.line(format!("for (int z = 0; z < {}; ++z) to.v[z] = ({out_c})0;", tout.tile_elems()));
                let out = Buf {
                    name: "to.v".into(),
                    shape: tout.tile.clone(),
                    ctype: out_c,
                    full: ofull,
                    origin: Some(oorigin),
                    stripe: None,
                };
                einsum(cx, o, &ins, &out, &ctx, code)?;
                code.line("out0.write(to);");
            }
            Some(acc) => {
                let at = |f: &dyn Fn(&Loop) -> String| -> Option<String> {
                    let c: Vec<String> = reduced.iter().map(|l| f(l)).collect();
                    (!c.is_empty()).then(|| c.join(" && "))
                };
                let first = at(&|l| format!("f_{} == 0", ident(&l.dim)));
                let last = at(&|l| format!("f_{} == {}LL", ident(&l.dim), l.trips - 1));
                self.accumulate(o, &e, &ins, &acc, tout, tokout, &oorigin, &first, &last, &ctx, code).map_err(|w| {
                    format!(
                        "kernel {kname}: einsum '{}' of kind {} cannot be emitted as HLS C++: {w}",
                        e.source, e.kind
                    )
                })?;
            }
        }
        for _ in 0..opened {
            code.close();
        }
        Ok(Ok(()))
    }

    /// One firing of a MAC or plain reduction: initialise the output tile's partial results
    /// on the first reduced iteration, add the firing's tile, write the tile on the last.
    #[allow(clippy::too_many_arguments)]
    fn accumulate(
        &mut self,
        o: OpId,
        e: &dnnc_einsum::Einsum,
        ins: &[Buf],
        acc: &Buf,
        tout: &ITensor,
        tokout: &str,
        oorigin: &[String],
        first: &Option<String>,
        last: &Option<String>,
        ctx: &EinsumCtx,
        code: &mut Code,
    ) -> Result<(), String> {
        let cx = self.cx;
        let t = acc.ctype;
        let source = e.source.strip_prefix("graph.").unwrap_or(e.source);
        let vs = super::vars(&e.dims);
        let ofull = tout.full_shape();
        // The element of accumulator `acc` at output coordinates `coords`.
        let acc_at = |acc: &Buf, coords: &[String]| -> String {
            let origin = acc.origin.as_ref().expect("an accumulator has an origin");
            let idx: Vec<String> = coords
                .iter()
                .zip(origin)
                .map(|(c, o)| if o == "0" { c.clone() } else { format!("{c} - {o}") })
                .collect();
            acc.at(&linear(&idx, &acc.shape))
        };
        // Per accumulator element: its initial value, the update from one iteration point,
        // and for a mean the divisor when the tile is written (with a count of the points
        // inside the tensor for windows that overhang a padded edge).
        let (init, update, mean) = match e.kind {
            "mac" => {
                if ins.len() != 2 {
                    return Err("a MAC einsum multiplies two operands".into());
                }
                if source == "gemm" {
                    for key in ["alpha", "beta"] {
                        if super::attr_f(cx, o, key).is_some_and(|v| v != 1.0) {
                            return Err(format!("gemm {key} != 1 is not represented in the einsum"));
                        }
                    }
                }
                let (ga, ia) = access(e.maps[0], &ins[0], &vs, &e.sizes);
                let (gb, ib) = access(e.maps[1], &ins[1], &vs, &e.sizes);
                let guards: Vec<String> = ga.into_iter().chain(gb).collect();
                let stmt = format!("{{a}} += ({t}){} * ({t}){};", ins[0].at(&ia), ins[1].at(&ib));
                (format!("({t})0"), (guards, stmt), None)
            }
            _ => {
                let op = super::plain_reduction(source, e.source, ins.len())?;
                let (g, ix) = access(e.maps[0], &ins[0], &vs, &e.sizes);
                let x = format!("({t}){}", ins[0].at(&ix));
                let include_pad = super::attr_f(cx, o, "count_include_pad").unwrap_or(0.0) != 0.0;
                let window: i64 = (0..e.dims.len())
                    .filter(|&d| !e.maps[1].results.iter().any(|r| uses(r, d as u32)))
                    .map(|d| e.sizes[d])
                    .product();
                let counted = op == "mean" && !g.is_empty() && !include_pad;
                let init = if op == "max" { lowest(t) } else { format!("({t})0") };
                let mut stmt =
                    if op == "max" { format!("if ({x} > {{a}}) {{a}} = {x};") } else { format!("{{a}} += {x};") };
                if counted {
                    stmt.push_str(" {n} += 1;");
                }
                let mean = (op == "mean").then_some(if counted { None } else { Some(window) });
                (init, (g, stmt), mean)
            }
        };
        let counted = matches!(mean, Some(None));
        if counted {
            let elems = acc.elems();
            code.line(format!("long long cnt[{elems}];"));
            self.buffers.push(LocalBuffer {
                node: ctx.kernel.to_string(),
                name: "cnt".into(),
                elems,
                bytes: elems * 8,
                role: "accumulator",
            });
        }
        let cnt = Buf { name: "cnt".into(), ..acc.clone() };
        // Without reduced loops every firing completes its tile.
        let when = |code: &mut Code, cond: &Option<String>| match cond {
            Some(c) => code.open(format!("if ({c}) {{")),
            None => code.open("{"),
        };
        when(code, first);
        self.tile_loop(code, tout, &ofull, oorigin, |code, coords, _| {
            code.line(format!("{} = {init};", acc_at(acc, coords)));
            if counted {
                code.line(format!("{} = 0;", acc_at(&cnt, coords)));
            }
        });
        code.close();
        // The firing's iteration points, each into the accumulator element the result map gives.
        let (_, aidx) = access(e.maps[e.maps.len() - 1], acc, &vs, &e.sizes);
        let opened = super::open_nest(code, &e.dims, &e.sizes, ctx, true, "acc");
        let (guards, stmt) = update;
        guarded(code, &guards, &stmt.replace("{a}", &acc.at(&aidx)).replace("{n}", &cnt.at(&aidx)));
        super::close_n(code, opened);
        when(code, last);
        code.line(format!("{tokout} to;"));
        code.line(format!("for (int z = 0; z < {}; ++z) to.v[z] = ({t})0;", tout.tile_elems()));
        self.tile_loop(code, tout, &ofull, oorigin, |code, coords, el| {
            let a = acc_at(acc, coords);
            match mean {
                Some(Some(w)) => code.line(format!("to.v[{el}] = {a} / ({t}){w};")),
                Some(None) => {
                    let n = acc_at(&cnt, coords);
                    code.line(format!("to.v[{el}] = {n} > 0 ? {a} / ({t}){n} : {a};"))
                }
                None => code.line(format!("to.v[{el}] = {a};")),
            }
        });
        code.line("out0.write(to);");
        code.close();
        Ok(())
    }
}
