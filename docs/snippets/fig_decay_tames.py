# Figure: decay calms fixed-step jumping (first panel) and a too-large constant rate
# (second panel); each panel is its own SVG, legends below the plot, clear of the data.
import numpy as np

from lrtutor import SQUARE, exponential_decay, run_gradient_descent, run_sign_descent
from lrtutor.plots import MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

halving = exponential_decay(0.0001, transition_steps=1, decay_rate=0.5, transition_begin=20000)
fixed = run_sign_descent(SQUARE, 2.0, 0.0001, 20016)
decayed = run_sign_descent(SQUARE, 2.0, halving, 20016)
steps = np.arange(19994, 20017)
fig, ax = new_figure(height=3.9)
ax.axhline(0.0, color="0.5", lw=1, linestyle=":")
ax.plot(steps, fixed.positions[steps] * 1e4, color=PALETTE[1], marker=MARKERS[1],
        label="constant step 0.0001", lw=1)
ax.plot(steps, decayed.positions[steps] * 1e4, color=PALETTE[0], marker=MARKERS[0],
        linestyle="--", label="halved every step from 20000", lw=1.4)
ax.set_xlabel("step")
ax.set_ylabel("x  (units of 0.0001)")
ax.set_title("fixed-size steps near the minimum")
fig.legend(loc="outside lower center")
jumping = figure_to_svg(
    fig, "fig-decay-tames-jumping",
    alt="Near step 20000, fixed steps of 0.0001 keep jumping between about -0.0001 and "
    "0, while steps halved every step from 20000 close in on 0.",
)

constant = run_gradient_descent(SQUARE, 2.0, 1.0, 40)
shrinking = run_gradient_descent(SQUARE, 2.0, exponential_decay(1.0, 10, 0.7), 40)
t = np.arange(41)
fig, ax = new_figure(height=3.9)
ax.axhline(0.0, color="0.5", lw=1, linestyle=":")
ax.plot(t, constant.positions, color=PALETTE[1], marker=MARKERS[1], markersize=4,
        label="constant 1.0: bounces", lw=1)
ax.plot(t, shrinking.positions, color=PALETTE[0], marker=MARKERS[0], markersize=4,
        linestyle="--", label="1.0 times 0.7 every 10 steps", lw=1.4)
ax.set_xlabel("step")
ax.set_ylabel("x")
ax.set_title("learning rate 1.0 on x²")
fig.legend(loc="outside lower center")
bouncing = figure_to_svg(
    fig, "fig-decay-tames-bouncing",
    alt="With learning rate 1.0, x bounces between 2 and -2 for 40 steps; with 1.0 "
    "multiplied by 0.7 every 10 steps the bouncing shrinks and x settles at 0.",
)
print(figure_html([jumping, bouncing],
                  "Decay at work. Near the minimum, fixed steps stop jumping once their "
                  "size decays; a rate that bounces for ever converges once it decays.",
                  figure_id="fig-decay-tames"))
