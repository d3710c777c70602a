"""Schedules in phases: joined schedules, warm restarts (SGDR) and one-cycle, as in optax.

[`join_schedules()`][lrtutor.schedules.join_schedules] runs several schedules one
after another, each with its own step counter starting at 0;
[`sgdr_schedule()`][lrtutor.schedules.sgdr_schedule] joins cosine cycles (warm
restarts); the one-cycle schedules rise from a low rate to a peak and fall again,
far below the start, in a single run. Names, arguments and step counting are
optax's (``optax.join_schedules``, ``optax.sgdr_schedule``,
``optax.cosine_onecycle_schedule``, ``optax.linear_onecycle_schedule``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .._validate import count, finite, in_range, non_negative, positive, show
from ._base import Schedule, ScheduleFunction
from .cosine import warmup_cosine_decay_schedule

__all__ = [
    "cosine_onecycle_schedule",
    "join_schedules",
    "linear_onecycle_schedule",
    "sgdr_schedule",
]


def join_schedules(schedules: Sequence[Schedule], boundaries: Sequence[int]) -> Schedule:
    """Run schedules one after another; each restarts its step count at its boundary.

    Formula: with boundaries ``b_1 < b_2 < ... < b_k`` (and ``b_0 = 0``),
    ``rate(step) = schedules[i](step - b_i)`` for ``b_i <= step < b_{i+1}``; the
    last schedule runs from ``b_k`` on for ever. As in optax, schedule ``i`` sees
    the steps *since its boundary*, so a decay joined after a warmup starts at its
    own step 0, and the boundary step itself already belongs to the next schedule.

    Args:
        schedules: One or more schedules (any callable ``step -> rate``).
        boundaries: ``len(schedules) - 1`` ints, each >= 1 and in strictly
            increasing order: the steps at which the next schedule takes over.

    Returns:
        The joined schedule.

    Raises:
        TypeError: If ``schedules`` holds something not callable or a boundary is not
            an int.
        ValueError: If there are no schedules, the number of boundaries is not
            ``len(schedules) - 1``, or the boundaries are not >= 1 and strictly
            increasing. At call time, if a joined schedule returns a value that is
            not a finite real number >= 0.

    Examples:
        >>> from lrtutor import constant_schedule, linear_schedule
        >>> warmup_then_flat = join_schedules(
        ...     [linear_schedule(0.0, 1.0, transition_steps=2), constant_schedule(0.5)],
        ...     boundaries=[3])
        >>> [warmup_then_flat(t) for t in range(5)]
        [0.0, 0.5, 1.0, 0.5, 0.5]

    Equivalents:
        PyTorch ``SequentialLR(optimizer, schedulers, milestones)``, with the same
        restart of each scheduler's count at its milestone (PyTorch then calls the
        new scheduler's ``step(0)``). fastai ``combine_scheds(pcts, scheds)`` splits
        the run by fractions ``pcts`` instead of step counts, and feeds each part a
        position from 0 to 1 (see
        [`fastai_combined_cos_schedule()`][lrtutor.schedules.fastai_combined_cos_schedule]).

    Reference:
        ``optax.join_schedules``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    if isinstance(schedules, str | bytes) or not isinstance(schedules, Sequence):
        raise TypeError(f"schedules must be a list of schedules, got {type(schedules).__name__}")
    parts = list(schedules)
    if not parts:
        raise ValueError("schedules must hold at least one schedule, got none")
    for index, part in enumerate(parts):
        if not callable(part):
            raise TypeError(
                f"schedules[{index}] must be a schedule (a callable step -> rate), got "
                f"{type(part).__name__}"
            )
    if isinstance(boundaries, str | bytes) or not isinstance(boundaries, Sequence):
        raise TypeError(f"boundaries must be a list of ints, got {type(boundaries).__name__}")
    if len(boundaries) != len(parts) - 1:
        raise ValueError(
            f"boundaries must have len(schedules) - 1 = {len(parts) - 1} entries, "
            f"got {len(boundaries)}"
        )
    bounds = [count(f"boundaries[{i}]", b, minimum=1) for i, b in enumerate(boundaries)]
    for i in range(1, len(bounds)):
        if bounds[i] <= bounds[i - 1]:
            raise ValueError(
                f"boundaries must be strictly increasing, got boundaries[{i - 1}] = "
                f"{bounds[i - 1]} and boundaries[{i}] = {bounds[i]}"
            )
    starts = [0, *bounds]

    def rate(step: int) -> float:
        index = len(starts) - 1
        while starts[index] > step:
            index -= 1
        local = step - starts[index]
        value = parts[index](local)
        return non_negative(f"schedules[{index}]({local})", value)

    return ScheduleFunction("join_schedules", {"schedules": parts, "boundaries": bounds}, rate)


def sgdr_schedule(cosine_kwargs: Iterable[Mapping[str, Any]]) -> Schedule:
    """Stochastic gradient descent with warm restarts: cosine cycles joined in a row.

    Each dict of ``cosine_kwargs`` holds the arguments of one
    [`warmup_cosine_decay_schedule()`][lrtutor.schedules.warmup_cosine_decay_schedule]
    (``init_value``, ``peak_value``, ``warmup_steps``, ``decay_steps``, optionally
    ``end_value`` and ``exponent``). The cycles run one after another, joined by
    [`join_schedules()`][lrtutor.schedules.join_schedules] at the cumulative sums of
    their ``decay_steps``: cycle ``i`` lasts ``decay_steps`` steps (warmup
    included) and starts at its own step 0, so the rate jumps back up (restarts) at
    each boundary. After the last cycle its ``end_value`` holds.

    Args:
        cosine_kwargs: One or more dicts of arguments for
            ``warmup_cosine_decay_schedule``; each cycle's ``decay_steps`` must be
            an int > its ``warmup_steps`` (so no cycle has length 0).

    Returns:
        The warm-restart schedule.

    Raises:
        TypeError: If ``cosine_kwargs`` is not an iterable of dicts, or a dict misses
            an argument or names an unknown one.
        ValueError: If there is no cycle, or a cycle's arguments are out of range
            (as in ``warmup_cosine_decay_schedule``).

    Examples:
        >>> cycle = {"init_value": 1.0, "peak_value": 1.0, "warmup_steps": 0,
        ...          "decay_steps": 2}
        >>> schedule = sgdr_schedule([cycle, {**cycle, "decay_steps": 4}])
        >>> [round(schedule(t), 4) for t in range(7)]
        [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0]

    Equivalents:
        PyTorch ``CosineAnnealingWarmRestarts(optimizer, T_0, T_mult, eta_min)`` is
        ``sgdr_schedule([{"init_value": lr, "peak_value": lr, "warmup_steps": 0,
        "decay_steps": T_0 * T_mult**i, "end_value": eta_min} for i in range(n)])``
        for the first ``n`` cycles (PyTorch goes on restarting for ever; this
        schedule stops after its last cycle). fastai ``fit_sgdr(n_cycles,
        cycle_len, cycle_mult)`` is the same with ``end_value=0``, in epochs.

    Reference:
        ``optax.sgdr_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html;
        I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with Warm
        Restarts", ICLR 2017.
    """
    if isinstance(cosine_kwargs, Mapping | str | bytes) or not isinstance(cosine_kwargs, Iterable):
        raise TypeError(
            "cosine_kwargs must be a list of dicts (one per cycle), got "
            f"{type(cosine_kwargs).__name__}"
        )
    cycles: list[Schedule] = []
    boundaries: list[int] = []
    given: list[dict[str, Any]] = []
    step = 0
    for index, kwargs in enumerate(cosine_kwargs):
        if not isinstance(kwargs, Mapping):
            raise TypeError(f"cosine_kwargs[{index}] must be a dict, got {type(kwargs).__name__}")
        given.append(dict(kwargs))
        try:
            cycles.append(warmup_cosine_decay_schedule(**kwargs))
        except (TypeError, ValueError) as error:
            raise type(error)(f"cosine_kwargs[{index}]: {error}") from None
        step += int(kwargs["decay_steps"])
        boundaries.append(step)
    if not cycles:
        raise ValueError("cosine_kwargs must hold at least one cycle, got none")
    joined = join_schedules(cycles, boundaries[:-1])
    return ScheduleFunction("sgdr_schedule", {"cosine_kwargs": given}, joined)


def _piecewise_interpolate(
    interpolate: Callable[[float, float, float], float],
    bounds: list[int],
    values: list[float],
) -> Callable[[int], float]:
    """optax's ``piecewise_interpolate_schedule`` between accumulated values.

    ``bounds`` starts with 0; on ``bounds[i] <= step < bounds[i+1]`` the rate goes
    from ``values[i]`` to ``values[i+1]`` (an empty interval is skipped), and from
    ``bounds[-1]`` on it is ``values[-1]``.
    """

    def rate(step: int) -> float:
        if step >= bounds[-1]:
            return values[-1]
        for i in range(len(bounds) - 1):
            if bounds[i] <= step < bounds[i + 1]:
                if step == bounds[i]:
                    return values[i]  # the segment's start, exactly
                fraction = (step - bounds[i]) / max(bounds[i + 1] - bounds[i], 1)
                return interpolate(values[i], values[i + 1], fraction)
        raise AssertionError("unreachable: the intervals cover 0 .. bounds[-1]")

    return rate


def _linear(start: float, end: float, fraction: float) -> float:
    return (end - start) * fraction + start


def _cosine(start: float, end: float, fraction: float) -> float:
    return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1)


def _onecycle_common(
    transition_steps: object, peak_value: object, div_factor: object, final_div_factor: object
) -> tuple[int, float, float, float]:
    steps = count("transition_steps", transition_steps, minimum=1)
    peak = positive("peak_value", peak_value)
    div = finite("div_factor", div_factor)
    if div <= 1:
        raise ValueError(
            "div_factor must be > 1 (the start rate peak_value / div_factor must be below "
            f"the peak), got {show(div_factor)}"
        )
    final_div = positive("final_div_factor", final_div_factor)
    return steps, peak, div, final_div


def _phase_end(name: str, share: float, steps: int, after: int = 0, what: str = "") -> int:
    """``int(share * steps)``, the step a phase ends at, refused if the phase vanishes.

    optax rounds the boundaries the same way but does not check them: a rise of 0
    steps starts the cycle at its peak, and two equal boundaries collapse into one
    key of the dict it builds, which keeps only the later scale (the peak is then
    never reached). Here such parameters raise ``ValueError`` naming them.
    """
    end = int(share * steps)
    if end <= after:
        raise ValueError(
            f"{name} * transition_steps = {show(share)} * {steps} rounds down to step {end}, "
            f"so {what} would last 0 steps; raise {name} or transition_steps"
        )
    return end


def cosine_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """One cycle: a cosine rise from a low rate to the peak, then a cosine fall far below.

    Formula: with ``b = int(pct_start * transition_steps)``, start rate
    ``a = peak_value / div_factor`` and final rate
    ``z = peak_value / (div_factor * final_div_factor)``, and
    ``cos_interp(u, v, f) = v + (u - v) / 2 * (cos(pi * f) + 1)``:
    ``rate = cos_interp(a, peak_value, step / b)`` for ``step < b``,
    ``rate = cos_interp(peak_value, z, (step - b) / (transition_steps - b))`` for
    ``b <= step < transition_steps``, and ``z`` from ``transition_steps`` on. Step 0
    uses ``a``; the peak is reached exactly at step ``b``; the schedule clamps at
    ``z`` (optax's semantics and its rounding of ``b`` down). Parameters for which
    ``b`` rounds down to 0 (``cosine_onecycle_schedule(2, 1.0, pct_start=0.3)``)
    raise: the rise would vanish and the cycle start at the peak, which optax
    returns without a word.

    Args:
        transition_steps: Length of the whole cycle, an int >= 1.
        peak_value: The largest rate, finite and > 0.
        pct_start: Share of the cycle spent rising, in (0, 1).
        div_factor: ``peak_value / div_factor`` is the start rate; finite and > 1, so
            that the peak is above the start.
        final_div_factor: The final rate is the start rate divided by this; finite
            and > 0 (usually large).

    Returns:
        The one-cycle schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above, or a phase
            rounds to 0 steps (see above).

    Examples:
        >>> schedule = cosine_onecycle_schedule(5, 1000.0, pct_start=0.4,
        ...                                     div_factor=10.0, final_div_factor=100.0)
        >>> [round(schedule(t), 2) for t in range(7)]
        [100.0, 550.0, 1000.0, 750.25, 250.75, 1.0, 1.0]

    Equivalents:
        PyTorch ``OneCycleLR(optimizer, max_lr, total_steps, pct_start,
        anneal_strategy="cos", div_factor, final_div_factor)`` has the same three
        rates but reaches the peak at step ``pct_start * total_steps - 1`` and the
        final rate at step ``total_steps - 1``, one step earlier than here (and
        ``total_steps`` must cover every update: stepping further raises). It
        also cycles momentum by default. fastai ``fit_one_cycle`` uses
        [`fastai_combined_cos_schedule()`][lrtutor.schedules.fastai_combined_cos_schedule]
        with its own defaults (``pct_start=0.25``, ``div=25``, ``div_final=1e5``,
        where ``div_final`` divides ``lr_max``, not the start rate).

    Reference:
        ``optax.cosine_onecycle_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html;
        L. N. Smith and N. Topin, "Super-Convergence: Very Fast Training of Neural
        Networks Using Large Learning Rates", 2017, https://arxiv.org/abs/1708.07120
    """
    steps, peak, div, final_div = _onecycle_common(
        transition_steps, peak_value, div_factor, final_div_factor
    )
    start = in_range("pct_start", pct_start, 0, 1, low_open=True, high_open=True)
    low = peak / div
    rise = _phase_end("pct_start", start, steps, what="the rise from peak_value / div_factor")
    bounds = [0, rise, steps]
    values = [low, peak, peak / (div * final_div)]
    params = {
        "transition_steps": steps,
        "peak_value": peak,
        "pct_start": start,
        "div_factor": div,
        "final_div_factor": final_div,
    }
    rate = _piecewise_interpolate(_cosine, bounds, values)
    return ScheduleFunction("cosine_onecycle_schedule", params, rate)


def linear_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """One cycle in three straight lines: up to the peak, back to the start, then down.

    Formula: with ``b1 = int(pct_start * transition_steps)``,
    ``b2 = int(pct_final * transition_steps)``, start rate
    ``a = peak_value / div_factor`` and final rate ``z = a / final_div_factor``, the
    rate goes linearly from ``a`` (step 0) to ``peak_value`` (step ``b1``), back to
    ``a`` (step ``b2``), then to ``z`` (step ``transition_steps``), and stays at
    ``z``: on each segment ``[s, e)`` from ``u`` to ``v``,
    ``rate = u + (v - u) * (step - s) / (e - s)``. These are optax's semantics,
    except that parameters whose rounded phases vanish raise: ``b1 = 0`` (no rise)
    or ``b2 = b1`` (no way back: with ``linear_onecycle_schedule(10, 1.0,
    pct_start=0.3, pct_final=0.35)`` optax never reaches the peak).

    Args:
        transition_steps: Length of the whole cycle, an int >= 1.
        peak_value: The largest rate, finite and > 0.
        pct_start: Share of the cycle spent rising, in (0, 1).
        pct_final: Share of the cycle at whose end the rate is back at the start
            rate; ``pct_start < pct_final < 1``.
        div_factor: ``peak_value / div_factor`` is the start rate; finite and > 1.
        final_div_factor: The final rate is the start rate divided by this; finite
            and > 0.

    Returns:
        The three-phase linear one-cycle schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above, or a phase
            rounds to 0 steps (see above).

    Examples:
        >>> schedule = linear_onecycle_schedule(10, 1000.0, pct_start=0.3, pct_final=0.7,
        ...                                     div_factor=10.0, final_div_factor=100.0)
        >>> [round(schedule(t), 2) for t in range(12)]
        [100.0, 400.0, 700.0, 1000.0, 775.0, 550.0, 325.0, 100.0, 67.0, 34.0, 1.0, 1.0]

    Equivalents:
        PyTorch ``OneCycleLR(..., anneal_strategy="linear", three_phase=True)`` is
        the same shape with its phases ending one step earlier (at
        ``pct_start * total_steps - 1``, ``2 * pct_start * total_steps - 2`` and
        ``total_steps - 1``), and with the second phase as long as the first
        (here ``pct_final`` sets it).

    Reference:
        ``optax.linear_onecycle_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html;
        L. N. Smith and N. Topin, "Super-Convergence", 2017,
        https://arxiv.org/abs/1708.07120
    """
    steps, peak, div, final_div = _onecycle_common(
        transition_steps, peak_value, div_factor, final_div_factor
    )
    start = in_range("pct_start", pct_start, 0, 1, low_open=True, high_open=True)
    final = in_range("pct_final", pct_final, 0, 1, low_open=True, high_open=True)
    if final <= start:
        raise ValueError(
            f"pct_final must be > pct_start ({show(start)}) and < 1, got "
            f"{show(final)}"
        )
    low = peak / div
    rise = _phase_end("pct_start", start, steps, what="the rise to the peak")
    fall = _phase_end("pct_final", final, steps, rise, what="the way back from the peak")
    bounds = [0, rise, fall, steps]
    values = [low, peak, low, low / final_div]
    params = {
        "transition_steps": steps,
        "peak_value": peak,
        "pct_start": start,
        "pct_final": final,
        "div_factor": div,
        "final_div_factor": final_div,
    }
    rate = _piecewise_interpolate(_linear, bounds, values)
    return ScheduleFunction("linear_onecycle_schedule", params, rate)
