"""A browser test passes from its record only while its inputs are unchanged
(tests/reuse.py)."""

from types import SimpleNamespace

import pytest
import reuse


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(reuse, "RECORDS", tmp_path / "records")
    monkeypatch.delenv("BOOK_RERUN", raising=False)
    reuse.file_digest.cache_clear()  # the files change within a test here
    site = tmp_path / "site"
    (site / "x").mkdir(parents=True)
    (site / "x" / "index.html").write_text("<h1>x</h1>")
    (site / "book.css").write_text("h1 {}")
    return site


def test_a_passed_test_is_reused_until_a_file_it_read_changes(site):
    reuse.remember("t[x/]", site, "tools", {"x/index.html", "book.css"})
    assert reuse.passed_before("t[x/]", site, "tools")
    assert not reuse.passed_before("t[y/]", site, "tools")  # another test
    (site / "book.css").write_text("h1 { color: red }")
    reuse.file_digest.cache_clear()
    assert not reuse.passed_before("t[x/]", site, "tools")


def test_new_code_or_tools_a_deleted_file_or_book_rerun_run_it_again(
    site, monkeypatch
):
    reuse.remember("t", site, "tools", {"x/index.html"})
    assert not reuse.passed_before("t", site, "other tools")
    monkeypatch.setenv("BOOK_RERUN", "1")
    assert not reuse.passed_before("t", site, "tools")
    monkeypatch.delenv("BOOK_RERUN")
    (site / "x" / "index.html").unlink()
    reuse.file_digest.cache_clear()
    assert not reuse.passed_before("t", site, "tools")


def test_a_test_that_read_nothing_is_never_reused(site):
    reuse.remember("t", site, "tools", set())
    assert not reuse.passed_before("t", site, "tools")


def test_a_file_missing_when_it_passed_must_still_be_missing(site):
    reuse.remember("t", site, "tools", {"gone.html"})
    assert reuse.passed_before("t", site, "tools")
    (site / "gone.html").write_text("back")
    reuse.file_digest.cache_clear()
    assert not reuse.passed_before("t", site, "tools")


def test_the_index_counts_whole_only_for_a_test_that_queried_it(site):
    index = site / reuse.SEARCH_INDEX
    index.parent.mkdir()
    index.write_text('{"config": {"separator": " "}, "docs": [{"t": 1}]}')
    reuse.fetched.take()
    reuse.fetched.add(reuse.SEARCH_INDEX, by_server=True)
    reuse.fetched.add("x/index.html", by_server=True)
    unqueried = reuse.fetched.take()
    assert unqueried == {"x/index.html", reuse.SEARCH_OPTIONS}
    reuse.fetched.add(reuse.SEARCH_INDEX, by_server=True)
    reuse.read_the_index()  # the page posted a query
    queried = reuse.fetched.take()
    assert queried == {reuse.SEARCH_OPTIONS, reuse.SEARCH_INDEX}
    reuse.remember("unqueried", site, "tools", unqueried)
    reuse.remember("queried", site, "tools", queried)
    # new text: only the test that queried runs again
    index.write_text('{"config": {"separator": " "}, "docs": [{"t": 2}]}')
    reuse.file_digest.cache_clear()
    assert reuse.passed_before("unqueried", site, "tools")
    assert not reuse.passed_before("queried", site, "tools")
    # new options (they shape what ?h= marks): both run again
    index.write_text('{"config": {"separator": "-"}, "docs": [{"t": 2}]}')
    reuse.file_digest.cache_clear()
    assert not reuse.passed_before("unqueried", site, "tools")


def test_unknown_tools_reuse_nothing(site):
    reuse.remember("t", site, "", {"x/index.html"})
    assert not reuse.passed_before("t", site, "")


def item(asks, needs=(), params=None):
    return SimpleNamespace(
        _fixtureinfo=SimpleNamespace(argnames=asks),
        fixturenames=[*asks, *needs],
        callspec=SimpleNamespace(params=params or {}),
    )


SERVED = ("built_site", "tmp_path_factory")  # what site_url needs


def test_only_a_test_that_reads_the_site_through_the_server_is_eligible(
    monkeypatch,
):
    monkeypatch.delenv("BOOK_SCREENSHOTS", raising=False)
    page = item(("browser", "site_url", "path"), SERVED, {"path": 1})
    assert reuse.eligible(page)
    assert reuse.eligible(item(("browser", "site_url"), SERVED))
    assert not reuse.eligible(item(("browser", "site_url", "built_site")))
    assert not reuse.eligible(item(("browser", "site_url", "tmp_path")))
    assert not reuse.eligible(item(("browser", "site_url", "request")))
    assert not reuse.eligible(item(("run_snippet",)))
    # an autouse fixture or a usefixtures mark may read anything
    assert not reuse.eligible(item(("browser", "site_url"), ["monkeypatch"]))
    # a test that saves screenshots must run to save them
    monkeypatch.setenv("BOOK_SCREENSHOTS", "/tmp/shots")
    assert not reuse.eligible(page)


def test_a_browser_test_as_pytest_resolves_it_is_eligible(request):
    """The fixtures pytest really gives a page test (`request` among them:
    pytest adds it to every test), not a hand-made list."""

    def test_page(browser, site_url): ...

    info = request.session._fixturemanager.getfixtureinfo(
        node=request.node, func=test_page, cls=None
    )
    real = SimpleNamespace(
        _fixtureinfo=info,
        fixturenames=info.names_closure,
        callspec=SimpleNamespace(params={}),
    )
    assert "request" in real.fixturenames
    assert reuse.eligible(real)


def test_a_test_that_names_its_inputs_is_reused_while_they_match(
    site, monkeypatch
):
    node = SimpleNamespace(nodeid="t[chromium]", user_properties=[])
    request = SimpleNamespace(node=node)
    key = reuse.key_of("tools", b"font", "<math>x</math>")
    assert not reuse.passed_with(request, key)  # no record yet
    reuse.remember_key(request, key)
    # each part counts apart: the same bytes split elsewhere differ
    assert reuse.key_of("tools", b"fon", "t<math>x</math>") != key
    assert not reuse.passed_with(request, reuse.key_of("tools", b"font"))
    assert node.user_properties == []
    assert reuse.passed_with(request, key)
    assert node.user_properties == [("reused", True)]  # the summary counts it
    # unknown tools (no fc-list: the fonts are unknown) reuse nothing
    assert reuse.key_of("", b"font", "<math>x</math>") == ""
    reuse.remember_key(request, "")
    assert not reuse.passed_with(request, "")
    assert reuse.passed_with(request, key)  # the record was kept
    monkeypatch.setenv("BOOK_RERUN", "1")
    assert not reuse.passed_with(request, key)
