"""Small things a reader notices: the start page's map links its chapters,
the contents follow the page, and a solution reads as an answer."""

import re
from contextlib import contextmanager

from conftest import Visit
from mkdocs.config import load_config
from test_figure_display import CHAPTERS

from bookkit import config, fence


def test_each_box_of_the_map_opens_its_chapter(browser, site_url, built_site):
    visit = Visit(browser, site_url)
    try:
        links = visit.page.locator(".book-diagram svg a").evaluate_all(
            "links => links.map(a => a.getAttribute('xlink:href')"
            " || a.getAttribute('href'))"
        )
        assert links == CHAPTERS[1:]  # CHAPTERS[0] is the start page
        for link in links:
            assert (built_site.site / link / "index.html").exists()
        box = visit.page.locator(".book-diagram svg a").first
        box.click()
        visit.page.wait_for_url("**/derivative/")
    finally:
        visit.close()


def test_the_contents_follow_the_page():
    theme = load_config(str(config.ROOT / "mkdocs.yml"))["theme"]
    assert "toc.follow" in theme["features"]


def test_a_solution_is_marked_as_an_answer_not_as_correct(browser, site_url):
    for scheme in ("light", "dark"):
        visit = Visit(browser, site_url + "derivative/", color_scheme=scheme)
        try:
            summary = visit.page.locator("details.success > summary").first
            icon = summary.evaluate(
                "s => { const b = getComputedStyle(s, '::before');"
                " return [b.backgroundColor, b.maskImage]; }"
            )
            assert icon[0] != "rgb(0, 200, 83)", "Material's success green"
            assert "M12 2a7 7 0 0 0-7 7" in icon[1]  # the light bulb
        finally:
            visit.close()


@contextmanager
def contents_of(browser, url):
    """A page's right-hand table of contents, on a desktop screen."""
    visit = Visit(browser, url, width=1280)
    try:
        yield visit.page.locator(".md-sidebar--secondary .md-nav__list")
    finally:
        visit.close()


def test_the_glossarys_contents_are_a_compact_a_to_z(browser, site_url):
    with contents_of(browser, site_url + "reference/glossary/") as toc:
        letters = toc.locator("a").all_inner_texts()
        assert len(letters) > 20
        assert all(len(letter) == 1 and letter.isupper() for letter in letters)
        # rows of letters, not a column of them: all fit in one screen
        rows = {
            round(box["y"])
            for box in toc.locator("a").evaluate_all(
                "links => links.map(a => a.getBoundingClientRect())"
            )
        }
        assert len(rows) <= len(letters) / 4
        assert toc.bounding_box()["height"] < 200
        toc.locator("a", has_text="T").click()
        toc.page.wait_for_url("**/glossary/#t")


def test_the_questions_contents_show_no_tex(browser, site_url):
    with contents_of(browser, site_url + "reference/questions/") as toc:
        entries = toc.locator("a").all_inner_texts()
        assert len([e for e in entries if e.endswith("?")]) > 20
        assert not [e for e in entries if "\\" in e]


def test_glossary_terms_sit_under_their_letter_in_order():
    page = config.docs_dir() / "reference" / "glossary.md"
    letter, terms = None, {}
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            letter = line[3:].strip()
        elif term := re.match(r'<dt id="[^"]+"><strong>(.+?)</strong>', line):
            name = re.sub(r"<[^>]+>", "", term[1]).lstrip("`")
            terms.setdefault(letter, []).append(name)
    assert len(terms) > 20
    for letter, names in terms.items():
        assert {sort_key(n)[0].upper() for n in names} == {letter}, letter
        assert names == sorted(names, key=sort_key), letter


def sort_key(term: str) -> str:
    """Words in order, punctuation as a space: backward() before Backward
    difference, Log-sum-exp before Logit."""
    return re.sub(r"[^\w]+", " ", term.casefold()).strip()


def test_a_caption_gets_apostrophes_primes_and_whole_numbers():
    caption = fence.typeset_caption("f''(x) vs the method's f'(1) at 1e-308")
    assert caption == (
        "f″(x) vs the method’s f′(1) at "
        '<span class="book-nowrap">1e-308</span>'
    )
    caption = fence.typeset_caption("at y = 1, h ≈ 1e-8: 3.5 steps")
    assert caption == (
        'at <span class="book-nowrap">y = 1</span>, '
        '<span class="book-nowrap">h ≈ 1e-8</span>: 3.5 steps'
    )
