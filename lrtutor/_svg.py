"""Turn a matplotlib figure into inline SVG for a page, refusing one that hides data.

[`figure_to_svg()`][lrtutor.plots.figure_to_svg] renders a figure to SVG markup that is
identical from one build to the next, safe to inline several times on one page and
about half the bytes matplotlib writes; [`figure_html()`][lrtutor.plots.figure_html]
wraps one such panel, or a row of them, in a captioned ``<figure>``;
[`hidden_points()`][lrtutor.plots.hidden_points] finds data a reader cannot see. These
names are importable from ``lrtutor.plots``, with the drawing helpers, and documented
there.
"""

from __future__ import annotations

import html
import io
import math
import re
import sys
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from . import _validate

__all__ = ["MIN_FONT_SIZE", "figure_html", "figure_to_svg", "hidden_points", "overlapping_text"]

#: matplotlib settings of every figure: new_figure() draws with them, figure_to_svg()
#: lays out and writes with them.
STYLE = {
    "svg.fonttype": "none",  # keep text as <text>, selectable and searchable
    "font.family": "sans-serif",
    "font.size": 13,  # ticks, axis labels, titles; legends one step smaller
    "legend.fontsize": 12.5,
    "axes.titlesize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 72,  # SVG's own resolution (1 unit = 1 pt): laid out, checked, written alike
}


_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(\bid="|#)([A-Za-z_][\w.-]*)(?=[")])')


MIN_FONT_SIZE = 12.5
"""Smallest text size in a figure, in points: 12.5 pt in a 4.5 inch (324 pt) panel
shrunk to a 360 px phone's 328 px column is about 12.6 px."""


def figure_to_svg(
    fig: Figure, figure_id: str, *, alt: str, close: bool = True, check: bool = True
) -> str:
    """Render ``fig`` as deterministic SVG markup, ready to inline in HTML.

    Deterministic: no date or creator metadata, hash salt fixed to ``figure_id``
    (so two builds give the same bytes), text kept as ``<text>``. Inline-safe:
    nothing before ``<svg``, and every ``id`` (and reference to it) is prefixed with
    ``figure_id`` so several figures on one page never share an id. The ``<svg>``
    gets ``role="img"``, an ``aria-label`` and a ``<title>`` holding ``alt``.
    Sized by CSS: the fixed width and height become a ``max-width`` (the figure's
    natural size, in points), so the drawing shrinks to a narrow column and never
    grows past its natural size. ``data-search-exclude`` keeps its tick labels out of
    the site's search index (mkdocs-material's search plugin honours it); the caption
    given to [`figure_html()`][lrtutor.plots.figure_html] stays searchable.
    Legible: text smaller than [`MIN_FONT_SIZE`][lrtutor.plots.MIN_FONT_SIZE] is
    raised to it (labels set after [`new_figure()`][lrtutor.plots.new_figure] use
    matplotlib's global sizes). Honest: with ``check``, a figure that hides data (see
    [`hidden_points()`][lrtutor.plots.hidden_points]) is refused, judged on the very
    drawing written, and so is one that draws text over text (see
    [`overlapping_text()`][lrtutor.plots.overlapping_text]) (at 72 dpi, SVG's 1 unit = 1 pt, after savefig's own layout pass;
    the figure's dpi is given back afterwards). Compact: coordinates keep two decimals,
    a style several elements repeat becomes one class of the figure's own stylesheet,
    and vertices on a straight run of a line are dropped (about half matplotlib's bytes).

    Args:
        fig: The figure (it is closed afterwards unless ``close=False``).
        figure_id: Unique on its page; letters, digits, ``-`` and ``_`` only.
        alt: Text alternative: what the figure shows, in a sentence or two.
        close: Release the figure's memory after rendering.
        check: Refuse a figure with a data point outside its axes or under a legend, or
            with two texts (tick labels included) drawn over each other.

    Returns:
        The ``<svg ...>...</svg>`` markup.

    Raises:
        ValueError: If ``figure_id`` is empty or has other characters, ``alt`` is blank,
            or (with ``check``) the figure hides data or overlaps text; the message
            lists the points or the texts.

    Example:
        >>> from lrtutor.plots import new_figure
        >>> fig, ax = new_figure()
        >>> _ = ax.plot([0, 1], [1, 0])
        >>> figure_to_svg(fig, "fig-demo", alt="A falling line.")[:41]
        '<svg id="fig-demo" class="lr-figure" role'
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    _check_figure_id(figure_id)
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a str, got {type(alt).__name__}")
    if not alt.strip():
        raise ValueError("alt must describe the figure")
    close = _validate.flag("close", close)
    check = _validate.flag("check", check)
    buffer = io.StringIO()
    dpi = fig.dpi
    # Written at SVG's resolution (1 unit = 1 pt), by the SVG renderer, whose text
    # metrics the layout engine uses in savefig's own layout pass. The check reads the
    # drawing savefig has just made, so it judges the very figure written.
    fig.set_dpi(72)
    try:
        with matplotlib.rc_context({**STYLE, "svg.hashsalt": figure_id}):
            for text in fig.findobj(Text):
                if text.get_fontsize() < MIN_FONT_SIZE:
                    text.set_fontsize(MIN_FONT_SIZE)
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                        transparent=True)
        hidden = _hidden_as_drawn(fig) if check else []
        if hidden:
            raise ValueError(
                f"figure {figure_id} hides data: " + "; ".join(hidden[:5])
                + (f"; and {len(hidden) - 5} more" if len(hidden) > 5 else "")
            )
        crowded = _overlapping_as_drawn(fig) if check else []
        if crowded:
            raise ValueError(
                f"figure {figure_id} draws text over text: " + "; ".join(crowded[:5])
                + (f"; and {len(crowded) - 5} more" if len(crowded) > 5 else "")
            )
    finally:
        fig.set_dpi(dpi)
    if close:
        # Figures are plain matplotlib Figure objects (no backend is chosen or switched
        # at import, as matplotlib advises libraries); only one made through pyplot is
        # also held by pyplot, and only then can pyplot have been imported.
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(fig)
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
        f'<svg id="{figure_id}" class="lr-figure" role="img" aria-label="{label}" '
        "data-search-exclude ",
        1,
    )
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{label}</title>", svg, count=1)
    # Let CSS size the figure: keep the viewBox; the fixed width becomes a maximum.
    svg = re.sub(r'(<svg[^>]*?) width="([^"]*)" height="[^"]*"',
                 r'\1 style="max-width: \2"', svg, count=1)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # matplotlib's stylesheet uses a bare "*" selector: scope it to this figure.
    style = '<style type="text/css">'
    svg = svg.replace(f"{style}*{{", f"{style}#{figure_id} *{{", 1)
    return _compact(svg.strip(), figure_id)


def _check_figure_id(figure_id: str) -> None:
    if not isinstance(figure_id, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", figure_id):
        raise ValueError(
            f"figure_id must start with a letter and hold only letters, digits, - and _; "
            f"got {figure_id!r}"
        )


def _marked_indices(line: Line2D, n: int) -> np.ndarray:
    """Indices of the vertices of ``line`` that carry a marker (``markevery`` by index)."""
    every = line.get_markevery()
    if every is None:
        return np.arange(n)
    if isinstance(every, int):
        return np.arange(0, n, every)
    if isinstance(every, tuple) and len(every) == 2 and all(isinstance(v, int) for v in every):
        return np.arange(every[0], n, every[1])
    if isinstance(every, slice):
        return np.arange(n)[every]
    if isinstance(every, list | np.ndarray):
        return np.arange(n)[np.asarray(every)]
    return np.arange(n)  # float spacings: treat every vertex as marked (stricter)


def _name(artist: Any, kind: str, index: int) -> str:
    """An artist's legend label, quoted, or its kind and index when it has none."""
    label = str(artist.get_label())
    return repr(label) if label and not label.startswith("_") else f"{kind} {index}"


_EDGE = 1e-9  # tolerance of hidden_points() at the axes' boundary, in axes units


def hidden_points(fig: Figure) -> list[str]:
    """Plotted data a reader cannot see: points outside the axes or under a legend.

    The figure is drawn (without rendering pixels) so that legends have their final
    place. Then, for every axes, every vertex of every data line (a ``Line2D`` drawn
    in data coordinates, which excludes ``axhline`` and ``axvline`` reference lines)
    and every offset of a scatter (``PathCollection``) is checked:

    * **outside the axes**: outside the view limits (``get_xlim()``, ``get_ylim()``),
      ends included (up to 1e-9 of the axes, for rounding); a line meant to leave the
      plot must end on the boundary;
    * **under a legend**: inside the frame of the axes' legend or of any figure legend
      (``Legend.legendPatch``, where the draw put it), grown by the marker's radius for
      points drawn with a marker.

    Non-finite vertices (gaps in a line) are skipped; lines with no data (legend
    proxies) have nothing to check.

    Args:
        fig: A figure, drawn or not (for example from
            [`new_figure()`][lrtutor.plots.new_figure]).

    Returns:
        One message per hidden point, naming the axes (index and title), the line's
        label, the vertex index and its data coordinates; empty when all is visible.

    Raises:
        TypeError: If ``fig`` is not a matplotlib ``Figure``.

    Example:
        >>> from lrtutor.plots import new_figure
        >>> fig, ax = new_figure()
        >>> _ = ax.plot([0, 1, 2], [0, 1, 4], marker="o", label="squares")
        >>> _ = ax.set_ylim(0, 2)
        >>> hidden_points(fig)
        ["axes 0: 'squares' point 2 at (2, 4) is outside the axes"]
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    fig.draw_without_rendering()  # legends take their final place
    return _hidden_as_drawn(fig)


def _hidden_as_drawn(fig: Figure) -> list[str]:
    """hidden_points() of the figure as last drawn (legend frames where that draw put
    them; the figure's dpi must be the one it was drawn at)."""
    figure_legends = [legend.legendPatch.get_window_extent() for legend in fig.legends]
    messages = []
    for k, ax in enumerate(fig.axes):
        legend = ax.get_legend()
        boxes = figure_legends + ([legend.legendPatch.get_window_extent()] if legend else [])
        where = f"axes {k}" + (f" ({ax.get_title()!r})" if ax.get_title() else "")
        candidates: list[tuple[str, np.ndarray, np.ndarray, float]] = []
        for line in ax.get_lines():
            if line.get_transform() != ax.transData:
                continue  # axhline, axvline: drawn in axes coordinates
            xy = np.asarray(line.get_xydata(), dtype=float)
            has_marker = line.get_marker() not in (None, "None", "none", "", " ")
            if has_marker and line.get_linestyle() in ("None", "none", "", " "):
                indices = _marked_indices(line, len(xy))  # only the markers show
            else:
                indices = np.arange(len(xy))
            radius = line.get_markersize() / 2 * fig.dpi / 72 if has_marker else 0.0
            candidates.append((_name(line, "line", len(candidates)), xy, indices, radius))
        for collection in ax.collections:
            if (isinstance(collection, PathCollection)
                    and collection.get_offset_transform() == ax.transData):  # scatter
                xy = np.asarray(collection.get_offsets(), dtype=float).reshape(-1, 2)
                sizes = collection.get_sizes()
                radius = float(np.sqrt(sizes.max()) / 2 * fig.dpi / 72) if len(sizes) else 0.0
                candidates.append((_name(collection, "scatter", len(candidates)), xy,
                                   np.arange(len(xy)), radius))
        to_axes = ax.transAxes.inverted()
        for label, xy, indices, radius in candidates:
            points = xy[indices]
            finite = np.isfinite(points).all(axis=1)
            indices, points = indices[finite], points[finite]
            if not len(points):
                continue
            pixels = ax.transData.transform(points)
            # In axes coordinates the view is [0, 1] x [0, 1] on any scale; a point
            # on the boundary (up to rounding, 1e-9 of the axes) is inside.
            uv = to_axes.transform(pixels)
            outside = ((uv < -_EDGE) | (uv > 1 + _EDGE) | ~np.isfinite(uv)).any(axis=1)
            covered = np.zeros(len(points), dtype=bool)
            for box in boxes:
                covered |= ((box.x0 - radius <= pixels[:, 0]) & (pixels[:, 0] <= box.x1 + radius)
                            & (box.y0 - radius <= pixels[:, 1])
                            & (pixels[:, 1] <= box.y1 + radius))
            for i, (x, y), out, under in zip(indices, points, outside, covered, strict=True):
                if out or under:
                    where_ = "outside the axes" if out else "under a legend"
                    messages.append(f"{where}: {label} point {i} at ({x:g}, {y:g}) is {where_}")
    return messages


#: Text boxes may touch: two overlap only where both sides of their intersection exceed
#: this (points; glyph boxes include the font's ascent and descent, which look empty).
TEXT_OVERLAP_TOLERANCE = 1.0


def overlapping_text(fig: Figure) -> list[str]:
    """Pairs of texts that a reader sees drawn over each other.

    Every visible, non-empty ``Text`` of the figure counts: tick labels, axis labels,
    titles, annotations, legend entries. The figure is drawn (without rendering pixels)
    so that layout and legends are final; then each text's box on the canvas
    (``Text.get_window_extent``) is compared with every other. Two overlap when their
    boxes intersect by more than ``TEXT_OVERLAP_TOLERANCE`` points both across and up.
    A figure's text scales with its drawing (the SVG is inlined and sized by CSS), so
    an overlap found here is one at every screen width, and one not found here is
    found at none.

    Args:
        fig: A figure, drawn or not.

    Returns:
        One message per overlapping pair, quoting both texts; empty when none overlap.

    Raises:
        TypeError: If ``fig`` is not a matplotlib ``Figure``.

    Example:
        >>> from lrtutor.plots import new_figure
        >>> fig, ax = new_figure()
        >>> ax.set_axis_off()  # no tick labels: only the two notes
        >>> _ = ax.text(0.5, 0.5, "first note")
        >>> _ = ax.text(0.5, 0.5, "second note")
        >>> overlapping_text(fig)
        ["'first note' overlaps 'second note'"]
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    fig.draw_without_rendering()
    return _overlapping_as_drawn(fig)


def _overlapping_as_drawn(fig: Figure) -> list[str]:
    """overlapping_text() of the figure as last drawn (at the dpi it was drawn at)."""
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    tolerance = TEXT_OVERLAP_TOLERANCE * fig.dpi / 72
    # A tick label object exists for every tick the axis keeps, drawn or not; only the
    # ticks inside the view are drawn (matplotlib's Axis.draw asks _update_ticks).
    tick_labels: set[int] = set()
    drawn: list[Text] = []
    for ax in fig.axes:
        for axis in ax._axis_map.values():  # noqa: SLF001 - the axes' x/y axes
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_labels.update((id(tick.label1), id(tick.label2)))
            if not (ax.get_visible() and ax.axison and axis.get_visible()):
                continue  # set_axis_off() or a hidden axis: no tick label is drawn
            for tick in axis._update_ticks():  # noqa: SLF001 - the ticks draw() draws
                drawn += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    candidates = [t for t in fig.findobj(Text) if id(t) not in tick_labels] + drawn
    texts = []
    for text in candidates:
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0 or not np.isfinite(box.extents).all():
            continue
        texts.append((text.get_text(), box))
    messages = []
    for i, (first, a) in enumerate(texts):
        for second, b in texts[i + 1:]:
            across = min(a.x1, b.x1) - max(a.x0, b.x0)
            up = min(a.y1, b.y1) - max(a.y0, b.y0)
            if across > tolerance and up > tolerance:
                messages.append(f"{first!r} overlaps {second!r}")
    return messages


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


_PATH_DATA = re.compile(r' d="(M [^"]*)"')
_POLYLINE = re.compile(r"[-\d. ]+")
#: Largest distance (in points) of a vertex from the line through its neighbours for it
#: to count as on that line: the rounding of coordinates to two decimals.
_STRAIGHT = 0.01


def _drop_straight_vertices(data: str) -> str:
    """Path data without the vertices that lie on a straight run between their neighbours.

    matplotlib simplifies only paths of 128 vertices or more, so a flat stretch of a
    shorter curve keeps every sample. A vertex is dropped when it lies (within the
    coordinates' rounding) on the segment from the vertex kept before it to the next
    one, moving on in the same direction: the drawing, dashes included, is the same.
    Path data with commands other than ``M`` and ``L`` is returned unchanged.
    """
    subpaths = data.split("M ")[1:]
    if not all(_POLYLINE.fullmatch(part.replace("L", "")) for part in subpaths):
        return data
    out = []
    for part in subpaths:
        points = [tuple(map(float, chunk.split())) for chunk in part.split("L")]
        if any(len(point) != 2 for point in points):
            return data
        kept = points[:1]
        for i in range(1, len(points) - 1):
            (x0, y0), (x1, y1), (x2, y2) = kept[-1], points[i], points[i + 1]
            ax, ay, bx, by = x1 - x0, y1 - y0, x2 - x1, y2 - y1
            length = math.hypot(x2 - x0, y2 - y0)
            straight = (length > 0 and abs(ax * (y2 - y0) - ay * (x2 - x0)) / length <= _STRAIGHT
                        and ax * bx + ay * by >= 0)
            if not straight:
                kept.append(points[i])
        kept.extend(points[-1:] if len(points) > 1 else [])
        out.append("M " + " L ".join(f"{_number(x)} {_number(y)}" for x, y in kept))
    return " ".join(out)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _two_decimals(match: re.Match[str]) -> str:
    return _number(float(match[0]))


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
    svg = _PATH_DATA.sub(lambda m: f' d="{_drop_straight_vertices(m[1])}"', svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = svg.replace(' transform="rotate(-0 ', ' transform="rotate(0 ')
    svg = re.sub(r' transform="rotate\(0 [^"]*\)"', "", svg)  # no rotation
    svg = _unwrap_bare_groups(_USES.sub(_hoist_use_style, svg))
    families = set(_FONT_FAMILY.findall(svg))
    if len(families) == 1 and "</style>" in svg:
        (family,) = families
        svg = _FONT_FAMILY.sub("", svg).replace(' style=""', "")
        svg = svg.replace("</style>", f" #{figure_id} text{{font-family: {family}}}</style>", 1)
    return _style_classes(svg, figure_id)


_TAG = re.compile(r"<[a-z][^<>]*>")
_STYLE_ATTR = re.compile(r' style="([^"]*)"')


def _style_classes(svg: str, figure_id: str) -> str:
    """A style that several elements repeat, as one class in the figure's stylesheet.

    Grid lines, ticks and tick labels each carry the same ``style`` attribute; it
    becomes ``class="lrsN"`` with the rule ``#figure_id .lrsN {...}``. The rule
    outranks the stylesheet's ``#figure_id *`` as the attribute did, and inherits the
    same way. The root ``<svg>`` and elements that already have a class keep theirs.
    """
    root_end = svg.find(">") + 1
    if "</style>" not in svg or root_end <= 0:
        return svg
    head, body = svg[:root_end], svg[root_end:]
    counts: dict[str, int] = {}
    for tag in _TAG.findall(body):
        style = _STYLE_ATTR.search(tag)
        if style and ' class="' not in tag:
            counts[style[1]] = counts.get(style[1], 0) + 1
    names = {style: f"lrs{i}" for i, style in
             enumerate(s for s, n in counts.items() if n > 1 and len(s) > 12)}
    if not names:
        return svg

    def to_class(match: re.Match[str]) -> str:
        tag = match[0]
        style = _STYLE_ATTR.search(tag)
        if style is None or style[1] not in names or ' class="' in tag:
            return tag
        return tag[: style.start()] + f' class="{names[style[1]]}"' + tag[style.end():]

    body = _TAG.sub(to_class, body)
    rules = "".join(f" #{figure_id} .{name}{{{style}}}" for style, name in names.items())
    return head + body.replace("</style>", rules + "</style>", 1)


def figure_html(
    svg: str | Sequence[str], caption: str, *, figure_id: str | None = None
) -> str:
    """Wrap one inline SVG panel, or a group of them, in a ``<figure>`` with a caption.

    The markup comes from [`figure_to_svg()`][lrtutor.plots.figure_to_svg], one call per
    panel, each with its own text alternative. A group is a row of panels in a CSS grid
    (``div.lr-panels``, see ``docs/stylesheets/lrtutor.css``) that puts them side by
    side where there is room and stacks them where there is not; the caption belongs to
    the whole group.

    Args:
        svg: The ``<svg>`` markup of one panel, or a sequence of such markups.
        caption: Plain-text caption shown under the figure (HTML is escaped).
        figure_id: Id of the ``<figure>`` element (letters, digits, ``-``, ``_``), for
            links to it; required for a group, whose panels carry their own ids.

    Returns:
        ``<figure class="lr-figure-box">...<figcaption>...</figcaption></figure>``.

    Raises:
        ValueError: If a markup does not start with ``<svg``, a group is empty or has no
            ``figure_id``, or ``caption`` is blank.
        TypeError: If ``svg`` is neither a string nor a sequence of strings.

    Example:
        >>> from lrtutor.plots import new_figure
        >>> fig, ax = new_figure()
        >>> _ = ax.plot([0, 1], [1, 0])
        >>> panel = figure_to_svg(fig, "fig-demo-a", alt="A falling line.")
        >>> figure_html([panel], "One panel.", figure_id="fig-demo")[:54]
        '<figure id="fig-demo" class="lr-figure-box lr-figure-g'
    """
    group = not isinstance(svg, str)
    if group and not isinstance(svg, Sequence):
        raise TypeError(f"svg must be markup or a sequence of markups, got {type(svg).__name__}")
    panels = list(svg) if group else [svg]
    for panel in panels:
        if not isinstance(panel, str):
            raise TypeError(f"svg must be markup or a sequence of markups, got "
                            f"{type(panel).__name__}")
        if not panel.lstrip().startswith("<svg"):
            raise ValueError("svg must be markup starting with <svg (see figure_to_svg)")
    if not panels:
        raise ValueError("svg must hold at least one panel")
    if figure_id is not None:
        _check_figure_id(figure_id)
    elif group:
        raise ValueError("figure_id is required for a group of panels")
    if not isinstance(caption, str):
        raise TypeError(f"caption must be a str, got {type(caption).__name__}")
    if not caption.strip():
        raise ValueError("caption must not be blank")
    attrs = f' id="{figure_id}"' if figure_id else ""
    body = panels[0]
    if group:
        attrs += f' class="lr-figure-box lr-figure-group" data-panels="{len(panels)}"'
        body = '<div class="lr-panels">' + "".join(panels) + "</div>"
    else:
        attrs += ' class="lr-figure-box"'
    return f"<figure{attrs}>{body}<figcaption>{html.escape(caption.strip())}</figcaption></figure>"
