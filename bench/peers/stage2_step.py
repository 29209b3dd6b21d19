#!/usr/bin/env python3
"""VG-BERT stage-2 training step in plain PyTorch + torchvision: the peer of Stage2StepBench.

Follows ../shared/spec/vg-bert.md: VGG16 convolutions (torchvision layout, last max-pool dropped, §1.1)
frozen; 1x1 embedder 512->768 and one post-LN spatial self-attention layer (§1.3: 12 heads, ReLU FFN
3072, learned 196-cell positions added to Q/K/V input only, residual from X, LayerNorm eps 1e-5,
dropout 0.3 on the residual branches); BERT-base written out (§2.1: 12 layers, GELU, LayerNorm eps
1e-12, dropout 0.3 incl. attention probabilities, type ids 1) with layers 4-11 trainable but their
query/key projections frozen (§2.5); projection heads (1x1 conv, Linear); the matchmap similarity
(§3.2) and the symmetric InfoNCE at sigma 0.1 (§3.3); Adam (0.95, 0.999), eps 1e-8, L2 5e-7 (§6.1).
Weights are random (speed only). One step = forward, backward, optimizer step of one batch.

  /usr/bin/python3 bench/peers/stage2_step.py --device cpu --batch 2 --threads 2
  python3 bench/peers/stage2_step.py --device cuda --batch 180
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

D, HEADS, T, CELLS = 768, 12, 32, 196


class SpatialSelfAttention(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.position_embeddings = nn.Embedding(CELLS, D)
        self.query, self.key, self.value, self.dense = (nn.Linear(D, D) for _ in range(4))
        self.LayerNorm = nn.LayerNorm(D, eps=1e-5)
        self.ffn, self.ffn_output = nn.Linear(D, 3072), nn.Linear(3072, D)
        self.full_layernorm = nn.LayerNorm(D, eps=1e-5)
        self.drop = nn.Dropout(p)

    def forward(self, x):                      # x [B,D,14,14]
        b, d, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)       # [B,R,D], cell r = 14y + x
        a = x + self.position_embeddings.weight[None]
        split = lambda t: t.view(b, h * w, HEADS, d // HEADS).transpose(1, 2)
        q, k, v = split(self.query(a)), split(self.key(a)), split(self.value(a))
        ctx = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // HEADS), -1) @ v   # no attention dropout (§1.3)
        ctx = ctx.transpose(1, 2).reshape(b, h * w, d)
        z = self.LayerNorm(self.drop(self.dense(ctx)) + x)
        out = self.full_layernorm(self.drop(self.ffn_output(F.relu(self.ffn(z)))) + z)
        return out.transpose(1, 2).reshape(b, d, h, w)


class Visual(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.image_model = torchvision.models.vgg16(weights=None).features[:-1]
        self.embedder = nn.Conv2d(512, D, 1)
        self.attention = SpatialSelfAttention(p)
        self.image_model.requires_grad_(False)

    def forward(self, img):
        return self.attention(self.embedder(self.image_model(img)))


class BertLayer(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.query, self.key, self.value, self.attn_out = (nn.Linear(D, D) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(D, eps=1e-12), nn.LayerNorm(D, eps=1e-12)
        self.intermediate, self.output = nn.Linear(D, 3072), nn.Linear(3072, D)
        self.drop = nn.Dropout(p)

    def forward(self, x, bias):
        b, t, d = x.shape
        split = lambda y: y.view(b, t, HEADS, d // HEADS).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        prob = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // HEADS) + bias, -1))
        ctx = (prob @ v).transpose(1, 2).reshape(b, t, d)
        x = self.ln1(x + self.drop(self.attn_out(ctx)))
        return self.ln2(x + self.drop(self.output(F.gelu(self.intermediate(x)))))


class Bert(nn.Module):
    def __init__(self, p, learnable=8):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(30522, D), nn.Embedding(512, D), nn.Embedding(2, D)
        self.ln = nn.LayerNorm(D, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(BertLayer(p) for _ in range(12))
        self.requires_grad_(False)
        for layer in self.layers[12 - learnable:]:
            layer.requires_grad_(True)
            layer.query.requires_grad_(False)   # freezeQK (§2.5.3)
            layer.key.requires_grad_(False)

    def forward(self, ids, types, mask):
        pos = torch.arange(ids.shape[1], device=ids.device)[None]
        x = self.drop(self.ln(self.word(ids) + self.pos(pos) + self.token_type(types)))
        bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x


class TwoStream(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = Visual(0.3)
        self.language = Bert(0.3)
        self.image_projection_head = nn.Conv2d(D, D, 1)
        self.language_projection_head = nn.Linear(D, D)

    def loss(self, img, ids, types, mask, nwords, sigma=0.1):
        v = self.image_projection_head(self.visual(img)).flatten(2)            # [B,D,R]
        l = self.language_projection_head(self.language(ids, types, mask))      # [B,T,D]
        s4 = torch.einsum("idr,ctd->ictr", v, l).amax(-1)                        # [B,B,T] max over cells
        n = nwords.clamp(min=1, max=T).float()
        tmask = (torch.arange(T, device=img.device)[None] < n[:, None]).float()
        sim = (s4 * tmask[None]).sum(-1) / n[None]                              # sim[i,c]
        target = torch.arange(img.shape[0], device=img.device)
        return F.cross_entropy(sim / sigma, target) + F.cross_entropy(sim.t() / sigma, target)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch", type=int, default=0, help="default: 180 on cuda, 2 on cpu")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--steps", type=int, default=0, help="timed steps (default 5 cpu, 20 cuda)")
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    dev = a.device
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if dev == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False   # fp32, as the Java run's default-off comparison
        torch.backends.cudnn.allow_tf32 = False
    b = a.batch or (180 if dev == "cuda" else 2)
    steps = a.steps or (20 if dev == "cuda" else 5)
    model = TwoStream().to(dev).train()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=5e-5, betas=(0.95, 0.999), eps=1e-8,
                           weight_decay=5e-7)
    img = torch.randn(b, 3, 224, 224, device=dev)
    nwords = torch.randint(8, T, (b,), device=dev)
    mask = (torch.arange(T, device=dev)[None] < nwords[:, None]).long()
    ids = torch.randint(1000, 30000, (b, T), device=dev) * mask
    types = torch.ones(b, T, dtype=torch.long, device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model.loss(img, ids, types, mask, nwords)
        loss.backward()
        opt.step()
        return loss

    for _ in range(2):
        step()
    times = []
    for _ in range(steps):
        if dev == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        step().item()
        times.append((time.perf_counter() - t0) * 1e3)
    ms = statistics.median(times)
    row = {"workload": "vgbert_stage2_step", "batch": b, "device": dev, "median_ms": round(ms, 2),
           "images_per_s": round(b / ms * 1e3, 2), "torch": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps(row), flush=True)
    if a.json:
        with open(a.json, "a") as f:
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
