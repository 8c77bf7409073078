"""The fixed JSON-LD document loader and RDF canonicalisation: bundled contexts only, nothing is fetched.

Every ``@context`` URL a credential names must be one of :data:`BUNDLED` (exact string match); any other URL
fails closed with :class:`ContextInvalid`, so canonicalisation never touches the network and a context host
cannot change what a signature covers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from appliance.credentials._errors import ContextInvalid, MalformedCredential

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"

BUNDLED: Mapping[str, str] = {
    VC_V2: "credentials-v2.json",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    OB_EXTENSIONS: "ob-v3p0-extensions.json",
}

_LOCK = threading.Lock()  # pyld's context caches are not thread-safe


@cache
def _bundled(name: str) -> dict[str, Any]:
    data = (
        resources.files("appliance.credentials")
        .joinpath("data")
        .joinpath("contexts")
        .joinpath(name)
        .read_text("utf-8")
    )
    parsed: dict[str, Any] = json.loads(data)
    return parsed


class ContextLoader:
    """A pyld document loader over the bundled contexts (plus ``extra`` ones, e.g. a test vector's)."""

    def __init__(self, extra: Mapping[str, dict[str, Any]] | None = None) -> None:
        self._extra = dict(extra or {})
        self._cache: LRUCache[Any, Any] = LRUCache(maxsize=64)

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        """Return the bundled document for ``url``.

        :raises ContextInvalid: the URL is not bundled.
        """
        if url in self._extra:
            document = self._extra[url]
        elif url in BUNDLED:
            document = _bundled(BUNDLED[url])
        else:
            raise ContextInvalid(f"context {url!r} is not bundled (contexts are never fetched)")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    def canonize(self, document: dict[str, Any]) -> str:
        """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document.

        :raises ContextInvalid: it names a context that is not bundled.
        :raises MalformedCredential: it is not valid JSON-LD.
        """
        options = {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": self,
            "contextResolver": ContextResolver(self._cache, self),
        }
        with _LOCK:
            try:
                result: str = jsonld.normalize(document, options)
            except jsonld.JsonLdError as err:
                cause: BaseException | None = err
                while cause is not None:
                    if isinstance(cause, ContextInvalid):
                        raise ContextInvalid(str(cause)) from err
                    cause = cause.__cause__ or getattr(cause, "cause", None)
                raise MalformedCredential(f"not valid JSON-LD: {err}") from err
        return result


DEFAULT_LOADER = ContextLoader()
