import numpy as np

x = np.array([1.0, 2.0, 3.0])
y = np.array([2.1, 3.9, 6.2])


def loss(w):
    return np.mean((w * x - y) ** 2)


w = 1.5
h = 1e-3
# --8<-- [start:nudge]
before = loss(w)
after = loss(w + h)
print(f"loss(w)     = {before:.6f}")
print(f"loss(w + h) = {after:.6f}")
print(f"change / h  = {(after - before) / h:.4f}")
# --8<-- [end:nudge]
