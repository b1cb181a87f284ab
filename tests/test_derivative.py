"""Checks of chapter 1 (docs/derivative.md) and its lab.

Every derivative formula the chapter states is compared with autograd in
float64, and the numerical claims (error orders, best step sizes) are
measured again from the chapter's own snippets.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
import torch

POINTS = torch.linspace(0.3, 2.7, 9, dtype=torch.float64)


def autograd_derivative(f, x, order=1):
    """The `order`-th derivative of a scalar function at each point."""
    x = x.clone().requires_grad_(True)
    y = f(x).sum()
    for _ in range(order):
        (y,) = torch.autograd.grad(y, x, create_graph=True)
        result = y
        y = y.sum()
    return result.detach()


def log_log_slope(hs, errors):
    slope, _ = np.polyfit(np.log10(hs), np.log10(np.abs(errors)), 1)
    return slope


FORMULAS = {
    # name: (f, stated derivative, order)
    "x^2/4": (lambda x: x**2 / 4, lambda x: x / 2, 1),
    "x^2": (lambda x: x**2, lambda x: 2 * x, 1),
    "3x+2": (lambda x: 3 * x + 2, lambda x: 3 + 0 * x, 1),
    "x^3": (lambda x: x**3, lambda x: 3 * x**2, 1),
    "x^3-3x": (lambda x: x**3 - 3 * x, lambda x: 3 * x**2 - 3, 1),
    "x^3-12x": (lambda x: x**3 - 12 * x, lambda x: 3 * x**2 - 12, 1),
    "x^10": (lambda x: x**10, lambda x: 10 * x**9, 1),
    "x^10''": (lambda x: x**10, lambda x: 90 * x**8, 2),
    "sqrt": (torch.sqrt, lambda x: 1 / (2 * torch.sqrt(x)), 1),
    "sqrt''": (torch.sqrt, lambda x: -1 / (4 * x**1.5), 2),
    "sin": (torch.sin, torch.cos, 1),
    "sin''": (torch.sin, lambda x: -torch.sin(x), 2),
    "sin'''": (torch.sin, lambda x: -torch.cos(x), 3),
    "exp": (torch.exp, torch.exp, 1),
    "exp''": (torch.exp, torch.exp, 2),
    "position": (lambda t: 20 * t - 4.9 * t**2, lambda t: 20 - 9.8 * t, 1),
    "profit": (
        lambda p: (p - 10) * (1000 - 20 * p),
        lambda p: -40 * p + 1200,
        1,
    ),
    "profit, exercise": (
        lambda p: (p - 8) * (1200 - 30 * p),
        lambda p: -60 * p + 1440,
        1,
    ),
    "tanh": (torch.tanh, lambda x: 1 - torch.tanh(x) ** 2, 1),
    "tanh, sech^2": (torch.tanh, lambda x: 1 / torch.cosh(x) ** 2, 1),
    "sigmoid": (
        torch.sigmoid,
        lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
        1,
    ),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_stated_formula_matches_autograd(name):
    f, df, order = FORMULAS[name]
    got = autograd_derivative(f, POINTS, order)
    assert torch.allclose(got, df(POINTS), rtol=1e-12, atol=1e-12), name


def test_backward_adds_to_grad():
    w = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    assert w.grad is None
    unused = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    for passes in (1, 2):
        (w**2).backward()
        assert w.grad.item() == passes * 3.0
    assert unused.grad is None  # not used in the loss: no derivative


def test_nudging_the_loss_converges_to_its_derivative(run_snippet):
    ns, out = run_snippet("derivative/01_nudge_a_weight.py")
    x, y = torch.tensor(ns["x"]), torch.tensor(ns["y"])
    w = torch.tensor(ns["w"], dtype=torch.float64, requires_grad=True)
    torch.mean((w * x - y) ** 2).backward()
    # the stated closed form, mean(2 (w x - y) x), and its value -5
    assert w.grad.item() == pytest.approx(-5.0, abs=1e-12)
    closed = np.mean(2 * (ns["w"] * ns["x"] - ns["y"]) * ns["x"])
    assert closed == pytest.approx(w.grad.item(), abs=1e-12)
    last_rate = float(out.strip().splitlines()[-1].split()[-1])
    assert last_rate == pytest.approx(-5.0, abs=1e-3)


def test_secant_slopes_are_half_plus_h_over_four(run_snippet):
    ns, out = run_snippet("derivative/02_secant_lines.py")
    f, a = ns["f"], ns["a"]
    for h in [2.0, 1.0, 0.5, 0.1, 0.001]:
        assert (f(a + h) - f(a)) / h == pytest.approx(0.5 + h / 4)
    assert "secant slope = 0.625" in out


def test_linear_approximation_error_is_second_order(run_snippet):
    ns, _ = run_snippet("derivative/03_linear_approximation.py")
    f, tangent, a = ns["f"], ns["tangent"], ns["a"]
    assert ns["df_dx"] == pytest.approx(0.25)
    hs = np.logspace(-3, -1, 9)
    errors = f(a + hs) - tangent(a + hs)
    assert log_log_slope(hs, errors) == pytest.approx(2.0, abs=0.02)
    second = autograd_derivative(torch.sqrt, torch.tensor([a])).item()
    assert second == pytest.approx(0.25)
    f2 = autograd_derivative(torch.sqrt, torch.tensor([a]), 2).item()
    assert errors[0] / hs[0] ** 2 == pytest.approx(f2 / 2, rel=1e-3)


def test_tangent_error_faster_than_h_but_not_h_squared():
    # |x|^(3/2) is differentiable at 0 (f'(0) = 0, by autograd too) but has
    # no second derivative there: error / h -> 0 while error / h^2 grows
    x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    (x.abs() ** 1.5).backward()
    assert x.grad.item() == 0.0
    hs = np.logspace(-2, -8, 7)  # shrinking steps
    errors = np.abs(hs) ** 1.5  # f(h) minus the flat tangent at 0
    assert np.all(np.diff(errors / hs) < 0) and (errors / hs)[-1] < 1e-3
    assert np.all(np.diff(errors / hs**2) > 0) and (errors / hs**2)[-1] > 1e3
    # the derivative's own difference quotient at 0 diverges like h^-1/2
    df = 1.5 * np.sign(hs) * np.abs(hs) ** 0.5  # f'(h)
    assert log_log_slope(hs, (df - 0.0) / hs) == pytest.approx(-0.5)


def test_sign_table(run_snippet):
    ns, out = run_snippet("derivative/04_sign.py")
    lines = out.splitlines()
    assert [line.split()[-1] for line in lines[1:6]] == [
        "rising",
        "flat",
        "falling",
        "flat",
        "rising",
    ]
    assert abs(ns["slope"](ns["g"], 0.0)) < 1e-11  # h² = 1e-12 exactly


def test_taylor_error_orders(run_snippet):
    ns, _ = run_snippet("derivative/05_differences.py")
    hs = np.logspace(-3, -1, 9)
    exact = math.cos(1.0)
    slopes = {
        name: log_log_slope(
            hs, [ns[name](math.sin, 1.0, h) - exact for h in hs]
        )
        for name in ("forward", "backward", "central")
    }
    assert slopes["forward"] == pytest.approx(1.0, abs=0.02)
    assert slopes["backward"] == pytest.approx(1.0, abs=0.02)
    assert slopes["central"] == pytest.approx(2.0, abs=0.02)
    # the leading constants f''(1)/2 and f'''(1)/6, from autograd
    one = torch.tensor([1.0], dtype=torch.float64)
    f2 = autograd_derivative(torch.sin, one, 2).item()
    f3 = autograd_derivative(torch.sin, one, 3).item()
    h = 1e-3
    forward_error = ns["forward"](math.sin, 1.0, h) - exact
    central_error = ns["central"](math.sin, 1.0, h) - exact
    assert forward_error / h == pytest.approx(f2 / 2, rel=1e-3)
    assert central_error / h**2 == pytest.approx(f3 / 6, rel=1e-3)


def test_h_sweep_best_steps_and_slopes(run_snippet):
    ns, _ = run_snippet("derivative/06_h_sweep.py")
    hs, ks, errors, best_h = ns["hs"], ns["ks"], ns["errors"], ns["best_h"]
    assert ns["a"] == 1.0 and len(hs) == 81
    for dtype in (np.float64, np.float32):
        eps = np.finfo(dtype).eps
        fwd, ctr = errors[dtype]
        assert np.sqrt(eps) / 3 < best_h(fwd) < 3 * np.sqrt(eps)
        assert np.cbrt(eps) / 3 < best_h(ctr) < 3 * np.cbrt(eps)
        # the central difference's best error beats the forward one's
        assert ctr.min() < fwd.min() / 10
        # the estimate is exactly 0 once a + h rounds to a (h < eps / 2),
        # and the central one once a - h does too (h < eps / 4)
        forward, central = ns["estimates"][dtype]
        assert np.all((forward == 0) == (hs < eps / 2))
        assert np.all((central == 0) == (hs < eps / 4))
    # digits kept near the best step (the chapter quotes 8 and 11 in
    # float64, 3.6 and 5.7 in float32): the typical error there
    digits = {
        dtype: [-np.log10(ns["best"](e)[1]) for e in errors[dtype]]
        for dtype in errors
    }
    assert 7.5 < digits[np.float64][0] < 8.5
    assert 10.5 < digits[np.float64][1] < 11.5
    assert 3 < digits[np.float32][0] < 4 < 5 < digits[np.float32][1] < 6
    # truncation region in float64: slopes 1 and 2 on the log-log plot
    fwd, ctr = errors[np.float64]
    right = ks >= -3
    assert log_log_slope(hs[right], fwd[right]) == pytest.approx(1, abs=0.05)
    assert log_log_slope(hs[right], ctr[right]) == pytest.approx(2, abs=0.05)
    # round-off region: error grows roughly like eps / h (slope near -1)
    left = (ks >= -15) & (ks <= -9)
    assert -1.4 < log_log_slope(hs[left], fwd[left]) < -0.6


def test_h_star_formulas_are_near_the_measured_best(run_snippet):
    ns, _ = run_snippet("derivative/06_h_sweep.py")
    for dtype in (np.float64, np.float32):
        eps = np.finfo(dtype).eps
        fwd, ctr = ns["errors"][dtype]
        h_fwd = 2 * np.sqrt(eps * np.sin(1.0) / np.sin(1.0))
        h_ctr = np.cbrt(3 * eps * np.sin(1.0) / np.cos(1.0))
        assert h_fwd / 4 < ns["best_h"](fwd) < 4 * h_fwd
        assert h_ctr / 4 < ns["best_h"](ctr) < 4 * h_ctr


def test_autograd_beats_finite_differences_on_sin(run_snippet):
    ns, _ = run_snippet("derivative/07_autograd_vs_fd.py")
    exact = ns["exact"]

    def worst(values):
        return np.max(np.abs(values - exact))

    assert worst(ns["autograd"]) < 1e-15
    assert worst(ns["central"]) < 1e-10 < worst(ns["forward"]) < 1e-7
    # float32 autograd errs by about float32's eps, over a hundred times
    # less than a float32 central difference at its best step
    eps32 = np.finfo(np.float32).eps
    assert eps32 / 2 < worst(ns["autograd32"]) < 2 * eps32
    assert worst(ns["central32"]) > 100 * worst(ns["autograd32"])
    # most of that error is the rounding of x to float32: against the cos
    # of the rounded inputs autograd errs by under a third of eps32
    own = np.max(np.abs(ns["autograd32"] - ns["cos_x32"]))
    assert own == ns["own"] and own < eps32 / 3
    assert own < worst(ns["autograd32"]) / 2  # most of it is input rounding


def test_gradcheck_warns_on_float32_and_fails():
    x = torch.tensor([1.0, 2.0], requires_grad=True)  # float32
    with (
        pytest.warns(UserWarning, match="will likely fail"),
        pytest.raises(RuntimeError, match="Jacobian mismatch"),
    ):
        torch.autograd.gradcheck(torch.sin, (x,))
    x64 = x.detach().double().requires_grad_()
    assert torch.autograd.gradcheck(torch.sin, (x64,))


def test_slope_arrows_and_one_descent_step(run_snippet):
    ns, _ = run_snippet("derivative/08_slope_arrows.py")
    w = torch.linspace(-2, 2, 17, dtype=torch.float64)
    got = autograd_derivative(ns["loss"], w)
    assert torch.allclose(got, ns["dL_dw"](w), rtol=1e-12, atol=1e-12)
    assert ns["w_new"] > 0.5
    assert ns["loss"](ns["w_new"]) < ns["loss"](0.5)


def test_velocity_from_samples(run_snippet):
    ns, out = run_snippet("derivative/09_velocity.py")
    t, v = ns["t"], ns["v"]
    assert np.max(np.abs(v[1:-1] - ns["velocity"](t[1:-1]))) < 1e-12
    assert abs(v[0] - ns["velocity"](0.0)) == pytest.approx(4.9 * 0.1)
    # edge_order=2: second-order one-sided ends, exact for a parabola
    assert ns["v2"][[0, -1]] == pytest.approx(ns["velocity"](t[[0, -1]]))
    assert np.all(np.diff(t) == pytest.approx(ns["dt"]))
    assert ns["top"] == pytest.approx(20 / 9.8, abs=1e-9)


def test_profit_maximum(run_snippet):
    ns, _ = run_snippet("derivative/10_profit.py")
    assert ns["mid"] == pytest.approx(30.0, abs=1e-6)
    assert ns["best"] == pytest.approx(30.0, abs=1e-9)
    assert ns["profit"](30.0) == 8000.0


def test_complex_step_reaches_round_off_where_central_cannot(run_snippet):
    ns, out = run_snippet("derivative/06c_complex_step.py")
    hs, cs_err, ctr_err = ns["hs"], ns["cs_err"], ns["ctr_err"]
    assert hs[-1] == 1e-20
    assert cs_err[-1] < 1e-15  # relative error at h = 1e-20
    assert np.all(cs_err[hs <= 1e-8] < 1e-15)  # and at every tiny step
    # the central difference cannot get below ~1e-11, on a finer sweep too
    fine = 10.0 ** np.linspace(-16, -1, 151)
    central = ns["central"](np.sin, 1.0, fine)
    assert np.min(np.abs(central - math.cos(1.0))) / math.cos(1.0) > 1e-12
    assert ctr_err.min() > 1e-12 and ctr_err[-1] == 1.0  # 0 at 1e-20
    # truncation O(h^2): Im f(a + ih) / h - f'(a) = -f'''(a) h^2 / 6 + ...,
    # the central difference's leading term with the opposite sign
    one = torch.tensor([1.0], dtype=torch.float64)
    f3 = autograd_derivative(torch.sin, one, 3).item()
    for h in (1e-2, 1e-3):
        cs = ns["complex_step"](np.sin, 1.0, h) - math.cos(1.0)
        ctr = ns["central"](np.sin, 1.0, h) - math.cos(1.0)
        assert cs / h**2 == pytest.approx(-f3 / 6, rel=1e-3)
        assert ctr / h**2 == pytest.approx(f3 / 6, rel=1e-3)
    assert "complex step at h = 1e-20: 0.5403023058681398" in out


def test_complex_step_figure_says_what_the_page_says(run_snippet):
    ns, out = run_snippet("derivative/06d_complex_step_figure.py")
    h, err = ns["h_grid"], ns["rel_err"]
    fwd, ctr, cs = err["forward"], err["central"], err["complex step"]
    eps = np.finfo(np.float64).eps
    assert h[0] == 1e-20 and h[-1] == 1.0 and len(h) == 101
    # the figure draws exactly these errors, 0 at the 1e-18 floor
    ax = ns["fig"].axes[0]
    for line, e in zip(ax.get_lines(), (fwd, ctr, cs), strict=True):
        assert np.array_equal(line.get_ydata(), np.maximum(e, 1e-18))
    assert ax.get_xscale() == ax.get_yscale() == "log"
    # "from h = 0.25 down to 2.5e-5 ... within 1%, both of slope 2"
    assert "step within 1% of central: h = 2.5e-05 to 2.5e-01" in out
    run = (h >= 2.4e-5) & (h <= 0.26)
    assert np.all(np.abs(cs[run] / ctr[run] - 1) < 0.01)
    lo, hi = np.flatnonzero(run)[[0, -1]]  # and no wider: the neighbours
    assert abs(cs[lo - 1] / ctr[lo - 1] - 1) > 0.01  # differ by more
    assert abs(cs[hi + 1] / ctr[hi + 1] - 1) > 0.01
    both = (h >= 1e-4) & (h <= 1e-2)  # clear of round-off and of h^4
    assert log_log_slope(h[both], cs[both]) == pytest.approx(2, abs=0.02)
    assert log_log_slope(h[both], ctr[both]) == pytest.approx(2, abs=0.02)
    assert log_log_slope(h[both], fwd[both]) == pytest.approx(1, abs=0.02)
    # "below 1e-5 the complex step is the most accurate at every step"
    small = h <= 1e-5
    assert np.all(cs[small] < np.minimum(fwd[small], ctr[small]))
    # "its relative error, h^2/6, keeps falling until it meets round-off
    # near h = 6e-8; from 1e-8 down to 1e-20 it is at most 2.1e-16, less
    # than eps, and at 60 of those 61 steps ... math.cos(1) bit for bit"
    falling = (h >= 6e-8) & (h <= 1e-1)
    assert np.all(np.diff(cs[falling]) > 0)
    assert np.allclose(
        cs[(h >= 1e-4) & (h <= 1e-1)],
        (h**2 / 6)[(h >= 1e-4) & (h <= 1e-1)],
        rtol=0.01,
    )
    tiny = h <= 1e-8
    assert cs[tiny].max() < eps and tiny.sum() == 61
    assert np.sum(cs[tiny] == 0) == 60
    assert "largest error 2.1e-16, exactly 0 at 60 of 61 steps" in out
    # the differences return 0 (error 1) once a + h, then a - h, round to a
    assert np.all((fwd == 1) == (h < eps / 2))
    assert np.all((ctr == 1) == (h < eps / 4))


@pytest.mark.parametrize(
    "np_f, torch_f",
    [
        (np.tanh, torch.tanh),
        (lambda x: 1 / (1 + np.exp(-x)), torch.sigmoid),
        (lambda x: np.log(1 + np.exp(x)), torch.nn.functional.softplus),
        (  # a classic test function of the complex-step literature
            lambda x: np.exp(x) / np.sqrt(np.sin(x) ** 3 + np.cos(x) ** 3),
            lambda x: torch.exp(x) / torch.sqrt(x.sin() ** 3 + x.cos() ** 3),
        ),
    ],
)
def test_complex_step_matches_autograd_to_round_off(
    run_snippet, np_f, torch_f
):
    ns, _ = run_snippet("derivative/06c_complex_step.py")
    points = torch.linspace(0.1, 1.5, 8, dtype=torch.float64)
    exact = autograd_derivative(torch_f, points).numpy()
    got = ns["complex_step"](np_f, points.numpy(), 1e-20)
    assert np.max(np.abs(got - exact) / np.abs(exact)) < 1e-15


def test_complex_step_fails_off_analytic_or_complex_unsafe_code(run_snippet):
    ns, out = run_snippet("derivative/06c_complex_step.py")
    step = ns["complex_step"]
    assert step(np.abs, -0.5, 1e-20) == 0.0  # the modulus: slope lost
    assert step(ns["abs_safe"], -0.5, 1e-20) == -1.0
    assert step(ns["abs_safe"], 0.5, 1e-20) == 1.0
    with pytest.raises(TypeError):
        step(ns["relu"], -0.5, 1e-20)
    assert "relu:     TypeError" in out
    # NumPy's complex128 does not raise: it orders by the real part first,
    # and float() (inside math.sin) drops the imaginary part with a warning
    x_np = np.float64(-0.5)
    assert step(ns["relu"], x_np, 1e-20) == 0.0
    assert step(ns["relu"], np.float64(0.5), 1e-20) == 1.0
    with pytest.warns(np.exceptions.ComplexWarning):
        assert step(math.sin, x_np, 1e-20) == 0.0  # the slope is cos 0.5
    assert "math.sin, NumPy input: complex step 0.0 (ComplexWarning)" in out
    with pytest.raises(TypeError):
        math.sin(-0.5 + 1e-20j)  # Python's complex refuses
    with pytest.warns(np.exceptions.ComplexWarning):
        np.array([1 + 2j]).astype(np.float64)
    assert np.linalg.norm(np.array([3 + 1e-20j])).imag == 0.0


def test_abs_one_sided_limits_at_zero_and_slopes_elsewhere():
    # the difference quotients of |x| at 0 are +1 from the right and -1
    # from the left for every step, so the two one-sided limits differ
    for h in np.logspace(-300, 0, 61):
        assert (abs(h) - abs(0.0)) / h == 1.0
        assert (abs(-h) - abs(0.0)) / -h == -1.0
    # away from 0, the slope of |x| is -1 on the left and 1 on the right
    x = torch.tensor([-2.0, -1e-3, 1e-3, 2.0], dtype=torch.float64)
    got = autograd_derivative(torch.abs, x)
    assert got.tolist() == [-1.0, -1.0, 1.0, 1.0]


def test_rounding_of_a_plus_h(run_snippet):
    ns, out = run_snippet("derivative/06b_step_rounding.py")
    eps, a = ns["eps"], ns["a"]
    rows = [list(map(float, line.split())) for line in out.splitlines()[1:5]]
    for h, error, f_only, with_a, true_step in rows:
        assert error <= 1.05 * with_a  # the model with a + h bounds it
        # the step actually taken is off by at most half a gap at a
        taken = (a + h) - a
        assert abs(taken - h) <= eps * a / 2
        assert Fraction(taken) == Fraction(a + h) - Fraction(a)  # exact
        # and it is the rounding of a + h that the error measures
        if h <= 1e-8:
            assert error > 5 * f_only
            assert error == pytest.approx(abs(taken / h - 1), rel=0.05)
            assert true_step < f_only
        else:
            assert error == pytest.approx(f_only, rel=0.1)
    # h = cbrt(eps) max(1, |a|): right for ln x and x^3 at 1e6, wrong for
    # sin at 1000, as the page says
    errors = ns["central_errors"].values()
    (ln_u, ln_s, ln_t), (cube_u, cube_s, cube_t), (sin_u, sin_s, sin_t) = (
        errors
    )
    assert ln_s < 1e-10 < 1e-6 < ln_u and cube_s < 1e-10 < 1e-7 < cube_u
    assert sin_u < 1e-8 < 1e-6 < sin_s
    # dividing the unscaled step's difference by the true step: the cure
    # for sin at 1000, not for ln x and x^3 (the rounding of f dominates)
    assert sin_t < 1e-10 < 1e-9 < sin_u
    assert ln_t > 0.5 * ln_u and cube_t > 0.3 * cube_u
