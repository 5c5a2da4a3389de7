"""Write the parity fixture for a model folder: fixed inputs with the PyTorch outputs, plus two raw series
with Python-side preprocessing and windowed scores. test/integration/inference/parity.test.ts runs the same
through onnxruntime-node and the TypeScript preprocessing and asserts agreement within 1e-4.

  /usr/bin/python3 training/parity.py --model resources/models/tsad-window-cnn/1.0.0
"""
import argparse
import json
import math
import os

import numpy as np
import torch

from common import global_stats, pad_series, score_series, window_features
from model import IN_CHANNELS, WINDOW
from train import load_model_folder, torch_runner


def nan_to_none(xs):
    return [None if not math.isfinite(float(x)) else float(x) for x in xs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="model folder with weights.pt and card.json")
    ap.add_argument("--seed", type=int, default=123)
    args = ap.parse_args()
    torch.set_num_threads(1)
    card, net = load_model_folder(args.model, "--model")
    net.eval()
    run = torch_runner(net)

    rng = np.random.default_rng(args.seed)
    # Batch: two random feature tensors, one all-zero, one with a missing stretch and clipped values.
    batch = rng.normal(size=(4, IN_CHANNELS, WINDOW)).astype(np.float32)
    batch[0, 2] = 0.0
    batch[1, 2] = (rng.random(WINDOW) < 0.1).astype(np.float32)
    batch[2] = 0.0
    batch[3, :2] = np.clip(batch[3, :2] * 8, -10, 10)
    batch[3, 2] = 0.0
    batch[3, 2, 100:140] = 1.0
    batch[3, :2, 100:140] = 0.0
    scores, types = run(batch)

    series_cases = []
    t = np.arange(1000)
    long = np.sin(2 * np.pi * t / 37) * 2 + 0.1 * rng.normal(size=1000) + 5
    long[400:460] += 3.0
    long[700] = 30.0
    long[200] = 500.0  # far beyond the clip, in the first window: exercises a "log" feature tail
    long[820:840] = math.nan
    short = np.cos(2 * np.pi * np.arange(150) / 20) + 0.05 * rng.normal(size=150)
    short[10:15] = math.nan
    tail = card["preprocessing"].get("tail", "clip")
    for name, values, stride in (("long", long, 100), ("short", short, WINDOW)):
        med, scale = global_stats(values)
        first = window_features(pad_series(values)[None, :WINDOW], med, scale, tail)[0]
        s, starts, probs = score_series(run, values, stride=stride, batch=7, tail=tail)
        series_cases.append(
            {
                "name": name,
                "values": nan_to_none(values),
                "stride": stride,
                "batchSize": 7,
                "median": med,
                "scale": scale,
                "firstWindowFeatures": first.reshape(-1).tolist(),
                "windowStarts": list(map(int, starts)),
                "scores": s.tolist(),
                "typeProbs": probs.reshape(-1).tolist(),
            }
        )

    fixture = {
        "model": f"{card['name']}@{card['version']}",
        "sha256": card["onnx"]["sha256"],
        "torch": torch.__version__,
        "batch": {
            "shape": list(batch.shape),
            "input": batch.reshape(-1).tolist(),
            "score": scores.reshape(-1).tolist(),
            "typeProbs": types.reshape(-1).tolist(),
        },
        "series": series_cases,
    }
    out = os.path.join(args.model, "parity.json")
    with open(out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
