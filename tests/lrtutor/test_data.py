"""Data sets: shapes, sources and scaling against scikit-learn's own loaders and scaler."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import datasets
from sklearn.preprocessing import StandardScaler

from lrtutor import add_intercept, load_breast_cancer, load_diabetes, standardise


def test_diabetes_is_scikit_learns_table_standardised() -> None:
    raw = datasets.load_diabetes(scaled=False)
    data = load_diabetes()
    assert data.X.shape == (442, 11) and data.n_samples == 442 and data.n_features == 11
    assert np.all(data.X[:, 0] == 1)
    assert data.X[:, 1:] == pytest.approx(StandardScaler().fit_transform(raw.data), abs=1e-12)
    target = StandardScaler().fit_transform(raw.target[:, None])[:, 0]
    assert data.y == pytest.approx(target, abs=1e-12)
    assert data.columns == ("intercept", *raw.feature_names)


def test_diabetes_unscaled_keeps_original_units() -> None:
    raw = datasets.load_diabetes(scaled=False)
    data = load_diabetes(scale=False, intercept=False)
    assert np.array_equal(data.X, raw.data) and np.array_equal(data.y, raw.target)


def test_breast_cancer_is_scikit_learns_table() -> None:
    raw = datasets.load_breast_cancer()
    data = load_breast_cancer(n_features=30, scale=False, intercept=False)
    assert np.array_equal(data.X, raw.data) and np.array_equal(data.y, raw.target)
    assert data.columns == tuple(raw.feature_names)


def test_breast_cancer_keeps_the_first_features() -> None:
    raw = datasets.load_breast_cancer()
    data = load_breast_cancer(n_features=3)
    assert data.X.shape == (569, 4)
    assert data.X[:, 1:] == pytest.approx(StandardScaler().fit_transform(raw.data[:, :3]))
    assert data.columns[1:] == tuple(raw.feature_names[:3])
    assert set(np.unique(data.y)) == {0.0, 1.0} and data.y.sum() == 357


def test_standardise_matches_standard_scaler() -> None:
    X = np.random.default_rng(3).normal(loc=5, scale=[1, 100], size=(50, 2))
    assert standardise(X) == pytest.approx(StandardScaler().fit_transform(X), abs=1e-12)


def test_add_intercept() -> None:
    assert add_intercept(np.array([[2.0, 3.0]])).tolist() == [[1.0, 2.0, 3.0]]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: standardise([[1.0, 2.0], [1.0, 3.0]]), ValueError, "constant column"),
        (lambda: standardise([[1.0, 2.0]]), ValueError, "^X must have at least 2 rows"),
        (lambda: standardise([1.0, 2.0]), ValueError, "^X must have 2"),
        (lambda: standardise([[np.nan], [1.0]]), ValueError, "^X must be finite"),
        (lambda: add_intercept(np.empty((0, 2))), ValueError, "^X must not be empty"),
        (lambda: load_breast_cancer(n_features=31), ValueError, "^n_features"),
        (lambda: load_breast_cancer(n_features=2.0), TypeError, "^n_features"),
        (lambda: load_diabetes(scale=1), TypeError, "^scale"),
    ],
)
def test_bad_input_is_refused(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
