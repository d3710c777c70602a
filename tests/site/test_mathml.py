"""TeX to MathML (lrtutor_site/mathml.py): escaping, upright letters, bars, notebook.

Each case is checked on the MathML itself, parsed as XML (a formula that does not parse,
or whose text lost a character, fails), and on a page holding it with the browserless
checks of tests/support/page_html.py (nothing after the formula ends up inside it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from lrtutor_site import mathml as lrtutor_math
from lrtutor_site.mathml import MathError, math_to_mathml, styled, tex_to_mathml

from ..support.page_html import page_problems

NS = "{http://www.w3.org/1998/Math/MathML}"

#: TeX constructs that carry text, each with a "{}" for the text.
TEXT_CONSTRUCTS = [
    r"\text{%s}", r"\textrm{%s}", r"\textbf{%s}", r"\textit{%s}", r"\texttt{%s}",
    r"\textsf{%s}", r"\mbox{%s}", r"\hbox{%s}", r"\fbox{%s}",
]
#: The style each construct draws its text in (as Unicode letters: MathML Core ignores
#: mathvariant other than normal).
STYLE = {r"\textbf{%s}": "bold", r"\textit{%s}": "italic", r"\texttt{%s}": "monospace",
         r"\textsf{%s}": "sans-serif"}
#: Every character HTML treats specially, in text that also has ordinary letters.
SPECIAL = ["x<y", "x>y", "a&b", 'say "hi"', "it's", "<b>bold</b>", "a&lt;b"]


def parse(mathml: str) -> ET.Element:
    return ET.fromstring(mathml)


def on_page(mathml: str) -> str:
    return (
        f"<main><p>before <span class=\"arithmatex\">{mathml}</span> after</p></main>"
        "<footer><p>footer</p></footer><script>var a = 1;</script>"
    )


@pytest.mark.parametrize("construct", TEXT_CONSTRUCTS)
@pytest.mark.parametrize("text", SPECIAL)
def test_text_is_escaped_in_every_construct(construct: str, text: str) -> None:
    mathml = tex_to_mathml(construct % text)
    shown = "".join(parse(mathml).itertext()).replace("\u00a0", " ")
    assert styled(text, STYLE.get(construct)) in shown, (construct, mathml)
    assert "mathvariant" not in mathml
    problems, count = page_problems(on_page(mathml))
    assert count == 1 and problems == [], problems


@pytest.mark.parametrize("tex", [r"\operatorname{a<b}", r"\mathrm{a<b}", r"a < b > c \& d"])
def test_math_mode_specials_stay_inside_the_formula(tex: str) -> None:
    mathml = tex_to_mathml(tex)
    parse(mathml)
    problems, count = page_problems(on_page(mathml))
    assert count == 1 and problems == [], problems


def test_attribute_values_are_escaped() -> None:
    mathml = tex_to_mathml(r'\href{https://example.org/?a="b"&c<d}{x}')
    element = next(e for e in parse(mathml).iter() if "href" in e.attrib)
    assert element.get("href") == 'https://example.org/?a="b"&c<d'


def test_the_instance_from_the_issue_no_longer_swallows_the_page() -> None:
    mathml = tex_to_mathml(r"\text{x<y}")
    assert "<mtext>x&lt;y</mtext>" in mathml
    assert page_problems(on_page(mathml)) == ([], 1)


def upright(tex: str) -> dict[str, str | None]:
    """Each single-letter <mi> of ``tex`` and its mathvariant."""
    return {e.text: e.get("mathvariant") for e in parse(tex_to_mathml(tex)).iter(f"{NS}mi")}


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\mathrm{d}x", {"d": "normal", "x": None}),
        (r"\mathrm{e}^{-t}", {"e": "normal", "t": None}),
        (r"\mathrm{D}", {"D": "normal"}),
        (r"{\rm d}x", {"d": "normal", "x": None}),
        (r"dx", {"d": None, "x": None}),
        (r"\alpha", {"\u03b1": None}),
    ],
)
def test_single_upright_letters_are_normal(tex: str, expected: dict[str, str | None]) -> None:
    assert upright(tex) == expected


def fenced_groups(mathml: str) -> list[list[str]]:
    """The contents (tags and texts) of every <mrow> opened by a prefix fence."""
    groups = []
    for row in parse(mathml).iter(f"{NS}mrow"):
        children = list(row)
        if children and children[0].get("form") == "prefix":
            assert children[-1].get("form") == "postfix", mathml
            groups.append([c.text or c.tag.replace(NS, "") for c in children])
    return groups


def test_absolute_value_is_one_fenced_group() -> None:
    mathml = tex_to_mathml(r"|x| < 0.01")
    assert fenced_groups(mathml) == [["|", "x", "|"]]
    outer = parse(mathml)[0]
    # The relation is outside the group, so the closing bar is not an infix operator.
    assert [c.text for c in outer if c.tag == f"{NS}mo"] == ["<"]
    for bar in parse(mathml).iter(f"{NS}mo"):
        if bar.text == "|":
            assert bar.get("stretchy") == "false" and bar.get("fence") == "true"


@pytest.mark.parametrize(
    ("tex", "groups"),
    [
        (r"|a| + |b|", [["|", "a", "|"], ["|", "b", "|"]]),
        (r"\|x\| \le 1", [["\u2016", "x", "\u2016"]]),
        (r"\vert x \vert", [["|", "x", "|"]]),
        (r"f(|x - 1|)", [["|", "x", "\u2212", "1", "|"]]),
        (r"P(A | B)", []),  # one bar is a separator, not a fence
        (r"||x| - |y||", []),  # ambiguous: left as written (use \left| \right|)
    ],
)
def test_bars_pair_left_to_right(tex: str, groups: list[list[str]]) -> None:
    assert fenced_groups(tex_to_mathml(tex)) == groups


def test_exponent_of_an_absolute_value_takes_the_whole_group() -> None:
    root = parse(tex_to_mathml(r"|x|^2"))
    (power,) = root.iter(f"{NS}msup")
    base, exponent = list(power)
    assert base.tag == f"{NS}mrow" and [c.text for c in base] == ["|", "x", "|"]
    assert exponent.text == "2"


def test_arithmatex_output_is_replaced() -> None:
    page = (
        '<p><span class="arithmatex">\\(\\text{x&lt;y}\\)</span></p>'
        '<div class="arithmatex">\\[|x| &lt; 1\\]</div>'
    )
    converted = math_to_mathml(page)
    assert "\\(" not in converted and "\\[" not in converted
    assert 'display="block"' in converted and "<mtext>x&lt;y</mtext>" in converted
    assert page_problems(converted + "<footer></footer>") == ([], 2)


def test_notebook_markdown_math_is_converted_by_the_same_function() -> None:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    lrtutor_math.install_notebook_math()
    rendered = markdown2html_mistune(
        "Stable for $$0 < \\eta < \\frac{2}{L}$$ and $|x| < 0.01$, code `$x$`.\n\n"
        "\\begin{align}a &= b\\end{align}\n"
    )
    assert rendered.count("<math") == 3, rendered
    assert tex_to_mathml(r"0 < \eta < \frac{2}{L}", "block") in rendered
    assert tex_to_mathml(r"|x| < 0.01") in rendered
    assert "<code>$x$</code>" in rendered  # code stays code
    # The plugin then holds punctuation to its formula on the notebook page, as here.
    problems, count = page_problems(lrtutor_math.hold_punctuation(rendered) + "<footer></footer>")
    assert problems == [] and count == 3


# -- issue 19: constructs that rendered wrongly while every check passed ------------------


def shown(tex: str, display: str = "inline") -> str:
    return "".join(parse(tex_to_mathml(tex, display)).itertext()).replace("\u00a0", " ")


def test_aligned_is_a_table_without_literal_ampersands() -> None:
    mathml = tex_to_mathml(r"\begin{aligned} f(x) &= 2x + y \\ &= 3 \end{aligned}", "block")
    root = parse(mathml)
    rows = list(root.iter(f"{NS}mtr"))
    assert len(rows) == 2 and all(len(list(r.iter(f"{NS}mtd"))) == 2 for r in rows)
    assert "&" not in "".join(root.itertext())
    assert "linebreak" not in mathml and "(1)" not in mathml  # unnumbered
    assert page_problems(on_page(mathml)) == ([], 1)


def test_gathered_is_a_one_column_table() -> None:
    root = parse(tex_to_mathml(r"\begin{gathered} a \\ b \end{gathered}", "block"))
    assert [len(list(r)) for r in root.iter(f"{NS}mtr")] == [1, 1]


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\text{50\% of } x", "50% of x"),
        (r"\text{a\_b \$5 \#1 \{x\} \& c}", "a_b $5 #1 {x} & c"),
        (r"\text{a\textbackslash{} b}", "a\\ b"),
        (r"\text{a~b}", "a b"),
        (r"\text{the {grouped} rate}", "the grouped rate"),
        (r"a \& b", "a&b"),
    ],
)
def test_text_escapes_become_their_characters(tex: str, text: str) -> None:
    assert shown(tex) == text
    assert page_problems(on_page(tex_to_mathml(tex))) == ([], 1)


def test_nested_style_inside_text_is_unicode_bold() -> None:
    mathml = tex_to_mathml(r"\text{the \textbf{best} rate}")
    assert shown(r"\text{the \textbf{best} rate}") == "the 𝐛𝐞𝐬𝐭 rate"
    assert "\\" not in mathml and "mathvariant" not in mathml


def test_math_inside_text_is_math() -> None:
    root = parse(tex_to_mathml(r"\text{rate $\eta$ and } x"))
    assert [e.text for e in root.iter(f"{NS}mi")] == ["\u03b7", "x"]
    assert "$" not in "".join(root.itertext())
    assert [e.text for e in root.iter(f"{NS}mtext")] == ["rate\u00a0", "\u00a0and\u00a0"]


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\boldsymbol{x}", "𝒙"), (r"\bm{\beta}", "𝜷"), (r"\mathbf{2}", "𝟐"),
        (r"\mathbf{\eta}", "𝛈"), (r"\mathit{h}", "ℎ"), (r"\emph{a}", "𝑎"),
    ],
)
def test_styles_are_unicode_letters_not_mathvariant(tex: str, text: str) -> None:
    mathml = tex_to_mathml(tex)
    assert shown(tex) == text and "mathvariant" not in mathml


def test_named_spaces_become_lengths() -> None:
    mathml = tex_to_mathml(r"a\!b")
    assert 'width="-0.1667em"' in mathml and "mathspace" not in mathml


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        (r"x \label{eq}", "label"),
        (r"\foo x", "foo"),
        (r"a & b", "alignment"),
        (r"a \\ b", "line break"),
        (r"\text{see \cite{x}}", "cite"),
        (r"\text{unclosed $x}", "unclosed"),
    ],
)
def test_what_would_show_as_tex_is_refused(tex: str, reason: str) -> None:
    with pytest.raises(MathError, match=reason):
        tex_to_mathml(tex)


#: Each instance of issue 19 as latex2mathml alone renders it: what the page check,
#: which skipped text inside <math>, let through.
ISSUE_19 = [
    r"\begin{aligned} f(x) &= 2x + y \\ &= 3 \end{aligned}",
    r"\text{50\% of } x",
    r"\text{the \textbf{best} rate}",
    r"\text{rate $\eta$ and } x",
    r"\boldsymbol{x}",
    r"a\!b",
    r"x \label{eq}",
    r"a & b",
]


@pytest.mark.parametrize("tex", ISSUE_19)
def test_page_check_looks_inside_math(tex: str) -> None:
    from latex2mathml.converter import convert

    problems, count = page_problems(on_page(convert(tex, display="block")))
    assert count == 1 and problems, tex


@pytest.mark.parametrize("tex", [t for t in ISSUE_19 if t not in (r"x \label{eq}", r"a & b")])
def test_issue_19_instances_render_and_pass_the_page_check(tex: str) -> None:
    assert page_problems(on_page(tex_to_mathml(tex, "block"))) == ([], 1)


def test_page_check_accepts_ordinary_math() -> None:
    for tex in (r"\{x\} \cup \backslash", r"\mathbf{x}", r"\$5", r"\text{costs \$5}"):
        assert page_problems(on_page(tex_to_mathml(tex))) == ([], 1), tex


def test_refusal_in_a_page_names_page_and_line() -> None:
    import markdown

    page = "# Title\n\nSome text.\n\nThen $x \\label{eq}$ here.\n"
    lrtutor_math.set_page("docs/some-page.md", page)
    md = markdown.Markdown(
        extensions=["pymdownx.arithmatex", lrtutor_math.MathMLExtension()],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    with pytest.raises(MathError, match=r"docs/some-page\.md:5: .*label"):
        md.convert(page)


# -- a line never starts with the punctuation after a formula (the review of issue 19)


def _inline(tex: str) -> str:
    return f'<span class="arithmatex">\\({tex}\\)</span>'


@pytest.mark.parametrize(
    ("html_in", "before", "after"),
    [
        (f"then {_inline('x^2')}, so", "", ","),
        (f"at {_inline('L')}'s rate", "", "'s"),
        (f"({_inline('v')}).", "(", ")."),
        (f"share {_inline('2/L')}: half", "", ":"),
    ],
)
def test_punctuation_touching_a_formula_stays_on_its_line(
    html_in: str, before: str, after: str
) -> None:
    out = lrtutor_math.math_to_mathml(html_in)
    assert re.search(
        rf'<span class="lr-nowrap">{re.escape(before)}<span class="arithmatex"><math .*?</math>'
        rf"</span>{re.escape(after)}</span>", out, re.S), out
    assert page_problems(f"<p>{out}</p>")[0] == []


def test_a_formula_with_spaces_around_it_is_not_wrapped() -> None:
    out = lrtutor_math.math_to_mathml(f"the {_inline('x')} and")
    assert "lr-nowrap" not in out


def test_the_page_check_finds_a_formula_whose_comma_may_wrap() -> None:
    bare = '<p>then <span class="arithmatex"><math display="inline"><mi>x</mi></math></span>, so</p>'
    problems, _ = page_problems(bare)
    assert problems == ["line 1: a line may break between a formula and ', s'"]


def test_a_number_keeps_its_percent_sign_on_its_line() -> None:
    from lrtutor_site.plugin import _keep_percent_signs

    page = "<p>13 % below</p><pre>x = 13 % 5</pre><code>7 % 2</code><svg><text>5 %</text></svg>"
    assert _keep_percent_signs(page) == page.replace("13 % below", "13\u00a0% below")
    assert page_problems("<p>13 % below</p>")[0] == [
        "line 1: '3 %': a line may break before the % (the plugin writes a no-break space there)"]
    assert page_problems(_keep_percent_signs("<p>13 % below</p>"))[0] == []
