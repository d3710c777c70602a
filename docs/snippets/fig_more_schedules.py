# Figure: the other schedules lrtutor offers (constant, piecewise constant, linear,
# polynomial, warmup then cosine) over 120 steps.
import numpy as np

from lrtutor import (
    constant_schedule,
    linear_schedule,
    piecewise_constant_schedule,
    polynomial_schedule,
    warmup_cosine_decay_schedule,
)
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

SCHEDULES = [
    ("constant 0.3", constant_schedule(0.3), "default"),
    ("piecewise: ×0.5 at 30, ×0.2 at 60",
     piecewise_constant_schedule(1.0, {30: 0.5, 60: 0.2}), "steps-post"),
    ("linear to 0.05 at 100", linear_schedule(1.0, 0.05, transition_steps=100), "default"),
    ("polynomial, power 2, to 0.05 at 100",
     polynomial_schedule(1.0, 0.05, power=2, transition_steps=100), "default"),
    ("warmup 10 steps, then cosine to 0.05",
     warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=100, end_value=0.05),
     "default"),
]
steps = np.arange(0, 121)
fig, ax = new_figure(height=5.2)
for i, (label, schedule, drawstyle) in enumerate(SCHEDULES):
    ax.plot(steps, schedule(steps), label=label, color=PALETTE[i], linestyle=LINESTYLES[i],
            marker=MARKERS[i], markevery=(2 * i, 10), markersize=5, lw=1.6,
            drawstyle=drawstyle)
ax.set_xlabel("step")
ax.set_ylabel("learning rate")
ax.set_ylim(0, 1.05)
fig.legend(loc="outside lower center")  # below the plot, clear of the lines
svg = figure_to_svg(
    fig,
    "fig-more-schedules",
    alt="Learning rate against step for five schedules. The constant schedule stays at "
    "0.3. The piecewise-constant schedule holds 1.0, drops to 0.5 at step 30 and to 0.1 "
    "at step 60. The linear schedule falls in a straight line from 1.0 to 0.05 at step "
    "100; the polynomial schedule with power 2 falls faster at first and flattens towards "
    "0.05. The warmup schedule climbs in a straight line from 0 to 1.0 over the first 10 "
    "steps, then falls along a half cosine to 0.05 at step 100. All but the constant stay "
    "flat after step 100.",
)
print(figure_html(svg, "Five more schedules: constant, piecewise constant, linear, "
                       "polynomial, and a linear warmup followed by cosine decay."))
