import textwrap

import torch

x = torch.tensor([0.3, 1.7, 0.9], requires_grad=True)
i = torch.argmax(x)
print(f"argmax: {i}, requires_grad={i.requires_grad}")
try:
    i.float().backward()
except RuntimeError as error:
    print(textwrap.fill(f"RuntimeError: {error}", 79))
print(f"(x > 1) requires_grad={(x > 1).float().requires_grad}")

torch.round(x).sum().backward()
print(f"gradient through round: {x.grad}")
