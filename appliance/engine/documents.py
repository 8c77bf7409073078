"""The curriculum file format: module, scenario and taxonomy documents, their JSON schema, reading
and writing them, and content hashes.

Public on purpose, outside ``appliance.engine``'s short top level.
"""

from appliance.engine._documents import (
    ModuleDocument,
    ScenarioDocument,
    TaxonomyDocument,
    document_json_schema,
)
from appliance.engine._loader import content_hash, dump_document, parse_document, save_document, scenarios_in
from appliance.engine._scenario import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "ModuleDocument",
    "ScenarioDocument",
    "TaxonomyDocument",
    "content_hash",
    "document_json_schema",
    "dump_document",
    "parse_document",
    "save_document",
    "scenarios_in",
]
