"""External links are listed offline and checked only on request."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bookkit.links import Link, external_links, main, status


def test_links_are_listed_with_file_and_line(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\nSee [the notes](https://example.org/notes.html).\n"
        "Served locally at http://127.0.0.1:8000/ while writing.\n",
        encoding="utf-8",
    )
    assert external_links(tmp_path) == [
        Link("https://example.org/notes.html", "docs/page.md:3")
    ]


def test_the_book_lists_its_further_reading(capsys):
    links = external_links()
    reading = [
        link
        for link in links
        if link.where.startswith("docs/reference/further-reading.md:")
    ]
    assert any("docs.pytorch.org" in link.url for link in reading)
    assert main([]) == 0  # listing requests nothing
    assert f"{len(links)} external links" in capsys.readouterr().err


class Pages(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


def test_check_reports_what_failed():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert status(f"{base}/ok") == "ok"
        assert status(f"{base}/gone") == "HTTP 404"
    finally:
        server.shutdown()
    assert status("http://127.0.0.1:9/", timeout=2).startswith("unreachable")
