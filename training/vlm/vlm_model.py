"""The bundled tiny vision-language model (tsad-plot-vlm).

Encoder: the 1000x150 model plot (main/render style 'anomllm') as luminance in [0, 1]; the plotting
area is cropped (rows 8..124, columns 50..990), inverted (ink = 1), average-pooled 4x2 (29x470), three
convolutions fold the height away and a strided one and leave M = 118 visual tokens along the x axis (each about 8.5
window points), with a learned position embedding plus embeddings of the hundreds and tens digits of
the window index at each token's centre (so the decoder can copy positions into digits), one
self-attention block, LayerNorm.

Decoder: 2 pre-norm transformer layers (d = 128, 4 heads, FFN 256): causal self-attention, cross-
attention to the visual tokens. Output: logits over the closed vocabulary of main/inference/vlm/tokenizer.ts:
30 text tokens from a linear head, then 118 location tokens scored against the visual tokens themselves
(a pointer head: query(x) . key(visual token j) / sqrt(d)), so writing a position is pointing at the
slice of the plot where it is. `step` is the one-token form with a static KV cache of
MAXLEN positions (what the ONNX decoder runs); `forward_train` is the same computation for a whole
sequence with a causal mask.

Auxiliary heads: a per-visual-token anomaly logit (training only) and a class logit, which 1.1.0's runtime also
reads when it picks the class (card decoder.classFrom).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BASE_VOCAB = 30
VOCAB = BASE_VOCAB + 118  # + one location token per visual token (main/inference/vlm/tokenizer.ts)
D = 128
H = 4
DH = D // H
L = 2
FF = 256
MAXLEN = 32
M = 118
WINDOW = 1000
CLASSES = ['normal', 'global point', 'contextual point', 'level shift', 'trend', 'seasonal', 'variance', 'shapelet',
           'flatline', 'unknown']


def heads(x):
    b, t, _ = x.shape
    return x.view(b, t, H, DH).transpose(1, 2)


def attend(q, k, v, bias=None):
    a = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(DH)
    if bias is not None:
        a = a + bias
    return torch.matmul(torch.softmax(a, dim=-1), v)


def merge(x):
    b, h, t, dh = x.shape
    return x.transpose(1, 2).reshape(b, t, h * dh)


class Block(nn.Module):
    """Pre-norm self-attention + FFN over the visual tokens."""

    def __init__(self):
        super().__init__()
        self.n1 = nn.LayerNorm(D)
        self.qkv = nn.Linear(D, 3 * D)
        self.o = nn.Linear(D, D)
        self.n2 = nn.LayerNorm(D)
        self.ff = nn.Sequential(nn.Linear(D, FF), nn.GELU(), nn.Linear(FF, D))

    def forward(self, x):
        q, k, v = self.qkv(self.n1(x)).chunk(3, dim=-1)
        x = x + self.o(merge(attend(heads(q), heads(k), heads(v))))
        return x + self.ff(self.n2(x))


class ConvEncoder(nn.Module):
    """1.0.0's encoder: 2-D convolutions over the pooled plot (kept so 1.0.0's weights still export)."""

    def __init__(self):
        super().__init__()
        self.pool = nn.AvgPool2d((4, 2))
        self.c1 = nn.Conv2d(1, 16, 3, (2, 1), 1)
        self.c2 = nn.Conv2d(16, 32, 3, 2, 1)
        self.c3 = nn.Conv2d(32, 64, (8, 1))
        self.c5 = nn.Conv1d(64, D, 3, 2, 1)
        self.pos = nn.Parameter(torch.randn(1, M, D) * 0.02)
        self.content = nn.LayerNorm(D)
        self.hundreds = nn.Embedding(10, D)
        self.tens = nn.Embedding(10, D)
        # small position codes: the picture, not the position, must dominate each visual token at the start
        nn.init.normal_(self.hundreds.weight, std=0.02)
        nn.init.normal_(self.tens.weight, std=0.02)
        centre = ((torch.arange(M) + 0.5) * WINDOW / M).long()
        self.register_buffer('h_idx', (centre // 100) % 10, persistent=False)
        self.register_buffer('t_idx', (centre // 10) % 10, persistent=False)
        self.block = Block()
        self.norm = nn.LayerNorm(D)

    def forward(self, img):
        x = 1.0 - img[:, :, 8:124, 50:990]
        x = self.pool(x)
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(x))
        x = F.relu(self.c3(x)).squeeze(2)
        x = self.content(self.c5(x).transpose(1, 2))
        x = x + self.pos + self.hundreds(self.h_idx).unsqueeze(0) + self.tens(self.t_idx).unsqueeze(0)
        return self.norm(self.block(x)), None


class ColumnEncoder(nn.Module):
    """1.1.0's encoder: the plot read column by column. Each pixel column of the plotting area (116 rows,
    ink = 1 - luminance) is one vector whose channel index is the height, so a linear map of it sees where
    the line is in that column (its level, its spread) with no convolution having to find it first. Pairs
    of columns are averaged (470), a 1x1 projection per column, two strided 1-D convolutions along x
    (118 visual tokens, as before), the same position codes, a class token prepended, two self-attention
    blocks (global context: a spike is a global or a contextual point by the whole window's range), and the
    class token's state is what the class head reads."""

    def __init__(self):
        super().__init__()
        self.col = nn.Conv1d(116, 96, 1)
        self.c2 = nn.Conv1d(96, 128, 5, 2, 2)
        self.c3 = nn.Conv1d(128, D, 3, 2, 1)
        self.pos = nn.Parameter(torch.randn(1, M, D) * 0.02)
        self.content = nn.LayerNorm(D)
        self.hundreds = nn.Embedding(10, D)
        self.tens = nn.Embedding(10, D)
        nn.init.normal_(self.hundreds.weight, std=0.02)
        nn.init.normal_(self.tens.weight, std=0.02)
        centre = ((torch.arange(M) + 0.5) * WINDOW / M).long()
        self.register_buffer('h_idx', (centre // 100) % 10, persistent=False)
        self.register_buffer('t_idx', (centre // 10) % 10, persistent=False)
        self.cls_token = nn.Parameter(torch.randn(1, 1, D) * 0.02)
        self.blocks = nn.ModuleList([Block(), Block()])
        self.norm = nn.LayerNorm(D)

    def forward(self, img):
        x = 1.0 - img[:, 0, 8:124, 50:990]
        x = F.avg_pool1d(x, 2)
        x = F.gelu(self.col(x))
        x = F.gelu(self.c2(x))
        x = self.content(self.c3(x).transpose(1, 2))
        x = x + self.pos + self.hundreds(self.h_idx).unsqueeze(0) + self.tens(self.t_idx).unsqueeze(0)
        x = torch.cat([self.cls_token.expand(x.shape[0], 1, D), x], dim=1)
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)
        return x[:, 1:], x[:, 0]


class DecLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1 = nn.LayerNorm(D)
        self.sq = nn.Linear(D, D)
        self.skv = nn.Linear(D, 2 * D)
        self.so = nn.Linear(D, D)
        self.n2 = nn.LayerNorm(D)
        self.cq = nn.Linear(D, D)
        self.ckv = nn.Linear(D, 2 * D)
        self.co = nn.Linear(D, D)
        self.n3 = nn.LayerNorm(D)
        self.ff = nn.Sequential(nn.Linear(D, FF), nn.GELU(), nn.Linear(FF, D))

    def cross_kv(self, memory):
        k, v = self.ckv(memory).chunk(2, dim=-1)
        return heads(k), heads(v)


class VLM(nn.Module):
    def __init__(self, encoder='columns'):
        super().__init__()
        self.encoder = ColumnEncoder() if encoder == 'columns' else ConvEncoder()
        self.embed = nn.Embedding(VOCAB, D)
        self.tpos = nn.Embedding(MAXLEN, D)
        nn.init.normal_(self.embed.weight, std=0.02)
        nn.init.normal_(self.tpos.weight, std=0.02)
        self.layers = nn.ModuleList([DecLayer() for _ in range(L)])
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, BASE_VOCAB)
        self.locq = nn.Linear(D, D)
        self.lockey = nn.Linear(D, D)
        self.seg = nn.Linear(D, 1)
        self.cls = nn.Linear(D, len(CLASSES))

    def cross(self, memory):
        """Cross-attention keys and values of every layer ([L, B, H, M, DH] each) and the location keys [B, M, D]."""
        kv = [layer.cross_kv(memory) for layer in self.layers]
        return torch.stack([k for k, _ in kv]), torch.stack([v for _, v in kv]), self.lockey(memory)

    def class_logits(self, memory, pooled):
        """The class head (CLASSES order): on the class token, or on the mean visual token (1.0.0)."""
        return self.cls(memory.mean(1) if pooled is None else pooled)

    def logits(self, x, loc_keys):
        h = self.norm(x)
        loc = torch.matmul(self.locq(h), loc_keys.transpose(1, 2)) / math.sqrt(D)
        return torch.cat([self.head(h), loc], dim=-1)

    def forward_train(self, img, tokens):
        """tokens [B, T] (starting with <bos>) -> logits [B, T, VOCAB], seg logits [B, M], class logits [B, C]."""
        memory, pooled = self.encoder(img)
        ck, cv, lk = self.cross(memory)
        t = tokens.shape[1]
        x = self.embed(tokens) + self.tpos(torch.arange(t)).unsqueeze(0)
        causal = torch.full((t, t), -1e9).triu(1)
        for i, layer in enumerate(self.layers):
            h = layer.n1(x)
            k, v = layer.skv(h).chunk(2, dim=-1)
            x = x + layer.so(merge(attend(heads(layer.sq(h)), heads(k), heads(v), causal)))
            x = x + layer.co(merge(attend(heads(layer.cq(layer.n2(x))), ck[i], cv[i])))
            x = x + layer.ff(layer.n3(x))
        return self.logits(x, lk), self.seg(memory).squeeze(-1), self.class_logits(memory, pooled)

    def step(self, token, pos, cache_k, cache_v, ck, cv, lk):
        """One decoding step with a static cache.

        token [B] int64, pos [1] int64 (0-based position of `token`), cache_k/cache_v [L, B, H, MAXLEN, DH]
        -> logits [B, VOCAB], the caches with position `pos` written.
        """
        slots = torch.arange(MAXLEN)
        here = (slots == pos).to(cache_k.dtype).view(1, 1, MAXLEN, 1)
        bias = torch.where(slots <= pos, torch.zeros(MAXLEN), torch.full((MAXLEN,), -1e9)).view(1, 1, 1, MAXLEN)
        x = (self.embed(token) + self.tpos(pos)).unsqueeze(1)
        new_k = []
        new_v = []
        for i, layer in enumerate(self.layers):
            h = layer.n1(x)
            k, v = layer.skv(h).chunk(2, dim=-1)
            kc = cache_k[i] * (1 - here) + heads(k) * here
            vc = cache_v[i] * (1 - here) + heads(v) * here
            new_k.append(kc)
            new_v.append(vc)
            x = x + layer.so(merge(attend(heads(layer.sq(h)), kc, vc, bias)))
            x = x + layer.co(merge(attend(heads(layer.cq(layer.n2(x))), ck[i], cv[i])))
            x = x + layer.ff(layer.n3(x))
        return self.logits(x, lk).squeeze(1), torch.stack(new_k), torch.stack(new_v)


class EncoderExport(nn.Module):
    def __init__(self, vlm, with_class=True):
        super().__init__()
        self.vlm = vlm
        self.with_class = with_class

    def forward(self, image):
        memory, pooled = self.vlm.encoder(image)
        ck, cv, lk = self.vlm.cross(memory)
        if not self.with_class:
            return ck, cv, lk
        return ck, cv, lk, self.vlm.class_logits(memory, pooled)


class DecoderExport(nn.Module):
    def __init__(self, vlm):
        super().__init__()
        self.vlm = vlm

    def forward(self, token, pos, cache_k, cache_v, cross_k, cross_v, loc_keys):
        return self.vlm.step(token, pos, cache_k, cache_v, cross_k, cross_v, loc_keys)


# the class tokens of the vocabulary (main/inference/vlm/tokenizer.ts ANSWER_CLASSES, ids 20..29) and their head index
ANSWER_CLASSES = ['contextual point', 'global point', 'seasonal', 'trend', 'shapelet', 'level shift', 'variance',
                  'flatline', 'unknown', 'normal']
CLASS_TOKEN0 = 20
CLASS_OPEN = 5


def pick_class(logits, cls, class_from, has_interval):
    """The class token after <class>: the class head's best class, or the best of the sum of the head's and the
    decoder's log-probabilities; 'normal' exactly when the answer has no interval (the head alone could say
    'normal' beside an interval)."""
    dec = torch.log_softmax(logits[:, CLASS_TOKEN0:CLASS_TOKEN0 + len(ANSWER_CLASSES)], -1)
    head = torch.log_softmax(cls[:, [CLASSES.index(c) for c in ANSWER_CLASSES]], -1)
    score = head if class_from == 'head' else dec + head
    is_normal = torch.tensor([c == 'normal' for c in ANSWER_CLASSES])
    allowed = torch.where(has_interval.unsqueeze(1), ~is_normal.unsqueeze(0), is_normal.unsqueeze(0))
    return CLASS_TOKEN0 + score.masked_fill(~allowed, -1e9).argmax(-1)


@torch.no_grad()
def greedy(vlm, img, max_tokens=MAXLEN, bos=1, eos=2, class_from='decoder'):
    """Greedy decoding with the step function (what the runtime does); returns lists of token ids. After
    <class> the class token is chosen by `class_from` (the runtime reads it from the card)."""
    b = img.shape[0]
    memory, pooled = vlm.encoder(img)
    ck, cv, lk = vlm.cross(memory)
    cls = vlm.class_logits(memory, pooled)
    cache_k = torch.zeros(L, b, H, MAXLEN, DH)
    cache_v = torch.zeros(L, b, H, MAXLEN, DH)
    token = torch.full((b,), bos, dtype=torch.long)
    out = [[] for _ in range(b)]
    done = torch.zeros(b, dtype=torch.bool)
    has_interval = torch.zeros(b, dtype=torch.bool)
    for p in range(min(max_tokens, MAXLEN)):
        logits, cache_k, cache_v = vlm.step(token, torch.tensor([p]), cache_k, cache_v, ck, cv, lk)
        chosen = logits.argmax(-1)
        has_interval = has_interval | (token >= BASE_VOCAB)
        if class_from != 'decoder':
            chosen = torch.where(token == CLASS_OPEN, pick_class(logits, cls, class_from, has_interval), chosen)
        token = chosen
        for i in range(b):
            if not done[i]:
                if token[i].item() == eos:
                    done[i] = True
                else:
                    out[i].append(token[i].item())
        if done.all():
            break
    return out
