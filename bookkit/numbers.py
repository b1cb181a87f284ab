"""Every precise number in a page's prose is printed by code.

A number in the prose (paragraphs, lists, tables, headings, admonitions,
formulas, alt text and captions: everything but the code of a fence) with
a decimal point and three or more significant digits (0.368, 1.25,
2.50e-05) must be one of:

- printed by a block of the same page, to at least as many decimals:
  a printed 0.36788 allows 0.368 and 0.3679 (rounded either way at the
  last digit), a printed 0.37 does not allow 0.368;
- written in the code of a block of the page (an input the page chose,
  or a value an `assert` checks);
- written in the chapter's own tests (`tests/test_<chapter>.py`), which
  assert it.

A number such as 2.5 or 0.05 (fewer than three significant digits) is
not checked: it is usually an input or a rounding anyone can redo. The
build reports each number that breaks the rule as a warning naming its
Markdown line, so the strict build fails on it.
"""

import re
from decimal import Decimal
from pathlib import Path

from bookkit import blocks, config
from bookkit.check import chapter_name

# 0.368, 1.25, 2.50e-05, and in a formula 1.19 \times 10^{-7}
NUMBER = re.compile(
    r"(?<![\w.])(?P<number>\d+\.\d+(?:[eE][-+]?\d+)?)(?![\w.]*\d)"
    r"(?:\s*(?:\\times|×)\s*10\^\{?(?P<power>[-+]?\d+)\}?)?"
    r"(?P<percent>\s*\\?%)?"
)
RELEASE = re.compile(r"(?<![\d.])\d+\.\d+")  # 2.13 of torch 2.13.0
FENCE_OPTION = re.compile(r"""\b(?:alt|caption)=(["'])(.*?)\1""")
COMMENT = re.compile(r"<!--.*?-->", re.S)
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")


def significant_digits(number: str) -> int:
    mantissa = number.lower().split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa)


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the page's prose: the code inside fences is
    left out, their alt text and captions kept."""
    lines = text.split("\n")
    skip: set[int] = set()
    for first, _indent, info, body in blocks.raw_fences(text):
        options = " ".join(m[2] for m in FENCE_OPTION.finditer(info))
        lines[first - 1] = options
        skip.update(range(first + 1, first + len(body) + 2))
    text = COMMENT.sub(lambda m: "\n" * m[0].count("\n"), "\n".join(lines))
    return [
        (n, LINK_TARGET.sub("]", line))
        for n, line in enumerate(text.split("\n"), start=1)
        if n not in skip
    ]


def applies_to(uri: str) -> bool:
    """Chapter pages (and the start page): not the reference pages, whose
    numbers are citations, nor the labs, whose every number is output."""
    return uri.endswith(".md") and not uri.startswith("reference/")


def value(match: re.Match) -> Decimal:
    """The number a match writes: 1.19 \\times 10^{-7} is 1.19E-7."""
    number = Decimal(match["number"])
    return number.scaleb(int(match["power"])) if match["power"] else number


def readings(match: re.Match) -> list[Decimal]:
    """What a number in the prose may stand for: itself, and for a
    percentage also the fraction (34.9% is a printed 0.349)."""
    number = value(match)
    return [number, number.scaleb(-2)] if match["percent"] else [number]


def values(text: str) -> list[Decimal]:
    return [value(m) for m in NUMBER.finditer(text)]


def rounds_to(printed: Decimal, written: Decimal) -> bool:
    """Is `written` the printed value, or the printed value rounded (up
    or down at its last digit)?"""
    places = -written.as_tuple().exponent
    if -printed.as_tuple().exponent < places:  # printed less precisely
        return False
    half = Decimal(5).scaleb(-places - 1)
    return abs(printed - written) <= half


def chapter_tests(page: Path) -> Path:
    """tests/test_<chapter>.py, next to the docs folder (the book's, or a
    planted site's): docs/chain-rule.md and every page of
    docs/chain-rule/ belong to chapter chain_rule."""
    tests = config.docs_dir().resolve().parent / "tests"
    return tests / f"test_{chapter_name(page)}.py"


def unprinted(
    page: Path, text: str, printed: list[str], versions: str = ""
) -> list[str]:
    """`docs/page.md:LINE: ...` for every number of the prose that no
    block prints and no code on the page or in its tests writes.
    `versions`: the versions line every page shows (torch 2.13.0), whose
    releases the prose may name (PyTorch 2.13)."""
    shown = values("\n".join(printed))
    code = "\n".join(b.source for b in blocks.page_blocks(page, text))
    written = set(values(code)) | {
        Decimal(r) for r in RELEASE.findall(versions)
    }
    tests = chapter_tests(page)
    if tests.is_file():
        written |= set(values(tests.read_text("utf-8")))
    problems = []
    for line, prose in prose_lines(text):
        for match in NUMBER.finditer(prose):
            number = match["number"]
            if significant_digits(number) < 3:
                continue
            if any(
                reading in written or any(rounds_to(v, reading) for v in shown)
                for reading in readings(match)
            ):
                continue
            problems.append(
                f"{blocks.relative(page)}:{line}: {number} in the prose is "
                "printed by no block of the page (nor written in its code "
                f"or in {tests.name}): print it, or assert it in a test"
            )
    return problems
