"""Checks of chapter 4's formulas beyond the points the page shows."""

import itertools

import numpy as np
import pytest
import torch
from torch.autograd.functional import hessian, jacobian
from torch.func import grad, jacrev

from bookkit import config, runner

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
    assert "gradient's angle = 215.75 degrees" in out
    # the swept maximum is |g| cos(0.25 degrees): it shows in the last digit
    norm = np.linalg.norm(ns["g"])
    assert ns["rates"].max() == pytest.approx(
        norm * np.cos(np.radians(0.25)), abs=1e-5
    )
    assert norm - ns["rates"].max() > 5e-5  # so it is not the full length
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
    # symmetric because it is the Hessian of log-sum-exp
    lse = hessian(lambda z: torch.logsumexp(z, dim=0), z)
    torch.testing.assert_close(J, lse, rtol=0, atol=1e-15)


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
    b = torch.randn(m, **F64, requires_grad=True)
    y = W @ x + b
    loss = torch.sin(y).sum() + (y**3).mean()
    loss.backward()
    delta = (torch.cos(y) + 3 * y**2 / m).detach()  # dL/dy
    torch.testing.assert_close(W.grad, torch.outer(delta, x.detach()))
    torch.testing.assert_close(b.grad, delta)
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
    origin = torch.zeros(2, **F64)
    eigenvalues = torch.linalg.eigvalsh(hessian(f, origin))
    torch.testing.assert_close(eigenvalues, torch.tensor([-1.0, 5.0], **F64))
    for u, curvature in [((1, 1), 5.0), ((1, -1), -1.0)]:
        u = torch.tensor(u, **F64) / 2**0.5  # a unit eigenvector
        for t in (0.1, 0.5, 2.0):
            along = f(t * u).item()  # f(t u) = curvature t² / 2
            assert along == pytest.approx(curvature * t**2 / 2)
        second = grad(grad(lambda t, u=u: f(t * u)))(torch.tensor(0.3, **F64))
        assert second.item() == pytest.approx(curvature)
    H = hessian(ns["functions"]["x² − y²"], torch.tensor([0.7, -0.2], **F64))
    torch.testing.assert_close(H, torch.diag(torch.tensor([2.0, -2.0], **F64)))
    flat = torch.zeros(2, **F64)
    assert ns["classify"](torch.diag(torch.tensor([1.0, 0.0], **F64)))[1] == (
        "test is inconclusive"
    )
    assert ns["classify"](-torch.eye(2, **F64))[1] == "maximum"
    assert ns["classify"](hessian(lambda p: -(p @ p), flat))[1] == "maximum"
    # a zero eigenvalue next to both signs is still a certain saddle
    mixed = torch.diag(torch.tensor([1.0, -1.0, 0.0], **F64))
    assert ns["classify"](mixed)[1] == "saddle"


@pytest.mark.parametrize("sign, kind", [(1, "minimum"), (-1, "saddle")])
def test_a_zero_eigenvalue_leaves_the_test_open(sign, kind):
    def f(p):  # x² ± y⁴: the same Hessian diag(2, 0) at the origin
        return p[..., 0] ** 2 + sign * p[..., 1] ** 4

    H = hessian(f, torch.zeros(2, **F64))
    torch.testing.assert_close(H, torch.diag(torch.tensor([2.0, 0.0], **F64)))
    xs = torch.linspace(-0.5, 0.5, 21, **F64)
    grid = torch.stack(torch.meshgrid(xs, xs, indexing="ij"), dim=-1)
    values = f(grid)  # (21, 21); the origin is at [10, 10]
    values[10, 10] = float("nan")
    if kind == "minimum":
        assert (values.nan_to_num(1.0) > 0).all()
    else:
        assert (values.nan_to_num(0.0) > 0).any()
        assert (values.nan_to_num(0.0) < 0).any()


def quadratic_worst_miss(H, turns=36000):
    # largest angle between -H d (downhill) and -d (to the minimum)
    angles = torch.arange(turns, **F64) * torch.pi / turns
    d = torch.stack([torch.cos(angles), torch.sin(angles)])  # (2, turns)
    g = H @ d
    cosines = (g * d).sum(0) / g.norm(dim=0)
    return torch.rad2deg(torch.arccos(cosines.min().clamp(max=1.0))).item()


@pytest.mark.parametrize("kappa", [1.0, 2.618, 10.0, 1000.0])
def test_worst_miss_of_the_downhill_direction(kappa):
    gen = torch.Generator().manual_seed(int(kappa))
    rotation = torch.linalg.qr(torch.randn(2, 2, generator=gen, **F64))[0]
    H = rotation @ torch.diag(torch.tensor([1.0, kappa], **F64)) @ rotation.T
    stated = torch.rad2deg(
        torch.arccos(torch.tensor(2 * kappa**0.5 / (1 + kappa), **F64))
    ).item()
    assert quadratic_worst_miss(H) == pytest.approx(stated, abs=0.01)


def test_gradient_field_snippet_worst_miss_and_newton(run_snippet):
    ns, out = run_snippet("gradients/05_gradient_field.py")
    x = torch.tensor(ns["x"], **F64)
    y = torch.tensor(ns["y"], **F64)

    def loss(p):
        return torch.mean((p[0] * x + p[1] - y) ** 2)

    start = torch.tensor([0.0, 3.0], **F64)
    H = hessian(loss, start)
    torch.testing.assert_close(H, torch.tensor(ns["H"], **F64))
    assert f"worst miss is {quadratic_worst_miss(H):.1f} degrees" in out
    assert "worst miss is 26.6 degrees" in out  # quoted again on 4.5
    newton = start - torch.linalg.solve(H, grad(loss)(start))
    assert grad(loss)(newton).abs().max() < 1e-12  # the minimum
    torch.testing.assert_close(newton, torch.tensor(ns["best"], **F64))


def count_matmuls(run):
    from torch.utils._python_dispatch import TorchDispatchMode

    class Count(TorchDispatchMode):
        def __init__(self):
            super().__init__()
            self.calls = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            name = func.overloadpacket.__name__
            self.calls += name in {"mm", "addmm", "bmm", "matmul"}
            return func(*args, **(kwargs or {}))

    with Count() as counter:
        run()
    return counter.calls


def test_linear_layer_backward_is_two_matmuls_forward_one():
    layer = torch.nn.Linear(5, 3, **F64)
    X = torch.randn(7, 5, **F64, requires_grad=True)
    outputs = []
    assert count_matmuls(lambda: outputs.append(layer(X))) == 1
    assert count_matmuls(lambda: outputs[0].sum().backward()) == 2
    # the first layer: the data needs no gradient, one matmul is skipped
    data = torch.randn(7, 5, **F64)
    outputs = []
    assert count_matmuls(lambda: outputs.append(layer(data))) == 1
    assert count_matmuls(lambda: outputs[0].sum().backward()) == 1


def lab_scalar_gradients():
    """The gradients chapter 3's lab computes one scalar at a time."""
    lab = config.docs_dir() / "labs" / "chain-rule.py"
    namespace = {}
    with runner.isolated():
        runner.reset_global_state()
        runner.execute(lab.read_text(encoding="utf-8"), str(lab), namespace)
    p = namespace["params"]
    cache = namespace["forward"](p, 1.0, 2.0, 0.3)
    return namespace["backward"](p, cache)


def autograd_layer_gradients(layers, x, loss_of_output):
    """Autograd's gradients for the snippet's list of layers."""
    torch_act = {
        "sigmoid": torch.sigmoid,
        "identity": lambda z: z,
        "tanh": torch.tanh,
    }
    params = [
        (
            torch.tensor(W, **F64, requires_grad=True),
            torch.tensor(b, **F64, requires_grad=True),
        )
        for W, b, _, _ in layers
    ]
    h = x_t = torch.tensor(x, **F64, requires_grad=True)
    for (W, b), (_, _, act, _) in zip(params, layers, strict=True):
        h = torch_act[act.__name__](W @ h + b)
    loss_of_output(h).backward()
    return [(W.grad.numpy(), b.grad.numpy()) for W, b in params], x_t.grad


def test_vector_backward_matches_autograd_and_the_lab(run_snippet):
    ns, out = run_snippet("gradients/09b_layer_backward_numpy.py")
    _, torch_out = run_snippet("gradients/09c_layer_backward_torch.py")
    assert out == torch_out  # the two tabs print the same
    y = torch.tensor(ns["y"], **F64)
    expected, dL_dx = autograd_layer_gradients(
        ns["layers"], ns["x"], lambda y_hat: ((y_hat - y) ** 2).sum()
    )
    for (dW, db), (eW, eb) in zip(ns["grads"], expected, strict=True):
        np.testing.assert_allclose(dW, eW, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(db, eb, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(ns["dL_dx"], dL_dx, rtol=1e-13, atol=1e-15)
    # the same numbers as the lab's scalar backward pass
    lab = lab_scalar_gradients()
    (dW1, db1), (dW2, db2) = ns["grads"]
    names = ["w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c"]
    values = [*dW1.ravel(), *db1, *dW2.ravel(), *db2, *ns["dL_dx"]]
    for name, value in zip([*names, "x1", "x2"], values, strict=True):
        assert value == pytest.approx(lab[name], rel=1e-13), name


@pytest.mark.parametrize("widths", [[3, 5, 2, 4], [1, 6, 6, 1], [4, 2]])
def test_layer_recursion_on_other_networks(run_snippet, widths):
    """δ_{l-1} = W_lᵀ(σ'(z_l) ⊙ δ_l) and friends, at other shapes."""
    ns, _ = run_snippet("gradients/09b_layer_backward_numpy.py")

    def tanh_prime(z):
        return 1 - np.tanh(z) ** 2

    def tanh(z):
        return np.tanh(z)

    kinds = [(ns["sigmoid"], ns["sigmoid_prime"]), (tanh, tanh_prime)]
    rng = np.random.default_rng(len(widths) * 10 + widths[0])
    layers = []
    for k, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        act, act_prime = kinds[k % 2]
        if k == len(widths) - 2:
            act, act_prime = ns["identity"], ns["identity_prime"]
        W = rng.normal(size=(n_out, n_in))  # (n_out, n_in), not square
        layers.append((W, rng.normal(size=n_out), act, act_prime))
    x = rng.normal(size=widths[0])
    hs, zs = ns["forward"](layers, x)
    out = hs[-1]
    # L = Σ sin(out), so δ_L = cos(out)
    grads, dL_dx = ns["backward"](layers, hs, zs, np.cos(out))
    expected, expected_dx = autograd_layer_gradients(
        layers, x, lambda h: torch.sin(h).sum()
    )
    for (dW, db), (eW, eb) in zip(grads, expected, strict=True):
        assert dW.shape == eW.shape
        np.testing.assert_allclose(dW, eW, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(db, eb, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dL_dx, expected_dx, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("n, k, m", [(2, 3, 2), (4, 1, 3), (1, 5, 2)])
def test_jacobian_chain_rule(n, k, m):
    """J_(f∘g)(x) = J_f(g(x)) J_g(x); the other order is never m x n."""
    torch.manual_seed(n * 100 + k * 10 + m)
    A = torch.randn(k, n, **F64)
    B = torch.randn(m, k, **F64)

    def g(x):  # (n,) -> (k,)
        return torch.sin(A @ x) + (A @ x) ** 2

    def f(u):  # (k,) -> (m,)
        return torch.tanh(B @ u) * (B @ torch.exp(u))

    for _ in range(3):
        x = torch.randn(n, **F64)
        J_fg = jacobian(lambda x: f(g(x)), x)
        J_f, J_g = jacobian(f, g(x)), jacobian(g, x)
        assert J_fg.shape == (m, n)
        torch.testing.assert_close(J_fg, J_f @ J_g, rtol=1e-13, atol=1e-14)
        if m == n:  # the wrong order multiplies, but is k x k
            assert (J_g @ J_f).shape == (k, k)
        else:
            with pytest.raises(RuntimeError):
                J_g @ J_f
        # and against finite differences, column by column
        h = 1e-6
        for j in range(n):
            e = torch.zeros(n, **F64)
            e[j] = h
            column = (f(g(x + e)) - f(g(x - e))) / (2 * h)
            torch.testing.assert_close(
                column, (J_f @ J_g)[:, j], rtol=1e-6, atol=1e-7
            )


def test_layer_jacobian_is_diag_sigma_prime_times_W():
    torch.manual_seed(0)
    W, b = torch.randn(3, 5, **F64), torch.randn(3, **F64)
    x = torch.randn(5, **F64)
    z = W @ x + b
    sigma_prime = torch.sigmoid(z) * (1 - torch.sigmoid(z))
    J = jacobian(lambda x: torch.sigmoid(W @ x + b), x)
    torch.testing.assert_close(J, torch.diag(sigma_prime) @ W)
    torch.testing.assert_close(J, sigma_prime[:, None] * W)  # no diag


@pytest.mark.parametrize("size", [2, 3, 10])
@pytest.mark.parametrize("scale", [0.1, 3.0])
def test_softmax_jacobian_is_singular_with_rank_n_minus_1(size, scale):
    torch.manual_seed(size)
    z = torch.randn(size, **F64) * scale
    J = jacrev(lambda z: torch.softmax(z, dim=0))(z)
    ones = torch.ones(size, **F64)
    torch.testing.assert_close(J @ ones, torch.zeros(size, **F64))
    assert torch.linalg.matrix_rank(J) == size - 1
    # the null space is exactly the multiples of 1
    eigenvalues, vectors = torch.linalg.eigh(J)
    assert abs(eigenvalues[0]) < 1e-15 and (eigenvalues[1:] > 0).all()
    null = vectors[:, 0] / vectors[:, 0].sum()
    torch.testing.assert_close(null, ones / size)
    # shifting every logit changes nothing
    torch.testing.assert_close(
        torch.softmax(z + 7.5, dim=0), torch.softmax(z, dim=0)
    )
    # cross-entropy's gradient at the logits is s - y and sums to zero
    target = size - 1
    logits = z.clone().requires_grad_()
    torch.nn.functional.cross_entropy(
        logits[None], torch.tensor([target])
    ).backward()
    y = torch.nn.functional.one_hot(torch.tensor(target), size).to(z)
    torch.testing.assert_close(logits.grad, torch.softmax(z, dim=0) - y)
    assert abs(logits.grad.sum()) < 1e-15


# torch.func.jvp calls the deprecated torch.jit.script inside PyTorch 2.13
@pytest.mark.filterwarnings("ignore:`torch.jit.script`:DeprecationWarning")
@pytest.mark.parametrize("n, m", [(3, 2), (50, 4), (1, 5)])
def test_directional_derivative_is_a_jvp(n, m):
    """D_v f(x) = J_f(x) v (= ∇f·v for scalar f), in one call of f."""
    from torch.func import jvp

    torch.manual_seed(n + m)
    A = torch.randn(m, n, **F64)
    calls = []

    def f(x):  # (n,) -> (m,)
        calls.append(1)
        return torch.sin(A @ x) * (A @ x**2)

    x, v = torch.randn(n, **F64), torch.randn(n, **F64)
    _, Jv = jvp(f, (x,), (v,))
    assert len(calls) == 1  # one forward pass, whatever n is
    torch.testing.assert_close(Jv, jacobian(f, x) @ v, rtol=1e-13, atol=0)
    t = 1e-6
    central = (f(x + t * v) - f(x - t * v)) / (2 * t)
    torch.testing.assert_close(Jv, central, rtol=1e-6, atol=1e-7)

    def loss(w):  # (n,) -> scalar
        return torch.logsumexp(A @ w, dim=0) + (w**4).sum()

    _, rate = jvp(loss, (x,), (v,))
    torch.testing.assert_close(rate, grad(loss)(x) @ v, rtol=1e-13, atol=0)


def test_directional_rates_without_differentiability():
    """Exercise 7: rates exist along every v, yet are not ∇f·v."""

    def f(x, y):
        return 0.0 if x == y == 0 else x**2 * y / (x**2 + y**2)

    rng = np.random.default_rng(7)
    for v in rng.normal(size=(20, 2)):
        for t in [1e-3, 1e-6]:  # f(tv)/t does not depend on t
            assert f(*(t * v)) / t == pytest.approx(f(*v), rel=1e-12)
        assert f(*v) == pytest.approx(v[0] ** 2 * v[1] / (v @ v), rel=1e-12)
    assert f(1e-6, 0.0) == 0 and f(0.0, 1e-6) == 0  # both partials are 0
    assert f(1.0, 1.0) == 0.5  # but the rate along (1, 1) is not
