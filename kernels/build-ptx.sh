#!/usr/bin/env bash
# Compiles every CUDA source under src/main/cuda to PTX for sm_80 and sm_90.
#   kernels/build-ptx.sh            -> target/generated-ptx (the build does this where nvcc exists)
#   kernels/build-ptx.sh --update   -> src/main/resources/dev/groundwork/kernels/ptx (the committed copy
#                                      a GPU host loads, so it needs no nvcc)
# PtxSourcesTest fails when the committed PTX was not made from the current sources (SOURCES.sha256)
# or declares other kernel entry points than a fresh compile.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target/generated-ptx"
[[ "${1:-}" == "--update" ]] && out="$here/src/main/resources/dev/groundwork/kernels/ptx"
NVCC="${NVCC:-$(command -v nvcc || true)}"
if [[ -z "$NVCC" ]]; then
  echo "build-ptx: nvcc not found; the committed PTX in src/main/resources is used as is"
  exit 0
fi
mkdir -p "$out"
for cu in "$here"/src/main/cuda/*.cu; do
  name="$(basename "$cu" .cu)"
  for sm in 80 90; do
    "$NVCC" -ptx -O3 -arch=compute_$sm -I"$here/src/main/cuda" -o "$out/$name.sm_$sm.ptx" "$cu"
  done
done
# The sources the PTX was made from, so PtxSourcesTest can tell stale PTX without recompiling:
# nvcc 13.0's output for the same source is not byte-stable from run to run (attention.cu).
(cd "$here/src/main/cuda" && sha256sum $(ls *.cu *.cuh | LC_ALL=C sort)) > "$out/SOURCES.sha256"
echo "build-ptx: $(ls "$out"/*.ptx | wc -l) PTX files in $out"
