import matplotlib.pyplot as plt
import torch

n, T = 16, 40
gen = torch.Generator().manual_seed(0)
A = torch.randn(n, n, generator=gen, dtype=torch.float64) / n**0.5
h0 = torch.randn(n, generator=gen, dtype=torch.float64)  # (n,)


def grad_norms_back_in_time(W):
    hs = [h0.clone().requires_grad_()]
    for _ in range(T):
        hs.append(W @ hs[-1])  # h_t = W h_{t-1}
        hs[-1].retain_grad()
    loss = hs[-1].sum()
    loss.backward()
    # entry k: norm of dL/dh_{T-k}, k steps back from the loss
    return torch.stack([h.grad.norm() for h in reversed(hs)])


fig, ax = plt.subplots(figsize=(4.0, 3.4))
rho_A = torch.linalg.eigvals(A).abs().max()
growth_rates = {}
print("rho(W)   growth per step   growth over 40 steps")
for rho, style in [(0.8, "o-"), (1.0, "s--"), (1.2, "v-."), (1.5, "^:")]:
    W = A * (rho / rho_A)  # rescale so the spectral radius is rho
    norms = grad_norms_back_in_time(W)
    growth = (norms[T] / norms[T - 20]) ** (1 / 20)
    growth_rates[rho] = growth.item()
    print(f"{rho:6.1f}   {growth:15.3f}   {norms[T] / norms[0]:20.2e}")
    ax.semilogy(norms, style, markevery=5, ms=5, label=f"ρ(W) = {rho}")
ax.set_xlabel("steps back in time, k")
ax.set_ylabel("|dL/dh| at step T − k (log scale)")
ax.set_title(r"Backpropagating through $h_t = W\,h_{t-1}$")
ax.legend()
plt.show()
