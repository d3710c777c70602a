"""Figure helpers: draw losses and trajectories in the site's style.

Plot helpers follow matplotlib's recommended signature for helper functions
(https://matplotlib.org/stable/users/explain/quick_start.html#making-a-helper-functions):
they take an `Axes` first and return what they drew.
[`new_figure()`][lrtutor.plots.new_figure] makes a figure in the site's style. Turning it
into page markup is the job of the private ``lrtutor._svg``, whose public names are importable from
here too: [`figure_to_svg()`][lrtutor.plots.figure_to_svg] renders a figure to an SVG
string that is identical from one build to the next and safe to inline several times
on one page; [`figure_html()`][lrtutor.plots.figure_html] wraps one such panel, or a
row of them, in a captioned ``<figure>``; [`hidden_points()`][lrtutor.plots.hidden_points]
finds data a reader cannot see: points outside the axes or under a legend, and
[`overlapping_text()`][lrtutor.plots.overlapping_text] texts drawn over each other.

Sizes are chosen for phones: a panel is at most about 4.5 inches (324 pt) wide, its
tick labels 13 pt and no text under 12.5 pt. A panel is shown at most at its natural
size (1 pt = 1 CSS pt) and shrinks to a 360 px phone's 328 px column, so its tick
labels stay at least as large as the site's table text (0.64 rem, 12.8 px).
"""

from __future__ import annotations

import re

from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import _validate
from ._svg import MIN_FONT_SIZE, STYLE, figure_html, figure_to_svg, hidden_points, overlapping_text
from .descent import Trajectory
from .losses import Loss

__all__ = [
    "MARKERS",
    "MIN_FONT_SIZE",
    "PALETTE",
    "figure_html",
    "figure_to_svg",
    "hidden_points",
    "overlapping_text",
    "new_figure",
    "plot_loss_curve",
    "plot_loss_history",
    "plot_tangent",
    "plot_trajectory",
]

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Colour-blind-safe colours (Okabe & Ito, 2008), legible on white and, inverted, on dark."""
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
"""Markers paired with the palette so that lines differ by more than colour."""
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), "-")
"""Line styles paired with the palette."""

def new_figure(
    ncols: int = 1,
    *,
    nrows: int = 1,
    width: float = 4.5,
    height: float = 3.4,
    **subplot_kw: Any,
) -> tuple[Figure, Any]:
    """A figure in the site's style with a grid of ``nrows`` by ``ncols`` axes.

    Args:
        ncols: Number of columns of axes, >= 1.
        nrows: Number of rows of axes, >= 1 (stack panels for narrow screens).
        width: Figure width in inches, > 0. The default fits a phone: one panel, shown
            at most at its natural size, shrinks little on a 360 px screen. For several
            panels, draw one figure per panel and group them with
            [`figure_html()`][lrtutor.plots.figure_html].
        height: Figure height in inches, > 0.
        **subplot_kw: Passed to `matplotlib.figure.Figure.subplots()` (``sharex`` ...).

    Returns:
        ``(figure, axes)``: one ``Axes`` for a 1 by 1 grid, else a NumPy array of them
        of shape ``(nrows * ncols,)`` for one row or column, ``(nrows, ncols)`` otherwise
        (matplotlib's ``squeeze`` rule).

    Raises:
        ValueError: If ``ncols`` or ``nrows`` < 1 or a size is not > 0.
    """
    ncols = _validate.count("ncols", ncols, minimum=1)
    nrows = _validate.count("nrows", nrows, minimum=1)
    width = _validate.positive("width", width)
    height = _validate.positive("height", height)
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _readable(formula: str) -> str:
    """A loss's name (Python syntax, ``4*x**2``) as a reader writes it: ``4x²``.

    Powers of digits become superscripts, a number times a name loses its ``*``, and
    any other product shows ``·``. Used for figure labels; ``str(loss)`` is unchanged.

    ``tests/lrtutor/test_plots.py`` has examples.
    """
    text = re.sub(r"\*\*(-?\d+)", lambda m: m[1].translate(_SUPERSCRIPT), formula)
    text = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", text)
    return text.replace("*", "·")


def plot_loss_curve(
    ax: Axes, loss: Loss, xs: Sequence[float] | np.ndarray, **kwargs: Any
) -> Line2D:
    """Draw ``loss(x)`` over the points ``xs`` (a one-parameter loss).

    Args:
        ax: Where to draw.
        loss: A loss with ``dim == 1``.
        xs: x values, shape ``(n,)``.
        **kwargs: Passed to `Axes.plot()`.

    Returns:
        The line drawn.

    Raises:
        ValueError: If the loss has more than one parameter.
    """
    _axes(ax)
    loss = _validate.instance("loss", loss, Loss)
    if loss.dim != 1:
        raise ValueError(f"loss must have one parameter, got dim={loss.dim}")
    xs = _validate.real_array("xs", xs, ndim=1)
    kwargs.setdefault("color", "0.35")
    kwargs.setdefault("label", f"loss = {_readable(str(loss))}")
    (line,) = ax.plot(xs, loss.value(xs), **kwargs)
    ax.set_xlabel("x (the parameter)")
    ax.set_ylabel("loss")
    return line


def plot_tangent(
    ax: Axes, loss: Loss, x0: float, half_width: float = 1.5, **kwargs: Any
) -> Line2D:
    """Draw the tangent line of ``loss`` at ``x0``: ``loss(x0) + slope(x0) * (x - x0)``.

    Args:
        ax: Where to draw.
        loss: A one-parameter loss.
        x0: Point of tangency.
        half_width: The line spans ``x0 - half_width .. x0 + half_width`` (> 0).
        **kwargs: Passed to `Axes.plot()`.

    Returns:
        The line drawn (its label states the slope).
    """
    _axes(ax)
    loss = _validate.instance("loss", loss, Loss)
    if loss.dim != 1:
        raise ValueError(f"loss must have one parameter, got dim={loss.dim}")
    x0 = _validate.finite("x0", x0)
    half_width = _validate.positive("half_width", half_width)
    xs = np.linspace(x0 - half_width, x0 + half_width, 2)
    y0 = float(loss.value(x0))
    s = float(loss.slope(x0))
    kwargs.setdefault("label", f"slope {s:g} at x = {x0:g}")
    (line,) = ax.plot(xs, y0 + s * (xs - x0), **kwargs)
    ax.plot([x0], [y0], marker="o", color=line.get_color(), linestyle="none")
    return line


def plot_trajectory(
    ax: Axes,
    run: Trajectory,
    *,
    max_points: int | None = None,
    arrows: bool = True,
    **kwargs: Any,
) -> Line2D:
    """Draw a one-parameter trajectory on the loss curve: points ``(x_t, loss(x_t))``.

    Args:
        ax: Where to draw (usually after [`plot_loss_curve()`][lrtutor.plots.plot_loss_curve]).
        run: A trajectory of a one-parameter loss.
        max_points: Draw only the first ``max_points`` positions (all if ``None``).
        arrows: Join consecutive points with arrows showing the order of the steps.
        **kwargs: Passed to `Axes.plot()` (``color``, ``marker``,
            ``label`` ...).

    Returns:
        The line of points.
    """
    _axes(ax)
    run = _trajectory(run)
    if max_points is not None:
        max_points = _validate.count("max_points", max_points)
    arrows = _validate.flag("arrows", arrows)
    if run.positions.ndim != 1:
        raise ValueError("plot_trajectory draws one-parameter trajectories")
    xs = np.asarray(run.positions[:max_points], dtype=float)
    ys = np.asarray(run.losses[:max_points], dtype=float)
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("linestyle", "none")
    kwargs.setdefault("zorder", 3)
    (line,) = ax.plot(xs, ys, **kwargs)
    if arrows:
        color = line.get_color()
        for i in range(len(xs) - 1):
            ax.annotate(
                "",
                xy=(xs[i + 1], ys[i + 1]),
                xytext=(xs[i], ys[i]),
                arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2,
                            "shrinkA": 4, "shrinkB": 4},
            )
    return line


def plot_loss_history(ax: Axes, run: Trajectory, **kwargs: Any) -> Line2D:
    """Draw loss against iteration on a logarithmic loss axis.

    Losses that are exactly 0 cannot be drawn on a log axis and are left out.

    Args:
        ax: Where to draw.
        run: Any trajectory.
        **kwargs: Passed to `Axes.plot()`.

    Returns:
        The line drawn.
    """
    _axes(ax)
    run = _trajectory(run)
    steps = np.arange(len(run.losses))
    losses = np.asarray(run.losses, dtype=float)
    keep = losses > 0
    (line,) = ax.plot(steps[keep], losses[keep], **kwargs)
    ax.set_yscale("log")
    ax.set_xlabel("iteration (step)")
    ax.set_ylabel("loss (log scale)")
    return line


def _axes(ax: object) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def _trajectory(run: object) -> Trajectory:
    if not isinstance(run, Trajectory):
        raise TypeError(f"run must be a lrtutor Trajectory, got {type(run).__name__}")
    return run
