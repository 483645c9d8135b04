"""Calling compiled models: no input copies when the layout fits, outputs own
their memory, reuse, and calls from several threads."""

import threading

import numpy as np

import strata


def scale_model():
    g = strata.Graph("scale")
    x = g.input("x", (256, 256), "f32")
    g.output(g.tanh(x * 0.5 + 1.0))
    return strata.compile(g)


def test_outputs_own_their_memory_and_reuse():
    m = scale_model()
    a = np.random.rand(256, 256).astype(np.float32)
    first = m(a)
    second = m(a)
    assert first.flags.owndata and first.flags.c_contiguous
    assert first is not second and not np.shares_memory(first, second)
    np.testing.assert_allclose(first, np.tanh(a * 0.5 + 1), rtol=1e-6)
    np.testing.assert_array_equal(first, second)
    for _ in range(50):
        m(a)


def test_non_contiguous_inputs_are_accepted():
    m = scale_model()
    big = np.random.rand(256, 512).astype(np.float32)
    view = big[:, ::2]  # Strided: copied once to a contiguous buffer.
    np.testing.assert_allclose(m(view), np.tanh(view * 0.5 + 1), rtol=1e-6)
    fortran = np.asfortranarray(big[:, :256])
    np.testing.assert_allclose(m(fortran), np.tanh(fortran * 0.5 + 1), rtol=1e-6)


def test_calls_from_several_threads():
    m = scale_model()
    inputs = [np.random.rand(256, 256).astype(np.float32) for _ in range(8)]
    results = [None] * len(inputs)

    def work(i):
        for _ in range(20):
            results[i] = m(inputs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for x, y in zip(inputs, results):
        np.testing.assert_allclose(y, np.tanh(x * 0.5 + 1), rtol=1e-6)


def test_gil_is_released_while_running():
    # A second Python thread makes progress while the model runs.
    g = strata.Graph("slow")
    x = g.input("x", (384, 384), "f32")
    y = x
    for _ in range(6):
        y = g.matmul(y, x) * 0.001
    g.output(y)
    m = strata.compile(g)
    a = np.random.rand(384, 384).astype(np.float32)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)

    t = threading.Thread(target=ticker)
    t.start()
    for _ in range(3):
        m(a)
    stop.set()
    t.join()
    assert len(ticks) > 100


def test_thread_count_is_a_compile_option():
    g = strata.Graph("mm")
    a = g.input("a", (128, 96), "f32")
    b = g.input("b", (96, 200), "f32")
    g.output(g.relu(a @ b))
    x = np.random.rand(128, 96).astype(np.float32)
    y = np.random.rand(96, 200).astype(np.float32)
    expected = np.maximum(x @ y, 0)
    one = strata.compile(g, threads=1)
    two = strata.compile(g, threads=2)
    assert one.threads == 1 and two.threads == 2
    assert strata.compile(g).threads >= 1
    # 0 means every core, as on the command line.
    assert strata.compile(g, threads=0).threads == strata.compile(g).threads
    # Both compute the same thing; only the 2-thread code has OpenMP loops.
    np.testing.assert_allclose(one(x, y), expected, rtol=1e-5)
    np.testing.assert_allclose(two(x, y), expected, rtol=1e-5)
    assert "omp." not in one.mlir("llvm")
    assert "omp.wsloop" in two.mlir("llvm")
    for bad in (-1, 1.5, True):
        try:
            strata.compile(g, threads=bad)
        except strata.Error as e:
            assert "threads" in str(e)
        else:
            raise AssertionError("threads=%r was accepted" % (bad,))


def test_same_value_output_twice():
    # Used to crash the interpreter (SIGSEGV in bufferization): each result
    # now gets its own buffer. Two equal computations that CSE merges are
    # the same case.
    g = strata.Graph("twice")
    x = g.input("x", (4, 8), "f32")
    r = g.relu(x)
    g.output(r, r, g.relu(x))
    m = strata.compile(g)
    a = np.random.rand(4, 8).astype(np.float32) - 0.5
    first, second, third = m(a)
    for out in (first, second, third):
        np.testing.assert_array_equal(out, np.maximum(a, 0))
    assert not np.shares_memory(first, second)
