import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)).double()
X = torch.randn(16, 4, dtype=torch.float64)  # (batch, 4)
labels = torch.randint(0, 3, (16,))  # (batch,)
# the weights as plain tensors: grad differentiates with respect to them
params = {name: p.detach() for name, p in model.named_parameters()}


def loss_one(params, x, label):  # ONE example: x (4,), label ()
    logits = functional_call(model, params, (x,))  # (3,)
    return F.cross_entropy(logits, label)


# one gradient dict per example: every entry gets a leading batch axis
per_example = vmap(grad(loss_one), in_dims=(None, 0, 0))(params, X, labels)
for name, g in per_example.items():
    print(
        f"{name:>8}: parameter {tuple(params[name].shape)!s:>7}, "
        f"per-example gradients {tuple(g.shape)}"
    )

# their mean is what backward() leaves in .grad for the mean loss
F.cross_entropy(model(X), labels).backward()
for name, p in model.named_parameters():
    assert torch.allclose(per_example[name].mean(0), p.grad)

flat = torch.cat([g.flatten(1) for g in per_example.values()], dim=1)
norms = flat.norm(dim=1)  # (batch,): the size of each example's gradient
print(
    f"gradient norms: smallest {norms.min():.4f}, "
    f"largest {norms.max():.4f}, ratio {norms.max() / norms.min():.2f}"
)
