// Gradient-descent playground: pick a learning rate and a start point, then
// step on L(x) = x² or on the ill-conditioned L(x, y) = ½(x² + 10y²).
// On these quadratics each step multiplies a coordinate by a fixed factor
// (1 − 2α for x²; 1 − α and 1 − 10α in 2-D), which decides the verdict.
import { Plot, fmt, html, onDrag, svg } from "./plot.js";

const LOSSES = {
  "1d": {
    label: "1-D: L(x) = x²", loss: ([x]) => x * x, grad: ([x]) => [2 * x],
    factors: (lr) => [["x", "1 − 2α", 1 - 2 * lr]],
    x: [-3, 3], y: [-0.6, 9.6], start: [2.5],
  },
  "2d": {
    label: "2-D: L(x, y) = ½(x² + 10y²)",
    loss: ([x, y]) => 0.5 * (x * x + 10 * y * y), grad: ([x, y]) => [x, 10 * y],
    factors: (lr) => [["x", "1 − α", 1 - lr], ["y", "1 − 10α", 1 - 10 * lr]],
    x: [-4, 4], y: [-2, 2], start: [-3.5, 1.5],
  },
};
const RUN_STEPS = 40, MAX_ITERATES = 500, LIMIT = 1e6;
const num = (v) => fmt(v, 4, true);
const blewUp = (p) => p.some((v) => !Number.isFinite(v) || Math.abs(v) > LIMIT);
let uid = 0;

export function mount(root) {
  root.replaceChildren();
  root.classList.add("widget");
  let kind = LOSSES[root.dataset.loss] ? root.dataset.loss : "1d";
  let lr = Number(root.dataset.lr ?? 0.1);
  let start = [...LOSSES[kind].start];
  let iterates = [], timer = null, plot, layer;

  const row = (cls = "widget-controls") => html("div", { class: cls }, root);
  const choice = html("fieldset", { class: "widget-choice" }, row());
  html("legend", {}, choice, "Loss");
  const radios = Object.entries(LOSSES).map(([key, spec]) => {
    const label = html("label", {}, choice);
    const radio = html("input", { type: "radio", name: `gd-loss-${++uid}`, value: key }, label);
    label.append(` ${spec.label}`);
    radio.addEventListener("change", () => {
      kind = key;
      start = [...spec.start];
      build();
    });
    return radio;
  });

  const rates = row();
  const rateRange = html("input", {
    type: "range", min: 0, max: 1.5, step: 0.01, "aria-label": "learning rate α, slider",
  }, html("label", {}, rates, "learning rate α "));
  const number = (name, parent) => html("input", {
    type: "number", step: "any", class: "widget-input", "aria-label": name,
  }, parent);
  const rateNumber = number("learning rate α", rates);
  const starts = row();
  const startInputs = ["x", "y"].map((axis, i) => {
    const label = html("label", {}, starts, `start ${axis}₀ `);
    const input = number(`start ${axis}`, label);
    input.addEventListener("input", () => {
      if (Number.isFinite(input.valueAsNumber)) {
        start[i] = input.valueAsNumber;
        reset();
      }
    });
    return { label, input };
  });

  const buttons = row("widget-buttons");
  const [stepButton, runButton, resetButton] = [
    ["Step", "Take one gradient-descent step"],
    [`Run ${RUN_STEPS}`, `Take up to ${RUN_STEPS} steps`],
    ["Reset", "Back to the start point"],
  ].map(([text, title]) => html("button", { type: "button", class: "widget-button", title }, buttons, text));
  const status = html("p", { class: "widget-readout", "aria-live": "polite", "data-value": "status" });
  root.append(status);
  const plotBox = html("div", { class: "widget-plots" }, root);
  const listBox = html("div", { class: "widget-iterates", tabindex: 0, role: "region" }, root);
  const list = html("ol", { start: 0 }, listBox);

  function build() {
    const spec = LOSSES[kind];
    const oneD = kind === "1d";
    radios.forEach((radio) => (radio.checked = radio.value === kind));
    root.dataset.loss = kind;
    startInputs[1].label.hidden = oneD;
    listBox.setAttribute("aria-label", `Iterates: step, ${oneD ? "x" : "(x, y)"} and loss L`);
    plotBox.replaceChildren();
    plot = new Plot(plotBox, {
      x: spec.x, y: spec.y, height: 260, xLabel: "x", yLabel: oneD ? "L(x)" : "y",
      label: oneD ? "The loss L(x) = x² with the gradient-descent iterates on it"
        : "Contours of L(x, y) = ½(x² + 10y²), ellipses ten times steeper in y, with the iterates",
      description: "Click or tap to choose the start point; with the plot focused, arrow keys move it.",
    });
    if (oneD) {
      const xs = Array.from({ length: 201 }, (_, i) => -3 + (6 * i) / 200);
      plot.path(xs.map((x) => [x, x * x]), { class: "curve" });
    }
    for (const c of oneD ? [] : [0.125, 0.5, 1.25, 2.5, 5, 10]) { // ellipses L = c
      const [rx, ry] = [plot.sx(Math.sqrt(2 * c)) - plot.sx(0), plot.sy(0) - plot.sy(Math.sqrt(c / 5))];
      svg("ellipse", { cx: plot.sx(0), cy: plot.sy(0), rx, ry, class: "contour" }, plot.data);
    }
    layer = svg("g", {}, plot.data);
    plot.root.setAttribute("tabindex", "0");
    plot.root.classList.add("drag-surface");
    const clamp = (v, [lo, hi]) => Math.round(Math.min(hi, Math.max(lo, v)) * 100) / 100;
    onDrag(plot, ({ x, y }) => {
      start = oneD ? [clamp(x, spec.x)] : [clamp(x, spec.x), clamp(y, spec.y)];
      reset();
    });
    plot.root.addEventListener("keydown", (event) => {
      const moves = {
        ArrowLeft: [0, -0.1], ArrowRight: [0, 0.1], ArrowUp: [1, 0.1], ArrowDown: [1, -0.1],
      };
      const [i, by] = moves[event.key] ?? [];
      if (i === undefined || i >= start.length) return;
      event.preventDefault();
      start[i] = Math.round((start[i] + by) * 100) / 100;
      reset();
    });
    reset();
  }

  function verdict() {
    if (!Number.isFinite(lr)) return ["invalid", "Enter a learning rate α (a finite number)."];
    if (lr === 0) return ["stuck", "α = 0: the point never moves; it neither converges nor diverges."];
    const factors = LOSSES[kind].factors(lr);
    const [name, expr, r] = factors.reduce((a, b) => (Math.abs(b[2]) > Math.abs(a[2]) ? b : a));
    const why = `each step multiplies ${name} by ${expr} = ${fmt(r, 3, true)}`;
    const size = fmt(Math.abs(r), 3, true);
    if (Math.abs(r) > 1) return ["diverges", `Diverges: ${why}, whose size ${size} is above 1.`];
    if (Math.abs(r) === 1) {
      return ["oscillates", `Bounces forever (oscillates): ${why}, so |${name}| never shrinks.`];
    }
    const zigzag = factors.some((f) => f[2] < 0) ? ", zig-zagging across the minimum" : "";
    return ["converges", `Converges${zigzag}: ${why}, whose size ${size} is below 1.`];
  }

  const where = (p) => (p.length === 1 ? `x = ${num(p[0])}` : `(${p.map(num).join(", ")})`);

  function show() {
    const spec = LOSSES[kind];
    const [state, text] = verdict();
    const last = iterates[iterates.length - 1];
    let after = ` After ${iterates.length - 1} steps: ${where(last)}, L = ${num(spec.loss(last))}.`;
    const what = last.length === 1 ? "x" : "x or y";
    if (blewUp(last)) after += ` Diverged: |${what}| > 1e6 or not a number.`;
    if (start.every((v) => v === 0)) after += " The start is the minimum itself, so nothing moves.";
    status.textContent = text + after;
    Object.assign(root.dataset, { status: state, steps: iterates.length - 1, lr });
    stepButton.disabled = state === "invalid" || iterates.length > MAX_ITERATES;
    runButton.disabled = stepButton.disabled || timer !== null || blewUp(last);
    // The path: points on the curve (1-D) or in the plane (2-D).
    layer.replaceChildren();
    const points = iterates.map((p) => (p.length === 1 ? [p[0], p[0] * p[0]] : p));
    plot.path(points, { class: "iterate-path" }, layer);
    points.forEach(([x, y], i) =>
      plot.dot(x, y, { r: i ? 3.5 : 6, class: i ? "iterate" : "start" }, layer));
  }

  function add(p) {
    const item = html("li", { "data-x": p[0], ...(p.length > 1 && { "data-y": p[1] }) }, list);
    const first = list.children.length === 1 ? " (start)" : "";
    item.textContent = `${where(p)}, L = ${num(LOSSES[kind].loss(p))}${first}`;
    listBox.scrollTop = listBox.scrollHeight;
  }

  function step() {
    if (!Number.isFinite(lr) || iterates.length > MAX_ITERATES) return false;
    const p = iterates[iterates.length - 1];
    const g = LOSSES[kind].grad(p);
    iterates.push(p.map((v, i) => v - lr * g[i]));
    add(iterates[iterates.length - 1]);
    return true;
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    root.dataset.running = "false";
  }

  function reset() {
    stop();
    iterates = [[...start]];
    list.replaceChildren();
    add(iterates[0]);
    startInputs.forEach(({ input }, i) => {
      if (i < start.length && input.valueAsNumber !== start[i]) input.value = String(start[i]);
    });
    show();
  }

  stepButton.addEventListener("click", () => {
    step();
    show();
  });
  resetButton.addEventListener("click", reset);
  runButton.addEventListener("click", () => {
    if (timer !== null) return;
    let left = RUN_STEPS;
    const advance = () => left-- > 0 && !blewUp(iterates[iterates.length - 1]) && step();
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      while (advance());
      show();
      return;
    }
    root.dataset.running = "true";
    timer = setInterval(() => {
      if (!advance()) stop();
      show();
    }, 60);
  });
  rateRange.addEventListener("input", () => {
    lr = Number(rateRange.value);
    rateNumber.value = rateRange.value;
    reset();
  });
  rateNumber.addEventListener("input", () => {
    lr = rateNumber.value.trim() === "" ? NaN : rateNumber.valueAsNumber;
    if (Number.isFinite(lr)) rateRange.value = lr;
    reset();
  });
  rateRange.value = lr;
  rateNumber.value = String(lr);
  build();
}
