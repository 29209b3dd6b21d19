#!/usr/bin/env python3
"""Writes the model folder that BertInferenceBench runs on both sides: Groundwork (through LanguageModels.open,
as a Hugging Face folder) and ONNX Runtime's Java API (model.onnx), the same weights in both.

A bench-time step, not a test: it needs the Debian PyTorch (torch only; transformers is not needed, BERT is
written out below with Hugging Face's parameter names, so its state dict is a Hub checkpoint as it is).

  /usr/bin/python3 bench/peers/export_bert_onnx.py --size base  --out bench/target/onnx/bert-base
  /usr/bin/python3 bench/peers/export_bert_onnx.py --size small --out bench/target/onnx/bert-small
  # a real Hub folder instead of random weights (pytorch_model.bin; its config.json decides the sizes):
  /usr/bin/python3 bench/peers/export_bert_onnx.py --hf ~/models/bert-base-uncased --out bench/target/onnx/bert-base

Sizes: base = 12 layers, 768 wide, 12 heads, FFN 3072 (bert-base); small = 6 layers, 384 wide, 12 heads, FFN 1536
(the all-MiniLM-L6 shape). Random weights are N(0, 0.02) as BERT initialises them (speed does not depend on
the values). Output: config.json, pytorch_model.bin, vocab.txt (copied from --vocab), model.onnx with inputs
input_ids, attention_mask, token_type_ids (int64 [batch, sequence], both axes dynamic) and output
last_hidden_state [batch, sequence, hidden]. Exported in eval mode (no dropout), opset 14, erf GELU and
BERT's additive -10000 mask, as Groundwork computes them.
"""
import argparse
import json
import math
import os
import shutil

import torch
import torch.nn as nn

SIZES = {'base': dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
         'small': dict(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536)}


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c['vocab_size'], c['hidden_size'])
        self.position_embeddings = nn.Embedding(c['max_position_embeddings'], c['hidden_size'])
        self.token_type_embeddings = nn.Embedding(c['type_vocab_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, ids, types):
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        return self.LayerNorm(self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(types))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c['hidden_size']
        self.heads, self.d = c['num_attention_heads'], h // c['num_attention_heads']
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)

    def forward(self, x, add):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, self.d).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.d) + add, -1) @ v
        return a.transpose(1, 2).reshape(b, t, h)


class Dense(nn.Module):
    """HF's BertSelfOutput / BertOutput: dense, residual add, LayerNorm."""

    def __init__(self, n_in, c):
        super().__init__()
        self.dense = nn.Linear(n_in, c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = Dense(c['hidden_size'], c)

    def forward(self, x, add):
        return self.output(self.self(x, add), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['intermediate_size'])

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention, self.intermediate, self.output = Attention(c), Intermediate(c), Dense(c['intermediate_size'], c)

    def forward(self, x, add):
        x = self.attention(x, add)
        return self.output(self.intermediate(x), x)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c['num_hidden_layers']))

    def forward(self, x, add):
        for l in self.layer:
            x = l(x, add)
        return x


class Bert(nn.Module):
    """HF's BertModel without the pooler (the benchmark reads last_hidden_state)."""

    def __init__(self, c):
        super().__init__()
        self.embeddings, self.encoder = Embeddings(c), Encoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        add = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        return self.encoder(self.embeddings(input_ids, token_type_ids), add)


def hub_names(state):
    """A Hub state dict (bert. prefix, legacy gamma/beta, heads, position_ids) as this module's names."""
    out = {}
    for k, v in state.items():
        if k.startswith('bert.'):
            k = k[len('bert.'):]
        k = k.replace('LayerNorm.gamma', 'LayerNorm.weight').replace('LayerNorm.beta', 'LayerNorm.bias')
        if k.startswith(('cls.', 'pooler.')) or k.endswith('position_ids'):
            continue
        out[k] = v.float()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--size', choices=sorted(SIZES), default='base')
    ap.add_argument('--hf', help='a Hub BERT folder with config.json and pytorch_model.bin (instead of random weights)')
    ap.add_argument('--vocab', default='../shared/data/bert-base-uncased-vocab.txt')
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.hf:
        c = json.load(open(os.path.join(a.hf, 'config.json')))
    else:
        c = dict(vocab_size=30522, max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12,
                 hidden_act='gelu', hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, model_type='bert',
                 architectures=['BertModel'], pad_token_id=0, initializer_range=0.02, **SIZES[a.size])
    torch.manual_seed(a.seed)
    m = Bert(c).eval()
    if a.hf:
        m.load_state_dict(hub_names(torch.load(os.path.join(a.hf, 'pytorch_model.bin'), map_location='cpu')))
    else:
        for name, p in m.named_parameters():
            with torch.no_grad():
                p.fill_(1.0) if 'LayerNorm.weight' in name else p.normal_(0, 0.02)
    json.dump(c, open(os.path.join(a.out, 'config.json'), 'w'), indent=2)
    torch.save(m.state_dict(), os.path.join(a.out, 'pytorch_model.bin'))
    vocab = os.path.join(a.hf, 'vocab.txt') if a.hf and os.path.exists(os.path.join(a.hf, 'vocab.txt')) else a.vocab
    shutil.copyfile(vocab, os.path.join(a.out, 'vocab.txt'))
    ids = torch.randint(1000, 2000, (2, 16))
    mask, types = torch.ones_like(ids), torch.zeros_like(ids)
    with torch.no_grad():
        torch.onnx.export(m, (ids, mask, types), os.path.join(a.out, 'model.onnx'), opset_version=14,
                          input_names=['input_ids', 'attention_mask', 'token_type_ids'], output_names=['last_hidden_state'],
                          dynamic_axes={n: {0: 'batch', 1: 'sequence'} for n in ['input_ids', 'attention_mask', 'token_type_ids',
                                                                                  'last_hidden_state']})
    print(json.dumps({'out': a.out, 'layers': c['num_hidden_layers'], 'hidden': c['hidden_size'], 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
