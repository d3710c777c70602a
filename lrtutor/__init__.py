"""lrtutor: why gradient descent multiplies the slope by a learning rate.

The package behind the tutorial site: losses and their slopes, gradient descent that
records trajectories, learning-rate schedules, stability analysis, figure helpers, and
for real models: data sets, losses on data, their sharpness and the range test.
"""

from .analysis import (
    REGIMES,
    Regime,
    best_contraction_factor,
    best_contraction_factor_exact,
    best_learning_rate,
    best_learning_rate_exact,
    closed_form_steps,
    condition_number,
    contraction_factor,
    critical_learning_rate,
    curvature,
    one_step_learning_rate,
    regime,
)
from .hessian import hessian_eigenvalues, sharpest_direction, sharpness
from .data import DataSet, add_intercept, load_breast_cancer, load_diabetes, standardise
from .descent import (
    LearningRate,
    Trajectory,
    gradient_step,
    run_gradient_descent,
    run_sign_descent,
    steps_to_tolerance,
)
from .losses import (
    CUBIC,
    SQUARE,
    Loss,
    central_difference,
    diagonal_quadratic,
    forward_difference,
    make_loss,
    quadratic,
)
from .models import DataLoss, least_squares, logistic_regression
from .network import initial_weights, two_layer_network
from .nudge import Nudge, exact_decimal, nudge
from .lr_range import RangeTest, critical_rate, range_test
from .schedules import (
    Schedule,
    constant_schedule,
    cosine_decay_schedule,
    exponential_decay,
    inverse_time_decay,
    linear_schedule,
    piecewise_constant_schedule,
    polynomial_schedule,
    warmup_cosine_decay_schedule,
)

__version__ = "0.1.0"

__all__ = [
    "CUBIC",
    "REGIMES",
    "SQUARE",
    "DataLoss",
    "DataSet",
    "LearningRate",
    "Loss",
    "Nudge",
    "RangeTest",
    "Regime",
    "Schedule",
    "Trajectory",
    "add_intercept",
    "best_contraction_factor",
    "best_contraction_factor_exact",
    "best_learning_rate",
    "best_learning_rate_exact",
    "central_difference",
    "closed_form_steps",
    "condition_number",
    "constant_schedule",
    "contraction_factor",
    "cosine_decay_schedule",
    "critical_learning_rate",
    "critical_rate",
    "curvature",
    "diagonal_quadratic",
    "exact_decimal",
    "exponential_decay",
    "forward_difference",
    "gradient_step",
    "hessian_eigenvalues",
    "initial_weights",
    "inverse_time_decay",
    "least_squares",
    "linear_schedule",
    "load_breast_cancer",
    "load_diabetes",
    "logistic_regression",
    "make_loss",
    "nudge",
    "one_step_learning_rate",
    "piecewise_constant_schedule",
    "polynomial_schedule",
    "quadratic",
    "range_test",
    "regime",
    "run_gradient_descent",
    "run_sign_descent",
    "sharpest_direction",
    "sharpness",
    "standardise",
    "steps_to_tolerance",
    "two_layer_network",
    "warmup_cosine_decay_schedule",
]
