# Figure: the range test on the diabetes regression: smoothed mini-batch loss against the
# learning rate (log axis), fastai's four suggestions, and the exact limit 2/L.
import numpy as np

from lrtutor import least_squares, load_diabetes, range_test, sharpness
from lrtutor.plots import MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

data = load_diabetes()
loss = least_squares(data.X, data.y)
start = np.zeros(loss.dim)
limit = 2 / sharpness(loss, start)
test = range_test(loss, start, seed=0)
rates, smooth = test.learning_rates, test.smoothed_losses

TOP = 1.2  # the loss axis ends here; the blow-up leaves the plot through its top


def until_top(x, y):
    """The curve up to where it first passes TOP, ending on the top edge (interpolated
    on the log rate axis), so that no drawn point lies outside the plot."""
    above = np.flatnonzero(y > TOP)
    if not above.size:
        return x, y
    k = above[0]
    t = (TOP - y[k - 1]) / (y[k] - y[k - 1])
    edge = np.exp(np.log(x[k - 1]) + t * (np.log(x[k]) - np.log(x[k - 1])))
    return np.append(x[:k], edge), np.append(y[:k], TOP)


fig, ax = new_figure(height=4.4)
ax.plot(*until_top(rates, test.losses), color="0.7", lw=0.9, label="mini-batch loss")
ax.plot(*until_top(rates, smooth), color="0.15", lw=1.8, label="smoothed loss")
for i, (name, rate) in enumerate(test.suggestions().items()):
    ax.plot([rate], [np.interp(np.log(rate), np.log(rates), smooth)], linestyle="none",
            marker=MARKERS[i], color=PALETTE[i], markersize=8, label=f"{name}: {rate:.3g}")
ax.axvline(limit, color=PALETTE[4], lw=2, linestyle="--", label=f"2/L = {limit:.3f}")
ax.set_xscale("log")
ax.set_ylim(0.15, TOP)
ax.set_xlabel("learning rate (log scale)")
ax.set_ylabel("loss")
ax.legend(fontsize=9, loc="upper left")
svg = figure_to_svg(
    fig,
    "fig-range-test",
    alt="The range test's loss against the learning rate on a log axis from 1e-7 to "
    "about 2.3. The smoothed loss stays near 0.5 up to a rate of about 0.01, falls to "
    "about 0.4 between 0.01 and 1, then shoots up off the top of the plot. The four "
    "suggestions, valley, steep, "
    "slide and minimum, sit on the falling part between 0.01 and 0.1; a dashed line marks "
    "2/L at about 0.5, where the smoothed loss is still near its lowest.",
)
print(figure_html(svg, "The learning-rate range test on the diabetes regression (fastai's "
                       "defaults, seed 0), with its suggestions and the exact limit 2/L."))
