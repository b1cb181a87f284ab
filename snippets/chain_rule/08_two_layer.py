# --8<-- [start:by_hand]
import math

import torch


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


x, y = 2.0, 0.5  # input and target
w1, w2 = 0.5, 1.2  # the two weights

# forward: keep every intermediate value, backward needs them
z = w1 * x
a = sigmoid(z)
y_hat = w2 * a
loss = (y_hat - y) ** 2

# backward: start at the loss, one local derivative per step
dL_dy_hat = 2 * (y_hat - y)
dL_dw2 = dL_dy_hat * a  # y_hat = w2 * a, so dy_hat/dw2 = a
dL_da = dL_dy_hat * w2  # ... and dy_hat/da = w2
dL_dz = dL_da * a * (1 - a)  # sigmoid'(z) = a(1 - a)
dL_dw1 = dL_dz * x  # z = w1 * x, so dz/dw1 = x

print("node    forward value    gradient dL/d(node)")
print(f"x       {x:13.4f}")
print(f"w1      {w1:13.4f}    {dL_dw1:13.4f}")
print(f"z       {z:13.4f}    {dL_dz:13.4f}")
print(f"a       {a:13.4f}    {dL_da:13.4f}")
print(f"w2      {w2:13.4f}    {dL_dw2:13.4f}")
print(f"y_hat   {y_hat:13.4f}    {dL_dy_hat:13.4f}")
print(f"y       {y:13.4f}")
print(f"L       {loss:13.4f}    {1.0:13.4f}")
# --8<-- [end:by_hand]

# --8<-- [start:torch]
w1_t = torch.tensor(w1, dtype=torch.float64, requires_grad=True)
w2_t = torch.tensor(w2, dtype=torch.float64, requires_grad=True)
z_t = w1_t * x
a_t = torch.sigmoid(z_t)
y_hat_t = w2_t * a_t
for node in (z_t, a_t, y_hat_t):
    node.retain_grad()  # keep the gradients of intermediate nodes too
loss_t = (y_hat_t - y) ** 2
loss_t.backward()

pairs = {
    "dL/dw1": (dL_dw1, w1_t.grad),
    "dL/dw2": (dL_dw2, w2_t.grad),
    "dL/dz": (dL_dz, z_t.grad),
    "dL/da": (dL_da, a_t.grad),
    "dL/dy_hat": (dL_dy_hat, y_hat_t.grad),
}
print(f"{'gradient':<10} {'by hand':>14} {'PyTorch':>14}")
for name, (hand, auto) in pairs.items():
    print(f"{name:<10} {hand:14.10f} {auto.item():14.10f}")
    assert abs(hand - auto.item()) < 1e-14
# --8<-- [end:torch]
