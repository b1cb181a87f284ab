import torch


def grad_at(f, x):
    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(x).backward()
    return x.grad.tolist()


def min_norm_slope(f, x, h=1e-3):
    # at a corner of a piecewise-linear f, the sub- (or super-)gradients
    # are the slopes between the one-sided ones: pick the one nearest 0
    low, high = sorted((grad_at(f, x - h), grad_at(f, x + h)))
    return min(max(0.0, low), high)


print(f"{'at a corner':<28}{'PyTorch':>9}{'min-norm':>10}")
corners = [
    ("relu(x) at 0", torch.relu, 0.0),
    ("abs(x) at 0", torch.abs, 0.0),
    ("clamp(x, min=0) at 0", lambda x: torch.clamp(x, min=0), 0.0),
]
for label, f, x in corners:
    print(f"{label:<28}{grad_at(f, x):>9}{min_norm_slope(f, x):>10}")

tied = [2.0, 2.0, 1.0]  # the maximum is shared by two entries
is_max = torch.tensor(tied) == max(tied)
split = (is_max / is_max.sum()).tolist()  # the min-norm subgradient
print(f"\n{'ties':<28}grad (min-norm: {split})")
ties = [
    ("x.max()", lambda x: x.max()),
    ("torch.amax(x)", torch.amax),
    ("torch.maximum(x0, x1)", lambda x: torch.maximum(x[0], x[1])),
    ("x.max(dim=0)", lambda x: x.max(dim=0).values),
]
for label, f in ties:
    print(f"{label:<28}{grad_at(f, tied)}")

zero = [0.0, 0.0, 0.0]
print(f"\n{'at zero':<28}grad")
print(f"{'sqrt(x) at 0':<28}{grad_at(torch.sqrt, 0.0)}")
print(f"{'vector_norm(x) at 0':<28}{grad_at(torch.linalg.vector_norm, zero)}")
manual_norm = grad_at(lambda x: torch.sqrt((x**2).sum()), zero)
print(f"{'sqrt(sum(x**2)) at 0':<28}{manual_norm}")

lr = 0.1
for g in (0.0, 1.0):  # two subgradients of |x| at its minimum, x = 0
    print(f"step from x = 0 with g = {g}: |x| becomes {abs(0.0 - lr * g)}")
