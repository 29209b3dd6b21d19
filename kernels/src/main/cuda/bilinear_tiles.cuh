// Launch geometry of bilinear_relation.cu, written once: the kernels are compiled for it, the
// emulation driver (kernels/src/test/emu/bilinear_emu.cpp) launches with it, and
// BilinearRelationKernels mirrors it in @CudaDefine constants that CudaDefinesTest compares with
// this file.
#pragma once

#define BR_THREADS 256  // every kernel but the grid-stride partial sum
#define BR_MAX_DIM 64   // the largest O and S: each thread keeps BR_PER of the O*S or S*S sums
#define BR_PER 16       // BR_MAX_DIM * BR_MAX_DIM / BR_THREADS
