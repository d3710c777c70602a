"""Figure helpers: deterministic, inline-safe SVG; helpers return what they drew."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lrtutor import SQUARE, run_gradient_descent
from lrtutor.plots import (
    MIN_FONT_SIZE,
    figure_html,
    figure_to_svg,
    hidden_points,
    overlapping_text,
    new_figure,
    plot_loss_curve,
    plot_loss_history,
    plot_tangent,
    plot_trajectory,
)


def draw(figure_id: str) -> str:
    fig, ax = new_figure()
    plot_loss_curve(ax, SQUARE, np.linspace(-3, 3, 61))
    plot_tangent(ax, SQUARE, 2.0)
    plot_trajectory(ax, run_gradient_descent(SQUARE, 2.0, 0.25, 4))
    ax.legend()
    return figure_to_svg(fig, figure_id, alt="A parabola with a tangent and four steps.")


def test_svg_is_deterministic_and_inline_ready() -> None:
    first, second = draw("fig-a"), draw("fig-a")
    assert first == second
    assert first.startswith('<svg id="fig-a" ')
    assert "<dc:date>" not in first and "<metadata>" not in first
    assert "Matplotlib" not in first  # no creator string
    assert "<text" in first  # text kept as text, not paths
    assert '<title>A parabola with a tangent and four steps.</title>' in first
    assert 'role="img"' in first and 'aria-label="A parabola' in first
    assert not re.search(r'<svg[^>]* width="', first)  # sized by CSS, via the viewBox
    # ... up to its natural size: new_figure's default 4.5 inches = 324 points.
    assert re.search(r'<svg[^>]* style="max-width: 324pt"', first)
    assert re.search(r'<svg[^>]* data-search-exclude[ >]', first)  # no tick text in search


def test_ids_are_prefixed_unique_and_resolve() -> None:
    a, b = draw("fig-a"), draw("fig-b")
    ids_a = re.findall(r'\bid="([^"]+)"', a)
    ids_b = re.findall(r'\bid="([^"]+)"', b)
    assert len(ids_a) == len(set(ids_a))
    assert all(i == "fig-a" or i.startswith("fig-a-") for i in ids_a)
    assert not set(ids_a) & set(ids_b)
    references = re.findall(r'(?:url\(#|href="#)([^)"]+)', a)
    assert references, "expected clip paths or markers to be referenced"
    assert set(references) <= set(ids_a)
    assert "#fig-a *{" in a  # matplotlib's global stylesheet is scoped to the figure


def test_helpers_return_what_they_drew() -> None:
    fig, ax = new_figure()
    run = run_gradient_descent(SQUARE, 2.0, 0.1, 5)
    curve = plot_loss_curve(ax, SQUARE, [-1.0, 0.0, 1.0])
    tangent = plot_tangent(ax, SQUARE, 1.0, half_width=0.5)
    points = plot_trajectory(ax, run, arrows=False)
    history = plot_loss_history(ax, run)
    assert all(isinstance(a, Line2D) for a in (curve, tangent, points, history))
    np.testing.assert_allclose(curve.get_ydata(), [1.0, 0.0, 1.0])
    # Tangent of x^2 at 1: 1 + 2 (x - 1) at x = 0.5 and 1.5.
    np.testing.assert_allclose(tangent.get_ydata(), [0.0, 2.0])
    np.testing.assert_allclose(points.get_xdata(), run.positions)
    assert ax.get_yscale() == "log"
    # A log loss axis cannot show the loss 0 of the other lines: no check of hidden data.
    figure_to_svg(fig, "fig-x", alt="test figure with four lines", check=False)


def test_new_figure_grid_shapes() -> None:
    assert new_figure()[1].__class__.__name__ == "Axes"
    assert new_figure(3)[1].shape == (3,)
    assert new_figure(nrows=2)[1].shape == (2,)
    assert new_figure(2, nrows=2)[1].shape == (2, 2)


def test_figure_html_wraps_and_escapes() -> None:
    markup = figure_html(draw("fig-c"), "x < 1 & y")
    assert markup.startswith('<figure class="lr-figure-box"><svg id="fig-c"')
    assert markup.endswith("<figcaption>x &lt; 1 &amp; y</figcaption></figure>")
    linked = figure_html(draw("fig-c"), "caption", figure_id="fig-linked")
    assert linked.startswith('<figure id="fig-linked" class="lr-figure-box"><svg id="fig-c"')


def test_figure_html_groups_panels_under_one_caption() -> None:
    panels = [draw("fig-g-a"), draw("fig-g-b"), draw("fig-g-c")]
    markup = figure_html(panels, "Three panels.", figure_id="fig-g")
    assert markup.startswith(
        '<figure id="fig-g" class="lr-figure-box lr-figure-group" data-panels="3">'
        '<div class="lr-panels"><svg id="fig-g-a"'
    )
    assert markup.endswith("</svg></div><figcaption>Three panels.</figcaption></figure>")
    assert markup.count("<figcaption>") == 1
    assert re.findall(r'<svg id="([^"]+)"', markup) == ["fig-g-a", "fig-g-b", "fig-g-c"]
    assert markup.count("<title>") == 3  # each panel its own text alternative


# -- hidden_points: data outside the axes or under a legend ---------------------------------


def test_hidden_points_finds_points_outside_the_axes() -> None:
    fig, ax = new_figure()
    ax.plot([0, 1, 2, 3], [0, 1, 4, 9], marker="o", label="squares")
    ax.set_ylim(0, 4)  # 4 is on the edge (visible), 9 is above it
    assert hidden_points(fig) == ["axes 0: 'squares' point 3 at (3, 9) is outside the axes"]
    ax.set_ylim(-1, 10)
    assert hidden_points(fig) == []
    ax.set_xlim(0.5, 3)
    assert hidden_points(fig) == ["axes 0: 'squares' point 0 at (0, 0) is outside the axes"]


def test_hidden_points_on_log_axes_and_lines_without_labels() -> None:
    fig, ax = new_figure()
    ax.plot([1, 10, 100], [1e-3, 1, 1e3])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 10)
    assert hidden_points(fig) == ["axes 0: line 0 point 2 at (100, 1000) is outside the axes"]


def test_hidden_points_finds_points_under_a_legend() -> None:
    fig, ax = new_figure()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.plot([1], [1], marker="s", linestyle="none", label="visible point")
    legend = ax.legend(loc="upper right")
    fig.draw_without_rendering()
    box = legend.get_window_extent()  # measured directly: a point at its centre is hidden
    x, y = ax.transData.inverted().transform(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
    ax.plot([x], [y], marker="o", linestyle="none")
    assert 5 < x < 10 and 5 < y < 10
    assert hidden_points(fig) == [f"axes 0: line 1 point 0 at ({x:g}, {y:g}) is under a legend"]
    legend.set_loc("lower left")  # now over (1, 1)
    assert hidden_points(fig) == [
        "axes 0: 'visible point' point 0 at (1, 1) is under a legend"
    ]
    legend.remove()
    fig.legend(loc="outside lower center")  # a figure legend below the axes hides nothing
    assert hidden_points(fig) == []


def test_hidden_points_honours_markevery_and_skips_reference_lines() -> None:
    fig, ax = new_figure()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    # Markers only at 0, 3 and 6: the unmarked vertex 5 may sit outside.
    ax.plot([0, 1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 20, 1], marker="o", linestyle="none",
            markevery=3, label="sparse")
    ax.axhline(50, color="0.5")  # drawn in axes coordinates: nothing to check
    ax.axvline(-3, color="0.5")
    ax.plot([], [], label="proxy")  # a legend proxy without data
    assert hidden_points(fig) == []


def test_hidden_points_checks_scatter_offsets() -> None:
    fig, ax = new_figure()
    ax.scatter([1, 2, 30], [1, 2, 3], label="dots")
    ax.set_xlim(0, 10)
    assert hidden_points(fig) == ["axes 0: 'dots' point 2 at (30, 3) is outside the axes"]


def test_hidden_points_refuses_what_is_not_a_figure() -> None:
    _, ax = new_figure()
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        hidden_points(ax)


def test_figure_to_svg_refuses_hidden_data_unless_told() -> None:
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 5], marker="o", label="rising")
    ax.set_ylim(0, 1)
    with pytest.raises(ValueError, match=r"fig-hidden hides data: axes 0: 'rising' point 1"):
        figure_to_svg(fig, "fig-hidden", alt="a line leaving the plot", close=False)
    assert figure_to_svg(fig, "fig-hidden", alt="a line leaving the plot", check=False)


def test_figure_to_svg_raises_small_text_to_the_minimum() -> None:
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_title("tiny", fontsize=6)
    svg = figure_to_svg(fig, "fig-small", alt="a line with a tiny title", close=False)
    assert ax.title.get_fontsize() == MIN_FONT_SIZE
    assert f"font: {MIN_FONT_SIZE:g}px" in svg or f"font-size: {MIN_FONT_SIZE:g}px" in svg


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda fig: figure_to_svg(fig, "1bad", alt="something"), "figure_id"),
        (lambda fig: figure_to_svg(fig, "has space", alt="something"), "figure_id"),
        (lambda fig: figure_to_svg(fig, "ok", alt="  "), "alt"),
        (lambda fig: figure_html("<div>", "caption"), "svg"),
        (lambda fig: figure_html(draw("fig-d"), ""), "caption"),
        (lambda fig: figure_html([], "caption", figure_id="fig-e"), "at least one"),
        (lambda fig: figure_html([draw("fig-f")], "caption"), "figure_id is required"),
        (lambda fig: figure_html(draw("fig-h"), "caption", figure_id="9x"), "figure_id"),
        (lambda fig: new_figure(0), "ncols"),
        (lambda fig: new_figure(nrows=0), "nrows"),
    ],
)
def test_bad_input(call, match) -> None:
    fig, _ = new_figure()
    with pytest.raises(ValueError, match=match):
        call(fig)


def test_figure_html_refuses_what_is_not_markup() -> None:
    with pytest.raises(TypeError, match="svg must be markup"):
        figure_html([draw("fig-i"), 3], "caption", figure_id="fig-j")


def test_the_check_sees_the_figure_as_it_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """hidden_points() judges the layout the SVG is written with: at the SVG's own
    resolution (1 unit = 1 pt), laid out once, so a legend is where the check saw it."""
    import lrtutor._svg

    seen: dict[str, object] = {}
    check = lrtutor._svg._hidden_as_drawn

    def spy(fig: Figure) -> list[str]:
        found = check(fig)
        seen["dpi"] = fig.dpi
        seen["legend"] = fig.axes[0].get_legend().legendPatch.get_window_extent().bounds
        return found

    monkeypatch.setattr(lrtutor._svg, "_hidden_as_drawn", spy)
    fig = Figure(figsize=(4.5, 3.4), dpi=100, layout="constrained")  # not from new_figure
    ax = fig.subplots()
    ax.plot([0, 1, 2], [3, 1, 2], label="a line with a long label")
    ax.set_title("a title")
    ax.legend(loc="best")
    svg = figure_to_svg(fig, "fig-written", alt="a line and its legend", close=False)
    assert seen["dpi"] == 72 and fig.dpi == 100  # checked at 72, given back as it was
    # The legend's frame, the one path with rounded corners; SVG's y axis points down.
    (frame,) = re.findall(r'<path d="(M [^"]*Q[^"]*)"', svg)
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", frame)]
    xs, ys = numbers[0::2], numbers[1::2]
    x0, y0, width, height = seen["legend"]
    top = fig.get_figheight() * 72
    assert min(xs) == pytest.approx(x0, abs=0.01)
    assert max(xs) == pytest.approx(x0 + width, abs=0.01)
    assert min(ys) == pytest.approx(top - (y0 + height), abs=0.01)
    assert max(ys) == pytest.approx(top - y0, abs=0.01)


def test_straight_runs_lose_their_inner_vertices_only() -> None:
    from lrtutor._svg import _drop_straight_vertices as drop

    # A flat stretch and a vertical one collapse to their ends; corners stay.
    assert drop("M 0 0 L 1 0 L 2 0 L 3 0 L 3 1 L 3 2") == "M 0 0 L 3 0 L 3 2"
    # On a slope, within the coordinates' rounding (0.01).
    assert drop("M 0 0 L 1 1.01 L 2 2") == "M 0 0 L 2 2"
    assert drop("M 0 0 L 1 1.05 L 2 2") == "M 0 0 L 1 1.05 L 2 2"
    # Turning back along the same line is a drawn stroke: it stays.
    assert drop("M 0 0 L 2 0 L 1 0") == "M 0 0 L 2 0 L 1 0"
    # Repeated points go; subpaths are kept apart; other commands are left alone.
    assert drop("M 0 0 L 0 0 L 1 0 M 5 5 L 6 5 L 7 5") == "M 0 0 L 1 0 M 5 5 L 7 5"
    assert drop("M 0 0 L 1 0 L 2 0 z") == "M 0 0 L 1 0 L 2 0 z"
    assert drop("M 0 0 Q 1 0 2 0") == "M 0 0 Q 1 0 2 0"
    assert drop("M 1 2") == "M 1 2"


def test_repeated_styles_become_scoped_classes() -> None:
    fig, ax = new_figure()
    ax.plot(range(10), [v * v for v in range(10)], marker="o", label="squares")
    ax.legend()
    svg = figure_to_svg(fig, "fig-classes", alt="squares")
    classes = re.findall(r'class="(lrs\d+)"', svg)
    assert classes  # grid lines, ticks and tick labels share styles
    styles = re.findall(r'<(?!svg)[a-z]+ [^>]*style="([^"]*)"', svg)
    repeated = {style for style in styles if styles.count(style) > 1}
    assert all(len(style) <= 12 for style in repeated), repeated  # "fill: none" stays
    for name in set(classes):  # each class has its rule, scoped to the figure
        assert re.search(rf"#fig-classes \.{name}\{{[^}}]+\}}", svg)
    assert not re.search(r"<[a-z]+ [^>]*class=\"[^\"]*\"[^>]* class=", svg)  # one each
    import xml.etree.ElementTree as ET

    ET.fromstring(svg.replace(" data-search-exclude ", " "))  # still well-formed XML


def test_importing_the_figure_helpers_leaves_the_backend_alone() -> None:
    # matplotlib's advice for libraries: build Figure objects, never switch the backend
    # (a notebook user's inline or widget backend stays as it is).
    code = (
        "import sys, matplotlib; matplotlib.use('svg'); "
        "import lrtutor, lrtutor.plots, lrtutor._svg; "
        "from lrtutor.plots import new_figure, figure_to_svg; "
        "fig, ax = new_figure(); ax.plot([0, 1], [1, 0]); "
        "figure_to_svg(fig, 'fig-x', alt='A line.'); "
        "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend(); "
        "assert 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- text drawn over text (issue 19: fig-greedy's notes overlapped each other and a tick)


def _greedy_as_it_was() -> Figure:
    """fig-greedy's old layout: the notes of x = 2 and x = 1 both below-right."""
    fig, ax = new_figure(height=4.4)
    ax.plot(np.linspace(-4.4, 3, 50), np.linspace(-4.4, 3, 50) ** 2)
    for x in (2.0, 1.0):
        ax.annotate(f"x = {x:g}\nloss {x * x:g}\nslope {2 * x:g}", (x, x * x),
                    textcoords="offset points", xytext=(10, -4), ha="left", va="top",
                    fontsize=12)
    ax.set_ylim(-2, 20)
    ax.set_xlim(-7.4, 4.4)
    return fig


def test_overlapping_text_finds_two_notes_and_a_note_over_a_tick_label() -> None:
    found = overlapping_text(_greedy_as_it_was())
    assert "'x = 2\\nloss 4\\nslope 4' overlaps 'x = 1\\nloss 1\\nslope 2'" in found
    assert "'x = 1\\nloss 1\\nslope 2' overlaps '2'" in found  # the x axis's tick "2"


def test_overlapping_text_finds_crowded_tick_labels_only_where_drawn() -> None:
    fig, ax = new_figure()
    ax.plot([19998, 20012], [0, 1])
    ax.set_xticks(range(19998, 20013))  # 15 five-digit labels on a phone-wide panel
    assert "'19998' overlaps '19999'" in overlapping_text(fig)
    fig, ax = new_figure()
    ax.plot([0, 4], [0, 1])
    ax.set_xticks(np.arange(-1000, 1001))  # 2001 ticks, of which 0 ... 4 are in view
    ax.set_xlim(0, 4)
    assert overlapping_text(fig) == []


def test_figure_to_svg_refuses_text_over_text_and_check_false_allows_it() -> None:
    with pytest.raises(ValueError, match=r"figure fig-t draws text over text: 'x = 2"):
        figure_to_svg(_greedy_as_it_was(), "fig-t", alt="Two notes.")
    assert figure_to_svg(_greedy_as_it_was(), "fig-t", alt="Two notes.", check=False)


def test_overlapping_text_rejects_a_non_figure() -> None:
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        overlapping_text("figure")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("formula", "shown"),
    [("x**2", "x²"), ("4*x**2", "4x²"), ("0.5*(x**2 + 10*y**2)", "0.5(x² + 10y²)"),
     ("x**-1*y", "x⁻¹·y"), ("x**12", "x¹²")],
)
def test_loss_curve_labels_read_as_formulas_not_python(formula: str, shown: str) -> None:
    from lrtutor.plots import _readable

    assert _readable(formula) == shown


def test_plot_loss_curve_labels_x_squared_with_a_superscript() -> None:
    fig, ax = new_figure()
    line = plot_loss_curve(ax, SQUARE, np.linspace(-1, 1, 5))
    assert line.get_label() == "loss = x²"
