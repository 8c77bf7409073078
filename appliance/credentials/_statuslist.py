"""Bitstring Status List (W3C): the revocation bits of one site's credentials.

``encodedList`` is ``u`` + base64url (no padding) of the GZIP-compressed bitstring; index 0 is the most
significant bit of the first byte; a list has at least 131,072 entries (16 KiB) so one index says little about
how many credentials a site issued. Each site signs and serves its own list, so indices never collide.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from appliance.credentials._contexts import VC_V2
from appliance.credentials._errors import StatusUnavailable
from appliance.credentials._time import timestamp

MIN_ENTRIES = 131_072


def encode_bits(revoked: Iterable[int], size: int = MIN_ENTRIES) -> str:
    """The ``encodedList`` with the given indices set."""
    bits = bytearray(max(size, MIN_ENTRIES) // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode("ascii").rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    """Whether ``index`` is set in an ``encodedList``.

    :raises StatusUnavailable: the list cannot be decoded or is too short for the index.
    """
    if not encoded.startswith("u"):
        raise StatusUnavailable("encodedList is not multibase base64url ('u')")
    try:
        payload = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
        bits = gzip.decompress(base64.urlsafe_b64decode(payload))
    except (ValueError, OSError) as err:
        raise StatusUnavailable(f"encodedList cannot be decoded: {err}") from err
    if index < 0 or index // 8 >= len(bits):
        raise StatusUnavailable(f"status index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url: str, index: int) -> dict[str, Any]:
    """The ``credentialStatus`` of the credential at ``index`` of the list at ``list_url``."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_document(
    list_url: str, issuer: dict[str, Any], revoked: Iterable[int], now: datetime
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` for a site."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": timestamp(now),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked),
        },
    }
