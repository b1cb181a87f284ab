"""Material's palette loses its switching rule; tables get a wrapper."""

import pytest

from bookkit import material

RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after"
    "{transition-duration:0s!important}"
)
KEPT = "[data-md-color-scheme=slate]{color-scheme:dark}"


def palette_sheet(site, css):
    sheet = site / "assets" / "stylesheets" / "palette.0123abcd.min.css"
    sheet.parent.mkdir(parents=True)
    sheet.write_text(css, "utf-8")
    return sheet


def test_the_built_site_has_no_switching_rule(built_site):
    folder = built_site.site / "assets" / "stylesheets"
    sheets = list(folder.glob("palette.*.css"))
    assert sheets
    for sheet in sheets:
        css = sheet.read_text("utf-8")
        assert "data-md-color-switching" not in css
        assert "[data-md-color-scheme=slate]" in css


def test_only_the_rule_goes_and_a_second_pass_changes_nothing(tmp_path):
    sheet = palette_sheet(tmp_path, f"@media screen{{{KEPT}}}{RULE}a{{b:c}}")
    material.drop_switching_rule(tmp_path)
    once = sheet.read_text("utf-8")
    assert once.startswith(f"@media screen{{{KEPT}}}a{{b:c}}")
    material.drop_switching_rule(tmp_path)  # a --dirty rebuild
    assert sheet.read_text("utf-8") == once


def test_a_sheet_without_the_rule_is_an_error_naming_it(tmp_path):
    sheet = palette_sheet(tmp_path, KEPT)
    with pytest.raises(material.PaletteError, match="found 0") as error:
        material.drop_switching_rule(tmp_path)
    assert str(sheet) in str(error.value)


def test_a_site_without_a_palette_sheet_is_an_error(tmp_path):
    with pytest.raises(material.PaletteError, match="no palette"):
        material.drop_switching_rule(tmp_path)


def test_markdown_tables_get_a_wrapper_and_others_do_not():
    html = (
        "<p>a</p><table>\n<tr><td>1</td></tr>\n</table><p>b</p>"
        '<table class="dataframe"><tr><td>2</td></tr></table>'
    )
    assert material.wrap_tables(html) == (
        '<p>a</p><div class="book-table"><table>\n<tr><td>1</td></tr>\n'
        "</table></div><p>b</p>"
        '<table class="dataframe"><tr><td>2</td></tr></table>'
    )
