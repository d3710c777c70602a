"""Two-layer network: slope and exact Hessian-vector products against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from lrtutor import (
    central_difference,
    hessian_eigenvalues,
    initial_weights,
    least_squares,
    load_diabetes,
    sharpness,
    two_layer_network,
)

DATA = load_diabetes(intercept=False)
LOSS = two_layer_network(DATA.X, DATA.y, hidden=4)
RNG = np.random.default_rng(5)


def points() -> list[np.ndarray]:
    return [initial_weights(LOSS, seed=1)] + [RNG.normal(size=LOSS.dim) for _ in range(2)]


def along(f, w: np.ndarray, v: np.ndarray, h: float = 1e-5):
    return central_difference(lambda t: f(w + t * v), 0.0, h)


def test_value_is_half_the_mean_squared_error_of_the_network() -> None:
    w = RNG.normal(size=LOSS.dim)
    W1, b1 = w[:40].reshape(4, 10), w[40:44]
    w2, b2 = w[44:48], w[48]
    predictions = np.array([w2 @ np.tanh(W1 @ x + b1) + b2 for x in DATA.X])
    assert LOSS.value(w) == pytest.approx(np.mean((predictions - DATA.y) ** 2) / 2, rel=1e-12)


def test_slope_matches_central_differences() -> None:
    for w in points():
        for i in range(LOSS.dim):
            e = np.eye(LOSS.dim)[i]
            assert LOSS.slope(w)[i] == pytest.approx(along(LOSS.value, w, e), rel=1e-6, abs=1e-9)


def test_hessian_vector_product_matches_central_differences_of_the_slope() -> None:
    for w in points():
        for _ in range(3):
            v = RNG.normal(size=LOSS.dim)
            expected = along(LOSS.slope, w, v)
            assert LOSS.hessian_vector_product(w, v) == pytest.approx(
                expected, rel=1e-6, abs=1e-8
            )


def test_hessian_is_symmetric_and_lanczos_finds_its_top_eigenvalue() -> None:
    w = points()[1]
    H = LOSS.hessian(w)
    raw = np.column_stack([LOSS.hessian_vector_product(w, e) for e in np.eye(LOSS.dim)])
    assert raw == pytest.approx(raw.T, abs=1e-10)  # exact products give a symmetric matrix
    top = np.linalg.eigvalsh(H)[-1]
    assert hessian_eigenvalues(LOSS, w)[-1] == pytest.approx(top, rel=1e-12)
    assert sharpness(LOSS, w, method="lanczos") == pytest.approx(top, rel=1e-8)


def test_one_linear_unit_near_zero_is_almost_least_squares() -> None:
    # tanh(z) = z - z**3/3 + ...: with a first-layer weight of 1e-6 the hidden unit is
    # linear to about 1e-18, so the network is the linear model 1e-6 * x0 + 0.5.
    X, y = DATA.X[:, :2], DATA.y
    loss = two_layer_network(X, y, hidden=1)
    w = np.array([1e-6, 0.0, 0.0, 1.0, 0.5])
    linear = least_squares(np.c_[X, np.ones(len(y))], y)
    assert loss.value(w) == pytest.approx(linear.value(np.array([1e-6, 0.0, 0.5])), rel=1e-9)


def test_rows_keeps_the_architecture() -> None:
    subset = LOSS.rows(np.arange(10))
    assert subset.dim == LOSS.dim and subset.n_samples == 10


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: two_layer_network(DATA.X, DATA.y, hidden=0), ValueError, "^hidden"),
        (lambda: two_layer_network(DATA.X, DATA.y, hidden=2.5), TypeError, "^hidden"),
        (lambda: two_layer_network(DATA.X, DATA.y[:5]), ValueError, "^y must have one entry"),
        (lambda: two_layer_network(DATA.X[:, 0], DATA.y), ValueError, "^X must have 2"),
        (lambda: LOSS.hessian_vector_product(np.zeros(LOSS.dim), np.zeros(3)), ValueError,
         r"^v must have shape \(49,\)"),
        (lambda: initial_weights(least_squares(DATA.X, DATA.y)), ValueError, "^loss must be made"),
        (lambda: initial_weights("net"), TypeError, "^loss"),
        (lambda: initial_weights(LOSS, seed=-1), ValueError, "^seed"),
    ],
)
def test_bad_input_is_refused(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
