"""Stability analysis of gradient descent on quadratic losses.

On a quadratic with constant curvature ``L`` (second derivative), one update
``x_new = x - lr * L * x`` multiplies the distance to the minimiser by
``1 - lr * L``. Everything here follows from that factor:

* ``0 < lr*L < 1``: the factor is in ``(0, 1)``; ``x`` shrinks and keeps its sign
  ("monotone").
* ``lr*L == 1``: the factor is 0; the first update lands on the minimiser
  ("one step").
* ``1 < lr*L < 2``: the factor is in ``(-1, 0)``; ``x`` flips sign every update and
  still shrinks ("oscillating").
* ``lr*L == 2``: the factor is -1; ``x`` flips sign and keeps its size forever
  ("bouncing").
* ``lr*L > 2``: the factor is below -1; ``|x|`` grows every update ("diverging").

So the largest stable learning rate is ``2 / L`` and the fastest is ``1 / L``. With
several parameters and curvatures ``L_min .. L_max`` each direction has its own
factor; the rate must be below ``2 / L_max``, and the rate ``2 / (L_min + L_max)``
balances the slowest and the fastest direction, giving the factor
``(kappa - 1) / (kappa + 1)`` with the condition number ``kappa = L_max / L_min``.

Comparisons with 1 and 2 are made exactly, on `fractions.Fraction` copies of
the floats, so ``lr = 0.5`` on ``x**2`` (``L = 2``) is exactly "one step".

References:
    Y. Nesterov, *Introductory Lectures on Convex Optimization*, Kluwer, 2004,
    section 2.1.5 (Theorem 2.1.15).
    S. Boyd and L. Vandenberghe, *Convex Optimization*, Cambridge, 2004, section 9.3.
    G. Goh, "Why Momentum Really Works", Distill, 2017, https://distill.pub/2017/momentum/.
"""

from __future__ import annotations

import decimal
import math
import numbers
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from . import _validate
from .descent import MAX_LOSS, steps_to_tolerance
from .losses import Loss

__all__ = [
    "REGIMES",
    "Regime",
    "best_contraction_factor",
    "best_contraction_factor_exact",
    "best_learning_rate",
    "best_learning_rate_exact",
    "closed_form_steps",
    "condition_number",
    "contraction_factor",
    "critical_learning_rate",
    "curvature",
    "one_step_learning_rate",
    "regime",
]

Regime = Literal["monotone", "one step", "oscillating", "bouncing", "diverging"]
"""What gradient descent does on a quadratic at a given learning rate."""

REGIMES: tuple[Regime, ...] = ("monotone", "one step", "oscillating", "bouncing", "diverging")
"""All regimes, from the smallest learning rate to the largest."""

# Unit roundoff of float64.
_U = 2.0**-53

# closed_form_steps replays the runner only for counts up to this many steps.
_REPLAY_LIMIT = 1_000_000


# --------------------------------------------------------------------------- checks


def constant_curvatures(loss: object) -> tuple[float, ...]:
    """The curvatures of a quadratic loss, each checked finite and > 0 (package-internal)."""
    loss = _validate.instance("loss", loss, Loss)
    if loss.curvatures is None:
        raise ValueError(
            f"loss {loss.name} has no constant curvature (curvatures is None); "
            "the analysis needs a quadratic loss such as quadratic(a) or diagonal_quadratic"
        )
    for i, c in enumerate(loss.curvatures):
        if not math.isfinite(c) or c <= 0:
            raise ValueError(
                f"loss curvatures must be finite and > 0, got curvatures[{i}] = "
                f"{_validate.show(c)}"
            )
    return loss.curvatures


def _single_curvature(loss: object, what: str) -> float:
    curvatures = constant_curvatures(loss)
    if len(curvatures) != 1:
        raise ValueError(
            f"{what} needs a loss of one parameter (dim == 1), got dim == {len(curvatures)}"
        )
    return curvatures[0]


def _products(loss: object, learning_rate: object) -> list[Fraction]:
    """Exact ``lr * L_i`` for every direction."""
    curvatures = constant_curvatures(loss)
    rate = _validate.positive("learning_rate", learning_rate)
    # An exact rate (Fraction, Decimal, int) is used as given; a float as the binary
    # number it is.
    exact = isinstance(learning_rate, (Fraction, Decimal, numbers.Integral))
    lr = Fraction(learning_rate) if exact else Fraction(rate)
    return [lr * Fraction(c) for c in curvatures]


# ---------------------------------------------------------------- one and many directions


def curvature(loss: Loss) -> float:
    """The constant curvature ``L`` (second derivative) of a one-parameter quadratic.

    Formula: for ``a * x**2``, ``L = 2 * a``.

    Args:
        loss: A one-parameter loss with constant curvature, e.g. ``quadratic(a)``.

    Returns:
        ``L`` as a float.

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: If the loss has no constant curvature, a curvature that is not
            finite and > 0, or more than one parameter.

    Examples:
        >>> from lrtutor.losses import SQUARE, quadratic
        >>> curvature(SQUARE), curvature(quadratic(3.0))
        (2.0, 6.0)

    References:
        Nesterov (2004), section 2.1.5.
    """
    return _single_curvature(loss, "curvature")


def critical_learning_rate(loss: Loss) -> float:
    """The learning rate at which gradient descent stops converging: ``2 / L_max``.

    Formula: ``lr_crit = 2 / L_max``; below it every direction converges, at it the
    stiffest direction bounces (``|x|`` constant), above it the run diverges.

    Args:
        loss: A quadratic loss with constant curvatures (one or several parameters).

    Returns:
        ``2 / L_max`` as a float.

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: If the loss has no constant curvature or a curvature that is
            not finite and > 0.

    Examples:
        >>> from lrtutor.losses import SQUARE, diagonal_quadratic
        >>> critical_learning_rate(SQUARE), critical_learning_rate(diagonal_quadratic([1, 10]))
        (1.0, 0.2)

    References:
        Nesterov (2004), Theorem 2.1.15; Goh (2017), "Why Momentum Really Works".
    """
    return 2.0 / max(constant_curvatures(loss))


def one_step_learning_rate(loss: Loss) -> float:
    """The learning rate that reaches the minimiser in one update: ``1 / L``.

    Formula: ``lr = 1 / L`` makes the factor ``1 - lr*L`` zero.

    Args:
        loss: A one-parameter quadratic.

    Returns:
        ``1 / L`` as a float. (Unless ``L`` is a power of two, ``1 / L`` is rounded,
        so in float arithmetic the first update lands very near, not exactly on,
        the minimiser; [`regime()`][lrtutor.analysis.regime] then reports the exact regime of the
        rounded rate.)

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: As [`curvature()`][lrtutor.analysis.curvature].

    Examples:
        >>> from lrtutor.losses import SQUARE
        >>> one_step_learning_rate(SQUARE)
        0.5

    References:
        Nesterov (2004), section 2.1.5.
    """
    return 1.0 / _single_curvature(loss, "one_step_learning_rate")


def contraction_factor(loss: Loss, learning_rate: float) -> float:
    """How much one update multiplies the worst-case distance to the minimiser.

    Formula: ``max_i |1 - learning_rate * L_i|``. Below 1 the run converges
    (geometrically, at that rate per update); 1 means no progress in some
    direction; above 1 it diverges.

    Args:
        loss: A quadratic loss with constant curvatures.
        learning_rate: A constant learning rate, finite and > 0.

    Returns:
        The factor as a float (computed exactly, then rounded once).

    Raises:
        TypeError: If ``loss`` is not a Loss or ``learning_rate`` not a real number.
        ValueError: If the loss has no constant curvature, ``learning_rate`` is
            not finite and > 0, or the factor is beyond the float range.

    Examples:
        >>> from lrtutor.losses import SQUARE
        >>> contraction_factor(SQUARE, 0.25), contraction_factor(SQUARE, 0.75)
        (0.5, 0.5)

    References:
        Nesterov (2004), Theorem 2.1.15; Goh (2017).
    """
    factor = max(abs(1 - p) for p in _products(loss, learning_rate))
    try:
        return float(factor)
    except OverflowError:  # learning_rate * L beyond the float range
        raise ValueError(
            f"the contraction factor for learning_rate = {_validate.show(learning_rate)} is "
            "beyond the float range (learning_rate * L overflows)"
        ) from None


def regime(loss: Loss, learning_rate: float) -> Regime:
    """Classify what gradient descent does on a quadratic at this learning rate.

    Formula (one parameter, ``p = learning_rate * L``): ``0 < p < 1`` "monotone",
    ``p == 1`` "one step", ``1 < p < 2`` "oscillating", ``p == 2`` "bouncing",
    ``p > 2`` "diverging". For several parameters, with ``p_i = learning_rate * L_i``:
    "diverging" if any ``p_i > 2``, else "bouncing" if ``max p_i == 2``, else
    "oscillating" if any ``p_i > 1``, else "one step" if every ``p_i == 1``, else
    "monotone" (no coordinate changes sign; those with ``p_i == 1`` land on 0).

    The products are formed exactly from `fractions.Fraction` copies of the
    floats, so the answer is the true regime of the numbers given: ``0.5`` on
    ``x**2`` is exactly "one step", ``1.0`` exactly "bouncing", while ``1/6`` on
    ``3*x**2`` (``L = 6``) is not exactly "one step" because ``1/6`` is rounded.
    Pass a `fractions.Fraction` to ask about the exact rate: ``Fraction(1, 6)`` is
    "one step" there.

    Args:
        loss: A quadratic loss with constant curvatures.
        learning_rate: A constant learning rate, finite and > 0: a float, or a
            ``Fraction``/``Decimal``/``int`` taken exactly.

    Returns:
        One of [`REGIMES`][lrtutor.analysis.REGIMES].

    Raises:
        TypeError: If ``loss`` is not a Loss or ``learning_rate`` not a real number.
        ValueError: If the loss has no constant curvature, or ``learning_rate`` is
            not finite and > 0.

    Examples:
        >>> from lrtutor.losses import SQUARE
        >>> [regime(SQUARE, lr) for lr in (0.1, 0.5, 0.9, 1.0, 1.1)]
        ['monotone', 'one step', 'oscillating', 'bouncing', 'diverging']

    References:
        Goh (2017), "Why Momentum Really Works", section "First steps: gradient descent".
    """
    products = _products(loss, learning_rate)
    largest = max(products)
    if largest > 2:
        return "diverging"
    if largest == 2:
        return "bouncing"
    if largest > 1:
        return "oscillating"
    if all(p == 1 for p in products):
        return "one step"
    return "monotone"


# ------------------------------------------------------------------- steps to tolerance


def _ln_factor(factor: Fraction) -> Decimal:
    """``ln(factor)`` for ``0 < factor < 1`` to the current Decimal precision."""
    gap = 1 - factor
    if gap >= Fraction(1, 10**12):
        return (Decimal(factor.numerator) / Decimal(factor.denominator)).ln()
    # ln(1 - q) = -(q + q**2/2 + q**3/3 + ...), avoiding the cancellation in 1 - q.
    q = Decimal(gap.numerator) / Decimal(gap.denominator)
    total, term, k = Decimal(0), q, 1
    while term / k > total * Decimal("1e-70") or k == 1:
        total += term / k
        term *= q
        k += 1
    return -total


def _real_number_count(size: float, factor: Fraction, tol: float) -> tuple[int, Decimal, Decimal]:
    """Smallest ``t >= 1`` with ``size * factor**t < tol`` (real numbers), ``size >= tol``.

    Returns ``(t, margin_before, margin_at)`` where ``margin_before`` is
    ``ln(size * factor**(t-1) / tol)`` (>= 0) and ``margin_at`` is
    ``ln(size * factor**t / tol)`` (< 0), both to about 50 significant digits.
    """
    ln_factor = _ln_factor(factor)
    ln_ratio = Decimal(size).ln() - Decimal(tol).ln()  # >= 0
    bound = ln_ratio / -ln_factor  # size * factor**t < tol  <=>  t > bound
    t = int(bound.to_integral_value(rounding=decimal.ROUND_FLOOR)) + 1
    return t, ln_ratio + (t - 1) * ln_factor, ln_ratio + t * ln_factor


def closed_form_steps(loss: Loss, x0: float, learning_rate: float, tol: float) -> int | None:
    """Number of updates until ``|x| < tol``, from the closed form, without running.

    Formula: on a one-parameter quadratic with minimiser 0, ``|x_t| = |x0| * f**t``
    with ``f = |1 - learning_rate * L|``, so the count is the smallest integer
    ``t`` with ``|x0| * f**t < tol``: ``0`` if ``|x0| < tol``; ``1`` if ``f == 0``;
    ``None`` (never) if ``f >= 1``; otherwise
    ``t = floor(log(|x0| / tol) / log(1 / f)) + 1``, i.e. ``ceil(log(tol/|x0|) / log(f))``
    except that an exact power lands one further (``|x0| * f**t == tol`` is not
    below ``tol``).

    How it is made exact, i.e. equal to
    [`lrtutor.steps_to_tolerance()`][lrtutor.descent.steps_to_tolerance] (which
    runs the updates in float64): ``f`` is formed exactly as a Fraction, and the
    logarithms are taken with 60-digit `decimal` arithmetic, which gives the
    real-number count and how far ``|x0| * f**(t-1)`` and ``|x0| * f**t`` lie from
    ``tol``. The float runner computes ``x - lr * (L * x)``, three roundings per
    update, so after ``k`` updates its ``|x_k|`` differs from ``|x0| * f**k`` by a
    relative error of at most about ``k * u * (1 + 5 * lr*L / f)`` (``u = 2**-53``).
    When both margins exceed that bound, the runner must agree with the real-number
    count, which is returned. Otherwise (an exact or near-exact power, ``f`` within
    rounding of 0, numbers near the underflow/overflow range, or a slope function
    that is not ``L * x`` to within rounding) the count is found by replaying the
    runner ([`lrtutor.steps_to_tolerance()`][lrtutor.descent.steps_to_tolerance]),
    which is cheap because the count is then small or the case rare. Only when such
    a case needs more than a million updates is the real-number count returned (it
    may then differ from a float run by one update).

    Unlike [`lrtutor.steps_to_tolerance()`][lrtutor.descent.steps_to_tolerance], there
    is no ``max_steps``: the count for ``learning_rate = 1e-9`` is as quick as for 0.1.

    Args:
        loss: A one-parameter quadratic with minimiser 0, e.g. ``quadratic(a)``.
        x0: Start, a finite number.
        learning_rate: A constant learning rate, finite and > 0.
        tol: Tolerance, finite and > 0, in units of ``x``.

    Returns:
        The number of updates, or ``None`` if ``|1 - learning_rate * L| >= 1``
        (the run never gets within ``tol`` unless it starts there).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the loss is not a one-parameter quadratic with minimiser 0,
            ``x0`` is not finite or its loss is non-finite or above ``1e100`` (the
            runner refuses such a start), or ``learning_rate``/``tol`` is not finite
            and > 0.

    Examples:
        >>> from lrtutor.losses import SQUARE
        >>> [closed_form_steps(SQUARE, 2.0, lr, 0.01) for lr in (0.0001, 0.1, 0.25, 0.5, 0.9)]
        [26489, 24, 8, 1, 24]
        >>> closed_form_steps(SQUARE, 2.0, 1.0, 0.01) is None
        True

    References:
        Nesterov (2004), section 2.1.5; N. J. Higham, *Accuracy and Stability of
        Numerical Algorithms*, 2nd ed., SIAM, 2002, chapter 2 (rounding-error model).
    """
    L = _single_curvature(loss, "closed_form_steps")
    if loss.minimiser is None or loss.minimiser[0] != 0:
        raise ValueError(
            f"closed_form_steps needs a quadratic with minimiser 0, got minimiser "
            f"{_validate.show(None if loss.minimiser is None else loss.minimiser[0])}"
        )
    start = _validate.finite("x0", x0)
    lr = _validate.positive("learning_rate", learning_rate)
    tol = _validate.positive("tol", tol)
    size = abs(start)
    if size < tol:
        return 0
    # The loss's own checks name a NaN, an infinity or a result that is no number.
    value = _validate.result(f"loss {loss.name}: value at x0 = {_validate.show(start)}",
                             loss.value(start))
    slope = _validate.result(f"loss {loss.name}: slope at x0 = {_validate.show(start)}",
                             loss.slope(start))
    if abs(value) > MAX_LOSS:
        raise ValueError(
            f"x0 = {_validate.show(start)}: the loss there is {_validate.show(value)}, "
            "above 1e100"
        )

    product = Fraction(lr) * Fraction(L)
    factor = abs(1 - product)
    if factor >= 1:
        return None

    trusted = _bound_applies(
        size, tol, lr, L, factor, Fraction(slope) - Fraction(L) * Fraction(start)
    )
    if factor == 0:
        # The runner's x_1 is pure rounding error: |x_1| <= |x0| * lr*L * 5.01u.
        if trusted and size * float(product) * 6 * _U < tol:
            return 1
        return steps_to_tolerance(loss, start, lr, tol, max_steps=_REPLAY_LIMIT)
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        t, before, at = _real_number_count(size, factor, tol)
        if trusted:
            drift = Decimal(1.02 * _U * (1.0001 + 5.0001 * float(product) / float(factor)))
            slack = Decimal("1e-45") * (1 + abs(before) + abs(at))
            miss_sure = t == 1 or before - (t - 1) * drift > slack
            hit_sure = at + t * drift < -slack
            if miss_sure and hit_sure:
                return t
    if t > _REPLAY_LIMIT:
        return t
    return steps_to_tolerance(loss, start, lr, tol, max_steps=_REPLAY_LIMIT)


def _bound_applies(
    size: float, tol: float, lr: float, L: float, factor: Fraction, slope_error: Fraction
) -> bool:
    """Whether the rounding-error bound of closed_form_steps holds for this run."""
    # The slope must be L * x to within 4 roundings (quadratic() has one, SQUARE none).
    if abs(slope_error) > 4 * Fraction(_U) * Fraction(L) * Fraction(size):
        return False
    # Every number the runner forms up to the crossing (x, L*x, lr*L*x with
    # tol * factor / 2 <= |x| <= |x0|) must be a normal float.
    low = tol * (0.5 * float(factor) if factor else 1.0)
    high = size * max(1.0, L, L * lr)
    if not (low * min(1.0, L, L * lr) >= 2.0**-1000 and high <= 2.0**1000):
        return False
    # The rounding in one update must be small next to the factor itself.
    return factor == 0 or 5.0001 * _U * float(Fraction(lr) * Fraction(L) / factor) <= 0.01


# ------------------------------------------------------------------- several directions


def condition_number(loss: Loss) -> float:
    """The condition number ``kappa = L_max / L_min`` of a quadratic.

    Formula: ``kappa = L_max / L_min`` (1 for one parameter). The larger it is, the
    slower the best constant learning rate converges.

    Args:
        loss: A quadratic loss with constant curvatures.

    Returns:
        ``kappa`` as a float.

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: If the loss has no constant curvature or a curvature that is
            not finite and > 0.

    Examples:
        >>> from lrtutor.losses import diagonal_quadratic
        >>> condition_number(diagonal_quadratic([1, 10]))
        10.0

    References:
        Nesterov (2004), section 2.1.5; Boyd and Vandenberghe (2004), section 9.3.
    """
    curvatures = constant_curvatures(loss)
    return max(curvatures) / min(curvatures)


def best_learning_rate_exact(loss: Loss) -> Fraction:
    """The best constant learning rate ``2 / (L_min + L_max)``, as an exact Fraction.

    Formula: ``lr* = 2 / (L_min + L_max)``. It makes the factors of the flattest
    and the stiffest direction equal in size and opposite in sign,
    ``1 - lr*·L_min = -(1 - lr*·L_max)``, which minimises the worst factor.

    Args:
        loss: A quadratic loss with constant curvatures.

    Returns:
        The rate as a `fractions.Fraction` of the (float) curvatures.

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: If the loss has no constant curvature or a curvature that is
            not finite and > 0.

    Examples:
        >>> from lrtutor.losses import diagonal_quadratic
        >>> best_learning_rate_exact(diagonal_quadratic([1, 10]))
        Fraction(2, 11)

    References:
        Nesterov (2004), Theorem 2.1.15; Goh (2017), "Why Momentum Really Works".
    """
    curvatures = constant_curvatures(loss)
    return 2 / (Fraction(min(curvatures)) + Fraction(max(curvatures)))


def best_learning_rate(loss: Loss) -> float:
    """The best constant learning rate ``2 / (L_min + L_max)``, as a float.

    Formula: see [`best_learning_rate_exact()`][lrtutor.analysis.best_learning_rate_exact];
    this is that Fraction rounded once.

    Args:
        loss: A quadratic loss with constant curvatures.

    Returns:
        The rate as a float.

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: As [`best_learning_rate_exact()`][lrtutor.analysis.best_learning_rate_exact].

    Examples:
        >>> from lrtutor.losses import diagonal_quadratic
        >>> round(best_learning_rate(diagonal_quadratic([1, 10])), 6)
        0.181818

    References:
        Nesterov (2004), Theorem 2.1.15.
    """
    return float(best_learning_rate_exact(loss))


def best_contraction_factor_exact(loss: Loss) -> Fraction:
    """The factor per update at the best rate, ``(kappa - 1) / (kappa + 1)``, exactly.

    Formula: ``(kappa - 1) / (kappa + 1) = (L_max - L_min) / (L_max + L_min)``; it is
    [`contraction_factor()`][lrtutor.analysis.contraction_factor] at
    [`best_learning_rate_exact()`][lrtutor.analysis.best_learning_rate_exact].

    Args:
        loss: A quadratic loss with constant curvatures.

    Returns:
        The factor as a `fractions.Fraction` (0 for one parameter).

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: If the loss has no constant curvature or a curvature that is
            not finite and > 0.

    Examples:
        >>> from lrtutor.losses import diagonal_quadratic
        >>> best_contraction_factor_exact(diagonal_quadratic([1, 10]))
        Fraction(9, 11)

    References:
        Nesterov (2004), Theorem 2.1.15; Goh (2017), "Why Momentum Really Works".
    """
    curvatures = constant_curvatures(loss)
    low, high = Fraction(min(curvatures)), Fraction(max(curvatures))
    return (high - low) / (high + low)


def best_contraction_factor(loss: Loss) -> float:
    """The factor per update at the best rate, ``(kappa - 1) / (kappa + 1)``, as a float.

    Formula: see
    [`best_contraction_factor_exact()`][lrtutor.analysis.best_contraction_factor_exact];
    this is that Fraction rounded once.

    Args:
        loss: A quadratic loss with constant curvatures.

    Returns:
        The factor as a float.

    Raises:
        TypeError: If ``loss`` is not a [`Loss`][lrtutor.losses.Loss].
        ValueError: As
            [`best_contraction_factor_exact()`][lrtutor.analysis.best_contraction_factor_exact].

    Examples:
        >>> from lrtutor.losses import diagonal_quadratic
        >>> round(best_contraction_factor(diagonal_quadratic([1, 10])), 6)
        0.818182

    References:
        Nesterov (2004), Theorem 2.1.15.
    """
    return float(best_contraction_factor_exact(loss))
