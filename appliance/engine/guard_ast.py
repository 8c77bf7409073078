"""The guard language's syntax tree, public on purpose for tools that build guards from pickers (the editor).

Parse text with :func:`appliance.engine.parse_guard`; build trees from these nodes and print them back with
their ``str()``.
"""

from appliance.engine._guards import BoolOp, Compare, Expr, Literal, Name, Not

__all__ = ["BoolOp", "Compare", "Expr", "Literal", "Name", "Not"]
