import torch

torch.manual_seed(0)
X = torch.randn(100, 3)  # (100, 3)
y = X @ torch.tensor([1.5, -2.0, 0.5]) + 0.3 + 0.1 * torch.randn(100)


def sgd_step(params, lr):
    # like torch.optim.SGD: parameters whose .grad is None are skipped
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p -= lr * p.grad


def train(detach_prediction, steps=200, lr=0.1):
    w = torch.zeros(3, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    losses = []
    for _ in range(steps):
        pred = X @ w + b  # (100,)
        if detach_prediction:
            pred = pred.detach()  # meant for logging, then reused below
        data_loss = ((pred - y) ** 2).mean()
        loss = data_loss + 1e-3 * (w**2).sum()  # weight decay keeps a graph
        w.grad, b.grad = None, None
        loss.backward()  # no error in either run
        sgd_step([w, b], lr)
        losses.append(data_loss.item())
    return losses, b.grad


buggy, b_grad = train(detach_prediction=True)
fixed, _ = train(detach_prediction=False)
print(f"{'step':>4} {'with detach':>12} {'fixed':>8}")
for step in (0, 50, 100, 199):
    print(f"{step:>4} {buggy[step]:>12.4f} {fixed[step]:>8.4f}")
print(f"b.grad in the run with detach: {b_grad}")
