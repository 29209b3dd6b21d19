"""Writes the tiny checkpoints the InterBERT weight-loading tests read, the way the real files are
written: torch.save of state dicts under the original names (shared/spec/interbert.md 1.5-1.6).

- bert-tiny/: a Hugging Face style folder (config.json + pytorch_model.bin) of a BertForPreTraining with
  4 layers, legacy LayerNorm gamma/beta names, the MLM decoder sharing the word embeddings' storage, BERT's
  pooler and next-sentence head.
- interbert_config.json: an InterBERT config in the original's field names (2 single-stream + 2 text-only
  layers, 1 image layer), absent keys left to the constructor defaults as in the original.
- pytorch_model_0.bin: InterBertForMultiModalPreTraining as train_concap.py saves it (decoder stored, sharing
  the word embeddings' storage).
- pytorch_model_4.bin / pytorch_model_4_ema.bin: InterBertForVLTasks as train_tasks.py saves it, raw and
  EMA (the EMA dict holds separate copies, the decoder's identical to the word embeddings).
- pytorch_model_0_dataparallel.bin: the pretraining dict saved from the DataParallel wrapper (module.).

Run from this directory with a Python that has torch (1.13 was used):  python3 make_fixtures.py
"""
import collections
import json
import os

import torch

torch.manual_seed(20240514)

V, H, POS, TYPES, INTER = 13, 8, 10, 2, 12          # text sizes (heads: 2)
SINGLE, TEXT = 2, 2                                  # single-stream and text-only layers: BERT has SINGLE + TEXT
F, C, VLAYERS, VINTER, P = 6, 5, 1, 10, 6            # image feature, region classes, image layers, image FFN, pooled


def linear(sd, name, out, inp):
    sd[name + ".weight"] = torch.randn(out, inp) * 0.2
    sd[name + ".bias"] = torch.randn(out) * 0.1


def layer_norm(sd, name, legacy):
    sd[name + (".gamma" if legacy else ".weight")] = torch.rand(H) + 0.5
    sd[name + (".beta" if legacy else ".bias")] = torch.randn(H) * 0.1


def transformer_layer(sd, p, inter, legacy):
    for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
        linear(sd, f"{p}.{n}", H, H)
    layer_norm(sd, f"{p}.attention.output.LayerNorm", legacy)
    linear(sd, f"{p}.intermediate.dense", inter, H)
    linear(sd, f"{p}.output.dense", H, inter)
    layer_norm(sd, f"{p}.output.LayerNorm", legacy)


def text_embeddings(sd, legacy):
    sd["bert.embeddings.word_embeddings.weight"] = torch.randn(V, H)
    sd["bert.embeddings.position_embeddings.weight"] = torch.randn(POS, H)
    sd["bert.embeddings.token_type_embeddings.weight"] = torch.randn(TYPES, H)
    layer_norm(sd, "bert.embeddings.LayerNorm", legacy)


def mlm_head(sd, legacy):
    sd["cls.predictions.bias"] = torch.randn(V) * 0.1
    linear(sd, "cls.predictions.transform.dense", H, H)
    layer_norm(sd, "cls.predictions.transform.LayerNorm", legacy)
    sd["cls.predictions.decoder.weight"] = sd["bert.embeddings.word_embeddings.weight"]   # tied: one storage


# 1. bert-base's shape in miniature: BertForPreTraining, names as the Google-converted pytorch_model.bin has them.
bert = collections.OrderedDict()
text_embeddings(bert, legacy=True)
for i in range(SINGLE + TEXT):
    transformer_layer(bert, f"bert.encoder.layer.{i}", INTER, legacy=True)
linear(bert, "bert.pooler.dense", H, H)
mlm_head(bert, legacy=True)
linear(bert, "cls.seq_relationship", 2, H)
os.makedirs("bert-tiny", exist_ok=True)
torch.save(bert, "bert-tiny/pytorch_model.bin")
with open("bert-tiny/config.json", "w") as f:
    json.dump({"architectures": ["BertForPreTraining"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
               "hidden_dropout_prob": 0.1, "hidden_size": H, "initializer_range": 0.02, "intermediate_size": INTER,
               "layer_norm_eps": 1e-12, "max_position_embeddings": POS, "model_type": "bert", "num_attention_heads": 2,
               "num_hidden_layers": SINGLE + TEXT, "pad_token_id": 0, "type_vocab_size": TYPES, "vocab_size": V}, f, indent=2)

with open("interbert_config.json", "w") as f:
    json.dump({"attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": H,
               "initializer_range": 0.02, "intermediate_size": INTER, "max_position_embeddings": POS,
               "num_attention_heads": 2, "num_hidden_layers": SINGLE, "type_vocab_size": TYPES, "vocab_size": V,
               "t_num_hidden_layers": TEXT, "v_feature_size": F, "v_target_size": C, "v_hidden_size": H,
               "v_num_hidden_layers": VLAYERS, "v_num_attention_heads": 2, "v_intermediate_size": VINTER,
               "v_attention_probs_dropout_prob": 0.1, "v_hidden_act": "gelu", "v_hidden_dropout_prob": 0.2,
               "bi_hidden_size": P}, f, indent=2)


# 2. InterBertForMultiModalPreTraining's state dict in the original's order: bert (embeddings, v_embeddings,
#    encoder.layer then encoder.v_layer, t_pooler, v_pooler), then cls (predictions, bi_seq_relationship,
#    imagePredictions).
def pretraining():
    sd = collections.OrderedDict()
    text_embeddings(sd, legacy=False)
    linear(sd, "bert.v_embeddings.image_embeddings", H, F)
    linear(sd, "bert.v_embeddings.image_location_embeddings", H, 5)
    layer_norm(sd, "bert.v_embeddings.LayerNorm", legacy=False)
    for i in range(SINGLE + TEXT):
        transformer_layer(sd, f"bert.encoder.layer.{i}", INTER, legacy=False)
    for i in range(VLAYERS):
        transformer_layer(sd, f"bert.encoder.v_layer.{i}", VINTER, legacy=False)
    linear(sd, "bert.t_pooler.dense", P, H)
    linear(sd, "bert.v_pooler.dense", P, H)
    mlm_head(sd, legacy=False)
    linear(sd, "cls.bi_seq_relationship", 2, P)
    linear(sd, "cls.imagePredictions.transform.dense", H, H)
    layer_norm(sd, "cls.imagePredictions.transform.LayerNorm", legacy=False)
    linear(sd, "cls.imagePredictions.decoder", C, H)
    return sd


pre = pretraining()
torch.save(pre, "pytorch_model_0.bin")
torch.save(collections.OrderedDict(("module." + k, v) for k, v in pre.items()), "pytorch_model_0_dataparallel.bin")

# 3. InterBertForVLTasks (num_labels 1): bert, cls, then the four heads, as train_tasks.py saves it.
vl = pretraining()
linear(vl, "vil_prediction", 1, P)
linear(vl, "vil_logit", 1, P)
linear(vl, "vision_logit", 1, H)
linear(vl, "linguisic_logit", 1, H)
torch.save(vl, "pytorch_model_4.bin")
# The EMA dict: one clone per state-dict name, so the decoder is a separate, equal tensor.
ema = collections.OrderedDict((k, (v + 0.01 * torch.randn_like(v)).clone()) for k, v in vl.items() if k != "cls.predictions.decoder.weight")
ema_ordered = collections.OrderedDict()
for k in vl:
    ema_ordered[k] = ema["bert.embeddings.word_embeddings.weight"].clone() if k == "cls.predictions.decoder.weight" else ema[k]
torch.save(ema_ordered, "pytorch_model_4_ema.bin")
assert ema_ordered["cls.predictions.decoder.weight"].data_ptr() != ema_ordered["bert.embeddings.word_embeddings.weight"].data_ptr()
assert torch.equal(ema_ordered["cls.predictions.decoder.weight"], ema_ordered["bert.embeddings.word_embeddings.weight"])
print("wrote bert-tiny/, interbert_config.json, pytorch_model_0.bin, pytorch_model_0_dataparallel.bin, pytorch_model_4.bin, pytorch_model_4_ema.bin")
