"""Fine-tune a model version on exported labeled data, mixed with synthetic data for balance.

  /usr/bin/python3 training/finetune.py --base resources/models/tsad-window-cnn/1.0.0 \
      --data EXPORT_DIR --out USER_MODELS/tsad-window-cnn/1.0.0-ft1 [--synth SYNTH_DIR] [--quick]

EXPORT_DIR uses the series folder layout of main/synth/format.ts (manifest.json + index,value,label CSVs;
anomaly types from the taxonomy, 'unknown' allowed: it trains the point scores, not the type head).
Without --synth a synthetic folder is generated with `npx tsx main/synth/cli-entry.ts` (needs Node).
The last 20% of the exported series (at least one, when there are two or more) are held out for metrics.
Writes OUT/model.onnx, OUT/card.json (parent = base NAME@VERSION, training data summary and hash, metrics
before and after) and OUT/weights.pt. Prints `PROGRESS <fraction 0..1> <message>` lines on stdout for a
calling process (main/finetune/run.ts); everything else on stdout is human-readable.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np
import torch

from common import evaluate, load_folder
from train import WindowSampler, base_card, load_model_folder, read_source, torch_runner, train_steps, write_model

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


class MixedSampler:
    def __init__(self, user: WindowSampler, synth: WindowSampler, rng, user_share: float):
        self.user, self.synth, self.rng, self.user_share = user, synth, rng, user_share

    def batch(self, size):
        n_user = int(self.rng.binomial(size, self.user_share))
        parts = [s.batch(k) for s, k in ((self.user, n_user), (self.synth, size - n_user)) if k > 0]
        return tuple(torch.cat([p[i] for p in parts]) for i in range(3))


# the app (main/finetune/run.ts) passes its pid: when it dies (even by SIGKILL) this process is reparented,
# and training stops at the next progress line instead of finishing into a folder nobody will register
PARENT_PID = int(os.environ.get("TSAD_PARENT_PID", "0") or "0")


def progress(fraction, message):
    if PARENT_PID and os.getppid() != PARENT_PID:
        raise SystemExit(f"the calling process {PARENT_PID} is gone; stopping")
    print(f"PROGRESS {fraction:.4f} {message}", flush=True)


def folder_hash(folder):
    """sha256 over the manifest and every series file it names (a .npz path: the file itself)."""
    h = hashlib.sha256()
    if folder.endswith(".npz"):
        paths = [folder]
    else:
        with open(os.path.join(folder, "manifest.json")) as f:
            manifest = json.load(f)
        paths = [os.path.join(folder, "manifest.json")] + [os.path.join(folder, e["file"]) for e in manifest["series"]]
    for path in paths:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def synth_folder(count, seed):
    out = tempfile.mkdtemp(prefix="tsad-synth-")
    cmd = ["npx", "tsx", "main/synth/cli-entry.ts", "--out", out, "--count", str(count), "--seed", str(seed), "--length", "2048"]
    subprocess.run(cmd, cwd=REPO, check=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="base model folder (weights.pt + card.json)")
    ap.add_argument("--data", required=True, help="exported labeled series folder")
    ap.add_argument("--out", required=True, help="new version folder to write (NAME/VERSION)")
    ap.add_argument("--version", default=None, help="version string (default: the out folder's name)")
    ap.add_argument("--synth", default=None, help="synthetic series folder to mix in (default: generate one)")
    ap.add_argument("--user-share", type=float, default=0.5, help="share of each batch drawn from the exported data")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="at most 150 steps")
    args = ap.parse_args()
    progress(0.0, "loading")
    if args.quick:
        args.steps = min(args.steps, 150)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    started = time.time()

    parent_card, net = load_model_folder(args.base, "--base")
    # the parent's feature tail (card preprocessing.tail), and training windows from the same block-mean views
    # the detector scores (postprocessing.scales)
    tail = parent_card["preprocessing"].get("tail", "clip")
    scales = parent_card.get("postprocessing", {}).get("scales", [1])
    # synthetic labels widened as the parent's were (its training.labelPad); the exported labels stay as they are
    synth_pad = int(parent_card.get("training", {}).get("labelPad", 0))

    user = load_folder(args.data)
    if not user:
        raise SystemExit(f"{args.data}: no series in the manifest")
    # a fifth of the series for the card's before/after figures, only when there are enough: with fewer than
    # five every labeled series trains (the app holds its own share out for the side-by-side comparison)
    held = len(user) // 5 if len(user) >= 5 else 0
    train_user, held_user = user[: len(user) - held], user[len(user) - held :]
    if args.synth is None:
        progress(0.02, "generating synthetic series")
    synth_dir = args.synth or synth_folder(200 if not args.quick else 60, args.seed + 1000)
    synth = load_folder(synth_dir)
    held_synth = synth[-max(1, len(synth) // 10) :]
    train_synth = synth[: len(synth) - len(held_synth)]

    runner = torch_runner(net)
    net.eval()
    progress(0.05, "evaluating the base model")
    before = {
        "export": evaluate(runner, held_user, tail=tail) if held_user else None,
        "synthetic": evaluate(runner, held_synth, tail=tail),
    }
    sampler = MixedSampler(
        WindowSampler(train_user, rng, scales=scales, tail=tail),
        WindowSampler(train_synth, rng, label_pad=synth_pad, scales=scales, tail=tail),
        rng,
        args.user_share,
    )
    t0 = time.time()
    log_every = max(1, min(100, args.steps // 20))
    train_steps(
        net,
        sampler,
        args.steps,
        args.batch,
        args.lr,
        log_every=log_every,
        on_log=lambda step, steps, loss: progress(0.1 + 0.8 * step / steps, f"step {step}/{steps} loss {loss:.4f}"),
    )
    seconds = time.time() - t0
    progress(0.9, "evaluating the fine-tuned model")
    after = {
        "export": evaluate(runner, held_user, tail=tail) if held_user else None,
        "synthetic": evaluate(runner, held_synth, tail=tail),
    }

    version = args.version or os.path.basename(os.path.normpath(args.out))
    card = base_card(net, version, f"Fine-tuned from {parent_card['name']}@{parent_card['version']} on exported labels.")
    card["name"] = parent_card["name"]
    card["parent"] = f"{parent_card['name']}@{parent_card['version']}"
    # the parent's preprocessing (its feature tail: the weights were trained on it) and score post-processing,
    # not base_card's defaults: a base without post-processing (1.0.0) stays without
    card["preprocessing"] = parent_card["preprocessing"]
    if "postprocessing" in parent_card:
        card["postprocessing"] = parent_card["postprocessing"]
    else:
        card.pop("postprocessing", None)
    card["training"] = {
        "kind": "finetune",
        "data": {
            "export": os.path.basename(os.path.normpath(args.data)),
            "sha256": folder_hash(args.data),
            "series": len(user),
            "trainSeries": len(train_user),
            "heldOut": len(held_user),
            "points": int(sum(len(s["values"]) for s in user)),
            "labels": int(sum(len(s["anomalies"]) for s in user)),
            "labelsByType": {t: sum(a["type"] == t for s in user for a in s["anomalies"]) for t in sorted({a["type"] for s in user for a in s["anomalies"]})},
        },
        "synthetic": {"series": len(train_synth), "source": read_source(synth_dir)},
        "userShare": args.user_share,
        "scales": scales,
        "syntheticLabelPad": synth_pad,
        "seed": args.seed,
        "steps": args.steps,
        "batch": args.batch,
        "lr": args.lr,
        "quick": args.quick,
        "seconds": round(seconds, 1),
        "device": "cpu",
    }
    card["metrics"] = {"before": before, "after": after}
    print(json.dumps(card["metrics"], indent=1))
    progress(0.95, "exporting ONNX")
    write_model(net, args.out, card)
    if args.synth is None:
        shutil.rmtree(synth_dir, ignore_errors=True)
    progress(1.0, "done")
    print(f"total {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
