"""Rubrics and their parts: key points, red flags, exemplars and feedback (``Rubric`` is also at the top).

Public on purpose, outside ``appliance.engine``'s short top level.
"""

from appliance.engine._rubric import Exemplar, KeyPoint, RedFlag, Rubric, RubricFeedback

__all__ = [
    "Exemplar",
    "KeyPoint",
    "RedFlag",
    "Rubric",
    "RubricFeedback",
]
