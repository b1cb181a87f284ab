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
