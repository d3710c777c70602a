"""lrtutor: why gradient descent multiplies the slope by a learning rate.

The package behind the tutorial site: losses and their slopes, gradient descent that
records trajectories, learning-rate schedules, momentum, stability analysis, figure
helpers, and for real models: data sets, losses on data, their sharpness and the range
test.
"""

from .adaptive import AdaptiveTrajectory, run_adagrad, run_adam, run_rmsprop
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
from .data import DataSet, add_intercept, load_breast_cancer, load_diabetes, standardise
from .descent import (
    LearningRate,
    Trajectory,
    gradient_step,
    run_gradient_descent,
    run_sign_descent,
    steps_to_tolerance,
)
from .hessian import hessian_eigenvalues, sharpest_direction, sharpness
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
from .lr_range import RangeTest, critical_rate, range_test
from .models import DataLoss, least_squares, logistic_regression
from .momentum import (
    best_momentum,
    best_momentum_contraction_factor,
    momentum_contraction_factor,
    momentum_critical_learning_rate,
    run_momentum_descent,
)
from .network import initial_weights, two_layer_network
from .nudge import Nudge, exact_decimal, nudge
from .schedules import (
    Schedule,
    constant_schedule,
    cosine_annealing_schedule,
    cosine_decay_schedule,
    cosine_onecycle_schedule,
    exponential_decay,
    fastai_combined_cos_schedule,
    fastai_cos_schedule,
    fastai_poly_schedule,
    inverse_sqrt_decay,
    inverse_time_decay,
    join_schedules,
    linear_onecycle_schedule,
    linear_schedule,
    piecewise_constant_schedule,
    polynomial_schedule,
    sgdr_schedule,
    warmup_cosine_decay_schedule,
)

__version__ = "0.1.0"

__all__ = [
    "CUBIC",
    "REGIMES",
    "SQUARE",
    "AdaptiveTrajectory",
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
    "best_momentum",
    "best_momentum_contraction_factor",
    "central_difference",
    "closed_form_steps",
    "condition_number",
    "constant_schedule",
    "contraction_factor",
    "cosine_annealing_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "critical_learning_rate",
    "critical_rate",
    "curvature",
    "diagonal_quadratic",
    "exact_decimal",
    "exponential_decay",
    "fastai_combined_cos_schedule",
    "fastai_cos_schedule",
    "fastai_poly_schedule",
    "forward_difference",
    "gradient_step",
    "hessian_eigenvalues",
    "initial_weights",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "join_schedules",
    "least_squares",
    "linear_onecycle_schedule",
    "linear_schedule",
    "load_breast_cancer",
    "load_diabetes",
    "logistic_regression",
    "make_loss",
    "momentum_contraction_factor",
    "momentum_critical_learning_rate",
    "nudge",
    "one_step_learning_rate",
    "piecewise_constant_schedule",
    "polynomial_schedule",
    "quadratic",
    "range_test",
    "regime",
    "run_adagrad",
    "run_adam",
    "run_gradient_descent",
    "run_momentum_descent",
    "run_rmsprop",
    "run_sign_descent",
    "sgdr_schedule",
    "sharpest_direction",
    "sharpness",
    "standardise",
    "steps_to_tolerance",
    "two_layer_network",
    "warmup_cosine_decay_schedule",
]
