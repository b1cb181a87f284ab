"""Every formula on the site is drawn as its TeX means, in two engines.

The build cuts the math font down to the glyphs the formulas use. A glyph
it leaves out is not an error anywhere: the browser quietly takes it from
another font, or draws nothing (every square root once vanished this way
while every other test passed). So each distinct formula on the built
site, pages and labs, is drawn twice side by side, in the cut font and in
the full STIX Two Math font from npm, and the two must match pixel for
pixel, in chromium and in Firefox. A formula that differs is named by the
page and line its TeX is on.
"""

import html
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bookkit import blocks, config, math

SHOTS = Path(math.__file__).with_name("formula_shots.mjs")
ENGINES = ["chromium", "firefox"]
FORMULA = re.compile(r"<math\b.*?</math>", re.DOTALL)
PAGE_STYLE = """
@font-face { font-family: "Cut"; src: url("cut.woff2"); }
@font-face { font-family: "Full"; src: url("full.woff"); }
body { margin: 0; background: #fff; color: #000; font-size: 16px; }
[data-cell] { box-sizing: border-box; padding: 6px 8px;
  white-space: nowrap; overflow: hidden; }
math { font-size: 1.1em; }  /* as on the site (math.css) */
.cut math { font-family: "Cut"; }
.full math { font-family: "Full"; }
"""


@dataclass
class Formula:
    mathml: str
    where: str  # docs/page.md:LINE, or the page alone when not found


def source_of(page: Path, site: Path) -> Path | None:
    """The Markdown page or lab notebook a built page was made from."""
    route = page.relative_to(site).parent
    docs = config.docs_dir()
    for candidate in (
        docs / f"{route}.md",
        docs / route / "index.md",
        docs / f"{route}.py",
    ):
        if candidate.is_file():
            return candidate
    return None


TEX = re.compile(
    r"\\\[(?P<display>.+?)\\\]|\\\((?P<inline>.+?)\\\)", re.DOTALL
)


def tex_in(source: Path) -> list[tuple[str, bool, int]]:
    """Each formula's TeX in a page or lab, with where it starts."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".py":  # a notebook's Markdown cells: `# $x$`
        text = re.sub(r"(?m)^# ?", "", text)
        pattern = math.DOLLARS
    else:
        pattern = TEX
    return [
        (m["display"] or m["inline"], m["display"] is not None, m.start())
        for m in pattern.finditer(text)
    ]


def site_formulas(site: Path) -> list[Formula]:
    """Every distinct formula on the built site, named by its TeX's line."""
    typesetter = math.Typesetter()
    where: dict[str, str] = {}
    found: dict[str, str] = {}
    try:
        for page in sorted(site.rglob("*.html")):
            formulas = FORMULA.findall(page.read_text(encoding="utf-8"))
            if not formulas:
                continue
            source = source_of(page, site)
            if source is not None:
                text = source.read_text(encoding="utf-8")
                candidates = tex_in(source)
                rendered = typesetter.render(
                    [(tex, display) for tex, display, _ in candidates]
                )
                for (_, _, start), mathml in zip(
                    candidates, rendered, strict=True
                ):
                    where.setdefault(
                        mathml, blocks.at_line(source, text, start)
                    )
            page_name = (
                blocks.relative(source)
                if source
                else str(page.relative_to(site))
            )
            for mathml in formulas:
                found.setdefault(mathml, where.get(mathml, page_name))
    finally:
        typesetter.close()
    return [Formula(m, w) for m, w in found.items()]


def formula_page(
    formulas: list[Formula], cut_font: Path, folder: Path
) -> Path:
    """A page of every formula, in the cut font or the full one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cut.woff2").write_bytes(cut_font.read_bytes())
    (folder / "full.woff").write_bytes(math.FONT.read_bytes())  # uncut
    cells = "\n".join(f"<div data-cell>{f.mathml}</div>" for f in formulas)
    page = folder / "formulas.html"
    page.write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8">'
        f"<style>{PAGE_STYLE}</style><body>{cells}</body></html>",
        encoding="utf-8",
    )
    return page


def shoot(engine: str, page: Path, out: Path) -> dict:
    result = subprocess.run(
        ["node", str(SHOTS), engine, page.as_uri(), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def drawing(shots: list[dict], out: Path) -> np.ndarray:
    """The whole page, from its screenshots, in grey levels."""
    return np.vstack(
        [np.asarray(Image.open(out / s["file"]).convert("L")) for s in shots]
    )


def differing(formulas: list[Formula], shots: dict, out: Path) -> list[str]:
    """Formulas drawn differently in the two fonts, with how many pixels
    differ."""
    full, cut = (drawing(shots["shots"][font], out) for font in ("full", "cut"))
    assert len(shots["cells"]) == len(formulas)
    problems = []
    for formula, (x, y, width, height) in zip(
        formulas, shots["cells"], strict=True
    ):
        box = np.s_[int(y) : int(y + height), int(x) : int(x + width)]
        count = int((full[box] != cut[box]).sum())
        if count:
            text = html.unescape(math.TAG.sub("", formula.mathml))[:60]
            problems.append(f"{formula.where}: {count} pixels differ: {text}")
    return problems


@pytest.fixture(scope="module")
def formulas(built_site) -> list[Formula]:
    assert built_site.returncode == 0, "the site did not build"
    return site_formulas(built_site.site)


def test_every_formula_is_found_on_the_site(formulas):
    assert len(formulas) > 1000
    assert sum(":" in f.where for f in formulas) > 0.9 * len(formulas)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_cut_font_draws_every_formula_as_the_full_font_does(
    engine, formulas, built_site, tmp_path
):
    page = formula_page(
        formulas, built_site.site / math.FONT_URL, tmp_path / "page"
    )
    shots = shoot(engine, page, tmp_path / "shots")
    problems = differing(formulas, shots, tmp_path / "shots")
    assert not problems, (
        f"{len(problems)} formulas are drawn differently in the cut font "
        f"({shots['engine']}):\n" + "\n".join(problems)
    )
