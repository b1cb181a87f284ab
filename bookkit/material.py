"""Two changes to Material's output that make pages load faster.

Both avoid a restyle of the whole page while Material's script starts,
each about 100 ms on a phone for a chapter with thousands of math and
code elements.

- The palette stylesheet loses one rule. While Material applies the
  reader's colour scheme it marks `<body>` with `data-md-color-switching`,
  and its rule `[data-md-color-switching] *, ... {transition-duration: 0s
  !important}` stops every transition until the mark comes off. It does
  this on every page load, not only when the reader toggles the scheme,
  and a rule on `[attribute] *` makes the browser restyle every element
  when the mark is set and again when it is removed. Without the rule,
  toggling the scheme lets link and code colours fade for an eighth of a
  second, as Material's transitions intend.
- Each Markdown table is wrapped in a `<div class="book-table">`.
  Material's script moves every table into a scrolling wrapper; moving a
  child of the article restyles the whole article once a page has math
  (the browser's MathML stylesheet has `:nth-child` rules that depend on
  an element's siblings). Inside a div of its own, the move restyles only
  the table. The div has no style: margins collapse through it, and the
  page lays out exactly as before.
"""

import re
from pathlib import Path

SWITCHING_RULE = re.compile(r"\[data-md-color-switching\][^{}]*\{[^{}]*\}")
DROPPED = "\n/* bookkit/material.py dropped the switching rule */\n"
TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)  # Markdown's tables


class PaletteError(Exception):
    pass


def wrap_tables(html: str) -> str:
    """Put each Markdown table (a `<table>` without attributes, as Material
    wraps) in a `<div class="book-table">` of its own."""
    return TABLE.sub(lambda m: f'<div class="book-table">{m[0]}</div>', html)


def drop_switching_rule(site_dir: Path) -> None:
    """Remove the rule from the built site's palette stylesheet(s)."""
    sheets = sorted(site_dir.glob("assets/stylesheets/palette.*.css"))
    if not sheets:
        raise PaletteError(
            f"{site_dir}/assets/stylesheets: no palette.*.css from Material"
        )
    for sheet in sheets:
        css = sheet.read_text("utf-8")
        if css.endswith(DROPPED):  # a --dirty rebuild kept the old copy
            continue
        trimmed, count = SWITCHING_RULE.subn("", css)
        if count != 1:
            raise PaletteError(
                f"{sheet}: expected one [data-md-color-switching] rule,"
                f" found {count}; see bookkit/material.py"
            )
        sheet.write_text(trimmed + DROPPED, "utf-8")
