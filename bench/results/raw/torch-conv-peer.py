#!/usr/bin/env python3
"""Ad-hoc PyTorch CPU timing of the Conv2dBench shapes (torch_peer.py has no single-conv workload).
VGG16 3x3/s1/p1 layers at batch 2 (the batch torch_peer.py's CPU vgg_attention uses).
Same timing rule as torch_peer.py: median of 10 reps after 3 warm-ups."""
import statistics, time, os
import torch
import torch.nn.functional as F
from torch.nn.grad import conv2d_input, conv2d_weight

torch.set_num_threads(os.cpu_count())
torch.manual_seed(0)

def timer(fn, warmup=3, reps=10):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append((time.perf_counter() - t) * 1e3)
    return statistics.median(ts)

print("# torch", torch.__version__, "threads", torch.get_num_threads())
with torch.no_grad():
    for c, o, hw in [(64, 64, 224), (256, 256, 56), (512, 512, 28)]:
        n = 2
        x = torch.randn(n, c, hw, hw); w = torch.randn(o, c, 3, 3); b = torch.randn(o)
        go = torch.randn(n, o, hw, hw)
        flops = 2 * n * o * hw * hw * c * 9
        for name, fn in [("forward", lambda: F.conv2d(x, w, b, 1, 1)),
                         ("backwardData", lambda: conv2d_input(x.shape, w, go, 1, 1)),
                         ("backwardWeight", lambda: (conv2d_weight(x, w.shape, go, 1, 1), go.sum((0, 2, 3))))]:
            ms = timer(fn)
            print(f"conv {name:15s} {c}_{o}_{hw}  {ms:9.3f} ms  {flops / ms / 1e6:7.1f} GFLOP/s", flush=True)
