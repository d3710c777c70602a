# Figure: the home page's one-picture summary: three learning rates on x**2, one panel
# each (a group that sits side by side on a wide screen and stacks on a phone).
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

STEPS = 6
cases = [
    (0.02, "small", "too small: 0.02", "6 steps barely move",
     "With learning rate 0.02 the points barely move down the curve."),
    (0.25, "good", "good: 0.25", "halves x every step",
     "With learning rate 0.25 the points reach the bottom quickly."),
    (1.05, "large", "too large: 1.05", "overshoots and diverges",
     "With learning rate 1.05 the points jump from side to side and climb higher each "
     "time, the sixth at a loss of about 12.5."),
]
panels = []
for i, (lr, name, title, note, alt) in enumerate(cases):
    fig, ax = new_figure(width=3.0, height=3.2)
    # The same axes in every panel, wide and tall enough for all six steps of 1.05.
    plot_loss_curve(ax, SQUARE, np.linspace(-3.8, 3.8, 161), label=None)
    run = run_gradient_descent(SQUARE, 2.0, lr, STEPS)
    plot_trajectory(ax, run, color=PALETTE[i], marker=MARKERS[i], linestyle="none",
                    markersize=6)
    ax.set_title(f"{title}\n{note}")
    ax.set_ylim(-0.5, 14.5)
    panels.append(figure_to_svg(
        fig, f"fig-summary-{name}",
        alt="The parabola loss = x squared with six gradient-descent steps from x = 2. "
        + alt,
    ))
print(figure_html(panels, "Six steps from x = 2 on the loss x², with three learning "
                          "rates: too small crawls, a good one converges, too large "
                          "diverges.", figure_id="fig-summary"))
