"""Properties of lrtutor over random inputs (hypothesis).

* Whatever is passed, the public functions either work or raise the documented
  ``ValueError``/``TypeError``; no other exception and no warning escapes (pytest runs
  with ``filterwarnings = error``, so a NumPy overflow warning would fail here).
* On quadratics the ``diverged`` flag is right. With a (possibly scheduled) rate
  ``lr_s`` each coordinate is multiplied by ``1 - lr_s * L_i`` per update, so the loss
  after ``t`` updates is known in closed form. We compare it, in logarithms, with
  the runner's limit ``1e100``: the run must diverge if the closed-form loss exceeds the
  limit within its updates, and must not otherwise. Near the limit the float run
  may round either way, so each assertion is made only where the closed form is
  further from the limit than a bound on the accumulated rounding error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lrtutor import (
    CUBIC,
    SQUARE,
    Loss,
    Trajectory,
    constant_schedule,
    cosine_decay_schedule,
    diagonal_quadratic,
    exponential_decay,
    inverse_time_decay,
    linear_schedule,
    piecewise_constant_schedule,
    polynomial_schedule,
    quadratic,
    run_gradient_descent,
    steps_to_tolerance,
    warmup_cosine_decay_schedule,
)

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: The runner's divergence threshold on the loss (lrtutor.descent.MAX_LOSS).
LIMIT_LOG10 = 100.0
#: Unit roundoff of float64.
U = 2.0**-53

# -- strategies ----------------------------------------------------------------------------

positive = st.floats(min_value=1e-3, max_value=1e3)
rates = st.floats(min_value=1e-6, max_value=5.0)
counts = st.integers(min_value=1, max_value=200)
steps = st.integers(min_value=0, max_value=10_000)


@st.composite
def schedules(draw: st.DrawFn) -> Callable[[int], float]:
    """A schedule from one of the factories, with valid random arguments."""
    init = draw(rates)
    end = draw(st.floats(min_value=0.0, max_value=5.0))
    n = draw(counts)
    begin = draw(st.integers(min_value=0, max_value=50))
    kind = draw(st.sampled_from(
        ["constant", "piecewise", "exponential", "inverse", "polynomial", "linear",
         "cosine", "warmup"]
    ))
    if kind == "constant":
        return constant_schedule(init)
    if kind == "piecewise":
        scales = draw(st.dictionaries(steps, st.floats(min_value=0.0, max_value=3.0),
                                      max_size=4))
        return piecewise_constant_schedule(init, scales)
    if kind == "exponential":
        decay = draw(st.floats(min_value=0.01, max_value=2.0))
        bound = draw(st.none() | st.floats(min_value=0.0, max_value=5.0))
        if bound is not None and (bound > init) != (decay >= 1):
            bound = init
        return exponential_decay(init, n, decay, begin, draw(st.booleans()), bound)
    if kind == "inverse":
        return inverse_time_decay(init, draw(positive), n, draw(st.booleans()))
    if kind == "polynomial":
        return polynomial_schedule(init, end, draw(st.floats(0.1, 5.0)), n, begin)
    if kind == "linear":
        return linear_schedule(init, end, n, begin)
    if kind == "cosine":
        return cosine_decay_schedule(init, n, draw(st.floats(0.0, 1.0)),
                                     draw(st.floats(0.1, 5.0)))
    peak = max(init, end)
    start = draw(st.floats(min_value=0.0, max_value=peak))
    warmup = draw(st.integers(min_value=0, max_value=n - 1))
    return warmup_cosine_decay_schedule(start, peak, warmup, n, min(end, peak),
                                        draw(st.floats(0.1, 5.0)))


@st.composite
def quadratics(draw: st.DrawFn) -> Loss:
    """``x**2``, ``a * x**2`` or ``0.5 * sum(L_i * x_i**2)`` with random curvatures."""
    kind = draw(st.sampled_from(["square", "quadratic", "diagonal"]))
    if kind == "square":
        return SQUARE
    if kind == "quadratic":
        return quadratic(draw(positive))
    return diagonal_quadratic(draw(st.lists(positive, min_size=1, max_size=3)))


def starts(loss: Loss) -> st.SearchStrategy[Any]:
    """Finite starts, from tiny to so large that the start itself is refused."""
    coordinate = st.floats(min_value=-1e60, max_value=1e60)
    if loss.dim == 1:
        return coordinate
    return st.lists(coordinate, min_size=loss.dim, max_size=loss.dim).map(np.array)


#: Anything at all, for the arguments a caller might get wrong.
junk = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3),
    st.lists(st.floats(), max_size=3), st.just(np.array([1.0, 2.0])), st.just(np.nan),
    st.complex_numbers(), st.just(object()),
)


def bad_schedule(value: Any) -> Callable[[int], Any]:
    return lambda step: value


# -- only the documented errors --------------------------------------------------------------


def run_or_refuse(call: Callable[[], Any]) -> Any:
    """The call's result, or ``None`` if it raised ValueError or TypeError."""
    try:
        return call()
    except (ValueError, TypeError):
        return None


@SETTINGS
@given(
    loss=st.one_of(st.just(SQUARE), st.just(CUBIC), quadratics()),
    x0=st.one_of(junk, st.floats(-1e6, 1e6)),
    rate=st.one_of(junk, rates, schedules(), junk.map(bad_schedule)),
    n_steps=st.one_of(junk.filter(lambda v: not isinstance(v, int) or v < 100),
                      st.integers(0, 100)),
)
def test_descent_raises_only_documented_errors(
    loss: Loss, x0: Any, rate: Any, n_steps: Any
) -> None:
    run = run_or_refuse(lambda: run_gradient_descent(loss, x0, rate, n_steps))
    if run is not None:
        check_trajectory(run, loss, rate, n_steps)
    run_or_refuse(lambda: steps_to_tolerance(loss, x0, rate, 0.01, max_steps=100))


@SETTINGS
@given(a=junk, curvatures=st.one_of(junk, st.lists(junk, max_size=3)))
def test_losses_raise_only_documented_errors(a: Any, curvatures: Any) -> None:
    loss = run_or_refuse(lambda: quadratic(a))
    if loss is not None:
        assert loss.curvatures == (2 * float(a),)
    run_or_refuse(lambda: diagonal_quadratic(curvatures))


FACTORIES = [
    constant_schedule, piecewise_constant_schedule, exponential_decay, inverse_time_decay,
    polynomial_schedule, linear_schedule, cosine_decay_schedule,
    warmup_cosine_decay_schedule,
]


@SETTINGS
@given(
    factory=st.sampled_from(FACTORIES),
    args=st.lists(st.one_of(junk, st.integers(-3, 30), st.floats(-1.0, 3.0),
                            st.dictionaries(st.integers(-2, 30), junk, max_size=2)),
                  max_size=6),
    step=st.one_of(junk, steps),
)
def test_schedule_factories_raise_only_documented_errors(
    factory: Callable[..., Any], args: list[Any], step: Any
) -> None:
    schedule = run_or_refuse(lambda: factory(*args))
    if schedule is not None:
        value = run_or_refuse(lambda: schedule(step))
        if value is not None and not isinstance(value, np.ndarray):
            assert isinstance(value, float) and value >= 0


@SETTINGS
@given(schedule=schedules(), step=steps)
def test_schedules_give_finite_rates(schedule: Callable[[int], float], step: int) -> None:
    try:
        value = schedule(step)
    except ValueError as error:  # a growth past the float range is refused, never inf
        assert "not a finite rate" in str(error)
        with pytest.raises(ValueError, match="not a finite rate"):
            schedule(np.array([step]))
        return
    assert isinstance(value, float) and math.isfinite(value) and value >= 0
    assert schedule(np.array([step])).tolist() == [value]


def check_trajectory(run: Trajectory, loss: Loss, rate: Any, n_steps: int) -> None:
    """What every run promises: shapes, rates used, and a consistent diverged flag."""
    done = run.n_steps
    shape = (done + 1,) if loss.dim == 1 else (done + 1, loss.dim)
    assert run.positions.shape == shape and run.slopes.shape == shape
    assert run.losses.shape == (done + 1,)
    assert np.all(np.isfinite(run.losses)) and np.all(np.abs(run.losses) <= 1e100)
    if run.diverged:
        assert run.diverged_at == done < n_steps
    else:
        assert run.diverged_at is None and done == n_steps
    expected = [float(rate(t) if callable(rate) else rate) for t in range(done)]
    assert run.learning_rates.tolist() == expected


# -- the diverged flag on quadratics ---------------------------------------------------------


def closed_form_log_losses(
    loss: Loss, x0: Any, rates_used: list[float]
) -> tuple[list[float], list[float]]:
    """log10 of the closed-form loss after 0, 1, ... updates, and its rounding bound.

    Coordinate ``i`` after ``t`` updates is ``x0_i * prod_s (1 - lr_s * L_i)``. The float
    runner computes ``x - lr * (L * x)``: about 4 roundings per update, a relative error
    of at most ``4u (1 + lr*L) / |1 - lr*L|`` of the exact step; the loss adds 4 more.
    """
    curvatures = np.array(loss.curvatures)
    coeff = 0.5 * curvatures  # loss = sum(L_i / 2 * x_i**2), also for a * x**2 (L = 2a)
    x = np.atleast_1d(np.asarray(x0, dtype=float))
    with np.errstate(divide="ignore"):
        logs = np.log10(coeff) + 2 * np.log10(np.abs(x))  # -inf for a zero coordinate
    error = 8 * U
    out, bounds = [], []
    for t in range(len(rates_used) + 1):
        top = float(np.max(logs))
        total = -math.inf if top == -math.inf else top + math.log10(
            float(np.sum(10.0 ** (logs - top)))
        )
        out.append(total)
        bounds.append(2 * error / math.log(10) + 1e-12)
        if t == len(rates_used):
            break
        products = rates_used[t] * curvatures
        factors = np.abs(1 - products)
        with np.errstate(divide="ignore"):
            logs = logs + 2 * np.log10(factors)
            error += float(np.max(4 * U * (1 + products) / factors))
    return out, bounds


@SETTINGS
@given(data=st.data(), loss=quadratics(), rate=st.one_of(rates, schedules()), n_steps=counts)
def test_diverged_flag_matches_closed_form(
    data: st.DataObject, loss: Loss, rate: Any, n_steps: int
) -> None:
    x0 = data.draw(starts(loss))
    used = [rate(t) if callable(rate) else rate for t in range(n_steps)]
    if not all(math.isfinite(lr) for lr in used):  # a rate grown to inf: refused if reached
        run = run_or_refuse(lambda: run_gradient_descent(loss, x0, rate, n_steps))
        if run is not None:
            check_trajectory(run, loss, rate, n_steps)
        return
    logs, bounds = closed_form_log_losses(loss, x0, used)
    if logs[0] > LIMIT_LOG10 + bounds[0]:  # the start's loss is already beyond the limit
        assert run_or_refuse(lambda: run_gradient_descent(loss, x0, rate, n_steps)) is None
        return
    if logs[0] >= LIMIT_LOG10 - bounds[0]:
        return  # at the limit: either way is right
    run = run_gradient_descent(loss, x0, rate, n_steps)
    check_trajectory(run, loss, rate, n_steps)
    over = [t for t in range(n_steps + 1) if logs[t] > LIMIT_LOG10 + bounds[t]]
    near = [t for t in range(n_steps + 1) if abs(logs[t] - LIMIT_LOG10) <= bounds[t]]
    if over and not [t for t in near if t < over[0]]:
        event("diverges (checked)")
        assert run.diverged, (logs[over[0]], over[0])
        assert run.diverged_at == over[0] - 1  # update over[0] - 1 gave x_{over[0]}
    elif not over and not near:
        event("stays below the limit (checked)")
        assert not run.diverged, max(logs)
    else:
        event("within rounding of the limit (not checked)")
