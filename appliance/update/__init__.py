"""A/B updates on the box: the GRUB environment block, the slot chooser over it and the boot script.

The box boots one of two read-only root slots (A, B). GRUB picks the slot at every boot from its environment
block (``ORDER``, ``<slot>_OK``, ``<slot>_TRY``) and counts the try; RAUC writes the other slot, makes it primary
and, once the health check passes, marks it good. ``choose_slot`` is what the GRUB script does (the script is
rendered from the same rule by ``render_grub_cfg``); ``mark_good``, ``mark_bad`` and ``set_primary`` are what
RAUC's GRUB backend writes. Tests drive the whole cycle over a simulated environment. ``guard_data``
keeps a rollback able to open the data partition (see ``_dataguard``).

UpdateError
├── DataTooNew          a rollback found data migrated by a newer slot and no backup this slot can read
├── EnvBlockInvalid     not a GRUB environment block, or a value GRUB cannot store
├── LayoutInvalid       a disk layout that breaks a rule the A/B updates rely on
└── SlotUnknown         a slot name that is not in the layout
"""

from appliance.update._bootchooser import BootEnv, BootPick, choose_slot, mark_bad, mark_good, set_primary
from appliance.update._dataguard import GuardOutcome, backup_before_update, guard_data, stored_schema
from appliance.update._errors import DataTooNew, EnvBlockInvalid, LayoutInvalid, SlotUnknown, UpdateError
from appliance.update._grubcfg import SlotBoot, render_grub_cfg
from appliance.update._grubenv import format_env_block, parse_env_block, read_env, write_env
from appliance.update._layout import DiskLayout, Partition, parse_sfdisk, read_layout

__all__ = [
    "BootEnv",
    "BootPick",
    "DataTooNew",
    "DiskLayout",
    "EnvBlockInvalid",
    "GuardOutcome",
    "LayoutInvalid",
    "Partition",
    "SlotBoot",
    "SlotUnknown",
    "UpdateError",
    "backup_before_update",
    "choose_slot",
    "format_env_block",
    "guard_data",
    "mark_bad",
    "mark_good",
    "parse_env_block",
    "parse_sfdisk",
    "read_env",
    "read_layout",
    "render_grub_cfg",
    "set_primary",
    "stored_schema",
    "write_env",
]
