"""Losses of one or more parameters, with their slopes (gradients).

A loss is a small frozen value object ([`Loss`][lrtutor.losses.Loss]): a value function, a slope
function, and what is known about it (curvature, minimiser). The value and slope
functions are written with plain arithmetic so that they accept Python floats,
`fractions.Fraction`, `decimal.Decimal` and NumPy arrays alike; that
is what lets [`lrtutor.nudge()`][lrtutor.nudge.nudge] evaluate them exactly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from . import _validate

__all__ = [
    "CUBIC",
    "SQUARE",
    "Loss",
    "central_difference",
    "diagonal_quadratic",
    "forward_difference",
    "make_loss",
    "quadratic",
]

Number = Any  # float, int, Fraction, Decimal or numpy array: whatever the functions accept


@dataclass(frozen=True)
class Loss:
    """A loss function together with its slope (gradient) function.

    Attributes:
        name: Short human-readable name, e.g. ``"x**2"``.
        value: ``value(x) -> loss``. For one parameter ``x`` is a scalar; for ``dim``
            parameters an array of shape ``(dim,)`` and the result a scalar.
        slope: ``slope(x) -> d loss / dx``, of the same shape as ``x``.
        dim: Number of parameters (1 for a scalar loss).
        curvatures: Second derivatives along each coordinate axis where they are
            constant (quadratic losses), else ``None``. Units: loss per parameter².
        minimiser: The ``x`` with the lowest loss where one is known, else ``None``.
        formula: The loss written as plain text, e.g. ``"x**2"``.
        slope_formula: The slope written as plain text, e.g. ``"2*x"``.
    """

    name: str
    value: Callable[[Number], Number]
    slope: Callable[[Number], Number]
    dim: int = 1
    curvatures: tuple[float, ...] | None = None
    minimiser: tuple[float, ...] | None = None
    formula: str = ""
    slope_formula: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError("name must be a non-empty str")
        if not callable(self.value):
            raise TypeError(f"value must be callable, got {type(self.value).__name__}")
        if not callable(self.slope):
            raise TypeError(f"slope must be callable, got {type(self.slope).__name__}")
        _validate.count("dim", self.dim, minimum=1)
        if self.curvatures is not None and len(self.curvatures) != self.dim:
            raise ValueError(
                f"curvatures must have one entry per parameter ({self.dim}), "
                f"got {len(self.curvatures)}"
            )
        # The public value and slope check their argument (a string or a NaN would
        # otherwise give 'twotwo' or a NaN that travels on); the runners validate the
        # start once and call the unchecked functions, kept as raw_value/raw_slope.
        for field in ("value", "slope"):
            raw = getattr(self, field)
            raw = getattr(raw, "__wrapped__", raw)
            object.__setattr__(self, f"raw_{field}", raw)
            object.__setattr__(self, field, _checked(raw, self.dim, f"loss {self.name}: {field}"))

    @property
    def max_curvature(self) -> float | None:
        """Largest curvature L, or ``None`` when the curvature is not constant."""
        return None if self.curvatures is None else max(self.curvatures)

    @property
    def min_curvature(self) -> float | None:
        """Smallest curvature, or ``None`` when the curvature is not constant."""
        return None if self.curvatures is None else min(self.curvatures)

    def __str__(self) -> str:
        return self.formula or self.name


def _checked(
    function: Callable[[Number], Number], dim: int, label: str
) -> Callable[[Number], Number]:
    """``function`` with its argument checked by ``_validate.point`` first, and its
    result after: a NaN, an infinity or an overflow raises ``ValueError`` naming
    ``label`` and ``x``, a result that is not a number ``TypeError``."""

    @functools.wraps(function)
    def checked(x: Number) -> Number:
        with np.errstate(all="ignore"):  # an overflow is reported below, not warned
            try:
                result = function(_validate.point("x", x, dim))
            except OverflowError:
                result = math.inf
        return _finite_result(f"{label} at x = {_validate.show(x)}", result)

    return checked


def _values_of(
    f: Callable[[Number], Number], points: list[tuple[str, Number]], name: str, x: Number,
    h: float,
) -> list[Number]:
    """``f`` at each point, each checked: a NaN, inf or non-number names the point."""
    values = []
    for label, at in points:
        with np.errstate(all="ignore"):
            try:
                value = f(at)
            except OverflowError:
                value = math.inf
        where = f"{name}: f({label}) at x = {_validate.show(x)}, h = {_validate.show(h)}"
        values.append(_finite_result(where, value))
    return values


def _finite_result(what: str, result: Number) -> Number:
    """``result`` unchanged if it is a finite number or array; else a clear error."""
    if isinstance(result, Fraction | int) and not isinstance(result, bool):
        return result
    if isinstance(result, Decimal):
        if not result.is_finite():
            raise ValueError(f"{what} is {result}, not finite")
        return result
    if isinstance(result, np.ndarray) and result.ndim:
        _validate.result_array(what, result)
        return result
    _validate.result(what, result)
    return result


def make_loss(
    value: Callable[[Number], Number],
    slope: Callable[[Number], Number],
    *,
    name: str = "custom loss",
    dim: int = 1,
    curvatures: Sequence[float] | None = None,
    minimiser: Sequence[float] | float | None = None,
    formula: str = "",
    slope_formula: str = "",
) -> Loss:
    """Define a loss from a value function and a slope function.

    Args:
        value: ``value(x) -> loss``; must accept whatever ``x`` you will pass
            (a float, or an array of shape ``(dim,)``).
        slope: ``slope(x) -> d loss / dx``, the derivative of ``value``, same shape as ``x``.
        name: Name shown in figures and reprs.
        dim: Number of parameters, >= 1.
        curvatures: Constant second derivatives along each axis, if known (length ``dim``).
        minimiser: Where the loss is lowest, if known (a number for ``dim == 1``).
        formula: The loss as plain text.
        slope_formula: The slope as plain text.

    Returns:
        A frozen [`Loss`][lrtutor.losses.Loss].

    Raises:
        TypeError: If ``value`` or ``slope`` is not callable.
        ValueError: If ``dim`` < 1 or ``curvatures`` has the wrong length.

    Examples:
        >>> cube = make_loss(lambda x: x**3, lambda x: 3 * x**2, name="x**3")
        >>> cube.slope(2.0)
        12.0
    """
    dim = _validate.count("dim", dim, minimum=1)
    if curvatures is not None:
        curvatures = _validate.real_array("curvatures", curvatures, shape=(dim,)).tolist()
    if minimiser is not None:
        minimiser = _validate.real_array("minimiser", minimiser).reshape(-1).tolist()
    return Loss(
        name=name,
        value=value,
        slope=slope,
        dim=dim,
        curvatures=None if curvatures is None else tuple(curvatures),
        minimiser=None if minimiser is None else tuple(minimiser),
        formula=formula,
        slope_formula=slope_formula,
    )


def quadratic(a: float = 1.0) -> Loss:
    """The one-parameter quadratic ``a * x**2``.

    Its slope is ``2*a*x`` and its curvature (second derivative) the constant
    ``L = 2*a``; the minimiser is ``x = 0``.

    Args:
        a: Positive, finite coefficient.

    Returns:
        A [`Loss`][lrtutor.losses.Loss] with ``curvatures == (2*a,)``.

    Raises:
        TypeError: If ``a`` is not a real number.
        ValueError: If ``a`` is not finite or not > 0.

    Examples:
        >>> quadratic(3.0).slope(1.0)
        6.0
    """
    a = _validate.positive("a", a)
    if a == 1.0:
        return make_loss(
            lambda x: x * x,
            lambda x: 2 * x,
            name="x**2",
            curvatures=(2.0,),
            minimiser=0.0,
            formula="x**2",
            slope_formula="2*x",
        )
    return make_loss(
        lambda x: a * (x * x),
        lambda x: (2 * a) * x,
        name=f"{a:g}*x**2",
        curvatures=(2 * a,),
        minimiser=0.0,
        formula=f"{a:g}*x**2",
        slope_formula=f"{2 * a:g}*x",
    )


def diagonal_quadratic(curvatures: Sequence[float]) -> Loss:
    """The quadratic ``0.5 * sum(L_i * x_i**2)`` of several parameters.

    Each parameter ``x_i`` has its own constant curvature ``L_i``; the gradient is
    ``L * x`` (elementwise) and the minimiser the origin. ``diagonal_quadratic([1, 10])``
    is ``0.5 * (x**2 + 10 * y**2)``.

    Args:
        curvatures: Positive, finite curvatures ``L_i``, one per parameter (at least one).

    Returns:
        A [`Loss`][lrtutor.losses.Loss] of ``dim == len(curvatures)``; ``value`` and ``slope`` take
        arrays of shape ``(dim,)``.

    Raises:
        TypeError: If an entry is not a real number.
        ValueError: If ``curvatures`` is empty or an entry is not finite and > 0.

    Examples:
        >>> loss = diagonal_quadratic([1.0, 10.0])
        >>> loss.slope(np.array([1.0, 1.0])).tolist()
        [1.0, 10.0]
    """
    if isinstance(curvatures, (str, bytes)) or not isinstance(curvatures, Sequence):
        curvatures = list(np.asarray(curvatures).ravel())
    if len(curvatures) == 0:
        raise ValueError("curvatures must hold at least one value")
    ls = tuple(_validate.positive(f"curvatures[{i}]", c) for i, c in enumerate(curvatures))
    arr = np.array(ls)
    terms = " + ".join(f"{c:g}*x{i}**2" for i, c in enumerate(ls))
    return make_loss(
        lambda x: 0.5 * float(np.sum(arr * np.asarray(x) ** 2)),
        # With one parameter, x may be a plain number (as the runner passes it): keep its shape.
        lambda x: arr * np.asarray(x) if np.ndim(x) else arr[0] * x,
        name=f"0.5*({terms})",
        dim=len(ls),
        curvatures=ls,
        minimiser=(0.0,) * len(ls),
        formula=f"0.5*({terms})",
        slope_formula=f"[{', '.join(f'{c:g}*x{i}' for i, c in enumerate(ls))}]",
    )


SQUARE: Loss = quadratic(1.0)
"""The tutorial's loss, ``x**2``: slope ``2*x``, curvature 2, minimum 0 at ``x = 0``."""

CUBIC: Loss = make_loss(
    lambda x: 5 * x**3,
    lambda x: 15 * x**2,
    name="5*x**3",
    formula="5*x**3",
    slope_formula="15*x**2",
)
"""The walkthrough's second example, ``5*x**3``: slope ``15*x**2``. It has no minimum."""


def forward_difference(f: Callable[[Number], Number], x: Number, h: float = 1e-4) -> Number:
    """Forward finite-difference estimate of the slope: ``(f(x + h) - f(x)) / h``.

    This is the walkthrough's "nudge" divided by the size of the nudge. Its error is
    of order ``h`` (Taylor's theorem; e.g. Nocedal & Wright, *Numerical Optimization*,
    2nd ed., section 8.1).

    Args:
        f: A function of one real argument.
        x: Where to estimate the slope (a number or an array, elementwise).
        h: Size of the nudge, finite and > 0.

    Returns:
        The estimate, same type and shape as ``f(x)``.

    Raises:
        TypeError: If ``h`` is not a real number, or ``f`` returns no number.
        ValueError: If ``h`` is not finite or not > 0, or the estimate is not finite
            (``f`` returned NaN or an infinity, or the difference overflows).

    Examples:
        >>> round(forward_difference(SQUARE.value, 2.0, 1e-4), 4)
        4.0001
    """
    f = _validate.function("f", f)
    h = _validate.positive("h", h)
    x = _validate.point("x", x)
    a, b = _values_of(f, [("x + h", x + h), ("x", x)], "forward_difference", x, h)
    with np.errstate(all="ignore"):
        estimate = (a - b) / h
    where = f"forward_difference at x = {_validate.show(x)}, h = {_validate.show(h)}"
    return _finite_result(where, estimate)


def central_difference(f: Callable[[Number], Number], x: Number, h: float = 1e-4) -> Number:
    """Central finite-difference estimate of the slope: ``(f(x + h) - f(x - h)) / (2*h)``.

    Its error is of order ``h**2`` (Nocedal & Wright, section 8.1); for a quadratic it
    is exact up to rounding.

    Args:
        f: A function of one real argument.
        x: Where to estimate the slope (a number or an array, elementwise).
        h: Half-width of the symmetric nudge, finite and > 0.

    Returns:
        The estimate, same type and shape as ``f(x)``.

    Raises:
        TypeError: If ``h`` is not a real number, or ``f`` returns no number.
        ValueError: If ``h`` is not finite or not > 0, or the estimate is not finite
            (``f`` returned NaN or an infinity, or the difference overflows).

    Examples:
        >>> round(central_difference(SQUARE.value, 2.0), 9)
        4.0
    """
    f = _validate.function("f", f)
    h = _validate.positive("h", h)
    x = _validate.point("x", x)
    a, b = _values_of(f, [("x + h", x + h), ("x - h", x - h)], "central_difference", x, h)
    with np.errstate(all="ignore"):
        estimate = (a - b) / (2 * h)
    where = f"central_difference at x = {_validate.show(x)}, h = {_validate.show(h)}"
    return _finite_result(where, estimate)
