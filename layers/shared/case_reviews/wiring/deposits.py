"""Part of bootstrap: the services of a deposit's way in, from the board's upload to its acknowledgement.

Boards and their submissions, cataloguing (with the PDF inspector), the library's review and publication,
copies attached later, indexing, and the acknowledgement email.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from case_reviews.wiring.adapters import AdapterWiring

if TYPE_CHECKING:
    from case_reviews.services.acknowledgement import AcknowledgementService
    from case_reviews.services.attachment import CopyAttachmentService
    from case_reviews.services.boards import BoardService
    from case_reviews.services.catalogue import CatalogueService
    from case_reviews.services.indexing import IndexingService
    from case_reviews.services.publication import DepositPublication
    from case_reviews.services.review import LibraryReview
    from case_reviews.services.submissions import SubmissionService


class DepositWiring(AdapterWiring):
    """The deposit services of `bootstrap.Services`, each made on first use."""

    @cached_property
    def boards(self) -> BoardService:
        from case_reviews.services.boards import BoardService

        return BoardService(self.boards_store, self.clock)

    @cached_property
    def submissions(self) -> SubmissionService:
        from case_reviews.services.submissions import SubmissionService

        storage = self.settings.storage
        return SubmissionService(
            self.submissions_store,
            self.files,
            self.clock,
            storage.max_upload_bytes,
            storage.upload_url_ttl_seconds,
            records=self.records_store,
        )

    @cached_property
    def catalogue(self) -> CatalogueService:
        from case_reviews.services.catalogue import CatalogueService

        return CatalogueService(
            submissions=self.submissions_store,
            records=self.records_store,
            boards=self.boards_store,
            store=self.files,
            inspector=self.pdf_inspector,
            events=self.events,
            once=self.once,
            clock=self.clock,
            max_bytes=self.settings.storage.max_upload_bytes,
            publication=self.publication,
            review_every_deposit=self.settings.review.review_every_deposit,
        )

    @cached_property
    def publication(self) -> DepositPublication:
        from case_reviews.services.publication import DepositPublication

        return DepositPublication(self.records_store, self.boards_store, self.files, self.events)

    @cached_property
    def review(self) -> LibraryReview:
        from case_reviews.services.review import LibraryReview

        return LibraryReview(self.submissions_store, self.files, self.events, self.clock, self.publication)

    @cached_property
    def attachment(self) -> CopyAttachmentService:
        from case_reviews.services.attachment import CopyAttachmentService

        return CopyAttachmentService(
            records=self.records_store,
            store=self.files,
            inspector=self.pdf_inspector,
            events=self.events,
            clock=self.clock,
            max_bytes=self.settings.storage.max_upload_bytes,
        )

    @cached_property
    def indexing(self) -> IndexingService:
        from case_reviews.services.indexing import IndexingService

        return IndexingService(self.records_store, self.files, self.search_index)

    @cached_property
    def acknowledgements(self) -> AcknowledgementService:
        from case_reviews.services.acknowledgement import AcknowledgementService

        mail = self.settings.mail
        return AcknowledgementService(
            submissions=self.submissions_store,
            records=self.records_store,
            retention=self.retention_store,
            boards=self.boards_store,
            # The searches' reader, which fails fast: a search index that is down leaves the acknowledgement's
            # list to what the board deposited, rather than holding the email back.
            search=self.public_search,
            mailer=self.mailer,
            renderer=self.renderer,
            once=self.once,
            public_base_url=str(mail.public_base_url),
            deposit_page_url=mail.deposit_page,
            library_email=mail.library_contact_email,
            staff_email=mail.staff_email,
        )
