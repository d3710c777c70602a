# Figure: contours of 0.5*(x**2 + 10*y**2) with two paths from (-9, 1): plain gradient
# descent at its best rate 2/11, and the heavy ball at Polyak's best rate and momentum.
import numpy as np

from lrtutor import (
    best_learning_rate,
    best_momentum,
    diagonal_quadratic,
    run_gradient_descent,
    run_momentum_descent,
)
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

loss = diagonal_quadratic([1, 10])
start = np.array([-9.0, 1.0])
XLIM, YLIM = (-9.6, 0.8), (-1.6, 1.6)
STEPS = 15
rate, beta = best_momentum(loss)
runs = [
    (run_gradient_descent(loss, start, best_learning_rate(loss), STEPS),
     "plain, rate 2/11"),
    (run_momentum_descent(loss, start, rate, beta, STEPS),
     f"heavy ball, rate {rate:.2f}, β {beta:.2f}"),
]

xs, ys = np.meshgrid(np.linspace(*XLIM, 240), np.linspace(*YLIM, 100))
values = np.vectorize(lambda x, y: loss.value(np.array([x, y])))(xs, ys)
fig, ax = new_figure(height=2.7)
ax.contour(xs, ys, values, levels=[0.5, 2, 5, 12, 25, 45.5], colors="0.6", linewidths=0.8)
ax.plot([0], [0], marker="*", markersize=12, color="0.1", linestyle="none", zorder=5)
for j, (run, label) in enumerate(runs):
    path = run.positions
    ax.plot(path[:, 0], path[:, 1], color=PALETTE[j], marker=MARKERS[j],
            linestyle=LINESTYLES[j], markersize=4.5, lw=1.2, label=label)
ax.set_xlim(*XLIM)
ax.set_ylim(*YLIM)
ax.set_aspect("equal")
ax.set_xlabel("x (flat, curvature 1)")
ax.set_ylabel("y (steep)")
# Legend below the axes, off the paths.
fig.legend(loc="outside lower center", ncols=1, handlelength=2.5)
svg = figure_to_svg(
    fig,
    "fig-momentum",
    alt="Elliptical contour lines of the loss one half of x squared plus ten y squared, "
    "with two paths of 15 steps from x = -9, y = 1 towards the minimum at the origin. "
    "Plain gradient descent at rate 2/11 zigzags across the narrow valley with slowly "
    "shrinking swings and is still well short of the minimum at the end. The heavy ball "
    "with Polyak's rate and momentum swings further across the valley on its first step, "
    "but its swings die out faster and its strides along the valley are longer: it is "
    "next to the minimum after about ten steps.",
)
print(figure_html(svg, f"The first {STEPS} steps from (−9, 1) on ½(x² + 10y²): plain "
                       "descent at its best rate and the heavy ball at its best rate and "
                       "momentum. The star marks the minimum."))
