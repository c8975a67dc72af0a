//! Discrete-event dataflow simulator (being built; see issue 6).
