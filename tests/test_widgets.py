"""The interactive widgets, driven in a real browser by pointer and keyboard.

Each displayed number is checked against the same computation in Python:
the tangent surfer against f and f', the finite-difference explorer
against the chapter's NumPy sweep, the gradient-descent playground against
the update rule and the |1 - 2*lr| > 1 divergence test.
"""

import math
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import Visit, mount_widgets

PAGES = {
    "tangent-surfer": "derivative/",
    "finite-difference": "derivative/",
    "gradient-descent": "gradient-descent/",
}
# BOOK_SCREENSHOTS=dir saves each widget for a person to look at.
SHOTS = os.environ.get("BOOK_SCREENSHOTS")


def number(text: str) -> float:
    """A displayed number: true minus signs and spelled-out infinities."""
    return float(text.replace("\u2212", "-").strip())


def open_widget(browser, site_url, name, **options):
    visit = Visit(browser, site_url + PAGES[name], **options)
    root = visit.page.locator(f"[data-widget='{name}']")
    root.scroll_into_view_if_needed()  # widgets mount as they come near
    visit.page.wait_for_function(
        "name => document.querySelector(`[data-widget='${name}']`)"
        "?.dataset.mounted === 'true'",
        arg=name,
    )
    return visit, root


def data(root) -> dict:
    return root.evaluate("element => ({...element.dataset})")


def settle(locator) -> dict:
    """Scroll `locator` into view, wait until it stops moving (blocks near
    the screen are laid out as they come near it, which can push it), and
    return its box: where a reader's pointer would find it."""
    locator.scroll_into_view_if_needed()
    return locator.evaluate(
        """element => new Promise(resolve => {
          let last = "";
          const check = () => {
            const {x, y, width, height} = element.getBoundingClientRect();
            const box = {x, y, width, height};
            if (JSON.stringify(box) === last) return resolve(box);
            last = JSON.stringify(box);
            requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        })"""
    )


def point_on(plot, x: float, y: float | None = None) -> tuple[float, float]:
    """Viewport coordinates of data point (x, y) on a widget's plot."""
    settle(plot)
    return plot.evaluate(
        """(svg, [x, y]) => {
          const area = svg.querySelector('.plot-area').getBoundingClientRect();
          const [x0, x1] = svg.dataset.xDomain.split(' ').map(Number);
          const px = area.left + (x - x0) / (x1 - x0) * area.width;
          const [y0, y1] = svg.dataset.yDomain.split(' ').map(Number);
          const py = y === null ? area.top + area.height / 2
            : area.bottom - (y - y0) / (y1 - y0) * area.height;
          return [px, py];
        }""",
        [x, y],
    )


# ---------------------------------------------------------------- all three


@pytest.mark.parametrize(
    "scheme, width",
    [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)],
)
def test_widgets_mount_fit_and_are_labelled(browser, site_url, scheme, width):
    for name in PAGES:
        visit, root = open_widget(
            browser, site_url, name, color_scheme=scheme, width=width
        )
        try:
            assert root.locator(".widget-fallback").count() == 0
            box = root.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            overflow = root.evaluate(
                "e => [...e.querySelectorAll('*')].filter(c => "
                "c.closest('.widget-scroll, .widget-iterates') === null && "
                "c.getBoundingClientRect().right > "
                "e.getBoundingClientRect().right + 1).length"
            )
            assert overflow == 0, "something sticks out of the widget"
            for plot in root.locator("svg.widget-plot").all():
                assert plot.get_attribute("role") == "img"
                assert plot.evaluate(
                    "s => s.querySelector('title').textContent.length > 20 &&"
                    " s.querySelector('desc').textContent.length > 20"
                )
            assert root.locator("[aria-live='polite']").count() == 1
            unlabelled = root.evaluate(
                "e => [...e.querySelectorAll('input, select')].filter(i =>"
                " !i.getAttribute('aria-label') && !i.closest('label'))"
                ".length"
            )
            assert unlabelled == 0
            root.scroll_into_view_if_needed()
            if SHOTS:
                path = Path(SHOTS) / f"{name}-{scheme}-{width}.png"
                root.screenshot(path=path)
            assert visit.errors == [] and visit.off_site == []
        finally:
            visit.close()


def test_widget_code_loads_only_where_used(browser, site_url):
    visit = Visit(browser, site_url)
    scripts = []
    visit.page.on("request", lambda request: scripts.append(request.url))
    try:
        visit.page.reload(wait_until="load")
        visit.page.wait_for_timeout(300)
        assert any(url.endswith("/widgets/loader.js") for url in scripts)
        widget_code = [
            u
            for u in scripts
            if u.endswith(
                tuple(f"/widgets/{name}.js" for name in [*PAGES, "plot"])
            )
        ]
        assert widget_code == []
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


def test_widgets_mount_when_scrolled_near(browser, site_url):
    visit = Visit(browser, site_url + PAGES["finite-difference"])
    page = visit.page
    scripts = []
    page.on("request", lambda request: scripts.append(request.url))
    try:
        widgets = page.locator("[data-widget]")
        assert widgets.count() == 2
        # both sit far below the first screen: nothing loaded yet
        page.wait_for_timeout(300)
        states = [w.get_attribute("data-mounted") for w in widgets.all()]
        assert states == ["waiting", "waiting"]
        assert not any("/widgets/plot.js" in url for url in scripts)
        mount_widgets(page)
        assert any(url.endswith("/widgets/plot.js") for url in scripts)
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


# ---------------------------------------------------------- tangent surfer


def surfer_state(root):
    shown = {
        key: root.locator(f"[data-value='{key}']").inner_text()
        for key in ("x", "f", "df", "slope")
    }
    return shown, data(root)


def test_tangent_surfer_by_pointer_then_keyboard(browser, site_url):
    visit, root = open_widget(browser, site_url, "tangent-surfer")
    page = visit.page
    try:
        plot = root.locator("svg.widget-plot").first
        # Drag the point from x = 1 to (near) x = 2 with the mouse.
        page.mouse.move(*point_on(plot, 1.0))
        page.mouse.down()
        page.mouse.move(*point_on(plot, 1.5), steps=4)
        page.mouse.move(*point_on(plot, 2.0), steps=4)
        page.mouse.up()
        x = float(data(root)["x"])
        assert abs(x - 2) <= 0.02
        # Finish with the keyboard on the real range input (step 0.01).
        slider = root.get_by_role("slider", name="x, the point on the curve")
        slider.focus()
        key = "ArrowRight" if x < 2 else "ArrowLeft"
        for _ in range(round(abs(2 - x) / 0.01)):
            page.keyboard.press(key)
        shown, state = surfer_state(root)
        assert shown == {
            "x": "2.00",
            "f": "1.000",
            "df": "1.000",
            "slope": "rising",
        }
        assert float(state["x"]) == 2.0
        assert float(state["f"]) == 2.0**2 / 4
        assert float(state["df"]) == 2.0 / 2 == 1.0
        tangent = root.locator("line.tangent").first
        assert "slope-pos" in tangent.get_attribute("class")
        assert tangent.get_attribute("stroke-dasharray") == "none"
        assert (
            "slope 1.000, rising" in root.locator("text.legend").text_content()
        )
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


def test_tangent_surfer_keys_on_the_plot_and_tab_order(browser, site_url):
    visit, root = open_widget(browser, site_url, "tangent-surfer")
    page = visit.page
    try:
        root.locator("select").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "range"
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.tagName,"
            " getComputedStyle(document.activeElement).outlineStyle]"
        )
        assert focused == ["svg", "solid"], "plot focusable, focus visible"
        page.keyboard.press("Home")
        assert surfer_state(root)[0]["x"] == "\u22124.00"
        for _ in range(60):  # -4 + 60 * 0.1
            page.keyboard.press("ArrowRight")
        shown, state = surfer_state(root)
        assert shown["x"] == "2.00" and shown["df"] == "1.000"
        page.keyboard.press("PageDown")
        page.keyboard.press("PageDown")
        shown, state = surfer_state(root)
        assert shown == {
            "x": "0.00",
            "f": "0.000",
            "df": "0.000",
            "slope": "flat",
        }
        tangent = root.locator("line.tangent").first
        assert "slope-zero" in tangent.get_attribute("class")
        assert tangent.get_attribute("stroke-dasharray") == "2 5"
        page.keyboard.press("End")
        assert surfer_state(root)[0]["x"] == "4.00"
        assert visit.errors == []
    finally:
        visit.close()


FUNCTIONS = {
    "cubic": (lambda x: x**3 - x, lambda x: 3 * x * x - 1),
    "sin": (math.sin, math.cos),
    "relu": (lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0),
    "sigmoid": (
        lambda x: 1 / (1 + math.exp(-x)),
        lambda x: (1 / (1 + math.exp(-x))) * (1 - 1 / (1 + math.exp(-x))),
    ),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_tangent_surfer_other_functions(browser, site_url, name):
    f, df_dx = FUNCTIONS[name]
    visit, root = open_widget(browser, site_url, "tangent-surfer")
    try:
        root.get_by_role(
            "combobox", name="Function to differentiate"
        ).select_option(name)
        slider = root.get_by_role("slider", name="x, the point on the curve")
        for target in (-1.0, 0.0, 1.0):
            slider.fill(str(target))
            shown, state = surfer_state(root)
            x = float(state["x"])
            assert x == target
            assert number(shown["x"]) == target
            for key, exact in (("f", f(x)), ("df", df_dx(x))):
                assert math.isclose(
                    float(state[key]), exact, rel_tol=1e-15, abs_tol=1e-15
                )
                assert shown[key] == f"{exact + 0.0:.3f}".replace(
                    "-", "\u2212"
                ).replace("\u22120.000", "0.000")
            expected = (
                "flat"
                if round(df_dx(x), 3) == 0
                else "rising"
                if df_dx(x) > 0
                else "falling"
            )
            assert shown["slope"] == expected
            dash = root.locator("line.tangent").first.get_attribute(
                "stroke-dasharray"
            )
            assert (
                dash
                == {"rising": "none", "falling": "9 6", "flat": "2 5"}[
                    expected
                ]
            )
        # The marker on the f' panel sits on the f' curve at the same x.
        marker = root.locator("svg.widget-plot").nth(1).locator("circle.point")
        guide = root.locator("svg.widget-plot").nth(1).locator("line.guide")
        assert math.isclose(
            float(marker.get_attribute("cx")), float(guide.get_attribute("x1"))
        )
        assert visit.errors == []
    finally:
        visit.close()


def test_tangent_surfer_by_touch(browser, site_url):
    visit, root = open_widget(browser, site_url, "tangent-surfer")
    page = visit.page
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send(
            "Emulation.setTouchEmulationEnabled",
            {"enabled": True, "maxTouchPoints": 1},
        )
        plot = root.locator("svg.widget-plot").first
        assert plot.evaluate("s => getComputedStyle(s).touchAction") == "none"
        path = [point_on(plot, x) for x in (1.0, 0.0, -1.0, -2.0)]
        cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": "touchStart",
                "touchPoints": [{"x": path[0][0], "y": path[0][1]}],
            },
        )
        for px, py in path[1:]:
            cdp.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": [{"x": px, "y": py}]},
            )
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []}
        )
        shown, state = surfer_state(root)
        x = float(state["x"])
        assert abs(x + 2) <= 0.02
        assert float(state["df"]) == x / 2
        assert shown["slope"] == "falling"
        assert visit.errors == []
    finally:
        visit.close()


# ------------------------------------------------- finite-difference explorer


def chapter_sweep():
    """The sweep exactly as snippets/derivative/06_h_sweep.py computes it."""
    a = 1.0
    ks = np.linspace(-16, 0, 81)
    hs = 10.0**ks
    forward = (np.sin(a + hs) - np.sin(a)) / hs
    central = (np.sin(a + hs) - np.sin(a - hs)) / (2 * hs)
    return ks, hs, forward, central


def check_differences(root, i) -> int:
    """Check the explorer's numbers at slider position i against NumPy.

    Returns how many of the two quotients had bit-identical sines.
    """
    ks, hs, forward, central = chapter_sweep()
    exact = math.cos(1.0)
    state = data(root)
    got = {
        key: float(value)
        for key, value in state.items()
        if key not in ("widget", "mounted", "x", "kMin", "kMax")
    }
    assert int(state["index"]) == i
    assert got["k"] == ks[i], "the same grid as np.linspace"
    # 10**k in the browser vs NumPy's power: within one ulp.
    h = got["h"]
    assert abs(h - hs[i]) <= np.spacing(hs[i])
    # The same formulas: Python reproduces the browser's quotients bit for
    # bit from the browser's own h and sine values.
    plus, zero, minus = got["sinPlus"], got["sinZero"], got["sinMinus"]
    assert got["forward"] == (plus - zero) / h
    assert got["central"] == (plus - minus) / (2 * h)
    assert got["exact"] == exact
    assert got["forwardError"] == abs(got["forward"] - exact)
    assert got["centralRelative"] == abs(got["central"] - exact) / exact
    # The sines: the browser's Math.sin and NumPy's sin agree to one ulp...
    sines = np.sin(1.0 + h), np.sin(1.0), np.sin(1.0 - h)
    ulps = [
        abs(m - t) for m, t in zip((plus, zero, minus), sines, strict=True)
    ]
    assert all(u <= np.spacing(t) for u, t in zip(ulps, sines, strict=True))
    # ...so the quotients agree to (sine ulps) / h, and to 1e-12 relative
    # wherever the sines are bit-identical.
    same = 0
    for key, ours, gap in (
        ("forward", forward[i], ulps[0] + ulps[1]),
        ("central", central[i], ulps[0] + ulps[2]),
    ):
        diff = abs(got[key] - ours)
        assert diff <= gap / h + 4 * np.spacing(abs(ours))
        if gap == 0:
            same += 1
            assert diff <= 1e-12 * abs(ours)
    # The table shows the same numbers, the differences in full precision.
    for key in ("forward", "central"):
        cell = root.locator(f"[data-value='{key}-value']")
        assert number(cell.inner_text()) == got[key]
        error = root.locator(f"[data-value='{key}-error']")
        assert math.isclose(
            number(error.inner_text()), got[f"{key}Error"], rel_tol=5e-3
        )
    return same


def test_finite_difference_matches_numpy_over_the_slider(browser, site_url):
    visit, root = open_widget(browser, site_url, "finite-difference")
    page = visit.page
    try:
        slider = root.get_by_role(
            "slider", name="log base 10 of the step size"
        )
        slider.focus()
        page.keyboard.press("Home")
        same = 0
        for i in range(81):
            if i:
                page.keyboard.press("ArrowRight")
            same += check_differences(root, i)
        # Most points agree bit for bit (see check_differences for the rest).
        assert same >= 0.8 * 2 * 81
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


def test_finite_difference_by_pointer_and_extremes(browser, site_url):
    visit, root = open_widget(browser, site_url, "finite-difference")
    try:
        slider = root.get_by_role(
            "slider", name="log base 10 of the step size"
        )
        for fraction in (0.0, 0.5, 1.0):
            # Playwright's click waits until the slider is still and is
            # what the pointer would hit (not the sticky header above it)
            box = settle(slider)
            slider.click(
                position={
                    "x": 2 + fraction * (box["width"] - 4),
                    "y": box["height"] / 2,
                }
            )
            i = int(data(root)["index"])
            assert abs(i - 80 * fraction) <= 4
            check_differences(root, i)
        # Out-of-range values are clamped by the input, not passed on.
        for value, i in (("-40", 0), ("25", 80), ("-7.93", 40)):
            slider.fill(value)
            check_differences(root, i)
        shown = root.locator("[data-value='h']").inner_text()
        assert shown == "\u22128, so h = 1e\u22128"
        assert visit.errors == []
    finally:
        visit.close()


# ----------------------------------------------- gradient-descent playground


def expected_status(lr: float, factors) -> str:
    worst = max(abs(factor) for factor in factors)
    if lr == 0:
        return "stuck"
    if worst > 1:
        return "diverges"
    if worst == 1:
        return "oscillates"
    return "converges"


def iterates(root) -> list[tuple[float, ...]]:
    return root.evaluate(
        "e => [...e.querySelectorAll('.widget-iterates li')].map(li => "
        "li.dataset.y === undefined ? [Number(li.dataset.x)]"
        " : [Number(li.dataset.x), Number(li.dataset.y)])"
    )


def set_rate(root, lr):
    root.get_by_role("spinbutton", name="learning rate α").fill(str(lr))


RATES = [0.1, 0.25, 0.5, 0.75, 0.999, 1.0, 1.001, 1.25, 2.0, -0.1, 0.0]


def test_gradient_descent_verdict_on_x_squared(browser, site_url):
    visit, root = open_widget(browser, site_url, "gradient-descent")
    page = visit.page
    try:
        step = root.get_by_role("button", name="Step")
        status = root.locator("[data-value='status']")
        for lr in RATES:
            set_rate(root, lr)
            state = expected_status(lr, [1 - 2 * lr])
            assert (abs(1 - 2 * lr) > 1) == (state == "diverges")
            assert data(root)["status"] == state, lr
            word = {
                "diverges": "Diverges",
                "converges": "Converges",
                "oscillates": "Bounces forever",
                "stuck": "never moves",
            }
            assert word[state] in status.inner_text()
            # Step by keyboard (Enter, Space) and by pointer (click).
            step.focus()
            page.keyboard.press("Enter")
            page.keyboard.press("Space")
            step.click()
            x = 2.5
            expected = [x]
            for _ in range(3):
                x = x - lr * (2 * x)
                expected.append(x)
            assert [p[0] for p in iterates(root)] == expected
            if state == "oscillates":
                assert abs(expected[-1]) == abs(expected[0])
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


def test_gradient_descent_infinity_nan_and_reset(browser, site_url):
    visit, root = open_widget(browser, site_url, "gradient-descent")
    try:
        step = root.get_by_role("button", name="Step")
        set_rate(root, 1e308)
        assert data(root)["status"] == "diverges"
        step.click()
        step.click()
        items = root.locator(".widget-iterates li")
        assert "x = \u2212Infinity" in items.nth(1).inner_text()
        assert "x = NaN" in items.nth(2).inner_text()
        assert "Diverged" in root.locator("[data-value='status']").inner_text()
        assert [repr(p[0]) for p in iterates(root)] == ["2.5", "-inf", "nan"]
        assert root.get_by_role("button", name="Run").is_disabled()
        # Reset keeps the widget working.
        root.get_by_role("button", name="Reset").click()
        assert iterates(root) == [[2.5]]
        set_rate(root, 0.25)
        root.get_by_role("button", name="Step").click()
        assert iterates(root) == [[2.5], [2.5 - 0.25 * (2 * 2.5)]]
        # A learning rate that is not a number disables stepping.
        set_rate(root, "")
        assert data(root)["status"] == "invalid"
        assert step.is_disabled()
        set_rate(root, 0.1)
        assert step.is_enabled() and data(root)["status"] == "converges"
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


def test_gradient_descent_run_stops_when_it_blows_up(browser, site_url):
    visit, root = open_widget(browser, site_url, "gradient-descent")
    page = visit.page
    try:
        for lr, steps in ((0.3, 40), (1.5, None)):
            set_rate(root, lr)
            root.get_by_role("button", name="Run").click()
            page.wait_for_function(
                '() => document.querySelector("[data-widget='
                "'gradient-descent']\").dataset.running === 'false'",
                timeout=10_000,
            )
            xs = [p[0] for p in iterates(root)]
            expected = [2.5]
            while len(expected) <= 40 and abs(expected[-1]) <= 1e6:
                expected.append(expected[-1] - lr * (2 * expected[-1]))
            assert xs == expected
            if steps:
                assert len(xs) == steps + 1
            else:
                assert abs(xs[-1]) > 1e6 and len(xs) < 41
        assert visit.errors == []
    finally:
        visit.close()


def test_gradient_descent_start_point_by_pointer_and_keys(browser, site_url):
    visit, root = open_widget(browser, site_url, "gradient-descent")
    page = visit.page
    try:
        plot = root.locator("svg.widget-plot")
        page.mouse.click(*point_on(plot, -2.0))
        x0 = iterates(root)[0][0]
        assert abs(x0 + 2) <= 0.03
        assert (
            float(root.get_by_role("spinbutton", name="start x").input_value())
            == x0
        )
        plot.focus()
        page.keyboard.press("ArrowLeft")
        assert iterates(root)[0][0] == round(x0 - 0.1, 2)
        assert visit.errors == []
    finally:
        visit.close()


def test_gradient_descent_in_two_dimensions(browser, site_url):
    visit, root = open_widget(browser, site_url, "gradient-descent")
    page = visit.page
    try:
        root.get_by_label("2-D", exact=False).check()
        assert data(root)["loss"] == "2d"
        plot = root.locator("svg.widget-plot")
        assert plot.locator("ellipse.contour").count() >= 4
        page.mouse.click(*point_on(plot, 3.0, -1.0))
        start = iterates(root)[0]
        assert abs(start[0] - 3) <= 0.05 and abs(start[1] + 1) <= 0.05
        for lr in (0.05, 0.15, 0.19, 0.2, 0.21, 1.0, 2.5):
            set_rate(root, lr)
            state = expected_status(lr, [1 - lr, 1 - 10 * lr])
            assert data(root)["status"] == state, lr
            for _ in range(4):
                root.get_by_role("button", name="Step").click()
            x, y = start
            expected = [(x, y)]
            for _ in range(4):
                x, y = x - lr * x, y - lr * (10 * y)
                expected.append((x, y))
            assert [tuple(p) for p in iterates(root)] == expected
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


# ---------------------------------------------------------- phone polish


def test_surfer_pages_by_half_units_and_draws_relu_without_a_wall(
    browser, site_url
):
    visit, root = open_widget(browser, site_url, "tangent-surfer")
    page = visit.page
    try:
        root.get_by_role(
            "combobox", name="Function to differentiate"
        ).select_option("relu")
        slider = root.get_by_role("slider", name="x, the point on the curve")
        slider.fill("-1")
        slider.focus()
        page.keyboard.press("PageUp")
        page.keyboard.press("PageUp")
        assert float(data(root)["x"]) == 0.0
        page.keyboard.press("ArrowRight")  # the fine step stays
        assert float(data(root)["x"]) == 0.01
        # f′ jumps from 0 to 1 at x = 0: two pieces, no vertical segment
        derivative = root.locator("svg.widget-plot").nth(1)
        assert derivative.locator("path.curve").count() == 2
    finally:
        visit.close()


def test_finite_difference_shows_h_to_three_digits(browser, site_url):
    visit, root = open_widget(browser, site_url, "finite-difference")
    try:
        slider = root.get_by_role(
            "slider", name="log base 10 of the step size"
        )
        shown = {}
        for k in ("-5.8", "-2", "-0.4"):
            slider.fill(k)
            text = root.locator("[data-value='h']").inner_text()
            shown[k] = text.split("so h = ")[1]
        assert shown == {"-5.8": "1.58e\u22126", "-2": "0.01", "-0.4": "0.398"}
    finally:
        visit.close()
