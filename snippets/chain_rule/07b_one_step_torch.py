import torch

x, y = 1.5, 0.2
lr = 0.5
w = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)

loss = (torch.sigmoid(w * x) - y) ** 2
loss.backward()
print(
    f"before: w = {w.item():.4f}  loss = {loss.item():.4f}"
    f"  dL/dw = {w.grad.item():.4f}"
)
with torch.no_grad():
    w -= lr * w.grad  # one gradient-descent step
    loss_new = (torch.sigmoid(w * x) - y) ** 2
print(f"after:  w = {w.item():.4f}  loss = {loss_new.item():.4f}")
assert loss_new < loss
