import matplotlib.pyplot as plt
import numpy as np
import torch

x = np.linspace(-np.pi, np.pi, 201)  # (201,)
exact = np.cos(x)

h = 1.5e-8  # about sqrt(eps) for float64
forward = (np.sin(x + h) - np.sin(x)) / h
h = 6e-6  # about cbrt(eps) for float64
central = (np.sin(x + h) - np.sin(x - h)) / (2 * h)
x32, h = x.astype(np.float32), np.float32(4e-3)  # about cbrt(eps), float32
central32 = (np.sin(x32 + h) - np.sin(x32 - h)) / (2 * h)

xt = torch.tensor(x, requires_grad=True)  # float64, (201,)
torch.sin(xt).sum().backward()
autograd = xt.grad.numpy()

xt32 = torch.tensor(x, dtype=torch.float32, requires_grad=True)
torch.sin(xt32).sum().backward()
autograd32 = xt32.grad.double().numpy()

results = {
    "forward difference": forward,
    "central difference": central,
    "autograd, float64": autograd,
    "central, float32": central32.astype(np.float64),
    "autograd, float32": autograd32,
}
for name, approx in results.items():
    print(f"{name:<19} largest error {np.max(np.abs(approx - exact)):.1e}")
print(f"autograd, float64 == cos x at {np.sum(autograd == exact)} of 201 x")
cos_x32 = np.cos(x32.astype(np.float64))  # exact cos of the rounded inputs
own = np.max(np.abs(autograd32 - cos_x32))
print(f"autograd, float32, against cos of the float32 x: {own:.1e}")

fig, ax = plt.subplots(figsize=(4.0, 3.6))
for name, fmt in [
    ("forward difference", "-"),
    ("central difference", "--"),
    ("autograd, float64", "o"),
]:
    error = np.maximum(np.abs(results[name] - exact), 1e-18)  # 0 -> 1e-18
    ax.semilogy(x, error, fmt, markersize=3, markevery=4, label=name)
ax.set(xlabel="x", ylabel="|approximation − cos x|", ylim=(3e-19, 1e-1))
ax.set_title("Error in the derivative of sin x\n(0 drawn at 1e-18)")
ax.legend(loc="upper left")
plt.show()
