"""Export a trained WindowDetector checkpoint to ONNX and verify it loads.

python3 training/export.py --checkpoint ckpt.pt --out resources/models/NAME/VERSION/model.onnx
"""
import argparse
import hashlib

import torch

from model import IN_CHANNELS, WINDOW, ExportWrapper, WindowDetector

OPSET = 13
INPUT_NAME = "x"
OUTPUT_NAMES = ["score", "type_probs"]


def export_onnx(net: WindowDetector, path: str) -> None:
    net.eval()
    wrapper = ExportWrapper(net).eval()
    dummy = torch.zeros(2, IN_CHANNELS, WINDOW)
    torch.onnx.export(
        wrapper,
        dummy,
        path,
        input_names=[INPUT_NAME],
        output_names=OUTPUT_NAMES,
        dynamic_axes={INPUT_NAME: {0: "batch"}, "score": {0: "batch"}, "type_probs": {0: "batch"}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    import onnx

    onnx.checker.check_model(onnx.load(path))


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", help="folder with weights.pt + card.json: writes model.onnx and updates the card")
    ap.add_argument("--checkpoint")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.model_dir:
        from train import finish_export, load_model_folder

        card, net = load_model_folder(args.model_dir, "--model-dir")
        finish_export(net, args.model_dir, card)
        return
    state = torch.load(args.checkpoint, map_location="cpu")
    net = WindowDetector(**state.get("arch", {}))
    net.load_state_dict(state["model"])
    export_onnx(net, args.out)
    print(f"wrote {args.out} sha256={sha256_of(args.out)}")


if __name__ == "__main__":
    main()
