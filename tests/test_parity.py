"""Every Python block a reader sees is a block the tests run, as shown."""

import textwrap

import pytest

from bookkit import blocks, config, parity


@pytest.mark.parametrize(
    "page", blocks.pages(), ids=lambda p: blocks.relative(p)
)
def test_every_shown_block_is_tested(page):
    assert parity.problems(page) == []


def plant(text: str) -> list[str]:
    page = config.docs_dir() / "planted.md"
    return parity.problems(page, textwrap.dedent(text))


def test_guard_passes_blocks_at_any_depth():
    assert (
        plant("""
        === "Tab"

            !!! note

                ??? success "Solution"

                    ```python
                    print(1)
                    ```
        """)
        == []
    )


def test_guard_catches_a_block_the_harness_misses():
    found = plant("""
        > ```python
        > print("in a quote")
        > ```
        """)
    assert any("tests do not run" in p for p in found), found


def test_guard_catches_a_python_block_that_is_never_run():
    found = plant("""
        ```py
        print("highlighted, never executed")
        ```
        """)
    assert any("shown but never run" in p for p in found), found
