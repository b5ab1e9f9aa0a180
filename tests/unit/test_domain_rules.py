"""The repository's rules: retention dates, references and what an acceptable upload is."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from case_reviews.domain.errors import InvalidRequest, UploadRejected
from case_reviews.domain.rules import (
    available_until,
    check_listed_year,
    check_pdf_signature,
    check_upload_size,
    format_reference,
    is_past_retention,
)

MAX_BYTES = 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("deposited_on", "expected"),
    [
        (date(2026, 11, 26), date(2031, 11, 26)),
        (date(2026, 1, 1), date(2031, 1, 1)),
        (date(2026, 12, 31), date(2031, 12, 31)),
        (date(2028, 2, 28), date(2033, 2, 28)),
        (date(2024, 2, 29), date(2029, 2, 28)),
        (date(2028, 2, 29), date(2033, 2, 28)),
    ],
    ids=["ordinary day", "new year's day", "new year's eve", "28 february", "29 february 2024", "29 february 2028"],
)
def test_available_until_is_the_same_day_five_years_after_deposit(deposited_on: date, expected: date) -> None:
    # Given a deposit date
    # When the last available day is worked out
    last_day = available_until(deposited_on)
    # Then it is five years on (a 29 February deposit ends on 28 February, as that year has no 29th)
    assert last_day == expected


@pytest.mark.parametrize(
    ("as_of", "past"),
    [
        (date(2031, 11, 25), False),
        (date(2031, 11, 26), False),
        (date(2031, 11, 27), True),
        (date(2040, 1, 1), True),
        (date(2026, 11, 26), False),
    ],
    ids=["day before", "the last available day itself", "day after", "years later", "deposit day"],
)
def test_is_past_retention_only_once_the_last_available_day_is_behind_us(as_of: date, past: bool) -> None:
    # Given a copy whose last available day is 26 November 2031
    until = date(2031, 11, 26)
    # When retention is checked on a given day
    result = is_past_retention(until, as_of)
    # Then only the days after the last available day are past retention
    assert result is past


@pytest.mark.parametrize(
    ("year", "sequence", "expected"),
    [
        (2016, 42, "CR-2016-0042"),
        (2016, 1, "CR-2016-0001"),
        (1998, 9999, "CR-1998-9999"),
        (2016, 12345, "CR-2016-12345"),
        (987, 7, "CR-0987-0007"),
    ],
)
def test_format_reference_pads_the_year_and_the_counter(year: int, sequence: int, expected: str) -> None:
    # Given a publication year and a counter
    # When the reference is formatted
    reference = format_reference(year, sequence)
    # Then it is CR-YYYY-NNNN (a counter past 9999 keeps all its digits)
    assert reference == expected


@pytest.mark.parametrize("size_bytes", [1, MAX_BYTES - 1, MAX_BYTES], ids=["one byte", "just under", "at the limit"])
def test_check_upload_size_accepts_a_file_up_to_the_limit(size_bytes: int) -> None:
    # Given a non-empty file no bigger than the limit
    # When its size is checked
    # Then nothing is raised
    check_upload_size(size_bytes, MAX_BYTES)


@pytest.mark.parametrize("size_bytes", [0, -1])
def test_check_upload_size_rejects_an_empty_file_asking_for_the_upload_again(size_bytes: int) -> None:
    # Given an empty upload
    # When its size is checked
    with pytest.raises(UploadRejected) as rejected:
        check_upload_size(size_bytes, MAX_BYTES)
    # Then the board is told the file is empty and to upload it again
    assert "empty" in str(rejected.value)
    assert "Upload the PDF again" in str(rejected.value)


def test_check_upload_size_rejects_a_file_over_the_limit_saying_both_sizes_and_what_to_do() -> None:
    # Given a file one byte over the limit
    size_bytes = MAX_BYTES + 1
    # When its size is checked
    with pytest.raises(UploadRejected) as rejected:
        check_upload_size(size_bytes, MAX_BYTES)
    # Then the message gives the file's size, the limit and an action the board can take
    message = str(rejected.value)
    assert f"{MAX_BYTES + 1} bytes" in message
    assert f"limit is {MAX_BYTES} bytes" in message
    assert "Reduce the PDF's size" in message


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\xef\xbb\xbf%PDF-1.4\n",
        b" " * 500 + b"%PDF-1.4\n",
        b"x" * 1019 + b"%PDF-",
    ],
    ids=["at the start", "after a byte order mark", "after leading junk", "ending on the last byte of the first KiB"],
)
def test_check_pdf_signature_accepts_the_marker_within_the_first_kib(head: bytes) -> None:
    # Given the first bytes of a file with %PDF- within its first KiB
    # When the signature is checked
    # Then nothing is raised
    check_pdf_signature(head)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"PK\x03\x04 a Word document",
        b"%PDF 1.4 (no dash)",
        b"%pdf-1.4",
        b"x" * 1024 + b"%PDF-1.4",
    ],
    ids=["empty", "a zip", "marker without its dash", "lower case", "only after the first KiB"],
)
def test_check_pdf_signature_rejects_a_file_without_the_marker_in_the_first_kib(head: bytes) -> None:
    # Given the first bytes of a file that is not (recognisably) a PDF
    # When the signature is checked
    with pytest.raises(UploadRejected) as rejected:
        check_pdf_signature(head)
    # Then the board is told it is not a PDF and how to fix it
    assert str(rejected.value) == "The file is not a PDF. Export the report as PDF and submit it again."


NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize("year", [1945, 1990, 2026])
def test_check_listed_year_accepts_1945_to_the_current_year(year: int) -> None:
    # Given a year from 1945 to now
    # When it is checked as a yearly list
    # Then it is accepted
    check_listed_year(year, NOW)


@pytest.mark.parametrize("year", [1900, 1944, 2027, 2100])
def test_check_listed_year_refuses_years_before_1945_or_after_the_current_one(year: int) -> None:
    # Given a year before 1945 or after the current one
    # When it is checked as a yearly list
    with pytest.raises(InvalidRequest) as refused:
        check_listed_year(year, NOW)
    # Then it is refused, naming the path parameter and the range
    assert refused.value.location == "path.year"
    assert "1945 to 2026" in str(refused.value)
