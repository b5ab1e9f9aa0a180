"""The base of the domain's models: frozen, closed to unknown fields, and built when first used."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    # defer_build (here and on the domain's other models): a validator is built when first used, so a
    # cold start builds only the models its first request touches.
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
