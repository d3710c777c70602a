# Figure: the loss x**2 with its tangent lines at x = -2, 2 and 5.
import numpy as np

from lrtutor import SQUARE
from lrtutor.plots import (
    PALETTE,
    figure_html,
    figure_to_svg,
    new_figure,
    plot_loss_curve,
    plot_tangent,
)

TOP = 42  # the loss axis ends here; the curve is drawn only where it is in view
fig, ax = new_figure(height=4.0)
plot_loss_curve(ax, SQUARE, np.linspace(-3.5, np.sqrt(TOP), 201))
for x0, color, style in zip((-2.0, 2.0, 5.0), PALETTE[:3], ("--", "-.", ":"), strict=True):
    plot_tangent(ax, SQUARE, x0, half_width=1.6, color=color, linestyle=style, linewidth=2)
ax.set_ylim(-5, TOP)
ax.legend(loc="upper left")
svg = figure_to_svg(
    fig,
    "fig-tangents",
    alt="The parabola loss = x squared with three tangent lines: at x = -2 the line falls "
    "with slope -4, at x = 2 it rises with slope 4, and at x = 5 it rises more steeply "
    "with slope 10.",
)
print(figure_html(svg, "Tangent lines of x² at x = −2, 2 and 5. Their tilt is the slope: "
                       "−4, 4 and 10. The steeper the curve, the larger the slope."))
