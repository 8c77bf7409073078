"""Scenario, module and curriculum validation: every problem, with its node id and a plain message."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from appliance.engine._curriculum import CredentialLevel, Curriculum, Module
from appliance.engine._errors import GuardSyntaxError
from appliance.engine._guards import parse_guard
from appliance.engine._nodes import DecisionNode, Edge, EndNode, FailStateNode, Node, RecoveryNode
from appliance.engine._scenario import Scenario


class ProblemCode(StrEnum):
    """Stable codes for validation problems (the UI and tests key on them)."""

    DUPLICATE_ID = "duplicate-id"
    MISSING_START = "missing-start"
    DANGLING_EDGE = "dangling-edge"
    BAD_EDGE_CHOICE = "bad-edge-choice"
    UNREACHABLE = "unreachable"
    DEAD_END = "dead-end"
    NO_DEFAULT_EDGE = "no-default-edge"
    CLOSED_CYCLE = "cycle-without-exit"
    MISSING_RUBRIC = "missing-rubric"
    FAIL_WITHOUT_EXIT = "fail-state-without-recovery"
    GUARD_SYNTAX = "guard-syntax"
    UNKNOWN_VARIABLE = "unknown-variable"
    BAD_EFFECT = "bad-effect"
    END_HAS_EDGES = "end-has-edges"
    NO_END = "no-end"
    UNKNOWN_REFERENCE = "unknown-reference"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, module or curriculum."""

    code: ProblemCode
    node_id: str | None
    message: str
    scenario_id: str | None = None

    def __str__(self) -> str:
        where = "/".join(p for p in (self.scenario_id, self.node_id) if p)
        return f"[{self.code.value}] {where + ': ' if where else ''}{self.message}"


_TYPES: dict[str, type | tuple[type, ...]] = {"bool": bool, "number": (int, float), "string": str}


class _Index:
    """``Scenario.node``/``outgoing`` answered from dicts built once, so validation stays linear in size."""

    def __init__(self, scenario: Scenario) -> None:
        self.by_id: dict[str, Node] = {}
        for node in scenario.nodes:
            self.by_id.setdefault(node.id, node)
        self.out: dict[str, list[Edge]] = {}
        for edge in scenario.edges:
            self.out.setdefault(edge.source, []).append(edge)

    def node(self, node_id: str) -> Node:
        return self.by_id[node_id]

    def outgoing(self, node_id: str, choice_id: str | None = None) -> tuple[Edge, ...]:
        edges = self.out.get(node_id, ())
        return tuple(e for e in edges if choice_id is None or e.choice == choice_id)


def _reachable(scenario: Scenario, ids: set[str], index: _Index) -> set[str]:
    seen: set[str] = set()
    queue = deque([scenario.start] if scenario.start in ids else [])
    while queue:
        current = queue.popleft()
        if current in seen:
            continue
        seen.add(current)
        queue.extend(e.target for e in index.out.get(current, ()) if e.target in ids)
    return seen


def _strongly_connected(nodes: list[str], successors: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so deep graphs cannot exhaust the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child_i = work.pop()
            if child_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = successors.get(node, [])
            if child_i < len(children):
                work.append((node, child_i + 1))
                child = children[child_i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _check_ids_and_edges(scenario: Scenario, ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for node in scenario.nodes:
        if node.id in seen:
            problems.append(
                Problem(ProblemCode.DUPLICATE_ID, node.id, f"Two nodes share the id '{node.id}'.")
            )
        seen.add(node.id)
    if scenario.start not in ids:
        problems.append(
            Problem(
                ProblemCode.MISSING_START,
                scenario.start,
                f"The start node '{scenario.start}' does not exist.",
            )
        )
    for edge in scenario.edges:
        for end, label in ((edge.source, "from"), (edge.target, "to")):
            if end not in ids:
                problems.append(
                    Problem(
                        ProblemCode.DANGLING_EDGE,
                        edge.source if label == "to" else end,
                        f"An edge goes {label} '{end}', which is not a node.",
                    )
                )
    return problems


def _check_edge_choices(scenario: Scenario, ids: set[str], index: _Index) -> list[Problem]:
    problems: list[Problem] = []
    for edge in scenario.edges:
        if edge.source not in ids:
            continue
        source = index.node(edge.source)
        if isinstance(source, DecisionNode):
            if edge.choice is None:
                problems.append(
                    Problem(
                        ProblemCode.BAD_EDGE_CHOICE,
                        source.id,
                        "An edge from a decision must name its choice.",
                    )
                )
            elif edge.choice not in {c.id for c in source.choices}:
                problems.append(
                    Problem(
                        ProblemCode.BAD_EDGE_CHOICE,
                        source.id,
                        f"An edge names an unknown choice '{edge.choice}'.",
                    )
                )
        elif edge.choice is not None:
            problems.append(
                Problem(
                    ProblemCode.BAD_EDGE_CHOICE, source.id, "Only edges from a decision may name a choice."
                )
            )
    return problems


def _exits(index: _Index, node_id: str, choice_id: str | None, what: str) -> list[Problem]:
    edges = index.outgoing(node_id, choice_id)
    if not edges:
        return [
            Problem(
                ProblemCode.DEAD_END, node_id, f"{what} leads nowhere; add an edge or make it an end node."
            )
        ]
    if all(e.guard for e in edges):
        return [
            Problem(
                ProblemCode.NO_DEFAULT_EDGE,
                node_id,
                f"{what} only has guarded edges; add one without a guard for when no condition holds.",
            )
        ]
    return []


def _check_dead_ends(scenario: Scenario, index: _Index) -> list[Problem]:
    problems: list[Problem] = []
    for node in scenario.nodes:
        if isinstance(node, EndNode):
            if index.outgoing(node.id):
                problems.append(
                    Problem(ProblemCode.END_HAS_EDGES, node.id, "An end node must not have edges out.")
                )
        elif isinstance(node, DecisionNode):
            for choice in node.choices:
                problems += _exits(index, node.id, choice.id, f"Choice '{choice.label}'")
        else:
            problems += _exits(index, node.id, None, f"This {node.kind} node")
    return problems


def _check_cycles(scenario: Scenario, ids: set[str]) -> list[Problem]:
    successors: dict[str, list[str]] = {i: [] for i in ids}
    for edge in scenario.edges:
        if edge.source in ids and edge.target in ids:
            successors[edge.source].append(edge.target)
    problems = []
    for component in _strongly_connected(sorted(ids), successors):
        members = set(component)
        cyclic = len(component) > 1 or component[0] in successors[component[0]]
        leaves = any(t not in members for m in component for t in successors[m])
        if cyclic and not leaves:
            first = sorted(component)[0]
            problems.append(
                Problem(
                    ProblemCode.CLOSED_CYCLE,
                    first,
                    f"Nodes {', '.join(sorted(component))} form a loop with no way out to an end.",
                )
            )
    return problems


def _check_nodes(scenario: Scenario, ids: set[str], index: _Index) -> list[Problem]:
    problems: list[Problem] = []
    for node in scenario.nodes:
        if isinstance(node, DecisionNode):
            if node.requires_rationale and node.rubric is None:
                problems.append(
                    Problem(
                        ProblemCode.MISSING_RUBRIC,
                        node.id,
                        "This decision asks for a rationale but has no rubric.",
                    )
                )
            for choice in node.choices:
                for name, value in choice.effects.items():
                    variable = scenario.variables.get(name)
                    if variable is None:
                        problems.append(
                            Problem(
                                ProblemCode.BAD_EFFECT,
                                node.id,
                                f"Choice '{choice.id}' sets unknown variable '{name}'.",
                            )
                        )
                    elif not isinstance(value, _TYPES[variable.type]) or (
                        variable.type == "number" and isinstance(value, bool)
                    ):
                        problems.append(
                            Problem(
                                ProblemCode.BAD_EFFECT,
                                node.id,
                                f"Choice '{choice.id}' sets '{name}' to {value!r}; it is a {variable.type}.",
                            )
                        )
        if isinstance(node, FailStateNode):
            targets = [e.target for e in index.outgoing(node.id) if e.target in ids]
            if not any(isinstance(index.node(t), RecoveryNode | EndNode) for t in targets):
                problems.append(
                    Problem(
                        ProblemCode.FAIL_WITHOUT_EXIT,
                        node.id,
                        "A fail-state must lead to a recovery or an end node.",
                    )
                )
    if not any(isinstance(n, EndNode) for n in scenario.nodes):
        problems.append(Problem(ProblemCode.NO_END, None, "The scenario has no end node."))
    return problems


def _check_guards(scenario: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    for edge in scenario.edges:
        if not edge.guard:
            continue
        try:
            guard = parse_guard(edge.guard)
        except GuardSyntaxError as err:
            problems.append(Problem(ProblemCode.GUARD_SYNTAX, edge.source, str(err)))
            continue
        for name in sorted(guard.variables - set(scenario.variables)):
            problems.append(
                Problem(
                    ProblemCode.UNKNOWN_VARIABLE,
                    edge.source,
                    f"The guard {edge.guard!r} names '{name}', which is not a scenario variable.",
                )
            )
    return problems


def validate_scenario(scenario: Scenario) -> list[Problem]:
    """Return every problem in a scenario (an empty list means it is playable)."""
    ids = {n.id for n in scenario.nodes}
    index = _Index(scenario)
    problems = _check_ids_and_edges(scenario, ids)
    problems += _check_edge_choices(scenario, ids, index)
    for node_id in sorted(ids - _reachable(scenario, ids, index)):
        problems.append(
            Problem(ProblemCode.UNREACHABLE, node_id, "No path from the start reaches this node.")
        )
    problems += _check_dead_ends(scenario, index)
    problems += _check_cycles(scenario, ids)
    problems += _check_nodes(scenario, ids, index)
    problems += _check_guards(scenario)
    return [Problem(p.code, p.node_id, p.message, scenario.id) for p in problems]


def validate_module(module: Module) -> list[Problem]:
    """Validate every scenario in a module."""
    return [p for s in module.scenarios for p in validate_scenario(s)]


def validate_curriculum(curriculum: Curriculum) -> list[Problem]:
    """Validate modules plus the taxonomy and pathway references between them."""
    problems = [p for m in curriculum.modules for p in validate_module(m)]
    taxonomy = curriculum.taxonomy
    competencies = {c.id for c in taxonomy.competencies}
    roles = {r.id for r in taxonomy.roles}
    modules = {m.id for m in curriculum.modules}
    credentials = {c.id: c for c in taxonomy.credentials}

    def unknown(owner: str, kind: str, ref: str) -> Problem:
        return Problem(ProblemCode.UNKNOWN_REFERENCE, None, f"{owner} names unknown {kind} '{ref}'.")

    for role in taxonomy.roles:
        problems += [
            unknown(f"Role '{role.id}'", "competency", c) for c in role.competencies if c not in competencies
        ]
    for module in curriculum.modules:
        problems += [
            unknown(f"Module '{module.id}'", "competency", c)
            for c in module.competencies
            if c not in competencies
        ]
        problems += [unknown(f"Module '{module.id}'", "role", r) for r in module.roles if r not in roles]
    order = list(CredentialLevel)
    for cred in taxonomy.credentials:
        if cred.module is not None and cred.module not in modules:
            problems.append(unknown(f"Credential '{cred.id}'", "module", cred.module))
        for ref in cred.requires:
            required = credentials.get(ref)
            if required is None:
                problems.append(unknown(f"Credential '{cred.id}'", "credential", ref))
            elif order.index(required.level) >= order.index(cred.level):
                problems.append(
                    Problem(
                        ProblemCode.UNKNOWN_REFERENCE,
                        None,
                        f"Credential '{cred.id}' ({cred.level.value}) must stack smaller credentials, "
                        f"not '{ref}' ({required.level.value}).",
                    )
                )
    return problems
