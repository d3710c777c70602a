"""Figure helpers: deterministic, inline-safe SVG; helpers return what they drew."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.lines import Line2D

from lrtutor import SQUARE, run_gradient_descent
from lrtutor.plots import (
    figure_html,
    figure_to_svg,
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
    figure_to_svg(fig, "fig-x", alt="test figure with four lines")


def test_new_figure_grid_shapes() -> None:
    assert new_figure()[1].__class__.__name__ == "Axes"
    assert new_figure(3)[1].shape == (3,)
    assert new_figure(nrows=2)[1].shape == (2,)
    assert new_figure(2, nrows=2)[1].shape == (2, 2)


def test_figure_html_wraps_and_escapes() -> None:
    markup = figure_html(draw("fig-c"), "x < 1 & y")
    assert markup.startswith('<figure class="lr-figure-box" tabindex="0"><svg id="fig-c"')
    assert markup.endswith("<figcaption>x &lt; 1 &amp; y</figcaption></figure>")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda fig: figure_to_svg(fig, "1bad", alt="something"), "figure_id"),
        (lambda fig: figure_to_svg(fig, "has space", alt="something"), "figure_id"),
        (lambda fig: figure_to_svg(fig, "ok", alt="  "), "alt"),
        (lambda fig: figure_html("<div>", "caption"), "svg"),
        (lambda fig: figure_html(draw("fig-d"), ""), "caption"),
        (lambda fig: new_figure(0), "ncols"),
        (lambda fig: new_figure(nrows=0), "nrows"),
    ],
)
def test_bad_input(call, match) -> None:
    fig, _ = new_figure()
    with pytest.raises(ValueError, match=match):
        call(fig)
