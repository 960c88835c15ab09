#!/usr/bin/env bash
# Plenary set-up: Debian packages for the offline models (when apt-get is available), then npm ci.
#   npm run setup                 runtime packages (chromium prints brochures to PDF) + npm ci
#   bash scripts/setup.sh --tests also the packages the test suite needs (chromium, espeak-ng, sox, python3-onnx, poppler-utils for pdftotext)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME_PKGS=(apertium apertium-fr-es apertium-eng-spa apertium-fra-cat apertium-eng-cat apertium-eo-fr apertium-eo-en pocketsphinx pocketsphinx-en-us ffmpeg ots chromium)
TEST_PKGS=(chromium espeak-ng sox python3-numpy python3-onnx poppler-utils)
BENCH_PKGS=(python3-sklearn)

pkgs=("${RUNTIME_PKGS[@]}")
for arg in "$@"; do
  case "$arg" in
    --tests) pkgs+=("${TEST_PKGS[@]}") ;;
    --bench) pkgs+=("${TEST_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    echo "setup: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: apt-get is not available; the service will start without: ${missing[*]}"
    echo "       (GET /readyz and 'npm run plenary -- models list' name what is missing and how to install it)"
  fi
fi

# Dependency install scripts: package.json "allowScripts" lists the packages whose scripts run (better-sqlite3's
# native binary, esbuild, sharp, protobufjs, the whisper binding below). onnxruntime-node's is denied: it only
# downloads the optional CUDA binaries (the CPU ones are in the package). For a CUDA machine, run once after this:
#   ONNXRUNTIME_NODE_INSTALL_CUDA=v12 node node_modules/onnxruntime-node/script/install.js
# The variable also keeps CUDA skipped should that script ever run (e.g. under --dangerously-allow-all-scripts).
export ONNXRUNTIME_NODE_INSTALL_CUDA="${ONNXRUNTIME_NODE_INSTALL_CUDA:-skip}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# whisper.cpp binding (production-tier speech to text, used when a ggml model is in the models directory).
# It is installed apart from the lock file because its optional per-platform binaries for other systems are
# not all on the registry, which makes `npm ci` reject any lock file that lists it.
if [ ! -d node_modules/@fugood/whisper.node ]; then
  npm install --no-save --no-audit --no-fund @fugood/whisper.node@1.1.3 || echo "setup: whisper.cpp binding not installed (optional)"
fi
echo "setup: done. Start with: npm start -- --demo"
