"""Every figure of the site, drawn by its page's snippet, shows all its data legibly on a phone.

A content rule: it runs the pages' figure code (docs/snippets/fig_*.py) with the helpers of
lrtutor.plots, whose own units are in tests/lrtutor/test_plots.py.
"""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import lrtutor.plots
from lrtutor.plots import hidden_points

SNIPPETS = sorted((Path(__file__).resolve().parents[2] / "docs" / "snippets").glob("fig_*.py"))
#: Width of Material's content column on a 360 px phone (16 px margins), in CSS px.
PHONE_COLUMN = 328
#: Material's table text (0.64 rem of 20 px): the "small text" tick labels must reach.
SMALL_TEXT = 12.8


def run_snippet(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Figure]]:
    """Run a figure snippet as the page does; return its printed HTML and its figures."""
    figures: dict[str, Figure] = {}
    render = lrtutor.plots.figure_to_svg

    def keep(fig: Figure, figure_id: str, **options: object) -> str:
        figures[figure_id] = fig
        return render(fig, figure_id, **{**options, "close": False})

    monkeypatch.setattr(lrtutor.plots, "figure_to_svg", keep)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(path))  # a fresh namespace, like the page's figure session
    return out.getvalue(), figures


def test_every_snippet_is_found() -> None:
    assert len(SNIPPETS) >= 11, SNIPPETS


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.stem)
def test_every_figure_shows_all_its_data_legibly_on_a_phone(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    markup, figures = run_snippet(path, monkeypatch)
    assert figures, f"{path.name} renders no figure"
    assert markup.strip().startswith("<figure") and markup.count("<figcaption>") == 1
    for figure_id, fig in figures.items():
        assert hidden_points(fig) == [], f"{path.name}: {figure_id}"
        # No text is cut off at the figure's edge (a legend wider than a narrow panel).
        fig.draw_without_rendering()
        page = fig.bbox
        for artist in [*fig.legends, *fig.axes[0].texts, fig.axes[0].get_legend(),
                       fig.axes[0].title, fig.axes[0].xaxis.label, fig.axes[0].yaxis.label]:
            if artist is None or not artist.get_visible():
                continue
            box = artist.get_window_extent()
            if box.width == 0:
                continue
            assert (box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1
                    and box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1), (
                f"{figure_id}: {type(artist).__name__} {getattr(artist, 'get_text', str)()!r} "
                f"reaches past the figure's edge")
        assert len(fig.axes) >= 1
        assert sum(ax.get_label() != "<colorbar>" for ax in fig.axes) == 1, (
            f"{figure_id}: one panel per SVG (group panels with figure_html)"
        )
        width_pt = fig.get_figwidth() * 72
        # Shown at most at its natural size (1 pt = 4/3 px), shrunk to the phone column.
        px_per_pt = min(PHONE_COLUMN, width_pt * 4 / 3) / width_pt
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
        assert min(sizes) * px_per_pt >= 12, f"{figure_id}: text of {min(sizes)} pt"
        (ax,) = fig.axes
        ticks = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
        assert ticks, f"{figure_id} has no tick labels"
        smallest = min(t.get_fontsize() for t in ticks) * px_per_pt
        assert smallest >= SMALL_TEXT, f"{figure_id}: tick labels of {smallest:.1f} px"
