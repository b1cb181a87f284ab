import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def loss_and_grad(w, x, y):
    a = sigmoid(w * x)
    loss = (a - y) ** 2
    dL_dw = 2 * (a - y) * a * (1 - a) * x  # the chain, multiplied out
    return loss, dL_dw


x, y = 1.5, 0.2
w, lr = 0.8, 0.5
loss, dL_dw = loss_and_grad(w, x, y)
w_new = w - lr * dL_dw
loss_new, _ = loss_and_grad(w_new, x, y)
print(f"before: w = {w:.4f}  loss = {loss:.4f}  dL/dw = {dL_dw:.4f}")
print(f"after:  w = {w_new:.4f}  loss = {loss_new:.4f}")
assert loss_new < loss
