"""GridSample as PyTorch exports F.grid_sample (opset 16): every mode
(bilinear, nearest, bicubic), padding mode (zeros, border, reflection) and
align_corners, with grid points outside [-1, 1], imported and run by
strata-run, checked against PyTorch."""

import io
import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="python3-torch is required")
F = torch.nn.functional


class GridSample(torch.nn.Module):
    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs

    def forward(self, x, grid):
        return F.grid_sample(x, grid, **self.kwargs)


CASES = list(itertools.product(["bilinear", "nearest", "bicubic"],
                               ["zeros", "border", "reflection"],
                               [False, True]))


@pytest.mark.parametrize("mode,padding,align", CASES)
def test_grid_sample_matches_pytorch(runner, mode, padding, align):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 5, 7)
    # Points beyond the image, on it and between pixels; none exactly
    # halfway between two pixels, where nearest's rounding is a tie.
    grid = torch.rand(2, 4, 6, 2) * 2.6 - 1.3 + 1e-3
    model = GridSample(mode=mode, padding_mode=padding, align_corners=align)
    buffer = io.BytesIO()
    torch.onnx.export(model, (x, grid), buffer, opset_version=16,
                      input_names=["x", "grid"], output_names=["y"])
    out = runner.run(buffer.getvalue(), [x.numpy(), grid.numpy()],
                     model_suffix=".onnx")
    expected = model(x, grid).numpy()
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
