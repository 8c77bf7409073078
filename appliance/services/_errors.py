"""Errors raised by the application services that pages and the CLI call.

ServiceError
├── PlayerError            a play action cannot be done
│   ├── AttemptNotFound    no such attempt, module or scenario (or not this learner's)
│   ├── AttemptConflict    the attempt moved on elsewhere (another tab submitted first)
│   └── RationaleRejected  the grader refused the rationale (too long, ...); the message is fit for the learner
├── AuthoringError         an authoring action cannot be done
│   ├── EditRefused        an edit would break the scenario's records (message fit for the author)
│   ├── DraftConflict      someone else saved the draft since this editor loaded it
│   ├── PublishRefused     the draft does not validate clean, or no change note was given
│   └── ImportFailed       a Twee or JSON file could not be read
├── ReviewError            a review cannot be done
│   ├── ReviewNotFound     no such grade (or not one waiting for review)
│   └── ReviewInvalid      the decision is incomplete (e.g. an override without a reason)
└── ForwardError           the LRS could not be reached or refused the statements (``_records``)
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


class AuthoringError(ServiceError):
    """An authoring action cannot be done."""


class EditRefused(AuthoringError):
    """The proposed edit is not allowed; the message says why, in the author's terms."""


class DraftConflict(AuthoringError):
    """The stored draft moved on since this editor loaded it (another author saved)."""

    def __init__(self, module_id: str, revision: int, updated_by: str | None) -> None:
        self.module_id = module_id
        self.revision = revision
        self.updated_by = updated_by
        who = f" by {updated_by}" if updated_by else ""
        super().__init__(
            f"The draft of '{module_id}' was saved elsewhere{who} (now revision {revision}). Nothing was "
            "overwritten: reload their version, or keep yours and save over it on purpose."
        )


class PublishRefused(AuthoringError):
    """The draft cannot be published yet."""


class ImportFailed(AuthoringError):
    """An imported file could not be read."""


class ReviewError(ServiceError):
    """A review cannot be done."""


class ReviewNotFound(ReviewError):
    """No such grade."""


class ReviewInvalid(ReviewError):
    """The reviewer's decision is incomplete or contradicts itself."""


class ForwardError(ServiceError):
    """The LRS could not be reached or refused the statements."""
