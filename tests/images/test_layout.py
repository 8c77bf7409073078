"""The partition layout: images/layout.sfdisk parses, keeps the A/B rules, and agrees with fstab and RAUC."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from appliance.update import DiskLayout, LayoutInvalid, Partition, parse_sfdisk, read_layout
from tests.images.conftest import need


@pytest.fixture
def layout(images_dir: Path) -> DiskLayout:
    return read_layout(images_dir / "layout.sfdisk")


def test_layout_keeps_the_a_b_rules(layout: DiskLayout) -> None:
    layout.check()
    names = [p.name for p in layout.partitions]
    assert names == ["esp", "rootfs-a", "rootfs-b", "data"]
    assert layout.by_name("rootfs-a").size == layout.by_name("rootfs-b").size >= 2 * 1024 * 1024  # >= 1 GiB
    assert [s.name for s in layout.slots()] == ["A", "B"]


def test_sfdisk_writes_exactly_the_parsed_table(layout: DiskLayout, images_dir: Path, tmp_path: Path) -> None:
    sfdisk = need("sfdisk")
    disk = tmp_path / "disk.raw"
    with disk.open("wb") as f:
        f.truncate((layout.partitions[-1].end + 2048) * 512)
    script = (images_dir / "layout.sfdisk").read_text()
    subprocess.run([sfdisk, "-q", str(disk)], input=script, text=True, check=True)
    table = json.loads(
        subprocess.run([sfdisk, "-J", str(disk)], capture_output=True, text=True, check=True).stdout
    )
    got = [
        (p["start"], p["size"], p["type"], p["uuid"], p["name"])
        for p in table["partitiontable"]["partitions"]
    ]
    assert got == [(p.start, p.size, p.type, p.uuid, p.name) for p in layout.partitions]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ps: (ps[0], ps[1], replace(ps[2], size=ps[2].size - 2048), ps[3]), "slot sizes differ"),
        (lambda ps: (ps[0], ps[1], replace(ps[2], start=ps[2].start - 2048), ps[3]), "overlaps"),
        (lambda ps: (ps[0], ps[1], ps[2], replace(ps[3], start=ps[3].start + 1)), "aligned"),
        (lambda ps: (ps[0], ps[1], ps[3], ps[2]), "order"),
        (lambda ps: (ps[0], ps[1], replace(ps[2], uuid=ps[1].uuid), ps[3]), "PARTUUID"),
    ],
)
def test_broken_layouts_are_refused(
    layout: DiskLayout, change: Callable[..., tuple[Partition, ...]], message: str
) -> None:
    with pytest.raises(LayoutInvalid, match=message):
        replace(layout, partitions=change(layout.partitions)).check()


def test_partition_line_without_uuid_is_refused() -> None:
    with pytest.raises(LayoutInvalid):
        parse_sfdisk(
            'label: gpt\nstart=2048, size=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="esp"\n'
        )


def test_fstab_and_rauc_name_the_layouts_partitions(layout: DiskLayout, images_dir: Path) -> None:
    fstab = (images_dir / "rootfs/etc/fstab").read_text()
    assert f"PARTUUID={layout.by_name('data').uuid.lower()} /data ext4" in fstab
    assert f"PARTUUID={layout.by_name('esp').uuid.lower()} /boot/efi vfat" in fstab
    system_conf = (images_dir / "rauc/system.conf.in").read_text()
    assert "device=/dev/disk/by-partuuid/@PARTUUID_A@" in system_conf and "bootname=B" in system_conf
    assert "statusfile=/data/rauc/" in system_conf and "bootloader=grub" in system_conf
