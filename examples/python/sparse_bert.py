#!/usr/bin/python3
"""Sparse weights: prune a BERT-base encoder layer to 90% sparsity, compile
it, and compare the latency and the outputs of the sparse and the dense
compilation of the same pruned model (sparsity changes speed, never
results).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/sparse_bert.py
        [--threads N] [--sparsity 0.9] [--pattern unstructured|2:4|block1x4]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import torch

import strata


def latency_ms(model, x, runs=20):
    model(x)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sparsity", type=float, default=0.9)
    parser.add_argument("--pattern", default="unstructured")
    args = parser.parse_args()

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(768, 12, 3072, batch_first=True)
    layer.eval()
    x = torch.randn(1, 128, 768)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bert_layer.onnx")
        # Exported with autograd on: under no_grad PyTorch takes a fused
        # path that has no ONNX export.
        torch.onnx.export(layer, x, path, opset_version=17,
                          input_names=["input"], output_names=["output"])
        # Every MatMul weight (the attention projections and the FFN).
        graph = strata.prune(path, sparsity=args.sparsity, pattern=args.pattern,
                             output=os.path.join(tmp, "pruned.onnx"))
    sparse = strata.compile(graph, threads=args.threads, sparse_threshold=1.0)
    dense = strata.compile(graph, threads=args.threads, sparse_threshold=0.0)
    inputs = x.numpy()
    ys, yd = sparse(inputs), dense(inputs)
    error = float(np.abs(ys - yd).max() / np.abs(yd).max())
    ts, td = latency_ms(sparse, inputs), latency_ms(dense, inputs)
    weights = sparse.mlir("tensorx").count("tensorx.matmul")
    print("%d sparse matmuls; dense %.2f ms, sparse %.2f ms: %.2fx faster "
          "(%d thread%s)" % (weights, td, ts, td / ts, args.threads,
                             "" if args.threads == 1 else "s"))
    print("relative difference of the outputs: %.2e" % error)
    if error > 1e-4 or weights == 0:
        sys.exit("FAILED")
    print("ok")


if __name__ == "__main__":
    main()
