#!/usr/bin/env bash
# Runs the GPU test suite and the GPU benchmarks from bundle/ (see bundle.sh) and writes a report:
#   bash tools/gpu/run.sh [report-dir]      (default: $OUT or ./gpu-report)
# Report: env.txt (nvidia-smi, libraries, what the backend loaded), tests.txt + junit XML,
# jmh.json + jmh.txt, peer.jsonl (PyTorch from the same host and call, when python3 has torch).
# Tests run in fp32 (GW_TF32=0; TF32 has its own tests). The *EmulationTest classes (the kernels on
# the CPU, under kernels/src/test/emu) are left to CI: device time is for what needs the device. GW_GPU_TESTS=0 / GW_GPU_BENCH=0 skip either
# half; GW_JMH_ARGS adds JMH options (e.g. a benchmark filter is the first argument: GW_JMH_FILTER).
# Data-parallel (issue 18): env.txt names the NCCL found (GW_NCCL_LIB, else CUDA_HOME, the system folders,
# or PyTorch's nvidia/nccl/lib); the test suite includes NcclBindingTest and NcclCommunicatorTest (a
# one-rank communicator's all-reduce, all-gather, reduce-scatter and broadcast of device buffers against
# the CPU), and the benchmarks GpuAllReduceBench (an all-reduce of BERT-base's 110 M gradient floats).
# Where torch is installed but no libnccl.so is on the path, point GW_NCCL_LIB at torch's:
if [[ -z "${GW_NCCL_LIB:-}" ]] && command -v python3 >/dev/null; then
  nccl_dir="$(python3 -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib"))' 2>/dev/null || true)"
  [[ -n "$nccl_dir" && -d "$nccl_dir" ]] && export GW_NCCL_LIB="$nccl_dir"
fi
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
report="${1:-${OUT:-$root/gpu-report}}"
mkdir -p "$report"
b="$root/bundle"
[[ -f "$b/jdk.tgz" ]] || { echo "no bundle: run tools/gpu/bundle.sh first" >&2; exit 2; }
jdk="$(mktemp -d)/jdk"
tar xzf "$b/jdk.tgz" -C "$(dirname "$jdk")"
java="$jdk/bin/java"
cp_main="$(ls "$b"/lib/*.jar | grep -v console-standalone | tr '\n' ':')"
opts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss8m -Dgw.root="$root")
export GW_GOLDEN="${GW_GOLDEN:-$b/golden}"

{
  echo "## nvidia-smi"; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv 2>&1
  nvidia-smi 2>&1 | head -4 | tail -2
  echo "## backend"; "$java" "${opts[@]}" -cp "$cp_main" dev.groundwork.kernels.GpuInfo 2>&1
  echo "## python"; python3 -c "import torch;print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version())" 2>&1
} > "$report/env.txt"
cat "$report/env.txt"

if [[ "${GW_GPU_TESTS:-1}" != 0 ]]; then
  t0=$(date +%s)
  GW_TF32=0 "$java" "${opts[@]}" -Xmx16g -jar "$b"/lib/junit-platform-console-standalone-*.jar execute \
    --class-path "$cp_main$b/test-classes/engine:$b/test-classes/kernels:$b/test-classes/models" \
    --select-package dev.groundwork.kernels --select-class dev.groundwork.engine.golden.CudaGoldenOpsTest \
    --select-class dev.groundwork.models.golden.GoldenModelsTest \
    --exclude-classname '.*EmulationTest' \
    --details=tree --disable-banner --reports-dir "$report/junit" > "$report/tests.txt" 2>&1
  echo "tests exit $? in $(( $(date +%s) - t0 )) s" | tee -a "$report/tests.txt"
  grep -E "tests (successful|failed|skipped|aborted)|containers failed" "$report/tests.txt"
  grep -E "✘|MethodSource.*failed|=> " "$report/tests.txt" | head -60
fi

if [[ "${GW_GPU_BENCH:-1}" != 0 ]]; then
  "$java" "${opts[@]}" -cp "$cp_main" org.openjdk.jmh.Main "${GW_JMH_FILTER:-Gpu.*Bench}" -rf json -rff "$report/jmh.json" \
    -jvmArgsPrepend "-Dgw.root=$root" ${GW_JMH_ARGS:-} > "$report/jmh.txt" 2>&1
  tail -30 "$report/jmh.txt"
  if [[ -f "$b/torch_peer.py" ]] && python3 -c "import torch" 2>/dev/null; then
    python3 "$b/torch_peer.py" --device cuda --only "${GW_PEER_ONLY:-gemm,memory,attention,matchmap,bilinear}" --json "$report/peer.jsonl" > "$report/peer.txt" 2>&1
    cat "$report/peer.txt"
  fi
fi
