"""List the book's links to other sites, and check them when online.

    ./book links            # every external link, with file and line
    ./book links --check    # also request each one; exit 1 if any fails

Internal links and anchors are checked by every strict build; these are
the links a build cannot check offline, so the test suite never requests
them.
"""

import argparse
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bookkit import config

URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
SOURCES = [
    "docs/**/*.md",
    "docs/labs/*.py",
    "includes/**/*.md",
    "snippets/**/*.py",
]
LOCAL = ("http://127.0.0.1", "http://localhost")


@dataclass(frozen=True)
class Link:
    url: str
    where: str  # file:line


def external_links(root: Path = config.ROOT) -> list[Link]:
    """Every http(s) URL in the book's sources, in file and line order."""
    found = []
    for pattern in SOURCES:
        for path in sorted(root.glob(pattern)):
            lines = path.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, start=1):
                for match in URL.finditer(line):
                    url = match[0].rstrip(".,;:")
                    if not url.startswith(LOCAL):
                        where = f"{path.relative_to(root)}:{number}"
                        found.append(Link(url, where))
    return found


def status(url: str, timeout: float = 15) -> str:
    """'ok', or what went wrong when requesting `url`."""
    headers = {"User-Agent": "derivatives-for-ml link check"}
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return "ok"
        except urllib.error.HTTPError as error:
            result = f"HTTP {error.code}"
            if method == "GET" or error.code not in (403, 405, 501):
                return result
        except (urllib.error.URLError, OSError) as error:
            return f"unreachable ({getattr(error, 'reason', error)})"
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    links = external_links()
    failed = 0
    for link in links:
        if not args.check:
            print(f"{link.where}: {link.url}")
            continue
        result = status(link.url)
        failed += result != "ok"
        print(f"{result:>12}  {link.where}: {link.url}", flush=True)
    urls = len({link.url for link in links})
    print(f"{len(links)} external links ({urls} distinct)", file=sys.stderr)
    if failed:
        print(f"{failed} failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
