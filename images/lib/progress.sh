# Progress helpers for the image build (sourced). Long steps run quietly into a log, print a heartbeat with the
# log's latest line every 15 s, and show the log's tail if they fail.
step_no=0
step() {
  step_no=$((step_no + 1))
  printf '\n==> [%d] %s  (%s elapsed)\n' "$step_no" "$*" "$(elapsed)"
}
elapsed() { printf '%dm%02ds' $((SECONDS / 60)) $((SECONDS % 60)); }
quiet() {
  local name=$1 log="$LOG_DIR/$1.log" start=$SECONDS pid
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 15); do kill -0 "$pid" 2>/dev/null && sleep 1; done
    kill -0 "$pid" 2>/dev/null && printf '  ... %s: %ds  %s\n' "$name" $((SECONDS - start)) \
      "$(tail -c 2000 "$log" | tr '\r' '\n' | grep -v '^\s*$' | tail -n1 | cut -c1-90)"
  done
  if ! wait "$pid"; then
    echo "!! $name failed; the last lines of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  printf '  %s done in %ds\n' "$name" $((SECONDS - start))
}
