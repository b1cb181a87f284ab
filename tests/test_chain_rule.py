"""Checks for the formulas stated in docs/chain-rule.md.

The page asserts its examples at the points it shows; these tests check
the same formulas on grids of points against autograd in float64, check
that the numbers written into the static diagram are the computed ones,
and run the chapter's lab.
"""

import itertools
import math
import re

import pytest
import torch

from bookkit import config, runner

PAGE = config.docs_dir() / "chain-rule.md"
LAB = config.docs_dir() / "labs" / "chain-rule.py"
GRID = torch.linspace(-2.0, 2.0, 41, dtype=torch.float64)  # (41,)


def autograd_derivative(f, xs):
    """Elementwise derivative of an elementwise f at every point of xs."""
    xs = xs.clone().requires_grad_(True)
    f(xs).sum().backward()
    return xs.grad


def test_worked_examples_on_a_grid(run_snippet):
    ns, _ = run_snippet("chain_rule/03_worked_examples.py")
    examples = ns["examples"]
    assert set(examples) == {"(3x+1)^5", "sin(x^2)", "ln(x^2+1)", "sin(e^x)"}
    for name, (f, df_dx) in examples.items():
        expected = autograd_derivative(f, GRID)
        assert torch.allclose(df_dx(GRID), expected, rtol=1e-12, atol=1e-12), (
            name
        )


@pytest.mark.parametrize(
    ("outer", "outer_prime"),
    [
        (torch.sin, torch.cos),
        (torch.exp, torch.exp),
        (torch.tanh, lambda u: 1 - torch.tanh(u) ** 2),
        (torch.sigmoid, lambda u: torch.sigmoid(u) * (1 - torch.sigmoid(u))),
    ],
)
def test_chain_rule_outer_at_inner_times_inner(outer, outer_prime):
    # (f(g(x)))' = f'(g(x)) g'(x), with g(x) = x**3 - x, g'(x) = 3x**2 - 1
    def g(x):
        return x**3 - x

    expected = autograd_derivative(lambda x: outer(g(x)), GRID)
    stated = outer_prime(g(GRID)) * (3 * GRID**2 - 1)
    assert torch.allclose(stated, expected, rtol=1e-12, atol=1e-12)
    added = outer_prime(g(GRID)) + (3 * GRID**2 - 1)
    assert not torch.allclose(added, expected, atol=1e-3)


def test_three_links_multiply():
    # x -> u = x**2 + 1 -> v = ln u -> y = sin v
    def y_of(x):
        return torch.sin(torch.log(x**2 + 1))

    u = GRID**2 + 1
    v = torch.log(u)
    stated = torch.cos(v) * (1 / u) * (2 * GRID)
    assert torch.allclose(stated, autograd_derivative(y_of, GRID), rtol=1e-12)


def test_pipeline_gains_multiply(run_snippet):
    ns, out = run_snippet("chain_rule/01_pipeline.py")
    gain_g = (ns["g"](ns["x"] + 1e-7) - ns["g"](ns["x"] - 1e-7)) / 2e-7
    u = ns["g"](ns["x"])
    gain_f = (ns["f"](u + 1e-7) - ns["f"](u - 1e-7)) / 2e-7
    assert gain_g == pytest.approx(3.0)
    assert gain_f == pytest.approx(2 * u)
    assert f"{gain_g * gain_f:.4f}" in out
    assert f"{gain_g + gain_f:.4f}" in out


def test_sum_over_paths_on_a_grid():
    # y = f(u, v) = u v, u = x**2, v = sin x
    def y_of(x):
        return x**2 * torch.sin(x)

    x = GRID
    path_u = torch.sin(x) * (2 * x)  # df/du * du/dx
    path_v = x**2 * torch.cos(x)  # df/dv * dv/dx
    expected = autograd_derivative(y_of, x)
    assert torch.allclose(path_u + path_v, expected, rtol=1e-12, atol=1e-14)


def test_gradient_is_the_sum_over_all_paths():
    # n layers of two tanh units, each unit fed by both units before it:
    # the input reaches the loss along 2**n paths.
    n = 4
    gen = torch.Generator().manual_seed(2)
    first = torch.randn(2, generator=gen, dtype=torch.float64)  # (2,)
    weights = [
        torch.randn(2, 2, generator=gen, dtype=torch.float64)  # (2, 2)
        for _ in range(n - 1)
    ]
    x = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    layers = [torch.tanh(first * x)]  # (2,)
    for w in weights:
        layers.append(torch.tanh(w @ layers[-1]))
    layers[-1].sum().backward()

    total, count = 0.0, 0
    for units in itertools.product(range(2), repeat=n):
        term = first[units[0]].item()  # dz/dx on the first edge
        for k, unit in enumerate(units):
            term *= 1 - layers[k][unit].item() ** 2  # tanh'
            if k + 1 < n:
                term *= weights[k][units[k + 1], unit].item()
        total += term
        count += 1
    assert count == 2**n
    assert total == pytest.approx(x.grad.item(), rel=1e-12)


def test_shared_value_gradients_accumulate():
    x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    (x**2).backward()
    torch.sin(x).backward()
    assert x.grad.item() == pytest.approx(2 * 0.7 + math.cos(0.7), rel=1e-14)


def test_paths_are_summed_before_the_leaf_gets_its_gradient():
    # x reaches y along three paths; a hook on the leaf sees one arrival
    x = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    arrivals = []
    x.register_hook(lambda grad: arrivals.append(grad.item()))
    y = 3 * x + x**2 + torch.sin(x)
    y.backward()
    total = 3 + 2 * 0.4 + math.cos(0.4)
    assert arrivals == [pytest.approx(total, rel=1e-15)]
    assert x.grad.item() == pytest.approx(total, rel=1e-15)
    (3 * x + x**2 + torch.sin(x)).backward()  # across calls: +=
    assert len(arrivals) == 2
    assert x.grad.item() == pytest.approx(2 * total, rel=1e-15)


def test_outer_at_x_is_right_by_accident_at_the_listed_points(
    run_snippet,
):
    ns, out = run_snippet("chain_rule/02_multiply_not_add.py")
    text = PAGE.read_text(encoding="utf-8")
    # every positive solution of cos(x**2) = cos(x) below 3.1, by bisection
    # on a fine grid: the snippet's list is complete, not a sample
    grid = torch.linspace(0.01, 3.1, 31001, dtype=torch.float64)
    gap = torch.cos(grid**2) - torch.cos(grid)
    roots = []
    for i in torch.nonzero(gap[:-1] * gap[1:] <= 0).flatten().tolist():
        lo, hi = grid[i].item(), grid[i + 1].item()
        for _ in range(60):
            mid = (lo + hi) / 2
            g_lo = math.cos(lo**2) - math.cos(lo)
            g_mid = math.cos(mid**2) - math.cos(mid)
            lo, hi = (lo, mid) if g_lo * g_mid <= 0 else (mid, hi)
        roots.append(lo)
    assert ns["accidents"] == pytest.approx(roots, abs=1e-9)
    listed = ", ".join(f"{x:.2f}" for x in roots)
    assert f"right by accident at x = {listed}" in out
    for x in roots[1:]:
        assert f"\\(x \\approx {x:.2f}\\)" in text
    for x, k, sign in [(roots[1], 1, -1), (roots[2], 1, 1)]:
        assert math.isclose(x**2, sign * x + 2 * math.pi * k)  # as stated
        assert math.cos(x) * 2 * x == pytest.approx(math.cos(x**2) * 2 * x)


def test_sigmoid_derivative_and_its_bound():
    zs = torch.linspace(-12, 12, 2401, dtype=torch.float64)
    s = torch.sigmoid(zs)
    stated = s * (1 - s)
    assert torch.allclose(stated, autograd_derivative(torch.sigmoid, zs))
    assert stated.max().item() == pytest.approx(0.25, abs=1e-15)
    assert zs[stated.argmax()].item() == pytest.approx(0.0, abs=1e-12)


def one_neuron_grad(w, x, y, b=0.0):
    a = 1 / (1 + math.exp(-(w * x + b)))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz  # dL/dw, dL/db


def test_one_neuron_formula_at_random_points():
    rng = torch.Generator().manual_seed(0)
    values = torch.randn(20, 4, generator=rng, dtype=torch.float64)  # (20, 4)
    for w, x, y, b in values.tolist():
        w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        ((torch.sigmoid(w_t * x + b_t) - y) ** 2).backward()
        dL_dw, dL_db = one_neuron_grad(w, x, y, b)
        assert dL_dw == pytest.approx(w_t.grad.item(), rel=1e-12, abs=1e-15)
        assert dL_db == pytest.approx(b_t.grad.item(), rel=1e-12, abs=1e-15)


def test_one_neuron_snippet_prints_its_product(run_snippet):
    ns, out = run_snippet("chain_rule/06_one_neuron.py")
    product = ns["dL_da"] * ns["da_dz"] * ns["dz_dw"]
    assert ns["dL_dw"] == pytest.approx(product, rel=1e-15)
    assert ns["dL_dw"] == pytest.approx(
        one_neuron_grad(ns["w"], ns["x"], ns["y"])[0], rel=1e-14
    )
    assert f"dL/dw = {ns['dL_dw']:.4f}" in out


def test_the_two_step_tabs_print_the_same_numbers(run_snippet):
    ns_scratch, out_scratch = run_snippet("chain_rule/07_one_step_scratch.py")
    ns_torch, out_torch = run_snippet("chain_rule/07b_one_step_torch.py")
    assert out_scratch == out_torch
    assert ns_scratch["loss_new"] < ns_scratch["loss"]


def two_layer(x, y, w1, w2):
    z = w1 * x
    a = 1 / (1 + math.exp(-z))
    y_hat = w2 * a
    dL_dy_hat = 2 * (y_hat - y)
    dL_da = dL_dy_hat * w2
    dL_dz = dL_da * a * (1 - a)
    return {
        "w1": dL_dz * x,
        "w2": dL_dy_hat * a,
        "x": dL_dz * w1,
    }


def test_two_layer_formulas_at_random_points():
    rng = torch.Generator().manual_seed(1)
    values = torch.randn(20, 4, generator=rng, dtype=torch.float64)  # (20, 4)
    for x, y, w1, w2 in values.tolist():
        leaves = {
            name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
            for name, value in {"x": x, "w1": w1, "w2": w2}.items()
        }
        y_hat = leaves["w2"] * torch.sigmoid(leaves["w1"] * leaves["x"])
        ((y_hat - y) ** 2).backward()
        for name, stated in two_layer(x, y, w1, w2).items():
            assert stated == pytest.approx(
                leaves[name].grad.item(), rel=1e-12, abs=1e-15
            ), name


# Labels written in the page's computational-graph diagram, and the names
# of the values the snippet computes for them.
DIAGRAM_LABELS = {
    "x": "x",
    "w₁": "w1",
    "∂L/∂w₁": "dL_dw1",
    "z": "z",
    "∂L/∂z": "dL_dz",
    "a": "a",
    "∂L/∂a": "dL_da",
    "w₂": "w2",
    "∂L/∂w₂": "dL_dw2",
    "ŷ": "y_hat",
    "∂L/∂ŷ": "dL_dy_hat",
    "y": "y",
    "L": "loss",
    "∂L/∂L": None,  # always 1
}


def diagram_numbers() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    diagrams = re.findall(r"```mermaid\n(.*?)```", text, flags=re.DOTALL)
    graph = [d for d in diagrams if "∂L/∂w₁" in d]
    assert len(graph) == 1, "expected one diagram with the two-layer numbers"
    pairs = re.findall(r'[\["]([^\s\["=<>]+) = (-?\d+\.\d+)', graph[0])
    pairs += re.findall(r"<br/>([^\s\"=<>]+) = (-?\d+\.\d+)", graph[0])
    numbers = dict(pairs)
    assert len(numbers) == len(pairs), "a label appears twice"
    return numbers


def test_diagram_numbers_are_the_computed_ones(run_snippet):
    ns, out = run_snippet("chain_rule/08_two_layer.py")
    numbers = diagram_numbers()
    assert set(numbers) == set(DIAGRAM_LABELS)
    for label, name in DIAGRAM_LABELS.items():
        value = 1.0 if name is None else ns[name]
        assert numbers[label] == f"{value:.4f}", label
        assert f" {numbers[label]}" in out, f"{label} not printed"


def test_vanishing_products(run_snippet):
    ns, out = run_snippet("chain_rule/09_vanishing.py")
    x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    a, by_hand = x, 1.0
    for n in range(1, 51):
        by_hand *= torch.sigmoid(a).item() * (1 - torch.sigmoid(a).item())
        a = torch.sigmoid(a)
        (grad,) = torch.autograd.grad(a, x, retain_graph=True)
        assert grad.item() == pytest.approx(by_hand, rel=1e-12)
        assert grad.item() <= 0.25**n
        if n in (10, 20, 50):
            row = f"{n:6d} {0.9**n:9.2e} {0.25**n:20.2e} {grad.item():15.2e}"
            assert row in out


def test_lab_runs_and_its_checks_pass():
    source = LAB.read_text(encoding="utf-8")
    with runner.isolated() as output:
        runner.reset_global_state()
        runner.execute(source, str(LAB), {})
    assert "Your turn" in source
    assert "Traceback" not in output.text


def test_lab_vector_pass_is_chapter_4s(run_snippet):
    """The lab's vector backward pass gives what chapter 4's from-scratch
    layer loop gives on the same network (and the lab checks autograd)."""
    namespace = {}
    with runner.isolated():
        runner.reset_global_state()
        runner.execute(LAB.read_text(encoding="utf-8"), str(LAB), namespace)
    ns, _ = run_snippet("gradients/09b_layer_backward_numpy.py")
    (dW1, db1), (dW2, db2) = ns["grads"]
    lab = {
        "dL_dW1": dW1,
        "dL_db1": db1,
        "dL_dW2": dW2,
        "dL_db2": db2,
        "dL_dx": ns["dL_dx"],
    }
    for name, expected in lab.items():
        got, expected = namespace[name], torch.from_numpy(expected)
        assert got.shape == expected.shape, name
        assert torch.allclose(got, expected, rtol=1e-14, atol=1e-16), name


def test_gates_route_the_gradient(run_snippet):
    """Add distributes, mul swaps and scales, max routes; at random values."""
    ns, out = run_snippet("chain_rule/08b_gates.py")
    assert "mul a * b      dL/da = -10.0   dL/db =  15.0" in out
    route = ns["route"]
    gen = torch.Generator().manual_seed(5)
    for a, b, g in torch.randn(20, 3, dtype=torch.float64, generator=gen):
        a, b, g = a.item(), b.item(), g.item()
        assert route(torch.add, a, b, g) == (g, g)
        assert route(torch.mul, a, b, g) == pytest.approx((g * b, g * a))
        larger_first = (g, 0.0) if a > b else (0.0, g)
        assert route(torch.maximum, a, b, g) == larger_first
        # max(a, b) in other spellings routes the same way
        stacked = torch.tensor([a, b], dtype=torch.float64)
        stacked.requires_grad_()
        stacked.max().backward(torch.tensor(g, dtype=torch.float64))
        assert tuple(stacked.grad.tolist()) == larger_first


def test_max_at_a_tie_has_two_one_sided_slopes():
    h = 1e-3
    a = b = 2.0
    assert (max(a + h, b) - max(a, b)) / h == pytest.approx(1.0)
    assert (max(a, b) - max(a - h, b)) / h == 0.0
    # ReLU = max(0, z): no gradient for a negative input, one for positive
    z = torch.tensor([-1.5, -0.1, 0.2, 3.0], dtype=torch.float64)
    z.requires_grad_()
    torch.relu(z).sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 1.0, 1.0]
    # a residual add passes the gradient through whatever f's slope
    h_in = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    (h_in + 1e-9 * torch.sigmoid(h_in)).backward()
    assert h_in.grad.item() == pytest.approx(1.0, abs=1e-9)
    # with a real f, the skip path's 1 plus f's own share: 1 + f'(h)
    h_in.grad = None
    (h_in + 0.5 * torch.tanh(h_in)).backward()
    f_prime = 0.5 * (1 - torch.tanh(h_in.detach()) ** 2)
    assert h_in.grad.item() == pytest.approx(1 + f_prime.item(), rel=1e-15)
