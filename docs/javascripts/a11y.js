// On narrow screens wide tables, code blocks and formulas scroll sideways. A
// scrollable region must be reachable by keyboard (WCAG 2.1.1; axe rule
// "scrollable-region-focusable"), so such a box gets a tab stop (and a table box a
// name, and a visible "scrolls sideways" cue) only while it actually scrolls. Runs on every page load, instant navigation
// included, and again when the window is resized.
(function () {
  var boxes = [
    { selector: ".md-typeset__scrollwrap", label: "Table, scrolls sideways" },
    { selector: ".md-typeset pre > code", label: null },
    // A code block with no <code> (the notebook's Markdown cells) scrolls as its <pre>.
    { selector: ".md-typeset .highlight > pre:not(:has(> code))", label: null },
    // A display formula wider than a phone scrolls in its own box (lrtutor.css).
    { selector: ".md-typeset div.arithmatex", label: "Formula, scrolls sideways" },
  ];
  function update() {
    boxes.forEach(function (kind) {
      document.querySelectorAll(kind.selector).forEach(function (box) {
        var scrolls = box.scrollWidth > box.clientWidth + 1;
        // A visible cue too (lrtutor.css): a reader must see that columns are hidden.
        if (kind.label) box.toggleAttribute("data-lr-scrolls", scrolls);
        if (scrolls && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.dataset.lrScrollFocus = "1";
          if (kind.label) {
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", kind.label);
          }
        } else if (!scrolls && box.dataset.lrScrollFocus) {
          box.removeAttribute("tabindex");
          delete box.dataset.lrScrollFocus;
          if (kind.label) {
            box.removeAttribute("role");
            box.removeAttribute("aria-label");
          }
        }
      });
    });
  }
  window.addEventListener("resize", update);
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { requestAnimationFrame(update); });
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
})();
