import torch


def ridge_by_descent(A, b, lam, tol=1e-12, max_steps=100_000):
    # the solver: gradient descent until F(x) = A^T(Ax - b) + lam x is ~0
    lr = 1 / (torch.linalg.matrix_norm(A, ord=2) ** 2 + lam)
    x = torch.zeros(A.shape[1], dtype=A.dtype)
    steps = 0
    F = A.T @ (A @ x - b) + lam * x  # (n,)
    while F.norm() >= tol and steps < max_steps:
        x = x - lr * F
        steps += 1
        F = A.T @ (A @ x - b) + lam * x
    return x, steps


class RidgeSolve(torch.autograd.Function):
    @staticmethod
    def forward(A, b, lam):  # any solver will do: autograd does not see it
        x, _ = ridge_by_descent(A, b, lam)
        return x

    @staticmethod
    def setup_context(ctx, inputs, output):
        A, b, lam = inputs
        ctx.save_for_backward(A, b, lam, output)  # only x*, not the steps

    @staticmethod
    def backward(ctx, dL_dx):  # dL_dx: (n,)
        A, b, lam, x = ctx.saved_tensors
        n = A.shape[1]
        dF_dx = A.T @ A + lam * torch.eye(n, dtype=A.dtype)  # (n, n)
        u = torch.linalg.solve(dF_dx.T, dL_dx)  # (n,): one linear solve
        r = A @ x - b  # (m,), the residual
        dL_dA = -(torch.outer(r, u) + torch.outer(A @ u, x))  # (m, n)
        dL_db = A @ u  # (m,)
        dL_dlam = -(u @ x)  # ()
        return dL_dA, dL_db, dL_dlam


gen = torch.Generator().manual_seed(1)
A = torch.randn(8, 4, generator=gen, dtype=torch.float64, requires_grad=True)
b = torch.randn(8, generator=gen, dtype=torch.float64, requires_grad=True)
lam = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)

x, steps = ridge_by_descent(A.detach(), b.detach(), lam.detach())
print(f"the solver took {steps} steps")
print("gradcheck:", torch.autograd.gradcheck(RidgeSolve.apply, (A, b, lam)))

# the same gradient from autograd through a direct solve, for comparison
x_direct = torch.linalg.solve(
    A.T @ A + lam * torch.eye(4, dtype=torch.float64), A.T @ b
)
w = torch.randn(4, generator=gen, dtype=torch.float64)  # any dL/dx
ours = torch.autograd.grad(RidgeSolve.apply(A, b, lam) @ w, (A, b, lam))
direct = torch.autograd.grad(x_direct @ w, (A, b, lam))
for name, g1, g2 in zip(["A", "b", "lam"], ours, direct, strict=True):
    print(
        f"dL/d{name:<3} max difference from direct solve: "
        f"{(g1 - g2).abs().max():.1e}"
    )
