//! Keeping dnnc's attribute order through MLIR.
//!
//! dnnc's attribute dictionaries keep insertion order (`{kind, dims, sizes, maps, …}`,
//! `source_attrs = {beta, transB, alpha, transA}` as ONNX wrote them); MLIR's dictionaries
//! are sorted by name. So that `dnnc -> MLIR -> dnnc` prints the same text, an op whose
//! dictionary (or a dictionary nested in it) is not sorted carries the order it had as the
//! discardable attribute `dnnc.attr_order`; ops already in sorted order carry nothing. The
//! importer applies it and drops it; without it, dictionaries stay in MLIR's sorted order.
//!
//! The order of a dictionary is an array of entries, each the key (`"kind"`) or, when the
//! value holds dictionaries of its own, `[key, order of the value]`; the order of an array
//! holding dictionaries is a dictionary from element index to that element's order.

use dnnc_ir::{AttrDict, Attribute};
use std::sync::Arc;

/// Name of the discardable attribute carrying an op's attribute order.
pub const ATTR_ORDER: &str = "dnnc.attr_order";

/// The order of `dict` when it (or a dictionary inside it) is not sorted by key.
pub fn order_of_dict(dict: &AttrDict) -> Option<Attribute> {
    let sorted = dict.keys().zip(dict.keys().skip(1)).all(|(a, b)| a.as_bytes() < b.as_bytes());
    let children: Vec<Option<Attribute>> = dict.values().map(order_of).collect();
    if sorted && children.iter().all(Option::is_none) {
        return None;
    }
    Some(Attribute::array(dict.keys().zip(children).map(|(k, child)| match child {
        None => Attribute::String(k.clone()),
        Some(c) => Attribute::array([Attribute::String(k.clone()), c]),
    })))
}

fn order_of(attr: &Attribute) -> Option<Attribute> {
    match attr {
        Attribute::Dict(d) => order_of_dict(d),
        Attribute::Array(items) => {
            let inner: Vec<(Arc<str>, Attribute)> =
                items.iter().enumerate().filter_map(|(i, a)| Some((Arc::from(i.to_string()), order_of(a)?))).collect();
            (!inner.is_empty()).then(|| Attribute::dict(inner))
        }
        _ => None,
    }
}

/// `dict` rearranged as `order` says (keys it does not name keep their relative order, after
/// the named ones). A malformed order is an error naming what is wrong.
pub fn apply_to_dict(dict: &AttrDict, order: &Attribute) -> Result<AttrDict, String> {
    let entries = order.as_array().ok_or("dnnc.attr_order: a dictionary's order must be an array")?;
    let mut out = AttrDict::with_capacity(dict.len());
    for entry in entries {
        let (key, child) = match entry {
            Attribute::String(k) => (k.clone(), None),
            Attribute::Array(pair) => match &pair[..] {
                [Attribute::String(k), child] => (k.clone(), Some(child)),
                _ => return Err("dnnc.attr_order: an entry must be a key or [key, order]".into()),
            },
            _ => return Err("dnnc.attr_order: an entry must be a key or [key, order]".into()),
        };
        let value = dict.get(&key).ok_or_else(|| format!("dnnc.attr_order names `{key}`, which the op lacks"))?;
        let value = match child {
            Some(c) => apply(value, c)?,
            None => value.clone(),
        };
        out.insert(key, value);
    }
    for (k, v) in dict {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(out)
}

fn apply(attr: &Attribute, order: &Attribute) -> Result<Attribute, String> {
    match (attr, order) {
        (Attribute::Dict(d), _) => Ok(Attribute::Dict(Arc::new(apply_to_dict(d, order)?))),
        (Attribute::Array(items), Attribute::Dict(per_item)) => {
            let mut items: Vec<Attribute> = items.to_vec();
            for (index, child) in per_item.iter() {
                let i: usize =
                    index.parse().map_err(|_| format!("dnnc.attr_order: `{index}` is not an array index"))?;
                let item = items.get(i).ok_or_else(|| format!("dnnc.attr_order: index {i} beyond the array"))?;
                items[i] = apply(item, child)?;
            }
            Ok(Attribute::array(items))
        }
        _ => Err("dnnc.attr_order does not match the attribute's shape".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(keys: &[&str]) -> AttrDict {
        keys.iter().map(|k| (Arc::from(*k), Attribute::i64(1))).collect()
    }

    #[test]
    fn sorted_dictionaries_need_no_order() {
        assert!(order_of_dict(&dict(&["a", "b", "c"])).is_none());
    }

    #[test]
    fn order_round_trips_through_a_sorted_dictionary() {
        let mut d = dict(&["kind", "dims"]);
        d.insert("source_attrs".into(), Attribute::Dict(Arc::new(dict(&["beta", "alpha"]))));
        d.insert("list".into(), Attribute::array([Attribute::i64(0), Attribute::Dict(Arc::new(dict(&["z", "y"])))]));
        let order = order_of_dict(&d).unwrap();
        // What MLIR hands back: everything sorted.
        let sort = |d: &AttrDict| {
            let mut s = d.clone();
            s.sort_keys();
            s
        };
        let mut mlir = sort(&d);
        mlir.insert("source_attrs".into(), Attribute::Dict(Arc::new(dict(&["alpha", "beta"]))));
        mlir.insert("list".into(), Attribute::array([Attribute::i64(0), Attribute::Dict(Arc::new(dict(&["y", "z"])))]));
        let back = apply_to_dict(&mlir, &order).unwrap();
        let keys = |d: &AttrDict| d.keys().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(keys(&back), ["kind", "dims", "source_attrs", "list"]);
        assert_eq!(keys(back["source_attrs"].as_dict().unwrap()), ["beta", "alpha"]);
        assert_eq!(keys(back["list"].as_array().unwrap()[1].as_dict().unwrap()), ["z", "y"]);
    }

    #[test]
    fn malformed_orders_are_errors() {
        let d = dict(&["a"]);
        assert!(apply_to_dict(&d, &Attribute::array([Attribute::string("missing")])).is_err());
        assert!(apply_to_dict(&d, &Attribute::i64(3)).is_err());
    }
}
