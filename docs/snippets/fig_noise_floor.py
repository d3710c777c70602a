# Figure: mean loss of 1000 noisy runs on x**2 against step, for two constant rates and a
# 1/t decay, with each constant rate's predicted floor dashed; log scales.
import numpy as np

from lrtutor import SQUARE, inverse_time_decay, run_sgd_many, stationary_variance
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

steps = np.arange(1, 301)
fig, ax = new_figure(height=4.6)
for i, rate in enumerate((0.1, 0.05)):
    runs = run_sgd_many(SQUARE, 2.0, rate, 300, 1000, noise_std=1.0, seed=0)
    ax.plot(steps, runs.mean_loss()[1:], color=PALETTE[i], linestyle=LINESTYLES[i],
            marker=MARKERS[i], markevery=0.1, markersize=5, lw=1.6, label=f"constant {rate}")
    ax.axhline(stationary_variance(2.0, rate, 1.0), color=PALETTE[i], lw=1, linestyle=":")
decay = run_sgd_many(SQUARE, 2.0, inverse_time_decay(0.5, decay_rate=1.0), 300, 1000,
                     noise_std=1.0, seed=0)
ax.plot(steps, decay.mean_loss()[1:], color=PALETTE[2], linestyle=LINESTYLES[2],
        marker=MARKERS[2], markevery=0.1, markersize=5, lw=1.6, label="0.5 / (1 + t)")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("step (log scale)")
ax.set_ylabel("mean loss (log scale)")
fig.legend(loc="outside lower center", ncols=2)
svg = figure_to_svg(
    fig,
    "fig-noise-floor",
    alt="Mean loss of 1000 runs of gradient descent with noisy slopes on x squared, "
    "against step, both axes logarithmic. At constant rates 0.1 and 0.05 the loss falls "
    "and then levels off at its predicted floor, about 0.028 and 0.013, drawn dotted; "
    "the lower rate levels off later. With the rate 0.5 / (1 + t) the loss keeps "
    "falling, like 1 / (4 t), below both floors.",
)
print(figure_html(svg, "Noisy slopes on x²: a constant rate stops at its noise floor "
                       "(dotted); a rate decaying like 1/t keeps going down."))
