"""A rate for each parameter: AdaGrad, RMSProp and Adam, recorded step by step.

Each runner scales every parameter's step by its own history of gradients, divides
by the root of a running sum (AdaGrad) or average (RMSProp, Adam) of squared
gradients, and records, besides the trajectory, that per-parameter *effective
learning rate* of every update. Names, parameters and defaults are optax's
(``optax.adagrad``, ``optax.rmsprop``, ``optax.adam``/``optax.adamw``); each
docstring's "Equivalents" says how to get PyTorch's and Keras's versions, whose
defaults and placement of ``eps`` differ. The page
[Give each parameter its own rate](adaptive.md) (docs/adaptive.md) teaches the ideas.

The arithmetic follows optax's order of operations: the update is computed as
``m_hat / (sqrt(v_hat + eps_root) + eps)`` (or the AdaGrad/RMSProp analogue) and
then multiplied by the rate. ``dtype="float32"`` repeats a run in single precision
(every state and constant rounded to float32, as a float32 model would hold them);
the recorded arrays are float64 copies of those values.

References:
    J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods for Online
    Learning and Stochastic Optimization", JMLR 12, 2011 (AdaGrad).
    T. Tieleman and G. Hinton, Lecture 6.5 of "Neural Networks for Machine
    Learning", 2012 (RMSProp).
    D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
    I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
    (AdamW).
    optax ``adagrad``, ``rmsprop``, ``adam``, ``adamw``,
    https://optax.readthedocs.io/en/latest/api/optimizers.html.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from .descent import MAX_LOSS, LearningRate, Trajectory, check_start, rate_function
from .losses import Loss

__all__ = ["AdaptiveTrajectory", "run_adagrad", "run_adam", "run_rmsprop"]

_DTYPES = {"float64": np.float64, "float32": np.float32}


@dataclass(frozen=True)
class AdaptiveTrajectory(Trajectory):
    """A [`Trajectory`][lrtutor.descent.Trajectory] that also holds per-parameter rates.

    Every field and method of ``Trajectory`` is there and means the same; code that
    reads a plain trajectory reads this one too.

    Attributes:
        effective_learning_rates: For update ``t``, the factor each parameter's
            direction was multiplied by: ``learning_rate(t) / (sqrt(v_hat) + eps)``
            for Adam (the direction is the first moment ``m_hat``), and
            ``learning_rate(t) / sqrt(s + eps)`` (or ``/ (sqrt(s) + eps)``) for
            AdaGrad and RMSProp (the direction is the gradient). Shape ``(n,)`` for
            one parameter, ``(n, dim)`` for several. Where the denominator is 0 (no
            gradient has been seen in that coordinate and ``eps = 0``) the entry is
            0, as optax's AdaGrad makes it.
        method: ``"adagrad"``, ``"rmsprop"`` or ``"adam"``.
        dtype: ``"float64"`` or ``"float32"``: the precision the run computed in.
    """

    effective_learning_rates: np.ndarray
    method: str
    dtype: str = "float64"


def _dtype(value: object) -> Any:
    if not isinstance(value, str):
        raise TypeError(f"dtype must be 'float64' or 'float32', got {type(value).__name__}")
    if value not in _DTYPES:
        raise ValueError(f"dtype must be 'float64' or 'float32', got {_validate.show(value)}")
    return _DTYPES[value]


def _unit(name: str, value: object) -> float:
    """A decay factor in [0, 1)."""
    return _validate.in_range(name, value, 0, 1, high_open=True)


class _Arithmetic:
    """Scalars for one parameter (Python floats in float64: fast), arrays for several.

    Every result is rounded to the run's precision (``cast``), so a float32 run holds
    float32 values throughout, under NumPy 1 and 2 alike.
    """

    def __init__(self, dim: int, dt: Any) -> None:
        self.scalar = dim == 1
        self.dim = dim
        self.dt = dt
        if self.scalar:
            self.cast = float if dt is np.float64 else dt
            self.sqrt = math.sqrt if dt is np.float64 else (lambda a: dt(np.sqrt(a)))
        else:  # float64 arrays stay float64 under every operation used: no copies
            self.cast = (lambda a: a) if dt is np.float64 else (lambda a: np.asarray(a, dtype=dt))
            self.sqrt = np.sqrt
        self.convert = self.cast if self.scalar else (lambda a: np.asarray(a, dtype=dt))

    def constant(self, name: str, value: float) -> Any:
        """``value`` in the run's precision; ValueError naming ``name`` if it does not fit."""
        limit = float(np.finfo(self.dt).max)
        if abs(value) > limit:
            raise ValueError(
                f"{name} must be at most {limit:.6g} in {np.dtype(self.dt).name}, "
                f"got {_validate.show(value)}"
            )
        return self.cast(value)

    def full(self, value: float) -> Any:
        return self.cast(value) if self.scalar else np.full(self.dim, value, dtype=self.dt)

    def ratio(self, numerator: Any, denominator: Any) -> Any:
        """``numerator / denominator``, and 0 where the denominator is 0."""
        if self.scalar:
            return self.cast(numerator / denominator) if denominator > 0 else self.cast(0.0)
        safe = np.where(denominator > 0, denominator, 1)
        return self.cast(np.where(denominator > 0, numerator / safe, 0))


# A step function takes (t, x, g, lr) with t 1-based, and returns (new_x, effective rate).
StepFunction = Callable[[int, Any, Any, Any], tuple[Any, Any]]


def _finite(value: Any) -> bool:
    return math.isfinite(value) if np.ndim(value) == 0 else bool(np.all(np.isfinite(value)))


@np.errstate(all="ignore")  # entered once per run; every result is checked below
def _run_adaptive(
    loss: Loss,
    x0: Any,
    rate: Callable[[int], float],
    n_steps: int,
    ar: _Arithmetic,
    method: str,
    step: StepFunction,
) -> AdaptiveTrajectory:
    def evaluate(x: Any) -> tuple[float, Any, bool]:
        try:
            value = float(loss.raw_value(x))
            slope = ar.convert(loss.raw_slope(x))
        except OverflowError:
            return math.inf, ar.full(math.inf), False
        ok = math.isfinite(value) and abs(value) <= MAX_LOSS and _finite(slope)
        return value, slope, ok

    x = ar.convert(x0)
    value, slope, ok = evaluate(x)
    if not ok:
        raise ValueError(f"x0 = {_validate.show(x0)} gives a non-finite or huge loss ({_validate.show(value)})")
    positions, losses, slopes, rates, effective = [x], [value], [slope], [], []
    diverged_at = None
    for t in range(n_steps):
        lr = rate(t)
        new_x, eff = step(t + 1, x, slope, ar.convert(lr) if ar.scalar else ar.dt(lr))
        good = _finite(new_x) and _finite(eff)
        if good:
            value, slope, ok = evaluate(new_x)
        if not good or not ok:
            diverged_at = t
            break
        x = new_x
        positions.append(x)
        losses.append(value)
        slopes.append(slope)
        rates.append(lr)
        effective.append(eff)

    def stack(rows: list[Any]) -> np.ndarray:
        if ar.scalar:
            return np.array(rows, dtype=float)
        return np.array(rows, dtype=float).reshape(len(rows), ar.dim)

    return AdaptiveTrajectory(
        positions=stack(positions),
        losses=np.array(losses, dtype=float),
        slopes=stack(slopes),
        learning_rates=np.array(rates, dtype=float),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        loss=loss,
        effective_learning_rates=stack(effective),
        method=method,
        dtype=np.dtype(ar.dt).name,
    )


def run_adagrad(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    *,
    initial_accumulator_value: float = 0.1,
    eps: float = 1e-7,
    eps_in_sqrt: bool = True,
    dtype: str = "float64",
) -> AdaptiveTrajectory:
    """Run ``n_steps`` AdaGrad updates and record them.

    Formula, per parameter (``s_0 = initial_accumulator_value``, ``t = 1, 2, ...``,
    ``g_t`` the gradient at ``x_{t-1}``)::

        s_t = s_{t-1} + g_t**2
        x_t = x_{t-1} - learning_rate(t-1) * g_t / sqrt(s_t + eps)     (eps_in_sqrt=True)
        x_t = x_{t-1} - learning_rate(t-1) * g_t / (sqrt(s_t) + eps)   (eps_in_sqrt=False)

    The sum only grows, so every parameter's rate only falls.
    With the defaults this is ``optax.adagrad(learning_rate)`` (optax's
    ``scale_by_rss``; where ``s_t`` is 0 the step is 0).

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        learning_rate: A constant rate, finite and > 0, or a schedule
            ``step -> rate`` (0-based, finite values >= 0).
        n_steps: Number of updates, from 0 to 10**7.
        initial_accumulator_value: ``s_0``, finite and >= 0.
        eps: Added to the sum inside the root (or to the root), finite and >= 0.
        eps_in_sqrt: Whether ``eps`` goes inside the square root (optax, Keras) or
            outside it (PyTorch).
        dtype: ``"float64"`` (default) or ``"float32"``, the arithmetic's precision.

    Returns:
        An [`AdaptiveTrajectory`][lrtutor.adaptive.AdaptiveTrajectory] whose
        ``effective_learning_rates[t]`` is ``learning_rate(t) / sqrt(s + eps)`` (or
        ``/ (sqrt(s) + eps)``) per parameter. A run that blows up is recorded as
        diverged.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of the range stated above, or ``x0`` gives a
            non-finite loss.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run = run_adagrad(SQUARE, 1.0, 0.5, 1, initial_accumulator_value=0.0, eps=0.0)
        >>> run.positions.tolist()  # g = 2, s = 4: x = 1 - 0.5 * 2 / 2
        [1.0, 0.5]
        >>> run.effective_learning_rates.tolist()
        [0.25]

    Equivalents:
        * optax ``adagrad(learning_rate, initial_accumulator_value=0.1, eps=1e-7)``:
          the defaults, ``eps`` inside the root.
        * Keras ``Adagrad(learning_rate=0.001, initial_accumulator_value=0.1,
          epsilon=1e-7)``: ``run_adagrad(loss, x0, learning_rate, n,
          initial_accumulator_value=0.1, eps=1e-7)``, the same formula (note Keras's
          default rate 0.001). Keras's ``weight_decay`` (which shrinks the parameter
          by ``learning_rate * weight_decay`` before each update) has no argument here.
        * PyTorch ``Adagrad(lr=0.01, lr_decay=0, weight_decay=0,
          initial_accumulator_value=0, eps=1e-10)``: ``initial_accumulator_value=0.0,
          eps=1e-10, eps_in_sqrt=False`` (PyTorch adds ``eps`` to the root). Its
          ``lr_decay`` divides the rate by ``1 + (k - 1) * lr_decay`` at its ``k``-th
          step (1-based): pass ``learning_rate=inverse_time_decay(lr,
          decay_rate=lr_decay)``. Its ``weight_decay`` is an L2 term added to the
          gradient: there is no argument for it here; add ``weight_decay / 2 *
          |x|**2`` to the loss instead.
        * d2l.ai's ``adagrad`` (section 12.7): ``initial_accumulator_value=0.0,
          eps=1e-6``, ``eps`` inside the root.

    References:
        Duchi, Hazan and Singer (2011); optax ``adagrad`` and ``scale_by_rss``.
    """
    loss = _validate.instance("loss", loss, Loss)
    x0 = check_start(loss, x0)
    rate = rate_function(learning_rate)
    n_steps = _validate.iterations("n_steps", n_steps)
    s0 = _validate.non_negative("initial_accumulator_value", initial_accumulator_value)
    eps_value = _validate.non_negative("eps", eps)
    inside = _validate.flag("eps_in_sqrt", eps_in_sqrt)
    ar = _Arithmetic(loss.dim, _dtype(dtype))
    c = ar.cast
    e, one = ar.constant("eps", eps_value), c(1.0)
    state = {"s": ar.full(ar.constant("initial_accumulator_value", s0))}

    def step(t: int, x: Any, g: Any, lr: Any) -> tuple[Any, Any]:
        s = state["s"] = c(state["s"] + c(g * g))
        denominator = ar.sqrt(c(s + e)) if inside else c(ar.sqrt(s) + e)
        scale = ar.ratio(one, denominator)
        return c(x - c(lr * c(scale * g))), c(lr * scale)

    return _run_adaptive(loss, x0, rate, n_steps, ar, "adagrad", step)


def run_rmsprop(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    *,
    decay: float = 0.9,
    eps: float = 1e-8,
    eps_in_sqrt: bool = True,
    bias_correction: bool = False,
    initial_scale: float = 0.0,
    dtype: str = "float64",
) -> AdaptiveTrajectory:
    """Run ``n_steps`` RMSProp updates and record them.

    Formula, per parameter (``v_0 = initial_scale``, ``t = 1, 2, ...``)::

        v_t = decay * v_{t-1} + (1 - decay) * g_t**2
        v_hat = v_t / (1 - decay**t)     if bias_correction, else v_t
        x_t = x_{t-1} - learning_rate(t-1) * g_t / sqrt(v_hat + eps)     (eps_in_sqrt=True)
        x_t = x_{t-1} - learning_rate(t-1) * g_t / (sqrt(v_hat) + eps)   (eps_in_sqrt=False)

    With ``v_0 = 0`` and no bias correction the first step is
    ``learning_rate * g / sqrt((1 - decay) * g**2 + eps)``: about
    ``learning_rate / sqrt(1 - decay)`` whatever the gradient's size, 3.16 times the
    rate at ``decay = 0.9`` and 10 times at 0.99.
    With the defaults this is ``optax.rmsprop(learning_rate)`` (``centered=False``,
    no momentum).

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        learning_rate: A constant rate, finite and > 0, or a schedule (0-based).
        n_steps: Number of updates, from 0 to 10**7.
        decay: How much of the average each step keeps, in ``[0, 1)``.
        eps: Added inside the root (or to the root), finite and >= 0.
        eps_in_sqrt: Whether ``eps`` goes inside the square root (optax, Keras) or
            outside it (PyTorch).
        bias_correction: Divide the average by ``1 - decay**t`` (as Adam does).
        initial_scale: ``v_0``, finite and >= 0 (optax's name).
        dtype: ``"float64"`` (default) or ``"float32"``.

    Returns:
        An [`AdaptiveTrajectory`][lrtutor.adaptive.AdaptiveTrajectory] whose
        ``effective_learning_rates[t]`` is ``learning_rate(t) / sqrt(v_hat + eps)``
        (or ``/ (sqrt(v_hat) + eps)``) per parameter.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of the range stated above, or ``x0`` gives a
            non-finite loss.

    Examples:
        >>> from lrtutor import SQUARE
        >>> run = run_rmsprop(SQUARE, 1.0, 0.01, 1, decay=0.99, eps=0.0)
        >>> round(float(run.effective_learning_rates[0] * 2), 12)  # the step: 10 x rate
        0.1

    Equivalents:
        * optax ``rmsprop(learning_rate, decay=0.9, eps=1e-8, initial_scale=0.0,
          eps_in_sqrt=True, centered=False, momentum=None, bias_correction=False)``:
          the defaults. ``centered`` and ``momentum`` have no counterpart here.
        * PyTorch ``RMSprop(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0,
          momentum=0, centered=False)``: ``decay=0.99, eps=1e-8, eps_in_sqrt=False``
          (PyTorch adds ``eps`` to the root, and calls the decay ``alpha``; note its
          default rate 0.01). Its ``weight_decay`` is L2 added to the gradient: add
          ``weight_decay / 2 * |x|**2`` to the loss instead. ``momentum`` and
          ``centered`` cannot be expressed.
        * Keras ``RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
          centered=False)``: ``decay=0.9, eps=1e-7`` (``eps`` inside the root, like
          optax, but ten times larger). ``momentum`` and ``centered`` cannot be
          expressed.
        * d2l.ai's ``rmsprop`` (section 12.8): ``decay=gamma, eps=1e-6``, inside the
          root, ``v_0 = 0``.
        * ``decay=b2, eps_in_sqrt=False, bias_correction=True`` is Adam with
          ``b1 = 0`` (optax's note on ``scale_by_rms``).

    References:
        Tieleman and Hinton (2012); optax ``rmsprop`` and ``scale_by_rms``.
    """
    loss = _validate.instance("loss", loss, Loss)
    x0 = check_start(loss, x0)
    rate = rate_function(learning_rate)
    n_steps = _validate.iterations("n_steps", n_steps)
    rho = _unit("decay", decay)
    eps_value = _validate.non_negative("eps", eps)
    inside = _validate.flag("eps_in_sqrt", eps_in_sqrt)
    correct = _validate.flag("bias_correction", bias_correction)
    v0 = _validate.non_negative("initial_scale", initial_scale)
    ar = _Arithmetic(loss.dim, _dtype(dtype))
    c = ar.cast
    rho_d, e, one = c(rho), ar.constant("eps", eps_value), c(1.0)
    ar.constant("initial_scale", v0)
    keep_new = c(one - rho_d)
    # decay**t as a running product (state["power"]), so that the explorer's script
    # can repeat it bit for bit (pow implementations differ in the last bit).
    state = {"v": ar.full(v0), "power": one}

    def step(t: int, x: Any, g: Any, lr: Any) -> tuple[Any, Any]:
        v = state["v"] = c(c(rho_d * state["v"]) + c(keep_new * c(g * g)))
        state["power"] = c(state["power"] * rho_d)
        v_hat = c(v / c(one - state["power"])) if correct else v
        denominator = ar.sqrt(c(v_hat + e)) if inside else c(ar.sqrt(v_hat) + e)
        scale = ar.ratio(one, denominator)
        return c(x - c(lr * c(scale * g))), c(lr * scale)

    return _run_adaptive(loss, x0, rate, n_steps, ar, "rmsprop", step)


def run_adam(
    loss: Loss,
    x0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    *,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    eps_root: float = 0.0,
    weight_decay: float = 0.0,
    dtype: str = "float64",
) -> AdaptiveTrajectory:
    """Run ``n_steps`` Adam (or, with ``weight_decay``, AdamW) updates and record them.

    Formula, per parameter (``m_0 = v_0 = 0``, ``t = 1, 2, ...``, ``g_t`` the
    gradient at ``x_{t-1}``, ``eta = learning_rate(t-1)``)::

        m_t = b1 * m_{t-1} + (1 - b1) * g_t
        v_t = b2 * v_{t-1} + (1 - b2) * g_t**2
        m_hat = m_t / (1 - b1**t),   v_hat = v_t / (1 - b2**t)
        x_t = x_{t-1} - eta * (m_hat / (sqrt(v_hat + eps_root) + eps) + weight_decay * x_{t-1})

    The first step is ``eta * g / (|g| + eps)``, about ``eta * sign(g)`` whatever the
    gradient's size: Adam's rate is a step length. The weight decay is decoupled
    (AdamW): it shrinks the parameter before the step by ``eta * weight_decay``
    times itself, and does not pass through the moments.

    Args:
        loss: The loss to descend (one or several parameters).
        x0: Start: a finite number, or an array of shape ``(dim,)``.
        learning_rate: A constant rate, finite and > 0, or a schedule (0-based).
        n_steps: Number of updates, from 0 to 10**7.
        b1: Decay of the first moment (the average gradient), in ``[0, 1)``.
        b2: Decay of the second moment (the average squared gradient), in ``[0, 1)``.
        eps: Added to the root, finite and >= 0.
        eps_root: Added inside the root, finite and >= 0.
        weight_decay: Decoupled weight decay, finite and >= 0 (0: plain Adam).
        dtype: ``"float64"`` (default) or ``"float32"``.

    Returns:
        An [`AdaptiveTrajectory`][lrtutor.adaptive.AdaptiveTrajectory] whose
        ``effective_learning_rates[t]`` is ``eta / (sqrt(v_hat + eps_root) + eps)``
        per parameter (it multiplies ``m_hat``).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of the range stated above, or ``x0`` gives a
            non-finite loss.

    Examples:
        >>> from lrtutor import SQUARE
        >>> for x0 in (1.0, 1000.0):  # the first step is the rate, whatever the slope
        ...     run = run_adam(SQUARE, x0, 0.1, 1, eps=0.0)
        ...     print(f"{x0 - run.final_x:.12f}")
        0.100000000000
        0.100000000000

    Equivalents:
        * optax ``adam(learning_rate, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0)``:
          the defaults. optax ``adamw(learning_rate, ..., weight_decay=1e-4)``:
          ``weight_decay=1e-4`` (the same decoupled decay, multiplied by the rate;
          ``mask`` and ``nesterov`` have no counterpart here).
        * PyTorch ``Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)``:
          ``b1, b2 = betas``, ``eps=1e-8`` (outside the root, as here). PyTorch's
          ``Adam(weight_decay=w)`` is *not* this ``weight_decay``: it adds ``w * x``
          to the gradient before the moments (L2); express it by adding
          ``w / 2 * |x|**2`` to the loss, with ``weight_decay=0.0``. PyTorch
          ``AdamW(lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)`` (and
          ``Adam(..., decoupled_weight_decay=True)``) is ``weight_decay=w`` here (note
          its default 0.01). ``amsgrad`` cannot be expressed.
        * Keras ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)``
          adds its ``epsilon`` ("epsilon hat" in Kingma and Ba's section 2) to the
          root of the *uncorrected* ``v_t`` and moves the bias corrections into the
          rate: ``eta * sqrt(1 - b2**t) / (1 - b1**t) * m_t / (sqrt(v_t) + epsilon)``,
          which is the formula above with ``eps = epsilon / sqrt(1 - b2**t)``, an
          ``eps`` that changes with ``t``. A whole Keras run therefore cannot be
          expressed, except with ``epsilon = 0`` (then ``eps=0.0``); its update
          ``t`` alone is ``eps=epsilon / sqrt(1 - beta_2**t)``: for the first update
          ``1e-7 / sqrt(0.001)``, about 3.16e-6. Keras's ``weight_decay`` (and
          ``AdamW``, default 0.004) is decoupled and multiplied by the rate, as here.
        * d2l.ai's ``adam`` (section 12.10): ``eps=1e-6`` (its TensorFlow version adds
          ``eps`` to the parameter instead, a slip this function does not reproduce).

    References:
        Kingma and Ba (2015), Algorithm 1; Loshchilov and Hutter (2019); optax
        ``scale_by_adam`` and ``adamw``; PyTorch ``torch.optim.Adam``/``AdamW``.
    """
    loss = _validate.instance("loss", loss, Loss)
    x0 = check_start(loss, x0)
    rate = rate_function(learning_rate)
    n_steps = _validate.iterations("n_steps", n_steps)
    beta1 = _unit("b1", b1)
    beta2 = _unit("b2", b2)
    eps_value = _validate.non_negative("eps", eps)
    root_value = _validate.non_negative("eps_root", eps_root)
    decay = _validate.non_negative("weight_decay", weight_decay)
    ar = _Arithmetic(loss.dim, _dtype(dtype))
    c = ar.cast
    b1_d, b2_d = c(beta1), c(beta2)
    e, er = ar.constant("eps", eps_value), ar.constant("eps_root", root_value)
    wd, one = ar.constant("weight_decay", decay), c(1.0)
    new1, new2 = c(one - b1_d), c(one - b2_d)
    # b1**t and b2**t as running products, so that the explorer's script can repeat
    # them bit for bit (pow implementations differ in the last bit).
    state = {"m": ar.full(0.0), "v": ar.full(0.0), "p1": one, "p2": one}

    def step(t: int, x: Any, g: Any, lr: Any) -> tuple[Any, Any]:
        m = state["m"] = c(c(b1_d * state["m"]) + c(new1 * g))
        v = state["v"] = c(c(b2_d * state["v"]) + c(new2 * c(g * g)))
        state["p1"], state["p2"] = c(state["p1"] * b1_d), c(state["p2"] * b2_d)
        m_hat = c(m / c(one - state["p1"]))
        v_hat = c(v / c(one - state["p2"]))
        denominator = c(ar.sqrt(c(v_hat + er)) + e)
        direction = ar.ratio(m_hat, denominator)
        if decay:
            direction = c(direction + c(wd * x))
        return c(x - c(lr * direction)), c(lr * ar.ratio(one, denominator))

    return _run_adaptive(loss, x0, rate, n_steps, ar, "adam", step)
