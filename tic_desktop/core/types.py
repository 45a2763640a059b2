"""Shared field types for the signed JSON documents.

Numbers that matter (points, money, ratios) travel as decimal strings ("7.5", "1200000.00"),
never as JSON numbers: RFC 8785 formats numbers as IEEE-754 doubles, and we compute in Decimal.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

DECIMAL_RE = re.compile(r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$")
"""A `Dec` as JSON text: at most 15 integer digits and 6 decimals, no exponent."""
ID_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""An `Ident` (batch, proposal, expert, form and KPI ids)."""


def _parse_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        # what we accept from code must serialize to a string we accept when reading it back
        if not value.is_finite() or not DECIMAL_RE.match(format(value, "f")):
            raise ValueError("decimal must be finite, below 10^15, with at most 6 decimals")
        return value
    if isinstance(value, str) and DECIMAL_RE.match(value):
        return Decimal(value)
    raise ValueError("expected a decimal string such as \"7.5\"")


Dec = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(lambda d: format(d, "f"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_RE.pattern}),
]
"""A Decimal that is a string in JSON."""

Ident = Annotated[str, Field(pattern=ID_RE)]
"""An identifier usable in file names and ZIP member paths (ASCII, no slashes)."""

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Strict(BaseModel):
    """Base for every document we sign or read: strict types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Text(Strict):
    """A label in Chinese (the source language) and English."""

    zh: Annotated[str, Field(min_length=1, max_length=2000)]
    en: Annotated[str, Field(min_length=1, max_length=2000)]

    def get(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en
