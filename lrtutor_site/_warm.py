"""Warm matplotlib up in the fork server, so every forked worker starts warm.

The fork server imports this module (``engine.PRELOAD``). Drawing one small figure
here, through ``lrtutor.plots`` like the pages do, with log axes (their tick labels are
mathtext, ``$10^{2}$``) fills matplotlib's font cache, its text-layout caches and its
mathtext parser, which a process otherwise builds on its first figure: about 0.8 s of
CPU that each session of a page with log axes paid again. Caches change no output: the
builds stay byte-identical (tests/site/test_reproducible.py).
"""

from __future__ import annotations

from lrtutor.plots import figure_to_svg, new_figure


def warm_up() -> None:
    """Draw and render one figure with log axes, a legend and a mathtext label."""
    fig, ax = new_figure()
    ax.plot([1, 10, 100], [1, 0.1, 0.01], marker="o", label="warm-up")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("$B$ (log scale)")
    ax.legend()
    figure_to_svg(fig, "warm-up", alt="warm-up")  # the markup is dropped: the caches stay


warm_up()
