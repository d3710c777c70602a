"""Claims of issue 19 that a page must not make again, checked against the sources they name."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import lrtutor.schedules as schedules

DOCS = Path(__file__).resolve().parents[2] / "docs"

#: optax's schedule names (``optax/schedules/__init__.py`` at google-deepmind/optax
#: 2edbcbe2, the ``optax.schedules._schedule`` and ``_join`` imports).
OPTAX_SCHEDULES = {
    "constant_schedule", "cosine_decay_schedule", "cosine_onecycle_schedule",
    "exponential_decay", "linear_onecycle_schedule", "linear_schedule",
    "piecewise_constant_schedule", "piecewise_interpolate_schedule", "polynomial_schedule",
    "sgdr_schedule", "warmup_constant_schedule", "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule", "join_schedules",
}


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_decay_page_names_the_source_of_every_non_optax_schedule_name():
    ours = {name for name, obj in vars(schedules).items()
            if inspect.isfunction(obj) and not name.startswith("_")
            and name in getattr(schedules, "__all__", [name])}
    page = _page("decay.md")
    names = page[page.index("builds schedules the way optax does"):page.index("```pycon")]
    missing = [n for n in sorted(ours - OPTAX_SCHEDULES)
               if f"`{n}`" not in names and not (n.startswith("fastai_") and "`fastai_`" in names)]
    assert not missing, f"decay.md calls these optax names or leaves them unnamed: {missing}"


def test_pytorch_three_phase_onecycle_match_is_conditioned():
    # torch/optim/lr_scheduler.py: the second phase ends at 2 * pct_start * total_steps - 2
    assert re.search(r"three_phase=True`.*pct_final.*2 \\times\$ `pct_start`", _page("decay.md"))


def test_overclaims_are_gone():
    gone = {
        "edge-of-stability.md": ["goes no further", "overshoots the line a little"],
        "real-regression.md": ["every page of this site keeps that convention",
                               "Bisection on the learning"],
        "range-test.md": ["never converges"],
        "direction.md": ["A popular write-up"],
        "learning-rate.md": ["the write-up this site follows"],
        "playground.py": ["(the\n# link in the header"],
    }
    found = [(page, phrase) for page, phrases in gone.items() for phrase in phrases
             if phrase in _page(page)]
    assert not found
