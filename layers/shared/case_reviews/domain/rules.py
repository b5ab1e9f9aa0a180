"""Rules of the repository: retention, references and what an acceptable file is."""

from __future__ import annotations

from datetime import date

from case_reviews.domain.errors import UploadRejected

RETENTION_YEARS = 5
# The acknowledgement asks for every review commissioned after this date (the library's collecting remit).
COLLECTING_FROM = date(2010, 6, 10)
PDF_MAGIC = b"%PDF-"


def available_until(deposited_on: date) -> date:
    """The last day the electronic copy is available: five years after deposit (29 February → 28 February)."""
    try:
        return deposited_on.replace(year=deposited_on.year + RETENTION_YEARS)
    except ValueError:
        return deposited_on.replace(year=deposited_on.year + RETENTION_YEARS, day=28)


def is_past_retention(until: date, as_of: date) -> bool:
    """True once the copy's last available day is behind us."""
    return as_of > until


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
