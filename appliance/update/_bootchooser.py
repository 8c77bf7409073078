"""The A/B slot chooser: what GRUB does at each boot and what RAUC writes around it.

Invariants it keeps:
- A slot is booted normally only while ``<slot>_OK=1`` and it has tries left (``<slot>_TRY`` < ``max_tries``);
  every such boot spends one try before the kernel starts, so a slot that never reaches the health check is
  given up after ``max_tries`` boots and the next slot in ``ORDER`` is booted.
- The health check marking the booted slot good resets its tries (``mark_good``); a failed health check marks it
  bad (``mark_bad``) and reboots, so the next boot falls back at once.
- When no slot qualifies the box still boots (rescue): the first slot in ``ORDER`` still marked OK, else the first
  slot, with its counter restarted. A box never refuses to boot; it boots the last slot that worked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from appliance.update._errors import EnvBlockInvalid, SlotUnknown

SLOTS = ("A", "B")
MAX_TRIES = 3


@dataclass(frozen=True)
class BootEnv:
    """The boot-relevant part of the GRUB environment."""

    order: tuple[str, ...] = SLOTS
    ok: Mapping[str, bool] = field(default_factory=lambda: {"A": True, "B": False})
    tries: Mapping[str, int] = field(default_factory=lambda: {"A": 0, "B": 0})

    def __post_init__(self) -> None:
        for name in (*self.order, *self.ok, *self.tries):
            if name not in SLOTS:
                raise SlotUnknown(f"unknown slot {name!r}; the layout has {', '.join(SLOTS)}")

    @classmethod
    def from_env(cls, values: Mapping[str, str]) -> BootEnv:
        """Read ``ORDER``, ``<slot>_OK`` and ``<slot>_TRY`` (missing: factory state, only A is good).

        :raises EnvBlockInvalid: a counter that is not a number.
        :raises SlotUnknown: ``ORDER`` names a slot that does not exist.
        """
        factory = cls()
        order = tuple(values.get("ORDER", " ".join(SLOTS)).split())
        try:
            tries = {s: int(values.get(f"{s}_TRY", "0")) for s in SLOTS}
        except ValueError as err:
            raise EnvBlockInvalid(f"a boot counter is not a number: {err}") from err
        ok = {s: values.get(f"{s}_OK", "1" if factory.ok[s] else "0") == "1" for s in SLOTS}
        return cls(order=order, ok=ok, tries=tries)

    def to_env(self) -> dict[str, str]:
        """Return the variables as GRUB stores them."""
        values = {"ORDER": " ".join(self.order)}
        for s in SLOTS:
            values[f"{s}_OK"] = "1" if self.ok.get(s, False) else "0"
            values[f"{s}_TRY"] = str(self.tries.get(s, 0))
        return values

    def _with(self, slot: str, *, ok: bool | None = None, tries: int | None = None) -> BootEnv:
        if slot not in SLOTS:
            raise SlotUnknown(f"unknown slot {slot!r}; the layout has {', '.join(SLOTS)}")
        new_ok = dict(self.ok)
        new_tries = dict(self.tries)
        if ok is not None:
            new_ok[slot] = ok
        if tries is not None:
            new_tries[slot] = tries
        return replace(self, ok=new_ok, tries=new_tries)


@dataclass(frozen=True)
class BootPick:
    """The slot one boot starts, the environment GRUB saves before starting it, and whether it was a rescue."""

    slot: str
    env: BootEnv
    rescue: bool = False


def choose_slot(env: BootEnv, max_tries: int = MAX_TRIES) -> BootPick:
    """Pick the slot to boot and spend one of its tries, as the GRUB script does."""
    for slot in env.order:
        tries = env.tries.get(slot, 0)
        if env.ok.get(slot, False) and tries < max_tries:
            return BootPick(slot, env._with(slot, tries=tries + 1))
    usable = [s for s in env.order if env.ok.get(s, False)]
    slot = usable[0] if usable else env.order[0]
    return BootPick(slot, env._with(slot, tries=1), rescue=True)


def mark_good(env: BootEnv, slot: str) -> BootEnv:
    """``rauc status mark-good``: the slot works; its tries start again."""
    return env._with(slot, ok=True, tries=0)


def mark_bad(env: BootEnv, slot: str) -> BootEnv:
    """``rauc status mark-bad``: never boot the slot normally again until it is reinstalled."""
    return env._with(slot, ok=False, tries=0)


def set_primary(env: BootEnv, slot: str) -> BootEnv:
    """What ``rauc install`` does after writing ``slot``: boot it first, with fresh tries."""
    rest = tuple(s for s in env.order if s != slot)
    return replace(env._with(slot, ok=True, tries=0), order=(slot, *rest))
