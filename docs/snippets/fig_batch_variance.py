# Figure: variance of a mini-batch gradient on the diabetes regression at w = 0 against
# the batch size, log axes: the formulas (lines) and 1000 seeded batches per size (points),
# with and without replacement.
import numpy as np

from lrtutor import batch_gradient_variance, least_squares, load_diabetes, per_example_gradients
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

data = load_diabetes()
loss = least_squares(data.X, data.y)
n, w0 = data.n_samples, np.zeros(loss.dim)
g = per_example_gradients(loss, w0)
G = g.mean(axis=0)
rng = np.random.Generator(np.random.PCG64(0))
sizes = np.arange(1, n)
measured = (1, 4, 16, 64, 256)
fig, ax = new_figure(height=5.4)  # room for a four-row legend
for i, replace in enumerate((True, False)):
    name = "with replacement" if replace else "without"
    ax.plot(sizes, [batch_gradient_variance(loss, w0, int(B), replace=replace) for B in sizes],
            color=PALETTE[i], linestyle=LINESTYLES[i], lw=1.4, label=f"formula, {name}")
    points = []
    for B in measured:
        if replace:
            batches = rng.integers(0, n, size=(1000, B))
        else:
            batches = rng.permuted(np.tile(np.arange(n), (1000, 1)), axis=1)[:, :B]
        points.append(((g[batches].mean(axis=1) - G) ** 2).sum(axis=1).mean())
    ax.plot(measured, points, color=PALETTE[i], marker=MARKERS[i], markersize=7,
            linestyle="none", label=f"1000 batches, {name}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("batch size B (log scale)")
ax.set_ylabel("variance of the slope (log)")
fig.legend(loc="outside lower center")  # one column: two do not fit a phone at 12.5 pt
svg = figure_to_svg(
    fig,
    "fig-batch-variance",
    alt="Variance of a mini-batch slope of the diabetes regression at w = 0 against the "
    "batch size, both axes logarithmic. With replacement the formula is a straight line "
    "falling from about 10.6 at one example as 1 over B; without replacement the line "
    "bends down below it for large batches and drops to zero at all 442 examples. The "
    "measured points for batch sizes 1, 4, 16, 64 and 256 lie on their lines.",
)
print(figure_html(svg, "The noise of a mini-batch slope falls like 1/B; drawn without "
                       "replacement it falls faster for large batches (measured points "
                       "on the formulas)."))
