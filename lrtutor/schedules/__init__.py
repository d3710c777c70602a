"""Learning-rate schedules in optax's form: factories returning ``step -> learning rate``.

Steps count optimiser updates from 0 (optax, Keras; PyTorch counts ``scheduler.step()``
calls, one per update assumed in the docstrings; fastai the fraction of training done).
A factory checks its arguments when called and raises where optax would fall back to a
constant. The families, one module each: ``decay``, ``cosine``, ``cycles``, ``fastai``;
every name is importable from here and from ``lrtutor``. The page
[Decay the learning rate](decay.md) teaches them.

    >>> import numpy as np
    >>> schedule = exponential_decay(1.0, transition_steps=2, decay_rate=0.5, staircase=True)
    >>> schedule(3), schedule(np.arange(4)).tolist()
    (0.5, [1.0, 1.0, 0.5, 0.5])

Reference:
    optax schedules, https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html
"""

from __future__ import annotations

from .._validate import MAX_STEP
from ._base import Schedule, ScheduleFunction
from .cosine import cosine_annealing_schedule, cosine_decay_schedule, warmup_cosine_decay_schedule
from .cycles import (
    cosine_onecycle_schedule,
    join_schedules,
    linear_onecycle_schedule,
    sgdr_schedule,
)
from .decay import (
    constant_schedule,
    exponential_decay,
    inverse_sqrt_decay,
    inverse_time_decay,
    linear_schedule,
    piecewise_constant_schedule,
    polynomial_schedule,
)
from .fastai import fastai_combined_cos_schedule, fastai_cos_schedule, fastai_poly_schedule

__all__ = [
    "MAX_STEP",
    "Schedule",
    "ScheduleFunction",
    "constant_schedule",
    "cosine_annealing_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "exponential_decay",
    "fastai_combined_cos_schedule",
    "fastai_cos_schedule",
    "fastai_poly_schedule",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "piecewise_constant_schedule",
    "polynomial_schedule",
    "sgdr_schedule",
    "warmup_cosine_decay_schedule",
]
