// Mounts the book's interactive widgets. Material's `document$` fires once
// the page is set up (and again after each instant navigation, should that
// feature be turned on). Each element with `data-widget="<name>"` gets
// `./<name>.js` imported and its `mount(element)` called once, when it
// comes within half a screen of view: a widget's script and first drawing
// stay out of the page's load.
(function () {
  const base = document.currentScript.src;

  function mount(root) {
    const name = root.dataset.widget;
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

  const nearView = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        nearView.unobserve(entry.target);
        mount(entry.target);
      }
    },
    { rootMargin: "50% 0px" },
  );

  document$.subscribe(() => {
    const waiting = "[data-widget]:not([data-mounted]), [data-mounted='waiting']";
    for (const root of document.querySelectorAll(waiting)) {
      if (!/^[a-z][a-z-]*$/.test(root.dataset.widget)) continue;
      root.dataset.mounted = "waiting";
      nearView.observe(root); // observing twice is observing once
    }
  });
})();
