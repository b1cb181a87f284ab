"""Checks for the formulas and claims of chapter 5 (gradient descent)."""

import math
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
import pytest
import torch

from bookkit import blocks, config, runner

PAGE = Path(config.docs_dir()) / "gradient-descent" / "index.md"


def descend_x2(lr, steps, x0=1.0):
    x = x0
    for _ in range(steps):
        x = x - lr * 2 * x
        if abs(x) > 1e100:  # diverged: stop before overflow
            break
    return x


def test_derivative_of_x2_and_of_a_bowl_match_autograd():
    for a in [0.5, 2.0, 7.0]:
        for x0 in [-1.3, 0.4, 2.0]:
            x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
            (a / 2 * x**2).backward()
            assert math.isclose(x.grad.item(), a * x0, rel_tol=1e-15)
            # one step multiplies x by 1 - lr * a
            for lr in [0.05, 0.3, 0.9]:
                step = x0 - lr * x.grad.item()
                assert math.isclose(step, (1 - lr * a) * x0, rel_tol=1e-12)


def test_x2_converges_iff_factor_below_one_on_a_grid():
    checked = 0
    for lr in np.linspace(-0.5, 1.5, 401):
        factor = abs(1 - 2 * lr)
        if abs(factor - 1) < 5e-3:  # too slow to classify in 3000 steps
            continue
        end = abs(descend_x2(lr, 3000))
        if factor < 1:
            assert end < 1e-3, lr
        else:
            assert end > 1e3, lr
        checked += 1
    assert checked > 390


def test_x2_at_the_boundaries_and_at_one_half():
    assert descend_x2(0.0, 50) == 1.0  # no step at all
    assert descend_x2(1.0, 51) == -1.0  # bounces for ever
    assert descend_x2(0.5, 1) == 0.0  # the minimum in one step


@pytest.mark.parametrize("a", [0.5, 2.0, 10.0])
def test_bowl_converges_iff_lr_below_two_over_a(a):
    for lr in np.linspace(0.01, 3 / a, 300):
        if abs(abs(1 - lr * a) - 1) < 5e-3:
            continue
        x = 1.0
        for _ in range(3000):
            x -= lr * a * x
            if abs(x) > 1e100:
                break
        assert (abs(x) < 1e-3) == (lr < 2 / a)


def test_first_order_decrease_error_is_second_order():
    rng = np.random.default_rng(0)
    A = torch.tensor(rng.normal(size=(3, 3)))

    def L(theta):
        return torch.sum(torch.sin(A @ theta)) + torch.sum(theta**4)

    theta = torch.tensor(rng.normal(size=3), requires_grad=True)
    L(theta).backward()
    g = theta.grad
    with torch.no_grad():
        errors = []
        for lr in [1e-2, 1e-3, 1e-4]:
            actual = L(theta - lr * g) - L(theta)
            errors.append(abs(actual + lr * g @ g).item() / lr**2)
    # the error over lr^2 settles to a constant: the error is O(lr^2)
    assert errors[2] == pytest.approx(errors[1], rel=0.05)


def test_valley_gradient_and_hessian():
    kappa = 10.0

    def L(theta):
        return 0.5 * (theta[0] ** 2 + kappa * theta[1] ** 2)

    theta = torch.tensor([-9.0, 1.5], dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(L(theta), theta)
    assert torch.allclose(grad, torch.tensor([-9.0, 15.0], dtype=grad.dtype))
    H = torch.autograd.functional.hessian(L, theta.detach())
    expected = torch.diag(torch.tensor([1.0, kappa], dtype=H.dtype))
    assert torch.allclose(H, expected)


@pytest.mark.parametrize("low, high", [(1.0, 10.0), (0.3, 4.0), (2.0, 50.0)])
def test_best_fixed_step_and_its_rate(low, high):
    lrs = np.linspace(1e-4, 2 / high, 20001)
    worst = np.maximum(np.abs(1 - lrs * low), np.abs(1 - lrs * high))
    best = 2 / (low + high)
    kappa = high / low
    assert lrs[worst.argmin()] == pytest.approx(best, abs=2e-4)
    assert worst.min() == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-4)


def test_steps_grow_like_kappa_over_four_log_one_over_tol(run_snippet):
    ns, out = run_snippet("gradient_descent/03_condition_number.py")
    steps = ns["steps"]
    kappas = sorted(steps)
    assert all(steps[a] < steps[b] for a, b in pairwise(kappas))
    assert steps[200] / 200 == pytest.approx(math.log(1e8) / 4, rel=0.01)
    assert f"{math.log(1e8) / 4:.2f}" in out


def test_valley_table_best_lr_needs_fewest_steps(run_snippet):
    ns, _ = run_snippet("gradient_descent/02_narrow_valley.py")
    best = ns["best"]
    counts = {
        lr: ns["steps_to"](ns["start"], lr)
        for lr in [0.05, 0.1, 0.15, best, 0.19]
    }
    assert min(counts, key=counts.get) == best
    assert ns["steps_to"](ns["start"], 0.2) is None
    assert ns["steps_to"](ns["start"], 0.21) is None


def test_regression_gradient_by_hand_matches_autograd_and_fd(run_snippet):
    ns, _ = run_snippet("gradient_descent/04_three_ways.py")
    X, y = ns["X"], ns["y"]
    n = len(y)
    rng = np.random.default_rng(1)
    w, b = rng.normal(size=2), 0.7

    def loss(w, b):
        return np.mean((X @ w + b - y) ** 2)

    r = X @ w + b - y
    dL_dw, dL_db = 2 / n * X.T @ r, 2 / n * np.sum(r)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    torch.mean((torch.tensor(X) @ wt + bt - torch.tensor(y)) ** 2).backward()
    assert np.allclose(dL_dw, wt.grad.numpy(), rtol=1e-12, atol=0)
    assert dL_db == pytest.approx(bt.grad.item(), rel=1e-12)
    h = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        fd = (loss(w + e, b) - loss(w - e, b)) / (2 * h)
        assert fd == pytest.approx(dL_dw[i], rel=1e-7)
    fd_b = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    assert fd_b == pytest.approx(dL_db, rel=1e-7)


def test_three_ways_agree(run_snippet):
    ns, _ = run_snippet("gradient_descent/04_three_ways.py")
    assert len(ns["losses_np"]) == ns["steps"] == 100
    assert ns["losses_np"][-1] < ns["losses_np"][0] / 100
    assert ns["gap_loss"] < 1e-12 and ns["gap_params"] < 1e-12


def test_forgotten_zero_grad_never_settles(run_snippet):
    ns, out = run_snippet("gradient_descent/05_forget_zero_grad.py")
    right = ns["run"](True, steps=400)
    wrong = ns["run"](False, steps=400)
    assert abs(right[-1] - 3) < 1e-9
    # the swing around 3 keeps its size: an undamped oscillation
    assert np.max(np.abs(wrong[-30:] - 3)) > 2.9
    assert "right move" in out


def test_zero_grad_sets_grad_to_none_and_backward_adds():
    w = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    (w**2).backward()
    (w**2).backward()
    assert w.grad.item() == 8.0
    optimizer.zero_grad()
    assert w.grad is None


def test_one_backward_writes_grad_once_and_calls_add_up():
    # a leaf used on three paths: autograd sums the paths first, then
    # adds into .grad once per backward() call (the programmer's aside)
    w = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    writes = []
    w.register_post_accumulate_grad_hook(lambda p: writes.append(p.grad))
    (torch.sin(w) + w * w + 3 * w).backward()
    assert len(writes) == 1
    first = math.cos(0.7) + 2 * 0.7 + 3
    assert w.grad.item() == pytest.approx(first, rel=1e-15)
    (5 * w).backward()  # a second loss: its gradient is added
    assert len(writes) == 2
    assert w.grad.item() == pytest.approx(first + 5, rel=1e-15)


def test_unequal_micro_batches_need_weights_not_a_count(run_snippet):
    ns, out = run_snippet("gradient_descent/06_accumulate.py")
    x, y, full = ns["x"], ns["y"], ns["full"]
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    for xb, yb in zip(x.split([5, 4, 3]), y.split([5, 4, 3]), strict=True):
        (torch.mean((w * xb - yb) ** 2) / 3).backward()  # divide by count
    assert not torch.allclose(w.grad, full, rtol=1e-3)
    assert out.count(f"{full.item():.12f}") == 3


def test_micro_batch_gradients_at_fixed_parameters_average_to_full():
    rng = np.random.default_rng(2)
    X = torch.tensor(rng.normal(size=(40, 3)))
    y = torch.tensor(rng.normal(size=40))
    w = torch.tensor(rng.normal(size=3), requires_grad=True)
    full = torch.autograd.grad(torch.mean((X @ w - y) ** 2), w)[0]
    order = torch.randperm(40, generator=torch.Generator().manual_seed(0))
    batch_grads = [
        torch.autograd.grad(torch.mean((X[rows] @ w - y[rows]) ** 2), w)[0]
        for rows in order.split(8)
    ]
    assert torch.allclose(torch.stack(batch_grads).mean(0), full, rtol=1e-12)


def test_random_batch_gradient_is_unbiased_but_an_sgd_epoch_is_not_full():
    rng = np.random.default_rng(4)
    X = torch.tensor(rng.normal(size=(10, 3)))
    y = torch.tensor(rng.normal(size=10))

    def grad_at(w, rows):
        w = w.detach().requires_grad_()
        loss = torch.mean((X[rows] @ w - y[rows]) ** 2)
        return torch.autograd.grad(loss, w)[0]

    w0 = torch.tensor(rng.normal(size=3))
    full = grad_at(w0, list(range(10)))
    every_batch = [list(c) for c in combinations(range(10), 3)]
    expected = torch.stack([grad_at(w0, rows) for rows in every_batch])
    assert torch.allclose(expected.mean(0), full, rtol=1e-12)
    # during SGD the parameters move, so an epoch's batch gradients do not
    # average to the full gradient at the start (the old claim)
    w, seen = w0.clone(), []
    for rows in torch.arange(10).split(2):
        g = grad_at(w, rows)
        seen.append(g)
        w = w - 0.2 * g
    assert not torch.allclose(torch.stack(seen).mean(0), full, rtol=1e-2)


def test_momentum_formula_matches_torch():
    curvatures = torch.tensor([1.0, 20.0], dtype=torch.float64)
    lr, mu = 0.03, 0.8
    theta, v = torch.tensor([2.0, -1.0], dtype=torch.float64), 0.0
    p = theta.clone().requires_grad_()
    optimizer = torch.optim.SGD([p], lr=lr, momentum=mu)
    for _ in range(40):
        v = mu * v + curvatures * theta
        theta = theta - lr * v
        optimizer.zero_grad()
        (0.5 * torch.sum(curvatures * p**2)).backward()
        optimizer.step()
    assert torch.allclose(theta, p.detach(), rtol=0, atol=1e-12)


def test_adam_formula_matches_torch():
    rng = np.random.default_rng(3)
    X = torch.tensor(rng.normal(size=(50, 2)) * [1.0, 0.1])
    y = torch.tensor(rng.normal(size=50))

    def loss(theta):
        return torch.mean((X @ theta[:2] + theta[2] - y) ** 2)

    lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    theta = torch.zeros(3, dtype=torch.float64)
    m = torch.zeros(3, dtype=torch.float64)
    s = torch.zeros(3, dtype=torch.float64)
    p = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps)
    for t in range(1, 31):
        theta.requires_grad_(True)
        (g,) = torch.autograd.grad(loss(theta), theta)
        theta = theta.detach()
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
        theta = theta - lr * m_hat / (torch.sqrt(s_hat) + eps)
        optimizer.zero_grad()
        loss(p).backward()
        optimizer.step()
    assert torch.allclose(theta, p.detach(), rtol=0, atol=1e-12)


def hessian_condition(H):
    eigenvalues = np.linalg.eigvalsh(H)
    return eigenvalues[-1] / eigenvalues[0]


def test_standardising_rounds_scaled_features_not_correlated_ones():
    rng = np.random.default_rng(5)
    u, v = rng.normal(size=2000), rng.normal(size=2000)
    for X, scaled in [
        (np.column_stack([u, 0.05 * v]), True),
        (np.column_stack([u, u + 0.05 * v]), False),
    ]:
        n = len(X)
        w = torch.zeros(2, dtype=torch.float64)
        H = torch.autograd.functional.hessian(
            lambda w, X=X: torch.mean((torch.tensor(X) @ w) ** 2), w
        ).numpy()
        assert np.allclose(H, 2 / n * X.T @ X)  # the page's Hessian
        # no diagonal rescaling D H D (standardising, normalisation, the
        # per-parameter step of Adam) does better than this on the grid
        best = min(
            hessian_condition(np.diag([1, d]) @ H @ np.diag([1, d]))
            for d in np.logspace(-3, 3, 2001)
        )
        assert hessian_condition(H) > 100
        if scaled:
            assert best < 1.2
        else:
            assert best > 0.9 * hessian_condition(H)


def test_optimizer_preview_gd_rate_comes_from_the_hessian(run_snippet):
    ns, out = run_snippet("gradient_descent/07_optimizers.py")
    A, y, n = ns["A"], ns["y"], ns["n"]
    theta = torch.zeros(3, dtype=torch.float64)
    At, yt = torch.tensor(A), torch.tensor(y)
    H = torch.autograd.functional.hessian(
        lambda t: torch.mean((At @ t - yt) ** 2), theta
    ).numpy()
    assert np.allclose(H, 2 / n * A.T @ A)
    eigenvalues = np.linalg.eigvalsh(H)
    assert ns["edge"] == pytest.approx(2 / eigenvalues[-1])
    best = 2 / (eigenvalues[0] + eigenvalues[-1])
    assert ns["lr_gd"] == pytest.approx(best)
    assert f"best fixed lr {best:.3f}" in out

    def gap_after(lr, steps=300):
        t = theta.clone()
        for _ in range(steps):
            t = t - lr * torch.from_numpy(H) @ (t - torch.tensor(ns["best"]))
        return torch.linalg.norm(t - torch.tensor(ns["best"])).item()

    assert gap_after(0.98 * ns["edge"]) < 1e-1
    assert gap_after(1.02 * ns["edge"]) > 1e2


def test_optimizer_preview_lowest_loss_is_the_minimum(run_snippet):
    ns, _ = run_snippet("gradient_descent/07_optimizers.py")
    A, y, best = ns["A"], ns["y"], ns["best"]
    theta = torch.tensor(best, requires_grad=True)
    torch.mean((torch.tensor(A) @ theta - torch.tensor(y)) ** 2).backward()
    assert theta.grad.abs().max().item() < 1e-12
    for gaps in ns["runs"].values():
        assert gaps.min() > -1e-12


def test_both_tabs_of_the_first_example_print_the_same():
    page_blocks = blocks.page_blocks(PAGE)
    scratch = next(b for b in page_blocks if "def dL_dw(w)" in b.source)
    autograd = next(b for b in page_blocks if "w.grad.zero_()" in b.source)
    texts = []
    for block in (scratch, autograd):
        with runner.isolated() as output:
            runner.reset_global_state()
            runner.execute(block.source, f"<{block.where}>", {})
        texts.append(output.text)
    assert texts[0] == texts[1]
    assert texts[0].count("step") == 6


def test_derivatives_used_in_the_exercises_match_autograd():
    x = torch.linspace(-2, 3, 11, dtype=torch.float64, requires_grad=True)
    quartic = x**4 - 4 * x**3 + 4 * x**2 + 1
    (grad,) = torch.autograd.grad(quartic.sum(), x)
    x = x.detach()
    assert torch.allclose(grad, 4 * x**3 - 12 * x**2 + 8 * x)
    assert torch.allclose(grad, 4 * x * (x - 1) * (x - 2))
    x.requires_grad_(True)
    (grad,) = torch.autograd.grad((3 * x**2).sum(), x)
    assert torch.allclose(grad, 6 * x.detach())

    def bowl(theta):
        return 2 * theta[0] ** 2 + 50 * theta[1] ** 2

    H = torch.autograd.functional.hessian(
        bowl, torch.tensor([0.3, -0.2], dtype=torch.float64)
    )
    assert torch.allclose(H, torch.diag(torch.tensor([4.0, 100.0]).double()))


def heavy_ball_roots(lr, mu, curvature):
    # e_{t+1} = (1 + mu - lr * curvature) e_t - mu e_{t-1}
    return np.roots([1.0, -(1 + mu - lr * curvature), mu])


@pytest.mark.parametrize("kappa", [10.0, 100.0, 1000.0])
def test_tuned_heavy_ball_shrinks_every_direction_by_root_mu(kappa):
    low, high = 1.0, kappa
    lr = 4 / (math.sqrt(high) + math.sqrt(low)) ** 2
    mu = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    for curvature in np.linspace(low, high, 101):
        roots = heavy_ball_roots(lr, mu, curvature)
        assert np.allclose(np.abs(roots), math.sqrt(mu), rtol=1e-6)
    # plain descent at its best rate: the worst factor is (k - 1)/(k + 1)
    gd = 2 / (low + high)
    worst = max(abs(1 - gd * c) for c in np.linspace(low, high, 101))
    assert worst == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)
    # the recurrence is PyTorch's momentum written for the error alone
    theta, v, errors = 1.0, 0.0, [1.0]
    for _ in range(20):
        v = mu * v + high * theta
        theta = theta - lr * v
        errors.append(theta)
    for e0, e1, e2 in zip(errors, errors[1:], errors[2:], strict=False):
        expected = (1 + mu - lr * high) * e1 - mu * e0
        assert e2 == pytest.approx(expected, rel=1e-9, abs=1e-15)
    # the double root at the steepest curvature: (1 + c t)(-r)^t exactly
    r, root = math.sqrt(mu), math.sqrt(kappa)
    for t, e in enumerate(errors):
        assert e == pytest.approx(
            (1 + 2 * t * root / (root + 1)) * (-r) ** t, rel=1e-9
        )


def test_momentum_steps_grow_like_root_kappa_and_gd_like_kappa(run_snippet):
    ns, out = run_snippet("gradient_descent/08_momentum_sqrt_kappa.py")
    gd, heavy = ns["gd"], ns["heavy"]
    for k in [10, 100, 1000]:
        assert gd[10 * k] / gd[k] == pytest.approx(10, rel=0.01)
        assert math.sqrt(10) < heavy[10 * k] / heavy[k] < 1.15 * math.sqrt(10)
    # gd steps / kappa settles at ln(1e8) / 4, as on the page
    assert gd[10000] / 10000 == pytest.approx(math.log(1e8) / 4, rel=1e-3)
    assert "46052" in out and "831" in out


def test_torch_momentum_is_the_heavy_ball_step_count(run_snippet):
    ns, _ = run_snippet("gradient_descent/08_momentum_sqrt_kappa.py")
    kappa = 100.0
    root = math.sqrt(kappa)
    lr, mu = 4 / (root + 1) ** 2, ((root - 1) / (root + 1)) ** 2
    curvatures = torch.tensor([1.0, kappa], dtype=torch.float64)
    p = torch.ones(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr, momentum=mu)

    def loss():
        return 0.5 * torch.sum(curvatures * p**2)

    loss0, n = loss().item(), 0
    while loss().item() > 1e-8 * loss0:
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
        n += 1
    assert n == ns["heavy"][100]


def test_hessian_vector_products_match_the_full_hessian(run_snippet):
    ns, out = run_snippet("gradient_descent/09_hessian_vector.py")
    loss_of, hvp = ns["loss_of"], ns["hvp"]
    generator = torch.Generator().manual_seed(1)
    H = torch.autograd.functional.hessian(
        loss_of, torch.zeros(3, dtype=torch.float64)
    )
    assert np.allclose(H.numpy(), 2 / ns["n"] * ns["A"].T @ ns["A"])
    for _ in range(3):
        theta = torch.randn(3, dtype=torch.float64, generator=generator)
        v = torch.randn(3, dtype=torch.float64, generator=generator)
        assert torch.allclose(hvp(theta, v), H @ v, rtol=1e-12, atol=1e-14)
        # forward-over-reverse gives the same product
        _, Hv = torch.func.jvp(torch.func.grad(loss_of), (theta,), (v,))
        assert torch.allclose(Hv, H @ v, rtol=1e-12, atol=1e-14)
    # power iteration's estimate is the top eigenvalue of the full Hessian
    assert ns["lam"] == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-10)
    assert ns["edge_hvp"] == pytest.approx(
        2 / np.linalg.eigvalsh(H)[-1], rel=1e-10
    )
    assert f"{ns['edge_hvp']:.4f}" in out


def test_hvp_of_a_non_quadratic_loss_matches_finite_differences():
    # (grad L . v)' = H v also where H varies: compare with a difference of
    # gradients, (grad L(theta + h v) - grad L(theta - h v)) / 2h
    def L(theta):
        return torch.sum(torch.sin(theta) * theta[0]) + torch.sum(theta**4)

    def grad(theta):
        return torch.func.grad(L)(theta)

    theta = torch.tensor([0.3, -1.2, 0.7], dtype=torch.float64)
    v = torch.tensor([1.0, 0.5, -2.0], dtype=torch.float64)
    t = theta.clone().requires_grad_()
    (g,) = torch.autograd.grad(L(t), t, create_graph=True)
    (Hv,) = torch.autograd.grad(g @ v, t)
    h = 1e-5
    fd = (grad(theta + h * v) - grad(theta - h * v)) / (2 * h)
    assert torch.allclose(Hv, fd, rtol=1e-8, atol=1e-9)


def test_l2_penalty_gradient_is_two_lambda_w():
    rng = np.random.default_rng(6)
    W = rng.normal(size=(3, 2))
    lam, h = 0.03, 1e-6
    Wt = torch.tensor(W, requires_grad=True)
    (lam * torch.sum(Wt**2)).backward()
    assert torch.allclose(Wt.grad, 2 * lam * Wt.detach(), rtol=1e-15)
    for i, j in [(0, 0), (2, 1)]:
        E = np.zeros_like(W)
        E[i, j] = h
        fd = (lam * np.sum((W + E) ** 2) - lam * np.sum((W - E) ** 2)) / 2 / h
        assert fd == pytest.approx(2 * lam * W[i, j], rel=1e-8)


def quadratic_data_loss(w):
    target = torch.tensor([0.5, -2.0, 3.0], dtype=torch.float64)
    scales = torch.tensor([10.0, 1.0, 0.01], dtype=torch.float64)
    return 0.5 * torch.sum(scales * (w - target) ** 2)


def test_sgd_weight_decay_is_the_l2_penalty_with_half_wd():
    lr, wd = 0.05, 0.2
    p = torch.ones(3, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr, weight_decay=wd)
    q = torch.ones(3, dtype=torch.float64, requires_grad=True)
    plain = torch.optim.SGD([q], lr=lr)
    w = torch.ones(3, dtype=torch.float64)
    for _ in range(10):
        optimizer.zero_grad()
        quadratic_data_loss(p).backward()
        optimizer.step()
        plain.zero_grad()
        (quadratic_data_loss(q) + wd / 2 * torch.sum(q**2)).backward()
        plain.step()
        # for SGD, coupled and decoupled decay are the same update
        w.requires_grad_(True)
        (g,) = torch.autograd.grad(quadratic_data_loss(w), w)
        w = (1 - lr * wd) * w.detach() - lr * g
    assert torch.allclose(p.detach(), q.detach(), rtol=0, atol=1e-14)
    assert torch.allclose(p.detach(), w, rtol=0, atol=1e-14)


@pytest.mark.parametrize("decoupled", [False, True])
def test_adam_and_adamw_weight_decay_by_hand(decoupled):
    lr, wd, beta1, beta2, eps = 0.05, 0.1, 0.9, 0.999, 1e-8
    cls = torch.optim.AdamW if decoupled else torch.optim.Adam
    p = torch.ones(3, dtype=torch.float64, requires_grad=True)
    optimizer = cls([p], lr=lr, weight_decay=wd, eps=eps)
    w = torch.ones(3, dtype=torch.float64)
    m, s = torch.zeros_like(w), torch.zeros_like(w)
    for t in range(1, 8):
        optimizer.zero_grad()
        quadratic_data_loss(p).backward()
        optimizer.step()
        w.requires_grad_(True)
        (g,) = torch.autograd.grad(quadratic_data_loss(w), w)
        w = w.detach()
        if decoupled:
            w = w * (1 - lr * wd)  # shrink, apart from Adam's step
        else:
            g = g + wd * w  # the decay joins the gradient
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
        w = w - lr * m_hat / (torch.sqrt(s_hat) + eps)
    assert torch.allclose(p.detach(), w, rtol=0, atol=1e-13)


def test_coupled_and_decoupled_decay_differ_by_the_page_numbers(run_snippet):
    ns, out = run_snippet("gradient_descent/10_weight_decay.py")
    lr, wd = ns["lr"], ns["wd"]
    shares_decoupled = (ns["decoupled"] - ns["plain"]).numpy()
    shares_coupled = (ns["coupled"] - ns["plain"]).numpy()
    assert np.allclose(shares_decoupled, -lr * wd, atol=1e-12)
    assert abs(shares_coupled[0]) < 1e-9
    assert shares_coupled[1] == pytest.approx(-2 * lr, rel=1e-6)
    assert "-0.010, -0.010" in out and "-0.000, -0.200" in out


def test_forgotten_zero_grad_is_undamped_momentum_on_the_page_run(
    run_snippet,
):
    ns5, _ = run_snippet("gradient_descent/05_forget_zero_grad.py")
    ns11, out = run_snippet("gradient_descent/11_zero_grad_momentum.py")
    lr, a = 0.1, 2.0
    e = ns5["run"](False, steps=400) - 3.0  # the chapter's buggy run
    assert np.allclose(ns11["forgot"], e[:40] + 3.0, rtol=0, atol=1e-12)
    c = 1 - lr * a / 2
    assert np.allclose(e[2:], 2 * c * e[1:-1] - e[:-2], rtol=0, atol=1e-9)
    roots = np.roots([1.0, -(2 - lr * a), 1.0])
    assert np.allclose(np.abs(roots), 1.0, rtol=1e-12)
    assert np.all(np.abs(roots.imag) > 0.4)  # complex: an oscillation
    # constant amplitude over 400 steps: max |e| late equals early
    amplitude = ns11["amplitude"]
    assert np.max(np.abs(e[-30:])) == pytest.approx(amplitude, rel=0.02)
    assert np.max(np.abs(e[:30])) == pytest.approx(amplitude, rel=0.02)
    assert f"{2 * math.pi / math.acos(c):.2f}" in out


def test_forgotten_zero_grad_never_converges_for_any_lr():
    for lr_a in np.linspace(0.05, 6.0, 120):
        roots = np.roots([1.0, -(2 - lr_a), 1.0])
        assert np.max(np.abs(roots)) >= 1 - 1e-7
        e_prev, e = 1.0, 1.0 - lr_a  # start at error 1, first step
        for _ in range(2000):
            e_prev, e = e, (2 - lr_a) * e - e_prev
            if abs(e) > 1e6:  # diverged: stop before overflow
                break
        if lr_a < 4 - 1e-9:
            assert np.allclose(np.abs(roots), 1.0, rtol=1e-9)
            assert abs(e) < 1e4  # bounded, and it does not die out:
            invariant = e**2 - (2 - lr_a) * e * e_prev + e_prev**2
            assert invariant == pytest.approx(lr_a, rel=1e-6)
        else:
            assert abs(e) > 1e3  # the error grows
    # any mu < 1 damps: the roots have size sqrt(mu) when complex
    for mu in [0.5, 0.9, 0.99]:
        roots = np.roots([1.0, -(1 + mu - 0.2), mu])
        assert np.allclose(np.abs(roots), math.sqrt(mu), rtol=1e-12)


def test_double_root_formula_predicts_every_momentum_step_count(run_snippet):
    ns, out = run_snippet("gradient_descent/08_momentum_sqrt_kappa.py")
    for kappa, steps in ns["heavy"].items():
        root = math.sqrt(kappa)
        # the steep direction's error is (1 + c t)(-sqrt(mu))^t exactly
        t = math.log(1e8) + 2 * math.log(1 + 2 * root / (root + 1) * steps)
        assert steps == pytest.approx(root / 4 * t, rel=0.01)
        # so steps / sqrt(kappa) is not constant: it grows like ln(kappa)
    per_root = [s / math.sqrt(k) for k, s in ns["heavy"].items()]
    assert all(b > a for a, b in zip(per_root, per_root[1:], strict=False))
    assert "10000    831    831" in out


def test_momentum_below_one_converges_only_for_small_enough_steps():
    for mu in [0.5, 0.9]:
        for lr_a in np.linspace(0.01, 2 * (1 + mu) + 0.5, 200):
            roots = np.roots([1.0, -(1 + mu - lr_a), mu])
            size = np.max(np.abs(roots))
            assert (size < 1) == (lr_a < 2 * (1 + mu))
            complex_range = (1 - math.sqrt(mu)) ** 2, (1 + math.sqrt(mu)) ** 2
            if complex_range[0] < lr_a < complex_range[1]:
                assert size == pytest.approx(math.sqrt(mu), rel=1e-9)
    mu = 0.9  # the range quoted on the page
    low, high = (1 - math.sqrt(mu)) ** 2, (1 + math.sqrt(mu)) ** 2
    assert f"{low:.4f}" == "0.0026" and f"{high:.3f}" == "3.797"


def test_adam_with_decoupled_weight_decay_is_adamw():
    lr, wd = 0.05, 0.1
    p = torch.ones(3, dtype=torch.float64, requires_grad=True)
    q = torch.ones(3, dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam(
        [p], lr=lr, weight_decay=wd, decoupled_weight_decay=True
    )
    adamw = torch.optim.AdamW([q], lr=lr, weight_decay=wd)
    for _ in range(10):
        for param, optimizer in [(p, adam), (q, adamw)]:
            optimizer.zero_grad()
            quadratic_data_loss(param).backward()
            optimizer.step()
    assert torch.equal(p.detach(), q.detach())
    # the defaults differ: no decay in Adam, 0.01 in AdamW
    w = torch.ones(1, requires_grad=True)
    assert torch.optim.Adam([w]).defaults["weight_decay"] == 0
    assert torch.optim.AdamW([w]).defaults["weight_decay"] == 0.01
