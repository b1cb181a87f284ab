# %% [markdown]
# # Lab 8: Differentiating what is not a formula
#
# Two experiments that take [chapter 8](../../beyond/) further:
#
# 1. **Tuning a regulariser through a solver.** Fit an L2-regularised
#    logistic regression, differentiate the validation loss with respect
#    to the regularisation strength $\lambda$ with the implicit function
#    theorem, check it by finite differences, and follow the hyper-gradient
#    to a good $\lambda$.
# 2. **Estimators on a step.** Estimate the gradient of
#    $\mathbb{E}[\mathbf{1}[z > 0]]$ for $z \sim \mathrm{N}(\mu, 1)$. The
#    pathwise estimator returns 0; the score function is unbiased; a
#    sigmoid relaxation sits in between.
#
# Every cell runs as shipped. The last section, “Your turn”, has tasks with
# checks you can run.

# %%
import math

import matplotlib.pyplot as plt
import torch

# %% [markdown]
# ## Part 1: implicit differentiation of a logistic-regression fit
#
# Twenty training examples in 10 dimensions, few enough that the model
# overfits without regularisation, and 400 validation examples. The labels
# are $t \in \{0, 1\}$. The inner problem is
#
# $$
# \mathbf{w}^*(\lambda) = \arg\min_{\mathbf{w}}\;
# \frac1n\sum_i \operatorname{BCE}(\mathbf{x}_i^\top\mathbf{w}, t_i)
# + \frac{\lambda}{2}\lVert\mathbf{w}\rVert^2 ,
# $$
#
# whose gradient is $F(\mathbf{w}, \lambda) = \frac1n X^\top(\sigma(X
# \mathbf{w}) - \mathbf{t}) + \lambda\mathbf{w}$. Newton’s method solves
# it in a few steps.

# %%
gen = torch.Generator().manual_seed(0)
d = 10
w_true = torch.randn(d, generator=gen, dtype=torch.float64)  # (10,)


def make_data(n):
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)  # (n, 10)
    p = torch.sigmoid(X @ w_true)
    t = torch.bernoulli(p, generator=gen)  # (n,), 0 or 1
    return X, t


X, t = make_data(20)
X_val, t_val = make_data(400)


def inner_grad(w, lam):  # F(w, lam), (10,)
    return X.T @ (torch.sigmoid(X @ w) - t) / len(t) + lam * w


def inner_hessian(w, lam):  # dF/dw, (10, 10), positive definite if lam > 0
    s = torch.sigmoid(X @ w)
    return (X.T * (s * (1 - s))) @ X / len(t) + lam * torch.eye(d).double()


def fit(lam, tol=1e-12):
    w = torch.zeros(d, dtype=torch.float64)
    for _ in range(100):
        F = inner_grad(w, lam)
        if F.norm() < tol:
            break
        w = w - torch.linalg.solve(inner_hessian(w, lam), F)
    return w


def val_loss(w):
    logits = X_val @ w
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, t_val)


w = fit(0.01)
print(f"|F(w*)| = {inner_grad(w, 0.01).norm():.1e}")
print(f"validation loss at lambda = 0.01: {val_loss(w):.4f}")

# %% [markdown]
# The hyper-gradient by the implicit function theorem: solve
# $H\mathbf{u} = \nabla_{\mathbf{w}} L_\text{val}$ with the Hessian $H =
# \partial F/\partial\mathbf{w}$ (symmetric, so no transpose), then
# $dL_\text{val}/d\lambda = -\mathbf{u}^\top\,\partial F/\partial\lambda =
# -\mathbf{u}^\top\mathbf{w}^*$. A central difference of the whole fit
# checks it.


# %%
def hypergradient(lam):
    w = fit(lam)
    w_ = w.clone().requires_grad_()
    (dL_dw,) = torch.autograd.grad(val_loss(w_), w_)  # (10,)
    u = torch.linalg.solve(inner_hessian(w, lam), dL_dw)  # (10,)
    return -(u @ w).item()


def central_difference(lam):
    h = 1e-4 * lam  # a step relative to lambda, which spans decades
    up, down = val_loss(fit(lam + h)), val_loss(fit(lam - h))
    return ((up - down) / (2 * h)).item()


for lam in [0.001, 0.01, 0.1, 1.0]:
    print(
        f"lambda {lam:<6} implicit {hypergradient(lam):+.8f}   "
        f"central {central_difference(lam):+.8f}"
    )

# %% [markdown]
# Now follow the hyper-gradient. $\lambda$ must stay positive and spans
# orders of magnitude, so take the steps in $\log\lambda$:
# $\frac{dL}{d\log\lambda} = \lambda\frac{dL}{d\lambda}$.

# %%
log_lam = math.log(0.001)
path = []
for _ in range(40):
    lam = math.exp(log_lam)
    path.append((lam, val_loss(fit(lam)).item()))
    log_lam -= 20.0 * lam * hypergradient(lam)
lam_best = math.exp(log_lam)
print(f"start: lambda {path[0][0]:.4f}, validation loss {path[0][1]:.4f}")
print(f"end:   lambda {path[-1][0]:.4f}, validation loss {path[-1][1]:.4f}")

# %% alt="Validation loss against the regularisation strength lambda on a log axis, from 0.0001 to 10: a U-shaped curve falling from about 1.6 to a minimum of about 0.47 near lambda 0.04, then rising to about 0.68 at lambda 10. Markers show the path of hyper-gradient descent: from lambda 0.001 past the minimum to about 0.14, then back to it."
grid = torch.logspace(-4, 1, 60).tolist()
curve = [val_loss(fit(lam)).item() for lam in grid]
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogx(grid, curve, "-", label="validation loss")
ax.semilogx(*zip(*path, strict=True), "o", ms=4, label="hyper-gradient steps")
ax.set_xlabel("regularisation strength λ")
ax.set_ylabel("validation loss")
ax.set_title("Tuning λ with the implicit function theorem")
ax.legend()
plt.show()

# %% [markdown]
# Each step costs one fit and one 10-by-10 linear solve, however many Newton
# steps the fit took: nothing of the solver is kept. (The loop above fits
# twice a step only to record the loss for the plot.)
#
# ## Part 2: two estimators on a step function
#
# With $f(z) = \mathbf{1}[z > 0]$ and $z \sim \mathrm{N}(\mu, 1)$,
# $\mathbb{E}[f] = \Phi(\mu)$, the normal distribution function, and the
# exact gradient is its density, $\varphi(\mu)$. The step has derivative
# 0 wherever it has one, so the pathwise estimator sees nothing.

# %%
mu0 = 0.5
exact = math.exp(-(mu0**2) / 2) / math.sqrt(2 * math.pi)  # phi(mu0)
gen = torch.Generator().manual_seed(1)
eps = torch.randn(500, 200, generator=gen, dtype=torch.float64)  # 500 x 200


def estimates(kind, tau=None):  # (500,): one estimate per row of eps
    mu = torch.full((500, 1), mu0, dtype=torch.float64, requires_grad=True)
    z = mu + eps  # (500, 200)
    if kind == "pathwise, step":
        f = (z > 0).double() + 0 * z  # the step, kept in the graph
        loss = f.mean(dim=1)
    elif kind == "pathwise, sigmoid":
        loss = torch.sigmoid(z / tau).mean(dim=1)  # a relaxed step
    else:  # score function, with an optional baseline
        f = (z.detach() > 0).double()
        b = 0.0 if kind == "score" else Phi_mu0
        log_p = -((z.detach() - mu) ** 2) / 2
        loss = ((f - b) * log_p).mean(dim=1)
    (g,) = torch.autograd.grad(loss.sum(), mu)
    return g[:, 0]


Phi_mu0 = 0.5 * (1 + math.erf(mu0 / math.sqrt(2)))
print(f"exact gradient {exact:.4f}")
rows = [("pathwise, step", None), ("score", None), ("score, baseline", None)]
rows += [("pathwise, sigmoid", tau) for tau in (1.0, 0.3, 0.1, 0.03)]
stats = {}
for kind, tau in rows:
    g = estimates(kind, tau)
    stats[kind, tau] = (g.mean().item(), g.std().item())
    label = kind if tau is None else f"{kind}, tau {tau}"
    print(f"{label:<28} mean {g.mean():.4f}   std {g.std():.4f}")

# %% [markdown]
# The pathwise estimator of the step is exactly 0: an unbiased estimate
# of the wrong thing, since the derivative inside the expectation is not
# the derivative of the expectation when $f$ jumps. The sigmoid
# relaxation repairs it at the price of bias (large $\tau$) or variance
# (small $\tau$), as Gumbel-softmax did in the chapter. The score function
# needs no derivative of $f$ and is unbiased.
#
# ## Your turn
#
# Each task has a cell that ships completed, followed by a check. Change the
# cells, try your own ideas, and rerun the checks.
#
# **Task 1.** Check the implicit hyper-gradient at $\lambda = 0.05$ against
# a central difference: relative error below $10^{-6}$.

# %%
implicit = hypergradient(0.05)
central = central_difference(0.05)
print(f"implicit {implicit:.10f}, central {central:.10f}")

# %%
assert abs(implicit - central) < 1e-6 * abs(central)
print("Task 1 passed")

# %% [markdown]
# **Task 2.** Hyper-gradient descent should end near the best $\lambda$ of
# the grid: a validation loss within 0.002 of the grid’s lowest, and a
# hyper-gradient near 0 there.

# %%
end_loss = val_loss(fit(lam_best)).item()
print(f"end {end_loss:.5f}, grid minimum {min(curve):.5f}")
print(f"dL/dlog(lambda) at the end: {lam_best * hypergradient(lam_best):.2e}")

# %%
assert end_loss < min(curve) + 0.002
assert abs(lam_best * hypergradient(lam_best)) < 1e-3
assert end_loss < path[0][1]
print("Task 2 passed")

# %% [markdown]
# **Task 3.** The baseline $\Phi(\mu)$, the mean of $f$, keeps the score
# function unbiased and reduces its spread. Check both, and that the
# pathwise estimator of the step is exactly 0.

# %%
(mean_plain, std_plain) = stats["score", None]
(mean_base, std_base) = stats["score, baseline", None]
standard_error = std_plain / math.sqrt(500)
print(f"score: {mean_plain:.4f} ± {std_plain:.4f}")
print(f"with baseline: {mean_base:.4f} ± {std_base:.4f}")

# %%
assert abs(mean_plain - exact) < 4 * standard_error
assert abs(mean_base - exact) < 4 * standard_error
assert std_base < std_plain
assert stats["pathwise, step", None] == (0.0, 0.0)
print("Task 3 passed")
