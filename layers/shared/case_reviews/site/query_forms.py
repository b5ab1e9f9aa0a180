"""The query strings of the pages that search and count: read as models, a form's empty boxes left out."""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Self, Union, get_args, get_origin
from urllib.parse import urlencode

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from case_reviews.api.search import search_parameters, search_query
from case_reviews.domain.fields import Theme
from case_reviews.domain.rules import EARLIEST_PUBLICATION, LATEST_YEAR
from case_reviews.domain.search import SearchQuery, SortOrder
from case_reviews.domain.statistics import StatisticsQuery
from case_reviews.domain.vocabulary import Nation, ReviewType
from case_reviews.site.forms import FormData


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, list):
        return [item for item in value if item != ""] or None
    return None if value == "" else value


# An empty box of the search form is a parameter not given.
_Blank = BeforeValidator(_blank_is_none)


class _QueryForm(BaseModel):
    """A page's query string read as a model: the repeatable parameters as lists, the others their last value."""

    # Built when first used (defer_build), as the domain's models: a cold start builds only the forms it reads.
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, defer_build=True)

    @classmethod
    def from_query(cls, query: FormData) -> Self:
        lists = repeatable(cls)
        given = {name: list(values) if name in lists else values[-1] for name, values in query.items() if values}
        return cls.model_validate(given)

    def parameters(self) -> list[tuple[str, str]]:
        """The parameters as a query string's pairs (without a cursor), to link to the page with a change."""
        pairs: list[tuple[str, str]] = []
        fields = type(self).model_fields
        for name, value in self.model_dump(exclude={"cursor"}, exclude_none=True).items():
            for item in value if isinstance(value, list) else [value]:
                text = str(item).lower() if isinstance(item, bool) else str(item)
                pairs.append((fields[name].alias or name, text))
        return pairs


# What the search page leaves out of GET /reviews' parameters: its page size is its own, the exports are
# links of their own, and it offers no filter by board.
_NOT_ON_THE_PAGE = ("page_size", "format", "board")


class _SearchPage(_QueryForm):
    """What the search page does with its parameters (the fields are GET /reviews', see `SearchForm`)."""

    def query(self, page_size: int) -> SearchQuery:
        """The search these parameters ask for, read as GET /reviews reads them (InvalidRequest for dates
        out of order); without words, the newest first unless another order is asked for."""
        given = dict(self)
        words = given.get("q")
        order = given.get("sort") or (SortOrder.RELEVANCE if words and words.strip() else SortOrder.NEWEST)
        return search_query({**given, "sort": order, "page_size": page_size})

    def saved_search(self) -> str:
        """The search as an alert keeps it: its parameters without the order, which does not change what it finds."""
        return urlencode([(name, value) for name, value in self.parameters() if name != "sort"])


def _optional_box(hint: Any) -> Any:
    """A parameter's type (with its limits) as a form's box gives it: not given when left empty."""
    kind, *limits = get_args(hint) if get_origin(hint) is Annotated else (hint,)
    return Annotated[(kind | None, *limits, _Blank)], None


# The search page's query string: the public search's own parameters (GET /reviews' signature, so the
# same names, values and limits, and every filter its facets offer), a form's empty boxes left out.
SearchForm = create_model(
    "SearchForm",
    __base__=_SearchPage,
    **{name: _optional_box(hint) for name, (hint, _) in search_parameters(leaving_out=_NOT_ON_THE_PAGE).items()},
)


def repeatable(form: type[BaseModel]) -> set[str]:
    """The parameters of a query form that may be given more than once (a list of values)."""
    return {name for name, field in form.model_fields.items() if get_origin(_bare(field.annotation)) is list}


def _bare(annotation: Any) -> Any:
    """The type inside `X | None` (and inside Annotated)."""
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    kind = next(option for option in options if option is not type(None))
    return get_args(kind)[0] if get_origin(kind) is Annotated else kind


def query_errors(error: ValidationError) -> list[str]:
    """A query string's errors, each naming its parameter."""
    return [
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {str(item['msg']).removeprefix('Value error, ')}"
        for item in error.errors()
    ]


_Year = Annotated[int, Field(ge=EARLIEST_PUBLICATION.year, le=LATEST_YEAR)]


class StatisticsForm(_QueryForm):
    """The statistics page's filters: GET /statistics' own parameters, a form's empty boxes left out."""

    from_year: Annotated[_Year | None, _Blank] = None
    to_year: Annotated[_Year | None, _Blank] = None
    nation: Annotated[list[Nation] | None, _Blank] = None
    review_type: Annotated[list[ReviewType] | None, _Blank] = None
    theme: Annotated[list[Theme] | None, _Blank] = None

    def query(self) -> StatisticsQuery:
        """What to count (InvalidRequest when the years are out of order)."""
        return StatisticsQuery(
            from_year=self.from_year,
            to_year=self.to_year,
            nations=tuple(self.nation or ()),
            review_types=tuple(self.review_type or ()),
            themes=tuple(self.theme or ()),
        )
