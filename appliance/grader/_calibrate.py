"""Calibration from graded exemplars: threshold shifts with shrinkage, and nearest-exemplar votes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def sigmoid(x: float) -> float:
    """Return the logistic function of ``x``, overflow-safe."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def fit_shift(
    logits: Sequence[float], labels: Sequence[float], prior_sd: float, center: float = 0.0
) -> float:
    """Fit the log-odds shift ``d`` maximising ``sum loglik(sigmoid(z + d), y) + log N(d; center, prior_sd)``.

    A MAP estimate: with no or uninformative exemplars it stays at ``center``; each exemplar the prior
    model gets wrong pulls the threshold towards separating it. Labels may be fractional (0..1).
    """
    if not logits:
        return center
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    precision = 1.0 / (prior_sd * prior_sd)
    shift = center
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z + shift)))
        gradient = float(np.sum(y - p)) - precision * (shift - center)
        curvature = float(np.sum(p * (1 - p))) + precision
        step = gradient / curvature
        shift += max(-2.0, min(2.0, step))
        if abs(step) < 1e-6:
            break
    return shift


@dataclass(frozen=True, slots=True)
class Neighbours:
    """What the nearest graded exemplars say about an answer."""

    weight: float
    """How much to trust them (0 = no exemplars or none close), ``n/(n+kappa)`` times closeness."""
    score: float
    met: dict[str, float]
    """Weighted share of neighbours (with known labels) that meet each key point; empty if none known."""
    nearest: float


def neighbours(
    similarities: Sequence[float],
    scores: Sequence[float],
    met: Sequence[frozenset[str] | None],
    key_points: Sequence[str],
    *,
    kappa: float,
    temperature: float,
) -> Neighbours:
    """Vote with the exemplars, weighted by a softmax of their similarity to the answer."""
    if not similarities:
        return Neighbours(0.0, 0.0, {}, 0.0)
    sims = np.asarray(similarities, dtype=np.float64)
    nearest = float(sims.max())
    weights = np.exp((sims - nearest) / temperature)
    weights /= weights.sum()
    score = float(np.dot(weights, np.asarray(scores, dtype=np.float64)))
    known = [(w, m) for w, m in zip(weights, met, strict=True) if m is not None]
    mass = sum(w for w, _ in known)
    votes = {kp: sum(w for w, m in known if kp in m) / mass for kp in key_points} if mass > 0 else {}
    count = len(sims)
    closeness = min(1.0, max(0.0, (nearest - 0.4) / 0.4))
    return Neighbours(count / (count + kappa) * closeness, score, votes, nearest)


def _objective(
    x: np.ndarray, y: np.ndarray, beta: np.ndarray, mean: np.ndarray, precision: np.ndarray
) -> float:
    z = np.clip(x @ beta, -35.0, 35.0)
    loglik = float(np.sum(y * z - np.logaddexp(0.0, z)))
    d = beta - mean
    return loglik - 0.5 * float(d @ precision @ d)


def fit_logistic(
    features: np.ndarray, labels: np.ndarray, prior_mean: np.ndarray, prior_sd: np.ndarray
) -> np.ndarray:
    """Fit logistic-regression weights (first column = bias) by MAP with a Gaussian prior around defaults.

    Used by ``--calibrate`` to refit the global key-point model. Newton steps with a backtracking line search
    on the (concave) log posterior, so it converges from the defaults on any data; the prior keeps small
    files from overfitting and unidentifiable weights (e.g. a constant column) at their defaults.
    """
    x = np.column_stack([np.ones(len(features)), features]).astype(np.float64)
    y = np.asarray(labels, dtype=np.float64)
    precision = np.diag(1.0 / np.square(np.asarray(prior_sd, dtype=np.float64)))
    mean = np.asarray(prior_mean, dtype=np.float64)
    beta = mean.copy()
    current = _objective(x, y, beta, mean, precision)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35.0, 35.0)))
        gradient = x.T @ (y - p) - precision @ (beta - mean)
        hessian = (x.T * (p * (1 - p))) @ x + precision
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-6:
            candidate = beta + scale * step
            value = _objective(x, y, candidate, mean, precision)
            if value >= current - 1e-12:
                break
            scale /= 2
        else:
            break
        beta, gain, current = candidate, value - current, value
        if float(np.abs(scale * step).max()) < 1e-8 or gain < 1e-10:
            break
    return beta
