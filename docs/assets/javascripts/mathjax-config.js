// MathJax 3, self-hosted, loaded only on pages that have math, and typeset
// again after every instant navigation. Pages use arithmatex's \( \) and
// \[ \]; notebooks keep raw $ ... $, so both are accepted.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: "md-container|md-header|tex2jax_ignore",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown|jp-RenderedLatex",
  },
  startup: { typeset: false },
};

(function () {
  const MATH = ".arithmatex, .jp-RenderedMarkdown, .jp-RenderedLatex";
  const src = new URL("../vendor/mathjax/tex-chtml.js", document.currentScript.src);
  let loaded = null;

  function load() {
    loaded ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src.href;
      script.async = true;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(() => window.MathJax.startup.promise);
    return loaded;
  }

  document$.subscribe(() => {
    if (!document.querySelector(MATH)) return;
    window.bookMath = load().then(() => {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    });
  });
})();
