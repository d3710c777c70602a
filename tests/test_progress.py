"""Rates from progress (lrtutor.progress), against traces derived by hand from each library's code.

Plateau references, read from the libraries' sources:

* optax ``optax/contrib/_reduce_on_plateau.py`` (commit 2edbcbe2 of google-deepmind/optax),
  ``_update_scale``: ``has_improved = avg < (1 - rtol) * best - atol``;
  ``curr = 0 if improved else plateau_count + 1``; in cooldown: count 0, cooldown - 1;
  otherwise reduce when ``curr == patience`` (scale ``max(scale * factor, min_scale)``,
  cooldown = cooldown, count 0).
* PyTorch ``torch/optim/lr_scheduler.py`` (commit 008f727e of pytorch/pytorch),
  ``ReduceLROnPlateau.step``: judge (``a < best * (1 - threshold)`` or
  ``a < best - threshold``), then ``if in_cooldown: cooldown_counter -= 1;
  num_bad_epochs = 0``, then ``if num_bad_epochs > patience`` reduce (``new = max(lr *
  factor, min_lr)``, applied if ``lr - new > eps``), cooldown = cooldown, count 0.
* Keras ``keras/src/callbacks/reduce_lr_on_plateau.py`` (commit 3422977a of
  keras-team/keras), ``on_epoch_end``: ``if in_cooldown: cooldown_counter -= 1; wait =
  0``; improvement ``current + min_delta < best`` (``best`` None at first); ``elif not
  in_cooldown: wait += 1; if wait >= patience`` and ``lr > min_lr``: reduce, cooldown =
  cooldown, wait = 0.

Epochs are 0-based below: "reduces at 4" means the rate read after ``losses[4]``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrtutor import (
    SQUARE,
    ReduceOnPlateau,
    diagonal_quadratic,
    make_loss,
    reduce_on_plateau,
    run_backtracking_descent,
    run_gradient_descent,
    run_momentum_descent,
    run_polyak_descent,
    steps_to_tolerance,
)

FLAT = [1.0, 0.8, 0.7] + [0.7] * 12  # improves three times, then never again


def _reductions(trace: np.ndarray, start: float = 1.0) -> list[int]:
    before = np.concatenate([[start], trace[:-1]])
    return [int(i) for i in np.nonzero(trace < before)[0]]


def _scales(n: int, cuts: list[int], factor: float = 0.1) -> list[float]:
    """The trace that multiplies by ``factor`` (one product at a time) at ``cuts``."""
    out, scale = [], 1.0
    for i in range(n):
        if i in cuts:
            scale = scale * factor
        out.append(scale)
    return out


# ------------------------------------------------------------------ patience


@pytest.mark.parametrize(
    ("convention", "cuts"),
    [
        # optax: bad epochs 3, 4 give counts 1, 2 == patience -> reduce at 4; 5, 6 -> 6.
        ("optax", [4, 6, 8, 10, 12, 14]),
        # Keras: wait 1 at 3, wait 2 >= 2 at 4 -> reduce, wait 0; again at 6 ...
        ("keras", [4, 6, 8, 10, 12, 14]),
        # PyTorch: num_bad 1, 2, 3 at 3, 4, 5; 3 > 2 -> reduce at 5; then 8, 11, 14.
        ("pytorch", [5, 8, 11, 14]),
    ],
)
def test_patience_counts(convention: str, cuts: list[int]) -> None:
    trace = reduce_on_plateau(patience=2, convention=convention).trace(FLAT)
    assert trace.tolist() == _scales(len(FLAT), cuts)


@pytest.mark.parametrize(
    ("convention", "cuts"),
    [
        # optax reduces when the count equals 0: on every improving epoch (0, 1, 3), and
        # never again on a bad one (counts 1, 2, ... never equal 0).
        ("optax", [0, 1, 3]),
        ("pytorch", [2]),  # num_bad 1 > 0 at the bad epoch 2; 3 improves
        ("keras", [2]),  # wait 1 >= 0 at 2
    ],
)
def test_patience_zero(convention: str, cuts: list[int]) -> None:
    losses = [3.0, 2.0, 2.0, 1.0, 1.0, 1.0]
    trace = reduce_on_plateau(patience=0, convention=convention).trace(losses)
    if convention == "optax":  # bad epochs 4, 5: counts 1, 2, no reduction
        assert _reductions(trace) == cuts
    else:  # PyTorch and Keras also reduce at the bad epochs 4 and 5
        assert _reductions(trace) == [*cuts, 4, 5]


# ------------------------------------------------------------------ cooldown


@pytest.mark.parametrize(
    ("convention", "cuts"),
    [
        # optax: reduce at 4 (cooldown 2); 5, 6 in cooldown (count 0); 7, 8 -> 1, 2: 8; 12.
        ("optax", [4, 8, 12]),
        # PyTorch: reduce at 5; 6, 7 judged bad then reset by the cooldown; 8, 9, 10 -> 10.
        ("pytorch", [5, 10]),
        # Keras: reduce at 4 (counter 2); 5: counter 1, still in cooldown, not counted;
        # 6: counter 0, counted (wait 1); 7: wait 2 -> reduce; 10; 13.
        ("keras", [4, 7, 10, 13]),
    ],
)
def test_cooldown_counts(convention: str, cuts: list[int]) -> None:
    trace = reduce_on_plateau(patience=2, cooldown=2, convention=convention).trace(FLAT)
    assert _reductions(trace) == cuts
    assert trace.tolist() == _scales(len(FLAT), cuts)


def test_cooldown_still_records_a_new_best() -> None:
    # patience 1, cooldown 2: reduce at 1 (bad), then 2 improves during cooldown;
    # 3 (bad against the new best 0.5) ...
    losses = [1.0, 1.0, 0.5, 0.6, 0.6, 0.6]
    # optax: 1 reduce (count 1 == 1); 2, 3 cooldown; 4 count 1 -> reduce; 5 cooldown.
    assert _reductions(reduce_on_plateau(patience=1, cooldown=2).trace(losses)) == [1, 4]
    # PyTorch on [1, 1, 1, 0.5, 0.6 ...]: num_bad 1 at 1, 2 > 1 at 2 -> reduce
    # (cooldown 2); 3 improves (cooldown 1); 4 bad, reset (cooldown 0); 5: 1; 6: 2 > 1.
    pt = reduce_on_plateau(patience=1, cooldown=2, convention="pytorch")
    assert _reductions(pt.trace([1.0, 1.0, 1.0, 0.5, 0.6, 0.6, 0.6, 0.6])) == [2, 6]
    # Keras: 1 reduce; 2 counter 1, improves; 3 counter 0, wait 1 >= 1 -> reduce;
    # 4 counter 1, in cooldown; 5 counter 0, wait 1 -> reduce.
    ke = reduce_on_plateau(patience=1, cooldown=2, convention="keras")
    assert _reductions(ke.trace(losses)) == [1, 3, 5]


# ---------------------------------------------------------------- thresholds

DRIFT = [100.0, 99.995, 99.992, 99.98]  # steps of 0.005, 0.003, then 0.012


@pytest.mark.parametrize(
    ("kwargs", "cuts"),
    [
        # Relative 1e-4 of 100 is 0.01: 99.995, 99.992 are not below 99.99 (bad), 99.98 is.
        ({"convention": "optax"}, [1, 2]),  # count 1 == patience 1 at 1; again at 2
        ({"convention": "pytorch"}, [2]),  # num_bad 2 > 1 at 2
        # Keras's absolute min_delta 1e-4: every drop is an improvement.
        ({"convention": "keras"}, []),
        ({"convention": "pytorch", "rtol": 0.0, "atol": 1e-4}, []),
        # optax with both: below (1 - 1e-5) * 100 - 0.004 = 99.995: only 99.992, 99.98.
        ({"convention": "optax", "rtol": 1e-5, "atol": 0.004}, [1]),
    ],
)
def test_relative_and_absolute_thresholds(kwargs: dict, cuts: list[int]) -> None:
    trace = reduce_on_plateau(patience=1, **kwargs).trace(DRIFT)
    assert _reductions(trace) == cuts


def test_small_losses_flip_the_thresholds() -> None:
    # At losses near 1e-3 the relative bar is tiny (1e-7) and Keras's 1e-4 is large.
    losses = [1e-3, 9.5e-4, 9.2e-4, 9.1e-4]
    assert _reductions(reduce_on_plateau(patience=1).trace(losses)) == []
    assert _reductions(reduce_on_plateau(patience=1, convention="keras").trace(losses)) == [1, 2, 3]


def test_negative_losses_fool_a_relative_threshold() -> None:
    """A loss that rises slowly while negative: (1 - rtol) * best is above best."""
    rising = [-1.0 + 5e-5 * k for k in range(8)]
    for convention in ("optax", "pytorch"):
        plateau = reduce_on_plateau(patience=2, convention=convention)
        assert _reductions(plateau.trace(rising)) == [], convention
    # The absolute rules see the rise: Keras reduces at wait 2 (epochs 2, 4, 6),
    # PyTorch "abs" at num_bad 3 (epochs 3, 6).
    assert _reductions(reduce_on_plateau(patience=2, convention="keras").trace(rising)) == [2, 4, 6]
    pt_abs = reduce_on_plateau(patience=2, rtol=0.0, atol=1e-4, convention="pytorch")
    assert _reductions(pt_abs.trace(rising)) == [3, 6]


def test_optax_rtol_one_never_improves() -> None:
    # (1 - 1) * inf is nan in optax (JAX) as in Python: nothing is below it.
    trace = reduce_on_plateau(patience=2, rtol=1.0).trace([5.0, 4.0, 3.0, 2.0])
    assert _reductions(trace) == [1, 3]


# -------------------------------------------------------------------- floors


@pytest.mark.parametrize("convention", ["optax", "pytorch", "keras"])
def test_floor(convention: str) -> None:
    trace = reduce_on_plateau(patience=1, min_scale=0.05, convention=convention).trace([1.0] * 8)
    assert trace.max() == 1.0
    assert trace.min() == 0.05
    assert set(trace.tolist()) == {1.0, 0.1, 0.05}


def test_pytorch_eps_stops_tiny_reductions() -> None:
    # 1e-7 -> 1e-8 (difference 9e-8 > eps); 1e-8 -> 1e-9 (9e-9 <= 1e-8): not applied.
    plateau = reduce_on_plateau(patience=0, convention="pytorch", learning_rate=1e-7)
    trace = plateau.trace([1.0] * 5)
    assert trace.tolist() == [1e-7, 1e-7 * 0.1, 1e-7 * 0.1, 1e-7 * 0.1, 1e-7 * 0.1]
    no_eps = reduce_on_plateau(patience=0, convention="pytorch", learning_rate=1e-7, eps=0.0)
    assert no_eps.trace([1.0] * 3)[-1] == 1e-7 * 0.1 * 0.1


def test_keras_floor_stops_the_count_being_reset() -> None:
    # At the floor Keras does not reduce, so no cooldown starts: the rate just stays.
    plateau = reduce_on_plateau(patience=1, cooldown=3, min_scale=0.1, convention="keras")
    assert plateau.trace([1.0] * 8).tolist() == [1.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]


def test_state_update_and_trace_agree() -> None:
    plateau = reduce_on_plateau(patience=2, cooldown=1, convention="pytorch", learning_rate=0.4)
    trace = plateau.trace(FLAT)
    assert plateau.n_read == 0 and plateau.rate == 0.4  # trace leaves it alone
    assert [plateau.update(v) for v in FLAT] == trace.tolist()
    assert plateau.n_read == len(FLAT)
    plateau.reset()
    assert plateau.rate == 0.4 and plateau.bad_epochs == 0


# --------------------------------------------------------------- in a runner


@pytest.mark.parametrize(("convention", "delay"), [("optax", 0), ("pytorch", 1), ("keras", 1)])
def test_runner_reads_the_loss_with_the_library_timing(convention: str, delay: int) -> None:
    """Rate 1 on x**2 bounces (loss 4 for ever) until the plateau cuts it."""
    plateau = reduce_on_plateau(patience=2, convention=convention, learning_rate=1.0)
    run = run_gradient_descent(SQUARE, 2.0, plateau, 20)
    assert plateau.n_read == 0  # the runner used a copy
    for t, rate in enumerate(run.learning_rates):
        seen = run.losses[: t + 1 - delay]  # optax: loss(x_t) scales update t
        expected = plateau.trace(seen)[-1] if len(seen) else 1.0
        assert rate == expected
    # optax reduces after reading the third 4 (update 2), Keras after it (update 3),
    # PyTorch after the fourth (update 4).
    first_cut = {"optax": 2, "keras": 3, "pytorch": 4}[convention]
    assert run.learning_rates[first_cut - 1] == 1.0
    assert run.learning_rates[first_cut] == 0.1
    assert abs(run.final_x) < 0.1


def test_momentum_runner_takes_a_plateau() -> None:
    run = run_momentum_descent(SQUARE, 2.0, reduce_on_plateau(patience=1), 0.5, 10)
    assert run.n_steps == 10
    assert run.learning_rates[0] == 1.0


def test_steps_to_tolerance_refuses_a_plateau() -> None:
    with pytest.raises(TypeError, match="learning_rate"):
        steps_to_tolerance(SQUARE, 2.0, reduce_on_plateau(), 0.01)


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"factor": 0.0}, "factor"),
        ({"factor": 1.0}, "factor"),
        ({"factor": -0.5}, "factor"),
        ({"factor": math.nan}, "factor"),
        ({"patience": -1}, "patience"),
        ({"patience": 1.5}, "patience"),
        ({"cooldown": -2}, "cooldown"),
        ({"convention": "tensorflow"}, "convention"),
        ({"convention": 3}, "convention"),
        ({"rtol": -1e-4}, "rtol"),
        ({"rtol": 1.5}, "rtol"),
        ({"atol": math.inf}, "atol"),
        ({"rtol": 0.0, "atol": 0.0}, "rtol"),
        ({"convention": "pytorch", "rtol": 1e-4, "atol": 1e-4}, "rtol"),
        ({"convention": "keras", "rtol": 1e-4}, "rtol"),
        ({"min_scale": 1.5}, "min_scale"),
        ({"learning_rate": math.nan}, "learning_rate"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"eps": 1e-8}, "eps"),
        ({"convention": "pytorch", "eps": -1.0}, "eps"),
    ],
)
def test_plateau_refuses_bad_settings(kwargs: dict, name: str) -> None:
    with pytest.raises((TypeError, ValueError), match=name):
        reduce_on_plateau(**kwargs)


def test_plateau_refuses_nan_losses() -> None:
    plateau = reduce_on_plateau()
    with pytest.raises(ValueError, match="loss_value"):
        plateau.update(math.nan)
    with pytest.raises(ValueError, match="losses"):
        plateau.trace([1.0, math.nan])
    assert isinstance(plateau, ReduceOnPlateau)


# ------------------------------------------------------------- backtracking


def _exact_line_minimum(curvatures: np.ndarray, g: np.ndarray) -> float:
    """For 0.5 * sum(c x**2) along -g: |g|**2 / (g A g)."""
    return float(g @ g / (g @ (curvatures * g)))


def test_backtracking_on_a_quadratic_against_the_line_minimum() -> None:
    """Armijo on a quadratic accepts eta <= 2 (1 - c) eta*: the first halving below it."""
    curvatures = np.array([1.0, 10.0])
    loss = diagonal_quadratic(curvatures)
    c = 1e-4
    run = run_backtracking_descent(loss, [-9.0, 1.0], 30, max_learning_rate=1.0,
                                   decrease_factor=0.5, slope_rtol=c)
    assert run.n_steps == 30 and run.failed_at is None
    for t, eta in enumerate(run.learning_rates):
        g = run.slopes[t]
        bound = 2 * (1 - c) * _exact_line_minimum(curvatures, g)
        k = next(k for k in range(60) if 0.5**k <= bound)
        assert eta == 0.5**k
        assert run.loss_evaluations[t] == k + 1
        # The Armijo condition, checked on the recorded losses.
        assert run.losses[t + 1] <= run.losses[t] - c * eta * float(g @ g)
        if k:  # and the rate tried before it failed
            x_before = run.positions[t] - 2 * eta * g
            assert loss.value(x_before) > run.losses[t] - c * 2 * eta * float(g @ g)
    assert run.gradient_evaluations.tolist() == [1] * 30
    assert run.n_gradient_evaluations == 31
    assert run.n_loss_evaluations == 1 + int(run.loss_evaluations.sum())


def test_backtracking_lands_on_the_minimum_of_x_squared() -> None:
    # eta* = 1/2 on x**2; 1 is rejected (f(-x) = f(x)), 1/2 lands on 0.
    run = run_backtracking_descent(SQUARE, 2.0, 3)
    assert run.positions.tolist() == [2.0, 0.0, 0.0, 0.0]
    assert run.learning_rates.tolist() == [0.5, 1.0, 1.0]  # at 0 any rate passes
    assert run.loss_evaluations.tolist() == [2, 1, 1]


def test_backtracking_records_a_failed_search() -> None:
    wrong = make_loss(lambda x: x * x, lambda x: -2 * x, name="x**2, wrong slope")
    run = run_backtracking_descent(wrong, 1.0, 5, max_backtracking_steps=4)
    assert run.failed_at == 0 and run.n_steps == 0
    assert run.failed_loss_evaluations == 5
    assert run.n_loss_evaluations == 6 and not run.diverged


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"max_learning_rate": 0.0}, "max_learning_rate"),
        ({"max_learning_rate": math.nan}, "max_learning_rate"),
        ({"decrease_factor": 1.0}, "decrease_factor"),
        ({"decrease_factor": 0.0}, "decrease_factor"),
        ({"slope_rtol": 0.0}, "slope_rtol"),
        ({"slope_rtol": 1.0}, "slope_rtol"),
        ({"max_backtracking_steps": -1}, "max_backtracking_steps"),
        ({"max_backtracking_steps": 10**6}, "max_backtracking_steps"),
        ({"n_steps": -1}, "n_steps"),
    ],
)
def test_backtracking_refuses_bad_settings(kwargs: dict, name: str) -> None:
    with pytest.raises((TypeError, ValueError), match=name):
        run_backtracking_descent(SQUARE, 1.0, **{"n_steps": 3, **kwargs})


# ------------------------------------------------------------------ Polyak


def test_polyak_halves_x_on_x_squared() -> None:
    # eta = x**2 / (2x)**2 = 1/4 exactly: x_t = 2 / 2**t.
    run = run_polyak_descent(SQUARE, 2.0, 20)
    assert run.learning_rates.tolist() == [0.25] * 20
    assert run.positions.tolist() == [2.0 / 2**t for t in range(21)]
    assert run.n_loss_evaluations == 21 and run.n_gradient_evaluations == 21


def test_polyak_on_a_quadratic_against_the_closed_form() -> None:
    curvatures = np.array([1.0, 10.0])
    loss = diagonal_quadratic(curvatures)
    run = run_polyak_descent(loss, [-9.0, 1.0], 40)
    for t, eta in enumerate(run.learning_rates):
        x = run.positions[t]
        expected = 0.5 * np.sum(curvatures * x**2) / np.sum((curvatures * x) ** 2)
        assert eta == pytest.approx(expected, rel=1e-13)
        np.testing.assert_allclose(run.positions[t + 1], x - expected * curvatures * x,
                                   rtol=1e-12, atol=1e-300)
    assert run.final_loss < run.losses[0] * 1e-6


def test_polyak_with_a_cap() -> None:
    run = run_polyak_descent(SQUARE, 2.0, 5, max_learning_rate=0.1)
    assert run.learning_rates.tolist() == [0.1] * 5
    np.testing.assert_allclose(run.positions, 2.0 * 0.8 ** np.arange(6), rtol=1e-15)


def test_polyak_with_f_min_too_low_is_newtons_chaos() -> None:
    """f_min = -1 on x**2: x_{t+1} = (x**2 - 1) / (2x), Newton's method for x**2 = -1.

    With x = cot(theta) that is cot(2 theta): the angle doubles every step.
    """
    run = run_polyak_descent(SQUARE, 2.0, 10, f_min=-1.0)
    theta = math.atan(0.5)
    expected = [1 / math.tan(2**t * theta) for t in range(11)]
    np.testing.assert_allclose(run.positions, expected, rtol=1e-9)


def test_polyak_refuses_f_min_above_the_loss() -> None:
    with pytest.raises(ValueError, match="f_min"):
        run_polyak_descent(SQUARE, 0.5, 3, f_min=1.0)
    with pytest.raises(ValueError, match="f_min"):  # reached later: 0.5 is no lower bound
        run_polyak_descent(diagonal_quadratic([1.0, 10.0]), [-9.0, 1.0], 50, f_min=0.5)
    with pytest.raises(ValueError, match="max_learning_rate"):
        run_polyak_descent(SQUARE, 2.0, 3, max_learning_rate=math.nan)
    with pytest.raises(ValueError, match="f_min"):
        run_polyak_descent(SQUARE, 2.0, 3, f_min=math.nan)


def test_polyak_at_the_minimum_stays() -> None:
    run = run_polyak_descent(SQUARE, 0.0, 3)
    assert run.positions.tolist() == [0.0] * 4
    assert run.learning_rates.tolist() == [0.0] * 3
