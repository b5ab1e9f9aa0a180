"""Part of bootstrap: the services the public reads through (the API and the site): search, learning, health."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from case_reviews.wiring.adapters import AdapterWiring

if TYPE_CHECKING:
    from case_reviews.services.health import HealthService
    from case_reviews.services.learning import LearningService
    from case_reviews.services.search import SearchService


class ReadingWiring(AdapterWiring):
    """The public's reading services of `bootstrap.Services`, each made on first use."""

    @cached_property
    def search(self) -> SearchService:
        from case_reviews.services.search import SearchService

        return SearchService(
            self.records_store,
            self.public_search,
            self.files,
            self.clock,
            self.settings.storage.download_url_ttl_seconds,
        )

    @cached_property
    def learning(self) -> LearningService:
        from case_reviews.services.learning import LearningService

        # The API's and the site's reads: the fail-fast client behind the breaker, as searches.
        return LearningService(self.records_store, self.public_search, self.clock)

    @cached_property
    def health(self) -> HealthService:
        from case_reviews.services.health import HealthService

        return HealthService({"catalogue": self.table.ping, "search": self.public_search.ping})
