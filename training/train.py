"""Train the bundled window detector on a labeled series folder (main/synth/format.ts layout).

  npx tsx main/synth/cli-entry.ts --out /tmp/synth-train --count 1500 --seed 1
  npx tsx main/synth/cli-entry.ts --out /tmp/synth-val --count 200 --seed 2
  /usr/bin/python3 training/train.py --data /tmp/synth-train --val /tmp/synth-val \
      --out resources/models/tsad-window-cnn/1.0.0

Writes OUT/model.onnx, OUT/card.json and OUT/weights.pt (the PyTorch weights fine-tuning starts from).
--quick trains a few hundred steps (well under a minute on 2 CPU cores) for CI.
"""
import argparse
import datetime
import json
import os
import platform
import random
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import TAILS, evaluate, global_stats, load_folder, window_features
from export import INPUT_NAME, OPSET, OUTPUT_NAMES, export_onnx, sha256_of
from model import IN_CHANNELS, TYPES, WINDOW, WindowDetector, parameter_count

MODEL_NAME = "tsad-window-cnn"
TYPE_INDEX = {t: i for i, t in enumerate(TYPES)}


def block_view(s, f):
    """The series averaged over blocks of f points, as main/inference/multiscale.ts blockMeans scores it at scale f
    (missing points skipped, an all-missing block NaN); a block is labeled when any of its points is, and its type
    is the largest type index among its labeled points. Anomaly intervals are mapped to the blocks they touch."""
    if f == 1:
        return s
    v = s["values"]
    n = len(v)
    m = -(-n // f)
    pad = m * f - n
    vv = np.concatenate([v, np.full(pad, np.nan)]).reshape(m, f)
    finite = np.isfinite(vv)
    count = finite.sum(axis=1)
    sums = np.where(finite, vv, 0.0).sum(axis=1)
    values = np.where(count > 0, sums / np.maximum(count, 1), np.nan)
    labels = np.concatenate([s["labels"], np.zeros(pad, dtype=np.float32)]).reshape(m, f).max(axis=1)
    types = np.concatenate([s["types"], np.full(pad, -1)]).reshape(m, f).max(axis=1)
    anomalies = [{**a, "start": a["start"] // f, "end": -(-a["end"] // f)} for a in s["anomalies"]]
    return {"values": values, "labels": labels, "types": types, "anomalies": anomalies, "stats": global_stats(values)}


class WindowSampler:
    """Random training windows: most centred near a labeled anomaly (partly cut at the edges), the rest anywhere.

    label_pad > 0 trains on event windows instead of exact intervals: each anomaly's label is widened by
    label_pad points on both sides (benchmarks such as NAB and MGAB label a window around each event).
    scales lists block sizes (1, 4, 16, ...): each window is drawn from the series itself or from one of its
    block-mean views, the inputs the model detector scores at each of its scales (card postprocessing.scales);
    a view is used only when it still holds two windows, as at inference."""

    def __init__(self, series, rng: np.random.Generator, anomaly_share=0.7, label_pad=0, scales=(1,), tail="clip"):
        self.series = [s for s in series if len(s["values"]) >= WINDOW]
        if not self.series:
            raise SystemExit(f"no series of at least {WINDOW} points in the training data")
        for s in self.series:
            s["stats"] = global_stats(s["values"])
            if label_pad > 0:
                labels = s["labels"].copy()
                for a in s["anomalies"]:
                    labels[max(0, a["start"] - label_pad) : a["end"] + label_pad] = 1.0
                s["labels"] = labels
            types = np.full(len(s["values"]), -1, dtype=np.int64)
            for a in s["anomalies"]:
                if a["type"] in TYPE_INDEX:
                    types[a["start"] : a["end"]] = TYPE_INDEX[a["type"]]
            s["types"] = types
        # every (series, scale) view that holds two windows; the series itself always
        self.views = list(self.series)
        self.views += [block_view(s, f) for s in self.series for f in scales if f > 1 and -(-len(s["values"]) // f) >= 2 * WINDOW]
        self.rng = rng
        self.anomaly_share = anomaly_share
        self.tail = tail

    def batch(self, size):
        xs, ys, ts = [], [], []
        for _ in range(size):
            s = self.views[self.rng.integers(len(self.views))]
            n = len(s["values"])
            if s["anomalies"] and self.rng.random() < self.anomaly_share:
                a = s["anomalies"][self.rng.integers(len(s["anomalies"]))]
                centre = self.rng.integers(a["start"], a["end"])
                start = centre - self.rng.integers(8, WINDOW - 8)
            else:
                start = self.rng.integers(0, n - WINDOW + 1)
            start = int(min(max(start, 0), n - WINDOW))
            med, scale = s["stats"]
            xs.append(window_features(s["values"][None, start : start + WINDOW], med, scale, self.tail)[0])
            ys.append(s["labels"][start : start + WINDOW])
            t = s["types"][start : start + WINDOW]
            t = t[t >= 0]
            ts.append(int(np.bincount(t).argmax()) if len(t) else -100)
        x = np.stack(xs)
        y = np.stack(ys).astype(np.float32)
        # Augment: negate values (channels 0 and 1) and reverse time; every anomaly type survives both.
        flip = self.rng.random(size) < 0.5
        x[flip, :2] *= -1
        rev = self.rng.random(size) < 0.5
        x[rev] = x[rev][:, :, ::-1]
        y[rev] = y[rev][:, ::-1]
        return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(np.ascontiguousarray(y)), torch.tensor(ts)


def train_steps(net, sampler, steps, batch, lr, log_every=100, type_weight=0.5, pos_weight=3.0, device="cpu", on_log=None):
    """AdamW + one-cycle schedule; prints the mean loss every log_every steps and calls on_log(step, steps, loss) then."""
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    if steps >= 20:
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    else:  # too few steps for a warm-up and an annealing phase (OneCycleLR divides by zero): a constant rate
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda _: 1.0)
    pw = torch.tensor(pos_weight, device=device)
    net.train()
    running = 0.0
    for step in range(1, steps + 1):
        x, y, t = (v.to(device) for v in sampler.batch(batch))
        logits, type_logits = net(x)
        loss = F.binary_cross_entropy_with_logits(logits, y, pos_weight=pw)
        if (t >= 0).any():
            loss = loss + type_weight * F.cross_entropy(type_logits, t, ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        running += loss.item()
        if step % log_every == 0 or step == steps:
            mean_loss = running / min(log_every, step - (step - 1) // log_every * log_every)
            print(f"step {step}/{steps} loss {mean_loss:.4f}", flush=True)
            if on_log is not None:
                on_log(step, steps, mean_loss)
            running = 0.0
    net.eval()


def torch_runner(net, device="cpu"):
    def run(x):
        with torch.no_grad():
            logits, type_logits = net(torch.from_numpy(x).to(device))
            scores = torch.sigmoid(logits / getattr(net, "score_temperature", 1.0))
            return scores.cpu().numpy(), torch.softmax(type_logits, dim=1).cpu().numpy()

    return run


def read_source(folder):
    if folder.endswith(".npz"):
        return json.loads(str(np.load(folder)["manifest"])).get("source", {})
    with open(os.path.join(folder, "manifest.json")) as f:
        return json.load(f).get("source", {})


def write_card(out, card):
    with open(os.path.join(out, "card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")


def finish_export(net, out, card):
    """model.onnx from the (CPU) network, and its sha256/size in the card."""
    net = net.cpu().eval()
    onnx_path = os.path.join(out, "model.onnx")
    export_onnx(net, onnx_path)
    card["onnx"] = {"file": "model.onnx", "sha256": sha256_of(onnx_path), "bytes": os.path.getsize(onnx_path), "opset": OPSET}
    write_card(out, card)
    print(f"wrote {onnx_path} ({card['onnx']['bytes']} bytes) and card.json")


def write_model(net, out, card, export=True):
    """weights.pt + card.json, and model.onnx unless export is False (then run export.py --model-dir OUT)."""
    os.makedirs(out, exist_ok=True)
    net = net.cpu().eval()
    torch.save({"model": net.state_dict(), "arch": card["architecture"]["args"]}, os.path.join(out, "weights.pt"))
    if export:
        finish_export(net, out, card)
    else:
        card["onnx"] = {"file": "model.onnx"}
        write_card(out, card)
        print(f"wrote {out}/weights.pt and card.json (no ONNX yet)")


def base_card(net, version, description):
    return {
        "cardFormat": "tsad-model-card-v1",
        "name": MODEL_NAME,
        "version": version,
        "description": description,
        "task": "per-point anomaly probability and window anomaly-type distribution for univariate series",
        "architecture": {
            "type": "1-D CNN (stem conv, 2 stride-2 convs, dilated residual convs at 1/4 resolution, global context, upsample + fuse)",
            "args": {"width": net.down1.out_channels, "stem": net.stem.out_channels, "dilations": [b.dilation[0] for b in net.blocks],
                "score_temperature": net.score_temperature,
            },
            "parameters": parameter_count(net),
        },
        "inputs": [
            {
                "name": INPUT_NAME,
                "dtype": "float32",
                "shape": ["batch", IN_CHANNELS, WINDOW],
                "channels": ["local z-score (clip ±10)", "global robust z-score (clip ±10)", "missing mask"],
            }
        ],
        "outputs": [
            {"name": OUTPUT_NAMES[0], "dtype": "float32", "shape": ["batch", WINDOW], "meaning": "per-point anomaly probability"},
            {"name": OUTPUT_NAMES[1], "dtype": "float32", "shape": ["batch", len(TYPES)], "meaning": "softmax over types", "labels": TYPES},
        ],
        "preprocessing": {"kind": "tsad-window-v1", "window": WINDOW, "clip": 10, "globalSample": 65536, "defaultStride": WINDOW},
        "postprocessing": {"smooth": "period"},
        "parent": None,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "runtime": {"torch": torch.__version__, "python": platform.python_version()},
    }


def block_sizes(text):
    """argparse type of --scales: "1,4,16" -> [1, 4, 16], distinct integers >= 1, ascending, including 1."""
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a comma-separated list of integers (e.g. 1,4,16)')
    if not sizes or sizes[0] != 1:
        raise argparse.ArgumentTypeError(f'"{text}" must include 1 (the series itself) and only integers >= 1')
    return sizes


def load_model_folder(folder, option, **arch):
    """(card, WindowDetector with its weights) of a model folder (card.json + weights.pt, as train.py and
    finetune.py write them); `arch` overrides the saved architecture arguments. A missing or unreadable file exits
    naming the command-line `option` that gave the folder."""
    card_path, weights_path = os.path.join(folder, "card.json"), os.path.join(folder, "weights.pt")
    for path in (card_path, weights_path):
        if not os.path.isfile(path):
            raise SystemExit(f"{option} {folder}: no {os.path.basename(path)} there (a model folder written by train.py or finetune.py)")
    try:
        with open(card_path) as f:
            card = json.load(f)
        state = torch.load(weights_path, map_location="cpu")
        net = WindowDetector(**{**state["arch"], **arch})
        net.load_state_dict(state["model"])
    except Exception as err:
        raise SystemExit(f"{option} {folder}: cannot read its card or weights: {err}")
    return card, net


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="training series folder")
    ap.add_argument("--val", help="held-out series folder (metrics in the card)")
    ap.add_argument("--out", required=True, help="model folder to write (NAME/VERSION)")
    ap.add_argument("--version", default=None, help="version string (default: the out folder's name)")
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy 2-core machine)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--no-export", action="store_true", help="write weights.pt + card only (export later with export.py --model-dir)")
    ap.add_argument("--score-temperature", type=float, default=1.0, help="exported score = sigmoid(logit / T)")
    ap.add_argument("--label-pad", type=int, default=0, help="widen every training label by this many points on both sides")
    ap.add_argument(
        "--scales", type=block_sizes, default=[1], help="block sizes to train on and score at (card postprocessing.scales), e.g. 1,4,16"
    )
    ap.add_argument("--tail", choices=TAILS, default="clip", help="features beyond +-10: clipped or log-compressed (card preprocessing.tail)")
    ap.add_argument("--description", default="Bundled learned detector trained on the workbench's synthetic generator (main/synth).")
    ap.add_argument("--init", default=None, help="start from this model folder's weights.pt instead of random weights")
    ap.add_argument("--quick", action="store_true", help="400 steps, 40 validation series")
    args = ap.parse_args()
    if args.quick:
        args.steps = min(args.steps, 400)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    rng = np.random.default_rng(args.seed)

    started = time.time()
    train_series = load_folder(args.data)
    train_source = read_source(args.data)
    print(f"loaded {len(train_series)} training series in {time.time() - started:.1f} s", flush=True)
    scales = args.scales
    init_ref = None
    if args.init:
        init_card, net = load_model_folder(args.init, "--init", score_temperature=args.score_temperature)
        init_ref = f"{init_card['name']}@{init_card['version']}"
    else:
        net = WindowDetector(score_temperature=args.score_temperature)
    net = net.to(args.device)
    t0 = time.time()
    sampler = WindowSampler(train_series, rng, label_pad=args.label_pad, scales=scales, tail=args.tail)
    train_steps(net, sampler, args.steps, args.batch, args.lr, device=args.device)
    train_seconds = time.time() - t0

    version = args.version or os.path.basename(os.path.normpath(args.out))
    card = base_card(net, version, args.description)
    if scales != [1]:
        card["postprocessing"]["scales"] = scales
    if args.tail != "clip":
        card["preprocessing"]["tail"] = args.tail
    card["training"] = {
        "data": {"folder": os.path.basename(os.path.normpath(args.data)), "series": len(train_series), "source": train_source},
        "seed": args.seed,
        "steps": args.steps,
        "batch": args.batch,
        "lr": args.lr,
        "labelPad": args.label_pad,
        "scales": scales,
        "init": init_ref,
        "quick": args.quick,
        "seconds": round(train_seconds, 1),
        "threads": args.threads,
        "device": args.device,
        "command": shlex.join(["training/train.py", *sys.argv[1:]]),
    }
    if args.val:
        val = load_folder(args.val)
        if args.quick:
            val = val[:40]
        card["metrics"] = {"heldOut": {"source": read_source(args.val), **evaluate(torch_runner(net, args.device), val, tail=args.tail)}}
        print(json.dumps(card["metrics"], indent=1))
    write_model(net, args.out, card, export=not args.no_export)
    print(f"total {time.time() - started:.1f} s (training {train_seconds:.1f} s)")


if __name__ == "__main__":
    main()
