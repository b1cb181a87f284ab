import matplotlib.pyplot as plt
import numpy as np
import torch

# --8<-- [start:table]
lr = 0.1
w = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
true_grads = []
columns = ["w", "true grad", "w.grad", "right move", "actual move"]
print("step" + "".join(f"{name:>13}" for name in columns))
for step in range(5):
    loss = (w - 3.0) ** 2
    loss.backward()  # adds 2(w - 3) into w.grad
    true_grads.append(2 * (w.item() - 3.0))
    used = w.grad.item()
    row = [w.item(), true_grads[-1], used, -lr * true_grads[-1], -lr * used]
    print(f"{step:4}" + "".join(f"{value:13.4f}" for value in row))
    assert np.isclose(used, sum(true_grads))
    with torch.no_grad():
        w -= lr * w.grad
    # forgot: w.grad.zero_()
# --8<-- [end:table]


# --8<-- [start:figure]
def run(zero_grad, steps=40, lr=0.1):
    w = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    path = []
    for _ in range(steps):
        path.append(w.item())
        if zero_grad:
            optimizer.zero_grad()
        loss = (w - 3.0) ** 2
        loss.backward()
        optimizer.step()
    return np.array(path)  # (steps,)


with_zero, without = run(True), run(False)
print(f"w after 40 steps with zero_grad:    {with_zero[-1]:.4f}")
print(f"w after 40 steps without zero_grad: {without[-1]:.4f}")
fig, ax = plt.subplots()
ax.plot(with_zero, "o-", markersize=3, label="zero_grad() each step")
ax.plot(without, "s--", markersize=3, label="zero_grad() forgotten")
ax.axhline(3.0, color="black", linewidth=0.8, linestyle=":")
ax.set(xlabel="step", ylabel="w", title="Minimising (w − 3)² with lr = 0.1")
ax.set_ylim(-0.5, 8.0)
ax.legend(loc="upper center", ncol=2, fontsize=9)
plt.show()
# --8<-- [end:figure]
