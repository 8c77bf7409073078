"""The image's systemd units: valid for systemd-analyze, hardened, and wired as the boot flow needs."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.images.conftest import need

UNITS = (
    "ward-appliance.service",
    "ward-growdata.service",
    "ward-data-guard.service",
    "ward-health.service",
    "ward-firstboot.service",
    "ward-console.service",
)
_MISSING_EXEC = re.compile(r"^(\S+): Command (\S+) is not executable: No such file or directory$")


def _unit(images_dir: Path, name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(images_dir / "rootfs/etc/systemd/system" / name)
    return parser


def _provided_by_image(images_dir: Path, command: str) -> bool:
    """Executables that exist only in the built image: the appliance's venv and our own scripts."""
    return command.startswith("/opt/ward/venv/") or (images_dir / "rootfs" / command.lstrip("/")).is_file()


def _verify(unit_dir: Path, names: tuple[str, ...]) -> list[str]:
    systemd_analyze = need("systemd-analyze")
    proc = subprocess.run(
        [systemd_analyze, "verify", *names], cwd=unit_dir, capture_output=True, text=True, check=False
    )
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


def test_units_pass_systemd_analyze_verify(images_dir: Path) -> None:
    lines = _verify(images_dir / "rootfs/etc/systemd/system", UNITS)
    problems = [
        line
        for line in lines
        if not ((m := _MISSING_EXEC.match(line)) and _provided_by_image(images_dir, m.group(2)))
    ]
    assert problems == []


def test_verify_catches_a_broken_unit(images_dir: Path, tmp_path: Path) -> None:
    shutil.copy(images_dir / "rootfs/etc/systemd/system/ward-console.service", tmp_path)
    unit = tmp_path / "ward-console.service"
    unit.write_text(unit.read_text().replace("Type=simple", "Type=simpel"))
    assert any("simpel" in line for line in _verify(tmp_path, ("ward-console.service",)))


def test_appliance_runs_as_its_own_user_and_is_hardened(images_dir: Path) -> None:
    service = _unit(images_dir, "ward-appliance.service")["Service"]
    assert service["User"] == "ward" and service["Group"] == "ward"
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ReadWritePaths": "/var/lib/ward",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "ProtectKernelModules": "yes",
        "RestrictSUIDSGID": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key


def test_appliance_exposure_score_is_low(images_dir: Path) -> None:
    systemd_analyze = need("systemd-analyze")
    proc = subprocess.run(
        [systemd_analyze, "security", "--offline=yes", "ward-appliance.service"],
        cwd=images_dir / "rootfs/etc/systemd/system",
        capture_output=True,
        text=True,
        check=False,
    )
    score = re.search(r"Overall exposure level for ward-appliance.service: ([0-9.]+)", proc.stdout)
    if score is None:
        pytest.skip(f"this systemd-analyze cannot score units offline: {proc.stderr.strip()[:200]}")
    assert float(score.group(1)) <= 2.0


def test_health_check_marks_good_after_the_appliance(images_dir: Path) -> None:
    unit = _unit(images_dir, "ward-health.service")
    assert "ward-appliance.service" in unit["Unit"]["After"]
    script = (images_dir / "rootfs/usr/lib/ward/ward-health").read_text()
    assert '"mark-good"' in script and '"mark-bad"' in script


def test_first_boot_runs_once_before_the_appliance(images_dir: Path) -> None:
    unit = _unit(images_dir, "ward-firstboot.service")["Unit"]
    assert unit["ConditionPathExists"].startswith("!/data/")
    assert "ward-appliance.service" in unit["Before"]
    script = (images_dir / "rootfs/usr/lib/ward/ward-firstboot").read_text()
    assert "ensure_tls" in script and "touch /data/ward/.firstboot-done" in script  # the appliance's own CA


def test_data_partition_grows_before_it_is_mounted(images_dir: Path) -> None:
    unit = _unit(images_dir, "ward-growdata.service")["Unit"]
    assert "data.mount" in unit["Before"] and unit["DefaultDependencies"] == "no"
    assert "sfdisk --lock" in (images_dir / "rootfs/usr/lib/ward/ward-growdata").read_text()
    fstab = (images_dir / "rootfs/etc/fstab").read_text()
    assert any(" /data ext4 " in line and "x-systemd.growfs" in line for line in fstab.splitlines())


def test_journald_is_bounded_and_emergency_mode_reboots(images_dir: Path) -> None:
    journald = (images_dir / "rootfs/etc/systemd/journald.conf.d/ward.conf").read_text()
    assert re.search(r"^SystemMaxUse=\d+M$", journald, re.M) and "SystemKeepFree=" in journald
    dropin = (images_dir / "rootfs/etc/systemd/system/emergency.service.d/ward.conf").read_text()
    assert "ExecStart=\n" in dropin and "reboot" in dropin


def test_no_password_or_host_key_is_baked_into_the_image(images_dir: Path) -> None:
    customize = (images_dir / "rootfs/usr/lib/ward/build/customize.sh").read_text()
    assert "usermod -p '!*' root" in customize
    assert "rm -f /etc/ssh/ssh_host_*" in customize
    assert not list((images_dir / "rootfs").rglob("*.key")) and not list(
        (images_dir / "rootfs").rglob("*_key")
    )
