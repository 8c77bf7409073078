"""What the evaluation scripts and benchmarks use from the grader, made public on purpose.

Not part of the runtime API (the appliance never imports this module): agreement metrics, the calibration
fit, the input limits and text units, and the raw embedder with its batch buckets.
"""

from appliance.grader._calibrate import fit_logistic
from appliance.grader._embed import OnnxEmbedder, buckets
from appliance.grader._metrics import (
    Interval,
    accuracy,
    bootstrap,
    cohen_kappa,
    confusion,
    macro_f1,
    pearson,
    rmse,
)
from appliance.grader._text import check_limits, units

__all__ = [
    "Interval",
    "OnnxEmbedder",
    "accuracy",
    "bootstrap",
    "buckets",
    "check_limits",
    "cohen_kappa",
    "confusion",
    "fit_logistic",
    "macro_f1",
    "pearson",
    "rmse",
    "units",
]
