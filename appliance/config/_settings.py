"""The settings spec. Every field has a type, a default and a description; env vars use the ``WARD_`` prefix.

Example: ``WARD_DATA_DIR=/var/lib/ward WARD_PORT=8080 appliance serve``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent
SOURCE_MODELS_DIR = REPO_DIR / "models"
"""The models of a source checkout (the development default)."""


def default_models_dir(data_dir: Path, source_models: Path = SOURCE_MODELS_DIR) -> Path:
    """Where models live unless configured: the source tree's ``models/`` in a checkout, else ``<data>/models``
    (an installed package has no source tree next to it)."""
    return source_models if (source_models.parent / "pyproject.toml").is_file() else data_dir / "models"


class Settings(BaseSettings):
    """Everything an appliance can be configured with."""

    model_config = SettingsConfigDict(env_prefix="WARD_", frozen=True, extra="forbid")

    site_name: str = Field(default="Demo ward", description="Shown in the header and on credentials.")
    data_dir: Path = Field(default=Path("ward-data"), description="Where records, keys and backups live.")
    public_url: str = Field(
        default="https://ward.local:8443",
        description="How the ward network reaches this box; credential status lists and verify links use it.",
    )
    host: str = Field(default="0.0.0.0", description="Address to listen on (0.0.0.0 = the ward LAN).")
    port: int = Field(
        default=8443, ge=1, le=65535, description="Port of the web app (HTTPS unless tls is off)."
    )
    http_port: int = Field(
        default=8080, ge=0, le=65535, description="Plain-HTTP port that only redirects to HTTPS (0 = none)."
    )
    tls: bool = Field(default=True, description="Serve HTTPS with the box's own CA (or tls_cert/tls_key).")
    tls_cert: Path | None = Field(
        default=None, description="A certificate chain IT provides (PEM); default: made by the box."
    )
    tls_key: Path | None = Field(default=None, description="The key of tls_cert (PEM).")
    max_body_kb: int = Field(
        default=64, ge=4, le=65536, description="Largest request body accepted (413 above)."
    )
    hub_url: str | None = Field(
        default=None, description="Central hub to sync with; None = discover on the LAN."
    )
    curriculum_dir: Path = Field(
        default=PACKAGE_DIR / "demo",
        description="Curriculum loaded on first run (the bundled demo by default).",
    )
    models_dir: Path = Field(
        default=SOURCE_MODELS_DIR,
        description="Model manifests (*.json) and built model files (build/); default: models/ of a source "
        "checkout, else <data_dir>/models.",
    )
    grader_backend: Literal["auto", "onnx", "gguf", "lexical"] = Field(
        default="auto", description="Rationale grader: auto = ONNX if its model is present, else lexical."
    )
    accelerator: Literal["auto", "cpu", "cuda", "tensorrt"] = Field(
        default="auto", description="Execution provider for models: auto picks an accelerator when present."
    )
    gguf_model: str | None = Field(
        default=None, description="Name of a GGUF model manifest to use as the LLM judge."
    )
    grader_warm_up: bool = Field(
        default=True,
        description="Prepare every rubric in the background at start-up (keeps first grades fast).",
    )
    session_timeout_minutes: int = Field(
        default=5, ge=1, le=720, description="Sign a kiosk user out after this long without activity."
    )
    retention_days: int = Field(default=730, ge=1, description="Keep learners' rationales this many days.")
    site_url: str | None = Field(
        default=None,
        description="The site's homepage IRL: learners are xAPI accounts on it (default from the device id).",
    )
    lrs_url: str | None = Field(default=None, description="xAPI LRS endpoint to forward statements to.")
    lrs_username: str | None = Field(default=None, description="Basic-auth user (key) for the LRS.")
    lrs_password: str | None = Field(default=None, description="Basic-auth password (secret) for the LRS.")

    @model_validator(mode="before")
    @classmethod
    def _models_beside_the_data(cls, values: Any) -> Any:
        if isinstance(values, dict) and values.get("models_dir") is None:
            values = {**values, "models_dir": default_models_dir(Path(values.get("data_dir") or "ward-data"))}
        return values


class ConfigError(Exception):
    """A setting has a value that cannot be used (the message names the ``WARD_*`` variable)."""


def load_settings(**overrides: object) -> Settings:
    """Build settings from defaults, ``WARD_*`` env vars, then explicit overrides (e.g. CLI options).

    :raises ConfigError: a value is invalid; one line per problem, naming its variable.
    """
    try:
        return Settings.model_validate({k: v for k, v in overrides.items() if v is not None})
    except ValidationError as err:
        lines = []
        for problem in err.errors():
            field = ".".join(str(part) for part in problem["loc"])
            given = problem.get("input")
            shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
            lines.append(f"WARD_{field.upper()}: {problem['msg']}{shown}")
        raise ConfigError("Invalid setting: " + "; ".join(lines)) from err
