"""Cosine schedules: optax's clamped cosine decay, its warmup variant, and PyTorch's
``CosineAnnealingLR``, which keeps following the cosine past its end.
"""

from __future__ import annotations

from .._validate import count, in_range, non_negative, positive, show
from ._base import Schedule, ScheduleFunction, cosine_weight

__all__ = [
    "cosine_annealing_schedule",
    "cosine_decay_schedule",
    "warmup_cosine_decay_schedule",
]


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
    init = positive("init_value", init_value)
    steps = count("decay_steps", decay_steps, minimum=1)
    floor_fraction = in_range("alpha", alpha, 0, 1)
    power = positive("exponent", exponent)

    def rate(step: int) -> float:
        if step <= 0:
            return init
        if step >= steps:
            return init * floor_fraction
        decayed = (1 - floor_fraction) * cosine_weight(step, steps, power) + floor_fraction
        return init * decayed

    params = {"init_value": init, "decay_steps": steps, "alpha": floor_fraction, "exponent": power}
    return ScheduleFunction("cosine_decay_schedule", params, rate)


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
    peak = positive("peak_value", peak_value)
    init = non_negative("init_value", init_value)
    if init > peak:
        raise ValueError(f"init_value must be <= peak_value ({show(peak)}), got {show(init)}")
    warmup = count("warmup_steps", warmup_steps)
    total = count("decay_steps", decay_steps, minimum=1)
    if warmup >= total:
        raise ValueError(
            f"warmup_steps must be < decay_steps (decay_steps includes the warmup), "
            f"got warmup_steps={warmup}, decay_steps={total}"
        )
    end = non_negative("end_value", end_value)
    if end > peak:
        raise ValueError(f"end_value must be <= peak_value ({show(peak)}), got {show(end)}")
    power = positive("exponent", exponent)
    length = total - warmup

    def rate(step: int) -> float:
        if step < warmup:
            return init + (peak - init) * (step / warmup)
        elapsed = step - warmup
        if elapsed == 0:
            return peak
        if elapsed >= length:
            return end
        return end + (peak - end) * cosine_weight(elapsed, length, power)

    params = {
        "init_value": init,
        "peak_value": peak,
        "warmup_steps": warmup,
        "decay_steps": total,
        "end_value": end,
        "exponent": power,
    }
    return ScheduleFunction("warmup_cosine_decay_schedule", params, rate)


def cosine_annealing_schedule(
    init_value: float, decay_steps: int, end_value: float = 0.0
) -> Schedule:
    """PyTorch's ``CosineAnnealingLR``: a cosine that goes on past its end and rises again.

    Formula: ``rate(step) = end_value + (init_value - end_value) * 0.5 * (1 + cos(pi
    * step / decay_steps))`` for *every* step. It starts at ``init_value``, reaches
    ``end_value`` at ``step == decay_steps``, and then climbs back to
    ``init_value`` at ``2 * decay_steps``: a wave of period ``2 * decay_steps``. That
    is what PyTorch's scheduler does when training runs longer than ``T_max``;
    [`cosine_decay_schedule()`][lrtutor.schedules.cosine_decay_schedule] (optax)
    instead holds the floor from ``decay_steps`` on. Both agree up to
    ``decay_steps``.

    Step convention: PyTorch's first update uses the optimiser's ``lr`` (its
    ``last_epoch`` is 0 until the first ``scheduler.step()``), so with one
    ``scheduler.step()`` per update, update ``t`` uses ``rate(t)``. PyTorch computes
    the wave recursively (each value from the previous one); its documentation
    gives this closed form, which the recursion follows up to rounding.

    Args:
        init_value: The optimiser's ``lr``, the rate at step 0, finite and > 0.
        decay_steps: ``T_max``, the steps from the top of the wave to its bottom,
            an int >= 1.
        end_value: ``eta_min``, the bottom of the wave, finite, >= 0 and
            <= ``init_value``.

    Returns:
        A cosine-annealing schedule.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is outside the range stated above.

    Examples:
        >>> schedule = cosine_annealing_schedule(1.0, decay_steps=4)
        >>> [round(schedule(t), 4) for t in range(9)]
        [1.0, 0.8536, 0.5, 0.1464, 0.0, 0.1464, 0.5, 0.8536, 1.0]

    Equivalents:
        PyTorch ``CosineAnnealingLR(optimizer, T_max, eta_min)`` with the
        optimiser's ``lr`` is ``cosine_annealing_schedule(lr, T_max, eta_min)``.

    Reference:
        PyTorch ``torch.optim.lr_scheduler.CosineAnnealingLR``,
        https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html;
        I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with Warm
        Restarts", ICLR 2017.
    """
    init = positive("init_value", init_value)
    steps = count("decay_steps", decay_steps, minimum=1)
    end = non_negative("end_value", end_value)
    if end > init:
        raise ValueError(f"end_value must be <= init_value ({show(init)}), got {show(end)}")
    period = 2 * steps

    def rate(step: int) -> float:
        phase = step % period  # exact in ints: the wave repeats every 2 * decay_steps
        if phase == 0:
            return init
        if phase == steps:
            return end
        return end + (init - end) * cosine_weight(phase, steps)

    params = {"init_value": init, "decay_steps": steps, "end_value": end}
    return ScheduleFunction("cosine_annealing_schedule", params, rate)
