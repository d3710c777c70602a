/* The explorer on docs/explorer.md: gradient descent on the loss x**2, in the browser.
 *
 * No library, no network: the page's HTML holds the controls; this file runs the
 * descent, writes the numbers and draws two inline SVG plots. Its arithmetic
 * replicates lrtutor's, operation by operation in float64, so that the numbers agree
 * with Python's (tests/test_browser.py compares them):
 *
 *   simulate           lrtutor.descent.run_gradient_descent (_run, _evaluate), and with
 *                      momentum > 0 lrtutor.momentum.run_momentum_descent; with the
 *                      optimiser "adam" lrtutor.adaptive.run_adam (optax's defaults)
 *   stepsToTolerance   lrtutor.descent.steps_to_tolerance (default max_steps): the
 *                      step from which |x_t| < tol for good; with momentum > 0
 *                      Trajectory.steps_to_tolerance of run_momentum_descent over a
 *                      million updates; for Adam the same over run_adam's record
 *   regime             lrtutor.analysis.regime for SQUARE (curvature 2)
 *   momentumRegime     the rate against lrtutor.momentum_critical_learning_rate(SQUARE, b)
 *   makeSchedule       lrtutor.schedules.exponential_decay / cosine_decay_schedule
 *
 * mkdocs-material's instant navigation swaps pages without reloading scripts, so we
 * (re)initialise on every page load through its `document$` observable.
 */
(function () {
  "use strict";

  var MAX_LOSS = 1e100; // lrtutor.descent.MAX_LOSS
  var TOL = 0.01;
  var MAX_STEPS = 1000000; // default max_steps of lrtutor.steps_to_tolerance
  var SURE_CONTRACTION = 1.999999; // lrtutor.descent._SURE_CONTRACTION
  var LR_MIN = 0.0001;
  var LR_MAX = 1.5; // with no momentum; with momentum b, see lrMax(b)
  // Adam (optax.adam's defaults, as lrtutor.run_adam): its rate is a step length.
  var ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8, epsRoot: 0 };
  var ADAM_LR_MAX = 10; // see lrMax
  var X0_MAX = 1e6;
  var MOMENTUM_MAX = 0.99;
  var STEPS_MAX = 100000;
  var SVG_NS = "http://www.w3.org/2000/svg";

  // Slider positions: short decimals spaced roughly evenly on a log scale, from 0.0001
  // to 2.8 (the slider stops at the last one lrMax of the momentum takes: 1.5 with
  // none), including the rates the tutorial discusses (0.0001, 0.01, 0.1, 0.25, 0.5,
  // 0.9, 1, 1.1). parseFloat of the decimal is the same double as Python's float().
  var MANTISSAS = ["1", "1.1", "1.2", "1.3", "1.5", "1.6", "1.8", "2", "2.2", "2.5",
    "2.8", "3", "3.3", "3.6", "4", "4.5", "5", "5.5", "6", "6.5", "7", "8", "9"];
  var RATES = [];
  for (var e = -4; e <= -1; e++) {
    MANTISSAS.forEach(function (m) { RATES.push(String(parseFloat(m + "e" + e))); });
  }
  ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "2", "2.2", "2.5",
    "2.8", "3", "3.5", "4", "5", "6", "7", "8", "10"].forEach(function (r) { RATES.push(r); });

  /** The largest rate the explorer takes at momentum b: 1.5 times the heavy ball's
   * critical rate 2 (1 + b) / L on x**2 (L = 2; lrtutor.momentum_critical_learning_rate),
   * so the whole stable range and as much again as half of it beyond the edge can be
   * explored; 1.5 with no momentum, 2.985 at b = 0.99. Rounded to six digits, the form
   * in which the error message states it, so that the rate it names is accepted. */
  function lrMax(beta, optimiser) {
    if (optimiser === "adam") return ADAM_LR_MAX;
    return parseFloat(fmt(LR_MAX * (2 * (1 + beta) / 2)));
  }
  /* Adam has no critical rate on x**2 to scale a cap by: its step is the rate times
   * m_hat / (sqrt(v_hat) + eps), and by Cauchy-Schwarz |m_hat| / sqrt(v_hat) is at most
   * (1 - b1) / sqrt((1 - b2) (1 - b1**2 / b2)), about 7.3 at optax's defaults, so no
   * rate makes the run diverge (tests/test_browser.py measures the steps against this
   * bound). The rate is a distance in x instead: the first update moves x by the rate,
   * whatever the slope. The cap, 10, is five times the default start's distance 2 from
   * the minimum: larger rates only swing wider. */

  // -- lrtutor's arithmetic ----------------------------------------------------------

  /** Loss x*x and slope 2*x at x, and whether both are finite and the loss <= 1e100. */
  function evaluate(x) {
    var value = x * x;
    var slope = 2 * x;
    var ok = isFinite(value) && isFinite(slope) && Math.abs(value) <= MAX_LOSS;
    return { value: value, slope: slope, ok: ok };
  }

  /** A schedule step -> rate (steps from 0), as the lrtutor/optax factory of that name. */
  function makeSchedule(kind, init, p) {
    if (kind === "constant") {
      return function () { return init; };
    }
    if (kind === "exponential" || kind === "step") {
      // exponential_decay(init, transition_steps, decay_rate, staircase=kind == "step")
      var stair = kind === "step";
      return function (step) {
        var elapsed = step; // transition_begin = 0
        if (elapsed <= 0) return init;
        var exponent = stair ? Math.floor(elapsed / p.transitionSteps)
          : elapsed / p.transitionSteps;
        return init * Math.pow(p.decayRate, exponent);
      };
    }
    if (kind === "cosine") {
      // cosine_decay_schedule(init, decay_steps, alpha), exponent 1
      return function (step) {
        if (step <= 0) return init;
        if (step >= p.decaySteps) return init * p.alpha;
        var weight = 0.5 * (1 + Math.cos(Math.PI * step / p.decaySteps));
        return init * ((1 - p.alpha) * weight + p.alpha);
      };
    }
    throw new Error("unknown schedule " + kind);
  }

  /** run_gradient_descent(SQUARE, x0, rate, nSteps), or with momentum b > 0
   * run_momentum_descent(SQUARE, x0, rate, b, nSteps): positions and losses recorded. */
  function simulate(x0, rate, nSteps, momentum, optimiser) {
    if (optimiser === "adam") return simulateAdam(x0, rate, nSteps);
    var beta = momentum || 0;
    var velocity = 0; // v_{t+1} = b * v_t + slope(x_t); x_{t+1} = x_t - rate(t) * v_{t+1}
    var x = x0;
    var state = evaluate(x);
    if (!state.ok) throw new RangeError("start gives a non-finite or huge loss");
    var positions = [x];
    var losses = [state.value];
    var rates = [];
    var divergedAt = null;
    var slope = state.slope;
    for (var step = 0; step < nSteps; step++) {
      var lr = rate(step);
      var newX;
      if (beta === 0) {
        newX = x - lr * slope;
      } else {
        velocity = beta * velocity + slope;
        newX = x - lr * velocity;
      }
      var finite = isFinite(newX);
      if (finite) state = evaluate(newX);
      if (!finite || !state.ok) {
        divergedAt = step;
        break;
      }
      x = newX;
      slope = state.slope;
      positions.push(x);
      losses.push(state.value);
      rates.push(lr);
    }
    return {
      positions: positions,
      losses: losses,
      learningRates: rates,
      diverged: divergedAt !== null,
      divergedAt: divergedAt,
    };
  }

  /** run_adam(SQUARE, x0, rate, nSteps) with optax's defaults, in lrtutor's order of
   * operations (lrtutor/adaptive.py: b1**t and b2**t as running products, a zero
   * denominator giving a zero step). Also records the effective rates
   * rate / (sqrt(v_hat + eps_root) + eps). */
  function simulateAdam(x0, rate, nSteps) {
    var b1 = ADAM.b1;
    var b2 = ADAM.b2;
    var new1 = 1 - b1;
    var new2 = 1 - b2;
    var m = 0;
    var v = 0;
    var p1 = 1;
    var p2 = 1;
    var x = x0;
    var state = evaluate(x);
    if (!state.ok) throw new RangeError("start gives a non-finite or huge loss");
    var positions = [x];
    var losses = [state.value];
    var rates = [];
    var effective = [];
    var divergedAt = null;
    var g = state.slope;
    for (var step = 0; step < nSteps; step++) {
      var lr = rate(step);
      m = b1 * m + new1 * g;
      v = b2 * v + new2 * (g * g);
      p1 = p1 * b1;
      p2 = p2 * b2;
      var mHat = m / (1 - p1);
      var vHat = v / (1 - p2);
      var denominator = Math.sqrt(vHat + ADAM.epsRoot) + ADAM.eps;
      var direction = denominator > 0 ? mHat / denominator : 0;
      var newX = x - lr * direction;
      var eff = lr * (denominator > 0 ? 1 / denominator : 0);
      var good = isFinite(newX) && isFinite(eff);
      if (good) state = evaluate(newX);
      if (!good || !state.ok) {
        divergedAt = step;
        break;
      }
      x = newX;
      g = state.slope;
      positions.push(x);
      losses.push(state.value);
      rates.push(lr);
      effective.push(eff);
    }
    return {
      positions: positions,
      losses: losses,
      learningRates: rates,
      effectiveRates: effective,
      diverged: divergedAt !== null,
      divergedAt: divergedAt,
    };
  }

  /** Trajectory.steps_to_tolerance(tol) of a recorded run: the smallest t with
   * |x_s| < tol at every recorded s >= t; null if the run diverged or ends outside. */
  function recordStaysFrom(run, tol) {
    if (run.diverged) return null;
    var positions = run.positions;
    for (var t = positions.length - 1; t >= 0; t--) {
      if (!(Math.abs(positions[t]) < tol)) {
        return t === positions.length - 1 ? null : t + 1;
      }
    }
    return 0;
  }

  /** steps_to_tolerance(SQUARE, x0, rate, tol): the step from which |x_t| < tol holds at
   * every later step (where the run enters the band for good, not where it first passes
   * through it), else null. A constant rate with rate * 2 <= 1.999999 (SURE_CONTRACTION)
   * never moves x away from 0, so its first entry is for good; otherwise the run goes on
   * to maxSteps and the count is the entry of its last stay. With momentum b > 0, the
   * same over a heavy-ball run of maxSteps updates (Trajectory.steps_to_tolerance of
   * run_momentum_descent): x can pass through the band and leave it again. */
  function stepsToTolerance(x0, rate, tol, constant, maxSteps, momentum, optimiser) {
    if (maxSteps === undefined || maxSteps === null) maxSteps = MAX_STEPS;
    if (optimiser === "adam") return recordStaysFrom(simulateAdam(x0, rate, maxSteps), tol);
    var x = x0;
    if (!evaluate(x).ok) throw new RangeError("start gives a non-finite or huge loss");
    var beta = momentum || 0;
    var entered = null; // the step the current stay inside the band began
    var inside;
    if (beta > 0) {
      var velocity = 0;
      for (var t = 0; t <= maxSteps; t++) {
        inside = Math.abs(x) < tol;
        if (!inside) entered = null;
        else if (entered === null) entered = t;
        if (t === maxSteps) break;
        if (x === 0 && velocity === 0) return entered; // at rest on the minimum for ever
        var now = evaluate(x);
        if (!now.ok) return null;
        velocity = beta * velocity + now.slope;
        x = x - rate(t) * velocity;
        if (!isFinite(x)) return null;
      }
      if (!evaluate(x).ok) return null; // the record ends diverged
      return entered;
    }
    var sure = constant && rate(0) * 2 <= SURE_CONTRACTION;
    var twoBack = null; // a constant-rate run back where it was two updates ago
    var previous = null; // is in a cycle (bouncing): it stays where it is for ever
    var insideBefore = false;
    for (var step = 0; step <= maxSteps; step++) {
      inside = Math.abs(x) < tol;
      if (inside && entered === null) {
        entered = step;
        if (sure) return step;
      } else if (!inside) {
        entered = null;
      }
      if (step === maxSteps) break;
      if (constant && twoBack !== null && x === twoBack) {
        return inside && insideBefore ? entered : null;
      }
      var state = evaluate(x);
      if (!state.ok) return null;
      twoBack = previous;
      previous = x;
      insideBefore = inside;
      x = x - rate(step) * state.slope;
      if (!isFinite(x)) return null;
    }
    return entered;
  }

  /** regime(SQUARE, lr): products lr * 2 are exact in float64 (a doubling). */
  function regime(lr) {
    var p = lr * 2;
    if (p > 2) return "diverging";
    if (p === 2) return "bouncing";
    if (p > 1) return "oscillating";
    if (p === 1) return "one step";
    return "monotone";
  }

  /** With momentum b > 0 on x**2 (curvature 2) the run converges exactly when
   * lr * 2 < 2 * (1 + b), i.e. lr < 1 + b: momentum_critical_learning_rate(SQUARE, b). */
  function momentumRegime(lr, beta) {
    var edge = 2 * (1 + beta) / 2;
    if (lr > edge) return "diverging";
    if (lr === edge) return "bouncing";
    return "converging";
  }

  function regimeFor(lr, beta) {
    return beta > 0 ? momentumRegime(lr, beta) : regime(lr);
  }

  var ADAM_REGIME = "no critical rate";

  var REGIME_TEXT = {
    "monotone": "x shrinks towards 0 from one side",
    "one step": "x lands exactly on 0 in one update",
    "oscillating": "x flips sign every step while it shrinks",
    "bouncing": "x jumps between the same two points for ever",
    "diverging": "|x| grows every step",
    "converging": "with momentum, |x| shrinks in the long run (the velocity may carry x " +
      "past 0 and back)",
    "no critical rate": "Adam's rate is a step length: each update moves x by at most a " +
      "few times the rate, whatever the slope, so no rate makes it diverge on x\u00b2",
  };

  // -- formatting ----------------------------------------------------------------------

  /** The exact decimal value of a finite double: its digits and the power of ten of the
   *  last one (|v| = digits * 10^point). Every double is m * 2^e with an integer m < 2^53,
   *  and for e < 0 that is m * 5^-e / 10^-e exactly, so BigInt arithmetic gives all the
   *  digits, as Python's decimal.Decimal(v) does. */
  function exactDecimal(v) {
    var view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(v));
    var bits = view.getBigUint64(0);
    var biased = Number((bits >> 52n) & 0x7ffn);
    var mantissa = bits & 0xfffffffffffffn;
    if (biased !== 0) mantissa |= 1n << 52n; // normal: the implicit leading 1
    var exp2 = (biased === 0 ? 1 : biased) - 1075;
    if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), point: 0 };
    return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), point: exp2 };
  }

  /** Python's format(v, "." + digits + "g"), digit for digit: the exact binary value is
   *  rounded to `digits` significant digits, ties to even (JavaScript's toPrecision and
   *  toFixed round ties up: 0.001953125 would show as 0.00195313, Python's 0.00195312). */
  function fmt(v, digits) {
    if (digits === undefined) digits = 6;
    if (Number.isNaN(v)) return "nan";
    if (!isFinite(v)) return v > 0 ? "inf" : "-inf";
    var sign = v < 0 || Object.is(v, -0) ? "-" : "";
    if (v === 0) return sign + "0";
    var exact = exactDecimal(v);
    var all = exact.digits.replace(/^0+/, "");
    var exp10 = all.length - 1 + exact.point; // v = d.ddd... * 10^exp10
    var kept = all.slice(0, digits);
    var rest = all.slice(digits);
    while (kept.length < digits) kept += "0";
    var up = false;
    if (rest.length && rest[0] > "5") up = true;
    else if (rest.length && rest[0] === "5") {
      up = /[1-9]/.test(rest.slice(1)) || Number(kept[kept.length - 1]) % 2 === 1;
    }
    if (up) {
      kept = (BigInt(kept) + 1n).toString();
      if (kept.length > digits) { kept = kept.slice(0, digits); exp10 += 1; }
    }
    var mant = kept.replace(/0+$/, "") || "0"; // significant digits, trailing zeros cut
    if (exp10 < -4 || exp10 >= digits) {
      var head = mant[0] + (mant.length > 1 ? "." + mant.slice(1) : "");
      var abs = Math.abs(exp10);
      return sign + head + "e" + (exp10 < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
    }
    if (exp10 < 0) return sign + "0." + "0".repeat(-exp10 - 1) + mant;
    if (mant.length <= exp10 + 1) return sign + mant + "0".repeat(exp10 + 1 - mant.length);
    return sign + mant.slice(0, exp10 + 1) + "." + mant.slice(exp10 + 1);
  }

  function ordinal(n) {
    var tens = n % 100;
    var suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" })[n % 10] || "th";
    return group(n) + suffix;
  }

  function group(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  var SUPERSCRIPT = { "-": "\u207b", "0": "\u2070", "1": "\u00b9", "2": "\u00b2",
    "3": "\u00b3", "4": "\u2074", "5": "\u2075", "6": "\u2076", "7": "\u2077",
    "8": "\u2078", "9": "\u2079" };

  function powerOfTen(k) {
    if (k === 0) return "1";
    if (k === 1) return "10";
    return "10" + String(k).split("").map(function (c) { return SUPERSCRIPT[c]; }).join("");
  }

  // -- reading the controls ------------------------------------------------------------

  function parseNumber(input) {
    var text = input.value.trim();
    if (text === "" || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return NaN;
    return parseFloat(text);
  }

  function readSettings(ui) {
    var errors = [];
    function check(input, ok, message) {
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      if (!ok) errors.push(message);
    }
    var optimiser = ui.optimiser.value;
    // The momentum field counts only for the heavy ball (it is hidden otherwise).
    var momentum = optimiser === "momentum" ? parseNumber(ui.momentum) : 0;
    var okMomentum = momentum >= 0 && momentum <= MOMENTUM_MAX;
    var lrTop = lrMax(okMomentum ? momentum : 0, optimiser);
    var lr = parseNumber(ui.lr);
    check(ui.lr, lr >= LR_MIN && lr <= lrTop,
      "Enter a learning rate from " + LR_MIN + " to " + fmt(lrTop) +
      (optimiser === "adam" ? " (Adam's rate is a step length in x)." :
        okMomentum && momentum > 0 ? " (at momentum " + fmt(momentum) + ")." : "."));
    var x0 = parseNumber(ui.x0);
    check(ui.x0, Math.abs(x0) <= X0_MAX, "Enter a start x from -1000000 to 1000000.");
    var steps = parseNumber(ui.steps);
    check(ui.steps, Number.isInteger(steps) && steps >= 0 && steps <= STEPS_MAX,
      "Enter a whole number of steps from 0 to " + group(STEPS_MAX) + ".");
    if (optimiser === "momentum") {
      check(ui.momentum, okMomentum, "Enter a momentum from 0 to " + MOMENTUM_MAX + ".");
    } else {
      ui.momentum.setAttribute("aria-invalid", "false");
    }
    var kind = ui.schedule.value;
    var params = {};
    if (kind === "exponential" || kind === "step") {
      params.decayRate = parseNumber(ui.decayRate);
      check(ui.decayRate, params.decayRate > 0 && params.decayRate <= 1,
        "Enter a decay rate above 0 and at most 1.");
      params.transitionSteps = parseNumber(ui.transitionSteps);
      check(ui.transitionSteps, Number.isInteger(params.transitionSteps) &&
        params.transitionSteps >= 1 && params.transitionSteps <= STEPS_MAX,
        "Enter a whole number of transition steps from 1 to " + group(STEPS_MAX) + ".");
    } else if (kind === "cosine") {
      params.decaySteps = parseNumber(ui.decaySteps);
      check(ui.decaySteps, Number.isInteger(params.decaySteps) && params.decaySteps >= 1 &&
        params.decaySteps <= STEPS_MAX,
        "Enter a whole number of decay steps from 1 to " + group(STEPS_MAX) + ".");
      params.alpha = parseNumber(ui.alpha);
      check(ui.alpha, params.alpha >= 0 && params.alpha <= 1, "Enter a floor alpha from 0 to 1.");
    }
    return { lr: lr, x0: x0, steps: steps, momentum: momentum, optimiser: optimiser,
      kind: kind, params: params, errors: errors };
  }

  // -- SVG drawing ---------------------------------------------------------------------

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** About `count` round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
  function niceTicks(lo, hi, count) {
    var span = hi - lo;
    if (!(span > 0)) return [lo];
    var raw = span / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var unit = [1, 2, 5, 10].map(function (m) { return m * power; })
      .find(function (u) { return u >= raw; });
    var ticks = [];
    for (var t = Math.ceil(lo / unit) * unit; t <= hi + unit * 1e-9; t += unit) {
      ticks.push(Math.abs(t) < unit * 1e-9 ? 0 : t);
    }
    return ticks;
  }

  function frame(svg, width, height, margin) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    return {
      left: margin.left, right: width - margin.right,
      top: margin.top, bottom: height - margin.bottom,
    };
  }

  function axes(svg, box, xTicks, yTicks, sx, sy, xLabel, yLabel, xText, yText) {
    var grid = el("g", { "class": "lrx-grid" }, svg);
    yTicks.forEach(function (t) {
      el("line", { x1: box.left, x2: box.right, y1: sy(t), y2: sy(t) }, grid);
    });
    xTicks.forEach(function (t) {
      el("line", { x1: sx(t), x2: sx(t), y1: box.top, y2: box.bottom }, grid);
    });
    var axis = el("g", { "class": "lrx-axis" }, svg);
    el("line", { x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom }, axis);
    el("line", { x1: box.left, x2: box.left, y1: box.top, y2: box.bottom }, axis);
    var labels = el("g", { "class": "lrx-ticklabel" }, svg);
    xTicks.forEach(function (t) {
      el("text", { x: sx(t), y: box.bottom + 16, "text-anchor": "middle" }, labels, xText(t));
    });
    yTicks.forEach(function (t) {
      el("text", { x: box.left - 6, y: sy(t) + 4, "text-anchor": "end" }, labels, yText(t));
    });
    el("text", { "class": "lrx-axislabel", x: (box.left + box.right) / 2, y: box.bottom + 34,
      "text-anchor": "middle" }, svg, xLabel);
    el("text", { "class": "lrx-axislabel", x: box.left, y: box.top - 10,
      "text-anchor": "start" }, svg, yLabel);
  }

  function marker(parent, shape, x, y, cls) {
    if (shape === "square") {
      return el("rect", { x: x - 4.5, y: y - 4.5, width: 9, height: 9, "class": cls }, parent);
    }
    return el("circle", { cx: x, cy: y, r: shape === "big" ? 5 : 3, "class": cls }, parent);
  }

  var CURVE_POINTS = 300; // positions drawn on the curve at most

  function drawCurve(svg, run, width) {
    var height = Math.round(Math.max(220, Math.min(320, width * 0.62)));
    var box = frame(svg, width, height, { left: 58, right: 24, top: 26, bottom: 42 });
    var n = run.positions.length - 1;
    var every = Math.max(1, Math.ceil(n / CURVE_POINTS));
    var shown = [];
    for (var t = 0; t <= n; t += every) shown.push(t);
    if (shown[shown.length - 1] !== n) shown.push(n);
    var reach = 0;
    shown.forEach(function (i) { reach = Math.max(reach, Math.abs(run.positions[i])); });
    if (!(reach > 0)) reach = 1;
    reach *= 1.1;
    var top = reach * reach;
    var sx = function (x) { return box.left + (x + reach) / (2 * reach) * (box.right - box.left); };
    var sy = function (y) { return box.bottom - y / top * (box.bottom - box.top); };
    axes(svg, box, niceTicks(-reach, reach, width < 420 ? 4 : 6), niceTicks(0, top, 4), sx, sy,
      "x", "loss x\u00b2", function (v) { return fmt(v, 3); }, function (v) { return fmt(v, 3); });
    var curve = [];
    for (var k = 0; k <= 120; k++) {
      var x = -reach + 2 * reach * k / 120;
      curve.push(sx(x).toFixed(1) + "," + sy(x * x).toFixed(1));
    }
    el("polyline", { points: curve.join(" "), "class": "lrx-curve" }, svg);
    var path = el("g", { "class": "lrx-path" }, svg);
    if (every === 1 && n > 0) {
      el("polyline", { points: shown.map(function (i) {
        var p = run.positions[i];
        return sx(p).toFixed(1) + "," + sy(p * p).toFixed(1);
      }).join(" "), "class": "lrx-line" }, path);
    }
    shown.forEach(function (i) {
      if (i === 0 || i === n) return;
      var p = run.positions[i];
      marker(path, "dot", sx(p), sy(p * p), "lrx-dot");
    });
    var last = run.positions[n];
    marker(path, "square", sx(last), sy(last * last), "lrx-end");
    marker(path, "big", sx(run.positions[0]), sy(run.positions[0] * run.positions[0]),
      "lrx-start");
    return { shown: shown.length, every: every };
  }

  var LOSS_POINTS = 1000; // points drawn on the loss plot at most

  function drawLoss(svg, run, width) {
    var height = Math.round(Math.max(220, Math.min(320, width * 0.62)));
    var box = frame(svg, width, height, { left: 58, right: 24, top: 26, bottom: 42 });
    var n = run.losses.length - 1;
    var lo = Infinity;
    var hi = 0;
    var zeros = 0;
    run.losses.forEach(function (v) {
      if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); } else { zeros++; }
    });
    if (hi === 0) { lo = 1e-1; hi = 10; }
    var kLo = Math.floor(Math.log10(lo));
    var kHi = Math.ceil(Math.log10(hi));
    if (kHi - kLo < 2) { kLo -= 1; kHi += 1; }
    var sx = function (t) { return box.left + (n ? t / n : 0.5) * (box.right - box.left); };
    var sy = function (v) {
      return box.bottom - (Math.log10(v) - kLo) / (kHi - kLo) * (box.bottom - box.top);
    };
    var stride = [1, 2, 5, 10, 20, 25, 50, 100].find(function (s) {
      return (kHi - kLo) / s <= 5;
    }) || 100;
    var yTicks = [];
    for (var k = Math.ceil(kLo / stride) * stride; k <= kHi; k += stride) yTicks.push(k);
    axes(svg, box, n ? niceTicks(0, n, width < 420 ? 4 : 6).filter(Number.isInteger) : [0],
      yTicks.map(function (k) { return Math.pow(10, k); }), sx, sy, "step", "loss (log scale)",
      function (t) { return group(t); },
      function (v) { return powerOfTen(Math.round(Math.log10(v))); });
    var every = Math.max(1, Math.ceil(n / LOSS_POINTS));
    var shown = [];
    for (var t = 0; t <= n; t += every) shown.push(t);
    if (shown[shown.length - 1] !== n) shown.push(n);
    var path = el("g", { "class": "lrx-path" }, svg);
    var segment = [];
    function flush() {
      if (segment.length > 1) {
        el("polyline", { points: segment.join(" "), "class": "lrx-line" }, path);
      }
      segment = [];
    }
    shown.forEach(function (i) {
      var v = run.losses[i];
      if (v > 0) segment.push(sx(i).toFixed(1) + "," + sy(v).toFixed(1));
      else flush();
    });
    flush();
    shown.forEach(function (i) {
      var v = run.losses[i];
      var y = v > 0 ? sy(v) : box.bottom;
      if (i === 0) marker(path, "big", sx(i), y, "lrx-start");
      else if (i === n) marker(path, "square", sx(i), y, "lrx-end");
      else if (shown.length <= 61 || v === 0) marker(path, "dot", sx(i), y, "lrx-dot");
    });
    if (zeros) {
      el("text", { "class": "lrx-plotnote", x: box.right, y: box.top + 4, "text-anchor": "end" },
        svg, "loss 0 (off a log scale) is drawn on the axis");
    }
    return { zeros: zeros };
  }

  // -- the page ------------------------------------------------------------------------

  /** Index of the last slider rate the explorer takes at momentum b. */
  function sliderTop(beta, optimiser) {
    var top = lrMax(beta, optimiser);
    var last = 0;
    RATES.forEach(function (r, i) { if (parseFloat(r) <= top) last = i; });
    return last;
  }

  function nearestSliderIndex(lr, top) {
    var best = 0;
    RATES.forEach(function (r, i) {
      if (i <= top && Math.abs(Math.log(parseFloat(r) / lr)) <
          Math.abs(Math.log(parseFloat(RATES[best]) / lr))) best = i;
    });
    return best;
  }

  function describeRegime(s, run) {
    if (s.optimiser === "adam") {
      return { name: ADAM_REGIME, text: ADAM_REGIME + ": " + REGIME_TEXT[ADAM_REGIME] };
    }
    if (s.kind === "constant") {
      var name = regimeFor(s.lr, s.momentum);
      return { name: name, text: name + ": " + REGIME_TEXT[name] };
    }
    // A rate of 0 (cosine decay to alpha 0) is no regime: the run has stopped. Each
    // rate is stated once, in brackets, after the regime's name.
    function at(rate) { return rate === 0 ? "stopped" : regimeFor(rate, s.momentum); }
    var r0 = run.schedule(0);
    var first = at(r0);
    var name = r0 === 0 ? "stopped (rate 0)" : first;
    var start = "schedule: " + first + " at the first step (rate " + fmt(r0) + ")";
    if (s.steps <= 1) return { name: name, text: start };
    var rN = run.schedule(s.steps - 1);
    var last = at(rN);
    if (last === first) {
      return { name: name, text: start + " and at the last (rate " + fmt(rN) + ")" };
    }
    return { name: name, text: start + ", " + last + " at the last (rate " + fmt(rN) +
      "): the regime changes with the rate" };
  }

  function setup(root) {
    if (root.dataset.lrxReady) return;
    root.dataset.lrxReady = "true";
    function $(name) { return root.querySelector("[data-lrx=" + name + "]"); }
    var ui = {
      slider: $("lr-slider"), lr: $("lr"), x0: $("x0"), steps: $("steps"),
      schedule: $("schedule"), decayRate: $("decay-rate"),
      transitionSteps: $("transition-steps"), decaySteps: $("decay-steps"), alpha: $("alpha"),
      momentum: $("momentum"), optimiser: $("optimiser"), reset: $("reset"), finalX: $("final-x"),
      finalLoss: $("final-loss"),
      stepsTol: $("steps-tol"), regime: $("regime"), note: $("note"), error: $("error"),
      curve: $("curve"), loss: $("loss"), curveCaption: $("curve-caption"),
      lossCaption: $("loss-caption"), plots: $("plots"),
    };
    var defaults = {};
    ["lr", "x0", "steps", "schedule", "decayRate", "transitionSteps", "decaySteps", "alpha",
      "momentum", "optimiser"]
      .forEach(function (key) { defaults[key] = ui[key].value; });
    ui.slider.min = "0";
    ui.slider.max = String(sliderTop(0, ui.optimiser.value));
    ui.slider.step = "1";
    var last = null;

    function momentumNow() {
      if (ui.optimiser.value !== "momentum") return 0;
      var beta = parseNumber(ui.momentum);
      return beta >= 0 && beta <= MOMENTUM_MAX ? beta : 0;
    }

    function syncSlider() {
      // Only a rate in the slider's range moves it: an out-of-range rate is refused
      // (with a message), and the slider stays where the last valid rate put it. The
      // range follows the momentum (lrMax).
      var beta = momentumNow();
      var optimiser = ui.optimiser.value;
      var top = sliderTop(beta, optimiser);
      ui.slider.max = String(top);
      var lr = parseNumber(ui.lr);
      if (lr >= LR_MIN && lr <= lrMax(beta, optimiser)) {
        ui.slider.value = String(nearestSliderIndex(lr, top));
        ui.slider.setAttribute("aria-valuetext", ui.lr.value.trim());
      }
    }

    function showParams() {
      root.querySelectorAll("[data-lrx-for]").forEach(function (box) {
        box.hidden = box.getAttribute("data-lrx-for").split(" ").indexOf(ui.schedule.value) < 0;
      });
      root.querySelectorAll("[data-lrx-opt]").forEach(function (box) {
        box.hidden = box.getAttribute("data-lrx-opt").split(" ").indexOf(ui.optimiser.value) < 0;
      });
      // The rate fields are described by the hints (schedule, optimiser) that show.
      var ids = [];
      root.querySelectorAll(".lrx-hint").forEach(function (hint) {
        if (!hint.hidden) ids.push(hint.id);
      });
      [ui.slider, ui.lr].forEach(function (input) {
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
        else input.removeAttribute("aria-describedby");
      });
    }

    /** No valid settings: no numbers and no plots of an earlier run. */
    function clearRun() {
      [ui.finalX, ui.finalLoss, ui.stepsTol, ui.regime].forEach(function (node) {
        node.textContent = "\u2013";
      });
      ui.regime.removeAttribute("data-regime");
      ui.note.textContent = "";
      last = null;
      [ui.curve, ui.loss].forEach(function (svg) {
        while (svg.firstChild) svg.removeChild(svg.firstChild);
        svg.setAttribute("aria-label", "No plot: the settings above need fixing.");
      });
      ui.curveCaption.textContent = "No run to draw until the settings are valid.";
      ui.lossCaption.textContent = "No run to draw until the settings are valid.";
    }

    function draw() {
      if (!last) return;
      var width = Math.round(ui.curve.parentNode.clientWidth) || 480;
      var curve = drawCurve(ui.curve, last.run, width);
      drawLoss(ui.loss, last.run, width);
      var run = last.run;
      var n = run.positions.length - 1;
      var end = fmt(run.positions[n]);
      ui.curve.setAttribute("aria-label", "The curve loss = x squared with " +
        (curve.every === 1 ? "all " + group(n + 1) + " positions" : "every " +
        ordinal(curve.every) + " of the " + group(n + 1) + " positions") + " of the run marked, from x = " +
        fmt(run.positions[0]) + " (large dot) to x = " + end + " (square).");
      ui.curveCaption.textContent = "The run on the curve loss = x\u00b2: the large dot is " +
        "the start, the square the end" + (curve.every === 1 ? "." :
        "; every " + ordinal(curve.every) + " position is drawn.");
      ui.loss.setAttribute("aria-label", "Loss against step on a logarithmic axis for " +
        group(n) + " steps: from " + fmt(run.losses[0]) + " at step 0 to " +
        fmt(run.losses[n]) + " at step " + group(n) + ".");
      ui.lossCaption.textContent = "Loss against step, log scale: a straight line means " +
        "the same factor every step.";
    }

    function update() {
      var s = readSettings(ui);
      if (s.errors.length) {
        ui.error.textContent = s.errors.join(" ");
        ui.error.hidden = false;
        clearRun();
        return;
      }
      ui.error.hidden = true;
      ui.error.textContent = "";
      var schedule = makeSchedule(s.kind, s.lr, s.params);
      var run = simulate(s.x0, schedule, s.steps, s.momentum, s.optimiser);
      run.schedule = schedule;
      var reached = stepsToTolerance(s.x0, schedule, TOL, s.kind === "constant", null,
        s.momentum, s.optimiser);
      var n = run.positions.length - 1;
      ui.finalX.textContent = fmt(run.positions[n]);
      ui.finalLoss.textContent = fmt(run.losses[n]);
      ui.stepsTol.textContent = reached === null ? "not reached" : group(reached);
      var described = describeRegime(s, run);
      ui.regime.textContent = described.text;
      ui.regime.setAttribute("data-regime", described.name);
      var notes = [];
      if (run.diverged) {
        notes.push("The run diverged: update " + group(run.divergedAt + 1) + " of " +
          group(s.steps) + " would take the loss past 1e100, so it stopped after " +
          group(n) + " steps; final x and loss are the last recorded values.");
      } else {
        notes.push("Final values after " + group(n) + " steps.");
      }
      if (reached === null) {
        notes.push("|x| does not stay below 0.01 within " + group(MAX_STEPS) + " steps" +
          (s.kind === "constant" && regimeFor(s.lr, s.momentum) === "bouncing" ?
            " (it bounces for ever)." :
          "."));
      } else if (reached > s.steps) {
        notes.push("|x| stays below 0.01 only from a step beyond the " + group(s.steps) +
          " of the run here.");
      }
      if (s.optimiser === "adam" && s.kind === "constant") {
        notes.push("At a constant rate Adam does not settle on x\u00b2: it keeps swinging " +
          "around 0, by about a quarter of the rate, so with a rate above about 0.04 " +
          "|x| leaves 0.01 again and again, and a stay counted near the " +
          group(MAX_STEPS) + "th update only says where the count ends.");
      }
      ui.note.textContent = notes.join(" ");
      last = { run: run, settings: s };
      draw();
    }

    ui.slider.addEventListener("input", function () {
      ui.lr.value = RATES[parseInt(ui.slider.value, 10)];
      ui.slider.setAttribute("aria-valuetext", ui.lr.value);
      update();
    });
    ui.lr.addEventListener("input", function () { syncSlider(); update(); });
    ui.schedule.addEventListener("change", function () { showParams(); update(); });
    [ui.x0, ui.steps, ui.decayRate, ui.transitionSteps, ui.decaySteps, ui.alpha]
      .forEach(function (input) { input.addEventListener("input", update); });
    ui.momentum.addEventListener("input", function () { syncSlider(); update(); });
    ui.optimiser.addEventListener("change", function () {
      showParams();
      syncSlider();
      update();
    });
    ui.reset.addEventListener("click", function () {
      Object.keys(defaults).forEach(function (key) { ui[key].value = defaults[key]; });
      syncSlider();
      showParams();
      update();
    });
    if (typeof ResizeObserver === "function") {
      var width = 0;
      var observer = new ResizeObserver(function () {
        var now = Math.round(ui.curve.parentNode.clientWidth);
        if (now !== width) { width = now; draw(); }
      });
      observer.observe(ui.plots);
      observers.push({ observer: observer, target: ui.plots });
    }
    root.querySelectorAll("[data-lrx-nojs]").forEach(function (node) { node.hidden = true; });
    syncSlider();
    showParams();
    update();
  }

  var observers = []; // of explorers set up so far; instant navigation replaces pages

  function init() {
    observers = observers.filter(function (entry) {
      if (entry.target.isConnected) return true;
      entry.observer.disconnect();
      return false;
    });
    document.querySelectorAll("[data-lrx-explorer]").forEach(setup);
  }

  // For tests and the curious: the same functions the page uses.
  window.lrtutorExplorer = {
    simulate: simulate,
    stepsToTolerance: stepsToTolerance,
    regime: regime,
    momentumRegime: momentumRegime,
    lrMax: lrMax,
    simulateAdam: simulateAdam,
    adam: ADAM,
    makeSchedule: makeSchedule,
    fmt: fmt,
    rates: RATES.slice(),
  };

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init); // every page load, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
