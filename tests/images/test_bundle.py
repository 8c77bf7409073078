"""Update bundles: images/lib/make-bundle.sh signs them; tampered or wrongly signed bundles are refused."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.images.conftest import need


def _run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=check, timeout=120)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two key sets (ours and a stranger's) and a bundle of a small squashfs signed with ours."""
    need("rauc")
    need("mksquashfs")
    need("openssl")
    images = Path(__file__).resolve().parents[2] / "images"
    tmp = tmp_path_factory.mktemp("bundle")
    src = tmp / "rootfs"
    (src / "etc").mkdir(parents=True)
    (src / "etc/ward-release").write_text("test\n")
    (src / "payload").write_bytes(os.urandom(256 * 1024))  # verity bundles need more than one 4 KiB block
    _run("mksquashfs", src, tmp / "rootfs.img", "-quiet", "-noappend", "-comp", "gzip")
    for name in ("ours", "stranger"):
        _run("bash", images / "lib/make-keys.sh", tmp / name, name)
    bundle = tmp / "update.raucb"
    _run("bash", images / "lib/make-bundle.sh", tmp / "rootfs.img", "2.0", tmp / "ours", bundle)
    _run(
        "bash", images / "lib/make-bundle.sh", tmp / "rootfs.img", "2.0", tmp / "stranger", tmp / "evil.raucb"
    )
    return {"tmp": tmp, "bundle": bundle, "evil": tmp / "evil.raucb", "ours": tmp / "ours/ca.cert.pem",
            "stranger": tmp / "stranger/ca.cert.pem"}  # fmt: skip


def _info(bundle: Path, keyring: Path) -> subprocess.CompletedProcess[str]:
    return _run("rauc", "info", f"--keyring={keyring}", "--output-format=shell", bundle, check=False)


def test_bundle_is_a_signed_verity_bundle_for_the_appliance(signed: dict[str, Path]) -> None:
    info = _info(signed["bundle"], signed["ours"])
    assert info.returncode == 0, info.stderr
    assert "RAUC_MF_COMPATIBLE='ward-appliance-x86_64'" in info.stdout
    assert "RAUC_MF_VERSION='2.0'" in info.stdout
    plain = _run("rauc", "info", f"--keyring={signed['ours']}", signed["bundle"]).stdout
    assert re.search(r"Bundle Format:\s+verity", plain)
    assert "Verified inline signature by 'CN = Ward update signing (ours)'" in info.stderr


def test_bundle_signed_by_another_key_is_refused(signed: dict[str, Path]) -> None:
    info = _info(signed["evil"], signed["ours"])
    assert info.returncode != 0 and "signature verification failed" in info.stderr


def test_our_bundle_checked_against_a_strangers_keyring_is_refused(signed: dict[str, Path]) -> None:
    assert _info(signed["bundle"], signed["stranger"]).returncode != 0


def test_tampered_signature_is_refused(signed: dict[str, Path], tmp_path: Path) -> None:
    data = bytearray(signed["bundle"].read_bytes())
    data[-300] ^= 0xFF  # inside the CMS signature appended to the bundle
    bad = tmp_path / "sig.raucb"
    bad.write_bytes(bytes(data))
    assert _info(bad, signed["ours"]).returncode != 0


def test_tampered_payload_is_refused_when_read(signed: dict[str, Path], tmp_path: Path) -> None:
    data = bytearray(signed["bundle"].read_bytes())
    data[100_000] ^= 0xFF  # inside the squashfs payload: the signature still verifies, dm-verity does not
    bad = tmp_path / "payload.raucb"
    bad.write_bytes(bytes(data))
    good = _run(
        "rauc", "extract", f"--keyring={signed['ours']}", signed["bundle"], tmp_path / "good", check=False
    )
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "good/rootfs.img").read_bytes() == (signed["tmp"] / "rootfs.img").read_bytes()
    extracted = _run("rauc", "extract", f"--keyring={signed['ours']}", bad, tmp_path / "bad", check=False)
    assert extracted.returncode != 0 and "corrupted" in extracted.stderr
