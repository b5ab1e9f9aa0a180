"""An email as the library sends it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RenderedEmail(BaseModel):
    """A rendered message: a one-line subject, a plain-text part and an HTML part."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    subject: str
    text: str
    html: str


def one_click_unsubscribe(url: str) -> dict[str, str]:
    """The header fields of an email a mail client can unsubscribe from in one click (RFC 2369, RFC 8058):
    the client POSTs `List-Unsubscribe=One-Click` to `url`, which stops what the email is about."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
