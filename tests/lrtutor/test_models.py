"""Losses on data: minima against numpy and scikit-learn, slopes and Hessian-vector
products against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import log_loss, mean_squared_error

from lrtutor import (
    DataLoss,
    central_difference,
    least_squares,
    load_breast_cancer,
    load_diabetes,
    logistic_regression,
    run_gradient_descent,
)

DIABETES = load_diabetes()
CANCER = load_breast_cancer()
REGRESSION = least_squares(DIABETES.X, DIABETES.y)
CLASSIFIER = logistic_regression(CANCER.X, CANCER.y)
RNG = np.random.default_rng(7)
LOSSES = [REGRESSION, CLASSIFIER]
IDS = ["least squares", "logistic"]


def random_points(dim: int, k: int = 3) -> list[np.ndarray]:
    return [np.zeros(dim)] + [RNG.normal(scale=0.7, size=dim) for _ in range(k)]


def directional(f, w: np.ndarray, v: np.ndarray, h: float = 1e-5):
    """Central difference of f along v at w: (f(w + h v) - f(w - h v)) / 2h."""
    return central_difference(lambda t: f(w + t * v), 0.0, h)


def test_least_squares_minimum_equals_lstsq_and_sklearn() -> None:
    X, y = DIABETES.X, DIABETES.y
    reference = np.linalg.lstsq(X, y, rcond=None)[0]
    # scikit-learn fits the intercept itself: give it the features without the ones.
    model = LinearRegression().fit(X[:, 1:], y)
    sk_weights = np.r_[model.intercept_, model.coef_]
    sk_loss = mean_squared_error(y, model.predict(X[:, 1:])) / 2
    ours = np.array(REGRESSION.minimiser)
    assert REGRESSION.value(ours) == pytest.approx(sk_loss, rel=1e-9)
    assert ours == pytest.approx(sk_weights, rel=1e-6, abs=1e-9)
    # Newton's step from 0 with our slope and Hessian lands on the minimum.
    newton = -np.linalg.solve(REGRESSION.hessian(np.zeros(11)), REGRESSION.slope(np.zeros(11)))
    assert newton == pytest.approx(reference, rel=1e-8, abs=1e-10)


def test_least_squares_value_is_half_the_mean_squared_error() -> None:
    w = RNG.normal(size=11)
    expected = mean_squared_error(DIABETES.y, DIABETES.X @ w) / 2
    assert REGRESSION.value(w) == pytest.approx(expected, rel=1e-12)


def test_logistic_minimum_equals_sklearn() -> None:
    X, y = CANCER.X, CANCER.y
    # C=inf is scikit-learn 1.8's spelling of penalty=None (no regularisation).
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000).fit(X[:, 1:], y)
    sk_loss = log_loss(y, model.predict_proba(X[:, 1:])[:, 1])
    found = minimize(CLASSIFIER.value, np.zeros(11), jac=CLASSIFIER.slope,
                     hess=CLASSIFIER.hessian, method="trust-exact", options={"gtol": 1e-10})
    assert found.success
    assert found.fun == pytest.approx(sk_loss, rel=1e-6)
    assert CLASSIFIER.value(found.x) <= sk_loss * (1 + 1e-9)


def test_logistic_value_is_the_cross_entropy() -> None:
    w = RNG.normal(size=11)
    p = 1 / (1 + np.exp(-(CANCER.X @ w)))
    assert CLASSIFIER.value(w) == pytest.approx(log_loss(CANCER.y, p), rel=1e-10)


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_slope_matches_central_differences(loss: DataLoss) -> None:
    for w in random_points(loss.dim):
        for i in range(loss.dim):
            e = np.eye(loss.dim)[i]
            assert loss.slope(w)[i] == pytest.approx(
                directional(loss.value, w, e), rel=1e-6, abs=1e-8
            )


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_hessian_vector_products_match_central_differences_of_the_slope(loss: DataLoss) -> None:
    for w in random_points(loss.dim):
        v = RNG.normal(size=loss.dim)
        estimate = directional(loss.slope, w, v)
        assert loss.hessian_vector_product(w, v) == pytest.approx(estimate, rel=1e-6, abs=1e-8)
        assert loss.hessian(w) @ v == pytest.approx(estimate, rel=1e-6, abs=1e-8)
        assert np.array_equal(loss.hessian(w), loss.hessian(w).T)


def test_least_squares_hessian_is_constant_and_xtx_over_n() -> None:
    X = DIABETES.X
    expected = X.T @ X / X.shape[0]
    for w in random_points(11):
        assert REGRESSION.hessian(w) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_rows_is_the_same_loss_on_a_subset() -> None:
    rows = np.arange(0, 442, 5)
    subset = REGRESSION.rows(rows)
    direct = least_squares(DIABETES.X[rows], DIABETES.y[rows])
    w = RNG.normal(size=11)
    assert subset.value(w) == direct.value(w)
    assert subset.n_samples == rows.size
    assert CLASSIFIER.rows(rows).family == "logistic"


def test_rows_needs_a_loss_made_by_lrtutor() -> None:
    bare = DataLoss(name="bare", value=lambda w: 0.0, slope=lambda w: w, dim=2)
    with pytest.raises(ValueError, match="rows"):
        bare.rows([0])
    with pytest.raises(ValueError, match=r"^X must not be empty"):
        REGRESSION.rows(np.array([], dtype=int))


def test_runner_records_divergence_without_warnings() -> None:
    run = run_gradient_descent(REGRESSION, np.zeros(11), 1.0, 2000)  # 2/L is about 0.5
    assert run.diverged
    assert np.all(np.isfinite(run.losses))


def test_logistic_saturated_weights_stay_finite() -> None:
    w = np.full(11, 1e6)
    assert np.isfinite(CLASSIFIER.value(w))
    assert np.all(np.isfinite(CLASSIFIER.slope(w)))
    assert np.all(CLASSIFIER.hessian(w) == 0)


@pytest.mark.parametrize("build", [least_squares, logistic_regression])
@pytest.mark.parametrize(
    ("X", "y", "error", "name"),
    [
        ([[1.0, np.nan]], [1.0], ValueError, "X"),
        ([[1.0, 2.0]], [np.inf], ValueError, "y"),
        ([1.0, 2.0], [1.0, 0.0], ValueError, "X"),
        ([[1.0], [2.0]], [[1.0], [0.0]], ValueError, "y"),
        ([[1.0], [2.0]], [1.0], ValueError, "y"),
        (np.empty((0, 2)), np.empty(0), ValueError, "X"),
        ([["a"]], [1.0], TypeError, "X"),
        ([[1.0]], None, TypeError, "y"),
    ],
)
def test_bad_data_is_refused(build, X, y, error, name) -> None:
    with pytest.raises(error, match=rf"^{name}\b"):
        build(X, y)


@pytest.mark.parametrize("labels", [[0.0, 2.0], [0.0, 0.5], [-1.0, 1.0]])
def test_labels_outside_0_1_are_refused(labels) -> None:
    with pytest.raises(ValueError, match=r"^y must hold labels 0 and 1"):
        logistic_regression([[1.0], [2.0]], labels)


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_weights_of_the_wrong_shape_are_refused(loss: DataLoss) -> None:
    with pytest.raises(ValueError, match=r"^x must have shape \(11,\)"):
        loss.value(np.zeros(3))
    with pytest.raises(ValueError, match=r"^w must have shape \(11,\)"):
        loss.hessian(np.zeros(3))
    with pytest.raises(ValueError, match=r"^v must have shape \(11,\)"):
        loss.hessian_vector_product(np.zeros(11), np.zeros(2))
