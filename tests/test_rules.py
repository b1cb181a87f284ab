"""The chapter-2 tables are right: every formula is checked by autograd.

`snippets/rules/ml_derivatives.py` is the one source of the ML cheat sheet
(chapter 2 and the reference cheat sheet print their table from it). Each
row's derivative formula is compared with autograd in float64 at many
points, so a wrong row fails here.
"""

import math

import pytest
import torch
from torch.autograd.functional import jacobian

DTYPE = torch.float64


def sample_points(n=4, count=30):
    """Random vectors of length n, plus ones with exact ties and zeros."""
    gen = torch.Generator().manual_seed(0)
    points = [
        4 * torch.randn(n, generator=gen, dtype=DTYPE) for _ in range(count)
    ]
    points += [
        torch.zeros(n, dtype=DTYPE),
        torch.tensor([-1.0, 0.0, 1.0, 0.0], dtype=DTYPE)[:n],
        torch.tensor([12.0, -12.0, 0.5, 30.0], dtype=DTYPE)[:n],
        torch.linspace(-3, 3, n, dtype=DTYPE),
    ]
    return points


def check_row(row, points):
    """Compare the row's formula with autograd's Jacobian at each point."""
    for x in points:
        value = row.f(x)
        formula = row.df(x)
        auto = jacobian(row.f, x)
        # A loss gives its gradient, a vector function its Jacobian J;
        # an elementwise function gives the diagonal of J.
        elementwise = value.ndim == 1 and formula.ndim == 1
        expected = torch.diag(formula) if elementwise else formula
        assert auto.shape == expected.shape, (row.name, x)
        torch.testing.assert_close(
            auto, expected, rtol=1e-10, atol=1e-12, msg=f"{row.name} at {x}"
        )


def test_ml_table_is_printed_from_every_row(run_snippet):
    ns, out = run_snippet("rules/ml_derivatives.py")
    lines = out.strip().splitlines()
    assert lines[0].startswith("| Function |")
    assert len(lines) == 2 + len(ns["ROWS"])
    for row, line in zip(ns["ROWS"], lines[2:], strict=True):
        assert line.startswith(f"| {row.name} |")
        assert row.f_tex in line and row.df_tex in line
        assert line.count("|") == 4  # no stray pipe from the LaTeX


def test_ml_table_has_the_promised_rows(run_snippet):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    names = [row.name for row in ns["ROWS"]]
    for expected in [
        "sigmoid",
        "tanh",
        "ReLU",
        "softplus",
        "softmax",
        "log-sum-exp",
        "MSE",
        "cross-entropy of softmax",
        "BCE with logits",
    ]:
        assert expected in names


def test_every_ml_row_matches_autograd(run_snippet):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    n = len(ns["y"])
    for row in ns["ROWS"]:
        check_row(row, sample_points(n))


def test_elementwise_rows_on_a_dense_grid_including_zero(run_snippet):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    grid = torch.arange(-240, 241, dtype=DTYPE) / 40  # contains 0 exactly
    assert (grid == 0).any()
    checked = []
    for row in ns["ROWS"]:
        probe = torch.ones(len(ns["y"]), dtype=DTYPE)
        if row.f(probe).ndim == 1 and row.df(probe).ndim == 1:
            x = grid.clone().requires_grad_()
            checked.append(row.name)
            (auto,) = torch.autograd.grad(row.f(x).sum(), x)
            torch.testing.assert_close(
                auto, row.df(grid), rtol=1e-10, atol=1e-12, msg=row.name
            )
    assert checked == ["sigmoid", "tanh", "ReLU", "softplus"]


def test_relu_formula_gives_pytorchs_zero_at_zero(run_snippet):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    relu = next(row for row in ns["ROWS"] if row.name == "ReLU")
    x = torch.tensor(0.0, dtype=DTYPE, requires_grad=True)
    relu.f(x).backward()
    assert x.grad.item() == 0.0
    assert relu.df(torch.tensor(0.0, dtype=DTYPE)).item() == 0.0


def test_softmax_jacobian_against_torch_jacobian(run_snippet):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    gen = torch.Generator().manual_seed(1)
    for n in (2, 3, 5, 8):
        for _ in range(20):
            z = 3 * torch.randn(n, generator=gen, dtype=DTYPE)
            auto = jacobian(lambda v: torch.softmax(v, dim=0), z)
            s = torch.softmax(z, dim=0)
            by_index = torch.tensor(
                [
                    [s[i] * (float(i == j) - s[j]) for j in range(n)]
                    for i in range(n)
                ],
                dtype=DTYPE,
            )
            torch.testing.assert_close(ns["softmax_jacobian"](z), auto)
            torch.testing.assert_close(by_index, auto)


def test_ml_rows_also_match_central_differences(run_snippet):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    h = 1e-6
    for row in ns["ROWS"]:
        # Random points only: at ReLU's corner (x = 0) a central
        # difference averages the two slopes and gives 0.5.
        for x in sample_points(len(ns["y"]), count=10)[:10]:
            columns = []
            for j in range(len(x)):
                step = torch.zeros_like(x)
                step[j] = h
                columns.append((row.f(x + step) - row.f(x - step)) / (2 * h))
            numeric = torch.stack(columns, dim=-1)  # J, one column per input
            formula = row.df(x)
            if row.f(x).ndim == 1 and formula.ndim == 1:
                formula = torch.diag(formula)
            torch.testing.assert_close(
                numeric, formula, rtol=1e-6, atol=1e-7, msg=row.name
            )


@pytest.mark.parametrize(
    "name, wrong",
    [
        ("sigmoid", lambda x: torch.sigmoid(x)),
        ("tanh", lambda x: 1 - torch.tanh(x)),
        ("ReLU", lambda x: (x >= 0).to(x.dtype)),
        ("softplus", lambda x: torch.sigmoid(-x)),
        ("softmax", lambda z: torch.diag(torch.softmax(z, dim=0))),
        ("log-sum-exp", lambda z: torch.exp(z)),
        ("MSE", lambda y_hat: y_hat),
        ("cross-entropy of softmax", lambda z: torch.softmax(z, dim=0)),
        ("BCE with logits", lambda z: torch.sigmoid(z)),
        (
            "BCE with logits",
            lambda z: torch.sigmoid(z) * (1 - torch.sigmoid(z)),
        ),
    ],
)
def test_a_wrong_row_is_caught(run_snippet, name, wrong):
    ns, _ = run_snippet("rules/ml_derivatives.py")
    row = next(row for row in ns["ROWS"] if row.name == name)
    with pytest.raises(AssertionError):
        check_row(row._replace(df=wrong), sample_points(len(ns["y"])))


# Each rule of the static rules tables (chapter 2 and the cheat sheet),
# written as instances (f, the rule's f') on x > 0.
RULE_INSTANCES = {
    "constant": [(lambda x: 0 * x + 7.5, lambda x: 0 * x)],
    "power": [
        (lambda x, n=n: x**n, lambda x, n=n: n * x ** (n - 1))
        for n in (2, 3, 7, -1, 0.5, -2.5)
    ],
    "exponential": [(torch.exp, torch.exp)],
    "any base": [
        (lambda x, a=a: a**x, lambda x, a=a: a**x * math.log(a))
        for a in (0.5, 2.0, 10.0)
    ],
    "logarithm": [(torch.log, lambda x: 1 / x)],
    "sine": [(torch.sin, torch.cos)],
    "cosine": [(torch.cos, lambda x: -torch.sin(x))],
    "tangent": [(torch.tan, lambda x: 1 / torch.cos(x) ** 2)],
    "constant multiple": [
        (lambda x: -3 * torch.exp(x), lambda x: -3 * torch.exp(x))
    ],
    "sum": [(lambda x: x**3 + torch.log(x), lambda x: 3 * x**2 + 1 / x)],
    "product": [
        (
            lambda x: torch.exp(x) * torch.cos(x),
            lambda x: (
                torch.exp(x) * torch.cos(x) - torch.exp(x) * torch.sin(x)
            ),
        ),
        (
            lambda x: torch.sin(x) ** 2,
            lambda x: 2 * torch.sin(x) * torch.cos(x),
        ),
    ],
    "quotient": [
        (
            lambda x: torch.log(x) / (1 + x**2),
            lambda x: (
                ((1 / x) * (1 + x**2) - torch.log(x) * 2 * x) / (1 + x**2) ** 2
            ),
        )
    ],
    "chain": [
        (lambda x: torch.sin(x**2 + 1), lambda x: torch.cos(x**2 + 1) * 2 * x),
        (
            lambda x: torch.exp(torch.cos(x)),
            lambda x: torch.exp(torch.cos(x)) * -torch.sin(x),
        ),
    ],
}


def table_rule_names(page):
    """The first column of the `| Rule | Function | Derivative |` table."""
    from bookkit import config

    text = (config.docs_dir() / page).read_text()
    lines = text[text.index("| Rule | Function | Derivative |") :].splitlines()
    names = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        names.append(line.split("|")[1].strip())
    return names


@pytest.mark.parametrize("page", ["rules.md", "reference/cheat-sheet.md"])
def test_every_rule_in_a_rules_table_is_checked(page):
    names = table_rule_names(page)
    assert len(names) >= 10
    assert set(names) <= set(RULE_INSTANCES), set(names) - set(RULE_INSTANCES)


@pytest.mark.parametrize("rule", sorted(RULE_INSTANCES))
def test_rule_matches_autograd_and_central_differences(rule):
    gen = torch.Generator().manual_seed(0)
    x = 0.1 + 1.4 * torch.rand(200, generator=gen, dtype=DTYPE)  # (0.1, 1.5)
    h = 1e-6
    for f, df_dx in RULE_INSTANCES[rule]:
        formula = df_dx(x)
        xg = x.clone().requires_grad_()
        (auto,) = torch.autograd.grad(f(xg).sum(), xg)
        torch.testing.assert_close(auto, formula, rtol=1e-10, atol=1e-12)
        central = (f(x + h) - f(x - h)) / (2 * h)
        torch.testing.assert_close(central, formula, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("total", [1.0, 2.0, 0.5])
def test_cross_entropy_gradient_needs_a_target_summing_to_one(total):
    gen = torch.Generator().manual_seed(2)
    z = torch.randn(5, generator=gen, dtype=DTYPE)
    y = torch.rand(5, generator=gen, dtype=DTYPE)
    y = total * y / y.sum()  # a soft target with sum(y) = total
    p = torch.softmax(z, dim=0)
    zg = z.clone().requires_grad_()
    (auto,) = torch.autograd.grad(-(y * torch.log_softmax(zg, 0)).sum(), zg)
    # the general gradient, p_i sum_j y_j - y_i, holds for every target
    torch.testing.assert_close(auto, p * y.sum() - y)
    # the table's p - y holds exactly when the target sums to 1
    assert torch.allclose(auto, p - y) == (total == 1.0)


def test_mul_node_returns_the_two_partials():
    x = torch.tensor(1.0, dtype=DTYPE, requires_grad=True)
    u, v = x**2, torch.sin(x)
    y = u * v
    assert type(y.grad_fn).__name__ == "MulBackward0"
    d_du, d_dv = y.grad_fn(torch.tensor(1.0, dtype=DTYPE))
    assert (d_du.item(), d_dv.item()) == (v.item(), u.item())
    # each times the gradient arriving from above
    d_du, d_dv = y.grad_fn(torch.tensor(2.0, dtype=DTYPE))
    assert (d_du.item(), d_dv.item()) == (2 * v.item(), 2 * u.item())
    # the pow and sin nodes, then the sum over both paths into x
    y.backward()
    expected = 2 * math.sin(1.0) + math.cos(1.0)
    assert x.grad.item() == pytest.approx(expected, rel=1e-15)


def test_lab_checks_every_rule_of_the_table():
    from bookkit import config, runner

    lab = config.docs_dir() / "labs" / "rules.py"
    namespace = {}
    with runner.isolated() as output:
        runner.reset_global_state()
        runner.execute(lab.read_text(encoding="utf-8"), str(lab), namespace)
    # "Every rule of the chapter": constant, power, exponential, logarithm,
    # sine, cosine and constant multiple, then sum, product and quotient
    rows = namespace["rules"]
    for name in ["7", "x^5", "e^x", "ln x", "sin x", "cos x", "4 cos x"]:
        assert name in rows
    for name in ["x^2 + cos x", "x e^x", "ln x / x"]:
        assert name in rows
    for name in rows:
        assert f"\n{name:12} " in output.text
    assert "Task 4 passes" in output.text


# Logarithmic differentiation (chapter 2): x^x and the exercise x^(sin x),
# on x > 0, against autograd and central differences.
LOG_DIFF = {
    "x^x": (
        lambda x: x**x,
        lambda x: x**x * (torch.log(x) + 1),
    ),
    "x^(sin x)": (
        lambda x: x ** torch.sin(x),
        lambda x: (
            x ** torch.sin(x)
            * (torch.cos(x) * torch.log(x) + torch.sin(x) / x)
        ),
    ),
}


@pytest.mark.parametrize("name", LOG_DIFF)
def test_logarithmic_differentiation(name):
    f, df = LOG_DIFF[name]
    x = torch.linspace(0.05, 5, 100, dtype=DTYPE).requires_grad_()
    (auto,) = torch.autograd.grad(f(x).sum(), x)
    grid = x.detach()
    torch.testing.assert_close(auto, df(grid), rtol=1e-12, atol=1e-12)
    h = 1e-6
    central = (f(grid + h) - f(grid - h)) / (2 * h)
    torch.testing.assert_close(central, df(grid), rtol=1e-7, atol=1e-8)


def test_x_to_the_x_is_both_rules_added_and_flat_at_one_over_e():
    x = torch.linspace(0.05, 5, 100, dtype=DTYPE)
    power = x * x ** (x - 1)  # the power rule alone
    exponential = x**x * torch.log(x)  # the exponential rule alone
    right = LOG_DIFF["x^x"][1](x)
    torch.testing.assert_close(power + exponential, right)
    assert (power - right).abs().max() > 1 and (
        exponential - right
    ).abs().max() > 1
    at = torch.tensor(1 / math.e, dtype=DTYPE, requires_grad=True)
    (at**at).backward()
    assert abs(at.grad.item()) < 1e-15  # x^x is flat at 1/e


def test_bce_with_logits_gradient_for_any_targets_and_reduction():
    # dL/dz = sigmoid(z) - y for every target in [0, 1] (soft labels too),
    # divided by n under PyTorch's default mean reduction, and still
    # exact at logits where sigmoid(z) rounds to 0 or 1
    from torch.nn.functional import binary_cross_entropy_with_logits as bce

    gen = torch.Generator().manual_seed(0)
    z = torch.cat(
        [
            4 * torch.randn(20, generator=gen, dtype=DTYPE),
            torch.tensor([-40.0, 40.0, 0.0], dtype=DTYPE),
        ]
    )
    for y in [
        torch.rand(23, generator=gen, dtype=DTYPE),
        (torch.rand(23, generator=gen, dtype=DTYPE) > 0.5).to(DTYPE),
    ]:
        for reduction, scale in [("sum", 1), ("mean", 1 / len(z))]:
            x = z.clone().requires_grad_()
            bce(x, y, reduction=reduction).backward()
            torch.testing.assert_close(
                x.grad, scale * (torch.sigmoid(z) - y), rtol=1e-12, atol=0
            )
        # the definition the table prints, on logits where it is finite
        s = torch.sigmoid(z[:20])
        by_definition = -(y[:20] * s.log() + (1 - y[:20]) * (1 - s).log())
        torch.testing.assert_close(1 - s, torch.sigmoid(-z[:20]))
        torch.testing.assert_close(
            bce(z[:20], y[:20], reduction="none"), by_definition
        )


def test_log_likelihood_is_a_sum_where_the_likelihood_underflows():
    # chapter 2: a product of many probabilities underflows to 0 in
    # float64; its log, a sum of logs, does not
    probs = [0.5] * 1100
    assert math.prod(probs) == 0.0
    assert sum(math.log(p) for p in probs) == pytest.approx(
        1100 * math.log(0.5)
    )
