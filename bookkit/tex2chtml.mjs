// Typeset TeX to static CommonHTML at build time, so pages ship no math
// script. Reads one JSON request per line on stdin, answers one per line:
//   {"formulas": [{"tex": "x^2", "display": false}, ...]}
//     -> {"html": ["<mjx-container ...>", ...], "errors": ["bad tex", ...]}
//   {"stylesheet": true} -> {"css": "..."}  (for every formula so far)
import readline from "node:readline";
import { mathjax } from "mathjax-full/js/mathjax.js";
import { TeX } from "mathjax-full/js/input/tex.js";
import { CHTML } from "mathjax-full/js/output/chtml.js";
import { liteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor.js";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html.js";
import { AssistiveMmlHandler } from "mathjax-full/js/a11y/assistive-mml.js";
import { AllPackages } from "mathjax-full/js/input/tex/AllPackages.js";

const FONTS = "../vendor/mathjax/woff-v2"; // relative to the stylesheet
const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const chtml = new CHTML({ fontURL: FONTS });
const doc = mathjax.document("", {
  InputJax: new TeX({ packages: AllPackages }),
  OutputJax: chtml,
});

function answer(request) {
  if (request.stylesheet) {
    return { css: adaptor.textContent(chtml.styleSheet(doc)) };
  }
  const html = [];
  const errors = [];
  for (const { tex, display } of request.formulas) {
    const markup = adaptor.outerHTML(doc.convert(tex, { display }));
    if (markup.includes("mjx-merror")) errors.push(tex);
    html.push(markup);
  }
  return { html, errors };
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + "\n");
});
