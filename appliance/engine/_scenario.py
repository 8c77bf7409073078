"""Scenario: a directed graph of nodes with variables and guarded edges."""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from appliance.engine._ids import Identifier
from appliance.engine._nodes import Edge, Node, VariableValue

SCHEMA_VERSION: Final = 1


class Variable(BaseModel):
    """A scenario variable with its type and starting value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["bool", "number", "string"]
    default: VariableValue
    description: str = ""


class Scenario(BaseModel):
    """A branching clinical scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1, max_length=200)
    summary: str = ""
    start: str
    variables: dict[str, Variable] = Field(default_factory=dict)
    nodes: tuple[Node, ...] = Field(min_length=1)
    edges: tuple[Edge, ...] = ()
    max_steps: int = Field(
        default=200, ge=5, le=10_000, description="A play-through stops after this many steps."
    )

    def node(self, node_id: str) -> Node:
        """Return the node with this id.

        :raises KeyError: no such node.
        """
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def outgoing(self, node_id: str, choice_id: str | None = None) -> tuple[Edge, ...]:
        """Edges leaving a node (for a decision, those following ``choice_id``), in author order."""
        return tuple(
            e for e in self.edges if e.source == node_id and (choice_id is None or e.choice == choice_id)
        )

    def initial_variables(self) -> dict[str, VariableValue]:
        """Variables with their starting values."""
        return {name: var.default for name, var in self.variables.items()}
