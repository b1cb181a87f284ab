// Tangent surfer: move a point along a curve and watch the tangent line and
// the derivative f'(x) follow. Drag (mouse, pen, touch), use the slider, or
// focus a plot and press the arrow keys.
import { Plot, fmt, html, onDrag, svg } from "./plot.js";

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const FUNCTIONS = {
  "quarter-square": {
    label: "x²/4", f: (x) => (x * x) / 4, df: (x) => x / 2,
    x: [-4, 4], y: [-1, 4.2], dy: [-2.2, 2.2],
  },
  cubic: {
    label: "x³ − x", f: (x) => x ** 3 - x, df: (x) => 3 * x * x - 1,
    x: [-1.6, 1.6], y: [-2.6, 2.6], dy: [-1.6, 7],
  },
  sin: {
    label: "sin x", f: Math.sin, df: Math.cos,
    x: [-6, 6], y: [-1.4, 1.4], dy: [-1.4, 1.4],
  },
  relu: {
    label: "ReLU(x) = max(0, x)", f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0),
    x: [-3, 3], y: [-0.6, 3.2], dy: [-0.4, 1.4],
    note: "At x = 0 ReLU has no derivative; PyTorch uses 0 there, and so does this figure.",
  },
  sigmoid: {
    label: "sigmoid σ(x)", f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)),
    x: [-6, 6], y: [-0.15, 1.15], dy: [-0.06, 0.32],
  },
};
// The slope's sign, carried by colour (class), line style and a word.
const DASHES = { rising: "none", falling: "9 6", flat: "2 5" };
const CLASSES = { rising: "slope-pos", falling: "slope-neg", flat: "slope-zero" };
const snap = (x) => Math.round(x * 100) / 100; // x moves on a grid of 0.01
const setAll = (node, attrs) => Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));

export function mount(root) {
  root.replaceChildren();
  root.classList.add("widget");
  let name = FUNCTIONS[root.dataset.function] ? root.dataset.function : "quarter-square";
  let x = Number(root.dataset.x) || 0;

  const controls = html("div", { class: "widget-controls" }, root);
  const select = html("select", { "aria-label": "Function to differentiate" },
    html("label", {}, controls, "Function "));
  for (const [key, fn] of Object.entries(FUNCTIONS)) html("option", { value: key }, select, fn.label);
  const slider = html("input", { type: "range", step: 0.01, "aria-label": "x, the point on the curve" },
    html("label", {}, controls, "x "));
  // arrows move the slider by 0.01; Page Up and Page Down by 0.5
  slider.addEventListener("keydown", (event) => {
    const by = { PageUp: 0.5, PageDown: -0.5 }[event.key];
    if (by === undefined) return;
    event.preventDefault();
    set(x + by);
  });

  const readout = html("p", { class: "widget-readout", "aria-live": "polite" }, root);
  const out = {};
  const labels = { x: "x = ", f: ", f(x) = ", df: ", f′(x) = ", slope: ", tangent " };
  for (const [key, text] of Object.entries(labels)) {
    readout.append(text);
    out[key] = html("span", { "data-value": key }, readout);
    if (key !== "slope") out[key].classList.add("widget-number");
  }
  const note = html("p", { class: "widget-note" }, root);
  const plots = html("div", { class: "widget-plots" }, root);
  let top, bottom, parts;

  function build() {
    const fn = FUNCTIONS[name];
    plots.replaceChildren();
    top = new Plot(plots, {
      x: fn.x, y: fn.y, height: 250, xLabel: "x", yLabel: "f(x)",
      label: `The curve f(x) = ${fn.label} with its tangent line at the chosen point`,
      description: "Drag along the curve, or press the left and right arrow keys to move the " +
        "point; Page Up and Page Down take bigger steps, Home and End go to the ends.",
    });
    bottom = new Plot(plots, {
      x: fn.x, y: fn.dy, height: 190, xLabel: "x", yLabel: "f′(x)",
      label: `The derivative f′(x) of ${fn.label}, with a marker at the same x`,
      description: "The height of this curve at x is the slope of the tangent line above.",
    });
    const xs = Array.from({ length: 401 }, (_, i) => fn.x[0] + (i / 400) * (fn.x[1] - fn.x[0]));
    top.path(xs.map((v) => [v, fn.f(v)]), { class: "curve" });
    // a jump in f′ (ReLU's at 0) is a gap, not a vertical line
    const jump = (fn.dy[1] - fn.dy[0]) / 4;
    let piece = [];
    for (const v of xs) {
      const point = [v, fn.df(v)];
      if (piece.length && Math.abs(point[1] - piece.at(-1)[1]) > jump) {
        bottom.path(piece, { class: "curve" });
        piece = [];
      }
      piece.push(point);
    }
    bottom.path(piece, { class: "curve" });
    const { l } = top.box;
    parts = {
      guides: [top, bottom].map((p) => svg("line", { class: "guide" }, p.data)),
      tangent: svg("line", { class: "tangent" }, top.data),
      point: top.dot(0, 0, { class: "point", r: 7 }),
      marker: bottom.dot(0, 0, { class: "point", r: 6 }),
      key: svg("line", { x1: l, x2: l + 28, y1: 14, y2: 14, class: "tangent" }, top.over),
      legend: svg("text", { x: l + 36, y: 19, class: "legend" }, top.over),
    };
    for (const plot of [top, bottom]) {
      plot.root.setAttribute("tabindex", "0");
      plot.root.classList.add("drag-surface");
      onDrag(plot, (p) => set(p.x));
      plot.root.addEventListener("keydown", keys);
    }
    [slider.min, slider.max] = fn.x;
    note.textContent = fn.note || "";
    note.hidden = !fn.note;
  }

  function keys(event) {
    const [lo, hi] = FUNCTIONS[name].x;
    const moves = {
      ArrowLeft: x - 0.1, ArrowDown: x - 0.1, ArrowRight: x + 0.1, ArrowUp: x + 0.1,
      PageDown: x - 1, PageUp: x + 1, Home: lo, End: hi,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    set(moves[event.key]);
  }

  function set(next) {
    const fn = FUNCTIONS[name];
    const [lo, hi] = fn.x;
    x = snap(Math.min(hi, Math.max(lo, Number.isFinite(next) ? next : 0)));
    const [y, slope] = [fn.f(x), fn.df(x)];
    const shown = fmt(slope, 3); // "flat" exactly when the shown slope is 0
    const kind = shown === "0.000" ? "flat" : slope > 0 ? "rising" : "falling";

    parts.guides.forEach((line, i) => {
      const p = [top, bottom][i];
      setAll(line, { x1: p.sx(x), x2: p.sx(x), y1: p.box.t, y2: p.box.t + p.box.h });
    });
    const at = (v) => y + slope * (v - x);
    setAll(parts.tangent, { x1: top.sx(lo), y1: top.sy(at(lo)), x2: top.sx(hi), y2: top.sy(at(hi)) });
    for (const line of [parts.tangent, parts.key]) {
      setAll(line, { class: `tangent ${CLASSES[kind]}`, "stroke-dasharray": DASHES[kind] });
    }
    setAll(parts.point, { cx: top.sx(x), cy: top.sy(y), class: `point ${CLASSES[kind]}` });
    setAll(parts.marker, { cx: bottom.sx(x), cy: bottom.sy(slope) });
    setAll(parts.legend, { class: `legend ${CLASSES[kind]}` });
    parts.legend.textContent = `tangent: slope ${shown}, ${kind}`;

    slider.value = x;
    slider.setAttribute("aria-valuetext", `x = ${fmt(x, 2)}`);
    out.x.textContent = fmt(x, 2);
    out.f.textContent = fmt(y, 3);
    out.df.textContent = shown;
    out.slope.textContent = kind;
    Object.assign(root.dataset, { x, f: y, df: slope });
  }

  select.value = name;
  select.addEventListener("change", () => {
    name = root.dataset.function = select.value;
    build();
    set(x);
  });
  slider.addEventListener("input", () => set(Number(slider.value)));
  build();
  set(x);
}
