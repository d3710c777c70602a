# Figure: Adam at the constant rate 0.1 on x**2 from x = 1 for 12000 steps, in float64
# and float32: the largest |x| in each window of 100 steps (log scale).
import numpy as np

from lrtutor import SQUARE, run_adam
from lrtutor.plots import LINESTYLES, PALETTE, figure_html, figure_to_svg, new_figure

STEPS, WINDOW = 12_000, 100
runs = {dt: run_adam(SQUARE, 1.0, 0.1, STEPS, dtype=dt) for dt in ("float64", "float32")}
starts = np.arange(0, STEPS, WINDOW)
fig, ax = new_figure(height=3.8)
for i, (dt, run) in enumerate(runs.items()):
    size = np.abs(run.positions[1:]).reshape(-1, WINDOW).max(axis=1)
    ax.plot(starts, np.maximum(size, 1e-160), color=PALETTE[i], linestyle=LINESTYLES[i],
            lw=1.5, label=dt)
ax.set_yscale("log")
ax.set_ylim(1e-160, 10)
ax.set_yticks([1e-150, 1e-100, 1e-50, 1])
ax.minorticks_off()
ax.set_xticks(range(0, STEPS + 1, 3000))  # five labels fit a phone-wide panel
ax.set_xlabel("step")
ax.set_ylabel("largest |x| in 100 steps")
fig.legend(loc="outside lower center", ncols=2)
size_svg = figure_to_svg(
    fig, "fig-adam-bursts",
    alt="The largest distance from the minimum in each window of 100 steps of Adam at rate "
    "0.1 on x squared, log scale, over 12000 steps. In float64 it falls steadily to about "
    "1e-150 by step 6500, then jumps back to about 0.1 near step 7060; it falls again and "
    "jumps again near step 9100, and again later, by different amounts. In float32 it "
    "stops falling at about 1e-45, the smallest float32, and jumps first near step 6830.",
)
print(figure_html(size_svg, "Adam at the constant rate 0.1 on x² from x = 1: how far "
                            "from the minimum, in double and single precision."))
