"""Errors raised by the application services that pages and the CLI call.

ServiceError
└── PlayerError            a play action cannot be done
    ├── AttemptNotFound    no such attempt, module or scenario (or not this learner's)
    ├── AttemptConflict    the attempt moved on elsewhere (another tab submitted first)
    └── RationaleRejected  the grader refused the rationale (too long, ...); the message is fit for the learner
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base class for service errors."""


class PlayerError(ServiceError):
    """A play action cannot be done."""


class AttemptNotFound(PlayerError):
    """The attempt, module or scenario does not exist for this learner."""


class RationaleRejected(PlayerError):
    """The grader refused the rationale before grading it (translated from the grader's own error)."""


class AttemptConflict(PlayerError):
    """The attempt changed since the page was drawn (e.g. a second tab submitted the same decision)."""

    def __init__(self) -> None:
        super().__init__(
            "This step was already answered (perhaps in another tab). Showing where the attempt is now; "
            "nothing was lost."
        )
