#!/usr/bin/env bash
# npm test: set up what is missing, build, then run every suite:
#   native unit tests (plain, then ASan+UBSan), every libFuzzer target briefly (same tree),
#   Node tests (fake upstream, shim units),
#   Worker tests inside workerd, end-to-end tests against wrangler dev + fake upstream, and
#   browser tests of the admin app (headless Chromium).
# Ends with one line "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" NO_COLOR=1 FORCE_COLOR=0 CI="${CI:-true}"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

results=test-results
rm -rf "$results" && mkdir -p "$results"
passed=0
failed=0
summary=()

note() { summary+=("$1"); echo "== $1"; }

bash scripts/setup.sh --browser || { echo "0 passed, 1 failed"; exit 1; }
if ! bash scripts/build.sh; then
  note "wasm build: FAILED"
  echo "0 passed, 1 failed"
  exit 1
fi

cxx=$(command -v clang++ || command -v clang++-14)

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
  local line p=0 f=0
  line=$(echo "$out" | grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' | tail -1)
  if [ -n "$line" ]; then
    local total
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
    total=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
    p=$((total - f))
  else
    f=1
  fi
  [ "$f" -gt 0 ] && echo "$out" | grep -E 'Failed|\*\*\*|FAILED|ERROR' | head -40
  passed=$((passed + p))
  failed=$((failed + f))
  note "$label: $p passed, $f failed"
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
  passed=$((passed + p))
  failed=$((failed + f))
  note "fuzz: $p passed, $f failed"
}

# Vitest suites with a JSON report for counting. $1: label, $2: config.
vitest_suite() {
  local label=$1 config=$2
  shift 2
  local json="$results/$label.json"
  npx vitest run --config "$config" --passWithNoTests --reporter=default --reporter=json --outputFile.json="$json" "$@" \
    >"$results/$label.log" 2>&1
  local rc=$?
  local counts
  counts=$(node -e '
    const fs = require("fs");
    try { const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
          const failedSuites = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0).length;
          console.log(r.numPassedTests, r.numFailedTests + failedSuites); }
    catch { console.log("0 1"); }' "$json")
  local p=${counts% *} f=${counts#* }
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -gt 0 ]; then tail -60 "$results/$label.log"; fi
  passed=$((passed + p))
  failed=$((failed + f))
  note "$label: $p passed, $f failed"
}

native_suite native build/native -DCMAKE_BUILD_TYPE=Debug
native_suite native-asan-ubsan build/native-asan -DCMAKE_BUILD_TYPE=Debug -DG2A_SANITIZE=ON
fuzz_suite build/native-asan 5
vitest_suite node tests/node/vitest.config.js
vitest_suite workers tests/workers/vitest.config.js
vitest_suite e2e tests/e2e/vitest.config.js
if [ -f tests/browser/vitest.config.js ]; then vitest_suite browser tests/browser/vitest.config.js; fi

echo
for s in "${summary[@]}"; do echo "  $s"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
