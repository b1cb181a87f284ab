// Turn TeX into MathML at build time; the browser draws it natively, so
// pages ship no math script. MathJax parses the TeX; this file then rewrites
// the few MathJax habits that MathML Core (what Chromium draws) leaves out:
//   - mathvariant="bold" etc.  -> the Unicode bold, italic, double-struck
//                                 letters themselves (𝐱, 𝜽, ℝ)
//   - columnalign/columnspacing on tables -> inline CSS on each cell
//   - accents known only from MathJax's operator dictionary -> accent="true"
//   - the invisible "function application" after sin, log, ... gets TeX's
//     thin space before an argument that is not in brackets (sin x)
//   - primes as superscripts (f') -> the prime after its base: the prime
//     glyph is already raised, and raising it again floats it off
//   - accents drawn from ASCII (^ ~) -> the spacing accents ˆ ˜, which the
//     font places over a letter (the ASCII ones sit on it)
//   - a minus or plus that TeX reads as unary (x = -1) -> form="prefix";
//     bars used as fences (|x|, \|x\|) -> no operator space, ‖ for ∥
//   - \xrightarrow's label padding, written in units MathML Core lacks
//     (width="+0.8em"), which shifts the label off the arrow's centre ->
//     the label centred over a long arrow (Chromium stretches no arrow)
// One JSON request per line on stdin, one answer per line on stdout:
//   {"formulas": [{"tex": "x^2", "display": false}, ...]}
//     -> {"mathml": ["<math>...</math>", ...],
//         "errors": [{"tex": "\\bad", "message": "Undefined ..."}, ...]}
import readline from "node:readline";
import { mathjax } from "mathjax-full/js/mathjax.js";
import { TeX } from "mathjax-full/js/input/tex.js";
import { liteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor.js";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html.js";
import { AllPackages } from "mathjax-full/js/input/tex/AllPackages.js";
import { STATE } from "mathjax-full/js/core/MathItem.js";
import { TEXCLASS } from "mathjax-full/js/core/MmlTree/MmlNode.js";
import { SerializedMmlVisitor } from "mathjax-full/js/core/MmlTree/SerializedMmlVisitor.js";

// bussproofs needs a layout engine; noundefined would draw an unknown macro
// in red instead of reporting it.
const PACKAGES = AllPackages.filter(
  (name) => !["bussproofs", "noundefined"].includes(name),
);
RegisterHTMLHandler(liteAdaptor());
const doc = mathjax.document("", {
  InputJax: new TeX({ packages: PACKAGES }),
});
const serializer = new SerializedMmlVisitor();

// Unicode's Mathematical Alphanumeric Symbols: where each style's A, a, 0
// and Greek capital alpha start, and the letters that live elsewhere.
const STYLES = {
  bold: { A: 0x1d400, a: 0x1d41a, 0: 0x1d7ce, greek: 0x1d6a8 },
  italic: { A: 0x1d434, a: 0x1d44e, greek: 0x1d6e2 },
  "bold-italic": { A: 0x1d468, a: 0x1d482, greek: 0x1d71c },
  "double-struck": { A: 0x1d538, a: 0x1d552, 0: 0x1d7d8 },
  script: { A: 0x1d49c, a: 0x1d4b6 },
  fraktur: { A: 0x1d504, a: 0x1d51e },
  "sans-serif": { A: 0x1d5a0, a: 0x1d5ba, 0: 0x1d7e2 },
  monospace: { A: 0x1d670, a: 0x1d68a, 0: 0x1d7f6 },
};
const ELSEWHERE = {
  italic: { h: "ℎ" },
  "double-struck": { C: "ℂ", H: "ℍ", N: "ℕ", P: "ℙ", Q: "ℚ", R: "ℝ", Z: "ℤ" },
  script: {
    B: "ℬ", E: "ℰ", F: "ℱ", H: "ℋ", I: "ℐ", L: "ℒ", M: "ℳ", R: "ℛ",
    e: "ℯ", g: "ℊ", o: "ℴ",
  },
  fraktur: { C: "ℭ", H: "ℌ", I: "ℑ", R: "ℜ", Z: "ℨ" },
};
// The order of Greek in each style's block, from capital alpha.
const GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ∇αβγδεζηθικλμνξοπρςστυφχψω∂ϵϑϰϕϱϖ";

function styled(char, variant) {
  const style = STYLES[variant];
  const elsewhere = ELSEWHERE[variant]?.[char];
  if (elsewhere) return elsewhere;
  const code = char.codePointAt(0);
  const from = (start, first, count) =>
    start !== undefined && code >= first && code < first + count
      ? String.fromCodePoint(start + code - first)
      : null;
  const greek = GREEK.indexOf(char);
  return (
    from(style.A, 0x41, 26) ??
    from(style.a, 0x61, 26) ??
    from(style[0], 0x30, 10) ??
    (greek >= 0 && style.greek !== undefined
      ? String.fromCodePoint(style.greek + greek)
      : char)
  );
}

function unset(node, name) {
  delete node.attributes.getAllAttributes()[name];
}

function spacing(list, index) {
  const values = (list ?? "").split(/\s+/).filter(Boolean);
  return values.length ? values[Math.min(index, values.length - 1)] : null;
}

function half(length) {
  const match = /^(-?[\d.]+)([a-z]*)$/.exec(length);
  return match ? `${Number(match[1]) / 2}${match[2]}` : length;
}

// columnalign and columnspacing become each cell's text-align and padding;
// rowspacing becomes its vertical padding, over a small strut (TeX gives
// every row a minimum height; MathML Core does not).
const EDGE = "0.2em"; // between a table and its brackets
const STRUT = "0.15em";

function styleTable(table) {
  const attrs = table.attributes;
  const align = attrs.getExplicit("columnalign");
  const columns = attrs.getExplicit("columnspacing");
  const rows = attrs.getExplicit("rowspacing");
  const lastRow = table.childNodes.length - 1;
  const gap = (list, index, normal) =>
    `calc(${half(spacing(list, index) ?? normal)} + ${STRUT})`;
  table.childNodes.forEach((row, r) => {
    const lastColumn = row.childNodes.length - 1;
    row.childNodes.forEach((cell, c) => {
      const before = c === 0 ? EDGE : half(spacing(columns, c - 1) ?? "0.8em");
      const after = c === lastColumn ? EDGE : half(spacing(columns, c) ?? "0.8em");
      const above = r === 0 ? "0" : gap(rows, r - 1, "1ex");
      const below = r === lastRow ? "0" : gap(rows, r, "1ex");
      const css = [`padding: ${above} ${after} ${below} ${before}`];
      const side = spacing(align, c);
      if (side) css.push(`text-align: ${side}`);
      cell.attributes.set("style", css.join("; "));
    });
  });
  for (const name of ["columnalign", "columnspacing", "rowspacing"]) {
    unset(table, name);
  }
}

// Which child is the underscript and which the overscript.
const SCRIPTS = { munder: [1, null], mover: [null, 1], munderover: [1, 2] };

function markAccent(node) {
  const isAccent = (index) => {
    const child = index === null ? null : node.childNodes[index];
    return child?.isEmbellished && child.coreMO().attributes.get("accent");
  };
  const [under, over] = SCRIPTS[node.kind];
  if (isAccent(under)) node.attributes.set("accentunder", "true");
  if (isAccent(over)) node.attributes.set("accent", "true");
}

const APPLY = "\u2061";
const THIN_SPACE = "0.1667em";

function spaceApplication(mo) {
  const siblings = mo.parent.childNodes;
  const next = siblings[siblings.indexOf(mo) + 1];
  const bracketed = [TEXCLASS.OPEN, TEXCLASS.INNER].includes(next?.texClass);
  if (next && !bracketed) mo.attributes.set("rspace", THIN_SPACE);
}

const PRIMES = /^[\u2032-\u2034\u2057]+$/;

function isPrime(node) {
  return node?.isKind("mo") && PRIMES.test(node.getText?.() ?? "");
}

// <msup>base<mo>′</mo></msup> -> <mrow>base<mo>′</mo></mrow>
function unraisePrime(msup) {
  const [base, prime] = msup.childNodes;
  const row = msup.factory.create("mrow");
  msup.parent.replaceChild(row, msup);
  row.appendChild(base);
  row.appendChild(prime);
  prime.attributes.set("lspace", "0");
  prime.attributes.set("rspace", "0");
}

// Accents whose ASCII form sits on the letter instead of above it.
const ACCENTS = { "^": "\u02C6", "~": "\u02DC" };

function useSpacingAccent(node) {
  const [under, over] = SCRIPTS[node.kind];
  for (const index of [under, over]) {
    const child = index === null ? null : node.childNodes[index];
    if (!child?.isEmbellished) continue;
    const text = child.coreMO().childNodes[0];
    const accent = ACCENTS[text?.getText?.()];
    if (accent) text.setText(accent);
  }
}

const BARS = { "|": "|", "\u2016": "\u2016", "\u2225": "\u2016" };
const FENCE_CLASSES = [TEXCLASS.ORD, TEXCLASS.OPEN, TEXCLASS.CLOSE];

// TeX's spacing decides how an operator is read; MathML Core infers it
// from the operator's place in its row. Where they disagree, say so.
function spaceByTeXClass(math) {
  const dictionaryClass = new Map();
  math.walkTree((node) => {
    if (node.isKind("mo")) dictionaryClass.set(node, node.texClass);
  });
  math.setTeXclass(null);
  for (const [mo, before] of dictionaryClass) {
    const text = mo.getText();
    if (before === TEXCLASS.BIN && mo.texClass === TEXCLASS.ORD) {
      mo.attributes.set("form", "prefix");
    } else if (before === TEXCLASS.OP && NAMED_OPERATOR.test(text)) {
      spaceNamedOperator(mo);
    } else if (text in BARS && FENCE_CLASSES.includes(mo.texClass)) {
      mo.childNodes[0].setText(BARS[text]);
      mo.attributes.set("lspace", "0");
      mo.attributes.set("rspace", "0");
      // a bar TeX did not size (no \left) stays one line high
      if (mo.texClass === TEXCLASS.ORD) mo.attributes.set("stretchy", "false");
    }
  }
}

// \max, \min, \lim ...: MathJax writes <mo movablelimits>max</mo>, which
// MathML Core spaces as an unknown operator (a thick space each side). TeX
// puts a thin space around it, and none before an opening bracket.
const NAMED_OPERATOR = /^\p{L}[\p{L}\s]+$/u;

function spaceNamedOperator(mo) {
  let outer = mo; // the embellished operator: lim with its limits, say
  while (outer.parent?.isEmbellished && outer.parent.coreMO() === mo && !outer.parent.isInferred) {
    outer = outer.parent;
  }
  const siblings = outer.parent?.childNodes ?? [];
  const next = siblings[siblings.indexOf(outer) + 1];
  mo.attributes.set("lspace", THIN_SPACE);
  mo.attributes.set("rspace", next?.texClass === TEXCLASS.OPEN ? "0" : THIN_SPACE);
}

// Long forms of the arrows \xrightarrow and friends draw.
const LONG_ARROWS = {
  "\u2190": "\u27F5", "\u2192": "\u27F6", "\u2194": "\u27F7",
  "\u21D0": "\u27F8", "\u21D2": "\u27F9", "\u21D4": "\u27FA",
};

// MathJax: <mover><mstyle><mo>→</mo></mstyle><mpadded width="+…">label
// <mspace depth/></mpadded></mover>. Core reads no "+" lengths, so the
// label is shifted right of the arrow's centre: keep the label alone.
function centreArrowLabel(mover) {
  const [base, label] = mover.childNodes;
  const arrow = base?.isEmbellished ? base.coreMO() : null;
  const long = LONG_ARROWS[arrow?.getText()];
  if (!long || !label?.isKind("mpadded")) return;
  arrow.childNodes[0].setText(long);
  arrow.attributes.set("stretchy", "false");
  const row = mover.factory.create("mrow");
  for (const child of [...label.childNodes[0].childNodes]) {
    // MathJax's depth strut under the label goes; the author's spaces stay
    const strut = child.isKind("mspace") && child.attributes.getExplicit("depth");
    if (!strut) row.appendChild(child);
  }
  mover.replaceChild(row, label);
}

function toCore(math) {
  spaceByTeXClass(math);
  const primed = [];
  const arrows = [];
  math.walkTree((node) => {
    if (node.isKind("msup") && isPrime(node.childNodes[1])) primed.push(node);
    const variant = node.attributes?.getExplicit("mathvariant");
    if (node.isToken && variant && STYLES[variant]) {
      for (const text of node.childNodes) {
        if (text.kind === "text") {
          text.setText([...text.getText()].map((c) => styled(c, variant)).join(""));
        }
      }
      unset(node, "mathvariant");
    }
    if (node.kind === "mtable") styleTable(node);
    if (node.kind in SCRIPTS) {
      markAccent(node);
      useSpacingAccent(node);
    }
    if (node.isKind("mover")) arrows.push(node);
    if (node.isKind("mo") && node.getText() === APPLY) spaceApplication(node);
  });
  primed.forEach(unraisePrime);
  arrows.forEach(centreArrowLabel);
  return math;
}

function answer({ formulas }) {
  const mathml = [];
  const errors = [];
  for (const { tex, display } of formulas) {
    const tree = doc.convert(tex, { display, end: STATE.CONVERT });
    const markup = serializer.visitTree(toCore(tree));
    const error = /<merror data-mjx-error="([^"]*)"/.exec(markup);
    if (error) errors.push({ tex, message: error[1] });
    mathml.push(markup.replace(/>\n\s*</g, "><"));
  }
  return { mathml, errors };
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + "\n");
});
