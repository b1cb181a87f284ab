// A tiny SVG plotting helper shared by the widgets: axes with ticks and
// labels (linear or log), curves that skip non-finite points, dots, and
// pointer positions converted back to data coordinates.
const NS = "http://www.w3.org/2000/svg";
let uid = 0;

function make(node, attrs, parent, text) {
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}
export const svg = (tag, attrs = {}, parent = null, text = "") =>
  make(document.createElementNS(NS, tag), attrs, parent, text);
export const html = (tag, attrs = {}, parent = null, text = "") =>
  make(document.createElement(tag), attrs, parent, text);

// Numbers for people: fixed decimals (an exponent for huge values, or for
// tiny ones if asked), a true minus sign, Infinity and NaN spelled out.
export function fmt(value, digits = 4, tiny = false) {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "−Infinity";
  const a = Math.abs(value);
  let text = a >= 1e6 || (tiny && a !== 0 && a < 1e-3)
    ? value.toExponential(Math.max(digits - 1, 1))
    : value.toFixed(digits);
  if (Number(text) === 0) text = text.replace("-", "");
  return text.replace("e+", "e").replaceAll("-", "−");
}

// Round tick values for a linear axis; round exponents for a log axis.
function ticks([lo, hi], count, log) {
  if (log) {
    const [a, b] = [Math.ceil(Math.log10(lo)), Math.floor(Math.log10(hi))];
    const step = [1, 2, 3, 4, 5, 10].find((s) => (b - a) / s < 6);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i).filter((e) => e % step === 0);
  }
  const mag = 10 ** Math.floor(Math.log10((hi - lo) / count));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => (hi - lo) / s <= count);
  const out = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) {
    out.push(Number((i * step).toPrecision(12)));
  }
  return out;
}

export class Plot {
  // o: x, y ([min, max]), logX, logY, xLabel, yLabel, label, description, height
  constructor(parent, o) {
    // About one viewBox unit per CSS pixel, so text stays legible on a
    // phone; the SVG still scales with its container afterwards.
    const width = Math.max(330, Math.min(560, parent.clientWidth || 480));
    Object.assign(this, { width, height: 260, logX: false, logY: false }, o);
    const [l, t] = [52, 28];
    this.box = { l, t, w: this.width - l - 14, h: this.height - t - 42 };
    const id = `widget-plot-${++uid}`;
    this.root = svg("svg", {
      viewBox: `0 0 ${this.width} ${this.height}`, class: "widget-plot", role: "img",
      "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-desc`,
      "data-x-domain": this.x.join(" "), "data-y-domain": this.y.join(" "),
    }, parent);
    svg("title", { id: `${id}-title` }, this.root, o.label);
    svg("desc", { id: `${id}-desc` }, this.root, o.description || "");
    const rect = { x: l, y: t, width: this.box.w, height: this.box.h };
    svg("rect", rect, svg("clipPath", { id: `${id}-clip` }, svg("defs", {}, this.root)));
    svg("rect", { ...rect, class: "plot-area" }, this.root);
    this.axes();
    this.data = svg("g", { "clip-path": `url(#${id}-clip)` }, this.root);
    this.over = svg("g", {}, this.root);
  }

  // Data to viewBox coordinates; infinities are pinned far outside the box.
  scale(v, [lo, hi], log, start, size, flip) {
    const f = log ? (Math.log10(v) - Math.log10(lo)) / Math.log10(hi / lo) : (v - lo) / (hi - lo);
    return Math.max(-1e5, Math.min(1e5, start + (flip ? 1 - f : f) * size));
  }
  sx(v) { return this.scale(v, this.x, this.logX, this.box.l, this.box.w, false); }
  sy(v) { return this.scale(v, this.y, this.logY, this.box.t, this.box.h, true); }

  // Data coordinates of a pointer event, through the SVG's own transform.
  fromEvent(event) {
    const p = new DOMPoint(event.clientX, event.clientY)
      .matrixTransform(this.root.getScreenCTM().inverse());
    const { l, t, w, h } = this.box;
    const back = ([lo, hi], f, log) => (log ? lo * (hi / lo) ** f : lo + f * (hi - lo));
    return {
      x: back(this.x, (p.x - l) / w, this.logX),
      y: back(this.y, 1 - (p.y - t) / h, this.logY),
    };
  }

  axes() {
    const { l, t, w, h } = this.box;
    const g = svg("g", { class: "plot-axes" }, this.root);
    const label = (v, log, attrs) => {
      const value = String(v).replace("-", "−");
      const text = svg("text", attrs, g, log ? "10" : value);
      if (log) svg("tspan", { dy: "-0.5em", "font-size": "0.75em" }, text, value);
    };
    for (const v of ticks(this.x, Math.max(3, Math.round(w / 70)), this.logX)) {
      const px = this.sx(this.logX ? 10 ** v : v);
      svg("line", { x1: px, x2: px, y1: t, y2: t + h, class: "plot-grid" }, g);
      label(v, this.logX, { x: px, y: t + h + 16, "text-anchor": "middle" });
    }
    for (const v of ticks(this.y, Math.max(3, Math.round(h / 45)), this.logY)) {
      const py = this.sy(this.logY ? 10 ** v : v);
      svg("line", { x1: l, x2: l + w, y1: py, y2: py, class: "plot-grid" }, g);
      label(v, this.logY, { x: l - 6, y: py + 4, "text-anchor": "end" });
    }
    if (!this.logY && this.y[0] < 0 && this.y[1] > 0) {
      svg("line", { x1: l, x2: l + w, y1: this.sy(0), y2: this.sy(0), class: "plot-zero" }, g);
    }
    if (!this.logX && this.x[0] < 0 && this.x[1] > 0) {
      svg("line", { x1: this.sx(0), x2: this.sx(0), y1: t, y2: t + h, class: "plot-zero" }, g);
    }
    svg("rect", { x: l, y: t, width: w, height: h, class: "plot-frame" }, g);
    const axis = { "text-anchor": "middle", class: "plot-label" };
    svg("text", { ...axis, x: l + w / 2, y: this.height - 6 }, g, this.xLabel);
    svg("text", { ...axis, transform: `translate(13 ${t + h / 2}) rotate(-90)` }, g, this.yLabel);
  }

  // A curve through [x, y] pairs; a NaN breaks it.
  path(points, attrs = {}, parent = this.data) {
    let d = "", pen = "M";
    for (const [x, y] of points) {
      const [px, py] = [this.sx(x), this.sy(y)];
      if (Number.isNaN(px) || Number.isNaN(py)) { pen = "M"; continue; }
      d += `${pen}${px.toFixed(2)} ${py.toFixed(2)}`;
      pen = "L";
    }
    return svg("path", { d, fill: "none", ...attrs }, parent);
  }

  dot(x, y, attrs = {}, parent = this.data) {
    const [cx, cy] = [this.sx(x), this.sy(y)];
    const ok = !Number.isNaN(cx) && !Number.isNaN(cy);
    return svg("circle", { r: 5, ...attrs, ...(ok ? { cx, cy } : { visibility: "hidden" }) }, parent);
  }
}

// Call back with data coordinates while a pointer (mouse, pen or touch)
// is pressed on the plot.
export function onDrag(plot, callback) {
  const target = plot.root;
  let active = null;
  target.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    active = event.pointerId;
    target.setPointerCapture(active);
    event.preventDefault();
    callback(plot.fromEvent(event));
  });
  target.addEventListener("pointermove", (event) => {
    if (event.pointerId === active) callback(plot.fromEvent(event));
  });
  const release = (event) => event.pointerId === active && (active = null);
  target.addEventListener("pointerup", release);
  target.addEventListener("pointercancel", release);
}
