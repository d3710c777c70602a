"""Losses: slope functions against finite differences and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrtutor import (
    CUBIC,
    SQUARE,
    Loss,
    central_difference,
    diagonal_quadratic,
    forward_difference,
    make_loss,
    quadratic,
)

ONE_PARAMETER_LOSSES = [SQUARE, CUBIC, quadratic(0.5), quadratic(5.0)]
POINTS = [-5.0, -2.0, -0.3, 0.0, 0.7, 2.0, 5.0]


@pytest.mark.parametrize("loss", ONE_PARAMETER_LOSSES, ids=str)
@pytest.mark.parametrize("x", POINTS)
def test_slope_matches_central_difference(loss: Loss, x: float) -> None:
    estimate = central_difference(loss.value, x, 1e-5)
    assert loss.slope(x) == pytest.approx(estimate, rel=1e-7, abs=1e-6)


@pytest.mark.parametrize("loss", ONE_PARAMETER_LOSSES, ids=str)
@pytest.mark.parametrize("x", [p for p in POINTS if p != 0.0])  # f''(0) = 0 for 5x^3
def test_forward_difference_error_is_first_order(loss: Loss, x: float) -> None:
    # Taylor: (f(x+h) - f(x))/h = f'(x) + h f''(x)/2 + O(h^2); halving h halves the error.
    e1 = forward_difference(loss.value, x, 1e-3) - loss.slope(x)
    e2 = forward_difference(loss.value, x, 5e-4) - loss.slope(x)
    assert e2 / e1 == pytest.approx(0.5, rel=0.02)


def test_walkthrough_slopes() -> None:
    assert [SQUARE.slope(x) for x in (2.0, -2.0, 5.0)] == [4.0, -4.0, 10.0]
    assert SQUARE.slope_formula == "2*x"
    assert CUBIC.slope_formula == "15*x**2"
    # 5x^3 has slope 15x^2: check at integer points exactly.
    for x in range(-4, 5):
        assert CUBIC.slope(x) == 15 * x * x


def test_square_nudge_by_finite_difference_is_exact_in_rationals() -> None:
    from fractions import Fraction

    h = Fraction(1, 10_000)
    x = Fraction(2)
    assert (SQUARE.value(x + h) - SQUARE.value(x)) / h == 4 + h


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0])
def test_quadratic_curvature_is_second_derivative(a: float) -> None:
    loss = quadratic(a)
    second = central_difference(loss.slope, 0.3, 1e-4)
    assert loss.curvatures == (pytest.approx(second),)
    assert loss.curvatures == (2 * a,)
    assert loss.minimiser == (0.0,)


def test_diagonal_quadratic_gradient() -> None:
    loss = diagonal_quadratic([1.0, 10.0])
    p = np.array([0.7, -1.3])
    assert loss.value(p) == pytest.approx(0.5 * (0.7**2 + 10 * 1.3**2))
    for i in range(2):
        e = np.zeros(2)
        e[i] = 1e-6
        numeric = (loss.value(p + e) - loss.value(p - e)) / 2e-6
        assert loss.slope(p)[i] == pytest.approx(numeric, rel=1e-6)
    assert loss.dim == 2 and loss.max_curvature == 10.0 and loss.min_curvature == 1.0


def test_make_loss_custom() -> None:
    loss = make_loss(lambda x: (x - 3) ** 2, lambda x: 2 * (x - 3), minimiser=3.0, name="shifted")
    assert loss.slope(5.0) == 4.0
    assert loss.minimiser == (3.0,)
    assert loss.max_curvature is None


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: quadratic(0.0), ValueError, "a must be finite and > 0"),
        (lambda: quadratic(math.inf), ValueError, "a must be finite"),
        (lambda: quadratic("1"), TypeError, "a must be a real number"),
        (lambda: quadratic(True), TypeError, "a must be a real number"),
        (lambda: diagonal_quadratic([]), ValueError, "curvatures must hold"),
        (lambda: diagonal_quadratic([1.0, -2.0]), ValueError, r"curvatures\[1\]"),
        (lambda: make_loss(1, lambda x: x), TypeError, "value must be callable"),
        (lambda: make_loss(lambda x: x, None), TypeError, "slope must be callable"),
        (lambda: make_loss(lambda x: x, lambda x: x, dim=0), ValueError, "dim must be"),
        (lambda: forward_difference(SQUARE.value, 1.0, 0.0), ValueError, "h must be"),
        (lambda: central_difference(SQUARE.value, 1.0, math.nan), ValueError, "h must be"),
    ],
)
def test_bad_input(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
