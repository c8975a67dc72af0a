//! Typed `u32` handles for every kind of IR entity.
//!
//! The IR lives in arenas owned by a [`crate::Context`]; everything else refers to it through
//! these copyable ids rather than references, so passes can hold ids across mutations and the
//! borrow checker never has to reason about a graph of `Rc<RefCell<_>>`. An id is only
//! meaningful together with the context that issued it.

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The arena index of this entity.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            #[inline]
            pub(crate) fn from_index(index: usize) -> Self {
                debug_assert!(index < u32::MAX as usize, "arena overflow");
                Self(index as u32)
            }
        }
    };
}

entity_id!(
    /// An operation.
    OpId
);
entity_id!(
    /// An SSA value: an operation result or a block argument.
    ValueId
);
entity_id!(
    /// A basic block inside a region.
    BlockId
);
entity_id!(
    /// A region owned by an operation.
    RegionId
);
entity_id!(
    /// An interned type; equal types have equal ids within one context.
    TypeId
);
entity_id!(
    /// An interned operation name such as `arith.addi`.
    OpNameId
);
