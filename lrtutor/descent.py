"""Gradient descent that records its trajectory.

The update rule is ``x_new = x - learning_rate * slope(x)``. The runner records
every position, loss, slope and learning rate, and marks a run that blows up as
diverged instead of raising or letting a NaN travel on. Wherever a learning rate
is taken, a schedule (a function ``step -> learning rate``, see
[`lrtutor.schedules`][lrtutor.schedules]) may stand instead.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from . import _validate
from .losses import Loss
from .schedules import Schedule

__all__ = [
    "LearningRate",
    "Trajectory",
    "gradient_step",
    "run_gradient_descent",
    "run_sign_descent",
    "steps_to_tolerance",
]

LearningRate = float | Schedule
"""A constant learning rate or a [`Schedule`][lrtutor.schedules.Schedule] (0-based steps)."""

MAX_LOSS = 1e100
"""Default loss above which a run counts as diverged."""


@dataclass(frozen=True)
class Trajectory:
    """The record of one descent run.

    For a run of ``n`` updates on a loss of one parameter, ``positions``, ``losses``
    and ``slopes`` have shape ``(n + 1,)`` (entry ``t`` is the state before update
    ``t``; the last is the final state) and ``learning_rates`` has shape ``(n,)``
    (entry ``t`` is the rate used for update ``t``). With ``dim`` parameters,
    ``positions`` and ``slopes`` have shape ``(n + 1, dim)``.

    A run that diverges stops early: ``n`` is then the number of updates made
    before the loss became non-finite or exceeded the threshold, and the arrays end
    with the last state whose loss was still finite.

    Attributes:
        positions: Parameter values ``x_0 .. x_n``.
        losses: ``loss(x_t)``.
        slopes: ``slope(x_t)`` (the gradient).
        learning_rates: The learning rate (or step size) used for each update.
        diverged: Whether the run blew up.
        diverged_at: Index of the update whose result blew up, or ``None``.
        loss: The loss that was descended.
    """

    positions: np.ndarray
    losses: np.ndarray
    slopes: np.ndarray
    learning_rates: np.ndarray
    diverged: bool
    diverged_at: int | None
    loss: Loss

    @property
    def n_steps(self) -> int:
        """Number of updates recorded."""
        return len(self.learning_rates)

    @property
    def final_x(self) -> Any:
        """The last recorded position (a float, or an array of shape ``(dim,)``)."""
        return _as_public(self.positions[-1])

    @property
    def final_loss(self) -> Any:
        """The loss at the last recorded position."""
        return _as_public(self.losses[-1])

    def distances(self, target: Any = None) -> np.ndarray:
        """Distance of every position to ``target`` (default: the loss's minimiser).

        Returns:
            Array of shape ``(n + 1,)``; Euclidean distance for several parameters.
            For an exact (``Fraction``) trajectory the entries are ``Fraction``.

        Raises:
            ValueError: If no target is given and the loss has no known minimiser.
        """
        goal = _target(self.loss, target)
        if self.positions.dtype == object:  # exact run: keep Fractions exact
            return np.array([abs(p - Fraction(goal[0])) for p in self.positions], dtype=object)
        diff = self.positions - goal if self.positions.ndim > 1 else self.positions - goal[0]
        return np.abs(diff) if diff.ndim == 1 else np.sqrt(np.sum(diff * diff, axis=1))

    def steps_to_tolerance(self, tol: float, target: Any = None) -> int | None:
        """The step from which the run stays within ``tol`` of ``target``, or ``None``.

        The smallest ``t`` with ``|x_s - target| < tol`` for every recorded step
        ``s >= t``: where the run enters the band for good, not where it first enters
        it (a run with momentum can pass through the band and leave it again). Only
        the recorded steps are seen: "for good" means "to the end of this record".

        Args:
            tol: Tolerance, finite and > 0 (same units as ``x``).
            target: Where to measure from; default the loss's minimiser.

        Returns:
            That step, or ``None`` if the run diverged or its last recorded position is
            not within ``tol``.

        Raises:
            ValueError: If ``tol`` is not finite and > 0, or there is no target.

        Examples:
            >>> from lrtutor import SQUARE, run_momentum_descent
            >>> run = run_momentum_descent(SQUARE, 2.0, 0.5, 0.5, 40)
            >>> bool(abs(run.positions[1]) < 0.01), float(run.positions[2])
            (True, -1.0)
            >>> run.steps_to_tolerance(0.01)
            16
        """
        tol = _validate.positive("tol", tol)
        outside = np.nonzero(~(self.distances(target) < tol))[0]
        if self.diverged or (outside.size and outside[-1] == len(self.positions) - 1):
            return None
        return int(outside[-1]) + 1 if outside.size else 0


def _as_public(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, np.floating | np.integer):
        return float(value)
    return value


def _target(loss: Loss, target: Any) -> np.ndarray:
    """The point distances are measured from, as a float array of shape ``(dim,)``."""
    if target is None:
        if loss.minimiser is None:
            raise ValueError(f"loss {loss.name} has no known minimiser; pass target")
        target = loss.minimiser
    goal = _validate.real_array("target", target).reshape(-1)
    if goal.shape != (loss.dim,):
        raise ValueError(f"target must have {loss.dim} entries, got {goal.size}")
    return goal


def check_start(loss: Loss, x0: Any) -> float | np.ndarray:
    """``x0`` checked for ``loss``: a float, or an array of shape ``(dim,)``.

    Package-internal (not in ``__all__``): shared by the runners of lrtutor's modules.
    """
    if loss.dim == 1:
        if isinstance(x0, np.ndarray) and x0.size == 1:
            x0 = x0.reshape(()).item()
        return _validate.finite("x0", x0)
    try:
        return _validate.real_array("x0", x0, shape=(loss.dim,))
    except TypeError:
        raise TypeError(f"x0 must be an array of {loss.dim} real numbers") from None


def rate_function(
    learning_rate: Any, name: str = "learning_rate", *, reads_loss: bool = True
) -> Callable[..., float]:
    """``rate(step)``, or ``rate(step, loss)`` for a rate that reads the loss.

    Package-internal (not in ``__all__``): shared by the runners of lrtutor's modules.
    A rate that reads the loss offers ``runner_rate()`` (lrtutor.progress.ReduceOnPlateau;
    found by that method, so this module need not import progress, which imports it);
    only ``run_updates`` can feed it, so callers that cannot pass ``reads_loss=False``
    and get a clear TypeError.
    """
    runner_rate = getattr(learning_rate, "runner_rate", None)
    if runner_rate is not None and callable(runner_rate):
        if not reads_loss:
            raise TypeError(
                f"{name} must be a constant or a schedule here; a reduce_on_plateau rate "
                "is read by run_gradient_descent and run_momentum_descent"
            )
        return runner_rate()
    if callable(learning_rate):
        schedule = learning_rate

        def rate(step: int) -> float:
            value = schedule(step)
            return _validate.non_negative(f"{name} schedule's value at step {step}", value)

        return rate
    constant = _validate.positive(name, learning_rate)
    return lambda step: constant


def gradient_step(x: Any, slope: Any, learning_rate: float) -> Any:
    """One gradient-descent update: ``x - learning_rate * slope``.

    Args:
        x: Current parameter value(s), a number or an array of shape ``(dim,)``.
        slope: The slope (gradient) of the loss at ``x``, same shape as ``x``.
        learning_rate: The learning rate, finite and > 0.

    Returns:
        The new parameter value(s), same shape as ``x``.

    Raises:
        TypeError: If ``learning_rate`` is not a real number.
        ValueError: If ``learning_rate`` is not finite and > 0, ``x`` or ``slope`` is
            not finite, or the new value overflows (is not finite).

    Examples:
        >>> gradient_step(2.0, 4.0, 0.25)
        1.0
    """
    lr = _validate.positive("learning_rate", learning_rate)
    x = _validate.point("x", x)
    slope = _validate.point("slope", slope)
    if np.shape(x) != np.shape(slope):
        raise ValueError(f"slope must have the shape of x {np.shape(x)}, got {np.shape(slope)}")
    with np.errstate(all="ignore"):
        try:
            new_x = x - lr * slope
        except OverflowError:  # a Fraction or an int too large for the float rate
            new_x = math.inf
    if not np.all(np.isfinite(np.asarray(new_x, dtype=float))):
        raise ValueError(
            "the step overflows: x - learning_rate * slope is not finite for x = "
            f"{_validate.show(x)}, slope = {_validate.show(slope)}, learning_rate = "
            f"{_validate.show(lr)}"
        )
    return new_x


def _as_float(loss: Loss, what: str, x: Any, value: Any) -> float:
    """A loss's value or slope as a float; ``TypeError`` naming it if it is no number."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(()).item())
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError(
            f"loss {loss.name}: its {what} at x = {_validate.show(x)} is a "
            f"{type(value).__name__}, not a real number"
        )
    return float(value)


def _as_floats(loss: Loss, x: Any, slope: Any) -> np.ndarray:
    """A loss's gradient as a float array; ``TypeError`` naming it if it is not one."""
    try:
        arr = np.asarray(slope, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or np.asarray(slope).dtype.kind not in "iuf" or arr.shape != (loss.dim,):
        raise TypeError(
            f"loss {loss.name}: its slope at x = {_validate.show(x)} must be an array of "
            f"{loss.dim} real numbers, got {_validate.show(slope)}"
        )
    return arr


def evaluate(loss: Loss, x: Any) -> tuple[Any, Any, bool]:
    """Loss and slope at x, and whether both are finite and not huge.

    Callers hold ``np.errstate(all="ignore")`` (once around a whole run: entering it
    costs as much as an update). A value or slope that is not a number at all (a
    string, None) is a fault of the loss, not a divergence: ``TypeError``.
    """
    try:
        value = loss.raw_value(x)  # x was checked (the start) or computed from checked values
        slope = loss.raw_slope(x)
    except OverflowError:
        return math.inf, math.inf, False
    value = value if type(value) is float else _as_float(loss, "value", x, value)
    if loss.dim == 1:
        slope = slope if type(slope) is float else _as_float(loss, "slope", x, slope)
        ok = math.isfinite(value) and math.isfinite(slope) and abs(value) <= MAX_LOSS
    else:
        slope = _as_floats(loss, x, slope)
        ok = math.isfinite(value) and bool(np.all(np.isfinite(slope))) and abs(value) <= MAX_LOSS
    return value, slope, ok


def bad_start(x0: Any, value: Any, slope: Any) -> ValueError:
    """The error for a start whose loss or slope is not finite, naming which (package-internal)."""
    where = f"x0 = {_validate.show(x0)}"
    if not (isinstance(value, float) and math.isfinite(value)):
        return ValueError(f"{where}: the loss there is {_validate.show(value)}, not finite")
    if abs(value) > MAX_LOSS:
        return ValueError(f"{where}: the loss there is {_validate.show(value)}, above 1e100")
    bad = slope if np.ndim(slope) == 0 else np.asarray(slope)[~np.isfinite(slope)].flat[0]
    return ValueError(
        f"{where}: the slope there is {_validate.show(bad)}, not finite "
        f"(the loss is {_validate.show(value)})"
    )


@np.errstate(all="ignore")  # entered once per run: per update it costs as much as one
def run_updates(
    loss: Loss,
    x0: Any,
    rate: Callable[[int], float],
    n_steps: int,
    direction: Callable[[Any], Any],
) -> Trajectory:
    """The descent loop: ``x <- x - rate(t) * direction(slope)``, recorded as a Trajectory.

    Package-internal (not in ``__all__``): every runner of lrtutor that moves against a
    function of the slope (plain, sign, heavy ball) checks its arguments and calls this.
    ``x0`` must be checked already (``check_start``); a run that blows up stops early.
    """
    x = x0
    value, slope, ok = evaluate(loss, x)
    if not ok:
        raise bad_start(x0, value, slope)
    positions, losses, slopes, rates = [x], [value], [slope], []
    diverged_at = None
    reads_loss = getattr(rate, "reads_loss", False)  # a plateau rate reads loss(x_t)
    for step in range(n_steps):
        lr = rate(step, value) if reads_loss else rate(step)
        new_x = x - lr * direction(slope)
        finite = math.isfinite(new_x) if loss.dim == 1 else bool(np.all(np.isfinite(new_x)))
        if finite:
            value, slope, ok = evaluate(loss, new_x)
        if not finite or not ok:
            diverged_at = step
            break
        x = new_x
        positions.append(x)
        losses.append(value)
        slopes.append(slope)
        rates.append(lr)
    return Trajectory(
        positions=np.array(positions, dtype=float),
        losses=np.array(losses, dtype=float),
        slopes=np.array(slopes, dtype=float),
        learning_rates=np.array(rates, dtype=float),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        loss=loss,
    )


def run_gradient_descent(
    loss: Loss, x0: Any, learning_rate: LearningRate, n_steps: int
) -> Trajectory:
    """Run ``n_steps`` updates ``x_{t+1} = x_t - learning_rate(t) * slope(x_t)``.

    For ``loss = x**2`` and a constant rate the closed form is
    ``x_t = x_0 * (1 - 2*learning_rate)**t`` (the update multiplies ``x`` by
    ``1 - 2*lr``), which the tests check against.

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        learning_rate: A constant rate, finite and > 0, a schedule
            ``step -> rate`` returning finite values >= 0 for steps ``0 .. n_steps-1``,
            or a rate that reads the loss,
            [`reduce_on_plateau()`][lrtutor.progress.reduce_on_plateau] (the run
            feeds a fresh copy of it ``loss(x_t)`` at every update, with its
            library's timing).
        n_steps: Number of updates, from 0 to 10**7.

    Returns:
        A [`Trajectory`][lrtutor.descent.Trajectory] with positions of shape
        ``(n_steps + 1,)`` for one parameter or ``(n_steps + 1, dim)`` for several
        (fewer rows if it diverged).
        A run whose loss overflows, becomes non-finite or exceeds ``1e100`` is
        recorded as diverged; no warning is emitted.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``x0`` is not finite, has the wrong shape or has a loss that is
            non-finite or above ``1e100``; if ``learning_rate`` is not finite and > 0
            (or a schedule returns a negative or non-finite value); or if
            ``n_steps`` is not in 0 .. 10**7.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run = run_gradient_descent(SQUARE, 2.0, 0.25, 2)
        >>> run.positions.tolist()
        [2.0, 1.0, 0.5]
    """
    loss = _validate.instance("loss", loss, Loss)
    x0 = check_start(loss, x0)
    rate = rate_function(learning_rate)
    n_steps = _validate.iterations("n_steps", n_steps)
    return run_updates(loss, x0, rate, n_steps, direction=lambda slope: slope)


def run_sign_descent(
    loss: Loss, x0: Any, step_size: Any, n_steps: int, *, exact: bool = False
) -> Trajectory:
    """Fixed-size steps against the sign of the slope: ``x - step_size * sign(slope(x))``.

    This is the walkthrough's "move by 0.0001, in the direction the slope says":
    the slope's size is ignored. Where the slope is exactly 0 the position stays.
    With several parameters each moves by ``step_size`` against the sign of its
    own slope (the sign-SGD update of Bernstein et al., 2018, "signSGD:
    Compressed Optimisation for Non-Convex Problems", without momentum).

    Args:
        loss: The loss to descend.
        x0: Start (a finite number, or an array of shape ``(dim,)``). With
            ``exact=True``: a decimal string, int or ``Fraction``.
        step_size: Size of every step, > 0 (a schedule is accepted when
            ``exact=False``). With ``exact=True``: a decimal string, int or ``Fraction``.
        n_steps: Number of updates, from 0 to 10**7.
        exact: Do the arithmetic in exact fractions instead of float64 (one
            parameter only). The trajectory then holds ``Fraction`` objects.

    Returns:
        A [`Trajectory`][lrtutor.descent.Trajectory]; ``learning_rates`` holds the step sizes used.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``x0`` is not finite, ``step_size`` is not > 0, or
            ``n_steps`` is not in 0 .. 10**7, or ``exact=True`` with several parameters.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run_sign_descent(SQUARE, 1.0, 0.25, 5).positions.tolist()
        [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """
    loss = _validate.instance("loss", loss, Loss)
    n_steps = _validate.iterations("n_steps", n_steps)
    if not _validate.flag("exact", exact):
        x0 = check_start(loss, x0)
        rate = rate_function(step_size, "step_size")
        return run_updates(loss, x0, rate, n_steps, direction=np.sign)
    if loss.dim != 1:
        raise ValueError("exact=True supports one parameter only")
    x = _fraction("x0", x0)
    size = _fraction("step_size", step_size)
    if size <= 0:
        raise ValueError(f"step_size must be > 0, got {size}")
    positions, losses, slopes = [x], [Fraction(loss.value(x))], [Fraction(loss.slope(x))]
    for _ in range(n_steps):
        s = slopes[-1]
        x = x - size * ((s > 0) - (s < 0))
        positions.append(x)
        losses.append(Fraction(loss.value(x)))
        slopes.append(Fraction(loss.slope(x)))
    return Trajectory(
        positions=np.array(positions, dtype=object),
        losses=np.array(losses, dtype=object),
        slopes=np.array(slopes, dtype=object),
        learning_rates=np.array([size] * n_steps, dtype=object),
        diverged=False,
        diverged_at=None,
        loss=loss,
    )


def _fraction(name: str, value: Any) -> Fraction:
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(
            f"{name} must be a decimal string, int or Fraction when exact=True, got "
            f"{type(value).__name__}"
        )
    try:
        return Fraction(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a decimal string, int or Fraction when exact=True, got "
            f"{_validate.show(value)}"
        ) from None


#: ``learning_rate * L`` up to which a constant-rate run on a quadratic is sure never to move
#: away from the minimiser (each coordinate's factor ``|1 - rate * c|`` is at most 1, and
#: this margin below 2 keeps rounding from tipping it past 1).
_SURE_CONTRACTION = 1.999999


def steps_to_tolerance(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    tol: float,
    *,
    max_steps: int = 1_000_000,
    target: Any = None,
) -> int | None:
    """Count updates until the run is within ``tol`` of the minimiser for good.

    Runs gradient descent one update at a time and returns the first step ``t`` from
    which ``|x_s - target| < tol`` holds at every later step ``s`` (Euclidean norm
    for several parameters): where the run enters the band and stays, not where it
    first passes through it.

    When it can stop early: the run stops at its entry into the band only where it
    is sure to stay. That is the case at a constant learning rate on a loss with
    constant curvatures ``c_i >= 0`` (a quadratic) when ``learning_rate * max(c_i)``
    is at most ``1.999999``: every coordinate's distance is multiplied by
    ``|1 - learning_rate * c_i| <= 1`` per update, so it never grows (in floating
    point it may move by rounding, a few units in the last place). A constant-rate
    run that repeats the position of two updates ago (an exact cycle) stays within
    the band if both points of the cycle are, and never arrives otherwise. In every
    other case (a schedule, a loss without known constant curvature) "stays" can
    only mean "stays through ``max_steps``": the run goes on to ``max_steps``
    updates, about 3 µs each, and the count is the entry of its last stay in the
    band, so pass a smaller ``max_steps`` for a schedule when a million updates is
    too slow.

    Args:
        loss: The loss to descend.
        x0: Start (finite number or array of shape ``(dim,)``).
        learning_rate: Constant rate > 0 or a schedule.
        tol: Tolerance, finite and > 0, in units of ``x``.
        max_steps: Give up after this many updates, from 0 to 10**7.
        target: Where to measure from; default ``loss.minimiser``.

    Returns:
        The number of updates ``t`` (0 if ``x0`` is close enough and stays), or
        ``None`` if the run diverged, entered an exact cycle outside the band at a
        constant rate (bouncing, as ``x**2`` at learning rate 1 does), or is not
        within ``tol`` after ``max_steps`` updates.

    Raises:
        TypeError: As [`run_gradient_descent()`][lrtutor.descent.run_gradient_descent].
        ValueError: As [`run_gradient_descent()`][lrtutor.descent.run_gradient_descent]
            (including a start whose loss is non-finite or above ``1e100``); also if
            ``tol`` is not finite and > 0 or there is no target.

    Examples:
        >>> from lrtutor import SQUARE
        >>> steps_to_tolerance(SQUARE, 2.0, 0.25, 0.01)
        8
        >>> # x0 = 0.005 is inside the band, but rate 1.2 throws it out for ever:
        >>> steps_to_tolerance(SQUARE, 0.005, 1.2, 0.01) is None
        True
    """
    loss = _validate.instance("loss", loss, Loss)
    x = check_start(loss, x0)
    rate = rate_function(learning_rate, reads_loss=False)
    tol = _validate.positive("tol", tol)
    max_steps = _validate.iterations("max_steps", max_steps)
    goal = _target(loss, target)
    if loss.dim == 1:
        goal_x = float(goal[0])

        def distance(p: Any) -> float:
            return abs(p - goal_x)
    else:

        def distance(p: Any) -> float:
            return float(np.linalg.norm(p - goal))

    with np.errstate(all="ignore"):
        value, slope, ok = evaluate(loss, x)
        if not ok:
            raise bad_start(x0, value, slope)
        constant = not callable(learning_rate)
        # Sure to stay once inside: a constant rate on a quadratic that shrinks (or keeps)
        # every coordinate's distance each update.
        curvatures = loss.curvatures
        sure = (
            constant
            and target is None
            and curvatures is not None
            and min(curvatures) >= 0
            and rate(0) * max(curvatures) <= _SURE_CONTRACTION
        )
        # A constant-rate run that returns to the position of two updates ago has entered
        # a cycle (bouncing, as at lr = 2/L): it stays where it is for ever.
        two_back = previous = None
        inside_before = False  # whether the position of the previous update was inside
        entered: int | None = None  # the step the current stay inside began
        same = (lambda a, b: a == b) if loss.dim == 1 else np.array_equal
        for step in range(max_steps + 1):
            inside = distance(x) < tol
            if inside and entered is None:
                entered = step
                if sure:
                    return step
            elif not inside:
                entered = None
            if step == max_steps:
                break
            if constant and two_back is not None and same(x, two_back):
                return entered if inside and inside_before else None
            _, slope, ok = evaluate(loss, x)
            if not ok:
                return None
            two_back, previous = previous, x
            inside_before = inside
            x = x - rate(step) * slope
            if not (math.isfinite(x) if loss.dim == 1 else bool(np.all(np.isfinite(x)))):
                return None
        return entered
