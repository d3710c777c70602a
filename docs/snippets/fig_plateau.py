# Figure: the rate that optax's, PyTorch's and Keras's reduce-on-plateau rules hold after
# each of the same sixteen losses (patience 3, cooldown 2), log scale, one step line each.
import numpy as np

from lrtutor import reduce_on_plateau
from lrtutor.plots import LINESTYLES, PALETTE, figure_html, figure_to_svg, new_figure

losses = [1.0, 0.8, 0.7, 0.7, 0.7, 0.69992, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
epochs = np.arange(1, len(losses) + 1)
fig, ax = new_figure(height=4.0)
for i, name in enumerate(("optax", "pytorch", "keras")):
    trace = reduce_on_plateau(patience=3, cooldown=2, convention=name).trace(losses)
    # Offsets of a few percent keep lines that coincide visible side by side.
    ax.step(epochs, trace * (1.12, 1.0, 0.89)[i], where="post", color=PALETTE[i],
            linestyle=LINESTYLES[i], lw=1.6,
            label={"optax": "optax", "pytorch": "PyTorch", "keras": "Keras"}[name])
ax.set_yscale("log")
ax.minorticks_off()  # no unlabelled minor ticks: a lighter page
ax.set_ylim(5e-4, 2.5)
ax.set_xticks(epochs[::3])
ax.set_xlabel("epoch (after reading its loss)")
ax.set_ylabel("learning-rate scale (log scale)")
fig.legend(loc="outside lower center", ncols=3)
svg = figure_to_svg(
    fig,
    "fig-plateau",
    alt="The learning-rate scale after each of sixteen epochs whose loss stops improving "
    "after epoch 3 but for a tiny dip at epoch 6, under three plateau rules with patience "
    "3 and cooldown 2. optax cuts the scale from 1 to 0.1 after epoch 9 and to 0.01 after "
    "epoch 14; PyTorch after epochs 10 and 16; Keras after epochs 6, 10 and 14, ending at "
    "0.001.",
)
print(figure_html(svg, "Three libraries, one loss sequence, the same settings: the "
                       "rate each reduce-on-plateau rule holds after every epoch (lines "
                       "nudged apart a little where they coincide)."))
