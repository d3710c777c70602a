# Figure: loss of the small network on the diabetes data at peak rate 1.0, without warmup
# and with linear warmups of 20 and 100 steps (log scale); the diverging runs end where
# their loss passes the top of the axes.
import numpy as np

from lrtutor import (initial_weights, linear_schedule, load_diabetes, run_gradient_descent,
                     two_layer_network)
from lrtutor.plots import LINESTYLES, PALETTE, figure_html, figure_to_svg, new_figure

data = load_diabetes(intercept=False)
loss = two_layer_network(data.X, data.y, hidden=16)
start = initial_weights(loss, seed=0)
STEPS, TOP = 300, 20.0
fig, ax = new_figure(height=4.2)
for i, (label, rate) in enumerate([
    ("constant 1.0", 1.0),
    ("warmup 20 steps", linear_schedule(0.0, 1.0, transition_steps=20)),
    ("warmup 100 steps", linear_schedule(0.0, 1.0, transition_steps=100)),
]):
    run = run_gradient_descent(loss, start, rate, STEPS)
    shown = run.losses[: int(np.argmax(run.losses > TOP)) or None]  # stop at the top
    ax.plot(np.arange(len(shown)), shown, color=PALETTE[i], linestyle=LINESTYLES[i],
            lw=1.6, label=label)
ax.set_yscale("log")
ax.minorticks_off()  # labelled ticks only, no unlabelled minor ones: a lighter page
ax.set_yticks([0.2, 0.5, 1, 2, 5, 10, 20], ["0.2", "0.5", "1", "2", "5", "10", "20"])
ax.set_ylim(0.15, TOP)
ax.set_xlim(0, STEPS)
ax.set_xlabel("iteration (step)")
ax.set_ylabel("loss (log scale)")
fig.legend(loc="outside lower center", ncols=1)
svg = figure_to_svg(
    fig,
    "fig-warmup",
    alt="Loss of a small network against iteration for 300 steps, log scale, all at peak "
    "learning rate 1.0. Without warmup the loss rises from the first step and leaves the "
    "plot within ten steps. With a 20-step warmup it falls to about 0.24, jumps to about "
    "0.9 near step 33, falls back, and ends near 0.2 with a few more jumps. With a 100-step "
    "warmup it falls to about 0.2, then rises out of the plot before step 200.",
)
print(figure_html(svg, "The network of the edge-of-stability page at peak rate 1.0: "
                       "a 20-step warmup turns a blow-up into training; a 100-step one "
                       "does not."))
