import numpy as np
import torch

# --8<-- [start:numpy]
rng = np.random.default_rng(0)
n = 200
X = rng.normal(size=(n, 2)) * np.array([1.0, 0.1])  # (n, 2)
y = X @ np.array([2.0, -3.0]) + 0.5 + 0.1 * rng.normal(size=n)  # (n,)

lr, steps = 0.5, 100
w, b = np.zeros(2), 0.0  # (2,), scalar
losses_np = []
for _ in range(steps):
    r = X @ w + b - y  # (n,) residuals
    losses_np.append(np.mean(r**2))
    dL_dw = 2 / n * X.T @ r  # (2,)
    dL_db = 2 / n * np.sum(r)
    w = w - lr * dL_dw
    b = b - lr * dL_db
w_np, b_np = w, b
print(f"loss: {losses_np[0]:.12f} -> {losses_np[-1]:.12f}")
print(f"w = [{w_np[0]:.12f}, {w_np[1]:.12f}], b = {b_np:.12f}")
# --8<-- [end:numpy]

# --8<-- [start:autograd]
Xt = torch.tensor(X)  # float64, like the NumPy array
yt = torch.tensor(y)
w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
b = torch.zeros((), dtype=torch.float64, requires_grad=True)
losses_ag = []
for _ in range(steps):
    loss = torch.mean((Xt @ w + b - yt) ** 2)
    losses_ag.append(loss.item())
    loss.backward()  # fills w.grad and b.grad
    with torch.no_grad():  # the update is not part of the model
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
print(f"loss: {losses_ag[0]:.12f} -> {losses_ag[-1]:.12f}")
w_ag, b_ag = w.detach().numpy(), b.item()
print(f"w = [{w_ag[0]:.12f}, {w_ag[1]:.12f}], b = {b_ag:.12f}")
# --8<-- [end:autograd]

# --8<-- [start:optim]
model = torch.nn.Linear(2, 1, dtype=torch.float64)
torch.nn.init.zeros_(model.weight)  # same start as above
torch.nn.init.zeros_(model.bias)
loss_fn = torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
losses_opt = []
for _ in range(steps):
    optimizer.zero_grad()
    loss = loss_fn(model(Xt).squeeze(1), yt)  # model(Xt) is (n, 1)
    losses_opt.append(loss.item())
    loss.backward()
    optimizer.step()
print(f"loss: {losses_opt[0]:.12f} -> {losses_opt[-1]:.12f}")
w_opt = model.weight.detach().numpy().ravel()
b_opt = model.bias.item()
print(f"w = [{w_opt[0]:.12f}, {w_opt[1]:.12f}], b = {b_opt:.12f}")


def gap(a, b):
    return np.max(np.abs(np.asarray(a) - np.asarray(b)))


gap_loss = max(gap(losses_ag, losses_np), gap(losses_opt, losses_np))
params_np = np.append(w_np, b_np)  # (3,)
gap_ag = gap(np.append(w_ag, b_ag), params_np)
gap_params = max(gap_ag, gap(np.append(w_opt, b_opt), params_np))
print(f"largest loss difference over {steps} steps: {gap_loss:.1e}")
print(f"largest parameter difference:          {gap_params:.1e}")
assert gap_loss < 1e-12 and gap_params < 1e-12
# --8<-- [end:optim]
