//! The cost model (under construction).
