// Fused optimizer updates behind StepKernel: one pass over parameter, gradient and state in place,
// instead of the 6-14 elementwise kernels and temporaries of the op-by-op form. Each kernel performs
// the composition's float32 operations in its order with its float constants (rounded on the host,
// OptimizerKernels), and every product goes through __fmul_rn so that nvcc cannot contract it into
// an FMA: the results are then those of the CPU step kernel, bit for bit (OptimizerEmulationTest).
// Launch: 1-D grid-stride, GW_GRID_STRIDE_THREADS threads. Memory bound: SGD moves 12-20
// bytes/element, Adam and BertAdam 28 (BertAdam's clipping reads the gradient once more, sq_norm.cu).
#include "common.cuh"

// SGD, torch semantics: d = g + wd p (when wd != 0); with momentum, buf = first ? d : mu buf + (1 - dampening) d
// and d = nesterov ? d + mu buf : buf; p -= lr d.
extern "C" __global__ void gw_sgd_f32(float* p, const float* g, float* buf, long long n, float lr, float wd, float momentum,
                                      float undamped, int nesterov, int firstStep) {
  GW_GRID_STRIDE(i, n) {
    float d = g[i];
    if (wd != 0.f) d = d + __fmul_rn(p[i], wd);
    if (momentum != 0.f) {
      float b = firstStep ? d : __fmul_rn(buf[i], momentum) + __fmul_rn(d, undamped);
      buf[i] = b;
      d = nesterov ? d + __fmul_rn(b, momentum) : b;
    }
    p[i] = p[i] - __fmul_rn(d, lr);
  }
}

// Adam (l2: g += wd p before the moments) or AdamW (shrink != 1: p *= 1 - lr wd first), torch's order:
// m = beta1 m + (1 - beta1) g; v = beta2 v + ((1 - beta2) g) g; p -= (stepSize m) / (sqrt(v) / bc2 + eps),
// stepSize = lr / (1 - beta1^t) and bc2 = sqrt(1 - beta2^t) rounded once on the host.
extern "C" __global__ void gw_adam_f32(float* p, const float* g, float* m, float* v, long long n, float shrink, float l2,
                                       float beta1, float beta2, float omb1, float omb2, float stepSize, float bc2, float eps) {
  GW_GRID_STRIDE(i, n) {
    float pi = p[i];
    if (shrink != 1.f) pi = __fmul_rn(pi, shrink);
    float gi = g[i];
    if (l2 != 0.f) gi = gi + __fmul_rn(pi, l2);
    float mi = __fmul_rn(m[i], beta1) + __fmul_rn(gi, omb1);
    float vi = __fmul_rn(v[i], beta2) + __fmul_rn(__fmul_rn(gi, omb2), gi);
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - __fmul_rn(mi, stepSize) / (sqrtf(vi) / bc2 + eps);
  }
}

// BertAdam (pytorch-pretrained-bert): with sqNorm (Σ g², sq_norm.cu, on the device) the gradient is first
// scaled by maxNorm / (||g|| + 1e-6) when that is below 1, in place, as GradClip does it per tensor; then
// m = beta1 m + (1 - beta1) g; v = beta2 v + ((1 - beta2) g) g; u = m / (sqrt(v) + eps) (+ wd p); p -= lr u.
extern "C" __global__ void gw_bert_adam_f32(float* p, float* g, float* m, float* v, long long n, const float* sqNorm,
                                            double maxNorm, float lr, float wd, float beta1, float beta2, float omb1,
                                            float omb2, float eps) {
  // Every thread derives the same factor from the one device value: no host round trip per parameter.
  double factor = sqNorm ? maxNorm / (sqrt((double)*sqNorm) + 1e-6) : 1.0;
  bool clip = factor < 1.0;
  float c = (float)factor;
  GW_GRID_STRIDE(i, n) {
    float gi = g[i];
    if (clip) g[i] = gi = __fmul_rn(gi, c);
    float mi = __fmul_rn(m[i], beta1) + __fmul_rn(gi, omb1);
    float vi = __fmul_rn(v[i], beta2) + __fmul_rn(__fmul_rn(gi, omb2), gi);
    m[i] = mi;
    v[i] = vi;
    float u = mi / (sqrtf(vi) + eps);
    if (wd > 0.f) u = u + __fmul_rn(p[i], wd);
    p[i] = p[i] - __fmul_rn(u, lr);
  }
}
