"""Prose numbers that need no pin, page by page, with the reason (the prose-number rule's list).

Read by tests/content/test_prose_numbers.py (the rule) and tests/content/test_drift.py
(which changes each exempt number and expects the rule to report it).
"""

from __future__ import annotations

from pathlib import Path

TRY_IT = (
    "a rate for the reader to type in; the notebook computes what it does when run "
    "(pins are not evaluated in a notebook)"
)

PUBLISHED = "the publication year of a cited work"

#: Per page: phrase (exactly as written in the page, its numbers in brackets) -> why its
#: numbers need no pin. The same words around another number are reported.
#: Keep it short; a number that the code computes is pinned instead.
EXEMPT: dict[str, dict[str, str]] = {
    "direction.md": {
        "[175] billion": "the article's example of a large model, quoted, not computed",
    },
    "decay.md": {
        "`ConstantLR` with factor [1]": "PyTorch's argument for a constant schedule, quoted",
    },
    "playground.py": {
        "then [1.1]: `x` flips": TRY_IT,
        "at [1.1] it grows": TRY_IT,
        "Try [0.001]: stable": TRY_IT,
    },
    "recap.md": {
        'Neural Networks" ([2017])': PUBLISHED,
        "(Distill, [2017])": PUBLISHED,
    },
    "stability.md": {
        "between [−1] and [1] exactly": "the meaning of converging: a factor of size below 1",
    },
    "explorer.md": {
        "from [0.0001] to [1.5]": "the explorer's accepted range (LR_MIN and LR_MAX in "
        "docs/javascripts/explorer.js; tests/test_browser.py checks both ends)",
        "[64]-bit": "the name of the float format (IEEE 754 binary64), not a result",
        "Momentum ([0] to [0.99])": "the explorer's accepted momentum range (MOMENTUM_MAX in "
        "docs/javascripts/explorer.js; tests/test_browser.py runs 0.99 and refuses 1)",
    },
}


def exemptions(page: Path) -> dict[str, str]:
    return EXEMPT.get(page.name, {})
