import torch

step_size = 0.25  # weights may only take values on this grid


def quantise_round(w):
    return torch.round(w / step_size) * step_size


def quantise_ste(w):
    # forward: the rounded value; backward: the gradient of the identity
    return w + (quantise_round(w) - w).detach()


torch.manual_seed(0)
X = torch.randn(200, 4, dtype=torch.float64)  # (200, 4)
w_true = torch.tensor([0.8, -1.3, 0.4, 2.1], dtype=torch.float64)
y = X @ w_true  # (200,)


def train(quantise, steps=100, lr=0.02):
    w = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    losses, first_grad = [], None
    for _ in range(steps):
        loss = ((X @ quantise(w) - y) ** 2).mean()
        w.grad = None
        loss.backward()
        if first_grad is None:
            first_grad = w.grad.tolist()
        with torch.no_grad():
            w -= lr * w.grad
        losses.append(loss.item())
    return losses, w.detach(), first_grad


losses_round, w_round, grad_round = train(quantise_round)
losses_ste, w_ste, grad_ste = train(quantise_ste)
print(f"first gradient, round: {grad_round}")
print(f"first gradient, STE:   {[round(g, 2) for g in grad_ste]}")
print(f"{'step':>4} {'round':>8} {'straight-through':>17}")
for step in (0, 10, 25, 50, 75, 99):
    print(f"{step:>4} {losses_round[step]:>8.4f} {losses_ste[step]:>17.4f}")
print(f"trained, quantised: {quantise_round(w_ste).tolist()}")
print(f"grid point nearest w_true: {quantise_round(w_true).tolist()}")
