// Launch geometry of the attention kernels, written once: attention.cu (fp32) and attention_bf16.cu /
// attention_bf16_bwd.cu (tensor cores) are compiled for these tiles, their emulation drivers
// (kernels/src/test/emu) launch with them, and the host classes (AttentionKernels,
// AttentionBf16Kernels, AttentionBf16BwdKernels) mirror them in @CudaDefine constants that
// CudaDefinesTest compares with this file.
#pragma once

// fp32 (attention.cu): 4 warps per block in every kernel.
#define GW_ATT_THREADS 128
#define GW_ATT_BQ 64      // query rows per forward block
#define GW_ATT_BK 32      // key tile of every kernel
// Query-tile rows of the backward kernels per head dim (static shared memory stays under 48 KB).
#define GW_ATT_BWD_BQ_D64 32
#define GW_ATT_BWD_BQ_D96 16

// bf16 on tensor cores (attention_bf16*.cu): 4 warps per block in every kernel.
#define GW_ATB_THREADS 128
#define GW_ATB_BQ 64          // forward: query rows per block (16 per warp)
#define GW_ATB_BK 64          // forward: keys per tile
#define GW_ATB_BWD_BK 64      // backward: keys per dkv block and per dq tile
#define GW_ATB_BWD_BQ_D64 64  // backward dkv: query rows per tile, per head dim (registers)
#define GW_ATB_BWD_BQ_D96 32
#define GW_ATB_DQ_BQ 64       // backward dq: query rows per block
