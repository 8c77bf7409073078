"""Published module versions (pinned by content hash) and authors' drafts."""

from __future__ import annotations

from typing import Any

from appliance.engine.documents import ModuleDocument, content_hash
from appliance.store._errors import AlreadyExists, ConcurrentUpdate, InvalidInput
from appliance.store._layout import check_module_id, draft_shard, module_shard
from appliance.store._records import Draft, ModuleVersion
from appliance.store._repo import Repository


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


class Curriculum(Repository):
    """Module versions and drafts."""

    def publish(self, document: ModuleDocument, *, published_by: str | None = None) -> ModuleVersion:
        """Store a module version; publishing the same content again returns the stored version.

        :raises InvalidInput: the document's content hash does not match its content.
        :raises AlreadyExists: this version number was published with different content.
        """
        module = document.module
        digest = content_hash(module)
        if document.content_hash is not None and document.content_hash != digest:
            raise InvalidInput(f"module {module.id} changed after its content hash was computed")
        with self._write():
            existing = self.get(module.id, module.version)
            if existing is not None:
                if existing.content_hash == digest:
                    return existing
                raise AlreadyExists(
                    f"module {module.id} version {module.version} is already published with other content; "
                    "publish a new version number"
                )
            pinned = document.model_copy(update={"content_hash": digest})
            record = ModuleVersion(
                module_id=module.id,
                version=module.version,
                content_hash=digest,
                title=module.title,
                document=pinned,
                published_at=self._now(),
                published_by=published_by,
            )
            self._table(module_shard(module.id), "versions").put(
                module.version, record.model_dump(mode="json")
            )
        return record

    def get(self, module_id: str, version: str | None = None) -> ModuleVersion | None:
        """One version of a module (the highest when ``version`` is None), or None."""
        table = self._table(module_shard(module_id), "versions")
        if version is not None:
            doc = table.doc(version)
            return ModuleVersion.model_validate(doc) if doc else None
        docs = list(table.docs())
        if not docs:
            return None
        return ModuleVersion.model_validate(max(docs, key=lambda d: _version_key(d["version"])))

    def versions(self, module_id: str) -> tuple[ModuleVersion, ...]:
        """Every published version of a module, oldest first."""
        docs = sorted(
            self._table(module_shard(module_id), "versions").docs(), key=lambda d: _version_key(d["version"])
        )
        return tuple(ModuleVersion.model_validate(d) for d in docs)

    def modules(self) -> tuple[ModuleVersion, ...]:
        """The latest published version of each module, by module id."""
        latest = (self.get(s.name.split("/", 1)[1]) for s in self._core.shards("curriculum/"))
        return tuple(v for v in latest if v is not None)

    def by_hash(self, digest: str) -> ModuleVersion | None:
        """The published version with this content hash, or None."""
        for shard in self._core.shards("curriculum/"):
            for doc in shard.table("versions").docs():
                if doc["content_hash"] == digest:
                    return ModuleVersion.model_validate(doc)
        return None

    def save_draft(
        self,
        module_id: str,
        document: dict[str, Any],
        *,
        updated_by: str | None = None,
        expected_revision: int | None = None,
    ) -> Draft:
        """Save a module draft (valid or not yet); ``expected_revision`` 0 means "must be new".

        :raises ConcurrentUpdate: someone saved the draft since ``expected_revision``.
        """
        check_module_id(module_id)
        with self._write():
            table = self._table(draft_shard(module_id), "drafts")
            current = table.doc("draft")
            revision = current["revision"] if current else 0
            if expected_revision is not None and expected_revision != revision:
                raise ConcurrentUpdate(
                    f"the draft of {module_id} is at revision {revision}, not {expected_revision}; "
                    "someone else saved it: reload before saving"
                )
            draft = Draft(
                module_id=module_id,
                document=document,
                revision=revision + 1,
                updated_at=self._now(),
                updated_by=updated_by,
            )
            table.put("draft", draft.model_dump(mode="json"))
        return draft

    def get_draft(self, module_id: str) -> Draft | None:
        """A module's draft, or None."""
        doc = self._table(draft_shard(module_id), "drafts").doc("draft")
        return Draft.model_validate(doc) if doc else None

    def drafts(self) -> tuple[Draft, ...]:
        """Every draft, by module id."""
        docs = (s.table("drafts").doc("draft") for s in self._core.shards("drafts/"))
        return tuple(Draft.model_validate(d) for d in docs if d)

    def delete_draft(self, module_id: str) -> bool:
        """Remove a module's draft; False when there was none."""
        with self._write() as tx:
            shard = self._core.shard(draft_shard(module_id))
            if not tx.live(shard):
                return False
            self._core.drop(shard, tx)
        return True
