# Figure: the home page's one-picture summary: three learning rates on x**2.
import numpy as np

from lrtutor import SQUARE, run_gradient_descent
from lrtutor.plots import (
    MARKERS,
    PALETTE,
    figure_html,
    figure_to_svg,
    new_figure,
    plot_loss_curve,
    plot_trajectory,
)

fig, axes = new_figure(3, width=9.0, height=3.3, sharey=True)
cases = [
    (0.02, "too small: 0.02", "crawls: 6 steps barely move"),
    (0.25, "good: 0.25", "halves x every step"),
    (1.05, "too large: 1.05", "overshoots and diverges"),
]
for i, (ax, (lr, title, note)) in enumerate(zip(axes, cases, strict=True)):
    plot_loss_curve(ax, SQUARE, np.linspace(-3.2, 3.2, 161), label=None)
    run = run_gradient_descent(SQUARE, 2.0, lr, 6)
    plot_trajectory(ax, run, color=PALETTE[i], marker=MARKERS[i], linestyle="none",
                    markersize=6)
    ax.set_title(f"learning rate {title}\n{note}", fontsize=10)
    ax.set_ylim(-0.5, 10.5)
    if i:
        ax.set_ylabel("")
svg = figure_to_svg(
    fig,
    "fig-summary",
    alt="Three panels of the parabola loss = x squared, each with six gradient-descent "
    "steps from x = 2. With learning rate 0.02 the points barely move down the curve; "
    "with 0.25 they reach the bottom quickly; with 1.05 they jump from side to side and "
    "climb higher each time.",
)
print(figure_html(svg, "Six steps from x = 2 on the loss x², with three learning rates: "
                       "too small crawls, a good one converges, too large diverges."))
