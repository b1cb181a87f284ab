"""Checks of the measured claims and formulas of docs/beyond.md, and its lab.

Each test reruns a snippet of the page (or the lab) and asserts what the
prose says about its printed numbers, so that a change that contradicts
the page fails here.
"""

import math
import warnings

import pytest
import torch
from torch.utils.checkpoint import checkpoint


# ------------------------------------------------ unrolled versus implicit
def test_unrolled_and_implicit_converge_and_only_unrolled_grows(run_snippet):
    ns, _ = run_snippet("beyond/01_unrolled_vs_implicit.py")
    results = ns["results"]  # steps -> (err_unr, err_imp, nodes, B, B)
    steps = sorted(results)
    errors_unr = [results[s][0] for s in steps]
    errors_imp = [results[s][1] for s in steps]
    # neither is accurate before the solver converges ("more than 10%")
    exact = abs(ns["exact"].item())
    assert errors_unr[0] > 0.1 * exact and errors_imp[0] > 0.1 * exact
    # both converge with the solver, to float64 precision at 300 steps
    for errs in (errors_unr, errors_imp):
        assert errs[2] < 1e-9 and errs[3] < 1e-15
    # the figure's caption: within a factor of ten of each other until
    # both reach rounding
    for e_unr, e_imp in zip(errors_unr[:3], errors_imp[:3], strict=True):
        assert 0.1 < e_unr / e_imp < 10
    # the unrolled graph grows by 7 nodes and 80 bytes (one iterate) a step
    (s0, s1) = steps[0], steps[-1]
    per_step_nodes = (results[s1][2] - results[s0][2]) / (s1 - s0)
    per_step_bytes = (results[s1][3] - results[s0][3]) / (s1 - s0)
    assert per_step_nodes == 7
    assert per_step_bytes == pytest.approx(80, rel=0.01)
    assert results[1000][3] == pytest.approx(85e3, rel=0.01)
    assert results[10][3] == pytest.approx(5.8e3, rel=0.01)
    # the implicit backward keeps the same 1.8 KB whatever the steps
    implicit_bytes = {results[s][4] for s in steps}
    assert len(implicit_bytes) == 1
    assert implicit_bytes.pop() == pytest.approx(1.8e3, rel=0.05)


def test_implicit_derivative_formula_by_finite_differences(run_snippet):
    ns, _ = run_snippet("beyond/01_unrolled_vs_implicit.py")
    A, b, lam0 = ns["A"], ns["b"], ns["lam0"]
    eye = torch.eye(10, dtype=torch.float64)

    def x_star(lam):
        return torch.linalg.solve(A.T @ A + lam * eye, A.T @ b)

    # dx*/dlam = -(dF/dx)^-1 dF/dlam, with dF/dx = A^T A + lam I, dF/dlam = x
    implicit = -torch.linalg.solve(A.T @ A + lam0 * eye, x_star(lam0))
    h = 1e-6
    central = (x_star(lam0 + h) - x_star(lam0 - h)) / (2 * h)
    assert torch.allclose(implicit, central, atol=1e-9)
    # F is zero at the solution
    assert ns["inner_grad"](x_star(lam0), lam0).abs().max() < 1e-12


def test_ridge_solve_function_passes_gradcheck(run_snippet):
    ns, out = run_snippet("beyond/02_implicit_function.py")
    assert "gradcheck: True" in out
    for line in out.splitlines():
        if "max difference from direct solve" in line:
            assert float(line.split()[-1]) < 1e-12, line
    # the formulas of dL/dA, dL/db, dL/dlam, at another random point
    ridge = ns["RidgeSolve"].apply
    gen = torch.Generator().manual_seed(7)
    A = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    b = torch.randn(6, generator=gen, dtype=torch.float64)
    lam = torch.tensor(2.0, dtype=torch.float64)
    inputs = [t.clone().requires_grad_() for t in (A, b, lam)]
    assert torch.autograd.gradcheck(ridge, tuple(inputs))
    # and a wrong backward (a sign flipped in dL/dA) would fail the check
    original = ns["RidgeSolve"].backward

    def flipped(ctx, dL_dx):
        dL_dA, dL_db, dL_dlam = original(ctx, dL_dx)
        return -dL_dA, dL_db, dL_dlam

    ns["RidgeSolve"].backward = staticmethod(flipped)
    try:
        with pytest.raises(RuntimeError, match="Jacobian mismatch"):
            torch.autograd.gradcheck(ridge, tuple(inputs))
    finally:
        ns["RidgeSolve"].backward = staticmethod(original)


# ------------------------------------------------------------ checkpointing
def test_checkpointing_memory_schedule_and_recomputation(run_snippet):
    ns, out = run_snippet("beyond/03_checkpointing.py")
    table, n = ns["table"], ns["n_layers"]  # seg -> (kept, seg, worst, calls)
    one = table[0][0] / (n + 1)  # KB of one activation (input + n outputs)
    assert one == pytest.approx(8.19, rel=0.01)
    assert table[0][3] == n  # no checkpointing: one call per layer
    for seg, (kept, segment, _, calls) in table.items():
        if seg == 0:
            continue
        assert kept == pytest.approx(n / seg * one)  # the segment inputs
        assert segment == pytest.approx(seg * one)  # one segment's outputs
        assert calls == 2 * n  # every layer recomputed once
    worsts = {seg: row[2] for seg, row in table.items() if seg}
    assert min(worsts, key=worsts.get) == 8 == math.isqrt(n)
    assert worsts[8] == pytest.approx(table[0][2] / 4, rel=0.03)
    assert "False" not in out  # same gradients, bit for bit


def test_checkpoint_claims_about_pytorch():
    # PyTorch recommends use_reentrant=False when it is not passed
    x = torch.randn(3, requires_grad=True)
    with pytest.warns(UserWarning, match="use_reentrant=False is recommended"):
        checkpoint(torch.tanh, x)
    # use_reentrant=False works when inputs need no gradient, and with
    # torch.autograd.grad; the reentrant variant does neither
    w = torch.randn(3, requires_grad=True)
    x = torch.randn(3)

    def f(x):
        return torch.tanh(x * w)

    (expected,) = torch.autograd.grad(f(x).sum(), w)
    (got,) = torch.autograd.grad(
        checkpoint(f, x, use_reentrant=False).sum(), w
    )
    assert torch.equal(got, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError):
            checkpoint(f, x, use_reentrant=True).sum().backward()
        x_req = x.clone().requires_grad_()
        with pytest.raises(RuntimeError):
            torch.autograd.grad(
                checkpoint(f, x_req, use_reentrant=True).sum(), w
            )
    # dropout draws the same numbers when the segment is recomputed
    torch.manual_seed(0)
    w.grad = None
    drop = torch.nn.Dropout(0.5)
    h = torch.randn(1000)

    def g(h):
        return drop(h * w.sum())

    torch.manual_seed(1)
    g(h).square().sum().backward()
    plain = w.grad.clone()
    w.grad = None
    torch.manual_seed(1)
    checkpoint(g, h, use_reentrant=False).square().sum().backward()
    assert torch.equal(w.grad, plain)


# --------------------------------------------------------------- estimators
def test_both_estimators_unbiased_score_noisier_baseline_helps(run_snippet):
    ns, out = run_snippet("beyond/04_estimators.py")
    reps, exact, sizes = ns["reps"], ns["exact"], ns["sizes"]
    stds = ns["stds"]
    means = ns["means"]
    for kind in ns["kinds"]:  # every mean within 4 standard errors of 4
        for mean, std in zip(means[kind], stds[kind], strict=True):
            assert abs(mean - exact) < 4 * std / reps**0.5, kind
    for i, n in enumerate(sizes):
        ratio = stds["score"][i] / stds["pathwise"][i]
        assert 4 < ratio < 5, (n, ratio)  # "four to five times as spread"
        assert 18 < ratio**2 < 22  # "about twenty times as many samples"
        baseline = stds["score + baseline"][i] / stds["score"][i]
        assert 0.6 < baseline < 0.75  # "drops by about a third"
    for kind in ns["kinds"]:  # std falls like 1/sqrt(n)
        for i in range(len(sizes) - 1):
            step = stds[kind][i] / stds[kind][i + 1]
            assert step == pytest.approx(10**0.5, rel=0.15), (kind, i)
    # the two single-shot estimates of the page, both near 4
    for line in out.splitlines()[:3]:
        if line.startswith("exact"):
            values = [float(v.split()[-1]) for v in line.split(",")[1:]]
            assert all(abs(v - 4) < 0.05 for v in values), line
    assert "sample() has a graph: False" in out


def test_estimator_variance_formulas():
    # one sample, mu = 2, sigma = 1: pathwise 2z has variance 4 sigma^2;
    # score z^2 (z - mu) has variance mu^4 + 18 mu^2 + 15 - 4 mu^2 = 87;
    # with the baseline E[f] = 5 it is 42
    gen = torch.Generator().manual_seed(3)
    mu = 2.0
    z = mu + torch.randn(4_000_000, generator=gen, dtype=torch.float64)
    assert (2 * z).var().item() == pytest.approx(4, rel=0.01)
    score = z**2 * (z - mu)
    assert mu**4 + 18 * mu**2 + 15 - 4 * mu**2 == 87
    assert score.var().item() == pytest.approx(87, rel=0.02)
    assert ((z**2 - 5) * (z - mu)).var().item() == pytest.approx(42, rel=0.02)
    assert score.mean().item() == pytest.approx(2 * mu, abs=0.02)
    # d/dmu log N(z; mu, sigma^2) = (z - mu) / sigma^2, by autograd
    mu_t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    dist = torch.distributions.Normal(mu_t, 1.5)
    zs = torch.linspace(-3, 3, 7, dtype=torch.float64)
    for z_ in zs:
        (d,) = torch.autograd.grad(dist.log_prob(z_), mu_t)
        assert d.item() == pytest.approx((z_.item() - 0.7) / 1.5**2)


# -------------------------------------------------------------- relaxations
def test_hard_choices_and_temperature(run_snippet):
    ns, out = run_snippet("beyond/05_relaxations.py")
    assert "requires_grad False" in out
    assert "does not require grad" in out
    assert "d(sum of top 2)/dscores = [0.0, 1.0, 1.0, 0.0]" in out
    # sort's values carry a gradient too: back to the sorted positions
    x = torch.tensor([0.3, -1.2, 0.8], requires_grad=True)
    values, _ = x.sort()
    (values * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [2.0, 1.0, 3.0]
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 7 and cells[0] in {"10.0", "1.0", "0.1", "0.01"}:
            rows[float(cells[0])] = [float(c) for c in cells[1:]]
    assert sorted(rows) == [0.01, 0.1, 1.0, 10.0]
    soft, gap, grad, grad_tie, smax, bound = zip(
        *(rows[t] for t in (10.0, 1.0, 0.1, 0.01)), strict=True
    )
    assert gap[0] == pytest.approx(1.729) and gap[-1] == 0.0
    assert smax[0] - 2.0 == pytest.approx(12.65)  # "overshoots by 12.7"
    assert grad[-1] == 0.0 and grad_tie[-1] > 100  # zero, except at a tie
    assert grad_tie[-1] == pytest.approx(10 * grad_tie[-2], rel=0.01)  # 1/tau
    # tau = 1, about the gaps: gradient of order 1 at both, value far off
    assert 0.5 < grad[1] < 2 and 0.5 < grad_tie[1] < 2 and gap[1] > 1


def test_gumbel_softmax_bias_variance_trade_off(run_snippet):
    ns, out = run_snippet("beyond/05_relaxations.py")
    taus, bias, spread = ns["taus"], ns["bias"], ns["spread"]
    std_error = ns["std_error"]
    # the Gumbel-max trick samples p
    counts, samples, p = ns["counts"], ns["samples"], ns["p"]
    assert torch.allclose(counts.double() / samples, p, atol=0.005)
    # spread falls as tau rises, more than a hundredfold from 0.05 to 5
    assert all(a > b for a, b in zip(spread, spread[1:], strict=False))
    assert spread[0] / spread[-1] > 100
    # bias rises from tau = 0.2 on, well above the sampling error
    from_02 = taus.index(0.2)
    rising = bias[from_02:]
    assert all(a < b for a, b in zip(rising, rising[1:], strict=False))
    for i in range(taus.index(0.5), len(taus)):
        assert bias[i] > 10 * std_error[i]
    # below 0.2 the measured bias is about twice the standard error
    for i in range(from_02):
        assert 1.5 * std_error[i] < bias[i] < 3 * std_error[i]
    # the exact gradient of E[reward] = p @ r in the logits
    logits = ns["logits"].clone().requires_grad_()
    expected = torch.softmax(logits, 0) @ ns["rewards"]
    (dE_dlogits,) = torch.autograd.grad(expected, logits)
    assert torch.allclose(dE_dlogits, ns["exact"])
    # straight-through: a one-hot forward; the same gradient for the linear
    # reward, the soft one times -2.05 for its square (asserted in the block)
    assert torch.equal(
        ns["drawn"][True], torch.tensor([0.0, 1, 0, 0]).double()
    )
    assert out.count("dloss/dlogits = [ 0.174 -1.517  1.386 -0.043]") == 2
    assert "ratio of the squared loss's gradients: -2.05" in out


def test_gumbel_softmax_bias_still_shrinks_below_tau_0_2(run_snippet):
    """The page: with ten times the samples, the bias at tau = 0.1 comes out
    well below the one at 0.2."""
    ns, _ = run_snippet("beyond/05_relaxations.py")
    logits, rewards, exact = ns["logits"], ns["rewards"], ns["exact"]
    gen = torch.Generator().manual_seed(1)
    sums = {0.1: torch.zeros(4, dtype=torch.float64), 0.2: 0}
    sums[0.2] = sums[0.1].clone()
    chunks, size = 10, 200_000
    for _ in range(chunks):
        u = torch.rand(size, 4, generator=gen, dtype=torch.float64)
        gumbel = -torch.log(-torch.log(u))  # (size, 4)
        for tau in sums:
            rows = logits.repeat(size, 1).requires_grad_()
            y = torch.softmax((rows + gumbel) / tau, dim=1)  # (size, 4)
            (grads,) = torch.autograd.grad((y @ rewards).sum(), rows)
            sums[tau] += grads.sum(dim=0)
    bias = {
        tau: (s / (chunks * size) - exact).norm() for tau, s in sums.items()
    }
    assert bias[0.1] < 0.5 * bias[0.2]


def test_smooth_max_gradient_and_bounds():
    gen = torch.Generator().manual_seed(4)
    for tau in (0.05, 0.5, 5.0):
        x = torch.randn(6, generator=gen, dtype=torch.float64)
        x.requires_grad_()
        smax = tau * torch.logsumexp(x / tau, dim=0)
        (grad,) = torch.autograd.grad(smax, x)
        assert torch.allclose(grad, torch.softmax(x / tau, dim=0))
        assert x.max() <= smax <= x.max() + tau * math.log(6)


# ---------------------------------------------------------- hyper-gradients
def test_hypergradient_matches_central_difference(run_snippet):
    ns, out = run_snippet("beyond/06_hypergradient.py")
    lines = out.splitlines()
    by_autograd = float(lines[0].split()[-1])
    central = float(lines[1].split()[-1])
    assert by_autograd == pytest.approx(central, rel=1e-9)  # "ten digits"
    losses = [float(line.split()[-1]) for line in lines if "outer" in line]
    assert all(a > b for a, b in zip(losses, losses[1:], strict=False))


# --------------------------------------------------------------------- lab
def test_lab_runs_and_its_checks_pass(run_lab):
    source, out = run_lab("beyond")
    assert "## Your turn" in source
    for task in range(1, 4):
        assert f"Task {task} passed" in out
    # the implicit hyper-gradient agrees with finite differences everywhere
    for line in out.splitlines():
        if line.startswith("lambda ") and "implicit" in line:
            implicit, central = float(line.split()[3]), float(line.split()[5])
            assert implicit == pytest.approx(central, rel=1e-6), line
    # the pathwise estimator of a step is exactly zero, the others are not
    assert "pathwise, step               mean 0.0000   std 0.0000" in out
