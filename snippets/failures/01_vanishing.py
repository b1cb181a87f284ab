# --8<-- [start:measure]
import matplotlib.pyplot as plt
import torch
from torch import nn

depth, width = 20, 32


def layer_grad_norms(act, init=None, residual=False, of="dL/dW"):
    torch.manual_seed(0)
    layers = [nn.Linear(width, width) for _ in range(depth)]
    if init is not None:
        for layer in layers:
            init(layer.weight)
            nn.init.zeros_(layer.bias)
    x = torch.randn(64, width)  # (batch, width)
    y = torch.randn(64, width)  # (batch, width)
    h = x
    inputs, zs = [], []
    for layer in layers:
        inputs.append(h)  # h_{l-1}, the layer's input
        zs.append(layer(h))  # z_l
        zs[-1].retain_grad()  # keep dL/dz_l after backward()
        h = h + act(zs[-1]) if residual else act(zs[-1])
    loss = ((h - y) ** 2).mean()
    loss.backward()
    tensors = {
        "dL/dW": [layer.weight.grad for layer in layers],
        "dL/dz": [z.grad for z in zs],
        "h": inputs,
        # the size of an update relative to the weights, without its lr
        "dL/dW / |W|": [
            layer.weight.grad / layer.weight.norm() for layer in layers
        ],
    }
    return [t.norm().item() for t in tensors[of]]


norms = layer_grad_norms(torch.sigmoid)
for i in (0, 4, 9, 14, 19):
    print(f"layer {i + 1:2d}: |dL/dW| = {norms[i]:.1e}")
print(f"layer 1 / layer 20: {norms[0] / norms[-1]:.1e}")
shrink = (norms[0] / norms[-1]) ** (1 / (depth - 1))
print(f"average shrink per layer: {shrink:.3f}")
# --8<-- [end:measure]


# --8<-- [start:fixes]
def he(w):
    return nn.init.kaiming_normal_(w, nonlinearity="relu")


setups = {
    "sigmoid": (torch.sigmoid, None, False),
    "sigmoid + Xavier": (torch.sigmoid, nn.init.xavier_normal_, False),
    "ReLU": (torch.relu, None, False),
    "ReLU + He": (torch.relu, he, False),
    "tanh + Xavier": (torch.tanh, nn.init.xavier_normal_, False),
    "sigmoid + residual": (torch.sigmoid, None, True),
}
results = {name: layer_grad_norms(*args) for name, args in setups.items()}
print(
    f"{'setup':<20}{'layer 1':>10}{'layer 20':>10}{'ratio':>10}"
    f"{'per layer':>12}"
)
per_layer = {}
for name, g in results.items():
    ratio = g[0] / g[-1]
    per_layer[name] = ratio ** (1 / (depth - 1))
    print(
        f"{name:<20}{g[0]:>10.1e}{g[-1]:>10.1e}{ratio:>10.1e}"
        f"{per_layer[name]:>12.3f}"
    )
# --8<-- [end:fixes]

# --8<-- [start:plot]
styles = ["-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1))]
markers = ["o", "s", "v", "^", "D", "x"]
fig, ax = plt.subplots(figsize=(4.0, 3.4))
layer_index = range(1, depth + 1)
for (name, g), ls, mk in zip(results.items(), styles, markers, strict=True):
    ax.semilogy(layer_index, g, linestyle=ls, marker=mk, ms=4, label=name)
ax.set_xlabel("layer (1 = nearest the input)")
ax.set_ylabel("gradient norm |dL/dW| (log scale)")
ax.set_title("Per-layer gradient norms\nin a 20-layer network")
ax.set_xticks([1, 5, 10, 15, 20])
ax.legend(fontsize=8, loc="lower right")
plt.show()
# --8<-- [end:plot]
