// Material renders diagrams with a global `mermaid` and fetches it from a
// CDN when none exists. This stand-in keeps that request off the network:
// the self-hosted library (3.6 MB) is loaded only when a page has a diagram.
(function () {
  const src = new URL("../vendor/mermaid/mermaid.min.js", document.currentScript.src);
  let settings = {};
  let loaded = null;

  function load() {
    loaded ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src.href;
      script.onload = () => {
        window.mermaid.initialize(settings);
        resolve(window.mermaid);
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loaded;
  }

  window.mermaid = {
    initialize(options) {
      settings = options;
    },
    async render(id, text) {
      const mermaid = await load();
      return mermaid.render(id, text);
    },
  };
})();
