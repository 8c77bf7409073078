"""The hub's read-only status page for central educators: sites, their state, events and last contact."""

from __future__ import annotations

import html
from collections.abc import Iterable

from appliance.sync.hub._records import SiteStatus

_STYLE = "body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;text-align:left}"


def _row(site: SiteStatus) -> str:
    seen = f"{site.last_seen:%Y-%m-%d %H:%M} UTC" if site.last_seen else "never"
    state = f"revoked: {site.revoked_reason}" if site.revoked else "active"
    cells = (site.name, state, str(site.events_received), str(max(site.cursors.values(), default=0)), seen)
    return "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"


def status_page(hub_id: str, bundle: int | None, sites: Iterable[SiteStatus]) -> str:
    """The page's HTML (counts only: no learner data)."""
    return (
        f"<!doctype html><meta charset=utf-8><title>Ward hub</title><style>{_STYLE}</style>"
        f"<h1>Ward hub {html.escape(hub_id[:8])}</h1><p>Curriculum bundle: {bundle or 'none'}</p>"
        "<table><tr><th>Site</th><th>State</th><th>Events</th><th>Cursor</th><th>Last seen</th></tr>"
        + "".join(_row(s) for s in sites)
        + "</table>"
    )
