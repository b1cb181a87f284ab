import numpy as np
import torch

# The regression of 07_optimizers.py; on the page these blocks continue
# that one, so this setup is not shown there.
rng = np.random.default_rng(0)
n = 200
X = rng.normal(size=(n, 2)) * np.array([1.0, 0.1])  # (n, 2)
y = X @ np.array([2.0, -3.0]) + 0.5 + 0.1 * rng.normal(size=n)  # (n,)
A = np.column_stack([X, np.ones(n)])  # (n, 3)
best = np.linalg.lstsq(A, y, rcond=None)[0]  # (3,) the exact minimiser
yt = torch.tensor(y)
eigenvalues = np.linalg.eigvalsh(2 / n * A.T @ A)  # from the full Hessian

# --8<-- [start:hvp]
At = torch.tensor(A)  # (n, 3): the two features and a column of ones


def loss_of(theta):  # theta = (w1, w2, b), shape (3,)
    return torch.mean((At @ theta - yt) ** 2)


def hvp(theta, v):  # H v without forming H: the gradient of g . v
    theta = theta.detach().requires_grad_()
    (g,) = torch.autograd.grad(loss_of(theta), theta, create_graph=True)
    (Hv,) = torch.autograd.grad(g @ v, theta)
    return Hv  # (3,)


theta = torch.zeros(3, dtype=torch.float64)
generator = torch.Generator().manual_seed(0)
v = torch.randn(3, dtype=torch.float64, generator=generator)
v = v / torch.linalg.norm(v)
for k in range(1, 61):  # power iteration: v <- Hv / |Hv|
    Hv = hvp(theta, v)
    lam = (v @ Hv).item()  # v has length 1: the Rayleigh quotient
    v = Hv / torch.linalg.norm(Hv)
    if k in (1, 5, 20, 60):
        print(f"after {k:2} products: lambda_max ~ {lam:.10f}")
print(f"from the full Hessian:  lambda_max = {eigenvalues[-1]:.10f}")
assert abs(lam - eigenvalues[-1]) < 1e-9
# --8<-- [end:hvp]

# --8<-- [start:edge]
edge_hvp = 2 / lam  # the predicted largest stable learning rate
print(f"predicted edge 2 / lambda_max = {edge_hvp:.4f}")
for factor in [0.99, 1.01]:
    lr, theta = factor * edge_hvp, np.zeros(3)  # (3,) = (w1, w2, b)
    for _ in range(2000):
        theta = theta - lr * 2 / n * A.T @ (A @ theta - y)  # chapter's grad
    distance = np.linalg.norm(theta - best)  # best: the exact minimiser
    print(
        f"lr = {factor} x edge = {lr:.4f}: distance to the minimum "
        f"after 2000 steps {distance:.1e}"
    )
    assert (distance < 1e-9) == (factor < 1)
# --8<-- [end:edge]
