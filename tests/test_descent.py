"""Gradient descent against the closed form x_t = x_0 (1 - 2 lr)^t and exact arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from lrtutor import (
    CUBIC,
    SQUARE,
    diagonal_quadratic,
    gradient_step,
    quadratic,
    run_gradient_descent,
    run_momentum_descent,
    run_sign_descent,
    steps_to_tolerance,
)


@pytest.mark.parametrize("lr", [0.0001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
@pytest.mark.parametrize("x0", [2.0, -3.5])
def test_matches_closed_form(lr: float, x0: float) -> None:
    run = run_gradient_descent(SQUARE, x0, lr, 40)
    t = np.arange(41)
    expected = x0 * (1 - 2 * lr) ** t
    np.testing.assert_allclose(run.positions, expected, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(run.losses, expected**2, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(run.slopes, 2 * expected, rtol=1e-12, atol=1e-300)
    assert run.learning_rates.shape == (40,) and np.all(run.learning_rates == lr)
    assert not run.diverged and run.diverged_at is None


def test_shapes_and_first_step() -> None:
    run = run_gradient_descent(SQUARE, 2.0, 0.25, 5)
    assert run.positions.shape == (6,) and run.losses.shape == (6,)
    assert run.slopes.shape == (6,) and run.learning_rates.shape == (5,)
    assert run.n_steps == 5
    assert run.positions[1] == 1.0 and run.final_x == 2.0 / 32
    assert isinstance(run.final_x, float) and isinstance(run.final_loss, float)
    assert gradient_step(2.0, 4.0, 0.25) == 1.0


@pytest.mark.parametrize("lr", [1.01, 1.1, 2.0, 10.0])
def test_diverges_above_critical_rate_without_warnings(lr: float) -> None:
    run = run_gradient_descent(SQUARE, 2.0, lr, 100_000)
    assert run.diverged
    # Closed form: |x_t| = 2 |1 - 2 lr|^t; the loss passes 1e100 at the first t with
    # 4 |1 - 2 lr|^(2t) > 1e100.
    factor = abs(1 - 2 * lr)
    first_over = math.floor((100 - math.log10(4)) / (2 * math.log10(factor))) + 1
    assert run.diverged_at == first_over - 1
    assert run.n_steps == first_over - 1
    assert np.all(np.isfinite(run.positions))


def test_cubic_overflow_is_divergence() -> None:
    run = run_gradient_descent(CUBIC, 2.0, 1.0, 50)
    assert run.diverged and np.all(np.isfinite(run.losses))


def test_bouncing_at_one() -> None:
    run = run_gradient_descent(SQUARE, 2.0, 1.0, 6)
    assert run.positions.tolist() == [2.0, -2.0, 2.0, -2.0, 2.0, -2.0, 2.0]
    assert not run.diverged


@pytest.mark.parametrize(
    ("lr", "steps"),
    [(0.0001, 26489), (0.01, 263), (0.1, 24), (0.25, 8), (0.5, 1), (0.9, 24)],
)
def test_walkthrough_step_counts(lr: float, steps: int) -> None:
    assert steps_to_tolerance(SQUARE, 2.0, lr, 0.01) == steps
    # Independent reference: the smallest t with 2 |1 - 2 lr|^t < 0.01, for lr != 0.5.
    if lr != 0.5:
        t_real = math.log(0.01 / 2) / math.log(abs(1 - 2 * lr))
        assert steps == math.ceil(t_real)
    run = run_gradient_descent(SQUARE, 2.0, lr, steps)
    assert run.steps_to_tolerance(0.01) == steps


def test_steps_to_tolerance_none_when_not_converging() -> None:
    assert steps_to_tolerance(SQUARE, 2.0, 1.0, 0.01, max_steps=1000) is None
    assert steps_to_tolerance(SQUARE, 2.0, 1.0, 0.01) is None  # the 2-cycle is detected
    assert steps_to_tolerance(SQUARE, 2.0, 1.5, 0.01) is None
    assert steps_to_tolerance(SQUARE, 2.0, 0.0001, 0.01, max_steps=100) is None
    assert steps_to_tolerance(SQUARE, 0.001, 0.1, 0.01) == 0


def test_sign_descent_exact_reaches_zero_after_20000_steps() -> None:
    run = run_sign_descent(SQUARE, "2", "0.0001", 20002, exact=True)
    positions = list(run.positions)
    assert positions.index(0) == 20000
    assert positions[19999] == Fraction(1, 10000)
    assert positions[20001] == positions[20002] == 0
    assert all(isinstance(p, Fraction) for p in positions)


def test_sign_descent_float_jumps_around_zero() -> None:
    run = run_sign_descent(SQUARE, 2.0, 0.0001, 20020)
    x = run.positions
    assert abs(x[20000]) < 1e-12 and x[20000] != 0
    assert x[20001] == pytest.approx(-0.0001, rel=1e-6)
    # From then on it alternates between the same two points, one step apart.
    assert np.all(x[20000:20020:2] == x[20000]) and np.all(x[20001:20021:2] == x[20001])
    assert x[20000] - x[20001] == pytest.approx(0.0001, rel=1e-6)


def test_runner_on_vectors() -> None:
    loss = diagonal_quadratic([1.0, 10.0])
    run = run_gradient_descent(loss, [1.0, 1.0], 0.1, 30)
    assert run.positions.shape == (31, 2) and run.slopes.shape == (31, 2)
    t = np.arange(31)
    np.testing.assert_allclose(run.positions[:, 0], 0.9**t, rtol=1e-12)
    np.testing.assert_allclose(run.positions[:, 1], 0.0**t, atol=0)
    unstable = run_gradient_descent(loss, [1.0, 1.0], 0.21, 10_000)
    assert unstable.diverged
    assert steps_to_tolerance(loss, [1.0, 1.0], 0.1, 0.01) == math.ceil(
        math.log(0.01) / math.log(0.9)
    )


def test_runner_accepts_a_schedule() -> None:
    halving = run_gradient_descent(SQUARE, 2.0, lambda step: 0.25 / (step + 1), 3)
    assert halving.learning_rates.tolist() == [0.25, 0.125, 0.25 / 3]
    x1 = 2.0 * (1 - 0.5)
    x2 = x1 * (1 - 0.25)
    assert halving.positions[1:3].tolist() == [x1, x2]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: run_gradient_descent(SQUARE, math.nan, 0.1, 5), ValueError, "x0 must be finite"),
        (lambda: run_gradient_descent(SQUARE, math.inf, 0.1, 5), ValueError, "x0 must be finite"),
        (lambda: run_gradient_descent(SQUARE, "2", 0.1, 5), TypeError, "x0 must be a real"),
        (lambda: run_gradient_descent(SQUARE, 2.0, 0.0, 5), ValueError, "learning_rate must be"),
        (lambda: run_gradient_descent(SQUARE, 2.0, -0.1, 5), ValueError, "> 0"),
        (lambda: run_gradient_descent(SQUARE, 2.0, math.nan, 5), ValueError, "learning_rate"),
        (lambda: run_gradient_descent(SQUARE, 2.0, "0.1", 5), TypeError, "learning_rate"),
        (lambda: run_gradient_descent(SQUARE, 2.0, 0.1, -1), ValueError, "n_steps .* >= 0"),
        (lambda: run_gradient_descent(SQUARE, 2.0, 0.1, 2.5), TypeError, "n_steps must be an int"),
        (lambda: run_gradient_descent("x**2", 2.0, 0.1, 5), TypeError, "loss must be"),
        (lambda: run_gradient_descent(SQUARE, 2.0, lambda s: -1.0, 5), ValueError, "schedule"),
        (
            lambda: run_gradient_descent(diagonal_quadratic([1, 2]), [1.0], 0.1, 5),
            ValueError,
            r"x0 must have shape \(2,\)",
        ),
        (lambda: steps_to_tolerance(SQUARE, 2.0, 0.1, 0.0), ValueError, "tol must be"),
        (lambda: steps_to_tolerance(SQUARE, 1e60, 0.1, 0.01), ValueError, "the loss there is .* above 1e100"),
        (lambda: run_gradient_descent(SQUARE, 1e60, 0.1, 3), ValueError, "the loss there is .* above 1e100"),
        (lambda: run_sign_descent(SQUARE, 2.0, 0.0, 5), ValueError, "step_size must be"),
        (lambda: run_sign_descent(SQUARE, 2.0, "0.1", 5, exact=True), TypeError, "x0"),
        (lambda: run_sign_descent(SQUARE, "2", "-1", 5, exact=True), ValueError, "step_size"),
        (lambda: gradient_step(1.0, 1.0, 0), ValueError, "learning_rate"),
    ],
)
def test_bad_input(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


def test_quadratic_critical_rate_is_one_over_a() -> None:
    for a in (0.5, 2.0):
        critical = 2 / (2 * a)
        assert not run_gradient_descent(quadratic(a), 1.0, 0.99 * critical, 2000).diverged
        assert run_gradient_descent(quadratic(a), 1.0, 1.01 * critical, 100_000).diverged


def test_steps_to_tolerance_counts_where_the_run_stays_not_where_it_first_enters() -> None:
    """Momentum 0.5 at rate 0.5 on x**2 from 2: x_1 = 0 is inside, x_2 = -1 is not."""
    run = run_momentum_descent(SQUARE, 2.0, 0.5, 0.5, 40)
    inside = np.abs(run.positions) < 0.01
    assert inside[1] and run.positions[2] == -1.0
    # Independent: the last step outside, by enumeration, plus one.
    last_out = max(t for t in range(41) if not inside[t])
    assert run.steps_to_tolerance(0.01) == last_out + 1 == 16
    assert int(np.argmax(inside)) == 1  # the first entry, which the count is not
    assert run_momentum_descent(SQUARE, 2.0, 0.5, 0.5, 10).steps_to_tolerance(0.01) is None


def test_steps_to_tolerance_of_a_diverged_record_is_none() -> None:
    run = run_gradient_descent(SQUARE, 0.005, 1.2, 2000)
    assert run.diverged and abs(run.positions[0]) < 0.01
    assert run.steps_to_tolerance(0.01) is None


@pytest.mark.parametrize("lr", [1.2, 1.5])
def test_runner_does_not_count_a_start_it_leaves(lr: float) -> None:
    assert steps_to_tolerance(SQUARE, 0.005, lr, 0.01) is None


def test_runner_counts_a_cycle_inside_the_band_as_staying() -> None:
    assert steps_to_tolerance(SQUARE, 0.005, 1.0, 0.01) == 0  # 0.005, -0.005, ... for ever
    assert steps_to_tolerance(SQUARE, 2.0, 1.0, 0.01) is None


def test_runner_with_a_schedule_counts_the_last_entry() -> None:
    """A rate that rises throws the run out of the band; the count is its final entry."""

    def rising(step: int) -> float:
        return 0.25 if step < 10 or step >= 13 else 1.5  # three steps with |1 - 2 lr| = 2

    run = run_gradient_descent(SQUARE, 2.0, rising, 200)
    inside = np.abs(run.positions) < 0.01
    first = int(np.argmax(inside))
    last_out = max(t for t in range(201) if not inside[t])
    assert first < last_out  # it entered, left and came back
    assert steps_to_tolerance(SQUARE, 2.0, rising, 0.01, max_steps=200) == last_out + 1
    assert run.steps_to_tolerance(0.01) == last_out + 1
