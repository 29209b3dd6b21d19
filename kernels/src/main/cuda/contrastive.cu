// VG-BERT's symmetric InfoNCE on a [B,B] similarity (spec 3.3, 5.2), forward and gradient. (The pooled
// variant's cosine similarity is composed in the engine and its [B,B] result comes here.)
//
// With x = sim / sigma:
//   lse_row[i] = logsumexp_c x[i,c],   lse_col[c] = logsumexp_i x[i,c]
//   loss_i2l   = (1/B) sum_i (lse_row[i] - x[i,i]),   loss_l2i = (1/B) sum_c (lse_col[c] - x[c,c])
//   dsim[i,c]  = g_i2l/(B sigma) (exp(x[i,c] - lse_row[i]) - [i=c]) + g_l2i/(B sigma) (exp(x[i,c] - lse_col[c]) - [i=c])
//
// Two kernels (the softmax of a row needs its row's and its column's normaliser, so a grid-wide
// dependency separates them):
// gw_contrastive_lse: grid (B, 2), block 32..1024 threads (multiple of 32). blockIdx.y = 0 reduces
//   row blockIdx.x, 1 reduces column blockIdx.x (strided reads; B x B is small and L2 resident).
//   Two passes (max, sum of exp) with block reductions; writes lse[y*B + line].
// gw_contrastive_loss_grad: grid (rows + has_loss): the first `rows` blocks (rows = B when a
//   gradient is wanted, else 0) each write one row of dsim, threads over c; when loss != null the
//   last block sums the 2B per-line terms in a fixed order (block reduction) into loss[0..1].
//   The upstream scalars come either as device pointers (g0p/g1p, e.g. an autograd gradient left on
//   the device) or, where those are null, as the values g0/g1.
// Both are memory/latency bound and tiny next to the matchmap. expf/logf (not the fast intrinsics).
#include "common.cuh"

extern "C" __global__ void gw_contrastive_lse(const float* __restrict__ sim, int B, float invSigma, float* __restrict__ lse) {
  __shared__ float scratch[32];
  const int line = blockIdx.x, col = blockIdx.y;
  const long long base = col ? line : (long long)line * B;
  const long long step = col ? B : 1;
  float m = -INFINITY;
  for (int k = threadIdx.x; k < B; k += blockDim.x) m = fmaxf(m, sim[base + k * step] * invSigma);
  m = gw_block_max(m, scratch);
  float s = 0.f;
  for (int k = threadIdx.x; k < B; k += blockDim.x) s += expf(sim[base + k * step] * invSigma - m);
  s = gw_block_sum(s, scratch);
  if (threadIdx.x == 0) lse[col * B + line] = m + logf(s);
}

extern "C" __global__ void gw_contrastive_loss_grad(const float* __restrict__ sim, const float* __restrict__ lse, int B,
                                                    float invSigma, const float* g0p, const float* g1p, float g0, float g1,
                                                    float* __restrict__ dsim, float* __restrict__ loss) {
  __shared__ float scratch[32];
  if (loss != nullptr && blockIdx.x == gridDim.x - 1) {
    float a = 0.f, b = 0.f;
    for (int k = threadIdx.x; k < B; k += blockDim.x) {
      float diag = sim[(long long)k * B + k] * invSigma;
      a += lse[k] - diag;
      b += lse[B + k] - diag;
    }
    a = gw_block_sum(a, scratch);
    b = gw_block_sum(b, scratch);
    if (threadIdx.x == 0) {
      loss[0] = a / (float)B;
      loss[1] = b / (float)B;
    }
    return;
  }
  if (dsim == nullptr) return;
  const int i = blockIdx.x;
  const float a0 = (g0p ? *g0p : g0) * invSigma / (float)B;
  const float a1 = (g1p ? *g1p : g1) * invSigma / (float)B;
  const float li = lse[i];
  for (int c = threadIdx.x; c < B; c += blockDim.x) {
    long long e = (long long)i * B + c;
    float x = sim[e] * invSigma;
    float delta = i == c ? 1.f : 0.f;
    dsim[e] = a0 * (expf(x - li) - delta) + a1 * (expf(x - lse[B + c]) - delta);
  }
}
