"""The hub's settings spec: type, default and description of each; env vars use the ``WARD_HUB_`` prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class HubSettings(BaseSettings):
    """Everything a hub process can be configured with."""

    model_config = SettingsConfigDict(env_prefix="WARD_HUB_", frozen=True, extra="forbid")

    database: str = Field(
        default="sqlite:///ward-hub/hub.db",
        description="postgresql://user@host/db for real deployments; sqlite:///path for a one-box trial.",
    )
    key_file: Path = Field(
        default=Path("ward-hub/hub.key"),
        description="The hub's Ed25519 signing key (created on first start, mode 0600). Every hub process "
        "serving one database uses the same key.",
    )
    host: str = Field(default="0.0.0.0", description="Address to listen on.")
    port: int = Field(default=8470, ge=0, le=65535, description="HTTP port.")
    advertise: bool = Field(default=True, description="Advertise the hub on the LAN with zeroconf.")
    advertise_address: str | None = Field(
        default=None, description="IPv4 address to advertise (default: the listen address, else this host's)."
    )
    advertise_interfaces: list[str] | None = Field(
        default=None, description="IPv4 addresses whose interfaces carry the advertisement (default: all)."
    )
    name: str = Field(default="ward-hub", description="The service instance name on the LAN.")


def load_hub_settings(**overrides: object) -> HubSettings:
    """Build hub settings from defaults, ``WARD_HUB_*`` env vars, then explicit overrides."""
    return HubSettings.model_validate({k: v for k, v in overrides.items() if v is not None})
