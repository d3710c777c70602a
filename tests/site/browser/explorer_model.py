"""What the explorer must show, computed by lrtutor: the settings the parity tests try,
lrtutor's run and regime for each, and how to read and set the page's controls."""

from __future__ import annotations

import functools
from typing import Any


from lrtutor import (
    SQUARE,
    cosine_decay_schedule,
    exponential_decay,
    momentum_critical_learning_rate,
    regime,
    run_adam,
    run_gradient_descent,
    run_momentum_descent,
    steps_to_tolerance,
)


# -- the explorer ------------------------------------------------------------------------------

FIELDS = {  # control (data-lrx) -> key in a setting
    "x0": "x0",
    "steps": "steps",
    "decay-rate": "decay_rate",
    "transition-steps": "transition_steps",
    "decay-steps": "decay_steps",
    "alpha": "alpha",
    "momentum": "momentum",
}


def lrtutor_rate(setting: dict[str, str]) -> Any:
    """The learning rate or schedule lrtutor runs for an explorer setting."""
    lr = float(setting["lr"])
    kind = setting.get("schedule", "constant")
    if kind == "constant":
        return lr
    if kind in ("exponential", "step"):
        return exponential_decay(
            lr,
            transition_steps=int(setting["transition_steps"]),
            decay_rate=float(setting["decay_rate"]),
            staircase=kind == "step",
        )
    if kind == "cosine":
        return cosine_decay_schedule(
            lr, decay_steps=int(setting["decay_steps"]), alpha=float(setting["alpha"])
        )
    raise ValueError(kind)


def optimiser_of(setting: dict[str, str]) -> str:
    """The explorer's optimiser: "gd", "momentum" (the heavy ball) or "adam"."""
    return setting.get("optimiser", "momentum" if "momentum" in setting else "gd")


def momentum_of(setting: dict[str, str]) -> float:
    """The heavy ball's momentum; the momentum field counts only for that optimiser."""
    if optimiser_of(setting) != "momentum":
        return 0.0
    return float(setting.get("momentum", "0"))


#: Adam has no critical rate on x**2 (its step is bounded: ADAM_STEP_BOUND), so the
#: explorer names no gradient-descent regime for it.
ADAM_REGIME = "no critical rate"
B1, B2 = 0.9, 0.999  # optax's defaults, which the explorer uses
#: Cauchy-Schwarz: |m_hat| / sqrt(v_hat) <= (1 - b1) / sqrt((1 - b2) (1 - b1**2 / b2)).
ADAM_STEP_BOUND = (1 - B1) / ((1 - B2) * (1 - B1**2 / B2)) ** 0.5


def regime_for(rate: float, momentum: float, optimiser: str = "gd") -> str:
    """lrtutor's regime; with momentum, the rate against the heavy ball's critical rate."""
    if optimiser == "adam":
        return ADAM_REGIME
    if momentum == 0:
        return regime(SQUARE, rate)
    edge = momentum_critical_learning_rate(SQUARE, momentum)
    return "diverging" if rate > edge else "bouncing" if rate == edge else "converging"


def run_for(setting: dict[str, str], n_steps: int) -> Any:
    """lrtutor's run for an explorer setting: plain descent, or the heavy ball."""
    x0, rate, momentum = float(setting["x0"]), lrtutor_rate(setting), momentum_of(setting)
    if optimiser_of(setting) == "adam":
        return run_adam(SQUARE, x0, rate, n_steps)  # optax's defaults
    if momentum == 0:
        return run_gradient_descent(SQUARE, x0, rate, n_steps)
    return run_momentum_descent(SQUARE, x0, rate, momentum, n_steps)


@functools.cache
def _reached(setting: tuple[tuple[str, str], ...]) -> int | None:
    """lrtutor's steps_to_tolerance (up to a million updates, so worth keeping); with
    momentum, the step from which a heavy-ball run of a million updates stays within 0.01
    (``Trajectory.steps_to_tolerance``); the same for Adam."""
    options = dict(setting)
    if momentum_of(options) > 0 or optimiser_of(options) == "adam":
        return run_for(options, 1_000_000).steps_to_tolerance(0.01)
    return steps_to_tolerance(SQUARE, float(options["x0"]), lrtutor_rate(options), tol=0.01)


def reached_by_lrtutor(setting: dict[str, str]) -> int | None:
    return _reached(tuple(sorted(setting.items())))


def expected(setting: dict[str, str]) -> dict[str, str]:
    """What the explorer must show for a setting, computed with lrtutor."""
    rate = lrtutor_rate(setting)
    run = run_for(setting, int(setting["steps"]))
    reached = reached_by_lrtutor(setting)
    momentum = momentum_of(setting)
    if optimiser_of(setting) == "adam":
        name = ADAM_REGIME
    elif callable(rate):
        first = rate(0)
        name = regime_for(first, momentum) if first > 0 else "stopped (rate 0)"
    else:
        name = regime_for(rate, momentum)
    return {
        "final-x": f"{run.final_x:.6g}",
        "final-loss": f"{run.final_loss:.6g}",
        "steps-tol": "not reached" if reached is None else f"{reached:,}",
        "regime": name,
        "diverged": str(run.diverged),
    }


def shown(page: Any) -> dict[str, str]:
    def text(name: str) -> str:
        return page.locator(f"[data-lrx={name}]").inner_text().strip()

    return {
        "final-x": text("final-x"),
        "final-loss": text("final-loss"),
        "steps-tol": text("steps-tol"),
        "regime": page.locator("[data-lrx=regime]").get_attribute("data-regime"),
        "diverged": str("diverged" in text("note")),
    }


def apply(page: Any, setting: dict[str, str]) -> None:
    """Set the explorer's controls as a person would: choose, then type into each box."""
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=schedule]").select_option(setting.get("schedule", "constant"))
    if "momentum" in setting:  # the field shows for the heavy ball only
        page.locator("[data-lrx=optimiser]").select_option("momentum")
    page.locator("[data-lrx=lr]").fill(setting["lr"])
    for control, key in FIELDS.items():
        if key in setting:
            page.locator(f"[data-lrx={control}]").fill(setting[key])
    page.locator("[data-lrx=optimiser]").select_option(optimiser_of(setting))


SETTINGS = {
    "creeping-0.0001": {"lr": "0.0001", "x0": "2", "steps": "30"},
    "one-step-0.5": {"lr": "0.5", "x0": "2", "steps": "30"},
    "bouncing-1": {"lr": "1", "x0": "2", "steps": "30"},
    "diverging-1.1": {"lr": "1.1", "x0": "2", "steps": "1000"},
    "oscillating-0.9": {"lr": "0.9", "x0": "-3", "steps": "50"},
    "already-close": {"lr": "0.25", "x0": "0.005", "steps": "10"},
    "long-run": {"lr": "0.001", "x0": "1000", "steps": "20000"},
    "exponential-rescue": {"lr": "1", "x0": "2", "steps": "60", "schedule": "exponential",
                           "decay_rate": "0.7", "transition_steps": "10"},
    "cosine": {"lr": "1.2", "x0": "5", "steps": "40", "schedule": "cosine",
               "decay_steps": "30", "alpha": "0.05"},
    "cosine-to-zero": {"lr": "0.3", "x0": "2", "steps": "10", "schedule": "cosine",
                       "decay_steps": "5", "alpha": "0"},
    "step-decay": {"lr": "0.95", "x0": "-2", "steps": "40", "schedule": "step",
                   "decay_rate": "0.5", "transition_steps": "5"},
    "momentum-0.5": {"lr": "0.1", "x0": "2", "steps": "30", "momentum": "0.5"},
    "momentum-widens-1.4": {"lr": "1.4", "x0": "2", "steps": "200", "momentum": "0.5"},
    "momentum-edge-1.5": {"lr": "1.5", "x0": "2", "steps": "100", "momentum": "0.5"},
    "momentum-diverging-1.5": {"lr": "1.5", "x0": "2", "steps": "1000", "momentum": "0.4"},
    "momentum-0.99": {"lr": "0.01", "x0": "-3", "steps": "500", "momentum": "0.99"},
    # x_1 = 0 is inside the band, x_2 = -1 is not: the count is where it stays (16).
    "momentum-leaves-the-band": {"lr": "0.5", "x0": "2", "steps": "40", "momentum": "0.5"},
    # Rates above 1.5 are open with momentum: 1.9 converges at 0.99 (limit 1.99).
    "momentum-0.99-rate-1.9": {"lr": "1.9", "x0": "2", "steps": "2000", "momentum": "0.99"},
    "momentum-cosine": {"lr": "1.2", "x0": "5", "steps": "40", "schedule": "cosine",
                        "decay_steps": "30", "alpha": "0.05", "momentum": "0.3"},
    # Exact ties at the sixth digit: Python rounds them to even, JavaScript's toFixed up.
    "tie-0.001953125": {"lr": "0.25", "x0": "1", "steps": "9"},  # Python: 0.00195312
    "tie-0.0009765625": {"lr": "0.25", "x0": "-1", "steps": "10"},  # 0.000976562
    "tie-123456.5": {"lr": "0.0001", "x0": "123456.5", "steps": "0"},  # 123456
    "cosine-same-regime": {"lr": "0.3", "x0": "2", "steps": "10", "schedule": "cosine",
                           "decay_steps": "20", "alpha": "0.1"},
    # Adam (optax's defaults): a swing of about a quarter of the rate fits in 0.01 at 0.01
    # (inside from step 16268), not at 0.1 (a stay found only at the end of the count).
    "adam-0.01": {"lr": "0.01", "x0": "2", "steps": "300", "optimiser": "adam"},
    "adam-0.1-swings": {"lr": "0.1", "x0": "2", "steps": "100", "optimiser": "adam"},
    "adam-cap-10": {"lr": "10", "x0": "2", "steps": "50", "optimiser": "adam"},
    "adam-far-start": {"lr": "0.5", "x0": "-1000", "steps": "3000", "optimiser": "adam"},
    "adam-exponential": {"lr": "1", "x0": "2", "steps": "60", "schedule": "exponential",
                         "decay_rate": "0.7", "transition_steps": "10", "optimiser": "adam"},
    "adam-cosine": {"lr": "1.2", "x0": "5", "steps": "40", "schedule": "cosine",
                    "decay_steps": "30", "alpha": "0.05", "optimiser": "adam"},
    # The momentum field is ignored unless the optimiser is the heavy ball.
    "adam-ignores-momentum": {"lr": "0.2", "x0": "2", "steps": "30", "optimiser": "adam",
                              "momentum": "0.9"},
}


#: True once the explorer on the current page has been set up and shows numbers.
EXPLORER_READY = """() => {
  const root = document.querySelector("[data-lrx-explorer]");
  return root !== null && root.dataset.lrxReady === "true"
    && root.querySelector("[data-lrx=final-x]").textContent !== "\u2013";
}"""
