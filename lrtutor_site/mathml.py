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

Four more faults are mended before and after it, and what cannot be mended is refused
(:class:`MathError`, naming the page and line on the site):

* **Text mode.** latex2mathml copies the body of ``\\text{}`` (and ``\\textbf{}``,
  ``\\mbox{}`` ...) into ``<mtext>`` verbatim up to the first ``}``: ``\\%`` keeps its
  backslash, ``\\textbf{best}`` inside it and ``$\\eta$`` stay TeX. We parse text bodies
  ourselves (:func:`_text_pieces`: escapes, nested styles and groups, ``$...$`` math),
  hand latex2mathml a placeholder, and put the pieces in its place. A command we do not
  know there is refused.
* **Alignments.** ``aligned`` is not an environment latex2mathml knows: its ``&`` came
  out as a literal ``<mi>&amp;</mi>``. It is the unnumbered ``align*`` (which it knows),
  ``gathered`` a centred one-column ``array``. ``\\&`` (a real ampersand) becomes text,
  so an ``&`` left in ``<mi>``/``<mo>`` is a stray alignment mark, refused; so is a
  ``\\\\`` line break outside a table, which MathML Core draws on one line.
* **Styles.** MathML Core ignores ``mathvariant`` other than ``normal``, so
  ``\\boldsymbol{x}`` and ``\\textbf{}`` drew plain letters: their characters become
  the Unicode mathematical alphanumerics (``𝒙``), found by Unicode name.
* **Spaces and leftovers.** Named widths (``\\!``: ``negativethinmathspace``) are not
  MathML Core lengths and become ``em``; a TeX command latex2mathml passed through as
  text (``\\label{eq}`` gives ``<mi>\\label</mi>``) is refused.

On the Markdown pages the conversion is a Python-Markdown extension
(:class:`MathMLExtension`), so it works wherever Python-Markdown renders the pages (the
table of contents included). The notebook page is
rendered by nbconvert, whose Markdown renderer leaves math as ``$...$`` for MathJax;
:func:`install_notebook_math` routes it through :func:`tex_to_mathml` too.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element
from markdown import Extension
from markdown.postprocessors import Postprocessor

try:  # in the build, a refusal is a clean MkDocs error; the unit tests need no MkDocs
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover
    _Base = Exception  # type: ignore[assignment,misc]


class MathError(_Base, ValueError):  # type: ignore[misc,valid-type]
    """TeX that would not render as written: raised at build time, naming page and line."""


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


# -- text mode, alignments, styles, spaces -----------------------------------------------

#: Text commands and the style each gives its body (None: inherit).
_TEXT_COMMANDS = {
    "text": None, "textrm": "normal", "textup": "normal", "textnormal": "normal",
    "mbox": None, "hbox": None, "fbox": None, "textbf": "bold", "textit": "italic",
    "emph": "italic", "textsl": "italic", "texttt": "monospace", "textsf": "sans-serif",
}
_TEXT_ESCAPES = {"%": "%", "&": "&", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
                 " ": " ", ",": "\u2009", ";": " ", "~": "~", "^": "^"}
_TEXT_WORDS = {"textbackslash": "\\", "ldots": "\u2026", "dots": "\u2026", "quad": "\u2003",
               "qquad": "\u2003\u2003", "textendash": "\u2013", "textemdash": "\u2014"}
_PLACEHOLDER = re.compile(r"qLRTxt(\d+)q")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")

#: Unicode's names for mathvariant styles ("MATHEMATICAL BOLD ITALIC SMALL X").
_STYLE_NAMES = {
    "bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC",
    "monospace": "MONOSPACE", "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC", "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK", "script": "SCRIPT", "bold-script": "BOLD SCRIPT",
    "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
}
#: Letters Unicode encoded before the block of mathematical alphanumerics (its "holes").
_HOLES = {("ITALIC", "SMALL H"): "\u210e", ("SCRIPT", "CAPITAL B"): "\u212c",
          ("SCRIPT", "CAPITAL E"): "\u2130", ("SCRIPT", "CAPITAL F"): "\u2131",
          ("SCRIPT", "CAPITAL H"): "\u210b", ("SCRIPT", "CAPITAL I"): "\u2110",
          ("SCRIPT", "CAPITAL L"): "\u2112", ("SCRIPT", "CAPITAL M"): "\u2133",
          ("SCRIPT", "CAPITAL R"): "\u211b", ("SCRIPT", "SMALL E"): "\u212f",
          ("SCRIPT", "SMALL G"): "\u210a", ("SCRIPT", "SMALL O"): "\u2134",
          ("DOUBLE-STRUCK", "CAPITAL C"): "\u2102", ("DOUBLE-STRUCK", "CAPITAL H"): "\u210d",
          ("DOUBLE-STRUCK", "CAPITAL N"): "\u2115", ("DOUBLE-STRUCK", "CAPITAL P"): "\u2119",
          ("DOUBLE-STRUCK", "CAPITAL Q"): "\u211a", ("DOUBLE-STRUCK", "CAPITAL R"): "\u211d",
          ("DOUBLE-STRUCK", "CAPITAL Z"): "\u2124", ("FRAKTUR", "CAPITAL C"): "\u212d",
          ("FRAKTUR", "CAPITAL H"): "\u210c", ("FRAKTUR", "CAPITAL I"): "\u2111",
          ("FRAKTUR", "CAPITAL R"): "\u211c", ("FRAKTUR", "CAPITAL Z"): "\u2128"}
#: MathML 3's named spaces (in 18ths of an em), which MathML Core does not know.
_NAMED_SPACES = {"veryverythin": 1, "verythin": 2, "thin": 3, "medium": 4, "thick": 5,
                 "verythick": 6, "veryverythick": 7}
_NAMED_SPACE = re.compile(r"(negative)?(" + "|".join(_NAMED_SPACES) + r")mathspace")


def _combine(outer: str | None, inner: str | None) -> str | None:
    if inner is None:
        return outer
    if inner == "normal" or outer in (None, "normal"):
        return inner
    parts = set(outer.split("-")) | set(inner.split("-"))
    for name in ("sans-serif-bold-italic", "bold-italic", "bold-sans-serif", "sans-serif-italic"):
        if parts == set(name.split("-")):
            return name
    return inner


def styled(text: str, style: str | None) -> str:
    """``text`` in the Unicode mathematical letters and digits of ``style`` (a mathvariant).

    Characters with no styled form (spaces, punctuation) stay as they are; a letter or
    digit that has none is refused, so a style is never dropped silently.
    """
    if style in (None, "normal"):
        return text
    if style not in _STYLE_NAMES:
        raise MathError(f"mathvariant {style!r} has no Unicode letters here; write it another way")
    prefix = _STYLE_NAMES[style]
    out = []
    for char in text:
        if not char.isalnum():
            out.append(char)
            continue
        name = unicodedata.name(char, "")
        match = re.fullmatch(r"(?:LATIN|GREEK) (CAPITAL|SMALL) LETTER (\w+)|DIGIT (\w+)", name)
        if name.startswith("MATHEMATICAL ") or char in _HOLES.values():
            out.append(char)  # already styled (\mathbb, \mathcal)
            continue
        if match is None:
            raise MathError(f"{char!r} has no {style} form in Unicode; write it without the style")
        key = f"{match[1]} {match[2]}" if match[1] else f"DIGIT {match[3]}"
        if (prefix, key) in _HOLES:
            out.append(_HOLES[(prefix, key)])
            continue
        try:
            out.append(unicodedata.lookup(f"MATHEMATICAL {prefix} {key}"))
        except KeyError:
            raise MathError(
                f"{char!r} has no {style} form in Unicode; write it without the style"
            ) from None
    return "".join(out)


def _group_end(tex: str, start: int) -> int:
    """Index of the ``}`` closing the group whose ``{`` is at ``start``."""
    depth = 0
    index = start
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            index += 2
            continue
        depth += (char == "{") - (char == "}")
        if depth == 0:
            return index
        index += 1
    raise MathError(f"unbalanced braces in {tex!r}")


Piece = tuple[str, str, "str | None"]  # ("text", text, style) or ("math", tex, style)


def _text_pieces(body: str, style: str | None) -> list[Piece]:
    """The pieces of a text-mode ``body``: text with its style, and ``$...$`` math."""
    pieces: list[Piece] = []

    def add(text: str, text_style: str | None = style) -> None:
        if pieces and pieces[-1][0] == "text" and pieces[-1][2] == text_style:
            pieces[-1] = ("text", pieces[-1][1] + text, text_style)
        else:
            pieces.append(("text", text, text_style))

    index = 0
    while index < len(body):
        char = body[index]
        if char == "$":
            end = body.find("$", index + 1)
            while end > 0 and body[end - 1] == "\\":
                end = body.find("$", end + 1)
            if end < 0:
                raise MathError(f"unclosed $ inside text: {body!r}")
            pieces.append(("math", body[index + 1 : end], style))
            index = end + 1
        elif char == "{":
            end = _group_end(body, index)
            for piece in _text_pieces(body[index + 1 : end], style):
                if piece[0] == "text":
                    add(piece[1], piece[2])
                else:
                    pieces.append(piece)
            index = end + 1
        elif char == "}":
            raise MathError(f"unbalanced braces inside text: {body!r}")
        elif char == "~":
            add("\u00a0")
            index += 1
        elif char == "\\":
            command = _COMMAND.match(body, index)
            name = command[1] if command else ""
            index = command.end() if command else index + 1
            if name in _TEXT_ESCAPES:
                add(_TEXT_ESCAPES[name])
            elif name in _TEXT_WORDS:
                add(_TEXT_WORDS[name])
                if body[index : index + 2] == "{}":
                    index += 2
            elif name in _TEXT_COMMANDS:
                while body[index : index + 1].isspace():
                    index += 1
                if body[index : index + 1] != "{":
                    raise MathError(f"\\{name} without a {{...}} argument inside text: {body!r}")
                end = _group_end(body, index)
                inner = _combine(style, _TEXT_COMMANDS[name])
                for piece in _text_pieces(body[index + 1 : end], inner):
                    if piece[0] == "text":
                        add(piece[1], piece[2])
                    else:
                        pieces.append(piece)
                index = end + 1
            else:
                raise MathError(
                    f"\\{name} inside \\text{{}} is not supported (it would show as TeX): "
                    f"{body!r}; move it out of the text, or write plain text"
                )
        else:
            add(char)
            index += 1
    return pieces


def _extract_text(tex: str, pieces: list[list[Piece]]) -> str:
    """``tex`` with every text-mode body (and ``\\&``) replaced by a placeholder."""
    out = []
    index = 0
    while index < len(tex):
        char = tex[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        command = _COMMAND.match(tex, index)
        assert command is not None
        name = command[1]
        if name == "&":
            pieces.append([("text", "&", None)])
            out.append(f"\\text{{qLRTxt{len(pieces) - 1}q}}")
            index = command.end()
            continue
        if name in _TEXT_COMMANDS:
            start = command.end()
            while tex[start : start + 1].isspace():
                start += 1
            if tex[start : start + 1] == "{":
                end = _group_end(tex, start)
                pieces.append(_text_pieces(tex[start + 1 : end], _TEXT_COMMANDS[name]))
                keep = name if name == "fbox" else "text"
                out.append(f"\\{keep}{{qLRTxt{len(pieces) - 1}q}}")
                index = end + 1
                continue
        if name == "label":
            raise MathError(r"\label{} has no use here (nothing refers to it) and shows as TeX")
        out.append(command[0])
        index = command.end()
    return "".join(out)


_ENVIRONMENTS = [
    (re.compile(r"\\begin\{aligned\}"), r"\begin{align*}"),
    (re.compile(r"\\end\{aligned\}"), r"\end{align*}"),
    (re.compile(r"\\begin\{(?:gathered|gather\*?)\}"), r"\begin{array}{c}"),
    (re.compile(r"\\end\{(?:gathered|gather\*?)\}"), r"\end{array}"),
]


def _text_element(pieces: list[Piece], element: Element) -> None:
    """Make the placeholder ``element`` (an <mtext>) show ``pieces``."""
    element.attrib.pop("mathvariant", None)

    def mtext(text: str, style: str | None) -> Element:
        node = Element("mtext")
        # HTML collapses and trims spaces in <mtext>: keep TeX's as no-break spaces.
        node.text = styled(text, style).replace(" ", "\u00a0")
        return node

    if len(pieces) == 1 and pieces[0][0] == "text":
        element.text = mtext(pieces[0][1], pieces[0][2]).text
        return
    element.tag = "mrow"
    element.text = None
    for kind, content, style in pieces:
        if kind == "text":
            element.append(mtext(content, style))
        else:
            inner = _element(content, "inline")
            if style not in (None, "normal"):  # \textbf{... $x$ ...}: bold math too
                for node in inner.iter():
                    if node.text and node.tag in ("mi", "mn"):
                        node.set("mathvariant", _combine("italic" if node.tag == "mi" and
                                 len(node.text) == 1 and "mathvariant" not in node.attrib
                                 else node.get("mathvariant"), style) or style)
                _restyle(inner)
            element.extend(list(inner))


def _restyle(math: Element) -> None:
    """Styles as Unicode letters (MathML Core ignores mathvariant other than normal)."""
    for element in math.iter():
        variant = element.get("mathvariant")
        if variant not in (None, "normal"):
            element.text = styled(element.text or "", variant)
            del element.attrib["mathvariant"]
        width = element.get("width")
        if element.tag == "mspace" and width and (named := _NAMED_SPACE.fullmatch(width)):
            sign = "-" if named[1] else ""
            element.set("width", f"{sign}{_NAMED_SPACES[named[2]] / 18:.4f}em")


def _refuse_leftovers(math: Element, tex: str) -> None:
    tables = {id(e) for t in math.iter("mtable") for e in t.iter()}
    for element in math.iter():
        text = element.text or ""
        if re.search(r"\\[A-Za-z]", text) or (len(text) > 1 and "\\" in text):
            raise MathError(f"{text!r} is not a TeX command latex2mathml knows: it shows as TeX")
        if "&" in text and element.tag in ("mi", "mo", "mn"):
            raise MathError(
                "an '&' outside an alignment shows literally: use "
                r"\begin{aligned} ... \end{aligned}, or \& for an ampersand"
            )
        if element.tag == "mspace" and element.get("linebreak") and id(element) not in tables:
            raise MathError(
                r"a line break \\ outside an alignment: MathML Core draws it on one line; "
                r"use \begin{aligned} ... \end{aligned}"
            )


def _element(tex: str, display: str) -> Element:
    pieces: list[list[Piece]] = []
    source = _extract_text(tex.strip(), pieces)
    for pattern, replacement in _ENVIRONMENTS:
        source = pattern.sub(lambda _m, r=replacement: r, source)
    math = convert_to_element(source, display=display)
    _mend_text(math)
    _refuse_leftovers(math, tex)  # before the text goes in: it may hold a backslash
    for element in list(math.iter()):
        if element.tag == "mtext" and (hit := _PLACEHOLDER.fullmatch(element.text or "")):
            _text_element(pieces[int(hit[1])], element)
    _restyle(math)
    if any(_PLACEHOLDER.search(t) for t in math.itertext()):
        raise MathError("text in this formula was lost by latex2mathml")  # pragma: no cover
    return math


def tex_to_mathml(tex: str, display: str = "inline") -> str:
    """MathML for TeX ``tex`` (``display`` is "inline" or "block"), safe to put in HTML.

    Raises:
        MathError: ``tex`` holds something that would not render as written (a TeX
            command left as text, a stray ``&``, a style with no Unicode form).
    """
    try:
        math = _element(tex, display)
    except MathError as error:
        raise MathError(f"${tex.strip()}$: {error}") from None
    _group_bars(math)
    return tostring(math, encoding="unicode")


# -- the Markdown pages: pymdownx.arithmatex (generic mode) output -----------------------

_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


#: The page being rendered (set by the site hook), so a refusal names page and line.
_PAGE: dict[str, str] = {}


def set_page(path: str, markdown: str) -> None:
    """Name the page (its path and Markdown) whose math is converted next."""
    _PAGE.update(path=path, markdown=markdown)


def _located(tex: str, display: str) -> str:
    try:
        return tex_to_mathml(tex, display)
    except MathError as error:
        markdown = _PAGE.get("markdown", "")
        at = markdown.find(tex.strip())
        if at < 0:
            at = markdown.find(tex.strip()[:20])
        where = _PAGE.get("path", "a page")
        if at >= 0:
            where += f":{markdown.count(chr(10), 0, at) + 1}"
        raise MathError(f"{where}: {error}") from None


def math_to_mathml(page_html: str) -> str:
    """Replace arithmatex's generic TeX spans and divs (HTML-escaped TeX) with MathML."""
    page_html = _BLOCK_MATH.sub(
        lambda m: f'<div class="arithmatex">{_located(html.unescape(m[1]), "block")}</div>',
        page_html,
    )
    page_html = _INLINE_MATH.sub(
        lambda m: f'<span class="arithmatex">{_located(html.unescape(m[1]), "inline")}</span>',
        page_html,
    )
    return hold_punctuation(page_html)


#: An inline formula as MathML, with a bracket before it and punctuation (or an "'s")
#: right after it.
_TOUCHING = re.compile(
    r'(?P<before>[(\[“‘"]?)'
    r'(?P<math><span class="arithmatex"><math\b[^>]*display="inline".*?</math></span>)'
    r"(?P<after>(?:[,.;:!?)\]”’\"%]|['’]s\b)*)",
    re.S,
)


def hold_punctuation(page_html: str) -> str:
    """Keep each inline formula on one line with the punctuation that touches it.

    A browser may break a line between a ``<math>`` element and the comma after it (an
    atomic inline offers a break on both sides), leaving ", so" to start the next line;
    so a bracket before the formula, and punctuation or an "'s" after it, share a
    ``white-space: nowrap`` span with it (``lr-nowrap`` in docs/stylesheets/lrtutor.css).
    The pages get it in ``math_to_mathml``; the plugin applies it to the notebook page,
    whose math nbconvert's renderer converts one formula at a time. Apply it once.
    """

    def hold(match: re.Match[str]) -> str:
        before, after = match["before"], match["after"]
        if not before and not after:
            return match[0]
        return f'<span class="lr-nowrap">{before}{match["math"]}{after}</span>'

    return _TOUCHING.sub(hold, page_html)


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
    import path, so ``lrtutor_site/plugin.py`` adds the extension in ``on_config``.
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
