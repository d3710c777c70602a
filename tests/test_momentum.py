"""The heavy-ball runner and its analysis, against recurrences and eigenvalues computed here."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from lrtutor import (
    CUBIC,
    SQUARE,
    best_learning_rate,
    best_momentum,
    best_momentum_contraction_factor,
    diagonal_quadratic,
    exponential_decay,
    momentum_contraction_factor,
    momentum_critical_learning_rate,
    quadratic,
    run_gradient_descent,
    run_momentum_descent,
)

KAPPA10 = diagonal_quadratic([1, 10])
START = np.array([-9.0, 1.0])


def _companion_radius(rate: float, beta: float, curvature: float) -> float:
    """Spectral radius of [[1 + beta - rate*L, -beta], [1, 0]], by numpy (LAPACK)."""
    matrix = np.array([[1 + beta - rate * curvature, -beta], [1.0, 0.0]])
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def test_hand_computed_heavy_ball_steps() -> None:
    """x**2 (slope 2x), x0 = 1, rate 1/4, momentum 1/2, by hand:
    v1 = 2, x1 = 1/2; v2 = 1 + 1 = 2, x2 = 0; v3 = 1 + 0 = 1, x3 = -1/4."""
    run = run_momentum_descent(SQUARE, 1.0, 0.25, momentum=0.5, n_steps=3)
    assert run.positions.tolist() == [1.0, 0.5, 0.0, -0.25]
    assert run.learning_rates.tolist() == [0.25, 0.25, 0.25]


def test_matches_the_two_term_recurrence_in_exact_arithmetic() -> None:
    """On a quadratic of curvature L the heavy ball is x_{t+1} = (1 + b - lr*L) x_t - b x_{t-1}
    with x_1 = (1 - lr*L) x_0 (v_0 = 0); here lr, b and L are dyadic, so float is exact."""
    lr, beta, curvature = Fraction(1, 8), Fraction(3, 4), Fraction(6)
    xs = [Fraction(3), (1 - lr * curvature) * 3]
    for _ in range(30):
        xs.append((1 + beta - lr * curvature) * xs[-1] - beta * xs[-2])
    run = run_momentum_descent(quadratic(3.0), 3.0, float(lr), float(beta), 31)
    assert [Fraction(x) for x in run.positions.tolist()] == xs


def test_zero_momentum_is_plain_descent() -> None:
    schedule = exponential_decay(0.15, transition_steps=3, decay_rate=0.8)
    heavy = run_momentum_descent(KAPPA10, START, schedule, 0.0, 40)
    plain = run_gradient_descent(KAPPA10, START, schedule, 40)
    np.testing.assert_array_equal(heavy.positions, plain.positions)
    np.testing.assert_array_equal(heavy.learning_rates, plain.learning_rates)


def _keras_form(rates: list[float], beta: float, x0: np.ndarray, curvatures: np.ndarray) -> list:
    """Keras / Sutskever: u = beta*u - lr*g; x = x + u (the rate inside the velocity)."""
    x, u, xs = x0.copy(), np.zeros_like(x0), [x0.copy()]
    for lr in rates:
        u = beta * u - lr * (curvatures * x)
        x = x + u
        xs.append(x.copy())
    return xs


def test_rate_outside_the_velocity_equals_keras_form_only_for_a_constant_rate() -> None:
    curvatures = np.array([1.0, 10.0])
    constant = run_momentum_descent(KAPPA10, START, 0.1, 0.6, 25)
    np.testing.assert_allclose(
        constant.positions, _keras_form([0.1] * 25, 0.6, START, curvatures), rtol=1e-12, atol=1e-12
    )
    schedule = exponential_decay(0.1, transition_steps=1, decay_rate=0.5)
    scheduled = run_momentum_descent(KAPPA10, START, schedule, 0.6, 25)
    keras = _keras_form([schedule(t) for t in range(25)], 0.6, START, curvatures)
    assert not np.allclose(scheduled.positions, keras)
    # step 2 by hand: optax/PyTorch x2 = x1 - lr1*(0.6*g0 + g1);
    # Keras x2 = x1 + 0.6*(-lr0*g0) - lr1*g1
    g0 = curvatures * START
    x1 = START - 0.1 * g0
    g1 = curvatures * x1
    np.testing.assert_allclose(scheduled.positions[2], x1 - 0.05 * (0.6 * g0 + g1), rtol=1e-15)
    np.testing.assert_allclose(keras[2], x1 - 0.6 * 0.1 * g0 - 0.05 * g1, rtol=1e-15)


def test_nesterov_form_of_optax_and_pytorch() -> None:
    """PyTorch SGD docs: b_t = mu*b_{t-1} + g_t; with nesterov g_t <- g_t + mu*b_t; x -= lr*g_t.
    x**2, x0 = 1, lr 1/4, mu 1/2: b1 = 2, step 2 + 1 = 3, x1 = 1/4; b2 = 1 + 1/2 = 3/2,
    step 1/2 + 3/4 = 5/4, x2 = 1/4 - 5/16 = -1/16."""
    run = run_momentum_descent(SQUARE, 1.0, 0.25, 0.5, 2, nesterov=True)
    assert run.positions.tolist() == [1.0, 0.25, -0.0625]


def test_critical_rate_closed_form() -> None:
    assert momentum_critical_learning_rate(KAPPA10, 0.0) == 0.2
    assert momentum_critical_learning_rate(KAPPA10, 0.5) == 2 * 1.5 / 10
    assert momentum_critical_learning_rate(SQUARE, 0.9) == pytest.approx(1.9)


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.5, 0.9])
def test_stability_edge_by_simulation_on_both_sides(beta: float) -> None:
    edge = 2 * (1 + beta) / 10  # 2(1 + beta) / L_max, written out
    below = run_momentum_descent(KAPPA10, START, edge * 0.98, beta, 5000)
    above = run_momentum_descent(KAPPA10, START, edge * 1.02, beta, 5000)
    assert not below.diverged and below.distances()[-1] < 1e-6
    assert above.diverged or above.distances()[-1] > 1e6
    assert momentum_contraction_factor(KAPPA10, edge * 0.98, beta) < 1
    assert momentum_contraction_factor(KAPPA10, edge * 1.02, beta) > 1


@pytest.mark.parametrize(
    ("rate", "beta"), [(0.1, 0.5), (0.05, 0.9), (0.3, 0.5), (0.18, 0.0), (0.01, 0.2), (0.35, 0.7)]
)
def test_contraction_factor_is_the_companion_matrix_spectral_radius(rate, beta) -> None:
    expected = max(_companion_radius(rate, beta, c) for c in (1.0, 10.0))
    assert momentum_contraction_factor(KAPPA10, rate, beta) == pytest.approx(expected, rel=1e-9)


def test_polyak_best_parameters_for_kappa_10() -> None:
    rate, beta = best_momentum(KAPPA10)
    root = math.sqrt(10)
    assert rate == pytest.approx(4 / (root + 1) ** 2, rel=1e-15)
    assert beta == pytest.approx(((root - 1) / (root + 1)) ** 2, rel=1e-15)
    factor = best_momentum_contraction_factor(KAPPA10)
    assert factor == pytest.approx((root - 1) / (root + 1), rel=1e-15)
    assert round(factor, 2) == 0.52 and factor < 9 / 11
    # at the best choice every direction's factor is sqrt(beta) (double roots)
    for c in (1.0, 10.0):
        assert _companion_radius(rate, beta, c) == pytest.approx(factor, rel=1e-6)


@pytest.mark.parametrize(
    ("curvatures", "expected"),
    [
        ([2.0], (Fraction(1, 2), Fraction(0))),  # one curvature: plain descent's 1/L, no momentum
        ([1.0, 9.0], (Fraction(1, 4), Fraction(1, 4))),
        ([4.0, 16.0], (Fraction(1, 9), Fraction(1, 9))),
    ],
)
def test_polyak_best_parameters_are_exact_where_the_closed_form_is(curvatures, expected) -> None:
    # sqrt(L * mu) is an integer here, so 4 / (sqrt(L) + sqrt(mu))**2 is a fraction
    loss = diagonal_quadratic(curvatures)
    assert best_momentum(loss) == tuple(float(f) for f in expected)
    low, high = min(curvatures), max(curvatures)
    factor = Fraction(high - low) / Fraction(high + low + 2 * math.isqrt(int(high * low)))
    assert best_momentum_contraction_factor(loss) == float(factor)


def test_best_momentum_on_x_squared_equals_best_learning_rate() -> None:
    assert best_momentum(SQUARE) == (best_learning_rate(SQUARE), 0.0)


def test_no_nearby_choice_beats_polyak() -> None:
    rate, beta = best_momentum(KAPPA10)
    best = best_momentum_contraction_factor(KAPPA10)
    for dr in (-0.02, 0.0, 0.02):
        for db in (-0.02, 0.0, 0.02):
            radius = max(_companion_radius(rate * (1 + dr), beta + db, c) for c in (1.0, 10.0))
            assert radius >= best - 1e-7


def test_momentum_beats_plain_descent_from_the_same_start() -> None:
    rate, beta = best_momentum(KAPPA10)
    heavy = run_momentum_descent(KAPPA10, START, rate, beta, 200).steps_to_tolerance(0.01)
    plain = run_gradient_descent(KAPPA10, START, 2 / 11, 200).steps_to_tolerance(0.01)
    assert heavy is not None and plain is not None and heavy < plain


def test_divergence_is_recorded_not_raised() -> None:
    run = run_momentum_descent(KAPPA10, START, 0.5, 0.5, 10_000)
    assert run.diverged and run.diverged_at is not None
    assert np.all(np.isfinite(run.positions))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\), got 1.0"),
        ({"momentum": -0.1}, ValueError, r"momentum must be in \[0, 1\)"),
        ({"momentum": math.nan}, ValueError, "momentum"),
        ({"momentum": "0.9"}, TypeError, "momentum must be a real number"),
        ({"nesterov": 1}, TypeError, "nesterov must be a bool"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be finite and > 0"),
        ({"n_steps": -1}, ValueError, "n_steps"),
    ],
)
def test_bad_input(kwargs, error, match) -> None:
    call = {"loss": SQUARE, "x0": 1.0, "learning_rate": 0.1, "momentum": 0.5, "n_steps": 3}
    with pytest.raises(error, match=match):
        run_momentum_descent(**(call | kwargs))


def test_analysis_bad_input() -> None:
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        momentum_critical_learning_rate(KAPPA10, 1.5)
    with pytest.raises(ValueError, match="no constant curvature"):
        best_momentum(CUBIC)


@pytest.mark.parametrize("beta", [0.3, 0.6, 0.9])
def test_nesterov_edge_is_narrower(beta: float) -> None:
    """On curvature L the Nesterov form is x_{t+1} = (1 + b)(1 - h) x_t - b (1 - h) x_{t-1}
    with h = lr*L; a root r = -1 needs (1 + 2b)(1 - h) = -1, so the edge is
    h = (2 + 2b) / (1 + 2b), below the heavy ball's 2 + 2b. Checked by simulation."""
    edge = (2 + 2 * beta) / (1 + 2 * beta) / 10  # as a rate, for L_max = 10
    below = run_momentum_descent(KAPPA10, START, edge * 0.98, beta, 5000, nesterov=True)
    above = run_momentum_descent(KAPPA10, START, edge * 1.02, beta, 5000, nesterov=True)
    assert not below.diverged and below.distances()[-1] < 1e-6
    assert above.diverged or above.distances()[-1] > 1e6
    assert edge < momentum_critical_learning_rate(KAPPA10, beta)
