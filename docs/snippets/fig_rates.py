# Figure: x against step for five learning rates on x**2, from x = 2.
import numpy as np

from lrtutor import SQUARE, run_gradient_descent
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

RATES = [
    (0.01, "0.01: too small"),
    (0.25, "0.25: good"),
    (0.5, "0.5: one step"),
    (0.9, "0.9: oscillating"),
    (1.1, "1.1: diverging"),
]
fig, ax = new_figure(height=4.6)
for i, (lr, label) in enumerate(RATES):
    # The diverging run stops after six steps, inside the plotted range (|x| < 6.5).
    run = run_gradient_descent(SQUARE, 2.0, lr, 15 if lr < 1 else 6)
    ax.plot(np.arange(run.n_steps + 1), run.positions, label=label, color=PALETTE[i],
            marker=MARKERS[i], linestyle=LINESTYLES[i], markersize=5, lw=1.4)
ax.axhline(0.0, color="0.5", lw=1)
ax.set_ylim(-6.5, 6.5)
ax.set_xlabel("step")
ax.set_ylabel("x")
# Below the plot, so that no point hides under it.
fig.legend(title="learning rate", ncols=2, loc="outside lower center")
svg = figure_to_svg(
    fig,
    "fig-rates",
    alt="x against step for fifteen steps from x = 2. Learning rate 0.01 barely moves "
    "x down; 0.25 halves x every step; 0.5 reaches 0 in one step and stays; 0.9 "
    "alternates sign while shrinking towards 0; 1.1 alternates sign with growing size "
    "and reaches about 6 after six steps.",
)
print(figure_html(svg, "Trajectories of x from x = 2 for five learning rates. Lines "
                       "differ by colour, marker and dash pattern."))
