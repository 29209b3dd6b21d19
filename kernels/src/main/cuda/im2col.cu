// Convolution without cuDNN: im2col / col2im for one image, used with a cuBLAS GEMM.
// cols[(c*kh + i)*kw + j, oh*OW + ow] = x[c, oh*sh - ph + i, ow*sw - pw + j] (0 outside).
// Launch: 1-D grid-stride, 256 threads. col2im gathers (one thread per input pixel), so the
// backward-data sum is deterministic. Memory bound; the GEMM does the arithmetic.
#include "common.cuh"

extern "C" __global__ void gw_im2col_f32(const float* x, float* cols, int C, int H, int W, int kh, int kw,
                                         int sh, int sw, int ph, int pw, int OH, int OW) {
  long long n = (long long)C * kh * kw * OH * OW;
  GW_GRID_STRIDE(t, n) {
    int ow = t % OW, oh = (t / OW) % OH;
    long long r = t / ((long long)OH * OW);
    int j = r % kw, i = (r / kw) % kh, c = r / ((long long)kw * kh);
    int h = oh * sh - ph + i, w = ow * sw - pw + j;
    cols[t] = h >= 0 && h < H && w >= 0 && w < W ? x[((long long)c * H + h) * W + w] : 0.f;
  }
}

extern "C" __global__ void gw_col2im_f32(const float* cols, float* x, int C, int H, int W, int kh, int kw,
                                         int sh, int sw, int ph, int pw, int OH, int OW) {
  long long n = (long long)C * H * W;
  GW_GRID_STRIDE(t, n) {
    int w = t % W, h = (t / W) % H, c = t / ((long long)W * H);
    float s = 0.f;
    for (int i = 0; i < kh; i++) {
      int hh = h + ph - i;
      if (hh < 0 || hh % sh) continue;
      int oh = hh / sh;
      if (oh >= OH) continue;
      for (int j = 0; j < kw; j++) {
        int ww = w + pw - j;
        if (ww < 0 || ww % sw) continue;
        int ow = ww / sw;
        if (ow >= OW) continue;
        s += cols[(((long long)c * kh + i) * kw + j) * OH * OW + (long long)oh * OW + ow];
      }
    }
    x[t] = s;
  }
}
