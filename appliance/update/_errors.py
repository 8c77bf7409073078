"""The update package's errors (tree in ``appliance.update``)."""

from __future__ import annotations


class UpdateError(Exception):
    """Base of every error of the A/B update code."""


class EnvBlockInvalid(UpdateError):
    """Not a GRUB environment block, or a value GRUB cannot store."""


class SlotUnknown(UpdateError):
    """A slot name that is not in the layout."""


class LayoutInvalid(UpdateError):
    """A disk layout that breaks a rule the A/B updates rely on."""


class DataTooNew(UpdateError):
    """The store was migrated by a newer slot and no pre-update backup lets this slot open it."""
