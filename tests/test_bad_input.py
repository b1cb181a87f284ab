"""Bad input fails loudly, naming the file and the line.

Each case plants a small site (the book's own mkdocs.yml pointed at a
scratch docs folder) and checks that the build, or the tests, fail with a
message that says where the problem is.
"""

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import textwrap
import types
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import forked
import nbformat
import numpy as np
import pytest
from nbclient.exceptions import CellExecutionError
from test_site import external_requests

from bookkit import config, labs


def planted_site(
    tmp_path: Path, pages: dict[str, str], snippets: dict | None = None
) -> Path:
    """A site with the book's configuration and only the given pages; the
    given snippets are found before the book's own."""
    docs = tmp_path / "docs"
    for folder, files in (("docs", pages), ("snippets", snippets or {})):
        for name, text in files.items():
            path = tmp_path / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    yml = config.MKDOCS_YML.read_text(encoding="utf-8")
    yml = yml[: yml.index("\nnav:")]
    yml = yml.replace(
        "custom_dir: overrides", f"custom_dir: {config.ROOT}/overrides"
    )
    yml = yml.replace(
        "base_path: [snippets, includes]",
        f"base_path: [{tmp_path}/snippets, {config.ROOT}/snippets, "
        f"{config.ROOT}/includes]",
    )
    yml += f"\ndocs_dir: {docs}\nsite_dir: {tmp_path / 'site'}\n"
    (tmp_path / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def build(yml: Path, strict: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    strictness = "--strict" if strict else "--no-strict"
    return forked.run(
        "mkdocs", "build", strictness, "-f", yml, cwd=config.ROOT, env=env
    )


def error_lines(log: str) -> list[str]:
    """The build's ERROR lines, colour codes and mkdocs' own heading of a
    page's error ("Error reading page 'x.md':") removed."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", log)
    return [
        line
        for line in log.splitlines()
        if line.startswith("ERROR") and "Error reading page" not in line
    ]


def run_tests(yml: Path, *args) -> subprocess.CompletedProcess:
    """pytest on the planted site `yml` (its page blocks unless `args`
    names what to run), in one process, with the book's plugins."""
    env = {**os.environ, "BOOK_MKDOCS_YML": str(yml)}
    targets = args or (yml.parent / "docs", "--rootdir", yml.parent)
    options = ["-p", "no:xdist", "-o", "addopts=", "-q", "-p", "no:randomly"]
    return forked.run("pytest", *targets, *options, cwd=config.ROOT, env=env)


def reports(stdout: str) -> str:
    """pytest's output up to its short summary, which repeats each failure's
    message in full or cut, depending on the terminal's width (COLUMNS)."""
    return stdout.split("short test summary info")[0]


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
    # the include's own line, once, and no traceback
    errors = error_lines(built.stderr)
    assert len(errors) == 1 and "docs/index.md:4: " in errors[0], errors
    assert message in errors[0]
    assert "Traceback" not in built.stderr, built.stderr[-2000:]
    tested = run_tests(yml)
    assert tested.returncode != 0
    assert "docs/index.md:4: " in tested.stdout and message in tested.stdout
    if ":" in include:  # a missing section names its snippet file
        snippet = "snippets/derivative/01_nudge_a_weight.py"
        assert snippet in errors[0] and snippet in tested.stdout
    # reported once, by collection; the run's summary does not crash on it
    assert reports(tested.stdout).count(message) == 1, tested.stdout
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


WARNED_INDEX = """\
    # Home

    See [gone](missing.md).

    See [gone](other.md#no-such-heading).

    <script src="https://cdn.example.com/lib.js"></script>
    <link rel="stylesheet" href="https://cdn.example.com/style.css">
    """


@pytest.fixture(scope="module")
def warned(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One planted site for the mistakes the build reports as warnings
    (a strict build still builds every page, then fails): broken links,
    assets from other sites, numbers no code prints."""
    root = tmp_path_factory.mktemp("warned")
    pages = {
        "index.md": WARNED_INDEX,
        "other.md": "# Other\n\n## A heading\n",
        "chapter/section.md": PROSE_NUMBERS,
    }
    yml = planted_site(root, pages)
    tests = root / "tests" / "test_chapter.py"
    tests.parent.mkdir()
    tests.write_text("def test_it():\n    assert 4.669 > 4\n")
    return root, build(yml)


@pytest.mark.parametrize(
    "target, line", [("missing.md", 3), ("other.md#no-such-heading", 5)]
)
def test_a_broken_link_or_anchor_fails_the_build(warned, target, line):
    _, built = warned
    assert built.returncode != 0
    warnings = [
        line
        for line in re.sub(r"\x1b\[[0-9;]*m", "", built.stderr).splitlines()
        if line.startswith("WARNING") and target in line
    ]
    assert len(warnings) == 1, built.stderr
    assert f"docs/index.md:{line}: " in warnings[0]


def test_an_external_script_or_stylesheet_is_reported(warned):
    root, built = warned
    assert built.returncode != 0  # strict: the warnings fail the build
    log = re.sub(r"\x1b\[[0-9;]*m", "", built.stderr)
    warnings = [
        line for line in log.splitlines() if "from another site" in line
    ]
    assert len(warnings) == 2, log
    assert "docs/index.md:7: " in warnings[0] and "lib.js" in warnings[0]
    assert "docs/index.md:8: " in warnings[1] and "style.css" in warnings[1]
    # the check of the built site finds the same two (a strict build
    # writes every page before it fails)
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
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
    built = build(yml)
    assert built.returncode != 0
    assert "docs/index.md:3 shows a figure without alt=" in built.stderr
    tested = run_tests(yml)
    assert tested.returncode != 0
    assert "docs/index.md:3: a block that shows a figure needs alt" in (
        tested.stdout
    )


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
    """The book's files as a clone has them (tracked, or new and not
    ignored), without node_modules."""
    files = subprocess.run(
        [
            "git",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
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


RAISING_SNIPPET = """\
    import math

    # --8<-- [start:slope]
    x = 2.0
    print(f"x = {x}")
    slope = math.log(x - 3.0)  # a ValueError: math domain error
    # --8<-- [end:slope]
    """


def test_an_included_snippet_that_raises_names_the_snippet_line(tmp_path):
    page = """\
        # Page

        === "From scratch"

            ```python
            import math

            --8<-- "planted/02b_log.py:slope"
            ```
        """
    yml = planted_site(
        tmp_path, {"index.md": page}, {"planted/02b_log.py": RAISING_SNIPPET}
    )
    snippet_line = "docs/index.md:5 includes snippets/planted/02b_log.py:6"
    built = build(yml)
    assert built.returncode != 0
    assert snippet_line in built.stderr, built.stderr[-3000:]
    assert "math domain error" in built.stderr
    assert "<page block" not in built.stderr
    assert "| x = 2.0" in built.stderr  # what it printed before it failed
    tested = run_tests(yml)
    assert tested.returncode != 0
    assert snippet_line in tested.stdout and "| x = 2.0" in tested.stdout


def test_a_failing_assert_shows_its_values_and_the_output(tmp_path):
    page = """\
        # Page

        ??? success "Solution"

            ```python
            import math

            estimate = (math.exp(1e-6) - 1.0) / 1e-6
            print(f"estimate {estimate:.4f}")
            assert round(estimate, 4) == 1.1
            ```
        """
    yml = planted_site(tmp_path, {"index.md": page})
    for result in (build(yml), run_tests(yml)):
        log = result.stderr + result.stdout
        assert result.returncode != 0
        assert "docs/index.md:10: assert round(estimate, 4) == 1.1" in log
        assert "assert 1.0 == 1.1" in log, log[-3000:]  # the values
        assert "| estimate 1.0000" in log  # what it printed first


def test_a_failed_build_is_one_failure_of_the_site_tests(tmp_path):
    """The tests that need the built site report a failed build once, its
    own message first and short; the others skip, rather than failing on
    files the build never wrote."""
    page = "# Page\n\nText.\n\nThe slope \\(\\slope(f)\\) is here.\n"
    yml = planted_site(tmp_path, {"index.md": page})
    tested = run_tests(yml, config.ROOT / "tests" / "test_site.py")
    out = tested.stdout
    summary = out.strip().splitlines()[-1]
    assert "1 error" in summary and "skipped" in summary, out[-3000:]
    assert "failed" not in summary and "FileNotFoundError" not in out
    failure = out[out.index("mkdocs build --strict failed:") :]
    first = failure.splitlines()[1]
    assert "docs/index.md:5: " in first and "\\slope" in first
    assert len(failure.split("= short test summary")[0]) < 2000


def test_the_chapter_template_builds_where_step_1_copies_it(tmp_path):
    """CONTRIBUTING step 1: docs/reference/chapter-template.md copied to
    docs/<chapter>.md builds strictly, its links resolving there."""
    template = config.ROOT / "docs" / "reference" / "chapter-template.md"
    lab = '# %% [markdown]\n# # A lab\n\n# %%\nprint("ran")\n'
    pages = {
        "index.md": "# Home\n",
        "derivative.md": "# 1. A chapter\n",
        "labs/derivative.py": lab,
        "new-chapter.md": template.read_text(encoding="utf-8"),
    }
    built = build(planted_site(tmp_path, pages))
    assert built.returncode == 0, built.stderr[-3000:]
    assert "new-chapter.md" not in built.stderr  # no link warning about it


def test_a_lab_kernel_is_never_shut_down_mid_message():
    """The labs' kernel client waits for every cell's last output and idle
    status (failing if they never come), so the shutdown's interrupt never
    lands inside the kernel's message handler (bookkit/labs.py)."""
    notebook = labs.lab_notebook(config.ROOT / "docs" / "labs" / "rules.py")
    client = labs.lab_client(notebook, allow_errors=False, sockets="/tmp/x")
    assert client.iopub_timeout >= 60 and client.raise_on_iopub_timeout
    # through local sockets: no TCP port, no warning about one in the log
    kernel = client.create_kernel_manager()
    assert kernel.transport == "ipc" and kernel.ip == "/tmp/x/kernel"


def test_two_lab_kernels_started_at_once_keep_to_their_own_sockets():
    """Two labs run at once in the build's workers. Sharing one folder,
    their kernels chose the same socket names, and a client reached the
    other lab's kernel ("Invalid Signature"); each now has a folder of its
    own."""
    lab = "import time\ntime.sleep(1)\nprint({})"
    notebooks = [
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(lab.format(n))],
            metadata={"kernelspec": {"name": "python3", "display_name": "3"}},
        )
        for n in (1, 2)
    ]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn) as workers:
        ran = list(workers.map(labs.run_notebook, notebooks))
    printed = [nb.cells[0].outputs[0]["text"] for nb in ran]
    assert printed == ["1\n", "2\n"]


def test_the_page_check_selects_what_the_page_needs():
    """`./book check docs/rules.md` names tests that exist (pytest stops on
    a node id it cannot find), and builds that page alone."""
    result = forked.run(
        "bookkit.check",
        *["docs/rules.md", "--collect-only", "-q", "-n0"],
        cwd=config.ROOT,
        env=os.environ,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    collected = result.stdout
    for wanted in (
        "docs/rules.md::line ",
        "test_snippet_runs_as_a_script[rules/03_function_gallery.py]",
        "test_every_snippet_of_a_folder_is_included[rules]",
        "tests/test_rules.py::",
        "test_site_builds_strictly",
        "test_no_page_loads_an_asset_from_another_site",
        "test_page_renders_completely_and_offline[rules/]",
        "test_no_accessibility_violations[rules/]",
    ):
        assert wanted in collected, wanted
    assert "[chain_rule/" not in collected and "[derivative/]" not in collected
    yml = (config.ROOT / ".cache/check/rules.md/mkdocs.yml").read_text()
    assert "exclude_docs: |\n  *.md\n  !/rules.md\n" in yml
    assert "\nnav:" not in yml and "mkdocs-jupyter" not in yml


def test_a_block_that_breaks_the_build_is_one_failure(tmp_path):
    """A block that raises fails its own test, naming its line; the site
    tests, whose build it broke, skip rather than report it again."""
    page = '# Page\n\n```python\nprint("before")\n1 / 0\n```\n'
    yml = planted_site(tmp_path, {"index.md": page})
    site_tests = config.ROOT / "tests" / "test_site.py"
    tested = run_tests(
        yml, yml.parent / "docs", site_tests, "--rootdir", yml.parent
    )
    out = tested.stdout
    summary = out.strip().splitlines()[-1]
    assert "1 failed" in summary and "error" not in summary, out[-3000:]
    assert "docs/index.md:5: 1 / 0" in out and "| before" in out


def test_an_orphan_snippet_is_one_failure_naming_it(tmp_path):
    """A snippet file no page includes fails `./book check` on its
    chapter's page, and the full run, once each, naming the file. (The
    check's browser tests are left out: the planted docs have none of
    the book's assets, and they look at the page, not at snippets.)"""
    page = """\
        # Planted

        ```python
        --8<-- "planted/01_shown.py"
        ```
        """
    snippets = {
        "planted/01_shown.py": 'print("shown")\n',
        "planted/02_orphan.py": 'print("on no page")\n',
    }
    yml = planted_site(tmp_path, {"planted.md": page}, snippets)
    orphan = "snippets no page includes: ['planted/02_orphan.py']"
    env = {**os.environ, "BOOK_MKDOCS_YML": str(yml)}
    checked = forked.run(
        "bookkit.check",
        *[tmp_path / "docs/planted.md", "-n0", "-p", "no:randomly"],
        *["--rootdir", tmp_path],
        *["-k", "not renders_completely and not accessibility"],
        cwd=config.ROOT,
        env=env,
    )
    summary = checked.stdout.strip().splitlines()[-1]
    assert checked.returncode != 0
    assert "1 failed" in summary and "error" not in summary, checked.stdout
    assert reports(checked.stdout).count(orphan) == 1, checked.stdout[-3000:]
    tested = run_tests(
        yml,
        yml.parent / "docs",
        config.ROOT / "tests" / "test_snippets.py",
        "--rootdir",
        yml.parent,
    )
    summary = tested.stdout.strip().splitlines()[-1]
    assert "1 failed" in summary and "error" not in summary, tested.stdout
    assert reports(tested.stdout).count(orphan) == 1, tested.stdout[-3000:]


FIGURE = 'alt="A line from (0, 0) to (1, 0.3679)." caption="Slope 0.368."'
PROSE_NUMBERS = f"""\
    # A section

    ```python {FIGURE}
    import math

    import matplotlib.pyplot as plt

    slope, x = math.exp(-1), 1.25
    print(f"slope {{slope:.4f}}, at x = 2: {{2 * slope:.4f}}")
    plt.plot([0, 1], [0, slope])
    plt.show()
    ```

    The slope is 0.368 (37%, or 36.79% printed as 0.3679); at \\(x = 2\\)
    it is \\(7.358 \\times 10^{{-1}}\\). The code chose 1.25, the test
    asserts 4.669. But 2.718 is printed by nothing,
    and nor is the rounding 0.36788.

    | step | value |
    | --- | --- |
    | 1 | 1.41 |
    """


def test_a_number_in_the_prose_that_no_code_prints_fails(warned):
    """A number with three or more significant digits in the prose of a
    page (here a section page of a chapter folder), its alt text or its
    captions is printed by a block (rounded at most), written in the
    page's code, or asserted in the chapter's tests: otherwise the build
    names its line."""
    _, built = warned
    assert built.returncode != 0
    log = re.sub(r"\x1b\[[0-9;]*m", "", built.stderr)
    flagged = [
        line.split(" in the prose")[0]
        for line in log.splitlines()
        if "in the prose" in line
    ]
    assert flagged == [
        "WARNING -  docs/chapter/section.md:16: 2.718",
        "WARNING -  docs/chapter/section.md:17: 0.36788",
        "WARNING -  docs/chapter/section.md:21: 1.41",
    ], log[-3000:]
    assert error_lines(log) == [], log[-3000:]  # nothing else is wrong


def test_a_warm_build_shows_the_outputs_of_the_cold_one(tmp_path):
    """A page whose blocks are unchanged shows the outputs cached by the
    last build (bookkit/fence.py) without running them; any change to a
    block runs the page again; a cached figure still needs alt text."""
    runs = tmp_path / "runs.txt"  # each run of the block adds a line
    page = f"""\
        # Page

        ```python
        import numpy as np

        with open({str(runs)!r}, "a") as log:
            log.write("ran\\n")
        print(f"draw {{np.random.rand():.12f}}")
        ```

        ```python alt="A rising line." caption="It rises."
        import matplotlib.pyplot as plt

        plt.plot([0, 1], [0, 1])
        plt.show()
        ```
        """
    yml = planted_site(tmp_path, {"index.md": page})
    html = tmp_path / "site" / "index.html"
    assert build(yml).returncode == 0
    cold = html.read_text(encoding="utf-8")
    assert build(yml).returncode == 0
    assert html.read_text(encoding="utf-8") == cold
    assert runs.read_text().count("ran") == 1  # the warm build ran nothing
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text().replace(' alt="A rising line."', ""))
    built = build(yml)
    assert built.returncode != 0
    assert "docs/index.md:11 shows a figure without alt=" in built.stderr
    assert runs.read_text().count("ran") == 1
    index.write_text(textwrap.dedent(page).replace("draw", "draw again"))
    assert build(yml).returncode == 0
    assert runs.read_text().count("ran") == 2  # changed: the page ran
    assert "draw again" in html.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args", [["calendar", "2026", "12"], ["json.tool", "no-such-file.json"]]
)
def test_a_forked_command_reports_what_a_new_process_would(tmp_path, args):
    """tests/forked.py: output, errors and exit status as `python -m`."""
    real = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    forked_run = forked.run(*args, cwd=tmp_path, env=os.environ)
    assert (forked_run.returncode, forked_run.stdout, forked_run.stderr) == (
        real.returncode,
        real.stdout,
        real.stderr,
    )
    assert real.stdout or real.returncode == 2


def test_a_lab_whose_background_run_broke_is_a_warning(caplog):
    """A lab run that failed for another reason than a cell (a kernel that
    died, a socket mix-up) is a warning naming the lab: mkdocs-jupyter runs
    it and draws its page instead, but its download may hold no outputs."""
    runner = labs.LabRunner(types.SimpleNamespace(config={}))
    source = str(config.docs_dir() / "labs" / "rules.py")
    broken, failing_cell = Future(), Future()
    broken.set_exception(RuntimeError("Kernel didn't respond in 60 seconds"))
    failing_cell.set_exception(CellExecutionError("1 / 0", "ZeroDivision", ""))
    runner.running = {source: broken, "cell.py": failing_cell}
    with caplog.at_level("WARNING"):
        runner.wait_for(source)
        runner.wait_for("cell.py")  # left to mkdocs-jupyter to report
    assert [r.getMessage() for r in caplog.records] == [
        "docs/labs/rules.py: the lab's run in the background failed "
        "(RuntimeError: Kernel didn't respond in 60 seconds); mkdocs-jupyter "
        "runs it again, and the page's .ipynb download may have no outputs"
    ]
