#!/usr/bin/env bash
# Slow end-to-end check (not in CI): build the image and two bundles, boot it in QEMU, wait for /healthz over a
# host-only port forward, install a good update (boots slot B), then a deliberately broken one (written to A) and
# watch the box fall back to B. Prints the figures docs/image.md records; logs and screenshots go to $OUT.
#   sudo images/qemu-test.sh            # build everything, then boot
#   sudo images/qemu-test.sh --no-build # reuse images/out/ from an earlier run
#   sudo images/qemu-test.sh --reuse-image  # reuse the image, build the two bundles
# Needs: what build.sh needs, plus qemu-system-x86 ovmf openssh-client curl and Debian's python3-pil (the
# screenshots are rendered with /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
source "$here/lib/progress.sh"
OUT=${WARD_QEMU_OUT:-$repo/.cache/image/qemu}
LOG_DIR=$OUT/logs
mkdir -p "$OUT" "$LOG_DIR"
base_version=${WARD_IMAGE_VERSION:-1.0.0-test}
http=${WARD_QEMU_HTTP_PORT:-18080}
sshp=${WARD_QEMU_SSH_PORT:-12222}
key=$OUT/it_ed25519
figures=$OUT/figures.txt
: >"$figures"
fig() { echo "$*" | tee -a "$figures"; }

[[ -f $key ]] || ssh-keygen -q -t ed25519 -N '' -C ward-qemu-test -f "$key"
export WARD_IT_SSH_KEY=$key.pub
export WARD_SQUASHFS_LEVEL=${WARD_SQUASHFS_LEVEL:-1}  # quicker builds; the figures say which level was used
if [[ ${1:-} != --no-build && ${1:-} != --reuse-image ]]; then
  step "Build the image ($base_version)"
  t0=$SECONDS
  WARD_IMAGE_VERSION=$base_version "$here/build.sh"
  fig "build_image_s=$((SECONDS - t0))"
fi
out=$repo/images/out
raw=$out/ward-$base_version.raw
good=$out/ward-$base_version-update.raucb
broken=$out/ward-$base_version-broken-broken.raucb
fig "image_raw_bytes=$(stat -c %s "$raw") image_allocated=$(du -h "$raw" | cut -f1) qcow2=$(du -h "${raw%.raw}.qcow2" | cut -f1)"

step "Boot in QEMU"
disk=$OUT/disk.qcow2
qemu-img create -q -f qcow2 -F raw -b "$raw" "$disk" 8G
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$OUT/vars.fd"
accel=tcg cpu=max
# /dev/kvm may exist and still fail on real guest code (nested KVM here: "KVM internal error" in OVMF), so the
# probe runs the firmware for a few seconds and looks for it.
if [[ -w /dev/kvm ]]; then
  cp /usr/share/OVMF/OVMF_VARS_4M.fd "$OUT/probe-vars.fd"
  timeout 12 qemu-system-x86_64 -accel kvm -cpu host -m 256 -display none -nodefaults \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$OUT/probe-vars.fd" -serial file:"$OUT/probe.serial" 2>"$OUT/probe.err" || true
  if grep -q 'BdsDxe' "$OUT/probe.serial" 2>/dev/null && ! grep -q 'error\|Assertion' "$OUT/probe.err"; then
    accel=kvm cpu=host
  else
    echo "  /dev/kvm is there but cannot run the firmware: $(head -n1 "$OUT/probe.err"); using TCG (slow)"
  fi
fi
fig "accelerator=$accel"
serial=$OUT/serial.log
: >"$serial"
nice -n 10 qemu-system-x86_64 -accel $accel -cpu $cpu -m 2048 -smp 2 -display none -no-user-config -nodefaults \
  -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
  -drive if=pflash,format=raw,file="$OUT/vars.fd" \
  -drive file="$disk",if=virtio,format=qcow2 \
  -netdev user,id=lan,hostfwd=tcp:127.0.0.1:$http-:8443,hostfwd=tcp:127.0.0.1:$sshp-:22 \
  -device virtio-net-pci,netdev=lan -device i6300esb -serial file:"$serial" \
  -daemonize -pidfile "$OUT/qemu.pid"
trap 'kill "$(cat "$OUT/qemu.pid")" 2>/dev/null || true' EXIT
ssh_box() {
  ssh -q -i "$key" -p "$sshp" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
    -o BatchMode=yes it@127.0.0.1 "$@"
}
wait_healthz() {  # wait_healthz LIMIT_S -> seconds it took
  local start=$SECONDS
  until curl -fsSk -m 3 "https://127.0.0.1:$http/healthz" >/dev/null 2>&1; do
    ((SECONDS - start > $1)) && { echo "!! no /healthz after $1 s; the console's last lines:" >&2; tail -n 30 "$serial" >&2; return 1; }
    sleep 2
  done
  echo $((SECONDS - start))
}
booted() { ssh_box sudo rauc status --output-format=json | python3 -c 'import json,sys; print(json.load(sys.stdin)["booted"])'; }
wait_good() {  # the health check has marked the booted slot good
  local start=$SECONDS
  until ssh_box sudo rauc status --output-format=json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
slots = [v for e in s["slots"] for v in e.values()]
sys.exit(0 if any(v.get("bootname") == s["booted"] and v.get("boot_status") == "good" for v in slots) else 1)'; do
    ((SECONDS - start > 900)) && return 1
    sleep 3
  done
}
t=$(wait_healthz 1200)
fig "first_boot_to_healthz_s=$t"
sleep 20
/usr/bin/python3 "$here/lib/serial2png.py" "$serial" "$OUT/first-boot-console.png" 40 --from "First-run setup code" || \
  /usr/bin/python3 "$here/lib/serial2png.py" "$serial" "$OUT/first-boot-console.png" 40 --from "Ward training appliance" || true
wait_good
fig "first_boot_slot=$(booted)"
ssh_box sudo rauc status | tee "$OUT/rauc-status-1.txt"
if [[ ${1:-} != --no-build ]]; then  # built while the box idles, so a boot failure shows up early
  step "Build a good update bundle ($base_version-update) and a deliberately broken one"
  t0=$SECONDS
  # The good update re-signs the image's own slot as a new version (the mechanism is what is tested here).
  WARD_REUSE_SLOT=1 WARD_IMAGE_VERSION=$base_version-update "$here/build.sh" --bundle-only
  fig "build_bundle_resign_s=$((SECONDS - t0))"
  t0=$SECONDS
  WARD_IMAGE_VERSION=$base_version-broken WARD_IMAGE_BROKEN=1 "$here/build.sh" --bundle-only
  fig "build_bundle_full_s=$((SECONDS - t0)) squashfs_level=$WARD_SQUASHFS_LEVEL"
fi

fig "bundle=$(du -h "$good" | cut -f1)"
step "Install the good update over SSH (IT account), reboot into the other slot"
t0=$SECONDS
# /tmp is a small tmpfs: bundles go to the data partition, as they would from a USB stick or the hub.
ssh_box "sudo mkdir -p /data/updates && sudo tee /data/updates/update.raucb >/dev/null" <"$good"
ssh_box sudo rauc install /data/updates/update.raucb | tail -n 3
fig "install_good_s=$((SECONDS - t0))"
ssh_box sudo systemctl reboot || true
sleep 10
t0=$SECONDS
wait_healthz 900 >/dev/null
wait_good
fig "reboot_to_healthy_s=$((SECONDS - t0)) slot_after_update=$(booted)"
ssh_box cat /etc/ward/image

step "Install the broken update (written to the slot we left), reboot, watch the fall-back"
ssh_box sudo rauc install --help >/dev/null
ssh_box "sudo tee /data/updates/broken.raucb >/dev/null" <"$broken"
t0=$SECONDS
ssh_box sudo rauc install /data/updates/broken.raucb | tail -n 3
fig "install_broken_s=$((SECONDS - t0))"
ssh_box sudo systemctl reboot || true
sleep 10
t0=$SECONDS
wait_healthz 1500 >/dev/null
wait_good
fig "rollback_to_healthy_s=$((SECONDS - t0)) slot_after_rollback=$(booted)"
ssh_box sudo rauc status | tee "$OUT/rauc-status-3.txt"
grep -a 'ward-health\|ward: slot' "$serial" | tail -n 12 | tee "$OUT/rollback-console.txt"
/usr/bin/python3 "$here/lib/serial2png.py" "$serial" "$OUT/rollback-console.png" 40 --from "marking slot" || true
ssh_box sudo systemctl poweroff || true
step "Figures ($figures)"
cat "$figures"
