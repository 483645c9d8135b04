"""ONNX Einsum, imported and JIT-run by strata-run, against numpy.einsum:
matmuls with batch letters, attention's contractions, transposes,
diagonals, sums, outer and Hadamard products, implicit outputs, ellipses
and three operands."""

import numpy as np
import pytest
from onnx import TensorProto, helper

rng = np.random.default_rng(3)

# equation -> operand shapes
CASES = {
    "ij,jk->ik": [(3, 4), (4, 5)],
    "bij,bjk->bik": [(2, 3, 4), (2, 4, 5)],
    "bhqd,bhkd->bhqk": [(1, 2, 5, 8), (1, 2, 6, 8)],
    "bhqk,bhkd->bqhd": [(1, 2, 5, 6), (1, 2, 6, 8)],
    "i,i->": [(7,), (7,)],
    "ij->ji": [(3, 5)],
    "ii->i": [(4, 4)],
    "bii->bi": [(2, 3, 3)],
    "ij->": [(3, 4)],
    "ij,ij->ij": [(3, 4), (3, 4)],
    "i,j->ij": [(3,), (4,)],
    "ijk,jl->ikl": [(2, 3, 4), (3, 5)],
    "ij,jk": [(3, 4), (4, 2)],
    "ba": [(3, 4)],
    "...ij,...jk->...ik": [(2, 3, 4), (2, 4, 5)],
    "abc,cd,de->abe": [(2, 3, 4), (4, 5), (5, 6)],
    "iij->j": [(3, 3, 4)],
}


@pytest.mark.parametrize("equation", sorted(CASES))
def test_einsum_matches_numpy(runner, equation):
    shapes = CASES[equation]
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    names = ["x%d" % i for i in range(len(arrays))]
    graph = helper.make_graph(
        [helper.make_node("Einsum", names, ["y"], equation=equation)], "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, a.shape)
         for n, a in zip(names, arrays)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    out = runner.run(model.SerializeToString(), arrays, model_suffix=".onnx")
    expected = np.einsum(equation, *arrays)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
