import numpy as np

x = np.array([1.0, 2.0, 3.0])  # (3,) inputs
y = np.array([2.1, 3.9, 6.2])  # (3,) targets


def loss(w):
    return np.mean((w * x - y) ** 2)


w = 1.5
print(f"loss({w}) = {loss(w):.6f}")
print(f"{'h':>7} {'loss(w + h)':>12} {'change':>10} {'change / h':>11}")
for h in [0.1, 0.01, 0.001, 0.0001]:
    change = loss(w + h) - loss(w)
    print(f"{h:>7} {loss(w + h):>12.6f} {change:>10.6f} {change / h:>11.5f}")
