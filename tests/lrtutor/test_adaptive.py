"""lrtutor.adaptive against independent references: d2l.ai's published runs, hand formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrtutor import (
    SQUARE,
    Trajectory,
    diagonal_quadratic,
    run_adagrad,
    run_adam,
    run_rmsprop,
)

D2L = diagonal_quadratic([0.2, 4.0])  # 0.1 x1**2 + 2 x2**2


def test_d2l_adagrad() -> None:
    # d2l.ai 12.7: s_0 = 0, eps = 1e-6 inside the root, eta = 0.4, 20 steps.
    run = run_adagrad(D2L, [-5.0, -2.0], 0.4, 20, initial_accumulator_value=0.0, eps=1e-6)
    assert isinstance(run, Trajectory)
    assert np.round(run.final_x, 6).tolist() == [-2.382563, -0.158591]


def test_d2l_rmsprop() -> None:
    run = run_rmsprop(D2L, [-5.0, -2.0], 0.4, 20, decay=0.9, eps=1e-6)
    assert round(float(run.final_x[0]), 6) == -0.010599


@pytest.mark.parametrize("g", [1.0, 1e-2, 1e-4])
def test_first_steps_by_hand(g: float) -> None:
    x0 = g / 2  # SQUARE's slope is 2x
    cases = [
        (run_rmsprop(SQUARE, x0, 1.0, 1, decay=0.99, eps=1e-8, eps_in_sqrt=False),
         g / (math.sqrt(0.01 * g * g) + 1e-8)),
        (run_rmsprop(SQUARE, x0, 1.0, 1), g / math.sqrt(0.1 * g * g + 1e-8)),
        (run_rmsprop(SQUARE, x0, 1.0, 1, eps=1e-7), g / math.sqrt(0.1 * g * g + 1e-7)),
        (run_adam(SQUARE, x0, 1.0, 1), g / (abs(g) + 1e-8)),
        (run_adagrad(SQUARE, x0, 1.0, 1), g / math.sqrt(0.1 + g * g + 1e-7)),
        (run_adagrad(SQUARE, x0, 1.0, 1, initial_accumulator_value=0.0, eps=1e-10,
                     eps_in_sqrt=False), g / (abs(g) + 1e-10)),
    ]
    for run, step in cases:
        assert x0 - run.final_x == pytest.approx(step, rel=1e-13)


def test_rmsprop_first_steps_disagree_by_32_at_small_gradient() -> None:
    steps = [
        x0 - r.final_x
        for x0 in [0.5]
        for r in [run_rmsprop(SQUARE, x0, 1.0, 1, decay=0.99, eps=1e-8, eps_in_sqrt=False)]
    ]
    assert steps[0] == pytest.approx(10.0, rel=1e-6)  # PyTorch: 10x its rate
    g = 1e-4
    torch = run_rmsprop(SQUARE, g / 2, 1.0, 1, decay=0.99, eps=1e-8, eps_in_sqrt=False)
    keras = run_rmsprop(SQUARE, g / 2, 1.0, 1, decay=0.9, eps=1e-7)
    ratio = (g / 2 - torch.final_x) / (g / 2 - keras.final_x)
    assert 31 < ratio < 32


def test_adam_against_a_hand_loop() -> None:
    loss = diagonal_quadratic([1.0, 10.0])
    run = run_adam(loss, [-9.0, 1.0], 0.1, 50, weight_decay=0.01)
    x, m, v = np.array([-9.0, 1.0]), np.zeros(2), np.zeros(2)
    for t in range(1, 51):
        g = np.array([1.0, 10.0]) * x
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        mh, vh = m / (1 - 0.9**t), v / (1 - 0.999**t)
        x = x - 0.1 * (mh / (np.sqrt(vh) + 1e-8) + 0.01 * x)
    assert np.allclose(run.final_x, x, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: run_adam(SQUARE, 1.0, -0.1, 3), "learning_rate"),
        (lambda: run_adam(SQUARE, 1.0, math.nan, 3), "learning_rate"),
        (lambda: run_adam(SQUARE, 1.0, 0.1, 3, b1=1.0), "b1"),
        (lambda: run_adam(SQUARE, 1.0, 0.1, 3, b2=-0.1), "b2"),
        (lambda: run_adam(SQUARE, 1.0, 0.1, 3, eps=-1e-8), "eps"),
        (lambda: run_adam(SQUARE, 1.0, 0.1, 3, weight_decay=-1.0), "weight_decay"),
        (lambda: run_rmsprop(SQUARE, 1.0, 0.1, 3, decay=1.0), "decay"),
        (lambda: run_adagrad(SQUARE, 1.0, 0.1, 3, initial_accumulator_value=-1.0),
         "initial_accumulator_value"),
        (lambda: run_adagrad(SQUARE, 1.0, 0.1, 3, dtype="float16"), "dtype"),
    ],
)
def test_bad_input_names_the_argument(call, name) -> None:
    with pytest.raises(ValueError, match=name):
        call()


def test_full_batch_adam_hovers_at_the_adaptive_edge_of_stability() -> None:
    """Cohen et al. 2022 (issue 18, item 6): full-batch Adam's preconditioned sharpness
    lambda_max(P^-1 H), P = diag(sqrt(v_hat) + eps), rises to (2 + 2 b1) / ((1 - b1) eta),
    38 / eta at b1 = 0.9. Measured on the edge-of-stability page's network at eta = 0.1:
    about 236 at the start, then 389, 374 and 347 after 500, 750 and 999 updates, against
    38 / eta = 380 (eigenvalues of the symmetric P^-1/2 H P^-1/2, the same spectrum)."""
    from lrtutor import initial_weights, load_diabetes, two_layer_network

    data = load_diabetes(intercept=False)
    network = two_layer_network(data.X, data.y, hidden=16)
    eta = 0.1
    run = run_adam(network, initial_weights(network, seed=0), eta, 1000)
    assert not run.diverged

    def preconditioned_sharpness(k: int) -> float:
        root = np.sqrt(run.effective_learning_rates[k] / eta)  # P^-1/2 of update k
        hessian = network.hessian(run.positions[k])
        return float(np.linalg.eigvalsh(root[:, None] * hessian * root)[-1])

    threshold = (2 + 2 * 0.9) / ((1 - 0.9) * eta)
    assert preconditioned_sharpness(0) < 0.7 * threshold
    for k in (500, 750, 999):
        assert 0.85 * threshold < preconditioned_sharpness(k) < 1.1 * threshold
    assert run.final_loss < 0.1 * run.losses[0]
