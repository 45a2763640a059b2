"""core.types: what we accept from code is what we can read back from JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from tic_desktop.core.types import DECIMAL_RE, Dec

DEC = TypeAdapter(Dec)


@pytest.mark.parametrize("value", [Decimal("0.1234567"), Decimal(10) ** 16, Decimal("1E+15"), Decimal("NaN"),
                                   Decimal("Infinity"), Decimal("-0.0000001")])
def test_a_decimal_we_could_not_read_back_is_refused(value: Decimal) -> None:
    with pytest.raises(ValidationError):
        DEC.validate_python(value)


@pytest.mark.parametrize("value", [Decimal("7.5"), Decimal("0.123456"), Decimal("999999999999999.5"), Decimal("1E+2"),
                                   Decimal("-3"), Decimal("5.0")])
def test_decimals_round_trip_through_json(value: Decimal) -> None:
    got = DEC.validate_python(value)
    text = DEC.dump_python(got)
    assert DECIMAL_RE.match(text)
    assert DEC.validate_python(text) == value


def test_storage_and_source_use_the_core_patterns() -> None:
    from tic_desktop.core import types
    from tic_desktop.formats import table
    from tic_desktop.storage import records

    assert records.DECIMAL_RE is types.DECIMAL_RE
    assert table.ID.pattern == types.ID_RE
