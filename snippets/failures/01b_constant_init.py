# --8<-- [start:symmetry]
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
x, t = torch.randn(64, 3), torch.randn(64, 1)  # (64, 3), (64, 1)
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
for p in model.parameters():
    nn.init.constant_(p, 0.1)  # every weight and bias the same
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(200):
    loss = F.mse_loss(model(x), t)
    opt.zero_grad()
    loss.backward()
    dL_dW1 = model[0].weight.grad  # (8, 3): row j belongs to hidden unit j
    assert (dL_dW1 == dL_dW1[0]).all()  # every unit, the same gradient
    opt.step()

rows = model[0].weight.detach()  # (8, 3), one row per unit
assert (rows == rows[0]).all()  # the 8 hidden units are still one unit
print(f"loss after 200 steps: {loss.item():.4f}")
row = ", ".join(f"{v:.4f}" for v in rows[0])
print(f"every first-layer row: ({row})")
# --8<-- [end:symmetry]
