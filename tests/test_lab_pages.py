"""Lab pages lose the JupyterLab CSS they do not use, and look the same.

The browser test renders one real lab's notebook HTML, as mkdocs-jupyter
made it, next to the trimmed copy, and compares the computed style of
every element in light and dark mode.
"""

import json
import re

import nbformat
import yaml
from conftest import Visit
from mkdocs.config import load_config

from bookkit import config, lab_pages
from bookkit.mkdocs_plugin import environment_key

CLASSES = {"jp-Cell", "jp-InputArea"}


def test_rules_for_classes_the_page_lacks_go():
    css = ".jp-Cell{color:red}.jp-Toolbar{color:blue}.jp-Cell a{x:1}"
    assert (
        lab_pages.used_css(css, CLASSES)
        == ".jp-Cell{color:red}.jp-Cell a{x:1}"
    )


def test_a_selector_list_keeps_only_the_selectors_that_can_match():
    css = ".jp-Toolbar, .jp-Cell > p {margin:0}"
    assert lab_pages.used_css(css, CLASSES) == ".jp-Cell > p {margin:0}"


def test_attribute_values_and_root_are_read_as_such():
    css = (
        '.jp-Cell[data-mime-type="application/vnd.jupyter.stderr"]{x:1}'
        ".jp-Cell :root{--icon:url(a.svg)}"
        ":root{--kept:1}p{color:var(--kept)}"
    )
    assert lab_pages.used_css(css, CLASSES) == (
        '.jp-Cell[data-mime-type="application/vnd.jupyter.stderr"]{x:1}'
        ":root{--kept:1}p{color:var(--kept)}"
    )


def test_custom_properties_nobody_reads_go_even_through_chains():
    css = (
        ":root{--a:1;--b:var(--a);--c:var(--b);--unread:2;--read-outside:3;"
        "--x:var(--y);--y:var(--x)}"  # a loop that nothing else reads
        "p{width:var(--c)}"
    )
    kept = lab_pages.used_css(css, CLASSES, read_elsewhere={"--read-outside"})
    assert kept == (
        ":root{--a:1;--b:var(--a);--c:var(--b);--read-outside:3;}"
        "p{width:var(--c)}"
    )


def test_media_blocks_are_trimmed_inside():
    css = "@media print{.jp-Toolbar{display:none}.jp-Cell{margin:0}}"
    assert (
        lab_pages.used_css(css, CLASSES) == "@media print{.jp-Cell{margin:0}}"
    )


def test_the_cdn_mermaid_loader_goes_and_small_styles_stay():
    page = (
        '<div class="jp-Cell"><style>.x{y:1}</style>'
        '<script type="module">\nif (document.querySelectorAll('
        '".jp-Mermaid > pre.mermaid").length) import("https://cdn/m.mjs");'
        "</script>\n<p>after</p></div>"
    )
    assert lab_pages.trim(page) == (
        '<div class="jp-Cell"><style>.x{y:1}</style><p>after</p></div>'
    )


def test_a_trimmed_lab_looks_exactly_like_the_original(
    browser, site_url, built_site
):
    cache = config.ROOT / ".cache" / "notebooks" / environment_key()
    notebook = json.loads(sorted(cache.glob("*.json"))[0].read_text())
    original = notebook["content"]
    trimmed = lab_pages.trim(original)
    assert len(trimmed) < len(original) / 2
    site_css = sorted((built_site.site / "assets/stylesheets").glob("*.css"))
    links = "".join(
        f'<link rel="stylesheet" href="assets/stylesheets/{css.name}">'
        for css in site_css
    )
    visits = {}
    try:
        for name, content in (("original", original), ("trimmed", trimmed)):
            visits[name] = visit = Visit(browser, site_url)
            visit.page.set_content(
                f'<!doctype html><html><head><base href="{site_url}">'
                f"{links}<style>* {{ transition: none !important }}</style>"
                '</head><body><article class="md-content md-typeset">'
                f"{content}</article></body></html>",
                wait_until="load",
            )
        pages = [visit.page for visit in visits.values()]
        for scheme in SCHEMES:
            before, after = (style_digests(page, scheme) for page in pages)
            assert len(before) == len(after) > 500
            pairs = enumerate(zip(before, after, strict=True))
            changed = [i for i, (b, a) in pairs if a != b]
            if changed:
                first = [computed_style(page, changed[0]) for page in pages]
                assert first[0] == first[1], (
                    f"{scheme}: {len(changed)} elements"
                )
    finally:
        for visit in visits.values():
            visit.close()


SCHEMES = ("default", "slate")
ELEMENTS = "[...document.querySelectorAll('article *:not(script)')]"
# every element's computed style, custom properties aside (the trimming
# drops those nothing reads); each element lists the same properties
STYLE = """element => {
  const style = getComputedStyle(element);
  window.styleNames ??= [...style].filter(name => !name.startsWith('--'));
  return element.tagName + ' ' + styleNames
    .map(name => `${name}:${style.getPropertyValue(name)}`).join(';');
}"""


def style_digests(page, scheme: str) -> list[int]:
    """A digest of every element's computed style: comparing digests in
    Python, not the styles, saves moving 30 MB of text out of the page."""
    return page.evaluate(
        f"""scheme => {{
          document.body.dataset.mdColorScheme = scheme;
          const style = {STYLE};
          return {ELEMENTS}.map(element => {{
            const text = style(element);
            let digest = 0x811c9dc5;  // 32-bit FNV-1a
            for (let i = 0; i < text.length; i++) {{
              digest = Math.imul(digest ^ text.charCodeAt(i), 0x01000193);
            }}
            return digest >>> 0;
          }});
        }}""",
        scheme,
    )


def computed_style(page, index: int) -> str:
    return page.evaluate(f"i => ({STYLE})({ELEMENTS}[i])", index)


def test_every_lab_has_a_numbered_entry_under_labs_in_the_nav():
    nav = load_config(str(config.ROOT / "mkdocs.yml"))["nav"]
    section = next(entry["Labs"] for entry in nav if "Labs" in entry)
    titles = [title for entry in section for title in entry]
    files = [path for entry in section for path in entry.values()]
    labs = sorted((config.docs_dir() / "labs").glob("*.py"))
    assert sorted(files) == sorted(f"labs/{lab.name}" for lab in labs)
    numbers = [int(re.match(r"Lab (\d+): \S", t)[1]) for t in titles]
    assert numbers == list(range(1, len(labs) + 1))
    # the notebook's own title has its nav entry's number and case
    for number, path in zip(numbers, files, strict=True):
        source = (config.docs_dir() / path).read_text(encoding="utf-8")
        heading = re.search(r"^# # (.+)$", source, re.M)[1]
        assert re.match(rf"Lab {number}: [A-Z]", heading), (path, heading)


def test_a_downloaded_lab_holds_the_outputs_its_page_shows(built_site):
    for lab in sorted((config.docs_dir() / "labs").glob("*.py")):
        folder = built_site.site / "labs" / lab.stem
        notebook = nbformat.read(folder / f"{lab.stem}.ipynb", as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{lab.name}: not run"
        figures = [
            o
            for c in code
            for o in c.outputs
            if "image/png" in o.get("data", {})
        ]
        assert len(figures) == len(list(folder.glob("*-figure-*.png")))
        assert sum(len(c.outputs) for c in code) > 0


CHAPTER_AND_LAB = """() => {
  const article = document.querySelector('article');
  const text = article.querySelector(
    ':scope > p, .jp-RenderedMarkdown > p').getBoundingClientRect();
  const code = article.querySelector(
    '.book-block pre, .highlight-ipynb pre');
  const output = article.querySelector(
    '.book-output pre, .jp-OutputArea-output pre');
  return {
    text: [text.left, text.width],
    code: [code.getBoundingClientRect().left,
           getComputedStyle(code).whiteSpace,
           getComputedStyle(code.querySelector('code') || code).fontSize],
    label: getComputedStyle(output, '::before').content,
  };
}"""


def test_a_lab_reads_like_a_chapter_on_a_phone(browser, site_url):
    looks = {}
    for path in ("rules/", "labs/rules/"):
        visit = Visit(browser, site_url + path, width=390)
        try:
            looks[path] = visit.page.evaluate(CHAPTER_AND_LAB)
            if path.startswith("labs/"):
                page = visit.page
                assert page.title().startswith("Lab 2: The rules")
                # in the menu a phone opens, and linked to its neighbours
                menu = page.locator(
                    ".md-nav--primary a", has_text="Lab 1: Measuring"
                )
                assert menu.evaluate("a => a.href").endswith(
                    "/labs/derivative/"
                )
                assert page.locator(".md-footer__link--prev").count() == 1
                assert page.locator(".md-footer__link--next").count() == 1
                # its downloads sit under its title
                assert page.locator("h1 + p.book-lab-download").count() == 1
        finally:
            visit.close()
    chapter, lab = looks["rules/"], looks["labs/rules/"]
    assert lab["text"] == chapter["text"]  # the same column
    assert lab["code"] == chapter["code"]  # code starts there, unwrapped
    assert lab["code"][1] == "pre"
    assert lab["label"] == chapter["label"] == '"Output"'


def test_a_chapters_lab_is_a_card_that_opens_the_lab(browser, site_url):
    visit = Visit(browser, site_url + "derivative/", width=390)
    page = visit.page
    try:
        card = page.locator("h2#lab + p")
        card.scroll_into_view_if_needed()
        assert card.evaluate("p => getComputedStyle(p).boxShadow") != "none"
        box = card.bounding_box()
        # the card's corner, away from the link's text, opens the lab
        page.mouse.click(box["x"] + box["width"] - 4, box["y"] + 4)
        page.wait_for_url("**/labs/derivative/")
    finally:
        visit.close()


def test_lab_prose_has_the_chapters_quotes(built_site):
    """A lab's prose, as the chapters' (smarty), has curly quotes and
    apostrophes: no straight ' or " outside code and formulas."""
    straight, read = [], 0
    for page in sorted((built_site.site / "labs").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        cells = re.findall(
            r'<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>(.*?)</div>',
            html,
            re.S,
        )
        read += len(cells)
        for cell in cells:
            text = re.sub(r"<(code|pre|math)\b.*?</\1>", "", cell, flags=re.S)
            text = re.sub(r"<[^>]+>", "", text)
            straight += [
                f"{page.parent.name}: {line.strip()[:60]}"
                for line in text.splitlines()
                if re.search(r"['\"]|&#39;|&quot;|&#x27;", line)
            ]
    assert read > 50
    assert straight == []


def test_colab_opens_notebooks_from_a_github_repository_only():
    assert lab_pages.colab_repo("https://github.com/o/book/") == "o/book"
    assert lab_pages.colab_repo("https://gitlab.com/o/book") is None
    assert lab_pages.colab_repo(None) is None
    page = lab_pages.downloads_under_title("<h1>Lab</h1>", "x", None)
    assert "colab" not in page


def test_each_lab_opens_in_colab_from_the_branch_ci_publishes(built_site):
    """The link names the notebook where the workflow's `notebooks` job
    puts it: on the branch it pushes, at the top, under the lab's name."""
    repo = lab_pages.colab_repo(load_config(str(config.MKDOCS_YML)).repo_url)
    workflow = config.ROOT / ".github" / "workflows" / "site.yml"
    job = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][
        "notebooks"
    ]
    assert job["env"]["BRANCH"] == lab_pages.NOTEBOOKS_BRANCH
    script = job["steps"][-1]["run"]
    assert "mv labs/*/*.ipynb notebooks/" in script
    assert "git push" in script and '"$BRANCH"' in script
    for lab in sorted((config.docs_dir() / "labs").glob("*.py")):
        html = (built_site.site / "labs" / lab.stem / "index.html").read_text(
            encoding="utf-8"
        )
        colab = re.findall(r'href="(https://colab[^"]+)"', html)
        assert colab == [
            f"https://colab.research.google.com/github/{repo}/blob/"
            f"{lab_pages.NOTEBOOKS_BRANCH}/{lab.stem}.ipynb"
        ], lab.name
