"""Learning-rate schedules: functions ``step -> learning rate``.

Each factory here checks its arguments once, when it is called, and returns a
schedule: a function of the update counter ``step`` (0, 1, 2, ...; the value at
``step`` is the learning rate used for update ``step``). This is the functional form
of optax (``optax.schedules``): same function names, same parameter names, same
formulas. Where optax logs a message and quietly falls back to a constant schedule
for a nonsensical argument (for example ``transition_steps <= 0``), these factories
raise instead.

A schedule returns a Python ``float`` for an ``int`` step, and a float array of the
same shape for an integer NumPy array of steps, which is handy for plotting:

    >>> import numpy as np
    >>> schedule = exponential_decay(1.0, transition_steps=2, decay_rate=0.5, staircase=True)
    >>> schedule(3)
    0.5
    >>> schedule(np.arange(6)).tolist()
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]

Any schedule can be passed wherever
[`lrtutor.run_gradient_descent()`][lrtutor.descent.run_gradient_descent] takes a learning
rate.

Counting steps. optax, Keras and this module count optimiser updates from 0.
PyTorch's ``torch.optim.lr_scheduler`` classes count calls to ``scheduler.step()``
(``last_epoch``), which tutorials usually make once per epoch; the correspondences
stated below assume one ``scheduler.step()`` per update.

Reference:
    optax schedules, https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any, overload

import numpy as np

__all__ = [
    "Schedule",
    "constant_schedule",
    "cosine_decay_schedule",
    "exponential_decay",
    "inverse_time_decay",
    "linear_schedule",
    "piecewise_constant_schedule",
    "polynomial_schedule",
    "warmup_cosine_decay_schedule",
]

Schedule = Callable[[int], float]
"""A learning-rate schedule: update counter ``step`` (from 0) -> learning rate."""

MAX_STEP = 2**63 - 1
"""The largest step a schedule takes (as in an int64 array), and the largest step count
(``transition_steps``, ``decay_steps``, ...) a factory takes; larger raise ValueError."""


class _ScheduleFunction:
    """A schedule returned by the factories in this module.

    Calling it with an ``int`` step (0 to ``MAX_STEP``) gives a ``float``; with an
    integer NumPy array of steps, a float array of the same shape (each entry
    computed exactly as the scalar call would). The ``repr`` shows the factory call that made it.
    """

    __slots__ = ("_name", "_params", "_rate")

    def __init__(self, name: str, params: dict[str, Any], rate: Callable[[int], float]) -> None:
        self._name = name
        self._params = params
        self._rate = rate

    @overload
    def __call__(self, step: int) -> float: ...

    @overload
    def __call__(self, step: np.ndarray) -> np.ndarray: ...

    def __call__(self, step: int | np.ndarray) -> float | np.ndarray:
        if isinstance(step, np.ndarray):
            if step.dtype.kind not in "iu":
                raise TypeError(
                    f"step must be an int or an array of ints, got an array of dtype {step.dtype}"
                )
            if step.size and int(step.min()) < 0:
                raise ValueError(f"step must be >= 0, got {int(step.min())}")
            if step.size and int(step.max()) > MAX_STEP:
                raise ValueError(f"step must be <= 2**63 - 1, got {int(step.max())}")
            values = [self._rate(int(s)) for s in step.ravel()]
            return np.array(values, dtype=float).reshape(step.shape)
        if isinstance(step, bool) or not isinstance(step, numbers.Integral):
            raise TypeError(f"step must be an int, got {type(step).__name__}")
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        if step > MAX_STEP:
            raise ValueError(f"step must be <= 2**63 - 1, got {step}")
        return float(self._rate(int(step)))

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self._params.items())
        return f"{self._name}({args})"


# --------------------------------------------------------------------------- checks


def _real(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range
        return math.inf if value > 0 else -math.inf


def _positive(name: str, value: object) -> float:
    number = _real(name, value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return number


def _non_negative(name: str, value: object) -> float:
    number = _real(name, value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return number


def _count(name: str, value: object, *, positive: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    number = int(value)
    if positive and number <= 0:
        raise ValueError(f"{name} must be an int > 0, got {number}")
    if not positive and number < 0:
        raise ValueError(f"{name} must be an int >= 0, got {number}")
    if number > MAX_STEP:
        raise ValueError(f"{name} must be <= 2**63 - 1 (MAX_STEP), got {number}")
    return number


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return bool(value)


def _end_points(init_value: object, end_value: object) -> tuple[float, float]:
    init = _non_negative("init_value", init_value)
    end = _non_negative("end_value", end_value)
    if init == 0 and end == 0:
        raise ValueError("init_value and end_value must not both be 0 (the rate would stay 0)")
    return init, end


# ------------------------------------------------------------------------ schedules


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
    rate = _positive("value", value)
    return _ScheduleFunction("constant_schedule", {"value": rate}, lambda step: rate)


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
        ValueError: If ``init_value`` is not finite and > 0, a boundary is < 0 or
            a scale is not finite and >= 0.

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
    init = _positive("init_value", init_value)
    if boundaries_and_scales is None:
        boundaries_and_scales = {}
    if not isinstance(boundaries_and_scales, Mapping):
        raise TypeError(
            "boundaries_and_scales must be a dict {boundary_step: scale}, got "
            f"{type(boundaries_and_scales).__name__}"
        )
    pairs: list[tuple[int, float]] = []
    for boundary, scale in boundaries_and_scales.items():
        b = _count(f"boundaries_and_scales boundary {boundary!r}", boundary, positive=False)
        s = _non_negative(f"boundaries_and_scales[{boundary!r}]", scale)
        pairs.append((b, s))
    pairs.sort()

    def rate(step: int) -> float:
        value = init
        for boundary, scale in pairs:
            if step < boundary:
                break
            value *= scale
        return value

    params = {"init_value": init, "boundaries_and_scales": dict(pairs)}
    return _ScheduleFunction("piecewise_constant_schedule", params, rate)


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
    init = _positive("init_value", init_value)
    steps = _count("transition_steps", transition_steps, positive=True)
    decay = _positive("decay_rate", decay_rate)
    begin = _count("transition_begin", transition_begin, positive=False)
    stair = _flag("staircase", staircase)
    end: float | None = None
    if end_value is not None:
        end = _non_negative("end_value", end_value)
        if decay < 1 and end > init:
            raise ValueError(
                f"end_value must be <= init_value ({init!r}) when decay_rate < 1, got {end!r}"
            )
        if decay >= 1 and end < init:
            raise ValueError(
                f"end_value must be >= init_value ({init!r}) when decay_rate >= 1, got {end!r}"
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
    return _ScheduleFunction("exponential_decay", params, rate)


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
    init = _positive("init_value", init_value)
    decay = _positive("decay_rate", decay_rate)
    steps = _count("transition_steps", transition_steps, positive=True)
    stair = _flag("staircase", staircase)

    def rate(step: int) -> float:
        quotient = step // steps if stair else step / steps
        return init / (1 + decay * quotient)

    params = {
        "init_value": init,
        "decay_rate": decay,
        "transition_steps": steps,
        "staircase": stair,
    }
    return _ScheduleFunction("inverse_time_decay", params, rate)


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
    return _ScheduleFunction(name, params, rate)


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
    init, end = _end_points(init_value, end_value)
    exponent = _positive("power", power)
    steps = _count("transition_steps", transition_steps, positive=True)
    begin = _count("transition_begin", transition_begin, positive=False)
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
    init, end = _end_points(init_value, end_value)
    steps = _count("transition_steps", transition_steps, positive=True)
    begin = _count("transition_begin", transition_begin, positive=False)
    return _polynomial("linear_schedule", init, end, 1.0, steps, begin)


def _cosine_weight(elapsed: int, steps: int, exponent: float) -> float:
    """``(0.5 * (1 + cos(pi * elapsed / steps))) ** exponent`` for 0 < elapsed < steps."""
    return (0.5 * (1 + math.cos(math.pi * elapsed / steps))) ** exponent


def cosine_decay_schedule(
    init_value: float,
    decay_steps: int,
    alpha: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    """Half a cosine wave from ``init_value`` down to ``alpha * init_value``, then flat.

    Formula: ``cosine = 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))``,
    ``rate = init_value * ((1 - alpha) * cosine ** exponent + alpha)``. The rate
    is ``init_value`` at step 0 and stays at the floor ``alpha * init_value`` from
    ``decay_steps`` on; both end points are returned exactly.

    Args:
        init_value: Rate at step 0, finite and > 0.
        decay_steps: Length of the decay, an int > 0.
        alpha: The floor as a fraction of ``init_value``, in ``[0, 1]``.
        exponent: Power applied to the cosine factor, finite and > 0.

    Returns:
        A cosine-decay schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = cosine_decay_schedule(1.0, decay_steps=4, alpha=0.1)
        >>> [round(schedule(t), 4) for t in range(6)]
        [1.0, 0.8682, 0.55, 0.2318, 0.1, 0.1]

    Equivalents:
        Keras ``CosineDecay(initial_learning_rate, decay_steps, alpha)`` (without
        warmup) is ``cosine_decay_schedule(initial_learning_rate, decay_steps,
        alpha)``. PyTorch ``CosineAnnealingLR(optimizer, T_max, eta_min)`` equals
        ``cosine_decay_schedule(lr, T_max, alpha=eta_min / lr)`` for steps up to
        ``T_max`` only: after ``T_max`` PyTorch keeps following the cosine, so its
        rate rises again towards ``lr`` (period ``2 * T_max``), whereas this
        schedule stays at the floor.

    Reference:
        ``optax.cosine_decay_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html;
        I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with Warm
        Restarts", ICLR 2017.
    """
    init = _positive("init_value", init_value)
    steps = _count("decay_steps", decay_steps, positive=True)
    floor_fraction = _real("alpha", alpha)
    if not 0 <= floor_fraction <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha!r}")
    power = _positive("exponent", exponent)

    def rate(step: int) -> float:
        if step <= 0:
            return init
        if step >= steps:
            return init * floor_fraction
        decayed = (1 - floor_fraction) * _cosine_weight(step, steps, power) + floor_fraction
        return init * decayed

    params = {"init_value": init, "decay_steps": steps, "alpha": floor_fraction, "exponent": power}
    return _ScheduleFunction("cosine_decay_schedule", params, rate)


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    """Linear warmup to ``peak_value``, then cosine decay to ``end_value``.

    Formula: for ``step < warmup_steps``,
    ``rate = init_value + (peak_value - init_value) * step / warmup_steps``; then,
    with ``s = min(step, decay_steps) - warmup_steps`` and
    ``D = decay_steps - warmup_steps``,
    ``rate = end_value + (peak_value - end_value) * (0.5 * (1 + cos(pi * s / D))) ** exponent``.
    The rate is ``peak_value`` exactly at ``step == warmup_steps`` and
    ``end_value`` exactly from ``step == decay_steps`` on. As in optax,
    ``decay_steps`` is the length of the whole schedule *including* the warmup:
    the cosine part lasts ``decay_steps - warmup_steps`` steps. (optax writes the
    cosine part as ``peak_value * ((1 - alpha) * cosine ** exponent + alpha)`` with
    ``alpha = end_value / peak_value``; that is the same number up to rounding.)

    Args:
        init_value: Rate at step 0, finite, >= 0 and <= ``peak_value``.
        peak_value: Rate at the end of the warmup, finite and > 0.
        warmup_steps: Length of the warmup, an int >= 0 (0: no warmup).
        decay_steps: Total length of warmup plus decay, an int > ``warmup_steps``.
        end_value: Final rate, finite, >= 0 and <= ``peak_value``.
        exponent: Power applied to the cosine factor, finite and > 0.

    Returns:
        A warmup-then-cosine schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above, in
            particular "warmup_steps must be < decay_steps" when the warmup would
            take the whole schedule.

    Examples:
        >>> schedule = warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=2,
        ...                                         decay_steps=6, end_value=0.1)
        >>> [round(schedule(t), 4) for t in range(8)]
        [0.0, 0.5, 1.0, 0.8682, 0.55, 0.2318, 0.1, 0.1]

    Equivalents:
        Keras ``CosineDecay(initial_learning_rate, decay_steps, alpha,
        warmup_target, warmup_steps)`` counts its ``decay_steps`` *after* the warmup
        and gives its floor as a fraction: it equals
        ``warmup_cosine_decay_schedule(initial_learning_rate, warmup_target,
        warmup_steps, warmup_steps + decay_steps, end_value=alpha * warmup_target)``.
        PyTorch: ``SequentialLR(optimizer, [LinearLR(optimizer,
        start_factor=init_value / peak_value, total_iters=warmup_steps),
        CosineAnnealingLR(optimizer, T_max=decay_steps - warmup_steps,
        eta_min=end_value)], milestones=[warmup_steps])`` with the optimiser's
        ``lr = peak_value``, up to ``decay_steps`` (after that PyTorch's cosine rises
        again, and ``LinearLR`` needs ``start_factor > 0``, i.e. ``init_value > 0``).

    Reference:
        ``optax.warmup_cosine_decay_schedule``,
        https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html;
        P. Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
        2017 (linear warmup).
    """
    peak = _positive("peak_value", peak_value)
    init = _non_negative("init_value", init_value)
    if init > peak:
        raise ValueError(f"init_value must be <= peak_value ({peak!r}), got {init!r}")
    warmup = _count("warmup_steps", warmup_steps, positive=False)
    total = _count("decay_steps", decay_steps, positive=True)
    if warmup >= total:
        raise ValueError(
            f"warmup_steps must be < decay_steps (decay_steps includes the warmup), "
            f"got warmup_steps={warmup}, decay_steps={total}"
        )
    end = _non_negative("end_value", end_value)
    if end > peak:
        raise ValueError(f"end_value must be <= peak_value ({peak!r}), got {end!r}")
    power = _positive("exponent", exponent)
    length = total - warmup

    def rate(step: int) -> float:
        if step < warmup:
            return init + (peak - init) * (step / warmup)
        elapsed = step - warmup
        if elapsed == 0:
            return peak
        if elapsed >= length:
            return end
        return end + (peak - end) * _cosine_weight(elapsed, length, power)

    params = {
        "init_value": init,
        "peak_value": peak,
        "warmup_steps": warmup,
        "decay_steps": total,
        "end_value": end,
        "exponent": power,
    }
    return _ScheduleFunction("warmup_cosine_decay_schedule", params, rate)
