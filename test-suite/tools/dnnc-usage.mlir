// RUN: dnnc %s --emit=schedule
// RUN: dnnc
// The driver's --emit stages arrive with the issues that implement them; until then every
// stage is a usage error that says so, and no output is produced.
