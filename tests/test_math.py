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


@pytest.mark.parametrize(
    "tex, accent",
    [
        (r"\hat{y}", "\u02c6"),  # not ASCII ^, which sits on the letter
        (r"\tilde{x}", "\u02dc"),  # not ASCII ~
        (r"\bar{x}", "\u00af"),
        (r"\dot{s}", "\u02d9"),
    ],
)
def test_accents_are_spacing_accents_marked_as_accents(typeset, tex, accent):
    mathml = typeset(tex)
    assert '<mover accent="true">' in mathml
    assert text(mathml)[-1] == accent


def test_a_minus_tex_reads_as_unary_is_a_prefix_operator(typeset):
    for tex in ("x = -1", "(-1)", "-x", "e^{-x}", "[-1, 1]"):
        assert 'form="prefix">&#x2212;' in typeset(tex), tex
    assert "form" not in typeset("a - b")


def test_bars_used_as_fences_get_no_operator_space(typeset):
    bars = typeset(r"|a| + \|x\|_2")
    fences = re.findall(r"<mo [^>]*>(?:\||&#x2016;)</mo>", bars)
    assert len(fences) == 4
    for fence in fences:
        assert 'lspace="0" rspace="0"' in fence
        assert 'stretchy="false"' in fence
    assert "\u2225" not in text(bars) and text(bars).count("\u2016") == 2
    sized = typeset(r"\left|\frac{a}{b}\right|")
    assert sized.count('lspace="0" rspace="0"') == 2
    assert "stretchy" not in sized  # \left ... \right bars still grow
    assert "lspace" not in typeset(r"a \mid b")  # a relation keeps its space


def test_named_operators_get_a_thin_space_not_a_thick_one(typeset):
    before_bracket = typeset(r"\max(1, |a|)")
    assert ">max</mo>" in before_bracket
    assert 'lspace="0.1667em" rspace="0">max' in before_bracket
    assert 'lspace="0.1667em" rspace="0.1667em">lim' in typeset(
        r"\lim_{h \to 0} \frac{1}{h}"
    )


def test_a_label_over_an_arrow_is_centred_on_a_long_arrow(typeset):
    mathml = typeset(r"2x \xrightarrow{h \to 0} 0")
    assert "<mpadded" not in mathml
    assert '<mo data-mjx-texclass="REL" stretchy="false">&#x27F6;' in mathml


def test_the_site_uses_only_what_mathml_core_reads(built_site):
    """No length MathML Core cannot parse (MathJax's "+0.5em" widths) and
    no ASCII accent anywhere on the built site."""
    signed = re.compile(r'<m\w+[^>]*\b\w+="[+-]')
    ascii_accent = re.compile(r"<mo[^>]*>[~^]</mo></mover>")
    pages = list(built_site.site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        html_text = page.read_text(encoding="utf-8")
        for formula in re.findall(r"<math\b.*?</math>", html_text, re.S):
            assert not signed.search(formula), (page, formula)
            assert not ascii_accent.search(formula), (page, formula)


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


def test_a_long_inline_formula_breaks_after_relations_not_in_brackets(
    typeset,
):
    formula = r"P(p) = (p - 8)(1200 - 30p) = -30p^2 + 1440p - 9600"
    pieces = [text(m) for m in math.breakable(typeset(formula))]
    # after each = and each + or − that joins two terms, never after the
    # unary minus nor inside (p − 8)
    assert pieces == [
        "P(p)=",
        "(p\u22128)(1200\u221230p)=",
        "\u221230p2+",
        "1440p\u2212",
        "9600",
    ]
    # a bracket closed inside a power still closes: no break in (1, 1)
    nested = r"(W^\top)^{30}(1, 1)^\top \approx (17.45, 9.3 \times 10^{-10})"
    assert [text(m) for m in math.breakable(typeset(nested))] == [
        "(W\u22a4)30(1,1)\u22a4\u2248",
        "(17.45,9.3\u00d710\u221210)",
    ]


def test_a_short_formula_or_one_without_a_break_stays_whole(typeset):
    no_break = r"\frac{\partial L}{\partial w_{1}} w_2 w_3 w_4 w_5 w_6"
    for formula in (r"x = 1", no_break):
        mathml = typeset(formula)
        assert math.breakable(mathml) == [mathml]


def test_a_long_inline_formula_is_marked_breakable_on_the_page():
    typesetter = math.Typesetter()
    try:
        page = math.typeset_page(
            '<p><span class="arithmatex">\\(x_1 + x_2 + x_3 = y_1 + y_2'
            " + y_3 + y_4 + y_5 + y_6\\)</span>.</p>",
            typesetter,
        )
    finally:
        typesetter.close()
    assert page.count("<math") == 9  # a piece after each + and =
    assert 'class="arithmatex book-breakable"' in page
    assert text(page) == "x1+x2+x3=y1+y2+y3+y4+y5+y6."
    assert page.endswith("</math>.</span></p>")  # the full stop stays


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


@pytest.mark.parametrize(
    "tex, line",
    [
        (r"\tfrac{1}{2}(L^{(1)} + L^{(2)})", "1/2(L⁽¹⁾+L⁽²⁾)"),  # not "12("
        (r"\frac{f(a+h)-f(a-h)}{2h}", "(f(a+h)−f(a−h))/(2h)"),
        (r"\sqrt{\varepsilon}", "√ε"),  # the root stays
        (r"\min(1, c/\|\mathbf{g}\|)", "min(1,c/‖𝐠‖)"),
        (r"\sqrt[3]{\varepsilon}", "³√ε"),
        (r"\hat y = w_2\,a", "ŷ=w₂a"),
        (r"10^{-6}", "10⁻⁶"),
        (r"e^{-x^2}", "e^(−x²)"),  # no superscript x in Unicode
        (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿxᵢ"),
        (
            r"W = \begin{pmatrix}1.1 & 0\\ 0 & 0.5\end{pmatrix}",
            "W=(1.1, 0; 0, 0.5)",
        ),
    ],
)
def test_a_search_result_reads_a_formula_on_one_line(typeset, tex, line):
    assert math.linear_text(typeset(tex)) == line
