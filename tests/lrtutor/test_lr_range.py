"""Range test: fast.ai's defaults and rules on curves whose answer is known by hand;
bisection on the rate against 2/L."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import lrtutor
from lrtutor import least_squares, load_diabetes, lr_range, measured_critical_rate, range_test
from lrtutor.lr_range import RangeTest, minimum, slide, steep, valley

DIABETES = load_diabetes()
REGRESSION = least_squares(DIABETES.X, DIABETES.y)
LRS = 10.0 ** np.arange(-5, 5)  # 1e-5 .. 1e4, ten points


def test_defaults_are_fastais() -> None:
    # fastai/callback/schedule.py: LRFinder(start_lr=1e-7, end_lr=10, num_it=100,
    # stop_div=True), stop at 4 * best smoothed loss; fastai/learner.py: AvgSmoothLoss(beta=0.98);
    # slide(lr_diff=15, thresh=.005, adjust_value=1.); DataLoaders' bs=64.
    defaults = {k: p.default for k, p in inspect.signature(range_test).parameters.items()}
    assert defaults | {"loss": None, "x0": None} == {
        "loss": None, "x0": None, "start_lr": 1e-7, "end_lr": 10.0, "num_it": 100,
        "batch_size": 64, "beta": 0.98, "div_factor": 4.0, "stop_div": True, "seed": 0,
    }
    slide_defaults = inspect.signature(slide).parameters
    assert (slide_defaults["lr_diff"].default, slide_defaults["thresh"].default,
            slide_defaults["adjust_value"].default) == (15, 0.005, 1.0)


def test_rates_ramp_exponentially_and_loss_is_smoothed_with_bias_correction() -> None:
    test = range_test(REGRESSION, np.zeros(11), stop_div=False, num_it=60)
    t = np.arange(60)
    assert test.learning_rates == pytest.approx(1e-7 * 1e8 ** (t / 60), rel=1e-12)
    # Debiased moving average written out as a weighted mean: weights beta**(t-k).
    for i in (0, 1, 7, 59):
        weights = 0.98 ** np.arange(i, -1, -1)
        expected = np.sum(weights * test.losses[: i + 1]) / np.sum(weights)
        assert test.smoothed_losses[i] == pytest.approx(expected, rel=1e-12)


def test_full_batch_without_smoothing_is_plain_descent_on_the_ramp() -> None:
    X, y = DIABETES.X, DIABETES.y
    test = range_test(REGRESSION, np.zeros(11), batch_size=442, beta=0.0, num_it=40,
                      start_lr=1e-3, end_lr=1.0)
    w, expected = np.zeros(11), []
    for t in range(40):
        residual = X @ w - y
        expected.append(residual @ residual / (2 * 442))
        w = w - 1e-3 * 1000 ** (t / 40) * (X.T @ residual / 442)
    assert test.losses == pytest.approx(expected, rel=1e-10)
    assert test.smoothed_losses == pytest.approx(expected, rel=1e-10)


def test_stops_at_four_times_the_lowest_smoothed_loss() -> None:
    test = range_test(REGRESSION, np.zeros(11))
    smooth = test.smoothed_losses
    assert test.stopped_early and smooth.size < 100
    assert smooth[-1] > 4 * smooth[:-1].min()
    running_min = np.minimum.accumulate(smooth[:-1])
    assert np.all(smooth[:-1] <= 4 * running_min)


def test_a_blow_up_ends_the_test_without_warnings() -> None:
    # Without the 4x stop, rates up to 1e6 (over a million times 2/L) overflow the loss.
    test = range_test(REGRESSION, np.zeros(11), end_lr=1e6, stop_div=False)
    assert test.stopped_early
    assert np.all(np.isfinite(test.losses)) and test.learning_rates.size < 100


def test_same_seed_same_test_other_seed_other_batches() -> None:
    a = range_test(REGRESSION, np.zeros(11), seed=3, num_it=20)
    b = range_test(REGRESSION, np.zeros(11), seed=3, num_it=20)
    c = range_test(REGRESSION, np.zeros(11), seed=4, num_it=20)
    assert np.array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)


def test_minimum_is_a_tenth_of_the_rate_at_the_lowest_loss() -> None:
    losses = [9, 8, 7, 3, 2, 4, 6, 8, 9, 9.5]
    assert minimum(LRS, losses) == pytest.approx(LRS[4] / 10)  # 0.1 / 10


def test_steep_is_the_start_of_the_steepest_drop() -> None:
    # Equal steps in log(lr): the biggest fall (5 -> 1) starts at index 3.
    losses = [9, 8.5, 7, 5, 1, 0.9, 0.8, 2, 5, 9]
    assert steep(LRS, losses) == 1e-2


def test_valley_by_hand() -> None:
    # Longest strictly decreasing subsequence: 6 > 5.5 > 5 > 4 > 3 > 2 > 1, length 7,
    # ending at index 7; start = 7 - 7 = 0; s = 7/3; index 0 + 2 + int(7/6) = 3.
    losses = [5, 6, 5.5, 5, 4, 3, 2, 1, 2, 3]
    assert valley(LRS, losses) == LRS[3]


def test_slide_by_hand() -> None:
    # np.gradient of 20 ones then 1, 2, 4, 8: 0 ... 0, 0.5, 1.5, 3, 4 (indices 20..23).
    # Pairs 15 apart from the right: (23, 8), (22, 7), (21, 6), (20, 5) differ by more
    # than 0.005; (19, 4) agrees, so the answer is the left end of (20, 5).
    lrs = np.geomspace(1e-4, 1, 24)
    losses = [1.0] * 21 + [2.0, 4.0, 8.0]
    assert slide(lrs, losses) == lrs[5]
    # A parabola's slopes never agree 15 steps apart: the answer is the first rate.
    assert slide(lrs[:20], np.arange(20.0) ** 2) == lrs[0]
    # A straight line's slopes agree at once: the first pair's left end.
    assert slide(lrs, np.linspace(5, 1, 24), adjust_value=0.5) == lrs[23 - 15] * 0.5


def test_suggestions_drop_the_ends_as_lr_find_does() -> None:
    lrs = np.geomspace(1e-7, 10, 100)
    losses = np.r_[np.full(10, 0.1), np.linspace(5, 1, 85), np.full(5, 0.01)]
    record = RangeTest(lrs, losses, losses, stopped_early=False, num_it=100)
    found = record.suggestions()
    # Without the cut, minimum would pick the last five (0.01) or the first ten (0.1).
    assert found["minimum"] == pytest.approx(lrs[94] / 10)
    assert set(found) == {"valley", "slide", "minimum", "steep"}
    with pytest.raises(ValueError, match="only 5 points remain"):
        RangeTest(lrs[:20], losses[:20], losses[:20], True, 100).suggestions()


def test_critical_rate_is_two_over_l_within_one_percent() -> None:
    # X.T X / n = diag(1, 4) / 2: L = 2, so 2 / L = 1.
    loss = least_squares([[1.0, 0.0], [0.0, 2.0]], [1.0, 1.0])
    rate = measured_critical_rate(loss, np.zeros(2), 0.5, 1.5)
    assert rate == pytest.approx(1.0, rel=0.01)
    assert rate >= 1.0  # just above 2/L the sharp direction grows too slowly to show


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"start_lr": 10.0, "end_lr": 1.0}, ValueError, "^start_lr must be below end_lr"),
        ({"start_lr": 1.0, "end_lr": 1.0}, ValueError, "^start_lr must be below end_lr"),
        ({"start_lr": 0.0}, ValueError, "^start_lr"),
        ({"end_lr": np.inf}, ValueError, "^end_lr"),
        ({"num_it": 0}, ValueError, "^num_it"),
        ({"batch_size": 443}, ValueError, "^batch_size"),
        ({"beta": 1.0}, ValueError, "^beta"),
        ({"div_factor": 0.5}, ValueError, "^div_factor"),
        ({"stop_div": 1}, TypeError, "^stop_div"),
        ({"seed": -1}, ValueError, "^seed"),
        ({"x0": np.zeros(3)}, ValueError, "^x0"),
        ({"x0": [np.nan] * 11}, ValueError, "^x0 must be finite"),
    ],
)
def test_bad_range_test_arguments_are_refused(kwargs, error, message) -> None:
    args = {"x0": np.zeros(11)} | kwargs
    with pytest.raises(error, match=message):
        range_test(REGRESSION, **args)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: minimum([1.0, 2.0], [1.0]), "^lrs and losses must have the same length"),
        (lambda: minimum([1.0], [1.0]), "^lrs must hold at least 2"),
        (lambda: steep([2.0, 1.0], [1.0, 0.0]), "^lrs must increase"),
        (lambda: valley([1.0, -1.0], [1.0, 0.0]), r"^lrs must be > 0"),
        (lambda: slide([1.0, 2.0], [1.0, np.nan]), "^losses must be finite"),
        (lambda: slide([1.0, 2.0], [1.0, 0.0]), "^lr_diff must be an int <= 1"),
        (lambda: measured_critical_rate(REGRESSION, np.zeros(11), 2.0, 1.0),
         "^low must be below high"),
        (lambda: measured_critical_rate(REGRESSION, np.zeros(11), 0.01, 0.02),
         "the loss still comes down"),
        (lambda: measured_critical_rate(REGRESSION, np.zeros(11), 0.6, 1.0),
         "does not come down at low"),
    ],
)
def test_bad_curves_and_brackets_are_refused(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_former_name_critical_rate_is_the_measured_one() -> None:
    """``critical_rate`` (measured) was renamed so that it does not read like the closed form
    ``critical_learning_rate``; the old name still imports, as the same function."""
    assert lrtutor.critical_rate is measured_critical_rate
    assert lr_range.critical_rate is measured_critical_rate
    assert "critical_rate" not in lrtutor.__all__
    assert "measured_critical_rate" in lrtutor.__all__
