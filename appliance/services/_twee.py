"""Twee 3 (Twine) import: passages become nodes, links become edges or choices, with a report of both.

Mapping (everything else is listed in the report as not mapped):

- ``:: StoryTitle`` -> the scenario title; ``:: StoryData`` ``start`` -> the start node (else the first
  passage); passages tagged ``script``/``stylesheet`` and ``StoryInit`` are skipped.
- A passage -> a node; its kind from a tag where one says so: ``decision``/``choice``, ``fail``/
  ``fail-state`` (with ``minor``/``moderate``/``severe``/``critical``), ``recovery``, ``end`` (with
  ``success``/``partial``/``failure``). Untagged: two or more links make a decision, one link content, none
  an end.
- ``[[Target]]``, ``[[Label->Target]]``, ``[[Target<-Label]]``, ``[[Label|Target]]`` -> for a decision one
  choice each (rated "acceptable" until the author rates it), otherwise an edge (the first link only).
- Passage text (links shown as their labels) -> the node's body; ``{"position":"x,y"}`` -> its position.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from appliance.engine import (
    Choice,
    ChoiceRating,
    ContentNode,
    DecisionNode,
    Edge,
    EndNode,
    FailStateNode,
    HarmSeverity,
    Node,
    Outcome,
    RecoveryNode,
    Scenario,
)
from appliance.services._errors import ImportFailed

_HEADER = re.compile(
    r"^::\s*(?P<name>(?:\\.|[^\[{\\])*?)\s*(?:\[(?P<tags>[^\]]*)\])?\s*(?P<meta>\{.*\})?\s*$"
)
_LINK = re.compile(r"\[\[(.+?)\]\]")
_MACRO = re.compile(r"<<.+?>>|\([a-z-]+:.*?\)")
_SPECIAL = {"StoryTitle", "StoryData", "StoryInit"}
_KIND_TAGS = {
    "decision": "decision", "choice": "decision", "fail": "fail", "fail-state": "fail",
    "recovery": "recovery", "end": "end", "content": "content",
}  # fmt: skip


@dataclass(frozen=True)
class Passage:
    """One Twee passage."""

    name: str
    tags: tuple[str, ...]
    meta: dict[str, Any]
    text: str


@dataclass(frozen=True)
class TweeImport:
    """The imported scenario and what was and was not mapped."""

    scenario: Scenario
    mapped: tuple[str, ...] = ()
    not_mapped: tuple[str, ...] = ()


@dataclass
class _Report:
    mapped: list[str] = field(default_factory=list)
    not_mapped: list[str] = field(default_factory=list)


def parse_passages(source: str) -> list[Passage]:
    """Split Twee 3 source into passages.

    :raises ImportFailed: no passage header (``:: Name``) found.
    """
    passages: list[Passage] = []
    current: tuple[str, tuple[str, ...], dict[str, Any]] | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None:
            passages.append(Passage(current[0], current[1], current[2], "\n".join(lines).strip()))

    for line in source.replace("\r\n", "\n").split("\n"):
        match = _HEADER.match(line) if line.startswith("::") else None
        if match is None:
            lines.append(line)
            continue
        flush()
        lines = []
        name = re.sub(r"\\(.)", r"\1", match["name"]).strip()
        tags = tuple((match["tags"] or "").split())
        try:
            meta = json.loads(match["meta"]) if match["meta"] else {}
        except json.JSONDecodeError:
            meta = {}
        current = (name, tags, meta if isinstance(meta, dict) else {})
    flush()
    if not passages:
        raise ImportFailed("No Twee passages found: a passage starts with a line like ':: Start'.")
    return passages


def _link(inner: str) -> tuple[str, str]:
    """(label, target) of a link's inside."""
    if "->" in inner:
        label, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, label = inner.split("<-", 1)
    elif "|" in inner:
        label, target = inner.rsplit("|", 1)
    else:
        label = target = inner
    return label.strip(), target.strip()


def _ids(names: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name in names:
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:56] or "passage"
        candidate, n = base, 2
        while candidate in ids.values():
            candidate, n = f"{base}-{n}", n + 1
        ids[name] = candidate
    return ids


def _position(meta: dict[str, Any]) -> tuple[float, float] | None:
    try:
        x, y = (float(v) for v in str(meta["position"]).split(","))
    except (KeyError, ValueError):
        return None
    return (x, y)


def _kind(p: Passage, links: list[tuple[str, str]]) -> tuple[str, str]:
    for tag in p.tags:
        if tag.lower() in _KIND_TAGS:
            return _KIND_TAGS[tag.lower()], f"tag '{tag}'"
    if len(links) >= 2:
        return "decision", f"{len(links)} links"
    return ("content", "one link") if links else ("end", "no links")


def _node(p: Passage, node_id: str, kind: str, body: str, links: list[tuple[str, str]]) -> Node:
    tags = {t.lower() for t in p.tags}
    title = p.name[:200] or node_id
    position = _position(p.meta)
    if kind == "decision":
        choices = tuple(
            Choice(id=f"c{i}", label=(label or target)[:300], rating=ChoiceRating.ACCEPTABLE)
            for i, (label, target) in enumerate(links or [("Continue", "")], start=1)
        )
        return DecisionNode(id=node_id, title=title, prompt=body, choices=choices, position=position)
    if kind == "fail":
        severity = next((s for s in HarmSeverity if s.value in tags), HarmSeverity.MODERATE)
        return FailStateNode(id=node_id, title=title, consequence=body, severity=severity, position=position)
    if kind == "recovery":
        return RecoveryNode(id=node_id, title=title, body=body, position=position)
    if kind == "end":
        outcome = next((o for o in Outcome if o.value in tags), Outcome.SUCCESS)
        return EndNode(id=node_id, title=title, outcome=outcome, debrief=body, position=position)
    return ContentNode(id=node_id, title=title, body=body, position=position)


def import_twee(source: str) -> TweeImport:
    """Turn Twee 3 source into a scenario and a mapping report.

    :raises ImportFailed: no passages, or none that become nodes.
    """
    passages = parse_passages(source)
    report = _Report()
    by_name = {p.name: p for p in passages}
    title = by_name["StoryTitle"].text.strip() if "StoryTitle" in by_name else "Imported story"
    data: dict[str, Any] = {}
    if "StoryData" in by_name:
        try:
            data = json.loads(by_name["StoryData"].text or "{}")
        except json.JSONDecodeError:
            report.not_mapped.append("StoryData is not valid JSON; ignored.")
    story = []
    for p in passages:
        if p.name in _SPECIAL or {"script", "stylesheet"} & {t.lower() for t in p.tags}:
            if p.name not in ("StoryTitle", "StoryData"):
                report.not_mapped.append(f"'{p.name}': script, style or init passage skipped.")
            continue
        story.append(p)
    if not story:
        raise ImportFailed("The story has no passages to turn into nodes.")
    ids = _ids([p.name for p in story])
    nodes: list[Node] = []
    edges: list[Edge] = []
    for p in story:
        links = [_link(m) for m in _LINK.findall(p.text)]
        kind, why = _kind(p, links)
        body = _LINK.sub(lambda m: _link(m.group(1))[0], p.text).strip() or p.name or "(no text)"
        if _MACRO.search(body):
            report.not_mapped.append(f"'{p.name}': story-format macros kept as plain text; edit them out.")
        unknown_tags = [t for t in p.tags if t.lower() not in _KIND_TAGS and t.lower() not in
                        {s.value for s in HarmSeverity} | {o.value for o in Outcome}]  # fmt: skip
        if unknown_tags:
            report.not_mapped.append(f"'{p.name}': tag(s) {', '.join(unknown_tags)} have no meaning here.")
        node = _node(p, ids[p.name], kind, body, links)
        nodes.append(node)
        report.mapped.append(f"'{p.name}' -> {kind} node '{node.id}' ({why}).")
        targets = [(label, target) for label, target in links if target in ids]
        for _label, target in links:
            if target not in ids:
                report.not_mapped.append(f"'{p.name}': link to missing passage '{target}' dropped.")
        if kind == "decision":
            for i, (_label, target) in enumerate(links, start=1):
                if target in ids:
                    edges.append(Edge(source=node.id, choice=f"c{i}", target=ids[target]))
            report.mapped.append(
                f"'{p.name}': {len(links)} link(s) -> choices, rated 'acceptable' until you rate them."
            )
            report.not_mapped.append(f"'{p.name}': a decision needs a rubric; add one in the editor.")
        elif kind != "end" and targets:
            edges.append(Edge(source=node.id, target=ids[targets[0][1]]))
            report.mapped.append(f"'{p.name}': link -> edge to '{ids[targets[0][1]]}'.")
            for label, _ in targets[1:]:
                report.not_mapped.append(f"'{p.name}': extra link '{label}' dropped (only decisions branch).")
        elif kind == "end" and targets:
            report.not_mapped.append(f"'{p.name}': an end node cannot lead on; its links were dropped.")
    start_name = str(data.get("start", story[0].name))
    if start_name not in ids:
        report.not_mapped.append(f"Start passage '{start_name}' not found; the first passage starts instead.")
        start_name = story[0].name
    scenario_id = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:64] or "imported"
    scenario = Scenario(
        id=scenario_id, title=title[:200] or "Imported story", start=ids[start_name],
        nodes=tuple(nodes), edges=tuple(edges),
    )  # fmt: skip
    return TweeImport(scenario, tuple(report.mapped), tuple(report.not_mapped))
