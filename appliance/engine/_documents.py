"""File envelopes: every curriculum file carries a schema version and a kind."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from appliance.engine._curriculum import Module, Taxonomy
from appliance.engine._ids import Identifier
from appliance.engine._scenario import SCHEMA_VERSION, Scenario


class _Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION


class ScenarioDocument(_Envelope):
    """A file holding one scenario (a draft or an export)."""

    kind: Literal["scenario"] = "scenario"
    scenario: Scenario


class ModuleDocument(_Envelope):
    """A file holding one module; ``content_hash`` pins a published version."""

    kind: Literal["module"] = "module"
    content_hash: str | None = Field(default=None, pattern=r"^sha256:[0-9a-f]{64}$")
    module: Module


class TaxonomyDocument(_Envelope):
    """A file holding a curriculum's competency taxonomy, roles and credential pathway."""

    kind: Literal["taxonomy"] = "taxonomy"
    id: Identifier
    title: str
    version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$")
    taxonomy: Taxonomy


Document = Annotated[ScenarioDocument | ModuleDocument | TaxonomyDocument, Field(discriminator="kind")]


class _AnyDocument(BaseModel):
    document: Document


def document_json_schema() -> dict[str, object]:
    """The published JSON Schema for curriculum files."""
    schema = _AnyDocument.model_json_schema()
    defs = schema.get("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:ward-appliance:curriculum:v1",
        "title": "Ward training appliance curriculum file (schema version 1)",
        "oneOf": schema["properties"]["document"]["oneOf"],
        "discriminator": schema["properties"]["document"].get("discriminator"),
        "$defs": defs,
    }
