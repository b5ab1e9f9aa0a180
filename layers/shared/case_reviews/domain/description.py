"""What describes a report: `Description`, the one list of its descriptive fields, and what is built on it
here (what a board declares with a deposit, and staff's corrections to a record's description).

Every other model that carries the descriptive fields (a record, what the public sees, a historic row,
and the outside models: API views, index documents, table items) is built from `Description`, never by
writing them again.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, model_validator

from case_reviews.domain.base import Frozen
from case_reviews.domain.dates import PublicationDate, last_day_of
from case_reviews.domain.fields import EmailAddress, Identifier, LongText, Reference, ShortName, Summary, Themes, Title
from case_reviews.domain.review_types import ALIASES, check_review_type
from case_reviews.domain.rules import check_dates_in_order
from case_reviews.domain.vocabulary import (
    AgeBand,
    DatePrecision,
    DocumentType,
    Language,
    Nation,
    Outcome,
    Region,
    ReviewForm,
    ReviewModel,
    ReviewType,
)


class Description(Frozen):
    """What the catalogue says about a report: its descriptive metadata, the same wherever it appears."""

    title: Title
    publication_date: PublicationDate
    nation: Nation
    # The old name of a type is read as the type that replaced it (child_safeguarding_practice_review).
    review_type: Annotated[
        ReviewType, BeforeValidator(lambda given: ALIASES.get(given, given) if isinstance(given, str) else given)
    ]
    # A Welsh child practice review is concise or extended.
    form: ReviewForm | None = None
    document_type: DocumentType
    commissioned_date: date | None = None
    themes: Themes = ()
    summary: Summary | None = None
    # Rights: who holds the copyright (a deposit's board unless said otherwise; "Crown copyright" for a
    # government inquiry), what else identifies the publication, and its language.
    rights_holder: ShortName | None = None
    identifiers: Annotated[tuple[Identifier, ...], Field(max_length=10)] = ()
    language: Language = Language.ENGLISH
    # The case, as the library's yearly lists describe it (all optional).
    child: ShortName | None = None
    age_band: AgeBand | None = None
    outcome: Outcome | None = None
    local_authority: ShortName | None = None
    region: Region | None = None
    review_model: ReviewModel | None = None
    learning: LongText | None = None
    recommendations: LongText | None = None
    # The same case's other documents (the overview, its executive summary, the action plan).
    related: Annotated[tuple[Reference, ...], Field(max_length=20)] = ()

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        check_dates_in_order(self.commissioned_date, last_day_of(self.publication_date))
        return self

    def check_review_type(self) -> None:
        """The type is one of the nation's, in existence when published (ValueError otherwise).

        Checked where a description comes in (a deposit, an import row, a correction), not when a
        stored record is read: the rules may be refined without making old records unreadable.
        """
        check_review_type(self.nation, self.review_type, last_day_of(self.publication_date), self.form)


DESCRIPTION_FIELDS = frozenset(Description.model_fields)


def description_of(model: Description) -> dict[str, Any]:
    """The descriptive fields of any model built on `Description`, to build another one from."""
    return model.model_dump(include=set(DESCRIPTION_FIELDS))


class ReportMetadata(Description):
    """What a board declares about a report when it asks to deposit it."""

    contact_email: EmailAddress
    anonymous: bool = False

    @model_validator(mode="after")
    def _published_on_a_day_as_its_type_allows(self) -> Self:
        published = self.publication_date
        if isinstance(published, PublicationDate) and published.precision is not DatePrecision.DAY:
            raise ValueError("a deposited report's publication_date is a day (YYYY-MM-DD)")
        self.check_review_type()
        return self


@cache
def _description_field(name: str) -> TypeAdapter[Any]:
    field = Description.model_fields[name]
    annotation = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation  # type: ignore[valid-type]
    return TypeAdapter(annotation)


class MetadataCorrection(BaseModel):
    """What staff correct in a record's description: only the fields given change (an empty summary clears it).

    Any field of `Description` may be given, each checked as the description checks it.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="allow")

    @model_validator(mode="after")
    def _fields_of_the_description(self) -> Self:
        given = self.model_extra or {}
        if not given:
            raise ValueError("give at least one field to correct")
        unknown = sorted(set(given) - DESCRIPTION_FIELDS)
        if unknown:
            raise ValueError(f"not a field of a record's description: {', '.join(unknown)}")
        for name, value in given.items():
            if value is None and Description.model_fields[name].is_required():
                raise ValueError(f"{name} cannot be cleared")
            if value is not None and not (name == "summary" and value == ""):
                given[name] = _description_field(name).validate_python(value)
        return self

    def changes(self) -> dict[str, Any]:
        """The fields given, as the record holds them."""
        given = dict(self.model_extra or {})
        if given.get("summary") == "":
            given["summary"] = None
        return given
