"""Fine-tune a model version on exported labeled data, mixed with synthetic data for balance.

  /usr/bin/python3 training/finetune.py --base resources/models/tsad-window-cnn/1.0.0 \
      --data EXPORT_DIR --out USER_MODELS/tsad-window-cnn/1.0.0-ft1 [--synth SYNTH_DIR] [--quick]

EXPORT_DIR uses the series folder layout of main/synth/format.ts (manifest.json + index,value,label CSVs;
anomaly types from the taxonomy, 'unknown' allowed: it trains the point scores, not the type head).
Without --synth a synthetic folder is generated with `npx tsx main/synth/cli-entry.ts` (needs Node).
The last 20% of the exported series (at least one, when there are two or more) are held out for metrics.
Writes OUT/model.onnx, OUT/card.json (parent = base NAME@VERSION, metrics before and after) and OUT/weights.pt.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np
import torch

from common import evaluate, load_folder
from model import WindowDetector
from train import WindowSampler, base_card, read_source, torch_runner, train_steps, write_model

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


class MixedSampler:
    def __init__(self, user: WindowSampler, synth: WindowSampler, rng, user_share: float):
        self.user, self.synth, self.rng, self.user_share = user, synth, rng, user_share

    def batch(self, size):
        n_user = int(self.rng.binomial(size, self.user_share))
        parts = [s.batch(k) for s, k in ((self.user, n_user), (self.synth, size - n_user)) if k > 0]
        return tuple(torch.cat([p[i] for p in parts]) for i in range(3))


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
    ap.add_argument("--quick", action="store_true", help="150 steps")
    args = ap.parse_args()
    if args.quick:
        args.steps = min(args.steps, 150)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    started = time.time()

    with open(os.path.join(args.base, "card.json")) as f:
        parent_card = json.load(f)
    state = torch.load(os.path.join(args.base, "weights.pt"), map_location="cpu")
    net = WindowDetector(**state["arch"])
    net.load_state_dict(state["model"])

    user = load_folder(args.data)
    if not user:
        raise SystemExit(f"{args.data}: no series in the manifest")
    held = max(1, len(user) // 5) if len(user) >= 2 else 0
    train_user, held_user = user[: len(user) - held], user[len(user) - held :]
    synth_dir = args.synth or synth_folder(200 if not args.quick else 60, args.seed + 1000)
    synth = load_folder(synth_dir)
    held_synth = synth[-max(1, len(synth) // 10) :]
    train_synth = synth[: len(synth) - len(held_synth)]

    runner = torch_runner(net)
    net.eval()
    before = {"export": evaluate(runner, held_user) if held_user else None, "synthetic": evaluate(runner, held_synth)}
    sampler = MixedSampler(WindowSampler(train_user, rng), WindowSampler(train_synth, rng), rng, args.user_share)
    t0 = time.time()
    train_steps(net, sampler, args.steps, args.batch, args.lr)
    seconds = time.time() - t0
    after = {"export": evaluate(runner, held_user) if held_user else None, "synthetic": evaluate(runner, held_synth)}

    version = args.version or os.path.basename(os.path.normpath(args.out))
    card = base_card(net, version, f"Fine-tuned from {parent_card['name']}@{parent_card['version']} on exported labels.")
    card["name"] = parent_card["name"]
    card["parent"] = f"{parent_card['name']}@{parent_card['version']}"
    card["training"] = {
        "kind": "finetune",
        "data": {"export": os.path.basename(os.path.normpath(args.data)), "series": len(train_user), "heldOut": len(held_user)},
        "synthetic": {"series": len(train_synth), "source": read_source(synth_dir)},
        "userShare": args.user_share,
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
    write_model(net, args.out, card)
    if args.synth is None:
        shutil.rmtree(synth_dir, ignore_errors=True)
    print(f"total {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
