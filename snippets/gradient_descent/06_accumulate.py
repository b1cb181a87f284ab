import torch

torch.manual_seed(0)
x = torch.randn(12, dtype=torch.float64)  # (12,)
y = 3 * x + 1
w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)

loss = torch.mean((w * x - y) ** 2)  # all 12 examples at once
loss.backward()
full = w.grad.clone()

w.grad = None  # same effect as optimizer.zero_grad()
for xb, yb in zip(x.split(3), y.split(3), strict=True):  # 4 micro-batches
    loss = torch.mean((w * xb - yb) ** 2) / 4
    loss.backward()  # accumulates into w.grad
print(f"full batch gradient:      {full.item():.12f}")
print(f"sum over 4 micro-batches: {w.grad.item():.12f}")
assert torch.allclose(w.grad, full, rtol=1e-12, atol=0)

sizes = [5, 4, 3]  # unequal micro-batches: weight each mean by its share
w.grad = None
for xb, yb in zip(x.split(sizes), y.split(sizes), strict=True):
    loss = torch.mean((w * xb - yb) ** 2) * len(xb) / len(x)
    loss.backward()
print(f"sizes 5, 4, 3, weighted:  {w.grad.item():.12f}")
assert torch.allclose(w.grad, full, rtol=1e-12, atol=0)
