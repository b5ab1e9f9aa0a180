"""Errors the domain and the services raise; the API maps each to a problem response."""

from __future__ import annotations


class CaseReviewsError(Exception):
    """Base of every expected failure: the message is safe to show to the caller."""


class NotFound(CaseReviewsError):
    pass


class Unauthorised(CaseReviewsError):
    pass


class CopyRemoved(CaseReviewsError):
    """The electronic copy existed but has been removed (retention or a legal ruling)."""


class RulingRefused(CaseReviewsError):
    """A staff ruling that does not apply to the record as it is (no copy to hold, already held...)."""


class ChangedMeanwhile(CaseReviewsError):
    """The record changed between reading and writing it: nothing was written; read it again and retry."""


class UploadRejected(CaseReviewsError):
    """The uploaded file cannot be catalogued; the message tells the board what to change."""


class InvalidRequest(CaseReviewsError):
    """Input that is well-formed but breaks a rule (a date in the future, a range that ends before it starts)."""

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message)
        self.location = location


class RateLimited(CaseReviewsError):
    """Too many attempts of one kind from one address or client: try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(CaseReviewsError):
    """A part the request needs is not answering (the search index): try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class UndeliverableAddress(CaseReviewsError):
    """The mail service refused the address itself (not a passing failure): sending again will not help."""


class DuplicateContent(CaseReviewsError):
    """The same file is already catalogued under `reference`."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


class RetentionIncomplete(Exception):
    """Some copies could not be removed: the run's message comes back, and the rerun finishes them."""
