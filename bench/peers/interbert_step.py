#!/usr/bin/env python3
"""InterBERT in plain PyTorch, written from ../shared/spec/interbert.md: the peer of InterBertPretrainStepBench
and InterBertRetrievalBench.

The network of spec 1 at full size: text embeddings (V 30522, 512 positions, 2 types), image embeddings
(2048-d feature + 5-d box), 6 single-stream post-LN layers over [image ; text] (12 heads of 64, FFN 3072,
exact GELU, LayerNorm eps 1e-12, dropout 0.1), then 6 text-only layers and 6 image-only layers (8 heads of
96, hidden dropout 0.2), ReLU poolers to 1024, mul fusion; heads: MLM with the decoder tied to the word
embeddings, region classes (1601), ITM; for retrieval also vil_prediction and vil_logit. Additive key masks
of -10000. Init N(0, 0.02), biases 0, LayerNorm (1, 0). Losses as spec 2.4: MLM cross entropy over labels
!= -1, region KL over labelled regions of matched pairs (global row dropped), ITM cross entropy.

  --task pretrain: one forward + backward at B x (L, R), training mode (no optimizer step).
  --task retrieval: one caption against P images, eval mode, no gradients, P(matched) = softmax(ITM)[:, 0].

Random inputs with the benchmarks' distributions (bench/.../InterBertBatches.java). Prints one JSON line per
run with every timed op in ms and the median.

  /usr/bin/python3 bench/peers/interbert_step.py --task pretrain --batch 64 --threads 2
  /usr/bin/python3 bench/peers/interbert_step.py --task retrieval --pairs 500 --threads 2
  python3 bench/peers/interbert_step.py --device cuda --task pretrain --batch 64
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

V, H, POS, TYPES, INTER, FEAT, CLASSES, P = 30522, 768, 512, 2, 3072, 2048, 1601, 1024
EPS, NEG = 1e-12, -10000.0


class Layer(nn.Module):
    """Post-LN transformer layer (spec 1.2) with its own head count and dropout rates."""

    def __init__(self, heads, hidden_p, attn_p):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.attn_out = (nn.Linear(H, H) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(H, eps=EPS), nn.LayerNorm(H, eps=EPS)
        self.intermediate, self.output = nn.Linear(H, INTER), nn.Linear(INTER, H)
        self.hidden_drop, self.attn_drop = nn.Dropout(hidden_p), nn.Dropout(attn_p)

    def forward(self, x, bias):
        b, t, _ = x.shape
        d = H // self.heads
        split = lambda y: y.view(b, t, self.heads, d).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        prob = self.attn_drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, -1))
        ctx = (prob @ v).transpose(1, 2).reshape(b, t, H)
        x = self.ln1(x + self.hidden_drop(self.attn_out(ctx)))
        return self.ln2(x + self.hidden_drop(self.output(F.gelu(self.intermediate(x)))))


def key_bias(mask):
    """[B, S] 0/1 -> [B, 1, 1, S] additive bias."""
    return ((1.0 - mask.float()) * NEG)[:, None, None, :]


class InterBert(nn.Module):
    def __init__(self, vl_heads):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(V, H), nn.Embedding(POS, H), nn.Embedding(TYPES, H)
        self.t_ln = nn.LayerNorm(H, eps=EPS)
        self.feat, self.box, self.v_ln = nn.Linear(FEAT, H), nn.Linear(5, H), nn.LayerNorm(H, eps=EPS)
        self.drop = nn.Dropout(0.1)
        self.single = nn.ModuleList(Layer(12, 0.1, 0.1) for _ in range(6))
        self.text = nn.ModuleList(Layer(12, 0.1, 0.1) for _ in range(6))
        self.image = nn.ModuleList(Layer(8, 0.2, 0.1) for _ in range(6))
        self.t_pool, self.v_pool = nn.Linear(H, P), nn.Linear(H, P)
        self.mlm_dense, self.mlm_ln, self.mlm_bias = nn.Linear(H, H), nn.LayerNorm(H, eps=EPS), nn.Parameter(torch.zeros(V))
        self.img_dense, self.img_ln, self.img_dec = nn.Linear(H, H), nn.LayerNorm(H, eps=EPS), nn.Linear(H, CLASSES)
        self.itm = nn.Linear(P, 2)
        self.vl = nn.ModuleList([nn.Linear(P, 1), nn.Linear(P, 1)]) if vl_heads else None
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def encode(self, ids, types, mask, feat, loc, image_mask):
        r = feat.shape[1]
        pos = torch.arange(ids.shape[1], device=ids.device)
        t = self.drop(self.t_ln(self.word(ids) + self.pos(pos)[None] + self.token_type(types)))
        v = self.drop(self.v_ln(self.feat(feat) + self.box(loc)))
        x, joint = torch.cat([v, t], 1), key_bias(torch.cat([image_mask, mask], 1))
        for layer in self.single:
            x = layer(x, joint)
        v, t = x[:, :r], x[:, r:]
        for layer in self.text:
            t = layer(t, key_bias(mask))
        for layer in self.image:
            v = layer(v, key_bias(image_mask))
        fused = self.drop(F.relu(self.t_pool(t[:, 0])) * F.relu(self.v_pool(v[:, 0])))
        return t, v, fused

    def pretrain_loss(self, batch):
        ids, types, mask, feat, loc, image_mask, lm, image_label, target, is_next = batch
        t, v, fused = self.encode(ids, types, mask, feat, loc, image_mask)
        mlm = self.mlm_ln(F.gelu(self.mlm_dense(t))) @ self.word.weight.t() + self.mlm_bias
        region = self.img_dec(self.img_ln(F.gelu(self.img_dense(v))))[:, 1:]
        itm = self.itm(fused)
        l_t = F.cross_entropy(mlm.reshape(-1, V), lm.reshape(-1), ignore_index=-1)
        w = ((image_label == 1) & (is_next[:, None] == 0)).float()
        kl = (torch.where(target > 0, target * target.log(), torch.zeros_like(target)) - target * F.log_softmax(region, 2)).sum(2)
        l_v = (kl * w).sum() / w.sum().clamp(min=1)
        return l_t + l_v + F.cross_entropy(itm, is_next)

    def retrieval_scores(self, batch):
        ids, types, mask, feat, loc, image_mask = batch
        _, _, fused = self.encode(ids, types, mask, feat, loc, image_mask)
        self.vl[0](fused), self.vl[1](fused)            # vil_prediction, vil_logit: computed, as InterBertForVLTasks.scores does
        return torch.softmax(self.itm(fused), 1)[:, 0]


def inputs(b, l, r, one_caption, device, g):
    """Captions of 8..L pieces in [CLS] .. [SEP], a quarter to all of the R-1 regions real, row 0 the mean."""
    ids, mask = torch.zeros(b, l, dtype=torch.long), torch.zeros(b, l, dtype=torch.long)
    image_mask = torch.zeros(b, r, dtype=torch.long)
    feat, loc = torch.zeros(b, r, FEAT), torch.zeros(b, r, 5)
    words = int(torch.randint(8, l + 1, (1,), generator=g))
    caption = torch.randint(1000, 30000, (l,), generator=g)
    for i in range(b):
        if not one_caption:
            words = int(torch.randint(8, l + 1, (1,), generator=g))
            caption = torch.randint(1000, 30000, (l,), generator=g)
        ids[i, :words] = caption[:words]
        ids[i, 0], ids[i, words - 1] = 101, 102
        mask[i, :words] = 1
        real = int(torch.randint((r - 1) // 4, r, (1,), generator=g))
        image_mask[i, :real + 1] = 1
        feat[i, 1:real + 1] = torch.randn(real, FEAT, generator=g).clamp(min=0)
        feat[i, 0] = feat[i, 1:real + 1].mean(0)
        xy = torch.rand(real, 2, generator=g) * 0.8
        wh = 0.05 + torch.rand(real, 2, generator=g) * 0.15
        loc[i, 1:real + 1] = torch.cat([xy, xy + wh, (wh[:, :1] * wh[:, 1:])], 1)
        loc[i, 0] = torch.tensor([0, 0, 1, 1, 1.0])
    return [x.to(device) for x in (ids, torch.zeros_like(ids), mask, feat, loc, image_mask)]


def labels(batch, device, g):
    ids, _, mask, _, _, image_mask = batch
    b, l = ids.shape
    r = image_mask.shape[1]
    lm = torch.full((b, l), -1, dtype=torch.long)
    for i in range(b):
        n = int(mask[i].sum())
        start, length = int(torch.randint(1, n - 1, (1,), generator=g)), max(1, (n - 2) // 3)
        lm[i, start:min(n - 1, start + length)] = ids[i, start:min(n - 1, start + length)].cpu()
    labelled = (torch.rand(b, r - 1, generator=g) < 0.15) & (image_mask[:, 1:].cpu() == 1)
    image_label = torch.where(labelled, torch.ones(b, r - 1, dtype=torch.long), torch.full((b, r - 1), -1, dtype=torch.long))
    target = torch.softmax(2 * torch.randn(b, r - 1, CLASSES, generator=g), 2)
    is_next = torch.arange(b) % 2
    return [x.to(device) for x in (lm, image_label, target, is_next)]


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=["pretrain", "retrieval"], required=True)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64, help="pretrain: pairs per step")
    ap.add_argument("--text", type=int, default=None, help="L: 36 pretrain, 30 retrieval")
    ap.add_argument("--regions", type=int, default=None, help="R incl. the global token: 37 pretrain, 102 retrieval")
    ap.add_argument("--pairs", type=int, default=500, help="retrieval: images per caption")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--steps", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    pretrain = a.task == "pretrain"
    l = a.text or (36 if pretrain else 30)
    r = a.regions or (37 if pretrain else 102)
    b = a.batch if pretrain else a.pairs
    model = InterBert(vl_heads=not pretrain).to(a.device)
    batch = inputs(b, l, r, not pretrain, a.device, g)
    if pretrain:
        batch += labels(batch, a.device, g)
        model.train()
    else:
        model.eval()

    def op():
        if pretrain:
            model.zero_grad(set_to_none=True)
            loss = model.pretrain_loss(batch)
            loss.backward()
            return float(loss)
        with torch.no_grad():
            return float(model.retrieval_scores(batch).sum())

    times = []
    for i in range(a.warmup + a.steps):
        sync(a.device)
        t0 = time.perf_counter()
        op()
        sync(a.device)
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    med = statistics.median(times)
    print(json.dumps({"bench": "interbert_" + a.task, "device": a.device, "threads": torch.get_num_threads(),
                      "shape": (f"B{b}_L{l}_R{r}" if pretrain else f"P{b}_R{r}_L{l}"), "ms": [round(t, 1) for t in times],
                      "ms_median": round(med, 1), "pairs_per_s": round(b / med * 1e3, 2), "torch": torch.__version__,
                      "params": sum(p.numel() for p in model.parameters())}), flush=True)


if __name__ == "__main__":
    main()
