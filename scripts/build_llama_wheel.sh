#!/usr/bin/env bash
# Build llama-cpp-python portably into ~/.cache/ward-appliance/wheels/ (once per machine and CPU feature set) and print the wheel's path.
#
# Why: its default build uses -march=native. On CPUs that advertise AMX, ggml's AMX path is then built and its tile
# set-up is miscompiled by Debian 12's GCC 12.2 (SIGILL in ggml_backend_amx_mul_mat). We never pass -march=native
# and never enable AMX; AVX2/AVX-512 are chosen from what this CPU (or $LLAMA_CPU_BASELINE) offers.
# pip's wheel cache ignores CMAKE_ARGS, so we build with --no-cache-dir into our own folder, keyed by the flags.
#   bash scripts/build_llama_wheel.sh            # features of this CPU (x86-64 or aarch64)
#   LLAMA_CPU_BASELINE=avx2 bash scripts/...     # for an image that must run on any AVX2 mini-PC
set -euo pipefail
cd "$(dirname "$0")/.."
version=${LLAMA_CPP_VERSION:-0.3.36}
python=${PYTHON:-.venv/bin/python}
flags=/proc/cpuinfo
has() { grep -qw "$1" "$flags" 2>/dev/null; }

arch=$(uname -m)
args="-DGGML_NATIVE=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF"
args+=" -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF"
tag="$arch"
if [[ "$arch" == x86_64 ]]; then
  baseline=${LLAMA_CPU_BASELINE:-}
  avx2=OFF avx512=OFF
  if [[ "$baseline" == avx512 ]] || { [[ -z "$baseline" ]] && has avx512f && has avx512bw && has avx512vl; }; then
    avx2=ON avx512=ON
  elif [[ "$baseline" == avx2 ]] || { [[ -z "$baseline" ]] && has avx2 && has fma; }; then
    avx2=ON
  fi
  # Explicit, because SOURCE_DATE_EPOCH turns these defaults off.
  args+=" -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_F16C=ON -DGGML_FMA=$avx2 -DGGML_BMI2=$avx2"
  args+=" -DGGML_AVX2=$avx2 -DGGML_AVX512=$avx512"
  tag+="-avx2$avx2-avx512$avx512"
fi
out="${WARD_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ward-appliance/wheels}/llama-$version-$tag"
wheel=$(ls "$out"/llama_cpp_python-*.whl 2>/dev/null | head -n1 || true)
if [[ -z "$wheel" ]]; then
  mkdir -p "$out"
  log="$out/build.log"
  echo "Compiling llama-cpp-python $version for $tag (once per machine, about 6-15 min on 2 cores; log: $log)" >&2
  CMAKE_ARGS="$args" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$python" -m pip wheel -v --no-cache-dir --no-deps \
    --no-binary llama-cpp-python -w "$out" "llama-cpp-python==$version" >"$log" 2>&1 &
  pid=$!
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    step=$(grep -oE '\[ *[0-9]+%\]' "$log" | tail -n1 || true)
    printf '  ... compiling llama.cpp: %dm%02ds elapsed %s\n' $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) "$step" >&2
  done
  if ! wait "$pid"; then
    echo "llama-cpp-python failed to build; the last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  wheel=$(ls "$out"/llama_cpp_python-*.whl | head -n1)
fi
echo "$wheel"
