# Figure: excess loss of full-batch gradient descent on the diabetes regression, at
# rates 1 % below and 1 % above 2/L, log scale.
import numpy as np

from lrtutor import least_squares, load_diabetes, run_gradient_descent, sharpness
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

data = load_diabetes()
loss = least_squares(data.X, data.y)
start = np.zeros(loss.dim)
floor = loss.value(np.array(loss.minimiser))
limit = 2 / sharpness(loss, start)

fig, ax = new_figure(height=4.2)
for i, factor in enumerate((0.99, 1.01)):
    run = run_gradient_descent(loss, start, factor * limit, 200)
    ax.plot(run.losses - floor, color=PALETTE[i], linestyle=LINESTYLES[i], marker=MARKERS[i],
            markevery=20, markersize=5, lw=1.6, label=f"{factor} × 2/L = {factor * limit:.4f}")
ax.set_yscale("log")
ax.set_ylim(top=5e3)  # headroom: the legend stays clear of the rising line
ax.set_xlabel("iteration (step)")
ax.set_ylabel("loss − minimum (log scale)")
ax.legend(title="learning rate", fontsize=9, loc="upper left")
svg = figure_to_svg(
    fig,
    "fig-regression-limit",
    alt="Excess loss against iteration, log scale, for 200 steps of gradient descent on "
    "the diabetes regression. At 0.99 times 2/L the curve falls steadily from about 0.26 "
    "to below 0.001. At 1.01 times 2/L it dips for a few steps, then rises along a "
    "straight line to several hundred.",
)
print(figure_html(svg, "Linear regression on the diabetes data: the same two learning "
                       "rates, 2 % apart, on either side of the limit 2/L."))
