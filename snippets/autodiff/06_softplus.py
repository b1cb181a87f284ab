# --8<-- [start:classic]
import torch


class StableSoftplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # log(1 + e^x) = max(x, 0) + log(1 + e^(-|x|)): exp never overflows
        return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(x)  # softplus' = sigmoid


softplus = StableSoftplus.apply


def naive_softplus(x):
    return torch.log(1 + torch.exp(x))


print(f"{'x':>7} | {'naive':>9} {'grad':>6} | {'stable':>9} {'grad':>6}")
for value in [-1000.0, -5.0, 0.0, 5.0, 1000.0]:
    row = f"{value:>7g} |"
    for fn in [naive_softplus, softplus]:
        x = torch.tensor(value, requires_grad=True)
        y = fn(x)
        y.backward()
        row += f" {y.item():>9.4f} {x.grad.item():>6.4f} |"
    print(row.rstrip(" |"))

x = torch.linspace(-30, 30, 41, dtype=torch.float64, requires_grad=True)
print("gradcheck passed:", torch.autograd.gradcheck(softplus, (x,)))
reference = torch.nn.functional.softplus(x)
print("matches F.softplus:", torch.allclose(softplus(x), reference))
# --8<-- [end:classic]

# --8<-- [start:func]
import textwrap

import torch
from torch.func import grad, vmap


class FuncSoftplus(torch.autograd.Function):
    generate_vmap_rule = True  # forward is torch ops, so vmap can batch it

    @staticmethod
    def forward(x):  # no ctx: only the computation
        return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def setup_context(ctx, inputs, output):  # what backward will need
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(x)  # torch ops: differentiable


func_softplus = FuncSoftplus.apply
x = torch.linspace(-4, 4, 5, dtype=torch.float64)  # (5,)
d1 = vmap(grad(func_softplus))(x)  # (5,): softplus' = sigmoid
d2 = vmap(grad(grad(func_softplus)))(x)  # (5,): sigmoid' = s (1 - s)
print(f"x                          {x.numpy()}")
print(f"vmap(grad(softplus))       {d1.numpy().round(4)}")
print(f"vmap(grad(grad(softplus))) {d2.numpy().round(4)}")
s = torch.sigmoid(x)
assert torch.allclose(d1, s) and torch.allclose(d2, s * (1 - s))

x = torch.linspace(-30, 30, 41, dtype=torch.float64, requires_grad=True)
print("gradcheck:    ", torch.autograd.gradcheck(func_softplus, (x,)))
print("gradgradcheck:", torch.autograd.gradgradcheck(func_softplus, (x,)))

try:  # the forward(ctx, x) style of the block above
    grad(softplus)(torch.tensor(1.0, dtype=torch.float64))
except RuntimeError as error:
    print(textwrap.fill(f"RuntimeError: {error}", 79))
# --8<-- [end:func]
