"""Checks of chapter 4's formulas beyond the points the page shows."""

import numpy as np
import pytest
import torch
from torch.autograd.functional import hessian, jacobian
from torch.func import grad, jacrev

F64 = {"dtype": torch.float64}


def autograd_partials(f, point):
    args = [torch.tensor(p, **F64, requires_grad=True) for p in point]
    f(*args).backward()
    return np.array([a.grad.item() for a in args])


def test_partials_table_formulas_hold_at_random_points(run_snippet):
    ns, out = run_snippet("gradients/02_partials_table.py")
    assert out.count("\n") == 2 + 7  # header, rule, seven partials
    rng = np.random.default_rng(0)
    for _, f, point, partials in ns["cases"]:
        for _ in range(5):
            p = tuple(rng.uniform(-2, 2, size=len(point)))
            by_hand = np.array([formula(*p) for _, _, formula in partials])
            np.testing.assert_allclose(
                autograd_partials(f, p), by_hand, rtol=1e-12, atol=1e-12
            )
            numeric = [ns["central_partial"](f, p, i) for i in range(len(p))]
            np.testing.assert_allclose(numeric, by_hand, atol=1e-6)


def test_slice_tangents_have_the_partial_slopes(run_snippet):
    ns, _ = run_snippet("gradients/01_slices.py")
    expected = autograd_partials(ns["f"], (ns["x0"], ns["y0"]))
    assert (ns["df_dx"], ns["df_dy"]) == tuple(expected)


def test_directional_derivative_is_gradient_dot_u(run_snippet):
    ns, out = run_snippet("gradients/03_directional_sweep.py")
    assert "steepest angle   = 216 degrees" in out
    loss, grad_loss = ns["loss"], ns["grad_loss"]
    rng = np.random.default_rng(1)
    for _ in range(10):
        p = rng.uniform(-2, 4, size=2)
        t = torch.tensor(p, **F64, requires_grad=True)
        w, b = t
        torch.mean(
            (w * torch.tensor(ns["x"]) + b - torch.tensor(ns["y"])) ** 2
        ).backward()
        np.testing.assert_allclose(grad_loss(p), t.grad.numpy(), rtol=1e-12)
        u = rng.normal(size=2)
        u /= np.linalg.norm(u)
        h = 1e-6
        rate = (loss(p + h * u) - loss(p - h * u)) / (2 * h)
        assert rate == pytest.approx(grad_loss(p) @ u, abs=1e-6)
        assert rate <= np.linalg.norm(grad_loss(p)) + 1e-6


def test_gradient_field_arrows_are_the_gradient(run_snippet):
    ns, out = run_snippet("gradients/05_gradient_field.py")
    assert "19 degrees away from the minimum" in out
    loss, grad_loss = ns["loss"], ns["grad_loss"]
    gw, gb = grad_loss(ns["Wq"], ns["Bq"])
    h = 1e-6
    numeric_w = loss(ns["Wq"] + h, ns["Bq"]) - loss(ns["Wq"] - h, ns["Bq"])
    numeric_b = loss(ns["Wq"], ns["Bq"] + h) - loss(ns["Wq"], ns["Bq"] - h)
    np.testing.assert_allclose(gw, numeric_w / (2 * h), atol=1e-6)
    np.testing.assert_allclose(gb, numeric_b / (2 * h), atol=1e-6)
    at_minimum = [g.item() for g in grad_loss(*ns["best"])]
    np.testing.assert_allclose(at_minimum, [0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize("size", [2, 3, 7])
def test_softmax_jacobian_formula(size):
    torch.manual_seed(size)
    z = torch.randn(size, **F64) * 3
    s = torch.softmax(z, dim=0)
    J = jacrev(lambda z: torch.softmax(z, dim=0))(z)
    assert J.shape == (size, size)
    expected = torch.tensor(
        [
            [s[i] * (float(i == j) - s[j]) for j in range(size)]
            for i in range(size)
        ],
        **F64,
    )
    torch.testing.assert_close(J, expected, rtol=0, atol=1e-15)
    torch.testing.assert_close(J.sum(dim=1), torch.zeros(size, **F64))


def test_jacobian_layout_is_outputs_by_inputs():
    def f(x):  # (3,) -> (2,), not symmetric in any sense
        return torch.stack(
            [x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1]) + x[2]]
        )

    x = torch.tensor([1.0, 2.0, 3.0], **F64)
    J = jacobian(f, x)
    assert J.shape == (2, 3)
    h = 1e-6
    for j in range(3):  # column j = how every output moves when x_j moves
        e = torch.zeros(3, **F64)
        e[j] = h
        torch.testing.assert_close(J[:, j], (f(x + e) - f(x - e)) / (2 * h))


@pytest.mark.parametrize("m, n", [(2, 3), (5, 1), (1, 4)])
def test_linear_layer_jacobian_and_vjp(m, n):
    torch.manual_seed(m * 10 + n)
    W, b = torch.randn(m, n, **F64), torch.randn(m, **F64)
    x = torch.randn(n, **F64, requires_grad=True)
    torch.testing.assert_close(jacobian(lambda x: W @ x + b, x.detach()), W)
    v = torch.randn(m, **F64)
    (W @ x + b).backward(v)
    assert x.grad.shape == (n,)
    torch.testing.assert_close(x.grad, W.T @ v)


@pytest.mark.parametrize("m, n", [(2, 3), (4, 2)])
def test_dL_dW_is_delta_x_transpose_for_any_loss(m, n):
    torch.manual_seed(m + n)
    W = torch.randn(m, n, **F64, requires_grad=True)
    x = torch.randn(n, **F64, requires_grad=True)
    y = W @ x
    loss = torch.sin(y).sum() + (y**3).mean()
    loss.backward()
    delta = (torch.cos(y) + 3 * y**2 / m).detach()  # dL/dy
    torch.testing.assert_close(W.grad, torch.outer(delta, x.detach()))
    torch.testing.assert_close(x.grad, W.detach().T @ delta)
    full = jacobian(lambda W: W @ x.detach(), W.detach())
    assert full.shape == (m, m, n)
    for i in range(m):
        expected = torch.zeros(m, n, **F64)
        expected[i] = x.detach()
        torch.testing.assert_close(full[i], expected)


def test_backward_without_argument_is_backward_with_one():
    x = torch.tensor([0.3, -1.2], **F64, requires_grad=True)
    (x.exp() * x).sum().backward()
    plain = x.grad.clone()
    x.grad = None
    (x.exp() * x).sum().backward(torch.tensor(1.0, **F64))
    torch.testing.assert_close(plain, x.grad)


def test_vjp_with_matrix_input_and_output():
    torch.manual_seed(0)
    A = torch.randn(4, 2, **F64)

    def f(x):  # (2, 3) -> (4, 3)
        return torch.tanh(A @ x)

    x = torch.randn(2, 3, **F64, requires_grad=True)
    v = torch.randn(4, 3, **F64)
    f(x).backward(v)
    J = jacobian(f, x.detach()).reshape(12, 6)
    torch.testing.assert_close(x.grad, (J.T @ v.reshape(-1)).reshape(2, 3))


def test_batch_linear_snippet_and_other_shapes(run_snippet):
    _, out = run_snippet("gradients/08_batch_linear.py")
    assert out.count("max diff") == 3
    torch.manual_seed(3)
    layer = torch.nn.Linear(6, 4, **F64)
    X = torch.randn(9, 6, **F64, requires_grad=True)
    Y = layer(X)
    (Y**2).sum().backward()
    Delta = 2 * Y.detach()
    torch.testing.assert_close(layer.weight.grad, Delta.T @ X.detach())
    torch.testing.assert_close(layer.bias.grad, Delta.sum(0))
    torch.testing.assert_close(X.grad, Delta @ layer.weight.detach())


def test_quadratic_form_gradient_and_hessian():
    torch.manual_seed(5)
    A = torch.randn(3, 3, **F64)
    x = torch.randn(3, **F64)
    torch.testing.assert_close(grad(lambda x: x @ A @ x)(x), (A + A.T) @ x)
    torch.testing.assert_close(hessian(lambda x: x @ A @ x, x), A + A.T)
    assert not torch.allclose(grad(lambda x: x @ A @ x)(x), 2 * A @ x)


def test_hessian_of_the_cubic_at_random_points():
    def f(p):
        x, y = p
        return x**2 * y + 3 * x * y**2

    rng = np.random.default_rng(2)
    for _ in range(5):
        x, y = rng.uniform(-3, 3, size=2)
        H = hessian(f, torch.tensor([x, y], **F64))
        expected = torch.tensor(
            [[2 * y, 2 * x + 6 * y], [2 * x + 6 * y, 6 * x]], **F64
        )
        torch.testing.assert_close(H, expected)


def test_taylor_errors_shrink_like_h_squared_and_h_cubed(run_snippet):
    ns, _ = run_snippet("gradients/10_taylor_order.py")
    slope1 = np.polyfit(np.log(ns["steps"]), np.log(ns["first"]), 1)[0]
    slope2 = np.polyfit(np.log(ns["steps"]), np.log(ns["second"]), 1)[0]
    assert slope1 == pytest.approx(2, abs=0.05)
    assert slope2 == pytest.approx(3, abs=0.05)


def test_quartic_derivatives_and_critical_values(run_snippet):
    ns, out = run_snippet("gradients/11_quartic.py")
    f = ns["f"]
    for x in np.linspace(-1.5, 3.0, 10):
        t = torch.tensor(x, **F64)
        assert ns["df_dx"](t).item() == pytest.approx(
            4 * x * (x - 1) * (x - 2), abs=1e-10
        )
        assert ns["d2f_dx2"](t).item() == pytest.approx(
            12 * x**2 - 24 * x + 8, abs=1e-10
        )
    assert [f(c) for c in (0.0, 1.0, 2.0)] == [1.0, 2.0, 1.0]
    assert out.count("local minimum") == 2 and out.count("local maximum") == 1


def test_saddle_directions(run_snippet):
    ns, out = run_snippet("gradients/12_saddle.py")
    assert out.count("saddle") == 2 and out.count("minimum") == 1
    f = ns["functions"]["x² + 3xy + y²"]
    for t in (0.1, 0.5, 2.0):
        assert f(torch.tensor([t, t], **F64)).item() == pytest.approx(5 * t**2)
        assert f(torch.tensor([t, -t], **F64)).item() == pytest.approx(-(t**2))
    H = hessian(ns["functions"]["x² − y²"], torch.tensor([0.7, -0.2], **F64))
    torch.testing.assert_close(H, torch.diag(torch.tensor([2.0, -2.0], **F64)))
    flat = torch.zeros(2, **F64)
    assert ns["classify"](torch.diag(torch.tensor([1.0, 0.0], **F64)))[1] == (
        "test is inconclusive"
    )
    assert ns["classify"](-torch.eye(2, **F64))[1] == "maximum"
    assert ns["classify"](hessian(lambda p: -(p @ p), flat))[1] == "maximum"
