"""Bad input fails loudly, naming the file and the line.

Each case plants a small site (the book's own mkdocs.yml pointed at a
scratch docs folder) and checks that the build, or the tests, fail with a
message that says where the problem is.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from test_site import external_requests

from bookkit import config

MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]


def planted_site(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A site with the book's configuration and only the given pages."""
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    yml = config.MKDOCS_YML.read_text(encoding="utf-8")
    yml = yml[: yml.index("\nnav:")]
    yml = yml.replace(
        "custom_dir: overrides", f"custom_dir: {config.ROOT}/overrides"
    )
    yml = yml.replace(
        "base_path: [snippets, includes]",
        f"base_path: [{config.ROOT}/snippets, {config.ROOT}/includes]",
    )
    yml += f"\ndocs_dir: {docs}\nsite_dir: {tmp_path / 'site'}\n"
    (tmp_path / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def build(yml: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*MKDOCS, "-f", yml],
        cwd=config.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def run_tests(yml: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOOK_MKDOCS_YML": str(yml)}
    docs = yml.parent / "docs"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            docs,
            "-p",
            "no:xdist",
            "-o",
            "addopts=",
            "-q",
            "--rootdir",
            yml.parent,
        ],
        cwd=config.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


FAILING_TAB = """\
    # Page

    Some text.

    === "From scratch"

        ```python
        print("fine")
        ```

    === "PyTorch"

        ```python
        x = 1
        raise ValueError("broken inside a tab")
        ```
    """


def test_an_exception_in_a_tab_fails_build_and_tests(tmp_path):
    yml = planted_site(tmp_path, {"index.md": FAILING_TAB})
    built = build(yml)
    assert built.returncode != 0
    assert "docs/index.md:13" in built.stderr
    assert "broken inside a tab" in built.stderr
    tested = run_tests(yml)
    assert tested.returncode != 0
    assert "docs/index.md:15" in tested.stdout
    assert "ValueError: broken inside a tab" in tested.stdout


def test_a_syntax_error_in_a_solution_names_the_line(tmp_path):
    page = """\
        # Page

        ??? success "Solution"

            ```python
            def f(x)
                return x
            ```
        """
    yml = planted_site(tmp_path, {"index.md": page})
    tested = run_tests(yml)
    assert tested.returncode != 0
    assert "docs/index.md:6" in tested.stdout
    assert "SyntaxError" in tested.stdout
    assert build(yml).returncode != 0


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ("derivative/no_such_file.py", "could not be found"),
        (
            "derivative/01_nudge_a_weight.py:no-such-section",
            "could not be located",
        ),
    ],
)
def test_a_missing_snippet_or_section_fails(tmp_path, include, message):
    page = f'''\
        # Page

        ```python
        --8<-- "{include}"
        ```
        '''
    yml = planted_site(tmp_path, {"index.md": page})
    built = build(yml)
    assert built.returncode != 0
    assert message in built.stderr and "index.md" in built.stderr
    tested = run_tests(yml)
    assert tested.returncode != 0
    assert "docs/index.md:3" in tested.stdout and message in tested.stdout
    # reported once, by collection; the run's summary does not crash on it
    assert "Traceback" not in tested.stderr, tested.stderr[-2000:]


def test_a_failing_notebook_cell_fails_the_build(tmp_path):
    lab = """\
        # %% [markdown]
        # # A lab

        # %%
        print("first cell")

        # %%
        1 / 0
        """
    yml = planted_site(tmp_path, {"index.md": "# Home\n", "labs/bad.py": lab})
    built = build(yml)
    assert built.returncode != 0
    assert "labs/bad.py" in built.stderr
    assert "ZeroDivisionError" in built.stderr


@pytest.mark.parametrize(
    "link", ["[gone](missing.md)", "[gone](other.md#no-such-heading)"]
)
def test_a_broken_link_or_anchor_fails_the_build(tmp_path, link):
    pages = {
        "index.md": f"# Home\n\nSee {link}.\n",
        "other.md": "# Other\n\n## A heading\n",
    }
    built = build(planted_site(tmp_path, pages))
    assert built.returncode != 0
    assert (
        "index.md" in built.stderr and link.split("(")[1][:-1] in built.stderr
    )


def test_an_external_script_or_stylesheet_is_reported(tmp_path):
    page = """\
        # Home

        <script src="https://cdn.example.com/lib.js"></script>
        <link rel="stylesheet" href="https://cdn.example.com/style.css">
        """
    yml = planted_site(tmp_path, {"index.md": page})
    assert build(yml).returncode == 0
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    urls = [url for _, url in external_requests(html)]
    assert urls == [
        "https://cdn.example.com/lib.js",
        "https://cdn.example.com/style.css",
    ]


def test_a_figure_without_alt_text_fails(tmp_path):
    page = """\
        # Page

        ```python
        import matplotlib.pyplot as plt

        plt.plot([0, 1], [0, 1])
        plt.show()
        ```
        """
    yml = planted_site(tmp_path, {"index.md": page})
    assert "alt" in build(yml).stderr
    tested = run_tests(yml)
    assert tested.returncode != 0 and "needs alt" in tested.stdout


def test_a_lab_figure_without_alt_text_fails_naming_the_cell(tmp_path):
    lab = """\
        # %% [markdown]
        # # A lab

        # %%
        import matplotlib.pyplot as plt

        # %%
        plt.plot([0, 1], [0, 1])
        plt.show()
        """
    yml = planted_site(tmp_path, {"index.md": "# Home\n", "labs/fig.py": lab})
    built = build(yml)
    assert built.returncode != 0
    assert "labs/fig.py:7: this cell draws a figure" in built.stderr


@pytest.mark.parametrize(
    "diagram, message",
    [
        ("graph LR\n  A --> B\n", "has no alt text"),
        ("graph LR\n  accTitle: Broken\n  A --> B[open\n", "Parse error"),
    ],
)
def test_a_bad_diagram_fails_the_build_naming_the_line(
    tmp_path, diagram, message
):
    page = f"# Page\n\nText.\n\n```mermaid\n{diagram}```\n"
    result = build(planted_site(tmp_path, {"index.md": page}))
    assert result.returncode != 0
    assert "docs/index.md:6: " in result.stderr
    assert message in result.stderr


def test_tex_mathjax_cannot_read_fails_the_build_naming_the_line(tmp_path):
    page = "# Page\n\nText.\n\nThe slope \\(\\slope(f)\\) is here.\n"
    result = build(planted_site(tmp_path, {"index.md": page}))
    assert result.returncode != 0
    assert "docs/index.md:5: " in result.stderr
    assert "Undefined control sequence \\slope" in result.stderr


def test_a_session_continues_its_random_state_at_build_time(tmp_path):
    """Another block between two session blocks does not reseed the
    session: the page shows what one interpreter running them prints."""
    page = """\
        # Page

        ```python session="s"
        import numpy as np

        first = np.random.rand()
        ```

        ```python
        import numpy as np

        print(np.random.rand())
        ```

        ```python session="s"
        print(f"second draw {np.random.rand():.12f}")
        ```
        """
    yml = planted_site(tmp_path, {"index.md": page})
    assert build(yml).returncode == 0
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    rng = np.random.RandomState(0)
    rng.rand()
    assert f"second draw {rng.rand():.12f}" in html


def fresh_clone(tmp_path: Path) -> Path:
    """The book's tracked files as they are now, without node_modules."""
    files = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=config.ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    clone = tmp_path / "clone"
    for name in filter(None, files):
        source = config.ROOT / os.fsdecode(name)
        if source.is_file():
            (clone / os.fsdecode(name)).parent.mkdir(
                parents=True, exist_ok=True
            )
            shutil.copy2(source, clone / os.fsdecode(name))
    return clone


@pytest.mark.parametrize("command", ["build", "serve"])
def test_plain_mkdocs_without_npm_packages_says_what_to_do(tmp_path, command):
    clone = fresh_clone(tmp_path)
    assert not (clone / "node_modules").exists()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", command]
        + (["--dev-addr", "127.0.0.1:0"] if command == "serve" else []),
        cwd=clone,  # `python -m` imports the clone's own bookkit
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, result.stderr
    assert "node_modules" in errors[0] and "mermaid" in errors[0]
    assert "./book build" in errors[0] and "npm ci" in errors[0]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
