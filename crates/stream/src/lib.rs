//! Analytic model of streaming dataflow designs (being built; see issue 6).
