"""Figure helpers: draw losses and trajectories, and turn a figure into inline SVG.

Plot helpers follow matplotlib's recommended signature for helper functions
(https://matplotlib.org/stable/users/explain/quick_start.html#making-a-helper-functions):
they take an `Axes` first and return what they drew.
[`figure_to_svg()`][lrtutor.plots.figure_to_svg] renders a figure to an SVG string that
is identical from one build to the next and safe to inline several times on one page.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless; must precede pyplot
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .descent import Trajectory
from .losses import Loss

__all__ = [
    "MARKERS",
    "PALETTE",
    "figure_html",
    "figure_to_svg",
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

_STYLE = {
    "svg.fonttype": "none",  # keep text as <text>, selectable and searchable
    "font.family": "sans-serif",
    "font.size": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}


def new_figure(
    ncols: int = 1,
    *,
    nrows: int = 1,
    width: float = 7.0,
    height: float = 4.0,
    **subplot_kw: Any,
) -> tuple[Figure, Any]:
    """A figure in the site's style with a grid of ``nrows`` by ``ncols`` axes.

    Args:
        ncols: Number of columns of axes, >= 1.
        nrows: Number of rows of axes, >= 1 (stack panels for narrow screens).
        width: Figure width in inches, > 0.
        height: Figure height in inches, > 0.
        **subplot_kw: Passed to `matplotlib.figure.Figure.subplots()` (``sharex`` ...).

    Returns:
        ``(figure, axes)``: one ``Axes`` for a 1 by 1 grid, else a NumPy array of them
        of shape ``(nrows * ncols,)`` for one row or column, ``(nrows, ncols)`` otherwise
        (matplotlib's ``squeeze`` rule).

    Raises:
        ValueError: If ``ncols`` or ``nrows`` < 1 or a size is not > 0.
    """
    for name, count in (("ncols", ncols), ("nrows", nrows)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"{name} must be an int >= 1, got {count!r}")
    if not (width > 0 and height > 0):
        raise ValueError(f"width and height must be > 0, got {width}, {height}")
    with plt.rc_context(_STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


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
    if loss.dim != 1:
        raise ValueError(f"loss must have one parameter, got dim={loss.dim}")
    xs = np.asarray(xs, dtype=float)
    kwargs.setdefault("color", "0.35")
    kwargs.setdefault("label", f"loss = {loss}")
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
    if not half_width > 0:
        raise ValueError(f"half_width must be > 0, got {half_width}")
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
    steps = np.arange(len(run.losses))
    losses = np.asarray(run.losses, dtype=float)
    keep = losses > 0
    (line,) = ax.plot(steps[keep], losses[keep], **kwargs)
    ax.set_yscale("log")
    ax.set_xlabel("iteration (step)")
    ax.set_ylabel("loss (log scale)")
    return line


_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(\bid="|#)([A-Za-z_][\w.-]*)(?=[")])')


def figure_to_svg(fig: Figure, figure_id: str, *, alt: str, close: bool = True) -> str:
    """Render ``fig`` as deterministic SVG markup, ready to inline in HTML.

    Deterministic: no date or creator metadata, hash salt fixed to ``figure_id``
    (so two builds give the same bytes), text kept as ``<text>``. Inline-safe:
    nothing before ``<svg``, and every ``id`` (and reference to it) is prefixed with
    ``figure_id`` so several figures on one page never share an id. The ``<svg>``
    gets ``role="img"``, an ``aria-label`` and a ``<title>`` holding ``alt``.

    Args:
        fig: The figure (it is closed afterwards unless ``close=False``).
        figure_id: Unique on its page; letters, digits, ``-`` and ``_`` only.
        alt: Text alternative: what the figure shows, in a sentence or two.
        close: Release the figure's memory after rendering.

    Returns:
        The ``<svg ...>...</svg>`` markup.

    Raises:
        ValueError: If ``figure_id`` is empty or has other characters, or ``alt`` is blank.
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", figure_id or ""):
        raise ValueError(
            f"figure_id must start with a letter and hold only letters, digits, - and _; "
            f"got {figure_id!r}"
        )
    if not alt or not alt.strip():
        raise ValueError("alt must describe the figure")
    buffer = io.StringIO()
    with plt.rc_context({**_STYLE, "svg.hashsalt": figure_id}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                    transparent=True)
    if close:
        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # Prefix ids and every reference to them: url(#id), href="#id", xlink:href="#id".
    ids = set(_SVG_ID.findall(svg))
    svg = _SVG_REF.sub(
        lambda m: f"{m[1]}{figure_id}-{m[2]}" if m[2] in ids else m[0], svg
    )
    label = html.escape(alt.strip(), quote=True)
    svg = svg.replace(
        "<svg ",
        f'<svg id="{figure_id}" class="lr-figure" role="img" aria-label="{label}" ',
        1,
    )
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{label}</title>", svg, count=1)
    # Let CSS size the figure: keep the viewBox, drop the fixed width and height.
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # matplotlib's stylesheet uses a bare "*" selector: scope it to this figure.
    style = '<style type="text/css">'
    svg = svg.replace(f"{style}*{{", f"{style}#{figure_id} *{{", 1)
    return _compact(svg.strip(), figure_id)


_GROUP_ID = re.compile(r'<g id="([^"]+)"')
_GEOMETRY = re.compile(r'\b(d|x|y|width|height|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")
_FONT_FAMILY = re.compile(r"font-family: ([^;\"]*);? ?")
_USES = re.compile(r'<g((?: [^>]*)?)>((?:<use [^>]*/>)+)</g>')
_USE_STYLE = re.compile(r' style="([^"]*)"')
#: SVG properties that children inherit, so they may move from each child to the group.
_INHERITED = {"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width",
              "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
              "stroke-dashoffset"}


def _hoist_use_style(match: re.Match[str]) -> str:
    """One style on the group instead of the same style on each of its ``<use>``."""
    attrs, uses = match[1], match[2]
    styles = set(_USE_STYLE.findall(uses))
    if len(styles) != 1 or "style=" in attrs or uses.count("<use ") != uses.count(" style="):
        return match[0]
    (style,) = styles
    names = {part.split(":")[0].strip() for part in style.split(";") if part.strip()}
    if not names <= _INHERITED:
        return match[0]
    return f'<g{attrs} style="{style}">{_USE_STYLE.sub("", uses)}</g>'


def _unwrap_bare_groups(svg: str) -> str:
    """Drop ``<g>`` wrappers without attributes (they change nothing), keeping content."""
    out, keep, last = [], [], 0
    for match in re.finditer(r"<g\b[^>]*>|</g>", svg):
        out.append(svg[last : match.start()])
        last = match.end()
        if match[0] == "</g>":
            if keep.pop():
                out.append(match[0])
        else:
            keep.append(match[0] != "<g>")
            if keep[-1]:
                out.append(match[0])
    out.append(svg[last:])
    return "".join(out)


def _two_decimals(match: re.Match[str]) -> str:
    text = f"{float(match[0]):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _compact(svg: str, figure_id: str) -> str:
    """The same drawing in about half the bytes (pages carry several figures).

    Coordinates keep two decimals (a hundredth of a point; matplotlib writes six).
    Whitespace between elements and inside path data goes, and so do ``<g>`` ids
    that nothing references, ``<g>`` wrappers left without attributes and
    rotations by 0. What matplotlib repeats is stated once: the font list of every
    ``<text>`` in the figure's scoped stylesheet, the style of every marker
    (``<use>``) of a line on their group.
    """
    referenced = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg))
    svg = _GROUP_ID.sub(lambda m: m[0] if m[1] in referenced else "<g", svg)
    svg = _GEOMETRY.sub(
        lambda m: f'{m[1]}="{_LONG_DECIMAL.sub(_two_decimals, " ".join(m[2].split()))}"', svg
    )
    svg = re.sub(r">\s+<", "><", svg)
    svg = svg.replace(' transform="rotate(-0 ', ' transform="rotate(0 ')
    svg = re.sub(r' transform="rotate\(0 [^"]*\)"', "", svg)  # no rotation
    svg = _unwrap_bare_groups(_USES.sub(_hoist_use_style, svg))
    families = set(_FONT_FAMILY.findall(svg))
    if len(families) == 1 and "</style>" in svg:
        (family,) = families
        svg = _FONT_FAMILY.sub("", svg).replace(' style=""', "")
        svg = svg.replace("</style>", f" #{figure_id} text{{font-family: {family}}}</style>", 1)
    return svg


def figure_html(svg: str, caption: str) -> str:
    """Wrap inline SVG markup in a ``<figure>`` with a caption.

    The markup comes from [`figure_to_svg()`][lrtutor.plots.figure_to_svg].

    Args:
        svg: The ``<svg>`` markup.
        caption: Plain-text caption shown under the figure (HTML is escaped).

    Returns:
        ``<figure class="lr-figure-box" tabindex="0">...<figcaption>...</figcaption></figure>``.

    Raises:
        ValueError: If ``svg`` does not start with ``<svg`` or ``caption`` is blank.
    """
    if not svg.lstrip().startswith("<svg"):
        raise ValueError("svg must be markup starting with <svg (see figure_to_svg)")
    if not caption or not caption.strip():
        raise ValueError("caption must not be blank")
    return (
        # tabindex: on a phone the box scrolls sideways, and a scrollable region must be
        # reachable by keyboard (WCAG 2.1.1; axe rule scrollable-region-focusable).
        f'<figure class="lr-figure-box" tabindex="0">{svg}'
        f"<figcaption>{html.escape(caption.strip())}</figcaption></figure>"
    )
