"""Tiny ONNX files for the inference error tests (committed under test/integration/inference/fixtures/).

  /usr/bin/python3 training/make_test_fixtures.py
"""
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "integration", "inference", "fixtures")


class OneChannel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 1, 3, padding=1)

    def forward(self, x):
        return torch.sigmoid(self.conv(x).squeeze(1))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    path = os.path.join(OUT, "wrong-shape.onnx")
    # Valid ONNX, wrong input: [batch, 1, 128] instead of [batch, 3, 256].
    torch.onnx.export(OneChannel().eval(), torch.zeros(1, 1, 128), path, input_names=["x"], output_names=["score"],
                      dynamic_axes={"x": {0: "batch"}, "score": {0: "batch"}}, opset_version=13)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
