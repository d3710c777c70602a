# Figure: fixed sign steps of 0.0001 from x = 2, zoomed in on the end of the walk.
import numpy as np

from lrtutor import SQUARE, run_sign_descent
from lrtutor.plots import PALETTE, figure_html, figure_to_svg, new_figure

run = run_sign_descent(SQUARE, 2.0, 0.0001, 20012)
steps = np.arange(19990, 20013)
fig, (ax_all, ax_zoom) = new_figure(2, width=9.0, height=3.6)
ax_all.plot(np.arange(run.n_steps + 1), run.positions, color=PALETTE[0])
ax_all.set_xlabel("step")
ax_all.set_ylabel("x")
ax_all.set_title("all 20012 steps: a straight walk to 0", fontsize=10)
ax_zoom.axhline(0.0, color="0.5", lw=1, linestyle=":")
ax_zoom.plot(steps, run.positions[steps] * 1e4, color=PALETTE[1], marker="o",
             linestyle="-", lw=0.8)
ax_zoom.axvline(20000, color="0.5", lw=1, linestyle="--")
ax_zoom.annotate("step 20000:\nx ≈ 2e-13, not 0", (20000, 0.0), xytext=(20001.5, 0.55),
                 fontsize=9, arrowprops={"arrowstyle": "->", "color": "0.3"})
ax_zoom.set_xlabel("step")
ax_zoom.set_ylabel("x  (units of 0.0001)")
ax_zoom.set_title("zoomed in: steps 19990 to 20012", fontsize=10)
ax_zoom.set_ylim(-1.4, 1.4)
svg = figure_to_svg(
    fig,
    "fig-fixed-steps",
    alt="Left: x falls in a straight line from 2 to 0 over about 20000 fixed steps of "
    "0.0001. Right, zoomed in on steps 19990 to 20012: x comes down in steps of 0.0001, "
    "reaches about 0 at step 20000, then jumps between about -0.0001 and almost 0 at "
    "every step, never settling.",
)
print(figure_html(svg, "Fixed steps of 0.0001 from x = 2 in float64. After step 20000 "
                       "x alternates between about −0.0001 and 2e-13 for ever."))
