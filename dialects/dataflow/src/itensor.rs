//! The iterative tensor type `!dataflow.itensor<…>`: a tensor delivered as a stream of tiles.
//!
//! ```text
//! !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
//! ```
//!
//! reads: tiles of 2×4 `f16` elements; an iteration space of two loops, outermost first, with
//! 4 and 2 trips whose indices advance by 2 and 4 elements; the tile of iteration `(i0, i1)`
//! starts at tensor coordinates `map(i0·2, i1·4)`. Eight tiles (`tokens`) cover an 8×8 tensor
//! (`full_shape`), row-major by tiles. A loop absent from the map's results streams the same
//! tiles again (a re-read, e.g. the left matrix of a matmul once per output column tile).
//!
//! Two kernels can be wired directly exactly when the producer's and the consumer's types are
//! equal (types are interned, so that is one integer comparison); otherwise a layout converter
//! sits between them, sized by [`min_buffer`].

use std::sync::Arc;

use dnnc_ir::{AffineExpr, AffineMap, Attribute, Context, TypeData, TypeId, TypeParam};

/// The dialect-qualified name of the type.
pub const ITENSOR: &str = "dataflow.itensor";

/// A decoded `!dataflow.itensor` type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ITensor {
    /// Shape of one tile (one stream token), in elements.
    pub tile: Vec<i64>,
    /// Element type of the tensor.
    pub elem: TypeId,
    /// Bits of one element (from `elem`; kept so sizes need no context).
    pub elem_bits: u32,
    /// Trip count of each iteration loop, outermost first.
    pub trips: Vec<i64>,
    /// Step of each iteration loop in elements, outermost first.
    pub steps: Vec<i64>,
    /// From iteration indices (`trip · step` per loop) to the tile's first tensor coordinate.
    pub map: AffineMap,
}

impl ITensor {
    /// A regular stream of a `shape` tensor walked in `order` (every tensor dim once,
    /// outermost first) with the given tile shape; `tile[i]` must divide `shape[i]`.
    pub fn regular(shape: &[i64], elem: TypeId, elem_bits: u32, tile: &[i64], order: &[usize]) -> ITensor {
        let trips = order.iter().map(|&d| shape[d] / tile[d]).collect();
        let steps = order.iter().map(|&d| tile[d]).collect();
        let mut results = vec![AffineExpr::Const(0); shape.len()];
        for (loop_ix, &d) in order.iter().enumerate() {
            results[d] = AffineExpr::Dim(loop_ix as u32);
        }
        debug_assert!(order.len() == shape.len(), "order {order:?} must list every dim of {shape:?}");
        ITensor {
            tile: tile.to_vec(),
            elem,
            elem_bits,
            trips,
            steps,
            map: AffineMap::new(order.len() as u32, 0, results),
        }
    }

    /// Decodes a type; the error says why it is not a well-formed itensor.
    pub fn from_type(cx: &Context, ty: TypeId) -> Result<ITensor, String> {
        match cx.type_data(ty) {
            TypeData::Dialect { dialect, name, params } if &**dialect == "dataflow" && &**name == "itensor" => {
                Self::from_params(cx, params)
            }
            _ => Err(format!("{} is not a !{ITENSOR}", cx.show_type(ty))),
        }
    }

    /// Decodes a type if it is an itensor (`None` for anything else, including malformed ones).
    pub fn of(cx: &Context, ty: TypeId) -> Option<ITensor> {
        Self::from_type(cx, ty).ok()
    }

    /// Decodes and checks the type's parameters (the type verifier).
    pub fn from_params(cx: &Context, params: &[TypeParam]) -> Result<ITensor, String> {
        let Some(TypeParam::Shaped { shape, elem }) = params.first() else {
            return Err("the first parameter must be the tile shape and element type, e.g. 2x4xf16".into());
        };
        let Some(elem_bits) = cx.type_data(*elem).scalar_bits() else {
            return Err(format!("element type {} must be an integer, float or index", cx.show_type(*elem)));
        };
        for p in &params[1..] {
            match p {
                TypeParam::Named(k, _) if matches!(&**k, "trips" | "steps" | "map") => {}
                TypeParam::Named(k, _) => return Err(format!("unknown parameter '{k}' (expected trips, steps, map)")),
                _ => return Err("parameters after the tile must be named: trips = [..], steps = [..], map = ..".into()),
            }
        }
        let ints = |key: &str| -> Result<Vec<i64>, String> {
            let a = TypeParam::named(params, key).ok_or_else(|| format!("missing '{key}'"))?;
            a.as_int_array().ok_or_else(|| format!("'{key}' must be an array of integers"))
        };
        let trips = ints("trips")?;
        let steps = ints("steps")?;
        let map = TypeParam::named(params, "map")
            .ok_or("missing 'map'")?
            .as_affine_map()
            .ok_or("'map' must be an affine map")?
            .clone();
        let t = ITensor { tile: shape.clone(), elem: *elem, elem_bits, trips, steps, map };
        t.check()?;
        Ok(t)
    }

    /// The structural rules: one trip count and step per map dimension, one map result per
    /// tile dimension, no symbols, all sizes positive.
    pub fn check(&self) -> Result<(), String> {
        let dims = self.map.num_dims as usize;
        if self.tile.is_empty() {
            return Err("the tile must have at least one dimension".into());
        }
        if let Some(v) = self.tile.iter().find(|&&v| v < 1) {
            return Err(format!("tile sizes must be positive, but one is {v}"));
        }
        if self.trips.len() != dims {
            return Err(format!("{} trip counts for a map of {dims} iteration dims", self.trips.len()));
        }
        if self.steps.len() != dims {
            return Err(format!("{} steps for a map of {dims} iteration dims", self.steps.len()));
        }
        if self.map.num_symbols != 0 {
            return Err(format!("the map ({}) must not use symbols", self.map));
        }
        if self.map.results.len() != self.tile.len() {
            return Err(format!(
                "the map has {} results but the tile has rank {}",
                self.map.results.len(),
                self.tile.len()
            ));
        }
        if let Some(v) = self.trips.iter().find(|&&v| v < 1) {
            return Err(format!("trip counts must be positive, but one is {v}"));
        }
        if let Some(v) = self.steps.iter().find(|&&v| v < 1) {
            return Err(format!("steps must be positive, but one is {v}"));
        }
        if self.full_shape_checked().is_none() {
            return Err(format!("the map ({}) cannot be evaluated over the iteration space", self.map));
        }
        Ok(())
    }

    /// Interns this itensor as a type.
    pub fn to_type(&self, cx: &mut Context) -> TypeId {
        let params = vec![
            TypeParam::Shaped { shape: self.tile.clone(), elem: self.elem },
            TypeParam::Named(Arc::from("trips"), Attribute::i64_array(&self.trips)),
            TypeParam::Named(Arc::from("steps"), Attribute::i64_array(&self.steps)),
            TypeParam::Named(Arc::from("map"), Attribute::affine_map(self.map.clone())),
        ];
        cx.intern_type(TypeData::Dialect { dialect: "dataflow".into(), name: "itensor".into(), params })
    }

    /// The element type.
    pub fn elem(&self) -> TypeId {
        self.elem
    }

    /// Tokens per pass over the stream: the product of the trip counts.
    pub fn tokens(&self) -> i64 {
        self.trips.iter().product()
    }

    /// Elements of one tile.
    pub fn tile_elems(&self) -> i64 {
        self.tile.iter().product()
    }

    /// Bits of one token (one tile).
    pub fn tile_bits(&self) -> i64 {
        self.tile_elems() * self.elem_bits as i64
    }

    /// Bytes of one tile, rounded up.
    pub fn tile_bytes(&self) -> i64 {
        (self.tile_bits() + 7) / 8
    }

    /// The shape of the streamed tensor: per tensor dim, the largest tile start the map
    /// reaches plus the tile size. Exact for maps whose results are sums of iteration indices
    /// with non-negative coefficients and constants (every regular stream); for `floordiv`,
    /// `mod` and negative coefficients it is the interval-arithmetic upper bound.
    pub fn full_shape(&self) -> Vec<i64> {
        self.full_shape_checked().unwrap_or_else(|| self.tile.clone())
    }

    fn full_shape_checked(&self) -> Option<Vec<i64>> {
        let hi: Vec<(i64, i64)> = self
            .trips
            .iter()
            .zip(&self.steps)
            .map(|(&t, &s)| Some((0, (t - 1).checked_mul(s)?)))
            .collect::<Option<_>>()?;
        self.map
            .results
            .iter()
            .zip(&self.tile)
            .map(|(e, &t)| {
                let (_, max) = range(e, &hi)?;
                max.checked_add(t)
            })
            .collect()
    }

    /// The tensor type this itensor streams (full shape, same element type).
    pub fn tensor_type(&self, cx: &mut Context) -> TypeId {
        cx.tensor_type(&self.full_shape(), self.elem)
    }

    /// Regular: the map is a projected permutation and `map(steps)` equals the tile shape, so
    /// tiles neither overlap nor leave gaps (a loop absent from the map re-reads whole tiles).
    pub fn is_regular(&self) -> bool {
        if !self.map.is_projected_permutation() {
            return false;
        }
        self.map.results.iter().zip(&self.tile).all(|(e, &t)| match e {
            AffineExpr::Dim(i) => self.steps[*i as usize] == t,
            _ => false,
        })
    }

    /// For each iteration loop, the tensor dim it walks (`None` for a re-read loop or a
    /// non-projected map).
    pub fn loop_dims(&self) -> Vec<Option<usize>> {
        (0..self.map.num_dims).map(|i| self.map.results.iter().position(|e| *e == AffineExpr::Dim(i))).collect()
    }
}

/// Bounds `[lo, hi]` of an expression over dims ranging in `dims[i]`.
fn range(e: &AffineExpr, dims: &[(i64, i64)]) -> Option<(i64, i64)> {
    use AffineExpr::*;
    Some(match e {
        Dim(i) => *dims.get(*i as usize)?,
        Symbol(_) => return None,
        Const(c) => (*c, *c),
        Add(a, b) => {
            let (x, y) = (range(a, dims)?, range(b, dims)?);
            (x.0.checked_add(y.0)?, x.1.checked_add(y.1)?)
        }
        Mul(a, b) => {
            let (x, y) = (range(a, dims)?, range(b, dims)?);
            let c = [x.0.checked_mul(y.0)?, x.0.checked_mul(y.1)?, x.1.checked_mul(y.0)?, x.1.checked_mul(y.1)?];
            (*c.iter().min()?, *c.iter().max()?)
        }
        FloorDiv(a, b) | CeilDiv(a, b) => {
            let (x, Const(k)) = (range(a, dims)?, &**b) else { return None };
            if *k <= 0 {
                return None;
            }
            let ceil = matches!(e, CeilDiv(..));
            let div =
                |v: i64| if ceil { v.div_euclid(*k) + i64::from(v.rem_euclid(*k) != 0) } else { v.div_euclid(*k) };
            (div(x.0), div(x.1))
        }
        Mod(a, b) => {
            let (x, Const(k)) = (range(a, dims)?, &**b) else { return None };
            if *k <= 0 {
                return None;
            }
            if x.0 >= 0 && x.1 < *k { x } else { (0, k - 1) }
        }
    })
}

/// The buffer a layout converter from `producer` to `consumer` needs (StreamTensor's
/// minimal-buffer rule), per tensor dim in elements. Walking the two iteration spaces from the
/// outermost loop in (loops of one trip change no order and are skipped), while both sides
/// have, at the same position, a loop over the same tensor dim with the same trip count and
/// step, data along that dim is produced in the order it is consumed and only one tile of it
/// is live: that buffer dim shrinks to the tile (step). Where both walk the same tensor dim
/// over the same extent in panels of which one is a multiple of the other (16-row panels
/// produced, 128-row panels consumed), the buffer dim shrinks to the larger panel and the walk
/// stops there: inside a panel the two orders differ. At the first position where they
/// differ otherwise the walk stops; every dim not shrunk by then stays full size. Maps whose results are
/// not all loop indices or constants (windows, `floordiv`), and unequal tensors, get the whole
/// tensor.
pub fn min_buffer(producer: &ITensor, consumer: &ITensor) -> Vec<i64> {
    let full = producer.full_shape();
    let mut buf = full.clone();
    let simple = |t: &ITensor| t.map.results.iter().all(|e| matches!(e, AffineExpr::Dim(_) | AffineExpr::Const(_)));
    if !simple(producer) || !simple(consumer) || consumer.full_shape() != full {
        return buf;
    }
    // (tensor dim walked, trips, step) of each loop with more than one trip.
    let walk = |t: &ITensor| -> Vec<(Option<usize>, i64, i64)> {
        t.loop_dims()
            .into_iter()
            .zip(&t.trips)
            .zip(&t.steps)
            .map(|((d, &n), &s)| (d, n, s))
            .filter(|&(_, n, _)| n > 1)
            .collect()
    };
    let (pw, cw) = (walk(producer), walk(consumer));
    for (p, c) in pw.iter().zip(&cw) {
        match (p, c) {
            ((Some(a), n, s), (Some(b), m, t)) if a == b && n == m && s == t => {
                buf[*a] = (*s).max(producer.tile[*a]).max(consumer.tile[*a]).min(full[*a]);
            }
            ((Some(a), n, s), (Some(b), m, t)) if a == b && n * s == m * t && (s % t == 0 || t % s == 0) => {
                buf[*a] = (*s).max(*t).max(producer.tile[*a]).max(consumer.tile[*a]).min(full[*a]);
                break;
            }
            _ => break,
        }
    }
    buf
}

/// The type verifier registered for `!dataflow.itensor`.
pub(crate) fn verify_type(cx: &Context, params: &[TypeParam]) -> Result<(), String> {
    ITensor::from_params(cx, params).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(tile: &[i64], trips: &[i64], steps: &[i64], map: AffineMap) -> ITensor {
        ITensor {
            tile: tile.to_vec(),
            elem: TypeId::F16,
            elem_bits: 16,
            trips: trips.to_vec(),
            steps: steps.to_vec(),
            map,
        }
    }

    #[test]
    fn the_contract_example_is_an_8x8_regular_stream_of_8_tiles() {
        let t = it(&[2, 4], &[4, 2], &[2, 4], AffineMap::identity(2));
        assert_eq!(t.full_shape(), [8, 8]);
        assert!(t.is_regular());
        assert_eq!((t.tokens(), t.tile_bytes()), (8, 16));
        assert_eq!(t.check(), Ok(()));
    }

    #[test]
    fn transposed_reread_and_overlapping_streams() {
        // Column-major walk of a 4x8 tensor: loop 0 walks dim 1.
        let t = it(&[4, 2], &[4, 1], &[2, 4], AffineMap::permutation(&[1, 0]));
        assert_eq!(t.full_shape(), [4, 8]);
        assert!(t.is_regular());
        assert_eq!(t.loop_dims(), [Some(1), Some(0)]);
        // A re-read loop (d1 absent): 3 passes over a 2-tile stream.
        let r = it(&[2, 4], &[2, 3], &[2, 1], AffineMap::new(2, 0, vec![AffineExpr::Dim(0), AffineExpr::Const(0)]));
        assert_eq!((r.full_shape(), r.tokens()), (vec![4, 4], 6));
        assert!(!r.is_regular(), "a constant result is not a projected permutation");
        // Steps smaller than the tile: overlapping windows, irregular, shape still inferred.
        let w = it(&[3], &[4], &[1], AffineMap::identity(1));
        assert_eq!(w.full_shape(), [6]);
        assert!(!w.is_regular());
        // floordiv: an upper bound by interval arithmetic.
        let f = AffineExpr::binary(dnnc_ir::AffineBinOp::FloorDiv, AffineExpr::Dim(0), AffineExpr::Const(64)).unwrap();
        let d = it(&[1], &[4], &[64], AffineMap::new(1, 0, vec![f]));
        assert_eq!(d.full_shape(), [4]);
    }

    #[test]
    fn structural_errors_name_the_parameter() {
        let m = AffineMap::identity(2);
        assert_eq!(
            it(&[2, 4], &[4], &[2, 4], m.clone()).check(),
            Err("1 trip counts for a map of 2 iteration dims".into())
        );
        assert_eq!(it(&[2, 4], &[4, 2], &[2], m.clone()).check(), Err("1 steps for a map of 2 iteration dims".into()));
        assert_eq!(
            it(&[2], &[4, 2], &[2, 4], m.clone()).check(),
            Err("the map has 2 results but the tile has rank 1".into())
        );
        assert_eq!(
            it(&[2, 4], &[0, 2], &[2, 4], m.clone()).check(),
            Err("trip counts must be positive, but one is 0".into())
        );
        assert_eq!(
            it(&[2, 4], &[1, 2], &[2, -4], m.clone()).check(),
            Err("steps must be positive, but one is -4".into())
        );
        assert_eq!(it(&[2, 0], &[1, 2], &[2, 4], m).check(), Err("tile sizes must be positive, but one is 0".into()));
    }

    #[test]
    fn minimal_buffer_rule() {
        let row = it(&[2, 4], &[4, 2], &[2, 4], AffineMap::identity(2));
        // Identical types: only one tile is ever live.
        assert_eq!(min_buffer(&row, &row), [2, 4]);
        // Transposed walk of the same tensor: the first loops differ, the whole tensor is buffered.
        let col = it(&[2, 4], &[2, 4], &[4, 2], AffineMap::permutation(&[1, 0]));
        assert_eq!(col.full_shape(), [8, 8]);
        assert_eq!(min_buffer(&row, &col), [8, 8]);
        // Same outer loop, re-read inner loop (matmul LHS read once per column tile): a row panel.
        let reread =
            it(&[2, 4], &[4, 3, 2], &[2, 1, 4], AffineMap::new(3, 0, vec![AffineExpr::Dim(0), AffineExpr::Dim(2)]));
        assert_eq!(reread.full_shape(), [8, 8]);
        assert_eq!(min_buffer(&row, &reread), [2, 8]);
        // Loops of one trip and broadcast (constant) results do not break the walk.
        let unit = it(&[1, 2, 4], &[1, 4, 2], &[1, 2, 4], AffineMap::identity(3));
        let bcast = it(
            &[1, 2, 4],
            &[4, 3, 2],
            &[2, 1, 4],
            AffineMap::new(3, 0, vec![AffineExpr::Const(0), AffineExpr::Dim(0), AffineExpr::Dim(2)]),
        );
        assert_eq!(unit.full_shape(), bcast.full_shape());
        assert_eq!(min_buffer(&unit, &bcast), [1, 2, 8]);
        // Rows produced in panels of 2, consumed in panels of 4 (columns re-read in between):
        // one consumer panel, filled by two producer panels.
        let coarse =
            it(&[4, 4], &[2, 3, 2], &[4, 1, 4], AffineMap::new(3, 0, vec![AffineExpr::Dim(0), AffineExpr::Dim(2)]));
        assert_eq!(coarse.full_shape(), [8, 8]);
        assert_eq!(min_buffer(&row, &coarse), [4, 8]);
        assert_eq!(min_buffer(&coarse, &row), [4, 8]);
        // Panels of 3 against 2 do not nest: the whole tensor.
        let twos = it(&[2, 4], &[3, 2], &[2, 4], AffineMap::identity(2));
        let threes = it(&[3, 4], &[2, 2], &[3, 4], AffineMap::identity(2));
        assert_eq!(min_buffer(&twos, &threes), [6, 8]);
    }
}
