"""Sharpness and Hessian eigenvalues against numpy's eigvalsh of the dense Hessian."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lrtutor import (
    hessian_eigenvalues,
    least_squares,
    load_breast_cancer,
    load_diabetes,
    logistic_regression,
    quadratic,
    sharpest_direction,
    sharpness,
)
from lrtutor.hessian import DENSE_LIMIT

RNG = np.random.default_rng(11)
DIABETES = load_diabetes()
CANCER = load_breast_cancer()
REGRESSION = least_squares(DIABETES.X, DIABETES.y)
CLASSIFIER = logistic_regression(CANCER.X, CANCER.y)


def reference_hessian_logistic(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    p = 1 / (1 + np.exp(-(X @ w)))
    return sum(pi * (1 - pi) * np.outer(x, x) for pi, x in zip(p, X, strict=True)) / len(X)


def test_diagonal_design_has_the_squares_as_curvatures() -> None:
    # X = diag(1, 2, 3) with n = 3 rows: X.T X / n = diag(1, 4, 9) / 3.
    loss = least_squares(np.diag([1.0, 2.0, 3.0]), np.zeros(3))
    assert hessian_eigenvalues(loss, np.zeros(3)) == pytest.approx([1 / 3, 4 / 3, 3.0])
    value, vector = sharpest_direction(loss, np.ones(3))
    assert value == pytest.approx(3.0)
    assert vector.tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("method", ["dense", "lanczos", "auto"])
def test_least_squares_sharpness_is_the_top_eigenvalue_of_xtx_over_n(method: str) -> None:
    X = DIABETES.X
    expected = np.linalg.eigvalsh(X.T @ X / len(X))[-1]
    assert sharpness(REGRESSION, RNG.normal(size=11), method=method) == pytest.approx(
        expected, rel=1e-10
    )


@pytest.mark.parametrize("method", ["dense", "lanczos"])
def test_logistic_sharpness_and_direction_match_eigvalsh(method: str) -> None:
    for w in (np.zeros(11), RNG.normal(size=11)):
        H = reference_hessian_logistic(CANCER.X, w)
        values = np.linalg.eigvalsh(H)
        assert hessian_eigenvalues(CLASSIFIER, w) == pytest.approx(values, rel=1e-9, abs=1e-12)
        value, vector = sharpest_direction(CLASSIFIER, w, method=method)
        assert value == pytest.approx(values[-1], rel=1e-9)
        assert np.linalg.norm(vector) == pytest.approx(1.0)
        assert H @ vector == pytest.approx(values[-1] * vector, rel=1e-6, abs=1e-9)


def test_auto_uses_lanczos_beyond_the_dense_limit() -> None:
    d = DENSE_LIMIT + 20
    X = RNG.normal(size=(d + 50, d))
    loss = least_squares(X, RNG.normal(size=d + 50))

    def no_dense(w: object) -> np.ndarray:
        raise AssertionError("the dense Hessian was formed")

    lazy = dataclasses.replace(loss, hessian=no_dense)
    expected = np.linalg.eigvalsh(X.T @ X / len(X))[-1]
    assert sharpness(lazy, np.zeros(d)) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: sharpness(quadratic(1.0), [0.0]), TypeError, "^loss must be a lrtutor DataLoss"),
        (lambda: sharpness(REGRESSION, np.zeros(3)), ValueError,
         r"^params must have shape \(11,\)"),
        (lambda: sharpness(REGRESSION, np.full(11, np.nan)), ValueError, "^params must be finite"),
        (lambda: sharpness(REGRESSION, "0"), TypeError, "^params"),
        (lambda: sharpness(REGRESSION, np.zeros(11), method="power"), ValueError, "^method"),
        (lambda: hessian_eigenvalues(REGRESSION, None), TypeError, "^params"),
    ],
)
def test_bad_input_is_refused(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_lanczos_needs_two_parameters() -> None:
    loss = least_squares([[1.0], [2.0]], [0.0, 1.0])
    assert sharpness(loss, [0.0]) == pytest.approx(2.5)
    with pytest.raises(ValueError, match=r"^method='lanczos' needs at least 2"):
        sharpness(loss, [0.0], method="lanczos")
