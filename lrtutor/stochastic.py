"""Stochastic gradient descent: mini-batches, gradient noise, and its noise floor.

Real training never sees the exact gradient: each step uses a **mini-batch** of
examples, or, in the simplest model of that, the exact gradient plus random noise.
This module runs such descents, one run recording its whole trajectory
([`run_sgd()`][lrtutor.stochastic.run_sgd]) or thousands at once for their mean
([`run_sgd_many()`][lrtutor.stochastic.run_sgd_many]), and gives the closed forms of
the noisy quadratic they are checked against. The page "Add noise to the slope"
teaches the ideas. Randomness comes only from ``numpy.random.Generator(PCG64(seed))``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from .descent import MAX_LOSS, LearningRate, Trajectory, check_start, rate_function
from .losses import Loss

__all__ = [
    "SGDRuns",
    "StochasticTrajectory",
    "mean_square_error",
    "run_sgd",
    "run_sgd_many",
    "stationary_variance",
]


@dataclass(frozen=True)
class StochasticTrajectory(Trajectory):
    """The record of one stochastic run: a [`Trajectory`][lrtutor.descent.Trajectory] and its draws.

    ``positions``, ``losses``, ``slopes`` and ``learning_rates`` mean what they mean in
    a [`Trajectory`][lrtutor.descent.Trajectory]: ``losses`` and ``slopes`` are the
    *full* loss and its exact gradient at each position, so runs compare with plain
    gradient descent. What the run stepped along is in ``gradients``.

    Attributes (besides those of [`Trajectory`][lrtutor.descent.Trajectory]):
        gradients: The stochastic gradient used by each update, shape ``(n, dim)``
            (``(n,)`` for one parameter): the mini-batch's gradient, plus the noise.
        batches: The examples of each update's mini-batch, an int array of shape
            ``(n, batch_size)`` (row indices of ``loss.X``), or ``None`` without
            mini-batches.
        epochs: The epoch of each update, shape ``(n,)``, 0-based: how many full passes
            over the data came before it (with ``replace=True``: ``(t * batch_size) // n``,
            examples drawn over the number of examples). ``None`` without mini-batches.
        batch_size: Examples per mini-batch, or ``None``.
        noise_std: Standard deviation of the added noise, or ``None``.
        seed: The seed of the run's generator.
    """

    gradients: np.ndarray
    batches: np.ndarray | None
    epochs: np.ndarray | None
    batch_size: int | None
    noise_std: float | None
    seed: int


@dataclass(frozen=True)
class SGDRuns:
    """Many independent stochastic runs from the same start, recorded for their statistics.

    Attributes:
        losses: The full loss of every run at every step, shape ``(n_runs, n_steps + 1)``,
            all finite (``run_sgd_many`` refuses runs that blow up).
        final_positions: Each run's last position, shape ``(n_runs,)`` for one parameter,
            ``(n_runs, dim)`` for several.
        learning_rates: The rate of each update, shape ``(n_steps,)``.
        diverged: Whether each run blew up, shape ``(n_runs,)``: all False from
            ``run_sgd_many``, which raises ValueError instead.
        loss: The loss that was descended.
    """

    losses: np.ndarray
    final_positions: np.ndarray
    learning_rates: np.ndarray
    diverged: np.ndarray
    loss: Loss

    @property
    def n_runs(self) -> int:
        """Number of runs."""
        return int(self.losses.shape[0])

    @property
    def n_steps(self) -> int:
        """Number of updates of each run."""
        return int(self.learning_rates.shape[0])

    def mean_loss(self) -> np.ndarray:
        """The mean loss over the runs at every step, shape ``(n_steps + 1,)``.

        ``inf`` from the step on which any run diverged.
        """
        with np.errstate(invalid="ignore", over="ignore"):
            return self.losses.mean(axis=0)

    def standard_error(self) -> np.ndarray:
        """The Monte Carlo standard error of ``mean_loss()``: ``std(ddof=1) / sqrt(n_runs)``.

        Shape ``(n_steps + 1,)``; it needs at least 2 runs.

        Raises:
            ValueError: If there is only one run, or a run diverged.
        """
        if self.n_runs < 2:
            raise ValueError("standard_error needs at least 2 runs")
        if self.diverged.any():
            raise ValueError("standard_error is undefined: some runs diverged")
        return self.losses.std(axis=0, ddof=1) / math.sqrt(self.n_runs)


# --------------------------------------------------------------------- argument checks


def _check_batch(
    loss: Loss, batch_size: Any, replace: Any, shuffle: Any
) -> tuple[int | None, bool, bool]:
    replace = _validate.flag("replace", replace)
    shuffle = _validate.flag("shuffle", shuffle)
    if batch_size is None:
        return None, replace, shuffle
    from .models import DataLoss

    if isinstance(batch_size, bool | np.bool_) or not isinstance(batch_size, int | np.integer):
        raise TypeError(f"batch_size must be an int or None, got {type(batch_size).__name__}")
    if not isinstance(loss, DataLoss) or loss.X is None:
        raise ValueError(
            f"batch_size needs a loss on data (a DataLoss); {_validate.show(loss.name)} has no examples "
            "(use noise_std for gradient noise)"
        )
    n = loss.n_samples
    if replace:
        batch_size = _validate.count("batch_size", batch_size, minimum=1, maximum=10**7)
        if not shuffle:
            raise ValueError("shuffle=False (the data order) needs replace=False")
    elif batch_size > n or batch_size < 1:
        raise ValueError(
            f"batch_size must be an int in [1, {n}] (the number of examples) when "
            f"replace=False, got {batch_size}"
        )
    return int(batch_size), replace, shuffle


def _check_noise(noise_std: Any) -> float | None:
    if noise_std is None:
        return None
    return _validate.non_negative("noise_std", noise_std)


# ------------------------------------------------------------------- the shared engine


class _Gradients:
    """Batch and full gradients of a loss for ``R`` runs at once (private).

    Least squares and logistic regression are vectorised over runs and examples
    (their per-example gradient is ``x_i * residual(x_i . w, y_i)``); one-parameter
    losses whose functions work elementwise on arrays are vectorised over runs; any
    other loss is evaluated run by run.
    """

    def __init__(self, loss: Loss) -> None:
        self.loss = loss
        self.residual: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
        family = getattr(loss, "family", "")
        if family == "least squares":
            self.residual = np.subtract
        elif family == "logistic":
            from scipy.special import expit

            self.residual = lambda z, y: expit(z) - y
        self.elementwise = loss.dim == 1 and _elementwise(loss)
        if family == "least squares":
            # Exactly quadratic: loss(w) = loss(w*) + (w - w*) H (w - w*) / 2, cheaper than
            # a pass over the data for every run.
            self.w_star = np.asarray(loss.minimiser, dtype=float)
            self.hessian = np.asarray(loss.hessian(self.w_star))
            self.floor = float(loss.raw_value(self.w_star))

    def batch(self, W: np.ndarray, index: np.ndarray) -> np.ndarray:
        """Mini-batch gradients, ``W`` of shape ``(R, d)``, ``index`` ``(R, B)``."""
        X, y = self.loss.X, self.loss.y
        if self.residual is not None:
            Xb = X[index]  # (R, B, d)
            residual = self.residual(np.einsum("rbd,rd->rb", Xb, W), y[index])
            return np.einsum("rbd,rb->rd", Xb, residual) / index.shape[1]
        return np.stack(
            [self.loss.rows(rows).raw_slope(w) for w, rows in zip(W, index, strict=True)]
        ).reshape(W.shape)

    def full(self, W: np.ndarray) -> np.ndarray:
        """Exact gradients, shape ``(R, d)``."""
        if self.residual is not None:
            X, y = self.loss.X, self.loss.y
            return self.residual(W @ X.T, y) @ X / X.shape[0]
        if self.elementwise:
            return np.asarray(self.loss.raw_slope(W[:, 0]), dtype=float).reshape(W.shape)
        return np.stack([np.asarray(self._one(self.loss.raw_slope, w)) for w in W]).reshape(
            W.shape
        )

    def values(self, W: np.ndarray) -> np.ndarray:
        """Full losses, shape ``(R,)``."""
        if getattr(self.loss, "family", "") == "least squares":
            E = W - self.w_star
            return self.floor + 0.5 * np.einsum("rd,de,re->r", E, self.hessian, E)
        if self.elementwise:
            return np.asarray(self.loss.raw_value(W[:, 0]), dtype=float).reshape(-1)
        return np.array([float(self._one(self.loss.raw_value, w)) for w in W])

    def _one(self, function: Callable[[Any], Any], w: np.ndarray) -> Any:
        return function(float(w[0])) if self.loss.dim == 1 else function(w)


def _elementwise(loss: Loss) -> bool:
    """Whether the loss's value and slope evaluate an array of points elementwise."""
    probe = np.array([0.5, -0.25])
    try:
        with np.errstate(all="ignore"):
            value = np.asarray(loss.raw_value(probe))
            slope = np.asarray(loss.raw_slope(probe))
            first = float(loss.raw_value(0.5)), float(loss.raw_slope(0.5))
    except (TypeError, ValueError, OverflowError):
        return False
    return (
        value.shape == (2,)
        and slope.shape == (2,)
        and (float(value[0]), float(slope[0])) == first
    )


@np.errstate(all="ignore")  # a run that blows up is recorded as diverged, without warnings
def _engine(
    loss: Loss,
    x0: Any,
    rate: Callable[[int], float],
    n_steps: int,
    n_runs: int,
    batch_size: int | None,
    noise_std: float | None,
    seed: int,
    replace: bool,
    shuffle: bool,
    on_step: Callable[[int, np.ndarray, np.ndarray, np.ndarray | None], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run ``n_runs`` stochastic descents; the draws of each step, in this order:

    1. with mini-batches drawn without replacement, at the start of every epoch one
       permutation of the examples per run (``Generator.permuted`` on each row; the
       data order when ``shuffle=False``), the epoch cut into ``n // batch_size``
       consecutive batches (a last incomplete batch is dropped);
    2. with ``replace=True``, ``batch_size`` indices per run (``Generator.integers``);
    3. with ``noise_std``, ``dim`` standard normals per run (``standard_normal``),
       multiplied by ``noise_std``.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    model = _Gradients(loss)
    d = loss.dim
    W = np.tile(np.asarray(x0, dtype=float).reshape(1, d), (n_runs, 1))
    values = model.values(W)
    if not (np.all(np.isfinite(values)) and np.all(np.abs(values) <= MAX_LOSS)):
        raise ValueError(f"x0 = {_validate.show(x0)} gives a non-finite or huge loss ({_validate.show(values[0])})")
    losses = np.empty((n_runs, n_steps + 1))
    losses[:, 0] = values
    rates = np.empty(n_steps)
    alive = np.ones(n_runs, dtype=bool)
    diverged_at = np.full(n_runs, -1)
    n = loss.n_samples if batch_size is not None else 0
    per_epoch = n // batch_size if batch_size is not None and not replace else 0
    order = np.tile(np.arange(n), (n_runs, 1)) if per_epoch else None
    for step in range(n_steps):
        lr = rate(step)
        rates[step] = lr
        index = None
        if batch_size is None:
            G = model.full(W)
        else:
            if replace:
                index = rng.integers(0, n, size=(n_runs, batch_size))
            else:
                k = step % per_epoch
                if k == 0 and shuffle:
                    order = rng.permuted(np.tile(np.arange(n), (n_runs, 1)), axis=1)
                index = order[:, k * batch_size : (k + 1) * batch_size]
            G = model.batch(W, index)
        if noise_std is not None:
            G = G + noise_std * rng.standard_normal((n_runs, d))
        new_W = W - lr * G
        new_values = model.values(new_W)
        ok = (
            np.all(np.isfinite(new_W), axis=1)
            & np.isfinite(new_values)
            & (np.abs(new_values) <= MAX_LOSS)
        )
        newly = alive & ~ok
        diverged_at[newly] = step
        alive &= ok
        W = np.where(alive[:, None], new_W, W)
        losses[:, step + 1] = np.where(alive, new_values, np.inf)
        if on_step is not None:
            on_step(step, G, W, index)
            if not alive[0]:
                break
    return W, losses, rates, alive, diverged_at


def _check_common(
    loss: Any, x0: Any, learning_rate: Any, n_steps: Any, batch_size: Any, noise_std: Any,
    seed: Any, replace: Any, shuffle: Any,
) -> tuple[Loss, Any, Callable[[int], float], int, int | None, float | None, int, bool, bool]:
    loss = _validate.instance("loss", loss, Loss)
    x0 = check_start(loss, x0)
    rate = rate_function(learning_rate)
    n_steps = _validate.iterations("n_steps", n_steps)
    batch_size, replace, shuffle = _check_batch(loss, batch_size, replace, shuffle)
    noise_std = _check_noise(noise_std)
    seed = _validate.count("seed", seed)
    return loss, x0, rate, n_steps, batch_size, noise_std, seed, replace, shuffle


# ------------------------------------------------------------------------ the runners


def run_sgd(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    *,
    batch_size: int | None = None,
    noise_std: float | None = None,
    seed: int = 0,
    replace: bool = False,
    shuffle: bool = True,
) -> StochasticTrajectory:
    """Stochastic gradient descent: ``x_{t+1} = x_t - learning_rate(t) * g_t``.

    ``g_t`` is the gradient of the mini-batch of step ``t`` (with ``batch_size``), or
    the exact gradient (without), plus independent Gaussian noise of standard
    deviation ``noise_std`` in every component (with ``noise_std``). Without either it
    is plain gradient descent, step for step
    [`run_gradient_descent()`][lrtutor.descent.run_gradient_descent].

    Mini-batches (a [`DataLoss`][lrtutor.models.DataLoss] only): by default each
    **epoch** (one pass over the ``n`` examples) visits the examples in a new random
    order, cut into ``n // batch_size`` batches of ``batch_size``; the last incomplete
    batch is dropped. That is PyTorch's ``DataLoader(data, batch_size, shuffle=True,
    drop_last=True)``; Keras's ``model.fit(batch_size=...)`` and PyTorch's default
    ``drop_last=False`` keep a smaller last batch instead. ``shuffle=False`` keeps the
    data order in every epoch (``DataLoader(shuffle=False)``); ``replace=True`` draws
    every batch's examples independently and uniformly, with replacement (then any
    ``batch_size >= 1`` is allowed, even above ``n``). A batch's gradient is the mean
    of its examples' gradients, the loss's own convention (a mean over examples).

    With ``batch_size=1``, ``shuffle=False`` and a least-squares loss whose first
    column is the intercept, one epoch is scikit-learn's
    ``SGDRegressor(loss="squared_error", penalty=None, learning_rate="constant",
    eta0=learning_rate, shuffle=False, max_iter=1, tol=None)`` (fitted on the other
    columns) to rounding: its per-example loss ``(x . w - y)**2 / 2`` is this loss on a
    batch of one, and it updates the intercept with the same rate.

    Randomness: ``numpy.random.Generator(numpy.random.PCG64(seed))``, the same numbers
    on NumPy 1.26 and 2. The run is run 0 of
    [`run_sgd_many()`][lrtutor.stochastic.run_sgd_many] with ``n_runs=1`` and the same
    seed.

    Args:
        loss: The loss to descend; a [`DataLoss`][lrtutor.models.DataLoss] for
            mini-batches.
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        learning_rate: A constant rate, finite and > 0, or a schedule ``step -> rate``.
        n_steps: Number of updates, from 0 to 10**7.
        batch_size: Examples per mini-batch: an int in ``[1, n]``, or ``>= 1`` with
            ``replace=True``; ``None`` for the full batch.
        noise_std: Standard deviation of the Gaussian noise added to every gradient
            component, finite and >= 0 (units of the gradient), or ``None``.
        seed: Seed of the generator, an int >= 0.
        replace: Draw each batch's examples independently, with replacement.
        shuffle: A new random order every epoch (``False``: the data order); only
            with ``replace=False``.

    Returns:
        A [`StochasticTrajectory`][lrtutor.stochastic.StochasticTrajectory]. A run
        whose loss becomes non-finite or exceeds ``1e100`` stops and is marked
        diverged, as in ``run_gradient_descent``.

    Raises:
        TypeError: If an argument has the wrong type (``batch_size`` or ``seed`` not an
            int, ``replace`` or ``shuffle`` not a bool ...).
        ValueError: If ``batch_size`` is out of range or given for a loss without data,
            ``noise_std`` is negative or NaN, ``seed`` < 0, ``shuffle=False`` with
            ``replace=True``, or as ``run_gradient_descent``.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run = run_sgd(SQUARE, 2.0, 0.1, 3, noise_std=1.0, seed=0)
        >>> [round(x, 4) for x in run.positions.tolist()]
        [2.0, 1.5874, 1.2832, 0.9625]

    References:
        H. Robbins and S. Monro, "A Stochastic Approximation Method", *The Annals of
        Mathematical Statistics* 22(3), 1951. L. Bottou, F. E. Curtis and J. Nocedal,
        "Optimization Methods for Large-Scale Machine Learning", *SIAM Review* 60(2),
        2018, section 4.
    """
    loss, x0, rate, n_steps, batch_size, noise_std, seed, replace, shuffle = _check_common(
        loss, x0, learning_rate, n_steps, batch_size, noise_std, seed, replace, shuffle
    )
    gradients: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    batches: list[np.ndarray] = []

    def record(step: int, G: np.ndarray, W: np.ndarray, index: np.ndarray | None) -> None:
        gradients.append(G[0].copy())
        positions.append(W[0].copy())
        if index is not None:
            batches.append(index[0].copy())

    _, _losses, rates, alive, diverged_at = _engine(
        loss, x0, rate, n_steps, 1, batch_size, noise_std, seed, replace, shuffle, record
    )
    taken = n_steps if alive[0] else int(diverged_at[0])
    start = np.asarray(x0, dtype=float).reshape(1, loss.dim)
    path = np.concatenate([start, np.array(positions[:taken]).reshape(taken, loss.dim)])
    with np.errstate(all="ignore"):
        if loss.dim == 1:
            pos = path[:, 0]
            slopes = np.array([float(loss.raw_slope(float(p))) for p in pos])
            values = np.array([float(loss.raw_value(float(p))) for p in pos])
        else:
            pos = path
            slopes = np.array([loss.raw_slope(p) for p in pos], dtype=float)
            values = np.array([float(loss.raw_value(p)) for p in pos])
    used = np.array(gradients[:taken]).reshape(taken, loss.dim)
    epochs = None
    if batch_size is not None:
        steps = np.arange(taken)
        if replace:
            epochs = (steps * batch_size) // loss.n_samples
        else:
            epochs = steps // (loss.n_samples // batch_size)
    return StochasticTrajectory(
        positions=pos,
        losses=values,
        slopes=slopes,
        learning_rates=rates[:taken],
        diverged=not alive[0],
        diverged_at=None if alive[0] else int(diverged_at[0]),
        loss=loss,
        gradients=used[:, 0] if loss.dim == 1 else used,
        batches=None if batch_size is None else np.array(batches[:taken], dtype=int).reshape(
            taken, batch_size
        ),
        epochs=epochs,
        batch_size=batch_size,
        noise_std=noise_std,
        seed=seed,
    )


def run_sgd_many(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    n_runs: int,
    *,
    batch_size: int | None = None,
    noise_std: float | None = None,
    seed: int = 0,
    replace: bool = False,
    shuffle: bool = True,
) -> SGDRuns:
    """``n_runs`` independent runs of [`run_sgd()`][lrtutor.stochastic.run_sgd], computed together.

    All runs start at ``x0`` and share the schedule; each draws its own batches and
    noise from one generator, ``numpy.random.Generator(PCG64(seed))``, in the order
    ``run_sgd`` documents (run 0 with ``n_runs=1`` is ``run_sgd``'s run). The work
    is vectorised over runs for one-parameter losses that evaluate arrays
    elementwise (``x**2``, [`quadratic()`][lrtutor.losses.quadratic]) and for least
    squares and logistic regression (over runs and examples); other losses are
    evaluated run by run, which is slower. For least squares the loss is computed from
    its exact quadratic form around the minimiser, equal to ``loss.value`` to rounding.

    Args:
        loss: The loss to descend.
        x0: The common start (a finite number, or an array of shape ``(dim,)``).
        learning_rate: A constant rate > 0 or a schedule.
        n_steps: Number of updates of each run, from 0 to 10**7.
        n_runs: Number of runs, an int >= 1.
        batch_size: As ``run_sgd``.
        noise_std: As ``run_sgd``.
        seed: As ``run_sgd``.
        replace: As ``run_sgd``.
        shuffle: As ``run_sgd``.

    Returns:
        An [`SGDRuns`][lrtutor.stochastic.SGDRuns] record; its ``mean_loss()`` and
        ``standard_error()`` give the Monte Carlo mean and its standard error.

    Raises:
        TypeError: As ``run_sgd``; also if ``n_runs`` is not an int.
        ValueError: As ``run_sgd``; also if ``n_runs`` < 1, or if any run diverges.

    Examples:
        >>> from lrtutor import SQUARE
        >>> runs = run_sgd_many(SQUARE, 2.0, 0.1, 100, 4000, noise_std=1.0, seed=0)
        >>> round(float(runs.mean_loss()[-1]), 3), round(stationary_variance(2.0, 0.1, 1.0), 3)
        (0.028, 0.028)
    """
    loss, x0, rate, n_steps, batch_size, noise_std, seed, replace, shuffle = _check_common(
        loss, x0, learning_rate, n_steps, batch_size, noise_std, seed, replace, shuffle
    )
    n_runs = _validate.count("n_runs", n_runs, minimum=1, maximum=10**8)
    W, losses, rates, alive, _ = _engine(
        loss, x0, rate, n_steps, n_runs, batch_size, noise_std, seed, replace, shuffle
    )
    if not alive.all():
        # A mean over runs some of which blew up is inf: refuse it rather than let it travel.
        first = int(np.argmax(~np.isfinite(losses[~alive][0])))
        raise ValueError(
            f"{int((~alive).sum())} of {n_runs} runs diverged (the first at step {first}: its "
            f"loss went above {MAX_LOSS:g} or stopped being finite); lower learning_rate or "
            "noise_std, or use run_sgd to study one run that blows up"
        )
    return SGDRuns(
        losses=losses,
        final_positions=W[:, 0].copy() if loss.dim == 1 else W,
        learning_rates=rates,
        diverged=~alive,
        loss=loss,
    )


# ------------------------------------------------------------------------ closed forms


def _check_quadratic(curvature: Any, learning_rate: Any, noise_variance: Any) -> tuple[float, ...]:
    L = _validate.positive("curvature", curvature)
    eta = _validate.positive("learning_rate", learning_rate)
    s2 = _validate.non_negative("noise_variance", noise_variance)
    return L, eta, s2


def stationary_variance(curvature: float, learning_rate: float, noise_variance: float) -> float:
    """The variance that SGD with additive noise settles at on ``L x**2 / 2``: ``η s² / (L (2 − η L))``.

    Each update is ``x' = x - η (L x + ξ)`` with independent noise ``ξ`` of mean 0 and
    variance ``s²``, so ``x' = (1 - η L) x - η ξ`` and the variance ``v`` of ``x``
    obeys ``v' = (1 - η L)² v + η² s²``. Its fixed point is
    ``v = η² s² / (1 - (1 - η L)²) = η s² / (L (2 - η L))``, finite for
    ``0 < η L < 2``. For ``η L`` small it is about ``η s² / (2 L)``; near ``η = 2/L`` it
    grows without bound. The mean loss there is ``L v / 2``: the **noise floor**.
    (On ``x**2``, ``L = 2`` and the mean loss is ``v`` itself.)

    Args:
        curvature: ``L``, finite and > 0 (loss per parameter²).
        learning_rate: ``η``, in ``(0, 2 / L)``.
        noise_variance: ``s²``, the variance of the gradient noise, finite and >= 0.

    Returns:
        ``v``, in parameter units squared.

    Raises:
        TypeError: If an argument is not a real number.
        ValueError: If ``curvature`` is not > 0, ``noise_variance`` < 0, or
            ``learning_rate`` not in ``(0, 2 / curvature)`` (no stationary variance).

    Examples:
        >>> stationary_variance(2.0, 0.1, 1.0)
        0.02777777777777778

    References:
        G. Pflug, "Stochastic minimization with constant step-size: asymptotic laws",
        *SIAM J. Control and Optimization* 24(4), 1986; S. Mandt, M. D. Hoffman and
        D. M. Blei, "Stochastic Gradient Descent as Approximate Bayesian Inference",
        *JMLR* 18, 2017, section 3 (the small-rate form).
    """
    L, eta, s2 = _check_quadratic(curvature, learning_rate, noise_variance)
    if eta * L >= 2:
        raise ValueError(
            f"learning_rate must be in (0, 2/curvature) = (0, {2 / L:g}) for a stationary "
            f"variance, got {_validate.show(learning_rate)}"
        )
    with np.errstate(all="ignore"):
        variance = eta * s2 / (L * (2 - eta * L))
    if not math.isfinite(variance):
        raise ValueError(
            f"the stationary variance overflows (curvature = {_validate.show(curvature)}, "
            f"learning_rate = {_validate.show(learning_rate)}): it is beyond the float range"
        )
    return variance


def mean_square_error(
    curvature: float,
    learning_rate: LearningRate,
    noise_variance: float,
    x0: float,
    n_steps: int,
) -> np.ndarray:
    """The exact mean of ``x_t²`` for SGD with additive noise on ``L x**2 / 2``, steps 0 .. n.

    With ``a_t = 1 - η_t L`` the recursion ``E[x_{t+1}²] = a_t² E[x_t²] + η_t² s²``
    starts at ``x0²``. For a constant rate it has the closed form
    ``E[x_t²] = a^{2t} x0² + v (1 - a^{2t})``, ``v`` the
    [`stationary_variance()`][lrtutor.stochastic.stationary_variance]; for a schedule
    the recursion is evaluated. The minimiser is 0, so this is the mean square
    distance to it; on ``x**2`` (``L = 2``) it is the mean loss.

    Args:
        curvature: ``L``, finite and > 0.
        learning_rate: A constant ``η`` > 0 or a schedule ``step -> rate`` (any rate,
            even one that makes the error grow).
        noise_variance: ``s²``, finite and >= 0.
        x0: The start, finite.
        n_steps: Number of updates, from 0 to 10**7.

    Returns:
        Array of shape ``(n_steps + 1,)``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range, or the error overflows.

    Examples:
        >>> mean_square_error(2.0, 0.1, 1.0, 2.0, 2).round(4).tolist()
        [4.0, 2.57, 1.6548]

    References:
        As [`stationary_variance()`][lrtutor.stochastic.stationary_variance].
    """
    L = _validate.positive("curvature", curvature)
    rate = rate_function(learning_rate)
    s2 = _validate.non_negative("noise_variance", noise_variance)
    x0 = _validate.finite("x0", x0)
    n_steps = _validate.iterations("n_steps", n_steps)
    out = np.empty(n_steps + 1)
    with np.errstate(all="ignore"):
        if callable(learning_rate):
            m = x0 * x0
            out[0] = m
            for t in range(n_steps):
                eta = rate(t)
                m = (1 - eta * L) ** 2 * m + eta * eta * s2
                out[t + 1] = m
        else:
            eta = rate(0)
            try:
                a2 = (1 - eta * L) ** 2
            except OverflowError:
                a2 = math.inf
            if not math.isfinite(a2):
                raise ValueError(
                    "the mean square error overflows: (1 - learning_rate * curvature)**2 "
                    "is beyond the float range"
                )
            decay = a2 ** np.arange(n_steps + 1)
            if eta * L < 2:
                v = eta * s2 / (L * (2 - eta * L))
                out[:] = decay * x0 * x0 + v * (1 - decay)
            else:  # no fixed point: sum the geometric series directly
                series = np.where(a2 == 1, np.arange(n_steps + 1), (decay - 1) / (a2 - 1))
                out[:] = decay * x0 * x0 + eta * eta * s2 * series
    if not np.all(np.isfinite(out)):
        raise ValueError("the mean square error overflows: choose fewer steps or a smaller rate")
    return out
