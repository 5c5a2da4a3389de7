"""Data loading, preprocessing and windowed inference shared by train.py, finetune.py and parity.py.

The preprocessing here is mirrored exactly by main/inference/preprocess.ts (checked by the parity test):
  global stats: finite values at indices i % step == 0, step = ceil(n / 65536);
                median (mean of the two middle values for an even count), scale = 1.4826 * MAD,
                falling back to the sample std, then to 1, when the scale is below 1e-12.
  per window:   local mean/std of its finite values (population std), std floored at 1e-3 * global scale;
                ch0 = tail((x - mean) / std), ch1 = tail((x - median) / scale),
                ch2 = 1 where x is missing (NaN/inf), and ch0 = ch1 = 0 there.
  tail:         card preprocessing.tail: "clip" (default) clips at +-10; "log" keeps |z| <= 10 and maps larger
                ones to +-(10 + ln(|z| - 9)), capped at +-30.
  windows:      starts 0, stride, 2*stride, ... and one last window ending at n; series shorter than the
                window are padded at the end by repeating the last finite value (outputs there dropped).
  overlap:      per-point scores averaged over covering windows with weights sin(pi*(i+0.5)/W) + 0.05.
"""
import csv
import json
import math
import os

import numpy as np

from model import TYPES, WINDOW

CLIP = 10.0
LOG_TAIL_CAP = 30.0
TAILS = ("clip", "log")
GLOBAL_SAMPLE = 65536


def pack_folder(folder, out_path):
    """A series folder as one compressed .npz (float32 values), e.g. to ship training data to another machine."""
    series = load_folder(folder)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    offsets = np.cumsum([0] + [len(s["values"]) for s in series])
    values = np.concatenate([s["values"] for s in series]).astype(np.float32)
    np.savez_compressed(out_path, values=values, offsets=offsets, manifest=np.array(json.dumps(manifest)))


def load_packed(path):
    data = np.load(path)
    manifest = json.loads(str(data["manifest"]))
    values, offsets = data["values"].astype(np.float64), data["offsets"]
    out = []
    for k, entry in enumerate(manifest["series"]):
        v = values[offsets[k] : offsets[k + 1]]
        labels = np.zeros(len(v), dtype=np.float32)
        for a in entry["anomalies"]:
            labels[a["start"] : a["end"]] = 1.0
        out.append({"name": entry["name"], "values": v, "labels": labels, "anomalies": entry["anomalies"]})
    return out


def load_folder(folder):
    """Series folder (main/synth/format.ts layout) -> list of dicts {name, values, labels, anomalies}.
    A path ending in .npz is read as written by pack_folder."""
    if folder.endswith(".npz"):
        return load_packed(folder)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    out = []
    for entry in manifest["series"]:
        values = []
        with open(os.path.join(folder, entry["file"]), newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            col = header.index("value")
            for row in reader:
                cell = row[col]
                values.append(float(cell) if cell not in ("", "NaN", "nan") else math.nan)
        values = np.asarray(values, dtype=np.float64)
        labels = np.zeros(len(values), dtype=np.float32)
        for a in entry["anomalies"]:
            labels[a["start"] : a["end"]] = 1.0
        out.append({"name": entry["name"], "values": values, "labels": labels, "anomalies": entry["anomalies"]})
    return out


def global_stats(values):
    n = len(values)
    step = max(1, math.ceil(n / GLOBAL_SAMPLE))
    sample = values[::step]
    sample = sample[np.isfinite(sample)]
    if len(sample) == 0:
        return 0.0, 1.0
    med = float(np.median(sample))
    scale = 1.4826 * float(np.median(np.abs(sample - med)))
    if scale < 1e-12:
        scale = float(np.std(sample))
    if scale < 1e-12:
        scale = 1.0
    return med, scale


def squash(z, tail="clip"):
    if tail == "clip":
        return np.clip(z, -CLIP, CLIP)
    a = np.abs(z)
    big = np.minimum(LOG_TAIL_CAP, CLIP + np.log(np.maximum(a - CLIP, 0.0) + 1.0))
    return np.where(a <= CLIP, z, np.sign(z) * big)


def window_features(raw, med, scale, tail="clip"):
    """raw: float64 [B, W] (NaN where missing) -> float32 [B, 3, W]."""
    missing = ~np.isfinite(raw)
    finite = np.where(missing, 0.0, raw)
    count = np.maximum((~missing).sum(axis=1, keepdims=True), 1)
    mean = finite.sum(axis=1, keepdims=True) / count
    dev = np.where(missing, 0.0, raw - mean)
    std = np.sqrt((dev * dev).sum(axis=1, keepdims=True) / count)
    std = np.maximum(std, 1e-3 * scale)
    local = squash((finite - mean) / std, tail)
    glob = squash((finite - med) / scale, tail)
    local[missing] = 0.0
    glob[missing] = 0.0
    return np.stack([local, glob, missing.astype(np.float64)], axis=1).astype(np.float32)


def window_starts(n, stride, window=WINDOW):
    if n <= window:
        return [0]
    starts = list(range(0, n - window + 1, stride))
    if starts[-1] != n - window:
        starts.append(n - window)
    return starts


def pad_series(values, window=WINDOW):
    n = len(values)
    if n >= window:
        return values
    finite = values[np.isfinite(values)]
    fill = finite[-1] if len(finite) else 0.0
    return np.concatenate([values, np.full(window - n, fill)])


def overlap_weights(window=WINDOW):
    i = np.arange(window)
    return np.sin(np.pi * (i + 0.5) / window) + 0.05


def score_series(run_batch, values, stride=WINDOW, batch=64, tail="clip"):
    """run_batch: float32 [B, 3, W] -> (scores [B, W], type_probs [B, T]). Returns per-point scores,
    window starts and per-window type probabilities."""
    n = len(values)
    med, scale = global_stats(values)
    padded = pad_series(values)
    starts = window_starts(len(padded), stride)
    acc = np.zeros(len(padded))
    wsum = np.zeros(len(padded))
    weights = overlap_weights()
    types = []
    for b in range(0, len(starts), batch):
        chunk = starts[b : b + batch]
        raw = np.stack([padded[s : s + WINDOW] for s in chunk])
        scores, probs = run_batch(window_features(raw, med, scale, tail))
        types.append(probs)
        for k, s in enumerate(chunk):
            acc[s : s + WINDOW] += weights * scores[k]
            wsum[s : s + WINDOW] += weights
    return (acc / wsum)[:n], starts, np.concatenate(types, axis=0)


def average_precision(scores, labels):
    order = np.argsort(-scores, kind="stable")
    y = labels[order]
    tp = np.cumsum(y)
    total = tp[-1]
    if total == 0:
        return float("nan")
    precision = tp / np.arange(1, len(y) + 1)
    return float((precision * y).sum() / total)


def auc_roc(scores, labels):
    pos = labels.sum()
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # average ranks of ties
    sorted_scores = scores[order]
    i = 0
    while i < len(sorted_scores):
        j = i
        while j + 1 < len(sorted_scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        if j > i:
            ranks[order[i : j + 1]] = (i + j + 2) / 2
        i = j + 1
    return float((ranks[labels == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def best_f1(scores, labels):
    order = np.argsort(-scores, kind="stable")
    y = labels[order]
    tp = np.cumsum(y)
    total = tp[-1]
    if total == 0:
        return float("nan")
    k = np.arange(1, len(y) + 1)
    f1 = 2 * tp / (k + total)
    return float(f1.max())


def interval_type(starts, type_probs, scores, a):
    """Type distribution for one interval: window probabilities weighted by overlap x mean score."""
    dist = np.zeros(len(TYPES))
    for k, s in enumerate(starts):
        lo, hi = max(s, a["start"]), min(s + WINDOW, a["end"])
        if hi <= lo:
            continue
        dist += (hi - lo) * (scores[lo:hi].mean() + 1e-6) * type_probs[k]
    return dist / max(dist.sum(), 1e-12)


def evaluate(run_batch, series, stride=WINDOW, tail="clip"):
    """Held-out metrics over series: mean per-series AUC-ROC, AUC-PR, best F1 and interval type accuracy."""
    rocs, prs, f1s = [], [], []
    correct, total = 0, 0
    per_type = {t: [0, 0] for t in TYPES}
    for s in series:
        scores, starts, probs = score_series(run_batch, s["values"], stride, tail=tail)
        labels = s["labels"]
        if labels.sum() > 0:
            rocs.append(auc_roc(scores, labels))
            prs.append(average_precision(scores, labels))
            f1s.append(best_f1(scores, labels))
        for a in s["anomalies"]:
            if a["type"] not in TYPES:
                continue
            pred = TYPES[int(np.argmax(interval_type(starts, probs, scores, a)))]
            ok = pred == a["type"]
            correct += ok
            total += 1
            per_type[a["type"]][0] += ok
            per_type[a["type"]][1] += 1
    return {
        "series": len(series),
        "auc_roc": float(np.nanmean(rocs)) if rocs else None,
        "auc_pr": float(np.nanmean(prs)) if prs else None,
        "best_f1": float(np.nanmean(f1s)) if f1s else None,
        "type_accuracy": correct / total if total else None,
        "type_accuracy_by_type": {t: (c / n if n else None) for t, (c, n) in per_type.items()},
        "stride": stride,
    }
