//! Property tests of the text form: random affine maps, attributes and types print to text that
//! parses back to the same value, and printing what was parsed is a fixed point.

use dnnc_ir::{AffineBinOp, AffineExpr, AffineMap, Attribute, Context, ParseOptions, PrintOptions, TypeId};
use proptest::prelude::*;

fn affine_expr(dims: u32, syms: u32) -> impl Strategy<Value = AffineExpr> {
    let leaf = prop_oneof![
        (0..dims.max(1)).prop_map(AffineExpr::Dim),
        (-50i64..50).prop_map(AffineExpr::Const),
        (0..syms.max(1)).prop_map(move |s| if syms > 0 { AffineExpr::Symbol(s) } else { AffineExpr::Const(s as i64) }),
    ];
    leaf.prop_recursive(4, 24, 2, move |inner| {
        (inner.clone(), inner, 0..5u8, 1i64..9).prop_filter_map("affine", |(a, b, op, k)| {
            let k = AffineExpr::Const(k);
            match op {
                0 => AffineExpr::binary(AffineBinOp::Add, a, b),
                1 => AffineExpr::binary(AffineBinOp::Mul, a, k),
                2 => AffineExpr::binary(AffineBinOp::FloorDiv, a, k),
                3 => AffineExpr::binary(AffineBinOp::CeilDiv, a, k),
                _ => AffineExpr::binary(AffineBinOp::Mod, a, k),
            }
        })
    })
}

fn attribute() -> impl Strategy<Value = Attribute> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Attribute::i64),
        (-128i64..128).prop_map(|value| Attribute::Int { value, ty: TypeId::I8 }),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Attribute::f64),
        any::<f32>().prop_map(|f| Attribute::Float { value: f as f64, ty: TypeId::F32 }),
        prop_oneof![Just(f32::MAX), Just(f32::MIN), Just(f32::MIN_POSITIVE), Just(-0.0f32)]
            .prop_map(|f| Attribute::Float { value: f as f64, ty: TypeId::F32 }),
        any::<bool>().prop_map(Attribute::Bool),
        "[ -~]{0,12}".prop_map(Attribute::string),
        "\\PC{0,6}".prop_map(Attribute::string),
        Just(Attribute::Type(TypeId::INDEX)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Attribute::array),
            prop::collection::vec(("[a-z_][a-z0-9_]{0,5}", inner), 1..3).prop_map(|kv| {
                let mut seen = std::collections::HashSet::new();
                Attribute::dict(kv.into_iter().filter(|(k, _)| seen.insert(k.clone())).map(|(k, v)| (k.into(), v)))
            }),
        ]
    })
}

/// Parses `"t.op"() {a = <attr>} : () -> ()` and returns the attribute and the reprinted text.
fn round_trip(text: &str) -> (Attribute, String) {
    let mut cx = Context::default();
    cx.set_allow_unregistered(true);
    let m = dnnc_ir::parse_source(&mut cx, "p.mlir", text, ParseOptions::default())
        .unwrap_or_else(|d| panic!("{}\n{text}", d.render(&cx.sources)));
    let op = cx.block_first(cx.body(m, 0).unwrap()).unwrap();
    (cx.attr(op, "a").unwrap().clone(), dnnc_ir::print_module(&cx, m, PrintOptions::default()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn affine_maps_round_trip(dims in 0u32..4, syms in 0u32..3, exprs in prop::collection::vec(affine_expr(3, 2), 0..4)) {
        let dims = exprs.iter().map(|e| e.arity().0).max().unwrap_or(0).max(dims);
        let syms = exprs.iter().map(|e| e.arity().1).max().unwrap_or(0).max(syms);
        let map = AffineMap::new(dims, syms, exprs);
        let cx = Context::default();
        let text = format!("\"t.op\"() {{a = {}}} : () -> ()\n", cx.show_attr(&Attribute::affine_map(map.clone())));
        let (attr, printed) = round_trip(&text);
        prop_assert_eq!(attr.as_affine_map().unwrap(), &map);
        prop_assert_eq!(printed, text);
    }

    #[test]
    fn affine_maps_evaluate_like_their_text(a in -100i64..100, b in -100i64..100, e in affine_expr(2, 0)) {
        // Reparsing must not change the value at any point.
        let map = AffineMap::new(2, 0, vec![e]);
        let cx = Context::default();
        let text = format!("\"t.op\"() {{a = {}}} : () -> ()\n", cx.show_attr(&Attribute::affine_map(map.clone())));
        let (attr, _) = round_trip(&text);
        prop_assert_eq!(attr.as_affine_map().unwrap().eval(&[a, b], &[]), map.eval(&[a, b], &[]));
    }

    #[test]
    fn attributes_round_trip(attr in attribute()) {
        let cx = Context::default();
        let text = format!("\"t.op\"() {{a = {}}} : () -> ()\n", cx.show_attr(&attr));
        let (parsed, printed) = round_trip(&text);
        prop_assert_eq!(parsed, attr);
        prop_assert_eq!(printed, text);
    }
}
