import torch
from torch.func import grad, vmap

torch.manual_seed(0)
torch.set_printoptions(precision=3, sci_mode=False)
X = torch.randn(6, 3, dtype=torch.float64)  # (batch, 3)
y = torch.randn(6, dtype=torch.float64)  # (batch,)
w = torch.randn(3, dtype=torch.float64)  # (3,)


def loss_one(w, x, target):  # the loss of ONE example
    return (x @ w - target) ** 2


# grad(loss_one) differentiates with respect to w; vmap maps it over the
# batch dimension of x and target, but shares w (in_dims=None).
per_example = vmap(grad(loss_one), in_dims=(None, 0, 0))(w, X, y)
print("per-example gradients", tuple(per_example.shape))
print(per_example)

# the same, one example at a time, with backward()
rows = []
for x_i, y_i in zip(X, y, strict=True):
    w_i = w.clone().requires_grad_()
    loss_one(w_i, x_i, y_i).backward()
    rows.append(w_i.grad)
assert torch.allclose(per_example, torch.stack(rows))
# their mean is the gradient of the mean loss
batch_grad = grad(lambda w: ((X @ w - y) ** 2).mean())(w)
assert torch.allclose(per_example.mean(0), batch_grad)
print("gradient norm per example:")
print(per_example.norm(dim=1))
