# --8<-- [start:forward]
import math

import torch


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


x, y = 1.5, 0.2  # one training example: input and target
w = 0.8  # the weight we want the gradient for

z = w * x
a = sigmoid(z)
loss = (a - y) ** 2
print(f"z = w * x        = {z:.4f}")
print(f"a = sigmoid(z)   = {a:.4f}")
print(f"L = (a - y)**2   = {loss:.4f}")
# --8<-- [end:forward]

# --8<-- [start:backward]
dL_da = 2 * (a - y)  # local derivative of the square
da_dz = a * (1 - a)  # sigmoid'(z), from the a already computed
dz_dw = x  # local derivative of w * x with respect to w

grad = 1.0  # dL/dL: start at the loss
print("local derivative        running product")
grad *= dL_da
print(f"dL/da = 2(a - y) = {dL_da:.4f}   dL/da = {grad:.4f}")
grad *= da_dz
print(f"da/dz = a(1 - a) = {da_dz:.4f}   dL/dz = {grad:.4f}")
grad *= dz_dw
print(f"dz/dw = x        = {dz_dw:.4f}   dL/dw = {grad:.4f}")
dL_dw = grad
# --8<-- [end:backward]


# --8<-- [start:check]
def loss_at(w):
    return (sigmoid(w * x) - y) ** 2


h = 1e-6
central = (loss_at(w + h) - loss_at(w - h)) / (2 * h)

w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
loss_t = (torch.sigmoid(w_t * x) - y) ** 2
loss_t.backward()

print(f"by hand (chain rule) = {dL_dw:.10f}")
print(f"central difference   = {central:.10f}")
print(f"PyTorch w.grad       = {w_t.grad.item():.10f}")
assert abs(dL_dw - central) < 1e-9
assert abs(dL_dw - w_t.grad.item()) < 1e-14
# --8<-- [end:check]
