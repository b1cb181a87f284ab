// Finite-difference explorer: forward and central differences of sin at a
// point for a step h = 10**k chosen on a slider, computed in the browser's
// float64 with the chapter's formulas on the chapter's grid of k
// (np.linspace(-16, 0, 81), h = 10.0**k).
import { Plot, html, svg } from "./plot.js";

const STEPS = 80; // 81 points, like np.linspace(kMin, kMax, 81)

// Exactly the Python expressions; the sines are kept for the tests.
function differences(a, h) {
  return {
    plus: Math.sin(a + h), zero: Math.sin(a), minus: Math.sin(a - h),
    forward: (Math.sin(a + h) - Math.sin(a)) / h,
    central: (Math.sin(a + h) - Math.sin(a - h)) / (2 * h),
  };
}

const minus = (text) => text.replace("e+", "e").replaceAll("-", "−");
const sci = (v, digits) => minus(v.toExponential(digits));

export function mount(root) {
  root.replaceChildren();
  root.classList.add("widget");
  const a = Number(root.dataset.x ?? 1);
  const [kMin, kMax] = [Number(root.dataset.kMin ?? -16), Number(root.dataset.kMax ?? 0)];
  const delta = (kMax - kMin) / STEPS;
  const kAt = (i) => (i === STEPS ? kMax : i * delta + kMin); // as np.linspace
  const exact = Math.cos(a);
  const relative = (d) => Math.abs(d - exact) / Math.abs(exact);

  const controls = html("div", { class: "widget-controls" }, root);
  const slider = html("input", {
    type: "range", min: kMin, max: kMax, step: delta, value: root.dataset.k ?? -8,
    "aria-label": "log base 10 of the step size h",
  }, html("label", {}, controls, "log₁₀ h "));
  const hOut = html("span", { "data-value": "h" }, controls);

  const table = html("table", { class: "widget-table" }, html("div", { class: "widget-scroll" }, root));
  html("caption", {}, table, `Differences D of sin at x = ${a}; error = |D − cos ${a}|, ` +
    `relative = error / cos ${a}, with cos ${a} = ${exact}`);
  const head = html("tr", {}, html("thead", {}, table));
  for (const text of ["Method", "D", "error", "relative"]) html("th", { scope: "col" }, head, text);
  const body = html("tbody", {}, table);
  const cells = {};
  for (const key of ["forward", "central"]) {
    const row = html("tr", {}, body);
    html("th", { scope: "row" }, row, key);
    cells[key] = ["value", "error", "relative"].map((part) =>
      html("td", { class: "widget-number", "data-value": `${key}-${part}` }, row));
  }
  const readout = html("p", { class: "widget-readout", "aria-live": "polite" }, root);

  // The whole sweep, drawn once (errors of 0 on the bottom edge).
  const floor = 1e-13;
  const plot = new Plot(root, {
    x: [10 ** kMin, 10 ** kMax], y: [floor, 10], logX: true, logY: true, height: 270,
    xLabel: "step size h", yLabel: "relative error",
    label: `Relative error of the forward and central differences of sin at x = ${a}`,
    description: "Log-log plot. Both errors fall as h shrinks (truncation error), reach a " +
      "lowest point, then rise again as h gets tiny (round-off error): a V shape. The " +
      "central difference reaches a lower error, at a larger h.",
  });
  const SERIES = {
    forward: { class: "series-a", shape: (x, y) => ["circle", { cx: x, cy: y, r: 2.2 }] },
    central: {
      class: "series-b", dash: "7 5",
      shape: (x, y) => ["rect", { x: x - 2, y: y - 2, width: 4, height: 4 }],
    },
  };
  const marks = {};
  for (const [key, s] of Object.entries(SERIES)) {
    const points = Array.from({ length: STEPS + 1 }, (_, i) => {
      const h = 10 ** kAt(i);
      return [h, Math.max(relative(differences(a, h)[key]), floor)];
    });
    const line = { class: `${s.class} curve`, "stroke-dasharray": s.dash ?? "none" };
    plot.path(points, line);
    for (const [h, e] of points) {
      const [tag, attrs] = s.shape(plot.sx(h), plot.sy(e));
      svg(tag, { ...attrs, class: `${s.class} mark` }, plot.data);
    }
    const x = plot.box.l + 8 + (key === "forward" ? 0 : 120); // the legend
    svg("line", { ...line, x1: x, x2: x + 26, y1: 14, y2: 14 }, plot.over);
    svg("text", { x: x + 32, y: 19, class: "legend" }, plot.over, key);
    marks[key] = plot.dot(1, 1, { class: `${s.class} current`, r: 6 });
  }
  const guide = svg("line", { class: "guide", y1: plot.box.t, y2: plot.box.t + plot.box.h }, plot.data);

  function update() {
    const raw = Number(slider.value);
    const i = Math.min(STEPS, Math.max(0, Math.round((Number.isFinite(raw) ? raw - kMin : 0) / delta)));
    const k = kAt(i);
    const h = 10 ** k;
    const d = differences(a, h);
    const rel = {};
    for (const key of ["forward", "central"]) {
      const error = Math.abs(d[key] - exact);
      rel[key] = relative(d[key]);
      const [value, err, r] = cells[key];
      value.textContent = minus(String(d[key]));
      err.textContent = sci(error, 2);
      r.textContent = sci(rel[key], 1);
      root.dataset[key] = d[key];
      root.dataset[`${key}Error`] = error;
      root.dataset[`${key}Relative`] = rel[key];
      marks[key].setAttribute("cx", plot.sx(h));
      marks[key].setAttribute("cy", plot.sy(Math.max(rel[key], floor)));
    }
    Object.assign(root.dataset, { index: i, k, h, exact });
    Object.assign(root.dataset, { sinPlus: d.plus, sinZero: d.zero, sinMinus: d.minus });
    guide.setAttribute("x1", plot.sx(h));
    guide.setAttribute("x2", plot.sx(h));
    const kText = minus(String(Number(k.toFixed(1))));
    // three significant digits: h = 1.58e−6, not 0.0000015848931924611175
    const rounded = Number(h.toPrecision(3));
    const hText = rounded < 1e-3 ? rounded.toExponential() : String(rounded);
    hOut.textContent = `${kText}, so h = ${minus(hText)}`;
    slider.setAttribute("aria-valuetext", `log10 h = ${kText}, h = ${sci(h, 1)}`);
    // Forward difference: truncation about h|f''|/2, round-off about
    // 2 eps|f|/h (the chapter's worst case); for sin, |f''| = |f| = |sin a|.
    const f2 = Math.abs(Math.sin(a));
    const [truncation, roundOff] = [(h / 2) * f2, (2 * Number.EPSILON * f2) / h];
    readout.textContent = `log₁₀ h = ${kText}: relative error ${sci(rel.forward, 1)} (forward), ` +
      `${sci(rel.central, 1)} (central). For the forward difference, ` + (truncation > roundOff
      ? `truncation (about h|f″|/2 = ${sci(truncation, 1)}) outweighs round-off: a smaller h helps.`
      : `round-off (about 2ε|f|/h = ${sci(roundOff, 1)}) outweighs truncation: a smaller h hurts.`);
  }

  slider.addEventListener("input", update);
  update();
}
