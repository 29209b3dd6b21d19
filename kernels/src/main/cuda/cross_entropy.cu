// Fused cross-entropy forward + backward over logits [N, C] and int64 targets (ignore_index rows
// contribute nothing): per row loss = logsumexp(x) - x[t], and in the same pass the gradient of
// the mean loss dx = (softmax(x) - onehot(t)) * scale, scale = 1 / (number of kept rows).
// Launch: one block per row. Memory bound: one read of the logits, one write of the gradient.
#include "common.cuh"

extern "C" __global__ void gw_cross_entropy_f32(const float* x, const long long* target, float* loss, float* dx,
                                                int C, long long ignoreIndex, float scale) {
  __shared__ float scratch[32];
  long long base = (long long)blockIdx.x * C;
  long long t = target[blockIdx.x];
  bool ignored = t == ignoreIndex;
  float m = -INFINITY;
  for (int k = threadIdx.x; k < C; k += blockDim.x) m = fmaxf(m, x[base + k]);
  m = gw_block_max(m, scratch);
  float s = 0.f;
  for (int k = threadIdx.x; k < C; k += blockDim.x) s += expf(x[base + k] - m);
  s = gw_block_sum(s, scratch);
  float lse = m + logf(s);
  if (threadIdx.x == 0) loss[blockIdx.x] = ignored ? 0.f : lse - x[base + t];
  if (dx) {
    float inv = 1.f / s;
    for (int k = threadIdx.x; k < C; k += blockDim.x)
      dx[base + k] = ignored ? 0.f : (expf(x[base + k] - m) * inv - (k == t ? 1.f : 0.f)) * scale;
  }
}
