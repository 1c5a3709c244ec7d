#!/usr/bin/env bash
# npm run fuzz: builds every libFuzzer target (tests/fuzz/*_fuzz.cpp, clang, ASan+UBSan, the
# core instrumented for coverage) into build/fuzz (-O1) and runs each for N seconds.
#   --seconds N   time per target (default 60)
#   --only NAME   run only these targets (repeatable; e.g. --only range_fuzz)
#   --jobs N      run N targets at a time (default 1)
#   --build DIR   use the targets already built in DIR (npm test: build/native-asan, where
#                 G2A_SANITIZE builds them beside the unit tests); nothing is configured/built
#   --summary     lines only for failed targets, then "fuzz: N passed, N failed" (npm test);
#                 otherwise one line per target (execs, cov, ft, crashes) before that line
#   --nice        run targets under nice -n 19 (long runs on a shared machine), with a 60 s
#                 per-input timeout instead of 10 s: a starved fuzzer is not a hang. (nice works
#                 within the kernel's autogroup only; a job started with setsid competes as a
#                 group — `echo 19 > /proc/<pid>/autogroup` lowers the whole group.)
#   --out DIR     logs and crash inputs (default test-results/fuzz, which npm test clears)
# Seeds: tests/fuzz/corpus/<target>/ (committed, small) plus the golden fixtures named in
# seeds_for below; new corpus entries go to <build>/fuzz-corpus/<target>/ (not committed).
# Crash, leak and timeout inputs go to <out>/<target>-crash-…; logs beside them.
# A target passes when libFuzzer exits 0 (no crash, leak, timeout, OOM or broken invariant).
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=60
unit_timeout=10
out=test-results/fuzz
summary=0
jobs=1
build=
nice_cmd=()
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#*=}; shift ;;
    --only) only+=("$2"); shift 2 ;;
    --only=*) only+=("${1#*=}"); shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --build) build=$2; shift 2 ;;
    --build=*) build=${1#*=}; shift ;;
    --summary) summary=1; shift ;;
    --nice) nice_cmd=(nice -n 19); unit_timeout=60; shift ;;
    --out) out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    *) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"

if [ -z "$build" ]; then
  build=build/fuzz
  cxx=$(command -v clang++ || command -v clang++-14)
  # The whole core (not only the harness) carries coverage counters and the sanitizers.
  # (-fno-sanitize=function: clang 14 cannot emit its prologue data beside coverage in
  # coroutine frames: "Cannot represent a difference across sections".)
  flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-sanitize-recover=undefined"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CXX="$cxx" cmake -S . -B "$build" -DG2A_FUZZ=ON -DCMAKE_BUILD_TYPE=None \
      -DCMAKE_CXX_FLAGS="$flags" >"$out/configure.log" 2>&1 || {
      echo "fuzz: configure FAILED (see $out/configure.log)"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
  fi
  if ! "${nice_cmd[@]}" cmake --build "$build" -j"$(nproc)" >"$out/build.log" 2>&1; then
    grep -E 'error' "$out/build.log" | head -20
    echo "fuzz: build FAILED (see $out/build.log)"
    echo "fuzz: 0 passed, 1 failed"
    exit 1
  fi
fi

# Golden fixtures that seed a target besides its committed corpus.
seeds_for() {
  case "$1" in
    ndjson_fuzz) ls tests/native/fixtures/ndjson/*.ndjson ;;
    mgw_fuzz) ls tests/native/fixtures/mgw/*.frames.jsonl ;;
    chat_render_fuzz | json_escape_fuzz) ls tests/native/fixtures/openai/*.events.json ;;
    statsig_page_fuzz) ls tests/native/fixtures/statsig/*.html ;;
  esac 2>/dev/null
}

targets=()
for src in tests/fuzz/*_fuzz.cpp; do
  name=$(basename "$src" .cpp)
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then continue; fi
  targets+=("$name")
done
if [ ${#only[@]} -gt 0 ] && [ ${#targets[@]} -ne ${#only[@]} ]; then
  echo "fuzz: unknown target among: ${only[*]}" >&2
  exit 2
fi

# Runs one target; writes "<status> <line>" to $out/<name>.result.
run_target() {
  local name=$1
  local bin="$build/$name" corpus="$build/fuzz-corpus/$name" seeds="$build/fuzz-seeds/$name"
  local log="$out/$name.log" marker="$out/.$name.start"
  mkdir -p "$corpus" "$seeds"
  rm -f "$seeds"/*
  for f in $(seeds_for "$name"); do cp "$f" "$seeds/"; done
  local dirs=("$corpus" "$seeds")
  [ -d "tests/fuzz/corpus/$name" ] && dirs+=("tests/fuzz/corpus/$name")
  local args=(-max_total_time="$seconds" -timeout="$unit_timeout" -rss_limit_mb=2048 -print_final_stats=1
              -artifact_prefix="$out/$name-")
  [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
  touch "$marker"
  local rc
  if [ -x "$bin" ]; then
    "${nice_cmd[@]}" "$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
    rc=$?
  else
    echo "fuzz: $bin was not built" >"$log"
    rc=127
  fi
  local execs last cov ft crashes status
  execs=$(grep -aoE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$')
  last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
  ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+')
  crashes=$(find "$out" -maxdepth 1 -newer "$marker" \( -name "$name-crash-*" -o -name "$name-leak-*" \
             -o -name "$name-timeout-*" -o -name "$name-oom-*" \) 2>/dev/null | wc -l)
  rm -f "$marker"
  if [ "$rc" -eq 0 ]; then status=ok; else status="FAILED (exit $rc, see $log)"; fi
  printf '%s %-22s %10s execs  cov: %-6s ft: %-6s crashes: %s  %s\n' "$([ "$rc" -eq 0 ] && echo P || echo F)" \
    "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$status" >"$out/$name.result"
}

running=0
for name in "${targets[@]}"; do
  rm -f "$out/$name.result"
  if [ "$jobs" -le 1 ]; then
    run_target "$name"
  else
    run_target "$name" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  fi
done
wait

passed=0
failed=0
for name in "${targets[@]}"; do
  line=$(cat "$out/$name.result" 2>/dev/null || echo "F $name (no result)")
  if [ "${line:0:1}" = P ]; then
    passed=$((passed + 1))
    [ "$summary" -eq 0 ] && echo "${line:2}"
  else
    failed=$((failed + 1))
    echo "${line:2}"
    grep -aE 'ERROR|SUMMARY|runtime error|invariant broken|Test unit written' "$out/$name.log" | head -10 | sed 's/^/    /'
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
