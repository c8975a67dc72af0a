//! The workload side of the model: one MAC einsum as a set of named loop dimensions and, per
//! operand, which dimensions index it — fully (*relevant*), through a sliding window
//! (*partially relevant*, a convolution input's `h = s·p + d·r`), or not at all (*irrelevant*:
//! the operand is reused across that loop).

use dnnc_arch::{Operand, Precision};

/// The most loop dimensions a layer may have (a grouped convolution has eight).
pub const MAX_DIMS: usize = 12;

/// A set of dimensions, as a bit mask.
pub type DimSet = u16;

pub fn contains(set: DimSet, dim: usize) -> bool {
    set & (1 << dim) != 0
}

/// A sliding-window index `outer_stride·outer + inner_stride·inner` (a convolution input row is
/// `stride·p + dilation·r − pad`).
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub outer: usize,
    pub outer_stride: u64,
    pub inner: usize,
    pub inner_stride: u64,
    /// The tensor's real extent along this index (unpadded): windows are clipped to it.
    pub extent: u64,
}

impl Window {
    /// Distinct indices touched by `a` consecutive `outer` values and `b` consecutive `inner`
    /// values (`s·(a−1) + d·(b−1) + 1` in the usual cases, exact for any strides), clipped to
    /// the extent.
    pub fn span(&self, a: u64, b: u64) -> u64 {
        let (sa, sb) = self.reduced_strides();
        span_reduced(a, b, sa, sb, self.extent)
    }

    /// The strides over their gcd.
    pub(crate) fn reduced_strides(&self) -> (u64, u64) {
        let g = gcd(self.outer_stride, self.inner_stride);
        (self.outer_stride / g, self.inner_stride / g)
    }
}

/// [`Window::span`] with the strides over their gcd given.
#[inline]
pub(crate) fn span_reduced(a: u64, b: u64, sa: u64, sb: u64, extent: u64) -> u64 {
    let (a, b) = (a as i128, b as i128);
    let (sa, sb) = (sa as i128, sb as i128);
    let n = a * b - (b - sa).max(0) * (a - sb);
    (n.max(1) as u64).min(extent)
}

pub(crate) fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
}

/// How one operand is indexed by the loops.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
    /// Dimensions that index the operand one to one.
    pub relevant: DimSet,
    /// Sliding-window indices (at most two: rows and columns).
    pub windows: Vec<Window>,
}

impl Access {
    /// Dimensions feeding a window.
    pub fn windowed(&self) -> DimSet {
        self.windows.iter().fold(0, |s, w| s | (1 << w.outer) | (1 << w.inner))
    }
}

/// One MAC layer: `O[...] += I[...] · W[...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub name: String,
    pub dim_names: Vec<String>,
    pub sizes: Vec<u64>,
    /// Indexed by [`op_index`]: I, W, O.
    pub access: [Access; 3],
    /// The operands in equation order, output first. The order decides ties in
    /// double-buffer bookkeeping (ZigZag's convolution equation lists `O, W, I`).
    pub order: [Operand; 3],
    pub precision: Precision,
    /// Per operand: dimensions the operand is reused across (size > 1, not relevant, not
    /// feeding a window).
    irrelevant: [DimSet; 3],
}

/// The array index of an operand: I = 0, W = 1, O = 2.
pub fn op_index(op: Operand) -> usize {
    match op {
        Operand::I => 0,
        Operand::W => 1,
        Operand::O => 2,
    }
}

impl Layer {
    pub fn new(
        name: impl Into<String>,
        dims: &[(&str, u64)],
        access: [Access; 3],
        order: [Operand; 3],
        precision: Precision,
    ) -> Layer {
        assert!(dims.len() <= MAX_DIMS, "a layer has at most {MAX_DIMS} dimensions");
        let sizes: Vec<u64> = dims.iter().map(|d| d.1).collect();
        let irrelevant = std::array::from_fn(|o| {
            let a: &Access = &access[o];
            let excluded = a.relevant | a.windowed();
            (0..sizes.len()).filter(|&d| sizes[d] != 1 && !contains(excluded, d)).fold(0, |s, d| s | (1 << d))
        });
        Layer {
            name: name.into(),
            dim_names: dims.iter().map(|d| d.0.to_string()).collect(),
            sizes,
            access,
            order,
            precision,
            irrelevant,
        }
    }

    /// A matrix product in ZigZag's GEMM form, `O[D][K] += I[D][C] · W[C][K]` over dimensions
    /// (C, D, K), at the default precision. For tests, benches and layers built by hand; the
    /// compiler builds its layers from einsums (`layer_of`).
    pub fn gemm(name: impl Into<String>, c: u64, d: u64, k: u64) -> Layer {
        let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
        Layer::new(
            name,
            &[("C", c), ("D", d), ("K", k)],
            [rel(&[1, 0]), rel(&[0, 2]), rel(&[1, 2])],
            [Operand::O, Operand::I, Operand::W],
            Precision::default(),
        )
    }

    /// A convolution over dimensions (N K C P Q R S), batch 1: `k` filters of `c` channels,
    /// `p`×`p` outputs, an `r`×`r` kernel at stride `s`, over an input of `h`×`h` rows and
    /// columns (unpadded: windows are clipped to it), at the default precision. For tests,
    /// benches and layers built by hand, like [`Layer::gemm`].
    pub fn conv2d(name: impl Into<String>, k: u64, c: u64, p: u64, r: u64, s: u64, h: u64) -> Layer {
        let bit = |d: usize| 1u16 << d;
        let window = |outer, inner| Window { outer, outer_stride: s, inner, inner_stride: 1, extent: h };
        let input = Access { relevant: bit(0) | bit(2), windows: vec![window(3, 5), window(4, 6)] };
        Layer::new(
            name,
            &[("N", 1), ("K", k), ("C", c), ("P", p), ("Q", p), ("R", r), ("S", r)],
            [
                input,
                Access { relevant: bit(1) | bit(2) | bit(5) | bit(6), windows: vec![] },
                Access { relevant: bit(0) | bit(1) | bit(3) | bit(4), windows: vec![] },
            ],
            [Operand::O, Operand::W, Operand::I],
            Precision::default(),
        )
    }

    pub fn rank(&self) -> usize {
        self.sizes.len()
    }

    pub fn dim(&self, name: &str) -> Option<usize> {
        self.dim_names.iter().position(|n| n == name)
    }

    pub fn macs(&self) -> u64 {
        self.sizes.iter().product()
    }

    pub fn irrelevant(&self, op: Operand) -> DimSet {
        self.irrelevant[op_index(op)]
    }

    pub fn relevant(&self, op: Operand) -> DimSet {
        self.access[op_index(op)].relevant
    }

    /// Bits of one element of `op` as it moves: inputs at their width, outputs as partial
    /// sums or as final values.
    pub fn bits(&self, op: Operand, partial: bool) -> u32 {
        match op {
            Operand::I => self.precision.input_bits,
            Operand::W => self.precision.weight_bits,
            Operand::O if partial => self.precision.psum_bits,
            Operand::O => self.precision.output_bits,
        }
    }

    /// Elements of `op` spanned by loops whose per-dimension trip-count products are `cum`.
    /// `exact`: window spans count whole rows of whole loop counts (a fractional unroll still
    /// covers whole rows); otherwise the smooth `s·(a−1) + d·(b−1) + 1`, clipped.
    pub fn tile<S: crate::Real>(&self, op: Operand, cum: &[S], exact: bool) -> S {
        let a = &self.access[op_index(op)];
        let mut t = S::cst(1.0);
        for (d, c) in cum.iter().enumerate() {
            if contains(a.relevant, d) {
                t *= *c;
            }
        }
        for w in &a.windows {
            let (x, y) = (cum[w.outer], cum[w.inner]);
            if !exact {
                let (sa, sb) = (w.outer_stride as f64, w.inner_stride as f64);
                t *= (x * sa + y * sb - (sa + sb - 1.0)).min_c(w.extent as f64);
                continue;
            }
            let span = w.span(x.value() as u64, y.value() as u64);
            if span == w.extent {
                t *= S::cst(span as f64);
            } else {
                // Straight-through: the span grows by a stride per loop step.
                let (sa, sb) = (w.outer_stride as f64, w.inner_stride as f64);
                t *= (x * sa + y * sb - (sa + sb - 1.0)).with_value(span as f64);
            }
        }
        t
    }

    /// Total elements of `op`.
    pub fn size(&self, op: Operand) -> u64 {
        let cum: Vec<f64> = self.sizes.iter().map(|&s| s as f64).collect();
        self.tile(op, &cum, true) as u64
    }
}
