# Figure: Adam at the constant rate 0.1 on x**2 from x = 1 for 12000 steps, in float64
# and float32: the largest |x| in each window of 60 steps (log scale), and Adam's
# effective rate against the limit 19 of its momentum (each panel its own SVG).
import numpy as np

from lrtutor import SQUARE, run_adam
from lrtutor.plots import LINESTYLES, PALETTE, figure_html, figure_to_svg, new_figure

STEPS, WINDOW = 12_000, 60
runs = {dt: run_adam(SQUARE, 1.0, 0.1, STEPS, dtype=dt) for dt in ("float64", "float32")}
starts = np.arange(0, STEPS, WINDOW)
fig, ax = new_figure(height=3.8)
for i, (dt, run) in enumerate(runs.items()):
    size = np.abs(run.positions[1:]).reshape(-1, WINDOW).max(axis=1)
    ax.plot(starts, np.maximum(size, 1e-300), color=PALETTE[i], linestyle=LINESTYLES[i],
            lw=1.5, label=dt)
ax.set_yscale("log")
ax.set_ylim(1e-300, 10)
ax.set_yticks([1e-300, 1e-200, 1e-100, 1])
ax.set_xlabel("step")
ax.set_ylabel("largest |x| in 60 steps")
fig.legend(loc="outside lower center", ncols=2)
size_svg = figure_to_svg(
    fig, "fig-adam-bursts-size",
    alt="The largest distance from the minimum in each window of 60 steps of Adam at rate "
    "0.1 on x squared, log scale, over 12000 steps. In float64 it falls steadily to about "
    "1e-150 by step 6500, then jumps back to about 0.1 near step 7060; it falls again and "
    "jumps again near step 9100, and again later, by different amounts. In float32 it "
    "stops falling at about 1e-45, the smallest float32, and jumps first near step 6830.",
)
fig, ax = new_figure(height=3.8)
for i, (dt, run) in enumerate(runs.items()):
    rate = run.effective_learning_rates.reshape(-1, WINDOW).max(axis=1)
    ax.plot(starts, rate, color=PALETTE[i], linestyle=LINESTYLES[i], lw=1.5, label=dt)
ax.axhline(19, color="0.4", lw=1, linestyle=":", label="limit 19")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("effective rate")
fig.legend(loc="outside lower center", ncols=3)
rate_svg = figure_to_svg(
    fig, "fig-adam-bursts-rate",
    alt="Adam's effective rate, the rate divided by the root of its squared-gradient "
    "average, over the same 12000 steps, log scale, with a dotted line at 19. It grows "
    "steadily from about 0.05 and crosses 19 near step 6540 in both precisions; it drops "
    "after every jump of the previous panel and grows again.",
)
print(figure_html([size_svg, rate_svg],
                  "Adam at the constant rate 0.1 on x² from x = 1: how far from the minimum "
                  "(left) and the effective rate of its steps (right), in double and single "
                  "precision.", figure_id="fig-adam-bursts"))
