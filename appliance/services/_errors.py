"""Errors raised by the application services that pages and the CLI call.

ServiceError
├── PlayerError            a play action cannot be done
│   ├── AttemptNotFound    no such attempt, module or scenario (or not this learner's)
│   └── AttemptConflict    the attempt moved on elsewhere (another tab submitted first)
├── ReviewError            a review cannot be done
│   ├── ReviewNotFound     no such grade (or not one waiting for review)
│   └── ReviewInvalid      the decision is incomplete (e.g. an override without a reason)
└── ForwardError           the LRS could not be reached or refused the statements (``_records``)

Grader input refusals surface as ``appliance.grader.RationaleRejected`` (message fit for the learner).
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base class for service errors."""


class PlayerError(ServiceError):
    """A play action cannot be done."""


class AttemptNotFound(PlayerError):
    """The attempt, module or scenario does not exist for this learner."""


class AttemptConflict(PlayerError):
    """The attempt changed since the page was drawn (e.g. a second tab submitted the same decision)."""

    def __init__(self) -> None:
        super().__init__(
            "This step was already answered (perhaps in another tab). Showing where the attempt is now; "
            "nothing was lost."
        )


class ReviewError(ServiceError):
    """A review cannot be done."""


class ReviewNotFound(ReviewError):
    """No such grade."""


class ReviewInvalid(ReviewError):
    """The reviewer's decision is incomplete or contradicts itself."""


class ForwardError(ServiceError):
    """The LRS could not be reached or refused the statements."""
