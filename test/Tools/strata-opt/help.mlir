// strata-opt --help lists Strata's passes with their summaries, beside the
// upstream ones.
// RUN: strata-opt --help | FileCheck %s

// CHECK: Strata optimizer driver
// CHECK: --graph-decompose{{ +}}- Decompose composite graph ops into simpler graph ops
// CHECK: --linalg-generalize-named-ops
