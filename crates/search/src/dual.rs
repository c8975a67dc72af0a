//! The forward-mode dual number the relaxed loss's gradient is computed in: a value and `W`
//! partial derivatives, with the same arithmetic as `num_dual::DualSVec64<W>` operation for
//! operation (so every value and gradient bit is the same, which a test checks), laid out as a
//! plain array. `num_dual` keeps the derivatives in an optional `nalgebra` vector and builds a
//! new one per operation; the descent evaluates the cost model with duals at every Adam step,
//! and most of that time was spent moving those vectors.

use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub};

use dnnc_cost::Real;

/// A value and, unless it is a constant (`some == false`, `num_dual`'s `None` derivative), its
/// `W` partial derivatives. A constant's `eps` is all zeros.
#[derive(Clone, Copy, Debug)]
pub struct Dual<const W: usize> {
    pub re: f64,
    eps: [f64; W],
    some: bool,
}

impl<const W: usize> Dual<W> {
    /// Parameter `index` (derivative one there) at value `x`.
    pub fn variable(x: f64, index: usize) -> Self {
        let mut eps = [0.0; W];
        eps[index] = 1.0;
        Dual { re: x, eps, some: true }
    }

    /// The derivatives (zeros for a constant).
    pub fn gradient(&self) -> [f64; W] {
        self.eps
    }

    /// The derivatives times `f` (`num_dual`'s `&eps * f`).
    #[inline(always)]
    fn scaled(&self, f: f64) -> [f64; W] {
        let mut out = self.eps;
        for x in &mut out {
            *x *= f;
        }
        out
    }

    /// `self`'s value `f0` with derivative `eps · f1` (the chain rule).
    #[inline(always)]
    fn chain(&self, f0: f64, f1: f64) -> Self {
        if self.some { Dual { re: f0, eps: self.scaled(f1), some: true } } else { Dual::cst(f0) }
    }
}

/// `a + b` of two optional derivative vectors, as `num_dual` adds them (a missing one is not a
/// zero: `x + None` is `x`, bit for bit, even for `-0.0`).
#[inline(always)]
fn add_eps<const W: usize>(a: Option<[f64; W]>, b: Option<[f64; W]>) -> ([f64; W], bool) {
    match (a, b) {
        (Some(mut x), Some(y)) => {
            for (x, y) in x.iter_mut().zip(y) {
                *x += y;
            }
            (x, true)
        }
        (Some(x), None) | (None, Some(x)) => (x, true),
        (None, None) => ([0.0; W], false),
    }
}

/// `a - b`, as `num_dual` subtracts them (`None - y` is `-y`).
#[inline(always)]
fn sub_eps<const W: usize>(a: Option<[f64; W]>, b: Option<[f64; W]>) -> ([f64; W], bool) {
    match (a, b) {
        (Some(mut x), Some(y)) => {
            for (x, y) in x.iter_mut().zip(y) {
                *x -= y;
            }
            (x, true)
        }
        (Some(x), None) => (x, true),
        (None, Some(mut y)) => {
            for y in &mut y {
                *y = -*y;
            }
            (y, true)
        }
        (None, None) => ([0.0; W], false),
    }
}

impl<const W: usize> Dual<W> {
    #[inline(always)]
    fn eps_opt(&self) -> Option<[f64; W]> {
        self.some.then_some(self.eps)
    }

    #[inline(always)]
    fn scaled_opt(&self, f: f64) -> Option<[f64; W]> {
        self.some.then(|| self.scaled(f))
    }
}

impl<const W: usize> Add for Dual<W> {
    type Output = Self;
    #[inline]
    fn add(self, o: Self) -> Self {
        let (eps, some) = add_eps(self.eps_opt(), o.eps_opt());
        Dual { re: self.re + o.re, eps, some }
    }
}

impl<const W: usize> Sub for Dual<W> {
    type Output = Self;
    #[inline]
    fn sub(self, o: Self) -> Self {
        let (eps, some) = sub_eps(self.eps_opt(), o.eps_opt());
        Dual { re: self.re - o.re, eps, some }
    }
}

impl<const W: usize> Mul for Dual<W> {
    type Output = Self;
    /// `(a·b, ε_a·b + ε_b·a)`.
    #[inline]
    fn mul(self, o: Self) -> Self {
        let (eps, some) = add_eps(self.scaled_opt(o.re), o.scaled_opt(self.re));
        Dual { re: self.re * o.re, eps, some }
    }
}

impl<const W: usize> Div for Dual<W> {
    type Output = Self;
    /// `(a·(1/b), (ε_a·b − ε_b·a)·(1/b)·(1/b))`, as `num_dual` divides.
    #[inline]
    fn div(self, o: Self) -> Self {
        let inv = o.re.recip();
        let (mut eps, some) = sub_eps(self.scaled_opt(o.re), o.scaled_opt(self.re));
        if some {
            for x in &mut eps {
                *x = *x * inv * inv;
            }
        }
        Dual { re: self.re * inv, eps, some }
    }
}

impl<const W: usize> Neg for Dual<W> {
    type Output = Self;
    #[inline]
    fn neg(mut self) -> Self {
        self.re = -self.re;
        if self.some {
            for x in &mut self.eps {
                *x = -*x;
            }
        }
        self
    }
}

impl<const W: usize> AddAssign for Dual<W> {
    #[inline]
    fn add_assign(&mut self, o: Self) {
        *self = *self + o;
    }
}

impl<const W: usize> MulAssign for Dual<W> {
    #[inline]
    fn mul_assign(&mut self, o: Self) {
        *self = *self * o;
    }
}

impl<const W: usize> Add<f64> for Dual<W> {
    type Output = Self;
    #[inline]
    fn add(mut self, o: f64) -> Self {
        self.re += o;
        self
    }
}

impl<const W: usize> Sub<f64> for Dual<W> {
    type Output = Self;
    #[inline]
    fn sub(mut self, o: f64) -> Self {
        self.re -= o;
        self
    }
}

impl<const W: usize> Mul<f64> for Dual<W> {
    type Output = Self;
    #[inline]
    fn mul(mut self, o: f64) -> Self {
        self.re *= o;
        if self.some {
            for x in &mut self.eps {
                *x *= o;
            }
        }
        self
    }
}

impl<const W: usize> Div<f64> for Dual<W> {
    type Output = Self;
    #[inline]
    fn div(mut self, o: f64) -> Self {
        self.re /= o;
        if self.some {
            for x in &mut self.eps {
                *x /= o;
            }
        }
        self
    }
}

impl<const W: usize> Real for Dual<W> {
    fn cst(x: f64) -> Self {
        Dual { re: x, eps: [0.0; W], some: false }
    }
    fn value(self) -> f64 {
        self.re
    }
    fn with_value(mut self, v: f64) -> Self {
        self.re = v;
        self
    }
    fn is_constant(&self) -> bool {
        !self.some
    }
    fn exp(self) -> Self {
        let f = self.re.exp();
        self.chain(f, f)
    }
    fn ln(self) -> Self {
        let rec = self.re.recip();
        self.chain(self.re.ln(), rec)
    }
    fn sqrt(self) -> Self {
        let rec = self.re.recip();
        let f0 = self.re.sqrt();
        self.chain(f0, f0 * rec * 0.5)
    }
}

#[cfg(test)]
mod tests {
    use dnnc_cost::real::{gradient, variable};
    use num_dual::DualSVec64;

    use super::*;

    fn bits<const W: usize>(d: &Dual<W>) -> (u64, [u64; W], bool) {
        (d.re.to_bits(), d.gradient().map(f64::to_bits), d.some)
    }

    fn nd_bits<const W: usize>(d: &DualSVec64<W>) -> (u64, [u64; W], bool) {
        (d.re.to_bits(), gradient(d).map(f64::to_bits), d.eps.0.is_some())
    }

    /// Every operation gives `num_dual`'s bits, for constants and variables, signed zeros,
    /// and values where rounding differs between algebraically equal formulas.
    #[test]
    fn every_operation_matches_num_dual_bit_for_bit() {
        let values = [0.0, -0.0, 1.0, -1.5, 3.0e-7, 0.1, 2.5, 7.0 / 3.0, 1.0e12, -4.75];
        let mut pairs = Vec::new();
        for (i, &a) in values.iter().enumerate() {
            for (j, &b) in values.iter().enumerate() {
                // Variables on lanes 0 and 1 (or constants), and one sharing a lane.
                for kind in 0..4 {
                    let (x, y, nx, ny) = match kind {
                        0 => {
                            (Dual::<3>::cst(a), Dual::<3>::cst(b), DualSVec64::<3>::from_re(a), DualSVec64::from_re(b))
                        }
                        1 => (Dual::variable(a, 0), Dual::cst(b), variable(a, 0), DualSVec64::from_re(b)),
                        2 => (Dual::cst(a), Dual::variable(b, 1), DualSVec64::from_re(a), variable(b, 1)),
                        _ => {
                            (Dual::variable(a, i % 3), Dual::variable(b, j % 3), variable(a, i % 3), variable(b, j % 3))
                        }
                    };
                    // Scale the derivatives off the unit vectors.
                    let (x, nx) = (x * 0.3 + 1.25, nx * 0.3 + 1.25);
                    pairs.push((x, y, nx, ny));
                }
            }
        }
        for (x, y, nx, ny) in pairs {
            let cases: Vec<(Dual<3>, DualSVec64<3>)> = vec![
                (x + y, nx + ny),
                (x - y, nx - ny),
                (x * y, nx * ny),
                (x / y, nx / ny),
                (-x, -nx),
                (x + 0.7, nx + 0.7),
                (x - 0.7, nx - 0.7),
                (x * 0.7, nx * 0.7),
                (x / 0.7, nx / 0.7),
                (Real::exp(x), Real::exp(nx)),
                (Real::ln(x), Real::ln(nx)),
                (Real::sqrt(x), Real::sqrt(nx)),
                (x.recip(), nx.recip()),
                (x.softplus(), nx.softplus()),
                (x.sigmoid(), nx.sigmoid()),
                (x.max(y), nx.max(ny)),
                (x.min_c(2.0), nx.min_c(2.0)),
                (x.ceil(), nx.ceil()),
                (
                    {
                        let mut z = x;
                        z += y;
                        z *= y;
                        z
                    },
                    {
                        let mut z = nx;
                        z += ny;
                        z *= ny;
                        z
                    },
                ),
            ];
            for (k, (d, n)) in cases.iter().enumerate() {
                let (a, b) = (bits(d), nd_bits(n));
                // NaNs compare by class: any NaN matches any NaN.
                let same = |p: u64, q: u64| p == q || (f64::from_bits(p).is_nan() && f64::from_bits(q).is_nan());
                assert!(
                    same(a.0, b.0) && a.1.iter().zip(b.1).all(|(&p, q)| same(p, q)) && a.2 == b.2,
                    "case {k}: {d:?} vs {n:?}"
                );
            }
        }
    }
}
