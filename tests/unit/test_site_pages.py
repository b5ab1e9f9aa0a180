"""The site's pages, rendered through the site function's resolver with in-memory services."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest

from case_reviews import bootstrap
from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.opensearch.queries import FACET_FIELDS
from case_reviews.api.front import handle
from case_reviews.config import Settings
from case_reviews.domain.boards import Board
from case_reviews.domain.headings import CASE_FACTS, FACET_HEADINGS, RELATED_HEADING
from case_reviews.domain.search import FacetCount, SearchPage, SearchQuery, YearListing
from case_reviews.domain.vocabulary import AgeBand, Outcome, Region, ReviewModel, SubmissionStatus
from case_reviews.services.boards import BoardService
from case_reviews.services.search import SearchService
from case_reviews.services.submissions import SubmissionService
from case_reviews.site.app import build_site
from case_reviews.site.deposit_form import split_list
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from tests.support.events import load_event
from tests.unit.factories import a_hit, a_record, removed_copy
from tests.unit.fakes import InMemoryBoardStore, InMemoryRecordStore, InMemorySubmissionStore, RecordingUploads

BASE_URL = "https://reviews.library.example.org/v1"
BOARD = Board(board_id="northshire-1a2b3c", name="Northshire Safeguarding Children Partnership")
# What Chromium asks for when it opens a page.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
HOSTILE_TITLE = 'Serious Case Review <script>alert("x")</script> & "Child K"'


@dataclass
class FakeIndex:
    """The SearchIndex port's reads: the hits it is given, and the queries it was asked."""

    hits: list[Any] = field(default_factory=list)
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    next_search_after: tuple[Any, ...] | None = None
    asked: list[SearchQuery] = field(default_factory=list)

    def search(self, query: SearchQuery) -> SearchPage:
        self.asked.append(query)
        return SearchPage(
            total=len(self.hits), hits=tuple(self.hits), facets=self.facets, next_search_after=self.next_search_after
        )

    def published_in(self, year: int) -> YearListing:
        return YearListing(year=year, total=len(self.hits), hits=tuple(self.hits), totals_by_review_type={})


@dataclass
class Site:
    """The site's resolver over in-memory services; `get`/`post` answer as the site function would."""

    services: Any
    index: FakeIndex
    records: InMemoryRecordStore
    submissions: InMemorySubmissionStore
    uploads: RecordingUploads
    key: str
    app: Any = None

    def answer(
        self, method: str, target: str, form: dict[str, Any] | None = None, accept: str = BROWSER_ACCEPT
    ) -> dict[str, Any]:
        if self.app is None:
            self.app = build_site()
        body = urlencode(form or {}, doseq=True) if method == "POST" else None
        headers = {
            "Accept": accept,
            **({"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}),
        }
        response = handle(self.app, proxy_event(method, target, headers, body), LocalContext(function_name="site"))
        headers = {name: values[-1] for name, values in response["multiValueHeaders"].items()}
        return {"status": response["statusCode"], "headers": headers, "body": response["body"]}

    def get(self, target: str) -> dict[str, Any]:
        return self.answer("GET", target)

    def post(self, target: str, form: dict[str, Any]) -> dict[str, Any]:
        return self.answer("POST", target, form)


@pytest.fixture
def site(clock: SetClock) -> Iterator[Site]:
    boards = BoardService(InMemoryBoardStore(), clock)
    boards.store.save_board(BOARD, created_at=clock.now())
    key = boards.issue_key(BOARD.board_id)
    records = InMemoryRecordStore()
    index = FakeIndex()
    submissions = InMemorySubmissionStore()
    uploads = RecordingUploads()
    services = SimpleNamespace(
        settings=Settings({"PUBLIC_BASE_URL": BASE_URL}),
        clock=clock,
        boards=boards,
        search=SearchService(records, index, uploads, clock, 300),  # type: ignore[arg-type]
        submissions=SubmissionService(submissions, uploads, clock, 50 * 1024 * 1024, 900, records=records),  # type: ignore[arg-type]
        # The record page lists records like it (test_site_learning_pages.py shows them).
        learning=SimpleNamespace(similar=lambda reference: ()),
    )
    bootstrap.install(services)  # type: ignore[arg-type]
    yield Site(services, index, records, submissions, uploads, key)
    bootstrap.install(None)


def deposit_form(key: str, **changes: Any) -> dict[str, Any]:
    """What the deposit page posts for a valid report (as a browser sends the fields)."""
    return {
        "board_key": key,
        "title": "Serious Case Review: Child K — Overview Report",
        "nation": "england",
        "review_type": "serious_case_review",
        "document_type": "overview_report",
        "publication_date-day": "14",
        "publication_date-month": "3",
        "publication_date-year": "2016",
        "commissioned_date-day": "",
        "commissioned_date-month": "",
        "commissioned_date-year": "",
        "themes": "Neglect; multi-agency working, CSE",
        "summary": "Learning about neglect.",
        "contact_email": "Business.Manager@board.example",
        **changes,
    }


def labels_of(page: str) -> dict[str, str]:
    """Each <label>'s words by the id of the input it names."""
    return {
        target: " ".join(words.split())
        for target, words in re.findall(r'<label[^>]*for="([^"]+)"[^>]*>(.*?)</label>', page, re.S)
    }


def error_links(page: str) -> list[tuple[str, str]]:
    """The error summary's links: where each goes, and what it says."""
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    return [(href, html.unescape(" ".join(text.split()))) for href, text in links]


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize(
    "target", ["/", "/search?q=neglect", "/record/CR-2016-0001", "/published/2016", "/deposit", "/nowhere"]
)
def test_every_page_is_for_people_only_loads_the_products_own_files_and_cannot_be_framed(
    site: Site, target: str
) -> None:
    # Given a catalogue with one record
    site.records.records["CR-2016-0001"] = a_record()
    site.index.hits = [a_hit()]
    # When a browser opens the page
    page = site.get(target)
    # Then it is HTML that asks not to be indexed, in its markup and its header
    assert page["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert '<meta name="robots" content="noindex, nofollow">' in page["body"]
    assert page["headers"]["X-Robots-Tag"] == "noindex, nofollow"
    # And it may run and style itself only from the product's own files, and never be framed
    policy = dict(part.strip().split(" ", 1) for part in page["headers"]["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert page["headers"]["X-Frame-Options"] == "DENY"
    # And its links are under the public base URL's path (the stage), its assets named by their digest
    assert re.search(r'<script src="/v1/static/site\.js\?v=[0-9a-f]{12}" defer>', page["body"])
    assert 'href="/v1/deposit"' in page["body"]


def test_a_title_with_markup_is_shown_as_text_everywhere(site: Site) -> None:
    # Given a record whose title holds markup, and a highlight with markup besides its <mark>s
    site.records.records["CR-2016-0001"] = a_record(title=HOSTILE_TITLE)
    site.index.hits = [a_hit(title=HOSTILE_TITLE, highlights=("<b>children</b> were <mark>neglected</mark>",))]
    # When its record page and the results are rendered
    for target in ("/record/CR-2016-0001", "/search?q=neglected"):
        body = site.get(target)["body"]
        # Then the title is escaped, never markup
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Child K&#34;" in body
    # And a highlight keeps only its <mark>s as markup
    results = site.get("/search?q=neglected")["body"]
    assert "&lt;b&gt;children&lt;/b&gt; were <mark>neglected</mark>" in results


def test_static_files_are_served_by_the_product_itself(site: Site) -> None:
    # When the stylesheet and the script are asked for (as the pages link them, and without the digest)
    page = site.get("/")["body"]
    stylesheet = re.search(r'href="/v1(/static/site\.css\?v=[0-9a-f]+)"', page)
    assert stylesheet
    css = site.get(stylesheet.group(1))
    js = site.get("/static/site.js")
    # Then each comes with its type; the named version may be kept, the bare name is checked again
    assert css["status"] == 200 and css["headers"]["Content-Type"].startswith("text/css")
    assert css["headers"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert js["headers"]["Content-Type"].startswith("text/javascript") and js["headers"]["Cache-Control"] == "no-cache"
    # And nothing else is served from there
    assert site.get("/static/..%2Fpages.py")["status"] == 404
    assert site.get("/static/templates")["status"] == 404


# ---------------------------------------------------------------- search, records and yearly lists


def test_the_home_page_has_the_search_box_the_latest_additions_and_the_yearly_lists(
    site: Site, clock: SetClock
) -> None:
    # Given a deposit catalogued yesterday
    site.records.records["CR-2016-0001"] = a_record(created_at=clock.now() - timedelta(days=1))
    # When the home page is opened
    body = site.get("/")["body"]
    # Then it has the labelled search box, the new record, and every yearly list from 1945 to this year
    assert labels_of(body)["q"] == "Search case reviews"
    assert 'href="/v1/record/CR-2016-0001"' in body
    assert f'href="/v1/published/{clock.now().year}"' in body and 'href="/v1/published/1945"' in body


def test_results_show_the_total_facets_as_filter_links_and_a_next_page(site: Site) -> None:
    # Given a search with results, facets and a further page
    site.index.hits = [a_hit()]
    site.index.facets = {
        "nation": (FacetCount(value="england", count=30, label="England"),),
        "theme": (FacetCount(value="neglect", count=12, label="Neglect"),),
        "year": (FacetCount(value="2016", count=4, label="2016"),),
    }
    site.index.next_search_after = (1.5, "2016-03-14", "CR-2016-0001")
    # When someone searches for a word within England
    body = site.get("/search?q=neglect&nation=england")["body"]
    # Then the total and each facet value's count are shown, each value a link that adds (or removes) it
    assert "1 case review found" in body
    assert 'href="/v1/search?q=neglect"' in body  # England is chosen: its link takes it away
    assert 'href="/v1/search?q=neglect&amp;nation=england&amp;theme=neglect"' in body
    assert 'href="/v1/search?q=neglect&amp;nation=england&amp;year=2016"' in body
    assert 'Neglect <span class="count">(12)</span>' in body
    # And the next page goes on with the same search
    next_page = re.search(r'<a class="button secondary" href="([^"]+)" rel="next">Next page</a>', body)
    assert next_page and next_page.group(1).startswith("/v1/search?q=neglect&amp;nation=england&amp;cursor=")
    # And the search asked for was the page's
    assert site.index.asked[-1].text == "neglect" and site.index.asked[-1].nations == ("england",)


def test_the_results_offer_every_facet_the_api_counts_under_the_domains_headings(site: Site) -> None:
    # Given a search whose facets count the case fields too (as GET /reviews' do)
    site.index.hits = [a_hit()]
    site.index.facets = {
        "outcome": (FacetCount(value="death", count=3, label="Death"),),
        "age_band": (FacetCount(value="under_1", count=2, label="Under 1 year"),),
        "review_model": (FacetCount(value="silp", count=1, label="SILP (Significant Incident Learning Process)"),),
        "region": (FacetCount(value="north_east", count=4, label="North East"),),
        "language": (FacetCount(value="cy", count=1, label="Welsh (Cymraeg)"),),
    }
    # When someone searches with an outcome chosen already
    body = site.get("/search?q=neglect&outcome=death")["body"]
    # Then each facet is offered under its heading, as the domain names it, each value a filter link
    for name, heading in FACET_HEADINGS.items():
        assert (f'<h3 id="facet-{name}">{heading}</h3>' in body) is (name in site.index.facets), name
    assert 'href="/v1/search?q=neglect&amp;outcome=death&amp;age_band=under_1"' in body
    assert 'href="/v1/search?q=neglect&amp;outcome=death&amp;language=cy"' in body
    assert 'href="/v1/search?q=neglect"' in body  # death is chosen: its link takes it away
    # And the search asked for has the chosen outcome; a value the API does not know is a 400, as there
    assert site.index.asked[-1].outcomes == ("death",)
    assert site.get("/search?region=atlantis")["status"] == 400


def test_the_search_page_reads_its_parameters_with_the_search_apis_limits(site: Site) -> None:
    # When a search has more words than GET /reviews takes, or a year outside the catalogue's
    words = " ".join(f"word{number}" for number in range(31))
    for target in (f"/search?{urlencode({'q': words})}", "/search?year=1700"):
        page = site.get(target)
        # Then the page says so as the API would, and nothing was searched
        assert page["status"] == 400, target
    assert "search for at most 30 words at once" in site.get(f"/search?{urlencode({'q': words})}")["body"]
    assert not site.index.asked
    # And the parameters it does not offer (the API's board filter, its page size) are not read
    site.get("/search?q=neglect&board=northshire-1a2b3c&page_size=100")
    assert site.index.asked[-1].board is None and site.index.asked[-1].page_size == 20


def test_the_site_offers_the_facets_the_search_counts() -> None:
    # The search page's filters are the index's facets, every one of them, in the headings' order
    assert list(FACET_HEADINGS) == list(FACET_FIELDS)


def test_a_bad_search_says_what_is_wrong_instead_of_failing(site: Site) -> None:
    # When a searcher sends an unknown nation and a cursor that is not one
    page = site.get("/search?nation=atlantis&cursor=nonsense")
    # Then the page says so with a 400, and nothing was searched
    assert page["status"] == 400
    assert "There is a problem with this search" in page["body"] and "nation" in page["body"]
    assert not site.index.asked


def test_a_record_shows_its_description_rights_and_download_while_the_copy_is_there(site: Site) -> None:
    # Given a record with an available copy
    site.records.records["CR-2016-0001"] = a_record()
    # When its page is opened
    body = site.get("/record/CR-2016-0001")["body"]
    # Then it shows the title, publisher, dates, type labels, themes, rights and the download button
    for words in (
        "Serious Case Review: Child K — Overview Report",
        "Northshire Safeguarding Children Partnership",
        "14 March 2016",
        "1 September 2014",
        "Serious case review",
        "Overview report",
        "Neglect",
        "Copyright remains with Northshire Safeguarding Children Partnership.",
    ):
        assert words in body, words
    assert '<a class="button" href="/v1/reviews/CR-2016-0001/download">Download the report (PDF)</a>' in body


def test_a_removed_copy_shows_when_and_why_instead_of_the_download(site: Site) -> None:
    # Given a record whose copy the five-year rule removed
    site.records.records["CR-2016-0001"] = a_record(
        electronic_copy=removed_copy(
            removed_on=date(2031, 11, 27), removal_reason="The five-year availability period ended."
        )
    )
    # When its page is opened
    body = site.get("/record/CR-2016-0001")["body"]
    # Then there is no download, but the removal date and reason
    assert "Download the report" not in body
    assert "Removed on 27 November 2031. The five-year availability period ended." in body


def test_an_anonymous_record_names_no_board(site: Site) -> None:
    site.records.records["CR-2016-0001"] = a_record(anonymous=True)
    body = site.get("/record/CR-2016-0001")["body"]
    assert "Northshire" not in body and "Anonymous" in body


CASE = {
    "child": "Child K",
    "age_band": AgeBand.UNDER_1,
    "outcome": Outcome.DEATH,
    "local_authority": "Northshire County Council",
    "region": Region.NORTH_EAST,
    "review_model": ReviewModel.SILP,
    "learning": "Agencies did not share what they knew.\nThe baby was not seen.",
    "recommendations": "Share information at every referral.",
    "related": ("CR-2016-0002", "CR-2016-0003"),
}


def facts_of(body: str) -> dict[str, str]:
    """Each <dt>'s words with its <dd>'s text."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", body, re.S)
    return {html.unescape(heading): html.unescape(re.sub(r"<[^>]+>", "", text)) for heading, text in pairs}


def test_a_record_shows_the_case_as_the_yearly_lists_describe_it(site: Site) -> None:
    # Given a record with every case field set
    site.records.records["CR-2016-0001"] = a_record(**CASE)
    # When its page is opened
    body = site.get("/record/CR-2016-0001")["body"]
    # Then each fact is shown under the domain's heading, a vocabulary value by its label
    facts = facts_of(body)
    assert {heading: facts.get(heading) for heading in CASE_FACTS.values()} == {
        "Child": "Child K",
        "Age of the child": "Under 1 year",
        "Outcome": "Death",
        "Local authority": "Northshire County Council",
        "Region": "North East",
        "Review model": "SILP (Significant Incident Learning Process)",
    }
    # And the related documents are links to their records
    assert facts[RELATED_HEADING] == "CR-2016-0002, CR-2016-0003"
    assert '<a href="/v1/record/CR-2016-0002">CR-2016-0002</a>' in body
    # And the learning and the recommendations are paragraphs under their headings
    assert "<h2>Key learning</h2>\n<p>Agencies did not share what they knew.</p><p>The baby was not seen.</p>" in body
    assert "<h2>Recommendations</h2>\n<p>Share information at every referral.</p>" in body


def test_a_record_without_case_fields_shows_no_empty_headings(site: Site) -> None:
    site.records.records["CR-2016-0001"] = a_record()
    body = site.get("/record/CR-2016-0001")["body"]
    assert "The case" not in body and "Key learning" not in body and "Recommendations" not in body
    assert not set(facts_of(body)) & {*CASE_FACTS.values(), RELATED_HEADING}


def test_an_anonymous_record_shows_nothing_of_the_case_that_would_name_its_board(site: Site) -> None:
    # Given an anonymous record whose case names its area and its board's other documents
    site.records.records["CR-2016-0001"] = a_record(anonymous=True, **CASE)
    body = site.get("/record/CR-2016-0001")["body"]
    # Then the area and the related documents are withheld, the rest of the case is shown
    assert "Northshire" not in body and "North East" not in body and "CR-2016-0002" not in body
    facts = facts_of(body)
    assert facts["Child"] == "Child K" and facts["Outcome"] == "Death"
    assert "Local authority" not in facts and "Region" not in facts and RELATED_HEADING not in facts


def test_a_yearly_list_entry_gives_the_case_briefly(site: Site) -> None:
    # Given a year with a record that has case facts (and its learning, which is for the record page)
    short_facts = {name: value for name, value in CASE.items() if name in CASE_FACTS}
    site.index.hits = [a_hit(**short_facts, learning="Agencies did not share what they knew.")]
    body = site.get("/published/2016")["body"]
    # Then its entry gives the short facts, not the learning
    entry = body.split('<li class="record-summary">', 1)[1].split("</li>", 1)[0]
    facts = facts_of(entry)
    assert facts["Child"] == "Child K" and facts["Age of the child"] == "Under 1 year"
    assert facts["Review model"] == "SILP (Significant Incident Learning Process)"
    assert "Agencies did not share" not in body
    # And the results of a search keep their entries short, without the case
    assert "Age of the child" not in site.get("/search?q=neglect")["body"].split("<aside", 1)[0]


def test_the_yearly_list_and_unknown_pages_answer_as_pages(site: Site) -> None:
    # Given a year with one record
    site.index.hits = [a_hit()]
    # Then its list has the issue's heading, and a year outside the lists or an unknown record is a 404 page
    assert "<h1>Case reviews published in 2016</h1>" in site.get("/published/2016")["body"]
    for target in ("/published/1900", "/published/twenty", "/record/CR-1999-0001"):
        page = site.get(target)
        assert page["status"] == 404 and "<h1>Page not found</h1>" in page["body"], target


# ---------------------------------------------------------------- the deposit


def test_the_deposit_form_labels_every_field_with_the_issues_words(site: Site) -> None:
    # When a board opens the deposit page
    body = site.get("/deposit")["body"]
    labels = labels_of(body)
    # Then each field has its visible label, the dates their Day, Month and Year boxes under a legend
    assert {name: labels[name] for name in ("board_key", "title", "nation", "review_type", "document_type")} == {
        "board_key": "Board key",
        "title": "Title",
        "nation": "Nation",
        "review_type": "Review type",
        "document_type": "Document type",
    }
    for name, legend in (("publication_date", "Publication date"), ("commissioned_date", "Date commissioned")):
        assert f'<legend class="legend">{legend}</legend>' in body
        assert [labels[f"{name}-{part}"] for part in ("day", "month", "year")] == ["Day", "Month", "Year"]
    assert (labels["themes"], labels["summary"], labels["contact_email"]) == ("Themes", "Summary", "Contact email")
    assert labels["anonymous"] == "Publish anonymously on our behalf"
    # And the key is a password box that nothing offers to remember
    assert re.search(r'<input[^>]*id="board_key"[^>]*type="password"[^>]*autocomplete="off"', body)


def test_the_review_types_offered_are_the_nations(site: Site) -> None:
    # When the deposit page is opened for Scotland
    body = site.get("/deposit?nation=scotland")["body"]
    select = body.split('id="review_type"', 1)[1].split("</select>", 1)[0]
    # Then the review type box lists only Scotland's types
    assert re.findall(r'<option value="([a-z_]+)"', select) == [
        "significant_case_review",
        "learning_review",
        "inquiry_report",
        "other",
    ]


def test_a_bad_deposit_shows_an_error_summary_linking_to_each_field(site: Site) -> None:
    # Given a deposit with a wrong key, a Scottish serious case review, a date without a month, a bad theme
    form = deposit_form(
        "crk_not-a-key",
        nation="scotland",
        **{"publication_date-month": ""},
        themes="neglct",
        contact_email="manager",
    )
    # When it is posted
    page = site.post("/deposit", form)
    # Then the form comes back with a summary of the errors, in the page's order, each linking to its field
    assert page["status"] == 400
    assert page["body"].count('class="error-summary"') == 1
    assert "<title>Error: " in page["body"]
    assert error_links(page["body"]) == [
        ("board_key", "This board key is not valid: check it, or ask the library for a new one"),
        ("publication_date-day", "Publication date must include a month"),
        ("themes", "'neglct' is not a theme of the library's vocabulary; did you mean 'Neglect' (neglect)?"),
        ("contact_email", "Enter an email address in the correct format, like name@example.org"),
    ]
    # And what was typed is kept, except the key that did not open
    assert 'value="neglct"' in page["body"] and "crk_not-a-key" not in page["body"]
    # And nothing was opened
    assert not site.submissions.submissions


def test_a_type_the_nation_does_not_have_is_refused_by_the_domains_check(site: Site) -> None:
    # Given a board without JavaScript, who chose Scotland and then an English type
    page = site.post("/deposit", deposit_form(site.key, nation="scotland", review_type="serious_case_review"))
    # Then the review type has the error, in words, naming what Scotland accepts
    assert error_links(page["body"]) == [
        (
            "review_type",
            "Serious case review is not a review type of Scotland; Scotland accepts: Significant case review, "
            "Learning review, Inquiry report, Other learning report",
        )
    ]
    # And the key that did open is kept for the next try
    assert site.key in page["body"]


def test_a_good_deposit_opens_a_submission_and_gives_a_plain_s3_form_that_comes_back_to_its_status(site: Site) -> None:
    # When a board posts a good deposit
    page = site.post("/deposit", deposit_form(site.key, anonymous="yes"))
    # Then a submission is opened for the board with what it declared (themes as the vocabulary's ids)
    (submission,) = site.submissions.submissions.values()
    assert submission.board_id == BOARD.board_id
    assert submission.metadata.themes == ("neglect", "multi_agency_working", "child_sexual_exploitation")
    assert submission.metadata.anonymous and submission.metadata.contact_email == "business.manager@board.example"
    # And the page is step 2: a form that posts the file straight to S3 with the presigned fields
    body = page["body"]
    assert page["status"] == 200 and page["headers"]["Cache-Control"] == "no-store"
    assert '<form method="post" action="https://bucket.example/" enctype="multipart/form-data"' in body
    status_page = f"{BASE_URL}/deposit/{submission.submission_id}"
    assert f'<input type="hidden" name="success_action_redirect" value="{status_page}">' in body
    assert f'<input type="hidden" name="key" value="{submission.upload_key}">' in body
    assert labels_of(body)["file"] == "Report (PDF)"
    assert '<button class="button" type="submit">Upload</button>' in body
    # And the file input comes after every field, as S3 requires
    assert body.index('name="file"') > body.rindex('type="hidden"')
    # And the page may post to the bucket (and send to it, for the progress bar), but carries no key
    policy = page["headers"]["Content-Security-Policy"]
    assert (
        "form-action 'self' https://bucket.example" in policy and "connect-src 'self' https://bucket.example" in policy
    )
    assert site.key not in body


STATUS_WORDS = [
    (SubmissionStatus.AWAITING_UPLOAD, {}, "Waiting for the file", True),
    (SubmissionStatus.PROCESSING, {}, "Being processed", True),
    (SubmissionStatus.CATALOGUED, {"reference": "CR-2016-0042"}, "Catalogued as CR-2016-0042", False),
    (SubmissionStatus.IN_REVIEW, {"reason": "Page 3 names your board."}, "Needs a check by the library", False),
    (SubmissionStatus.REJECTED, {"reason": "The file is not a PDF."}, "Rejected: The file is not a PDF.", False),
    (SubmissionStatus.DUPLICATE, {"reference": "CR-2016-0001"}, "Already in the library as CR-2016-0001", False),
]


@pytest.mark.parametrize(("status", "changes", "heading", "refreshes"), STATUS_WORDS)
def test_the_status_page_says_the_status_in_words_and_refreshes_only_while_in_progress(
    site: Site, status: SubmissionStatus, changes: dict[str, Any], heading: str, refreshes: bool
) -> None:
    # Given a deposit in this status
    site.post("/deposit", deposit_form(site.key))
    (submission,) = site.submissions.submissions.values()
    site.submissions.submissions[submission.submission_id] = submission.model_copy(update={"status": status, **changes})
    # When its status page is opened (knowing its address is the permission: no key)
    page = site.get(f"/deposit/{submission.submission_id}")
    body = page["body"]
    # Then it says the status in words, with the reason where there is one
    assert f"<h2>{heading}</h2>" in body
    if changes.get("reason") and status is SubmissionStatus.IN_REVIEW:
        assert "Page 3 names your board." in body
    if changes.get("reference"):
        assert f'href="/v1/record/{changes["reference"]}"' in body
    # And only while the deposit is in progress does the script look again, and the page offer "Check again"
    # (its own address) to a browser without the script
    assert ("data-refresh-url" in body) is refreshes
    check_again = f'<a class="button secondary" id="check-again" href="/v1/deposit/{submission.submission_id}">'
    assert (f"{check_again}Check again</a>" in body) is refreshes
    # And never a timed refresh (WCAG 2.2.1): no meta refresh, no Refresh header
    assert 'http-equiv="refresh"' not in body.lower() and "Refresh" not in page["headers"]
    assert page["headers"]["Cache-Control"] == "no-store"


def test_the_status_page_knows_the_file_arrived_when_s3_sends_the_browser_back(site: Site) -> None:
    # Given a deposit whose file S3 has just stored (the catalogue has not started on it yet)
    site.post("/deposit", deposit_form(site.key))
    (submission,) = site.submissions.submissions.values()
    # When S3's redirect brings the browser back with the key it stored
    query = urlencode({"bucket": "reports", "key": submission.upload_key, "etag": '"abc"'})
    body = site.get(f"/deposit/{submission.submission_id}?{query}")["body"]
    # Then the page says it is being processed, not that it waits for the file
    assert "<h2>Being processed</h2>" in body
    # And checking again (with the script or without) keeps the key, so it goes on saying so
    again = f"/v1/deposit/{submission.submission_id}?{urlencode({'key': submission.upload_key})}"
    assert f'data-refresh-url="{html.escape(again)}"' in body and f'href="{html.escape(again)}">Check again' in body


@pytest.mark.parametrize("submission_id", ["not-a-uuid", "7c9e6679-7425-40de-944b-e07fc1f90ae7"])
def test_an_unknown_deposit_is_a_404_page(site: Site, submission_id: str) -> None:
    assert site.get(f"/deposit/{submission_id}")["status"] == 404


def test_dates_and_times_on_the_pages_come_from_the_clock(site: Site, clock: SetClock) -> None:
    # A publication date after today is refused, judged by the wired clock
    tomorrow_but_one = clock.now().astimezone(UTC).date() + timedelta(days=2)
    form = deposit_form(
        site.key,
        **{
            "publication_date-day": str(tomorrow_but_one.day),
            "publication_date-month": str(tomorrow_but_one.month),
            "publication_date-year": str(tomorrow_but_one.year),
        },
    )
    assert error_links(site.post("/deposit", form)["body"]) == [
        ("publication_date-day", "Publication date must be today or in the past")
    ]


def test_a_copy_still_available_says_until_when(site: Site) -> None:
    site.records.records["CR-2016-0001"] = a_record()
    assert "Available until 26 November 2031." in site.get("/record/CR-2016-0001")["body"]


def test_without_a_public_base_url_the_pages_are_where_the_request_came_to(site: Site) -> None:
    # Given a site deployed without PublicBaseUrl (its requests come to the execute-api host, stage v1)
    site.services.settings = Settings({})
    # When a board deposits
    body = site.post("/deposit", deposit_form(site.key))["body"]
    (submission,) = site.submissions.submissions.values()
    # Then S3 sends the browser back to the status page on that host, under the stage, and links keep the stage
    back = f"https://localhost/v1/deposit/{submission.submission_id}"
    assert f'name="success_action_redirect" value="{back}"' in body
    assert 'href="/v1/deposit"' in body


def test_a_program_that_does_not_ask_for_html_gets_the_apis_problems_instead_of_error_pages(site: Site) -> None:
    # Given a script (curl's Accept: */*) that posts a bad deposit and asks for a record that does not exist
    refused = site.answer("POST", "/deposit", deposit_form("", title="x"), accept="*/*")
    missing = site.answer("GET", "/record/CR-1999-0001", accept="*/*")
    # Then each is an RFC 9457 problem, the deposit's naming each field as the API does
    assert refused["status"] == 400 and refused["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(refused["body"])["errors"] == [
        {"location": "body.board_key", "message": "Enter your board key"},
        {"location": "body.title", "message": "Title must be at least 3 characters"},
    ]
    assert missing["status"] == 404 and json.loads(missing["body"])["title"] == "Not Found"
    # And a page that works is still a page
    assert site.answer("GET", "/deposit", accept="*/*")["headers"]["Content-Type"].startswith("text/html")


def test_the_site_function_answers_its_sample_events(site: Site) -> None:
    # Given the site function's handler, as Lambda calls it, and a record the sample event names
    from functions.site.app import lambda_handler

    site.records.records["CR-2016-0042"] = a_record(reference="CR-2016-0042")
    site.index.hits = [a_hit()]
    # When API Gateway sends it the sample events of a search and of a record page
    for name in ("site/search.json", "site/record.json"):
        response = lambda_handler(load_event(name), LocalContext(function_name="site"))
        # Then each is a page, with what every answer carries
        assert response["statusCode"] == 200, name
        assert response["multiValueHeaders"]["X-Robots-Tag"] == ["noindex, nofollow"]
        assert "<h1>" in response["body"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Neglect; CSE, multi-agency working", ["Neglect", "CSE", "multi-agency working"]),
        ("Race, culture and faith, neglect", ["Race, culture and faith", "neglect"]),
        ("neglect;; ,", ["neglect"]),
        ("", []),
    ],
)
def test_a_list_box_is_split_at_commas_and_semicolons_but_not_inside_a_themes_label(
    text: str, values: list[str]
) -> None:
    assert split_list(text) == values
