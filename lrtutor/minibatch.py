"""Mini-batch gradients on data: their variance, the gradient noise scale, and the limit on the rate.

A mini-batch gradient is the mean of ``B`` per-example gradients, so its variance
falls like ``1 / B``; the **gradient noise scale** says which batch sizes are small
(noise-dominated) and which are large; and for least squares the mean square error
of SGD evolves *linearly*, which gives the largest learning rate at which it does not
grow, for every batch size, and the exact expected loss of a run. The ideas are those of
the page "Add noise to the slope", with the noise that real examples make.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from .descent import LearningRate, rate_function
from .models import DataLoss

__all__ = [
    "NoiseScale",
    "batch_gradient_variance",
    "gradient_noise_scale",
    "minibatch_best_rate",
    "minibatch_critical_rate",
    "minibatch_expected_loss",
    "per_example_gradients",
]

_RESIDUALS = ("least squares", "logistic")


def _one_blas_thread() -> Any:
    """A context running BLAS/LAPACK on one thread (threadpoolctl, scikit-learn's helper).

    The matrices here are small (at most a few hundred rows): splitting them over
    threads costs more than it saves, ten times more on a busy two-core machine
    (measured: ``eigvalsh`` of a 66 by 66 matrix, 0.3 ms on one thread, 3 ms on two).
    Without threadpoolctl (it comes with scikit-learn) nothing changes.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn brings it
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _data_loss(loss: Any, *, least_squares_only: bool = False) -> DataLoss:
    loss = _validate.instance("loss", loss, DataLoss)
    allowed = ("least squares",) if least_squares_only else _RESIDUALS
    if loss.family not in allowed or loss.X is None or loss.y is None:
        kind = "least_squares()" if least_squares_only else "least_squares() or logistic_regression()"
        raise ValueError(f"loss must be made by {kind}, got {_validate.show(loss.name)}")
    return loss


def _point(loss: DataLoss, w: Any, name: str = "w") -> np.ndarray:
    return _validate.real_array(name, w, shape=(loss.dim,))


def per_example_gradients(loss: DataLoss, w: Any) -> np.ndarray:
    """The gradient of each example's own loss at ``w``, one row per example.

    For least squares example ``i`` contributes ``(x_i . w - y_i)**2 / 2`` and its
    gradient is ``x_i (x_i . w - y_i)``; for logistic regression
    ``x_i (sigmoid(x_i . w) - y_i)``. Their mean over the rows is the full gradient
    ``loss.slope(w)`` (the loss is a mean over examples). PyTorch computes the same
    with ``torch.func.vmap(torch.func.grad(...))`` over the examples.

    Args:
        loss: A loss made by [`least_squares()`][lrtutor.models.least_squares] or
            [`logistic_regression()`][lrtutor.models.logistic_regression].
        w: Weights, shape ``(d,)``, finite.

    Returns:
        Array of shape ``(n, d)``.

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``w`` not real numbers.
        ValueError: If the loss is of another family or ``w`` has the wrong shape.

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0, 0.0], [1.0, 1.0]], [1.0, 3.0])
        >>> per_example_gradients(loss, [0.0, 0.0]).tolist()
        [[-1.0, -0.0], [-3.0, -3.0]]
    """
    loss = _data_loss(loss)
    w = _point(loss, w)
    X, y = loss.X, loss.y
    z = X @ w
    if loss.family == "least squares":
        residual = z - y
    else:
        from scipy.special import expit

        residual = expit(z) - y
    return X * residual[:, None]


def batch_gradient_variance(
    loss: DataLoss, w: Any, batch_size: int, *, replace: bool = False
) -> float:
    """The expected squared distance of a mini-batch gradient from the full gradient.

    ``E |g_B - G|²``, where ``G`` is the full gradient and ``g_B`` the mean gradient of
    ``B`` examples drawn at random: ``tr Σ / B`` with replacement, and
    ``tr Σ / B * (n - B) / (n - 1)`` without (a simple random sample; the finite
    population correction). ``Σ`` is the population covariance of the per-example
    gradients, ``Σ = mean_i (g_i - G)(g_i - G)ᵀ``; its trace is the variance summed
    over the weights.

    Args:
        loss: As [`per_example_gradients()`][lrtutor.minibatch.per_example_gradients].
        w: Weights, shape ``(d,)``.
        batch_size: ``B``, an int in ``[1, n]`` (any int >= 1 with ``replace=True``).
        replace: Whether the examples of a batch are drawn with replacement.

    Returns:
        The variance (gradient units squared), >= 0; 0 for ``B = n`` without replacement.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``batch_size`` is out of range.

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0], [1.0], [1.0]], [0.0, 1.0, 2.0])
        >>> round(batch_gradient_variance(loss, [0.0], 2), 6)
        0.166667

    References:
        W. G. Cochran, *Sampling Techniques*, 3rd ed., Wiley 1977, theorem 2.2 (the
        factor ``(n - B) / (n - 1)`` for the mean of a sample without replacement).
    """
    loss = _data_loss(loss)
    replace = _validate.flag("replace", replace)
    n = loss.n_samples
    batch_size = _validate.count(
        "batch_size", batch_size, minimum=1, maximum=10**12 if replace else n
    )
    g = per_example_gradients(loss, w)
    spread = g - g.mean(axis=0)
    trace = float(np.sum(spread * spread)) / n
    if replace:
        return trace / batch_size
    return 0.0 if n == 1 else trace / batch_size * (n - batch_size) / (n - 1)


@dataclass(frozen=True)
class NoiseScale:
    """The gradient noise scale at one point (McCandlish et al. 2018).

    Attributes:
        gradient: The full gradient ``G``, shape ``(d,)``.
        covariance: ``Σ``, the population covariance of the per-example gradients,
            shape ``(d, d)``.
        hessian: ``H`` at the point, shape ``(d, d)``.
        b_simple: ``tr Σ / |G|²``: the batch size at which a batch gradient's noise
            ``tr Σ / B`` equals the squared signal ``|G|²``.
        b_noise: ``tr(H Σ) / (Gᵀ H G)``: the same, each direction weighted by its
            curvature; the batch size beyond which a larger batch buys little.
        max_rate: ``|G|² / (Gᵀ H G)``, the best rate for one step with the full batch.
    """

    gradient: np.ndarray
    covariance: np.ndarray
    hessian: np.ndarray
    b_simple: float
    b_noise: float
    max_rate: float

    def best_rate(self, batch_size: float) -> float:
        """The rate that lowers the expected loss most in one step, with replacement.

        ``max_rate / (1 + b_noise / B)``: for a quadratic loss and batches drawn with
        replacement, the expected loss after one step is exactly
        ``loss - η |G|² + η² (Gᵀ H G + tr(H Σ) / B) / 2``, lowest at this ``η``
        (McCandlish et al. 2018, equation 2.6). It rises in proportion to ``B`` while
        ``B`` is much smaller than ``b_noise`` and levels off at ``max_rate`` beyond it.

        Args:
            batch_size: ``B``, finite and > 0.

        Raises:
            ValueError: If ``batch_size`` is not > 0.
        """
        batch_size = _validate.positive("batch_size", batch_size)
        return self.max_rate / (1 + self.b_noise / batch_size)


def gradient_noise_scale(loss: DataLoss, w: Any) -> NoiseScale:
    """The simple and the curvature-weighted gradient noise scales at ``w``.

    ``b_simple = tr Σ / |G|²`` and ``b_noise = tr(H Σ) / (Gᵀ H G)``, with ``G`` the full
    gradient, ``H`` the Hessian and ``Σ = mean_i (g_i - G)(g_i - G)ᵀ`` the population
    covariance of the per-example gradients ``g_i``
    ([`per_example_gradients()`][lrtutor.minibatch.per_example_gradients]). A batch of
    ``B`` much below the noise scale is dominated by noise, one much above it is
    nearly the full batch. Near a minimum ``G`` shrinks while ``Σ`` does not, so both
    scales grow without bound.

    Args:
        loss: A loss made by [`least_squares()`][lrtutor.models.least_squares] or
            [`logistic_regression()`][lrtutor.models.logistic_regression].
        w: Weights, shape ``(d,)``, where the gradient is not zero.

    Returns:
        A [`NoiseScale`][lrtutor.minibatch.NoiseScale].

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``w`` not real numbers.
        ValueError: If the loss is of another family, ``w`` has the wrong shape, or the
            gradient is zero at ``w`` (the scales are then unbounded).

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0], [1.0], [1.0]], [0.0, 1.0, 2.0])
        >>> scale = gradient_noise_scale(loss, [0.0])
        >>> round(scale.b_simple, 6), round(scale.b_noise, 6), scale.max_rate
        (0.666667, 0.666667, 1.0)

    References:
        S. McCandlish, J. Kaplan, D. Amodei and the OpenAI Dota Team, "An Empirical
        Model of Large-Batch Training", arXiv:1812.06162, 2018, section 2.2.
    """
    loss = _data_loss(loss)
    w = _point(loss, w)
    g = per_example_gradients(loss, w)
    G = g.mean(axis=0)
    spread = g - G
    sigma = spread.T @ spread / loss.n_samples
    H = np.asarray(loss.hessian(w), dtype=float)
    signal = float(G @ G)
    curved = float(G @ H @ G)
    if signal == 0.0 or curved <= 0.0:
        raise ValueError("the gradient is zero at w (or has no curvature): the noise scale "
                         "is unbounded there")
    return NoiseScale(
        gradient=G,
        covariance=sigma,
        hessian=H,
        b_simple=float(np.trace(sigma)) / signal,
        b_noise=float(np.sum(H * sigma)) / curved,
        max_rate=signal / curved,
    )


# ------------------------------------------------- the second moment of least squares SGD


class _Moments:
    """The linear recursion of the error's mean and second moment (least squares, private).

    With ``e = w - w*``, ``r_i = y_i - x_i . w*``, ``A_i = x_i x_iᵀ`` and a batch of
    ``B`` indices drawn with replacement, one step is ``e' = (I - η Â) e + η b̂`` with
    ``Â`` the batch mean of ``A_i`` and ``b̂`` that of ``x_i r_i`` (``E Â = H``,
    ``E b̂ = 0``). Averaging over the batch, independent of ``e``:

    * ``m' = (I - η H) m`` for the mean ``m = E e``;
    * ``M' = T(M) - (2 η² / B) C(m) + (η² / B) S`` for ``M = E e eᵀ``, where
      ``T(M) = M - η (H M + M H) + η² ((1 - 1/B) H M H + F(M) / B)``,
      ``F(M) = mean_i A_i M A_i`` (the fourth moments of the examples),
      ``C(m) = mean_i r_i (x_i . m) A_i`` and ``S = mean_i r_i² A_i``.

    Matrices are flattened row by row (``d²`` entries).
    """

    def __init__(self, loss: DataLoss) -> None:
        X, y = loss.X, loss.y
        n, d = X.shape
        self.d = d
        self.w_star = np.asarray(loss.minimiser, dtype=float)
        self.floor = float(loss.raw_value(self.w_star))
        r = y - X @ self.w_star
        H = X.T @ X / n
        self.H = H
        eye = np.eye(d)
        V = np.einsum("ni,nj->nij", X, X).reshape(n, d * d)  # vec(A_i) per row
        self.K1 = np.kron(H, eye) + np.kron(eye, H)  # M -> H M + M H
        self.K2 = np.kron(H, H)  # M -> H M H
        self.F = V.T @ V / n  # M -> mean_i A_i M A_i
        self.C = (V * r[:, None]).T @ X / n  # m -> C(m), shape (d², d)
        self.S = (V * (r * r)[:, None]).sum(axis=0) / n  # vec(S)
        # An orthonormal basis of the symmetric matrices: M is symmetric, and T restricted
        # to them is symmetric in the trace inner product (T(M) = E (I-ηÂ) M (I-ηÂ)).
        basis = []
        for i in range(d):
            for j in range(i, d):
                E = np.zeros((d, d))
                E[i, j] = E[j, i] = 1.0 if i == j else math.sqrt(0.5)
                basis.append(E.reshape(-1))
        self.P = np.array(basis).T  # (d², d (d + 1) / 2)
        self.sym = [self.P.T @ K @ self.P for K in (self.K1, self.K2, self.F)]

    def radius(self, eta: float, batch_size: float) -> float:
        """Spectral radius of ``T`` on symmetric matrices."""
        K1, K2, F = self.sym
        c = 1.0 / batch_size
        T = np.eye(K1.shape[0]) - eta * K1 + eta * eta * ((1 - c) * K2 + c * F)
        values = np.linalg.eigvalsh((T + T.T) / 2)
        return float(max(abs(values[0]), abs(values[-1])))


def _least_squares_limit(loss: DataLoss) -> float:
    L = float(np.linalg.eigvalsh(np.asarray(loss.hessian(np.zeros(loss.dim))))[-1])
    if not L > 0:
        raise ValueError("the Hessian is zero: there is no limit on the learning rate")
    return 2.0 / L


def minibatch_critical_rate(loss: DataLoss, batch_size: float) -> float:
    """The largest learning rate at which SGD's mean square error on least squares does not grow.

    Derivation. Write ``e = w - w*`` for the error, ``r_i = y_i - x_i . w*`` for the
    residuals at the minimiser and ``A_i = x_i x_iᵀ``, so the gradient of example
    ``i`` is ``A_i e - x_i r_i``. A batch of ``B`` examples drawn independently with
    replacement makes one step ``e' = (I - η Â) e + η b̂``, where ``Â`` and ``b̂`` are
    the batch means of ``A_i`` and ``x_i r_i``; ``E Â = H`` (the Hessian) and
    ``E b̂ = 0``. The batch is independent of ``e``, so the second moment
    ``M = E[e eᵀ]`` evolves linearly:
    ``M' = T(M) + (terms in E e, which decays like (I - η H)^t) + η² S / B`` with

    ``T(M) = E[(I - η Â) M (I - η Â)] = M - η (H M + M H) + η² ((1 - 1/B) H M H + F(M) / B)``

    and ``F(M) = mean_i A_i M A_i = mean_i (x_iᵀ M x_i) x_i x_iᵀ``, which holds the
    fourth moments of the examples. The mean square error ``tr M`` stays bounded iff
    the spectral radius ``ρ(T)`` on symmetric matrices is below 1 (``T`` maps positive
    semidefinite matrices to positive semidefinite ones, so ``ρ(T)`` is an eigenvalue
    with such an eigenvector, which the noise ``S`` excites). ``T`` is symmetric in the
    trace inner product, so ``ρ(T)`` is its largest eigenvalue in absolute value
    (``numpy.linalg.eigvalsh`` on the ``d (d + 1) / 2`` symmetric coordinates).

    The stable rates form an interval ``(0, η_c)``: if ``T_η*(P) < P`` for some
    ``P > 0`` (a Lyapunov certificate), then because ``η -> (I - η Â) P (I - η Â)`` is
    convex, ``T_θη(P) <= (1 - θ) P + θ T_η(P) < P`` for ``0 < θ <= 1``. At
    ``η = 2/L`` ``T`` dominates ``M -> (I - η H) M (I - η H)``, whose radius is 1, so
    ``η_c <= 2/L``; as ``B -> ∞`` ``T`` becomes that map and ``η_c -> 2/L``, the
    full-batch limit. ``η_c`` is the root of ``ρ(T_η) = 1`` on ``(0, 2/L]``, found by
    scipy's ``brentq`` (Brent's method: bisection safeguarded by interpolation).

    Above ``η_c`` the *mean* square error grows, even where a typical run still
    converges: the mean is carried by rare runs that grow a lot.

    Args:
        loss: A loss made by [`least_squares()`][lrtutor.models.least_squares] (its
            Hessian not zero).
        batch_size: ``B``, the examples per batch, drawn with replacement: finite and
            >= 1 (not necessarily an int, and may exceed the number of examples).

    Returns:
        ``η_c`` in ``(0, 2/L]``, to a relative tolerance of about 1e-10.

    Raises:
        TypeError: If ``loss`` is not a DataLoss or ``batch_size`` not a real number.
        ValueError: If the loss is not least squares or ``batch_size`` < 1.

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [0.0, 1.0, 3.0])
        >>> round(minibatch_critical_rate(loss, 1), 4), round(minibatch_critical_rate(loss, 1e9), 4)
        (0.4905, 0.8377)
        >>> round(2 / float(max(np.linalg.eigvalsh(loss.hessian(np.zeros(2))))), 4)
        0.8377

    References:
        S. Ma, R. Bassily and M. Belkin, "The Power of Interpolation: Understanding the
        Effectiveness of SGD in Modern Over-parametrized Learning", ICML 2018 (the
        critical batch size and rate of least squares); F. Bach and E. Moulines,
        "Non-strongly-convex smooth stochastic approximation with convergence rate
        O(1/n)", NeurIPS 2013 (the second-moment recursion).
    """
    loss = _data_loss(loss, least_squares_only=True)
    batch_size = _validate.real("batch_size", batch_size)
    if not (batch_size >= 1):  # NaN too
        raise ValueError(f"batch_size must be >= 1, got {_validate.show(batch_size)}")
    from scipy.optimize import brentq

    with _one_blas_thread():
        limit = _least_squares_limit(loss)
        moments = _Moments(loss)

        def excess(eta: float) -> float:
            return moments.radius(eta, batch_size) - 1.0

        if excess(limit) <= 0:  # T equals the full-batch map (B = inf or F(M) = H M H)
            return limit
        low = limit * 1e-9
        if excess(low) >= 0:
            raise ValueError("no stable learning rate found (the Hessian may be singular)")
        return float(brentq(excess, low, limit, xtol=limit * 1e-12, rtol=1e-10))


def minibatch_expected_loss(
    loss: DataLoss, w0: Any, learning_rate: LearningRate, batch_size: float, n_steps: int
) -> np.ndarray:
    """The exact expected loss of SGD on least squares, batches drawn with replacement.

    Iterates the linear recursion of the error's mean and second moment described in
    [`minibatch_critical_rate()`][lrtutor.minibatch.minibatch_critical_rate]
    (including the terms in the mean and the noise at the minimiser,
    ``S = mean_i r_i² x_i x_iᵀ``); the loss is exactly quadratic, so
    ``E loss(w_t) = loss(w*) + tr(H M_t) / 2``. No sampling: this is the mean over
    infinitely many runs of [`run_sgd_many()`][lrtutor.stochastic.run_sgd_many] with
    ``replace=True``.

    Args:
        loss: A loss made by [`least_squares()`][lrtutor.models.least_squares].
        w0: The start, shape ``(d,)``.
        learning_rate: A constant rate > 0 or a schedule.
        batch_size: ``B``, finite and >= 1.
        n_steps: Number of updates, from 0 to 10**7.

    Returns:
        Array of shape ``(n_steps + 1,)``, the expected loss before each update and
        after the last.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range or the expected loss overflows.

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0], [1.0], [1.0]], [0.0, 1.0, 2.0])
        >>> minibatch_expected_loss(loss, [0.0], 0.5, 1, 2).round(4).tolist()
        [0.8333, 0.5417, 0.4687]

    References:
        As [`minibatch_critical_rate()`][lrtutor.minibatch.minibatch_critical_rate].
    """
    loss = _data_loss(loss, least_squares_only=True)
    w0 = _point(loss, w0, "w0")
    rate = rate_function(learning_rate)
    batch_size = _validate.real("batch_size", batch_size)
    if not (batch_size >= 1):
        raise ValueError(f"batch_size must be >= 1, got {_validate.show(batch_size)}")
    n_steps = _validate.iterations("n_steps", n_steps)
    with _one_blas_thread():
        return _expected_loss(_Moments(loss), w0, rate, batch_size, n_steps)


def _expected_loss(
    mo: _Moments, w0: np.ndarray, rate: Any, batch_size: float, n_steps: int
) -> np.ndarray:
    d = mo.d
    c = 1.0 / batch_size
    m = w0 - mo.w_star
    # One state z = (vec M, m), one affine map z' = A z + b per rate.
    z = np.concatenate([np.outer(m, m).reshape(-1), m])
    read = np.concatenate([0.5 * mo.H.reshape(-1), np.zeros(d)])  # tr(H M) / 2
    out = np.empty(n_steps + 1)
    out[0] = mo.floor + float(read @ z)
    A = np.zeros((d * d + d, d * d + d))
    b = np.zeros(d * d + d)
    last = None  # a constant rate builds its map once
    with np.errstate(all="ignore"):
        for t in range(n_steps):
            eta = rate(t)
            if eta != last:
                A[: d * d, : d * d] = (
                    np.eye(d * d) - eta * mo.K1 + eta * eta * ((1 - c) * mo.K2 + c * mo.F)
                )
                A[: d * d, d * d :] = -2 * eta * eta * c * mo.C
                A[d * d :, d * d :] = np.eye(d) - eta * mo.H
                b[: d * d] = eta * eta * c * mo.S
                last = eta
            z = A @ z + b
            out[t + 1] = mo.floor + float(read @ z)
    if not np.all(np.isfinite(out)) or np.any(out > 1e100):
        raise ValueError("the expected loss overflows: choose fewer steps or a smaller rate")
    return out


def _final_expected_loss(
    mo: _Moments, w0: np.ndarray, eta: float, batch_size: float, n_steps: int
) -> float:
    """The last value of ``_expected_loss`` for a constant rate, by repeated squaring.

    The state ``z = (vec M, m)`` follows one affine map ``z' = A z + b`` at a constant
    rate, so ``(z, 1)`` is multiplied ``n_steps`` times by one augmented matrix:
    ``numpy.linalg.matrix_power`` needs about ``2 log2(n_steps)`` products instead of
    ``n_steps`` (what makes ``minibatch_best_rate`` cheap for long budgets). Returns
    ``inf`` where the loss overflows.
    """
    # On the symmetric coordinates (P's columns): M, C(m), S and H are symmetric and T
    # maps symmetric matrices to symmetric ones, so nothing is lost, and the matrix is
    # d (d + 1) / 2 + d + 1 wide instead of d² + d + 1 (78 against 133 for d = 11).
    d = mo.d
    c = 1.0 / batch_size
    K1, K2, F = mo.sym
    k = K1.shape[0]
    size = k + d
    A = np.zeros((size + 1, size + 1))
    A[:k, :k] = np.eye(k) - eta * K1 + eta * eta * ((1 - c) * K2 + c * F)
    A[:k, k:size] = -2 * eta * eta * c * (mo.P.T @ mo.C)
    A[k:size, k:size] = np.eye(d) - eta * mo.H
    A[:k, size] = eta * eta * c * (mo.P.T @ mo.S)
    A[size, size] = 1.0
    m = w0 - mo.w_star
    z = np.concatenate([mo.P.T @ np.outer(m, m).reshape(-1), m, [1.0]])
    read = np.concatenate([0.5 * (mo.P.T @ mo.H.reshape(-1)), np.zeros(d + 1)])
    with np.errstate(all="ignore"):
        value = mo.floor + float(read @ (np.linalg.matrix_power(A, n_steps) @ z))
    return value if math.isfinite(value) and value <= 1e100 else math.inf


def minibatch_best_rate(loss: DataLoss, w0: Any, batch_size: float, n_steps: int) -> float:
    """The constant learning rate with the lowest exact expected loss after ``n_steps``.

    Minimises [`minibatch_expected_loss()`][lrtutor.minibatch.minibatch_expected_loss]
    at step ``n_steps`` over rates in ``(0, 2/L]`` (least squares, batches drawn with
    replacement): a grid of 17 rates spaced evenly on a log scale from ``2/L * 1e-4``
    to ``2/L`` brackets the best one, then scipy's bounded ``minimize_scalar`` (Brent's
    method) refines it on the log of the rate, to about 1e-4 relative. A rate whose
    expected loss overflows counts as infinitely bad. Each candidate's loss after
    ``n_steps`` comes from the recursion's matrix raised to that power (repeated
    squaring), so a long budget costs about ``log2(n_steps)`` matrix products.

    Args:
        loss: A loss made by [`least_squares()`][lrtutor.models.least_squares].
        w0: The start, shape ``(d,)``.
        batch_size: ``B``, finite and >= 1.
        n_steps: The budget of updates, from 1 to 10**7.

    Returns:
        The best rate, in ``(0, 2/L]``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range.

    Examples:
        >>> from lrtutor import least_squares
        >>> loss = least_squares([[1.0], [1.0], [1.0]], [0.0, 1.0, 2.0])
        >>> round(minibatch_best_rate(loss, [0.0], 1, 1), 3)
        0.6
    """
    loss = _data_loss(loss, least_squares_only=True)
    w0 = _point(loss, w0, "w0")
    batch_size = _validate.real("batch_size", batch_size)
    if not (batch_size >= 1):
        raise ValueError(f"batch_size must be >= 1, got {_validate.show(batch_size)}")
    n_steps = _validate.iterations("n_steps", n_steps, minimum=1)
    from scipy.optimize import minimize_scalar

    with _one_blas_thread():
        limit = _least_squares_limit(loss)
        moments = _Moments(loss)

        def final(log_rate: float) -> float:
            return _final_expected_loss(moments, w0, math.exp(log_rate), batch_size, n_steps)

        grid = np.linspace(math.log(limit * 1e-4), math.log(limit), 17)
        values = [final(g) for g in grid]
        i = int(np.argmin(values))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
        best = minimize_scalar(final, bounds=(lo, hi), method="bounded",
                               options={"xatol": 1e-4})
        x = best.x if best.fun <= values[i] else grid[i]
    return float(min(math.exp(x), limit))
