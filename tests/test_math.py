"""TeX becomes MathML that Chromium draws as MathJax would have.

`bookkit/tex2mathml.mjs` rewrites what MathML Core leaves out (bold and
double-struck letters, table alignment, accents, primes, the space after
sin); the built font has a glyph for every character the site draws.
"""

import html
import re

import pytest
from fontTools.ttLib import TTFont

from bookkit import math


@pytest.fixture(scope="module")
def typeset():
    typesetter = math.Typesetter()

    def typeset(tex: str, display: bool = False) -> str:
        return typesetter.render([(tex, display)])[0]

    yield typeset
    typesetter.close()


def text(mathml: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", mathml))


@pytest.mark.parametrize(
    "tex, shown",
    [
        (r"\mathbf{x}", "𝐱"),  # vectors: bold upright
        (r"\mathbf{0}", "𝟎"),
        (r"\boldsymbol{\theta}", "𝜽"),  # bold Greek: bold italic
        (r"\boldsymbol{\varepsilon}", "𝜺"),
        (r"\mathbb{R}^n", "ℝ"),  # a letter outside the alphabet's block
        (r"\mathbf{J}^\top", "𝐉"),
    ],
)
def test_styled_letters_become_unicode_letters(typeset, tex, shown):
    mathml = typeset(tex)
    assert shown in text(mathml)
    assert "bold" not in mathml and "double-struck" not in mathml


def test_aligned_columns_align_like_tex(typeset):
    mathml = typeset(r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}")
    cells = re.findall(r'<mtd style="([^"]*)"', mathml)
    assert [c.split("text-align: ")[1] for c in cells] == [
        "right",
        "left",
    ] * 2
    assert "columnalign" not in mathml


def test_accents_are_marked_as_accents(typeset):
    assert '<mover accent="true"><mi>y</mi>' in typeset(r"\hat{y}")


def test_primes_sit_after_their_base(typeset):
    mathml = typeset("f'(x) + f''(x)")
    assert "<msup>" not in mathml
    assert "<mrow><mi>f</mi><mo" in mathml and "\u2033" in text(mathml)


def test_function_names_get_a_thin_space_before_a_bare_argument(typeset):
    bare, bracketed = typeset(r"\sin x"), typeset(r"\sin(x)")
    assert 'rspace="0.1667em">&#x2061;' in bare
    assert "rspace" not in bracketed


def test_tex_mathjax_cannot_read_is_an_error(typeset):
    with pytest.raises(math.MathError, match=r"Undefined control sequence"):
        typeset(r"\frac{1}{2} + \slope")


def test_punctuation_after_inline_math_stays_with_it():
    typesetter = math.Typesetter()
    try:
        page = math.typeset_page(
            '<p>at <span class="arithmatex">\\(x\\)</span>, then</p>',
            typesetter,
        )
    finally:
        typesetter.close()
    assert re.search(r"</math>,</span> then", page)


def test_italic_letters_map_to_math_italic():
    assert [math.italic(c) for c in "xhθϵ∂"] == ["𝑥", "ℎ", "𝜃", "𝜖", "𝜕"]
    assert math.italic("1") is None


def test_the_math_font_draws_every_character_on_the_site(built_site):
    font = TTFont(built_site.site / math.FONT_URL)
    has_glyph = set(font.getBestCmap())
    drawn = set()
    for page in built_site.site.rglob("*.html"):
        for formula in re.findall(
            r"<math\b.*?</math>", page.read_text(encoding="utf-8"), re.S
        ):
            letters = math.drawn_characters(formula)
            drawn |= letters | {math.italic(c) for c in letters}
    drawn -= {None, "\u2061", "\u2062", " "}  # invisible operators, space
    assert len(drawn) > 100
    missing = sorted(c for c in drawn if ord(c) not in has_glyph)
    assert missing == []
