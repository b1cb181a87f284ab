# %% [markdown]
# # Lab 4: Gradient fields, Jacobians and vector–Jacobian products
#
# This lab goes with [chapter 4](../../gradients/). You will
#
# 1. write a numerical gradient for any function and check it against a
#    formula and against autograd, on a whole grid of points;
# 2. draw the gradient field of $f(x, y) = x^2 + 0.5y^2$ on its contours and
#    follow $-\nabla f$ downhill;
# 3. drill Jacobian shapes and check that `y.backward(v)` computes
#    $J^\top v$, shaped like the input.
#
# Every cell runs as shipped. The “Your turn” section at the end has tasks
# with checks: change the code, rerun, and the checks tell you whether it
# still holds.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.autograd.functional import hessian, jacobian

torch.manual_seed(0)


def f(p):
    x, y = p
    return x**2 + 0.5 * y**2


def grad_f(p):  # by hand: (∂f/∂x, ∂f/∂y) = (2x, y)
    x, y = p
    return np.array([2 * x, y])


# %% [markdown]
# ## 1. A numerical gradient, checked on a grid
#
# One central difference per coordinate: nudge input $i$ by $\pm h$, keep
# the others fixed. The result has the shape of the input, like `.grad`.


# %%
def numerical_gradient(f, p, h=1e-6):
    p = np.asarray(p, dtype=np.float64)
    g = np.zeros_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e[i] = h
        g[i] = (f(p + e) - f(p - e)) / (2 * h)
    return g  # shaped like p


def autograd_gradient(f, p):
    t = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad.numpy()


worst_numeric, worst_autograd = 0.0, 0.0
for x in np.linspace(-2, 2, 5):
    for y in np.linspace(-2, 2, 5):
        p = np.array([x, y])
        exact = grad_f(p)
        worst_numeric = max(
            worst_numeric, np.abs(numerical_gradient(f, p) - exact).max()
        )
        worst_autograd = max(
            worst_autograd, np.abs(autograd_gradient(f, p) - exact).max()
        )
print(f"25 points: worst |numerical - formula| = {worst_numeric:.1e}")
print(f"25 points: worst |autograd - formula|  = {worst_autograd:.1e}")
assert worst_numeric < 1e-8 and worst_autograd == 0

# %% [markdown]
# ## 2. The gradient field, and a walk downhill
#
# The arrows show $\nabla f$ (uphill). The dashed path starts at $(-1.8, 1.6)$
# and repeatedly steps against the gradient, $p \leftarrow p - \mathrm{lr}\,
# \nabla f(p)$. Notice that it does not head straight for the minimum: it
# follows the steepest way down, which on this stretched bowl first takes
# it mostly along $x$, the steeper direction.

# %% alt="Contour lines of f = x² + 0.5 y² around the minimum at the origin, arrows showing the gradient on an 11 by 11 grid, each pointing uphill across the contours, and a dashed path of 15 descent steps with learning rate 0.2 from (-1.8, 1.6) towards the origin."
X, Y = np.meshgrid(np.linspace(-2, 2, 80), np.linspace(-2, 2, 80))
Xq, Yq = np.meshgrid(np.linspace(-2, 2, 11), np.linspace(-2, 2, 11))
Gx, Gy = 2 * Xq, Yq  # the gradient at every arrow, (11, 11) each

lr = 0.2
path = [np.array([-1.8, 1.6])]
for _ in range(15):
    path.append(path[-1] - lr * grad_f(path[-1]))
path = np.array(path)  # (16, 2)

fig, ax = plt.subplots(figsize=(6, 6))
levels = [0.25, 0.5, 1, 2, 3, 4]
lines = ax.contour(X, Y, f((X, Y)), levels, colors="gray", linewidths=1)
ax.clabel(lines, fontsize=8, fmt="%g")
ax.quiver(Xq, Yq, Gx, Gy, angles="xy", color="tab:blue", width=0.004)
ax.plot(*path.T, "C3o--", ms=4, label=f"steps along −∇f, lr = {lr}")
ax.set(xlabel="x", ylabel="y", aspect="equal")
ax.set_title("∇f of x² + 0.5y² (arrows) and a descent path")
ax.legend(loc="upper right")
plt.show()
end = path[-1]
print(f"after {len(path) - 1} steps: p = {np.round(end, 4)}, f = {f(end):.2e}")
assert f(path[-1]) < 1e-2 * f(path[0])

# %% [markdown]
# ## 3. The directional derivative is a dot product
#
# For random unit directions $u$, the measured rate of change along $u$ is
# $\nabla f^\top u$, and no direction beats $\lVert\nabla f\rVert$.

# %%
rng = np.random.default_rng(0)
p = np.array([1.0, -1.5])
g = grad_f(p)
h = 1e-6
for _ in range(5):
    u = rng.normal(size=2)
    u /= np.linalg.norm(u)
    rate = (f(p + h * u) - f(p - h * u)) / (2 * h)
    print(f"u = {np.round(u, 3)}: rate {rate:+.5f}, ∇f·u {g @ u:+.5f}")
    assert abs(rate - g @ u) < 1e-6
    assert rate <= np.linalg.norm(g) + 1e-9
print(f"|∇f| = {np.linalg.norm(g):.5f}")

# %% [markdown]
# ## 4. Jacobian shape drill
#
# For each function, predict the shape of the Jacobian before reading the
# output. PyTorch’s `jacobian` returns shape `y.shape + x.shape`; flattening
# it to `(y.numel(), x.numel())` gives the book’s $m \times n$ matrix. For
# the scalar “sum of squares”, `jacobian` returns `(5,)`, the gradient’s
# numbers with no orientation, and the flattened `(1, 5)` is the row
# $J_f(x) = (\nabla f)^\top$. Then
# pick a random `v` shaped like `y`, call `y.backward(v)` and compare
# `x.grad` with $J^\top v$ reshaped like `x`.

# %%
W = torch.randn(4, 3, dtype=torch.float64)  # (4, 3)
drill = {
    "sum of squares": (lambda x: (x**2).sum(), (5,)),
    "W @ x": (lambda x: W @ x, (3,)),
    "softmax": (lambda x: torch.softmax(x, dim=0), (4,)),
    "elementwise tanh": (torch.tanh, (2, 3)),
    "column sums": (lambda x: x.sum(dim=0), (2, 3)),
    "x @ x.T": (lambda x: x @ x.T, (2, 3)),
}
print(f"{'function':18} {'x':>7} {'y':>7} {'jacobian':>13} {'flat J':>9}")
for name, (fn, shape) in drill.items():
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    y = fn(x)
    J = jacobian(fn, x.detach())  # y.shape + x.shape
    J_flat = J.reshape(y.numel(), x.numel())  # (m, n)
    v = torch.randn(y.shape, dtype=torch.float64)  # shaped like y
    y.backward(v)
    expected = (J_flat.T @ v.reshape(-1)).reshape(x.shape)
    assert x.grad.shape == x.shape
    assert torch.allclose(x.grad, expected)
    print(
        f"{name:18} {str(tuple(x.shape)):>7} {str(tuple(y.shape)):>7}"
        f" {str(tuple(J.shape)):>13} {str(tuple(J_flat.shape)):>9}"
    )

# %% [markdown]
# ## 5. Two ways to build a Jacobian
#
# Rows come from reverse mode: `backward` with a one-hot `v` gives one row
# per pass. Columns come from nudging: a central difference in input $j$
# gives column $j$. Both agree with `jacobian`.


# %%
def g3(x):  # (3,) -> (2,)
    return torch.stack([x[0] * x[1] * x[2], torch.exp(x[0]) - x[2] ** 2])


x0 = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
rows = []
for e in torch.eye(2, dtype=torch.float64):
    x = x0.clone().requires_grad_()
    g3(x).backward(e)
    rows.append(x.grad)
columns = []
for e in torch.eye(3, dtype=torch.float64) * 1e-6:
    columns.append((g3(x0 + e) - g3(x0 - e)) / 2e-6)
J_rows, J_columns = torch.stack(rows), torch.stack(columns, dim=1)
print(J_rows)
print(f"max |rows - columns| = {(J_rows - J_columns).abs().max():.1e}")
assert torch.allclose(J_rows, jacobian(g3, x0))
assert torch.allclose(J_rows, J_columns, atol=1e-8)

# %% [markdown]
# ## Your turn
#
# Each task below is already solved so that the notebook runs; the checks
# after it are what matters. Change the code (or delete it and write your
# own), then rerun the cell.
#
# **Task 1.** Use `numerical_gradient` on $f(x, y, z) = xy^2z^3$ at
# $(1.5, 2, -1)$ and compare with autograd and with the partials you derive
# by hand.


# %%
def f3(p):
    x, y, z = p
    return x * y**2 * z**3


point = np.array([1.5, 2.0, -1.0])
mine = numerical_gradient(f3, point)
by_hand = np.array(
    [2.0**2 * (-1) ** 3, 2 * 1.5 * 2 * (-1) ** 3, 3 * 1.5 * 2**2 * (-1) ** 2]
)  # (y²z³, 2xyz³, 3xy²z²)
print(mine, by_hand)
assert np.allclose(mine, autograd_gradient(f3, point), atol=1e-6)
assert np.allclose(by_hand, autograd_gradient(f3, point))

# %% [markdown]
# **Task 2.** A batch of 7 examples goes through `torch.nn.Linear(5, 2)`.
# Predict the shapes of `weight.grad`, `bias.grad` and `X.grad`, then write
# `weight.grad` as a formula in $\Delta = \partial L/\partial Y$ and $X$.

# %%
predicted = {"weight": (2, 5), "bias": (2,), "X": (7, 5)}

layer = torch.nn.Linear(5, 2, dtype=torch.float64)
X = torch.randn(7, 5, dtype=torch.float64, requires_grad=True)
Y = layer(X)
loss = torch.sigmoid(Y).sum()
loss.backward()
Delta = (torch.sigmoid(Y) * (1 - torch.sigmoid(Y))).detach()  # (7, 2)
my_weight_grad = Delta.T @ X.detach()

assert tuple(layer.weight.grad.shape) == predicted["weight"]
assert tuple(layer.bias.grad.shape) == predicted["bias"]
assert tuple(X.grad.shape) == predicted["X"]
assert torch.allclose(layer.weight.grad, my_weight_grad)
print("shapes and formula check out")

# %% [markdown]
# **Task 3.** For the softmax $s$ of scores $z$, show that
# $J^\top v = s \odot (v - (s^\top v)\mathbf{1})$, using
# $J = \mathrm{diag}(s) - ss^\top$. Then check it against `backward(v)`.
# (This is how a softmax layer backpropagates without building $J$.)

# %%
z = torch.randn(6, dtype=torch.float64, requires_grad=True)
v = torch.randn(6, dtype=torch.float64)
s = torch.softmax(z, dim=0)
s.backward(v)
s = s.detach()
my_vjp = s * (v - s @ v)
assert torch.allclose(z.grad, my_vjp)
print(f"max |z.grad - s*(v - s·v)| = {(z.grad - my_vjp).abs().max():.1e}")

# %% [markdown]
# **Task 4.** Find the critical points of $f(x, y) = x^4 + y^4 - 4xy$ and
# classify each with the eigenvalues of the Hessian. (One positive and one
# negative eigenvalue make a saddle; a zero with no sign conflict leaves
# the test inconclusive.)
# (Hint: $\nabla f = 0$ gives $y = x^3$ and $x = y^3$.)


# %%
def f4(p):
    x, y = p
    return x**4 + y**4 - 4 * x * y


answers = {
    (0.0, 0.0): "saddle",
    (1.0, 1.0): "minimum",
    (-1.0, -1.0): "minimum",
}
for point, kind in answers.items():
    p = torch.tensor(point, dtype=torch.float64, requires_grad=True)
    f4(p).backward()
    assert p.grad.abs().max() < 1e-12, "not a critical point"
    eigenvalues = torch.linalg.eigvalsh(hessian(f4, p.detach()))
    positive = (eigenvalues > 0).sum().item()
    negative = (eigenvalues < 0).sum().item()
    if positive and negative:
        found = "saddle"  # up one way, down another, zeros or not
    elif positive == len(eigenvalues):
        found = "minimum"
    elif negative == len(eigenvalues):
        found = "maximum"
    else:
        found = "inconclusive"  # a zero eigenvalue and no sign conflict
    values = ", ".join(f"{e:g}" for e in eigenvalues.tolist())
    print(f"{point}: eigenvalues {values} -> {found}")
    assert found == kind
