"""torchvision's VGG16 state dict as `vgg16-397923af.pth` has it (features.N.weight/bias for the 13 convolutions at
torchvision's indices, classifier.0/3/6 for the ImageNet head), at tiny channel widths, saved in torch's LEGACY
(pre-1.6, non-zip) format as that file is. Run from this folder with the Debian python: /usr/bin/python3 make_fixtures.py
(torch only; the layout is written by hand as torchvision's make_layers does for configuration D).

vgg16_tiny_legacy.pth  configuration D with widths 2,2 | 3,3 | 4,4,4 | 4,4,4 | 4,4,4; classifier 4*7*7 -> 6 -> 6 -> 5
"""
from collections import OrderedDict
import torch

torch.manual_seed(16)
CFG = [2, 2, "M", 3, 3, "M", 4, 4, 4, "M", 4, 4, 4, "M", 4, 4, 4, "M"]
sd = OrderedDict()
c_in, idx = 3, 0
for c in CFG:
    if c == "M":
        idx += 1
        continue
    sd[f"features.{idx}.weight"] = torch.randn(c, c_in, 3, 3) * 0.3
    sd[f"features.{idx}.bias"] = torch.randn(c) * 0.1
    c_in, idx = c, idx + 2  # conv then ReLU
for i, (o, n) in zip([0, 3, 6], [(6, 4 * 7 * 7), (6, 6), (5, 6)]):
    sd[f"classifier.{i}.weight"] = torch.randn(o, n) * 0.1
    sd[f"classifier.{i}.bias"] = torch.randn(o) * 0.1
torch.save(sd, "vgg16_tiny_legacy.pth", _use_new_zipfile_serialization=False)
