"""The height the build gives a code block until the browser first shows
it (bookkit/fence.py). The browser tests compare it with the real height
on every page; these check its parts on inputs no page has yet."""

import pytest

from bookkit.fence import (
    CODE_LINE,
    FIGURE_BOX,
    TABLE_ROW,
    figure_widths,
    only_tables,
    placeholder,
)

SVG = (
    '<svg style="--book-phone-width: 400px; max-width: 720px" '
    'width="432pt" height="288pt" viewBox="0 0 432 288">'
)


def heights(style: str) -> list[float]:
    """The desktop and phone heights, in em, of a style attribute (to
    0.1 em)."""
    return [float(part.split(": ")[1]) for part in style[7:-3].split("em; ")]


@pytest.mark.parametrize(
    "markdown, expected",
    [
        ("| a | b |\n|---|:-:|\n| 1 | 2 |\n", True),
        ("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n", True),
        ("| a |\n|---|\n| 1 |\nA sentence after the table.\n", False),
        ("```mermaid\ngraph LR\n```\n", False),
        ("\n  \n", False),
        # (a regular expression once took seconds on a few such rows)
        ("| a | b | c | d |\n" * 40 + "x", False),
    ],
)
def test_only_tables_is_printed_markdown_of_tables_alone(markdown, expected):
    assert only_tables(markdown) is expected


def test_a_figure_is_as_wide_as_its_drawing_within_its_limits():
    # 432 pt = 576 px = 36 em: within the desktop column (43 em), under the
    # max-width (45 em); on a phone at least its phone width (25 em)
    assert figure_widths(SVG, "", 0) == (36, 36)
    assert figure_widths(SVG, "", 1) == (22.4, 25)
    # a long caption widens the box to the column, the drawing to 43 em
    assert figure_widths(SVG, "x" * 200, 0) == (43, 43)


def test_a_block_grows_with_its_lines_rows_and_figures():
    code = heights(placeholder("a = 1", [], "", label=False, title=False))
    longer = heights(placeholder("a = 1\nb = 2", [], "", False, False))
    assert longer == pytest.approx([h + CODE_LINE for h in code], abs=0.1)
    table = "| a |\n|---|\n| 1 |\n| 2 |\n"
    tabled = heights(placeholder("a = 1", [("markdown", table)], "", 0, 0))
    for screen in (0, 1):  # a header and two rows, not the |---| line
        added = 3 * TABLE_ROW[screen]
        assert tabled[screen] == pytest.approx(code[screen] + added, abs=0.1)
    figured = heights(placeholder("a = 1", [("figure", SVG)], "", 0, 0))
    for screen, width in ((0, 36), (1, 25)):  # (figure_widths, above)
        expected = code[screen] + width * 288 / 432 + FIGURE_BOX
        assert figured[screen] == pytest.approx(expected, abs=0.1)


def test_a_figure_without_a_shape_leaves_the_block_always_laid_out():
    figure = ("figure", '<svg width="432pt"><g/></svg>')
    assert placeholder("a = 1", [figure], "", False, False) is None
