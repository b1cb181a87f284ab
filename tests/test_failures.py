"""Checks of the measured claims and formulas of chapter 7 (docs/failures/)."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

FIXES = ("ReLU + He", "tanh + Xavier", "sigmoid + residual")


def test_sigmoid_stack_vanishes_and_fixes_raise_first_layer(run_snippet):
    ns, out = run_snippet("failures/01_vanishing.py")
    results = ns["results"]
    plain = results["sigmoid"]
    # the plain sigmoid stack: the first layer gets almost nothing
    assert plain[0] < 1e-12 * plain[-1]
    # the average shrink per layer is near the typical factor
    # max(sigma') * sqrt(1/3) of the page, not bounded by it
    assert ns["shrink"] == pytest.approx(0.25 * 3**-0.5, rel=0.1)
    per_layer = ns["per_layer"]
    assert per_layer["sigmoid"] == pytest.approx(ns["shrink"])
    assert 0.2 < per_layer["sigmoid + Xavier"] < 0.25  # just under 1/4
    # ReLU with the default init: sqrt(1/3) from the weights, sqrt(1/2)
    # from the inactive half of the units
    assert per_layer["ReLU"] == pytest.approx((1 / 6) ** 0.5, rel=0.05)
    for name in ("ReLU + He", "tanh + Xavier"):
        assert per_layer[name] == pytest.approx(1.0, abs=0.05), name
    # each fix raises the first-layer gradient by orders of magnitude
    for name in FIXES:
        assert results[name][0] > 1e6 * plain[0], name
        assert results[name][0] > 1e-2 * results[name][-1], name
    # the claims about the partial fixes: still vanishing
    for name in ("sigmoid + Xavier", "ReLU"):
        assert results[name][0] < 1e-4 * results[name][-1], name
        assert results[name][0] > plain[0], name
    assert "sigmoid + residual" in out


def test_default_linear_init_and_the_typical_shrink():
    # nn.Linear draws U(-1/sqrt(n_in), 1/sqrt(n_in)): variance 1/(3 n_in)
    torch.manual_seed(5)
    for n_in in (8, 32, 200):
        W = nn.Linear(n_in, 500).weight.detach().double()
        assert W.abs().max() <= n_in**-0.5
        assert W.var().item() == pytest.approx(1 / (3 * n_in), rel=0.05)
    # He's 2/n_in is six times that, and twice LeCun's 1/n_in
    w = torch.empty(2000, 50)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert w.var().item() == pytest.approx(6 / (3 * 50), rel=0.05)
    nn.init.kaiming_normal_(w, nonlinearity="linear")
    assert w.var().item() == pytest.approx(1 / 50, rel=0.05)
    # the page's 32x32 matrix: typical stretch sqrt(1/3), largest above 1
    torch.manual_seed(0)
    W = nn.Linear(32, 32).weight.detach()
    v = torch.randn(32, 1000)
    gain = (W.T @ v).norm(dim=0).mean() / v.norm(dim=0).mean()
    worst = torch.linalg.matrix_norm(W, ord=2)
    assert gain.item() == pytest.approx(3**-0.5, rel=0.03)
    assert worst > 1.0 > gain
    # the bound per layer is max(sigma') times the spectral norm, reached
    # for the top singular direction at pre-activations 0
    z = torch.randn(32, 1000)
    s = torch.sigmoid(z)
    shrunk = (W.T @ (s * (1 - s) * v)).norm(dim=0) / v.norm(dim=0)
    assert (shrunk <= 0.25 * worst + 1e-6).all()
    u = torch.linalg.svd(W).U[:, 0]  # W^T u = worst * (top right vector)
    assert (W.T @ (0.25 * u)).norm() == pytest.approx(0.25 * worst.item())


def test_constant_initialisation_never_breaks_symmetry(run_snippet):
    ns, out = run_snippet("failures/01b_constant_init.py")
    rows = ns["rows"]  # trained from a constant: they moved, and together
    assert (rows == rows[0]).all() and not (rows == 0.1).all()
    assert out.count("every first-layer row") == 1
    x, t = ns["x"], ns["t"]

    def train(init):
        torch.manual_seed(1)
        model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
        if init is not None:
            for p in model.parameters():
                nn.init.constant_(p, init)
        start = [p.detach().clone() for p in model.parameters()]
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        for _ in range(50):
            loss = F.mse_loss(model(x), t)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return model, start

    model, _ = train(-0.3)  # another constant, another optimiser: one unit
    assert (model[0].weight == model[0].weight[0]).all()
    model, _ = train(None)  # random weights: the units differ
    assert (model[0].weight[1:] != model[0].weight[0]).any(dim=1).all()
    model, start = train(0.0)  # all zeros: only the output bias moves
    moved = [
        not torch.equal(p, p0)
        for p, p0 in zip(model.parameters(), start, strict=True)
    ]
    assert moved == [False, False, False, True]


def test_weight_gradient_norms_can_hide_vanishing(run_snippet):
    ns, _ = run_snippet("failures/01_vanishing.py")
    norms, nn_ = ns["layer_grad_norms"], ns["nn"]

    def lecun(w):
        return nn_.init.kaiming_normal_(w, nonlinearity="linear")

    ratio = {
        of: (lambda g: g[0] / g[-1])(norms(torch.relu, lecun, of=of))
        for of in ("dL/dz", "h", "dL/dW", "dL/dW / |W|")
    }
    assert ratio["dL/dz"] < 1e-3  # the backward signal vanishes
    assert ratio["h"] > 1e3  # the forward signal shrinks as fast
    assert 0.5 < ratio["dL/dW"] < 2  # and the weight gradients hide it
    assert 0.5 < ratio["dL/dW / |W|"] < 2  # so do the relative updates
    # the formula behind it: dL/dW = (dL/dz)^T h_in, for a batch
    torch.manual_seed(6)
    layer = nn.Linear(4, 3)
    h_in = torch.randn(5, 4)
    z = layer(h_in)
    z.retain_grad()
    (torch.relu(z) ** 2).sum().backward()
    assert torch.allclose(layer.weight.grad, z.grad.T @ h_in)


def test_backprop_recursion_through_sigmoid_layers():
    torch.manual_seed(0)
    Ws = [torch.randn(5, 5, dtype=torch.float64) for _ in range(3)]
    bs = [torch.randn(5, dtype=torch.float64) for _ in range(3)]
    for W in Ws:
        W.requires_grad_()
    h = torch.randn(5, dtype=torch.float64)
    zs, hs = [], [h]
    for W, b in zip(Ws, bs, strict=True):
        zs.append(W @ hs[-1] + b)
        hs.append(torch.sigmoid(zs[-1]))
    target = torch.randn(5, dtype=torch.float64)
    loss = ((hs[-1] - target) ** 2).sum()
    loss.backward()
    # dL/dh_l, then the formulas of the page, layer by layer, top down
    dL_dh = (2 * (hs[-1] - target)).detach()
    for layer in reversed(range(3)):
        s = torch.sigmoid(zs[layer]).detach()
        delta = s * (1 - s) * dL_dh
        dL_dW = torch.outer(delta, hs[layer].detach())
        assert torch.allclose(Ws[layer].grad, dL_dW)
        dL_dh = Ws[layer].detach().T @ delta


def test_residual_layer_jacobian_is_identity_plus_jf():
    torch.manual_seed(1)
    W = torch.randn(4, 4, dtype=torch.float64)
    b = torch.randn(4, dtype=torch.float64)
    h = torch.randn(4, dtype=torch.float64)

    def residual(h):
        return h + torch.sigmoid(W @ h + b)

    J = torch.autograd.functional.jacobian(residual, h)
    s = torch.sigmoid(W @ h + b)
    expected = torch.eye(4, dtype=torch.float64) + torch.diag(s * (1 - s)) @ W
    assert torch.allclose(J, expected)


def test_growth_rate_matches_spectral_radius(run_snippet):
    ns, out = run_snippet("failures/02_exploding.py")
    rates = ns["growth_rates"]
    assert set(rates) == {0.8, 1.0, 1.2, 1.5}
    for rho, rate in rates.items():
        assert rate == pytest.approx(rho, rel=0.01), (rho, rate)
    assert "growth per step" in out


def test_backprop_through_time_is_a_matrix_power():
    torch.manual_seed(2)
    W = torch.randn(3, 3, dtype=torch.float64)
    h0 = torch.randn(3, dtype=torch.float64, requires_grad=True)
    v = torch.randn(3, dtype=torch.float64)
    h = h0
    for _ in range(7):
        h = W @ h
    (v @ h).backward()
    assert torch.allclose(h0.grad, torch.linalg.matrix_power(W.T, 7) @ v)


def test_clipping_tames_the_explosion(run_snippet):
    ns, out = run_snippet("failures/03_clipping.py")
    plain, clipped = ns["plain"], ns["clipped"]
    assert math.isnan(plain[-1]) and plain[1] > 1e50 * plain[0]
    assert all(math.isfinite(v) for v in clipped)
    assert clipped[-1] < 1e-3 * clipped[0]
    before = float(out.split("norm before ")[1].split(",")[0])
    after = float(out.split("after ")[1].split("\n")[0])
    assert before > 1e3 and after == pytest.approx(1.0)


def test_clip_grad_norm_formula():
    torch.manual_seed(3)
    params = [torch.zeros(3, requires_grad=True) for _ in range(2)]
    grads = [torch.randn(3) * 10 for _ in params]
    for p, g in zip(params, grads, strict=True):
        p.grad = g.clone()
    total = torch.cat(grads).norm()
    returned = torch.nn.utils.clip_grad_norm_(params, max_norm=2.0)
    assert torch.allclose(returned, total)
    scale = min(1.0, 2.0 / (total.item() + 1e-6))
    for p, g in zip(params, grads, strict=True):
        assert torch.allclose(p.grad, g * scale)


def test_clipping_with_non_finite_gradients(run_snippet):
    ns, out = run_snippet("failures/03b_nonfinite_clipping.py")
    clip = torch.nn.utils.clip_grad_norm_
    inf, nan = math.inf, math.nan
    a = torch.zeros(3, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    # one inf: the norm is inf, finite entries of every parameter become
    # 0 (scale c / inf), the inf entry 0 * inf = nan
    a.grad, b.grad = torch.tensor([3.0, inf, 4.0]), torch.tensor([1.0, 2.0])
    assert clip([a, b], 1.0).item() == inf
    assert a.grad[[0, 2]].eq(0).all() and a.grad[1].isnan()
    assert b.grad.eq(0).all()
    # one nan: everything is nan
    a.grad, b.grad = torch.tensor([3.0, nan, 4.0]), torch.tensor([1.0, 2.0])
    assert clip([a, b], 1.0).isnan()
    assert a.grad.isnan().all() and b.grad.isnan().all()
    # finite entries, infinite float32 norm; finite in float64
    big = torch.tensor([1e20, 1.0])
    assert torch.isfinite(big).all()
    assert torch.linalg.vector_norm(big).item() == inf
    assert torch.isfinite(torch.linalg.vector_norm(big.double()))
    # error_if_nonfinite raises
    a.grad = torch.tensor([3.0, inf, 4.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip([a, b], 1.0, error_if_nonfinite=True)
    assert "RuntimeError: The total norm" in out
    # skipping the step: training survives, and skipping is the same as
    # leaving the bad batch out
    plain, skipped = ns["train"](False)
    assert math.isnan(plain) and skipped == 0
    final, skipped = ns["train"](True)
    assert skipped == 1 and final < 1e-3
    module = ns["train"].__globals__  # the snippet's own globals
    keep = [i for i in range(len(ns["X"])) if i != 5]
    module["X"], module["Y"] = ns["X"][keep], ns["Y"][keep]
    assert ns["train"](False) == (final, 0)
    # clip_grad_value_ clamps each entry: inf -> c, nan stays nan,
    # and the direction changes
    a.grad, b.grad = torch.tensor([3.0, -0.5, 4.0]), torch.tensor([inf, nan])
    torch.nn.utils.clip_grad_value_([a, b], clip_value=1.0)
    assert a.grad.tolist() == [1.0, -0.5, 1.0]
    assert b.grad[0] == 1.0 and b.grad[1].isnan()


def test_conventions_at_non_differentiable_points(run_snippet):
    ns, out = run_snippet("failures/04_kinks.py")
    grad_at, min_norm = ns["grad_at"], ns["min_norm_slope"]
    # the helper finds the interval of subgradients and its point nearest 0
    assert min_norm(lambda x: torch.maximum(x, 2 * x), 0.0) == 1.0
    assert min_norm(lambda x: torch.maximum(-x, 3 * x), 0.0) == 0.0
    assert min_norm(lambda x: -torch.abs(x), 0.0) == 0.0  # super-gradient
    # PyTorch picks the minimum-norm subgradient ...
    for f in (torch.relu, torch.abs, F.relu6):
        assert grad_at(f, 0.0) == min_norm(f, 0.0) == 0.0, f
    assert grad_at(F.hardtanh, 1.0) == min_norm(F.hardtanh, 1.0) == 0.0
    assert grad_at(F.leaky_relu, 0.0) == min_norm(F.leaky_relu, 0.0)
    assert grad_at(F.leaky_relu, 0.0) == pytest.approx(0.01)
    tied = [2.0, 2.0, 1.0]
    # min is concave: its minimum-norm super-gradient is the even split too
    assert grad_at(lambda x: x.min(), [-v for v in tied]) == [0.5, 0.5, 0.0]
    assert ns["split"] == [0.5, 0.5, 0.0]
    assert grad_at(lambda x: x.max(), tied) == ns["split"]
    assert grad_at(torch.amax, tied) == ns["split"]
    assert grad_at(lambda x: torch.maximum(x[0], x[1]), tied) == ns["split"]
    assert grad_at(torch.linalg.vector_norm, [0.0] * 3) == [0.0] * 3
    # ... with the exceptions the page names: valid but not minimal
    clamp = grad_at(lambda x: torch.clamp(x, min=0), 0.0)
    assert clamp == 1.0 and clamp != min_norm(torch.relu, 0.0)
    assert grad_at(lambda x: torch.clamp(x, -1, 1), 1.0) == 1.0
    by_dim = grad_at(lambda x: x.max(dim=0).values, tied)
    assert by_dim == [1.0, 0.0, 0.0]  # the first tied index, as documented
    assert "indices of the first maximal value" in torch.max.__doc__
    # continuity where no subgradient exists, and nan from 0 * inf
    assert grad_at(torch.sqrt, 0.0) == math.inf
    manual = grad_at(lambda x: torch.sqrt((x**2).sum()), [0.0] * 3)
    assert all(math.isnan(g) for g in manual)
    # a non-minimal subgradient steps uphill from the minimum of |x|
    assert "with g = 1.0: |x| becomes 0.1" in out
    assert "with g = 0.0: |x| becomes 0.0" in out
    assert "[nan, nan, nan]" in out


def test_where_nan_and_double_where():
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x)).sum().backward()
    assert x.grad[:2].isnan().all() and x.grad[2] == 0.25
    x.grad = None
    safe = torch.where(x > 0, x, torch.ones_like(x))
    y = torch.where(x > 0, torch.sqrt(safe), torch.zeros_like(x))
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.25]


def test_stable_forms_agree_with_float64_references():
    x = torch.linspace(-50, 50, 101, dtype=torch.float64, requires_grad=True)
    # log sigmoid = -softplus(-x), derivative sigma(-x)
    y = F.logsigmoid(x)
    y.sum().backward()
    assert torch.allclose(y, -torch.log1p(torch.exp(-x)))
    assert torch.allclose(x.grad, torch.sigmoid(-x))
    # logsumexp with the max shift, derivative softmax
    z = torch.tensor([90.0, 91.0, 92.0], dtype=torch.float64)
    z.requires_grad_()
    lse = torch.logsumexp(z, 0)
    lse.backward()
    assert torch.isclose(lse, torch.log(torch.exp(z).sum()))
    assert torch.allclose(z.grad, torch.softmax(z, 0))
    # the broken forms really break in float32
    z32 = torch.tensor([90.0, 91.0, 92.0])
    assert (torch.exp(z32) / torch.exp(z32).sum()).isnan().all()
    assert torch.log(1 + torch.tensor(1e-10)) == 0
    assert torch.log1p(torch.tensor(1e-10)).item() == pytest.approx(1e-10)


def test_bce_on_probabilities_caps_the_loss_and_kills_the_gradient():
    z = torch.tensor([2.0, 30.0], requires_grad=True)
    t = torch.tensor([1.0, 0.0])
    p = torch.sigmoid(z)
    assert p[1] == 1.0
    loss = F.binary_cross_entropy(p, t, reduction="none")
    loss.sum().backward()
    assert loss[1] == 100.0 and z.grad[1] == 0.0
    z.grad = None
    loss = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    loss.sum().backward()
    assert loss[1].item() == pytest.approx(30.0)
    assert torch.allclose(z.grad, torch.sigmoid(z) - t)
    # the exact formula: softplus(z) - t z, in float64
    z64 = z.detach().double()
    assert torch.allclose(loss.double(), F.softplus(z64) - t * z64)


def test_bce_backward_divides_by_a_clamped_p_times_1_minus_p():
    t = torch.tensor(0.0)
    for p_value in (1.0, 0.9):
        p = torch.tensor(p_value, dtype=torch.float64, requires_grad=True)
        F.binary_cross_entropy(p, t.double()).backward()
        expected = (p_value - 0.0) / max(p_value * (1 - p_value), 1e-12)
        assert p.grad.item() == pytest.approx(expected)
    # p = 1 as a leaf, or computed from a parameter: a 1e12 gradient
    p = torch.tensor(1.0, requires_grad=True)
    F.binary_cross_entropy(p, t).backward()
    assert p.grad.item() == pytest.approx(1e12, rel=1e-6)
    a = torch.tensor(1.0, requires_grad=True)
    F.binary_cross_entropy(a * 1.0, t).backward()
    assert a.grad.item() == pytest.approx(1e12, rel=1e-6)
    # behind a sigmoid at 30 it is 0, because sigma'(30) rounds to 0
    z = torch.tensor(30.0, requires_grad=True)
    torch.sigmoid(z).backward()
    assert z.grad.item() == 0.0
    s64 = torch.sigmoid(torch.tensor(30.0, dtype=torch.float64))
    assert (s64 * (1 - s64)).item() == pytest.approx(9.35e-14, rel=1e-3)


def test_softplus_threshold_and_the_stable_forms():
    x = torch.tensor([21.0, 25.0, -21.0, 3.0], dtype=torch.float64)
    stable = x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))
    exact = torch.log1p(torch.exp(x))  # no overflow at these x in float64
    assert torch.allclose(stable, exact, rtol=1e-15)
    softplus = F.softplus(x)
    # above threshold = 20, F.softplus returns x itself
    assert softplus[:2].tolist() == [21.0, 25.0]
    assert 0 < (stable[0] - softplus[0]).item() < math.exp(-20)
    assert torch.equal(softplus[2:], stable[2:])
    assert (
        F.softplus(torch.tensor(21.0, dtype=torch.float64), threshold=30)
        == stable[0]
    )
    # logsigmoid uses min(x, 0) - log1p(exp(-|x|)): no threshold
    assert (
        torch.allclose(F.logsigmoid(-x), -stable, rtol=1e-15)
        and F.logsigmoid(-x)[0] != -21.0
    )
    # in float32 softplus rounds to 0 below about -104 (lab, task 3)
    assert F.softplus(torch.tensor(-104.0)) == 0.0
    assert F.softplus(torch.tensor(-103.0)) > 0.0


def test_float16_and_bfloat16_ranges():
    half, bf16 = torch.float16, torch.bfloat16
    assert torch.finfo(half).max == 65504
    assert torch.finfo(bf16).max > 3e38  # float32's range
    assert math.log(65504) == pytest.approx(11.09, abs=5e-3)
    e = torch.exp(torch.tensor([11.0, 11.08, 11.1], dtype=half))
    assert torch.isfinite(e[:2]).all() and e[2].isinf()
    smallest = torch.finfo(half).tiny * torch.finfo(half).eps
    assert smallest == 2.0**-24 == torch.tensor(6e-8).half().item()
    assert torch.tensor(1e-8).half().item() == 0.0
    assert torch.tensor(1e-8).bfloat16().item() == pytest.approx(1e-8, 0.01)
    assert (
        torch.finfo(bf16).eps == 2.0**-7 and torch.finfo(half).eps == 2.0**-10
    )
    assert torch.tensor(1.001).bfloat16().item() == 1.0
    assert torch.tensor(1.001).half().item() != 1.0


def test_autocast_and_loss_scaling(run_snippet):
    ns, out = run_snippet("failures/05b_mixed_precision.py")
    # autocast: bfloat16 layers, float32 loss (autocast's doing), float32
    # weights and gradients, a gradient error of a few percent
    assert ns["y16"].dtype == torch.bfloat16
    assert ns["loss16"].dtype == torch.float32
    a = torch.randn(4, dtype=torch.bfloat16)
    assert F.mse_loss(a, a).dtype == torch.bfloat16  # outside autocast
    assert ns["grad16"].dtype == torch.float32
    assert 1e-3 < ns["err"] < 0.1
    # most hidden-layer gradients underflow in float16, none with S
    dL_dh32 = ns["hidden_grad"](None, 1.0)
    assert dL_dh32.abs().median() < 2.0**-25  # rounds to 0 in float16
    dL_dh16 = ns["hidden_grad"](torch.float16, 1.0)
    assert (dL_dh16 == 0).float().mean() > 0.8
    scaled = ns["hidden_grad"](torch.float16, 2.0**16)
    assert (scaled == 0).float().mean() < 1e-3
    assert scaled.abs().median() == pytest.approx(
        dL_dh32.abs().median().item(), rel=0.05
    )
    # the scaler: overflow, skip, halve; grow after growth_interval steps
    lines = [ln for ln in out.splitlines() if ln.startswith("step")]
    assert [ln.endswith("skipped") for ln in lines] == [
        True, True, False, False, False, True, False, False
    ]  # fmt: skip
    assert "S = 2**30" in lines[2] and "S = 2**31" in lines[5]
    assert all("norm inf" in ln for ln in lines if ln.endswith("skipped"))


def test_loss_scaling_scales_every_gradient_exactly():
    # the chain rule is linear in the upstream gradient: grad(S L) = S grad L
    torch.manual_seed(0)
    W = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    x = torch.randn(3, dtype=torch.float64)
    (dL_dW,) = torch.autograd.grad(torch.tanh(W @ x).pow(2).sum(), W)
    (dSL_dW,) = torch.autograd.grad(
        2.0**16 * torch.tanh(W @ x).pow(2).sum(), W
    )
    assert torch.allclose(dSL_dW / 2.0**16, dL_dW, rtol=1e-14)


def test_detect_anomaly_names_the_sqrt(run_snippet):
    ns, out = run_snippet("failures/05_detect_anomaly.py")
    assert "RuntimeError: Function 'SqrtBackward0' returned nan" in out
    assert "Error detected in SqrtBackward0" in out
    assert "in spread_loss: dist = torch.sqrt((diff**2).sum(dim=-1))" in out
    assert 'File "' not in out and ".py" not in out  # no paths
    assert "NaNs in points.grad: 10 of 10" in out
    assert "NaNs in points.grad: 0 of 10" in out
    # the fixed gradient agrees with central differences in float64
    p = ns["points"].detach().double()
    mask = ns["off_diagonal"].double()

    def loss(p):
        diff = p[:, None, :] - p[None, :, :]
        return -(torch.linalg.vector_norm(diff, dim=-1) * mask).sum() / 20

    p.requires_grad_()
    loss(p).backward()
    h = 1e-6
    for i, j in [(0, 0), (2, 1), (4, 0)]:
        e = torch.zeros_like(p)
        e[i, j] = h
        numeric = (loss(p.detach() + e) - loss(p.detach() - e)) / (2 * h)
        assert p.grad[i, j].item() == pytest.approx(numeric.item(), abs=1e-8)


def test_detect_anomaly_blind_spots_and_forward_hooks(run_snippet):
    ns, out = run_snippet("failures/05_detect_anomaly.py")
    blind = out.split("NaNs in points.grad: 0 of 10")[1]
    # an inf gradient is not reported
    assert ns["x"].grad[0] == math.inf
    assert blind.lstrip().startswith("an inf gradient raises nothing")
    # a forward nan is blamed on the backward of the next operation
    assert ns["w"].grad is None
    assert "Function 'MulBackward0' returned nan" in blind
    assert "in nan_in_forward: loss = (y * y).mean()" in blind
    assert "LogBackward0" not in blind
    # the forward hook names the module that made the non-finite value
    assert blind.rstrip().endswith("non-finite output from '1': Log()")


def test_grad_inspection_finds_the_three_bugs(run_snippet):
    ns, out = run_snippet("failures/06_frozen_layers.py")
    status = {
        line.split()[0]: line.split("grad: ")[1]
        for line in out.strip().splitlines()
    }
    assert status["embed.weight"] == "None"  # frozen
    assert status["scale.weight"] == "None"  # detached branch
    assert status["hidden.weight"] == "all zeros"  # dead ReLUs
    assert status["head.weight"] == "all zeros"
    assert status["head.bias"].startswith("norm")
    assert not ns["model"].embed.weight.requires_grad


def test_dead_relus_after_a_large_step(run_snippet):
    ns, out = run_snippet("failures/06c_dead_relu.py")
    experiment = ns["experiment"]
    before, after, b0, b1, still, no_grad, _ = experiment(nn.ReLU(), 1.0)
    assert not before.any() and 0.1 < after.float().mean() < 0.3
    assert (b1[after] < b0[after]).all() and (b1[after] < 0).all()
    assert (still == 0).all()  # exactly no gradient: SGD cannot revive
    assert no_grad.float().mean() > 0.5  # more die while training on
    _, after, _, _, _, no_grad, _ = experiment(nn.ReLU(), 0.1)
    assert not after.any() and not no_grad.any()
    _, after, _, _, still, no_grad, _ = experiment(nn.LeakyReLU(0.01), 1.0)
    assert after.any() and (still > 0).all() and not no_grad.any()
    assert "17.2%" in out
    # weight decay multiplies a dead unit's pre-activations by one factor,
    # (1 - lr * decay)**steps, so their sign, and the unit's death, stay
    assert (
        ns["dead"].sum() > 0
        and ns["never_active"](ns["model"])[ns["dead"]].all()
    )
    assert torch.allclose(
        ns["factor"], torch.full_like(ns["factor"], 0.999**100), rtol=1e-4
    )
    torch.manual_seed(0)  # at the start nearly every prediction is too high
    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 1))
    assert (model(ns["x"]) > ns["t"]).float().mean() > 0.95


def test_relu_bias_gradient_formula():
    # dL/db_j = v_j * sum over examples where unit j is active of dL/dy_n
    torch.manual_seed(0)
    x = torch.randn(50, 2, dtype=torch.float64)
    W = torch.randn(8, 2, dtype=torch.float64)
    b = torch.randn(8, dtype=torch.float64, requires_grad=True)
    v = torch.randn(8, dtype=torch.float64)
    z = x @ W.T + b  # (50, 8)
    y = torch.relu(z) @ v  # (50,)
    y.retain_grad()
    loss = ((y - 3.0) ** 2).mean()
    loss.backward()
    expected = v * ((z > 0).double() * y.grad[:, None]).sum(dim=0)
    assert torch.allclose(b.grad, expected)


def test_checklist_links_to_the_learning_rate_section():
    from pathlib import Path

    from markdown.extensions.toc import slugify

    docs = Path(__file__).parents[1] / "docs"
    text = (docs / "failures" / "debugging.md").read_text()
    checklist = text.split("## Debugging checklist")[1].split("\n## ")[0]
    link = "../gradient-descent/index.md#the-learning-rate-on-fx-x2"
    assert link in checklist
    chapter_5 = docs / "gradient-descent" / "index.md"
    headings = chapter_5.read_text().splitlines()
    slugs = {slugify(h.lstrip("# "), "-") for h in headings if h[:3] == "## "}
    assert "the-learning-rate-on-fx-x2" in slugs


def test_inplace_error_occurs(run_snippet):
    _, out = run_snippet("failures/06b_inplace_error.py")
    assert out.startswith("RuntimeError: one of the variables needed")
    assert "modified by an inplace operation" in out.replace("\n", " ")


def test_detach_stops_learning_silently(run_snippet):
    ns, out = run_snippet("failures/07_detach_misuse.py")
    buggy, fixed = ns["buggy"], ns["fixed"]
    assert max(buggy) == min(buggy)  # not falling at all
    assert fixed[-1] < 0.01 * fixed[0]
    assert ns["b_grad"] is None
    assert "Error" not in out


def test_fgsm_lowers_accuracy_more_than_random_signs(run_snippet):
    ns, out = run_snippet("failures/08_fgsm.py")
    fgsm, random = ns["fgsm_acc"], ns["random_acc"]
    assert fgsm[0] > 0.95
    assert fgsm[-1] < fgsm[0] - 0.25
    assert all(a <= b for a, b in zip(fgsm[1:], fgsm[:-1], strict=True))
    assert all(f <= r for f, r in zip(fgsm, random, strict=True))
    assert random[-1] - fgsm[-1] > 0.15


def test_fgsm_is_the_best_first_order_step():
    # for a small eps the loss rises by about eps * |grad|_1
    torch.manual_seed(4)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    model.double()
    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    loss = model(x).sum()
    loss.backward()
    eps = 1e-5
    rise = model(x.detach() + eps * x.grad.sign()).sum() - loss.detach()
    assert rise.item() == pytest.approx(
        eps * x.grad.abs().sum().item(), rel=1e-3
    )


def test_no_gradient_through_argmax_and_round(run_snippet):
    _, out = run_snippet("failures/08b_no_gradient.py")
    assert "RuntimeError: element 0 of tensors does not require grad" in out
    assert "gradient through round: tensor([0., 0., 0.])" in out


def test_straight_through_estimator(run_snippet):
    ns, out = run_snippet("failures/09_straight_through.py")
    assert max(ns["losses_round"]) == min(ns["losses_round"])
    assert ns["grad_round"] == [0.0] * 4
    assert ns["losses_ste"][-1] < 0.01 * ns["losses_ste"][0]
    assert torch.equal(
        ns["quantise_round"](ns["w_ste"]), ns["quantise_round"](ns["w_true"])
    )
    # STE: forward is the rounded value, backward is the identity
    w = torch.tensor([0.1, 0.4, -0.9], dtype=torch.float64, requires_grad=True)
    q = ns["quantise_ste"](w)
    assert torch.equal(q.detach(), ns["quantise_round"](w.detach()))
    q.sum().backward()
    assert torch.equal(w.grad, torch.ones(3, dtype=torch.float64))


def test_checklist_links_point_at_headings():
    import re
    from pathlib import Path

    from markdown.extensions.toc import slugify

    chapter = Path(__file__).parents[1] / "docs" / "failures"
    slugs = {}  # page of the chapter -> its heading anchors
    for page in chapter.glob("*.md"):
        text = page.read_text()
        headings = re.findall(r"^#{2,3} (.+)$", text, flags=re.MULTILINE)
        slugs[page.name] = {slugify(h.replace("`", ""), "-") for h in headings}
    text = (chapter / "debugging.md").read_text()
    checklist = text.split("## Debugging checklist")[1].split("\n## ")[0]
    # links into the chapter: (#anchor) on this page, (numerics.md#anchor)
    links = re.findall(r"\]\(([\w-]+\.md)?#([^)]+)\)", checklist)
    assert len(links) >= 12
    missing = {
        (page, anchor)
        for page, anchor in links
        if anchor not in slugs[page or "debugging.md"]
    }
    assert not missing, missing
