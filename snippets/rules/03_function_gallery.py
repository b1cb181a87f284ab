import matplotlib.pyplot as plt
import torch
from torch import cos, exp, log, relu, sigmoid, sin, tanh
from torch.nn.functional import softplus

GALLERY = [
    # (title, f, f' by the formula, x range)
    ("power: x³, 3x²", lambda x: x**3, lambda x: 3 * x**2, (-1.6, 1.6)),
    ("exp: eˣ, eˣ", exp, exp, (-2.5, 1.5)),
    ("log: ln x, 1/x", log, lambda x: 1 / x, (0.15, 3.0)),
    ("sine: sin x, cos x", sin, cos, (-6.3, 6.3)),
    ("ReLU: max(0, x), step", relu, lambda x: (x > 0).double(), (-2, 2)),
    (
        "sigmoid: σ, σ(1 − σ)",
        sigmoid,
        lambda x: sigmoid(x) * (1 - sigmoid(x)),
        (-6, 6),
    ),
    ("tanh: tanh, 1 − tanh²", tanh, lambda x: 1 - tanh(x) ** 2, (-3, 3)),
    ("softplus: ln(1 + eˣ), σ", softplus, sigmoid, (-4, 4)),
]

fig, axes = plt.subplots(4, 2, figsize=(4.6, 9.6), layout="constrained")
for ax, (title, f, df_dx, (lo, hi)) in zip(axes.flat, GALLERY, strict=True):
    x = torch.linspace(lo, hi, 121, dtype=torch.float64, requires_grad=True)
    y = f(x)
    y.sum().backward()  # x.grad[i] = f'(x[i]): each y[i] uses only x[i]
    formula = df_dx(x.detach())
    assert torch.allclose(x.grad, formula)
    xs = x.detach()
    ax.plot(xs, y.detach(), color="black", linewidth=3, label="f(x)")
    ax.plot(xs, formula, "--", color="tab:blue", label="f'(x), formula")
    ax.plot(
        xs[::6],
        x.grad[::6],
        "o",
        color="tab:orange",
        markersize=4,
        label="f'(x), autograd",
    )
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("x")
    ax.set_ylim(max(ax.get_ylim()[0], -3.5), min(ax.get_ylim()[1], 6))
axes[0, 0].legend(fontsize=9)
fig.suptitle("Common functions (solid) and their derivatives")
plt.show()
