"""Learning rates chosen from progress: reduce on plateau, Armijo backtracking, Polyak's step.

A schedule fixes the rate in advance; the methods here read the loss as training
goes. [`reduce_on_plateau()`][lrtutor.progress.reduce_on_plateau] cuts the rate when
the loss stops improving, under optax's, PyTorch's or Keras's counting rules;
[`run_backtracking_descent()`][lrtutor.progress.run_backtracking_descent] tries a long
step and halves it until the loss falls enough (Armijo);
[`run_polyak_descent()`][lrtutor.progress.run_polyak_descent] sizes each step from
how far the loss is above its known minimum. The page "Let progress choose the rate"
(docs/progress.md) runs them.

References:
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer 2006,
    section 3.1, Algorithm 3.1 (backtracking line search).
    B. T. Polyak, *Introduction to Optimization*, Optimization Software 1987,
    section 5.3 (the step ``(f - f*) / |g|**2``).
    optax ``contrib.reduce_on_plateau`` (optax/contrib/_reduce_on_plateau.py) and
    ``scale_by_backtracking_linesearch`` (optax/_src/linesearch.py); PyTorch
    ``torch.optim.lr_scheduler.ReduceLROnPlateau``; Keras
    ``keras.callbacks.ReduceLROnPlateau`` (keras/src/callbacks/reduce_lr_on_plateau.py).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from .descent import MAX_LOSS, Trajectory, bad_start, check_start, evaluate
from .losses import Loss

__all__ = [
    "CONVENTIONS",
    "ReduceOnPlateau",
    "SearchTrajectory",
    "reduce_on_plateau",
    "run_backtracking_descent",
    "run_polyak_descent",
]

#: The libraries whose plateau rules ``reduce_on_plateau`` reproduces.
CONVENTIONS = ("optax", "pytorch", "keras")


class ReduceOnPlateau:
    """A learning rate that falls when the loss stops improving (see ``reduce_on_plateau``).

    It reads one loss at a time with [`update()`][lrtutor.progress.ReduceOnPlateau.update]
    and holds the rate in force after it, [`rate`][lrtutor.progress.ReduceOnPlateau.rate].
    Build it with [`reduce_on_plateau()`][lrtutor.progress.reduce_on_plateau], which
    documents the rules. Pass it as ``learning_rate`` to
    [`run_gradient_descent()`][lrtutor.descent.run_gradient_descent] or
    [`run_momentum_descent()`][lrtutor.momentum.run_momentum_descent]: the runner works
    on a fresh copy and feeds it the loss of every position.

    Attributes:
        convention: ``"optax"``, ``"pytorch"`` or ``"keras"``.
        factor, patience, rtol, atol, cooldown, min_scale, learning_rate, eps: The
            settings, resolved (``rtol``/``atol`` hold the convention's defaults when
            they were not given; ``eps`` is ``None`` except for PyTorch).
    """

    def __init__(
        self,
        *,
        convention: str,
        factor: float,
        patience: int,
        rtol: float,
        atol: float,
        cooldown: int,
        min_scale: float,
        learning_rate: float,
        eps: float | None,
    ) -> None:
        self.convention = convention
        self.factor = factor
        self.patience = patience
        self.rtol = rtol
        self.atol = atol
        self.cooldown = cooldown
        self.min_scale = min_scale
        self.learning_rate = learning_rate
        self.eps = eps
        self.min_rate = learning_rate * min_scale  # PyTorch's and Keras's min_lr
        self.reset()

    def reset(self) -> None:
        """Forget every loss read: back to the initial rate and counters."""
        # optax: ReduceLROnPlateauState(scale=1, best_value=inf, plateau_count=0,
        # cooldown_count=0); PyTorch: _reset() (best = inf); Keras: _reset() (best = None).
        self._scale = 1.0
        self._rate = self.learning_rate
        self._best: float | None = None if self.convention == "keras" else math.inf
        self._bad = 0  # optax plateau_count, PyTorch num_bad_epochs, Keras wait
        self._cooldown = 0  # optax cooldown_count, PyTorch/Keras cooldown_counter
        self.n_read = 0

    @property
    def rate(self) -> float:
        """The learning rate in force now (the scale, when ``learning_rate`` is 1)."""
        return self._rate

    @property
    def bad_epochs(self) -> int:
        """The library's count of epochs without improvement, after the last loss read."""
        return self._bad

    def update(self, loss_value: float) -> float:
        """Read one loss (one epoch's) and return the learning rate in force after it.

        Args:
            loss_value: The monitored loss, a finite real number (the libraries count
                a NaN as no improvement; this refuses it).

        Returns:
            The rate in force after reading it, a float.

        Raises:
            TypeError: If ``loss_value`` is not a real number.
            ValueError: If it is not finite.
        """
        value = _validate.finite("loss_value", loss_value)
        step = {"optax": self._optax, "pytorch": self._pytorch, "keras": self._keras}
        step[self.convention](value)
        self.n_read += 1
        return self._rate

    def trace(self, losses: Iterable[float]) -> np.ndarray:
        """The rate in force after each loss of ``losses``, from a fresh start.

        The object itself is left as it was.

        Args:
            losses: Finite losses, one per epoch (array-like of shape ``(n,)``).

        Returns:
            Float array of shape ``(n,)``: entry ``t`` is the rate after reading
            ``losses[t]``.

        Raises:
            TypeError, ValueError: If ``losses`` is not a 1-d array of finite numbers.
        """
        values = _validate.real_array("losses", losses, ndim=1, allow_empty=True)
        fresh = self.fresh()
        return np.array([fresh.update(float(v)) for v in values], dtype=float)

    def fresh(self) -> ReduceOnPlateau:
        """A copy with the same settings that has read nothing yet."""
        twin = copy.copy(self)
        twin.reset()
        return twin

    # ---------------------------------------------------------- the three rule sets

    def _optax(self, value: float) -> None:
        # optax/contrib/_reduce_on_plateau.py, _update_scale (accumulation_size=1, so
        # avg_value is the value). Plain floats: (1 - rtol) * inf is inf, and with
        # rtol = 1 it is 0 * inf = nan, against which nothing improves, as in optax.
        best = self._best if self._best is not None else math.inf
        improved = value < (1 - self.rtol) * best - self.atol
        if improved:
            self._best = value
        count = 0 if improved else self._bad + 1
        if self._cooldown > 0:
            self._bad = 0
            self._cooldown -= 1
        elif count == self.patience:  # equality, not >=: see reduce_on_plateau's notes
            self._bad = 0
            self._scale = max(self._scale * self.factor, self.min_scale)
            self._cooldown = self.cooldown
        else:
            self._bad = count
            self._scale = max(self._scale, self.min_scale)
            self._cooldown = 0
        self._rate = self.learning_rate * self._scale

    def _pytorch(self, value: float) -> None:
        # torch/optim/lr_scheduler.py, ReduceLROnPlateau.step, _is_better and _reduce_lr
        # (mode="min").
        best = self._best if self._best is not None else math.inf
        if self.atol > 0:  # threshold_mode="abs"
            better = value < best - self.atol
        else:  # threshold_mode="rel"
            better = value < best * (1.0 - self.rtol)
        if better:
            self._best = value
            self._bad = 0
        else:
            self._bad += 1
        if self._cooldown > 0:
            self._cooldown -= 1
            self._bad = 0  # ignore any bad epochs in cooldown
        if self._bad > self.patience:
            old = self._rate
            new = max(old * self.factor, self.min_rate)
            if old - new > (self.eps or 0.0):
                self._rate = new
            self._cooldown = self.cooldown
            self._bad = 0

    def _keras(self, value: float) -> None:
        # keras/src/callbacks/reduce_lr_on_plateau.py, on_epoch_end; improvement as in
        # monitor_callback.py: ops.less(current - (-min_delta), best), best None first.
        if self._cooldown > 0:
            self._cooldown -= 1
            self._bad = 0
        if self._best is None or value - (-self.atol) < self._best:
            self._best = value
            self._bad = 0
        elif not self._cooldown > 0:
            self._bad += 1
            if self._bad >= self.patience and self._rate > self.min_rate:
                self._rate = max(self._rate * self.factor, self.min_rate)
                self._cooldown = self.cooldown
                self._bad = 0

    # ------------------------------------------------------------- for the runners

    def runner_rate(self) -> Callable[[int, float], float]:
        """``rate(step, loss_at_x_step)`` for a runner, on a fresh copy of this object.

        optax reads the loss of the current parameters inside the update and scales
        that same update; PyTorch's ``scheduler.step(loss)`` and Keras's
        ``on_epoch_end`` come after the epoch's update, so the loss of ``x_t`` first
        changes the rate of update ``t + 1``.
        """
        plateau = self.fresh()
        if plateau.convention == "optax":

            def rate(step: int, loss_value: float) -> float:
                return plateau.update(loss_value)
        else:

            def rate(step: int, loss_value: float) -> float:
                used = plateau.rate
                plateau.update(loss_value)
                return used

        rate.reads_loss = True  # type: ignore[attr-defined]
        return rate

    def __repr__(self) -> str:
        return (
            f"reduce_on_plateau(factor={_validate.show(self.factor)}, patience={_validate.show(self.patience)}, "
            f"rtol={_validate.show(self.rtol)}, atol={_validate.show(self.atol)}, cooldown={_validate.show(self.cooldown)}, "
            f"min_scale={_validate.show(self.min_scale)}, convention={_validate.show(self.convention)}, "
            f"learning_rate={_validate.show(self.learning_rate)}"
            + (f", eps={_validate.show(self.eps)})" if self.eps is not None else ")")
        )


def reduce_on_plateau(
    factor: float = 0.1,
    patience: int = 10,
    rtol: float | None = None,
    atol: float | None = None,
    cooldown: int = 0,
    min_scale: float = 0.0,
    *,
    convention: str = "optax",
    learning_rate: float = 1.0,
    eps: float | None = None,
) -> ReduceOnPlateau:
    """A rate that is multiplied by ``factor`` when the loss stops improving.

    The object reads one loss per epoch and keeps the rate in force after it: it
    starts at ``learning_rate`` and, when the count of epochs without improvement
    reaches the library's trigger, becomes ``max(rate * factor, floor)`` with floor
    ``learning_rate * min_scale``. With ``learning_rate=1`` its values are optax's
    scale. Each convention follows its library's code, rule for rule:

    * **When it reduces.** optax: when the count of bad epochs in a row *equals*
      ``patience`` (``curr_plateau_count == patience``), at the ``patience``-th
      bad epoch; with ``patience=0`` it reduces on every *improving* epoch and never
      on a bad one. Keras: when ``wait >= patience``, also at the ``patience``-th
      bad epoch (with ``patience=0``, at every bad one). PyTorch: when
      ``num_bad_epochs > patience``, one epoch later, at the ``patience + 1``-th.
    * **Improvement.** optax: ``loss < (1 - rtol) * best - atol``, both tolerances
      at once (optax's defaults ``rtol=1e-4``, ``atol=0``). PyTorch: ``loss < best *
      (1 - threshold)`` (``threshold_mode="rel"``, ``rtol=threshold``) or ``loss <
      best - threshold`` (``"abs"``, ``atol=threshold``); one of the two, default
      relative ``1e-4``. Keras: ``loss + min_delta < best`` (absolute,
      ``atol=min_delta``, default ``1e-4``), and the first loss always improves
      (``best`` starts as ``None``; optax and PyTorch start from ``inf``).
      A relative threshold on a **negative** loss (optax, PyTorch ``"rel"``) moves the
      bar the wrong way: ``(1 - rtol) * best`` is *above* a negative ``best``, so a
      slightly worse loss counts as an improvement and becomes the new best.
    * **Cooldown.** optax and PyTorch leave the ``cooldown`` epochs after a
      reduction out of the count (optax does not judge them; PyTorch judges each,
      then resets the count). Keras lowers its counter *before* judging the epoch,
      so only ``cooldown - 1`` epochs are left out. All three still record a new
      best during cooldown.
    * **Floors.** optax: ``scale = max(scale * factor, min_scale)``. PyTorch:
      ``new = max(lr * factor, min_lr)``, applied only if ``lr - new > eps``
      (``eps=1e-8``): a rate near ``1e-8`` stops falling. Keras: a reduction
      happens only while ``lr > min_lr``; the cooldown then starts.

    Equivalents (defaults as here when the arguments are left out):
    ``optax.contrib.reduce_on_plateau(factor, patience, rtol, atol, cooldown,
    accumulation_size=1, min_scale)`` chained after an optimiser of rate
    ``learning_rate``; ``torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min",
    factor, patience, threshold=rtol or atol, threshold_mode="rel" or "abs", cooldown,
    min_lr=learning_rate * min_scale, eps)`` with ``opt``'s ``lr=learning_rate``,
    defaults ``factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
    cooldown=0, min_lr=0, eps=1e-8``; ``keras.callbacks.ReduceLROnPlateau(
    monitor="loss", factor, patience, mode="min", min_delta=atol, cooldown,
    min_lr=learning_rate * min_scale)``, defaults ``factor=0.1, patience=10,
    min_delta=1e-4, cooldown=0, min_lr=0.0``. Not covered: ``mode="max"``, optax's
    ``accumulation_size > 1``. Arithmetic is float64 here; JAX (by default) and
    Keras keep the scale or rate in float32, which changes digits past the seventh.

    When a runner uses it: optax scales the update of ``x_t`` by the scale after
    reading ``loss(x_t)``; PyTorch and Keras change the rate after the epoch, so
    ``loss(x_t)`` first acts on update ``t + 1``.

    Args:
        factor: Multiplier of a reduction, in ``(0, 1)``.
        patience: Epochs without improvement tolerated, an int >= 0 (see above for
            what each library makes of it).
        rtol: Relative threshold, in ``[0, 1]``. Default: ``1e-4`` (optax,
            PyTorch), ``0`` (Keras, which has none and refuses another value).
        atol: Absolute threshold, >= 0. Default ``0`` (optax, PyTorch), ``1e-4``
            (Keras's ``min_delta``). PyTorch takes one of ``rtol``/``atol``, not both.
        cooldown: Epochs after a reduction during which bad epochs are not
            counted, an int >= 0.
        min_scale: The floor as a fraction of ``learning_rate``, in ``[0, 1]``.
        convention: ``"optax"``, ``"pytorch"`` or ``"keras"``.
        learning_rate: The rate before any reduction, finite and > 0 (1: the object
            gives optax's scale).
        eps: PyTorch's smallest reduction that is applied, >= 0 (default ``1e-8``);
            only for ``convention="pytorch"``.

    Returns:
        A [`ReduceOnPlateau`][lrtutor.progress.ReduceOnPlateau] that has read nothing.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``factor`` is not in ``(0, 1)``, ``patience`` or ``cooldown``
            is negative, ``convention`` is unknown, a threshold is out of range or not
            expressible in that convention (optax: both thresholds 0; PyTorch: both
            > 0; Keras: ``rtol`` > 0), ``min_scale`` is not in ``[0, 1]``, or ``eps``
            is given for another convention.

    Examples:
        >>> plateau = reduce_on_plateau(patience=2, convention="pytorch")
        >>> plateau.trace([1.0, 1.0, 1.0, 1.0]).tolist()
        [1.0, 1.0, 1.0, 0.1]
        >>> reduce_on_plateau(patience=2, convention="keras").trace([1.0, 1.0, 1.0]).tolist()
        [1.0, 1.0, 0.1]
    """
    if not isinstance(convention, str):
        raise TypeError(f"convention must be a str, got {type(convention).__name__}")
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {_validate.show(convention)}")
    factor = _validate.in_range("factor", factor, 0, 1, low_open=True, high_open=True)
    patience = _validate.count("patience", patience)
    cooldown = _validate.count("cooldown", cooldown)
    min_scale = _validate.in_range("min_scale", min_scale, 0, 1)
    learning_rate = _validate.positive("learning_rate", learning_rate)
    keras = convention == "keras"
    rel = (0.0 if keras else 1e-4) if rtol is None else _validate.in_range("rtol", rtol, 0, 1)
    abs_ = (1e-4 if keras else 0.0) if atol is None else _validate.non_negative("atol", atol)
    if convention == "optax" and rel == 0 and abs_ == 0:
        raise ValueError("optax needs rtol > 0 or atol > 0 (rtol and atol are both 0)")
    if convention == "pytorch" and rel > 0 and abs_ > 0:
        raise ValueError(
            f"pytorch's threshold is relative or absolute: give rtol or atol, not both "
            f"(rtol={_validate.show(rel)}, atol={_validate.show(abs_)})"
        )
    if keras and rel != 0:
        raise ValueError(f"keras's min_delta is absolute: pass atol, and rtol=0 (got rtol={_validate.show(rel)})")
    if convention == "pytorch":
        eps = 1e-8 if eps is None else _validate.non_negative("eps", eps)
    elif eps is not None:
        raise ValueError(f"eps is PyTorch's setting; leave it out for convention={_validate.show(convention)}")
    return ReduceOnPlateau(
        convention=convention, factor=factor, patience=patience, rtol=rel, atol=abs_,
        cooldown=cooldown, min_scale=min_scale, learning_rate=learning_rate, eps=eps,
    )


# ------------------------------------------------------------------ line searches


@dataclass(frozen=True)
class SearchTrajectory(Trajectory):
    """A [`Trajectory`][lrtutor.descent.Trajectory] that also counts what each step cost.

    ``learning_rates[t]`` is the rate the method chose for update ``t``.

    Attributes:
        loss_evaluations: Shape ``(n,)``: losses computed by update ``t`` (the trial
            points of a line search; Polyak's step needs the loss of the new point).
        gradient_evaluations: Shape ``(n,)``: gradients computed by update ``t``
            (1: the gradient at the new point).
        failed_at: The update whose line search found no sufficient decrease within
            its budget (the run stops there, unrecorded), or ``None``.
        failed_loss_evaluations: The losses that failed search computed (0 if none).
    """

    loss_evaluations: np.ndarray
    gradient_evaluations: np.ndarray
    failed_at: int | None = None
    failed_loss_evaluations: int = 0

    @property
    def n_loss_evaluations(self) -> int:
        """All losses computed, the start's and a failed search's included."""
        return 1 + int(np.sum(self.loss_evaluations)) + self.failed_loss_evaluations

    @property
    def n_gradient_evaluations(self) -> int:
        """All gradients computed, the start's included."""
        return 1 + int(np.sum(self.gradient_evaluations))


def _value(loss: Loss, x: Any) -> float:
    """The loss at x as a float, inf where it overflows (inside np.errstate)."""
    try:
        value = float(loss.raw_value(x))
    except OverflowError:
        return math.inf
    return value if math.isfinite(value) and abs(value) <= MAX_LOSS else math.inf


def _finite(x: Any) -> bool:
    return math.isfinite(x) if np.ndim(x) == 0 else bool(np.all(np.isfinite(x)))


def _squared_norm(g: Any) -> float:
    return float(g * g) if np.ndim(g) == 0 else float(np.dot(g, g))


def _record(
    loss: Loss,
    positions: list,
    losses: list,
    slopes: list,
    rates: list,
    loss_evals: list,
    grad_evals: list,
    diverged_at: int | None,
    failed_at: int | None,
    failed_loss_evaluations: int = 0,
) -> SearchTrajectory:
    return SearchTrajectory(
        positions=np.array(positions, dtype=float),
        losses=np.array(losses, dtype=float),
        slopes=np.array(slopes, dtype=float),
        learning_rates=np.array(rates, dtype=float),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        loss=loss,
        loss_evaluations=np.array(loss_evals, dtype=int),
        gradient_evaluations=np.array(grad_evals, dtype=int),
        failed_at=failed_at,
        failed_loss_evaluations=failed_loss_evaluations,
    )


def run_backtracking_descent(
    loss: Loss,
    x0: Any,
    n_steps: int,
    *,
    max_learning_rate: float = 1.0,
    decrease_factor: float = 0.5,
    slope_rtol: float = 1e-4,
    max_backtracking_steps: int = 30,
) -> SearchTrajectory:
    """Gradient descent whose rate is found at every step by Armijo backtracking.

    Each update starts from ``eta = max_learning_rate`` and multiplies it by
    ``decrease_factor`` until the **sufficient decrease** (Armijo) condition
    ``loss(x - eta * g) <= loss(x) - slope_rtol * eta * |g|**2`` holds (``g`` the
    gradient at ``x``), then steps to ``x - eta * g``. This is Nocedal and Wright's
    Algorithm 3.1 with the direction ``p = -g``, ``alpha_bar = max_learning_rate``,
    ``rho = decrease_factor``, ``c = slope_rtol``. On a quadratic with Hessian
    ``A`` the condition reads ``eta <= 2 * (1 - slope_rtol) * eta_star``, where
    ``eta_star = |g|**2 / (g @ A @ g)`` is the exact line minimum.

    Each update costs one loss per trial rate and one gradient (at the accepted
    point). If ``max_backtracking_steps`` reductions (``max_backtracking_steps + 1``
    trials) find no sufficient decrease, as happens where rounding hides the
    decrease, the run stops and ``failed_at`` records the update.

    Equivalents: optax ``chain(sgd(1.0), scale_by_backtracking_linesearch(
    max_backtracking_steps, slope_rtol, decrease_factor, increase_factor=math.inf,
    max_learning_rate))``; optax's defaults differ (``decrease_factor=0.8``, and
    ``increase_factor=1.5`` starts each search from 1.5 times the last rate), and
    when its budget runs out it takes the last trial rate instead of stopping.
    PyTorch and Keras have no Armijo line search for gradient descent (PyTorch's
    ``LBFGS(line_search_fn="strong_wolfe")`` is a different method).

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        n_steps: Number of updates, from 0 to 10**7.
        max_learning_rate: The first rate tried at every update, finite and > 0.
        decrease_factor: Multiplier of a rejected rate, in ``(0, 1)``.
        slope_rtol: Fraction of the first-order decrease demanded, in ``(0, 1)``.
        max_backtracking_steps: Largest number of reductions per update, an int in
            ``[0, 1000]``.

    Returns:
        A [`SearchTrajectory`][lrtutor.progress.SearchTrajectory]; positions of shape
        ``(n + 1,)`` or ``(n + 1, dim)`` with ``n <= n_steps`` (fewer if a search failed
        or the run diverged).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of its range, or ``x0`` has a non-finite or
            huge loss.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run = run_backtracking_descent(SQUARE, 2.0, 1)
        >>> run.learning_rates.tolist(), run.positions.tolist(), run.n_loss_evaluations
        ([0.5], [2.0, 0.0], 3)

    References:
        Nocedal and Wright, *Numerical Optimization* (2006), Algorithm 3.1;
        L. Armijo, "Minimization of functions having Lipschitz continuous first
        partial derivatives", Pacific Journal of Mathematics 16(1), 1966.
    """
    loss = _validate.instance("loss", loss, Loss)
    x = check_start(loss, x0)
    n_steps = _validate.iterations("n_steps", n_steps)
    top = _validate.positive("max_learning_rate", max_learning_rate)
    rho = _validate.in_range("decrease_factor", decrease_factor, 0, 1, low_open=True,
                             high_open=True)
    c = _validate.in_range("slope_rtol", slope_rtol, 0, 1, low_open=True, high_open=True)
    budget = _validate.count("max_backtracking_steps", max_backtracking_steps, maximum=1000)
    with np.errstate(all="ignore"):
        value, slope, ok = evaluate(loss, x)
        if not ok:
            raise bad_start(x0, value, slope)
        positions, losses, slopes, rates = [x], [value], [slope], []
        loss_evals: list[int] = []
        grad_evals: list[int] = []
        diverged_at = failed_at = None
        wasted = 0
        for step in range(n_steps):
            g2 = _squared_norm(slope)
            eta, trials, accepted = top, 0, False
            for _ in range(budget + 1):
                trials += 1
                new_x = x - eta * slope
                new_value = _value(loss, new_x) if _finite(new_x) else math.inf
                if new_value <= value - c * eta * g2:
                    accepted = True
                    break
                eta *= rho
            if not accepted:
                failed_at, wasted = step, trials
                break
            _, new_slope, ok = evaluate(loss, new_x)
            if not ok:
                diverged_at = step
                break
            x, value, slope = new_x, new_value, new_slope
            positions.append(x)
            losses.append(value)
            slopes.append(slope)
            rates.append(eta)
            loss_evals.append(trials)
            grad_evals.append(1)
    return _record(loss, positions, losses, slopes, rates, loss_evals, grad_evals,
                   diverged_at, failed_at, wasted)


def run_polyak_descent(
    loss: Loss,
    x0: Any,
    n_steps: int,
    *,
    f_min: float = 0.0,
    max_learning_rate: float | None = None,
) -> SearchTrajectory:
    """Gradient descent with Polyak's step: ``eta = (loss(x) - f_min) / |g|**2``.

    The rate is chosen so that, were the loss a straight slope down to ``f_min``,
    one step would reach it. It needs the minimum's loss ``f_min`` (``f*``) and
    ``f_min`` must be a lower bound: a start below it raises. With
    ``max_learning_rate`` the rate is ``min(eta, max_learning_rate)`` (the capped
    variant of Loizou et al., 2021). Where the gradient is exactly zero the rate is
    recorded as 0 and the position stays.

    On ``x**2`` with ``f_min=0`` the rate is always ``x**2 / (2x)**2 = 1/4``:
    each step halves ``x`` (``x_t = x_0 / 2**t``), where the rate 1/2 lands in one
    step. On a quadratic ``x @ A @ x / 2`` it is ``(x @ A @ x) / (2 |A x|**2)``.

    Each update costs one gradient and one loss (both at the new point).

    Equivalents: optax ``polyak_sgd(max_learning_rate=math.inf or the cap,
    scaling=1.0, f_min, eps=0.0, variant="sps")``. optax caps the rate at
    ``max_learning_rate=1.0`` by default, and sets it to 0 once
    ``|g|**2 + eps <= 2.2e-16`` (float64's machine epsilon), where this runner
    goes on until the gradient is exactly zero. PyTorch and Keras have none.

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        n_steps: Number of updates, from 0 to 10**7.
        f_min: The lowest loss, finite; must not exceed the loss anywhere the run goes.
        max_learning_rate: Cap on the rate, finite and > 0, or ``None`` (no cap).

    Returns:
        A [`SearchTrajectory`][lrtutor.progress.SearchTrajectory]; a run whose step
        overflows is recorded as diverged.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``f_min`` is above the loss at the start or at any later
            position, or another argument is out of range.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run_polyak_descent(SQUARE, 2.0, 3).positions.tolist()
        [2.0, 1.0, 0.5, 0.25]

    References:
        Polyak, *Introduction to Optimization* (1987), section 5.3; N. Loizou, S.
        Vaswani, I. Laradji and S. Lacoste-Julien, "Stochastic Polyak Step-size for
        SGD", AISTATS 2021; E. Hazan and S. Kakade, "Revisiting the Polyak step
        size", arXiv:1905.00313, 2019.
    """
    loss = _validate.instance("loss", loss, Loss)
    x = check_start(loss, x0)
    n_steps = _validate.iterations("n_steps", n_steps)
    floor = _validate.finite("f_min", f_min)
    cap = math.inf if max_learning_rate is None else _validate.positive(
        "max_learning_rate", max_learning_rate)
    with np.errstate(all="ignore"):
        value, slope, ok = evaluate(loss, x)
        if not ok:
            raise bad_start(x0, value, slope)
        positions, losses, slopes, rates = [x], [value], [slope], []
        loss_evals: list[int] = []
        grad_evals: list[int] = []
        diverged_at = None
        for step in range(n_steps):
            if value < floor:
                where = "at x0" if step == 0 else f"after {step} updates"
                raise ValueError(
                    f"f_min = {_validate.show(floor)} is above the loss {_validate.show(value)} {where}: f_min must be "
                    "a lower bound of the loss (Polyak's step needs the minimum's loss)"
                )
            g2 = _squared_norm(slope)
            eta = 0.0 if g2 == 0 else min((value - floor) / g2, cap)
            new_x = x - eta * slope
            if not (math.isfinite(eta) and _finite(new_x)):
                diverged_at = step
                break
            new_value, new_slope, ok = evaluate(loss, new_x)
            if not ok:
                diverged_at = step
                break
            x, value, slope = new_x, new_value, new_slope
            positions.append(x)
            losses.append(value)
            slopes.append(slope)
            rates.append(eta)
            loss_evals.append(1)
            grad_evals.append(1)
        if diverged_at is None and value < floor:
            raise ValueError(
                f"f_min = {_validate.show(floor)} is above the loss {_validate.show(value)} after {len(rates)} updates: "
                "f_min must be a lower bound of the loss"
            )
    return _record(loss, positions, losses, slopes, rates, loss_evals, grad_evals,
                   diverged_at, None)
