//! `--emit=json`: the [`Schedule`] as pretty JSON, schema `dnnc.schedule/1`
//! (docs/schedule-json.md). The text is a pure function of the schedule — fields in declaration
//! order, floats as serde_json prints them (shortest round-trip form) — so two runs that produce
//! the same schedule produce byte-identical files that diff cleanly.

use crate::schedule::Schedule;

/// The schedule as pretty-printed JSON (two-space indent, trailing newline). Non-finite floats
/// (a cost the model could not bound) become `null`, as serde_json writes them.
pub fn to_json(s: &Schedule) -> String {
    // Every type in `Schedule` is a struct, sequence, tuple, string or number: serde_json can
    // always write them, so an error here is a bug in this crate, not bad input.
    let mut text = serde_json::to_string_pretty(s).expect("a Schedule always serialises to JSON");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::sample;
    use crate::schedule::SCHEMA;
    use serde_json::Value;
    use std::collections::BTreeSet;

    const DOC: &str = include_str!("../../../docs/schedule-json.md");

    /// Every object key anywhere in `v`.
    fn keys(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    out.insert(k.clone());
                    keys(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|child| keys(child, out)),
            _ => {}
        }
    }

    /// The field names the doc's tables list: the first backticked word of each table row.
    fn documented_fields() -> BTreeSet<String> {
        DOC.lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split('`').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn parses_back_with_the_schema_string() {
        let s = sample();
        let v: Value = serde_json::from_str(&to_json(&s)).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        assert_eq!(v["layers"].as_array().unwrap().len(), 3);
        assert_eq!(v["layers"][2]["part"], "matmul");
        assert_eq!(v["layers"][1]["mapping"], Value::Null);
        assert_eq!(v["layers"][0]["dims"][1], serde_json::json!(["K", 64]));
        assert_eq!(v["groups"][0]["on_chip"][0], serde_json::json!([0, 1, "sram"]));
        assert_eq!(v["totals"]["macs"], 5_931_008);
    }

    #[test]
    fn fields_keep_declaration_order_and_output_is_stable() {
        let s = sample();
        let a = to_json(&s);
        assert_eq!(a, to_json(&s.clone()));
        let order = ["\"schema\"", "\"model\"", "\"arch\"", "\"objective\"", "\"seed\"", "\"layers\"", "\"groups\""];
        let at: Vec<usize> = order.iter().map(|k| a.find(k).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "top-level fields out of order:\n{a}");
        assert!(a.ends_with("}\n"));
    }

    #[test]
    fn non_finite_floats_become_null() {
        let mut s = sample();
        s.layers[0].cost.roofline_fraction = f64::NAN;
        let v: Value = serde_json::from_str(&to_json(&s)).unwrap();
        assert_eq!(v["layers"][0]["cost"]["roofline_fraction"], Value::Null);
    }

    /// The doc's example is valid JSON of this schema and uses only documented fields.
    #[test]
    fn the_doc_example_parses() {
        let example = DOC.split("```json\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a ```json block");
        let v: Value = serde_json::from_str(example).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        let mut used = BTreeSet::new();
        keys(&v, &mut used);
        let documented = documented_fields();
        let undocumented: Vec<_> = used.difference(&documented).collect();
        assert!(undocumented.is_empty(), "the example uses undocumented fields {undocumented:?}");
    }

    #[test]
    fn the_doc_lists_every_serialised_field() {
        let mut emitted = BTreeSet::new();
        keys(&serde_json::from_str(&to_json(&sample())).unwrap(), &mut emitted);
        let documented = documented_fields();
        let missing: Vec<_> = emitted.difference(&documented).collect();
        assert!(missing.is_empty(), "docs/schedule-json.md does not document {missing:?}");
        let stale: Vec<_> = documented.difference(&emitted).collect();
        assert!(stale.is_empty(), "docs/schedule-json.md documents fields the schedule never writes: {stale:?}");
        assert!(DOC.contains(SCHEMA));
    }
}
