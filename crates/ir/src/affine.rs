//! Affine maps: `affine_map<(d0, d1)[s0] -> (d0 + s0, d1 floordiv 2)>`.
//!
//! The einsum dialect describes each operand's access as an affine projection of the loop
//! indices, so maps are first-class attributes with evaluation and simplifying constructors.
//! Expressions are trees normalised on construction (constants folded, `x + 0` and `x * 1`
//! dropped) so that equal maps print equally.

use std::fmt;

/// An affine expression over dimensions `d_i`, symbols `s_i` and integer constants.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AffineExpr {
    Dim(u32),
    Symbol(u32),
    Const(i64),
    Add(Box<AffineExpr>, Box<AffineExpr>),
    Mul(Box<AffineExpr>, Box<AffineExpr>),
    FloorDiv(Box<AffineExpr>, Box<AffineExpr>),
    CeilDiv(Box<AffineExpr>, Box<AffineExpr>),
    Mod(Box<AffineExpr>, Box<AffineExpr>),
}

/// Binary operators of affine expressions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AffineBinOp {
    Add,
    Mul,
    FloorDiv,
    CeilDiv,
    Mod,
}

impl AffineExpr {
    pub fn dim(i: u32) -> Self {
        AffineExpr::Dim(i)
    }

    pub fn sym(i: u32) -> Self {
        AffineExpr::Symbol(i)
    }

    pub fn constant(c: i64) -> Self {
        AffineExpr::Const(c)
    }

    /// Builds `lhs op rhs`, folding constants and trivial identities. Returns `None` when
    /// folding constants would divide by zero or overflow `i64`.
    pub fn binary(op: AffineBinOp, lhs: AffineExpr, rhs: AffineExpr) -> Option<Self> {
        use AffineExpr::Const;
        if let (Const(a), Const(b)) = (&lhs, &rhs) {
            return apply(op, *a, *b).map(Const);
        }
        Some(match (op, lhs, rhs) {
            (AffineBinOp::Add, e, Const(0)) | (AffineBinOp::Add, Const(0), e) => e,
            (AffineBinOp::Mul, e, Const(1)) | (AffineBinOp::Mul, Const(1), e) => e,
            (AffineBinOp::Mul, _, Const(0)) | (AffineBinOp::Mul, Const(0), _) => Const(0),
            (AffineBinOp::FloorDiv | AffineBinOp::CeilDiv, e, Const(1)) => e,
            (AffineBinOp::FloorDiv | AffineBinOp::CeilDiv | AffineBinOp::Mod, _, Const(0)) => {
                return None;
            }
            (AffineBinOp::Mod, _, Const(1)) => Const(0),
            // Keep constants on the right of commutative operators: `2 * d0` becomes `d0 * 2`.
            (AffineBinOp::Add, Const(c), e) => AffineExpr::Add(Box::new(e), Box::new(Const(c))),
            (AffineBinOp::Mul, Const(c), e) => AffineExpr::Mul(Box::new(e), Box::new(Const(c))),
            (op, l, r) => {
                let (l, r) = (Box::new(l), Box::new(r));
                match op {
                    AffineBinOp::Add => AffineExpr::Add(l, r),
                    AffineBinOp::Mul => AffineExpr::Mul(l, r),
                    AffineBinOp::FloorDiv => AffineExpr::FloorDiv(l, r),
                    AffineBinOp::CeilDiv => AffineExpr::CeilDiv(l, r),
                    AffineBinOp::Mod => AffineExpr::Mod(l, r),
                }
            }
        })
    }

    /// Substitutes `dims[i]` for every `d_i` (and `syms[i]` for `s_i`), simplifying as it
    /// rebuilds; `None` if a referenced dim or symbol is missing or folding fails.
    pub fn substitute(&self, dims: &[AffineExpr], syms: &[AffineExpr]) -> Option<AffineExpr> {
        let bin = |op, a: &AffineExpr, b: &AffineExpr| {
            AffineExpr::binary(op, a.substitute(dims, syms)?, b.substitute(dims, syms)?)
        };
        match self {
            AffineExpr::Dim(i) => dims.get(*i as usize).cloned(),
            AffineExpr::Symbol(i) => syms.get(*i as usize).cloned(),
            AffineExpr::Const(c) => Some(AffineExpr::Const(*c)),
            AffineExpr::Add(a, b) => bin(AffineBinOp::Add, a, b),
            AffineExpr::Mul(a, b) => bin(AffineBinOp::Mul, a, b),
            AffineExpr::FloorDiv(a, b) => bin(AffineBinOp::FloorDiv, a, b),
            AffineExpr::CeilDiv(a, b) => bin(AffineBinOp::CeilDiv, a, b),
            AffineExpr::Mod(a, b) => bin(AffineBinOp::Mod, a, b),
        }
    }

    /// Evaluates the expression; `None` on division by zero or overflow.
    pub fn eval(&self, dims: &[i64], syms: &[i64]) -> Option<i64> {
        match self {
            AffineExpr::Dim(i) => dims.get(*i as usize).copied(),
            AffineExpr::Symbol(i) => syms.get(*i as usize).copied(),
            AffineExpr::Const(c) => Some(*c),
            AffineExpr::Add(a, b) => a.eval(dims, syms)?.checked_add(b.eval(dims, syms)?),
            AffineExpr::Mul(a, b) => a.eval(dims, syms)?.checked_mul(b.eval(dims, syms)?),
            AffineExpr::FloorDiv(a, b) => apply(AffineBinOp::FloorDiv, a.eval(dims, syms)?, b.eval(dims, syms)?),
            AffineExpr::CeilDiv(a, b) => apply(AffineBinOp::CeilDiv, a.eval(dims, syms)?, b.eval(dims, syms)?),
            AffineExpr::Mod(a, b) => apply(AffineBinOp::Mod, a.eval(dims, syms)?, b.eval(dims, syms)?),
        }
    }

    /// Bounds `[lo, hi]` of the expression's value when dimension `i` ranges over
    /// `0..dim_sizes[i]` (interval arithmetic: exact for the projections, offsets, strides and
    /// the `floordiv`/`mod` pairs of a reshape, possibly wider otherwise); `None` when a
    /// symbol, an unknown dimension, a non-constant divisor or an overflow is involved.
    pub fn range(&self, dim_sizes: &[i64]) -> Option<(i64, i64)> {
        Some(match self {
            AffineExpr::Dim(i) => (0, dim_sizes.get(*i as usize)?.checked_sub(1)?),
            AffineExpr::Symbol(_) => return None,
            AffineExpr::Const(c) => (*c, *c),
            AffineExpr::Add(a, b) => {
                let ((al, ah), (bl, bh)) = (a.range(dim_sizes)?, b.range(dim_sizes)?);
                (al.checked_add(bl)?, ah.checked_add(bh)?)
            }
            AffineExpr::Mul(a, b) => {
                let ((al, ah), (bl, bh)) = (a.range(dim_sizes)?, b.range(dim_sizes)?);
                let products = [al.checked_mul(bl)?, al.checked_mul(bh)?, ah.checked_mul(bl)?, ah.checked_mul(bh)?];
                (*products.iter().min()?, *products.iter().max()?)
            }
            AffineExpr::FloorDiv(a, b) | AffineExpr::CeilDiv(a, b) => {
                let ((lo, hi), AffineExpr::Const(k)) = (a.range(dim_sizes)?, b.as_ref()) else { return None };
                let op =
                    if matches!(self, AffineExpr::FloorDiv(..)) { AffineBinOp::FloorDiv } else { AffineBinOp::CeilDiv };
                // Monotone in the dividend: increasing for a positive divisor, else decreasing.
                let (a, b) = (apply(op, lo, *k)?, apply(op, hi, *k)?);
                (a.min(b), a.max(b))
            }
            AffineExpr::Mod(a, b) => {
                let ((lo, hi), &AffineExpr::Const(m)) = (a.range(dim_sizes)?, b.as_ref()) else { return None };
                if m <= 0 {
                    return None;
                }
                // One period without wrapping keeps the bounds; otherwise every residue.
                if lo.div_euclid(m) == hi.div_euclid(m) { (lo.rem_euclid(m), hi.rem_euclid(m)) } else { (0, m - 1) }
            }
        })
    }

    /// The largest dimension and symbol index used, plus one: `(num_dims, num_symbols)`.
    pub fn arity(&self) -> (u32, u32) {
        match self {
            AffineExpr::Dim(i) => (i + 1, 0),
            AffineExpr::Symbol(i) => (0, i + 1),
            AffineExpr::Const(_) => (0, 0),
            AffineExpr::Add(a, b)
            | AffineExpr::Mul(a, b)
            | AffineExpr::FloorDiv(a, b)
            | AffineExpr::CeilDiv(a, b)
            | AffineExpr::Mod(a, b) => {
                let (x, y) = (a.arity(), b.arity());
                (x.0.max(y.0), x.1.max(y.1))
            }
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            AffineExpr::Add(..) => 1,
            AffineExpr::Mul(..) | AffineExpr::FloorDiv(..) | AffineExpr::CeilDiv(..) | AffineExpr::Mod(..) => 2,
            _ => 3,
        }
    }

    fn fmt_prec(&self, f: &mut fmt::Formatter<'_>, min: u8) -> fmt::Result {
        let paren = self.precedence() < min;
        if paren {
            f.write_str("(")?;
        }
        match self {
            AffineExpr::Dim(i) => write!(f, "d{i}")?,
            AffineExpr::Symbol(i) => write!(f, "s{i}")?,
            AffineExpr::Const(c) => write!(f, "{c}")?,
            AffineExpr::Add(a, b) => {
                a.fmt_prec(f, 1)?;
                // `a + b * -c` prints as `a - b * c`, and `a + -c` as `a - c`, as MLIR does.
                match &**b {
                    AffineExpr::Const(c) if *c < 0 && *c != i64::MIN => write!(f, " - {}", -c)?,
                    AffineExpr::Mul(x, k) if **k == AffineExpr::Const(-1) => {
                        f.write_str(" - ")?;
                        x.fmt_prec(f, 2)?;
                    }
                    _ => {
                        f.write_str(" + ")?;
                        b.fmt_prec(f, 2)?;
                    }
                }
            }
            AffineExpr::Mul(a, b) | AffineExpr::FloorDiv(a, b) | AffineExpr::CeilDiv(a, b) | AffineExpr::Mod(a, b) => {
                let op = match self {
                    AffineExpr::Mul(..) => " * ",
                    AffineExpr::FloorDiv(..) => " floordiv ",
                    AffineExpr::CeilDiv(..) => " ceildiv ",
                    _ => " mod ",
                };
                a.fmt_prec(f, 2)?;
                f.write_str(op)?;
                b.fmt_prec(f, 3)?;
            }
        }
        if paren {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// `lhs + rhs`, simplified. Panics if folding two constants overflows `i64` (use
/// [`AffineExpr::binary`] for untrusted values).
impl std::ops::Add for AffineExpr {
    type Output = AffineExpr;
    fn add(self, rhs: AffineExpr) -> AffineExpr {
        AffineExpr::binary(AffineBinOp::Add, self, rhs).expect("affine constant addition overflowed")
    }
}

/// `lhs * rhs`, simplified. Panics if folding two constants overflows `i64` (use
/// [`AffineExpr::binary`] for untrusted values).
impl std::ops::Mul for AffineExpr {
    type Output = AffineExpr;
    fn mul(self, rhs: AffineExpr) -> AffineExpr {
        AffineExpr::binary(AffineBinOp::Mul, self, rhs).expect("affine constant multiplication overflowed")
    }
}

/// Evaluates `a op b` with floor/ceil semantics; `None` on division by zero or overflow.
fn apply(op: AffineBinOp, a: i64, b: i64) -> Option<i64> {
    match op {
        AffineBinOp::Add => a.checked_add(b),
        AffineBinOp::Mul => a.checked_mul(b),
        AffineBinOp::FloorDiv => {
            let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
            Some(if r != 0 && ((r < 0) != (b < 0)) { q - 1 } else { q })
        }
        AffineBinOp::CeilDiv => {
            let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
            Some(if r != 0 && ((r < 0) == (b < 0)) { q + 1 } else { q })
        }
        // `x mod ±1` is 0 even where the remainder computation itself would overflow.
        AffineBinOp::Mod if b == 1 || b == -1 => Some(0),
        AffineBinOp::Mod => a.checked_rem_euclid(b),
    }
}

impl fmt::Display for AffineExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_prec(f, 0)
    }
}

/// `(d0, …)[s0, …] -> (e0, …)`: a list of affine expressions over declared dims and symbols.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AffineMap {
    pub num_dims: u32,
    pub num_symbols: u32,
    pub results: Vec<AffineExpr>,
}

impl AffineMap {
    /// A map; panics if a result uses an undeclared dimension or symbol (a programming error —
    /// the parser checks user input before calling this).
    pub fn new(num_dims: u32, num_symbols: u32, results: Vec<AffineExpr>) -> Self {
        for r in &results {
            let (d, s) = r.arity();
            assert!(d <= num_dims && s <= num_symbols, "affine expression {r} uses undeclared dims or symbols");
        }
        AffineMap { num_dims, num_symbols, results }
    }

    /// `(d0, …, dn-1) -> (d0, …, dn-1)`.
    pub fn identity(n: u32) -> Self {
        AffineMap::new(n, 0, (0..n).map(AffineExpr::Dim).collect())
    }

    /// `(d0, …) -> (d_{perm[0]}, …)`.
    pub fn permutation(perm: &[u32]) -> Self {
        AffineMap::new(perm.len() as u32, 0, perm.iter().map(|&p| AffineExpr::Dim(p)).collect())
    }

    /// `self ∘ inner`: the map that applies `inner` first, then `self` (`inner`'s results must
    /// be as many as `self`'s dims). `None` if they do not fit or folding fails.
    pub fn compose(&self, inner: &AffineMap) -> Option<AffineMap> {
        if inner.results.len() != self.num_dims as usize || self.num_symbols != 0 {
            return None;
        }
        let results = self.results.iter().map(|e| e.substitute(&inner.results, &[])).collect::<Option<Vec<_>>>()?;
        Some(AffineMap { num_dims: inner.num_dims, num_symbols: inner.num_symbols, results })
    }

    /// Evaluates every result at the given point.
    pub fn eval(&self, dims: &[i64], syms: &[i64]) -> Option<Vec<i64>> {
        self.results.iter().map(|r| r.eval(dims, syms)).collect()
    }

    /// True if every result is a distinct bare dimension (a projected permutation).
    pub fn is_projected_permutation(&self) -> bool {
        let mut seen = vec![false; self.num_dims as usize];
        self.results.iter().all(|r| match r {
            AffineExpr::Dim(i) => !std::mem::replace(&mut seen[*i as usize], true),
            _ => false,
        })
    }
}

/// Prints the `(d0, d1)[s0] -> (…)` body, without the `affine_map<>` wrapper.
impl fmt::Display for AffineMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for i in 0..self.num_dims {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "d{i}")?;
        }
        f.write_str(")")?;
        if self.num_symbols > 0 {
            f.write_str("[")?;
            for i in 0..self.num_symbols {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "s{i}")?;
            }
            f.write_str("]")?;
        }
        f.write_str(" -> (")?;
        for (i, r) in self.results.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{r}")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {

    /// `range` bounds projections, offsets and strides exactly, keeps a reshape's
    /// `floordiv`/`mod` pairs inside the tensor, and gives up on symbols.
    #[test]
    fn ranges_of_reshape_and_window_maps() {
        use super::{AffineBinOp, AffineExpr as E};
        let d = E::dim;
        let bin = |op, a, b| E::binary(op, a, b).expect("valid");
        let linear = bin(AffineBinOp::Add, bin(AffineBinOp::Mul, d(1), E::constant(12)), d(2));
        let sizes = [1, 2, 12];
        assert_eq!(linear.range(&sizes), Some((0, 23)));
        assert_eq!(bin(AffineBinOp::FloorDiv, linear.clone(), E::constant(6)).range(&sizes), Some((0, 3)));
        let digit = bin(AffineBinOp::Mod, bin(AffineBinOp::FloorDiv, linear.clone(), E::constant(3)), E::constant(2));
        assert_eq!(digit.range(&sizes), Some((0, 1)));
        assert_eq!(bin(AffineBinOp::Mod, d(2), E::constant(16)).range(&sizes), Some((0, 11)));
        let window = bin(AffineBinOp::Add, bin(AffineBinOp::Add, d(1), d(2)), E::constant(-1));
        assert_eq!(window.range(&sizes), Some((-1, 11)));
        let mirrored = bin(AffineBinOp::Add, bin(AffineBinOp::Mul, d(2), E::constant(-1)), E::constant(2));
        assert_eq!(mirrored.range(&sizes), Some((-9, 2)));
        assert_eq!(bin(AffineBinOp::FloorDiv, d(2), E::constant(-4)).range(&sizes), Some((-3, 0)));
        assert_eq!(E::sym(0).range(&sizes), None);
    }
    use super::*;

    fn d(i: u32) -> AffineExpr {
        AffineExpr::dim(i)
    }

    #[test]
    fn prints_like_mlir() {
        let conv = d(0) * AffineExpr::Const(2) + d(1);
        let m = AffineMap::new(2, 1, vec![conv, d(1) + AffineExpr::Const(-3)]);
        assert_eq!(m.to_string(), "(d0, d1)[s0] -> (d0 * 2 + d1, d1 - 3)");
        let neg = d(0) + d(1) * AffineExpr::Const(-1);
        assert_eq!(neg.to_string(), "d0 - d1");
        let nested = (d(0) + d(1)) * AffineExpr::Const(4);
        assert_eq!(nested.to_string(), "(d0 + d1) * 4");
    }

    #[test]
    fn folds_and_evaluates() {
        assert_eq!(d(0) + AffineExpr::Const(0), d(0));
        assert_eq!(AffineExpr::Const(3) * AffineExpr::Const(4), AffineExpr::Const(12));
        assert_eq!(AffineExpr::binary(AffineBinOp::Mod, d(0), AffineExpr::Const(0)), None);
        let e = AffineExpr::binary(AffineBinOp::FloorDiv, d(0), AffineExpr::Const(2)).unwrap();
        assert_eq!(e.eval(&[-3], &[]), Some(-2));
        let c = AffineExpr::binary(AffineBinOp::CeilDiv, d(0), AffineExpr::Const(2)).unwrap();
        assert_eq!(c.eval(&[-3], &[]), Some(-1));
        assert_eq!(c.eval(&[3], &[]), Some(2));
        let m = AffineExpr::binary(AffineBinOp::Mod, d(0), AffineExpr::Const(4)).unwrap();
        assert_eq!(m.eval(&[-1], &[]), Some(3));
        for (a, b, floor, ceil) in [(7, 2, 3, 4), (-7, 2, -4, -3), (7, -2, -4, -3), (-7, -2, 3, 4), (6, 3, 2, 2)] {
            assert_eq!(apply(AffineBinOp::FloorDiv, a, b), Some(floor), "{a} floordiv {b}");
            assert_eq!(apply(AffineBinOp::CeilDiv, a, b), Some(ceil), "{a} ceildiv {b}");
        }
        let (max, min) = (AffineExpr::Const(i64::MAX), AffineExpr::Const(i64::MIN));
        assert_eq!(AffineExpr::binary(AffineBinOp::Add, max, AffineExpr::Const(1)), None);
        assert_eq!(AffineExpr::binary(AffineBinOp::FloorDiv, min.clone(), AffineExpr::Const(-1)), None);
        assert_eq!(AffineExpr::binary(AffineBinOp::Mod, min, AffineExpr::Const(-1)), Some(AffineExpr::Const(0)));
    }

    #[test]
    fn composition_substitutes_and_evaluates_like_applying_twice() {
        // A transpose read through a reshape: x[(d0 * 3 + d1) floordiv 2][(d0 * 3 + d1) mod 2].
        let reshape = AffineMap::new(
            2,
            0,
            vec![
                AffineExpr::binary(AffineBinOp::FloorDiv, d(0), AffineExpr::Const(2)).unwrap(),
                AffineExpr::binary(AffineBinOp::Mod, d(0), AffineExpr::Const(2)).unwrap(),
            ],
        );
        let linear = AffineMap::new(2, 0, vec![d(0) * AffineExpr::Const(3) + d(1), AffineExpr::Const(0)]);
        let composed = reshape.compose(&linear).unwrap();
        assert_eq!(composed.to_string(), "(d0, d1) -> ((d0 * 3 + d1) floordiv 2, (d0 * 3 + d1) mod 2)");
        for (a, b) in [(0, 0), (1, 2), (3, 1)] {
            let inner = linear.eval(&[a, b], &[]).unwrap();
            assert_eq!(composed.eval(&[a, b], &[]), reshape.eval(&inner, &[]));
        }
        assert!(reshape.compose(&AffineMap::identity(3)).is_none());
    }

    #[test]
    fn permutation_queries() {
        assert!(AffineMap::permutation(&[1, 0]).is_projected_permutation());
        assert!(!AffineMap::new(2, 0, vec![d(0), d(0)]).is_projected_permutation());
        assert_eq!(AffineMap::permutation(&[2, 0, 1]).eval(&[5, 6, 7], &[]), Some(vec![7, 5, 6]));
    }
}
