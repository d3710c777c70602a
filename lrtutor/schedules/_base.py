"""The schedule type and the callable every factory returns (private module)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any, overload

import numpy as np

from .._validate import MAX_STEP, non_negative, show

Schedule = Callable[[int], float]
"""A learning-rate schedule: update counter ``step`` (from 0) -> learning rate."""


class ScheduleFunction:
    """A schedule returned by the factories of [`lrtutor.schedules`][lrtutor.schedules].

    Calling it with an ``int`` step (0 to ``2**63 - 1``) gives a ``float``; with an
    integer NumPy array of steps, a float array of the same shape (each entry
    computed exactly as the scalar call would). A rate that would not be finite (a
    growing exponential past the float range, a scale that overflows) raises
    ``ValueError`` naming the schedule and the step, never returns inf or NaN. The
    ``repr`` shows the factory call that made it.
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
            values = [self._value(int(s)) for s in step.ravel()]
            return np.array(values, dtype=float).reshape(step.shape)
        if isinstance(step, bool) or not isinstance(step, numbers.Integral):
            raise TypeError(f"step must be an int, got {type(step).__name__}")
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        if step > MAX_STEP:
            raise ValueError(f"step must be <= 2**63 - 1, got {step}")
        return self._value(int(step))

    def _value(self, step: int) -> float:
        """The rate at ``step``, refused unless finite (an overflow is an error, not inf)."""
        value = float(self._rate(step))
        if not math.isfinite(value):
            why = " (it grows past the float range)" if value == math.inf else ""
            raise ValueError(
                f"{self._name} at step {step} is {show(value)}, not a finite "
                f"rate{why}"
            )
        return value

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self._params.items())
        return f"{self._name}({args})"


def end_points(init_value: object, end_value: object) -> tuple[float, float]:
    """Two rates, each finite and >= 0, not both 0 (the rate would stay 0)."""
    init = non_negative("init_value", init_value)
    end = non_negative("end_value", end_value)
    if init == 0 and end == 0:
        raise ValueError("init_value and end_value must not both be 0 (the rate would stay 0)")
    return init, end


def cosine_weight(elapsed: int, steps: int, exponent: float = 1.0) -> float:
    """``(0.5 * (1 + cos(pi * elapsed / steps))) ** exponent``."""
    return (0.5 * (1 + math.cos(math.pi * elapsed / steps))) ** exponent
