"""File format: lossless round trip, content hashes, and clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.engine import ScenarioFormatError, load_document
from appliance.engine.curriculum import publish
from appliance.engine.documents import (
    ModuleDocument,
    content_hash,
    dump_document,
    parse_document,
    save_document,
)


@pytest.fixture
def raw(mini_module_path: Path) -> dict:
    return json.loads(mini_module_path.read_text())


def test_round_trip_is_lossless(mini_module_path: Path, tmp_path: Path) -> None:
    first = load_document(mini_module_path)
    save_document(first, tmp_path / "copy.json")
    second = load_document(tmp_path / "copy.json")
    assert second == first
    assert dump_document(second) == dump_document(first)


def test_published_module_carries_a_verified_content_hash(mini_module_path: Path, tmp_path: Path) -> None:
    module = load_document(mini_module_path).module
    save_document(publish(module), tmp_path / "pub.json")
    loaded = load_document(tmp_path / "pub.json")
    assert isinstance(loaded, ModuleDocument) and loaded.content_hash == content_hash(module)
    tampered = json.loads((tmp_path / "pub.json").read_text())
    tampered["module"]["title"] = "Changed after publishing"
    with pytest.raises(ScenarioFormatError, match="content_hash"):
        parse_document(json.dumps(tampered))


def test_layout_changes_do_not_change_the_content_hash(raw: dict) -> None:
    before = parse_document(json.dumps(raw)).module
    raw["module"]["scenarios"][0]["nodes"][0]["position"] = [100, 200]
    assert content_hash(parse_document(json.dumps(raw)).module) == content_hash(before)


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(ScenarioFormatError) as info:
        parse_document('{"schema_version": 1,\n "kind": "module",,}', "bad.json")
    assert info.value.file == "bad.json" and "line 2" in info.value.path


def test_wrong_schema_version_is_named(raw: dict) -> None:
    raw["schema_version"] = 7
    with pytest.raises(ScenarioFormatError, match=r"schema version 1 \(found 7\)"):
        parse_document(json.dumps(raw))


def test_unknown_node_kind_names_the_node(raw: dict) -> None:
    raw["module"]["scenarios"][0]["nodes"][1]["kind"] = "quiz"
    with pytest.raises(ScenarioFormatError) as info:
        parse_document(json.dumps(raw))
    assert "nodes[1](id=act)" in info.value.path and "quiz" in info.value.expected


def test_invalid_field_names_the_path_inside_the_file(raw: dict) -> None:
    raw["module"]["scenarios"][0]["nodes"][1]["choices"][0]["rating"] = "great"
    with pytest.raises(ScenarioFormatError) as info:
        parse_document(json.dumps(raw), "m.json")
    assert info.value.path == "module.scenarios[0](id=alert).nodes[1](id=act).choices[0](id=escalate).rating"
    assert "best" in info.value.expected


def test_non_utf8_bytes_are_rejected_with_the_offset(raw: dict) -> None:
    data = json.dumps(raw).encode().replace(b"Handover", b"Hand\xffover")
    with pytest.raises(ScenarioFormatError, match="UTF-8") as info:
        parse_document(data)
    assert info.value.path.startswith("byte ")


def test_huge_file_is_rejected_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (5 * 1024 * 1024))
    with pytest.raises(ScenarioFormatError, match=r"5\.2 MB; curriculum files are limited to 2 MB"):
        load_document(big)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioFormatError, match="readable file"):
        load_document(tmp_path / "nope.json")


@pytest.mark.parametrize("text", ["[]", "42", '"module"'])
def test_top_level_must_be_an_object(text: str) -> None:
    with pytest.raises(ScenarioFormatError, match="JSON object"):
        parse_document(text)


def test_bad_rubric_reference_is_reported(raw: dict) -> None:
    raw["module"]["scenarios"][0]["nodes"][1]["rubric"]["exemplars"][0]["met"] = ["telepathy"]
    with pytest.raises(ScenarioFormatError, match="telepathy"):
        parse_document(json.dumps(raw))
