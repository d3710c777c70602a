"""The explorer in a real browser: its numbers against lrtutor's digit for digit, its
controls, its regimes and its layout on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from lrtutor import SQUARE, momentum_critical_learning_rate, run_adam, run_momentum_descent


from .explorer_model import (
    ADAM_REGIME,
    ADAM_STEP_BOUND,
    EXPLORER_READY,
    FIELDS,
    SETTINGS,
    apply,
    expected,
    lrtutor_rate,
    momentum_of,
    optimiser_of,
    reached_by_lrtutor,
    regime_for,
    run_for,
    shown,
)
from .harness import EXPLORER, Visit

pytestmark = pytest.mark.browser


def test_explorer_defaults_match_lrtutor_and_the_page(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    setting = {"lr": page.locator("[data-lrx=lr]").input_value(),
               "schedule": page.locator("[data-lrx=schedule]").input_value(),
               "optimiser": page.locator("[data-lrx=optimiser]").input_value()}
    assert setting["optimiser"] == "gd"
    for control, key in FIELDS.items():
        setting[key] = page.locator(f"[data-lrx={control}]").input_value()
    want = expected(setting)
    assert shown(page) == want
    console = " ".join(page.locator("article .highlight").all_inner_texts())
    for key in ("final-x", "final-loss"):  # the reader can compare with the console block
        assert want[key] in console, f"the page's console block does not show {want[key]}"
    explorer.assert_clean("explorer defaults")


@pytest.mark.parametrize("setting", SETTINGS.values(), ids=SETTINGS.keys())
def test_explorer_agrees_with_lrtutor(explorer: Visit, setting: dict[str, str]) -> None:
    page = explorer.page
    apply(page, setting)
    assert page.locator("[data-lrx=error]").is_hidden()
    want, got = expected(setting), shown(page)
    assert got == want
    rate = lrtutor_rate(setting)
    text = page.locator("[data-lrx=regime]").inner_text()
    if optimiser_of(setting) == "adam":
        assert text.startswith(ADAM_REGIME + ": Adam's rate is a step length"), text
    elif callable(rate):
        n = int(setting["steps"])
        last = rate(n - 1)
        last_name = regime_for(last, momentum_of(setting)) if last > 0 else "stopped (rate 0)"
        first_name = want["regime"].removesuffix(" (rate 0)")
        last_name = last_name.removesuffix(" (rate 0)")
        assert text.startswith(f"schedule: {first_name} at the first step (rate "), text
        if last_name == first_name:
            assert " and at the last (rate " in text and "changes" not in text, text
        else:
            assert f", {last_name} at the last (rate " in text, text
            assert text.endswith("the regime changes with the rate"), text
        assert text.count("stopped") <= 1 and "(rate 0) at" not in text, text
    else:
        assert text.startswith(want["regime"] + ":"), text
    for name in ("curve", "loss"):
        label = page.locator(f"svg[data-lrx={name}]").get_attribute("aria-label")
        assert want["final-x" if name == "curve" else "final-loss"] in label, label
    explorer.assert_clean(f"explorer {setting}")


def test_explorer_arithmetic_is_lrtutors_bit_for_bit(explorer: Visit) -> None:
    """The script's runs equal lrtutor's float for float, not just to six digits."""
    for setting in SETTINGS.values():
        x0, n = float(setting["x0"]), int(setting["steps"])
        params = {"decayRate": float(setting.get("decay_rate", 1)),
                  "transitionSteps": int(setting.get("transition_steps", 1)),
                  "decaySteps": int(setting.get("decay_steps", 1)),
                  "alpha": float(setting.get("alpha", 0))}
        got = explorer.page.evaluate(
            """([kind, lr, params, x0, n, momentum, optimiser]) => {
                 const api = window.lrtutorExplorer;
                 const rate = api.makeSchedule(kind, lr, params);
                 const run = api.simulate(x0, rate, n, momentum, optimiser);
                 return {positions: run.positions, rates: run.learningRates,
                         effective: run.effectiveRates || null, diverged: run.diverged,
                         reached: api.stepsToTolerance(x0, rate, 0.01, kind === "constant",
                                                       null, momentum, optimiser)};
               }""",
            [setting.get("schedule", "constant"), float(setting["lr"]), params, x0, n,
             momentum_of(setting), optimiser_of(setting)],
        )
        run = run_for(setting, n)
        assert [float(r) for r in got["rates"]] == run.learning_rates.tolist(), setting
        if optimiser_of(setting) == "adam":
            assert [float(r) for r in got["effective"]] == (
                run.effective_learning_rates.tolist()), setting
        # Playwright hands over whole-valued numbers as ints: compare as floats.
        assert [float(x) for x in got["positions"]] == run.positions.tolist(), setting
        assert got["diverged"] == run.diverged
        assert got["reached"] == reached_by_lrtutor(setting)


#: Values whose sixth (or third) significant digit is followed by an exact tie, and
#: others where float64's exact value decides: Python's format is the reference.
FORMAT_CASES = [0.001953125, -0.001953125, 0.0009765625, 1234565.0, 1234575.0, 2.5,
                0.125, 1e-5, 123456.5, 999999.5, 9999995.0, 1e100, 5e-324, 0.1, 0.3, -0.0,
                0.0, 1.7976931348623157e308, 3.814697265625e-06, 12345.65, 1e16, 1e21]


def test_explorer_formats_numbers_as_python_does(explorer: Visit) -> None:
    """fmt(v) equals format(v, ".6g") and fmt(v, 3) format(v, ".3g"), ties included."""
    cases = FORMAT_CASES + [2.0**-k for k in range(1, 60)] + [3 * 2.0**-k for k in range(60)]
    got = explorer.page.evaluate(
        "values => values.map(v => [window.lrtutorExplorer.fmt(v), "
        "window.lrtutorExplorer.fmt(v, 3)])",
        cases,
    )
    want = [[f"{v:.6g}", f"{v:.3g}"] for v in cases]
    assert got[0] == ["0.00195312", "0.00195"]  # the tie, written out
    assert got == want


def test_explorer_clears_plots_on_bad_input_and_keeps_the_slider(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    slider = page.locator("[data-lrx=lr-slider]")
    before = slider.input_value()
    assert page.locator("svg[data-lrx=curve] .lrx-line").count() == 1
    page.locator("[data-lrx=lr]").fill("7")  # out of range: refused, slider stays
    assert page.locator("[data-lrx=error]").is_visible()
    assert slider.input_value() == before
    assert slider.get_attribute("aria-valuetext") == "0.1"
    for name in ("curve", "loss"):
        svg = page.locator(f"svg[data-lrx={name}]")
        assert svg.locator("*").count() == 0, f"the {name} plot still shows the last run"
        assert "No plot" in svg.get_attribute("aria-label")
    assert shown(page)["final-x"] == "\u2013"
    page.locator("[data-lrx=lr]").fill("0.25")
    assert page.locator("svg[data-lrx=curve] .lrx-line").count() == 1
    assert shown(page) == expected({"lr": "0.25", "x0": "2", "steps": "30"})
    page.locator("[data-lrx=reset]").click()


def test_explorer_schedule_hint_only_with_a_schedule(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    hint = page.locator("#lrx-lr-hint")
    assert page.locator("[data-lrx=schedule]").input_value() == "constant"
    assert hint.is_hidden()
    assert page.locator("[data-lrx=lr]").get_attribute("aria-describedby") is None
    page.locator("[data-lrx=schedule]").select_option("cosine")
    assert hint.is_visible()
    assert page.locator("[data-lrx=lr]").get_attribute("aria-describedby") == "lrx-lr-hint"
    page.locator("[data-lrx=reset]").click()
    assert hint.is_hidden()


def test_explorer_slider_works_by_keyboard(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    slider = page.locator("[data-lrx=lr-slider]")
    rates = page.evaluate("window.lrtutorExplorer.rates")
    slider.focus()
    page.keyboard.press("ArrowRight")
    lr = page.locator("[data-lrx=lr]").input_value()
    assert lr == rates[rates.index("0.1") + 1]
    assert slider.get_attribute("aria-valuetext") == lr
    setting = {"lr": lr, "x0": "2", "steps": "30"}
    assert shown(page) == expected(setting)
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "1.5"
    assert shown(page)["regime"] == "diverging"
    page.keyboard.press("Home")
    assert page.locator("[data-lrx=lr]").input_value() == "0.0001"
    assert shown(page) == expected({**setting, "lr": "0.0001"})
    page.locator("[data-lrx=lr]").fill("0.5")  # typing moves the slider too
    assert slider.get_attribute("aria-valuetext") == "0.5"
    assert rates[int(slider.input_value())] == "0.5"


def test_explorer_controls_are_labelled_and_reachable_by_tab(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=schedule]").focus()
    page.keyboard.press("ArrowDown")  # keyboard choice of a schedule: exponential decay
    assert page.locator("[data-lrx=schedule]").input_value() == "exponential"
    controls = page.evaluate(
        """() => Array.from(document.querySelectorAll(".lrx input, .lrx select, .lrx button"))
             .filter(c => c.checkVisibility())
             .map(c => [c.dataset.lrx, c.id && document.querySelector(`label[for="${c.id}"]`)
                        ? document.querySelector(`label[for="${c.id}"]`).textContent.trim()
                        : c.textContent.trim()])"""
    )
    assert len(controls) == 9, controls  # with the two fields of exponential decay
    for name, label in controls:
        assert label, f"control {name} has no label"
    page.locator("[data-lrx=lr-slider]").focus()
    reached = [page.evaluate("document.activeElement.dataset.lrx")]
    for _ in controls[1:]:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.dataset.lrx"))
    assert reached == [name for name, _ in controls]
    live = page.locator(".lrx-results")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    page.locator("[data-lrx=reset]").click()


def test_explorer_refuses_bad_input(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=lr]").fill("2")
    error = page.locator("[data-lrx=error]")
    assert error.is_visible() and "learning rate" in error.inner_text()
    assert page.locator("[data-lrx=lr]").get_attribute("aria-invalid") == "true"
    page.locator("[data-lrx=lr]").fill("0.1")
    page.locator("[data-lrx=steps]").fill("2.5")
    assert "whole number of steps" in error.inner_text()
    page.locator("[data-lrx=steps]").fill("30")
    assert page.locator("[data-lrx=momentum]").is_hidden()  # gradient descent: no momentum
    page.locator("[data-lrx=optimiser]").select_option("momentum")
    page.locator("[data-lrx=momentum]").fill("1")
    assert "momentum from 0 to 0.99" in error.inner_text()
    assert page.locator("[data-lrx=momentum]").get_attribute("aria-invalid") == "true"
    page.locator("[data-lrx=reset]").click()
    assert error.is_hidden()
    assert shown(page)["final-x"] == expected({"lr": "0.1", "x0": "2", "steps": "30"})["final-x"]


#: Contrast ratio (WCAG) of an element's colour property against the page background.
CONTRAST = """([selector, prop]) => {
      const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map(v => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const bg = parse(getComputedStyle(document.body).backgroundColor);
      const fg = parse(getComputedStyle(document.querySelector(selector))[prop]);
      const a = fg.length > 3 ? fg[3] : 1;
      const mixed = [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
      const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_explorer_plots_are_legible_in_both_palettes(visit: Any, scheme: str) -> None:
    view = visit(color_scheme=scheme)
    page = view.goto(EXPLORER)
    page.wait_for_function(EXPLORER_READY)
    assert page.locator("svg[data-lrx=curve] .lrx-line").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('svg[data-lrx=curve]')).filter"
                         ) == "none"
    for selector, prop, least in [
        (".lrx-ticklabel text", "fill", 4.5),  # text
        (".lrx-axislabel", "fill", 4.5),
        (".lrx-line", "stroke", 3.0),  # graphics (WCAG 1.4.11)
        (".lrx-curve", "stroke", 3.0),
        (".lrx-start", "fill", 3.0),
    ]:
        ratio = page.evaluate(CONTRAST, [f"svg[data-lrx=curve] {selector}", prop])
        assert ratio >= least, f"{scheme}: {selector} has contrast {ratio:.2f} < {least}"
    view.assert_clean(f"explorer ({scheme})")


def test_explorer_starts_after_instant_navigation(visit: Any) -> None:
    view = visit(instant=True)
    page = view.goto("")
    page.wait_for_load_state("networkidle")  # Material's instant loading is set up
    page.evaluate("window.__notReloaded = true")
    page.locator(f"nav.md-nav--primary a[href$='{EXPLORER}']").first.click()
    page.wait_for_url(view.base + EXPLORER)
    page.wait_for_function(EXPLORER_READY)
    assert page.evaluate("window.__notReloaded === true"), "navigation reloaded the page"
    assert shown(page) == expected({"lr": "0.1", "x0": "2", "steps": "30"})
    page.go_back()  # and forth again: the script sets up each new page, once
    page.wait_for_function("document.querySelector('[data-lrx-explorer]') === null")
    page.go_forward()
    page.wait_for_function(EXPLORER_READY)
    page.wait_for_load_state("networkidle")
    page.locator("[data-lrx=lr]").fill("0.25")
    assert shown(page) == expected({"lr": "0.25", "x0": "2", "steps": "30"})
    view.assert_clean("explorer after instant navigation")


def test_explorer_counts_where_the_run_stays_inside(explorer: Visit) -> None:
    """Rate 0.5, momentum 0.5: x passes through 0 at step 1, is -1 at step 2, and stays
    within 0.01 only from step 16, the number shown (not 1, its first entry)."""
    page = explorer.page
    apply(page, {"lr": "0.5", "x0": "2", "steps": "40", "momentum": "0.5"})
    run = run_momentum_descent(SQUARE, 2.0, 0.5, 0.5, 40)
    assert run.positions[1] == 0.0 and run.positions[2] == -1.0
    assert shown(page)["steps-tol"] == "16" == str(run.steps_to_tolerance(0.01))
    label = page.locator("[data-lrx=steps-tol]").locator("xpath=..").inner_text()
    assert "from step" in label, label
    page.locator("[data-lrx=reset]").click()


def test_explorer_rate_cap_follows_the_momentum(explorer: Visit) -> None:
    """The largest rate is 1.5 times the heavy ball's critical rate 2 (1 + b) / L."""
    page = explorer.page
    error = page.locator("[data-lrx=error]")
    for beta, top, over in [("0", "1.5", "1.51"), ("0.5", "2.25", "2.26"),
                            ("0.99", "2.985", "2.99")]:
        want = 1.5 * momentum_critical_learning_rate(SQUARE, float(beta))
        assert float(top) == pytest.approx(want, rel=1e-12)
        page.locator("[data-lrx=reset]").click()
        page.locator("[data-lrx=optimiser]").select_option("momentum")
        page.locator("[data-lrx=momentum]").fill(beta)
        page.locator("[data-lrx=lr]").fill(top)
        assert error.is_hidden(), (beta, top, error.inner_text())
        page.locator("[data-lrx=lr]").fill(over)
        assert error.is_visible() and f"to {top}" in error.inner_text(), error.inner_text()
    # The slider reaches past 1.5 only with momentum, and stops at the cap.
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=optimiser]").select_option("momentum")
    page.locator("[data-lrx=momentum]").fill("0.99")
    page.locator("[data-lrx=lr-slider]").focus()
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "2.8"
    assert error.is_hidden()
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=lr-slider]").focus()
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "1.5"
    page.locator("[data-lrx=reset]").click()


def test_explorer_adam_takes_step_lengths_up_to_10(explorer: Visit) -> None:
    """Adam's cap is 10 (no critical rate; its rate is a distance in x), by typing and
    by the slider; its hint describes the rate fields, the momentum field is hidden."""
    page = explorer.page
    error = page.locator("[data-lrx=error]")
    page.locator("[data-lrx=reset]").click()
    optimiser = page.locator("[data-lrx=optimiser]")
    optimiser.focus()
    page.keyboard.press("ArrowDown")  # a keyboard choice: momentum, then Adam
    page.keyboard.press("ArrowDown")
    assert optimiser.input_value() == "adam"
    assert page.locator("[data-lrx=momentum]").is_hidden()
    hint = page.locator("#lrx-adam-hint")
    assert hint.is_visible() and "step length" in hint.inner_text()
    assert "lrx-adam-hint" in page.locator("[data-lrx=lr]").get_attribute("aria-describedby")
    page.locator("[data-lrx=lr]").fill("10")
    assert error.is_hidden(), error.inner_text()
    assert shown(page) == expected({"lr": "10", "x0": "2", "steps": "30", "optimiser": "adam"})
    page.locator("[data-lrx=lr]").fill("10.1")
    assert error.is_visible() and "to 10 (Adam" in error.inner_text(), error.inner_text()
    page.locator("[data-lrx=lr]").fill("0.1")
    page.locator("[data-lrx=lr-slider]").focus()
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "10"
    assert page.locator("[data-lrx=lr-slider]").get_attribute("aria-valuetext") == "10"
    note = page.locator("[data-lrx=note]").inner_text()
    assert "keeps swinging" in note, note
    optimiser.select_option("gd")  # back to gradient descent: 10 is refused there
    assert error.is_visible() and "to 1.5." in error.inner_text()
    page.locator("[data-lrx=reset]").click()
    assert hint.is_hidden() and error.is_hidden()


ADAM_SETTINGS = {k: s for k, s in SETTINGS.items() if optimiser_of(s) == "adam"}


@pytest.mark.parametrize("setting", ADAM_SETTINGS.values(), ids=ADAM_SETTINGS.keys())
def test_adam_steps_stay_within_the_bound(setting: dict[str, str]) -> None:
    """What the regime text says: an update moves x by at most ADAM_STEP_BOUND (7.27)
    times its rate, whatever the slope, so Adam does not diverge on x**2."""
    run = run_for(setting, int(setting["steps"]))
    steps = [abs(b - a) / lr for a, b, lr in
             zip(run.positions[:-1], run.positions[1:], run.learning_rates, strict=True) if lr > 0]
    assert not run.diverged and max(steps) <= ADAM_STEP_BOUND, max(steps)
    assert f"{ADAM_STEP_BOUND:.2f}" == "7.27"  # the page states it


@pytest.mark.parametrize("lr", [0.001, 0.1, 10.0])
def test_adam_keeps_swinging_by_about_a_quarter_of_the_rate(lr: float) -> None:
    """What the explorer's note says of a constant rate: over updates 90,000 to 100,000
    |x| still reaches about a quarter of the rate (0.2 to 0.3 of it), from x = 2."""
    run = run_adam(SQUARE, 2.0, lr, 100_000)
    late = max(abs(float(x)) for x in run.positions[-10_000:])
    assert 0.2 * lr <= late <= 0.3 * lr, late / lr


def test_explorer_fits_a_320_px_phone(visit: Any) -> None:
    """At 320 px nothing of the explorer (plots, controls, results, hints) is wider than
    the screen, with each optimiser's fields and hint showing."""
    view = visit(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    page = view.goto(EXPLORER)
    page.wait_for_function(EXPLORER_READY)
    width = page.evaluate("document.documentElement.clientWidth")
    for optimiser in ("gd", "momentum", "adam"):
        page.locator("[data-lrx=optimiser]").select_option(optimiser)
        page.wait_for_timeout(100)  # the plots redraw at their width
        spans = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                 ".lrx, .lrx-plot, .lrx-plot svg, .lrx-controls, .lrx-field, .lrx-results,"
                 + " .lrx-hint"))
                 .filter(e => e.getBoundingClientRect().width > 0)
                 .map(e => { const r = e.getBoundingClientRect();
                             return [e.className.baseVal ?? e.className, r.left, r.right]; })"""
        )
        outside = [(name, round(a), round(b)) for name, a, b in spans if a < 0 or b > width]
        assert not outside, f"{optimiser}: wider than the {width} px screen: {outside[:4]}"
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{optimiser}: the page is {widths[0]} px wide at 320 px"
    view.assert_clean("explorer at 320 px")
