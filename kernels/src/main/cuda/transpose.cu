// Batched 2-D transpose of the last two dims: out[b, c, r] = in[b, r, c], both contiguous.
// Launch: grid (ceil(cols/32), ceil(rows/32), batch), block (32, 8). A 32x33 shared tile makes both
// the read and the write coalesced (the +1 column avoids bank conflicts). Memory bound.
#include "common.cuh"

extern "C" __global__ void gw_transpose_f32(const float* in, float* out, int rows, int cols) {
  __shared__ float tile[32][33];
  long long base = (long long)blockIdx.z * rows * cols;
  int c = blockIdx.x * 32 + threadIdx.x;
  for (int k = threadIdx.y; k < 32; k += 8) {
    int r = blockIdx.y * 32 + k;
    if (r < rows && c < cols) tile[k][threadIdx.x] = in[base + (long long)r * cols + c];
  }
  __syncthreads();
  int r = blockIdx.y * 32 + threadIdx.x;
  for (int k = threadIdx.y; k < 32; k += 8) {
    int cc = blockIdx.x * 32 + k;
    if (r < rows && cc < cols) out[base + (long long)cc * rows + r] = tile[threadIdx.x][k];
  }
}
