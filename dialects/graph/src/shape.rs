//! Shape inference helpers shared by the graph ops: broadcasting, matmul, convolution and
//! pooling windows, with ONNX's semantics. Each returns a message naming the problem.

/// Numpy-style multidirectional broadcasting of two shapes.
pub fn broadcast(a: &[i64], b: &[i64]) -> Result<Vec<i64>, String> {
    let rank = a.len().max(b.len());
    let dim = |s: &[i64], i: usize| if i + s.len() >= rank { s[i + s.len() - rank] } else { 1 };
    (0..rank)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Ok(x),
            (1, y) => Ok(y),
            (x, 1) => Ok(x),
            (x, y) => Err(format!("shapes {a:?} and {b:?} do not broadcast (dimension {i}: {x} vs {y})")),
        })
        .collect()
}

/// Result shape of numpy `matmul`: vectors are promoted and the promoted dims dropped again,
/// batch dimensions broadcast.
pub fn matmul(a: &[i64], b: &[i64]) -> Result<Vec<i64>, String> {
    if a.is_empty() || b.is_empty() {
        return Err("matmul operands must have rank at least 1".into());
    }
    let a2: Vec<i64> = if a.len() == 1 { vec![1, a[0]] } else { a.to_vec() };
    let b2: Vec<i64> = if b.len() == 1 { vec![b[0], 1] } else { b.to_vec() };
    let (m, k) = (a2[a2.len() - 2], a2[a2.len() - 1]);
    let (k2, n) = (b2[b2.len() - 2], b2[b2.len() - 1]);
    if k != k2 {
        return Err(format!("matmul contraction sizes differ: {a:?} x {b:?} ({k} vs {k2})"));
    }
    let mut out = broadcast(&a2[..a2.len() - 2], &b2[..b2.len() - 2])?;
    if a.len() > 1 {
        out.push(m);
    }
    if b.len() > 1 {
        out.push(n);
    }
    Ok(out)
}

/// Window geometry shared by convolution and pooling.
pub struct Window<'a> {
    pub kernel: &'a [i64],
    pub strides: &'a [i64],
    /// `[begin_0, begin_1, …, end_0, end_1, …]`, ONNX order.
    pub pads: &'a [i64],
    pub dilations: &'a [i64],
    pub ceil_mode: bool,
}

/// Output spatial sizes for input spatial sizes `spatial` under `w`.
pub fn window_output(spatial: &[i64], w: &Window<'_>) -> Result<Vec<i64>, String> {
    let n = spatial.len();
    if w.kernel.len() != n || w.strides.len() != n || w.dilations.len() != n || w.pads.len() != 2 * n {
        return Err(format!(
            "window attributes do not match {n} spatial dimensions (kernel {:?}, strides {:?}, pads {:?}, dilations {:?})",
            w.kernel, w.strides, w.pads, w.dilations
        ));
    }
    (0..n)
        .map(|i| {
            let (s, d) = (w.strides[i], w.dilations[i]);
            if s <= 0 || d <= 0 || w.kernel[i] <= 0 {
                return Err("kernel sizes, strides and dilations must be positive".to_string());
            }
            let overflow = || format!("window arithmetic overflows in spatial dimension {i}");
            let extent = d.checked_mul(w.kernel[i] - 1).and_then(|e| e.checked_add(1)).ok_or_else(overflow)?;
            let padded =
                spatial[i].checked_add(w.pads[i]).and_then(|p| p.checked_add(w.pads[i + n])).ok_or_else(overflow)?;
            if padded < extent {
                return Err(format!(
                    "window of extent {extent} does not fit padded size {padded} in spatial dimension {i}"
                ));
            }
            let span = padded - extent;
            Ok(span / s + 1 + i64::from(w.ceil_mode && span % s != 0))
        })
        .collect()
}

/// The element count of a shape (saturating: absurd shapes must not overflow).
pub fn numel(shape: &[i64]) -> i64 {
    shape.iter().fold(1i64, |acc, &d| acc.saturating_mul(d))
}

/// Normalises a possibly negative axis for a tensor of `rank` (`rank_extra` allows the
/// one-past-the-end position some ops accept).
pub fn axis(axis: i64, rank: usize, rank_extra: usize) -> Result<usize, String> {
    let bound = (rank + rank_extra) as i64;
    let a = if axis < 0 { axis + bound } else { axis };
    if (0..bound).contains(&a) { Ok(a as usize) } else { Err(format!("axis {axis} is out of range for rank {rank}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting() {
        assert_eq!(broadcast(&[2, 1, 4], &[3, 1]).unwrap(), vec![2, 3, 4]);
        assert_eq!(broadcast(&[], &[5]).unwrap(), vec![5]);
        assert!(broadcast(&[2, 3], &[4, 3]).is_err());
    }

    #[test]
    fn matmul_shapes() {
        assert_eq!(matmul(&[128, 768], &[768, 3072]).unwrap(), vec![128, 3072]);
        assert_eq!(matmul(&[12, 128, 64], &[12, 64, 128]).unwrap(), vec![12, 128, 128]);
        assert_eq!(matmul(&[1, 12, 128, 64], &[64, 32]).unwrap(), vec![1, 12, 128, 32]);
        assert_eq!(matmul(&[64], &[64, 32]).unwrap(), vec![32]);
        assert_eq!(matmul(&[8, 64], &[64]).unwrap(), vec![8]);
        assert!(matmul(&[8, 64], &[32, 4]).is_err());
    }

    #[test]
    fn conv_and_pool_windows() {
        // ResNet stem: 224, k7 s2 p3 -> 112; max pool k3 s2 p1 -> 56.
        let conv =
            Window { kernel: &[7, 7], strides: &[2, 2], pads: &[3, 3, 3, 3], dilations: &[1, 1], ceil_mode: false };
        assert_eq!(window_output(&[224, 224], &conv).unwrap(), vec![112, 112]);
        let pool =
            Window { kernel: &[3, 3], strides: &[2, 2], pads: &[1, 1, 1, 1], dilations: &[1, 1], ceil_mode: false };
        assert_eq!(window_output(&[112, 112], &pool).unwrap(), vec![56, 56]);
        let ceil = Window { kernel: &[2], strides: &[2], pads: &[0, 0], dilations: &[1], ceil_mode: true };
        assert_eq!(window_output(&[5], &ceil).unwrap(), vec![3]);
        let dilated = Window { kernel: &[3], strides: &[1], pads: &[0, 0], dilations: &[2], ceil_mode: false };
        assert_eq!(window_output(&[10], &dilated).unwrap(), vec![6]);
    }

    #[test]
    fn axes() {
        assert_eq!(axis(-1, 4, 0).unwrap(), 3);
        assert_eq!(axis(4, 4, 1).unwrap(), 4);
        assert!(axis(4, 4, 0).is_err());
    }
}
