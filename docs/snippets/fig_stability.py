# Figure: steps from x = 2 to |x| < 0.01 on x**2 against the learning rate, closed form
# as a line, simulated runs as markers, regimes shaded. Two panels (each its own SVG):
# every rate on a log axis, then rates up to 1.5 on a linear axis, where the one-step
# dip, the oscillating band and the diverging band have room.
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
LINEAR_LOW, LINEAR_HIGH = 0.01, 1.5  # the second panel's rates

# The closed form, densely: a staircase of whole step counts. Rates at and above the
# critical rate never get there and are left out.
dense = np.union1d(np.geomspace(LOW, critical, 500), np.linspace(0.3, critical, 700))[:-1]
formula = np.array([closed_form_steps(SQUARE, X0, lr, TOL) for lr in dense.tolist()])
# Simulated runs at a few rates, including the walkthrough's.
sparse = np.array(sorted(set(np.geomspace(LOW, 0.99, 17).round(4).tolist())
                         | {0.0001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97}))
simulated = np.array([steps_to_tolerance(SQUARE, X0, lr, TOL) for lr in sparse])


def draw(ax, left, right, keep_dense, keep_sparse):
    """Bands, reference lines, the closed form and the simulated runs on ``ax``."""
    ax.set_yscale("log")
    ax.set_xlim(left, right)
    ax.set_ylim(0.7, 5e4)
    # Regimes: shading plus a pattern or a label, so they do not rely on colour alone.
    ax.axvspan(left, one_step, color=PALETTE[2], alpha=0.10, lw=0)
    ax.axvspan(one_step, critical, color=PALETTE[4], alpha=0.18, lw=0)
    ax.axvspan(critical, right, color=PALETTE[1], alpha=0.14, lw=0)
    ax.axvspan(critical, right, facecolor="none", edgecolor="0.55", lw=0, hatch="//")
    ax.axvline(one_step, color="0.3", lw=1, linestyle="--")
    ax.axvline(critical, color="0.3", lw=1, linestyle=":")
    ax.plot(dense[keep_dense], formula[keep_dense], color=PALETTE[0], lw=1.6,
            label="closed form")
    ax.plot(sparse[keep_sparse], simulated[keep_sparse], color=PALETTE[6],
            marker=MARKERS[1], markersize=6, markerfacecolor="none", markeredgewidth=1.4,
            linestyle="none", label="simulated run")
    ax.set_xlabel("learning rate" + (" (log scale)" if ax.get_xscale() == "log" else ""))
    ax.set_ylabel("steps until |x| < 0.01\n(log scale)")


def legend_below(fig, ax):
    """The legend in one row under the plot, clear of the data."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(handles))


fig, ax = new_figure(height=3.9)
ax.set_xscale("log")
draw(ax, LOW * 0.8, HIGH, slice(None), slice(None))
ax.set_title("every rate, log scale")
ax.text(3e-3, 2.5e4, "monotone", ha="center", va="top", color="0.2")
legend_below(fig, ax)
whole = figure_to_svg(
    fig, "fig-stability-log",
    alt="Steps needed from x = 2 to get within 0.01 of the minimum of x squared, against "
    "the learning rate from 0.0001 to 2, both on log scales. The count falls from about "
    "26 thousand at 0.0001 to 1 at 0.5, then rises again and shoots up towards the rate "
    "1; above 1 no run gets there. The closed-form line and the simulated points agree "
    "everywhere.",
)

fig, ax = new_figure(height=3.9)
draw(ax, 0.0, LINEAR_HIGH, dense >= LINEAR_LOW, sparse >= LINEAR_LOW)
ax.set_title("rates 0.01 to 1.5, linear scale")
for text, x in (("monotone", 0.25), ("oscillating", 0.75), ("diverging:\nnever", 1.25)):
    ax.text(x, 2.5e4, text, ha="center", va="top", color="0.2",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
ax.annotate(f"one step: {one_step:g}", xy=(one_step, 1), xytext=(0.58, 0.8), va="bottom",
            arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 0.8})
legend_below(fig, ax)
zoom = figure_to_svg(
    fig, "fig-stability-linear",
    alt="The same step counts for rates from 0.01 to 1.5 on a linear rate axis, with "
    "shaded bands: monotone below 0.5, oscillating from 0.5 to 1, diverging above 1. The "
    "count falls to 1 at 0.5 and rises again towards 1 in the same shape, so that 0.1 and "
    "0.9 need the same number of steps; at and above 1 there is no line.",
)
print(figure_html([whole, zoom],
                  "Steps to reach |x| < 0.01 from x = 2 on x², against the learning rate. "
                  "Line: the closed form; open squares: simulated runs. Dashed: the "
                  "one-step rate 0.5; dotted: the bouncing rate 1.",
                  figure_id="fig-stability"))
