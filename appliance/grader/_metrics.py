"""Agreement figures between the grader and human labels: accuracy, macro-F1, kappa, r, RMSE, bootstrap CIs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Return the fraction of predictions equal to the gold label."""
    return (
        float(np.mean([g == p for g, p in zip(gold, predicted, strict=True)])) if len(gold) else float("nan")
    )


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> float:
    """Return the unweighted mean F1 over the labels (those in gold or predictions by default)."""
    labels = sorted(set(gold) | set(predicted)) if labels is None else list(labels)
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(scores)) if scores else float("nan")


def cohen_kappa(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Return Cohen's kappa (chance-corrected agreement); nan when chance agreement is total."""
    n = len(gold)
    if not n:
        return float("nan")
    observed = accuracy(gold, predicted)
    labels = set(gold) | set(predicted)
    expected = sum((list(gold).count(x) / n) * (list(predicted).count(x) / n) for x in labels)
    return float("nan") if expected >= 1.0 else (observed - expected) / (1 - expected)


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Return the confusion matrix, rows = gold label, columns = predicted label, in ``labels`` order."""
    index = {label: n for n, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Return Pearson's r; nan when either side is constant."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def rmse(x: Sequence[float], y: Sequence[float]) -> float:
    """Return the root-mean-square error."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sqrt(np.mean((a - b) ** 2))) if len(a) else float("nan")


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate with a 95% percentile-bootstrap confidence interval."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


def bootstrap(
    statistic: Callable[[np.ndarray], float], n: int, *, resamples: int = 1000, seed: int = 0
) -> Interval:
    """Return ``statistic(all indices)`` with a 95% CI from resampling the ``n`` items with replacement."""
    everything = np.arange(n)
    value = statistic(everything)
    if n < 2:
        return Interval(value, float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    draws = [statistic(rng.integers(0, n, n)) for _ in range(resamples)]
    finite = np.asarray([d for d in draws if np.isfinite(d)])
    if not len(finite):
        return Interval(value, float("nan"), float("nan"))
    low, high = np.percentile(finite, [2.5, 97.5])
    return Interval(value, float(low), float(high))
