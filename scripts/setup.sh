#!/usr/bin/env bash
# Installs what is missing for building and testing: Debian packages (when running as root
# on Debian; otherwise it names what to install) and node_modules (npm ci).
# Usage: scripts/setup.sh [--browser]   (--browser also wants Chromium for the UI tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

need=()
command -v em++ >/dev/null 2>&1 || need+=(emscripten)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v make >/dev/null 2>&1 || need+=(make)
{ command -v clang++ >/dev/null 2>&1 || command -v clang++-14 >/dev/null 2>&1; } || need+=(clang)
ls /usr/lib/llvm-14/lib/clang/14*/lib/linux/libclang_rt.asan-x86_64.a >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
[ -f /usr/include/nlohmann/json.hpp ] || need+=(nlohmann-json3-dev)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v gzip >/dev/null 2>&1 || need+=(gzip)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3) # the e2e tests read the local D1 file
if [ "$want_browser" = 1 ]; then command -v chromium >/dev/null 2>&1 || need+=(chromium); fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing packages: ${need[*]}" >&2
    echo "setup: install them (Debian/Ubuntu: sudo apt-get install ${need[*]}) and run again" >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
