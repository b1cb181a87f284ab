# --8<-- [start:train]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

rng = np.random.default_rng(0)


def two_moons(n):
    t = rng.uniform(0, np.pi, n)
    label = rng.integers(0, 2, n)
    upper = np.c_[np.cos(t), np.sin(t)]
    lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)]
    x = np.where(label[:, None] == 0, upper, lower)
    x = x + rng.normal(0, 0.1, (n, 2))
    features = torch.tensor(x, dtype=torch.float32)  # (n, 2)
    return features, torch.tensor(label, dtype=torch.float32)


X, y = two_moons(200)  # (200, 2), (200,)
X_test, y_test = two_moons(200)
torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1)
)
lr = 1.0
for _ in range(200):
    loss = F.binary_cross_entropy_with_logits(model(X).squeeze(1), y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad


def accuracy(x):
    with torch.no_grad():
        predicted = (model(x).squeeze(1) > 0).float()
    return (predicted == y_test).float().mean().item()


print(f"final training loss: {loss.item():.4f}")
print(f"test accuracy: {accuracy(X_test):.3f}")
# --8<-- [end:train]

# --8<-- [start:attack]
model.eval()  # inference behaviour (matters for dropout, batch norm)
x = X_test.clone().requires_grad_()  # gradient with respect to the INPUT
loss = F.binary_cross_entropy_with_logits(
    model(x).squeeze(1), y_test, reduction="sum"
)
(dL_dx,) = torch.autograd.grad(loss, x)  # writes no .grad
direction = dL_dx.sign()  # (200, 2), one sign pattern per point

gen = torch.Generator().manual_seed(1)
random_signs = torch.randint(0, 2, X_test.shape, generator=gen) * 2.0 - 1
epsilons = [0.0, 0.05, 0.1, 0.2, 0.3]
fgsm_acc = [accuracy(X_test + eps * direction) for eps in epsilons]
random_acc = [accuracy(X_test + eps * random_signs) for eps in epsilons]
print(" eps   accuracy (FGSM)   accuracy (random signs)")
for eps, a, r in zip(epsilons, fgsm_acc, random_acc, strict=True):
    print(f"{eps:4.2f}   {a:15.3f}   {r:23.3f}")

eps = 0.2
X_adv = X_test + eps * direction
with torch.no_grad():
    flipped = (model(X_adv).squeeze(1) > 0) != (model(X_test).squeeze(1) > 0)
    gx, gy = torch.meshgrid(
        torch.linspace(-1.6, 2.6, 100),
        torch.linspace(-1.2, 1.7, 100),
        indexing="xy",
    )
    logits = model(torch.stack([gx.ravel(), gy.ravel()], 1)).reshape(100, 100)

fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(4.6, 8.0), layout="constrained")
ax0.contour(gx, gy, logits, levels=[0.0], colors="black")
shown = X_test[:60]  # a subset keeps the figure readable
for label, style in ((0, "o"), (1, "^")):
    pts = shown[y_test[:60] == label]
    ax0.plot(
        pts[:, 0], pts[:, 1], style, mfc="none", ms=4, label=f"class {label}"
    )
arrow = {"arrowstyle": "->", "color": "tab:red"}
for i in torch.nonzero(flipped).ravel()[:12]:
    ax0.annotate("", X_adv[i].tolist(), X_test[i].tolist(), arrowprops=arrow)
ax0.plot([], [], color="tab:red", label=f"FGSM step, ε = {eps}")
ax0.set_xlabel("x₁")
ax0.set_ylabel("x₂")
ax0.set_title("Decision boundary and\nFGSM steps that flip it")
ax0.legend(fontsize=9, loc="lower left")

ax1.plot(epsilons, fgsm_acc, "o-", label="FGSM: ε · sign(∇ₓ loss)")
ax1.plot(epsilons, random_acc, "s--", label="random signs, same size")
ax1.set_xlabel("perturbation size ε (max change per coordinate)")
ax1.set_ylabel("test accuracy")
ax1.set_title("Accuracy under attack")
ax1.set_ylim(0, 1.02)
ax1.legend(fontsize=9)
plt.show()
# --8<-- [end:attack]
