# Figure: contours of 0.5*(x**2 + 10*y**2) with gradient-descent paths from (-9, 1):
# one panel with two rates below the limit 0.2, one with the limit itself and a rate
# above it (each panel its own SVG; legends below the plot, clear of the paths).
import numpy as np

from lrtutor import (
    best_learning_rate,
    critical_learning_rate,
    diagonal_quadratic,
    run_gradient_descent,
)
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

loss = diagonal_quadratic([1, 10])
start = np.array([-9.0, 1.0])
XLIM, YLIM = (-9.6, 0.8), (-2.9, 2.9)
EDGE = 2.5  # a path is drawn up to its first point beyond |y| = 2.5
STEPS = 20
PANELS = [
    ("below", "below the limit", [(0.1, "0.1"), (best_learning_rate(loss), "2/11 (best)")],
     "At rate 0.1 the path drops to y = 0 in one step and then creeps along the x axis; "
     "at rate 2/11 it zigzags across the valley with shrinking swings while moving right."),
    ("above", "at and above the limit",
     [(critical_learning_rate(loss), "0.2: y bounces"), (0.21, "0.21: y grows")],
     "At rate 0.2 the path jumps between y = 1 and y = -1 for ever while x still "
     "shrinks; at rate 0.21 the swings in y grow until the path nears the edge of the "
     "plot."),
]

xs, ys = np.meshgrid(np.linspace(*XLIM, 240), np.linspace(*YLIM, 120))
values = np.vectorize(lambda x, y: loss.value(np.array([x, y])))(xs, ys)
panels = []
for k, (name, title, rates, alt) in enumerate(PANELS):
    fig, ax = new_figure(height=3.5)
    ax.contour(xs, ys, values, levels=[0.5, 2, 5, 12, 25, 45.5], colors="0.6",
               linewidths=0.8)
    ax.plot([0], [0], marker="*", markersize=12, color="0.1", linestyle="none", zorder=5)
    for i, (lr, label) in enumerate(rates):
        j = 2 * k + i
        path = run_gradient_descent(loss, start, lr, STEPS).positions
        beyond = np.abs(path[:, 1]) > EDGE
        if beyond.any():  # stop at the first point beyond the edge
            path = path[: int(beyond.argmax()) + 1]
        ax.plot(path[:, 0], path[:, 1], color=PALETTE[j], marker=MARKERS[j],
                linestyle=LINESTYLES[j], markersize=4.5, lw=1.2, label=f"rate {label}")
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.set_xlabel("x (flat, curvature 1)")
    ax.set_ylabel("y (steep,\ncurvature 10)")
    fig.legend(loc="outside lower center", handlelength=2.5)
    panels.append(figure_to_svg(
        fig, f"fig-contours-{name}",
        alt="Elliptical contour lines of the loss one half of x squared plus ten y "
        "squared, stretched along x, with paths of gradient descent starting at x = -9, "
        "y = 1. " + alt,
    ))
print(figure_html(panels, "Gradient descent on ½(x² + 10y²) from (−9, 1), first 20 steps, "
                          "below the limit 0.2 and at or above it. The star marks the "
                          "minimum; grey ellipses are lines of equal loss.",
                  figure_id="fig-contours"))
