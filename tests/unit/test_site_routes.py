"""One routing table for the site's paths (site/routes.py): template.yaml's SiteFunction events and the local
front both follow it, and the bucket's CORS rule for the site is the same in AWS and locally."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from case_reviews.api.app import build_app
from case_reviews.api.openapi import document
from case_reviews.site.routes import SITE_RESOURCES, is_site_path
from infra.local.provision import bucket_cors
from infra.local.stack import ApiFront
from tests.support.template import resources

RESOURCES = resources()


def events_of(function: str) -> list[dict[str, str]]:
    return [event["Properties"] for event in RESOURCES[function]["Properties"]["Events"].values()]


def test_the_template_sends_exactly_the_site_paths_to_the_site_function() -> None:
    # Given the site function's events in template.yaml
    events = events_of("SiteFunction")
    # Then they are the routing table's resources, on the API's gateway, every method (the site answers 404s)
    assert sorted(event["Path"] for event in events) == sorted(SITE_RESOURCES)
    assert all(event["RestApiId"] == {"Ref": "Api"} and event["Method"] == "ANY" for event in events)


def test_no_path_of_the_json_api_is_taken_by_the_site() -> None:
    # Given every route of the JSON API (its OpenAPI document) and the API function's own events
    api_paths = list(document(build_app())["paths"]) + [event["Path"] for event in events_of("ApiFunction")]
    # Then none of them is a site path, written with sample values
    for path in api_paths:
        sample = path.replace("{proxy+}", "x/y").replace("{reference}", "CR-2016-0001").replace("{year}", "2016")
        assert not is_site_path(sample.replace("{", "").replace("}", "")), path


@pytest.mark.parametrize(
    ("path", "site"),
    [
        ("/", True),
        ("/search", True),
        ("/record/CR-2016-0001", True),
        ("/published/2016", True),
        ("/deposit", True),
        ("/deposit/7c9e6679-7425-40de-944b-e07fc1f90ae7", True),
        ("/static/site.css", True),
        ("/record", False),
        ("/record/", False),
        ("/searching", False),
        ("/reviews", False),
        ("/reviews/CR-2016-0001/download", False),
        ("/years/2016", False),
        ("/submissions", False),
        ("/health", False),
        ("/openapi.json", False),
    ],
)
def test_a_path_is_the_sites_as_api_gateway_matches_its_resources(path: str, site: bool) -> None:
    assert is_site_path(path) is site


@pytest.fixture
def front() -> Iterator[ApiFront]:
    server = ApiFront(0, handler="api function", site_handler="site function")
    yield server
    server.server_close()


@pytest.mark.parametrize(
    ("target", "function"),
    [
        ("/", "site"),
        ("/search?q=neglect&nation=wales", "site"),
        ("/deposit", "site"),
        ("/static/site.js?v=abc", "site"),
        ("/reviews?q=neglect", "api"),
        ("/health", "api"),
        ("/submissions/7c9e6679", "api"),
    ],
)
def test_the_local_front_invokes_the_function_the_template_routes_to(
    front: ApiFront, target: str, function: str
) -> None:
    # When the local front gets a request for the target
    handler, name = front.function_for(target)
    # Then it invokes the function API Gateway would
    assert (handler, name) == (f"{function} function", function)


def test_the_buckets_cors_rule_is_the_same_in_the_template_and_locally() -> None:
    # Given the reports bucket's CORS rule in template.yaml and the local provisioning's
    (deployed,) = RESOURCES["ReportsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    (local,) = bucket_cors("http://127.0.0.1:3000")["CORSRules"]
    # Then they allow the same: the site's origin may POST uploads and read S3's answer
    assert local["AllowedOrigins"] == ["http://127.0.0.1:3000"]
    assert {
        "Id": local["ID"],
        "AllowedMethods": local["AllowedMethods"],
        "AllowedHeaders": local["AllowedHeaders"],
        "ExposedHeaders": local["ExposeHeaders"],
        "MaxAge": local["MaxAgeSeconds"],
    } == {name: value for name, value in deployed.items() if name != "AllowedOrigins"}
    # And in AWS the origin is the public base URL's, or else the stage's execute-api host
    (origin,) = deployed["AllowedOrigins"]
    assert origin["If"][0] == "HasPublicBaseUrl"
