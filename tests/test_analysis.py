"""Tests for lrtutor.analysis, checked against actual gradient-descent runs."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from lrtutor.analysis import (
    REGIMES,
    best_contraction_factor,
    best_contraction_factor_exact,
    best_learning_rate,
    best_learning_rate_exact,
    closed_form_steps,
    condition_number,
    contraction_factor,
    critical_learning_rate,
    curvature,
    one_step_learning_rate,
    regime,
)
from lrtutor.descent import run_gradient_descent, steps_to_tolerance
from lrtutor.losses import CUBIC, SQUARE, Loss, diagonal_quadratic, make_loss, quadratic
from lrtutor.schedules import constant_schedule

COEFFICIENTS = [0.25, 0.5, 1.0, 1.5, 3.0, 0.3, 10.0]


def _loss(a: float) -> Loss:
    return SQUARE if a == 1.0 else quadratic(a)


# ------------------------------------------------------------------ one parameter


@pytest.mark.parametrize("a", COEFFICIENTS)
def test_quadratic_rates(a: float) -> None:
    loss = _loss(a)
    assert curvature(loss) == 2 * a
    assert critical_learning_rate(loss) == 1 / a
    assert one_step_learning_rate(loss) == 1 / (2 * a)
    assert condition_number(loss) == 1.0
    assert best_learning_rate_exact(loss) == 1 / Fraction(2 * a)
    assert best_contraction_factor_exact(loss) == 0
    assert contraction_factor(loss, 0.1 / a) == pytest.approx(0.8, rel=1e-15)
    assert contraction_factor(loss, 0.9 / a) == pytest.approx(0.8, rel=1e-15)


@pytest.mark.parametrize(("a", "lr"), [(a, f / a) for a in COEFFICIENTS for f in (0.05, 0.3, 0.7)])
def test_contraction_factor_is_the_runners_ratio(a: float, lr: float) -> None:
    run = run_gradient_descent(_loss(a), 1.5, lr, 5)
    ratios = run.positions[1:] / run.positions[:-1]
    assert np.allclose(np.abs(ratios), contraction_factor(_loss(a), lr), rtol=1e-12)


REGIME_CASES = [
    (0.1, "monotone"),
    (0.5, "one step"),
    (0.9, "oscillating"),
    (1.0, "bouncing"),
    (1.1, "diverging"),
]


@pytest.mark.parametrize(("lr", "expected"), REGIME_CASES)
def test_regime_of_square(lr: float, expected: str) -> None:
    assert regime(SQUARE, lr) == expected


@pytest.mark.parametrize("x0", [2.0, -0.7])
@pytest.mark.parametrize(("lr", "expected"), REGIME_CASES)
def test_regime_matches_trajectory(lr: float, expected: str, x0: float) -> None:
    run = run_gradient_descent(SQUARE, x0, lr, 1000)
    x = run.positions
    size = np.abs(x)
    if expected == "monotone":
        assert not run.diverged
        assert np.all(np.sign(x) == np.sign(x0))
        assert np.all(np.diff(size) < 0)
    elif expected == "one step":
        assert x[1:].tolist() == [0.0] * 1000
    elif expected == "oscillating":
        steps = 30
        assert np.all(np.sign(x[1 : steps + 1]) == -np.sign(x[:steps]))
        assert np.all(np.diff(size[: steps + 1]) < 0)
    elif expected == "bouncing":
        assert not run.diverged
        assert np.all(size == abs(x0))
        assert np.all(np.sign(x[1:]) == -np.sign(x[:-1]))
    else:
        assert run.diverged
        assert np.all(np.diff(size) > 0)


@pytest.mark.parametrize("a", [0.25, 2.0, 4.0])
def test_one_step_is_exact_for_dyadic_curvature(a: float) -> None:
    lr = one_step_learning_rate(quadratic(a))
    assert regime(quadratic(a), lr) == "one step"
    assert run_gradient_descent(quadratic(a), 3.0, lr, 1).final_x == 0.0
    assert regime(quadratic(a), 2 * lr) == "bouncing"


def test_rounded_one_step_rate_is_not_exactly_one_step() -> None:
    loss = quadratic(3.0)  # L = 6; 1/6 is rounded
    lr = one_step_learning_rate(loss)
    assert Fraction(lr) * 6 != 1
    assert regime(loss, lr) in ("monotone", "oscillating")
    assert abs(run_gradient_descent(loss, 3.0, lr, 1).final_x) < 1e-15


def test_regimes_in_order_along_the_rate_axis() -> None:
    order = [REGIMES.index(regime(SQUARE, float(lr))) for lr in np.linspace(0.01, 1.5, 300)]
    assert order == sorted(order)


# ----------------------------------------------------------------- closed form


def _real_number_count(x0: float, lr: float, curv: float, tol: float) -> int:
    """First t with |x0| * |1 - lr*L|**t < tol, in exact rational arithmetic."""
    factor = abs(1 - Fraction(lr) * Fraction(curv))
    value, t = Fraction(abs(x0)), 0
    while not value < Fraction(tol):
        value *= factor
        t += 1
    return t


@pytest.mark.parametrize(
    ("a", "x0", "tol"),
    [(1.0, 2.0, 0.01), (1.0, -0.3, 1e-9), (0.5, 5.0, 0.25), (3.0, -1.5, 1e-6), (0.3, 1e3, 0.1)],
)
def test_closed_form_equals_simulation_on_grid(a: float, x0: float, tol: float) -> None:
    loss = _loss(a)
    for fraction in np.linspace(0.001, 0.999, 500):
        lr = float(fraction) / a  # lr * L runs over (0, 2)
        expected = steps_to_tolerance(loss, x0, lr, tol)
        assert closed_form_steps(loss, x0, lr, tol) == expected, lr


@pytest.mark.parametrize(
    ("lr", "steps"),
    [(0.0001, 26489), (0.01, 263), (0.1, 24), (0.25, 8), (0.5, 1), (0.9, 24)],
)
def test_walkthrough_counts(lr: float, steps: int) -> None:
    assert closed_form_steps(SQUARE, 2.0, lr, 0.01) == steps
    assert steps_to_tolerance(SQUARE, 2.0, lr, 0.01) == steps


@pytest.mark.parametrize(
    ("x0", "lr", "tol", "steps"),
    [
        (1.0, 0.25, 0.25, 3),  # 1 * 0.5**2 == 0.25 exactly: not below, one more step
        (1.0, 0.75, 0.125, 4),
        (3.0, 0.25, 0.375, 4),
        (1.0, 0.25, 1.0, 1),  # |x0| == tol: not below yet
        (0.5, 0.3, 1.0, 0),
        (-2.0, 0.5, 0.01, 1),
    ],
)
def test_exact_boundaries(x0: float, lr: float, tol: float, steps: int) -> None:
    assert closed_form_steps(SQUARE, x0, lr, tol) == steps
    assert steps_to_tolerance(SQUARE, x0, lr, tol) == steps
    assert _real_number_count(x0, lr, 2.0, tol) == steps


def test_follows_the_float_runner_where_it_differs_from_real_numbers() -> None:
    # lr*L = 0.99 up to rounding: in real numbers 1 * f**2 lies just above 1e-4,
    # but the float run lands just below it one update earlier.
    assert _real_number_count(1.0, 0.495, 2.0, 1e-4) == 3
    assert steps_to_tolerance(SQUARE, 1.0, 0.495, 1e-4) == 2
    assert closed_form_steps(SQUARE, 1.0, 0.495, 1e-4) == 2


@pytest.mark.parametrize("lr", [1.0, 1.25, 3.0])
def test_never_when_factor_at_least_one(lr: float) -> None:
    assert closed_form_steps(SQUARE, 2.0, lr, 0.01) is None
    assert closed_form_steps(SQUARE, 0.001, lr, 0.01) == 0


def test_closed_form_beyond_the_runners_patience() -> None:
    t = closed_form_steps(SQUARE, 2.0, 1e-9, 0.01)
    assert t == math.ceil(math.log(0.01 / 2.0) / math.log1p(-2e-9))
    assert t > 1_000_000_000


# -------------------------------------------------------------- several parameters


def test_two_parameter_rates() -> None:
    loss = diagonal_quadratic([1, 10])
    assert critical_learning_rate(loss) == 0.2
    assert best_learning_rate_exact(loss) == Fraction(2, 11)
    assert best_contraction_factor_exact(loss) == Fraction(9, 11)
    assert best_learning_rate(loss) == 2 / 11
    assert best_contraction_factor(loss) == 9 / 11
    assert condition_number(loss) == 10.0
    kappa = condition_number(loss)
    assert best_contraction_factor(loss) == pytest.approx((kappa - 1) / (kappa + 1))
    assert contraction_factor(loss, best_learning_rate(loss)) == pytest.approx(9 / 11, rel=1e-15)
    # Any other rate does worse in the worst direction.
    for lr in np.linspace(0.01, 0.199, 50):
        assert contraction_factor(loss, float(lr)) >= best_contraction_factor(loss) - 1e-15


@pytest.mark.parametrize(
    ("lr", "expected"),
    [
        (0.05, "monotone"),
        (0.09, "monotone"),
        (0.1, "oscillating"),
        (0.15, "oscillating"),
        (0.19, "oscillating"),
        (0.2, "diverging"),
        (0.21, "diverging"),
    ],
)
def test_two_parameter_regimes(lr: float, expected: str) -> None:
    # The float 0.2 is 0.2000000000000000111..., so 0.2 * 10 is just above 2: the
    # exact regime of the float critical rate is "diverging" (by 1 part in 1e16).
    # Likewise 0.1 * 10 is just above 1, so 0.1 is (barely) "oscillating".
    assert regime(diagonal_quadratic([1, 10]), lr) == expected


def test_two_parameter_bouncing_and_one_step() -> None:
    assert regime(diagonal_quadratic([1, 8]), 0.25) == "bouncing"
    assert regime(diagonal_quadratic([4, 4]), 0.25) == "one step"
    assert regime(diagonal_quadratic([2, 4]), 0.25) == "monotone"
    run = run_gradient_descent(diagonal_quadratic([1, 8]), [1.0, 1.0], 0.25, 50)
    assert np.all(np.abs(run.positions[:, 1]) == 1.0)
    assert run.positions[-1, 0] == pytest.approx(0.75**50)


def test_two_parameter_runs_converge_below_and_diverge_above_critical() -> None:
    loss = diagonal_quadratic([1, 10])
    below = run_gradient_descent(loss, [1.0, 1.0], 0.19, 3000)
    assert not below.diverged
    assert below.distances()[-1] < 1e-12
    above = run_gradient_descent(loss, [1.0, 1.0], 0.21, 3000)
    assert above.diverged
    best = run_gradient_descent(loss, [1.0, 1.0], best_learning_rate(loss), 100)
    assert best.distances()[-1] < 2 * (9 / 11) ** 100


# -------------------------------------------------------------------- bad input


def _shifted() -> Loss:
    return make_loss(lambda x: (x - 1) ** 2, lambda x: 2 * (x - 1), curvatures=[2.0], minimiser=1)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: curvature("x**2"), TypeError, "loss must be a lrtutor Loss"),
        (lambda: curvature(CUBIC), ValueError, "no constant curvature"),
        (lambda: critical_learning_rate(CUBIC), ValueError, "no constant curvature"),
        (lambda: curvature(diagonal_quadratic([1, 2])), ValueError, "one parameter"),
        (lambda: one_step_learning_rate(diagonal_quadratic([1, 2])), ValueError, "one parameter"),
        (lambda: condition_number(None), TypeError, "loss"),
        (
            lambda: critical_learning_rate(
                make_loss(lambda x: -(x**2), lambda x: -2 * x, curvatures=[-2.0])
            ),
            ValueError,
            "curvatures must be finite and > 0",
        ),
        (lambda: regime(SQUARE, 0.0), ValueError, "learning_rate must be finite and > 0"),
        (lambda: regime(SQUARE, -0.1), ValueError, "learning_rate"),
        (lambda: regime(SQUARE, math.nan), ValueError, "learning_rate"),
        (lambda: contraction_factor(SQUARE, math.inf), ValueError, "learning_rate"),
        (lambda: regime(SQUARE, True), TypeError, "learning_rate must be a real number"),
        (lambda: regime(SQUARE, "0.1"), TypeError, "learning_rate"),
        (lambda: regime(SQUARE, constant_schedule(0.1)), TypeError, "not a schedule"),
        (
            lambda: closed_form_steps(SQUARE, 2.0, 0.1, 0.0),
            ValueError,
            "tol must be finite and > 0",
        ),
        (lambda: closed_form_steps(SQUARE, 2.0, 0.1, -1.0), ValueError, "tol"),
        (lambda: closed_form_steps(SQUARE, math.nan, 0.1, 0.01), ValueError, "x0 must be finite"),
        (lambda: closed_form_steps(SQUARE, "2", 0.1, 0.01), TypeError, "x0 must be a real"),
        (lambda: closed_form_steps(SQUARE, 2.0, 0, 0.01), ValueError, "learning_rate"),
        (lambda: closed_form_steps(SQUARE, 1e60, 0.1, 0.01), ValueError, "the loss there is .* above 1e100"),
        (lambda: closed_form_steps(_shifted(), 2.0, 0.1, 0.01), ValueError, "minimiser 0"),
        (lambda: closed_form_steps(CUBIC, 2.0, 0.1, 0.01), ValueError, "curvature"),
        (
            lambda: closed_form_steps(diagonal_quadratic([1, 2]), 2.0, 0.1, 0.01),
            ValueError,
            "one parameter",
        ),
    ],
)
def test_errors(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_regime_takes_exact_rates_exactly() -> None:
    from fractions import Fraction

    from lrtutor import diagonal_quadratic, quadratic, regime

    two_dims = diagonal_quadratic([1.0, 10.0])
    assert regime(two_dims, Fraction(1, 5)) == "bouncing"
    assert regime(two_dims, 0.2) == "diverging"  # the float 0.2 is slightly above 1/5
    assert regime(quadratic(3.0), Fraction(1, 6)) == "one step"
    assert regime(quadratic(3.0), 1 / 6) == "monotone"  # the float 1/6 is below 1/6
    assert regime(quadratic(0.5), 1) == "one step"
