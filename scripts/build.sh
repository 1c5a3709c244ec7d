#!/usr/bin/env bash
# Builds the core to WebAssembly (build/wasm/core.mjs + core.wasm) and prints its size.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" # Debian's emscripten needs node-acorn from here

if [ ! -f build/cmake-wasm/CMakeCache.txt ]; then
  emcmake cmake -S . -B build/cmake-wasm -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
log=$(mktemp)
# Progress while compiling (a cold build takes minutes): on a terminal one line that updates
# in place, elsewhere a line every 10 %.
progress() {
  local tty=$1 last=-10 pct file line
  while IFS= read -r line; do
    [[ $line =~ ^\[\ *([0-9]+)%\]\ Building\ CXX\ object\ .*/([^/]+\.cpp)\.o ]] || continue
    pct=${BASH_REMATCH[1]}
    file=${BASH_REMATCH[2]}
    if [ "$tty" = 1 ]; then
      printf '\rbuild: [%3d%%] %-50s' "$pct" "$file"
    elif [ "$pct" -ge $((last + 10)) ]; then
      printf 'build: %d%% (%s)\n' "$pct" "$file"
      last=$pct
    fi
  done
  if [ "$tty" = 1 ]; then printf '\r%-70s\r' ''; fi
}
tty=0
[ -t 1 ] && tty=1
set +e
cmake --build build/cmake-wasm -j"$(nproc)" 2>&1 | tee "$log" | progress "$tty"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  grep -E 'error|Error' "$log" | head -40 >&2
  rm -f "$log"
  echo "build: the wasm build FAILED" >&2
  exit 1
fi
grep -E 'warning' "$log" | head -20 || true
rm -f "$log"
test -f build/wasm/core.wasm || { echo "build: core.wasm was not produced" >&2; exit 1; }
node scripts/build-admin.mjs # vendored front-end libraries into admin/vendor/
raw=$(stat -c %s build/wasm/core.wasm)
gz=$(gzip -9 -c build/wasm/core.wasm | wc -c)
glue=$(stat -c %s build/wasm/core.mjs)
printf 'build: core.wasm %d bytes (%d gzip), core.mjs %d bytes\n' "$raw" "$gz" "$glue"
