# Figure: steps from x = 2 to |x| < 0.01 on x**2 against the learning rate (log axes),
# closed form as a line, simulated runs as markers, regimes shaded.
import numpy as np

from lrtutor import (
    SQUARE,
    closed_form_steps,
    critical_learning_rate,
    one_step_learning_rate,
    steps_to_tolerance,
)
from lrtutor.plots import MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

X0, TOL = 2.0, 0.01
one_step = one_step_learning_rate(SQUARE)  # 0.5
critical = critical_learning_rate(SQUARE)  # 1.0
LOW, HIGH = 1e-4, 2.0

# The closed form, densely: a staircase of whole step counts. Rates at and above the
# critical rate never get there and are left out.
dense = np.union1d(np.geomspace(LOW, critical, 500), np.linspace(0.3, critical, 700))[:-1]
formula = [closed_form_steps(SQUARE, X0, lr, TOL) for lr in dense.tolist()]
# Simulated runs at a few rates, including the walkthrough's.
sparse = sorted(set(np.geomspace(LOW, 0.99, 17).round(4).tolist())
                | {0.0001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97})
simulated = [steps_to_tolerance(SQUARE, X0, lr, TOL) for lr in sparse]

fig, ax = new_figure(height=4.4)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlim(LOW * 0.8, HIGH)
ax.set_ylim(0.7, 1e5)
# Regimes: shading plus a text label, so they do not rely on colour alone.
ax.axvspan(LOW * 0.8, one_step, color=PALETTE[2], alpha=0.10, lw=0)
ax.axvspan(one_step, critical, color=PALETTE[4], alpha=0.18, lw=0)
ax.axvspan(critical, HIGH, color=PALETTE[1], alpha=0.14, lw=0)
ax.axvspan(critical, HIGH, facecolor="none", edgecolor="0.55", lw=0, hatch="//")
ax.text(3e-3, 5e4, "monotone: x keeps its sign", ha="center", va="top", fontsize=12, color="0.2")
for text, x in (("oscillating", 0.707), ("diverging: never", 1.414)):
    ax.text(x, 5e4, text, ha="center", va="top", rotation=90, fontsize=12, color="0.2",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
ax.axvline(one_step, color="0.3", lw=1, linestyle="--")
ax.axvline(critical, color="0.3", lw=1, linestyle=":")
ax.annotate(f"one step: {one_step:g}", xy=(one_step, 1), xytext=(0.06, 1.15),
            fontsize=12, arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 0.8})
ax.annotate(f"bounces: {critical:g}", xy=(critical, 3000), xytext=(0.13, 3000),
            fontsize=12, va="center",
            arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 0.8})
ax.plot(dense, formula, color=PALETTE[0], lw=1.6, label="closed form")
ax.plot(sparse, simulated, color=PALETTE[6], marker=MARKERS[1], markersize=6,
        markerfacecolor="none", markeredgewidth=1.4, linestyle="none",
        label="simulated run")
ax.set_xlabel("learning rate (log scale)")
ax.set_ylabel("steps until |x| < 0.01 (log scale)")
ax.legend(loc="lower left")
svg = figure_to_svg(
    fig,
    "fig-stability",
    alt="Steps needed from x = 2 to get within 0.01 of the minimum of x squared, against "
    "the learning rate, both on log scales. The count falls from about 26 thousand at "
    "0.0001 to 1 at 0.5, then rises again and shoots up towards the rate 1, where x "
    "bounces; above 1 no run gets there. The closed-form line and the simulated points "
    "agree everywhere. Shaded bands mark the monotone, oscillating and diverging rates.",
)
print(figure_html(svg, "Steps to reach |x| < 0.01 from x = 2 on x², against the learning "
                       "rate. Line: the closed form; open squares: simulated runs. Dashed: "
                       "the one-step rate 0.5; dotted: the bouncing rate 1."))
