# --8<-- [start:hvp]
import torch
from torch.func import grad, hessian, jvp

torch.manual_seed(0)
A = torch.randn(5, 4, dtype=torch.float64)  # (5, 4)


def f(x):  # R^4 -> R, with a full (not diagonal) Hessian
    return torch.logsumexp(A @ x, dim=0)


def hvp(f, x, v):  # forward over reverse: grad(f), pushed along v
    _, Hv = jvp(grad(f), (x,), (v,))
    return Hv


x = torch.randn(4, dtype=torch.float64)  # (4,)
v = torch.randn(4, dtype=torch.float64)  # (4,)
print(f"jvp(grad(f)):      {hvp(f, x, v).numpy().round(6)}")
print(f"hessian(f)(x) @ v: {(hessian(f)(x) @ v).numpy().round(6)}")
assert torch.allclose(hvp(f, x, v), hessian(f)(x) @ v)
# --8<-- [end:hvp]

# --8<-- [start:cost]
from torch import nn
from torch.func import functional_call
from torch.utils.flop_counter import FlopCounterMode

model = nn.Sequential(nn.Linear(100, 100), nn.Tanh(), nn.Linear(100, 1))
model = model.double()
X = torch.randn(16, 100, dtype=torch.float64)  # (batch, 100)
params = {name: p.detach() for name, p in model.named_parameters()}
tangent = {name: torch.randn_like(p) for name, p in params.items()}


def loss(params):
    return functional_call(model, params, (X,)).square().mean()


def flops(run):  # multiply-add FLOPs of the matrix products run() does
    counter = FlopCounterMode(display=False)
    with counter:
        run()
    return counter.get_total_flops()


n = sum(p.numel() for p in params.values())
gradient = flops(lambda: grad(loss)(params))
product = flops(lambda: hvp(loss, params, tangent))
print(f"parameters n = {n}; the Hessian would have n^2 = {n * n:,} entries")
print(f"that is {n * n * 8 / 1e6:.0f} MB in float64")
print(
    f"FLOPs: gradient {gradient:,}, Hessian-vector product {product:,}, "
    f"ratio {product / gradient:g}"
)
# --8<-- [end:cost]
