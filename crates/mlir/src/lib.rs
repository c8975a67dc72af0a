//! MLIR interop (being built; see issue 7).
