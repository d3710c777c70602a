"""The nudge: exact decimals, checked against exact fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from lrtutor import CUBIC, SQUARE, diagonal_quadratic, exact_decimal, nudge


def test_walkthrough_nudges_are_exact() -> None:
    up = nudge(SQUARE, "2")
    assert str(up.before) == "4" and str(up.after) == "4.00040001"
    assert up.direction == "up"
    down = nudge(SQUARE, "-2")
    assert str(down.after) == "3.99960001"
    assert down.direction == "down"


@pytest.mark.parametrize("x", ["2", "-2", "5", "0.5", "-3.25"])
@pytest.mark.parametrize("loss", [SQUARE, CUBIC], ids=str)
def test_nudge_equals_fraction_arithmetic(loss, x: str) -> None:
    n = nudge(loss, x, "0.0001")
    fx, fh = Fraction(x), Fraction("0.0001")
    assert Fraction(n.after) == loss.value(fx + fh)
    assert Fraction(n.before) == loss.value(fx)
    assert Fraction(n.slope_estimate) == (loss.value(fx + fh) - loss.value(fx)) / fh


def test_float_artefact_is_what_the_page_explains() -> None:
    assert repr(2.0001**2) == "4.000400010000001"
    assert repr(1.9999**2) == "3.99960001"
    assert Fraction(2.0001) != Fraction("2.0001")


def test_exact_decimal_accepts_terminating_fractions_only() -> None:
    assert exact_decimal(Fraction(1, 8)) == Decimal("0.125")
    with pytest.raises(ValueError, match="no finite decimal"):
        exact_decimal(Fraction(1, 3))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"loss": SQUARE, "x": 2.0}, TypeError, "float is already rounded"),
        ({"loss": SQUARE, "x": "abc"}, ValueError, "decimal number"),
        ({"loss": SQUARE, "x": "inf"}, ValueError, "finite"),
        ({"loss": SQUARE, "x": "2", "h": "0"}, ValueError, "h must be non-zero"),
        ({"loss": "x**2", "x": "2"}, TypeError, "loss must be a lrtutor Loss"),
        ({"loss": diagonal_quadratic([1.0, 2.0]), "x": "2"}, ValueError, "one parameter"),
    ],
)
def test_bad_input(kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        nudge(**kwargs)
