"""Misconception clusters: failing answers at one decision grouped by meaning, locally, in numpy.

Answers are embedded with the grader's sentence model when it has one (else TF-IDF over content words) and
merged bottom-up by average cosine similarity until no two groups are closer than ``threshold``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]
_WORD = re.compile(r"[a-z][a-z']{2,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "this",
        "with",
        "was",
        "her",
        "his",
        "she",
        "him",
        "they",
        "them",
        "are",
        "have",
        "has",
        "had",
        "not",
        "but",
        "you",
        "your",
        "would",
        "will",
        "from",
        "then",
        "than",
        "there",
        "their",
        "what",
        "when",
        "which",
        "who",
        "because",
        "into",
        "about",
        "been",
        "also",
        "just",
        "very",
        "more",
        "some",
    ]
)


def tfidf(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised TF-IDF rows over content words (the fallback when no sentence model is loaded)."""
    docs = [[w for w in _WORD.findall(t.lower()) if w not in _STOP] for t in texts]
    vocab = sorted({w for d in docs for w in d})
    index = {w: i for i, w in enumerate(vocab)}
    df = Counter(w for d in docs for w in set(d))
    out = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for row, doc in enumerate(docs):
        for word, count in Counter(doc).items():
            out[row, index[word]] = count * math.log((1 + len(docs)) / (1 + df[word]))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.where(norms == 0, 1, norms), dtype=np.float32)


def agglomerate(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clustering on cosine similarity of unit rows; clusters largest first."""
    n = len(vectors)
    if n == 0:
        return []
    sim = (vectors @ vectors.T).astype(np.float64)
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    link = sim.copy()
    np.fill_diagonal(link, -np.inf)
    while len(clusters) > 1:
        flat = int(np.argmax(link))
        a, b = divmod(flat, n)
        if link[a, b] < threshold:
            break
        size_a, size_b = len(clusters[a]), len(clusters[b])
        merged = (link[a] * size_a + link[b] * size_b) / (size_a + size_b)
        link[a], link[:, a] = merged, merged
        link[a, a] = -np.inf
        link[b], link[:, b] = -np.inf, -np.inf
        clusters[a].extend(clusters.pop(b))
    return sorted(clusters.values(), key=lambda c: (-len(c), c[0]))


@dataclass(frozen=True)
class Cluster:
    """A group of similar failing answers: its size, what they missed most, and a few examples."""

    size: int
    missed: tuple[tuple[str, int], ...]
    terms: tuple[str, ...]
    examples: tuple[str, ...]


def clusters(
    texts: Sequence[str],
    missed: Sequence[Sequence[str]],
    embed: Embed | None = None,
    threshold: float = 0.55,
    min_size: int = 2,
    examples: int = 3,
) -> tuple[Cluster, ...]:
    """Group answers by meaning; ``missed[i]`` are the key point ids answer ``i`` missed."""
    if not texts:
        return ()
    vectors = embed(list(texts)) if embed is not None else tfidf(texts)
    groups = agglomerate(np.asarray(vectors, dtype=np.float32), threshold)
    out = []
    for members in groups:
        if len(members) < min_size:
            continue
        centre = vectors[members].mean(axis=0)
        order = sorted(members, key=lambda i: -float(vectors[i] @ centre))
        words = Counter(
            w for i in members for w in set(_WORD.findall(texts[i].lower())) if w not in _STOP
        ).most_common(5)
        out.append(
            Cluster(
                size=len(members),
                missed=tuple(Counter(k for i in members for k in missed[i]).most_common(3)),
                terms=tuple(w for w, _ in words),
                examples=tuple(texts[i] for i in order[:examples]),
            )
        )
    return tuple(out)
