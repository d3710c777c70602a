"""lrtutor.stochastic and lrtutor.minibatch against independent references.

Closed forms against seeded simulation (within a few Monte Carlo standard errors),
batch-gradient variance against enumeration of every batch, the noise scale against a
direct computation, the mini-batch critical rate against long simulations and its
B -> infinity limit, and one epoch of batch-size-1 SGD against scikit-learn.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

import lrtutor
from lrtutor import (
    SQUARE,
    batch_gradient_variance,
    gradient_noise_scale,
    inverse_time_decay,
    least_squares,
    load_diabetes,
    mean_square_error,
    minibatch_best_rate,
    minibatch_critical_rate,
    minibatch_expected_loss,
    per_example_gradients,
    run_gradient_descent,
    run_sgd,
    run_sgd_many,
    stationary_variance,
)

TINY = least_squares(
    [[1.0, 0.5], [1.0, -1.0], [1.0, 2.0], [1.0, 0.0], [1.0, 1.5]], [0.3, -1.0, 2.5, 0.1, 0.9]
)


@pytest.fixture(scope="module")
def diabetes():
    data = load_diabetes()
    return data, least_squares(data.X, data.y)


# ------------------------------------------------------------------- the noisy quadratic


@pytest.mark.parametrize("eta", [0.05, 0.1, 0.5, 0.9])
def test_stationary_variance_matches_simulation(eta) -> None:
    runs = run_sgd_many(SQUARE, 2.0, eta, 300, 4000, noise_std=1.0, seed=3)
    mean, se = runs.mean_loss()[-1], runs.standard_error()[-1]
    exact = stationary_variance(2.0, eta, 1.0)  # on x**2 (L = 2) the mean loss is E x²
    assert abs(mean - exact) < 4 * se
    assert exact == pytest.approx(eta / (2 * (2 - 2 * eta)))


def test_mean_square_error_closed_form_and_recursion_agree() -> None:
    closed = mean_square_error(2.0, 0.3, 0.5, 2.0, 50)
    schedule = mean_square_error(2.0, lambda t: 0.3, 0.5, 2.0, 50)
    np.testing.assert_allclose(closed, schedule, rtol=1e-12)
    runs = run_sgd_many(SQUARE, 2.0, 0.3, 50, 4000, noise_std=math.sqrt(0.5), seed=1)
    se = runs.standard_error()
    assert np.all(np.abs(runs.mean_loss() - closed) < 5 * se + 1e-12)


def test_one_over_t_with_the_right_constant_is_the_running_mean() -> None:
    """eta_t = 1 / (L (t + 1)) makes E x_t² = s² / (L² t) exactly, whatever x0."""
    mse = mean_square_error(2.0, inverse_time_decay(0.5, decay_rate=1.0), 1.0, 2.0, 100)
    np.testing.assert_allclose(mse[1:], 1.0 / (4 * np.arange(1, 101)), rtol=1e-12)


def test_sgd_without_noise_is_gradient_descent(diabetes) -> None:
    plain = run_gradient_descent(SQUARE, 2.0, 0.1, 20)
    sgd = run_sgd(SQUARE, 2.0, 0.1, 20)
    np.testing.assert_array_equal(sgd.positions, plain.positions)
    _, loss = diabetes
    w0 = np.zeros(loss.dim)
    full = run_sgd(loss, w0, 0.3, 10)
    np.testing.assert_allclose(full.positions, run_gradient_descent(loss, w0, 0.3, 10).positions,
                               rtol=1e-12, atol=1e-14)


def test_seeded_runs_repeat_and_many_runs_start_with_the_single_run(diabetes) -> None:
    _, loss = diabetes
    w0 = np.zeros(loss.dim)
    a = run_sgd(loss, w0, 0.05, 30, batch_size=8, noise_std=0.1, seed=7)
    b = run_sgd(loss, w0, 0.05, 30, batch_size=8, noise_std=0.1, seed=7)
    np.testing.assert_array_equal(a.positions, b.positions)
    many = run_sgd_many(loss, w0, 0.05, 30, 1, batch_size=8, noise_std=0.1, seed=7)
    np.testing.assert_allclose(many.final_positions[0], a.final_x, rtol=1e-12)
    np.testing.assert_allclose(many.losses[0], a.losses, rtol=1e-10)
    assert a.batches.shape == (30, 8) and a.epochs.tolist() == [0] * 30  # 55 batches an epoch


def test_numbers_are_pinned_across_numpy_versions() -> None:
    """PCG64's stream is fixed: these digits hold on NumPy 1.26 and 2 alike."""
    run = run_sgd(SQUARE, 2.0, 0.1, 3, noise_std=1.0, seed=0)
    np.testing.assert_allclose(run.positions, [2.0, 1.58742698, 1.28315207, 0.96247939],
                               rtol=0, atol=1e-8)


def test_epochs_visit_every_example_once(diabetes) -> None:
    _, loss = diabetes
    run = run_sgd(loss, np.zeros(loss.dim), 0.01, 2 * (442 // 32), batch_size=32, seed=2)
    for epoch in (0, 1):
        seen = run.batches[run.epochs == epoch].ravel()
        assert len(set(seen.tolist())) == seen.size == 32 * (442 // 32)
    ordered = run_sgd(loss, np.zeros(loss.dim), 0.01, 3, batch_size=4, shuffle=False)
    assert ordered.batches.tolist() == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


def test_a_run_that_blows_up_is_marked() -> None:
    run = run_sgd(SQUARE, 2.0, 1.5, 2000, noise_std=1.0)
    assert run.diverged and run.diverged_at is not None and np.all(np.isfinite(run.losses))
    with pytest.raises(ValueError, match="3 of 3 runs diverged"):
        run_sgd_many(SQUARE, 2.0, 1.5, 2000, 3, noise_std=1.0)


# ------------------------------------------------------------ batch-gradient variance


def _enumerated_variance(loss, w, batch_size: int, replace: bool) -> float:
    g = per_example_gradients(loss, w)
    G = g.mean(axis=0)
    n = g.shape[0]
    batches = (itertools.product(range(n), repeat=batch_size) if replace
               else itertools.combinations(range(n), batch_size))
    squares = [float(np.sum((g[list(b)].mean(axis=0) - G) ** 2)) for b in batches]
    return sum(squares) / len(squares)


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("batch_size", [1, 2, 3, 5])
def test_batch_variance_against_every_batch(batch_size, replace) -> None:
    w = np.array([0.2, -0.4])
    expected = _enumerated_variance(TINY, w, batch_size, replace)
    assert batch_gradient_variance(TINY, w, batch_size, replace=replace) == pytest.approx(
        expected, rel=1e-12, abs=1e-15)


def test_per_example_gradients_average_to_the_gradient(diabetes) -> None:
    _, loss = diabetes
    w = np.linspace(-0.3, 0.3, loss.dim)
    np.testing.assert_allclose(per_example_gradients(loss, w).mean(axis=0), loss.slope(w),
                               rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------ gradient noise scale


def test_noise_scale_against_a_direct_computation(diabetes) -> None:
    _, loss = diabetes
    w = np.full(loss.dim, 0.1)
    X, y = loss.X, loss.y
    rows = [X[i] * (X[i] @ w - y[i]) for i in range(len(y))]
    G = sum(rows) / len(rows)
    sigma = sum(np.outer(r - G, r - G) for r in rows) / len(rows)
    H = X.T @ X / len(y)
    scale = gradient_noise_scale(loss, w)
    assert scale.b_simple == pytest.approx(np.trace(sigma) / (G @ G), rel=1e-10)
    assert scale.b_noise == pytest.approx(np.trace(H @ sigma) / (G @ H @ G), rel=1e-10)
    assert scale.max_rate == pytest.approx((G @ G) / (G @ H @ G), rel=1e-12)


def test_best_rate_of_the_noise_scale_is_the_exact_one_step_optimum() -> None:
    w0 = np.array([0.0, 0.0])
    scale = gradient_noise_scale(TINY, w0)
    for batch_size in (1, 3, 50):
        assert minibatch_best_rate(TINY, w0, batch_size, 1) == pytest.approx(
            scale.best_rate(batch_size), rel=1e-3)


# ------------------------------------------------- second moments and the critical rate


def test_expected_loss_matches_simulation_with_replacement() -> None:
    w0 = np.array([0.0, 0.0])
    exact = minibatch_expected_loss(TINY, w0, 0.2, 2, 40)
    runs = run_sgd_many(TINY, w0, 0.2, 40, 4000, batch_size=2, replace=True, seed=5)
    assert np.all(np.abs(runs.mean_loss() - exact) < 5 * runs.standard_error() + 1e-12)


def test_critical_rate_tends_to_the_full_batch_limit(diabetes) -> None:
    _, loss = diabetes
    limit = 2 / lrtutor.sharpness(loss, np.zeros(loss.dim))
    rates = [minibatch_critical_rate(loss, b) for b in (1, 4, 64, 1e4, 1e9)]
    assert all(a < b for a, b in itertools.pairwise(rates))
    assert rates[-1] == pytest.approx(limit, rel=1e-8) and rates[-2] < limit


@pytest.mark.parametrize(("factor", "grows"), [(0.95, False), (1.05, True)])
def test_critical_rate_against_long_runs(factor, grows) -> None:
    """The exact mean square error, and its simulation, just below and above the limit."""
    w0 = np.array([0.0, 0.0])
    eta = factor * minibatch_critical_rate(TINY, 1)
    exact = minibatch_expected_loss(TINY, w0, eta, 1, 300)
    assert bool(exact[-1] > 10 * exact[150]) is grows
    if not grows:
        runs = run_sgd_many(TINY, w0, eta, 300, 4000, batch_size=1, replace=True, seed=0)
        assert abs(runs.mean_loss()[-1] - exact[-1]) < 5 * runs.standard_error()[-1]


# ----------------------------------------------------------------------- scikit-learn


def test_one_epoch_in_data_order_is_sklearns_sgd_regressor(diabetes) -> None:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDRegressor

    data, loss = diabetes
    eta = 0.01
    run = run_sgd(loss, np.zeros(loss.dim), eta, data.n_samples, batch_size=1, shuffle=False)
    with warnings.catch_warnings():  # max_iter=1, tol=None: it says it did not converge
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = SGDRegressor(loss="squared_error", penalty=None, learning_rate="constant",
                             eta0=eta, shuffle=False, max_iter=1, tol=None)
        model.fit(data.X[:, 1:], data.y)  # column 0 of X is lrtutor's intercept
    np.testing.assert_allclose(model.coef_, run.final_x[1:], rtol=0, atol=1e-12)
    assert abs(model.intercept_[0] - run.final_x[0]) < 1e-12


# ------------------------------------------------------------------------- bad input

BAD = [
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 6}, ValueError, "batch_size"),
    ({"batch_size": 2.0}, TypeError, "batch_size"),
    ({"batch_size": True}, TypeError, "batch_size"),
    ({"noise_std": -1.0}, ValueError, "noise_std"),
    ({"noise_std": math.nan}, ValueError, "noise_std"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"seed": -1}, ValueError, "seed"),
    ({"batch_size": 2, "replace": True, "shuffle": False}, ValueError, "shuffle"),
    ({"replace": 1}, TypeError, "replace"),
]


@pytest.mark.parametrize(("kwargs", "error", "name"), BAD, ids=str)
@pytest.mark.parametrize("runner", ["run_sgd", "run_sgd_many"])
def test_bad_input_names_the_argument(kwargs, error, name, runner) -> None:
    extra = {"n_runs": 2} if runner == "run_sgd_many" else {}
    with pytest.raises(error, match=name):
        getattr(lrtutor, runner)(TINY, [0.0, 0.0], 0.1, 3, **extra, **kwargs)


def test_batch_size_needs_data_and_replace_allows_large_batches() -> None:
    with pytest.raises(ValueError, match="batch_size needs a loss on data"):
        run_sgd(SQUARE, 2.0, 0.1, 3, batch_size=2)
    with pytest.raises(ValueError, match=r"batch_size must be an int in \[1, 5\]"):
        run_sgd(TINY, [0.0, 0.0], 0.1, 3, batch_size=8, replace=False)
    assert run_sgd(TINY, [0.0, 0.0], 0.1, 3, batch_size=8, replace=True).batches.shape == (3, 8)
    with pytest.raises(ValueError, match="learning_rate"):
        stationary_variance(2.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_critical_rate(TINY, 0.5)
    with pytest.raises(ValueError, match="gradient is zero"):
        gradient_noise_scale(least_squares([[1.0], [1.0]], [1.0, 1.0]), [1.0])
