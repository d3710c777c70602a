"""Browserless checks of built pages: raw TeX left over, and MathML that swallows the page.

Text inside ``<math>`` is checked too (issue 19): TeX commands or ``$...$`` left in
``<mtext>``/``<mi>`` (latex2mathml copies what it does not parse), an ``&`` or a brace
as an identifier or operator (an alignment mark or group shown literally), and what
MathML Core ignores: a ``mathvariant`` other than ``normal`` (the letters stay plain),
a named space width (``negativethinmathspace``) and a ``linebreak``.

A ``<`` that reaches a page unescaped inside ``<math>`` opens an element the browser
never closes, so the rest of the page (content, footer, scripts) ends up inside the
formula. The standard library's tokenizer (:class:`html.parser.HTMLParser`) sees every
tag as the browser's tokenizer does; we follow the open MathML elements and report a
tag that is not MathML, an end tag that does not close the element open, or a
``<math>`` still open when the page's footer begins.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: MathML elements (MathML Core and the presentation elements latex2mathml writes).
MATHML = {
    "math", "mrow", "mi", "mo", "mn", "mtext", "ms", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded", "mphantom", "menclose",
    "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mlabeledtr",
    "mmultiscripts", "mprescripts", "none", "semantics", "annotation", "annotation-xml",
    "maction", "mfenced", "maligngroup", "malignmark", "mglyph",
}
#: Elements whose text is code or not prose: TeX-looking text there is fine.
NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "svg", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}

#: TeX that should have become MathML: delimiters, and backslash commands.
RAW_TEX = re.compile(
    r"\\[()\[\]]|\$\$|\$[^\s$](?:[^$]*[^\s$])?\$(?!\d)"  # \( \[ $$ $x$ (not "$5 or $6")
    r"|\\(?:frac|text|mathrm|eta|left|right|cdot|sqrt|operatorname|alpha|beta|lambda"
    r"|sum|times|le|ge|approx|infty|[a-zA-Z]+\{)"
)


#: Inside math: a TeX command or escape (``\\eta``, ``\\%``) or ``$...$`` is never what a
#: formula shows (a backslash before a word, as in a path, is flagged too: write it apart).
TEX_IN_MATH = re.compile(r"\\(?:[A-Za-z]+|[%&$#_{}])|\$[^$]+\$")
#: Single characters that in an identifier, number or operator mean TeX shown literally.
LITERAL_MARKUP = {"mi": {"&", "{", "}"}, "mn": {"&", "{", "}"}, "mo": {"&"}}
NAMED_SPACE = re.compile(r"(negative)?(very)*(thin|medium|thick)mathspace")
#: A number, a plain space and "%": the line may break between them ("13" / "% below").
BREAKABLE_PERCENT = re.compile(r"\d %")
#: The end of an inline formula with punctuation right after it.
AFTER_INLINE_MATH = re.compile(r"</math></span>(?=[,.;:!?)\]%]|['’]s\b)")
#: The start of the nowrap span that must hold such a formula (a bracket may precede it).
NOWRAP_BEFORE = re.compile(r'<span class="lr-nowrap">[(\[“‘"]?\Z')


class _PageChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.math: list[str] = []  # open MathML elements, outermost first
        self.other: list[str] = []  # open non-MathML elements outside math
        self.maths = 0

    def _where(self) -> str:
        return f"line {self.getpos()[0]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.math:
            if tag in ("footer", "main", "article", "nav", "script"):
                self.problems.append(f"{self._where()}: the page's <{tag}> is inside <math>")
            elif tag not in MATHML:
                self.problems.append(
                    f"{self._where()}: <{tag}> inside <math> (an unescaped '<' in a formula?)"
                )
            self.math.append(tag)
            self._math_attributes(tag, attrs)
        elif tag == "math":
            self.maths += 1
            self.math.append(tag)
        elif tag not in VOID:
            self.other.append(tag)

    def _math_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "mathvariant" and value != "normal":
                self.problems.append(
                    f"{self._where()}: <{tag} mathvariant={value!r}>: MathML Core ignores it "
                    "(use Unicode's mathematical letters)"
                )
            elif name == "width" and value and NAMED_SPACE.fullmatch(value):
                self.problems.append(f"{self._where()}: <{tag} width={value!r}>: not a length")
            elif name == "linebreak":
                self.problems.append(f"{self._where()}: <{tag} linebreak>: MathML Core ignores it")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.math and tag not in MATHML:
            self.problems.append(f"{self._where()}: <{tag}/> inside <math>")
        elif self.math:
            self._math_attributes(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.math:
            if self.math[-1] != tag:
                self.problems.append(
                    f"{self._where()}: </{tag}> closes <{self.math[-1]}> inside <math>"
                )
                if tag in self.math:  # recover like a browser would, to report once
                    del self.math[len(self.math) - 1 - self.math[::-1].index(tag):]
                return
            self.math.pop()
            return
        if tag in self.other:
            del self.other[len(self.other) - 1 - self.other[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self.math:
            tag = self.math[-1]
            for match in TEX_IN_MATH.finditer(data):
                self.problems.append(f"{self._where()}: raw TeX {match[0]!r} in <{tag}>")
            if data.strip() in LITERAL_MARKUP.get(tag, set()):
                self.problems.append(
                    f"{self._where()}: <{tag}>{data.strip()}</{tag}>: TeX markup shown literally"
                )
            return
        if any(tag in NOT_PROSE for tag in self.other):
            return
        for match in RAW_TEX.finditer(data):
            self.problems.append(f"{self._where()}: raw TeX {match[0]!r} outside math and code")
        for match in BREAKABLE_PERCENT.finditer(data):
            self.problems.append(
                f"{self._where()}: {match[0]!r}: a line may break before the % "
                "(the plugin writes a no-break space there)"
            )


def loose_punctuation(page_html: str) -> list[str]:
    """Inline formulas followed by punctuation that a line break may separate from them.

    A ``<math>`` is an atomic inline: a browser may break the line right after it, so
    "..., $x$, so" can put ", so" at the start of a line. The site wraps a formula and
    the punctuation touching it in ``<span class="lr-nowrap">`` (lrtutor_site/mathml.py);
    this finds every formula followed by punctuation that is not so wrapped.
    """
    found = []
    for match in AFTER_INLINE_MATH.finditer(page_html):
        start = page_html.rfind('<span class="arithmatex">', 0, match.start())
        if not NOWRAP_BEFORE.search(page_html, 0, start):
            line = page_html.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: a line may break between a formula and "
                         f"{page_html[match.end():match.end() + 3]!r}")
    return found


def page_problems(page_html: str) -> tuple[list[str], int]:
    """Problems found in ``page_html`` (empty when fine) and the number of formulas."""
    checker = _PageChecker()
    checker.feed(page_html)
    checker.close()
    checker.problems.extend(loose_punctuation(page_html))
    if checker.math:
        checker.problems.append(f"<math> still open at the end of the page: {checker.math[:4]}")
    return checker.problems, checker.maths
