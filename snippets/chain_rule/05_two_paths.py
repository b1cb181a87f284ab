import math

import torch


def f(u, v):
    return u * v


x = 2.0
u, v = x**2, math.sin(x)
path_u = v * (2 * x)  # df/du * du/dx
path_v = u * math.cos(x)  # df/dv * dv/dx

h = 1e-6
central = (
    f((x + h) ** 2, math.sin(x + h)) - f((x - h) ** 2, math.sin(x - h))
) / (2 * h)

x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
f(x_t**2, torch.sin(x_t)).backward()

print(f"path through u:  df/du * du/dx = {path_u:.6f}")
print(f"path through v:  df/dv * dv/dx = {path_v:.6f}")
print(f"sum of the paths               = {path_u + path_v:.6f}")
print(f"central difference             = {central:.6f}")
print(f"autograd                       = {x_t.grad.item():.6f}")
assert abs(path_u + path_v - central) < 1e-8
assert abs(path_u + path_v - x_t.grad.item()) < 1e-12
assert min(abs(path_u - central), abs(path_v - central)) > 1.0
