//! The dataflow dialect (being built; see issue 6).
