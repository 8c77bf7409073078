"""Publishing curriculum on the hub: store the files' versions, then sign a full-snapshot bundle."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from appliance.engine import load_document
from appliance.engine.curriculum import load_curriculum, publish
from appliance.engine.documents import ModuleDocument, TaxonomyDocument, dump_document
from appliance.engine.validation import validate_curriculum
from appliance.sync._bundle import Bundle, Manifest, build_bundle
from appliance.sync._crypto import SigningKey
from appliance.sync._errors import BundleRejected
from appliance.sync.hub._repo import HubRepository


def publish_files(repo: HubRepository, key: SigningKey, paths: Iterable[Path]) -> Manifest:
    """Publish module and taxonomy files and sign the next bundle (taxonomy + newest of every module).

    :raises EngineError: a file is not a valid curriculum document.
    :raises BundleRejected: the resulting curriculum has no taxonomy or has problems.
    :raises HubRejected: a version number was already published with other content.
    """
    files: dict[str, tuple[str, str, str | None]] = {}
    for path in paths:
        document = load_document(path)
        if isinstance(document, ModuleDocument):
            module = document.module
            files[f"modules/{module.id}.json"] = (dump_document(publish(module)), module.version, module.id)
        elif isinstance(document, TaxonomyDocument):
            files["taxonomy.json"] = (dump_document(document), document.version, None)
        else:
            raise BundleRejected(f"{path}: only module and taxonomy files can be published")
    snapshot = {**repo.latest_files(), **{p: (t, m, v) for p, (t, v, m) in files.items()}}
    if "taxonomy.json" not in snapshot:
        raise BundleRejected("publish a taxonomy.json with the first modules: a bundle needs one")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (text, _, _) in snapshot.items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_text(text)
        problems = validate_curriculum(load_curriculum(tmp))
    if problems:
        raise BundleRejected("the curriculum would have problems: " + "; ".join(map(str, problems[:5])))
    repo.add_files(files)
    _, text = repo.add_bundle(lambda version: build_bundle(key, version, snapshot).to_json())
    return Bundle.from_json(text).manifest
