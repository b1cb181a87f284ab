"""Find every Python block a page shows, expanded as the reader sees it.

Fences are found at any depth (content tabs, admonitions, collapsible
solutions), and `--8<--` includes are expanded by pymdownx's own snippet
preprocessor, configured from mkdocs.yml. Each line of the expanded code
remembers where it came from, so a failure can name the Markdown line or
the snippet line.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bookkit import config

FENCE_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
)
OPTION = re.compile(r"""([A-Za-z][\w-]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?""")
INCLUDE = re.compile(r"""^\s*-+8<-+\s+(["'])(?P<target>.+?)\1\s*$""")
SECTION = re.compile(r"-+8<-+\s+\[\s*(start|end)\s*:\s*([\w-]+)\s*\]")
PYTHON = "python"


class BlockError(Exception):
    """A page block that cannot be read: the message names file and line."""


@dataclass
class Block:
    page: Path
    line: int  # line of the opening fence, counted from 1
    options: dict[str, str]
    source: str
    origins: list[tuple[Path, int]] = field(repr=False)

    @property
    def where(self) -> str:
        return f"{relative(self.page)}:{self.line}"

    @property
    def session(self) -> str | None:
        return self.options.get("session")

    @property
    def runs(self) -> bool:
        return "norun" not in self.options


def relative(path: Path) -> str:
    path = Path(path).resolve()
    for root in (config.ROOT, config.MKDOCS_YML.resolve().parent):
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return str(path)


def at_line(path: Path, text: str, start: int) -> str:
    """`docs/page.md:LINE` of character `start` of the file's `text`; just
    the file when `start` is negative (not found)."""
    if start < 0:
        return relative(path)
    return f"{relative(path)}:{text.count(chr(10), 0, start) + 1}"


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence header (`python session="a"`, `{.python norun}`)."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        info = info[1:-1]
    words = info.split(maxsplit=1)
    if not words:
        return "", {}
    language = words[0].lstrip(".")
    options = {}
    for match in OPTION.finditer(words[1] if len(words) > 1 else ""):
        key, *values = match.groups()
        value = next((v for v in values if v is not None), key)
        options[key] = value
    return language, options


def raw_fences(text: str):
    """Yield (line, indent, info, body lines) for every fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match or "`" in match["info"] and match["fence"][0] == "`":
            i += 1
            continue
        indent, fence = len(match["indent"]), match["fence"]
        closing = re.compile(
            rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$"
        )
        body = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            line = lines[j]
            body.append(line[indent:] if not line[:indent].strip() else line)
            j += 1
        yield i + 1, indent, match["info"], body
        i = j + 1


def include_origins(
    target: str, expanded: list[str]
) -> list[tuple[Path, int]]:
    """Map the lines an include produced back to lines of the snippet."""
    name, _, section = target.partition(":")
    path = snippet_file(name)
    if not path.is_file():  # not a Python snippet: no line mapping
        return [(path, 1)] * len(expanded)
    lines = path.read_text(encoding="utf-8").split("\n")
    start = 0
    if section:
        start = next(
            (
                n + 1
                for n, line in enumerate(lines)
                if (m := SECTION.search(line))
                and m[1] == "start"
                and m[2] == section
            ),
            0,
        )
    origins, cursor = [], start
    for out in expanded:
        probe = cursor
        while probe < len(lines) and (
            lines[probe].strip() != out.strip() or SECTION.search(lines[probe])
        ):
            probe += 1
        if probe < len(lines):
            cursor = probe
        origins.append((path, cursor + 1))
        cursor += 1
    return origins


def include_error(
    lines: list[str], page: Path, first_line: int, error: Exception
) -> BlockError:
    """Name the include line that failed, and the snippet file it names."""
    snippets = config.snippet_preprocessor()
    for n, line in enumerate(lines):
        match = INCLUDE.match(line)
        if not match:
            continue
        try:
            snippets.run([line.strip()])
        except Exception as failure:  # this include is the one
            name, _, section = match["target"].partition(":")
            where = f"{relative(page)}:{first_line + n}"
            if section and snippet_file(name).is_file():
                return BlockError(
                    f"{where}: section '{section}' not found in "
                    f"{snippet_path(name)} ({failure})"
                )
            return BlockError(f"{where}: {failure}")
    return BlockError(f"{relative(page)}:{first_line}: {error}")


def check_includes(page: Path, text: str, first_line: int = 1) -> None:
    """BlockError naming the first include of the page that fails; the
    text starts at the page's line first_line (after any front matter)."""
    lines = text.split("\n")
    if any(INCLUDE.match(line) for line in lines):
        try:
            config.snippet_preprocessor().run(list(lines))
        except Exception as error:
            raise include_error(lines, page, first_line, error) from error


def snippet_file(name: str) -> Path:
    """The file an include names: the first base path that has it."""
    for base in config.snippet_preprocessor().base_path:
        if (Path(base) / name).is_file():
            return Path(base) / name
    return config.snippets_dir() / name


def snippet_path(name: str) -> str:
    """The snippet file an include names, as a reader finds it."""
    return relative(snippet_file(name))


def expand(body: list[str], page: Path, first_line: int):
    """Expand includes exactly as the site does, keeping line origins."""
    snippets = config.snippet_preprocessor()
    try:
        source = snippets.run(list(body))
    except Exception as error:  # pymdownx raises SnippetMissingError
        raise include_error(body, page, first_line + 1, error) from error
    origins = []
    for n, line in enumerate(body):
        match = INCLUDE.match(line)
        if match:
            lines = snippets.run([line])
            origins += include_origins(match["target"], lines)
        else:
            origins.append((page, first_line + 1 + n))
    if len(origins) != len(source):  # unusual include syntax: keep page lines
        origins = [(page, first_line)] * len(source)
    return "\n".join(source), origins


def page_blocks(page: Path, text: str | None = None) -> list[Block]:
    """Every Python block of one page, in reading order."""
    page = Path(page)
    text = page.read_text(encoding="utf-8") if text is None else text
    blocks = []
    for line, _indent, info, body in raw_fences(text):
        language, options = parse_info(info)
        if language != PYTHON:
            continue
        source, origins = expand(body, page, line)
        blocks.append(Block(page, line, options, source, origins))
    return blocks


def pages() -> list[Path]:
    return sorted(config.docs_dir().rglob("*.md"))


@cache
def all_blocks() -> tuple[Block, ...]:
    return tuple(b for page in pages() for b in page_blocks(page))


def chain(block: Block, blocks: list[Block]) -> list[Block]:
    """The blocks to run, in order, for `block`: its session up to it."""
    if not block.session:
        return [block]
    same = [b for b in blocks if b.session == block.session and b.runs]
    return same[: same.index(block) + 1]
