"""One site's credential machinery, opened from its data folder: key, issuer, status list, verifier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from appliance.credentials._document import Issuer
from appliance.credentials._endorse import EndorsementFolder
from appliance.credentials._issuer import SiteIssuer
from appliance.credentials._keys import SigningKey
from appliance.credentials._status import StatusRegistry
from appliance.credentials._verify import DirectoryStatusLists, Verifier
from appliance.engine.curriculum import Curriculum
from appliance.store import Store

KEY_FILE = Path("keys") / "issuer-ed25519.pem"
STATUS_DIR = Path("credentials") / "status"
ENDORSEMENT_DIR = Path("credentials") / "endorsements"


@dataclass(frozen=True)
class CredentialSite:
    """The site's issuer (the ``CredentialIssuer`` the awarder uses), status list and endorsements."""

    key: SigningKey
    issuer: SiteIssuer
    status: StatusRegistry
    endorsements: EndorsementFolder
    status_dir: Path

    def verifier(self, trusted_hubs: frozenset[str] = frozenset()) -> Verifier:
        """A verifier that reads this box's cached status lists (and its endorsements)."""
        return Verifier(
            status_lists=DirectoryStatusLists(self.status_dir),
            trusted_hubs=trusted_hubs,
            endorsements=self.endorsements.all(),
        )


def local_status_lists(data_dir: Path) -> DirectoryStatusLists:
    """The status lists a box keeps in its data folder (its own, signed when it revokes)."""
    return DirectoryStatusLists(data_dir / STATUS_DIR)


def open_site(
    data_dir: Path,
    store: Store,
    curriculum: Curriculum,
    site_name: Callable[[], str],
    base_url: str,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CredentialSite:
    """Load (or create, 0600) the site key in ``data_dir``, wire the issuer and status list to the store, and
    sign the status list.

    :raises KeyFileError: the key file is readable by others or is not an Ed25519 key.
    """
    key = SigningKey.load_or_create(data_dir / KEY_FILE)
    profile = lambda: Issuer(did=key.did, name=site_name())  # noqa: E731
    status = StatusRegistry(store, key, profile, base_url, data_dir / STATUS_DIR, clock)
    issuer = SiteIssuer(store, curriculum, key, status, site_name)
    status.publish()  # re-signed at every start, so a verifier's "list signed … ago" stays short
    return CredentialSite(
        key, issuer, status, EndorsementFolder(data_dir / ENDORSEMENT_DIR), data_dir / STATUS_DIR
    )
