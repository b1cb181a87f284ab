# --8<-- [start:setup]
import torch
import torch.nn.functional as F
from torch import nn

gen = torch.Generator().manual_seed(0)
x = torch.randn(256, 2, generator=gen)  # (256, 2)
t = torch.sin(2 * x[:, :1]) + x[:, 1:] ** 2 - 10.0  # (256, 1)


def never_active(model):
    """Which hidden units output 0 (z <= 0) for every input in x."""
    with torch.no_grad():
        z = model[0](x)  # (256, 64), the pre-activations
    return (z <= 0).all(dim=0)  # (64,)


def gradient_step(model, lr):
    loss = F.mse_loss(model(x), t)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad


def experiment(activation, first_lr, steps=100):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 64), activation, nn.Linear(64, 1))
    before = never_active(model)
    b_before = model[0].bias.detach().clone()
    gradient_step(model, first_lr)  # the first step, maybe too large
    after = never_active(model)
    b_after = model[0].bias.detach().clone()
    gradient_step(model, 0.0)  # fills .grad without moving the weights
    still = model[0].weight.grad[after].abs().sum(dim=1)  # (n_dead,)
    for _ in range(steps):
        gradient_step(model, 0.01)  # then train with a small lr
    final = F.mse_loss(model(x), t).item()
    gradient_step(model, 0.0)
    no_grad = model[0].weight.grad.abs().sum(dim=1) == 0  # (64,)
    return before, after, b_before, b_after, still, no_grad, final


# --8<-- [end:setup]


# --8<-- [start:kill]
before, after, b_before, b_after, still, _, _ = experiment(nn.ReLU(), 1.0)
print(f"never active before the step: {before.float().mean():.1%}")
print(f"after one step with lr = 1:   {after.float().mean():.1%}")
print(
    f"their biases: {b_before[after].mean():.2f} before, "
    f"{b_after[after].mean():.2f} after"
)
print(f"gradient reaching their weights: {still.max().item()}")
# --8<-- [end:kill]

# --8<-- [start:fixes]
print(f"{'':<22}{'never active':>13}{'zero gradient':>14}{'loss':>7}")
print(f"{'':<22}{'after step 1':>13}{'after 100':>14}{'':>7}")
for name, act, lr in [
    ("ReLU, first lr 1", nn.ReLU(), 1.0),
    ("ReLU, first lr 0.1", nn.ReLU(), 0.1),
    ("LeakyReLU, first lr 1", nn.LeakyReLU(0.01), 1.0),
]:
    _, after, _, _, _, no_grad, final = experiment(act, lr)
    print(
        f"{name:<22}{after.float().mean():>13.1%}"
        f"{no_grad.float().mean():>14.1%}{final:>7.3f}"
    )
# --8<-- [end:fixes]

# --8<-- [start:decay]
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 1))
gradient_step(model, 1.0)  # the same fatal first step
dead = never_active(model)  # (64,)
z_dead = model[0](x).detach()[:, dead]  # (256, n_dead), all <= 0
opt = torch.optim.SGD(model.parameters(), lr=0.01, weight_decay=0.1)
for _ in range(100):
    loss = F.mse_loss(model(x), t)
    opt.zero_grad()
    loss.backward()
    opt.step()
factor = model[0](x).detach()[:, dead] / z_dead  # (256, n_dead)
print(
    f"dead after step 1: {dead.sum().item()}, still dead after 100 "
    f"decay steps: {never_active(model)[dead].sum().item()}"
)
print(
    f"their pre-activations multiplied by {factor.min():.4f} to "
    f"{factor.max():.4f}; (1 - 0.01 * 0.1)**100 = {0.999**100:.4f}"
)
# --8<-- [end:decay]
