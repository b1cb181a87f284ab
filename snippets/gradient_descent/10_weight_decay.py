import torch
from torch.optim import Adam, AdamW

# --8<-- [start:penalty]
torch.manual_seed(0)
W = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)  # (3, 2)
lam = 0.01
penalty = lam * torch.sum(W**2)  # lambda * ||W||^2
(dP_dW,) = torch.autograd.grad(penalty, W)  # (3, 2), shaped like W
print(
    f"largest |autograd - 2 lambda W|: {(dP_dW - 2 * lam * W).abs().max():.1e}"
)
assert torch.allclose(dP_dW, 2 * lam * W, rtol=1e-15, atol=0)
# --8<-- [end:penalty]

# --8<-- [start:step]
lr, wd, eps = 0.1, 0.1, 1e-8
data_grad = torch.tensor([1.0, -0.05], dtype=torch.float64)  # (2,)


def one_step(make_optimizer):  # one step from w = (1, 1), fresh state
    w = torch.ones(2, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([w])
    loss = data_grad @ w  # a loss whose gradient is data_grad
    loss.backward()
    optimizer.step()
    return w.detach()


plain = one_step(lambda p: Adam(p, lr=lr, eps=eps))
coupled = one_step(lambda p: Adam(p, lr=lr, eps=eps, weight_decay=wd))
decoupled = one_step(lambda p: AdamW(p, lr=lr, eps=eps, weight_decay=wd))
print("weight  data grad   Adam  Adam(weight_decay)   AdamW")
for i in range(2):
    print(
        f"{i:6}  {data_grad[i]:9.2f}  {plain[i]:5.3f}  "
        f"{coupled[i]:18.3f}  {decoupled[i]:6.3f}"
    )
for name, w in [("coupled", coupled), ("decoupled", decoupled)]:
    share = (w - plain).tolist()  # what the decay added to the step
    print(f"decay's share, {name:9}: {share[0]:+.3f}, {share[1]:+.3f}")

# the same two updates by hand (first step: m_hat = g, s_hat = g^2)
w0 = torch.ones(2, dtype=torch.float64)
g = data_grad + wd * w0  # coupled: the decay joins the gradient ...
by_hand_coupled = w0 - lr * g / (g.abs() + eps)  # ... and is rescaled
by_hand_decoupled = (  # decoupled: shrink w apart from Adam's step
    w0 * (1 - lr * wd) - lr * data_grad / (data_grad.abs() + eps)
)
assert torch.allclose(coupled, by_hand_coupled, rtol=0, atol=1e-15)
assert torch.allclose(decoupled, by_hand_decoupled, rtol=0, atol=1e-15)
# --8<-- [end:step]
