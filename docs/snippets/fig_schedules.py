# Figure: four decay schedules from 1.0 over 100 steps.
import numpy as np

from lrtutor import cosine_decay_schedule, exponential_decay, inverse_time_decay
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

SCHEDULES = [
    ("step decay (halve every 25)", exponential_decay(1.0, 25, 0.5, staircase=True)),
    ("exponential (halve every 25)", exponential_decay(1.0, 25, 0.5)),
    ("inverse time, 1/(1 + 0.1 t)", inverse_time_decay(1.0, decay_rate=0.1)),
    ("cosine to 0.05 at step 100", cosine_decay_schedule(1.0, 100, alpha=0.05)),
]
steps = np.arange(0, 121)
fig, ax = new_figure(height=4.9)
for i, (label, schedule) in enumerate(SCHEDULES):
    ax.plot(steps, schedule(steps), label=label, color=PALETTE[i], linestyle=LINESTYLES[i],
            marker=MARKERS[i], markevery=10, markersize=5, lw=1.6,
            drawstyle="steps-post" if i == 0 else "default")
ax.set_xlabel("step")
ax.set_ylabel("learning rate")
ax.set_ylim(0, 1.05)
fig.legend(loc="outside lower center")  # below the plot, clear of the lines
svg = figure_to_svg(
    fig,
    "fig-schedules",
    alt="Learning rate against step for four schedules starting at 1.0. Step decay drops "
    "to half at steps 25, 50, 75 and 100 in stairs; exponential decay follows the same "
    "halvings smoothly; inverse-time decay falls fast at first and then slowly; cosine "
    "decay stays high at first, falls along a half cosine and holds its floor of 0.05 "
    "after step 100.",
)
print(figure_html(svg, "Four decay schedules, each starting from a learning rate of 1.0."))
