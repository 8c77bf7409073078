"""Render the GRUB script that chooses the slot, from the same rule as ``choose_slot``.

GRUB's script language has no arithmetic and no indirect variables, so the counter is spelled out per slot
and per try (``A_TRY=0`` -> ``1`` -> ... -> ``max_tries``). The environment lives next to the script on the
EFI partition (FAT), where ``save_env`` can rewrite it in place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from appliance.update._bootchooser import MAX_TRIES
from appliance.update._errors import SlotUnknown

_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class SlotBoot:
    """Where one slot's root file system is: its GPT partition number and PARTUUID."""

    name: str
    partition: int
    partuuid: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]", self.name) or not _UUID.match(self.partuuid) or self.partition < 1:
            raise SlotUnknown(f"invalid slot definition {self!r}")


def _pick(slot: SlotBoot, max_tries: int) -> str:
    s = slot.name
    steps = "\n".join(
        f'      {"if" if t == 0 else "elif"} [ "${s}_TRY" = "{t}" ]; then set {s}_TRY={t + 1}; set ward_slot={s}'
        for t in range(max_tries)
    )
    return (
        f'  if [ -z "$ward_slot" ]; then if [ "$s" = "{s}" ]; then if [ "${s}_OK" = "1" ]; then\n'
        f"{steps}\n      fi\n  fi; fi; fi\n"
    )


def _rescue(slot: SlotBoot, need_ok: bool) -> str:
    s = slot.name
    cond = f'if [ "${s}_OK" = "1" ]; then ' if need_ok else "if true; then "
    return (
        f'  if [ -z "$ward_slot" ]; then if [ "$s" = "{s}" ]; then {cond}'
        f"set ward_slot={s}; set {s}_TRY=1; set ward_rescue=1; fi; fi; fi\n"
    )


def render_grub_cfg(
    slots: Sequence[SlotBoot], cmdline: str, max_tries: int = MAX_TRIES, env_file: str = "$prefix/grubenv"
) -> str:
    """Return grub.cfg: load the environment, pick and count the slot, save, boot its kernel.

    :param slots: the root slots, in factory boot order (the first is the factory-good slot).
    :param cmdline: kernel arguments added to ``root=PARTUUID=... rauc.slot=<name>``.
    """
    names = [s.name for s in slots]
    vars_ = " ".join(f"{n}_OK {n}_TRY" for n in names)
    lines = [
        "# Rendered by appliance.update.render_grub_cfg (the rule: appliance/update/_bootchooser.py). Do not edit.",
        "set timeout=0",
        f'set ORDER="{" ".join(names)}"',
        *(f"set {n}_OK={1 if i == 0 else 0}\nset {n}_TRY=0" for i, n in enumerate(names)),
        f"load_env --file {env_file} ORDER {vars_}",
        "set ward_disk=hd0",
        "regexp --set=1:ward_disk '^\\(([^,]+),' \"$cmdpath\"",
        "set ward_slot=",
        "set ward_rescue=0",
        "for s in $ORDER; do",
        *(_pick(s, max_tries) for s in slots),
        "done",
        "for s in $ORDER; do",
        *(_rescue(s, need_ok=True) for s in slots),
        "done",
        "for s in $ORDER; do",
        *(_rescue(s, need_ok=False) for s in slots),
        "done",
        f"save_env --file {env_file} {' '.join(f'{n}_TRY' for n in names)}",
    ]
    for s in slots:
        lines.append(
            f'if [ "$ward_slot" = "{s.name}" ]; then set ward_part={s.partition}; set ward_uuid={s.partuuid}; fi'
        )
    lines += [
        'echo "ward: slot $ward_slot (order $ORDER, A_TRY=$A_TRY B_TRY=$B_TRY, rescue=$ward_rescue)"',
        "set root=($ward_disk,gpt$ward_part)",
        f"linux /boot/vmlinuz root=PARTUUID=$ward_uuid ro rootfstype=squashfs rauc.slot=$ward_slot {cmdline}",
        "initrd /boot/initrd.img",
        "boot",
        "",
    ]
    return "\n".join(lines)
