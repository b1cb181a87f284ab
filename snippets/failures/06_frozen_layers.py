import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(4, 8)
        self.scale = nn.Linear(8, 8)
        self.hidden = nn.Linear(8, 8)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        h = torch.relu(self.embed(x))  # (batch, 8)
        s = torch.sigmoid(self.scale(h)).detach()  # bug 2: detached branch
        z = torch.relu(self.hidden(h))  # (batch, 8)
        return self.head(z * s)


torch.manual_seed(0)
model = Net()
model.embed.requires_grad_(False)  # bug 1: left over from fine-tuning
with torch.no_grad():
    model.hidden.bias.fill_(-10.0)  # bug 3: every hidden ReLU is dead

x = torch.randn(32, 4)  # (32, 4)
loss = (model(x) ** 2).mean()
loss.backward()

for name, p in model.named_parameters():
    if p.grad is None:
        status = "None"
    elif p.grad.abs().max() == 0:
        status = "all zeros"
    else:
        status = f"norm {p.grad.norm():.2e}"
    print(f"{name:<14} requires_grad={p.requires_grad!s:<6} grad: {status}")
