"""The layers: the core runs without the UI, and every package imports only what its row allows."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted(
    f"appliance.{p.name}"
    for p in (ROOT / "appliance").iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"ui", "cli"}
)


@pytest.mark.parametrize("package", CORE)
def test_core_package_does_not_import_nicegui(package: str) -> None:
    code = f"import sys, {package}; assert 'nicegui' not in sys.modules, 'nicegui imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_cli_starts_without_nicegui() -> None:
    code = "import sys, appliance.cli; assert 'nicegui' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


# -- the arrows -------------------------------------------------------------------------------------------
# Which appliance packages each package may import (read from the source: every import statement, also
# those inside functions). The same table is in docs/architecture.md; a test below keeps the two equal.
# A new package needs a row here (and in the doc) before CI passes: decide its arrows on purpose.
ALLOWED: dict[str, frozenset[str]] = {
    "config": frozenset(),
    "keys": frozenset(),
    "auth": frozenset(),
    "tls": frozenset(),
    "engine": frozenset(),
    "demo": frozenset(),
    "grader": frozenset({"engine", "config"}),
    "store.engine": frozenset({"keys"}),
    "store": frozenset({"store.engine", "engine", "keys"}),
    "credentials": frozenset({"engine", "store"}),
    "sync": frozenset({"engine", "store"}),
    "update": frozenset({"store", "keys"}),
    "services": frozenset(
        {"auth", "config", "credentials", "engine", "grader", "keys", "store", "sync", "tls"}
    ),
    "ui.widgets": frozenset({"ui", "engine", "credentials", "services"}),
    "ui.pages": frozenset({"ui", "ui.widgets", "auth", "config", "credentials", "engine", "services", "tls"}),
    "ui": frozenset({"ui.pages", "ui.widgets", "auth", "config", "credentials", "engine", "services", "tls"}),
    "cli": frozenset(
        {
            "auth",
            "config",
            "credentials",
            "engine",
            "grader",
            "keys",
            "services",
            "store",
            "sync",
            "tls",
            "ui",
            "update",
        }
    ),
}
WEB = ("nicegui", "fastapi", "starlette", "uvicorn")
"""Web frameworks: only the UI packages may import them (and the hub, an HTTP service, its small server)."""
UI_UNITS = frozenset({"ui", "ui.pages", "ui.widgets"})
HUB_WEB = frozenset({"starlette", "uvicorn"})
"""What ``sync`` (the hub) may use to serve HTTP: never NiceGUI or FastAPI."""


def unit_of(module: str) -> str | None:
    """The layering unit of a dotted module name (``appliance.store.engine._wal`` -> ``store.engine``)."""
    parts = module.split(".")
    if parts[0] != "appliance" or len(parts) < 2:
        return None
    if parts[1:3] == ["store", "engine"]:
        return "store.engine"
    if parts[1] == "ui" and len(parts) > 2 and parts[2] in ("pages", "widgets"):
        return f"ui.{parts[2]}"
    return parts[1]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "appliance").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every absolute import in a file: (line, dotted name); ``from a import _b`` also as ``a._b``."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            out.extend((node.lineno, f"{node.module}.{name}") for name in private)
    return out


MODULES = _modules()
UNITS = sorted({u for u in map(unit_of, MODULES) if u is not None})


def test_every_package_has_a_row_in_the_table() -> None:
    assert set(UNITS) == set(ALLOWED), "add the new package to ALLOWED here and to docs/architecture.md"


@pytest.mark.parametrize("unit", UNITS)
def test_imports_follow_the_arrows(unit: str) -> None:
    wrong = []
    for module, path in MODULES.items():
        if unit_of(module) != unit:
            continue
        for line, name in _imports(path):
            target = unit_of(name)
            if target is not None and target != unit and target not in ALLOWED[unit]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name} ({unit} -> {target})")
            top = name.split(".")[0]
            if top in WEB and unit not in UI_UNITS and not (unit == "sync" and top in HUB_WEB):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name} (only the UI may)")
    assert not wrong, "\n".join(wrong)


def test_private_modules_are_imported_only_inside_their_own_package() -> None:
    wrong = []
    for module, path in MODULES.items():
        for line, name in _imports(path):
            parts = name.split(".")
            first = next((i for i, part in enumerate(parts) if part.startswith("_")), None)
            if parts[0] != "appliance" or first is None:
                continue
            owner = ".".join(parts[:first])  # the package whose private module this is
            if not (module == owner or module.startswith(owner + ".")):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name} (private to {owner})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("unit", ["store.engine", "store", "engine", "grader", "services", "credentials"])
def test_modules_of_a_package_do_not_import_each_other_in_a_cycle(unit: str) -> None:
    graph = {
        module: {name for _, name in _imports(path) if name in MODULES and unit_of(name) == unit}
        for module, path in MODULES.items()
        if unit_of(module) == unit and path.name != "__init__.py"
    }
    graph = {m: {t for t in targets if t in graph} for m, targets in graph.items()}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, "import cycle: " + " -> ".join((*trail[trail.index(module) :], module))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_the_storage_engine_knows_nothing_of_the_records() -> None:
    words = ("learner", "grade", "credential", "attempt", "rationale")
    for module, path in MODULES.items():
        if unit_of(module) == "store.engine":
            code = ast.unparse(ast.parse(path.read_text()))  # without comments and docstrings' layout
            names = {n.id.lower() for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
            tokens = {t for n in names for t in n.split("_")}
            assert not {t for t in tokens if t.startswith(words)}, path


def test_the_store_keeps_exactly_the_account_roles_of_auth() -> None:
    from appliance.auth import Role
    from appliance.store._records import ROLE_NAMES

    assert {r.value for r in Role} == ROLE_NAMES


def test_the_architecture_page_shows_the_enforced_arrows() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 2:
            rows[cells[0]] = frozenset(c.strip().strip("`") for c in cells[1].split(",") if c.strip("` —-"))
    assert rows == ALLOWED
