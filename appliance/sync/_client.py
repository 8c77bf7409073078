"""``HubClient``: the site's side of the hub API over an injected ``httpx.AsyncClient``.

Tests hand it a client on a real hub process, or one with ``httpx.MockTransport`` wrapping a real hub to
inject faults. Transport failures and 5xx answers become :class:`HubUnreachable` (try later); refusals
become :class:`HubRejected` / :class:`DeviceRevoked`; an answer not signed by the trusted hub key
becomes :class:`HubImpostor`. The site's clock is corrected by the offset learned from the hub's signed
hello, and once more from a signed "clock" refusal, so a day of clock skew does not stop sync.
"""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Callable

import httpx
from pydantic import ValidationError

from appliance.sync._bundle import Bundle
from appliance.sync._crypto import SigningKey, b64, canonical, fingerprint, verify
from appliance.sync._errors import DeviceRevoked, HubImpostor, HubRejected, HubUnreachable
from appliance.sync._signing import H_NONCE, H_SIGNATURE, response_message, sign_request
from appliance.sync._wire import Ack, Enrolled, EnrollRequest, EventChunk, Hello, Notice, Problem


async def _send(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    try:
        return await client.send(request)
    except httpx.TransportError as err:
        raise HubUnreachable(
            f"the hub at {request.url.host}:{request.url.port} did not answer: {err!r}"
        ) from err


def _refusal(response: httpx.Response) -> HubRejected | HubUnreachable:
    try:
        problem = Problem.model_validate_json(response.content)
    except ValidationError:
        problem = Problem(error="http", message=f"HTTP {response.status_code}")
    if response.status_code >= 500:
        return HubUnreachable(f"the hub could not serve the request: {problem.message}")
    if problem.error == "revoked":
        return DeviceRevoked(problem.message)
    return HubRejected(problem.message, code=problem.error, hub_time=problem.hub_time)


async def async_hello(client: httpx.AsyncClient, url: str) -> tuple[Hello, float]:
    """Ask a hub to sign a fresh challenge; return its hello and the clock offset (hub minus site).

    :raises HubUnreachable: no answer.
    :raises HubImpostor: the answer is not a valid signature by the key it names.
    """
    challenge = b64(os.urandom(24))
    started = time.time()
    response = await _send(
        client, client.build_request("GET", f"{url}/v1/hello", params={"challenge": challenge})
    )
    ended = time.time()
    if response.status_code != 200:
        raise HubImpostor(f"{url} does not speak the hub protocol (HTTP {response.status_code})")
    try:
        hello = Hello.model_validate_json(response.content)
    except ValidationError as err:
        raise HubImpostor(f"{url} does not speak the hub protocol") from err
    if hello.challenge != challenge or hello.hub_id != fingerprint(hello.public_key):
        raise HubImpostor(f"{url} answered another challenge or names a key that is not its id")
    if not verify(hello.public_key, hello.signature, canonical(hello.signed_part())):
        raise HubImpostor(f"{url} cannot prove the key it claims")
    return hello, hello.time - (started + ended) / 2


class HubClient:
    """Signed calls to one verified hub on behalf of one enrolled site."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        url: str,
        hub_key: str,
        *,
        key: SigningKey | None = None,
        site_id: str | None = None,
        clock_offset: float = 0.0,
        clock: Callable[[], float] = lambda: time.time(),
    ) -> None:
        self.client = client
        self.url = url.rstrip("/")
        self.hub_key = hub_key
        self.key = key
        self.site_id = site_id
        self.clock_offset = clock_offset
        self._clock = clock

    async def async_enroll(self, token: str, store_id: str, issuer_key: str | None = None) -> Enrolled:
        """Register this site's key with a one-time token.

        :raises HubRejected: unknown, spent or expired token.
        """
        assert self.key is not None
        proof = self.key.sign(
            canonical({"token": token, "public_key": self.key.public_key, "store_id": store_id})
        )
        ask = EnrollRequest(
            token=token, public_key=self.key.public_key, store_id=store_id, issuer_key=issuer_key, proof=proof
        )
        request = self.client.build_request(
            "POST",
            f"{self.url}/v1/enroll",
            content=ask.model_dump_json(),
            headers={"content-type": "application/json"},
        )
        response = await _send(self.client, request)
        if response.status_code != 200:
            raise _refusal(response)
        message = response_message(proof, 200, response.content)
        if not verify(self.hub_key, response.headers.get(H_SIGNATURE, ""), message):
            raise HubImpostor("the enrollment answer is not signed by the verified hub key")
        enrolled = Enrolled.model_validate_json(response.content)
        if enrolled.hub_key != self.hub_key:
            raise HubImpostor("the hub enrolled us under another key")
        return enrolled

    async def _signed(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: bytes = b"",
        gzip_body: bool = False,
    ) -> httpx.Response:
        if self.key is None or self.site_id is None:
            raise HubRejected("this site is not enrolled", code="unenrolled")
        content = gzip.compress(body, compresslevel=6, mtime=0) if gzip_body else body
        for attempt in range(2):
            request = self.client.build_request(method, f"{self.url}{path}", params=params, content=content)
            target = request.url.raw_path.decode()
            headers = sign_request(
                self.key, self.site_id, method, target, content, self._clock() + self.clock_offset
            )
            request.headers.update(headers)
            if gzip_body:
                request.headers["content-encoding"] = "gzip"
            if content:
                request.headers["content-type"] = "application/json"
            response = await _send(self.client, request)
            signature = response.headers.get(H_SIGNATURE, "")
            message = response_message(headers[H_NONCE], response.status_code, response.content)
            if not verify(self.hub_key, signature, message):
                if response.status_code >= 500 and not signature:
                    raise HubUnreachable(f"the hub (or a proxy) failed: HTTP {response.status_code}")
                raise HubImpostor("an answer was not signed by the trusted hub key")
            if response.status_code < 400:
                return response
            refusal = _refusal(response)
            if (
                attempt == 0
                and isinstance(refusal, HubRejected)
                and refusal.code == "clock"
                and refusal.hub_time
            ):
                self.clock_offset = refusal.hub_time - self._clock()
                continue
            raise refusal
        raise AssertionError("unreachable")

    async def async_cursor(self, epoch: str) -> Ack:
        """The hub's acknowledged cursor for this site's store epoch."""
        response = await self._signed("GET", "/v1/cursor", params={"epoch": epoch})
        return Ack.model_validate_json(response.content)

    async def async_push(self, chunk: EventChunk) -> Ack:
        """Send a chunk of events; the hub stores what is new and answers its cursor."""
        response = await self._signed(
            "POST", "/v1/events", body=chunk.model_dump_json().encode(), gzip_body=True
        )
        return Ack.model_validate_json(response.content)

    async def async_bundle(self, have: int) -> Bundle | None:
        """The newest bundle if newer than ``have`` (unverified: the installer verifies)."""
        response = await self._signed("GET", "/v1/bundle", params={"have": str(have)})
        return None if response.status_code == 204 else Bundle.from_json(response.content)

    async def async_notices(self, after: int) -> list[Notice]:
        """Signed notices after ``after`` (each verified by the caller)."""
        response = await self._signed("GET", "/v1/notices", params={"after": str(after)})
        return [Notice.model_validate(n) for n in response.json()["notices"]]
