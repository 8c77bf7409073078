"""The appliance disk layout, read from its sfdisk script (``images/layout.sfdisk``) and checked.

Rules a layout must keep for A/B updates to work: GPT; an EFI system partition first; two root slots of the same
size and type (``rootfs-a``, ``rootfs-b``); the data partition last (the first boot grows it into the disk);
every partition 1 MiB-aligned, none overlapping, every PARTUUID distinct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from appliance.update._errors import LayoutInvalid
from appliance.update._grubcfg import SlotBoot

ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
ROOT_X86_64_TYPE = "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709"
LINUX_DATA_TYPE = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
SECTOR = 512
_ALIGN = 2048
_FIELD = re.compile(r'(\w[\w-]*)=("[^"]*"|[^,\s]+)')


@dataclass(frozen=True)
class Partition:
    """One partition of the layout (sizes in 512-byte sectors)."""

    number: int
    name: str
    start: int
    size: int
    type: str
    uuid: str

    @property
    def end(self) -> int:
        """First sector after the partition."""
        return self.start + self.size


@dataclass(frozen=True)
class DiskLayout:
    """The partition table the image is built with."""

    label: str
    partitions: tuple[Partition, ...]

    def by_name(self, name: str) -> Partition:
        """Return the partition called ``name``.

        :raises LayoutInvalid: there is none.
        """
        for part in self.partitions:
            if part.name == name:
                return part
        raise LayoutInvalid(f"the layout has no partition {name!r}")

    def slots(self) -> tuple[SlotBoot, SlotBoot]:
        """Return the two root slots, A first, as the boot script needs them."""
        a, b = self.by_name("rootfs-a"), self.by_name("rootfs-b")
        return SlotBoot("A", a.number, a.uuid.lower()), SlotBoot("B", b.number, b.uuid.lower())

    def check(self) -> None:
        """Check the rules in the module docstring.

        :raises LayoutInvalid: naming the first rule broken.
        """
        if self.label != "gpt":
            raise LayoutInvalid(f"label {self.label!r}; the appliance needs gpt")
        names = [p.name for p in self.partitions]
        if names != ["esp", "rootfs-a", "rootfs-b", "data"]:
            raise LayoutInvalid(f"partitions {names}; expected esp, rootfs-a, rootfs-b, data in that order")
        esp, a, b, data = self.partitions
        if esp.type != ESP_TYPE or a.type != ROOT_X86_64_TYPE or b.type != ROOT_X86_64_TYPE:
            raise LayoutInvalid("esp must be an EFI system partition and both slots x86-64 root partitions")
        if data.type != LINUX_DATA_TYPE:
            raise LayoutInvalid("data must be a Linux file system partition")
        if a.size != b.size:
            raise LayoutInvalid(f"slot sizes differ ({a.size} and {b.size} sectors): an update may not fit")
        if len({p.uuid.lower() for p in self.partitions}) != len(self.partitions):
            raise LayoutInvalid("two partitions share a PARTUUID")
        previous_end = 0
        for p in self.partitions:
            if p.start % _ALIGN or p.size % _ALIGN:
                raise LayoutInvalid(f"{p.name} is not 1 MiB-aligned")
            if p.start < previous_end:
                raise LayoutInvalid(f"{p.name} overlaps the partition before it")
            previous_end = p.end


def parse_sfdisk(text: str) -> DiskLayout:
    """Parse an sfdisk script (header lines ``key: value``, one partition per line, ``#`` comments).

    :raises LayoutInvalid: a partition line without start, size, type, uuid or name.
    """
    label = ""
    parts: list[Partition] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if re.match(r"^[\w-]+:\s", line):
            key, _, value = line.partition(":")
            if key == "label":
                label = value.strip()
            continue
        fields = {k: v.strip('"') for k, v in _FIELD.findall(line)}
        try:
            parts.append(
                Partition(
                    number=len(parts) + 1,
                    name=fields["name"],
                    start=int(fields["start"]),
                    size=int(fields["size"]),
                    type=fields["type"].upper(),
                    uuid=fields["uuid"].upper(),
                )
            )
        except (KeyError, ValueError) as err:
            raise LayoutInvalid(f"partition line needs start, size, type, uuid and name: {line!r}") from err
    return DiskLayout(label=label, partitions=tuple(parts))


def read_layout(path: Path) -> DiskLayout:
    """Read and parse the sfdisk script at ``path``."""
    return parse_sfdisk(path.read_text())
