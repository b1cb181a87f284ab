// Material gives every code block a <nav> of buttons (copy). Many unnamed
// navigation landmarks confuse screen readers: make each a named group.
new MutationObserver(() => {
  for (const nav of document.querySelectorAll(".md-code__nav:not([role])")) {
    nav.setAttribute("role", "group");
    nav.setAttribute("aria-label", "Code block actions");
  }
}).observe(document.body, { childList: true, subtree: true });
