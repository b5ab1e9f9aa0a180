"""An email as the library sends it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RenderedEmail(BaseModel):
    """A rendered message: a one-line subject, a plain-text part and an HTML part."""

    model_config = ConfigDict(frozen=True)

    subject: str
    text: str
    html: str
