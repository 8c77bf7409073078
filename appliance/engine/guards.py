"""The guard language on edges: parse a guard and evaluate it (its syntax tree is in ``guard_ast``).

Public on purpose, outside ``appliance.engine``'s short top level.
"""

from appliance.engine._guards import Guard, parse_guard

__all__ = [
    "Guard",
    "parse_guard",
]
