"""Find a learning-rate limit by running: the range test, and a root finder on fixed rates.

The **learning-rate range test** (Smith, 2017, "Cyclical Learning Rates for Training
Neural Networks", WACV, section 3.3; first posted 2015) trains for a short while on
mini-batches with a rate that rises every step, records the loss, and reads a good rate
off the curve. [`range_test()`][lrtutor.lr_range.range_test] runs it as fast.ai's
``Learner.lr_find`` does, with its defaults (``fastai/callback/schedule.py``: ``LRFinder``
and the suggestion functions ``minimum``, ``steep``, ``valley`` and ``slide``;
``fastai/learner.py``: ``AvgSmoothLoss``): rates from ``1e-7`` to ``10`` on an
exponential ramp over 100 mini-batch steps, the loss smoothed by a debiased moving
average with ``beta = 0.98``, and a stop as soon as the smoothed loss exceeds 4 times its
lowest value so far. The code here is our own, written from those descriptions.

[`measured_critical_rate()`][lrtutor.lr_range.measured_critical_rate] measures instead
the limit of a *fixed* rate, by Brent's method (``scipy.optimize.brentq``): the largest
rate at which full-batch gradient descent still brings the loss down (the closed form on
a quadratic is [`critical_learning_rate()`][lrtutor.analysis.critical_learning_rate]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from .descent import run_gradient_descent
from .models import DataLoss

__all__ = [
    "RangeTest",
    "measured_critical_rate",
    "minimum",
    "range_test",
    "slide",
    "steep",
    "valley",
]


def _curve(lrs: Any, losses: Any) -> tuple[np.ndarray, np.ndarray]:
    lrs = _validate.real_array("lrs", lrs, ndim=1)
    losses = _validate.real_array("losses", losses, ndim=1)
    if lrs.shape != losses.shape:
        raise ValueError(
            f"lrs and losses must have the same length, got {lrs.size} and {losses.size}"
        )
    if lrs.size < 2:
        raise ValueError(f"lrs must hold at least 2 rates, got {lrs.size}")
    if np.any(lrs <= 0):
        raise ValueError("lrs must be > 0")
    return lrs, losses


def minimum(lrs: Any, losses: Any) -> float:
    """fast.ai's ``minimum`` rule: the rate at the lowest loss, divided by 10.

    Args:
        lrs: Learning rates, shape ``(n,)``, ``n >= 2``, each > 0.
        losses: The (smoothed) loss recorded at each rate, shape ``(n,)``.

    Returns:
        The suggested learning rate.

    Raises:
        TypeError: If an argument does not hold real numbers.
        ValueError: If the shapes differ, fewer than 2 points are given, a value is not
            finite or a rate is not > 0.

    Examples:
        >>> minimum([0.1, 1.0, 10.0], [3.0, 1.0, 5.0])
        0.1
    """
    lrs, losses = _curve(lrs, losses)
    return float(lrs[int(np.argmin(losses))]) / 10


def steep(lrs: Any, losses: Any) -> float:
    """fast.ai's ``steep`` rule: where the loss falls fastest against ``log(rate)``.

    The slope between neighbouring points is ``(loss[i+1] - loss[i]) / (log lr[i+1] -
    log lr[i])``; the rule returns ``lrs[i]`` for the most negative one.

    Args:
        lrs: Learning rates, shape ``(n,)``, ``n >= 2``, strictly increasing.
        losses: The (smoothed) loss at each rate, shape ``(n,)``.

    Returns:
        The suggested learning rate.

    Raises:
        TypeError: If an argument does not hold real numbers.
        ValueError: As for [`minimum()`][lrtutor.lr_range.minimum], or if the rates do
            not increase.

    Examples:
        >>> steep([1.0, 10.0, 100.0, 1000.0], [5.0, 4.0, 1.0, 0.5])
        10.0
    """
    lrs, losses = _curve(lrs, losses)
    log_steps = np.diff(np.log(lrs))
    if np.any(log_steps <= 0):
        raise ValueError("lrs must increase strictly")
    return float(lrs[int(np.argmin(np.diff(losses) / log_steps))])


def valley(lrs: Any, losses: Any) -> float:
    """fast.ai's ``valley`` rule (its default): a point inside the longest descent.

    The rule finds the longest run of ever-lower losses (the longest strictly decreasing
    subsequence of ``losses``, ending at index ``end`` with length ``m``; the first such
    end when there are ties), takes ``start = end - m`` and returns the rate at
    ``start + int(s) + int(s / 2)`` with ``s = (end - start) / 3``: about half-way down
    the valley.

    Args:
        lrs: Learning rates, shape ``(n,)``, ``n >= 2``.
        losses: The (smoothed) loss at each rate, shape ``(n,)``.

    Returns:
        The suggested learning rate.

    Raises:
        TypeError: If an argument does not hold real numbers.
        ValueError: As for [`minimum()`][lrtutor.lr_range.minimum].

    Examples:
        >>> valley([1, 2, 3, 4, 5, 6, 7], [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 6.0])
        3.0
    """
    lrs, losses = _curve(lrs, losses)
    n = losses.size
    # longest[i]: length of the longest strictly decreasing subsequence ending at i.
    # A plain O(n**2) pass: n is about 100, and this keeps fast.ai's tie rule visible.
    longest = np.ones(n, dtype=int)
    for i in range(1, n):
        higher = losses[:i] > losses[i]
        if higher.any():
            longest[i] = 1 + int(longest[:i][higher].max())
    end = int(np.argmax(longest))  # the first index holding the maximum
    start = end - int(longest[end])
    sections = (end - start) / 3
    return float(lrs[start + int(sections) + int(sections / 2)])


def slide(
    lrs: Any,
    losses: Any,
    *,
    lr_diff: int = 15,
    thresh: float = 0.005,
    adjust_value: float = 1.0,
) -> float:
    """fast.ai's ``slide`` rule: where the loss curve stops bending, scanning from the right.

    With ``g = numpy.gradient(losses)`` (per recorded step), the rule compares ``g`` at
    pairs of points ``lr_diff`` steps apart, starting with the last point and sliding
    left, and stops at the first pair whose slopes differ by at most ``thresh``. It
    returns ``adjust_value`` times the rate at the left point of the pair visited just
    before (the first pair's left point if that one already agrees; ``lrs[0]`` if none
    agrees).

    Args:
        lrs: Learning rates, shape ``(n,)``, ``n >= 2``.
        losses: The (smoothed) loss at each rate, shape ``(n,)``.
        lr_diff: Distance between the compared points, 1 <= lr_diff < n.
        thresh: Largest difference of slopes that counts as "flat", >= 0 (loss units
            per step: it assumes losses of order 1).
        adjust_value: Factor applied to the rate found, > 0.

    Returns:
        The suggested learning rate.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: As for [`minimum()`][lrtutor.lr_range.minimum], or a parameter is
            out of its range.

    Examples:
        >>> lrs = [1.0, 2.0, 3.0, 4.0, 5.0]
        >>> slide(lrs, [4.0, 2.0, 1.0, 1.5, 3.0], lr_diff=1, thresh=0.6)
        4.0
    """
    lrs, losses = _curve(lrs, losses)
    n = losses.size
    lr_diff = _validate.count("lr_diff", lr_diff, minimum=1, maximum=n - 1)
    thresh = _validate.non_negative("thresh", thresh)
    adjust_value = _validate.positive("adjust_value", adjust_value)
    slopes = np.gradient(losses)
    right = n - 1
    found = right - lr_diff
    while right - lr_diff >= 0 and abs(slopes[right] - slopes[right - lr_diff]) > thresh:
        found = right - lr_diff
        right -= 1
    return float(lrs[found]) * adjust_value


_RULES = {"valley": valley, "slide": slide, "minimum": minimum, "steep": steep}


@dataclass(frozen=True)
class RangeTest:
    """The record of one learning-rate range test.

    Arrays have shape ``(m,)``, one entry per mini-batch step taken (``m <= num_it``).

    Attributes:
        learning_rates: The rate used at each step.
        losses: The mini-batch loss at each step, before its update.
        smoothed_losses: The debiased moving average of ``losses`` (what the test plots).
        stopped_early: Whether the smoothed loss passed ``div_factor`` times its minimum
            (or became non-finite) before ``num_it`` steps.
        num_it: The number of steps asked for.
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    stopped_early: bool
    num_it: int

    def suggestions(self, skip_start: int | None = None, skip_end: int = 5) -> dict[str, float]:
        """The four fast.ai suggestions, on the smoothed curve with its ends cut off.

        As ``lr_find`` does, the first ``num_it // 10`` and the last 5 points are dropped
        before the rules [`valley()`][lrtutor.lr_range.valley],
        [`slide()`][lrtutor.lr_range.slide], [`minimum()`][lrtutor.lr_range.minimum]
        and [`steep()`][lrtutor.lr_range.steep] look at the curve.

        Args:
            skip_start: Points dropped at the start, >= 0 (default ``num_it // 10``).
            skip_end: Points dropped at the end, >= 0.

        Returns:
            ``{"valley": ..., "slide": ..., "minimum": ..., "steep": ...}``.

        Raises:
            ValueError: If fewer than ``16`` points remain (``slide`` compares points 15
                apart), or a count is negative.
        """
        skip_start = self.num_it // 10 if skip_start is None else skip_start
        skip_start = _validate.count("skip_start", skip_start)
        skip_end = _validate.count("skip_end", skip_end)
        stop = self.learning_rates.size - skip_end
        lrs = self.learning_rates[skip_start:stop]
        losses = self.smoothed_losses[skip_start:stop]
        if lrs.size < 16:
            raise ValueError(
                f"only {lrs.size} points remain after skipping {skip_start} and {skip_end}; "
                "the rules need at least 16 (use a larger num_it or a smaller start_lr)"
            )
        return {name: rule(lrs, losses) for name, rule in _RULES.items()}


def range_test(
    loss: DataLoss,
    x0: Any,
    *,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_it: int = 100,
    batch_size: int = 64,
    beta: float = 0.98,
    div_factor: float = 4.0,
    stop_div: bool = True,
    seed: int = 0,
) -> RangeTest:
    """Run the learning-rate range test on mini-batches, as fast.ai's ``lr_find``.

    Step ``t`` (0-based) takes a mini-batch, records its loss at the current weights,
    and updates the weights by plain gradient descent on that batch with rate
    ``start_lr * (end_lr / start_lr) ** (t / num_it)``. The smoothed loss is the
    debiased exponential moving average ``a_t = beta a_{t-1} + (1 - beta) loss_t``,
    ``smoothed_t = a_t / (1 - beta**(t+1))``. The test stops after ``num_it`` steps, or,
    when ``stop_div``, once the smoothed loss exceeds ``div_factor`` times its lowest
    value (that step is recorded). Batches are drawn as a shuffling data loader does:
    each pass over the data in a new random order, a last incomplete batch dropped.

    Args:
        loss: A [`DataLoss`][lrtutor.models.DataLoss] on the whole data set.
        x0: Starting weights, shape ``(loss.dim,)``, finite.
        start_lr: First rate, finite and > 0 (fast.ai: 1e-7).
        end_lr: The rate the ramp heads for, finite and > ``start_lr`` (fast.ai: 10).
        num_it: Number of steps, from 1 to 10**7 (fast.ai: 100).
        batch_size: Examples per batch, 1 .. number of examples (fast.ai's default 64).
        beta: Smoothing factor, 0 <= beta < 1 (fast.ai: 0.98).
        div_factor: The stop threshold's factor, >= 1 (fast.ai: 4).
        stop_div: Whether to stop when the smoothed loss passes the threshold.
        seed: Seed of the random batch order (``numpy.random.default_rng``), >= 0.

    Returns:
        A [`RangeTest`][lrtutor.lr_range.RangeTest]. A loss that becomes non-finite
        ends the test (recorded as ``stopped_early``); no warning escapes.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a value is out of its range, in particular if ``start_lr`` is not
            below ``end_lr`` or ``end_lr / start_lr`` overflows.

    Examples:
        >>> from lrtutor import least_squares
        >>> X = np.c_[np.ones(128), np.linspace(-1, 1, 128)]
        >>> test = range_test(least_squares(X, 3 * X[:, 1]), [0.0, 0.0])
        >>> test.learning_rates[[0, 50]].tolist(), test.stopped_early
        ([1e-07, 0.001], True)
    """
    loss = _validate.instance("loss", loss, DataLoss)
    w = _validate.real_array("x0", x0, shape=(loss.dim,))
    start_lr = _validate.positive("start_lr", start_lr)
    end_lr = _validate.positive("end_lr", end_lr)
    if not start_lr < end_lr:
        raise ValueError(
            f"start_lr must be below end_lr, got {_validate.show(start_lr)} >= "
            f"{_validate.show(end_lr)}"
        )
    if not math.isfinite(end_lr / start_lr):
        raise ValueError(
            f"end_lr / start_lr must be within the float range, got end_lr = "
            f"{_validate.show(end_lr)} and start_lr = {_validate.show(start_lr)}"
        )
    num_it = _validate.iterations("num_it", num_it, minimum=1)
    batch_size = _validate.count("batch_size", batch_size, minimum=1, maximum=loss.n_samples)
    beta = _validate.in_range("beta", beta, 0, 1, high_open=True)
    div_factor = _validate.in_range("div_factor", div_factor, 1, math.inf, high_open=True)
    stop_div = _validate.flag("stop_div", stop_div)
    seed = _validate.count("seed", seed)

    rng = np.random.default_rng(seed)
    per_pass = loss.n_samples // batch_size
    lrs, raw, smooth = [], [], []
    average, best, stopped = 0.0, math.inf, False
    order = np.empty(0, dtype=int)
    with np.errstate(all="ignore"):  # a blow-up is recorded, not warned about
        for t in range(num_it):
            if t % per_pass == 0:
                order = rng.permutation(loss.n_samples)
            k = t % per_pass
            batch = loss.rows(order[k * batch_size : (k + 1) * batch_size])
            lr = start_lr * (end_lr / start_lr) ** (t / num_it)
            value = batch.raw_value(w)  # checked above; a blow-up is recorded below
            if not math.isfinite(value):
                stopped = True
                break
            average = beta * average + (1 - beta) * value
            smoothed = average / (1 - beta ** (t + 1))
            lrs.append(lr)
            raw.append(value)
            smooth.append(smoothed)
            best = min(best, smoothed)
            if stop_div and smoothed > div_factor * best:
                stopped = True
                break
            w = w - lr * batch.raw_slope(w)
            if not np.all(np.isfinite(w)):
                stopped = True
                break
    return RangeTest(
        learning_rates=np.array(lrs),
        losses=np.array(raw),
        smoothed_losses=np.array(smooth),
        stopped_early=stopped,
        num_it=num_it,
    )


def measured_critical_rate(
    loss: DataLoss,
    x0: Any,
    low: float,
    high: float,
    *,
    n_steps: int = 1000,
    rtol: float = 1e-4,
) -> float:
    """The largest fixed learning rate at which full-batch descent lowers the loss, measured.

    Measured by running, not computed: for the closed form on a quadratic, ``2 / L``, see
    [`critical_learning_rate()`][lrtutor.analysis.critical_learning_rate]. Also importable
    under its former name, ``critical_rate`` (an alias kept for existing code).

    For a rate ``eta``, gradient descent runs ``n_steps`` steps from ``x0``
    ([`run_gradient_descent()`][lrtutor.descent.run_gradient_descent]); the run *fails* if
    its excess loss (loss minus the loss at the known minimiser, or the loss itself when
    none is known) ends above where it started, or if the runner records divergence.
    ``scipy.optimize.brentq`` then finds where ``log(excess_end / excess_start)``
    changes sign between ``low`` (a rate that works) and ``high`` (one that fails).

    On a quadratic loss the answer approaches ``2 / L`` from above as ``n_steps`` grows:
    just above ``2 / L`` the sharpest direction grows by a factor only slightly above 1
    per step, and it takes many steps to outgrow the shrinking rest.

    Args:
        loss: A [`DataLoss`][lrtutor.models.DataLoss].
        x0: Starting weights, shape ``(loss.dim,)``, finite, not at the minimiser.
        low: A rate at which the run succeeds, finite and > 0.
        high: A larger rate at which it fails.
        n_steps: Steps per run, from 1 to 10**7.
        rtol: Relative tolerance on the rate, in (0, 0.1].

    Returns:
        The measured critical rate.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a value is out of range, ``low >= high``, or the run does not
            succeed at ``low`` and fail at ``high``, or the search does not converge
            (a bracket too wide, such as 0.1 to 1e308).

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0, 0.0], [0.0, 2.0]], [0.0, 0.0])  # L = 2
        >>> round(measured_critical_rate(loss, [1.0, 1.0], 0.5, 1.5), 2)
        1.0
    """
    loss = _validate.instance("loss", loss, DataLoss)
    w0 = _validate.real_array("x0", x0, shape=(loss.dim,))
    low = _validate.positive("low", low)
    high = _validate.positive("high", high)
    if not low < high:
        raise ValueError(
            f"low must be below high, got {_validate.show(low)} >= "
            f"{_validate.show(high)}"
        )
    n_steps = _validate.iterations("n_steps", n_steps, minimum=1)
    rtol = _validate.in_range("rtol", rtol, 0, 0.1, low_open=True)
    floor = 0.0 if loss.minimiser is None else loss.value(np.array(loss.minimiser))
    start = loss.value(w0) - floor
    if not start > 0:
        raise ValueError("x0 must not be at the minimiser (its excess loss is 0)")
    from scipy.optimize import brentq  # imported here: only this function needs scipy.optimize

    def growth(rate: float) -> float:
        run = run_gradient_descent(loss, w0, rate, n_steps)
        if run.diverged:
            return 1.0
        return math.log(max((run.final_loss - floor) / start, 1e-300))

    if growth(low) >= 0:
        raise ValueError(
            f"the loss does not come down at low = {_validate.show(low)}; choose a smaller "
            "one"
        )
    if growth(high) < 0:
        raise ValueError(
            f"the loss still comes down at high = {_validate.show(high)}; choose a larger "
            "one"
        )
    try:
        return float(brentq(growth, low, high, xtol=rtol * low, rtol=rtol))
    except RuntimeError:  # brentq's "failed to converge" (a bracket like 0.1 .. 1e308)
        raise ValueError(
            f"the search between low = {_validate.show(low)} and high = "
            f"{_validate.show(high)} did not converge in 100 evaluations; narrow the bracket"
        ) from None


#: Former name of [`measured_critical_rate()`][lrtutor.lr_range.measured_critical_rate],
#: kept so that existing code still runs; not in ``__all__``.
critical_rate = measured_critical_rate
