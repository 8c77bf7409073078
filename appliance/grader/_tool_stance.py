"""Evidence from the learner's stance towards the AI tool, by sentence shape (``_deference.py``): a sentence that
defers to the tool becomes the evidence of a red flag, one that puts the nurse's own judgement above it the
evidence of a key point about doing so."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from appliance.grader._deference import Kind, overriding_sentences
from appliance.grader._lexical import StemIndex, coverage
from appliance.grader._match import AnswerView, Criterion, Evidence
from appliance.grader._params import ScoringParams
from appliance.grader._prepare import PreparedRubric
from appliance.grader._text import content_stems


def _closeness(c: Criterion, view: AnswerView, inside: list[int], sentence: str) -> float:
    """How close a red flag is to a sentence: best cosine over its units, or word coverage without vectors."""
    if c.vectors is None or view.vectors is None or not inside:
        return max(coverage(t.terms, StemIndex(content_stems(sentence))) for t in c.targets)
    return float((c.vectors @ view.vectors[inside].T).max())


def override_points(
    prepared: PreparedRubric,
    view: AnswerView,
    kps: list[tuple[Criterion, Evidence, float]],
    blocked: np.ndarray | None,
    params: ScoringParams,
) -> list[tuple[Criterion, Evidence, float]]:
    """Make each sentence that puts the nurse's own judgement or checks above the tool the evidence of the
    closest key point about doing so (``_deference.overrides_tool``), with probability ``override_key_point``."""
    candidates = [n for n, about in enumerate(prepared.override_points) if about]
    if not candidates:
        return kps
    out = list(kps)
    for sentence in overriding_sentences(view.text, prepared.tool_names):
        inside = [
            n for n, u in enumerate(view.units)
            if (u.text in sentence or sentence in u.text) and not (blocked is not None and blocked[n])
        ]  # fmt: skip
        if not inside:
            continue
        best = max(candidates, key=lambda n: _closeness(prepared.key_points[n], view, inside, sentence))
        c, evidence, p = out[best]
        if p < params.override_key_point:
            out[best] = (c, replace(evidence, unit=sentence, mismatch=False), params.override_key_point)
    return out


def deference_flags(
    prepared: PreparedRubric,
    view: AnswerView,
    flags: list[tuple[str, Evidence, float]],
    deferring: tuple[tuple[str, Kind], ...],
    params: ScoringParams,
) -> tuple[list[tuple[str, Evidence, float]], tuple[str, ...]]:
    """Make each sentence that defers to the tool the evidence of the closest red flag that names the tool,
    of the same kind (trusting it, or waiting for it) when there is one (``_deference.py``); return the flags
    and the deferring sentences no such red flag was there for."""
    flags = list(flags)
    unattributed = []
    for sentence, kind in deferring:
        tools = [n for n, k in enumerate(prepared.tool_flags) if k is not None]
        candidates = [n for n in tools if prepared.tool_flags[n] == kind] or tools
        if not candidates:
            unattributed.append(sentence)
            continue
        inside = [n for n, u in enumerate(view.units) if u.text in sentence or sentence in u.text]
        best = max(candidates, key=lambda n: _closeness(prepared.red_flags[n], view, inside, sentence))
        ident, evidence, p = flags[best]
        if p < params.deference_red_flag:
            flags[best] = (ident, replace(evidence, unit=sentence), params.deference_red_flag)
    return flags, tuple(unattributed)
