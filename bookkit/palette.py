"""One rule out of Material's palette stylesheet, for a faster page load.

While Material applies the reader's colour scheme it marks `<body>` with
`data-md-color-switching`, and its rule

    [data-md-color-switching] *, ... {transition-duration: 0s !important}

stops every transition until the mark comes off. It does this on every
page load, not only when the reader toggles the scheme, and a rule on
`[attribute] *` makes the browser restyle every element of the page when
the mark is set and again when it is removed: two full style passes of a
page with thousands of math and code elements, about 100 ms each on a
phone. Without the rule, toggling the scheme lets link and code colours
fade for an eighth of a second, as Material's transitions intend.
"""

import re
from pathlib import Path

SWITCHING_RULE = re.compile(r"\[data-md-color-switching\][^{}]*\{[^{}]*\}")
DROPPED = "\n/* bookkit/palette.py dropped the switching rule */\n"


class PaletteError(Exception):
    pass


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
                f" found {count}; see bookkit/palette.py"
            )
        sheet.write_text(trimmed + DROPPED, "utf-8")
