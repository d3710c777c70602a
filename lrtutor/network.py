"""A tiny two-layer neural network on data, with exact Hessian-vector products.

The network has one hidden layer of ``tanh`` units and one output:
``f(x) = w2 . tanh(W1 x + b1) + b2``, fitted by half the mean squared error (the same
1/2 convention as [`least_squares()`][lrtutor.models.least_squares]). Its gradient is
backpropagation written out by hand; its Hessian-vector product is Pearlmutter's
"R-operator" (Pearlmutter, 1994, "Fast Exact Multiplication by the Hessian", *Neural
Computation* 6(1)): the forward pass and backpropagation differentiated once more along
the direction ``v``, exact and at the cost of about two gradients. Written here rather
than through an autodiff library because the network is a few lines of NumPy and the
site builds without one; ``tests/lrtutor/test_network.py`` checks both against finite
differences.
"""

from __future__ import annotations

import functools

import numpy as np

from . import _validate
from .models import DataLoss, check_data

#: The most hidden units a network may have: the dense Hessian of 10**4 units on a
#: few inputs already needs gigabytes; beyond, memory runs out before any check.
MAX_HIDDEN = 10**4

__all__ = ["initial_weights", "two_layer_network"]


def _split(w: np.ndarray, p: int, hidden: int) -> tuple[np.ndarray, ...]:
    """``(W1, b1, w2, b2)`` from the flat weights: shapes (hidden, p), (hidden,), (hidden,), ()."""
    k = hidden * p
    return w[:k].reshape(hidden, p), w[k : k + hidden], w[k + hidden : k + 2 * hidden], w[-1]


def two_layer_network(X: object, y: object, hidden: int = 16) -> DataLoss:
    """Half the mean squared error of a one-hidden-layer ``tanh`` network.

    Weights are one flat vector of length ``d = hidden * (p + 2) + 1``, in the order
    ``W1`` (row by row, shape ``(hidden, p)``), ``b1`` (``hidden``), ``w2``
    (``hidden``), ``b2`` (one number). With ``A = tanh(X W1.T + b1)``, predictions
    ``f = A w2 + b2`` and ``loss = ||f - y||**2 / (2 n)``.

    Args:
        X: Inputs, shape ``(n, p)``, finite, ``n >= 1`` (no column of ones needed: the
            layers have their own biases).
        y: Targets, shape ``(n,)``, finite.
        hidden: Number of hidden units, from 1 to 10**4.

    Returns:
        A [`DataLoss`][lrtutor.models.DataLoss] of ``dim == d`` whose
        ``hessian_vector_product`` is exact; ``hessian`` stacks ``d`` such products.

    Raises:
        TypeError: If ``X`` or ``y`` does not hold real numbers or ``hidden`` is not an int.
        ValueError: If ``X`` is not 2-D or ``y`` not 1-D, either is empty or not finite,
            their lengths differ, or ``hidden`` < 1.

    Examples:
        >>> loss = two_layer_network([[1.0], [2.0]], [1.0, 0.0], hidden=2)
        >>> loss.dim
        7
        >>> loss.value(np.zeros(7))
        0.25
    """
    X, y = check_data(X, y)
    hidden = _validate.count("hidden", hidden, minimum=1, maximum=MAX_HIDDEN)
    n, p = X.shape
    d = hidden * (p + 2) + 1

    def check(w: object, name: str = "w") -> np.ndarray:
        return _validate.real_array(name, w, shape=(d,))

    # The runner asks for the value and then the slope at the same weights: keep the
    # last forward pass instead of computing it twice.
    last: dict[str, tuple] = {}

    def forward(w: np.ndarray) -> tuple[np.ndarray, ...]:
        if "w" in last and np.array_equal(last["w"][0], w):
            return last["pass"]
        W1, b1, w2, b2 = _split(w, p, hidden)
        A = np.tanh(X @ W1.T + b1)
        result = (W1, b1, w2, b2, A, (A @ w2 + b2 - y) / n)  # the last: residual / n
        last["w"], last["pass"] = (w.copy(),), result
        return result

    def weights(w: object) -> np.ndarray:
        # value and slope reach here through Loss's own check of x (or from the runner,
        # which checked the start): only the shape is left to check.
        w = np.asarray(w, dtype=float)
        if w.shape != (d,):
            raise ValueError(f"w must have shape ({d},), got {w.shape}")
        return w

    def value(w: object) -> float:
        *_, r = forward(weights(w))
        return float(n * (r @ r)) / 2

    def slope(w: object) -> np.ndarray:
        _, _, w2, _, A, r = forward(weights(w))
        dZ = np.outer(r, w2) * (1 - A * A)  # backpropagated to the hidden pre-activations
        return np.concatenate([(dZ.T @ X).ravel(), dZ.sum(axis=0), A.T @ r, [r.sum()]])

    def hvp(w: object, v: object) -> np.ndarray:
        _, _, w2, _, A, r = forward(check(w))
        V1, c1, v2, c2 = _split(check(v, "v"), p, hidden)
        # R{.}: the derivative of each intermediate along v (Pearlmutter's R-operator).
        slope_tanh = 1 - A * A
        R_A = slope_tanh * (X @ V1.T + c1)
        R_r = (R_A @ w2 + A @ v2 + c2) / n
        R_dZ = (np.outer(R_r, w2) + np.outer(r, v2)) * slope_tanh - np.outer(r, w2) * (
            2 * A * R_A
        )
        return np.concatenate(
            [(R_dZ.T @ X).ravel(), R_dZ.sum(axis=0), R_A.T @ r + A.T @ R_r, [R_r.sum()]]
        )

    def hessian(w: object) -> np.ndarray:
        w = check(w)
        matrix = np.column_stack([hvp(w, e) for e in np.eye(d)])
        return (matrix + matrix.T) / 2

    return DataLoss(
        name=f"two-layer tanh network ({n} examples, {hidden} hidden units, {d} weights)",
        value=value,
        slope=slope,
        dim=d,
        formula="||w2 . tanh(X W1.T + b1) + b2 - y||**2 / (2 n)",
        slope_formula="backpropagation",
        hessian=hessian,
        hessian_vector_product=hvp,
        X=X,
        y=y,
        family="two-layer network",
        builder=functools.partial(two_layer_network, hidden=hidden),
    )


def initial_weights(loss: DataLoss, *, seed: int = 0) -> np.ndarray:
    """Random starting weights for [`two_layer_network()`][lrtutor.network.two_layer_network].

    LeCun's initialisation (LeCun, Bottou, Orr & Müller, 1998, "Efficient BackProp"):
    each weight of a layer drawn from a normal distribution with standard deviation
    ``1 / sqrt(fan_in)``, biases 0; ``numpy.random.default_rng(seed)``.

    Args:
        loss: A loss made by ``two_layer_network``.
        seed: Seed of the generator, >= 0.

    Returns:
        Array of shape ``(loss.dim,)``.

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``seed`` not an int.
        ValueError: If ``loss`` is not a two-layer network's, or ``seed`` < 0.

    Examples:
        >>> loss = two_layer_network([[1.0], [2.0]], [1.0, 0.0], hidden=2)
        >>> w = initial_weights(loss)
        >>> w.shape, w[2:4].tolist()
        ((7,), [0.0, 0.0])
    """
    loss = _validate.instance("loss", loss, DataLoss)
    if loss.family != "two-layer network" or loss.X is None:
        raise ValueError(f"loss must be made by two_layer_network, got {_validate.show(loss.name)}")
    seed = _validate.count("seed", seed)
    p = loss.X.shape[1]
    hidden = (loss.dim - 1) // (p + 2)
    rng = np.random.default_rng(seed)
    W1 = rng.normal(scale=1 / np.sqrt(p), size=hidden * p)
    w2 = rng.normal(scale=1 / np.sqrt(hidden), size=hidden)
    return np.concatenate([W1, np.zeros(hidden), w2, [0.0]])
