import matplotlib.pyplot as plt
import numpy as np
import torch

depths = np.arange(1, 51)  # (50,)
x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
a = x
measured = []
for _ in depths:
    a = torch.sigmoid(a)
    (grad,) = torch.autograd.grad(a, x, retain_graph=True)
    measured.append(grad.item())

fig, ax = plt.subplots()
ax.semilogy(depths, 0.9**depths, ":", color="black", label="factor 0.9")
ax.semilogy(depths, 0.5**depths, "-.", color="C2", label="factor 0.5")
ax.semilogy(
    depths, 0.25**depths, "--", color="C0", label="factor 0.25 (best sigmoid)"
)
ax.semilogy(
    depths,
    measured,
    "o",
    color="C1",
    markersize=4,
    label="measured sigmoid chain",
)
ax.set(
    xlabel="number of layers n",
    ylabel="product of local derivatives",
    title="Products of factors below one vanish",
)
powers = [0, -8, -16, -24, -32]  # plain tick labels: 1, 1e-8, ...
ax.set_yticks([10.0**p for p in powers], labels=[f"1e{p}" for p in powers])
ax.minorticks_off()
ax.legend(loc="lower left")
plt.show()
