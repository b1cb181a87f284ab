import torch


class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output  # pretend round(x) were x


x = torch.tensor([0.2, 0.7, 1.4], dtype=torch.float64, requires_grad=True)
torch.round(x).sum().backward()
print("true gradient of round:", x.grad.tolist())
x.grad = None
RoundSTE.apply(x).sum().backward()
print("straight-through grad: ", x.grad.tolist())
ste_grad, x.grad = x.grad, None
y = x + (torch.round(x) - x).detach()  # the same, without a class
y.sum().backward()
print("detach idiom: value", y.tolist(), "grad", x.grad.tolist())
assert torch.equal(y, torch.round(x)) and torch.equal(x.grad, ste_grad)

try:
    torch.autograd.gradcheck(RoundSTE.apply, (x,))
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
