"""fastai's annealers as step schedules: ``SchedCos``, ``SchedPoly`` and ``combined_cos``.

fastai describes a schedule as a function of the *position* in training, a float
``pos`` from 0 to 1, and its ``ParamScheduler`` calls it before update ``t`` of ``N``
with ``pos = t / N``. The schedules here take the update counter ``step`` (from 0)
like every lrtutor schedule, with ``pos = step / transition_steps``, so
``transition_steps`` is fastai's total number of updates (epochs times batches).

Two conventions differ from optax. fastai's polynomial moves *from* its start
``pos ** power`` of the way to its end, so with ``power > 1`` it leaves the start
slowly, whereas optax's ``polynomial_schedule`` leaves it fast. And a fastai run
never evaluates ``pos = 1``: its last update uses ``pos = (N - 1) / N``. These
schedules hold the end value from ``step == transition_steps`` on (the steps a fastai
run never takes).
"""

from __future__ import annotations

import math

from .._validate import count, in_range, non_negative, positive
from ._base import Schedule, ScheduleFunction, end_points

__all__ = [
    "fastai_combined_cos_schedule",
    "fastai_cos_schedule",
    "fastai_poly_schedule",
]


def _sched_cos(start: float, end: float, pos: float) -> float:
    """fastai's ``sched_cos``, the same arithmetic."""
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def fastai_cos_schedule(init_value: float, end_value: float, transition_steps: int) -> Schedule:
    """fastai's ``SchedCos(start, end)``: half a cosine from ``init_value`` to ``end_value``.

    Formula: with ``pos = step / transition_steps``,
    ``rate = init_value + (1 + cos(pi * (1 - pos))) * (end_value - init_value) / 2``
    for ``step < transition_steps`` and ``end_value`` from then on. The end value may
    be above the start (a cosine warmup). Step 0 uses ``init_value``.

    Args:
        init_value: Rate at step 0, finite and >= 0.
        end_value: Rate at ``pos = 1``, finite and >= 0 (not both 0).
        transition_steps: fastai's total number of updates, an int >= 1.

    Returns:
        The cosine schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = fastai_cos_schedule(0.0, 2.0, transition_steps=4)
        >>> [round(schedule(t), 5) for t in range(5)]
        [0.0, 0.29289, 1.0, 1.70711, 2.0]

    Equivalents:
        For a falling rate, optax ``cosine_decay_schedule(init_value,
        transition_steps, alpha=end_value / init_value)`` gives the same values.

    Reference:
        fastai ``fastai.callback.schedule.SchedCos``,
        https://docs.fast.ai/callback.schedule.html
    """
    init, end = end_points(init_value, end_value)
    steps = count("transition_steps", transition_steps, minimum=1)

    def rate(step: int) -> float:
        if step >= steps:
            return end
        return _sched_cos(init, end, step / steps)

    params = {"init_value": init, "end_value": end, "transition_steps": steps}
    return ScheduleFunction("fastai_cos_schedule", params, rate)


def fastai_poly_schedule(
    init_value: float, end_value: float, power: float, transition_steps: int
) -> Schedule:
    """fastai's ``SchedPoly(start, end, power)``: ``init_value`` moved ``pos ** power`` of the way.

    Formula: with ``pos = step / transition_steps``,
    ``rate = init_value + (end_value - init_value) * pos ** power`` for
    ``step < transition_steps`` and ``end_value`` from then on. This is not optax's
    [`polynomial_schedule()`][lrtutor.schedules.polynomial_schedule], which computes
    ``(init_value - end_value) * (1 - pos) ** power + end_value``: the two agree
    for ``power = 1`` only. With ``power = 2`` fastai's rate is still at
    ``init_value - 0.25 * (init_value - end_value)`` half-way, optax's already at
    ``end_value + 0.25 * (init_value - end_value)``.

    Args:
        init_value: Rate at step 0, finite and >= 0.
        end_value: Rate at ``pos = 1``, finite and >= 0 (not both 0).
        power: Exponent, finite and > 0.
        transition_steps: fastai's total number of updates, an int >= 1.

    Returns:
        The polynomial schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = fastai_poly_schedule(0.0, 2.0, power=2, transition_steps=4)
        >>> [schedule(t) for t in range(5)]
        [0.0, 0.125, 0.5, 1.125, 2.0]

    Reference:
        fastai ``fastai.callback.schedule.SchedPoly``,
        https://docs.fast.ai/callback.schedule.html
    """
    init, end = end_points(init_value, end_value)
    exponent = positive("power", power)
    steps = count("transition_steps", transition_steps, minimum=1)

    def rate(step: int) -> float:
        if step >= steps:
            return end
        return init + (end - init) * (step / steps) ** exponent

    params = {
        "init_value": init,
        "end_value": end,
        "power": exponent,
        "transition_steps": steps,
    }
    return ScheduleFunction("fastai_poly_schedule", params, rate)


def fastai_combined_cos_schedule(
    transition_steps: int,
    pct_start: float,
    init_value: float,
    peak_value: float,
    end_value: float,
) -> Schedule:
    """fastai's ``combined_cos(pct, start, middle, end)``, the rate of ``fit_one_cycle``.

    Formula: with ``pos = step / transition_steps`` and fastai's
    ``sched_cos(a, b, p) = a + (1 + cos(pi * (1 - p))) * (b - a) / 2``:
    ``rate = sched_cos(init_value, peak_value, pos / pct_start)`` for
    ``pos < pct_start``, ``rate = sched_cos(peak_value, end_value, (pos - pct_start)
    / (1 - pct_start))`` for ``pct_start <= pos < 1``, and ``end_value`` from
    ``step == transition_steps`` on. The position ``pct_start`` itself already
    belongs to the second phase (as in fastai's ``combine_scheds``).

    ``Learner.fit_one_cycle(n_epoch, lr_max, div=25, div_final=1e5,
    pct_start=0.25)`` uses ``fastai_combined_cos_schedule(N, 0.25, lr_max / 25,
    lr_max, lr_max / 1e5)`` with ``N`` its number of updates. Unlike
    [`cosine_onecycle_schedule()`][lrtutor.schedules.cosine_onecycle_schedule]
    (optax), the peak falls at the exact position ``pct_start`` (no rounding to a
    step), and the three rates are given directly.

    Args:
        transition_steps: fastai's total number of updates, an int >= 1.
        pct_start: Share of the run spent on the first phase, in (0, 1).
        init_value: Rate at step 0, finite and >= 0.
        peak_value: Rate at ``pos = pct_start``, finite and > 0.
        end_value: Rate at ``pos = 1``, finite and >= 0.

    Returns:
        The two-phase cosine schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = fastai_combined_cos_schedule(20, 0.25, 0.5, 1.0, 0.0)
        >>> [round(schedule(t), 5) for t in (0, 2, 5, 10, 20)]
        [0.5, 0.67275, 1.0, 0.75, 0.0]

    Reference:
        fastai ``fastai.callback.schedule.combined_cos`` and ``fit_one_cycle``,
        https://docs.fast.ai/callback.schedule.html; L. N. Smith, "A disciplined
        approach to neural network hyper-parameters", 2018,
        https://arxiv.org/abs/1803.09820
    """
    steps = count("transition_steps", transition_steps, minimum=1)
    split = in_range("pct_start", pct_start, 0, 1, low_open=True, high_open=True)
    init = non_negative("init_value", init_value)
    peak = positive("peak_value", peak_value)
    end = non_negative("end_value", end_value)

    def rate(step: int) -> float:
        if step >= steps:
            return end
        pos = step / steps
        if pos < split:
            return _sched_cos(init, peak, pos / split)
        return _sched_cos(peak, end, (pos - split) / (1 - split))

    params = {
        "transition_steps": steps,
        "pct_start": split,
        "init_value": init,
        "peak_value": peak,
        "end_value": end,
    }
    return ScheduleFunction("fastai_combined_cos_schedule", params, rate)
