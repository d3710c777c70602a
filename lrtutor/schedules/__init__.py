"""Learning-rate schedules: functions ``step -> learning rate``.

Each factory here checks its arguments once, when it is called, and returns a
schedule: a function of the update counter ``step`` (0, 1, 2, ...; the value at
``step`` is the learning rate used for update ``step``). This is the functional form
of optax (``optax.schedules``): same function names, same parameter names, same
formulas. Where optax logs a message and quietly falls back to a constant schedule
for a nonsensical argument (for example ``transition_steps <= 0``), these factories
raise instead. Schedules optax lacks (PyTorch's ever-repeating cosine, d2l's
square-root decay, fastai's annealers) keep optax's parameter names and say which
library they mirror.

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
stated below assume one ``scheduler.step()`` per update. fastai's schedules take
the fraction of training done, ``pos = step / total_steps``.

The schedules come in families, one module each: ``decay`` (constant, piecewise,
exponential, inverse-time, square-root, polynomial, linear), ``cosine``,
``cycles`` (joined schedules, warm restarts, one-cycle) and ``fastai``. Every name
is importable from ``lrtutor.schedules`` and from ``lrtutor``.

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
