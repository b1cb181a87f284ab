import torch

gen = torch.Generator().manual_seed(0)
w_true = torch.randn(5, generator=gen, dtype=torch.float64)  # (5,)
X = torch.randn(30, 5, generator=gen, dtype=torch.float64)  # (30, 5)
y = X @ w_true + 0.5 * torch.randn(30, generator=gen, dtype=torch.float64)
X_val = torch.randn(30, 5, generator=gen, dtype=torch.float64)
y_val = X_val @ w_true


def train_then_validate(lr, steps=10):  # lr may be a tensor with a graph
    w = torch.zeros(5, dtype=torch.float64)
    for _ in range(steps):
        dL_dw = X.T @ (X @ w - y) / len(y)  # the training gradient, (5,)
        w = w - lr * dL_dw  # every step stays in lr's graph
    return ((X_val @ w - y_val) ** 2).mean()


lr = torch.tensor(0.05, dtype=torch.float64, requires_grad=True)
(hypergrad,) = torch.autograd.grad(train_then_validate(lr), lr)
h = 1e-6
with torch.no_grad():
    finite_diff = (
        train_then_validate(lr + h) - train_then_validate(lr - h)
    ) / (2 * h)
print(f"dL_val/dlr by autograd:  {hypergrad.item():.10f}")
print(f"central difference:      {finite_diff.item():.10f}")

# gradient descent on the learning rate itself
for outer in range(6):
    val = train_then_validate(lr)
    (hypergrad,) = torch.autograd.grad(val, lr)
    print(
        f"outer step {outer}: lr {lr.item():.4f}, "
        f"validation loss {val.item():.4f}"
    )
    with torch.no_grad():
        lr -= 0.002 * hypergrad
