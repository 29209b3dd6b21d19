#!/usr/bin/env bash
# Compiles every CUDA source under src/main/cuda to one PTX file for compute_80, which the driver
# JIT-compiles for the device it runs on (Ampere, Hopper and newer). One PTX per source serves all of
# them until a kernel uses an sm_90-only instruction (wgmma, TMA, clusters); none does: cp.async,
# ldmatrix and mma.sync m16n8k16 bf16 / m16n8k8 tf32 are sm_80.
#   kernels/build-ptx.sh            -> target/generated-ptx (the build does this where nvcc exists)
#   kernels/build-ptx.sh --update   -> src/main/resources/dev/groundwork/kernels/ptx (the committed copy
#                                      a GPU host loads, so it needs no nvcc)
# PtxSourcesTest fails when the committed PTX was not made from the current sources (SOURCES.sha256)
# or declares other kernel entry points than a fresh compile; EntryPointsTest when a host class packs
# other arguments than an entry point declares.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target/generated-ptx"
[[ "${1:-}" == "--update" ]] && out="$here/src/main/resources/dev/groundwork/kernels/ptx"
ARCH=compute_80   # PtxModules.PTX_ARCH
NVCC="${NVCC:-$(command -v nvcc || true)}"
if [[ -z "$NVCC" ]]; then
  echo "build-ptx: nvcc not found; the committed PTX in src/main/resources is used as is"
  exit 0
fi
mkdir -p "$out"
rm -f "$out"/*.ptx   # a deleted or renamed source leaves no stale PTX behind
for cu in "$here"/src/main/cuda/*.cu; do
  name="$(basename "$cu" .cu)"
  "$NVCC" -ptx -O3 -arch=$ARCH -I"$here/src/main/cuda" -o "$out/$name.ptx" "$cu"
done
# The sources the PTX was made from, so PtxSourcesTest can tell stale PTX without recompiling:
# nvcc 13.0's output for the same source is not byte-stable from run to run (attention.cu).
(cd "$here/src/main/cuda" && sha256sum $(ls *.cu *.cuh | LC_ALL=C sort)) > "$out/SOURCES.sha256"
echo "build-ptx: $(ls "$out"/*.ptx | wc -l) PTX files in $out"
