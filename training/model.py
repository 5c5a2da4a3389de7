"""The bundled learned detector: a small 1-D CNN over one window.

Input  x          float32 [batch, 3, WINDOW]  channels: local z-score, global robust z-score, missing mask
Output score      float32 [batch, WINDOW]     per-point anomaly probability, sigmoid(logit / score_temperature)
       type_probs float32 [batch, N_TYPES]    softmax over TYPES (the window's dominant anomaly type)

Most of the work runs at 1/4 resolution (two stride-2 convolutions, dilated residual blocks), then the
features are upsampled and fused with full-resolution stem features, which keeps the cost per window
low enough for >1M points/s on a CPU core while still localizing single-point anomalies.
"""
import torch
from torch import nn
import torch.nn.functional as F

WINDOW = 256
IN_CHANNELS = 3
# common/domain.ts ANOMALY_TYPES without 'unknown', same order.
TYPES = [
    "global-point",
    "contextual-point",
    "level-shift",
    "trend-change",
    "frequency-change",
    "variance-change",
    "shapelet",
    "flatline",
    "dropout",
]


class WindowDetector(nn.Module):
    def __init__(
        self, width: int = 32, stem: int = 16, dilations=(1, 2, 4, 8), n_types: int = len(TYPES), score_temperature: float = 1.0
    ):
        super().__init__()
        # Exported probabilities are sigmoid(logit / score_temperature): training is unaffected, but scores on
        # unfamiliar data no longer saturate at exactly 1.0 in float32 (which ties them and breaks ranking).
        self.score_temperature = float(score_temperature)
        self.stem = nn.Conv1d(IN_CHANNELS, stem, 5, padding=2)
        self.down1 = nn.Conv1d(stem, width, 4, stride=2, padding=1)
        self.down2 = nn.Conv1d(width, width, 4, stride=2, padding=1)
        self.blocks = nn.ModuleList(nn.Conv1d(width, width, 3, padding=d, dilation=d) for d in dilations)
        self.context = nn.Linear(2 * width, width)
        self.type_head = nn.Sequential(nn.Linear(2 * width, width), nn.ReLU(), nn.Linear(width, n_types))
        self.fuse = nn.Conv1d(width + stem, stem, 1)
        self.out = nn.Conv1d(stem, 1, 1)

    def forward(self, x):
        s = F.relu(self.stem(x))  # [B, stem, W]
        h = F.relu(self.down1(s))  # [B, width, W/2]
        h = F.relu(self.down2(h))  # [B, width, W/4]
        for block in self.blocks:
            h = h + F.relu(block(h))
        pooled = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)  # [B, 2*width]
        type_logits = self.type_head(pooled)
        h = h + self.context(pooled).unsqueeze(2)
        up = torch.repeat_interleave(h, 4, dim=2)  # [B, width, W]
        f = F.relu(self.fuse(torch.cat([up, s], dim=1)))
        logits = self.out(f).squeeze(1)  # [B, W]
        return logits, type_logits


class ExportWrapper(nn.Module):
    """Probabilities instead of logits: what the ONNX file outputs."""

    def __init__(self, net: WindowDetector):
        super().__init__()
        self.net = net

    def forward(self, x):
        logits, type_logits = self.net(x)
        return torch.sigmoid(logits / self.net.score_temperature), torch.softmax(type_logits, dim=1)


def parameter_count(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
