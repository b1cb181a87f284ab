import textwrap

import torch

x = torch.tensor([1.0, -3.0, 3.0], requires_grad=True)
s = torch.sigmoid(x)  # saved for the backward pass
s[s < 0.1] = 0.0  # in place: zero out small activations
try:
    s.sum().backward()
except RuntimeError as error:
    print(textwrap.fill(f"RuntimeError: {error}", 79))
