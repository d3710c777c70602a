# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Play with the learning rate
#
# <div class="admonition abstract">
# <p class="admonition-title">What you will do and learn</p>
# <p>You will run gradient descent on the loss <code>x**2</code> from <code>x = 2</code>
# at a learning rate of your choice, read how far it got and how many steps it needed,
# then draw the path of <code>x</code> for several rates and for a decaying schedule.
# Change the numbers, run the cells again, and see the regimes of the earlier pages
# for yourself.</p>
# </div>
#
# This page is a Jupyter notebook that ran while the site was built, so every output
# below comes from the `lrtutor` package as it is now.
#
# ## Run it yourself
#
# The notebook lives in lrtutor's source repository as `docs/playground.py`, a plain
# Python file that Jupyter opens as a notebook through
# [jupytext](https://jupytext.readthedocs.io/). To get it: if this copy of the site shows a
# repository link (in the header, or in the menu on a phone), clone that repository. A
# copy built without one (its publisher left `LRTUTOR_REPO_URL` unset) has no link to
# follow: use the source folder the site was built from, or ask whoever published it.
# Either way, from the source's top folder, install `lrtutor` with the site's tools (the
# command from its README), then JupyterLab:
#
# ```sh
# python3 -m venv .venv
# .venv/bin/pip install -e ".[docs]"
# .venv/bin/pip install jupyterlab
# .venv/bin/jupyter lab
# ```
#
# In JupyterLab, right-click `docs/playground.py` and choose *Open With → Notebook*;
# change a number, run the cells again. Or take the download button at the top of this
# page: it saves the notebook as `playground.ipynb`, which any Jupyter opens where
# `lrtutor` is installed (`pip install -e .` in the repository).

# %%
from IPython.display import HTML

from lrtutor import (
    SQUARE,
    critical_learning_rate,
    exponential_decay,
    regime,
    run_gradient_descent,
    steps_to_tolerance,
)
from lrtutor.plots import (
    LINESTYLES,
    MARKERS,
    PALETTE,
    figure_html,
    figure_to_svg,
    new_figure,
)

# %% [markdown]
# ## Pick a learning rate
#
# Set `learning_rate` and run the cell. It takes 20 steps from `x = 2` on the loss
# `x**2`, prints where `x` ended, and counts the steps needed to get within `tol` of
# the minimum (`None` means it never gets there: the run bounces or diverges).

# %%
learning_rate = 0.25  # try 0.01, 0.5, 0.9, 1.0 or 1.1
start = 2.0
tol = 0.01

run = run_gradient_descent(SQUARE, start, learning_rate, 20)
steps = steps_to_tolerance(SQUARE, start, learning_rate, tol)
print(f"learning rate {learning_rate}: {regime(SQUARE, learning_rate)}")
print(f"x after {run.n_steps} steps: {run.final_x:.6g}")
print(f"steps until |x| < {tol}: {steps}")
print(f"largest stable rate: {critical_learning_rate(SQUARE)}")

# %% [markdown]
# ## Compare rates and a schedule
#
# The next cell draws `x` against the step for three fixed rates and your
# `learning_rate`, then, in a second panel, for a schedule that starts at 1.0, a rate
# that bounces for ever (the grey line), and multiplies it by 0.7 every 10 steps. Edit
# `rates` or the schedule's arguments and run the cell again.

# %%
rates = {"0.05": 0.05, "0.9": 0.9, f"{learning_rate} (yours)": learning_rate}
schedule = exponential_decay(1.0, transition_steps=10, decay_rate=0.7)
n_steps = 25


def draw_paths(paths, title, ncols):
    """One panel: x against step for each (label, rate) in paths."""
    fig, ax = new_figure(height=4.0)
    ends = []
    for label, rate, style in paths:
        path = run_gradient_descent(SQUARE, start, rate, n_steps)
        ax.plot(path.positions, label=label, **style)
        ends.append(f"{label}: x = {path.final_x:.2g}")
    ax.axhline(0.0, color="0.5", lw=1)
    ax.set_ylim(-2.5, 2.5)
    ax.set_xlabel("step")
    ax.set_ylabel("x")
    ax.set_title(title)
    fig.legend(title="learning rate", loc="outside lower center", ncols=ncols)
    alt = (f"x against step, {n_steps} steps from x = {start} on x**2. "
           f"Where x ends: {'; '.join(ends)}.")
    return fig, alt


fixed = [(label, rate, {"color": PALETTE[i], "marker": MARKERS[i],
                        "linestyle": LINESTYLES[i], "markersize": 4, "lw": 1.3})
         for i, (label, rate) in enumerate(rates.items())]
decaying = [("1.0 (bounces)", 1.0, {"color": "0.6", "lw": 1}),
            ("1.0, times 0.7 every 10 steps", schedule,
             {"color": PALETTE[3], "marker": MARKERS[3], "markersize": 4, "lw": 1.6})]
panels = []
for name, paths, title, ncols in (("fixed", fixed, "fixed learning rates", 2),
                                  ("schedule", decaying, "a decaying schedule", 1)):
    fig, alt = draw_paths(paths, title, ncols)
    panels.append(figure_to_svg(fig, f"fig-playground-{name}", alt=alt))
caption = ("Paths of x from x = 2 for fixed learning rates and for "
           "a decaying schedule.")
HTML(figure_html(panels, caption, figure_id="fig-playground"))

# %% [markdown]
# ## Things to try
#
# - Set `learning_rate = 0.5`: one step lands on the minimum, because the slope of `x**2` at `x`
#   is `2x`.
# - Try 0.9, then 1.0, then 1.1: `x` flips sign at every step. At 0.9 it shrinks;
#   at 1.0 it bounces back and forth for ever, so the step count is `None`;
#   at 1.1 it grows.
# - Try 0.001: stable but slow. How many steps does it need?
# - Make the schedule decay faster (`decay_rate=0.5`) or later (`transition_begin=20`)
#   and watch when the bouncing stops.
