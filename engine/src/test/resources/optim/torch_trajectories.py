"""Prints torch's optimizer trajectories for OptimTorchReferenceTest (output committed as
torch_trajectories.json; the Java test never runs Python).

Problem: w (2x3, float32) with the fixed gradient g = a * (w - c), i.e. the loss
0.5 * sum(a * (w - c)^2). The gradient is computed explicitly (not by autograd) so the comparison
isolates the optimizers. Run: python3 torch_trajectories.py > torch_trajectories.json
"""
import json
import re
import torch

W0 = [0.8, -1.3, 0.45, 2.1, -0.6, 1.05]
A = [1.5, 0.7, 2.2, 0.3, 1.1, 0.9]
C = [0.25, 0.5, -0.75, 1.0, -1.5, 0.1]
STEPS = 10

CASES = [
    ("sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("sgd_plain", dict(lr=0.2)),
    ("sgd_nesterov", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)),
    ("sgd_dampening", dict(lr=0.1, momentum=0.8, dampening=0.3)),
    ("adam_vgbert", dict(lr=0.01, betas=(0.95, 0.999), eps=1e-8, weight_decay=5e-7)),
    ("adam_wd", dict(lr=0.05, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adamw", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    ("adamw_big_wd", dict(lr=0.05, betas=(0.8, 0.95), eps=1e-7, weight_decay=0.5)),
]


def run(name, opts):
    w = torch.tensor(W0, dtype=torch.float32).reshape(2, 3).requires_grad_(True)
    a = torch.tensor(A, dtype=torch.float32).reshape(2, 3)
    c = torch.tensor(C, dtype=torch.float32).reshape(2, 3)
    kind = name.split("_")[0]
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    opt = cls([w], foreach=False, **opts)
    traj = []
    for _ in range(STEPS):
        with torch.no_grad():
            w.grad = a * (w - c)
        opt.step()
        traj.append(w.detach().reshape(-1).tolist())
    o = dict(opts)
    if "betas" in o:
        o["beta1"], o["beta2"] = o.pop("betas")
    return {"name": name, "optimizer": kind, "options": o, "trajectory": traj}


text = json.dumps({
    "torch_version": torch.__version__,
    "shape": [2, 3], "w0": W0, "a": A, "c": C,
    "cases": [run(n, o) for n, o in CASES],
}, indent=1)
# One line per number list keeps the file short and diffable.
print(re.sub(r"\[[-0-9.e,\s]*\]", lambda m: " ".join(m.group(0).split()), text))
