"""Curvature of a loss on data: the Hessian's eigenvalues and the sharpness.

The *sharpness* at ``w`` is the largest eigenvalue of the Hessian there, written ``L``:
the curvature along the most sharply curved direction. On a quadratic loss it is the
same everywhere and gradient descent with a constant learning rate converges exactly when
the rate is below ``2 / L`` (see the stability pages). The eigenvalues come from
maintained routines, never our own solver: ``numpy.linalg.eigvalsh``/``eigh`` on the dense
Hessian when it is small, ``scipy.sparse.linalg.eigsh`` (ARPACK's Lanczos method) on a
``LinearOperator`` made of Hessian-vector products otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validate
from .models import DataLoss

__all__ = ["DENSE_LIMIT", "hessian_eigenvalues", "sharpest_direction", "sharpness"]

DENSE_LIMIT = 500
"""Up to this many parameters, ``method="auto"`` forms the dense Hessian."""

_METHODS = ("auto", "dense", "lanczos")


def _check(loss: object, params: object) -> tuple[DataLoss, np.ndarray]:
    loss = _validate.instance("loss", loss, DataLoss)
    w = _validate.real_array("params", params, shape=(loss.dim,))
    return loss, w


def _method(method: object, dim: int) -> str:
    if method not in _METHODS:
        raise ValueError(
            f"method must be one of {', '.join(_METHODS)}; got "
            f"{_validate.show(method)}"
        )
    if method == "auto":
        return "dense" if dim <= DENSE_LIMIT else "lanczos"
    if method == "lanczos" and dim < 2:
        raise ValueError("method='lanczos' needs at least 2 parameters (ARPACK's limit)")
    return str(method)


def hessian_eigenvalues(loss: DataLoss, params: Any) -> np.ndarray:
    """All eigenvalues of the Hessian at ``params``, in ascending order.

    Computed with ``numpy.linalg.eigvalsh`` on the dense Hessian (symmetric).

    Args:
        loss: A [`DataLoss`][lrtutor.models.DataLoss].
        params: The weights ``w``, shape ``(loss.dim,)``, finite.

    Returns:
        Array of shape ``(loss.dim,)``: curvatures along the Hessian's eigenvectors.

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``params`` not real numbers.
        ValueError: If ``params`` has the wrong shape or is not finite.

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0, 0.0], [0.0, 2.0]], [0.0, 0.0])
        >>> hessian_eigenvalues(loss, [0.0, 0.0]).tolist()
        [0.5, 2.0]
    """
    loss, w = _check(loss, params)
    return np.linalg.eigvalsh(loss.hessian(w))


def sharpest_direction(
    loss: DataLoss, params: Any, *, method: str = "auto"
) -> tuple[float, np.ndarray]:
    """The largest Hessian eigenvalue at ``params`` and its unit eigenvector.

    Args:
        loss: A [`DataLoss`][lrtutor.models.DataLoss].
        params: The weights ``w``, shape ``(loss.dim,)``, finite.
        method: ``"dense"`` (``numpy.linalg.eigh`` on the Hessian), ``"lanczos"``
            (``scipy.sparse.linalg.eigsh`` over Hessian-vector products, ``which="LA"``)
            or ``"auto"`` (dense up to ``DENSE_LIMIT`` parameters).

    Returns:
        ``(L, v)``: the sharpness (loss per parameter²) and a unit vector of shape
        ``(loss.dim,)``, its sign fixed so that its largest entry in size is positive.

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``params`` not real numbers.
        ValueError: If ``params`` has the wrong shape or is not finite, or ``method`` is
            unknown (or ``"lanczos"`` with one parameter).

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0, 0.0], [0.0, 2.0]], [0.0, 0.0])
        >>> value, vector = sharpest_direction(loss, [0.0, 0.0])
        >>> value, vector.tolist()
        (2.0, [0.0, 1.0])
    """
    loss, w = _check(loss, params)
    method = _method(method, loss.dim)
    if method == "dense":
        values, vectors = np.linalg.eigh(loss.hessian(w))
        value, vector = values[-1], vectors[:, -1]
    else:
        # Imported here: scipy.sparse.linalg takes a while to import, and most pages
        # never need it.
        from scipy.sparse.linalg import LinearOperator, eigsh

        operator = LinearOperator(
            (loss.dim, loss.dim),
            matvec=lambda v: loss.hessian_vector_product(w, np.ravel(v)),
            dtype=float,
        )
        # A fixed start vector: ARPACK would otherwise start from a random one.
        values, vectors = eigsh(operator, k=1, which="LA", v0=np.ones(loss.dim), tol=1e-12)
        value, vector = values[0], vectors[:, 0]
    vector = vector / np.linalg.norm(vector)
    if vector[np.argmax(np.abs(vector))] < 0:
        vector = -vector
    return float(value), vector + 0.0  # + 0.0 turns -0.0 into 0.0


def sharpness(loss: DataLoss, params: Any, *, method: str = "auto") -> float:
    """The sharpness: the largest eigenvalue ``L`` of the Hessian at ``params``.

    Gradient descent at a constant rate ``eta`` is stable near ``params`` only while
    ``eta < 2 / L``; Cohen et al. (2021), "Gradient Descent on Neural Networks Typically
    Occurs at the Edge of Stability", track this quantity along training.

    Args:
        loss: A [`DataLoss`][lrtutor.models.DataLoss].
        params: The weights ``w``, shape ``(loss.dim,)``, finite.
        method: ``"dense"``, ``"lanczos"`` or ``"auto"``, as in
            [`sharpest_direction()`][lrtutor.hessian.sharpest_direction].

    Returns:
        ``L`` as a float (loss per parameter²).

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``params`` not real numbers.
        ValueError: If ``params`` has the wrong shape or is not finite, or ``method`` is
            unknown.

    Examples:
        >>> from lrtutor import least_squares
        >>> sharpness(least_squares([[1.0, 0.0], [0.0, 2.0]], [0.0, 0.0]), [0.0, 0.0])
        2.0
    """
    return sharpest_direction(loss, params, method=method)[0]
