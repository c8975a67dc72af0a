//! The scalar the cost model computes in. The model is written once, generic over [`Real`];
//! with `f64` it yields values, with a forward-mode dual number (`num_dual::DualSVec64<N>`) it
//! yields values and the gradient with respect to `N` continuous parameters (log tile
//! factors, fusion probabilities, loop-order weights) in the same pass.
//!
//! The analytical model is piecewise: word counts are rounded up to port granules, loop trip
//! counts to integers, and decisions (does this level hold partial sums? is it double-buffered?)
//! switch on thresholds. For those the dual carries a *straight-through* derivative: the value
//! is rounded, the derivative is that of the unrounded expression, so the gradient follows the
//! smooth trend the steps approximate (the standard estimator of FADiff and DOSA).

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub};

use num_dual::{DualNum, DualSVec64};

/// A real number with optional derivative information.
pub trait Real:
    Copy
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + MulAssign
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// A constant (zero derivative).
    fn cst(x: f64) -> Self;
    /// The value, derivatives dropped.
    fn value(self) -> f64;
    /// `self` with its value replaced by `v` and its derivative kept (straight-through).
    fn with_value(self, v: f64) -> Self;
    /// Whether it carries no derivative at all (a constant: `Self::cst(self.value())` is it).
    fn is_constant(&self) -> bool;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;

    fn ceil(self) -> Self {
        self.with_value(self.value().ceil())
    }
    fn floor(self) -> Self {
        self.with_value(self.value().floor())
    }
    /// Truncation toward zero (Python's `int()`).
    fn trunc(self) -> Self {
        self.with_value(self.value().trunc())
    }
    /// Round half to even (Python's `round()`).
    fn round_even(self) -> Self {
        self.with_value(self.value().round_ties_even())
    }
    /// The larger operand, derivative and all (the subgradient of the active branch).
    fn max(self, other: Self) -> Self {
        if other.value() > self.value() { other } else { self }
    }
    fn min(self, other: Self) -> Self {
        if other.value() < self.value() { other } else { self }
    }
    fn max_c(self, c: f64) -> Self {
        if c > self.value() { Self::cst(c) } else { self }
    }
    fn min_c(self, c: f64) -> Self {
        if c < self.value() { Self::cst(c) } else { self }
    }
    fn sigmoid(self) -> Self {
        (Self::cst(1.0) + (-self).exp()).recip()
    }
    fn recip(self) -> Self {
        Self::cst(1.0) / self
    }
    /// `ln(1 + e^x)`, computed without overflow.
    fn softplus(self) -> Self {
        if self.value() > 30.0 { self } else { (self.exp() + 1.0).ln() }
    }
}

impl Real for f64 {
    fn cst(x: f64) -> Self {
        x
    }
    fn value(self) -> f64 {
        self
    }
    fn with_value(self, v: f64) -> Self {
        v
    }
    fn is_constant(&self) -> bool {
        true
    }
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn ceil(self) -> Self {
        f64::ceil(self)
    }
    fn floor(self) -> Self {
        f64::floor(self)
    }
    fn trunc(self) -> Self {
        f64::trunc(self)
    }
    fn round_even(self) -> Self {
        f64::round_ties_even(self)
    }
}

impl<const N: usize> Real for DualSVec64<N> {
    fn cst(x: f64) -> Self {
        DualSVec64::from_re(x)
    }
    fn value(self) -> f64 {
        self.re
    }
    fn with_value(mut self, v: f64) -> Self {
        self.re = v;
        self
    }
    fn is_constant(&self) -> bool {
        self.eps.0.is_none()
    }
    fn exp(self) -> Self {
        DualNum::exp(&self)
    }
    fn ln(self) -> Self {
        DualNum::ln(&self)
    }
    fn sqrt(self) -> Self {
        DualNum::sqrt(&self)
    }
}

/// A dual number seeded as parameter `index` of `N` with value `x`.
pub fn variable<const N: usize>(x: f64, index: usize) -> DualSVec64<N> {
    DualSVec64::from_re(x).derivative(index)
}

/// The gradient part of a dual number (zeros when it carries none).
pub fn gradient<const N: usize>(x: &DualSVec64<N>) -> [f64; N] {
    let mut out = [0.0; N];
    if let Some(eps) = &x.eps.0 {
        for (o, e) in out.iter_mut().zip(eps.iter()) {
            *o = *e;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_through_rounding_keeps_the_derivative() {
        let x = variable::<1>(2.3, 0);
        let y = (x * 3.0).ceil();
        assert_eq!(y.value(), 7.0);
        assert_eq!(gradient(&y), [3.0]);
    }

    #[test]
    fn max_takes_the_active_branch() {
        let x = variable::<2>(2.0, 0);
        let y = variable::<2>(5.0, 1);
        assert_eq!(gradient(&x.max(y)), [0.0, 1.0]);
        assert_eq!(gradient(&x.min(y)), [1.0, 0.0]);
    }

    #[test]
    fn round_is_python_round() {
        assert_eq!(2.5f64.round_even(), 2.0);
        assert_eq!(3.5f64.round_even(), 4.0);
        assert_eq!(Real::trunc(-1.5f64), -1.0);
    }

    #[test]
    fn softplus_is_smooth_and_does_not_overflow() {
        assert!((0.0f64.softplus() - 2f64.ln()).abs() < 1e-12);
        assert_eq!(1000.0f64.softplus(), 1000.0);
        let g = gradient(&variable::<1>(0.0, 0).softplus());
        assert!((g[0] - 0.5).abs() < 1e-12);
    }
}
