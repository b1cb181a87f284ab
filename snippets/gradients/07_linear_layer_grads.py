# ruff: noqa: E402
# --8<-- [start:formulas]
import torch

torch.manual_seed(0)
m, n = 2, 3
W = torch.randn(m, n, dtype=torch.float64, requires_grad=True)  # (m, n)
x = torch.randn(n, dtype=torch.float64, requires_grad=True)  # (n,)
b = torch.randn(m, dtype=torch.float64, requires_grad=True)  # (m,)
target = torch.randn(m, dtype=torch.float64)  # (m,)

y = W @ x + b  # (m,)
loss = 0.5 * ((y - target) ** 2).sum()
loss.backward()

delta = (y - target).detach()  # dL/dy, (m,)
dL_dW = torch.outer(delta, x.detach())  # δ xᵀ, (m, n)
dL_db = delta  # δ, (m,)
dL_dx = W.detach().T @ delta  # Wᵀ δ, (n,)
print(
    f"W.grad: {tuple(W.grad.shape)}  δxᵀ: {tuple(dL_dW.shape)}"
    f"  max diff {(W.grad - dL_dW).abs().max():.1e}"
)
print(
    f"b.grad: {tuple(b.grad.shape)}      δ: {tuple(dL_db.shape)}"
    f"      max diff {(b.grad - dL_db).abs().max():.1e}"
)
print(
    f"x.grad: {tuple(x.grad.shape)}    Wᵀδ: {tuple(dL_dx.shape)}"
    f"    max diff {(x.grad - dL_dx).abs().max():.1e}"
)
assert torch.allclose(W.grad, dL_dW, atol=1e-14)
assert torch.allclose(b.grad, dL_db, atol=1e-14)
assert torch.allclose(x.grad, dL_dx, atol=1e-14)
# --8<-- [end:formulas]

# --8<-- [start:full_jacobian]
from torch.autograd.functional import jacobian

J_W = jacobian(lambda W: W @ x.detach(), W.detach())  # (m, m, n)
print(f"Jacobian of Wx with respect to W: {tuple(J_W.shape)}")
print(f"J_W[0] = ∂y_0/∂W =\n{J_W[0] + 0.0}")  # + 0.0: no -0.0
contracted = torch.einsum("i,ijk->jk", delta, J_W)  # Σ_i δ_i ∂y_i/∂W
print(f"Σ_i δ_i ∂y_i/∂W equals δxᵀ: {torch.allclose(contracted, dL_dW)}")
assert torch.allclose(contracted, dL_dW, atol=1e-14)
assert torch.equal(J_W[0, 0], x.detach()) and J_W[0, 1].abs().max() == 0
# --8<-- [end:full_jacobian]
