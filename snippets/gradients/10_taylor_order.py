import matplotlib.pyplot as plt
import torch
from torch.autograd.functional import hessian
from torch.func import grad


def f(p):
    x, y = p
    return torch.exp(x) * torch.sin(y) + x * y**2


p = torch.tensor([0.3, 0.8], dtype=torch.float64)  # (2,)
d = torch.tensor([0.6, -0.8], dtype=torch.float64)  # unit direction, (2,)
g, H = grad(f)(p), hessian(f, p)  # (2,), (2, 2)

steps = [0.2 / 2**k for k in range(6)]
first, second = [], []
for t in steps:
    h = t * d  # (2,)
    linear = f(p) + g @ h
    quadratic = linear + 0.5 * h @ H @ h
    first.append((f(p + h) - linear).abs().item())
    second.append((f(p + h) - quadratic).abs().item())


def ratio(errors, k):
    return f"{errors[k - 1] / errors[k]:5.2f}" if k else "    -"


print("   |h|   1st-order error  ratio   2nd-order error  ratio")
for k, t in enumerate(steps):
    print(
        f"{t:6.4f}  {first[k]:15.3e}  {ratio(first, k)}"
        f"   {second[k]:15.3e}  {ratio(second, k)}"
    )
assert 3.8 < first[-2] / first[-1] < 4.2  # halving h: error / 4 ~ h²
assert 7.6 < second[-2] / second[-1] < 8.4  # halving h: error / 8 ~ h³

fig, ax = plt.subplots(figsize=(4.0, 3.4))
ax.loglog(steps, first, "o-", label="f(x) + ∇fᵀh  (error ~ |h|²)")
ax.loglog(steps, second, "s--", label="… + ½ hᵀHh  (error ~ |h|³)")
ax.set(xlabel="step length |h|", ylabel="absolute error")
ax.set_title("Adding the Hessian term:\none more order of accuracy")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2))
plt.show()
