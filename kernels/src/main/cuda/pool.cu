// 2-D pooling on contiguous NCHW planes: max (with the flat h*W+w argmax the engine's backward
// expects, which cuDNN does not report), average (count_include_pad), adaptive average.
// Launch: 1-D grid-stride, 256 threads; forward one thread per output element, backward one thread
// per input element gathering over the windows that cover it (no atomics, deterministic), except
// max-pool backward, which scatters with atomicAdd into a zeroed gradient. Memory bound.
#include "common.cuh"

extern "C" __global__ void gw_max_pool2d_f32(const float* x, float* y, int* idx, long long planes, int H, int W,
                                             int OH, int OW, int kh, int kw, int sh, int sw, int ph, int pw) {
  GW_GRID_STRIDE(t, planes * OH * OW) {
    int ow = t % OW, oh = (t / OW) % OH;
    long long p = t / ((long long)OH * OW);
    const float* xp = x + p * H * W;
    float best = -INFINITY; int bi = -1;
    for (int i = 0; i < kh; i++) {
      int h = oh * sh - ph + i;
      if (h < 0 || h >= H) continue;
      for (int j = 0; j < kw; j++) {
        int w = ow * sw - pw + j;
        if (w < 0 || w >= W) continue;
        float v = xp[h * W + w];
        if (bi < 0 || v > best || isnan(v)) { best = v; bi = h * W + w; if (isnan(v)) break; }
      }
    }
    y[t] = best; idx[t] = bi;
  }
}

extern "C" __global__ void gw_max_pool2d_bwd_f32(const float* g, const int* idx, float* dx, long long planes, int HW, int OHW) {
  GW_GRID_STRIDE(t, planes * OHW) {
    long long p = t / OHW;
    int k = idx[t];
    if (k >= 0) atomicAdd(dx + p * HW + k, g[t]);
  }
}

extern "C" __global__ void gw_avg_pool2d_f32(const float* x, float* y, long long planes, int H, int W, int OH, int OW,
                                             int kh, int kw, int sh, int sw, int ph, int pw) {
  GW_GRID_STRIDE(t, planes * OH * OW) {
    int ow = t % OW, oh = (t / OW) % OH;
    long long p = t / ((long long)OH * OW);
    float s = 0.f;
    for (int i = 0; i < kh; i++) {
      int h = oh * sh - ph + i;
      if (h < 0 || h >= H) continue;
      for (int j = 0; j < kw; j++) {
        int w = ow * sw - pw + j;
        if (w >= 0 && w < W) s += x[p * H * W + h * W + w];
      }
    }
    y[t] = s / (kh * kw);
  }
}

extern "C" __global__ void gw_avg_pool2d_bwd_f32(const float* g, float* dx, long long planes, int H, int W, int OH, int OW,
                                                 int kh, int kw, int sh, int sw, int ph, int pw) {
  GW_GRID_STRIDE(t, planes * H * W) {
    int w = t % W, h = (t / W) % H;
    long long p = t / ((long long)H * W);
    float s = 0.f;
    for (int oh = 0; oh < OH; oh++) {
      int h0 = oh * sh - ph;
      if (h < h0 || h >= h0 + kh) continue;
      for (int ow = 0; ow < OW; ow++) {
        int w0 = ow * sw - pw;
        if (w >= w0 && w < w0 + kw) s += g[p * OH * OW + oh * OW + ow];
      }
    }
    dx[t] = s / (kh * kw);
  }
}

// Cell (oh, ow) averages rows [floor(oh*H/OH), ceil((oh+1)*H/OH)) and the same for columns.
extern "C" __global__ void gw_adaptive_avg_pool2d_f32(const float* x, float* y, long long planes, int H, int W, int OH, int OW) {
  GW_GRID_STRIDE(t, planes * OH * OW) {
    int ow = t % OW, oh = (t / OW) % OH;
    long long p = t / ((long long)OH * OW);
    int h0 = oh * H / OH, h1 = ((oh + 1) * H + OH - 1) / OH, w0 = ow * W / OW, w1 = ((ow + 1) * W + OW - 1) / OW;
    float s = 0.f;
    for (int h = h0; h < h1; h++)
      for (int w = w0; w < w1; w++) s += x[p * H * W + h * W + w];
    y[t] = s / ((h1 - h0) * (w1 - w0));
  }
}

extern "C" __global__ void gw_adaptive_avg_pool2d_bwd_f32(const float* g, float* dx, long long planes, int H, int W, int OH, int OW) {
  GW_GRID_STRIDE(t, planes * H * W) {
    int w = t % W, h = (t / W) % H;
    long long p = t / ((long long)H * W);
    float s = 0.f;
    for (int oh = 0; oh < OH; oh++) {
      int h0 = oh * H / OH, h1 = ((oh + 1) * H + OH - 1) / OH;
      if (h < h0 || h >= h1) continue;
      for (int ow = 0; ow < OW; ow++) {
        int w0 = ow * W / OW, w1 = ((ow + 1) * W + OW - 1) / OW;
        if (w >= w0 && w < w1) s += g[p * OH * OW + oh * OW + ow] / ((h1 - h0) * (w1 - w0));
      }
    }
    dx[t] = s;
  }
}
