// Mounts the book's interactive widgets. Material's `document$` fires on the
// first load and after every instant navigation; each element with
// `data-widget="<name>"` gets `./<name>.js` imported (only on pages that
// have one) and its `mount(element)` called once.
(function () {
  const base = document.currentScript.src;

  document$.subscribe(() => {
    for (const root of document.querySelectorAll("[data-widget]:not([data-mounted])")) {
      const name = root.dataset.widget;
      if (!/^[a-z][a-z-]*$/.test(name)) continue;
      root.dataset.mounted = "loading";
      import(new URL(`./${name}.js`, base).href)
        .then((module) => {
          module.mount(root);
          root.dataset.mounted = "true";
        })
        .catch((error) => {
          root.dataset.mounted = "failed";
          console.error(`widget ${name}:`, error);
        });
    }
  });
})();
