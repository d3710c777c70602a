# Figure: fixed sign steps of 0.0001 from x = 2: the whole walk, and zoomed in on its
# end (two panels, each its own SVG).
import numpy as np

from lrtutor import SQUARE, run_sign_descent
from lrtutor.plots import PALETTE, figure_html, figure_to_svg, new_figure

run = run_sign_descent(SQUARE, 2.0, 0.0001, 20012)

fig, ax = new_figure(height=3.2)
ax.plot(np.arange(run.n_steps + 1), run.positions, color=PALETTE[0])
ax.set_xlabel("step")
ax.set_ylabel("x")
ax.set_title("all 20012 steps: a straight walk to 0")
whole = figure_to_svg(
    fig, "fig-fixed-steps-all",
    alt="x falls in a straight line from 2 to 0 over about 20000 fixed steps of 0.0001.",
)

steps = np.arange(19998, 20013)
fig, ax = new_figure(height=3.4)
ax.axhline(0.0, color="0.5", lw=1, linestyle=":")
ax.plot(steps, run.positions[steps] * 1e4, color=PALETTE[1], marker="o", linestyle="-",
        lw=0.8)
ax.axvline(20000, color="0.5", lw=1, linestyle="--")
ax.annotate("step 20000:\nx ≈ 2e-13, not 0", (20000, 0.0), xytext=(20003, 1.4),
            fontsize=12, arrowprops={"arrowstyle": "->", "color": "0.3"})
ax.set_xlabel("step")
ax.set_ylabel("x  (units of 0.0001)")
ax.set_title("zoomed in: steps 19998 to 20012")
ax.set_ylim(-1.5, 2.5)
ax.set_xticks(range(20000, 20013, 4))  # four labels fit a phone-wide panel
ax.set_yticks([-1, 0, 1, 2])
zoom = figure_to_svg(
    fig, "fig-fixed-steps-zoom",
    alt="Zoomed in on steps 19998 to 20012: x comes down in steps of 0.0001, reaches "
    "about 0 at step 20000, then jumps between about -0.0001 and almost 0 at every "
    "step, never settling.",
)
print(figure_html([whole, zoom], "Fixed steps of 0.0001 from x = 2 in float64: the whole "
                                 "walk, then its end. After step 20000 x alternates "
                                 "between about −0.0001 and 2e-13 for ever.",
                  figure_id="fig-fixed-steps"))
