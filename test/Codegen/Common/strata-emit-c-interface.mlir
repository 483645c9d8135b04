// RUN: strata-opt %s -strata-emit-c-interface | FileCheck %s

// Public functions with a body get `llvm.emit_c_interface` (the ABI of the
// JIT and the Python bindings); private functions and declarations do not.
// CHECK-LABEL: func.func @entry
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @entry(%x: memref<4xf32>) {
  func.call @helper(%x) : (memref<4xf32>) -> ()
  return
}

// CHECK-LABEL: func.func private @helper
// CHECK-NOT: llvm.emit_c_interface
func.func private @helper(%x: memref<4xf32>) {
  return
}

// CHECK-LABEL: func.func private @external
// CHECK-NOT: llvm.emit_c_interface
func.func private @external(%x: memref<4xf32>)
