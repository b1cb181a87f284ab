# ruff: noqa: E402
# --8<-- [start:classify]
import torch
from torch.autograd.functional import hessian
from torch.func import grad


def classify(H):
    eigenvalues = torch.linalg.eigvalsh(H)
    if (eigenvalues > 0).all():
        return eigenvalues, "minimum"
    if (eigenvalues < 0).all():
        return eigenvalues, "maximum"
    if (eigenvalues > 0).any() and (eigenvalues < 0).any():
        return eigenvalues, "saddle"
    return eigenvalues, "test is inconclusive"


functions = {
    "x² − y²": lambda p: p[0] ** 2 - p[1] ** 2,
    "x² + 3xy + y²": lambda p: p[0] ** 2 + 3 * p[0] * p[1] + p[1] ** 2,
    "x² + y²": lambda p: p[0] ** 2 + p[1] ** 2,
}
origin = torch.zeros(2, dtype=torch.float64)
for name, f in functions.items():
    assert grad(f)(origin).abs().max() == 0  # the origin is critical
    H = hessian(f, origin)  # (2, 2)
    eigenvalues, kind = classify(H)
    values = ", ".join(f"{e:g}" for e in eigenvalues.tolist())
    print(f"{name:13}  H = {H.int().tolist()}  eigenvalues {values:6}  {kind}")
# --8<-- [end:classify]

# --8<-- [start:plot]
import matplotlib.pyplot as plt
import numpy as np

xs = np.linspace(-1.5, 1.5, 16)
X, Y = np.meshgrid(xs, xs)
fine = np.linspace(-1.5, 1.5, 121)
fig = plt.figure(figsize=(4.6, 8.4))
ax3d = fig.add_subplot(2, 1, 1, projection="3d")
ax3d.plot_surface(X, Y, X**2 - Y**2, cmap="coolwarm", alpha=0.6)
ax3d.plot(fine, 0 * fine, fine**2, "k-", lw=2.5, label="along x: up (+2)")
ax3d.plot(
    0 * fine, fine, -(fine**2), "k--", lw=2.5, label="along y: down (−2)"
)
ax3d.set(xlabel="x", ylabel="y", zlabel="f", title="f(x, y) = x² − y²")
ax3d.legend(loc="upper left", fontsize=9)
ax = fig.add_subplot(2, 1, 2)
Xf, Yf = np.meshgrid(fine, fine)
levels = [-2, -1, -0.25, 0.25, 1, 2]
lines = ax.contour(Xf, Yf, Xf**2 - Yf**2, levels, colors="k", linewidths=1)
ax.clabel(lines, fontsize=9, fmt="%g")
ax.plot(0, 0, "C3X", ms=11, label="saddle (0, 0)")
ax.set(xlabel="x", ylabel="y", aspect="equal")
ax.set_title("Contours: up along x, down along y")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()
# --8<-- [end:plot]
