package dev.groundwork.engine.golden;

/**
 * The engine's golden op cases, run from the kernels module where the CUDA backend is on the class
 * path: GoldenDevices then includes cuda:0 whenever a device exists (and reports why not otherwise).
 * CUDA tolerance: 20x the case's fp32 tolerance, for TF32 GEMMs and convolutions (GoldenDevices).
 */
class CudaGoldenOpsTest extends GoldenOpsTest {}
