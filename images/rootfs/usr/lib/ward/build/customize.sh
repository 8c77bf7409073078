#!/bin/bash
# Runs inside the image's chroot (images/build.sh): installs the appliance offline and makes the root read-only-ready.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
say() { echo "customize: $*"; }

say "users with fixed ids (files on /data keep their owner across updates); root locked, no passwords"
groupadd --system --gid 900 ward
useradd --system --uid 900 --gid 900 --home-dir /var/lib/ward --no-create-home --shell /usr/sbin/nologin ward
usermod -p '!*' root

say "the appliance from the wheelhouse (no index, no network)"
python3 -m venv /opt/ward/venv
/opt/ward/venv/bin/pip install --disable-pip-version-check --no-index --no-cache-dir --find-links /tmp/wheelhouse \
  ward-appliance
/opt/ward/venv/bin/pip uninstall -q -y pip setuptools 2>/dev/null || true
# The root is read-only on the box, so Python could never cache bytecode there: compile it all now.
/opt/ward/venv/bin/python -m compileall -q -j 0 /opt/ward/venv/lib /usr/lib/python3.11 >/dev/null || true
/opt/ward/venv/bin/appliance --version
WARD_MODELS_DIR=/usr/lib/ward/models /opt/ward/venv/bin/appliance models verify
if [[ ${WARD_IMAGE_BROKEN:-0} == 1 ]]; then
  say "BROKEN test build: appliance serve exits at once, so the health check must fail and the box fall back"
  mv /opt/ward/venv/bin/appliance /opt/ward/venv/bin/appliance.real
  printf '#!/bin/sh\n[ "$1" = serve ] && { echo "deliberately broken test build" >&2; exit 3; }\nexec /opt/ward/venv/bin/appliance.real "$@"\n' \
    >/opt/ward/venv/bin/appliance
  chmod 0755 /opt/ward/venv/bin/appliance
fi

say "read-only root: mount points, kernel at fixed names, volatile and persistent state"
mkdir -p /data /boot/efi /var/lib/ward
find /var/log -mindepth 1 -delete
ln -f "$(ls /boot/vmlinuz-* | sort -V | tail -n1)" /boot/vmlinuz
ln -f "$(ls /boot/initrd.img-* | sort -V | tail -n1)" /boot/initrd.img
initrd_files=$(lsinitramfs /boot/initrd.img)
grep -q 'squashfs.ko' <<<"$initrd_files" || { echo "initrd lacks squashfs" >&2; exit 1; }
echo ward-appliance >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tward-appliance\n::1\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
: >/etc/machine-id
ln -sf /run/ward/issue /etc/issue
chmod 0755 /usr/lib/ward/ward-*

say "services"
systemctl enable systemd-networkd systemd-timesyncd ward-growdata ward-firstboot ward-data-guard ward-appliance ward-health ward-console
if [[ -f /etc/ward/it_authorized_keys ]]; then
  say "IT maintenance account 'it' (SSH key from the build; no password)"
  useradd --uid 901 --user-group --create-home --shell /bin/bash it
  usermod -p '*' it
  printf 'it ALL=(ALL) NOPASSWD: ALL\n' >/etc/sudoers.d/ward-it && chmod 0440 /etc/sudoers.d/ward-it
  rm -f /etc/ssh/ssh_host_*
  systemctl enable ssh
else
  rm -f /etc/ssh/sshd_config.d/ward.conf
  rmdir --ignore-fail-on-non-empty -p /etc/ssh/sshd_config.d 2>/dev/null || true
fi
if [[ ${WARD_KIOSK:-0} == 1 ]]; then
  say "kiosk: chromium on the box's screen, as an unprivileged user"
  useradd --uid 902 --user-group --home-dir /run/kiosk --no-create-home --shell /usr/sbin/nologin kiosk
  systemctl enable ward-kiosk
  systemctl disable getty@tty1 2>/dev/null || true
fi
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /root/.cache
say "done"
