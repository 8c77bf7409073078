"""The hub's HTTP API (Starlette), stateless over the database so any number of processes can serve it.

::

    GET  /v1/hello?challenge=C      the hub's signed identity and clock (no authentication)
    POST /v1/enroll                 EnrollRequest -> Enrolled (a one-time token, no signature yet)
    GET  /v1/cursor?epoch=E         signed: Ack with the hub's cursor for this site's store epoch
    POST /v1/events                 signed: EventChunk (JSON, optionally gzip) -> Ack
    GET  /v1/bundle?have=N          signed: the newest bundle when newer than N, else 204
    GET  /v1/notices?after=N        signed: notices after N
    GET  /                          a small status page for central educators (counts only)

Every signed request is checked against the site's enrolled key, the clock window and the replay nonces;
every answer to one is signed by the hub key (see :mod:`appliance.sync._signing`). Endpoints are plain
functions: Starlette runs them in its thread pool, so database calls never block the event loop.
"""

from __future__ import annotations

import json
import time
import zlib
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from appliance import __version__
from appliance.sync._crypto import SigningKey, canonical, verify
from appliance.sync._errors import HubRejected, HubStoreError
from appliance.sync._signing import H_NONCE, H_SIGNATURE, WINDOW_S, SignedRequest, response_message
from appliance.sync._wire import (
    MAX_BODY_BYTES,
    MAX_INFLATED_BYTES,
    Ack,
    Enrolled,
    EnrollRequest,
    EventChunk,
    Hello,
    Problem,
)
from appliance.sync.hub._page import status_page
from appliance.sync.hub._records import Site
from appliance.sync.hub._repo import HubRepository


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _json(value: Any, status: int = 200) -> Response:
    body = (
        value.model_dump_json().encode() if hasattr(value, "model_dump_json") else json.dumps(value).encode()
    )
    return Response(body, status_code=status, media_type="application/json")


class HubApp:
    """The API over one repository and the hub key."""

    def __init__(self, repo: HubRepository, key: SigningKey) -> None:
        self.repo = repo
        self.key = key
        self.app = Starlette(
            routes=[
                Route("/v1/hello", self.hello),
                Route("/v1/enroll", self.enroll, methods=["POST"]),
                Route("/v1/cursor", self.signed(self.cursor)),
                Route("/v1/events", self.signed(self.events), methods=["POST"]),
                Route("/v1/bundle", self.signed(self.bundle)),
                Route("/v1/notices", self.signed(self.notices)),
                Route("/", self.page),
            ]
        )

    def hello(self, request: Request) -> Response:
        challenge = request.query_params.get("challenge", "")[:128]
        draft = Hello(
            hub_id=self.key.fingerprint,
            public_key=self.key.public_key,
            version=__version__,
            time=time.time(),
            challenge=challenge,
            signature="",
        )
        return _json(draft.model_copy(update={"signature": self.key.sign(canonical(draft.signed_part()))}))

    async def enroll(self, request: Request) -> Response:
        try:
            body = await _read(request)
            ask = EnrollRequest.model_validate_json(body)
        except _Refused as err:
            return _problem(err.status, err.code, err.message)
        except ValidationError as err:
            return _problem(400, "malformed", f"not an enrollment request: {err.errors()[0]['msg']}")
        proof = canonical({"token": ask.token, "public_key": ask.public_key, "store_id": ask.store_id})
        if not verify(ask.public_key, ask.proof, proof):
            return _problem(400, "proof", "the enrollment is not signed by the key it registers")
        try:
            site = await _in_thread(self.repo.enroll, ask.token, ask.public_key, ask.store_id, ask.issuer_key)
        except HubRejected as err:
            return _problem(403, err.code, str(err))
        if ask.issuer_key:
            await _in_thread(
                self.repo.add_notice,
                self.key,
                "endorsement",
                {"site_id": site.site_id, "site_name": site.name, "issuer_key": ask.issuer_key},
            )
        response = _json(
            Enrolled(
                site_id=site.site_id,
                site_name=site.name,
                hub_id=self.key.fingerprint,
                hub_key=self.key.public_key,
            )
        )
        # Signed over the site's proof: the site knows the hub it verified accepted *its* key.
        response.headers[H_SIGNATURE] = self.key.sign(response_message(ask.proof, 200, bytes(response.body)))
        return response

    def signed(self, handler: Any) -> Any:
        """Wrap ``handler(site, request, body)`` with request checks and a signed answer."""

        async def endpoint(request: Request) -> Response:
            nonce = request.headers.get(H_NONCE, "")
            try:
                body = await _read(request)
                site = await _in_thread(self._authenticate, request, body)
                response: Response = await _in_thread(handler, site, request, body)
            except _Refused as err:
                response = _problem(err.status, err.code, err.message)
            except HubStoreError as err:
                response = _problem(503, "database", str(err))
            payload = bytes(response.body)
            response.headers[H_SIGNATURE] = self.key.sign(
                response_message(nonce, response.status_code, payload)
            )
            return response

        return endpoint

    def _authenticate(self, request: Request, body: bytes) -> Site:
        auth = SignedRequest.parse(request.headers)
        if auth is None:
            raise _Refused(401, "unsigned", "this request is not signed by an enrolled site")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")

        def check(site: Site | None) -> float:
            if site is None or not auth.valid_for(site.public_key, request.method, target, body):
                raise _Refused(
                    401, "signature", "the request's signature does not match an enrolled site key"
                )
            if site.revoked_at is not None:
                raise _Refused(403, "revoked", site.revoked_reason or "revoked on the hub")
            skew = auth.time - time.time()
            if abs(skew) > WINDOW_S:
                raise _Refused(401, "clock", f"the site's clock is {skew / 3600:+.1f} h off the hub's")
            return skew

        try:
            return self.repo.admit(auth.site_id, auth.nonce, check)
        except HubRejected as err:
            raise _Refused(409, err.code, str(err)) from err

    def cursor(self, site: Site, request: Request, body: bytes) -> Response:
        epoch = request.query_params.get("epoch", "")
        if not epoch:
            raise _Refused(400, "malformed", "epoch is required")
        return _json(Ack(epoch=epoch, acknowledged=self.repo.cursor(site.site_id, epoch)))

    def events(self, site: Site, request: Request, body: bytes) -> Response:
        if request.headers.get("content-encoding") == "gzip":
            try:
                body = _gunzip(body)
            except (OSError, EOFError, zlib.error) as err:
                raise _Refused(400, "malformed", f"the chunk is not valid gzip: {err}") from err
        try:
            chunk = EventChunk.model_validate_json(body)
        except ValidationError as err:
            raise _Refused(400, "malformed", f"not an event chunk: {err.errors()[0]['msg']}") from err
        stored, ack = self.repo.store_events(site.site_id, chunk.epoch, chunk.events)
        return _json(
            Ack(epoch=chunk.epoch, acknowledged=ack, stored=stored, duplicates=len(chunk.events) - stored)
        )

    def bundle(self, site: Site, request: Request, body: bytes) -> Response:
        have = _int(request.query_params.get("have", "0"))
        latest = self.repo.latest_bundle()
        if latest is None or latest[0] <= have:
            return Response(b"", status_code=204)
        return Response(latest[1].encode(), media_type="application/json")

    def notices(self, site: Site, request: Request, body: bytes) -> Response:
        after = _int(request.query_params.get("after", "0"))
        return _json({"notices": [n.model_dump(mode="json") for n in self.repo.notices(after)]})

    def page(self, request: Request) -> Response:
        return HTMLResponse(
            status_page(self.key.fingerprint, self.repo.latest_bundle_version(), self.repo.status())
        )


def _int(text: str) -> int:
    try:
        return max(0, int(text))
    except ValueError:
        return 0


def _problem(status: int, code: str, message: str) -> Response:
    return _json(Problem(error=code, message=message, hub_time=time.time()), status)


async def _read(request: Request) -> bytes:
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > MAX_BODY_BYTES:
            raise _Refused(413, "too-large", f"request bodies are limited to {MAX_BODY_BYTES} bytes")
    return bytes(body)


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, MAX_INFLATED_BYTES)
    if inflater.unconsumed_tail:
        raise OSError("the chunk inflates past the limit")
    return out + inflater.flush()


async def _in_thread(fn: Any, *args: Any) -> Any:
    return await run_in_threadpool(fn, *args)
