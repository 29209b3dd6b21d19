#!/usr/bin/env python3
"""Ad-hoc PyTorch CPU timing of the Conv2dBench shapes (torch_peer.py has no single-conv workload).
Layers of torch_peer.py's CPU vgg_attention model at its batch 2: VGG16 3x3/s1/p1 convs and the 1x1 512->768 projection.
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
    for c, o, hw, k in [(3, 64, 224, 3), (64, 64, 224, 3), (256, 256, 56, 3), (512, 512, 28, 3), (512, 768, 14, 1)]:
        n, p = 2, k // 2
        x = torch.randn(n, c, hw, hw); w = torch.randn(o, c, k, k); b = torch.randn(o)
        go = torch.randn(n, o, hw, hw)
        flops = 2 * n * o * hw * hw * c * k * k
        for name, fn in [("forward", lambda: F.conv2d(x, w, b, 1, p)),
                         ("backwardData", lambda: conv2d_input(x.shape, w, go, 1, p)),
                         ("backwardWeight", lambda: (conv2d_weight(x, w.shape, go, 1, p), go.sum((0, 2, 3))))]:
            ms = timer(fn)
            print(f"conv {name:15s} {c}_{o}_{hw}_{k}  {ms:9.3f} ms  {flops / ms / 1e6:7.1f} GFLOP/s", flush=True)
