# Figure: loss against iteration, log scale, for the learning rates of the table.
from lrtutor import SQUARE, run_gradient_descent
from lrtutor.plots import (
    LINESTYLES,
    MARKERS,
    PALETTE,
    figure_html,
    figure_to_svg,
    new_figure,
    plot_loss_history,
)

fig, ax = new_figure(height=4.8)
for i, lr in enumerate((0.01, 0.1, 0.25, 0.9, 1.1)):
    run = run_gradient_descent(SQUARE, 2.0, lr, 30)
    # 0.1 and 0.9 share one line; offset their markers so both stay visible.
    plot_loss_history(ax, run, label=f"{lr}", color=PALETTE[i], marker=MARKERS[i],
                      linestyle=LINESTYLES[i], markersize=5, markevery=(i % 3, 3), lw=1.4)
ax.axhline(1e-4, color="0.5", lw=1, linestyle=":", label="loss 1e-4, |x| = 0.01")
# Below the plot, so that no point hides under it.
fig.legend(title="learning rate", ncols=2, loc="outside lower center")
svg = figure_to_svg(
    fig,
    "fig-loss-history",
    alt="Loss against iteration on a logarithmic axis for 30 steps from x = 2. The "
    "losses for 0.1 and 0.9 fall along the same straight line; 0.25 falls fastest; "
    "0.01 falls slowly; 1.1 rises steadily. A dotted line marks loss 1e-4, where |x| "
    "drops below 0.01.",
)
print(figure_html(svg, "Loss against iteration, log scale. Straight lines mean a constant "
                       "factor per step. Learning rate 0.5 is missing: its loss is exactly "
                       "0 after one step, which a log axis cannot show."))
