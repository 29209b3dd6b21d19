"""Two tiny Hugging Face BERT folders laid out as the Hub ships them, with the values an independent torch
implementation of BERT computes for them. Run from this folder with the Debian python: /usr/bin/python3 make_fixtures.py
(torch only: transformers is not needed, its file layouts are written by hand).

bert-tiny-uncased/  config.json, pytorch_model.bin (torch.save zip of BertForPreTraining's state dict as the original
                    bert-base-uncased has it: bert. prefix, LayerNorm.gamma/beta, embeddings.position_ids, cls.* heads
                    with the decoder tied), vocab.txt, tokenizer_config.json (do_lower_case true); no tokenizer.json.
bert-tiny-cased/    config.json, model.safetensors (float16, BertModel names, no pooler: add_pooling_layer=False),
                    tokenizer.json (BertNormalizer lowercase false, strip_accents unset) and tokenizer_config.json.
expected.safetensors in each: input_ids, token_type_ids, attention_mask, last_hidden_state, hidden_state_1 and, for the
uncased one, pooler_output.
"""
import json, math, os, struct
from collections import OrderedDict
import torch

H, LAYERS, HEADS, FFN, POS = 32, 2, 4, 64, 40
SPECIALS = ['[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
WORDS = ['the', 'a', 'striped', 'horse', 'zebra', 'cafe', 'car', 'oven', 'is', 'on', 'grass', 'hello', 'world',
         'Hello', 'World', 'Zebra', 'café', '日', '本', 'un', '##able', '##s', '##ed', 'cheer', '##ful', 'Paris']
CHARS = [chr(c) for c in range(33, 127)] + ['##' + chr(c) for c in range(97, 123)]
VOCAB = SPECIALS + WORDS + [c for c in CHARS if c not in WORDS]


def save_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        dt = {torch.float32: 'F32', torch.float16: 'F16', torch.int64: 'I64'}[t.dtype]
        b = t.numpy().tobytes()
        header[name] = {'dtype': dt, 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def weights(gen, pooler):
    n = lambda *s: torch.randn(*s, generator=gen) * 0.2
    w = OrderedDict()
    w['embeddings.word_embeddings.weight'] = n(len(VOCAB), H)
    w['embeddings.position_embeddings.weight'] = n(POS, H)
    w['embeddings.token_type_embeddings.weight'] = n(2, H)
    w['embeddings.LayerNorm.weight'] = 1 + n(H)
    w['embeddings.LayerNorm.bias'] = n(H)
    for i in range(LAYERS):
        p = f'encoder.layer.{i}.'
        for m in ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']:
            w[p + m + '.weight'], w[p + m + '.bias'] = n(H, H), n(H)
        w[p + 'attention.output.LayerNorm.weight'], w[p + 'attention.output.LayerNorm.bias'] = 1 + n(H), n(H)
        w[p + 'intermediate.dense.weight'], w[p + 'intermediate.dense.bias'] = n(FFN, H), n(FFN)
        w[p + 'output.dense.weight'], w[p + 'output.dense.bias'] = n(H, FFN), n(H)
        w[p + 'output.LayerNorm.weight'], w[p + 'output.LayerNorm.bias'] = 1 + n(H), n(H)
    if pooler:
        w['pooler.dense.weight'], w['pooler.dense.bias'] = n(H, H), n(H)
    return w


def reference(w, ids, types, mask):
    """BERT's forward written out in torch, float64, HF's -10000 additive mask and erf GELU."""
    w = {k: v.double() for k, v in w.items()}
    ln = lambda x, p: torch.nn.functional.layer_norm(x, (H,), w[p + '.weight'], w[p + '.bias'], 1e-12)
    lin = lambda x, p: x @ w[p + '.weight'].T + w[p + '.bias']
    t = ids.shape[1]
    x = w['embeddings.word_embeddings.weight'][ids] + w['embeddings.position_embeddings.weight'][:t] \
        + w['embeddings.token_type_embeddings.weight'][types]
    x = ln(x, 'embeddings.LayerNorm')
    states = [x]
    add = (1.0 - mask.double())[:, None, None, :] * -10000.0
    d = H // HEADS
    for i in range(LAYERS):
        p = f'encoder.layer.{i}.'
        split = lambda y: y.view(y.shape[0], t, HEADS, d).transpose(1, 2)
        q, k, v = (split(lin(x, p + 'attention.self.' + m)) for m in ['query', 'key', 'value'])
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + add, -1) @ v
        a = a.transpose(1, 2).reshape(x.shape[0], t, H)
        x = ln(lin(a, p + 'attention.output.dense') + x, p + 'attention.output.LayerNorm')
        f = lin(x, p + 'intermediate.dense')
        f = 0.5 * f * (1 + torch.erf(f / math.sqrt(2)))
        x = ln(lin(f, p + 'output.dense') + x, p + 'output.LayerNorm')
        states.append(x)
    pooled = torch.tanh(lin(x[:, 0], 'pooler.dense')) if 'pooler.dense.weight' in w else None
    return states, pooled


def config():
    return {'architectures': ['BertForPreTraining'], 'attention_probs_dropout_prob': 0.1, 'hidden_act': 'gelu',
            'hidden_dropout_prob': 0.1, 'hidden_size': H, 'initializer_range': 0.02, 'intermediate_size': FFN,
            'layer_norm_eps': 1e-12, 'max_position_embeddings': POS, 'model_type': 'bert', 'num_attention_heads': HEADS,
            'num_hidden_layers': LAYERS, 'pad_token_id': 0, 'type_vocab_size': 2, 'vocab_size': len(VOCAB)}


def inputs(gen):
    ids = torch.randint(6, len(VOCAB), (3, 7), generator=gen)
    ids[:, 0], mask = 3, torch.ones(3, 7, dtype=torch.int64)
    ids[0, 4], ids[0, 5:], mask[0, 5:] = 4, 0, 0
    ids[1, 6] = 4
    ids[2, 2], ids[2, 3:], mask[2, 3:] = 4, 0, 0
    types = torch.zeros(3, 7, dtype=torch.int64)
    types[1, 3:] = 1
    return ids, types, mask


def write_expected(folder, w, gen):
    ids, types, mask = inputs(gen)
    states, pooled = reference(w, ids, types, mask)
    out = {'input_ids': ids, 'token_type_ids': types, 'attention_mask': mask,
           'last_hidden_state': states[-1].float(), 'hidden_state_1': states[1].float()}
    if pooled is not None:
        out['pooler_output'] = pooled.float()
    save_safetensors(os.path.join(folder, 'expected.safetensors'), out)


gen = torch.Generator().manual_seed(15)

os.makedirs('bert-tiny-uncased', exist_ok=True)
w = weights(gen, pooler=True)
legacy = OrderedDict()
for k, v in w.items():
    k = 'bert.' + k
    if k.endswith('LayerNorm.weight'):
        k = k[:-len('weight')] + 'gamma'
    elif k.endswith('LayerNorm.bias'):
        k = k[:-len('bias')] + 'beta'
    legacy[k] = v
legacy['bert.embeddings.position_ids'] = torch.arange(POS).unsqueeze(0)
legacy['cls.predictions.bias'] = torch.zeros(len(VOCAB))
legacy['cls.predictions.transform.dense.weight'] = torch.randn(H, H, generator=gen)
legacy['cls.predictions.transform.dense.bias'] = torch.zeros(H)
legacy['cls.predictions.transform.LayerNorm.gamma'] = torch.ones(H)
legacy['cls.predictions.transform.LayerNorm.beta'] = torch.zeros(H)
legacy['cls.predictions.decoder.weight'] = w['embeddings.word_embeddings.weight']
legacy['cls.seq_relationship.weight'] = torch.randn(2, H, generator=gen)
legacy['cls.seq_relationship.bias'] = torch.zeros(2)
torch.save(legacy, 'bert-tiny-uncased/pytorch_model.bin')
json.dump(config(), open('bert-tiny-uncased/config.json', 'w'), indent=2)
open('bert-tiny-uncased/vocab.txt', 'w').write(''.join(t + '\n' for t in VOCAB))
json.dump({'do_lower_case': True, 'model_max_length': 512}, open('bert-tiny-uncased/tokenizer_config.json', 'w'))
write_expected('bert-tiny-uncased', w, gen)

os.makedirs('bert-tiny-cased', exist_ok=True)
w = weights(gen, pooler=False)
w16 = OrderedDict((k, v.half()) for k, v in w.items())
save_safetensors('bert-tiny-cased/model.safetensors', w16)
cfg = config()
cfg['architectures'] = ['BertModel']
json.dump(cfg, open('bert-tiny-cased/config.json', 'w'), indent=2)
tok = {'version': '1.0',
       'truncation': {'direction': 'Right', 'max_length': 16, 'strategy': 'LongestFirst', 'stride': 0},
       'padding': {'strategy': {'Fixed': 16}, 'direction': 'Right', 'pad_to_multiple_of': None, 'pad_id': 0,
                   'pad_type_id': 0, 'pad_token': '[PAD]'},
       'added_tokens': [{'id': VOCAB.index(s), 'content': s, 'single_word': False, 'lstrip': False, 'rstrip': False,
                         'normalized': False, 'special': True} for s in ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']],
       'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True, 'strip_accents': None,
                      'lowercase': False},
       'pre_tokenizer': {'type': 'BertPreTokenizer'},
       'post_processor': {'type': 'TemplateProcessing',
                          'single': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                                     {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}],
                          'pair': [], 'special_tokens': {}},
       'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
       'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##', 'max_input_chars_per_word': 100,
                 'vocab': {t: i for i, t in enumerate(VOCAB)}}}
json.dump(tok, open('bert-tiny-cased/tokenizer.json', 'w'), ensure_ascii=False)
json.dump({'do_lower_case': False, 'tokenizer_class': 'BertTokenizer'}, open('bert-tiny-cased/tokenizer_config.json', 'w'))
write_expected('bert-tiny-cased', {k: v.float() for k, v in w16.items()}, gen)
