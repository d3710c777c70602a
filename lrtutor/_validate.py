"""Argument checks shared by every public function of lrtutor (private module).

One rule, one place (after NumPy's ``_validate`` helpers and scikit-learn's
``check_array``): each check takes the argument's *name* and its value, returns the
value converted to the type the caller computes with, and otherwise raises

* ``TypeError`` naming the argument when the value is not of an accepted type (a
  string, ``None``, a bool where a number is wanted, a callable where a constant is
  wanted), and
* ``ValueError`` naming the argument and the allowed range when the type is right but
  the value is not (NaN, infinity, a negative count, a wrongly shaped array).

A check never lets a NumPy warning or a NaN through: whatever passes is finite unless
the check says otherwise.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import Any

import numpy as np

#: The largest step index a schedule or a runner accepts (int64's maximum).
MAX_STEP = 2**63 - 1

#: The most iterations any function runs (``n_steps``, ``max_steps``, ``num_it`` ...):
#: ten million updates of one parameter take about ten seconds; a larger count is a
#: typo far more often than a plan, and would run for hours or years.
MAX_ITERATIONS = 10**7


def _type_name(value: object) -> str:
    return type(value).__name__


#: NumPy 2's print option that prints scalars as NumPy 1 did; NumPy 1 has no "1.25" mode
#: (it raises KeyError) and prints them so already.
_PLAIN_SCALARS: str | bool = "1.25" if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else False


def show(value: object) -> str:
    """``value`` as an error message should print it: ``2.0``, not ``np.float64(2.0)``.

    NumPy 2's ``repr`` of a scalar names its type; messages print NumPy floats and ints
    as the Python numbers they equal, and everything else by its ``repr``.

    Examples:
        >>> show(np.float64(2.0)), show(np.int64(3)), show("two"), show(np.nan)
        ('2.0', '3', "'two'", 'nan')
    """
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))
    if isinstance(value, np.ndarray):
        with np.printoptions(legacy=_PLAIN_SCALARS):
            return np.array2string(value, separator=", ", threshold=8)
    return repr(value)


def real(name: str, value: object) -> float:
    """``value`` as a float; ``TypeError`` unless it is a real number (bools refused).

    Ints beyond the float range become ``±inf`` (never ``OverflowError``); a 0-d or
    size-1 NumPy array is not a number here (pass ``.item()``).

    Examples:
        >>> real("learning_rate", 1)
        1.0
        >>> real("learning_rate", "0.1")
        Traceback (most recent call last):
        ...
        TypeError: learning_rate must be a real number, got str
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        hint = " (a constant, not a schedule or other function)" if callable(value) else ""
        raise TypeError(f"{name} must be a real number{hint}, got {_type_name(value)}")
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range
        return math.inf if value > 0 else -math.inf


def finite(name: str, value: object) -> float:
    """A finite real number, as a float."""
    number = real(name, value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {show(value)}")
    return number


def positive(name: str, value: object) -> float:
    """A finite real number > 0, as a float."""
    number = real(name, value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {show(value)}")
    return number


def non_negative(name: str, value: object) -> float:
    """A finite real number >= 0, as a float."""
    number = real(name, value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {show(value)}")
    return number


def in_range(
    name: str,
    value: object,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number in the interval from ``low`` to ``high``, as a float.

    ``low_open``/``high_open`` exclude that end: ``in_range("b1", b, 0, 1,
    high_open=True)`` accepts ``0 <= b < 1``.

    Examples:
        >>> in_range("b1", 1.0, 0, 1, high_open=True)
        Traceback (most recent call last):
        ...
        ValueError: b1 must be in [0, 1), got 1.0
    """
    number = real(name, value)
    above = number > low if low_open else number >= low
    below = number < high if high_open else number <= high
    if not (math.isfinite(number) and above and below):
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {interval}, got {show(value)}")
    return number


def count(name: str, value: object, *, minimum: int = 0, maximum: int = MAX_STEP) -> int:
    """An int (bools refused) with ``minimum <= value <= maximum``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {_type_name(value)}")
    number = int(value)
    if number < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {number}")
    if number > maximum:
        raise ValueError(f"{name} must be an int <= {maximum}, got {number}")
    return number


def iterations(name: str, value: object, *, minimum: int = 0) -> int:
    """An iteration count: an int from ``minimum`` to ``MAX_ITERATIONS`` (10**7)."""
    return count(name, value, minimum=minimum, maximum=MAX_ITERATIONS)


def result(what: str, value: object) -> float:
    """A number a function returned, as a finite float; else an error naming ``what``.

    ``what`` says who returned it (``"loss.slope(1.0)"``). A value that is not a real
    number gives ``TypeError``; NaN or an infinity gives ``ValueError``, so neither
    travels on.

    Examples:
        >>> result("slope(1.0)", np.float64(2.0))
        2.0
        >>> result("slope(1.0)", "2")
        Traceback (most recent call last):
        ...
        TypeError: slope(1.0) returned str, not a real number
        >>> result("slope(1.0)", float("nan"))
        Traceback (most recent call last):
        ...
        ValueError: slope(1.0) returned nan, not a finite number
    """
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(()).item()
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} returned {_type_name(value)}, not a real number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{what} returned {show(value)}, not a finite number")
    return number


def result_array(what: str, value: object) -> np.ndarray:
    """An array a function returned, as a float array with finite entries."""
    try:
        arr = real_array(what, value, allow_empty=True, allow_nonfinite=True)
    except (TypeError, ValueError):
        raise TypeError(f"{what} returned {_type_name(value)}, not an array of real numbers") \
            from None
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise ValueError(f"{what} returned an array holding {show(bad)}, not finite numbers")
    return arr


def flag(name: str, value: object) -> bool:
    """A bool (Python's or NumPy's)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, got {_type_name(value)}")
    return bool(value)


def real_array(
    name: str,
    value: Any,
    *,
    ndim: int | None = None,
    shape: tuple[int | None, ...] | None = None,
    allow_empty: bool = False,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """``value`` as a new float64 array, checked for type, shape and finiteness.

    Args:
        name: The argument's name, for messages.
        value: An array-like of real numbers (no strings, no bools, no complex).
        ndim: Required number of dimensions, if any.
        shape: Required shape; ``None`` in an entry accepts any length there.
        allow_empty: Whether an array with no elements passes.
        allow_nonfinite: Whether NaN and infinities pass.

    Raises:
        TypeError: If an entry is not a real number.
        ValueError: If the shape is wrong, the array is empty (unless allowed) or an
            entry is not finite (unless allowed).
    """
    if isinstance(value, str | bytes) or value is None:
        raise TypeError(f"{name} must be an array of real numbers, got {_type_name(value)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists, say
        raise ValueError(f"{name} must be a rectangular array of real numbers ({error})") from None
    if raw.dtype == object:  # e.g. a list mixing ints beyond float64 with floats
        entries = [real(f"every entry of {name}", item) for item in raw.flat]
        arr = np.array(entries, dtype=float).reshape(raw.shape)
    elif raw.dtype.kind in "iuf":
        arr = np.array(raw, dtype=float)
    else:
        kind = {"b": "bool", "c": "complex", "U": "str", "S": "bytes"}.get(
            raw.dtype.kind, str(raw.dtype)
        )
        raise TypeError(f"{name} must hold real numbers, got an array of {kind}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(
            want is None or want == got for want, got in zip(shape, arr.shape, strict=True)
        )
        if not ok:
            wanted = ", ".join("n" if s is None else str(s) for s in shape)
            wanted = f"({wanted},)" if len(shape) == 1 else f"({wanted})"
            raise ValueError(f"{name} must have shape {wanted}, got {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not allow_nonfinite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return arr


def point(name: str, value: Any, dim: int | None = None) -> Any:
    """A place to evaluate a loss at: one real number, or an array of real numbers.

    A number is returned as it is (a ``Fraction`` or ``Decimal`` stays exact); an
    array-like becomes a float64 array. With ``dim`` > 1 the array must have shape
    ``(dim,)``; with ``dim`` == 1 (or ``None``) any shape is evaluated elementwise.
    NaN and infinities are refused: a loss evaluated there would pass a NaN on.

    Examples:
        >>> from fractions import Fraction
        >>> point("x", Fraction(1, 3))
        Fraction(1, 3)
        >>> point("x", [1, 2], dim=2).tolist()
        [1.0, 2.0]
        >>> point("x", "two")
        Traceback (most recent call last):
        ...
        TypeError: x must be a real number or an array of real numbers, got str
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{name} must be finite, got {show(value)}")
        number: Any = value
    elif isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        if isinstance(value, numbers.Rational):  # int, Fraction: exact, finite
            return value
        number = value
        if not math.isfinite(float(value)):
            raise ValueError(f"{name} must be finite, got {show(value)}")
    else:
        if isinstance(value, numbers.Number) or callable(value):
            raise TypeError(
                f"{name} must be a real number or an array of real numbers, "
                f"got {_type_name(value)}"
            )
        shape = (dim,) if dim is not None and dim > 1 else None
        try:
            return real_array(name, value, shape=shape, allow_empty=dim is None or dim == 1)
        except TypeError:
            raise TypeError(
                f"{name} must be a real number or an array of real numbers, "
                f"got {_type_name(value)}"
            ) from None
    if dim is not None and dim > 1:
        raise ValueError(f"{name} must be an array of shape ({dim},), got a single number")
    return number


def function(name: str, value: object) -> Any:
    """A callable (a loss's value function, a schedule ...)."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {_type_name(value)}")
    return value


def instance(name: str, value: object, kind: type) -> Any:
    """``value`` unchanged if it is an instance of ``kind``; ``TypeError`` naming it otherwise.

    The accepted type is an argument (after scikit-learn's ``check_scalar``), so this
    module imports none of lrtutor's and stays a leaf of its import graph.

    Examples:
        >>> instance("loss", 2.0, str)
        Traceback (most recent call last):
        ...
        TypeError: loss must be a str, got float
    """
    if not isinstance(value, kind):
        owner = "lrtutor " if kind.__module__.split(".")[0] == "lrtutor" else ""
        raise TypeError(f"{name} must be a {owner}{kind.__name__}, got {_type_name(value)}")
    return value
