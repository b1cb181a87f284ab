// Material gives every code block a <nav> of buttons (copy). Landmarks need
// distinct names for screen readers: number them in page order.
new MutationObserver(() => {
  const navs = document.querySelectorAll(".md-code__nav");
  navs.forEach((nav, index) => {
    const name = `Actions for code block ${index + 1}`;
    if (nav.getAttribute("aria-label") !== name) {
      nav.setAttribute("aria-label", name);
    }
  });
}).observe(document.body, { childList: true, subtree: true });
