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

RECAP = (
    "a parameter of the recap's first console block, in the page's opening section "
    "(steps_to_tolerance(SQUARE, 2.0, 0.0001, tol=0.01) and its neighbours): the recap "
    "restates it in a later section, where no code runs"
)

#: Per page: phrase (exactly as written in the page, its numbers in brackets) -> why its
#: numbers need no pin. The same words around another number are reported.
#: Keep it short; a number that the code computes is pinned instead.
EXEMPT: dict[str, dict[str, str]] = {
    "direction.md": {
        "[175] billion": "the article's example of a large model, quoted, not computed",
        'descent" ([2021])': PUBLISHED,
    },
    "learning-rate.md": {
        'descent" ([2021])': PUBLISHED,
        'tip "Is [0.0001] a good': "the tip's title; its body pins the same rate",
    },
    "progress.md": {
        "a rejected rate by [0.8], not": "optax's default decrease_factor, quoted from its "
        "documentation (lrtutor's is the 0.5 pinned beside it)",
    },
    "range-test.md": {
        "lowest loss, divided by [10];": "fastai's rule, quoted (lrtutor.lr_range's minimum "
        "rule; tests/lrtutor/test_lr_range.py checks it)",
        "divides it by [10].": "fastai's rule, as above",
    },
    "real-regression.md": {
        "has no factor [2]. Not": "the exponent's 2 that the ½ cancels, part of the formula",
    },
    "decay.md": {
        "`ConstantLR` with factor [1]": "PyTorch's argument for a constant schedule, quoted",
    },
    "playground.py": {
        "then [1.1]: `x` flips": TRY_IT,
        "at [1.1] it grows": TRY_IT,
        "Try [0.001]: stable": TRY_IT,
    },
    "adaptive.md": {
        "Singer, [2011])": PUBLISHED,
        "[2012]) divides": PUBLISHED,
        "Ba, [2015])": PUBLISHED,
        "coauthors ([2022],": PUBLISHED,
        "Hutter, [2019];": PUBLISHED,
        "such as [0.9], so old": "optax's and Keras's default RMSProp decay, quoted "
        "(run_rmsprop's default; the defaults table below lists each library's)",
        "Both averages start at [0], so": "how Adam's averages are defined (m_0 = v_0 = 0), "
        "the reason for the bias correction, not a result",
        "from an average of [0], so": "RMSProp's v_0 = 0, as above",
        "which optax and Keras start at [0.1],": "their default initial_accumulator_value, "
        "quoted from the table above it",
        "PyTorch's, starting at [0], takes": "PyTorch's default initial_accumulator_value, "
        "quoted from the table above it",
    },
    "recap.md": {
        'Neural Networks" ([2017])': PUBLISHED,
        "(Distill, [2017])": PUBLISHED,
        "to within [0.01] of the": RECAP,
        "a rate of [0.0001] needs": RECAP,
        "and [1.1] never arrives": RECAP,
        "steps to within [0.01]\n": RECAP,
    },
    "stability.md": {
        "between [−1] and [1] exactly": "the meaning of converging: a factor of size below 1",
    },
    "explorer.md": {
        "it stays within [0.01] of the minimum": "the explorer's tolerance (TOL in "
        "docs/javascripts/explorer.js), read before any code on the page runs",
        "from [0.0001] to [1.5]": "the explorer's accepted range (LR_MIN and LR_MAX in "
        "docs/javascripts/explorer.js; tests/site/browser/test_explorer.py checks both ends)",
        "[64]-bit": "the name of the float format (IEEE 754 binary64), not a result",
        "Momentum ([0] to [0.99])": "the explorer's accepted momentum range (MOMENTUM_MAX in "
        "docs/javascripts/explorer.js; tests/site/browser/test_explorer.py runs 0.99 and refuses 1)",
    },
}


def exemptions(page: Path) -> dict[str, str]:
    return EXEMPT.get(page.name, {})
