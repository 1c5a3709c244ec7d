#!/usr/bin/env bash
# npm test: set up what is missing, build, then run every suite:
#   native unit tests under ASan+UBSan (one build: a plain Debug build ran the same tests again
#   and cost a quarter of the run), every libFuzzer target briefly (same tree),
#   Node tests (fake upstream, shim units),
#   Worker tests inside workerd, end-to-end tests against wrangler dev + fake upstream, and
#   browser tests of the admin app (headless Chromium).
# Skipped, todo and disabled tests count as failures unless tests/skips.allowed lists them, and a
# suite that runs fewer tests than its minimum (MIN below) fails (scripts/test-report.mjs).
# Ends with the skipped count and then one line "N passed, N failed"; exits non-zero if
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" NO_COLOR=1 FORCE_COLOR=0 CI="${CI:-true}"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

# Golden and fixture rewriting is for a developer reviewing a diff, never for a test run.
for v in G2A_UPDATE_GOLDENS G2A_UPDATE_FIXTURES; do
  if [ -n "${!v:-}" ]; then
    echo "npm test: $v is set; unset it (it rewrites expected outputs instead of checking them)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# The fewest tests each suite may run: fewer means files or a build went missing.
declare -A MIN=([native-asan-ubsan]=595 [fuzz]=24 [node]=26 [tooling]=110 [workers]=358 [e2e]=120 [browser]=20)

results=test-results
rm -rf "$results" && mkdir -p "$results"
passed=0
failed=0
skipped=0
summary=()

note() { summary+=("$1"); echo "== $1"; }

# Wall seconds per phase, printed at the end (CI must stay under 30 minutes on 2 cores).
timings=()
phase_start=$SECONDS
lap() {
  timings+=("$1 $((SECONDS - phase_start))s")
  phase_start=$SECONDS
}

bash scripts/setup.sh --browser || { echo "0 passed, 1 failed"; exit 1; }
lap setup
if ! bash scripts/build.sh; then
  note "wasm build: FAILED"
  echo "0 passed, 1 failed"
  exit 1
fi
lap wasm

cxx=$(command -v clang++ || command -v clang++-14)

# Adds one suite's counts (scripts/test-report.mjs: skips and minimums enforced) to the totals.
# $1: suite, $2: vitest | ctest, $3: report file. Sets c_p, c_f, c_s.
count() {
  local label=$1 kind=$2 file=$3 counts
  counts=$(node scripts/test-report.mjs "$kind" "$file" "$label" "${MIN[$label]:-1}" 2>"$results/$label-report.err")
  read -r c_p c_f c_s <<<"${counts:-0 1 0}"
  cat "$results/$label-report.err"
  passed=$((passed + c_p))
  failed=$((failed + c_f))
  skipped=$((skipped + c_s))
  note "$label: $c_p passed, $c_f failed, $c_s skipped"
}

# Native GoogleTest suites through ctest. $1: label, $2: build dir, rest: cmake options.
native_suite() {
  local label=$1 dir=$2
  shift 2
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    CXX="$cxx" cmake -S . -B "$dir" "$@" >"$results/$label-configure.log" 2>&1 || {
      note "$label: configure FAILED (see $results/$label-configure.log)"; failed=$((failed + 1)); return; }
  fi
  if ! cmake --build "$dir" -j"$(nproc)" >"$results/$label-build.log" 2>&1; then
    grep -E 'error' "$results/$label-build.log" | head -20
    note "$label: build FAILED (see $results/$label-build.log)"
    failed=$((failed + 1))
    return
  fi
  local out
  out=$(cd "$dir" && ctest --output-on-failure -j"$(nproc)" 2>&1)
  echo "$out" >"$results/$label.log"
  count "$label" ctest "$results/$label.log"
  [ "$c_f" -gt 0 ] && echo "$out" | grep -E 'Failed|\*\*\*|FAILED|ERROR' | head -40
}

# libFuzzer targets, built beside the sanitized unit tests (G2A_SANITIZE with clang), each run
# for a few seconds from its committed corpus: one pass per target. Longer runs: npm run fuzz.
fuzz_suite() {
  local dir=$1 seconds=$2
  if ! ls "$dir"/*_fuzz >/dev/null 2>&1; then
    note "fuzz: no targets in $dir (its build failed)"
    failed=$((failed + 1))
    return
  fi
  bash scripts/fuzz.sh --summary --build "$dir" --seconds "$seconds" --jobs "$(nproc)" --out "$results/fuzz" \
    >"$results/fuzz.log" 2>&1
  local line p=0 f=1
  line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$results/fuzz.log" | tail -1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^fuzz: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  fi
  [ "$f" -gt 0 ] && grep -v '^fuzz: ' "$results/fuzz.log" | head -60
  if [ $((p + f)) -lt "${MIN[fuzz]}" ]; then
    echo "fuzz: ran $((p + f)) targets, fewer than its minimum of ${MIN[fuzz]}"
    f=$((f + 1))
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  note "fuzz: $p passed, $f failed"
}

# Vitest suites with a JSON report for counting. $1: label, $2: config, rest: vitest arguments.
vitest_suite() {
  local label=$1 config=$2
  shift 2
  local json="$results/$label.json"
  if [ ! -f "$config" ]; then
    note "$label: FAILED (no config $config)"
    failed=$((failed + 1))
    return
  fi
  npx vitest run --config "$config" --reporter=default --reporter=json --outputFile.json="$json" "$@" \
    >"$results/$label.log" 2>&1
  local rc=$?
  count "$label" vitest "$json"
  if [ "$rc" -ne 0 ] && [ "$c_f" -eq 0 ]; then
    failed=$((failed + 1))
    note "$label: vitest exited $rc with no failed test counted"
  fi
  if [ "$c_f" -gt 0 ] || [ "$rc" -ne 0 ]; then tail -60 "$results/$label.log"; fi
}

native_suite native-asan-ubsan build/native-asan -DCMAKE_BUILD_TYPE=Debug -DG2A_SANITIZE=ON
lap native-asan-ubsan
fuzz_suite build/native-asan 5
lap fuzz
G2A_NODE_SUITE=product vitest_suite node tests/node/vitest.config.js
G2A_NODE_SUITE=tooling vitest_suite tooling tests/node/vitest.config.js
lap node+tooling
vitest_suite workers tests/workers/vitest.config.js
lap workers
vitest_suite e2e tests/e2e/vitest.config.js
lap e2e
vitest_suite browser tests/browser/vitest.config.js
lap browser

echo
for s in "${summary[@]}"; do echo "  $s"; done
echo "  time: ${timings[*]} (total ${SECONDS}s)"
echo "$skipped skipped (tests/skips.allowed lists the skips that do not fail the run)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
