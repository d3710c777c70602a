# Figure: a step of 1 from x = 2, then a greedy step of 5 that overshoots to x = -4.
import itertools

import numpy as np

from lrtutor import SQUARE
from lrtutor.plots import PALETTE, figure_html, figure_to_svg, new_figure, plot_loss_curve

TOP = 20  # the loss axis ends here; the curve is drawn only where it is in view
fig, ax = new_figure(height=4.4)
plot_loss_curve(ax, SQUARE, np.linspace(-np.sqrt(TOP), 3, 161))
path = [2.0, 1.0, -4.0]
steps = [("step of 1: loss 4 → 1", PALETTE[2], "-"), ("step of 5: loss 1 → 16", PALETTE[1], "--")]
for (a, b), (label, color, style) in zip(itertools.pairwise(path), steps, strict=True):
    ax.annotate("", xy=(b, SQUARE.value(b)), xytext=(a, SQUARE.value(a)),
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2, "linestyle": style,
                            "connectionstyle": "arc3,rad=0.25", "shrinkA": 5, "shrinkB": 5})
    ax.plot([], [], color=color, linestyle=style, lw=2, label=label)
# Each note beside its point, clear of the curve and of the other notes: x = 2's to the
# right, x = 1's below-right (the two points are only 3 loss units apart), x = -4's left.
notes = {2.0: ("left", "center", (16, 2)), 1.0: ("left", "top", (10, -4)),
         -4.0: ("right", "top", (-10, -4))}
for x, marker in zip(path, ("o", "s", "D"), strict=True):
    ha, va, offset = notes[x]
    ax.plot([x], [SQUARE.value(x)], marker=marker, color="0.1", linestyle="none", markersize=7)
    ax.annotate(f"x = {x:g}\nloss {SQUARE.value(x):g}\nslope {SQUARE.slope(x):g}",
                (x, SQUARE.value(x)), textcoords="offset points",
                xytext=offset, ha=ha, va=va, fontsize=12)
ax.set_ylim(-6, TOP)  # room under x = 1 for its note
ax.set_xlim(-7.4, 5.4)  # room for the notes beside x = -4 and x = 2
fig.legend(loc="outside lower center")  # below the plot, clear of the curve
svg = figure_to_svg(
    fig,
    "fig-greedy",
    alt="The parabola loss = x squared. An arrow goes from x = 2 (loss 4) down to x = 1 "
    "(loss 1): a good step of 1. A second, dashed arrow jumps from x = 1 over the "
    "minimum to x = -4, where the loss is 16: the greedy step of 5 overshoots.",
)
print(figure_html(svg, "A step of 1 from x = 2 lowers the loss from 4 to 1. "
                       "A greedy step of 5 from there jumps past the minimum to x = −4, loss 16."))
