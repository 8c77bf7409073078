"""Errors raised by the curriculum engine.

EngineError
├── ScenarioFormatError   a file could not be read as a scenario, module or curriculum
├── GuardSyntaxError      an edge guard is not a valid expression
└── PlayError             an action is not allowed in the current play state
"""

from __future__ import annotations


class EngineError(Exception):
    """Base class for every error the engine raises."""


class ScenarioFormatError(EngineError):
    """A curriculum file is malformed; names the file, the path inside it and what was expected."""

    def __init__(self, file: str, path: str, expected: str) -> None:
        self.file = file
        self.path = path
        self.expected = expected
        where = f"{file}" + (f" at {path}" if path else "")
        super().__init__(f"{where}: {expected}")


class GuardSyntaxError(EngineError):
    """A guard expression could not be parsed."""

    def __init__(self, expression: str, position: int, message: str) -> None:
        self.expression = expression
        self.position = position
        super().__init__(f"{message} at character {position + 1} of guard {expression!r}")


class PlayError(EngineError):
    """The requested action does not fit the play-through's current node."""
