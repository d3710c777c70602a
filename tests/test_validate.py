"""Argument checks: lrtutor._validate, and the rule that every public function uses them.

The rule (issue: ``SQUARE.slope("two")`` returned ``'twotwo'``): every public function
and every loss refuses a value of the wrong kind with a TypeError or ValueError whose
message names the argument. ``VALID_CALLS`` holds one valid call per public function;
``test_every_public_function_is_listed`` fails when a new public function has none, so
the sweep below always covers the whole API.
"""

from __future__ import annotations

import inspect
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import lrtutor
from lrtutor import _validate

# ----------------------------------------------------------------- the checks themselves


@pytest.mark.parametrize(
    ("check", "args", "result"),
    [
        (_validate.real, (3,), 3.0),
        (_validate.real, (Fraction(1, 4),), 0.25),
        (_validate.real, (10**400,), math.inf),
        (_validate.real, (-(10**400),), -math.inf),
        (_validate.finite, (np.float32(0.5),), 0.5),
        (_validate.positive, (1e-300,), 1e-300),
        (_validate.non_negative, (0,), 0.0),
        (_validate.count, (7,), 7),
        (_validate.count, (np.int64(3),), 3),
        (_validate.flag, (np.True_,), True),
    ],
)
def test_checks_accept_and_convert(check, args, result) -> None:
    got = check("arg", *args)
    assert got == result
    assert type(got) is type(result)


@pytest.mark.parametrize(
    ("check", "value", "error", "message"),
    [
        (_validate.real, "1", TypeError, "arg must be a real number, got str"),
        (_validate.real, True, TypeError, "got bool"),
        (_validate.real, 1j, TypeError, "got complex"),
        (_validate.real, lambda step: 0.1, TypeError, "not a schedule"),
        (_validate.finite, math.nan, ValueError, "arg must be finite"),
        (_validate.finite, -math.inf, ValueError, "arg must be finite"),
        (_validate.positive, 0, ValueError, r"arg must be finite and > 0, got 0"),
        (_validate.positive, 10**400, ValueError, "finite and > 0"),
        (_validate.non_negative, -1e-12, ValueError, ">= 0"),
        (_validate.count, 2.0, TypeError, "arg must be an int, got float"),
        (_validate.count, False, TypeError, "got bool"),
        (_validate.count, -1, ValueError, "arg must be an int >= 0, got -1"),
        (_validate.count, 2**63, ValueError, "<= 9223372036854775807"),
        (_validate.flag, 1, TypeError, "arg must be a bool, got int"),
    ],
)
def test_checks_refuse(check, value, error, message) -> None:
    with pytest.raises(error, match=message):
        check("arg", value)


def test_in_range_ends() -> None:
    assert _validate.in_range("beta", 0, 0, 1, high_open=True) == 0.0
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\), got 1"):
        _validate.in_range("beta", 1, 0, 1, high_open=True)
    with pytest.raises(ValueError, match=r"beta must be in \(0, 1\]"):
        _validate.in_range("beta", 0.0, 0, 1, low_open=True)
    with pytest.raises(ValueError, match="beta must be in"):
        _validate.in_range("beta", math.nan, 0, 1)


def test_real_array() -> None:
    arr = _validate.real_array("X", [[1, 2], [3, 4]], shape=(None, 2))
    assert arr.dtype == np.float64 and arr.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    source = np.array([1.0, 2.0])
    assert _validate.real_array("y", source) is not source  # a copy: callers may keep it
    for value, error, message in [
        ("abc", TypeError, "X must be an array of real numbers, got str"),
        (None, TypeError, "got NoneType"),
        ([True, False], TypeError, "got an array of bool"),
        ([1, "a"], TypeError, "X must hold real numbers"),
        ([1 + 2j], TypeError, "complex"),
        ([[1], [1, 2]], ValueError, "X must be a rectangular array"),
        ([1.0, math.nan], ValueError, "X must be finite"),
        ([], ValueError, "X must not be empty"),
        ([[1, 2, 3]], ValueError, r"X must have shape \(n, 2\), got \(1, 3\)"),
    ]:
        with pytest.raises(error, match=message):
            _validate.real_array("X", value, shape=(None, 2) if "shape" in message else None)
    with pytest.raises(ValueError, match=r"must have 1 dimension\(s\)"):
        _validate.real_array("y", [[1.0]], ndim=1)
    assert _validate.real_array("y", [], allow_empty=True).shape == (0,)
    assert math.isinf(_validate.real_array("y", [1.0, 10**400], allow_nonfinite=True)[1])


def test_point_keeps_exact_numbers() -> None:
    assert _validate.point("x", Fraction(1, 3)) == Fraction(1, 3)
    assert _validate.point("x", Decimal("2.0001")) == Decimal("2.0001")
    assert _validate.point("x", 5) == 5
    assert _validate.point("x", [1, 2], dim=2).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=r"x must be an array of shape \(2,\)"):
        _validate.point("x", 1.0, dim=2)
    with pytest.raises(ValueError, match=r"x must have shape \(2,\), got \(3,\)"):
        _validate.point("x", [1.0, 2.0, 3.0], dim=2)
    with pytest.raises(ValueError, match="x must be finite"):
        _validate.point("x", Decimal("NaN"))


# ------------------------------------------------------------------------ every loss

LOSSES = [
    lrtutor.SQUARE,
    lrtutor.CUBIC,
    lrtutor.quadratic(3.0),
    lrtutor.diagonal_quadratic([1.0, 10.0]),
    lrtutor.diagonal_quadratic([2.0]),
]
BAD_POINTS = [
    ("two", TypeError),
    (None, TypeError),
    (True, TypeError),
    (1j, TypeError),
    ([1.0, "a"], TypeError),
    (math.nan, ValueError),
    (math.inf, ValueError),
]


@pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.name)
@pytest.mark.parametrize(("bad", "error"), BAD_POINTS, ids=repr)
@pytest.mark.parametrize("function", ["value", "slope"])
def test_losses_refuse_what_is_not_a_point(loss, bad, error, function) -> None:
    with pytest.raises(error, match=r"^x must"):
        getattr(loss, function)(bad)


@pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.name)
def test_losses_still_take_numbers_and_arrays(loss) -> None:
    point = np.full(loss.dim, 2.0) if loss.dim > 1 else 2.0
    # The checked functions give exactly what the unchecked ones give.
    assert np.array_equal(loss.value(point), loss.raw_value(point))
    assert np.array_equal(loss.slope(point), loss.raw_slope(point))
    if loss.dim == 1 and loss is not lrtutor.diagonal_quadratic([2.0]):
        assert loss.value(Fraction(1, 2)) == loss.raw_value(Fraction(1, 2))
        grid = np.linspace(-1.0, 1.0, 5)
        assert np.array_equal(loss.value(grid), loss.raw_value(grid))


def test_square_slope_of_a_string_is_an_error() -> None:
    """The reported instance: it used to return 'twotwo'."""
    with pytest.raises(TypeError, match="x must be a real number or an array"):
        lrtutor.SQUARE.slope("two")


# ------------------------------------------------------- every public function, swept

_FIT = lrtutor.least_squares([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [0.0, 1.0, 3.0])
_CLASSIFY = lrtutor.logistic_regression([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [0.0, 1.0, 0.0])

#: One valid call per public function: keyword arguments that work.
VALID_CALLS: dict[str, dict] = {
    "add_intercept": {"X": [[2.0], [3.0]]},
    "critical_rate": {"loss": _FIT, "x0": [0.0, 0.0], "low": 0.1, "high": 2.0, "n_steps": 200,
                      "rtol": 1e-3},
    "initial_weights": {"loss": lrtutor.two_layer_network([[1.0], [2.0]], [1.0, 0.0], 2),
                        "seed": 0},
    "two_layer_network": {"X": [[1.0], [2.0]], "y": [1.0, 0.0], "hidden": 2},
    "hessian_eigenvalues": {"loss": _CLASSIFY, "params": [0.0, 0.0]},
    "least_squares": {"X": [[1.0, 0.0], [1.0, 1.0]], "y": [1.0, 3.0]},
    "load_breast_cancer": {"n_features": 2, "scale": True, "intercept": True},
    "load_diabetes": {"scale": True, "intercept": True},
    "logistic_regression": {"X": [[1.0], [1.0]], "y": [0.0, 1.0]},
    "range_test": {"loss": _FIT, "x0": [0.0, 0.0], "start_lr": 1e-3, "end_lr": 1.0,
                   "num_it": 5, "batch_size": 2, "beta": 0.9, "div_factor": 4.0,
                   "stop_div": True, "seed": 1},
    "sharpest_direction": {"loss": _CLASSIFY, "params": [0.0, 0.0], "method": "dense"},
    "sharpness": {"loss": _FIT, "params": [0.0, 0.0], "method": "auto"},
    "standardise": {"X": [[1.0, 10.0], [3.0, 30.0]]},
    "best_contraction_factor": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "best_contraction_factor_exact": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "best_learning_rate": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "best_learning_rate_exact": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "central_difference": {"f": lrtutor.SQUARE.value, "x": 2.0, "h": 1e-4},
    "closed_form_steps": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1, "tol": 0.01},
    "condition_number": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "constant_schedule": {"value": 0.1},
    "contraction_factor": {"loss": lrtutor.SQUARE, "learning_rate": 0.1},
    "cosine_decay_schedule": {"init_value": 0.1, "decay_steps": 10, "alpha": 0.0, "exponent": 1.0},
    "critical_learning_rate": {"loss": lrtutor.SQUARE},
    "curvature": {"loss": lrtutor.SQUARE},
    "diagonal_quadratic": {"curvatures": [1.0, 10.0]},
    "exact_decimal": {"x": "2.0001"},
    "exponential_decay": {
        "init_value": 0.1, "transition_steps": 10, "decay_rate": 0.5, "transition_begin": 0,
        "staircase": False, "end_value": 0.01,
    },
    "forward_difference": {"f": lrtutor.SQUARE.value, "x": 2.0, "h": 1e-4},
    "gradient_step": {"x": 2.0, "slope": 4.0, "learning_rate": 0.25},
    "inverse_time_decay": {
        "init_value": 0.1, "decay_rate": 0.5, "transition_steps": 1, "staircase": False,
    },
    "linear_schedule": {
        "init_value": 0.1, "end_value": 0.01, "transition_steps": 10, "transition_begin": 0,
    },
    "make_loss": {
        "value": lambda x: x * x, "slope": lambda x: 2 * x, "name": "x**2", "dim": 1,
        "curvatures": [2.0], "minimiser": 0.0, "formula": "x**2", "slope_formula": "2*x",
    },
    "nudge": {"loss": lrtutor.SQUARE, "x": "2", "h": "0.0001"},
    "one_step_learning_rate": {"loss": lrtutor.SQUARE},
    "piecewise_constant_schedule": {"init_value": 0.1, "boundaries_and_scales": {5: 0.5}},
    "polynomial_schedule": {
        "init_value": 0.1, "end_value": 0.01, "power": 2.0, "transition_steps": 10,
        "transition_begin": 0,
    },
    "quadratic": {"a": 2.0},
    "regime": {"loss": lrtutor.SQUARE, "learning_rate": 0.1},
    "run_gradient_descent": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1,
                             "n_steps": 3},
    "run_sign_descent": {"loss": lrtutor.SQUARE, "x0": 2.0, "step_size": 0.1, "n_steps": 3,
                         "exact": False},
    "steps_to_tolerance": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1,
                           "tol": 0.01, "max_steps": 100, "target": 0.0},
    "cosine_annealing_schedule": {"init_value": 0.1, "decay_steps": 10, "end_value": 0.01},
    "cosine_onecycle_schedule": {
        "transition_steps": 20, "peak_value": 0.1, "pct_start": 0.3, "div_factor": 25.0,
        "final_div_factor": 1e4,
    },
    "fastai_combined_cos_schedule": {
        "transition_steps": 20, "pct_start": 0.25, "init_value": 0.004, "peak_value": 0.1,
        "end_value": 1e-6,
    },
    "fastai_cos_schedule": {"init_value": 0.1, "end_value": 0.01, "transition_steps": 10},
    "fastai_poly_schedule": {
        "init_value": 0.1, "end_value": 0.01, "power": 2.0, "transition_steps": 10,
    },
    "inverse_sqrt_decay": {"init_value": 0.1, "transition_steps": 1},
    "join_schedules": {
        "schedules": [lrtutor.constant_schedule(0.1), lrtutor.constant_schedule(0.05)],
        "boundaries": [5],
    },
    "linear_onecycle_schedule": {
        "transition_steps": 20, "peak_value": 0.1, "pct_start": 0.3, "pct_final": 0.85,
        "div_factor": 25.0, "final_div_factor": 1e4,
    },
    "sgdr_schedule": {
        "cosine_kwargs": [{"init_value": 0.0, "peak_value": 0.1, "warmup_steps": 2,
                           "decay_steps": 10}],
    },
    "best_momentum": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "best_momentum_contraction_factor": {"loss": lrtutor.diagonal_quadratic([1.0, 10.0])},
    "momentum_contraction_factor": {
        "loss": lrtutor.diagonal_quadratic([1.0, 10.0]), "learning_rate": 0.1, "momentum": 0.5,
    },
    "momentum_critical_learning_rate": {
        "loss": lrtutor.diagonal_quadratic([1.0, 10.0]), "momentum": 0.5,
    },
    "run_momentum_descent": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1,
                             "momentum": 0.5, "n_steps": 3, "nesterov": False},
    "run_adagrad": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1, "n_steps": 3,
                    "initial_accumulator_value": 0.1, "eps": 1e-7, "eps_in_sqrt": True,
                    "dtype": "float64"},
    "run_rmsprop": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1, "n_steps": 3,
                    "decay": 0.9, "eps": 1e-8, "eps_in_sqrt": True, "bias_correction": False,
                    "initial_scale": 0.0, "dtype": "float64"},
    "run_adam": {"loss": lrtutor.SQUARE, "x0": 2.0, "learning_rate": 0.1, "n_steps": 3,
                 "b1": 0.9, "b2": 0.999, "eps": 1e-8, "eps_root": 0.0, "weight_decay": 0.0,
                 "dtype": "float32"},
    "warmup_cosine_decay_schedule": {
        "init_value": 0.0, "peak_value": 0.1, "warmup_steps": 5, "decay_steps": 20,
        "end_value": 0.0, "exponent": 1.0,
    },
    # Issue 17: stochastic gradients and mini-batches.
    "run_sgd": {"loss": _FIT, "x0": [0.0, 0.0], "learning_rate": 0.1, "n_steps": 3,
                "batch_size": 2, "noise_std": 0.5, "seed": 0, "replace": False,
                "shuffle": True},
    "run_sgd_many": {"loss": _FIT, "x0": [0.0, 0.0], "learning_rate": 0.1, "n_steps": 3,
                     "n_runs": 4, "batch_size": 2, "noise_std": 0.5, "seed": 0,
                     "replace": False, "shuffle": True},
    "stationary_variance": {"curvature": 2.0, "learning_rate": 0.1, "noise_variance": 1.0},
    "mean_square_error": {"curvature": 2.0, "learning_rate": 0.1, "noise_variance": 1.0,
                          "x0": 2.0, "n_steps": 3},
    "per_example_gradients": {"loss": _FIT, "w": [0.0, 0.0]},
    "batch_gradient_variance": {"loss": _FIT, "w": [0.0, 0.0], "batch_size": 2,
                                "replace": False},
    "gradient_noise_scale": {"loss": _FIT, "w": [0.0, 0.0]},
    "minibatch_critical_rate": {"loss": _FIT, "batch_size": 2},
    "minibatch_expected_loss": {"loss": _FIT, "w0": [0.0, 0.0], "learning_rate": 0.1,
                                "batch_size": 2, "n_steps": 3},
    "minibatch_best_rate": {"loss": _FIT, "w0": [0.0, 0.0], "batch_size": 2, "n_steps": 3},
    "reduce_on_plateau": {
        "factor": 0.5, "patience": 2, "rtol": 1e-4, "atol": 0.0, "cooldown": 1,
        "min_scale": 0.01, "convention": "pytorch", "learning_rate": 0.1, "eps": 1e-8,
    },
    "run_backtracking_descent": {
        "loss": lrtutor.SQUARE, "x0": 2.0, "n_steps": 3, "max_learning_rate": 1.0,
        "decrease_factor": 0.5, "slope_rtol": 1e-4, "max_backtracking_steps": 10,
    },
    "run_polyak_descent": {"loss": lrtutor.SQUARE, "x0": 2.0, "n_steps": 3, "f_min": 0.0,
                           "max_learning_rate": 1.0},
}

#: Arguments where a string is a valid kind of value (text, or exact decimals).
TEXT_ARGUMENTS = {("make_loss", "name"), ("make_loss", "formula"),
                  ("make_loss", "slope_formula")}


def _public_functions() -> list[str]:
    return sorted(
        name for name in lrtutor.__all__
        if inspect.isfunction(getattr(lrtutor, name))
    )


def test_every_public_function_is_listed() -> None:
    missing = [name for name in _public_functions() if name not in VALID_CALLS]
    assert not missing, f"add a valid call to VALID_CALLS in {__file__} for: {missing}"
    stale = sorted(set(VALID_CALLS) - set(_public_functions()))
    assert not stale, f"VALID_CALLS names functions that are not public: {stale}"


def test_valid_calls_are_valid() -> None:
    for name, kwargs in VALID_CALLS.items():
        getattr(lrtutor, name)(**kwargs)


SWEEP = [
    (name, argument, bad)
    for name, kwargs in VALID_CALLS.items()
    for argument in kwargs
    if (name, argument) not in TEXT_ARGUMENTS
    for bad in ("two", None, [object()])
    if not (bad is None and inspect.signature(getattr(lrtutor, name))
            .parameters[argument].default is None)
]


@pytest.mark.parametrize(("name", "argument", "bad"), SWEEP, ids=str)
def test_wrong_kind_of_argument_is_named(name, argument, bad) -> None:
    """Each argument in turn gets a value of the wrong kind: the error must name it."""
    kwargs = {**VALID_CALLS[name], argument: bad}
    with pytest.raises((TypeError, ValueError)) as info:
        result = getattr(lrtutor, name)(**kwargs)
        if callable(result):  # a schedule may check lazily: ask it for a value
            result(0)
    assert argument in str(info.value), (
        f"{name}({argument}={bad!r}) raised {type(info.value).__name__}: {info.value} "
        f"(the message must name {argument!r})"
    )
    assert not isinstance(info.value, (ZeroDivisionError, OverflowError))


# --------------------------------------------------------- the figure helpers, swept


def _plot_calls() -> dict[str, dict]:
    """One valid call per public function of lrtutor.plots (fresh axes each time)."""
    from lrtutor import plots

    fig, ax = plots.new_figure()
    run = lrtutor.run_gradient_descent(lrtutor.SQUARE, 2.0, 0.25, 3)
    svg_fig, svg_ax = plots.new_figure()
    svg_ax.plot([0, 1], [1, 0])
    panel = plots.figure_to_svg(svg_fig, "fig-valid", alt="A line.")
    svg_fig2, svg_ax2 = plots.new_figure()
    svg_ax2.plot([0, 1], [1, 0])
    return {
        "new_figure": {"ncols": 1, "nrows": 1, "width": 4.0, "height": 3.0},
        "plot_loss_curve": {"ax": ax, "loss": lrtutor.SQUARE, "xs": [-1.0, 0.0, 1.0]},
        "plot_tangent": {"ax": ax, "loss": lrtutor.SQUARE, "x0": 1.0, "half_width": 0.5},
        "plot_trajectory": {"ax": ax, "run": run, "max_points": 2, "arrows": True},
        "plot_loss_history": {"ax": ax, "run": run},
        "hidden_points": {"fig": fig},
        "overlapping_text": {"fig": fig},
        "figure_to_svg": {"fig": svg_fig2, "figure_id": "fig-x", "alt": "A line.",
                          "close": True, "check": True},
        "figure_html": {"svg": panel, "caption": "A line.", "figure_id": "fig-y"},
    }


def test_every_plot_helper_is_listed() -> None:
    from lrtutor import plots

    public = sorted(name for name in plots.__all__ if inspect.isfunction(getattr(plots, name)))
    assert sorted(_plot_calls()) == public


PLOT_SWEEP = [
    (name, argument, bad)
    for name, kwargs in _plot_calls().items()
    for argument in kwargs
    for bad in ("two", None, [object()])
    if not (bad is None and argument in ("figure_id", "max_points"))
    if not (bad == "two" and argument in ("figure_id", "alt", "caption"))  # text is valid
]


@pytest.mark.parametrize(("name", "argument", "bad"), PLOT_SWEEP, ids=str)
def test_plot_helpers_name_the_wrong_argument(name, argument, bad) -> None:
    from lrtutor import plots

    kwargs = {**_plot_calls()[name], argument: bad}
    with pytest.raises((TypeError, ValueError)) as info:
        getattr(plots, name)(**kwargs)
    assert argument in str(info.value), (
        f"{name}({argument}={bad!r}) raised {type(info.value).__name__}: {info.value}"
    )


# ------------------------------------- results checked (issue 19): extremes, swept

#: Values at the edges of the float range, as NumPy scalars so that an error message
#: that prints them by repr (NumPy 2: ``np.float64(1e+308)``) is caught too.
EXTREME_FLOATS = [np.float64(1e308), np.float64(-1e308), np.float64(5e-324)]
EXTREME_INTS = [10**12, 2**63 - 1]
#: Steps at which a schedule built from extreme arguments is asked for its rate.
EXTREME_STEPS = [0, 1, 7, 10**6, 2**62]


def _assert_finite(value, where: str) -> None:
    """Every number in ``value`` (a float, an array, a record) is finite."""
    if isinstance(value, bool | str | int) or value is None:
        return  # an int is exact (closed_form_steps may return 10**323), never inf
    if isinstance(value, float | np.floating):
        assert math.isfinite(value), f"{where} returned {value}"
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fiu":
            assert np.all(np.isfinite(value)), f"{where} returned an array with {value}"
    elif isinstance(value, tuple | list):
        for item in value:
            _assert_finite(item, where)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, lrtutor.Loss):
        for field_name in value.__dataclass_fields__:
            if field_name != "loss":
                _assert_finite(getattr(value, field_name), f"{where}.{field_name}")


def _clean_error(error: BaseException, where: str) -> None:
    message = str(error)
    assert "np.float64(" not in message and "np.int64(" not in message, (where, message)


def _use(result, where: str) -> None:
    """Check what a call returned; a schedule or a loss is asked for values too."""
    if isinstance(result, lrtutor.Loss):
        for x in (1.0, 1e308, -1e308, 5e-324):
            point = x if result.dim == 1 else np.full(result.dim, x)
            for function in (result.value, result.slope):
                try:
                    _assert_finite(function(point), f"{where}.{function.__name__}({x})")
                except (TypeError, ValueError) as error:
                    _clean_error(error, where)
    elif callable(result):
        for step in EXTREME_STEPS:
            try:
                _assert_finite(result(step), f"{where}({step})")
            except (TypeError, ValueError) as error:
                _clean_error(error, where)
    else:
        _assert_finite(result, where)


EXTREME_SWEEP = [
    (name, argument, bad)
    for name, kwargs in VALID_CALLS.items()
    for argument, good in kwargs.items()
    if not isinstance(good, bool) and isinstance(good, int | float)
    for bad in (EXTREME_INTS if isinstance(good, int) else EXTREME_FLOATS)
]


@pytest.mark.parametrize(("name", "argument", "bad"), EXTREME_SWEEP, ids=str)
def test_extreme_values_give_finite_results_or_clear_errors(name, argument, bad) -> None:
    """1e308, -1e308, 5e-324 or a huge count in each number argument in turn.

    The call either returns finite numbers (a schedule at steps up to 2**62, a loss at
    ±1e308 and 5e-324 too) or raises TypeError/ValueError whose message prints numbers
    plainly; never a warning (pytest turns warnings into errors), a NaN, an inf, an
    OverflowError or an unbounded loop.
    """
    where = f"{name}({argument}={bad!r})"
    try:
        result = getattr(lrtutor, name)(**{**VALID_CALLS[name], argument: bad})
    except (TypeError, ValueError) as error:
        _clean_error(error, where)
        return
    _use(result, where)


# The instances of issue 19, section 4, each a test that failed before the fix.


def test_logistic_loss_at_huge_weights_is_computed_stably() -> None:
    loss = lrtutor.logistic_regression([[1.0, 1.0]], [1.0])
    # z = 2e308 is beyond float64; the loss log(1 + exp(-z)) is 0 to every digit.
    assert loss.value([1e308, 1e308]) == 0.0
    assert loss.slope([1e308, 1e308]).tolist() == [0.0, 0.0]
    wrong_way = lrtutor.logistic_regression([[1.0, 1.0]], [0.0])
    with pytest.raises(ValueError, match=r"value at x = \[1e\+308, 1e\+308\].*not a finite"):
        wrong_way.value([1e308, 1e308])  # log(1 + exp(2e308)) is beyond the float range


def test_standardise_a_column_near_the_float_limit() -> None:
    got = lrtutor.standardise([[1e308, 1.0], [-1e308, 3.0]])
    assert got.tolist() == [[1.0, -1.0], [-1.0, 1.0]]  # (±1e308 - 0) / 1e308
    assert lrtutor.standardise([[5e-324, 1.0], [0.0, 3.0]]).tolist() == got.tolist()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: lrtutor.central_difference(lambda x: math.nan, 1.0), ValueError,
         r"central_difference: f\(x \+ h\) at x = 1.0, h = 0.0001 returned nan"),
        (lambda: lrtutor.forward_difference(lambda x: "one", 1.0), TypeError,
         r"forward_difference: f\(x \+ h\) at x = 1.0, h = 0.0001 returned str"),
        (lambda: lrtutor.gradient_step(1e308, 1e308, 10.0), ValueError, "the step overflows"),
        (lambda: lrtutor.exponential_decay(1.0, 1, 2.0)(10**6), ValueError,
         r"exponential_decay at step 1000000 is inf, not a finite rate"),
        (lambda: lrtutor.piecewise_constant_schedule(1e300, {1: 1e10, 5: 1e10}), ValueError,
         "boundaries_and_scales: from step 1 on the rate would be inf"),
        (lambda: lrtutor.SQUARE.value(1e200), ValueError, r"loss x\*\*2: value at x = 1e\+200"),
    ],
)
def test_results_are_checked(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


def test_a_slope_returning_nan_is_named_as_the_slope() -> None:
    loss = lrtutor.make_loss(lambda x: x * x, lambda x: math.nan)
    with pytest.raises(ValueError, match=r"x0 = 1.0: the slope there is nan") as info:
        lrtutor.run_gradient_descent(loss, 1.0, 0.1, 3)
    assert "loss (1.0)" not in str(info.value)
    with pytest.raises(ValueError, match="the slope there is nan"):
        lrtutor.steps_to_tolerance(loss, 1.0, 0.1, 0.01, target=0.0)


@pytest.mark.parametrize("dim", [1, 2])
def test_a_slope_returning_a_string_is_named(dim) -> None:
    loss = lrtutor.make_loss(lambda x: 1.0, lambda x: "two", dim=dim)
    x0 = 1.0 if dim == 1 else [1.0, 1.0]
    with pytest.raises(TypeError, match="its slope at x = .* (is a str|must be an array)"):
        lrtutor.run_gradient_descent(loss, x0, 0.1, 3)


def test_messages_print_numpy_numbers_plainly() -> None:
    with pytest.raises(ValueError, match=r"got 2\.0$"):
        lrtutor.logistic_regression([[1.0], [1.0]], np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match=r"got nan$"):
        lrtutor.constant_schedule(np.float64("nan"))
    assert _validate.show(np.float64(2.0)) == "2.0"
    assert _validate.show(np.int64(3)) == "3"


#: Every argument that counts iterations, and a call that makes its function loop.
ITERATION_COUNTS = [
    ("run_gradient_descent", "n_steps"),
    ("run_sign_descent", "n_steps"),
    ("run_momentum_descent", "n_steps"),
    ("steps_to_tolerance", "max_steps"),
    ("range_test", "num_it"),
    ("critical_rate", "n_steps"),
    ("run_sgd", "n_steps"),
    ("run_sgd_many", "n_steps"),
    ("mean_square_error", "n_steps"),
    ("minibatch_expected_loss", "n_steps"),
    ("minibatch_best_rate", "n_steps"),
    ("run_backtracking_descent", "n_steps"),
    ("run_polyak_descent", "n_steps"),
    ("run_adagrad", "n_steps"),
    ("run_rmsprop", "n_steps"),
    ("run_adam", "n_steps"),
]


@pytest.mark.parametrize(("name", "argument"), ITERATION_COUNTS)
def test_iteration_counts_have_a_documented_maximum(name, argument) -> None:
    function = getattr(lrtutor, name)
    assert "10**7" in inspect.getdoc(function), "the docstring must state the maximum"
    kwargs = {**VALID_CALLS[name], argument: _validate.MAX_ITERATIONS + 1}
    with pytest.raises(ValueError, match=rf"{argument} must be an int <= 10000000"):
        function(**kwargs)


def test_every_iteration_count_is_listed() -> None:
    """Any argument named like an iteration count is in ITERATION_COUNTS."""
    names = ("n_steps", "max_steps", "num_it", "max_iter", "n_iter", "iterations")
    found = {
        (name, argument)
        for name in _public_functions()
        for argument in inspect.signature(getattr(lrtutor, name)).parameters
        if argument in names
    }
    assert found == set(ITERATION_COUNTS)


def test_range_test_of_a_trillion_steps_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="num_it must be an int <= 10000000"):
        lrtutor.range_test(_FIT, [0.0, 0.0], num_it=10**12)
