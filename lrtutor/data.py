"""Real data sets for the real-model pages, loaded from inside scikit-learn (no network).

Both loaders read small tables that scikit-learn ships inside its wheel, the files
behind `sklearn.datasets.load_diabetes` and `sklearn.datasets.load_breast_cancer`;
nothing is downloaded, so the site builds offline. They read the files directly rather
than calling those loaders: importing ``sklearn.datasets`` imports most of scikit-learn
and costs about a second per process, more than the pages' own computations, while the
files take milliseconds. ``tests/lrtutor/test_data.py`` checks the result against scikit-learn's
loaders, so a change in scikit-learn shows at once.

Each loader returns a [`DataSet`][lrtutor.data.DataSet]:
the design matrix (features, optionally standardised, with a leading column of ones for
the intercept) and the targets.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import _validate

__all__ = ["DataSet", "add_intercept", "load_breast_cancer", "load_diabetes", "standardise"]


@dataclass(frozen=True)
class DataSet:
    """A table of examples: features ``X`` and targets ``y``.

    Attributes:
        name: Short name, e.g. ``"diabetes"``.
        X: Design matrix, shape ``(n_samples, n_columns)``; with an intercept, column 0 is
            all ones.
        y: Targets, shape ``(n_samples,)``.
        columns: Name of each column of ``X`` (``"intercept"`` for the column of ones).
        source: Where the data come from, in a sentence.
    """

    name: str
    X: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    columns: tuple[str, ...]
    source: str

    @property
    def n_samples(self) -> int:
        """Number of examples (rows)."""
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """Number of columns of ``X``, the intercept included."""
        return int(self.X.shape[1])


def standardise(X: object) -> np.ndarray:
    """Scale every column to mean 0 and standard deviation 1: ``(X - mean) / std``.

    This is scikit-learn's ``StandardScaler`` with its defaults (population standard
    deviation, ``ddof=0``).

    Args:
        X: Features, shape ``(n_samples, n_features)``, finite, at least 2 rows.

    Returns:
        A new array of the same shape.

    Raises:
        TypeError: If ``X`` does not hold real numbers.
        ValueError: If ``X`` is not 2-D, is empty, is not finite, has fewer than 2 rows
            or has a constant column (its standard deviation is 0).

    Examples:
        >>> standardise([[1.0, 10.0], [3.0, 30.0]]).tolist()
        [[-1.0, -1.0], [1.0, 1.0]]
    """
    X = _validate.real_array("X", X, ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows to standardise, got {X.shape[0]}")
    # A column of entries near 1e308 (or 5e-324) is divided by its largest magnitude
    # first, which leaves the result unchanged: its mean and squares then stay in the
    # float range and keep their digits. Other columns are computed as written, to
    # the last bit of scikit-learn's StandardScaler.
    size = np.max(np.abs(X), axis=0)
    extreme = (size > 1e150) | ((size < 1e-150) & (size > 0))
    scaled = np.where(extreme, X / np.where(extreme, size, 1.0), X)
    std = scaled.std(axis=0)
    if np.any(std == 0):
        raise ValueError(f"X has a constant column (index {int(np.argmin(std))}); cannot scale it")
    return (scaled - scaled.mean(axis=0)) / std


def add_intercept(X: object) -> np.ndarray:
    """Prepend a column of ones, so that the first weight is the intercept (bias).

    Args:
        X: Features, shape ``(n_samples, n_features)``, finite.

    Returns:
        Array of shape ``(n_samples, n_features + 1)``.

    Raises:
        TypeError: If ``X`` does not hold real numbers.
        ValueError: If ``X`` is not 2-D, is empty or is not finite.

    Examples:
        >>> add_intercept([[2.0], [3.0]]).tolist()
        [[1.0, 2.0], [1.0, 3.0]]
    """
    X = _validate.real_array("X", X, ndim=2)
    return np.hstack([np.ones((X.shape[0], 1)), X])


#: Column names as scikit-learn gives them (``feature_names`` of its loaders).
_DIABETES_NAMES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
_NUCLEUS = ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
            "concavity", "concave points", "symmetry", "fractal dimension")
_CANCER_NAMES = (
    *(f"mean {n}" for n in _NUCLEUS), *(f"{n} error" for n in _NUCLEUS),
    *(f"worst {n}" for n in _NUCLEUS),
)


def _shipped(filename: str) -> Path:
    """Path of a data file inside the installed scikit-learn, found without importing it."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "scikit-learn is needed for the data sets: pip install lrtutor[docs]"
        )
    return Path(spec.submodule_search_locations[0]) / "datasets" / "data" / filename


def _design(
    X: np.ndarray, names: list[str], scale: bool, intercept: bool
) -> tuple[np.ndarray, tuple[str, ...]]:
    X = standardise(X) if scale else np.array(X, dtype=float)
    if intercept:
        return add_intercept(X), ("intercept", *names)
    return X, tuple(names)


def load_diabetes(*, scale: bool = True, intercept: bool = True) -> DataSet:
    """The diabetes regression data: 442 patients, 10 measurements, one target.

    Source: Efron, Hastie, Johnstone & Tibshirani (2004), "Least Angle Regression",
    *Annals of Statistics* 32(2), as shipped by scikit-learn (``load_diabetes``). The
    features (age, sex, body-mass index, blood pressure and six blood-serum measurements
    ``s1`` .. ``s6``) are read in their original units (``scaled=False``); the target is
    a measure of disease progression one year later (25 to 346).

    Args:
        scale: Standardise each feature *and the target* to mean 0, standard deviation 1
            (so that losses are in units of the target's variance).
        intercept: Prepend a column of ones.

    Returns:
        A [`DataSet`][lrtutor.data.DataSet] with ``X`` of shape ``(442, 11)`` (``(442, 10)``
        without intercept) and ``y`` of shape ``(442,)``.

    Raises:
        TypeError: If a flag is not a bool.

    Examples:
        >>> data = load_diabetes()
        >>> data.X.shape, data.columns[:3]
        ((442, 11), ('intercept', 'age', 'sex'))
    """
    scale = _validate.flag("scale", scale)
    intercept = _validate.flag("intercept", intercept)
    features = np.loadtxt(_shipped("diabetes_data_raw.csv.gz"))
    X, columns = _design(features, list(_DIABETES_NAMES), scale, intercept)
    y = np.loadtxt(_shipped("diabetes_target.csv.gz"))
    return DataSet(
        name="diabetes",
        X=X,
        y=(y - y.mean()) / y.std() if scale else y,
        columns=columns,
        source="Efron et al. (2004), Least Angle Regression; shipped with scikit-learn",
    )


def load_breast_cancer(
    *, n_features: int = 10, scale: bool = True, intercept: bool = True
) -> DataSet:
    """The Wisconsin breast-cancer classification data: 569 tumours, labels 0 and 1.

    Source: Street, Wolberg & Mangasarian (1993), UCI Machine Learning Repository, as
    shipped by scikit-learn (``load_breast_cancer``). Each of the 30 features describes
    the cell nuclei in an image of a fine-needle biopsy; the first ten are the means
    (``mean radius`` .. ``mean fractal dimension``). Label 1 is benign (357 tumours),
    0 malignant (212).

    With all 30 features the two classes can be separated exactly, so logistic
    regression without a penalty has no minimum (its weights grow for ever); with the
    first ten they cannot, and the minimum exists. Hence the default ``n_features=10``.

    Args:
        n_features: How many of the 30 features to keep, in the data set's order, 1..30.
        scale: Standardise each feature to mean 0, standard deviation 1.
        intercept: Prepend a column of ones.

    Returns:
        A [`DataSet`][lrtutor.data.DataSet] with ``X`` of shape
        ``(569, n_features + 1)`` (without intercept ``(569, n_features)``) and ``y`` of
        shape ``(569,)`` holding 0.0 and 1.0.

    Raises:
        TypeError: If ``n_features`` is not an int or a flag is not a bool.
        ValueError: If ``n_features`` is outside 1..30.

    Examples:
        >>> data = load_breast_cancer()
        >>> data.X.shape, int(data.y.sum())
        ((569, 11), 357)
    """
    n_features = _validate.count("n_features", n_features, minimum=1, maximum=30)
    scale = _validate.flag("scale", scale)
    intercept = _validate.flag("intercept", intercept)
    # First line: counts and class names; then 30 features and the label per row.
    table = np.loadtxt(_shipped("breast_cancer.csv"), delimiter=",", skiprows=1)
    names = list(_CANCER_NAMES[:n_features])
    X, columns = _design(table[:, :n_features], names, scale, intercept)
    return DataSet(
        name="breast cancer",
        X=X,
        y=table[:, -1],
        columns=columns,
        source="Street, Wolberg & Mangasarian (1993), UCI; shipped with scikit-learn",
    )
