"""The A/B update state machine over a simulated bootloader environment (a real GRUB environment file)."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from appliance.update import (
    BootEnv,
    EnvBlockInvalid,
    SlotUnknown,
    choose_slot,
    format_env_block,
    mark_bad,
    mark_good,
    parse_env_block,
    read_env,
    read_layout,
    render_grub_cfg,
    set_primary,
    write_env,
)
from tests.images.conftest import need
from tests.images.grubscript import Interpreter


@dataclass
class SimulatedBox:
    """A box whose GRUB environment is a file: boot, run the health check, install, as the image does."""

    grubenv: Path
    healthy: dict[str, bool] = field(default_factory=lambda: {"A": True, "B": False})
    reaches_health_check: dict[str, bool] = field(default_factory=lambda: {"A": True, "B": True})
    booted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        write_env(self.grubenv, BootEnv().to_env())

    @property
    def env(self) -> BootEnv:
        return BootEnv.from_env(read_env(self.grubenv))

    def boot(self) -> str:
        """GRUB picks and counts; then the slot's health check marks it good or bad (or never runs)."""
        pick = choose_slot(self.env)
        write_env(self.grubenv, pick.env.to_env())
        self.booted.append(pick.slot)
        if not self.reaches_health_check[pick.slot]:
            return pick.slot  # kernel panic / hang: the watchdog reboots before the health check
        if self.healthy[pick.slot]:
            write_env(self.grubenv, mark_good(self.env, pick.slot).to_env())
        else:
            other = "B" if pick.slot == "A" else "A"
            if self.env.ok[other]:  # ward-health falls back only to a slot that is marked good
                write_env(self.grubenv, mark_bad(self.env, pick.slot).to_env())
        return pick.slot

    def install(self, slot: str, *, healthy: bool, boots: bool = True) -> None:
        self.healthy[slot] = healthy
        self.reaches_health_check[slot] = boots
        write_env(self.grubenv, set_primary(self.env, slot).to_env())


@pytest.fixture
def box(tmp_path: Path) -> SimulatedBox:
    return SimulatedBox(tmp_path / "grubenv")


def test_factory_box_boots_a_and_the_health_check_resets_its_counter(box: SimulatedBox) -> None:
    assert [box.boot() for _ in range(5)] == ["A"] * 5
    assert box.env.tries["A"] == 0 and box.env.ok == {"A": True, "B": False}


def test_good_update_boots_b_and_stays_there(box: SimulatedBox) -> None:
    box.boot()
    box.install("B", healthy=True)
    assert box.env.order == ("B", "A") and box.env.tries["B"] == 0
    assert [box.boot() for _ in range(4)] == ["B"] * 4
    assert box.env.ok == {"A": True, "B": True}


def test_failed_health_check_falls_back_on_the_next_boot(box: SimulatedBox) -> None:
    box.boot()
    box.install("B", healthy=False)
    assert [box.boot() for _ in range(3)] == ["B", "A", "A"]
    assert box.env.ok["B"] is False and box.env.ok["A"] is True


def test_three_failed_boots_fall_back_without_any_health_check(box: SimulatedBox) -> None:
    box.boot()
    box.install("B", healthy=True, boots=False)
    assert [box.boot() for _ in range(5)] == ["B", "B", "B", "A", "A"]
    assert box.env.tries["B"] == 3  # spent: B is skipped until it is reinstalled


def test_reinstalling_the_spent_slot_gives_it_fresh_tries(box: SimulatedBox) -> None:
    box.install("B", healthy=True, boots=False)
    for _ in range(4):
        box.boot()
    box.install("B", healthy=True)
    assert box.boot() == "B" and box.env.ok["B"] is True


def test_update_after_update_alternates_slots(box: SimulatedBox) -> None:
    box.install("B", healthy=True)
    box.boot()
    box.install("A", healthy=True)
    assert box.boot() == "A" and box.env.order == ("A", "B")


def test_broken_update_after_a_good_one_returns_to_the_good_one(box: SimulatedBox) -> None:
    box.install("B", healthy=True)
    assert box.boot() == "B"
    box.install("A", healthy=False)
    assert [box.boot() for _ in range(3)] == ["A", "B", "B"]


def test_a_box_with_no_good_slot_left_still_boots_the_last_one_that_worked(box: SimulatedBox) -> None:
    box.reaches_health_check["A"] = False  # e.g. power cut during every boot
    assert [box.boot() for _ in range(3)] == ["A"] * 3
    pick = choose_slot(box.env)
    assert pick.rescue and pick.slot == "A" and pick.env.tries["A"] == 1


def test_unhealthy_only_slot_is_not_marked_bad(box: SimulatedBox) -> None:
    box.healthy["A"] = False
    box.boot()
    assert box.env.ok["A"] is True  # nothing to fall back to: keep it, do not reboot in a loop


def test_every_slot_bad_boots_the_first_in_order() -> None:
    env = BootEnv(order=("B", "A"), ok={"A": False, "B": False}, tries={"A": 0, "B": 0})
    pick = choose_slot(env)
    assert (pick.slot, pick.rescue, pick.env.tries["B"]) == ("B", True, 1)


def test_counter_that_is_not_a_number_is_rejected() -> None:
    with pytest.raises(EnvBlockInvalid):
        BootEnv.from_env({"A_TRY": "x"})
    with pytest.raises(SlotUnknown):
        BootEnv.from_env({"ORDER": "A C"})


def test_env_block_round_trips_and_is_always_1024_bytes() -> None:
    values = {"ORDER": "B A", "note": "back\\slash\nnew line", "A_OK": "1"}
    block = format_env_block(values)
    assert len(block) == 1024 and block.startswith(b"# GRUB Environment Block\n")
    assert parse_env_block(block) == values


def test_env_block_that_would_overflow_is_refused() -> None:
    with pytest.raises(EnvBlockInvalid):
        format_env_block({"X": "y" * 1100})
    with pytest.raises(EnvBlockInvalid):
        parse_env_block(b"not an env block")


def test_grub_editenv_reads_what_we_write_and_we_read_what_it_writes(tmp_path: Path) -> None:
    editenv = need("grub-editenv")
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    write_env(ours, set_primary(BootEnv(), "B").to_env())
    listed = subprocess.run([editenv, str(ours), "list"], capture_output=True, text=True, check=True).stdout
    assert "ORDER=B A" in listed.splitlines() and "B_OK=1" in listed.splitlines()
    subprocess.run([editenv, str(theirs), "create"], check=True)
    subprocess.run([editenv, str(theirs), "set", "ORDER=B A", "B_OK=0", "A_TRY=2"], check=True)
    env = BootEnv.from_env(read_env(theirs))
    assert env.order == ("B", "A") and env.ok["B"] is False and env.tries["A"] == 2


def _all_states() -> list[BootEnv]:
    states = []
    for order in (("A", "B"), ("B", "A")):
        for a_ok, b_ok in itertools.product((True, False), repeat=2):
            for a_try, b_try in itertools.product(range(5), repeat=2):
                states.append(BootEnv(order=order, ok={"A": a_ok, "B": b_ok}, tries={"A": a_try, "B": b_try}))
    return states


def test_rendered_grub_script_chooses_exactly_as_the_rule_in_every_state(images_dir: Path) -> None:
    layout = read_layout(images_dir / "layout.sfdisk")
    script = Interpreter(render_grub_cfg(layout.slots(), "console=ttyS0"))
    for env in _all_states():
        expected = choose_slot(env)
        run = script.run(env.to_env())
        assert run.vars["ward_slot"] == expected.slot, env
        assert (run.vars["ward_rescue"] == "1") == expected.rescue, env
        assert BootEnv.from_env(run.env_file) == expected.env, env
        linux = next(c for c in run.commands if c[0] == "linux")
        slot = next(s for s in layout.slots() if s.name == expected.slot)
        assert f"root=PARTUUID={slot.partuuid}" in linux and f"rauc.slot={slot.name}" in linux
        assert run.vars["root"] == f"(hd0,gpt{slot.partition})"


def test_rendered_grub_script_passes_grub_script_check(images_dir: Path, tmp_path: Path) -> None:
    check = need("grub-script-check")
    cfg = tmp_path / "grub.cfg"
    cfg.write_text(render_grub_cfg(read_layout(images_dir / "layout.sfdisk").slots(), "console=ttyS0"))
    subprocess.run([check, str(cfg)], check=True)
