//! How an einsum operand is read, or its result written, tile by tile under a kernel's loop
//! nest — the one rule `convert-to-dataflow` builds operand streams with and the HLS emitter
//! checks a kernel's streams against (docs/dataflow.md §3).
//!
//! Each loop of the nest walks one einsum dimension in tiles. An access through `map` follows
//! the nest when every result (tensor dimension) is
//!
//! - a loop dimension `d`, no other result using it: the tile spans `d`'s loop tile and the
//!   loop over `d` advances it by that tile;
//! - the constant 0 on a dimension of size 1 (a broadcast);
//! - one half of a *split* dimension, `d floordiv q` and `d mod q` both among the results,
//!   where `q` is the size of the `mod` result's tensor dimension and divides `d`'s loop tile:
//!   a reshape the access reads through, such as GPT-2's out-projection reading the attention
//!   context `[heads, rows, 64]` as rows of 768 (`k floordiv 64, k mod 64`). The tile spans
//!   `tile / q` along the `floordiv` dimension, advanced by that much per trip, and all `q`
//!   along the `mod` one.
//!
//! - a *merged* pair `a * q + b` where `b`'s loop tile covers its whole size `q`: the inverse
//!   reshape, such as a grouped convolution's channel `g * 4 + k` (four channels a group).
//!   The tile spans `tile(a) · q`, advanced by that much per trip of `a`.
//!
//! Loops over dimensions the map does not use stream the same tiles again when the operand
//! is re-read (an input), and are skipped for a result. Anything else — sliding windows,
//! `d1 * 64 + d4`, a split whose tile does not cover whole rows of `q` — cannot be a stream.

use dnnc_ir::{AffineExpr, AffineMap};

/// Where the tile of one firing starts along one tensor dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// At 0: the tile spans the whole dimension, or it is a broadcast.
    Zero,
    /// At the firing's first coordinate of einsum dimension `dim`, times `mul` and divided by
    /// `div` (both 1 for a plain loop dimension; `div` is `q` for the `floordiv q` half of a
    /// split one, `mul` is `q` for the outer dimension of a merged pair).
    Loop { dim: usize, mul: i64, div: i64 },
}

/// An operand's access under a loop nest, as the itensor parameters it streams in.
#[derive(Clone, Debug, PartialEq)]
pub struct NestAccess {
    /// Tile shape, per tensor dimension.
    pub tile: Vec<i64>,
    /// Trip counts of the loops the stream iterates, outermost first.
    pub trips: Vec<i64>,
    /// Their steps, in elements of the tensor dimension each one advances.
    pub steps: Vec<i64>,
    /// From iteration indices to the tile's first tensor coordinate.
    pub map: AffineMap,
    /// Per tensor dimension, where a firing's tile starts.
    pub origin: Vec<Origin>,
}

/// One result of an access map, as [`nest_access`] classifies it.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Zero,
    Dim(usize),
    /// `d floordiv q`, `q ≥ 1`.
    Div(usize, i64),
    /// `d mod q`, `q ≥ 1`.
    Mod(usize, i64),
    /// `a * q + b`, `q ≥ 1`.
    Merge(usize, i64, usize),
    Other,
}

impl Part {
    fn of(e: &AffineExpr) -> Part {
        let split = |a: &AffineExpr, q: &AffineExpr| match (a, q) {
            (AffineExpr::Dim(d), AffineExpr::Const(q)) if *q >= 1 => Some((*d as usize, *q)),
            _ => None,
        };
        let scaled = |e: &AffineExpr| match e {
            AffineExpr::Mul(a, q) => match (a.as_ref(), q.as_ref()) {
                (AffineExpr::Dim(a), AffineExpr::Const(q)) | (AffineExpr::Const(q), AffineExpr::Dim(a)) if *q >= 1 => {
                    Some((*a as usize, *q))
                }
                _ => None,
            },
            _ => None,
        };
        match e {
            AffineExpr::Add(x, y) => match (x.as_ref(), y.as_ref()) {
                (m, AffineExpr::Dim(b)) | (AffineExpr::Dim(b), m) if scaled(m).is_some() => {
                    let (a, q) = scaled(m).unwrap_or_default();
                    Part::Merge(a, q, *b as usize)
                }
                _ => Part::Other,
            },
            AffineExpr::Const(0) => Part::Zero,
            AffineExpr::Dim(d) => Part::Dim(*d as usize),
            AffineExpr::FloorDiv(a, q) => split(a, q).map_or(Part::Other, |(d, q)| Part::Div(d, q)),
            AffineExpr::Mod(a, q) => split(a, q).map_or(Part::Other, |(d, q)| Part::Mod(d, q)),
            _ => Part::Other,
        }
    }
}

/// Whether an access through `map` may stream under some loop nest: every result a dim, the
/// constant 0, or one half of a split dim (the part of [`nest_access`]'s rule that does not
/// depend on the tiles).
pub fn may_stream(map: &AffineMap) -> bool {
    let parts: Vec<Part> = map.results.iter().map(Part::of).collect();
    parts.iter().all(|&p| match p {
        Part::Zero | Part::Dim(_) | Part::Merge(..) => true,
        Part::Div(d, q) => parts.contains(&Part::Mod(d, q)),
        Part::Mod(d, q) => parts.contains(&Part::Div(d, q)),
        Part::Other => false,
    })
}

/// The einsum dims that are the inner half `b` of a merged pair `a * q + b` in `map`'s results:
/// the access streams only when their loops take them whole.
pub fn merged_inner_dims(map: &AffineMap) -> Vec<usize> {
    map.results
        .iter()
        .filter_map(|e| match Part::of(e) {
            Part::Merge(_, _, b) => Some(b),
            _ => None,
        })
        .collect()
}

/// The access through `map` under `nest` — `(einsum dim, tile)` outermost first, a dimension
/// absent from it taken whole — with `sizes` the einsum's dimension sizes; `reread` for an
/// input, which streams again under loops its map does not use. `None` when no stream can
/// follow the nest (module docs).
pub fn nest_access(map: &AffineMap, nest: &[(usize, i64)], sizes: &[i64], reread: bool) -> Option<NestAccess> {
    let tile_of = |d: usize| nest.iter().find(|&&(x, _)| x == d).map_or(sizes.get(d).copied(), |&(_, t)| Some(t));
    let parts: Vec<Part> = map.results.iter().map(Part::of).collect();
    let rank = parts.len();
    let mut tile = vec![1i64; rank];
    let mut origin = vec![Origin::Zero; rank];
    // Per tensor dim, the einsum dim whose loop advances it and by how much per trip.
    let mut driver: Vec<Option<(usize, i64)>> = vec![None; rank];
    let mut used: Vec<usize> = Vec::new();
    for (r, &part) in parts.iter().enumerate() {
        match part {
            Part::Zero => {}
            Part::Dim(d) => {
                if used.contains(&d) {
                    return None;
                }
                used.push(d);
                tile[r] = tile_of(d)?;
                origin[r] = Origin::Loop { dim: d, mul: 1, div: 1 };
                driver[r] = Some((d, tile[r]));
            }
            Part::Merge(a, q, b) => {
                let (ta, tb) = (tile_of(a)?, tile_of(b)?);
                if a == b || used.contains(&a) || used.contains(&b) || tb != q || sizes.get(b) != Some(&q) {
                    return None;
                }
                used.extend([a, b]);
                tile[r] = ta * q;
                origin[r] = Origin::Loop { dim: a, mul: q, div: 1 };
                driver[r] = Some((a, ta * q));
            }
            Part::Div(d, q) => {
                let t = tile_of(d)?;
                if used.contains(&d) || t % q != 0 || !parts.contains(&Part::Mod(d, q)) {
                    return None;
                }
                used.push(d);
                tile[r] = t / q;
                origin[r] = Origin::Loop { dim: d, mul: 1, div: q };
                driver[r] = Some((d, t / q));
            }
            Part::Mod(d, q) if parts.contains(&Part::Div(d, q)) => tile[r] = q,
            Part::Mod(..) | Part::Other => return None,
        }
    }
    let (mut trips, mut steps) = (Vec::new(), Vec::new());
    let mut results = vec![AffineExpr::Const(0); rank];
    for &(d, t) in nest {
        let n = sizes.get(d)? / t;
        match driver.iter().position(|x| x.is_some_and(|(x, _)| x == d)) {
            Some(r) => {
                results[r] = AffineExpr::Dim(trips.len() as u32);
                trips.push(n);
                steps.push(driver[r].map_or(t, |(_, s)| s));
            }
            None if reread && n > 1 => {
                trips.push(n);
                steps.push(t);
            }
            None => {}
        }
    }
    if trips.is_empty() {
        trips.push(1);
        steps.push(1);
    }
    let map = AffineMap::new(trips.len() as u32, 0, results);
    Some(NestAccess { tile, trips, steps, map, origin })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(i: u32) -> AffineExpr {
        AffineExpr::Dim(i)
    }

    fn div(e: AffineExpr, q: i64) -> AffineExpr {
        AffineExpr::FloorDiv(Box::new(e), Box::new(AffineExpr::Const(q)))
    }

    fn rem(e: AffineExpr, q: i64) -> AffineExpr {
        AffineExpr::Mod(Box::new(e), Box::new(AffineExpr::Const(q)))
    }

    /// `out[m, n] += a[m, k] · b[k, n]` under (m 8, n 16, k 32) of (64, 32, 48).
    #[test]
    fn a_matmul_operand_follows_its_loops_and_rereads_the_others() {
        let nest = [(0, 8), (1, 16), (2, 32)];
        let a = AffineMap::new(3, 0, vec![d(0), d(2)]);
        let s = nest_access(&a, &nest, &[64, 32, 48], true).unwrap();
        assert_eq!(s.tile, vec![8, 32]);
        assert_eq!((s.trips.clone(), s.steps.clone()), (vec![8, 2, 1], vec![8, 16, 32]));
        assert_eq!(s.map, AffineMap::new(3, 0, vec![d(0), d(2)]));
        assert_eq!(s.origin, vec![Origin::Loop { dim: 0, mul: 1, div: 1 }, Origin::Loop { dim: 2, mul: 1, div: 1 }]);
        let c = AffineMap::new(3, 0, vec![d(0), d(1)]);
        let r = nest_access(&c, &nest, &[64, 32, 48], false).unwrap();
        assert_eq!((r.trips, r.steps), (vec![8, 2], vec![8, 16]));
    }

    /// A grouped convolution writes channel `g * 8 + k` (two groups of eight): with k whole a
    /// tile spans `tile(g) · 8` channels; a tile of 4 splits a group, so no stream.
    #[test]
    fn a_merged_dimension_streams_when_its_inner_tile_is_whole() {
        let merged =
            AffineExpr::Add(Box::new(AffineExpr::Mul(Box::new(d(0)), Box::new(AffineExpr::Const(8)))), Box::new(d(1)));
        let map = AffineMap::new(3, 0, vec![merged, d(2)]);
        assert_eq!(merged_inner_dims(&map), vec![1]);
        assert!(may_stream(&map));
        let sizes = [2, 8, 16];
        let s = nest_access(&map, &[(0, 1), (1, 8), (2, 4)], &sizes, false).unwrap();
        assert_eq!(s.tile, vec![8, 4]);
        assert_eq!((s.trips.clone(), s.steps.clone()), (vec![2, 4], vec![8, 4]));
        assert_eq!(s.map, AffineMap::new(2, 0, vec![d(0), d(1)]));
        assert_eq!(s.origin[0], Origin::Loop { dim: 0, mul: 8, div: 1 });
        assert!(nest_access(&map, &[(0, 1), (1, 4), (2, 4)], &sizes, false).is_none());
    }

    /// GPT-2's out-projection reads the context `[1, heads, rows, 64]` through
    /// `(0, k floordiv 64, m, k mod 64)`: with k tiled by 256 each tile is 4 heads of 64.
    #[test]
    fn a_split_dimension_streams_when_its_tile_covers_whole_rows() {
        let map = AffineMap::new(3, 0, vec![AffineExpr::Const(0), div(d(2), 64), d(0), rem(d(2), 64)]);
        let sizes = [128, 768, 768];
        let s = nest_access(&map, &[(0, 8), (1, 16), (2, 256)], &sizes, true).unwrap();
        assert_eq!(s.tile, vec![1, 4, 8, 64]);
        assert_eq!((s.trips.clone(), s.steps.clone()), (vec![16, 48, 3], vec![8, 16, 4]));
        assert_eq!(s.map, AffineMap::new(3, 0, vec![AffineExpr::Const(0), d(2), d(0), AffineExpr::Const(0)]));
        assert_eq!(s.origin[1], Origin::Loop { dim: 2, mul: 1, div: 64 });
        // A tile of 32 splits a row of 64: not a stream.
        assert!(nest_access(&map, &[(0, 8), (1, 16), (2, 32)], &sizes, true).is_none());
        // `floordiv` without its `mod` (or a repeated dim) is not a projection.
        let half = AffineMap::new(3, 0, vec![div(d(2), 64), d(0)]);
        assert!(nest_access(&half, &[(0, 8), (1, 16), (2, 256)], &sizes, true).is_none());
        let twice = AffineMap::new(3, 0, vec![d(0), d(0)]);
        assert!(nest_access(&twice, &[(0, 8)], &sizes, true).is_none());
    }
}
