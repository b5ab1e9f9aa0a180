"""How well "similar reviews" keeps to a record's themes, on a generated corpus (the product's own query).

    python -m bench.similar [RECORDS] [QUERIES]      # OPENSEARCH_URL, or an OpenSearch it starts itself

The corpus (seeded, repeatable): RECORDS records (default 2,000), each with one or two of TOPICS' twelve
themes and a review type (weighted as bench/corpus.py), and a full text of 12–20 sentences: about 60 % from
its own themes' sentence banks (each theme has its own words: "home conditions", "coercive control", ...),
about 25 % from another theme's bank (so text alone misleads, as real reports mention many things) and
the rest generic review prose (bench/corpus.py). A fifth of the records have no copy (no text indexed:
only their themes and type can make them alike), and a tenth are anonymous. The records are made index
documents by the product's `document_from_record` and loaded behind an alias of their own.

The measure: for QUERIES records (default 200, drawn evenly), the product's `OpenSearchIndex.similar`
(its more_like_this over the text, the theme and type labels, and the exact themes and type) top 5; the
figure is the share of those 5 that share at least one theme with the record asked about (all results
pooled). The baseline is the same share for 5 records drawn at random: how often two records share a
theme by chance in this corpus.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from bench.corpus import REVIEW_TYPE_WEIGHTS, REVIEW_TYPES, SENTENCES

if TYPE_CHECKING:
    from case_reviews.domain.records import CatalogueRecord

ALIAS = "bench-similar"
RECORDS = 2000
QUERIES = 200
TOP = 5
SEED = 20261201
# Each theme's own words, which its reports' sentences are made of.
TOPICS: dict[str, tuple[str, ...]] = {
    "neglect": ("home conditions", "poor hygiene", "missed health appointments", "hunger", "neglect"),
    "domestic_abuse": ("coercive control", "domestic abuse", "the violent partner", "police call-outs", "refuge"),
    "parental_mental_health": ("maternal depression", "psychiatric admission", "the mental health team", "psychosis"),
    "parental_substance_misuse": ("alcohol misuse", "heroin use", "the drug treatment service", "methadone"),
    "physical_abuse": ("bruising", "fractures", "physical chastisement", "injuries to the face"),
    "child_sexual_exploitation": ("grooming", "older men", "going missing at night", "sexual exploitation"),
    "child_criminal_exploitation": ("county lines", "drug running", "knife crime", "criminal exploitation"),
    "online_abuse": ("social media", "images shared online", "online grooming", "the gaming platform"),
    "sudden_unexpected_death_in_infancy": ("co-sleeping", "safe sleep advice", "the infant's cot", "sudden death"),
    "suicide_and_self_harm": ("self-harm", "suicidal thoughts", "the overdose", "CAMHS waiting lists"),
    "housing": ("temporary accommodation", "eviction", "overcrowding", "the housing officer"),
    "disabled_children": ("complex needs", "the special school", "communication difficulties", "respite care"),
}
TEMPLATES = (
    "Practitioners were aware of {word} but did not act on it.",
    "The review found that {word} was not explored in assessments.",
    "In the months before the incident {word} was recorded by two agencies.",
    "Concerns about {word} were raised at the core group meeting.",
    "Nobody asked the child about {word}.",
    "The panel heard that {word} had been present for years.",
    "Records show {word} was discussed but no plan followed.",
)


def _sentence(rng: random.Random, theme: str) -> str:
    return rng.choice(TEMPLATES).format(word=rng.choice(TOPICS[theme]))


def corpus(count: int, now: datetime) -> list[tuple[CatalogueRecord, str | None]]:
    """`count` records with their texts (None for a record without a copy), as the docstring says."""
    from case_reviews.domain.dates import PublicationDate
    from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
    from case_reviews.domain.rules import format_reference
    from case_reviews.domain.vocabulary import CopyStatus, DocumentType, Nation

    rng = random.Random(SEED)
    themes = list(TOPICS)
    made: list[tuple[CatalogueRecord, str | None]] = []
    for number in range(1, count + 1):
        own = tuple(rng.sample(themes, rng.choice((1, 1, 2))))
        sentences = []
        for _ in range(rng.randint(12, 20)):
            draw = rng.random()
            if draw < 0.6:
                sentences.append(_sentence(rng, rng.choice(own)))
            elif draw < 0.85:
                sentences.append(_sentence(rng, rng.choice(themes)))
            else:
                sentences.append(rng.choice(SENTENCES))
        has_copy = rng.random() >= 0.2
        year = rng.randint(2008, 2026)
        reference = format_reference(year, number)
        copy = (
            ElectronicCopy(
                status=CopyStatus.AVAILABLE,
                object_key=f"reports/{reference}.pdf",
                text_key=f"text/{reference}.txt",
                sha256=f"{rng.getrandbits(256):064x}",
                size_bytes=100_000,
                page_count=20,
                available_until=date(2031, 1, 1),
            )
            if has_copy
            else None
        )
        record = CatalogueRecord(
            reference=reference,
            title=f"Review {number}",
            nation=Nation.ENGLAND,
            review_type=rng.choices(REVIEW_TYPES, REVIEW_TYPE_WEIGHTS)[0],
            document_type=DocumentType.OVERVIEW_REPORT,
            publication_date=PublicationDate.parse(f"{year}-06-01"),
            board_id=f"board-{number % 40}",
            board_name=f"Board {number % 40} Safeguarding Children Partnership",
            anonymous=rng.random() < 0.1,
            themes=own,
            electronic_copy=copy,
            created_at=now,
            updated_at=now,
        )
        made.append((record, " ".join(sentences) if has_copy else None))
    return made


def measure(opensearch_url: str, records: int = RECORDS, queries: int = QUERIES) -> dict[str, Any]:
    """Load the corpus behind ALIAS (afresh), ask the product's similar query for QUERIES records, and
    return the share of the top 5 sharing a theme, against the random baseline."""
    from case_reviews.adapters.opensearch.client import build_client
    from case_reviews.adapters.opensearch.index import OpenSearchIndex
    from case_reviews.resources import index_definition

    client = build_client(
        opensearch_url.rstrip("/"), credentials=None, region="eu-west-2", timeout_seconds=10, max_retries=0
    )
    client.indices.delete(index=f"{ALIAS}-*", ignore_unavailable=True)
    index = OpenSearchIndex(client, ALIAS, index_definition())
    made = corpus(records, datetime(2026, 12, 1, tzinfo=UTC))
    started = time.perf_counter()
    index.put_many(made)
    load_s = time.perf_counter() - started
    themes = {record.reference: set(record.themes) for record, _ in made}

    shared = asked = 0
    timings: list[float] = []
    step = max(1, len(made) // queries)
    for record, _ in made[::step][:queries]:
        started = time.perf_counter()
        # As the service asks: an anonymous record's board is never listed beside it.
        exclude = (record.board_id or "", record.board_name or "") if record.anonymous else ()
        hits = index.similar(record, exclude_boards=exclude, limit=TOP)
        timings.append(time.perf_counter() - started)
        shared += sum(1 for hit in hits if themes[hit.reference] & set(record.themes))
        asked += len(hits)

    rng = random.Random(SEED + 1)
    chance_shared = chance_asked = 0
    references = list(themes)
    for record, _ in made[::step][:queries]:
        for other in rng.sample([r for r in references if r != record.reference], TOP):
            chance_shared += bool(themes[other] & set(record.themes))
            chance_asked += 1
    client.indices.delete(index=f"{ALIAS}-*", ignore_unavailable=True)
    return {
        "share": shared / asked,
        "baseline": chance_shared / chance_asked,
        "results": asked,
        "queries": len(timings),
        "records": records,
        "load_s": load_s,
        "median_ms": sorted(timings)[len(timings) // 2] * 1000,
    }


def main(argv: list[str]) -> int:
    records = int(argv[0]) if argv else RECORDS
    queries = int(argv[1]) if len(argv) > 1 else QUERIES
    url = os.environ.get("OPENSEARCH_URL")
    if url:
        print(json.dumps(measure(url, records, queries)))
        return 0
    from infra.local.opensearch_server import OpenSearchServer

    with OpenSearchServer() as server:
        print(json.dumps(measure(server.url, records, queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
