"""Losses of linear models on data: least squares and logistic regression.

Each is a [`DataLoss`][lrtutor.models.DataLoss], a [`Loss`][lrtutor.losses.Loss] whose
parameters are the model's weights ``w`` (shape ``(d,)``, one per column of ``X``) and
that also knows its curvature: the Hessian matrix and the Hessian-vector product. Every
runner of lrtutor accepts it as it accepts ``x**2``.

Conventions (kept everywhere on the site): losses are *means* over the ``n`` examples,
and least squares carries a factor 1/2, so that its Hessian is ``X.T @ X / n`` with no
factor 2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _validate
from .losses import Loss

__all__ = ["DataLoss", "least_squares", "logistic_regression"]


@dataclass(frozen=True)
class DataLoss(Loss):
    """A loss on a data set, with its Hessian and Hessian-vector product.

    Attributes (besides those of [`Loss`][lrtutor.losses.Loss]):
        hessian: ``hessian(w) -> H``, the ``(d, d)`` matrix of second derivatives at ``w``.
        hessian_vector_product: ``hessian_vector_product(w, v) -> H @ v``, shape ``(d,)``,
            computed without forming ``H``.
        X: The design matrix, shape ``(n, d)``.
        y: The targets, shape ``(n,)``.
        family: What kind of model, e.g. ``"least squares"`` or ``"logistic"``.
        builder: ``builder(X, y)`` makes the same kind of loss on other data (used by
            [`rows()`][lrtutor.models.DataLoss.rows]).
    """

    hessian: Callable[[np.ndarray], np.ndarray] | None = None
    hessian_vector_product: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    X: np.ndarray | None = field(default=None, repr=False, compare=False)
    y: np.ndarray | None = field(default=None, repr=False, compare=False)
    family: str = ""
    builder: Callable[[np.ndarray, np.ndarray], DataLoss] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def n_samples(self) -> int:
        """Number of examples the loss averages over."""
        return 0 if self.X is None else int(self.X.shape[0])

    def rows(self, index: Any) -> DataLoss:
        """The same loss on a subset of the examples (a mini-batch).

        Args:
            index: Row indices (an int array) or a boolean mask of length ``n``.

        Returns:
            A new [`DataLoss`][lrtutor.models.DataLoss] of the same family on
            ``X[index]``, ``y[index]``.

        Raises:
            ValueError: If the subset is empty, or the loss was not made by
                [`least_squares()`][lrtutor.models.least_squares] or
                [`logistic_regression()`][lrtutor.models.logistic_regression].
        """
        if self.builder is None or self.X is None or self.y is None:
            raise ValueError(
                "rows() needs a loss made by lrtutor, got "
                f"{_validate.show(self.name)}"
            )
        return self.builder(self.X[index], self.y[index])


def check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """``X`` of shape ``(n, d)`` and ``y`` of shape ``(n,)`` as finite floats (package-internal)."""
    X = _validate.real_array("X", X, ndim=2)
    y = _validate.real_array("y", y, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must have one entry per row of X ({X.shape[0]}), got {y.shape[0]}"
        )
    return X, y


def _weights(d: int) -> Callable[..., np.ndarray]:
    def check(w: object, name: str = "w") -> np.ndarray:
        return _validate.real_array(name, w, shape=(d,))

    return check


def least_squares(X: object, y: object) -> DataLoss:
    """Linear regression's loss, half the mean squared error.

    ``loss(w) = ||X @ w - y||**2 / (2 n)``; gradient ``X.T @ (X @ w - y) / n``; Hessian
    ``X.T @ X / n``, the same at every ``w`` (the loss is exactly quadratic). Its
    minimiser is the least-squares solution (computed with ``numpy.linalg.lstsq``).

    Args:
        X: Design matrix, shape ``(n, d)``, finite, ``n >= 1`` (add a column of ones for an
            intercept, see [`add_intercept()`][lrtutor.data.add_intercept]).
        y: Targets, shape ``(n,)``, finite.

    Returns:
        A [`DataLoss`][lrtutor.models.DataLoss] of ``dim == d``.

    Raises:
        TypeError: If ``X`` or ``y`` does not hold real numbers.
        ValueError: If ``X`` is not 2-D or ``y`` not 1-D, either is empty or not finite,
            or their lengths differ.

    Examples:
        >>> loss = least_squares([[1.0, 0.0], [1.0, 1.0]], [1.0, 3.0])
        >>> loss.value(np.zeros(2)), loss.slope(np.zeros(2)).tolist()
        (2.5, [-2.0, -1.5])
        >>> [round(v, 9) for v in loss.minimiser]
        [1.0, 2.0]
    """
    X, y = check_data(X, y)
    n, d = X.shape
    check = _weights(d)
    hessian = X.T @ X / n
    hessian.setflags(write=False)
    solution = np.linalg.lstsq(X, y, rcond=None)[0]

    def value(w: object) -> float:
        residual = X @ check(w) - y
        return float(residual @ residual) / (2 * n)

    def slope(w: object) -> np.ndarray:
        return X.T @ (X @ check(w) - y) / n

    def hvp(w: object, v: object) -> np.ndarray:
        check(w)
        return X.T @ (X @ check(v, "v")) / n

    return DataLoss(
        name=f"least squares ({n} examples, {d} weights)",
        value=value,
        slope=slope,
        dim=d,
        minimiser=tuple(float(s) for s in solution),
        formula="||X w - y||**2 / (2 n)",
        slope_formula="X.T (X w - y) / n",
        hessian=lambda w: (check(w), hessian.copy())[1],
        hessian_vector_product=hvp,
        X=X,
        y=y,
        family="least squares",
        builder=least_squares,
    )


def logistic_regression(X: object, y: object) -> DataLoss:
    """Logistic regression's loss, the mean binary cross-entropy.

    With ``z = X @ w`` and ``p = sigmoid(z)``, the loss is
    ``mean(-y log p - (1 - y) log(1 - p)) = mean(log(1 + exp(z)) - y z)``;
    gradient ``X.T @ (p - y) / n``; Hessian ``X.T @ diag(p (1 - p)) @ X / n``, which
    changes with ``w`` (Hastie, Tibshirani & Friedman, *The Elements of Statistical
    Learning*, 2nd ed., section 4.4.1). ``log(1 + exp(z))`` is evaluated with
    ``numpy.logaddexp`` and the sigmoid with ``scipy.special.expit``, so no weight
    overflows; scores ``z`` beyond the float range count as ±inf (so weights near
    1e308 give the right loss, or ``ValueError`` where the loss itself is past the
    float range). Each entry of ``p - y`` lies in (-1, 1): the gradient is bounded.

    Args:
        X: Design matrix, shape ``(n, d)``, finite, ``n >= 1``.
        y: Labels, shape ``(n,)``, each 0 or 1.

    Returns:
        A [`DataLoss`][lrtutor.models.DataLoss] of ``dim == d`` (no known minimiser).

    Raises:
        TypeError: If ``X`` or ``y`` does not hold real numbers.
        ValueError: If ``X`` is not 2-D or ``y`` not 1-D, either is empty or not finite,
            their lengths differ, or a label is not 0 or 1.

    Examples:
        >>> loss = logistic_regression([[1.0], [1.0]], [0, 1])
        >>> round(loss.value(np.zeros(1)), 6), loss.slope(np.zeros(1)).tolist()
        (0.693147, [0.0])
    """
    X, y = check_data(X, y)
    if not np.all((y == 0) | (y == 1)):
        bad = y[(y != 0) & (y != 1)][0]
        raise ValueError(f"y must hold labels 0 and 1 only, got {_validate.show(bad)}")
    n, d = X.shape
    check = _weights(d)
    from scipy.special import expit  # imported here, as the module's other users need no scipy

    def scores(w: object) -> np.ndarray:
        """``z = X @ w`` without a NaN: entries beyond the float range become ±inf.

        ``X @ w`` itself can add +inf and -inf (1e308 weights); scaled by the largest
        weight the sum stays finite, and only the final product may overflow, to an
        infinity of the right sign.
        """
        w = check(w)
        scale = float(np.max(np.abs(w)))
        if scale == 0:
            return X @ w
        with np.errstate(over="ignore"):
            return (X @ (w / scale)) * scale

    def value(w: object) -> float:
        z = scores(w)
        if np.all(np.isfinite(z)):
            return float(np.mean(np.logaddexp(0.0, z) - y * z))
        # log(1 + exp(z)) - y z = log(1 + exp(-z)) for y = 1: 0 at z = +inf (a sure,
        # right answer), where the first form gives inf - inf.
        return float(np.mean(np.logaddexp(0.0, np.where(y == 1, -z, z))))

    def slope(w: object) -> np.ndarray:
        return X.T @ (expit(scores(w)) - y) / n

    def weights(w: object) -> np.ndarray:
        p = expit(scores(w))
        return p * (1 - p)

    def hessian(w: object) -> np.ndarray:
        matrix = (X.T * weights(w)) @ X / n
        return (matrix + matrix.T) / 2  # symmetric to the last bit, as eigh assumes

    def hvp(w: object, v: object) -> np.ndarray:
        return X.T @ (weights(w) * (X @ check(v, "v"))) / n

    return DataLoss(
        name=f"logistic regression ({n} examples, {d} weights)",
        value=value,
        slope=slope,
        dim=d,
        formula="mean(log(1 + exp(X w)) - y * X w)",
        slope_formula="X.T (sigmoid(X w) - y) / n",
        hessian=hessian,
        hessian_vector_product=hvp,
        X=X,
        y=y,
        family="logistic",
        builder=logistic_regression,
    )

