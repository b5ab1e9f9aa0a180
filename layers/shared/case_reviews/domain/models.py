"""The catalogue's domain models: what describes a report, boards, submissions and catalogue records.

`Description` is the one list of a report's descriptive fields. Every other model that carries
them (what a board declares, a record, what the public sees, a historic row, and the outside
models: API views, index documents, table items) is built from it, never by writing them again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_serializer,
    model_validator,
)

from case_reviews.domain.errors import InvalidRequest, RulingRefused
from case_reviews.domain.fields import (  # noqa: F401 - the models' field types, imported from here too
    BoardAliases,
    Contacts,
    EmailAddress,
    Identifier,
    LongText,
    Reference,
    ShortName,
    Summary,
    Theme,
    Themes,
    Title,
)
from case_reviews.domain.files import report_key, text_key
from case_reviews.domain.holds import CheckedCopy, ReviewHold
from case_reviews.domain.review_types import ALIASES, check_review_type
from case_reviews.domain.rules import available_until, check_dates_in_order
from case_reviews.domain.vocabulary import (
    AgeBand,
    CopyStatus,
    DatePrecision,
    DocumentType,
    Language,
    Nation,
    Outcome,
    Region,
    ReviewForm,
    ReviewModel,
    ReviewType,
    SubmissionStatus,
)

ANONYMOUS_PUBLISHER = "Anonymous"
# Month names for labels, whatever the machine's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class _Frozen(BaseModel):
    # defer_build (here and on the domain's other models): a validator is built when first used, so a
    # cold start builds only the models its first request touches.
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")


class PublicationDate(_Frozen):
    """A publication date known to a year, a month or a day (`value` is the first day of the period).

    Written as it is known: `1973`, `1973-05` or `1973-05-14` (it dumps to that text, and reads it back).
    """

    value: date
    precision: DatePrecision = DatePrecision.DAY

    @model_validator(mode="before")
    @classmethod
    def _from_text_or_day(cls, given: Any) -> Any:
        if isinstance(given, str):
            return cls._fields_of(given)
        if isinstance(given, date):
            return {"value": given, "precision": DatePrecision.DAY}
        return given

    @model_serializer
    def _as_text(self) -> str:
        return str(self)

    @staticmethod
    def _fields_of(text: str) -> dict[str, Any]:
        text = text.strip()
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not match:
            raise ValueError(f"{text!r} is not a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)")
        year, month, day = match.groups()
        precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        try:
            first_day = date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date ({error})") from None
        return {"value": first_day, "precision": precision}

    @classmethod
    def parse(cls, text: str) -> PublicationDate:
        """Read `1973`, `1973-05` or `1973-05-14` (ValueError for anything else)."""
        return cls.model_construct(**cls._fields_of(text))

    def last_day(self) -> date:
        """The last day of the period (the year, the month or the day itself)."""
        match self.precision:
            case DatePrecision.YEAR:
                return date(self.value.year, 12, 31)
            case DatePrecision.MONTH:
                following = date(self.value.year + self.value.month // 12, self.value.month % 12 + 1, 1)
                return date.fromordinal(following.toordinal() - 1)
            case _:
                return self.value

    @property
    def approximate(self) -> bool:
        """Known only to the year or the month."""
        return self.precision is not DatePrecision.DAY

    def in_words(self) -> str:
        """As much as is known, in words: "14 May 1973", "May 1973" or "1973"."""
        match self.precision:
            case DatePrecision.YEAR:
                return f"{self.value.year}"
            case DatePrecision.MONTH:
                return f"{MONTH_NAMES[self.value.month - 1]} {self.value.year}"
            case _:
                return day_in_words(self.value)

    def label(self) -> str:
        """As the yearly lists write it: "14 May 1973", "May 1973, day unknown", "1973, month unknown"."""
        unknown = {DatePrecision.YEAR: ", month unknown", DatePrecision.MONTH: ", day unknown"}
        return self.in_words() + unknown.get(self.precision, "")

    def __str__(self) -> str:
        match self.precision:
            case DatePrecision.YEAR:
                return f"{self.value.year:04d}"
            case DatePrecision.MONTH:
                return f"{self.value.year:04d}-{self.value.month:02d}"
            case _:
                return self.value.isoformat()


def day_in_words(day: date) -> str:
    """A day as people write it, whatever the machine's locale: "26 November 2031"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def last_day_of(published: PublicationDate | date | str) -> date:
    """The last day a publication date covers, whichever form it is given in."""
    if isinstance(published, str):
        return PublicationDate.parse(published).last_day()
    return published.last_day() if isinstance(published, PublicationDate) else published


class Description(_Frozen):
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


class Board(_Frozen):
    """A local safeguarding board (or partnership): the copyright holder of what it deposits.

    Staff keep its `contacts` (who the library writes to about the board's copies, whoever deposited
    them) and its `aliases` (the other names its reports may use for it).
    """

    board_id: str
    name: str
    active: bool = True
    contacts: Contacts = ()
    aliases: BoardAliases = ()
    # Staff check every deposit of this board before it is published (the library's cataloguing step).
    review_every_deposit: bool = False

    def with_contacts(self, addresses: Sequence[str]) -> Board:
        """The board with these contact addresses instead of its own: at least one, each an email address."""
        if not addresses:
            raise InvalidRequest(f"Give {self.board_id} at least one contact address.", location="contacts")
        for address in addresses:
            try:
                _EMAIL_ADDRESS.validate_python(address)
            except ValidationError:
                raise InvalidRequest(
                    f"{address!r} is not an email address (one @, a dot in the domain, no spaces).",
                    location="contacts",
                ) from None
        return self._with(contacts=tuple(addresses))

    def with_aliases(self, aliases: Sequence[str]) -> Board:
        """The board with these aliases instead of its own (none clears them); each once, whatever its case."""
        return self._with(aliases=tuple(aliases))

    def with_review_policy(self, review_every_deposit: bool) -> Board:
        """The board whose every deposit staff check first, or (False) only those the checks hold."""
        return self._with(review_every_deposit=review_every_deposit)

    def _with(self, **changes: Any) -> Board:
        try:
            return Board.model_validate({**self.model_dump(), **changes})
        except ValidationError as error:
            reasons = "; ".join(f"{item['input']!r}: {item['msg']}" for item in error.errors())
            raise InvalidRequest(f"{self.board_id}: {reasons}.", location=", ".join(changes)) from error


_EMAIL_ADDRESS: TypeAdapter[str] = TypeAdapter(EmailAddress, config=ConfigDict(defer_build=True))


class Credential(_Frozen):
    """A board's key, known only by its hash; a key is good while it is live and its board active."""

    key_hash: str
    board_id: str
    created_at: datetime
    revoked: bool = False
    revoked_at: datetime | None = None

    def admits(self, board: Board | None) -> bool:
        """Whether this key lets `board` in: not revoked, and the board it belongs to still active."""
        return not self.revoked and board is not None and board.board_id == self.board_id and board.active


class Submission(_Frozen):
    """One board's request to deposit one file, from presigned upload to its outcome."""

    submission_id: str
    board_id: str
    metadata: ReportMetadata
    status: SubmissionStatus
    upload_key: str
    created_at: datetime
    updated_at: datetime
    reference: str | None = None
    reason: str | None = None
    # While `in_review`: why it waits, and the checked copy staff may publish.
    hold: ReviewHold | None = None


class PublicCopy(_Frozen):
    """What the public may know of an electronic copy: whether it is there, until when, or when it went."""

    status: CopyStatus
    available_until: date | None = None
    removed_on: date | None = None
    # The public, neutral reason (a take-down's code is in the audit trail, for staff only).
    removal_reason: str | None = None


class ElectronicCopy(PublicCopy):
    """The deposited PDF and its extracted text, while the library holds them."""

    # Where the file and its text are while the library holds them (None once removed).
    object_key: str | None = None
    text_key: str | None = None
    sha256: str
    size_bytes: int
    page_count: int
    available_until: date
    # A legal hold keeps the copy past its available_until until released; its reason is staff-only.
    held: bool = False
    hold_reason: str | None = None
    # Characters of extracted text (capped); None for records catalogued before it was counted.
    text_chars: int | None = None
    # False for a scanned report without text: staff may want to ask the board for an accessible copy.
    text_layer: bool = True
    # True when the stored copy lost its metadata, annotations, form, outline and page labels (an anonymous
    # report; domain/pdf_policy.py lists every place).
    metadata_stripped: bool = False


def new_copy(reference: str, checked: CheckedCopy, deposited_on: date) -> ElectronicCopy:
    """The electronic copy of a file that passed its checks, available for five years from `deposited_on`."""
    return ElectronicCopy(
        status=CopyStatus.AVAILABLE,
        object_key=report_key(reference),
        text_key=text_key(reference),
        available_until=available_until(deposited_on),
        **checked.model_dump(),
    )


class PublicRecord(Description):
    """What the public may know of a record: its description, its publisher (never an anonymous
    report's board) and its copy's state. Search hits, index documents and API views build on it."""

    reference: str
    publisher: str
    anonymous: bool = False
    electronic_copy: PublicCopy | None = None


ANONYMOUS_RIGHTS_STATEMENT = (
    "Published anonymously on behalf of a safeguarding board, which keeps its copyright. "
    "The library holds a copy to share the learning from it."
)
UNNAMED_RIGHTS_STATEMENT = (
    "The catalogue does not name the copyright holder. The library holds a copy to share the learning from it."
)


def rights_statement(record: PublicRecord) -> str:
    """Whose the copyright is, in words for the public; an anonymous report's names no board."""
    if record.anonymous:
        return ANONYMOUS_RIGHTS_STATEMENT
    if not record.rights_holder:
        return UNNAMED_RIGHTS_STATEMENT
    return f"Copyright remains with {record.rights_holder}. The library holds a copy to share the learning from it."


class CatalogueRecord(Description):
    """A catalogue entry: it outlives the electronic copy, and may never have had one (historic records)."""

    reference: str
    # The depositing board; a historic record has only the publisher's name (board_name), or neither.
    board_id: str | None = None
    board_name: str | None = None
    anonymous: bool = False
    submission_id: str | None = None
    deposited_on: date | None = None
    electronic_copy: ElectronicCopy | None = None
    created_at: datetime
    updated_at: datetime
    # Bumped on every change; the search index uses it to ignore stale writes.
    version: int = 1

    @property
    def publisher(self) -> str:
        """The name shown to the public: an anonymous report never names its board."""
        if self.anonymous or not self.board_name:
            return ANONYMOUS_PUBLISHER
        return self.board_name

    @property
    def has_copy(self) -> bool:
        return self.electronic_copy is not None and self.electronic_copy.status is CopyStatus.AVAILABLE

    def public(self) -> PublicRecord:
        """The record as the public may see it (read by name: the copy keeps only its public fields).

        An anonymous report names no board anywhere public: not as publisher, not as rights holder,
        and not by its area (local authority and region are withheld too).
        """
        view = PublicRecord.model_validate(self, from_attributes=True)
        if self.anonymous:
            # `related` too: it would tie the record to the same board's named ones.
            withheld = {"rights_holder": ANONYMOUS_PUBLISHER, "local_authority": None, "region": None, "related": ()}
            return view.model_copy(update=withheld)
        return view.model_copy(update={"rights_holder": self.rights_holder or self.board_name})

    def with_copy_removed(self, removed_on: date, reason: str, now: datetime) -> CatalogueRecord:
        """The record once its file is gone: the copy's facts (checksum, size, pages) and the record stay."""
        assert self.electronic_copy is not None, "a record without a copy has nothing to remove"
        copy = self.electronic_copy.model_copy(
            update={
                "status": CopyStatus.REMOVED,
                "object_key": None,
                "text_key": None,
                "removed_on": removed_on,
                "removal_reason": reason,
            }
        )
        return self.model_copy(update={"electronic_copy": copy, "updated_at": now, "version": self.version + 1})

    def check_can_attach(self) -> None:
        """Only a catalogue-only record is given a copy: one whose copy was removed does not get another
        (the five-year rule, or a take-down, ended it)."""
        if self.electronic_copy is not None:
            state = "has an electronic copy" if self.has_copy else "had its electronic copy removed"
            raise RulingRefused(f"{self.reference} already {state}; only a catalogue-only record is given one.")

    def with_copy_attached(self, copy: ElectronicCopy, now: datetime) -> CatalogueRecord:
        """A catalogue-only record given its first electronic copy (staff attach a file to a historic record)."""
        self.check_can_attach()
        return self.model_copy(
            update={"electronic_copy": copy, "deposited_on": now.date(), "updated_at": now, "version": self.version + 1}
        )

    # ---- staff corrections to the metadata

    def with_metadata(self, correction: MetadataCorrection, now: datetime) -> CatalogueRecord:
        """The record with staff's corrections; the reference never changes (it is cited)."""
        changes = correction.changes()
        try:
            corrected = CatalogueRecord.model_validate({**self.model_dump(), **changes})
        except ValidationError as error:
            reasons = "; ".join(item["msg"].removeprefix("Value error, ") for item in error.errors())
            raise RulingRefused(f"{self.reference}: {reasons}.") from error
        if all(getattr(corrected, name) == getattr(self, name) for name in changes):
            raise RulingRefused(f"{self.reference} already reads like that: nothing to change.")
        try:
            corrected.check_review_type()
        except ValueError as error:
            raise RulingRefused(f"{self.reference}: {error}.") from error
        return corrected.model_copy(update={"updated_at": now, "version": self.version + 1})

    # ---- legal rulings: each checks it applies, and returns the next version of the record

    def _available_copy(self, ruling: str) -> ElectronicCopy:
        if not self.has_copy or self.electronic_copy is None:
            raise RulingRefused(f"{self.reference} has no available electronic copy to {ruling}.")
        return self.electronic_copy

    def _with_copy(self, now: datetime, **changes: Any) -> CatalogueRecord:
        copy = self._available_copy("change").model_copy(update=changes)
        return self.model_copy(update={"electronic_copy": copy, "updated_at": now, "version": self.version + 1})

    def with_hold(self, reason: str, now: datetime) -> CatalogueRecord:
        """The record under a legal hold: its copy stays past its last available day until released."""
        if self._available_copy("hold").held:
            raise RulingRefused(f"{self.reference} is already on legal hold.")
        return self._with_copy(now, held=True, hold_reason=reason)

    def with_hold_released(self, now: datetime) -> CatalogueRecord:
        """The hold lifted: the five-year rule (or the extended date) applies again."""
        if not self._available_copy("release").held:
            raise RulingRefused(f"{self.reference} is not on legal hold.")
        return self._with_copy(now, held=False, hold_reason=None)

    def with_available_until(self, until: date, now: datetime) -> CatalogueRecord:
        """The copy available until `until` (later or earlier; a past day makes it due at the next run)."""
        copy = self._available_copy("extend")
        if until == copy.available_until:
            raise RulingRefused(f"{self.reference} is already available until {until.isoformat()}.")
        return self._with_copy(now, available_until=until)

    def check_can_take_down(self) -> None:
        """A take-down needs a copy, and a hold is a ruling to keep it: release it first."""
        if self._available_copy("take down").held:
            raise RulingRefused(f"{self.reference} is on legal hold: release it before taking the copy down.")


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


def deposited_record(
    submission: Submission, reference: str, board: Board | None, checked: CheckedCopy, now: datetime
) -> CatalogueRecord:
    """The record a board's deposit becomes, published `now` (at once, or when staff approve a held one):
    copyright stays with the board unless it names another holder; the copy is available five years."""
    metadata = submission.metadata
    board_name = board.name if board else None
    deposited_on = now.date()
    return CatalogueRecord(
        **{**description_of(metadata), "rights_holder": metadata.rights_holder or board_name},
        reference=reference,
        board_id=submission.board_id,
        board_name=board_name,
        anonymous=metadata.anonymous,
        submission_id=submission.submission_id,
        deposited_on=deposited_on,
        electronic_copy=new_copy(reference, checked, deposited_on),
        created_at=now,
        updated_at=now,
    )
