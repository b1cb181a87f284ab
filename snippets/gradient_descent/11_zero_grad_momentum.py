import numpy as np
import torch

# --8<-- [start:same]
lr, a = 0.1, 2.0  # (w - 3)^2 is a bowl a/2 (w - 3)^2 with a = 2


def trajectory(momentum, reset, steps=40):
    w = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=momentum)
    ws = []
    for _ in range(steps):
        ws.append(w.item())
        if reset:
            optimizer.zero_grad()
        ((w - 3.0) ** 2).backward()
        optimizer.step()
    return np.array(ws)  # (steps,)


forgot = trajectory(momentum=0.0, reset=False)  # the bug
mu_one = trajectory(momentum=1.0, reset=True)  # momentum with mu = 1
print(f"largest difference: {np.max(np.abs(forgot - mu_one)):.1e}")
assert np.allclose(forgot, mu_one, rtol=0, atol=1e-12)
# --8<-- [end:same]

# --8<-- [start:roots]
e = forgot - 3.0  # the error, (40,)
c = 1 - lr * a / 2  # the recurrence is e[t+1] = 2c e[t] - e[t-1]
assert np.allclose(e[2:], 2 * c * e[1:-1] - e[:-2], rtol=0, atol=1e-12)
for mu, lr_a in [(0.9, lr * a), (1.0, lr * a), (0.9, 3.9)]:
    z = np.roots([1.0, -(1 + mu - lr_a), mu])  # characteristic roots
    print(
        f"mu = {mu}, lr a = {lr_a}: roots {np.round(z, 4)}, "
        f"|z| = {np.abs(z).round(4)}"
    )
    assert (np.max(np.abs(z)) < 1 - 1e-9) == (mu < 1 and lr_a < 2 * (1 + mu))
theta = np.arccos(c)  # the angle of the roots on the unit circle
invariant = e[1:] ** 2 - 2 * c * e[1:] * e[:-1] + e[:-1] ** 2  # (39,)
amplitude = np.sqrt(invariant[0]) / np.sin(theta)
print(f"period 2 pi / angle = {2 * np.pi / theta:.2f} steps")
print(
    f"amplitude = {amplitude:.3f}: w swings between "
    f"{3 - amplitude:.2f} and {3 + amplitude:.2f}, for ever"
)
assert np.allclose(invariant, invariant[0], rtol=1e-10)  # no damping
# --8<-- [end:roots]
