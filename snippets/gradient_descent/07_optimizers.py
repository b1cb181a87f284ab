import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.optim import SGD, Adam

rng = np.random.default_rng(0)
n = 200
X = rng.normal(size=(n, 2)) * np.array([1.0, 0.1])  # (n, 2): scales differ
y = X @ np.array([2.0, -3.0]) + 0.5 + 0.1 * rng.normal(size=n)  # (n,)
A = np.column_stack([X, np.ones(n)])  # (n, 3)
best = np.linalg.lstsq(A, y, rcond=None)[0]  # (3,) the exact minimiser
loss_min = np.mean((A @ best - y) ** 2)  # the lowest reachable loss
Xt, yt = torch.tensor(X), torch.tensor(y)
# the loss is a quadratic in (w, b): its Hessian is constant
eigenvalues = np.linalg.eigvalsh(2 / n * A.T @ A)  # ascending
edge = 2 / eigenvalues[-1]  # the largest stable learning rate
lr_gd = 2 / (eigenvalues[0] + eigenvalues[-1])  # the best fixed rate
print(
    f"Hessian eigenvalues {np.round(eigenvalues, 4)}: stable below "
    f"lr {edge:.3f}, best fixed lr {lr_gd:.3f}"
)


@torch.no_grad()
def gap(w, b):  # how far the full-data loss is above the lowest loss
    return torch.mean((Xt @ w + b - yt) ** 2).item() - loss_min


def train(make_optimizer, batch_size=n, steps=300):
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([w, b])
    generator = torch.Generator().manual_seed(0)
    gaps = [gap(w, b)]
    for step in range(steps):
        start = step * batch_size % n
        if start == 0:  # a new epoch: shuffle the examples
            order = torch.randperm(n, generator=generator)
        rows = order[start : start + batch_size]  # (batch_size,)
        optimizer.zero_grad()
        loss = torch.mean((Xt[rows] @ w + b - yt[rows]) ** 2)
        loss.backward()
        optimizer.step()
        gaps.append(gap(w, b))
    return np.array(gaps)  # (steps + 1,)


gd_name = f"GD, lr {lr_gd:.3f}"
runs = {
    gd_name: train(lambda p: SGD(p, lr=lr_gd)),
    "mini-batch SGD (20), lr 0.4": train(lambda p: SGD(p, lr=0.4), 20),
    "momentum 0.9, lr 0.2": train(lambda p: SGD(p, lr=0.2, momentum=0.9)),
    "Adam, lr 0.1": train(lambda p: Adam(p, lr=0.1)),
}
target = 1e-4
steps = {}
print(f"{'optimizer':28} steps to gap < 1e-4   gap after 300 steps")
for name, gaps in runs.items():
    hits = np.flatnonzero(gaps < target)
    steps[name] = hits[0] if hits.size else None
    first = "not reached" if steps[name] is None else str(steps[name])
    print(f"{name:28} {first:>18}   {gaps[-1]:19.1e}")
same_work = 300 * 20 // n  # full-batch steps that read as many examples
gd, sgd = runs[gd_name], runs["mini-batch SGD (20), lr 0.4"]
print(f"300 mini-batch steps read as many examples as {same_work} GD steps;")
print(f"GD's gap after {same_work} steps: {gd[same_work]:.1e}")
assert 2 * steps["momentum 0.9, lr 0.2"] < steps[gd_name]
assert 2 * steps["Adam, lr 0.1"] < steps[gd_name]
assert steps["mini-batch SGD (20), lr 0.4"] is None
assert gd[same_work] > sgd[-1]

fig, ax = plt.subplots(figsize=(4.0, 3.4))
for (name, gaps), style in zip(
    runs.items(), ["-", ":", "--", "-."], strict=True
):
    ax.semilogy(np.maximum(gaps, 1e-16), linestyle=style, label=name)
ax.axhline(target, color="black", linewidth=0.8)
ax.set(xlabel="step (one parameter update)", ylabel="loss − lowest loss")
ax.set(ylim=(1e-14, 1e2), title="Four optimizers\non the same regression")
ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.22))
plt.show()
