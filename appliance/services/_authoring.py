"""Authoring: edit sessions over module drafts, autosave, undo/redo, version history, publish and export.

The server owns the graph. A page (or a test) opens an :class:`EditSession` on a module draft and calls
:meth:`EditSession.apply` with one of the pure edits of :mod:`_edits` / :mod:`_rubric_edits`; the session
applies it to its copy, saves the whole draft to the store at once (never only in the browser) and returns
the new scenario with its validation problems. Invariants:

- every applied edit is in the store before ``apply`` returns; a refused edit changes nothing;
- a save names the draft revision this session last saw, so a second author's save is never silently
  overwritten (:class:`DraftConflict`; the author then reloads or keeps theirs on purpose);
- a published version is immutable and pinned by its content hash; only a module that validates clean, with
  a change note, is published, and attempts already started keep the version they started on.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from appliance.engine import Module, Scenario, ScenarioFormatError
from appliance.engine.curriculum import publish
from appliance.engine.documents import ModuleDocument, content_hash, dump_document, parse_document
from appliance.engine.validation import Problem, validate_module, validate_scenario
from appliance.services._curriculum import CurriculumService
from appliance.services._edits import rebuild
from appliance.services._errors import DraftConflict, EditRefused, ImportFailed, PublishRefused
from appliance.store import ConcurrentUpdate, InvalidInput, Store
from appliance.store.records import Draft, ModuleVersion

HISTORY_DEPTH = 300
PUBLISHED = "module.published"


@dataclass(frozen=True)
class EditOutcome:
    """What the editor redraws after an edit: the scenario, its problems, a message and the saved revision."""

    scenario: Scenario
    problems: tuple[Problem, ...]
    message: str
    revision: int
    result: Any = None


@dataclass(frozen=True)
class VersionInfo:
    """One published version in a module's history."""

    version: str
    content_hash: str
    published_at: datetime
    published_by: str | None
    note: str


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48]
    return slug or "module"


def _bump(version: str) -> str:
    major, minor, patch = (int(p) for p in version.split("."))
    return f"{major}.{minor}.{patch + 1}"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass
class EditSession:
    """One author's editing of one module draft, with undo/redo over the whole session."""

    service: AuthoringService
    module: Module
    scenario_id: str
    revision: int
    user_id: str
    _undo: list[Module] = field(default_factory=list)
    _redo: list[Module] = field(default_factory=list)
    _checked: tuple[Scenario, tuple[Problem, ...]] | None = None

    @property
    def scenario(self) -> Scenario:
        """The scenario being edited."""
        return self.module.scenario(self.scenario_id)

    @property
    def can_undo(self) -> bool:
        """True when there is an edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """True when there is an undone edit to redo."""
        return bool(self._redo)

    def problems(self) -> tuple[Problem, ...]:
        """The engine's validation problems in the scenario being edited (computed once per version)."""
        scenario = self.scenario
        if self._checked is None or self._checked[0] is not scenario:
            self._checked = (scenario, tuple(validate_scenario(scenario)))
        return self._checked[1]

    def _outcome(self, message: str, result: Any = None) -> EditOutcome:
        return EditOutcome(self.scenario, self.problems(), message, self.revision, result)

    def _commit(
        self, module: Module, message: str, result: Any = None, *, record: bool = True
    ) -> EditOutcome:
        before = self.module
        self.module = module
        try:
            self.revision = self.service.save_draft(self.module, self.user_id, self.revision).revision
        except DraftConflict:
            if record:
                self._undo.append(before)
                self._redo.clear()
            raise
        if record:
            self._undo.append(before)
            del self._undo[:-HISTORY_DEPTH]
            self._redo.clear()
        return self._outcome(message, result)

    def apply(self, edit: Callable[..., Any], *args: Any, **kwargs: Any) -> EditOutcome:
        """Apply a pure edit to the scenario, autosave the draft and return the outcome.

        The edit returns a scenario, or ``(scenario, result)`` where ``result`` is a new id or a message.

        :raises EditRefused: the edit is not allowed (nothing changed).
        :raises DraftConflict: another author saved the draft meanwhile (the edit is kept here, unsaved).
        """
        returned = edit(self.scenario, *args, **kwargs)
        scenario, result = returned if isinstance(returned, tuple) else (returned, None)
        if scenario == self.scenario:
            return self._outcome("No change.", result)
        message = result if isinstance(result, str) and " " in result else "Saved."
        return self._commit(self._with(scenario), message, result)

    def _with(self, scenario: Scenario) -> Module:
        scenarios = tuple(scenario if s.id == self.scenario_id else s for s in self.module.scenarios)
        return rebuild(self.module, scenarios=scenarios)

    def update_module(self, **fields: Any) -> EditOutcome:
        """Change the module's title, description or minutes (undoable like any edit).

        :raises EditRefused: another field or an invalid value.
        """
        unknown = set(fields) - {"title", "description", "minutes"}
        if unknown:
            raise EditRefused(f"The module has no editable field {', '.join(sorted(unknown))}.")
        return self._commit(rebuild(self.module, **fields), "Saved.")

    def undo(self) -> EditOutcome:
        """Step back one edit (saved like any edit).

        :raises EditRefused: nothing to undo.
        """
        if not self._undo:
            raise EditRefused("Nothing to undo.")
        previous = self._undo.pop()
        self._redo.append(self.module)
        return self._commit(previous, "Undone.", record=False)

    def redo(self) -> EditOutcome:
        """Re-apply the last undone edit.

        :raises EditRefused: nothing to redo.
        """
        if not self._redo:
            raise EditRefused("Nothing to redo.")
        following = self._redo.pop()
        self._undo.append(self.module)
        return self._commit(following, "Redone.", record=False)

    def reload(self) -> EditOutcome:
        """Take the stored draft as it is now (after a :class:`DraftConflict`); undo history is kept."""
        draft = self.service.store.curriculum.get_draft(self.module.id)
        if draft is not None:
            self._undo.append(self.module)
            self.module = self.service.module_of(draft)
            self.revision = draft.revision
            if self.scenario_id not in {s.id for s in self.module.scenarios}:
                self.scenario_id = self.module.scenarios[0].id
        return self._outcome("Reloaded the latest saved draft.")

    def keep_mine(self) -> EditOutcome:
        """Save this session's version over the stored draft, on purpose (after a :class:`DraftConflict`)."""
        draft = self.service.store.curriculum.get_draft(self.module.id)
        self.revision = draft.revision if draft else 0
        return self._commit(self.module, "Saved your version over theirs.", record=False)

    def restore(self, version: str) -> EditOutcome:
        """Replace the draft with a published version (undoable).

        :raises EditRefused: no such version.
        """
        record = self.service.store.curriculum.get(self.module.id, version)
        if record is None:
            raise EditRefused(f"There is no published version {version}.")
        module = record.document.module
        if self.scenario_id not in {s.id for s in module.scenarios}:
            self.scenario_id = module.scenarios[0].id
        return self._commit(module, f"Restored version {version} into the draft.")

    def select_scenario(self, scenario_id: str) -> EditOutcome:
        """Edit another scenario of the module.

        :raises EditRefused: no such scenario.
        """
        if scenario_id not in {s.id for s in self.module.scenarios}:
            raise EditRefused(f"The module has no scenario '{scenario_id}'.")
        self.scenario_id = scenario_id
        return self._outcome("")

    def publish(self, note: str) -> ModuleVersion:
        """Publish the draft as a new immutable version that new attempts then get.

        :raises PublishRefused: no change note, validation problems, or nothing changed since the last version.
        """
        return self.service.publish(self, note)


class AuthoringService:
    """Module drafts and published versions, for the editor page and the CLI."""

    def __init__(self, store: Store, curriculum: CurriculumService) -> None:
        self.store = store
        self.curriculum = curriculum
        self._editing: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def module_of(draft: Draft) -> Module:
        """The module a stored draft holds."""
        document = parse_document(json.dumps(draft.document), f"draft of {draft.module_id}")
        if not isinstance(document, ModuleDocument):
            raise ImportFailed(f"The draft of {draft.module_id} is not a module.")
        return document.module

    def modules(self) -> list[tuple[str, str, bool, bool]]:
        """Every module an author can open: (id, title, has a draft, is published), by title."""
        found: dict[str, tuple[str, str, bool, bool]] = {}
        for module in self.curriculum.curriculum.modules:
            found[module.id] = (module.id, module.title, False, True)
        for draft in self.store.curriculum.drafts():
            title = str(draft.document.get("module", {}).get("title", draft.module_id))
            found[draft.module_id] = (draft.module_id, title, True, draft.module_id in found)
        return sorted(found.values(), key=lambda m: m[1].lower())

    def open(self, module_id: str, user_id: str, user_name: str = "") -> EditSession:
        """Open an edit session on a module: its draft, else its current published version.

        :raises EditRefused: no such module.
        """
        try:
            draft = self.store.curriculum.get_draft(module_id)
        except InvalidInput:
            raise EditRefused(f"'{module_id}' is not a module id.") from None
        if draft is not None:
            module, revision = self.module_of(draft), draft.revision
        else:
            try:
                module, revision = self.curriculum.module(module_id), 0
            except Exception:
                raise EditRefused(f"There is no module '{module_id}'.") from None
        with self._lock:
            self._editing.setdefault(module_id, {})[user_id] = user_name or user_id
        return EditSession(self, module, module.scenarios[0].id, revision, user_id)

    def close(self, session: EditSession) -> None:
        """Forget that this user is editing the module."""
        with self._lock:
            self._editing.get(session.module.id, {}).pop(session.user_id, None)

    def others_editing(self, module_id: str, user_id: str) -> list[str]:
        """Names of other people with this module open in the editor now."""
        with self._lock:
            return sorted(n for u, n in self._editing.get(module_id, {}).items() if u != user_id)

    def create(self, title: str, scenario: Scenario | tuple[Scenario, ...], user_id: str) -> EditSession:
        """Start a new module (from a template or an import) holding the scenario(s), saved as a draft.

        :raises EditRefused: the title is empty.
        """
        if not title.strip():
            raise EditRefused("Give the module a title.")
        taken = {m[0] for m in self.modules()}
        module_id, n = _slug(title), 2
        while module_id in taken:
            module_id, n = f"{_slug(title)}-{n}", n + 1
        scenarios = scenario if isinstance(scenario, tuple) else (scenario,)
        try:
            module = Module(id=module_id, title=title.strip()[:200], scenarios=scenarios)
        except ValueError as err:
            raise EditRefused(str(err)) from err
        draft = self.save_draft(module, user_id, 0)
        with self._lock:
            self._editing.setdefault(module_id, {})[user_id] = user_id
        return EditSession(self, module, scenarios[0].id, draft.revision, user_id)

    def save_draft(self, module: Module, user_id: str, expected_revision: int) -> Draft:
        """Save a module draft, refusing when someone saved it since ``expected_revision``.

        :raises DraftConflict: the stored revision moved on.
        """
        document = ModuleDocument(module=module).model_dump(mode="json", exclude_none=True)
        try:
            return self.store.curriculum.save_draft(
                module.id, document, updated_by=user_id, expected_revision=expected_revision
            )
        except ConcurrentUpdate as err:
            current = self.store.curriculum.get_draft(module.id)
            raise DraftConflict(
                module.id, current.revision if current else 0, current.updated_by if current else None
            ) from err

    def publish(self, session: EditSession, note: str) -> ModuleVersion:
        """See :meth:`EditSession.publish`."""
        if not note.strip():
            raise PublishRefused("Write a short change note: what changed and why.")
        module = session.module
        problems = validate_module(module)
        if problems:
            raise PublishRefused(f"Fix the {len(problems)} problem(s) listed first; nothing was published.")
        versions = self.store.curriculum.versions(module.id)
        if versions:
            latest = versions[-1]
            same = rebuild(module, version=latest.version)
            if content_hash(same) == latest.content_hash:
                raise PublishRefused(f"Nothing changed since version {latest.version}.")
            version = _bump(max(latest.version, module.version, key=_key))
            if _key(module.version) > _key(latest.version):
                version = module.version
        else:
            version = module.version
        pinned = rebuild(module, version=version)
        with self.store.transaction():
            record = self.store.curriculum.publish(publish(pinned), published_by=session.user_id)
            self.store.audit.record(
                session.user_id,
                PUBLISHED,
                module.id,
                {"version": version, "content_hash": record.content_hash, "note": note.strip()},
            )
        self.curriculum.offer(pinned)
        session.module = pinned
        session.revision = self.save_draft(pinned, session.user_id, session.revision).revision
        return record

    def history(self, module_id: str) -> list[VersionInfo]:
        """Published versions of a module, newest first, with their change notes."""
        notes = {
            e.details.get("version"): str(e.details.get("note", ""))
            for e in self.store.audit.entries(action=PUBLISHED, target=module_id, limit=1000)
        }
        return [
            VersionInfo(v.version, v.content_hash, v.published_at, v.published_by, notes.get(v.version, ""))
            for v in reversed(self.store.curriculum.versions(module_id))
        ]

    def export(self, module_id: str, version: str | None = None) -> str:
        """A published version (the latest when ``version`` is None) as the project's JSON file.

        :raises EditRefused: nothing published under that id/version.
        """
        record = self.store.curriculum.get(module_id, version)
        if record is None:
            raise EditRefused(f"Module '{module_id}' has no published version {version or ''}".strip() + ".")
        return dump_document(record.document)

    def export_draft(self, session: EditSession) -> str:
        """The session's draft as the project's JSON file (not pinned by a hash)."""
        return dump_document(ModuleDocument(module=session.module))

    def import_json(self, text: str | bytes, user_id: str) -> EditSession:
        """Open an exported module or scenario file as a new draft.

        :raises ImportFailed: not a curriculum file.
        """
        try:
            document = parse_document(text, "imported file")
        except ScenarioFormatError as err:
            raise ImportFailed(str(err)) from err
        if isinstance(document, ModuleDocument):
            return self.create(document.module.title, document.module.scenarios, user_id)
        scenario = getattr(document, "scenario", None)
        if scenario is None:
            raise ImportFailed("The file holds a taxonomy, not a scenario or module.")
        return self.create(scenario.title, scenario, user_id)
