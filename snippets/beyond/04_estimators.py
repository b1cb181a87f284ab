# --8<-- [start:scratch]
import torch

mu, sigma = 2.0, 1.0
exact = 2 * mu  # d/dmu E[z^2] = d/dmu (mu^2 + sigma^2)
gen = torch.Generator().manual_seed(0)
eps = torch.randn(100_000, generator=gen, dtype=torch.float64)
z = mu + sigma * eps  # (100000,), samples of N(mu, sigma^2)

pathwise = (2 * z).mean()  # f'(z) dz/dmu, with f(z) = z^2 and dz/dmu = 1
score = (z**2 * (z - mu) / sigma**2).mean()  # f(z) d/dmu log p(z)
print(f"exact {exact}, pathwise {pathwise:.4f}, score function {score:.4f}")
# --8<-- [end:scratch]

# --8<-- [start:one]
import torch
from torch.distributions import Normal

mu0, sigma = 2.0, 1.0


def f(z):  # any function of the sample; here E[f] = mu^2 + sigma^2
    return z**2


exact = 2 * mu0  # d/dmu E[z^2] = d/dmu (mu^2 + sigma^2)
torch.manual_seed(0)
mu = torch.tensor(mu0, dtype=torch.float64, requires_grad=True)
dist = Normal(mu, torch.tensor(sigma, dtype=torch.float64))

z = dist.rsample((100_000,))  # mu + sigma * eps: a path from mu to z
(pathwise,) = torch.autograd.grad(f(z).mean(), mu)

z = dist.sample((100_000,))  # no path: z does not depend on mu in the graph
print(f"sample() has a graph: {z.requires_grad}")
surrogate = (f(z) * dist.log_prob(z)).mean()  # f(z) is a constant weight
(score,) = torch.autograd.grad(surrogate, mu)

print(
    f"exact {exact}, pathwise {pathwise.item():.4f}, "
    f"score function {score.item():.4f}"
)
# --8<-- [end:one]

# --8<-- [start:variance]
import torch

mu0, sigma, reps = 2.0, 1.0, 2000
exact = 2 * mu0


def f(z):
    return z**2


def estimates(n, kind):  # (reps,): one estimate of dE[f]/dmu per row
    gen = torch.Generator().manual_seed(n)
    eps = torch.randn(reps, n, generator=gen, dtype=torch.float64)
    mu = torch.full((reps, 1), mu0, dtype=torch.float64, requires_grad=True)
    z = mu + sigma * eps  # (reps, n)
    if kind == "pathwise":
        loss = f(z).mean(dim=1)
    else:  # score function: f(z) d/dmu log p(z), with z held fixed
        z = z.detach()
        log_p = -((z - mu) ** 2) / (2 * sigma**2)  # up to a constant
        weight = f(z)
        if kind == "score + baseline":
            weight = weight - (mu0**2 + sigma**2)  # subtract b = E[f]
        loss = (weight * log_p).mean(dim=1)
    (dL_dmu,) = torch.autograd.grad(loss.sum(), mu)
    return dL_dmu[:, 0]


kinds = ["pathwise", "score", "score + baseline"]
means = {kind: [] for kind in kinds}
stds = {kind: [] for kind in kinds}
sizes = [1, 10, 100, 1000]
print(f"exact gradient {exact}; mean and std over {reps} estimates")
print("    n | " + " | ".join(f"{k:^16}" for k in kinds))
for n in sizes:
    cells = []
    for kind in kinds:
        g = estimates(n, kind)
        means[kind].append(g.mean().item())
        stds[kind].append(g.std().item())
        cells.append(f"{g.mean():7.3f} ± {g.std():6.3f}")
    print(f"{n:>5} | " + " | ".join(cells))
# --8<-- [end:variance]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(4.0, 3.4))
for kind, style in zip(kinds, ["o-", "s--", "^:"], strict=True):
    ax.loglog(sizes, stds[kind], style, label=kind)
ax.set_xlabel("samples per estimate, n")
ax.set_ylabel("standard deviation of the estimate")
ax.set_title("Two unbiased estimators of\ndE[z²]/dμ, z ~ N(2, 1)")
ax.legend()
plt.show()
# --8<-- [end:plot]
