"""Rules of the repository: retention, references and what an acceptable file is."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from case_reviews.domain.errors import InvalidRequest, UploadRejected

RETENTION_YEARS = 5
# The acknowledgement asks for every review commissioned after this date (the library's collecting remit).
COLLECTING_FROM = date(2010, 6, 10)
PDF_MAGIC = b"%PDF-"
# The catalogue goes back to 1945; nothing it holds or will hold was published before this.
EARLIEST_PUBLICATION = date(1900, 1, 1)
LATEST_YEAR = 2100
# The yearly lists (GET /years/{year}) run from the catalogue's first year to the current one.
FIRST_LISTED_YEAR = 1945
# "Not in the future" is judged against UTC plus a day, so that a board's own "today" is never refused.
_TIME_ZONE_ALLOWANCE = timedelta(days=1)


def latest_publication_day(now: datetime) -> date:
    """The last day a report may say it was published: today in UTC, plus the time-zone allowance."""
    return (now + _TIME_ZONE_ALLOWANCE).date()


def check_publication_date(published: date, now: datetime) -> None:
    """A deposited report has been published: its date is not in the future."""
    if published > latest_publication_day(now):
        raise InvalidRequest(
            f"publication_date {published.isoformat()} is in the future; deposit a report once it is published.",
            location="body.publication_date",
        )


def check_dates_in_order(commissioned: date | None, published: date) -> None:
    """A review is commissioned before it is published (ValueError, for model validators)."""
    if commissioned is not None and commissioned > published:
        raise ValueError("commissioned_date must not be after publication_date")


def available_until(deposited_on: date) -> date:
    """The last day the electronic copy is available: five years after deposit (29 February → 28 February)."""
    try:
        return deposited_on.replace(year=deposited_on.year + RETENTION_YEARS)
    except ValueError:
        return deposited_on.replace(year=deposited_on.year + RETENTION_YEARS, day=28)


# What the public record says once the five years are over: neutral, and the same for every report.
RETENTION_REMOVAL_REASON = "The five-year availability period ended."


def is_past_retention(until: date, as_of: date) -> bool:
    """True once the copy's last available day is behind us."""
    return as_of > until


# What the public record says of a copy staff took down: neutral, whatever the ruling (the code is staff-only).
TAKE_DOWN_PUBLIC_REASON = "Withdrawn by the library."


def is_due_for_removal(until: date, held: bool, as_of: date) -> bool:
    """The five-year rule removes a copy once its last available day is behind us, unless a legal hold keeps it."""
    return not held and is_past_retention(until, as_of)


def format_reference(year: int, sequence: int) -> str:
    """The stable, human-readable catalogue reference, e.g. CR-2016-0042 (publication year, then a counter)."""
    return f"CR-{year:04d}-{sequence:04d}"


def check_upload_size(size_bytes: int, max_bytes: int) -> None:
    """The presigned POST limits size, but not every S3 implementation enforces it: check again."""
    if size_bytes <= 0:
        raise UploadRejected("The uploaded file is empty. Upload the PDF again.")
    if size_bytes > max_bytes:
        raise UploadRejected(
            f"The file is {size_bytes} bytes; the limit is {max_bytes} bytes. "
            "Reduce the PDF's size (for example by compressing images) and submit it again."
        )


def check_pdf_signature(head: bytes) -> None:
    """A PDF starts with %PDF- (within the first KiB, as readers allow)."""
    if PDF_MAGIC not in head[:1024]:
        raise UploadRejected("The file is not a PDF. Export the report as PDF and submit it again.")


def check_listed_year(year: int, now: datetime) -> None:
    """A yearly list exists from FIRST_LISTED_YEAR to the current year (UTC, plus the time-zone allowance)."""
    current = latest_publication_day(now).year
    if not FIRST_LISTED_YEAR <= year <= current:
        raise InvalidRequest(
            f"There is a list for each year from {FIRST_LISTED_YEAR} to {current}; {year} is not one of them.",
            location="path.year",
        )
