"""Int8 accuracy on real data: a CNN trained here on the digits data set of
Debian's python3-sklearn (examples/models/digits.py), quantized with
strata.quantize from 100 training images, and its test-split accuracy in
float32 and int8 side by side. Quantization may cost at most one
percentage point."""

import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(ROOT, "examples", "models"))

pytest.importorskip("sklearn", reason="python3-sklearn is not installed")
pytest.importorskip("torch")

import digits  # noqa: E402
import strata  # noqa: E402


def test_int8_accuracy_within_one_point(tmp_path):
    model, (x_train, _), (x_test, y_test) = digits.train_digits_cnn()
    path = str(tmp_path / "digits.onnx")
    digits.export_onnx(model, path)
    quantized = strata.quantize(path, [x_train[i:i + 1] for i in range(100)],
                                output=str(tmp_path / "digits_int8.onnx"))
    print(quantized.quantization)

    def predictor(m):
        return lambda x: np.concatenate([m(x[i:i + 1])
                                         for i in range(len(x))])

    float_accuracy = digits.accuracy(predictor(strata.compile(path)),
                                     x_test, y_test)
    int8_accuracy = digits.accuracy(predictor(strata.compile(quantized)),
                                    x_test, y_test)
    print("digits test split (%d images): float32 %.2f%%, int8 %.2f%%"
          % (len(x_test), 100 * float_accuracy, 100 * int8_accuracy))
    assert float_accuracy >= 0.95
    assert int8_accuracy >= float_accuracy - 0.01
