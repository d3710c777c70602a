# Figure: AdaGrad (rate 5) and gradient descent at its best rate 2/11 on the bowl
# 0.5*(x**2 + 10*y**2) from (-9, 1), and on the same bowl turned by 45 degrees from the
# start turned with it (each panel its own SVG; legends below the plot).
import numpy as np

from lrtutor import diagonal_quadratic, make_loss, run_adagrad, run_gradient_descent
from lrtutor.plots import LINESTYLES, MARKERS, PALETTE, figure_html, figure_to_svg, new_figure

turn = np.array([[1.0, -1.0], [1.0, 1.0]]) / np.sqrt(2)  # 45 degrees
H = turn @ np.diag([1.0, 10.0]) @ turn.T
bowls = [
    ("aligned", "bowl along the axes", diagonal_quadratic([1, 10]), np.diag([1.0, 10.0]),
     np.array([-9.0, 1.0])),
    ("turned", "the same bowl, turned",
     make_loss(lambda w: 0.5 * float(w @ H @ w), lambda w: H @ w, dim=2), H,
     turn @ np.array([-9.0, 1.0])),
]
STEPS = 15
panels = []
for name, title, loss, h, start in bowls:
    runs = [("gradient descent, rate 2/11", run_gradient_descent(loss, start, 2 / 11, STEPS)),
            ("AdaGrad, rate 5", run_adagrad(loss, start, 5.0, STEPS))]
    points = np.concatenate([run.positions for _, run in runs])
    lo, hi = points.min(axis=0) - 0.8, points.max(axis=0) + 0.8
    xs, ys = np.meshgrid(np.linspace(lo[0], hi[0], 40), np.linspace(lo[1], hi[1], 40))
    values = 0.5 * (h[0, 0] * xs**2 + 2 * h[0, 1] * xs * ys + h[1, 1] * ys**2)
    fig, ax = new_figure(height=4.3)
    ax.contour(xs, ys, values, levels=[3, 15, 45], colors="0.6",
               linewidths=0.8)
    ax.plot([0], [0], marker="*", markersize=12, color="0.1", linestyle="none", zorder=5)
    for i, (label, run) in enumerate(runs):
        path = run.positions
        # Markers on AdaGrad's few long steps only; gradient descent's zigzag shows its own.
        ax.plot(path[:, 0], path[:, 1], color=PALETTE[i], marker=MARKERS[i] if i else None,
                linestyle=LINESTYLES[i], markersize=4, lw=1.2, label=label)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    fig.legend(loc="outside lower center", handlelength=2.5)
    panels.append(figure_to_svg(
        fig, f"fig-adagrad-bowls-{name}",
        alt=(
            "Contours of the bowl of curvatures 1 and 10, "
            + ("along the axes" if name == "aligned" else "turned by 45 degrees")
            + ", with 15 steps of gradient descent at rate 2/11, zigzagging across the "
            "valley, and of AdaGrad at rate 5, which "
            + ("jumps close to the minimum in a few long steps."
               if name == "aligned" else
               "jumps across the valley, then creeps along its floor.")
        ),
    ))
print(figure_html(panels, "AdaGrad against gradient descent's best rate on the bowl of "
                          "curvatures 1 and 10, along the axes and turned by 45°. The star "
                          "marks the minimum; grey ellipses are lines of equal loss.",
                  figure_id="fig-adagrad-bowls"))
