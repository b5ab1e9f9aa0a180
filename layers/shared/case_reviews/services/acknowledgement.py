"""Tell the board what became of its upload, and when its copy's five years end; tell staff what is ending."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.dates import day_in_words
from case_reviews.domain.errors import ServiceUnavailable
from case_reviews.domain.events import (
    Detail,
    ExpiryApproaching,
    ExpirySummaryDue,
    ReportCatalogued,
    SubmissionDuplicate,
    SubmissionRejected,
)
from case_reviews.domain.exports import record_page_link
from case_reviews.domain.records import CatalogueRecord, rights_statement
from case_reviews.domain.search import SearchHit, SearchQuery, SortOrder
from case_reviews.observability import logger
from case_reviews.ports import (
    BoardStore,
    EmailRenderer,
    Mailer,
    Once,
    RecordStore,
    RetentionStore,
    SearchIndex,
    SubmissionStore,
)

# How many records published under one of the board's names one search returns (the search's largest page).
_SEARCH_PAGE = 100
# An acknowledgement's reads that do not wait on one another go side by side, each a round trip of its own:
# the board, its deposits, the record and the submission beside the claim, and the searches by the board's
# names (one task waiting for the board, then one per name) as soon as the board is read. That one waiting task
# is why the pool needs at least two workers: the reads it waits for were queued before it, and run beside it.
_READS_AT_ONCE = 8


@dataclass(frozen=True)
class _BoardReads:
    """A board's reads for its acknowledgement, under way: the board, its deposits' references, and the
    records published under its names (searched as soon as the board is read)."""

    board: Future[Board | None]
    deposits: Future[list[str]]
    published: Future[list[SearchHit]]


def _reading_nothing_ahead(send: Callable[[Any], str]) -> Callable[[Any, Executor], Callable[[], str]]:
    """A notification whose reads all wait for its claim."""
    return lambda detail, _reads: lambda: send(detail)


class MissingForAcknowledgement(Exception):
    """The submission or record is not readable yet: redeliver."""


class Notified(BaseModel):
    """What a notification sent: its kind, and the provider's message id ("" when nothing was due)."""

    kind: str
    message_id: str


class AcknowledgementService:
    """Emails the submission's contact: an acknowledgement with the reference, or the reason for a rejection;
    the board's contacts: that a copy's five years end; staff: the copies ending soon."""

    def __init__(
        self,
        submissions: SubmissionStore,
        records: RecordStore,
        retention: RetentionStore,
        boards: BoardStore,
        search: SearchIndex,
        mailer: Mailer,
        renderer: EmailRenderer,
        once: Once,
        public_base_url: str,
        deposit_page_url: str,
        library_email: str,
        staff_email: str | None = None,
    ) -> None:
        self.submissions = submissions
        self.records = records
        self.retention = retention
        self.boards = boards
        self.search = search
        self.mailer = mailer
        self.renderer = renderer
        self.once = once
        self.public_base_url = public_base_url.rstrip("/")
        # Where a board deposits further reports, and where it writes to the library (told in the acknowledgement).
        self.deposit_page_url = deposit_page_url
        self.library_email = library_email
        # Where the daily list of copies about to be removed goes; None: no list is sent.
        self.staff_email = staff_email
        # Each kind of notification, by the event detail that asks for it: one email per occasion, ever
        # (a copy's warning once per last available day; staff's list once per day). Each starts what its
        # email reads and returns the sending.
        self._kinds: dict[type[Detail], tuple[str, Callable[[Any, Executor], Callable[[], str]]]] = {
            ReportCatalogued: ("catalogued", self._start_acknowledgement),
            SubmissionRejected: ("rejected", _reading_nothing_ahead(self._explain_rejection)),
            SubmissionDuplicate: ("duplicate", _reading_nothing_ahead(self._explain_duplicate)),
            ExpiryApproaching: ("expiring", _reading_nothing_ahead(self._warn_of_expiry)),
            ExpirySummaryDue: ("summary", _reading_nothing_ahead(self._summarise_expiry)),
        }

    def notify(self, detail: Detail) -> Notified:
        """Send the email an event asks for, once however often the event is delivered."""
        kind, start = self._kinds[type(detail)]
        with ThreadPoolExecutor(max_workers=_READS_AT_ONCE, thread_name_prefix="acknowledgement-read") as reads:
            # The email's reads go out beside its claim: they change nothing, so a repeat only wastes them (and
            # waits for them as the pool closes; what they raise then is never read, since nothing is sent).
            send = start(detail, reads)
            message_id = self.once(f"acknowledge.{kind}", detail.occasion(), send, returns=str)
        return Notified(kind=kind, message_id=message_id)

    def _send(self, to: str | Sequence[str], kind: str, values: dict[str, Any]) -> str:
        email = self.renderer.render(kind, values)
        return self.mailer.send(to, email.subject, email.text, email.html)

    def _submission(self, submission_id: str) -> Submission:
        submission = self.submissions.get_submission(submission_id)
        if submission is None:
            raise MissingForAcknowledgement(submission_id)
        return submission

    def _record_url(self, reference: str) -> str:
        return record_page_link(self.public_base_url, reference)

    def _start_acknowledgement(self, event: ReportCatalogued, reads: Executor) -> Callable[[], str]:
        """Start the acknowledgement's reads, all at once: the record, the board's when the announcement names it
        (the board, its deposits' references, and the searches by its names, which wait for the board, or for
        the record when the board is no longer on file), and the submission. An older announcement's board
        reads wait for its record, which names the board."""
        record_read = reads.submit(self.records.get_record, event.reference)
        board_reads = self._start_board_reads(event.board_id, record_read, reads) if event.board_id else None
        submission_read = reads.submit(self._submission, event.submission_id)
        return lambda: self._acknowledge(event, reads, submission_read, record_read, board_reads)

    def _start_board_reads(
        self, board_id: str, record_read: Future[CatalogueRecord | None], reads: Executor
    ) -> _BoardReads:
        board_read = reads.submit(self.boards.get_board, board_id)
        return _BoardReads(
            board=board_read,
            deposits=reads.submit(self.submissions.catalogued_references, board_id),
            published=reads.submit(self._published_under_board, board_read, record_read, reads),
        )

    def _published_under_board(
        self, board_read: Future[Board | None], record_read: Future[CatalogueRecord | None], reads: Executor
    ) -> list[SearchHit]:
        """The records published under the board's name or its aliases (a board no longer on file: the name
        its record gives), one search per name, side by side."""
        board = board_read.result()
        if board is not None:
            names: tuple[str, ...] = (board.name, *board.aliases)
        else:
            record = record_read.result()
            names = (record.board_name or "",) if record else ()
        searches = [
            reads.submit(lambda name: list(self._published_under(name)), name)
            for name in dict.fromkeys(name for name in names if name)
        ]
        return self._found(searches)

    def _acknowledge(
        self,
        event: ReportCatalogued,
        reads: Executor,
        submission_read: Future[Submission],
        record_read: Future[CatalogueRecord | None],
        board_reads: _BoardReads | None,
    ) -> str:
        """Thank the depositor; give the reference, the link, the rights and the last available day; list what the
        library holds from the board; and ask for the board's other reports."""
        record = record_read.result()
        if record is None:
            raise MissingForAcknowledgement(event.reference)
        if board_reads is None:
            board_reads = self._start_board_reads(
                record.board_id or submission_read.result().board_id, record_read, reads
            )
        board = board_reads.board.result()
        published = board_reads.published.result()
        submission = submission_read.result()
        # The deposits the searches found (by the board's name) are not read again: only the others (its
        # anonymous ones, any the index does not hold yet) are read from the catalogue.
        known = {record.reference, *(hit.reference for hit in published)}
        deposited = self.records.get_records([ref for ref in board_reads.deposits.result() if ref not in known])
        holdings = self._held_from_board(record, deposited, published)
        copy = record.electronic_copy
        board_name = record.board_name or (board.name if board else "your board")
        # The holder the record names (a deposit's board unless the board named another). The board is told it
        # even of its anonymous report, which the public sees without it: the email is the board's own.
        holder = record.rights_holder or board_name
        rights = rights_statement(record.public().model_copy(update={"anonymous": False, "rights_holder": holder}))
        return self._send(
            submission.metadata.contact_email,
            "report_catalogued",
            {
                "reference": record.reference,
                "anonymous": record.anonymous,
                "title": record.title,
                "publication_date": record.publication_date.in_words(),
                "publisher": record.publisher,
                "rights_holder": holder,
                "rights_statement": rights,
                "available_until": day_in_words(copy.available_until) if copy else None,
                "record_url": self._record_url(record.reference),
                "holdings": [self._holding(held) for held in holdings],
                "deposit_url": self.deposit_page_url,
                "library_email": self.library_email,
            },
        )

    @staticmethod
    def _held_from_board(
        just_catalogued: CatalogueRecord, deposited: list[CatalogueRecord], published: list[SearchHit]
    ) -> list[CatalogueRecord | SearchHit]:
        """What the library holds from the board, each record once, by publication date: the records of its
        catalogued submissions, and the records published under its name or one of its aliases (historic
        imports, a copy attached by staff), which no submission of the board leads to. The record just
        catalogued is always among them (the index may not hold it yet). Its own anonymous deposits are
        listed too: the email goes to the board alone."""
        held: dict[str, CatalogueRecord | SearchHit] = {hit.reference: hit for hit in published}
        held.update({record.reference: record for record in deposited})
        held[just_catalogued.reference] = just_catalogued
        return sorted(held.values(), key=lambda record: (record.publication_date.value, record.reference))

    @staticmethod
    def _found(searches: list[Future[list[SearchHit]]]) -> list[SearchHit]:
        """What the searches by the board's names found. A search index that cannot answer leaves them out: the
        acknowledgement is not held back by it, and lists what the board deposited."""
        found: list[SearchHit] = []
        for search in searches:
            try:
                found += search.result()
            except ServiceUnavailable:
                logger.warning("The search index did not answer: the acknowledgement lists the board's deposits only")
        return found

    def _published_under(self, name: str) -> Iterator[SearchHit]:
        """The records whose public publisher is this name, exactly (the search's `board` filter), page by page.
        An anonymous record's publisher is "Anonymous" in the index, so no name finds one; a hit that says it
        is anonymous is skipped all the same: a name match must never tie a board to one."""
        query = SearchQuery(board=name, sort=SortOrder.OLDEST, page_size=_SEARCH_PAGE, hits_only=True)
        while True:
            page = self.search.search(query)
            yield from (hit for hit in page.hits if not hit.anonymous)
            if page.next_search_after is None or not page.hits:
                break
            query = query.model_copy(update={"search_after": page.next_search_after})

    @staticmethod
    def _holding(record: CatalogueRecord | SearchHit) -> dict[str, Any]:
        return {
            "reference": record.reference,
            "title": record.title,
            "publication_date": record.publication_date.in_words(),
            "anonymous": record.anonymous,
        }

    def _explain_rejection(self, event: SubmissionRejected) -> str:
        submission = self._submission(event.submission_id)
        return self._send(
            submission.metadata.contact_email,
            "submission_rejected",
            {"title": submission.metadata.title, "submission_id": submission.submission_id, "reason": event.reason},
        )

    def _explain_duplicate(self, event: SubmissionDuplicate) -> str:
        """Tell the board its upload is a file the library already holds, and under which reference."""
        submission = self._submission(event.submission_id)
        return self._send(
            submission.metadata.contact_email,
            "submission_duplicate",
            {
                "title": submission.metadata.title,
                "submission_id": submission.submission_id,
                "reference": event.reference,
                "record_url": self._record_url(event.reference),
            },
        )

    def _warn_of_expiry(self, event: ExpiryApproaching) -> str:
        """Warn the board's current contacts (those staff keep) that the copy's five years end, or, for a board
        with none, the contact of the deposit. Nothing when the record changed meanwhile (held, given another
        date, removed) or there is nobody to tell (a historic entry). Returns the SES id or ""."""
        record = self.records.get_record(event.reference)
        if record is None:
            raise MissingForAcknowledgement(event.reference)
        copy = record.electronic_copy
        if copy is None or not record.has_copy or copy.held or copy.available_until != event.available_until:
            logger.info("No expiry warning: the copy changed since the run", extra={"reference": event.reference})
            return ""
        recipients = self._board_contacts(record)
        if not recipients:
            logger.info("No expiry warning: the record has no contact", extra={"reference": event.reference})
            return ""
        return self._send(
            recipients,
            "expiry_warning",
            {
                "reference": record.reference,
                "title": record.title,
                "available_until": day_in_words(copy.available_until),
                "removed_on": day_in_words(copy.available_until + timedelta(days=1)),
                "record_url": self._record_url(record.reference),
            },
        )

    def _board_contacts(self, record: CatalogueRecord) -> tuple[str, ...]:
        """Who to tell about a record's copy: its board's contacts, else whoever deposited it, else nobody."""
        board = self.boards.get_board(record.board_id) if record.board_id else None
        if board is not None and board.contacts:
            return board.contacts
        submission = self.submissions.get_submission(record.submission_id) if record.submission_id else None
        return (submission.metadata.contact_email,) if submission else ()

    def _summarise_expiry(self, event: ExpirySummaryDue) -> str:
        """Email staff the copies whose last available day is in the run's window (`as_of` to `until`, the next
        30 days), read now (a copy held since is left out); nothing without a staff address or a copy to list."""
        if not self.staff_email:
            logger.info("No expiry summary: STAFF_EMAIL is not set")
            return ""
        copies = [
            {
                "reference": record.reference,
                "title": record.title,
                # Staff see the board even of an anonymous report.
                "board": record.board_name or record.publisher,
                "available_until": day_in_words(record.electronic_copy.available_until),
                "record_url": self._record_url(record.reference),
            }
            for record in self.retention.copies_expiring(event.as_of, event.until)
            if record.electronic_copy is not None
        ]
        if not copies:
            return ""
        return self._send(
            self.staff_email,
            "expiry_summary",
            {"copies": copies, "as_of": day_in_words(event.as_of), "until": day_in_words(event.until)},
        )
