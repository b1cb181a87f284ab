"""Search finds what a reader types, and its results read cleanly.

Queries run in the browser against the built site, as a reader types them
into Material's search box; the section that teaches the thing must be
among the first three results. The index itself holds no code from the
labs, no copy button's "Copied!", no heading's ¶ and no raw TeX.
"""

import json
import re

import pytest
from conftest import Visit

from bookkit import config

# what a reader types -> the section that must come up in the first three
QUERIES = {
    "clip_grad_norm_": "failures/#clipping-by-norm",
    "binary_cross_entropy_with_logits": (
        "failures/numerics/#binary-cross-entropy-probabilities-versus-logits"
    ),
    "jvp": "autodiff/pytorch/#hessianvector-products-jvp-of-grad",
    "vanishing": "failures/#vanishing-gradients",
    "chain rule": "chain-rule/",
    # phrases: every word but a half-typed last one is required (book.js)
    "condition number": "gradient-descent/#two-dimensions-narrow-valleys",
    "how small should h be": "derivative/#how-small-should-h-be",
    "vanishing gradients": "failures/#vanishing-gradients",
    "reverse-mode engine": "labs/autodiff/",
    "per-example gradients": (
        "autodiff/pytorch/#per-example-gradients-vmap-of-grad"
    ),
    "logsumexp": "failures/numerics/#softmax-and-log-sum-exp",
    # "every" is one of lunr's stop words: required, it would match nothing
    "zero_grad every step": "gradient-descent/training/#forgetting-zero_grad",
    # each interview question is a result of its own
    "why is .grad None after backward": (
        "reference/questions/#why-is-grad-none-after-backward"
    ),
}
RESULTS = """() => [...document.querySelectorAll('.md-search-result__link')]
  .map(a => a.pathname.replace(/^\\//, '') + a.hash)"""


@pytest.mark.parametrize("query, section", QUERIES.items())
def test_a_query_finds_its_section(browser, site_url, query, section):
    visit = Visit(browser, site_url)
    page = visit.page
    try:
        page.keyboard.press("/")
        page.wait_for_function(
            "document.activeElement.matches('.md-search__input')"
        )
        visit.search(query)
        assert section in page.evaluate(RESULTS)[:3]
    finally:
        visit.close()


TEX = re.compile(r"\\\(|\\\[|\\[a-z]+\{|\$[^$\s][^$]*\$")


def test_the_index_holds_prose_not_code_or_tex(built_site):
    index = built_site.site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    labs = [d for d in docs if d["location"].startswith("labs/")]
    assert len(labs) > 7  # each lab, and its sections
    assert not [d["location"] for d in labs if "import " in d["text"]]
    assert not [d["location"] for d in docs if "Copied!" in d["text"]]
    assert not [d["title"] for d in docs if "¶" in d["title"]]
    # nor a figure's tick labels, nor the names of a pair of tabs
    attack = next(d for d in docs if d["location"].endswith("attack-surface"))
    assert "FGSM steps (arrows)" in attack["text"]  # its caption stays
    assert "perturbation size ε (max change" not in attack["text"]
    softmax = next(d for d in docs if d["location"].endswith("log-sum-exp"))
    assert "BrokenFixed" not in softmax["text"]
    raw = [(d["location"], m[0]) for d in docs if (m := TEX.search(d["text"]))]
    assert raw == []
    # the formulas are there, as the page draws them
    glossary = next(d for d in docs if d["location"] == "reference/glossary/")
    assert "𝐱" in glossary["text"]
    # on one line: a root keeps its √ and ½ reads 1/2 (math.linear_text)
    assert any("√ε" in d["text"] for d in docs)


def test_each_question_is_its_own_result_with_its_answer(built_site):
    """Every question on the questions page is an entry of the index, its
    answer the entry's text (a section of its own, not its group's)."""
    page = config.ROOT / "docs" / "reference" / "questions.md"
    asked = re.findall(r"^### (.+)$", page.read_text("utf-8"), re.M)
    index = built_site.site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    entries = [
        d
        for d in docs
        if d["location"].startswith("reference/questions/#")
        and d["title"].endswith("?")
    ]
    assert len(entries) == len(asked) > 20
    assert all("Learn more" in d["text"] for d in entries)
    groups = [d for d in docs if d["location"].startswith("reference/q")]
    assert not [d["location"] for d in groups if d["text"].count("Learn") > 1]
