"""Tests for lrtutor.schedules: closed forms, known values, shapes and argument checks."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from lrtutor.descent import run_gradient_descent
from lrtutor.losses import SQUARE, diagonal_quadratic
from lrtutor.schedules import (
    Schedule,
    constant_schedule,
    cosine_decay_schedule,
    exponential_decay,
    inverse_time_decay,
    linear_schedule,
    piecewise_constant_schedule,
    polynomial_schedule,
    warmup_cosine_decay_schedule,
)

STEPS = range(9)  # 0..8


def _cos_factor(t: int, n: int, exponent: float = 1.0) -> float:
    return (0.5 * (1 + math.cos(math.pi * min(t, n) / n))) ** exponent


# Each case: (schedule, independent closed form step -> rate). The closed forms are
# written out from the formulas, not by calling the module.
CLOSED_FORMS: list[tuple[str, Schedule, Callable[[int], float]]] = [
    ("constant", constant_schedule(0.3), lambda t: 0.3),
    (
        "piecewise",
        piecewise_constant_schedule(2.0, {6: 0.1, 3: 0.5}),
        lambda t: 2.0 * (0.5 if t >= 3 else 1) * (0.1 if t >= 6 else 1),
    ),
    (
        "exponential smooth",
        exponential_decay(0.8, transition_steps=3, decay_rate=0.7),
        lambda t: 0.8 * 0.7 ** (t / 3),
    ),
    (
        "exponential staircase",
        exponential_decay(0.8, transition_steps=3, decay_rate=0.7, staircase=True),
        lambda t: 0.8 * 0.7 ** math.floor(t / 3),
    ),
    (
        "exponential begin + end",
        exponential_decay(1.0, 2, 0.5, transition_begin=2, end_value=0.2),
        lambda t: max(0.2, 1.0 * 0.5 ** (max(t - 2, 0) / 2)),
    ),
    (
        "exponential growth capped",
        exponential_decay(0.1, 1, 2.0, end_value=1.0),
        lambda t: min(1.0, 0.1 * 2.0**t),
    ),
    (
        "inverse time smooth",
        inverse_time_decay(0.9, decay_rate=0.5, transition_steps=2),
        lambda t: 0.9 / (1 + 0.5 * t / 2),
    ),
    (
        "inverse time staircase",
        inverse_time_decay(0.9, decay_rate=0.5, transition_steps=2, staircase=True),
        lambda t: 0.9 / (1 + 0.5 * math.floor(t / 2)),
    ),
    (
        "polynomial",
        polynomial_schedule(1.0, 0.1, power=2.0, transition_steps=5, transition_begin=1),
        lambda t: (1.0 - 0.1) * (1 - min(max(t - 1, 0), 5) / 5) ** 2 + 0.1,
    ),
    (
        "polynomial sqrt",
        polynomial_schedule(0.5, 0.0, power=0.5, transition_steps=6),
        lambda t: 0.5 * (1 - min(t, 6) / 6) ** 0.5,
    ),
    (
        "linear decay",
        linear_schedule(1.0, 0.2, transition_steps=4, transition_begin=2),
        lambda t: 1.0 + (0.2 - 1.0) * min(max(t - 2, 0), 4) / 4,
    ),
    (
        "linear warmup",
        linear_schedule(0.0, 0.6, transition_steps=5),
        lambda t: 0.6 * min(t, 5) / 5,
    ),
    (
        "cosine",
        cosine_decay_schedule(0.4, decay_steps=6),
        lambda t: 0.4 * _cos_factor(t, 6),
    ),
    (
        "cosine alpha exponent",
        cosine_decay_schedule(0.4, decay_steps=5, alpha=0.25, exponent=2.0),
        lambda t: 0.4 * ((1 - 0.25) * _cos_factor(t, 5, 2.0) + 0.25),
    ),
    (
        "warmup cosine",
        warmup_cosine_decay_schedule(0.1, 1.0, warmup_steps=3, decay_steps=7, end_value=0.05),
        lambda t: (
            0.1 + (1.0 - 0.1) * t / 3
            if t < 3
            else 1.0 * ((1 - 0.05) * _cos_factor(t - 3, 4) + 0.05)  # optax's alpha form
        ),
    ),
    (
        "warmup cosine no warmup",
        warmup_cosine_decay_schedule(0.0, 0.5, warmup_steps=0, decay_steps=4, exponent=3.0),
        lambda t: 0.5 * _cos_factor(t, 4, 3.0),
    ),
]


@pytest.mark.parametrize(
    ("schedule", "closed_form"),
    [case[1:] for case in CLOSED_FORMS],
    ids=[case[0] for case in CLOSED_FORMS],
)
def test_matches_closed_form(schedule: Schedule, closed_form: Callable[[int], float]) -> None:
    for t in STEPS:
        value = schedule(t)
        assert type(value) is float
        assert value == pytest.approx(closed_form(t), rel=1e-13, abs=1e-300), t


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (exponential_decay(1.0, 2, 0.5, staircase=True), [1, 1, 0.5, 0.5, 0.25, 0.25]),
        (exponential_decay(1.0, 2, 0.25), [1, 0.5, 0.25, 0.125, 0.0625, 0.03125]),
        (piecewise_constant_schedule(1.0, {2: 0.5, 4: 0.5}), [1, 1, 0.5, 0.5, 0.25, 0.25]),
        (piecewise_constant_schedule(1.0, {0: 0.5}), [0.5] * 6),
        (inverse_time_decay(1.0, decay_rate=1.0), [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6]),
        (polynomial_schedule(1.0, 0.0, 2, 4), [1, 0.5625, 0.25, 0.0625, 0, 0]),
        (linear_schedule(0.0, 1.0, 4), [0, 0.25, 0.5, 0.75, 1, 1]),
        (linear_schedule(1.0, 0.5, 2, transition_begin=1), [1, 1, 0.75, 0.5, 0.5, 0.5]),
        (cosine_decay_schedule(1.0, 2), [1, 0.5, 0, 0, 0, 0]),
        (warmup_cosine_decay_schedule(0.0, 1.0, 2, 4), [0, 0.5, 1, 0.5, 0, 0]),
    ],
)
def test_known_values(schedule: Schedule, expected: list[float]) -> None:
    assert [schedule(t) for t in range(6)] == [float(v) for v in expected]


def test_exponential_decay_exact_powers() -> None:
    """Staircase decay by 1/2 is exact: compare with Fractions."""
    schedule = exponential_decay(3.0, transition_steps=3, decay_rate=0.5, staircase=True)
    for t in range(40):
        assert Fraction(schedule(t)) == 3 * Fraction(1, 2) ** (t // 3)


def test_piecewise_changes_at_the_boundary() -> None:
    """optax: the new value applies at step == boundary (Keras: at boundary + 1)."""
    schedule = piecewise_constant_schedule(0.1, {100: 0.1})
    assert schedule(99) == 0.1
    assert schedule(100) == 0.1 * 0.1


def test_cosine_holds_the_floor_after_decay_steps() -> None:
    schedule = cosine_decay_schedule(0.5, decay_steps=10, alpha=0.2)
    assert schedule(0) == 0.5
    floor = 0.5 * 0.2
    assert [schedule(t) for t in range(10, 30)] == [floor] * 20
    # Unlike PyTorch's CosineAnnealingLR, it does not rise again after decay_steps.
    assert schedule(15) == schedule(10) < schedule(9)


@pytest.mark.parametrize(
    ("init_value", "peak_value", "warmup_steps", "decay_steps", "end_value"),
    [
        (0.0, 1.0, 5, 20, 0.0),
        (0.01, 0.3, 3, 10, 0.003),
        (0.2, 0.2, 4, 7, 0.1),
        (0.0, 0.7, 0, 9, 0.1),
    ],
)
def test_warmup_peaks_then_reaches_end_value(
    init_value: float, peak_value: float, warmup_steps: int, decay_steps: int, end_value: float
) -> None:
    schedule = warmup_cosine_decay_schedule(
        init_value, peak_value, warmup_steps, decay_steps, end_value=end_value
    )
    values = schedule(np.arange(decay_steps + 10))
    assert values[0] == (init_value if warmup_steps else peak_value)
    assert values[warmup_steps] == peak_value
    assert values.max() == peak_value
    assert int(np.argmax(values)) == (warmup_steps if init_value < peak_value else 0)
    assert np.all(np.diff(values[: warmup_steps + 1]) >= 0)  # warmup rises
    assert np.all(np.diff(values[warmup_steps:]) <= 0)  # then falls
    assert values[decay_steps - 1] > end_value
    assert np.all(values[decay_steps:] == end_value)


@pytest.mark.parametrize(
    "schedule",
    [
        piecewise_constant_schedule(1.0, {5: 0.5, 50: 0.1, 120: 1.0}),
        exponential_decay(1.0, 7, 0.9),
        exponential_decay(1.0, 7, 0.9, staircase=True, transition_begin=13, end_value=0.01),
        inverse_time_decay(2.0, 0.3, 4),
        inverse_time_decay(2.0, 0.3, 4, staircase=True),
        polynomial_schedule(1.0, 0.01, 3.0, 150, transition_begin=10),
        polynomial_schedule(1.0, 0.0, 0.3, 100),
        linear_schedule(0.5, 0.0, 77),
        cosine_decay_schedule(1.0, 150, alpha=0.05, exponent=1.5),
        warmup_cosine_decay_schedule(0.0, 1.0, 0, 180, end_value=1e-3),
    ],
    ids=repr,
)
def test_monotone_non_increasing(schedule: Schedule) -> None:
    values = schedule(np.arange(250))
    assert np.all(np.diff(values) <= 0)
    assert np.all(values >= 0)


def test_array_of_steps_matches_scalar_calls() -> None:
    schedule = warmup_cosine_decay_schedule(0.01, 0.5, 4, 20, end_value=0.02)
    steps = np.arange(30).reshape(5, 6)
    values = schedule(steps)
    assert values.shape == (5, 6)
    assert values.dtype == np.float64
    assert values.tolist() == [[schedule(int(t)) for t in row] for row in steps]
    assert schedule(np.arange(3, dtype=np.uint8)).tolist() == [schedule(t) for t in range(3)]
    assert schedule(np.array([], dtype=int)).shape == (0,)
    assert schedule(np.int64(7)) == schedule(7)
    assert type(schedule(np.int64(7))) is float


def test_repr_shows_arguments() -> None:
    assert repr(constant_schedule(0.5)) == "constant_schedule(value=0.5)"
    assert repr(exponential_decay(1, 2, 0.5)).startswith(
        "exponential_decay(init_value=1.0, transition_steps=2, decay_rate=0.5"
    )


# ---------------------------------------------------------------- with the runner


def test_constant_schedule_run_equals_constant_rate_run() -> None:
    by_schedule = run_gradient_descent(SQUARE, 2.0, constant_schedule(0.25), 10)
    by_constant = run_gradient_descent(SQUARE, 2.0, 0.25, 10)
    assert by_schedule.positions.tolist() == by_constant.positions.tolist()
    assert by_schedule.learning_rates.tolist() == [0.25] * 10


def test_runner_uses_rate_of_each_step() -> None:
    schedule = exponential_decay(0.5, 1, 0.5)
    run = run_gradient_descent(SQUARE, 2.0, schedule, 6)
    assert run.learning_rates.tolist() == [schedule(t) for t in range(6)]
    x = 2.0
    for t in range(6):
        x = x - schedule(t) * (2 * x)
    assert run.final_x == x


@pytest.mark.parametrize(
    "schedule",
    [
        piecewise_constant_schedule(0.19, {10: 0.5}),
        warmup_cosine_decay_schedule(0.0, 0.19, 5, 60),
        linear_schedule(0.0, 0.19, 10),
    ],
    ids=repr,
)
def test_schedules_converge_on_two_parameters(schedule: Schedule) -> None:
    run = run_gradient_descent(diagonal_quadratic([1.0, 10.0]), [1.0, 1.0], schedule, 60)
    assert not run.diverged
    assert run.distances()[-1] < 0.2 * run.distances()[0]


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(
    ("factory", "kwargs", "error", "match"),
    [
        (constant_schedule, {"value": 0.0}, ValueError, "value must be finite and > 0"),
        (constant_schedule, {"value": -0.1}, ValueError, "value"),
        (constant_schedule, {"value": math.inf}, ValueError, "value"),
        (constant_schedule, {"value": math.nan}, ValueError, "value"),
        (constant_schedule, {"value": True}, TypeError, "value must be a real number"),
        (constant_schedule, {"value": "0.1"}, TypeError, "value"),
        (piecewise_constant_schedule, {"init_value": 0}, ValueError, "init_value"),
        (
            piecewise_constant_schedule,
            {"init_value": 1.0, "boundaries_and_scales": {5: -0.5}},
            ValueError,
            r"boundaries_and_scales\[5\] must be finite and >= 0",
        ),
        (
            piecewise_constant_schedule,
            {"init_value": 1.0, "boundaries_and_scales": {-1: 0.5}},
            ValueError,
            "boundaries_and_scales boundary -1 must be an int >= 0",
        ),
        (
            piecewise_constant_schedule,
            {"init_value": 1.0, "boundaries_and_scales": {2.5: 0.5}},
            TypeError,
            "boundaries_and_scales boundary 2.5 must be an int",
        ),
        (
            piecewise_constant_schedule,
            {"init_value": 1.0, "boundaries_and_scales": [(2, 0.5)]},
            TypeError,
            "boundaries_and_scales must be a dict",
        ),
        (
            exponential_decay,
            {"init_value": -1, "transition_steps": 2, "decay_rate": 0.5},
            ValueError,
            "init_value",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 0, "decay_rate": 0.5},
            ValueError,
            "transition_steps must be an int >= 1",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2.0, "decay_rate": 0.5},
            TypeError,
            "transition_steps must be an int",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": True, "decay_rate": 0.5},
            TypeError,
            "transition_steps",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": 0.0},
            ValueError,
            "decay_rate must be finite and > 0",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": -0.5},
            ValueError,
            "decay_rate",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": 0.5, "transition_begin": -1},
            ValueError,
            "transition_begin must be an int >= 0",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": 0.5, "staircase": 1},
            TypeError,
            "staircase must be a bool",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": 0.5, "end_value": 2.0},
            ValueError,
            "end_value must be <= init_value",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": 2.0, "end_value": 0.5},
            ValueError,
            "end_value must be >= init_value",
        ),
        (
            exponential_decay,
            {"init_value": 1, "transition_steps": 2, "decay_rate": 0.5, "end_value": -0.1},
            ValueError,
            "end_value must be finite and >= 0",
        ),
        (inverse_time_decay, {"init_value": 1, "decay_rate": 0}, ValueError, "decay_rate"),
        (
            inverse_time_decay,
            {"init_value": 1, "decay_rate": 1, "transition_steps": 0},
            ValueError,
            "transition_steps must be an int >= 1",
        ),
        (
            inverse_time_decay,
            {"init_value": 1, "decay_rate": 1, "staircase": "yes"},
            TypeError,
            "staircase",
        ),
        (
            polynomial_schedule,
            {"init_value": 1, "end_value": 0, "power": 0, "transition_steps": 5},
            ValueError,
            "power must be finite and > 0",
        ),
        (
            polynomial_schedule,
            {"init_value": 1, "end_value": 0, "power": 1, "transition_steps": 0},
            ValueError,
            "transition_steps must be an int >= 1",
        ),
        (
            polynomial_schedule,
            {"init_value": -1, "end_value": 0, "power": 1, "transition_steps": 5},
            ValueError,
            "init_value must be finite and >= 0",
        ),
        (
            linear_schedule,
            {"init_value": 0, "end_value": 0, "transition_steps": 5},
            ValueError,
            "init_value and end_value must not both be 0",
        ),
        (
            linear_schedule,
            {"init_value": 1, "end_value": -0.5, "transition_steps": 5},
            ValueError,
            "end_value",
        ),
        (
            linear_schedule,
            {"init_value": 1, "end_value": 0, "transition_steps": -3},
            ValueError,
            "transition_steps",
        ),
        (
            cosine_decay_schedule,
            {"init_value": 1, "decay_steps": 0},
            ValueError,
            "decay_steps must be an int >= 1",
        ),
        (
            cosine_decay_schedule,
            {"init_value": 1, "decay_steps": 10, "alpha": 1.5},
            ValueError,
            r"alpha must be in \[0, 1\]",
        ),
        (
            cosine_decay_schedule,
            {"init_value": 1, "decay_steps": 10, "alpha": -0.1},
            ValueError,
            r"alpha must be in \[0, 1\]",
        ),
        (
            cosine_decay_schedule,
            {"init_value": 1, "decay_steps": 10, "alpha": None},
            TypeError,
            "alpha must be a real number",
        ),
        (
            cosine_decay_schedule,
            {"init_value": 1, "decay_steps": 10, "exponent": 0},
            ValueError,
            "exponent",
        ),
        (
            cosine_decay_schedule,
            {"init_value": 0, "decay_steps": 10},
            ValueError,
            "init_value must be finite and > 0",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": 0, "peak_value": 1, "warmup_steps": 10, "decay_steps": 10},
            ValueError,
            "warmup_steps must be < decay_steps",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": 0, "peak_value": 1, "warmup_steps": 20, "decay_steps": 10},
            ValueError,
            "warmup_steps must be < decay_steps",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": 0, "peak_value": 1, "warmup_steps": -1, "decay_steps": 10},
            ValueError,
            "warmup_steps must be an int >= 0",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": 0, "peak_value": 0, "warmup_steps": 1, "decay_steps": 10},
            ValueError,
            "peak_value must be finite and > 0",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": 2, "peak_value": 1, "warmup_steps": 1, "decay_steps": 10},
            ValueError,
            "init_value must be <= peak_value",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": -1, "peak_value": 1, "warmup_steps": 1, "decay_steps": 10},
            ValueError,
            "init_value must be finite and >= 0",
        ),
        (
            warmup_cosine_decay_schedule,
            {
                "init_value": 0,
                "peak_value": 1,
                "warmup_steps": 1,
                "decay_steps": 10,
                "end_value": 2,
            },
            ValueError,
            "end_value must be <= peak_value",
        ),
        (
            warmup_cosine_decay_schedule,
            {"init_value": 0, "peak_value": 1, "warmup_steps": 1, "decay_steps": 10.0},
            TypeError,
            "decay_steps must be an int",
        ),
    ],
)
def test_invalid_arguments(
    factory: Callable[..., Schedule], kwargs: dict, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        factory(**kwargs)


@pytest.mark.parametrize(
    ("step", "error", "match"),
    [
        (-1, ValueError, "step must be >= 0"),
        (np.array([0, 3, -2]), ValueError, "step must be >= 0"),
        (1.0, TypeError, "step must be an int"),
        (True, TypeError, "step must be an int"),
        ("3", TypeError, "step must be an int"),
        (np.array([0.0, 1.0]), TypeError, "step must be an int or an array of ints"),
        (np.array([True]), TypeError, "step"),
    ],
)
def test_invalid_step(step: object, error: type[Exception], match: str) -> None:
    schedule = exponential_decay(1.0, 2, 0.5)
    with pytest.raises(error, match=match):
        schedule(step)  # type: ignore[call-overload]
