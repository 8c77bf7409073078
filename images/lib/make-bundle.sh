#!/usr/bin/env bash
# Make a signed RAUC verity bundle holding one root file system image.
#   usage: make-bundle.sh ROOTFS_IMG VERSION KEYDIR OUT.raucb [COMPATIBLE]
# KEYDIR holds signing.cert.pem, signing.key.pem and ca.cert.pem (the keyring the bundle is checked against).
set -euo pipefail
img=$1 version=$2 keys=$3 out=$4 compatible=${5:-ward-appliance-x86_64}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ln "$img" "$dir/rootfs.img" 2>/dev/null || cp "$img" "$dir/rootfs.img"
cat >"$dir/manifest.raucm" <<MANIFEST
[update]
compatible=$compatible
version=$version
description=Ward training appliance $version

[bundle]
format=verity

[image.rootfs]
filename=rootfs.img
MANIFEST
rm -f "$out"
rauc bundle --cert="$keys/signing.cert.pem" --key="$keys/signing.key.pem" --keyring="$keys/ca.cert.pem" "$dir" "$out"
