"""Resize as PyTorch exports it (F.interpolate and nn.Upsample at opset 13:
nearest, bilinear and bicubic, with and without align_corners, up and
down, by scale factor and by size), imported and run by strata-run, checked
against PyTorch. The ONNX conformance suite covers the other coordinate
modes, nearest modes, cubic coefficients, exclude_outside and
tf_crop_and_resize."""

import io

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="python3-torch is required")
F = torch.nn.functional


class Interpolate(torch.nn.Module):
    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs

    def forward(self, x):
        return F.interpolate(x, **self.kwargs)


CASES = {
    "nearest_x2": dict(scale_factor=2, mode="nearest"),
    "nearest_size": dict(size=(5, 9), mode="nearest"),
    "bilinear_x2": dict(scale_factor=2, mode="bilinear",
                        align_corners=False),
    "bilinear_align_corners": dict(size=(11, 6), mode="bilinear",
                                   align_corners=True),
    "bilinear_down": dict(size=(3, 4), mode="bilinear", align_corners=False),
    "bicubic_x2": dict(scale_factor=2, mode="bicubic", align_corners=False),
    "bicubic_align_corners": dict(size=(9, 13), mode="bicubic",
                                  align_corners=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_resize_matches_pytorch(runner, name):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 7, 8)
    model = Interpolate(**CASES[name])
    buffer = io.BytesIO()
    torch.onnx.export(model, x, buffer, opset_version=13,
                      input_names=["x"], output_names=["y"])
    out = runner.run(buffer.getvalue(), [x.numpy()], model_suffix=".onnx")
    expected = model(x).numpy()
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
