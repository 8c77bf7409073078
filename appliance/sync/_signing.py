"""Signed requests and responses (Ed25519), instead of mutual TLS.

A request carries four headers: the site id, the site's clock (corrected by the offset learned from the
hub's signed hello), a random nonce and the site key's signature over::

    ward-req/1 \\n METHOD \\n PATH?QUERY \\n sha256(body as sent) \\n time \\n nonce \\n site id

The hub checks the signature against the enrolled key, the time against a window (:data:`WINDOW_S`), and
the nonce against those it has seen in that window (kept in the database, so two hub processes behind
one load balancer reject each other's replays too). The answer is signed by the hub key over the
request's nonce, the status and the body's hash, so a man in the middle can neither replay a request nor
forge an acknowledgement (which would make a site forget events the hub never got).
Why not mutual TLS: wards get no PKI, a USB pack needs the same signatures anyway, and TLS terminating
at a proxy would hide the client certificate from stateless hub processes. Plain HTTP stays
readable on the wire: put the hub behind TLS for confidentiality.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from appliance.sync._crypto import SigningKey, b64, sha256_hex, verify

WINDOW_S = 300.0
H_SITE = "x-ward-site"
H_TIME = "x-ward-time"
H_NONCE = "x-ward-nonce"
H_SIGNATURE = "x-ward-signature"


def request_message(method: str, target: str, body: bytes, time: str, nonce: str, site_id: str) -> bytes:
    """The bytes a request signature covers."""
    return "\n".join(["ward-req/1", method.upper(), target, sha256_hex(body), time, nonce, site_id]).encode()


def response_message(nonce: str, status: int, body: bytes) -> bytes:
    """The bytes a response signature covers."""
    return "\n".join(["ward-res/1", nonce, str(status), sha256_hex(body)]).encode()


def sign_request(
    key: SigningKey, site_id: str, method: str, target: str, body: bytes, now: float
) -> dict[str, str]:
    """The headers that authenticate a request."""
    time = f"{now:.3f}"
    nonce = b64(os.urandom(16))
    signature = key.sign(request_message(method, target, body, time, nonce, site_id))
    return {H_SITE: site_id, H_TIME: time, H_NONCE: nonce, H_SIGNATURE: signature}


@dataclass(frozen=True)
class SignedRequest:
    """The authentication headers of a request, parsed."""

    site_id: str
    time: float
    nonce: str
    signature: str
    raw_time: str

    @classmethod
    def parse(cls, headers: Mapping[str, str]) -> SignedRequest | None:
        """The headers' values, or None when any is missing or malformed."""
        try:
            site, raw, nonce, sig = (headers[h] for h in (H_SITE, H_TIME, H_NONCE, H_SIGNATURE))
            if not (0 < len(nonce) <= 64 and 0 < len(site) <= 100):
                return None
            return cls(site, float(raw), nonce, sig, raw)
        except (KeyError, ValueError):
            return None

    def valid_for(self, public_key: str, method: str, target: str, body: bytes) -> bool:
        """True when the signature is the key's over this request."""
        message = request_message(method, target, body, self.raw_time, self.nonce, self.site_id)
        return verify(public_key, self.signature, message)
