"""TeX to MathML at build time, one conversion for the Markdown pages and the notebook.

latex2mathml does the parsing; three faults of its string output are mended here, on
the element tree it returns (``convert_to_element``, its public API):

* **Escaping.** Its ``convert`` serializes the tree and then unescapes the whole
  string, so ``<``, ``>`` and ``&`` written in ``\\text{}``, ``\\mbox{}``,
  ``\\textbf{}``, ``\\operatorname{}`` ... reach the page raw, and a ``<`` opens a tag
  that swallows the rest of the page. We resolve only its own character references
  (``&#x0003C;``) to characters and let ElementTree serialize, which escapes text and
  attribute values (quotes included) correctly everywhere.
* **Upright single letters.** ``\\mathrm{d}`` becomes ``<mi>&#x00064;</mi>`` with no
  ``mathvariant``, and MathML draws a one-letter ``<mi>`` in italics. A plain Latin
  letter only ever arrives as a character reference from an upright font command
  (``\\mathrm``, ``\\mathup``); those get ``mathvariant="normal"``.
* **Absolute values and norms.** ``|x| < 1`` gives three sibling operators; the closing
  bar is then an infix operator, which MathML spaces like a relation ("|x |").
  Bars are paired left to right within each row (when their number there is even)
  and each pair becomes its own ``<mrow>`` with prefix and postfix fences, as
  ``\\left| ... \\right|`` would be, but not stretched. ``|x|^2`` puts the whole
  ``|x|`` under the exponent.

On the Markdown pages the conversion is a Python-Markdown extension
(:class:`MathMLExtension`), so it works wherever Python-Markdown renders the pages (the
table of contents included). The notebook page is
rendered by nbconvert, whose Markdown renderer leaves math as ``$...$`` for MathJax;
:func:`install_notebook_math` routes it through :func:`tex_to_mathml` too.
"""

from __future__ import annotations

import html
import re
from typing import Any
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element
from markdown import Extension
from markdown.postprocessors import Postprocessor

_CHAR_REF = re.compile(r"&#(?:x([0-9A-Fa-f]+)|([0-9]+));")
_BARS = {"|", "\u2016", "\u2223", "\u2225"}  # |, ‖ (\|, \Vert), ∣ (\mid), ∥ (\parallel)
_SCRIPTS = {"msup", "msub", "msubsup"}


def _resolve(text: str) -> str:
    return _CHAR_REF.sub(lambda m: chr(int(m[1], 16) if m[1] else int(m[2])), text)


def _mend_text(math: Element) -> None:
    for element in math.iter():
        if element.text:
            resolved = _resolve(element.text)
            if (
                element.tag == "mi"
                and "mathvariant" not in element.attrib
                and resolved != element.text
                and len(resolved) == 1
                and resolved.isascii()
                and resolved.isalpha()
            ):
                element.set("mathvariant", "normal")
            element.text = resolved
        if element.tail:
            element.tail = _resolve(element.tail)
        for key, value in element.attrib.items():
            element.set(key, _resolve(value))


def _bar(element: Element) -> str | None:
    """The bar character if ``element`` is a bar not already made a fence."""
    if element.tag in ("mo", "mi") and element.text in _BARS and len(element) == 0:
        if element.get("fence") != "true" and "form" not in element.attrib:
            return element.text
    return None


def _closing_bar(element: Element) -> Element | None:
    """The bar ``element`` ends with: itself, or the base of ``|x|^2``'s exponent."""
    if _bar(element):
        return element
    if element.tag in _SCRIPTS and len(element) and _bar(element[0]):
        return element[0]
    return None


def _as_fence(bar: Element, form: str) -> None:
    bar.tag = "mo"
    bar.attrib.clear()
    bar.attrib.update({"fence": "true", "form": form, "stretchy": "false"})


def _group_bars(parent: Element) -> None:
    for child in parent:
        _group_bars(child)
    for char in sorted({bar.text for c in parent if (bar := _closing_bar(c)) is not None}):
        children = list(parent)
        ends = [c for c in children if (bar := _closing_bar(c)) is not None and bar.text == char]
        position = {id(c): i for i, c in enumerate(children)}
        pairs = zip(ends[::2], ends[1::2], strict=False)  # an odd count is refused first
        if (
            len(ends) % 2
            or any(_bar(c) is None for c in ends[::2])
            or any(position[id(b)] - position[id(a)] < 2 for a, b in pairs)
        ):
            continue  # "a | b", "|^2", "||x|-|y||": no pairing to be sure of; left as written
        end_ids = {id(c) for c in ends}
        rebuilt: list[Element] = []
        opened: list[Element] | None = None
        for child in children:
            if id(child) not in end_ids:
                (opened if opened is not None else rebuilt).append(child)
            elif opened is None:
                _as_fence(child, "prefix")
                opened = [child]
            else:
                bar = _closing_bar(child)
                _as_fence(bar, "postfix")
                group = Element("mrow")
                group.extend(opened)
                if bar is child:
                    group.append(child)
                    rebuilt.append(group)
                else:  # |x|^2: the fenced group becomes the base of the script
                    child.remove(bar)
                    group.append(bar)
                    child.insert(0, group)
                    rebuilt.append(child)
                opened = None
        parent[:] = rebuilt


def tex_to_mathml(tex: str, display: str = "inline") -> str:
    """MathML for TeX ``tex`` (``display`` is "inline" or "block"), safe to put in HTML."""
    math = convert_to_element(tex.strip(), display=display)
    _mend_text(math)
    _group_bars(math)
    return tostring(math, encoding="unicode")


# -- the Markdown pages: pymdownx.arithmatex (generic mode) output -----------------------

_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


def math_to_mathml(page_html: str) -> str:
    """Replace arithmatex's generic TeX spans and divs (HTML-escaped TeX) with MathML."""
    page_html = _BLOCK_MATH.sub(
        lambda m: f'<div class="arithmatex">{tex_to_mathml(html.unescape(m[1]), "block")}</div>',
        page_html,
    )
    return _INLINE_MATH.sub(
        lambda m: f'<span class="arithmatex">{tex_to_mathml(html.unescape(m[1]))}</span>',
        page_html,
    )


class _MathMLPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return math_to_mathml(text)


class MathMLExtension(Extension):
    """Python-Markdown extension: arithmatex's generic math as MathML in the HTML output.

    It runs after the raw HTML is put back (arithmatex stashes its output there), so
    list it with ``pymdownx.arithmatex`` (``generic: true``). The toc extension runs
    postprocessors on headings too, so a formula in a heading reaches the table of
    contents as its text ("η<2/L"), never as TeX. MkDocs validates
    ``markdown_extensions`` before it loads hooks, which put this directory on the
    import path, so ``docs/_hooks/lrtutor_site.py`` adds the extension in ``on_config``.
    """

    def extendMarkdown(self, md: Any) -> None:
        md.postprocessors.register(_MathMLPostprocessor(md), "lrtutor_mathml", 1)


def makeExtension(**kwargs: Any) -> MathMLExtension:
    return MathMLExtension(**kwargs)


# -- the notebook page: nbconvert's Markdown renderer --------------------------------------


def _inline_math(self: object, body: str) -> str:
    return f'<span class="arithmatex">{tex_to_mathml(body)}</span>'


def _block_math(self: object, body: str) -> str:
    # Inside the paragraph mistune puts it in, so a span (a div would end the <p>).
    return f'<span class="arithmatex">{tex_to_mathml(body, "block")}</span>'


def _latex_environment(self: object, name: str, body: str) -> str:
    return _block_math(self, f"\\begin{{{name}}}{body}\\end{{{name}}}")


def install_notebook_math() -> None:
    """Make nbconvert's Markdown renderer emit MathML instead of TeX for MathJax.

    nbconvert's HTMLExporter builds its ``IPythonRenderer`` inside its ``markdown2html``
    filter, and neither nbconvert nor mkdocs-jupyter has an option for the math: the
    renderer's ``inline_math``, ``block_math`` and ``latex_environment`` methods, which
    receive the TeX that mistune found, are the narrowest place to convert it
    (mkdocs-jupyter patches the same class's ``heading`` the same way).
    """
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    IPythonRenderer.inline_math = _inline_math
    IPythonRenderer.block_math = _block_math
    IPythonRenderer.latex_environment = _latex_environment
