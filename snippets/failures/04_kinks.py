import torch


def grad_at(f, x):
    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(x).backward()
    return x.grad.tolist()


tied = [2.0, 2.0, 1.0]  # the maximum is shared by two entries
zero = [0.0, 0.0, 0.0]
cases = [
    ("relu(x) at 0", torch.relu, 0.0),
    ("abs(x) at 0", torch.abs, 0.0),
    ("sqrt(x) at 0", torch.sqrt, 0.0),
    ("x.max(), ties", lambda x: x.max(), tied),
    ("torch.max(x, dim=0), ties", lambda x: x.max(dim=0).values, tied),
    ("torch.maximum(x0, x1), tie", lambda x: torch.maximum(x[0], x[1]), tied),
    ("vector_norm(x) at 0", torch.linalg.vector_norm, zero),
    ("sqrt(sum(x**2)) at 0", lambda x: torch.sqrt((x**2).sum()), zero),
]
for label, f, x in cases:
    print(f"{label:<28} grad = {grad_at(f, x)}")
