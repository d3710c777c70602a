"""Gradient descent with momentum (the heavy ball), and its analysis on quadratics.

The update keeps a running sum of slopes, the *velocity* ``v`` (``v_0 = 0``), and
steps along it:

    v_{t+1} = momentum * v_t + slope(x_t)
    x_{t+1} = x_t - learning_rate(t) * v_{t+1}

This is the convention of optax ``sgd(learning_rate, momentum)`` (``optax.trace``)
and of PyTorch ``SGD(lr, momentum)`` with ``dampening=0``: the rate multiplies the
velocity, not the slope inside it. With ``momentum = 0`` it is plain gradient
descent, update for update.

Where libraries differ:

* **Where the rate multiplies.** Keras ``SGD(momentum=m)`` and Sutskever et al.
  (2013) fold the rate into the velocity: ``u_{t+1} = m * u_t - lr * slope(x_t)``,
  ``x_{t+1} = x_t + u_{t+1}``. For a constant rate that is the same run
  (``u_t = -lr * v_t``); with a schedule it is not: a rate change acts at once here,
  but only on new slopes there.
* **Nesterov.** With ``nesterov=True`` the step looks ahead along the velocity:
  ``x_{t+1} = x_t - lr * (slope(x_t) + momentum * v_{t+1})``, the form of optax
  ``sgd(..., nesterov=True)`` and PyTorch ``SGD(..., nesterov=True)`` (Sutskever's
  reformulation of Nesterov's method, evaluated at the current point). On a
  quadratic its stable range is narrower than the heavy ball's:
  ``0 < lr * L < (2 + 2 * momentum) / (1 + 2 * momentum)``.
* **Dampening.** PyTorch's ``dampening`` scales new slopes by ``1 - dampening``
  (except the very first); this module has none, which is PyTorch's default and
  optax's only form.

On a quadratic with curvature ``L`` the heavy ball is stable exactly when
``0 < lr * L < 2 * (1 + momentum)`` (for ``0 <= momentum < 1``): momentum widens the
range of plain descent, ``lr * L < 2``. On curvatures from ``mu`` to ``L`` (condition
number ``kappa = L / mu``) Polyak's choice ``lr = 4 / (sqrt(L) + sqrt(mu))**2``,
``momentum = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2`` shrinks the distance by
about ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)`` per step, against
``(kappa - 1) / (kappa + 1)`` for the best plain rate.

References:
    B. T. Polyak, "Some methods of speeding up the convergence of iteration
    methods", USSR Computational Mathematics and Mathematical Physics 4(5), 1964.
    G. Goh, "Why Momentum Really Works", Distill, 2017, https://distill.pub/2017/momentum/.
    I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of
    initialization and momentum in deep learning", ICML 2013.
    optax ``sgd`` and ``trace``, https://optax.readthedocs.io/en/latest/api/optimizers.html;
    PyTorch ``torch.optim.SGD``, https://pytorch.org/docs/stable/generated/torch.optim.SGD.html.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _validate
from .analysis import condition_number, constant_curvatures
from .descent import LearningRate, Trajectory, check_start, rate_function, run_updates
from .losses import Loss

__all__ = [
    "best_momentum",
    "best_momentum_contraction_factor",
    "momentum_contraction_factor",
    "momentum_critical_learning_rate",
    "run_momentum_descent",
]


def _momentum(value: object) -> float:
    return _validate.in_range("momentum", value, 0, 1, high_open=True)


def run_momentum_descent(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    momentum: float,
    n_steps: int,
    *,
    nesterov: bool = False,
) -> Trajectory:
    """Run ``n_steps`` heavy-ball updates and record them.

    Formula (``v_0 = 0``): ``v_{t+1} = momentum * v_t + slope(x_t)``,
    ``x_{t+1} = x_t - learning_rate(t) * v_{t+1}``; with ``nesterov=True``,
    ``x_{t+1} = x_t - learning_rate(t) * (slope(x_t) + momentum * v_{t+1})``. These
    are optax's ``sgd(learning_rate, momentum, nesterov)`` and PyTorch's
    ``SGD(lr, momentum, nesterov=...)`` with ``dampening=0`` (see the module notes
    for Keras's form, which puts the rate inside the velocity).

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        learning_rate: A constant rate, finite and > 0, or a schedule
            ``step -> rate`` (finite values >= 0), as for
            [`run_gradient_descent()`][lrtutor.descent.run_gradient_descent].
        momentum: The factor ``beta`` that keeps the velocity, in ``[0, 1)``; 0 is
            plain gradient descent.
        n_steps: Number of updates, from 0 to 10**7.
        nesterov: Use the Nesterov form of the step.

    Returns:
        A [`Trajectory`][lrtutor.descent.Trajectory], exactly as the plain runner
        records it (the velocity is not recorded); a run that blows up is recorded
        as diverged.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``momentum`` is not in ``[0, 1)``, or another argument is out
            of range as for ``run_gradient_descent``.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run = run_momentum_descent(SQUARE, 1.0, 0.25, momentum=0.5, n_steps=3)
        >>> run.positions.tolist()
        [1.0, 0.5, 0.0, -0.25]
    """
    loss = _validate.instance("loss", loss, Loss)
    x0 = check_start(loss, x0)
    rate = rate_function(learning_rate)
    beta = _momentum(momentum)
    n_steps = _validate.iterations("n_steps", n_steps)
    look_ahead = _validate.flag("nesterov", nesterov)
    velocity: list[Any] = [0.0 if loss.dim == 1 else np.zeros(loss.dim)]

    # The shared runner calls this once per update, in order, with slope(x_t) and
    # multiplies what it returns by the rate: the velocity lives in this closure.
    def direction(slope: Any) -> Any:
        velocity[0] = beta * velocity[0] + slope
        return slope + beta * velocity[0] if look_ahead else velocity[0]

    return run_updates(loss, x0, rate, n_steps, direction=direction)


def momentum_critical_learning_rate(loss: Loss, momentum: float) -> float:
    """The learning rate at which the heavy ball stops converging: ``2 * (1 + momentum) / L_max``.

    On a quadratic each direction of curvature ``L`` follows
    ``x_{t+1} = (1 + momentum - lr * L) * x_t - momentum * x_{t-1}``. Its two
    factors (the roots of ``r**2 - (1 + momentum - lr * L) * r + momentum``) both
    have size below 1 exactly when ``0 < lr * L < 2 * (1 + momentum)``; at the edge
    one factor is -1 and the run bounces for ever. With ``momentum = 0`` this is
    plain descent's ``2 / L``.

    Args:
        loss: A quadratic loss (constant curvatures).
        momentum: ``beta``, in ``[0, 1)``.

    Returns:
        ``2 * (1 + momentum) / L_max`` as a float.

    Raises:
        TypeError: If ``loss`` is not a lrtutor Loss or ``momentum`` not a real number.
        ValueError: If the loss has no constant curvature or ``momentum`` is not in
            ``[0, 1)``.

    Examples:
        >>> from lrtutor import diagonal_quadratic
        >>> momentum_critical_learning_rate(diagonal_quadratic([1, 10]), 0.5)
        0.3

    References:
        Goh (2017), section "The Dynamics of Momentum"; Polyak (1964).
    """
    largest = max(constant_curvatures(loss))
    beta = _momentum(momentum)
    return 2 * (1 + beta) / largest


def _spectral_radius(product: float, beta: float) -> float:
    """Largest size of the roots of ``r**2 - (1 + beta - product) * r + beta``."""
    a = 1 + beta - product
    disc = a * a - 4 * beta
    if disc < 0:  # complex pair: both roots have size sqrt(beta)
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


def momentum_contraction_factor(loss: Loss, learning_rate: float, momentum: float) -> float:
    """The heavy ball's worst per-step factor on a quadratic (below 1: converges).

    For each curvature ``L`` the factor is the larger size of the roots of
    ``r**2 - (1 + momentum - lr * L) * r + momentum = 0``: ``sqrt(momentum)`` when
    they are complex, ``(|a| + sqrt(a**2 - 4 * momentum)) / 2`` with
    ``a = 1 + momentum - lr * L`` otherwise. The function returns the largest over
    all curvatures. Over many steps the distance shrinks by about this factor per
    step (when the two roots coincide, as at the best choice, a factor growing
    like the step count multiplies it).

    Args:
        loss: A quadratic loss (constant curvatures).
        learning_rate: A constant rate, finite and > 0.
        momentum: ``beta``, in ``[0, 1)``.

    Returns:
        The factor, a float >= 0.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the loss has no constant curvature, or an argument is out of
            range.

    Examples:
        >>> from lrtutor import SQUARE
        >>> momentum_contraction_factor(SQUARE, 0.25, 0.0)  # plain descent: |1 - 0.25*2|
        0.5
        >>> momentum_contraction_factor(SQUARE, 0.25, 0.25)  # complex roots: sqrt(0.25)
        0.5

    References:
        Goh (2017); Polyak (1964).
    """
    curvatures = constant_curvatures(loss)
    rate = _validate.positive("learning_rate", learning_rate)
    beta = _momentum(momentum)
    with np.errstate(all="ignore"):
        factor = max(_spectral_radius(rate * c, beta) for c in curvatures)
    return _validate.result(
        f"momentum_contraction_factor at learning_rate = {_validate.show(rate)}", factor
    )


def best_momentum(loss: Loss) -> tuple[float, float]:
    """Polyak's best constant ``(learning_rate, momentum)`` for a quadratic.

    Formula: with ``mu = L_min``, ``L = L_max`` and ``kappa = L / mu``,
    ``learning_rate = 4 / (sqrt(L) + sqrt(mu))**2`` and
    ``momentum = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2``. This choice makes the
    two roots of the flattest and the steepest direction coincide, at size
    ``sqrt(momentum)`` in every direction (see
    [`best_momentum_contraction_factor()`][lrtutor.momentum.best_momentum_contraction_factor]).

    Args:
        loss: A quadratic loss (constant curvatures, all > 0).

    Returns:
        ``(learning_rate, momentum)`` as floats.

    Raises:
        TypeError: If ``loss`` is not a lrtutor Loss.
        ValueError: If the loss has no constant curvature or one that is not > 0.

    Examples:
        >>> from lrtutor import diagonal_quadratic
        >>> rate, beta = best_momentum(diagonal_quadratic([1, 9]))
        >>> rate, beta  # 4 / (3 + 1)**2, ((3 - 1) / (3 + 1))**2
        (0.25, 0.25)

    References:
        Polyak (1964); Goh (2017), section "Optimal parameters".
    """
    condition_number(loss)  # checks the curvatures
    curvatures = constant_curvatures(loss)
    low, high = min(curvatures), max(curvatures)
    # (sqrt(L) + sqrt(mu))**2 expanded: one square root, exact whenever L * mu is a
    # perfect square (for one curvature, 4 / (4 L) is exactly 1 / L).
    gap = 2 * math.sqrt(high * low)
    return 4 / (high + low + gap), (high + low - gap) / (high + low + gap)


def best_momentum_contraction_factor(loss: Loss) -> float:
    """The heavy ball's per-step factor at Polyak's best choice.

    Formula: ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)`` with the condition number
    ``kappa = L_max / L_min``.

    Plain descent's best is ``(kappa - 1) / (kappa + 1)``; momentum replaces
    ``kappa`` by its square root. For ``kappa = 10``: about 0.52 against 9/11.

    Args:
        loss: A quadratic loss (constant curvatures, all > 0).

    Returns:
        The factor as a float in ``[0, 1)``.

    Raises:
        TypeError: If ``loss`` is not a lrtutor Loss.
        ValueError: If the loss has no constant curvature or one that is not > 0.

    Examples:
        >>> from lrtutor import diagonal_quadratic
        >>> best_momentum_contraction_factor(diagonal_quadratic([1, 9]))
        0.5

    References:
        Polyak (1964); Goh (2017).
    """
    condition_number(loss)  # checks the curvatures
    curvatures = constant_curvatures(loss)
    low, high = min(curvatures), max(curvatures)
    # (sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)), multiplied out so that it is exact
    # whenever L * mu is a perfect square.
    return (high - low) / (high + low + 2 * math.sqrt(high * low))
