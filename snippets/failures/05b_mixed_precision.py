# --8<-- [start:ranges]
import math

import torch

print(f"{'dtype':<15}{'largest':>11}{'smallest':>10}{'spacing at 1':>14}")
for dtype in (torch.float16, torch.bfloat16, torch.float32):
    fi = torch.finfo(dtype)
    smallest = fi.tiny * fi.eps  # the smallest subnormal number
    print(f"{str(dtype):<15}{fi.max:>11.5g}{smallest:>10.2g}{fi.eps:>14.2g}")

half = torch.float16
print(f"exp overflows float16 past ln(65504) = {math.log(65504):.4f}")
print(
    f"exp(11.0), exp(11.1) in float16: "
    f"{torch.exp(torch.tensor([11.0, 11.1], dtype=half)).tolist()}"
)
g = torch.tensor(1e-8)  # a small gradient, float32
print(
    f"1e-8 in float16: {g.half().item()}, "
    f"in bfloat16: {g.bfloat16().item():.4g}"
)
one = torch.tensor(1.001)
print(
    f"1.001 in float16: {one.half().item():.6g}, "
    f"in bfloat16: {one.bfloat16().item()}"
)
# --8<-- [end:ranges]

# --8<-- [start:autocast]
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
x, t = torch.randn(64, 8), torch.randn(64, 1)  # (64, 8), (64, 1)


def loss_and_grad(dtype):
    model.zero_grad()
    with torch.autocast("cpu", dtype=dtype, enabled=dtype is not None):
        y = model(x)  # (64, 1)
        loss = F.mse_loss(y, t)
    loss.backward()
    return y, loss, model[0].weight.grad.clone()


y32, loss32, grad32 = loss_and_grad(None)
y16, loss16, grad16 = loss_and_grad(torch.bfloat16)
print(f"inside autocast: y {y16.dtype}, loss {loss16.dtype}")
print(f"weights {model[0].weight.dtype}, their grad {grad16.dtype}")
print(f"loss float32 {loss32.item():.6f}, bfloat16 {loss16.item():.6f}")
err = (grad16 - grad32).norm() / grad32.norm()
print(f"relative error of the first layer's gradient: {err:.1e}")
# --8<-- [end:autocast]

# --8<-- [start:underflow]
torch.manual_seed(0)
big = nn.Sequential(nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 1))
xb = torch.randn(4096, 16)  # (4096, 16)
with torch.no_grad():  # targets close to the predictions: a small loss
    tb = big(xb) + 1e-3 * torch.randn(4096, 1)


def hidden_grad(dtype, scale):
    with torch.autocast("cpu", dtype=dtype, enabled=dtype is not None):
        h = big[1](big[0](xb))  # (4096, 256)
        h.retain_grad()
        loss = F.mse_loss(big[2](h), tb)
    (scale * loss).backward()  # the loss, scaled by S
    big.zero_grad()
    return h.grad.float() / scale  # unscaled, in float32


print(f"{'':<22}{'zero entries':>13}{'median size':>13}")
for name, dtype, scale in [
    ("float32", None, 1.0),
    ("float16", torch.float16, 1.0),
    ("float16, S = 2**16", torch.float16, 2.0**16),
]:
    dL_dh = hidden_grad(dtype, scale)
    zero = (dL_dh == 0).float().mean()
    print(f"{name:<22}{zero:>13.2%}{dL_dh.abs().median():>13.2g}")
# --8<-- [end:underflow]

# --8<-- [start:scaler]
import math

torch.manual_seed(0)
opt = torch.optim.SGD(big.parameters(), lr=0.01)
scaler = torch.amp.GradScaler("cpu", init_scale=2.0**32, growth_interval=3)
for step in range(8):
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.float16):
        loss = F.mse_loss(big(xb), tb)
    scale = scaler.get_scale()
    scaler.scale(loss).backward()  # the gradients of S * loss
    scaler.unscale_(opt)  # divide .grad by S, look for inf and nan
    norm = nn.utils.clip_grad_norm_(big.parameters(), max_norm=1.0)
    scaler.step(opt)  # skipped if unscale_ found inf or nan
    scaler.update()  # halve S after a skip, double it after 3 good steps
    skipped = scaler.get_scale() < scale
    print(
        f"step {step}: S = 2**{math.log2(scale):.0f}, "
        f"norm {norm.item():.3g}, {'skipped' if skipped else 'taken'}"
    )
# --8<-- [end:scaler]
