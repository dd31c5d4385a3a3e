# Shared by scripts/serve and scripts/test. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

# Debian 12 packages the build needs. Boost 1.81 is not Debian's default (1.74).
BUILD_PACKAGES=(g++ cmake make pkg-config ccache python3 ca-certificates
  libboost1.81-all-dev libssl-dev libsqlite3-dev rapidjson-dev libtomlplusplus-dev
  libcli11-dev libspdlog-dev libgumbo-dev libargon2-dev liboath-dev lld)
# What the test suite adds: Catch2, the Mastodon clients, Node for the Fedify peer, openssl for
# test certificates, sqlite3 to inspect databases, python3-cryptography for the signed requests of
# tests/integration/test_inbox_hardening.py and bench/, wrk and nginx for the benchmark's smoke run
# (ctest bench:smoke), chromium for the browser test of the sign-in page
# (tests/interop/test_consent_browser.py, driven by the pinned playwright-core).
TEST_PACKAGES=(catch2 toot python3-mastodon python3-cryptography openssl sqlite3 curl wrk nginx-light
               chromium)
# scripts/fuzz: clang 14 and its runtime libraries (libFuzzer, ASan, UBSan).
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are not installed yet (apt-get only when something is missing).
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# Node.js and npm run the Fedify peer. A machine may already have Node from elsewhere (its own
# package clashes with Debian's npm), so install Debian's only when there is no node at all.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_packages nodejs npm
  fi
}

# The pinned interop peers (Fedify, playwright-core, axe-core) in tests/interop/node_modules:
# `npm ci` when the lock file changed since the last install. scripts/test and bench/run (the
# Fedify peer) need them.
ensure_interop_peers() {
  local interop="$ROOT/tests/interop"
  [ -f "$interop/package-lock.json" ] || return 0
  # npm's own node_modules/.package-lock.json never equals package-lock.json (it lacks the root
  # entry), so a copy of the lock installed last time tells whether `npm ci` must run again.
  local stamp="$interop/node_modules/.civicpub-installed-lock.json"
  if [ ! -f "$stamp" ] || ! cmp -s "$interop/package-lock.json" "$stamp"; then
    log "installing the pinned interop peers (npm ci)"
    # playwright-core drives Debian's chromium (a test package): it must never fetch a browser.
    (cd "$interop" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$interop/package-lock.json" "$stamp"
  fi
}

# configure_and_build BUILD_DIR BUILD_TYPE [extra cmake args...]
configure_and_build() {
  local dir="$1" type="$2"
  shift 2
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/civicpub-ccache}"
  export CCACHE_BASEDIR="$ROOT"
  # Debug builds hash the working directory by default; without it a clean clone or a second
  # checkout reuses the cache (the debug info then names the first checkout's paths).
  export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    log "configuring $dir ($type)"
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  else
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  log "building $dir with $JOBS jobs"
  cmake --build "$dir" -j "$JOBS"
}
