//! Deserializing a map into a struct field by field with PyYAML's semantics for repeated keys:
//! the last occurrence wins. ZigZag's own `tpu_like.yaml` lists `ports:` twice in one memory
//! (an old form first), which serde's derived impls would reject as a duplicate field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A struct filled one key at a time. `field` reads the value of `key` with `map.next_value()`
/// and returns `Ok(false)` for a key it does not know (which becomes an "unknown field" error
/// listing `FIELDS`).
pub(crate) trait LastWins: Default {
    const EXPECTING: &'static str;
    const FIELDS: &'static [&'static str];
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
}

/// Wrapper whose `Deserialize` drives a [`LastWins`] struct.
pub(crate) struct Lw<T>(pub T);

impl<'de, T: LastWins> Deserialize<'de> for Lw<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: LastWins> Visitor<'de> for V<T> {
            type Value = Lw<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lw<T>, A::Error> {
                let mut out = T::default();
                while let Some(key) = map.next_key::<String>()? {
                    if !out.field(&key, &mut map)? {
                        return Err(de::Error::unknown_field(&key, T::FIELDS));
                    }
                }
                Ok(Lw(out))
            }
        }
        deserializer.deserialize_map(V(PhantomData))
    }
}
