"""Nudging ``x`` a little and watching the loss: exact decimal arithmetic.

Binary floating point cannot hold ``2.0001`` exactly, so in Python ``2.0001**2``
prints ``4.000400010000001``. The walkthrough's numbers are exact decimals, so
[`nudge()`][lrtutor.nudge.nudge] does the arithmetic on `decimal.Decimal` values built from the
decimal strings themselves, and refuses (rather than rounds silently) when a result
would not be exact.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from . import _validate
from .losses import Loss

__all__ = ["Nudge", "exact_decimal", "nudge"]

_PRECISION = 60


def exact_decimal(x: str | int | Decimal | Fraction) -> Decimal:
    """Convert a number to a `Decimal` without any rounding.

    Args:
        x: A decimal string such as ``"2.0001"``, an int, a ``Decimal``, or a
            ``Fraction`` whose denominator has no prime factors but 2 and 5.
            Floats are refused: ``2.0001`` as a float is already inexact.

    Returns:
        The same number as a ``Decimal``.

    Raises:
        TypeError: If ``x`` is a float or another type.
        ValueError: If the string is not a finite decimal number, or the fraction
            has no finite decimal expansion.

    Examples:
        >>> exact_decimal("2.0001") ** 2
        Decimal('4.00040001')
    """
    return _exact_decimal("x", x)


def _exact_decimal(name: str, x: object) -> Decimal:
    if isinstance(x, bool) or isinstance(x, float):
        raise TypeError(
            f"{name} must be a decimal string, int, Decimal or Fraction, not "
            f"{type(x).__name__} (a float is already rounded; write it as a string)"
        )
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, int):
        value = Decimal(x)
    elif isinstance(x, str):
        try:
            value = Decimal(x)
        except decimal.InvalidOperation:
            raise ValueError(f"{name} must be a decimal number, got {_validate.show(x)}") from None
    elif isinstance(x, Fraction):
        den = x.denominator
        for p in (2, 5):
            while den % p == 0:
                den //= p
        if den != 1:
            raise ValueError(f"{name} = {x} has no finite decimal expansion")
        with decimal.localcontext() as ctx:
            ctx.prec = _PRECISION
            ctx.traps[decimal.Inexact] = True
            value = Decimal(x.numerator) / Decimal(x.denominator)
    else:
        raise TypeError(
            f"{name} must be a decimal string, int, Decimal or Fraction, not {type(x).__name__}"
        )
    if not value.is_finite():
        raise ValueError(f"{name} must be finite, got {_validate.show(x)}")
    return value


@dataclass(frozen=True)
class Nudge:
    """What a small change of ``x`` does to the loss, in exact decimals.

    Attributes:
        x: Where we stand.
        h: The nudge (may be negative).
        before: ``loss(x)``.
        after: ``loss(x + h)``.
        change: ``after - before``.
        slope_estimate: ``change / h``, the forward finite-difference slope.
        direction: ``"up"`` if the loss grew, ``"down"`` if it fell, ``"flat"`` otherwise.
    """

    x: Decimal
    h: Decimal
    before: Decimal
    after: Decimal
    change: Decimal
    slope_estimate: Decimal
    direction: str


def nudge(loss: Loss, x: str | int | Decimal | Fraction, h: str | Decimal = "0.0001") -> Nudge:
    """Evaluate the loss at ``x`` and at ``x + h`` exactly.

    Args:
        loss: A one-parameter loss whose ``value`` uses plain arithmetic (all the
            built-in ones do), so that it accepts ``Decimal``.
        x: Where to stand, as a decimal string, int, ``Decimal`` or ``Fraction``.
        h: The nudge, non-zero, same types as ``x``. Default ``"0.0001"``.

    Returns:
        A [`Nudge`][lrtutor.nudge.Nudge].

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss] or ``x``/``h`` is a float.
        ValueError: If ``h`` is zero, ``loss`` has more than one parameter, or a result
            cannot be represented exactly in 60 significant digits.

    Examples:
        >>> from lrtutor import SQUARE
        >>> print(nudge(SQUARE, "2").after)
        4.00040001
    """
    loss = _validate.instance("loss", loss, Loss)
    if loss.dim != 1:
        raise ValueError(f"loss must have one parameter, got dim={loss.dim}")
    xd = _exact_decimal("x", x)
    hd = _exact_decimal("h", h)
    if hd == 0:
        raise ValueError("h must be non-zero")
    with decimal.localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.traps[decimal.Inexact] = True
        try:
            before = Decimal(loss.value(xd))
            after = Decimal(loss.value(xd + hd))
            change = after - before
            slope = change / hd
        except decimal.Inexact:
            raise ValueError(
                f"loss {loss.name} at x = {xd} has no exact decimal value within "
                f"{_PRECISION} digits"
            ) from None
    direction = "up" if change > 0 else "down" if change < 0 else "flat"
    return Nudge(
        x=xd,
        h=hd,
        before=before,
        after=after,
        change=change,
        slope_estimate=slope,
        direction=direction,
    )
