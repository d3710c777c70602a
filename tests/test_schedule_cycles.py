"""The schedules added after optax's decays, checked against the libraries they mirror.

Expected values come from each library's own tests or documentation (cited at each
test, with the file and the version read), or from the library's documented closed
form evaluated here with independent arithmetic (exact cosines at multiples of pi/3
and pi/4). None is computed by calling lrtutor.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrtutor import (
    constant_schedule,
    cosine_annealing_schedule,
    cosine_decay_schedule,
    cosine_onecycle_schedule,
    fastai_combined_cos_schedule,
    fastai_cos_schedule,
    fastai_poly_schedule,
    inverse_sqrt_decay,
    join_schedules,
    linear_onecycle_schedule,
    linear_schedule,
    polynomial_schedule,
    sgdr_schedule,
)

OPTAX = "google-deepmind/optax@2edbcbe2390da13983b92cbef94ac0460ecde1c5"
FASTAI_NB = "fastai/fastai nbs/14_callback.schedule.ipynb (fastai 2.7)"

# ------------------------------------------------------------------------------- optax


def test_join_schedules_matches_optax_join_test() -> None:
    """optax/schedules/_join_test.py, JoinTest.test_join_schedules (OPTAX)."""
    joined = join_schedules(
        [constant_schedule(1.0), constant_schedule(2.0), constant_schedule(1.0)],
        boundaries=[3, 6],
    )
    assert [joined(t) for t in range(7)] == [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 1.0]


def test_join_restarts_the_step_count_at_each_boundary() -> None:
    """optax/schedules/_join.py: schedule i receives ``step - boundary`` (OPTAX)."""
    joined = join_schedules(
        [constant_schedule(0.5), linear_schedule(1.0, 0.0, transition_steps=4)], [2]
    )
    # the line starts at its own step 0 on step 2: 1, 0.75, 0.5, 0.25, 0
    assert [joined(t) for t in range(8)] == [0.5, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0, 0.0]


def test_linear_onecycle_matches_optax_test() -> None:
    """optax/schedules/_schedule_test.py, OneCycleTest.test_linear (OPTAX)."""
    schedule = linear_onecycle_schedule(
        transition_steps=10, peak_value=1000, pct_start=0.3, pct_final=0.7,
        div_factor=10.0, final_div_factor=100.0,
    )
    expected = [100.0, 400.0, 700.0, 1000.0, 775.0, 550.0, 325.0, 100.0, 67.0, 34.0, 1.0, 1.0]
    np.testing.assert_allclose([schedule(t) for t in range(12)], expected, rtol=0, atol=1e-9)


def test_cosine_onecycle_matches_optax_test() -> None:
    """optax/schedules/_schedule_test.py, OneCycleTest.test_cosine (OPTAX)."""
    schedule = cosine_onecycle_schedule(
        transition_steps=5, peak_value=1000.0, pct_start=0.4, div_factor=10.0,
        final_div_factor=100.0,
    )
    expected = [100.0, 550.0, 1000.0, 750.25, 250.75, 1.0, 1.0]
    np.testing.assert_allclose([schedule(t) for t in range(7)], expected, rtol=0, atol=1e-9)


def test_cosine_onecycle_defaults_follow_optax_formula() -> None:
    """optax: start peak/div_factor (25), end peak/(div_factor*final_div_factor) (1e4),
    peak at int(0.3 * transition_steps)."""
    schedule = cosine_onecycle_schedule(100, 0.5)
    assert schedule(0) == 0.5 / 25
    assert schedule(30) == 0.5
    assert schedule(100) == schedule(10**6) == pytest.approx(0.5 / 25 / 1e4, rel=1e-15)
    # half-way up the rise, the cosine is at the middle: (start + peak) / 2
    assert schedule(15) == pytest.approx((0.02 + 0.5) / 2, rel=1e-12)


@pytest.mark.parametrize(("lr0", "lr1", "lr2"), [(1.6, 0.8, 0.4), (1.6, 1.6, 1.6)])
def test_sgdr_matches_optax_test(lr0: float, lr1: float, lr2: float) -> None:
    """optax/schedules/_schedule_test.py, SGDRTest.test_limits (OPTAX): each cycle is
    at its peak right after its 500 warmup steps."""
    kwargs = [
        {"decay_steps": steps, "peak_value": lr, "init_value": 0, "end_value": 0.0,
         "warmup_steps": 500}
        for steps, lr in zip([2000, 3000, 5000], [lr0, lr1, lr2], strict=True)
    ]
    schedule = sgdr_schedule(kwargs)
    assert (schedule(500), schedule(2500), schedule(5500)) == (lr0, lr1, lr2)
    assert schedule(0) == schedule(2000) == schedule(5000) == 0.0  # each warmup restarts at 0


def test_sgdr_equals_pytorch_warm_restarts_closed_form() -> None:
    """PyTorch CosineAnnealingWarmRestarts(T_0=2, T_mult=2, eta_min=0) with lr 1: its
    documented closed form eta_min + (lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2,
    T_i = 2, 4, 8, T_cur restarting at 0. Exact cosines: cos(pi/2) = 0, cos(pi/4) = sqrt(2)/2."""
    cycles = [
        {"init_value": 1.0, "peak_value": 1.0, "warmup_steps": 0, "decay_steps": 2 * 2**i}
        for i in range(3)
    ]
    schedule = sgdr_schedule(cycles)
    r2 = math.sqrt(2)
    expected = [1.0, 0.5, 1.0, (2 + r2) / 4, 0.5, (2 - r2) / 4, 1.0]
    np.testing.assert_allclose([schedule(t) for t in range(7)], expected, rtol=1e-15, atol=1e-15)
    assert schedule(6 + 4) == pytest.approx(0.5, abs=1e-15)  # half-way through the 8-step cycle


# ---------------------------------------------------------------------------- PyTorch


def test_cosine_annealing_rises_again_past_t_max() -> None:
    """PyTorch CosineAnnealingLR (torch/optim/lr_scheduler.py; documented closed form
    eta_min + (lr - eta_min) * (1 + cos(pi * T_cur / T_max)) / 2, T_cur not clamped):
    lr 1, eta_min 0.1, T_max 3; cos(pi/3) = 1/2, cos(2 pi/3) = -1/2."""
    schedule = cosine_annealing_schedule(1.0, decay_steps=3, end_value=0.1)
    expected = [1.0, 0.775, 0.325, 0.1, 0.325, 0.775, 1.0, 0.775]
    np.testing.assert_allclose([schedule(t) for t in range(8)], expected, rtol=1e-15)
    clamped = cosine_decay_schedule(1.0, decay_steps=3, alpha=0.1)
    assert [clamped(t) for t in (3, 4, 6)] == [pytest.approx(0.1)] * 3
    assert schedule(6 * 10**15 + 1) == pytest.approx(0.775, rel=1e-15)  # exact period


# ------------------------------------------------------------------------------- d2l


def test_inverse_sqrt_decay_is_d2l_square_root_scheduler() -> None:
    """d2l-ai/d2l-en chapter_optimization/lr-scheduler.md, SquareRootScheduler:
    ``lr * pow(num_update + 1.0, -0.5)``; lr 0.1 at updates 0, 3, 8, 99."""
    schedule = inverse_sqrt_decay(0.1)
    assert [schedule(t) for t in (0, 3, 8, 99)] == [0.1, 0.05, pytest.approx(0.1 / 3), 0.01]
    slower = inverse_sqrt_decay(0.1, transition_steps=4)  # halved after 3 * 4 steps
    assert slower(12) == 0.05


# ----------------------------------------------------------------------------- fastai


def test_fastai_cos_matches_fastai_doc_test() -> None:
    """FASTAI_NB, after ``show_doc(SchedCos)``: SchedCos(0, 2) at pos 0, .25, .5, .75, 1
    is [0., 0.29289, 1., 1.70711, 2.] (pos = step / 4 here)."""
    schedule = fastai_cos_schedule(0.0, 2.0, transition_steps=4)
    np.testing.assert_allclose(
        [schedule(t) for t in range(5)], [0.0, 0.29289, 1.0, 1.70711, 2.0], atol=1e-5
    )


def test_fastai_poly_matches_fastai_doc_test_and_differs_from_optax() -> None:
    """FASTAI_NB, after ``show_doc(SchedPoly)``: SchedPoly(0, 2, 2) at pos 0, .25, .5,
    .75, 1 is [0., 0.125, 0.5, 1.125, 2.]."""
    schedule = fastai_poly_schedule(0.0, 2.0, power=2, transition_steps=4)
    assert [schedule(t) for t in range(5)] == [0.0, 0.125, 0.5, 1.125, 2.0]
    # optax's polynomial with the same ends and power: 2 - 2 * (1 - pos)**2 (OPTAX,
    # optax/schedules/_schedule.py polynomial_schedule)
    optax_like = polynomial_schedule(0.0, 2.0, power=2, transition_steps=4)
    assert [optax_like(t) for t in range(5)] == [0.0, 0.875, 1.5, 1.875, 2.0]


def test_fastai_combined_cos_matches_fastai_doc_test() -> None:
    """FASTAI_NB, after ``combined_cos``: combined_cos(0.25, 0.5, 1., 0.) at pos 0, .1,
    .25, .5, 1 is [0.5, 0.67275, 1., 0.75, 0.] (pos = step / 20 here)."""
    schedule = fastai_combined_cos_schedule(20, 0.25, 0.5, 1.0, 0.0)
    np.testing.assert_allclose(
        [schedule(t) for t in (0, 2, 5, 10, 20)], [0.5, 0.67275, 1.0, 0.75, 0.0], atol=1e-5
    )


def test_fastai_one_cycle_recorded_rates() -> None:
    """FASTAI_NB, fit_one_cycle's scheduler test: 20 updates record
    ``combined_cos(0.25, 1e-2/25, 1e-2, 1e-7)(i/20)``; check its ends and its peak from
    fastai's sched_cos formula start + (1 + cos(pi*(1 - pos)))*(end - start)/2."""
    schedule = fastai_combined_cos_schedule(20, 0.25, 1e-2 / 25, 1e-2, 1e-7)
    assert schedule(0) == 1e-2 / 25
    assert schedule(5) == 1e-2
    # last update, pos = 19/20: second phase at (0.95 - 0.25) / 0.75
    p = (19 / 20 - 0.25) / 0.75
    expected = 1e-2 + (1 + math.cos(math.pi * (1 - p))) * (1e-7 - 1e-2) / 2
    assert schedule(19) == pytest.approx(expected)
    assert schedule(20) == 1e-7  # a fastai run never reaches pos = 1; here it holds


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: join_schedules([constant_schedule(1.0)] * 3, [6, 3]), ValueError,
         r"boundaries must be strictly increasing, got boundaries\[0\] = 6"),
        (lambda: join_schedules([constant_schedule(1.0)] * 3, [3, 3]), ValueError,
         "strictly increasing"),
        (lambda: join_schedules([constant_schedule(1.0)] * 3, [3]), ValueError,
         r"boundaries must have len\(schedules\) - 1 = 2 entries, got 1"),
        (lambda: join_schedules([constant_schedule(1.0)] * 2, [0]), ValueError,
         r"boundaries\[0\] must be an int >= 1"),
        (lambda: join_schedules([], []), ValueError, "schedules must hold at least one"),
        (lambda: join_schedules([0.1, 0.2], [3]), TypeError, r"schedules\[0\] must be a schedule"),
        (lambda: join_schedules([lambda t: math.nan], [])(0), ValueError,
         r"schedules\[0\]\(0\) must be finite"),
        (lambda: sgdr_schedule([]), ValueError, "at least one cycle"),
        (lambda: sgdr_schedule([{"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 0,
                                 "decay_steps": 0}]), ValueError,
         r"cosine_kwargs\[0\]: decay_steps must be an int >= 1"),
        (lambda: sgdr_schedule({"decay_steps": 3}), TypeError, "list of dicts"),
        (lambda: cosine_annealing_schedule(1.0, decay_steps=0), ValueError,
         "decay_steps must be an int >= 1"),
        (lambda: cosine_annealing_schedule(1.0, 4, end_value=2.0), ValueError,
         "end_value must be <= init_value"),
        (lambda: cosine_onecycle_schedule(0, 1.0), ValueError,
         "transition_steps must be an int >= 1"),
        (lambda: cosine_onecycle_schedule(10, 1.0, div_factor=1.0), ValueError,
         r"div_factor must be > 1 \(the start rate"),
        (lambda: cosine_onecycle_schedule(10, 1.0, pct_start=1.0), ValueError,
         r"pct_start must be in \(0, 1\)"),
        (lambda: linear_onecycle_schedule(10, 1.0, pct_start=0.5, pct_final=0.5), ValueError,
         "pct_final must be > pct_start"),
        (lambda: linear_onecycle_schedule(10, 0.0), ValueError,
         "peak_value must be finite and > 0"),
        (lambda: inverse_sqrt_decay(0.0), ValueError, "init_value must be finite and > 0"),
        (lambda: fastai_cos_schedule(0.0, 0.0, 5), ValueError, "must not both be 0"),
        (lambda: fastai_poly_schedule(1.0, 0.0, 0.0, 5), ValueError,
         "power must be finite and > 0"),
        (lambda: fastai_combined_cos_schedule(10, 0.0, 0.1, 1.0, 0.0), ValueError,
         r"pct_start must be in \(0, 1\)"),
    ],
)
def test_bad_input_names_the_argument_and_range(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


NEW_SCHEDULES = {
    "join": join_schedules([linear_schedule(0.0, 1.0, 5), cosine_decay_schedule(1.0, 10)], [5]),
    "sgdr": sgdr_schedule([{"init_value": 0.1, "peak_value": 1.0, "warmup_steps": 2,
                            "decay_steps": 7}] * 3),
    "cosine onecycle": cosine_onecycle_schedule(40, 1.0),
    "linear onecycle": linear_onecycle_schedule(40, 1.0),
    "cosine annealing": cosine_annealing_schedule(1.0, 9, end_value=0.05),
    "inverse sqrt": inverse_sqrt_decay(1.0, 3),
    "fastai cos": fastai_cos_schedule(1.0, 0.01, 30),
    "fastai poly": fastai_poly_schedule(1.0, 0.01, 0.5, 30),
    "fastai combined": fastai_combined_cos_schedule(30, 0.3, 0.04, 1.0, 1e-5),
}


@pytest.mark.parametrize("schedule", NEW_SCHEDULES.values(), ids=NEW_SCHEDULES.keys())
def test_array_of_steps_matches_scalar_calls_and_values_are_rates(schedule) -> None:
    steps = np.arange(60).reshape(3, 20)
    values = schedule(steps)
    assert values.shape == (3, 20)
    assert values.ravel().tolist() == [schedule(int(t)) for t in steps.ravel()]
    assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert isinstance(schedule(2**63 - 1), float)
    assert repr(schedule).split("(")[0] in {
        "join_schedules", "sgdr_schedule", "cosine_onecycle_schedule",
        "linear_onecycle_schedule", "cosine_annealing_schedule", "inverse_sqrt_decay",
        "fastai_cos_schedule", "fastai_poly_schedule", "fastai_combined_cos_schedule",
    }


# -- phases rounded away (issue 19): refused, naming the parameter -----------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        # b1 = int(3.0000000000000004) = 3 = int(3.5) = b2: no way back, the peak is never
        # reached (0.68, then a jump down to 0.04 before the fix).
        (lambda: linear_onecycle_schedule(10, 1.0, pct_start=0.3, pct_final=0.35),
         r"pct_final \* transition_steps = 0.35 \* 10 rounds down to step 3"),
        # b1 = b2 = 0: the rate never rises.
        (lambda: linear_onecycle_schedule(3, 1.0, pct_start=0.1, pct_final=0.2),
         r"pct_start \* transition_steps = 0.1 \* 3 rounds down to step 0"),
        # b = 0: it starts at the peak instead of peak / div_factor.
        (lambda: cosine_onecycle_schedule(2, 1.0, pct_start=0.3),
         r"pct_start \* transition_steps = 0.3 \* 2 rounds down to step 0"),
    ],
)
def test_onecycle_refuses_phases_that_round_to_nothing(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def _onecycle_cases():
    for steps in range(1, 41):
        for start in (0.05, 0.1, 0.25, 0.3, 0.45):
            for final in (0.35, 0.5, 0.85, 0.95):
                if final > start:
                    yield steps, start, final


def test_every_accepted_onecycle_honours_its_docstring() -> None:
    """Enumeration: a one-cycle schedule that is built starts at peak / div, reaches the
    peak exactly at its boundary step, (linear) comes back to the start rate, and ends at
    the final rate; one that is refused had a phase of 0 steps."""
    built = refused = 0
    for steps, start, final in _onecycle_cases():
        rise = int(start * steps)
        try:
            cosine = cosine_onecycle_schedule(steps, 2.0, pct_start=start, div_factor=4.0)
        except ValueError:
            assert rise == 0
            refused += 1
        else:
            built += 1
            assert cosine(0) == 0.5 and cosine(rise) == 2.0
            assert max(cosine(t) for t in range(steps + 1)) == 2.0
        back = int(final * steps)
        try:
            linear = linear_onecycle_schedule(
                steps, 2.0, pct_start=start, pct_final=final, div_factor=4.0,
                final_div_factor=10.0,
            )
        except ValueError:
            assert rise == 0 or back == rise
            refused += 1
        else:
            built += 1
            assert linear(0) == 0.5 and linear(rise) == 2.0 and linear(back) == 0.5
            assert linear(steps) == 0.05
            assert max(linear(t) for t in range(steps + 1)) == 2.0
    assert built > 0 and refused > 0
