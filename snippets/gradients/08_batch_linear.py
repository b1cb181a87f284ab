import torch

torch.manual_seed(0)
layer = torch.nn.Linear(3, 2, dtype=torch.float64)  # weight (2, 3)
X = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)  # (B, n)
Y = layer(X)  # (B, m) = X Wᵀ + b
loss = torch.tanh(Y).sum()
loss.backward()

Delta = (1 - torch.tanh(Y) ** 2).detach()  # dL/dY, (B, m)
W = layer.weight.detach()  # (m, n)
checks = {
    "dL/dW = Δᵀ X": (layer.weight.grad, Delta.T @ X.detach()),
    "dL/db = Δ summed over the batch": (layer.bias.grad, Delta.sum(0)),
    "dL/dX = Δ W": (X.grad, Delta @ W),
}
for name, (from_autograd, by_hand) in checks.items():
    error = (from_autograd - by_hand).abs().max().item()
    print(f"{name:33} shape {tuple(by_hand.shape)}  max diff {error:.1e}")
    assert from_autograd.shape == by_hand.shape
    assert error < 1e-14
