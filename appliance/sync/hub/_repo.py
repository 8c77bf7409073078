"""Everything the hub reads and writes, as one method per operation over a :class:`Database`.

The invariant it keeps: for each (site, store epoch) the cursor ``acknowledged`` is the highest N such
that events 1..N are all stored. Events are stored under their unique key (site, epoch, seq) with
``ON CONFLICT DO NOTHING``, so a chunk delivered twice, or chunks delivered out of order or by two hub
processes at once, end with each event stored once and the cursor at the end of the contiguous run.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from appliance.sync._crypto import SigningKey, canonical, sha256_hex
from appliance.sync._errors import HubRejected, HubStoreError
from appliance.sync._signing import WINDOW_S
from appliance.sync._wire import Notice, WireEvent
from appliance.sync.hub._db import Database, Tx, as_datetime
from appliance.sync.hub._records import Site, SiteStatus

TOKEN_PREFIX = "wt1"
TOKEN_TTL = timedelta(days=14)
_SITE_COLUMNS = (
    "site_id, name, public_key, issuer_key, store_id, enrolled_at, revoked_at, revoked_reason, last_seen, "
    "clock_skew_s"
)


def _site(row: tuple[Any, ...]) -> Site:
    values = dict(zip(_SITE_COLUMNS.split(", "), row, strict=True))
    for key in ("enrolled_at", "revoked_at", "last_seen"):
        values[key] = as_datetime(values[key])
    return Site.model_validate(values)


class HubRepository:
    """The hub's data, over PostgreSQL or SQLite."""

    def __init__(self, db: Database, clock: Any = None) -> None:
        self.db = db
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        """The hub's clock."""
        return self._clock()

    # identity ---------------------------------------------------------------------------------------
    def bind_key(self, key: SigningKey) -> None:
        """Record the hub key on first start; refuse a database that belongs to another key.

        :raises HubStoreError: the database was made with another hub key.
        """
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO hub_meta (key, value) VALUES ('public_key', %s) ON CONFLICT DO NOTHING",
                (key.public_key,),
            )
            (stored,) = tx.execute("SELECT value FROM hub_meta WHERE key = 'public_key'")[0]
        if stored != key.public_key:
            raise HubStoreError("this hub database belongs to another hub key; use that key file")

    # enrollment -------------------------------------------------------------------------------------
    def create_token(self, key: SigningKey, site_name: str) -> str:
        """A one-time enrollment token for a new site (``wt1.<hub fingerprint>.<secret>``).

        :raises HubRejected: a site of that name is already enrolled.
        """
        secret = secrets.token_urlsafe(24)
        now = self.now()
        with self.db.transaction() as tx:
            if tx.execute("SELECT 1 FROM sites WHERE name = %s", (site_name,)):
                raise HubRejected(f"a site named {site_name!r} is already enrolled", code="exists")
            tx.execute(
                "INSERT INTO enroll_tokens (token_hash, site_name, created_at, expires_at) VALUES (%s, %s, %s, %s)",
                (sha256_hex(secret.encode()), site_name, now, now + TOKEN_TTL),
            )
        return f"{TOKEN_PREFIX}.{key.fingerprint}.{secret}"

    def enroll(self, token: str, public_key: str, store_id: str, issuer_key: str | None) -> Site:
        """Use a token to register a site's key (the token then is spent).

        :raises HubRejected: unknown, spent or expired token; the key is already enrolled.
        """
        secret = token.rsplit(".", 1)[-1]
        now = self.now()
        with self.db.transaction() as tx:
            rows = tx.execute(
                "UPDATE enroll_tokens SET used_at = %s WHERE token_hash = %s AND used_at IS NULL "
                "AND expires_at > %s RETURNING site_name",
                (now, sha256_hex(secret.encode()), now),
            )
            if not rows:
                raise HubRejected("the enrollment token is unknown, spent or expired", code="token")
            if tx.execute("SELECT 1 FROM sites WHERE public_key = %s", (public_key,)):
                raise HubRejected("this key is already enrolled", code="exists")
            site_id = "site-" + secrets.token_hex(6)
            tx.execute(
                "INSERT INTO sites (site_id, name, public_key, issuer_key, store_id, enrolled_at) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (site_id, rows[0][0], public_key, issuer_key, store_id, now),
            )
            tx.execute(
                "UPDATE enroll_tokens SET site_id = %s WHERE token_hash = %s",
                (site_id, sha256_hex(secret.encode())),
            )
            return _site(tx.execute(f"SELECT {_SITE_COLUMNS} FROM sites WHERE site_id = %s", (site_id,))[0])

    def site(self, name_or_id: str) -> Site | None:
        """A site by id or name."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                f"SELECT {_SITE_COLUMNS} FROM sites WHERE site_id = %s OR name = %s", (name_or_id, name_or_id)
            )
        return _site(rows[0]) if rows else None

    def revoke(self, name_or_id: str, reason: str) -> Site:
        """Refuse every later request of a site.

        :raises HubRejected: no such site.
        """
        with self.db.transaction() as tx:
            rows = tx.execute(
                f"UPDATE sites SET revoked_at = %s, revoked_reason = %s WHERE site_id = %s OR name = %s "
                f"RETURNING {_SITE_COLUMNS}",
                (self.now(), reason, name_or_id, name_or_id),
            )
        if not rows:
            raise HubRejected(f"no site {name_or_id!r}", code="unknown-site")
        return _site(rows[0])

    def admit(self, site_id: str, nonce: str, check: Callable[[Site | None], float]) -> Site:
        """Vet a signed request in one transaction: look the site up, let ``check`` judge the request (it
        raises to refuse, or returns the site's clock skew), record the nonce and the contact.

        Committed without waiting for the disk: a hub crash may forget the last few nonces, which only
        reopens replays of requests that are idempotent anyway (a chunk stores once, a read changes nothing).

        :raises HubRejected: the nonce was already used (or whatever ``check`` raises).
        """
        now = self.now()
        with self.db.transaction() as tx:
            tx.relax_durability()
            rows = tx.execute(f"SELECT {_SITE_COLUMNS} FROM sites WHERE site_id = %s", (site_id,))
            site = _site(rows[0]) if rows else None
            skew = check(site)
            assert site is not None
            fresh = tx.execute(
                "INSERT INTO nonces (site_id, nonce, seen_at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING "
                "RETURNING nonce",
                (site_id, nonce, now),
            )
            if not fresh:
                raise HubRejected("this request was already received (replayed nonce)", code="replay")
            tx.execute(
                "UPDATE sites SET last_seen = %s, clock_skew_s = %s WHERE site_id = %s", (now, skew, site_id)
            )
            if secrets.randbelow(64) == 0:
                tx.execute("DELETE FROM nonces WHERE seen_at < %s", (now - timedelta(seconds=4 * WINDOW_S),))
        return site

    # records up -------------------------------------------------------------------------------------
    def store_events(self, site_id: str, epoch: str, events: Sequence[WireEvent]) -> tuple[int, int]:
        """Store a chunk idempotently and advance the cursor; return (newly stored, acknowledged)."""
        now = self.now()
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO cursors (site_id, epoch, updated_at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (site_id, epoch, now),
            )
            (ack,) = tx.execute(
                "SELECT acknowledged FROM cursors WHERE site_id = %s AND epoch = %s {for_update}",
                (site_id, epoch),
            )[0]
            stored = self._insert(tx, site_id, epoch, events, now) if events else 0
            for event in events:
                if event.type == "learner.deleted" and event.payload.get("learner_id"):
                    tx.execute(
                        "UPDATE events SET payload = CAST(%s AS {json}), redacted = %s "
                        "WHERE site_id = %s AND subject = %s",
                        ("{}", True, site_id, event.payload["learner_id"]),
                    )
            ack = self._advance(tx, site_id, epoch, int(ack), events)
            tx.execute(
                "UPDATE cursors SET acknowledged = %s, received = received + %s, updated_at = %s "
                "WHERE site_id = %s AND epoch = %s",
                (ack, stored, now, site_id, epoch),
            )
        return stored, ack

    @staticmethod
    def _insert(tx: Tx, site_id: str, epoch: str, events: Sequence[WireEvent], now: datetime) -> int:
        values = ", ".join(["(%s, %s, %s, %s, %s, CAST(%s AS {json}), %s, %s, %s)"] * len(events))
        params: list[Any] = []
        for e in events:
            payload = json.dumps(e.payload, separators=(",", ":"), ensure_ascii=False)
            params += [site_id, epoch, e.seq, e.type, e.subject, payload, e.created_at, now, e.redacted]
        rows = tx.execute(
            "INSERT INTO events (site_id, epoch, seq, type, subject, payload, created_at, received_at, redacted) "
            f"VALUES {values} ON CONFLICT DO NOTHING RETURNING seq",
            params,
        )
        return len(rows)

    @staticmethod
    def _advance(tx: Tx, site_id: str, epoch: str, ack: int, events: Sequence[WireEvent]) -> int:
        """Move the cursor over this chunk when it reaches it, then over any later events stored earlier.

        Index range scans only (the primary key), so the cost does not grow with the events stored.
        """
        if events and events[0].seq <= ack + 1 <= events[-1].seq:
            ack = events[-1].seq  # every event of a consecutive chunk is stored now
        while True:
            rows = tx.execute(
                "SELECT seq FROM events WHERE site_id = %s AND epoch = %s AND seq > %s ORDER BY seq LIMIT 1000",
                (site_id, epoch, ack),
            )
            run = 0
            for (seq,) in rows:
                if int(seq) != ack + 1:
                    return ack
                ack, run = ack + 1, run + 1
            if run < 1000:
                return ack

    def cursor(self, site_id: str, epoch: str) -> int:
        """The acknowledged cursor of a site's store epoch (0 when nothing arrived)."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT acknowledged FROM cursors WHERE site_id = %s AND epoch = %s", (site_id, epoch)
            )
        return int(rows[0][0]) if rows else 0

    def events(self, site_id: str, epoch: str | None = None) -> list[tuple[str, int, str]]:
        """(epoch, seq, type) of a site's stored events, in order (tests and reports)."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT epoch, seq, type FROM events WHERE site_id = %s AND epoch LIKE %s ORDER BY epoch, seq",
                (site_id, epoch if epoch is not None else "%"),
            )
        return [(r[0], int(r[1]), r[2]) for r in rows]

    # curriculum and notices down --------------------------------------------------------------------
    def add_files(self, files: dict[str, tuple[str, str, str | None]]) -> None:
        """Publish files (path -> (text, version, module id)); the same version must keep its content.

        :raises HubRejected: a version was already published with other content.
        """
        now = self.now()
        with self.db.transaction() as tx:
            for path, (text, version, module_id) in files.items():
                digest = sha256_hex(text.encode())
                tx.execute(
                    "INSERT INTO modules (path, version, module_id, sha256, body, published_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (path, version, module_id, digest, text, now),
                )
                (stored,) = tx.execute(
                    "SELECT sha256 FROM modules WHERE path = %s AND version = %s", (path, version)
                )[0]
                if stored != digest:
                    raise HubRejected(
                        f"{path} version {version} was already published with other content: "
                        "publish it as a new version",
                        code="conflict",
                    )

    def latest_files(self) -> dict[str, tuple[str, str | None, str]]:
        """The newest version of each published path: path -> (text, module id, version)."""
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT path, version, module_id, body FROM modules")
        latest: dict[str, tuple[tuple[int, ...], tuple[str, str | None, str]]] = {}
        for path, version, module_id, body in rows:
            key = tuple(int(p) for p in str(version).split("."))
            if path not in latest or key > latest[path][0]:
                latest[path] = (key, (body, module_id, version))
        return {path: value for path, (_, value) in latest.items()}

    def add_bundle(self, make: Any) -> tuple[int, str]:
        """Number and store the next bundle: ``make(version)`` returns its text; return (version, text)."""
        with self.db.transaction() as tx:
            tx.lock("ward-hub-bundles")
            (last,) = tx.execute("SELECT COALESCE(MAX(version), 0) FROM bundles")[0]
            version = int(last) + 1
            text = make(version)
            tx.execute(
                "INSERT INTO bundles (version, body, created_at) VALUES (%s, %s, %s)",
                (version, text, self.now()),
            )
        return version, text

    def latest_bundle(self) -> tuple[int, str] | None:
        """The newest bundle (version, text), or None."""
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT version, body FROM bundles ORDER BY version DESC LIMIT 1")
        return (int(rows[0][0]), rows[0][1]) if rows else None

    def latest_bundle_version(self) -> int | None:
        """The newest bundle's version, or None (without reading the bundle)."""
        with self.db.transaction() as tx:
            (version,) = tx.execute("SELECT MAX(version) FROM bundles")[0]
        return int(version) if version is not None else None

    def add_notice(self, key: SigningKey, kind: str, body: dict[str, Any]) -> Notice:
        """Sign and store a notice for every site (endorsement, revocation, status list)."""
        with self.db.transaction() as tx:
            tx.lock("ward-hub-notices")
            (last,) = tx.execute("SELECT COALESCE(MAX(seq), 0) FROM notices")[0]
            draft = Notice(seq=int(last) + 1, kind=kind, body=body, created_at=self.now(), signature="")
            notice = draft.model_copy(update={"signature": key.sign(canonical(draft.signed_part()))})
            tx.execute(
                "INSERT INTO notices (seq, kind, body, created_at) VALUES (%s, %s, %s, %s)",
                (notice.seq, kind, notice.model_dump_json(), notice.created_at),
            )
        return notice

    def notices(self, after: int, limit: int = 200) -> list[Notice]:
        """Notices after ``after``, in order."""
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT body FROM notices WHERE seq > %s ORDER BY seq LIMIT %s", (after, limit))
        return [Notice.model_validate_json(r[0]) for r in rows]

    # reporting --------------------------------------------------------------------------------------
    def status(self) -> list[SiteStatus]:
        """Every site with events received, cursors and last contact."""
        with self.db.transaction() as tx:
            sites = [_site(r) for r in tx.execute(f"SELECT {_SITE_COLUMNS} FROM sites ORDER BY name")]
            cursors = tx.execute("SELECT site_id, epoch, acknowledged, received FROM cursors")
        out = []
        for site in sites:
            mine = [c for c in cursors if c[0] == site.site_id]
            out.append(
                SiteStatus(
                    site_id=site.site_id,
                    name=site.name,
                    revoked=site.revoked_at is not None,
                    revoked_reason=site.revoked_reason,
                    last_seen=site.last_seen,
                    clock_skew_s=site.clock_skew_s,
                    events_received=sum(int(c[3]) for c in mine),
                    cursors={c[1]: int(c[2]) for c in mine},
                )
            )
        return out
