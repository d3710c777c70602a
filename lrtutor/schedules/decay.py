"""Decays and shapes with optax's names: constant, piecewise, exponential, polynomial.

Every factory checks its arguments once, when it is called, and returns a
[`ScheduleFunction`][lrtutor.schedules.ScheduleFunction]. The formulas and parameter
names are optax's (``optax.schedules``); where optax logs a message and quietly falls
back to a constant schedule for a nonsensical argument (for example
``transition_steps <= 0``), these factories raise instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .._validate import count, flag, non_negative, positive, show
from ._base import Schedule, ScheduleFunction, end_points

__all__ = [
    "constant_schedule",
    "exponential_decay",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "linear_schedule",
    "piecewise_constant_schedule",
    "polynomial_schedule",
]



def constant_schedule(value: float) -> Schedule:
    """The same learning rate at every step.

    Formula: ``rate(step) = value``.

    Args:
        value: The learning rate, finite and > 0.

    Returns:
        A schedule ``step -> value``.

    Raises:
        TypeError: If ``value`` is not a real number.
        ValueError: If ``value`` is not finite and > 0.

    Examples:
        >>> schedule = constant_schedule(0.25)
        >>> schedule(0), schedule(1000)
        (0.25, 0.25)

    Equivalents:
        PyTorch: no scheduler at all (the optimiser's ``lr``), or
        ``LambdaLR(optimizer, lambda t: 1.0)``. Keras: a plain float
        ``learning_rate``. (PyTorch's ``ConstantLR`` is something else: it scales
        the rate by ``factor`` for the first ``total_iters`` steps.)

    Reference:
        ``optax.constant_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    rate = positive("value", value)
    return ScheduleFunction("constant_schedule", {"value": rate}, lambda step: rate)


def piecewise_constant_schedule(
    init_value: float, boundaries_and_scales: Mapping[int, float] | None = None
) -> Schedule:
    """A rate that is multiplied by a scale at each boundary step.

    Formula: ``rate(step) = init_value * product of scale over all boundaries
    with step >= boundary``. The new value applies *at* the boundary: with
    ``{100: 0.1}`` step 99 uses ``init_value`` and step 100 uses ``0.1 * init_value``
    (optax semantics). Scales compound: ``{100: 0.1, 200: 0.1}`` gives
    ``0.01 * init_value`` from step 200 on.

    Args:
        init_value: Rate before the first boundary, finite and > 0.
        boundaries_and_scales: ``{boundary_step: scale}``; boundaries are ints >= 0,
            scales finite and >= 0 (optax allows a scale of 0, which stops
            learning). ``None`` or ``{}`` gives a constant schedule.

    Returns:
        A piecewise-constant schedule.

    Raises:
        TypeError: If ``init_value`` or a scale is not a real number, a boundary is
            not an int, or ``boundaries_and_scales`` is not a mapping.
        ValueError: If ``init_value`` is not finite and > 0, a boundary is < 0,
            a scale is not finite and >= 0, or the scales multiply the rate past the
            float range.

    Examples:
        >>> schedule = piecewise_constant_schedule(1.0, {2: 0.5, 4: 0.5})
        >>> [schedule(t) for t in range(6)]
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]

    Equivalents:
        PyTorch ``MultiStepLR(optimizer, milestones, gamma)`` is
        ``piecewise_constant_schedule(lr, {m: gamma for m in milestones})``: it
        also changes the rate at the milestone itself. Keras
        ``PiecewiseConstantDecay(boundaries, values)`` uses ``values[i]`` while
        ``step <= boundaries[i]``, so its rate changes one step later, at
        ``boundary + 1``: it equals ``piecewise_constant_schedule(values[0],
        {b + 1: values[i + 1] / values[i] for i, b in enumerate(boundaries)})``.

    Reference:
        ``optax.piecewise_constant_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    init = positive("init_value", init_value)
    if boundaries_and_scales is None:
        boundaries_and_scales = {}
    if not isinstance(boundaries_and_scales, Mapping):
        raise TypeError(
            "boundaries_and_scales must be a dict {boundary_step: scale}, got "
            f"{type(boundaries_and_scales).__name__}"
        )
    pairs: list[tuple[int, float]] = []
    for boundary, scale in boundaries_and_scales.items():
        b = count(f"boundaries_and_scales boundary {show(boundary)}", boundary)
        s = non_negative(f"boundaries_and_scales[{show(boundary)}]", scale)
        pairs.append((b, s))
    pairs.sort()
    running = init
    for boundary, scale in pairs:
        running *= scale
        if not math.isfinite(running):
            raise ValueError(
                f"boundaries_and_scales: from step {boundary} on the rate would be "
                f"{show(running)} (the scales multiply past the float range)"
            )

    def rate(step: int) -> float:
        value = init
        for boundary, scale in pairs:
            if step < boundary:
                break
            value *= scale
        return value

    params = {"init_value": init, "boundaries_and_scales": dict(pairs)}
    return ScheduleFunction("piecewise_constant_schedule", params, rate)


def exponential_decay(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    """A rate multiplied by ``decay_rate`` every ``transition_steps`` steps.

    Formula: ``rate(step) = init_value * decay_rate ** ((step - transition_begin)
    / transition_steps)`` for ``step >= transition_begin`` and ``init_value``
    before. With ``staircase=True`` the exponent is rounded down,
    ``floor((step - transition_begin) / transition_steps)``, so the rate drops in
    steps ("step decay"). If ``end_value`` is given the rate is clipped at it: a
    lower bound when ``decay_rate < 1``, an upper bound when ``decay_rate > 1``.

    Args:
        init_value: Rate at the start, finite and > 0.
        transition_steps: Steps per factor of ``decay_rate``, an int > 0. (optax
            logs a message and returns a constant schedule for values <= 0; this
            function raises ValueError instead.)
        decay_rate: Factor per ``transition_steps`` steps, finite and > 0 (< 1
            decays, > 1 grows, 1 is constant). optax only rejects 0 (with a log
            message); a negative factor makes no sense for a rate.
        transition_begin: Steps to hold ``init_value`` before decaying, an int >= 0.
        staircase: Round the exponent down to an integer.
        end_value: Optional bound, finite and >= 0; it must lie on the side the
            rate moves towards (``<= init_value`` when ``decay_rate < 1``,
            ``>= init_value`` when ``decay_rate >= 1``).

    Returns:
        An exponential-decay schedule. A growing rate (``decay_rate > 1``) without
        ``end_value`` becomes ``inf`` once it passes the float range.

    Raises:
        TypeError: If an argument has the wrong type (``staircase`` must be a bool).
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> step_decay = exponential_decay(1.0, 2, 0.5, staircase=True)
        >>> [step_decay(t) for t in range(6)]
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
        >>> smooth = exponential_decay(1.0, 2, 0.25)
        >>> [smooth(t) for t in range(4)]
        [1.0, 0.5, 0.25, 0.125]

    Equivalents:
        Keras ``ExponentialDecay(initial_learning_rate, decay_steps, decay_rate,
        staircase)`` is ``exponential_decay(initial_learning_rate, decay_steps,
        decay_rate, staircase=staircase)`` (Keras has no ``transition_begin`` or
        ``end_value``). PyTorch ``ExponentialLR(optimizer, gamma)`` is
        ``exponential_decay(lr, 1, gamma)``; PyTorch ``StepLR(optimizer, step_size,
        gamma)`` is ``exponential_decay(lr, step_size, gamma, staircase=True)``.

    Reference:
        ``optax.exponential_decay``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    init = positive("init_value", init_value)
    steps = count("transition_steps", transition_steps, minimum=1)
    decay = positive("decay_rate", decay_rate)
    begin = count("transition_begin", transition_begin)
    stair = flag("staircase", staircase)
    end: float | None = None
    if end_value is not None:
        end = non_negative("end_value", end_value)
        if decay < 1 and end > init:
            raise ValueError(
                f"end_value must be <= init_value ({show(init)}) when decay_rate < 1, got "
                f"{show(end)}"
            )
        if decay >= 1 and end < init:
            raise ValueError(
                f"end_value must be >= init_value ({show(init)}) when decay_rate >= 1, got "
                f"{show(end)}"
            )

    def rate(step: int) -> float:
        elapsed = step - begin
        if elapsed <= 0:
            value = init
        else:
            exponent = elapsed // steps if stair else elapsed / steps
            try:
                value = init * decay**exponent
            except OverflowError:  # a growing rate past the float range, as float math has it
                value = math.inf
        if end is not None:
            value = max(value, end) if decay < 1 else min(value, end)
        return value

    params = {
        "init_value": init,
        "transition_steps": steps,
        "decay_rate": decay,
        "transition_begin": begin,
        "staircase": stair,
        "end_value": end,
    }
    return ScheduleFunction("exponential_decay", params, rate)


def inverse_time_decay(
    init_value: float,
    decay_rate: float,
    transition_steps: int = 1,
    staircase: bool = False,
) -> Schedule:
    """A rate that falls like ``1 / step``.

    Formula: ``rate(step) = init_value / (1 + decay_rate * step / transition_steps)``;
    with ``staircase=True`` the quotient ``step / transition_steps`` is rounded
    down. optax has no inverse-time schedule; this follows Keras
    ``InverseTimeDecay`` with optax-style parameter names. Rates of this shape
    (sum diverges, sum of squares converges) are the classic Robbins-Monro
    conditions for stochastic gradient descent.

    Args:
        init_value: Rate at step 0, finite and > 0.
        decay_rate: How fast the rate falls, finite and > 0: after
            ``transition_steps / decay_rate`` steps the rate has halved.
        transition_steps: Step unit of the decay, an int > 0.
        staircase: Round ``step / transition_steps`` down to an integer.

    Returns:
        An inverse-time-decay schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = inverse_time_decay(1.0, decay_rate=1.0)
        >>> [schedule(t) for t in (0, 1, 3, 7)]
        [1.0, 0.5, 0.25, 0.125]

    Equivalents:
        Keras ``InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate,
        staircase)`` is ``inverse_time_decay(initial_learning_rate, decay_rate,
        transition_steps=decay_steps, staircase=staircase)`` (note the different
        argument order). PyTorch has no built-in one; with ``transition_steps=1`` it
        is ``LambdaLR(optimizer, lambda t: 1 / (1 + decay_rate * t))``.

    Reference:
        Keras ``InverseTimeDecay``,
        https://keras.io/api/optimizers/learning_rate_schedules/inverse_time_decay/;
        optax schedules for the naming,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    init = positive("init_value", init_value)
    decay = positive("decay_rate", decay_rate)
    steps = count("transition_steps", transition_steps, minimum=1)
    stair = flag("staircase", staircase)

    def rate(step: int) -> float:
        quotient = step // steps if stair else step / steps
        return init / (1 + decay * quotient)

    params = {
        "init_value": init,
        "decay_rate": decay,
        "transition_steps": steps,
        "staircase": stair,
    }
    return ScheduleFunction("inverse_time_decay", params, rate)


def inverse_sqrt_decay(init_value: float, transition_steps: int = 1) -> Schedule:
    """A rate that falls like ``1 / sqrt(step)``: d2l.ai's square-root schedule.

    Formula: ``rate(step) = init_value / sqrt(1 + step / transition_steps)``. With
    the default ``transition_steps=1`` this is ``init_value * (step + 1) ** -0.5``,
    the ``SquareRootScheduler`` of *Dive into Deep Learning* (section "Learning Rate
    Scheduling"), which is called with the update count from 0, like this
    schedule: step 0 uses ``init_value``. It falls more slowly than
    [`inverse_time_decay()`][lrtutor.schedules.inverse_time_decay] and never
    reaches a floor. optax has no such schedule; the parameter names are optax's.

    Args:
        init_value: Rate at step 0, finite and > 0.
        transition_steps: Step unit, an int >= 1: the rate has halved after
            ``3 * transition_steps`` steps.

    Returns:
        A square-root-decay schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = inverse_sqrt_decay(0.1)
        >>> [round(schedule(t), 4) for t in (0, 3, 8, 99)]
        [0.1, 0.05, 0.0333, 0.01]

    Equivalents:
        d2l ``SquareRootScheduler(lr)(num_update)`` is
        ``inverse_sqrt_decay(lr)(num_update)``. PyTorch: ``LambdaLR(optimizer,
        lambda t: (t + 1) ** -0.5)``. Not the "inverse square root" warmup schedule
        of transformers, which first rises.

    Reference:
        A. Zhang, Z. C. Lipton, M. Li and A. J. Smola, *Dive into Deep Learning*,
        section 12.11, https://d2l.ai/chapter_optimization/lr-scheduler.html
    """
    init = positive("init_value", init_value)
    steps = count("transition_steps", transition_steps, minimum=1)

    def rate(step: int) -> float:
        return init / math.sqrt(1 + step / steps)

    params = {"init_value": init, "transition_steps": steps}
    return ScheduleFunction("inverse_sqrt_decay", params, rate)


def _polynomial(
    name: str,
    init: float,
    end: float,
    power: float,
    steps: int,
    begin: int,
) -> Schedule:
    def rate(step: int) -> float:
        elapsed = step - begin
        if elapsed <= 0:
            return init
        if elapsed >= steps:
            return end
        return (init - end) * (1 - elapsed / steps) ** power + end

    params: dict[str, Any] = {"init_value": init, "end_value": end}
    if name == "polynomial_schedule":
        params["power"] = power
    params.update(transition_steps=steps, transition_begin=begin)
    return ScheduleFunction(name, params, rate)


def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    """A polynomial transition from ``init_value`` to ``end_value``.

    Formula: with ``s = step - transition_begin``,
    ``rate = init_value`` for ``s <= 0``,
    ``rate = (init_value - end_value) * (1 - s / transition_steps) ** power + end_value``
    for ``0 < s < transition_steps``, and ``rate = end_value`` from
    ``s >= transition_steps`` on. The end points are returned exactly.

    Args:
        init_value: Rate before the transition, finite and >= 0.
        end_value: Rate after it, finite and >= 0 (not both 0). It may exceed
            ``init_value`` (a warmup).
        power: Exponent of the polynomial, finite and > 0 (1 is linear; > 1 falls
            fast at first, < 1 falls slowly at first).
        transition_steps: Length of the transition, an int > 0. (optax returns a
            constant schedule for values <= 0; this raises ValueError.)
        transition_begin: Steps to hold ``init_value`` first, an int >= 0.

    Returns:
        A polynomial schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = polynomial_schedule(1.0, 0.0, power=2, transition_steps=4)
        >>> [schedule(t) for t in range(6)]
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]

    Equivalents:
        Keras ``PolynomialDecay(initial_learning_rate, decay_steps,
        end_learning_rate, power)`` (with ``cycle=False``) is
        ``polynomial_schedule(initial_learning_rate, end_learning_rate, power,
        decay_steps)``. PyTorch ``PolynomialLR(optimizer, total_iters, power)``
        always decays to 0: it is ``polynomial_schedule(lr, 0.0, power,
        total_iters)``.

    Reference:
        ``optax.polynomial_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    init, end = end_points(init_value, end_value)
    exponent = positive("power", power)
    steps = count("transition_steps", transition_steps, minimum=1)
    begin = count("transition_begin", transition_begin)
    return _polynomial("polynomial_schedule", init, end, exponent, steps, begin)


def linear_schedule(
    init_value: float,
    end_value: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    """A straight line from ``init_value`` to ``end_value``, then constant.

    Formula: [`polynomial_schedule()`][lrtutor.schedules.polynomial_schedule] with
    ``power=1``, i.e. with
    ``s = step - transition_begin`` clipped to ``[0, transition_steps]``:
    ``rate = (init_value - end_value) * (1 - s / transition_steps) + end_value``.
    ``linear_schedule(0.0, peak, warmup_steps)`` is the usual linear warmup.

    Args:
        init_value: Rate before the transition, finite and >= 0.
        end_value: Rate after it, finite and >= 0 (not both 0).
        transition_steps: Length of the line, an int > 0.
        transition_begin: Steps to hold ``init_value`` first, an int >= 0.

    Returns:
        A linear schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> warmup = linear_schedule(0.0, 1.0, transition_steps=4)
        >>> [warmup(t) for t in range(6)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]

    Equivalents:
        PyTorch ``LinearLR(optimizer, start_factor, end_factor, total_iters)`` is
        ``linear_schedule(lr * start_factor, lr * end_factor, total_iters)``
        (PyTorch requires ``start_factor > 0``, so it cannot start at exactly 0).
        Keras ``PolynomialDecay(initial_learning_rate, decay_steps,
        end_learning_rate, power=1.0)`` is ``linear_schedule(initial_learning_rate,
        end_learning_rate, decay_steps)``.

    Reference:
        ``optax.linear_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
    """
    init, end = end_points(init_value, end_value)
    steps = count("transition_steps", transition_steps, minimum=1)
    begin = count("transition_begin", transition_begin)
    return _polynomial("linear_schedule", init, end, 1.0, steps, begin)
