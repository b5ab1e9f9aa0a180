"""The alert sign-up form: read as POST /alerts' body (the same model), its errors in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from case_reviews.api.models.learning import AlertRequest
from case_reviews.site.forms import FieldError, FormData, one_value

# The sign-up form's fields in page order, with the words of their labels.
ALERT_LABELS: dict[str, str] = {"email": "Email address", "kind": "What to send"}
ALERT_KINDS = ("digest", "search")


@dataclass(frozen=True)
class AlertAttempt:
    """A posted sign-up form: what was typed (to show again), the request once it reads well, its errors."""

    values: dict[str, str]
    request: AlertRequest | None
    errors: list[FieldError]


def read_alert_signup(form: FormData) -> AlertAttempt:
    """The sign-up form read as POST /alerts' body (the same model), with its errors in words."""
    values = {name: one_value(form, name).strip() for name in ("email", "kind", "search")}
    errors: list[FieldError] = []
    if not values["email"]:
        errors.append(FieldError("email", "Enter your email address"))
    if values["kind"] not in ALERT_KINDS or (values["kind"] == "search" and not values["search"]):
        errors.append(FieldError("kind", "Select what to send"))
    if errors:
        return AlertAttempt(values, None, errors)
    body: dict[str, Any] = {"email": values["email"]}
    if values["kind"] == "search":
        body["search"] = values["search"]
    else:
        body["digest"] = True
    try:
        request = AlertRequest.model_validate(body)
    except ValidationError as error:
        for item in error.errors():
            location = item.get("loc") or ()
            if location and location[0] == "email":
                errors.append(
                    FieldError("email", "Enter an email address in the correct format, like name@example.org")
                )
            else:
                errors.append(FieldError("kind", f"The search cannot be saved: {item['msg']}"))
        return AlertAttempt(values, None, errors)
    return AlertAttempt(values, request, [])
