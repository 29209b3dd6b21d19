"""Writes the small PyTorch checkpoints the Java checkpoint tests read, and expected.json with
values computed here by PyTorch, so the Java reader is checked against torch itself.

Run from this directory with a Python that has torch (1.13 was used):  python3 make_fixtures.py
Outputs are a few KB each and are committed next to this script.
"""
import collections
import io
import json
import pickle
import zipfile

import torch

torch.manual_seed(1234)
expected = {}


def record(file, sd):
    """Expected values per tensor: shape, stored dtype, sum (float64), first/last elements row-major."""
    out = collections.OrderedDict()
    for k, v in sd.items():
        flat = v.detach().contiguous().reshape(-1)
        wide = flat.double() if v.is_floating_point() else flat.long()
        out[k] = {
            "shape": list(v.shape),
            "dtype": str(v.dtype).replace("torch.", ""),
            "sum": float(wide.double().sum()),
            "first": [x.item() for x in wide[:3]],
            "last": wide[-1].item() if wide.numel() else None,
        }
    expected[file] = out


# 1. HF BERT names with the `bert.` prefix and legacy LayerNorm.gamma/beta (as old .bin files have).
H, V, P, I = 8, 11, 6, 16
bert = collections.OrderedDict()
bert["bert.embeddings.word_embeddings.weight"] = torch.randn(V, H)
bert["bert.embeddings.position_embeddings.weight"] = torch.randn(P, H)
bert["bert.embeddings.token_type_embeddings.weight"] = torch.randn(2, H)
bert["bert.embeddings.LayerNorm.gamma"] = torch.rand(H) + 0.5
bert["bert.embeddings.LayerNorm.beta"] = torch.randn(H) * 0.1
for n, shape in [("attention.self.query", (H, H)), ("attention.self.key", (H, H)),
                 ("attention.self.value", (H, H)), ("attention.output.dense", (H, H)),
                 ("intermediate.dense", (I, H)), ("output.dense", (H, I))]:
    bert[f"bert.encoder.layer.0.{n}.weight"] = torch.randn(*shape) * 0.2
    bert[f"bert.encoder.layer.0.{n}.bias"] = torch.randn(shape[0]) * 0.1
for n in ["attention.output.LayerNorm", "output.LayerNorm"]:
    bert[f"bert.encoder.layer.0.{n}.gamma"] = torch.rand(H) + 0.5
    bert[f"bert.encoder.layer.0.{n}.beta"] = torch.randn(H) * 0.1
bert["bert.pooler.dense.weight"] = torch.randn(H, H) * 0.2
bert["bert.pooler.dense.bias"] = torch.randn(H) * 0.1
bert["cls.predictions.bias"] = torch.randn(V)
torch.save(bert, "bert_legacy_names.bin")
record("bert_legacy_names.bin", bert)

# 2. torchvision VGG16 key names (features.N, classifier.N) with tiny channel widths.
cfg = [2, 2, "M", 3, 3, "M", 4, 4, 4, "M", 4, 4, 4, "M", 4, 4, 4, "M"]
vgg = collections.OrderedDict()
c_in, idx = 3, 0
for c in cfg:
    if c == "M":
        idx += 1
        continue
    vgg[f"features.{idx}.weight"] = torch.randn(c, c_in, 3, 3) * 0.3
    vgg[f"features.{idx}.bias"] = torch.randn(c) * 0.1
    c_in, idx = c, idx + 2  # conv then ReLU
for i, (o, n) in zip([0, 3, 6], [(5, 4), (5, 5), (3, 5)]):
    vgg[f"classifier.{i}.weight"] = torch.randn(o, n)
    vgg[f"classifier.{i}.bias"] = torch.randn(o)
torch.save(vgg, "vgg16_tiny.pth")
record("vgg16_tiny.pth", vgg)

# 3. A VG-BERT style DataParallel checkpoint wrapped the way stage 1 saves it.
m = torch.nn.DataParallel(torch.nn.ModuleDict({
    "image_model": torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(2, 2, 3)),
    "object_classifier": torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Dropout(), torch.nn.Linear(3, 2)),
}))
sd = m.state_dict()
torch.save({"state_dict": sd, "epoch": 3, "best_loss": 0.25, "arch": "vgbert"}, "vgbert_stage1.pth.tar")
record("vgbert_stage1.pth.tar", sd)

# 4. Views whose storage offset and strides matter, plus F16, BF16, F64, I64, I32, U8 and bool tensors.
base = torch.arange(24, dtype=torch.float32).reshape(4, 6) * 0.5 - 3
views = collections.OrderedDict()
views["transposed"] = base.t()                 # stride (1, 6)
views["sliced"] = base[1:3, 2:5]               # offset 8, stride (6, 1)
views["stepped"] = base[:, ::2]                # stride (6, 2)
views["half"] = (torch.randn(3, 5) * 4).half()
views["bfloat"] = torch.randn(7).bfloat16()
views["double"] = torch.randn(2, 3, dtype=torch.float64)
views["long"] = torch.tensor([[1, -2, 3], [2 ** 40, -(2 ** 35), 0]], dtype=torch.int64)
views["int"] = torch.tensor([5, -6, 7], dtype=torch.int32)
views["byte"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
views["flag"] = torch.tensor([True, False, True])
views["scalar"] = torch.tensor(2.5)
torch.save(views, "views_dtypes.pt")
record("views_dtypes.pt", views)
assert views["sliced"].storage_offset() == 8 and views["transposed"].stride() == (1, 6)

# 5. The same BERT dict in torch's legacy (pre-1.6, non-zip) serialization.
torch.save(bert, "bert_legacy_format.bin", _use_new_zipfile_serialization=False)
record("bert_legacy_format.bin", bert)


# Hostile archives: a torch-like zip whose data.pkl runs a callable. The payload would create the
# marker file named below if it were ever executed.
class Evil:
    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return (self.fn, (self.arg,))


def hostile_zip(name, payload, protocol=2):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pickle.dumps(payload, protocol=protocol))
        z.writestr("archive/version", "3\n")
    with open(name, "wb") as f:
        f.write(buf.getvalue())


import os  # noqa: E402  (used only as the callable being pickled)

hostile_zip("evil_os_system.pt", {"w": Evil(os.system, "touch /tmp/gw_pickle_pwned_marker")})
hostile_zip("evil_eval.pt", collections.OrderedDict(w=Evil(eval, "open('/tmp/gw_pickle_pwned_marker','w')")), protocol=4)  # STACK_GLOBAL

# A zip without data.pkl, and a real checkpoint cut in half.
with zipfile.ZipFile("no_data_pkl.pt", "w") as z:
    z.writestr("archive/version", "3\n")
with open("bert_legacy_names.bin", "rb") as f:
    whole = f.read()
with open("truncated.pt", "wb") as f:
    f.write(whole[: len(whole) // 2])

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", ", ".join(expected))
