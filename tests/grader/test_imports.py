"""The runtime import path stays light: no torch, optimum or transformers; nothing downloads."""

from __future__ import annotations

import subprocess
import sys

from tests.grader.conftest import ONNX, ROOT, ensure_built


def test_grading_never_imports_the_build_toolchain() -> None:
    ensure_built(ONNX)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from appliance.config import Settings\n"
        "from appliance.grader import load_grader\n"
        "from appliance.engine.rubrics import KeyPoint, Rubric\n"
        "g = load_grader(Settings(models_dir=Path('models'), accelerator='cpu'), strict=True)\n"
        "g.grade_text('Why?', 'Because the bulbs are in series.', Rubric(key_points=(KeyPoint(id='k', text='in series'),)))\n"
        "bad = [m for m in ('torch', 'optimum', 'transformers', 'nicegui', 'tqdm') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env={"HF_HUB_OFFLINE": "1"}
    )
    assert result.returncode == 0, result.stderr
