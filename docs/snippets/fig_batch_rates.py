# Figure: on the diabetes regression, the best constant rate for a budget of 2048 examples
# and the largest rate at which the mean square error does not grow, against the batch
# size (log), with the full-batch limit 2/L and the linear scaling rule.
import numpy as np

from lrtutor import least_squares, load_diabetes, minibatch_best_rate, minibatch_critical_rate
from lrtutor import sharpness
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

data = load_diabetes()
loss = least_squares(data.X, data.y)
w0 = np.zeros(loss.dim)
limit = 2 / sharpness(loss, w0)
sizes = (1, 4, 16, 64, 256)
best = [minibatch_best_rate(loss, w0, B, 2048 // B) for B in sizes]
critical = [minibatch_critical_rate(loss, B) for B in sizes + (442,)]
fig, ax = new_figure(height=4.6)
ax.axhline(limit, color=PALETTE[6], lw=1, linestyle=":", label=f"2/L = {limit:.3f}")
ax.plot(sizes + (442,), critical, color=PALETTE[1], linestyle=LINESTYLES[1],
        marker=MARKERS[1], markersize=6, lw=1.6, label="limit for the batch")
ax.plot(sizes, best, color=PALETTE[0], linestyle=LINESTYLES[0], marker=MARKERS[0],
        markersize=6, lw=1.6, label="best rate, 2048 examples")
ax.plot(sizes, [B * best[0] for B in sizes], color=PALETTE[2], linestyle=LINESTYLES[2],
        lw=1.2, label="linear scaling rule")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_ylim(1e-3, 1)
ax.set_xlabel("batch size B (log scale)")
ax.set_ylabel("learning rate (log scale)")
fig.legend(loc="outside lower center")  # one column: two do not fit a phone at 12.5 pt
svg = figure_to_svg(
    fig,
    "fig-batch-rates",
    alt="Learning rates on the diabetes regression against the batch size, both axes "
    "logarithmic. The best constant rate for a budget of 2048 examples rises from about "
    "0.0015 at one example in proportion to the batch, on the line of the linear scaling "
    "rule, then bends below it from about 64 examples. The limit for the batch rises "
    "from about 0.135 at one example towards the dotted full-batch limit 2/L, about "
    "0.497, and nearly reaches it from 64 examples on.",
)
print(figure_html(svg, "The best rate follows the linear scaling rule while the batch "
                       "is small and falls below it as it nears the batch's limit; the "
                       "limit rises towards 2/L."))
