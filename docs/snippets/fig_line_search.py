# Figure: distance to the least-squares solution on the diabetes regression against
# gradients computed, for the best constant rate, Armijo backtracking and Polyak's step.
import numpy as np

from lrtutor import (hessian_eigenvalues, least_squares, load_diabetes, run_backtracking_descent,
                     run_gradient_descent, run_polyak_descent)
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

data = load_diabetes()
loss = least_squares(data.X, data.y)
start = np.zeros(loss.dim)
curvatures = hessian_eigenvalues(loss, start)
best = 2 / (curvatures[0] + curvatures[-1])
runs = {
    f"constant {best:.4f}": run_gradient_descent(loss, start, best, 1000),
    "Armijo backtracking": run_backtracking_descent(loss, start, 1000),
    "Polyak's step": run_polyak_descent(loss, start, 190,
                                        f_min=loss.value(np.array(loss.minimiser))),
}
fig, ax = new_figure(height=4.2)
for i, (label, run) in enumerate(runs.items()):
    # Every tenth step (and the last): the curves are smooth, and the page stays light.
    steps = np.unique(np.r_[np.arange(0, run.n_steps + 1, 10), run.n_steps])
    ax.plot(steps, run.distances()[steps], color=PALETTE[i], linestyle=LINESTYLES[i],
            marker=MARKERS[i], markevery=(3 * i, 16), markersize=5, lw=1.6, label=label)
ax.axhline(0.01, color="0.5", lw=1, linestyle=":")
ax.set_yscale("log")
ax.minorticks_off()  # no unlabelled minor ticks: a lighter page
ax.set_xlabel("gradients computed (steps)")
ax.set_ylabel("distance to best weights")
fig.legend(loc="outside lower center", ncols=1)
svg = figure_to_svg(
    fig,
    "fig-line-search",
    alt="Distance to the least-squares weights of the diabetes regression against the "
    "number of gradients computed, log scale, with a dotted line at 0.01. Polyak's step "
    "falls steeply and crosses 0.01 after 182 gradients; the best constant rate and "
    "Armijo backtracking fall slowly, nearly together, and cross it after about 1000.",
)
print(figure_html(svg, "Diabetes regression: how close each way of choosing the rate "
                       "gets per gradient. Backtracking also computes about two losses "
                       "per step, not counted here."))
