//! ONNX `Einsum` equations (`"bij,bjk->bik"`, `"...ij,...jk"`, `"ii->i"`): parsed into one label
//! per operand dimension, with the ellipsis expanded into labels of its own (aligned right, as
//! numpy broadcasts), and the sizes every label takes. Shared by the graph op's shape inference
//! and its lowering to einsums.

use std::collections::BTreeMap;

/// A dimension label: a letter's code, or `ELLIPSIS + k` for the `k`-th dimension of the
/// ellipsis counted from its end (so broadcast dimensions of operands of different ranks line
/// up).
pub type Label = u32;

/// Labels of ellipsis dimensions start here (above every letter's code).
pub const ELLIPSIS: Label = 1 << 16;

/// A parsed equation.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    /// Per operand, the label of each of its dimensions.
    pub inputs: Vec<Vec<Label>>,
    /// The result's labels, in its dimension order.
    pub output: Vec<Label>,
    /// Every label's size (the largest over operands: ellipsis dimensions of size 1 broadcast).
    pub sizes: BTreeMap<Label, i64>,
}

impl Equation {
    /// Parses `equation` for operands of `shapes`.
    pub fn parse(equation: &str, shapes: &[&[i64]]) -> Result<Equation, String> {
        let text: String = equation.chars().filter(|c| !c.is_whitespace()).collect();
        let (lhs, rhs) = match text.split_once("->") {
            Some((l, r)) => (l, Some(r)),
            None => (text.as_str(), None),
        };
        let terms: Vec<&str> = lhs.split(',').collect();
        if terms.len() != shapes.len() {
            return Err(format!("equation {equation:?} has {} operands, the op {}", terms.len(), shapes.len()));
        }
        let mut inputs = Vec::new();
        let mut ellipsis_rank = 0usize;
        for (term, shape) in terms.iter().zip(shapes) {
            let labels = labels_of(term, shape.len(), equation)?;
            ellipsis_rank = ellipsis_rank.max(labels.iter().filter(|&&l| l >= ELLIPSIS).count());
            inputs.push(labels);
        }
        let mut sizes: BTreeMap<Label, i64> = BTreeMap::new();
        for (labels, shape) in inputs.iter().zip(shapes) {
            for (&label, &size) in labels.iter().zip(shape.iter()) {
                let entry = sizes.entry(label).or_insert(size);
                if *entry != size {
                    let broadcast = label >= ELLIPSIS && (*entry == 1 || size == 1);
                    if !broadcast {
                        return Err(format!(
                            "equation {equation:?}: {} has sizes {} and {size}",
                            describe(label),
                            *entry
                        ));
                    }
                    *entry = (*entry).max(size);
                }
            }
        }
        let output = match rhs {
            Some(r) => {
                let labels = labels_of(r, usize::MAX, equation)?;
                // The ellipsis of the output stands for every broadcast dimension.
                let mut out = Vec::new();
                for l in labels {
                    if l == ELLIPSIS_MARK {
                        out.extend((0..ellipsis_rank as Label).rev().map(|k| ELLIPSIS + k));
                    } else {
                        out.push(l);
                    }
                }
                for &l in &out {
                    if !sizes.contains_key(&l) {
                        return Err(format!("equation {equation:?}: output {} is in no operand", describe(l)));
                    }
                }
                if (1..out.len()).any(|i| out[..i].contains(&out[i])) {
                    return Err(format!("equation {equation:?} repeats an output label"));
                }
                out
            }
            None => {
                // Implicit output: the ellipsis, then the letters used once, alphabetically.
                let mut out: Vec<Label> = (0..ellipsis_rank as Label).rev().map(|k| ELLIPSIS + k).collect();
                let count = |l: Label| inputs.iter().flatten().filter(|&&x| x == l).count();
                out.extend(sizes.keys().copied().filter(|&l| l < ELLIPSIS && count(l) == 1));
                out
            }
        };
        Ok(Equation { inputs, output, sizes })
    }

    /// The result's shape.
    pub fn output_shape(&self) -> Vec<i64> {
        self.output.iter().map(|l| self.sizes[l]).collect()
    }
}

/// Stand-in for the output's `...` until it is expanded.
const ELLIPSIS_MARK: Label = Label::MAX;

/// The labels of one term for an operand of `rank` dimensions (`usize::MAX`: the output, whose
/// ellipsis stays one mark).
fn labels_of(term: &str, rank: usize, equation: &str) -> Result<Vec<Label>, String> {
    let (before, after, has_ellipsis) = match term.split_once("...") {
        Some((b, a)) => (b, a, true),
        None => (term, "", false),
    };
    let letters = |s: &str| -> Result<Vec<Label>, String> {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    Ok(c as Label)
                } else {
                    Err(format!("equation {equation:?}: {c:?} is not a label"))
                }
            })
            .collect()
    };
    if after.contains("...") {
        return Err(format!("equation {equation:?}: term {term:?} has two ellipses"));
    }
    let (head, tail) = (letters(before)?, letters(after)?);
    if !has_ellipsis {
        if rank != usize::MAX && head.len() != rank {
            return Err(format!("equation {equation:?}: term {term:?} has {} labels for {rank} dims", head.len()));
        }
        return Ok(head);
    }
    let mut labels = head.clone();
    if rank == usize::MAX {
        labels.push(ELLIPSIS_MARK);
    } else {
        let broadcast = rank
            .checked_sub(head.len() + tail.len())
            .ok_or_else(|| format!("equation {equation:?}: term {term:?} has more labels than its {rank} dims"))?;
        labels.extend((0..broadcast as Label).rev().map(|k| ELLIPSIS + k));
    }
    labels.extend(tail);
    Ok(labels)
}

/// A label as the equation writes it.
fn describe(label: Label) -> String {
    if label >= ELLIPSIS {
        format!("ellipsis dimension {}", label - ELLIPSIS)
    } else {
        format!("label {:?}", char::from_u32(label).unwrap_or('?'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(eq: &str, shapes: &[&[i64]]) -> Result<Vec<i64>, String> {
        Equation::parse(eq, shapes).map(|e| e.output_shape())
    }

    #[test]
    fn explicit_implicit_and_ellipsis_outputs() {
        assert_eq!(shape("ij,jk->ik", &[&[2, 3], &[3, 4]]), Ok(vec![2, 4]));
        assert_eq!(shape("bij,bkj->bik", &[&[5, 2, 3], &[5, 4, 3]]), Ok(vec![5, 2, 4]));
        // Implicit: letters used once, alphabetically (ji stays "ij"): a transpose is explicit.
        assert_eq!(shape("ji", &[&[2, 3]]), Ok(vec![3, 2]));
        assert_eq!(shape("ij,jk", &[&[2, 3], &[3, 4]]), Ok(vec![2, 4]));
        assert_eq!(shape("ii->i", &[&[3, 3]]), Ok(vec![3]));
        assert_eq!(shape("ij->", &[&[3, 4]]), Ok(vec![]));
        // The ellipsis broadcasts, aligned right, and leads an implicit output.
        assert_eq!(shape("...ij,...jk->...ik", &[&[7, 2, 3], &[1, 3, 4]]), Ok(vec![7, 2, 4]));
        assert_eq!(shape("...ij,jk", &[&[6, 7, 2, 3], &[3, 4]]), Ok(vec![6, 7, 2, 4]));
        assert_eq!(shape("b...,b...->b...", &[&[2, 3, 4], &[2, 3, 1]]), Ok(vec![2, 3, 4]));
    }

    #[test]
    fn mismatches_are_errors() {
        assert!(shape("ij,jk->ik", &[&[2, 3], &[4, 4]]).unwrap_err().contains("label 'j'"));
        assert!(shape("ij->ik", &[&[2, 3]]).unwrap_err().contains("in no operand"));
        assert!(shape("ijk->i", &[&[2, 3]]).unwrap_err().contains("3 labels for 2 dims"));
        assert!(shape("i1->i", &[&[2, 3]]).unwrap_err().contains("not a label"));
        assert!(shape("ij,jk->ik", &[&[2, 3]]).unwrap_err().contains("2 operands"));
        assert!(shape("ij->ii", &[&[2, 2]]).unwrap_err().contains("repeats"));
        assert!(shape("...i...->i", &[&[2, 2]]).unwrap_err().contains("two ellipses"));
    }
}
