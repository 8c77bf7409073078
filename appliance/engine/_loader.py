"""Read and write curriculum files (JSON) with errors that name the file, the path and what was expected."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from appliance.engine._curriculum import Curriculum, Module
from appliance.engine._documents import Document, ModuleDocument, ScenarioDocument, TaxonomyDocument
from appliance.engine._errors import ScenarioFormatError
from appliance.engine._nodes import NODE_KINDS
from appliance.engine._scenario import SCHEMA_VERSION, Scenario

MAX_FILE_BYTES = 2 * 1024 * 1024
_DOCUMENT = TypeAdapter(Document)


def _location(loc: tuple[int | str, ...], raw: Any) -> str:
    """Turn a pydantic location into ``module.scenarios[0].nodes[2](id=alert).choices[1]``."""
    path = ""
    node: Any = raw
    previous_was_index = False
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                path += f"(id={node['id']})"
            previous_was_index = True
            continue
        if previous_was_index and part in NODE_KINDS:
            previous_was_index = False
            continue  # the discriminator tag pydantic adds for a node kind
        path += f".{part}" if path else part
        node = node.get(part) if isinstance(node, dict) else None
        previous_was_index = False
    return path


def parse_document(
    text: str | bytes, file: str = "<input>"
) -> ScenarioDocument | ModuleDocument | TaxonomyDocument:
    """Parse and validate a curriculum document.

    :raises ScenarioFormatError: the bytes are not UTF-8, not JSON, of another schema version or invalid.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise ScenarioFormatError(
                file,
                "",
                f"the file is {len(text) / 1e6:.1f} MB; curriculum files are limited to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
            )
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ScenarioFormatError(
                file, f"byte {err.start}", "UTF-8 text (found bytes that are not UTF-8)"
            ) from err
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScenarioFormatError(
            file, f"line {err.lineno}, column {err.colno}", f"valid JSON ({err.msg})"
        ) from err
    if not isinstance(raw, dict):
        raise ScenarioFormatError(file, "", "a JSON object with 'schema_version' and 'kind'")
    version = raw.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ScenarioFormatError(
            file,
            "schema_version",
            f"schema version {SCHEMA_VERSION} (found {version!r}); this appliance reads "
            f"version {SCHEMA_VERSION} files",
        )
    try:
        document = _DOCUMENT.validate_python(raw)
    except ValidationError as err:
        errors = err.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        loc = tuple(first["loc"])
        if loc and loc[0] == raw.get("kind"):
            loc = loc[1:]  # the document-kind tag pydantic adds for the discriminated union
        raise ScenarioFormatError(file, _location(loc, raw), first["msg"] + more) from err
    if isinstance(document, ModuleDocument) and document.content_hash is not None:
        actual = content_hash(document.module)
        if actual != document.content_hash:
            raise ScenarioFormatError(
                file, "content_hash", f"{actual} to match the content (the file changed after publishing)"
            )
    return document


def load_document(path: str | os.PathLike[str]) -> ScenarioDocument | ModuleDocument | TaxonomyDocument:
    """Read a curriculum file from disk.

    :raises ScenarioFormatError: unreadable, too large or invalid.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioFormatError(
                str(path),
                "",
                f"the file is {size / 1e6:.1f} MB; curriculum files are limited to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
            )
        data = path.read_bytes()
    except OSError as err:
        raise ScenarioFormatError(str(path), "", f"a readable file ({err.strerror})") from err
    return parse_document(data, str(path))


def scenarios_in(document: ScenarioDocument | ModuleDocument | TaxonomyDocument) -> tuple[Scenario, ...]:
    """The scenarios a document holds (none for a taxonomy)."""
    if isinstance(document, ScenarioDocument):
        return (document.scenario,)
    if isinstance(document, ModuleDocument):
        return document.module.scenarios
    return ()


def canonical_json(value: Any) -> str:
    """Stable JSON text: sorted keys, no insignificant whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _strip_layout(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_layout(v) for k, v in value.items() if k != "position"}
    if isinstance(value, list):
        return [_strip_layout(v) for v in value]
    return value


def content_hash(item: BaseModel) -> str:
    """``sha256:<hex>`` of the content, ignoring editor layout (node positions)."""
    payload = _strip_layout(item.model_dump(mode="json"))
    return "sha256:" + hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def dump_document(document: ScenarioDocument | ModuleDocument | TaxonomyDocument) -> str:
    """Serialise a document as indented JSON."""
    return (
        json.dumps(document.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"
    )


def publish(module: Module) -> ModuleDocument:
    """Wrap a module in a document pinned by its content hash."""
    return ModuleDocument(module=module, content_hash=content_hash(module))


def save_document(
    document: ScenarioDocument | ModuleDocument | TaxonomyDocument, path: str | os.PathLike[str]
) -> None:
    """Write a document atomically (temp file, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dump_document(document))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_curriculum(folder: str | os.PathLike[str]) -> Curriculum:
    """Load ``taxonomy.json`` and every ``modules/*.json`` from a curriculum folder.

    :raises ScenarioFormatError: a file is missing or invalid.
    """
    folder = Path(folder)
    taxonomy_doc = load_document(folder / "taxonomy.json")
    if not isinstance(taxonomy_doc, TaxonomyDocument):
        raise ScenarioFormatError(str(folder / "taxonomy.json"), "kind", "a 'taxonomy' document")
    modules = []
    for path in sorted((folder / "modules").glob("*.json")):
        doc = load_document(path)
        if not isinstance(doc, ModuleDocument):
            raise ScenarioFormatError(str(path), "kind", "a 'module' document")
        modules.append(doc.module)
    return Curriculum(
        id=taxonomy_doc.id,
        title=taxonomy_doc.title,
        version=taxonomy_doc.version,
        taxonomy=taxonomy_doc.taxonomy,
        modules=tuple(modules),
    )
