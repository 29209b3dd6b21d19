// Launch geometry of the matchmap kernels, written once: matchmap.cu (fp32 FFMA) and matchmap_tf32.cu
// (tensor cores) are compiled for these tiles, their emulation drivers (kernels/src/test/emu) launch
// with them, and MatchmapKernels / MatchmapTf32Kernels mirror them in @CudaDefine constants that
// CudaDefinesTest compares with this file.
#pragma once

// matchmap.cu
#define MM_RT 64           // gw_matchmap_max: kept rows per block tile
#define MM_PT 64           // gw_matchmap_max: cells per tile
#define MM_DK 16           // gw_matchmap_max: depth per shared-memory stage
#define MM_THREADS 256     // gw_matchmap_max (16 x 16 threads of 4x4 micro-tiles) and gw_matchmap_rows
#define MM_BWD_THREADS 256 // gw_matchmap_bwd_image: rows scanned per step, one per thread

// matchmap_tf32.cu
#define MMT_RT 64          // kept rows per block tile (as MM_RT, so the rows are tiled alike)
#define MMT_PT 64          // cells per tile
#define MMT_DK 32          // depth per shared-memory stage
#define MMT_THREADS 128    // 4 warps, 32 rows x 32 cells each
