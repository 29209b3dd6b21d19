// Batched 2-D transpose of the last two dims: out[b, c, r] = in[b, r, c], both contiguous.
// Launch: grid (ceil(cols/32), ceil(rows/32), batch), block (32, 8). A 32x33 shared tile makes both
// the read and the write coalesced (the +1 column avoids bank conflicts). Memory bound.
#include "common.cuh"

// Tile edge and thread rows per block (TransposeKernels mirrors both).
#define GW_TRANSPOSE_TILE 32
#define GW_TRANSPOSE_ROWS 8

extern "C" __global__ void gw_transpose_f32(const float* in, float* out, int rows, int cols) {
  __shared__ float tile[GW_TRANSPOSE_TILE][GW_TRANSPOSE_TILE + 1];
  long long base = (long long)blockIdx.z * rows * cols;
  int c = blockIdx.x * GW_TRANSPOSE_TILE + threadIdx.x;
  for (int k = threadIdx.y; k < GW_TRANSPOSE_TILE; k += GW_TRANSPOSE_ROWS) {
    int r = blockIdx.y * GW_TRANSPOSE_TILE + k;
    if (r < rows && c < cols) tile[k][threadIdx.x] = in[base + (long long)r * cols + c];
  }
  __syncthreads();
  int r = blockIdx.y * GW_TRANSPOSE_TILE + threadIdx.x;
  for (int k = threadIdx.y; k < GW_TRANSPOSE_TILE; k += GW_TRANSPOSE_ROWS) {
    int cc = blockIdx.x * GW_TRANSPOSE_TILE + k;
    if (r < rows && cc < cols) out[base + (long long)cc * rows + r] = tile[threadIdx.x][k];
  }
}
