#!/usr/bin/env bash
# What training leaves behind when it is killed, outside the unit tests (they cannot send signals to
# their own JVM). On a small demo-preset stage-2 run:
#   1. SIGTERM at a random moment, then --resume: the final checkpoint equals an uninterrupted run's,
#      byte for byte (the mid-epoch checkpoint resumes bit-exactly on the CPU);
#   2. kill -9 at random moments, N times (default 50), each followed by a restart (--resume once a
#      checkpoint exists): after the next start no temp file is left, and at the end metrics.jsonl has
#      each epoch exactly once and agrees with the checkpoint's epoch count.
# Usage: tools/reliability/kill-test.sh [N] [work-dir]      (about 10 minutes for N = 50 on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-50}"
work="${2:-$(mktemp -d)}"
gw="$root/gw"
vocab="$root/../shared/data/bert-base-uncased-vocab.txt"
epochs=3
"$gw" --help >/dev/null   # build once, outside the timings
"$gw" data synth "$work/data" --images 300 >/dev/null
# An array, not a function: started with & it is then the process that execs java, so $! is the JVM.
train=("$gw" train two-stream --bert none --preset demo --train-backbone --data-train "$work/data/COCO_train.json" --vocab "$vocab"
  --n-epochs "$epochs" -b 16 --learning-rate 1e-3 --sigma 1 --dropout-rate 0 --workers 2 --save-every-steps 5)
fail() { echo "kill-test: FAIL: $*" >&2; exit 1; }

echo "kill-test: uninterrupted reference run"
"${train[@]}" --exp-dir "$work/whole" >/dev/null 2>&1

echo "kill-test: SIGTERM at a random moment, then --resume"
"${train[@]}" --exp-dir "$work/term" >/dev/null 2>"$work/term.err" &
pid=$!
sleep "$(awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.1f", 4 + rand() * 6 }')"
kill -TERM "$pid" || true
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -eq 143 ] || { cat "$work/term.err" >&2; fail "SIGTERM run exited $rc, expected 143"; }
grep -q "add --resume" "$work/term.err" || fail "the SIGTERM run did not say how to resume"
"${train[@]}" --exp-dir "$work/term" --resume >/dev/null 2>&1
cmp -s "$work/whole/checkpoint.safetensors" "$work/term/checkpoint.safetensors" \
  || fail "the resumed run's checkpoint differs from the uninterrupted run's"
echo "kill-test: SIGTERM + resume gives the uninterrupted checkpoint, byte for byte"

echo "kill-test: $n kill -9 at random moments"
dir="$work/kill9"
for i in $(seq 1 "$n"); do
  resume=(); [ -f "$dir/checkpoint.safetensors" ] && resume=(--resume)
  "${train[@]}" --exp-dir "$dir" "${resume[@]}" >/dev/null 2>>"$work/kill9.err" &
  pid=$!
  sleep "$(awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.2f", 1.5 + rand() * 4 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
resume=(); [ -f "$dir/checkpoint.safetensors" ] && resume=(--resume)
"${train[@]}" --exp-dir "$dir" "${resume[@]}" >/dev/null 2>>"$work/kill9.err" || { tail "$work/kill9.err" >&2; fail "the final run failed"; }
ls -a "$dir" | grep -q '\.tmp$' && fail "temp files left in $dir: $(ls -a "$dir" | grep '\.tmp$')"
epochs_logged="$(grep -c '"kind":"epoch"' "$dir/metrics.jsonl")"
distinct="$(grep '"kind":"epoch"' "$dir/metrics.jsonl" | sed 's/.*"epoch":\([0-9]*\).*/\1/' | sort -u | wc -l)"
[ "$epochs_logged" -eq "$epochs" ] && [ "$distinct" -eq "$epochs" ] || fail "metrics.jsonl has $epochs_logged epoch records ($distinct distinct), expected $epochs"
grep -q '"kind":"partial"' "$dir/metrics.jsonl" && fail "a partial record survived the completed run"
echo "kill-test: PASS ($n kills: no temp files, $epochs epoch records, once each; work dir $work)"
