"""Domain models: what a board may declare, partial publication dates, and what a record shows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import MetadataCorrection, ReportMetadata
from case_reviews.domain.errors import RulingRefused
from case_reviews.domain.records import ANONYMOUS_PUBLISHER, rights_statement
from case_reviews.domain.vocabulary import CopyStatus, DatePrecision
from tests.unit.factories import BOARD_NAME, a_record, available_copy, metadata_fields, removed_copy


def error_locations(error: ValidationError) -> set[str]:
    return {".".join(str(part) for part in item["loc"]) for item in error.errors()}


# ---------------------------------------------------------------- ReportMetadata


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["Neglect"], ("neglect",)),
        (["Child Neglect"], ("neglect",)),
        (["multi-agency working"], ("multi_agency_working",)),
        (["Domestic  abuse"], ("domestic_abuse",)),
        (["DA"], ("domestic_abuse",)),
        (["neglect "], ("neglect",)),
        (["Race, culture and faith", "SUBSTANCE_MISUSE"], ("race_culture_and_faith", "parental_substance_misuse")),
        (["bruising in non-mobile babies", "abusive head trauma"], ("non_accidental_injury_in_infants",)),
    ],
    ids=["preferred", "alternative", "hyphens", "spaces", "abbreviation", "trailing", "case", "one concept once"],
)
def test_report_metadata_stores_each_theme_as_its_vocabulary_id(given: list[str], expected: tuple[str, ...]) -> None:
    # Given themes as a board might type them: an id, a preferred or an alternative label, in any case
    fields = metadata_fields(themes=given)
    # When the metadata is validated
    metadata = ReportMetadata.model_validate(fields)
    # Then each is stored as the id of the vocabulary's concept, once
    assert metadata.themes == expected


@pytest.mark.parametrize(
    ("theme", "suggested"),
    [
        ("neglct", "'Neglect' (neglect)"),
        ("exploitation", "'Child sexual exploitation' (child_sexual_exploitation)"),
        ("domestic abuses", "'Domestic abuse' (domestic_abuse)"),
    ],
)
def test_an_unknown_theme_is_refused_with_the_nearest_themes(theme: str, suggested: str) -> None:
    # Given a theme the vocabulary does not have (a misspelling, a part of a label)
    fields = metadata_fields(themes=["neglect", theme])
    # When the metadata is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then that theme is refused, and the refusal suggests the nearest themes
    assert error_locations(invalid.value) == {"themes.1"}
    message = invalid.value.errors()[0]["msg"]
    assert "is not a theme of the library's vocabulary" in message
    assert suggested in message


def test_a_theme_nothing_is_near_points_to_the_whole_vocabulary() -> None:
    # Given a theme unlike anything in the vocabulary
    fields = metadata_fields(themes=["zzzz qqqq"])
    # When it is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then the refusal says where the themes are listed
    assert "the themes are listed at /themes" in invalid.value.errors()[0]["msg"]


def test_report_metadata_rejects_more_than_twenty_themes() -> None:
    # Given 21 distinct themes of the vocabulary
    from case_reviews.domain.themes import vocabulary

    fields = metadata_fields(themes=[concept.id for concept in vocabulary()[:21]])
    # When the metadata is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then the list of themes is refused
    assert error_locations(invalid.value) == {"themes"}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Business.Manager@Board.Example", "business.manager@board.example"),
        ("  business.manager@board.example\n", "business.manager@board.example"),
        (" LSCB@Northshire.GOV.UK ", "lscb@northshire.gov.uk"),
    ],
)
def test_report_metadata_lowercases_and_strips_the_contact_email(given: str, expected: str) -> None:
    # Given a contact address with capitals or surrounding whitespace
    fields = metadata_fields(contact_email=given)
    # When the metadata is validated
    metadata = ReportMetadata.model_validate(fields)
    # Then the stored address is lower case and trimmed
    assert metadata.contact_email == expected


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two words@board.example", "@board.example", ""])
def test_report_metadata_rejects_an_obviously_wrong_email(email: str) -> None:
    # Given an address with no @, no domain dot or inner whitespace
    fields = metadata_fields(contact_email=email)
    # When the metadata is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then the contact email is reported as invalid
    assert error_locations(invalid.value) == {"contact_email"}


def test_report_metadata_rejects_a_commissioned_date_after_publication() -> None:
    # Given a review commissioned the day after it was published
    fields = metadata_fields(publication_date="2016-03-14", commissioned_date="2016-03-15")
    # When the metadata is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then the dates are refused as out of order
    assert "commissioned_date must not be after publication_date" in str(invalid.value)


@pytest.mark.parametrize("commissioned", ["2016-03-14", "2014-09-01", None])
def test_report_metadata_accepts_a_commissioned_date_on_or_before_publication(commissioned: str | None) -> None:
    # Given a review commissioned on or before its publication day (or with no commissioned date)
    fields = metadata_fields(publication_date="2016-03-14", commissioned_date=commissioned)
    # When the metadata is validated
    metadata = ReportMetadata.model_validate(fields)
    # Then it is accepted with the dates as given
    assert metadata.publication_date == PublicationDate(value=date(2016, 3, 14))
    assert metadata.commissioned_date == (date.fromisoformat(commissioned) if commissioned else None)


def test_report_metadata_forbids_fields_it_does_not_know() -> None:
    # Given metadata with an extra field (a board trying to choose its own reference)
    fields = metadata_fields(reference="CR-2016-0001")
    # When the metadata is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then the extra field is refused
    assert error_locations(invalid.value) == {"reference"}
    assert invalid.value.errors()[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    ("field", "value"),
    [("nation", "france"), ("review_type", "inquest"), ("document_type", "letter"), ("title", "  K ")],
)
def test_report_metadata_rejects_values_outside_the_vocabularies(field: str, value: Any) -> None:
    # Given a value outside its controlled vocabulary (or a title under three characters once trimmed)
    fields = metadata_fields(**{field: value})
    # When the metadata is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then that field is the one reported
    assert error_locations(invalid.value) == {field}


# ---------------------------------------------------------------- PublicationDate


@pytest.mark.parametrize(
    ("text", "value", "precision", "last_day", "shown"),
    [
        ("1973", date(1973, 1, 1), DatePrecision.YEAR, date(1973, 12, 31), "1973"),
        ("2016-03", date(2016, 3, 1), DatePrecision.MONTH, date(2016, 3, 31), "2016-03"),
        ("2016-04", date(2016, 4, 1), DatePrecision.MONTH, date(2016, 4, 30), "2016-04"),
        ("2024-02", date(2024, 2, 1), DatePrecision.MONTH, date(2024, 2, 29), "2024-02"),
        ("2023-02", date(2023, 2, 1), DatePrecision.MONTH, date(2023, 2, 28), "2023-02"),
        ("2015-12", date(2015, 12, 1), DatePrecision.MONTH, date(2015, 12, 31), "2015-12"),
        ("1973-05-14", date(1973, 5, 14), DatePrecision.DAY, date(1973, 5, 14), "1973-05-14"),
        (" 2016-03-14\n", date(2016, 3, 14), DatePrecision.DAY, date(2016, 3, 14), "2016-03-14"),
        ("0987", date(987, 1, 1), DatePrecision.YEAR, date(987, 12, 31), "0987"),
    ],
    ids=["year", "month", "30-day month", "leap february", "february", "december", "day", "padded", "early year"],
)
def test_publication_date_parses_a_year_month_or_day_with_its_period(
    text: str, value: date, precision: DatePrecision, last_day: date, shown: str
) -> None:
    # Given a publication date known to a year, a month or a day
    # When it is parsed
    parsed = PublicationDate.parse(text)
    # Then it starts on the period's first day, ends on its last day, and prints at its own precision
    assert (parsed.value, parsed.precision) == (value, precision)
    assert parsed.last_day() == last_day
    assert str(parsed) == shown


@pytest.mark.parametrize(
    "text",
    ["", "16", "2016-3", "2016-03-1", "2016/03/14", "14-03-2016", "2016-13", "2016-02-30", "2016-00", "0000", "soon"],
)
def test_publication_date_parse_rejects_anything_else_with_a_value_error(text: str) -> None:
    # Given text that is not YYYY, YYYY-MM or YYYY-MM-DD, or names no real date
    # When it is parsed
    # Then a ValueError is raised
    with pytest.raises(ValueError):
        PublicationDate.parse(text)


def test_publication_date_defaults_to_day_precision() -> None:
    # Given a publication date built from a day alone
    published = PublicationDate(value=date(2016, 3, 14))
    # When it is shown and its period ends
    # Then it is that day
    assert str(published) == "2016-03-14"
    assert published.last_day() == date(2016, 3, 14)


# ---------------------------------------------------------------- CatalogueRecord


@pytest.mark.parametrize(
    ("anonymous", "board_name", "expected"),
    [
        (False, BOARD_NAME, BOARD_NAME),
        (True, BOARD_NAME, ANONYMOUS_PUBLISHER),
        (False, None, ANONYMOUS_PUBLISHER),
        (False, "", ANONYMOUS_PUBLISHER),
    ],
    ids=["named board", "anonymous report", "historic record without a board", "empty board name"],
)
def test_catalogue_record_publisher_never_names_the_board_of_an_anonymous_report(
    anonymous: bool, board_name: str | None, expected: str
) -> None:
    # Given a record, anonymous or not, with or without its board's name
    record = a_record(anonymous=anonymous, board_name=board_name)
    # When its public publisher is asked for
    publisher = record.publisher
    # Then it is the board's name only for a named, non-anonymous report
    assert publisher == expected


@pytest.mark.parametrize(
    ("copy", "expected"),
    [(available_copy(), True), (removed_copy(), False), (None, False)],
    ids=["available", "removed", "never had one"],
)
def test_catalogue_record_has_copy_only_while_the_copy_is_available(copy: Any, expected: bool) -> None:
    # Given a record with an available, a removed or no electronic copy
    record = a_record(electronic_copy=copy)
    # When asked whether it has a copy
    # Then only an available copy counts
    assert record.has_copy is expected


def test_a_record_with_its_copy_removed_keeps_the_copy_s_facts_and_drops_its_files() -> None:
    # Given a record holding an available copy
    record = a_record(electronic_copy=available_copy(), version=3)
    moment = datetime(2031, 11, 27, 3, 0, tzinfo=UTC)
    # When its copy is removed
    removed = record.with_copy_removed(
        removed_on=moment.date(), reason="The five-year availability period ended.", now=moment
    )
    # Then the copy says removed, when and why, keeps its checksum, size and pages, and points at no file;
    # the record is a new version, and the original is unchanged
    copy = removed.electronic_copy
    assert (copy.status, copy.removed_on, copy.removal_reason) == (
        CopyStatus.REMOVED,
        date(2031, 11, 27),
        "The five-year availability period ended.",
    )
    assert (copy.sha256, copy.size_bytes, copy.page_count) == ("0" * 64, 48213, 12)
    assert (copy.object_key, copy.text_key) == (None, None)
    assert (removed.version, removed.updated_at, removed.has_copy) == (4, moment, False)
    assert record.has_copy and record.version == 3


def test_a_metadata_correction_needs_a_field_and_cannot_clear_a_required_one() -> None:
    # Given corrections with no field, and one clearing the title
    # When they are validated
    # Then both are refused, naming the reason
    with pytest.raises(ValidationError, match="at least one field"):
        MetadataCorrection()
    with pytest.raises(ValidationError, match="title cannot be cleared"):
        MetadataCorrection(title=None)


def test_a_metadata_correction_changes_only_the_fields_given() -> None:
    # Given a record, and a correction of its themes (with a repeat) and an empty summary
    record = a_record(version=2)
    correction = MetadataCorrection(themes=("Online harm", "online_abuse", "neglect"), summary="")
    # When it is applied
    corrected = record.with_metadata(correction, datetime(2026, 11, 26, tzinfo=UTC))
    # Then the themes are their vocabulary ids, once each, the summary is cleared, everything else is as it was
    assert corrected.themes == ("online_abuse", "neglect")
    assert corrected.summary is None
    assert (corrected.title, corrected.reference, corrected.version) == (record.title, record.reference, 3)


# ---------------------------------------------------------------- dates known to a year or a month


@pytest.mark.parametrize(
    ("written", "label", "approximate", "last_day"),
    [
        ("1973", "1973, month unknown", True, date(1973, 12, 31)),
        ("1973-05", "May 1973, day unknown", True, date(1973, 5, 31)),
        ("1973-05-14", "14 May 1973", False, date(1973, 5, 14)),
        ("2024-02", "February 2024, day unknown", True, date(2024, 2, 29)),
    ],
)
def test_a_publication_date_says_what_is_known_of_it(
    written: str, label: str, approximate: bool, last_day: date
) -> None:
    # Given a publication date known to the year, the month or the day
    published = PublicationDate.parse(written)
    # When it is read
    # Then its label says what is not known, it is approximate unless a day, and it covers its whole period
    assert published.label() == label
    assert published.approximate is approximate
    assert published.last_day() == last_day


# ---------------------------------------------------------------- rights and what the public may see


def test_a_deposit_s_public_view_names_its_rights_holder_and_the_statement_says_whose_copyright_it_is() -> None:
    # Given a named board's record, and a historic record under Crown copyright
    named = a_record(rights_holder=None).public()
    crown = a_record(board_id=None, board_name="Home Office", rights_holder="Crown copyright").public()
    # When the public views are read
    # Then the holder defaults to the board, and each statement names its holder and why the library has a copy
    assert named.rights_holder == BOARD_NAME
    assert rights_statement(named) == (
        f"Copyright remains with {BOARD_NAME}. The library holds a copy to share the learning from it."
    )
    assert rights_statement(crown) == "Crown copyright. The library holds a copy to share the learning from it."


@pytest.mark.parametrize(
    ("holder", "anonymous", "statement"),
    [
        # An ordinary holder: copyright remains with it.
        (
            "Child Safeguarding Practice Review Panel",
            False,
            "Copyright remains with Child Safeguarding Practice Review Panel. "
            "The library holds a copy to share the learning from it.",
        ),
        # A holder that is itself a copyright notice is stated as it is, in any case, without a second full stop.
        ("Crown copyright", False, "Crown copyright. The library holds a copy to share the learning from it."),
        (
            "crown Copyright 1974.",
            False,
            "crown Copyright 1974. The library holds a copy to share the learning from it.",
        ),
        (
            "© Northshire Council",
            False,
            "© Northshire Council. The library holds a copy to share the learning from it.",
        ),
        (
            "Copyright Home Office",
            False,
            "Copyright Home Office. The library holds a copy to share the learning from it.",
        ),
        # Neither a name that only starts like a notice ...
        (
            "Crown Copyrights Ltd",
            False,
            "Copyright remains with Crown Copyrights Ltd. The library holds a copy to share the learning from it.",
        ),
        # ... nor no holder, nor an anonymous record, names a holder.
        (
            None,
            False,
            "The catalogue does not name the copyright holder. The library holds a copy to share the learning from it.",
        ),
        (
            "Crown copyright",
            True,
            "Published anonymously on behalf of a safeguarding board, which keeps its copyright. "
            "The library holds a copy to share the learning from it.",
        ),
    ],
)
def test_the_rights_statement_states_a_copyright_notice_on_its_own_and_any_other_holder_as_keeping_copyright(
    holder: str | None, anonymous: bool, statement: str
) -> None:
    # Given a historic record with this holder (or none, and no publisher to default to), named or anonymous
    record = a_record(board_id=None, board_name=None, rights_holder=holder, anonymous=anonymous)
    # When the public reads its rights statement
    # Then it reads as one sentence about the holder, then why the library holds a copy
    assert rights_statement(record.public()) == statement


def test_an_anonymous_record_s_public_view_withholds_its_board_its_area_and_its_holder() -> None:
    # Given an anonymous record that names its local authority, region and holder for staff
    record = a_record(
        anonymous=True,
        rights_holder=BOARD_NAME,
        local_authority="Northshire County Council",
        region="north_east",
        related=("CR-2016-0002",),
    )
    # When the public view is made
    public = record.public()
    # Then none of them is public: the holder is "Anonymous", the area is withheld
    assert (public.rights_holder, public.local_authority, public.region) == (ANONYMOUS_PUBLISHER, None, None)
    # (nor the board's other, named, documents of the case)
    assert public.related == ()
    assert BOARD_NAME not in public.model_dump_json()
    # (staff still see them)
    assert record.local_authority == "Northshire County Council"


# ---------------------------------------------------------------- attaching a copy to a historic record


def test_only_a_record_that_never_had_a_copy_is_given_one() -> None:
    # Given a catalogue-only record, one with a copy and one whose copy was removed
    now = datetime(2026, 11, 26, tzinfo=UTC)
    catalogue_only = a_record(electronic_copy=None, version=3)
    # When a copy is attached to each
    attached = catalogue_only.with_copy_attached(available_copy(), now)
    # Then the catalogue-only record has it (a new version, deposited today); the others refuse
    assert attached.has_copy and attached.version == 4 and attached.deposited_on == now.date()
    with pytest.raises(RulingRefused, match="already has an electronic copy"):
        a_record(electronic_copy=available_copy()).with_copy_attached(available_copy(), now)
    with pytest.raises(RulingRefused, match="already had its electronic copy removed"):
        a_record(electronic_copy=removed_copy()).with_copy_attached(available_copy(), now)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("related", ["CR-2016-41"], "related.0"),
        ("age_band", "toddler", "age_band"),
        ("language", "fr", "language"),
        ("identifiers", ["x"], "identifiers.0"),
        ("child", "Child\x07 K", "child"),
    ],
)
def test_the_case_and_rights_fields_refuse_what_they_cannot_hold(field: str, value: object, problem: str) -> None:
    # Given a deposit's metadata with one bad case or rights field
    fields = metadata_fields(**{field: value})
    # When it is validated
    with pytest.raises(ValidationError) as invalid:
        ReportMetadata.model_validate(fields)
    # Then that field is what is reported
    assert error_locations(invalid.value) == {problem}
