"""The upstream MLIR sparsifier on the FFN of the sparse benchmarks, in its
best form (benchmarks/sparse.py's "upstream" engine): the transposed product
YT[N, M] = W[N, K] . XT[K, M] with W in CSR over its N rows, so that the
inner loop runs over M, contiguous; `--sparsifier` with the runtime library
off (the weight is assembled from the caller's arrays without a copy),
vectors of 16 and FMA contraction. Activations are given transposed and the
result is left transposed: the kernel alone is timed."""

import ctypes
import os
import subprocess

import numpy as np

LLVM = "/usr/lib/llvm-22/bin"

KERNEL = """
#CSR = #sparse_tensor.encoding<{{ map = (i, j) -> (i : dense, j : compressed),
                                 posWidth = 32, crdWidth = 32 }}>
#trait = {{ indexing_maps = [affine_map<(n, m, k) -> (n, k)>,
                            affine_map<(n, m, k) -> (k, m)>,
                            affine_map<(n, m, k) -> (n, m)>],
           iterator_types = ["parallel", "parallel", "reduction"] }}
func.func @kernel(%pos: tensor<{n1}xi32>, %crd: tensor<?xi32>,
                  %val: tensor<?xf32>, %xt: tensor<{k}x{m}xf32>,
                  %out: tensor<{n}x{m}xf32> {{bufferization.writable = true}})
    -> tensor<{n}x{m}xf32> attributes {{llvm.emit_c_interface}} {{
  %w = sparse_tensor.assemble (%pos, %crd), %val
      : (tensor<{n1}xi32>, tensor<?xi32>), tensor<?xf32>
        to tensor<{n}x{k}xf32, #CSR>
  %y = linalg.generic #trait
      ins(%w, %xt : tensor<{n}x{k}xf32, #CSR>, tensor<{k}x{m}xf32>)
      outs(%out : tensor<{n}x{m}xf32>) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b fastmath<contract> : f32
    %s = arith.addf %o, %p fastmath<contract> : f32
    linalg.yield %s : f32
  }} -> tensor<{n}x{m}xf32>
  return %y : tensor<{n}x{m}xf32>
}}
"""


def _descriptor(rank):
    class Desc(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64),
                    ("sizes", ctypes.c_int64 * rank),
                    ("strides", ctypes.c_int64 * rank)]
    return Desc


def _describe(array):
    desc = _descriptor(array.ndim)()
    desc.allocated = desc.aligned = array.ctypes.data
    desc.offset = 0
    for i, (size, stride) in enumerate(zip(array.shape, array.strides)):
        desc.sizes[i] = size
        desc.strides[i] = stride // array.itemsize
    return desc


class UpstreamSparseMatmul:
    """x @ w for a fixed sparse w (K x N) by the upstream sparsifier; call
    with XT (K x M, C-contiguous float32), returns YT (N x M)."""

    def __init__(self, w, m, directory):
        k, n = w.shape
        source = os.path.join(directory, "upstream_%dx%dx%d.mlir" % (m, k, n))
        library = source[:-len(".mlir")] + ".so"
        if not os.path.exists(library):
            with open(source, "w") as f:
                f.write(KERNEL.format(m=m, k=k, n=n, n1=n + 1))
            lowered = source + ".llvm.mlir"
            subprocess.run([os.path.join(LLVM, "mlir-opt"), source,
                            "--sparsifier=enable-runtime-library=false vl=16",
                            "-o", lowered], check=True)
            ir = source + ".ll"
            subprocess.run([os.path.join(LLVM, "mlir-translate"),
                            "--mlir-to-llvmir", lowered, "-o", ir], check=True)
            subprocess.run([os.path.join(LLVM, "clang"), "-O3", "-march=native",
                            "-shared", "-fPIC", "-Wno-override-module", ir,
                            "-o", library], check=True)
        self._fn = ctypes.CDLL(library)._mlir_ciface_kernel
        wt = np.ascontiguousarray(w.T)  # N x K: CSR over the output rows
        nz = wt != 0
        self.pos = np.concatenate([[0], np.cumsum(nz.sum(axis=1))]).astype(np.int32)
        self.crd = np.nonzero(nz)[1].astype(np.int32)
        self.val = wt[nz].astype(np.float32)
        self.out = np.zeros((n, m), np.float32)
        self._args = [_describe(a) for a in (self.pos, self.crd, self.val)]
        self._result = _descriptor(2)()

    def __call__(self, xt):
        self.out.fill(0.0)
        descs = self._args + [_describe(xt), _describe(self.out)]
        self._fn(ctypes.byref(self._result),
                 *[ctypes.byref(d) for d in descs])
        return self.out
