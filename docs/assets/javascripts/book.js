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

// Search: a query of several words finds the sections that hold them all.
// Material's search worker takes words as alternatives, each with a
// wildcard, so "condition number" ranks "dual numbers" first. Before a query
// reaches the worker, every word but the last (which may be half typed) is
// made required; words the index leaves out ("how", "every") are dropped,
// and a hyphen joins two words. A query with the reader's own search syntax
// (quotes, +, -, *, ~, ^, :) is passed on as typed.
// lunr's English stop words: the index holds none of them, so a required
// one would match nothing ("zero_grad every step")
const COMMON_WORDS = new Set(
  ("a able about across after all almost also am among an and any are as " +
    "at be because been but by can cannot could dear did do does either " +
    "else ever every for from get got had has have he her hers him his how " +
    "however i if in into is it its just least let like likely may me " +
    "might most must my neither no nor not of off often on only or other " +
    "our own rather said say says she should since so some than that the " +
    "their them then there these they this tis to too twas us wants was " +
    "we were what when where which while who whom why will with would yet " +
    "you your").split(" "),
);

function requireWords(query) {
  if (/["+~^:*]|(^|\s)-/.test(query)) return query;
  const words = query
    .replace(/(\w)-(?=\w)/g, "$1 ")
    .trim()
    .split(/\s+/)
    .filter((word) => !COMMON_WORDS.has(word.toLowerCase()));
  if (words.length === 1 && /[a-z0-9]_[a-z0-9]/i.test(words[0])) {
    return nameQuery(words[0]);
  }
  if (words.length < 2) return query;
  const last = words.length - 1;
  return words
    .map((word, i) => (i < last || word.length < 3 ? `+${word}` : word))
    .join(" ");
}

// An API name (binary_cross_entropy_with_logits) is required, as typed so
// far; its parts count in section titles, so the section that teaches it
// ("Binary cross-entropy: probabilities versus logits") outranks one that
// only mentions it.
function nameQuery(name) {
  const parts = name
    .toLowerCase()
    .split("_")
    .filter((part) => part.length > 2 && !COMMON_WORDS.has(part));
  return [`+${name}*`, ...parts.map((part) => `title:${part}`)].join(" ");
}

const postToWorker = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (message?.type === 2 && typeof message.data === "string") {
    message = { ...message, data: requireWords(message.data) };
  }
  return postToWorker.call(this, message, ...rest);
};

// An old link to a section that moved when its chapter became a folder
// (/autodiff/#retain_graph) goes on to the page that now holds it, with
// the same anchor. The chapter's index lists such anchors (front matter
// `moved:`, written into a <meta> by overrides/main.html).
function followMovedSection() {
  const meta = document.querySelector('meta[name="book-moved"]');
  const anchor = decodeURIComponent(location.hash.slice(1));
  if (!meta || !anchor || document.getElementById(anchor)) return;
  const page = JSON.parse(meta.content)[anchor];
  if (page) location.replace(new URL(page + location.search + location.hash, location.href));
}
followMovedSection();
window.addEventListener("hashchange", followMovedSection);

// Chromium makes a square root as wide as the widest radical the font could
// draw (MathML Core's preferred inline size: 1.21em in STIX Two Math) and
// draws the one the radicand needs (0.79em for a letter), which leaves a gap
// of about 0.42em after the root. A negative margin closes it. A resize
// observer measures each root when its size is known: once the math font
// has loaded, and again when a closed solution or another tab shows it.
// Every root is measured before any moves: one layout, not one per root.
const rootGaps = new ResizeObserver((entries) => {
  const gaps = entries.map(({ target: root }) => {
    const radicand = root.localName === "mroot" ? [root.firstElementChild] : [...root.children];
    const end = Math.max(...radicand.map((part) => part.getBoundingClientRect().right));
    const em = parseFloat(getComputedStyle(root).fontSize);
    return [root, (root.getBoundingClientRect().right - end) / em];
  });
  for (const [root, gap] of gaps) {
    root.style.marginInlineEnd = gap > 0.01 ? `${(-gap).toFixed(3)}em` : "";
  }
});
document.querySelectorAll("msqrt, mroot").forEach((root) => rootGaps.observe(root));
