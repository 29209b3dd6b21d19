// Fused optimizer updates, one pass over parameter, gradient and state (instead of the 6-10
// elementwise kernels of the op-by-op form). Launch: 1-D grid-stride, 256 threads. Memory bound:
// SGD moves 16 bytes/element with momentum, Adam/AdamW 28.
#include "common.cuh"

// SGD, PyTorch semantics: g += wd * p; buf = momentum * buf + (1 - dampening) * g (buf = g on the
// first step); g = nesterov ? g + momentum * buf : buf; p -= lr * g.
extern "C" __global__ void gw_sgd_f32(float* p, const float* g, float* buf, long long n, float lr, float momentum,
                                      float dampening, float wd, int nesterov, int firstStep) {
  GW_GRID_STRIDE(i, n) {
    float d = g[i] + wd * p[i];
    if (momentum != 0.f) {
      float b = firstStep ? d : momentum * buf[i] + (1.f - dampening) * d;
      buf[i] = b;
      d = nesterov ? d + momentum * b : b;
    }
    p[i] -= lr * d;
  }
}

// Adam (decoupled = 0: L2 added to the gradient) and AdamW (decoupled = 1: p *= 1 - lr * wd).
// bc1 = 1 - beta1^t, bc2 = 1 - beta2^t, as PyTorch: p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps).
extern "C" __global__ void gw_adam_f32(float* p, const float* g, float* m, float* v, long long n, float lr, float beta1,
                                       float beta2, float eps, float wd, int decoupled, float bc1, float bc2) {
  GW_GRID_STRIDE(i, n) {
    float gi = g[i], pi = p[i];
    if (decoupled) pi *= 1.f - lr * wd;
    else gi += wd * pi;
    float mi = beta1 * m[i] + (1.f - beta1) * gi;
    float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
    m[i] = mi; v[i] = vi;
    p[i] = pi - (lr / bc1) * mi / (sqrtf(vi) / sqrtf(bc2) + eps);
  }
}
