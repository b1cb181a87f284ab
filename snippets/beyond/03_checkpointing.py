# --8<-- [start:measure]
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

n_layers, width, batch = 64, 64, 32
calls = {"forward": 0}


class Block(nn.Module):  # one layer that counts how often it runs
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(width, width)

    def forward(self, h):
        calls["forward"] += 1
        return torch.tanh(self.linear(h))


torch.manual_seed(0)
blocks = nn.ModuleList(Block() for _ in range(n_layers))
params = {p.untyped_storage().data_ptr() for p in blocks.parameters()}
x = torch.randn(batch, width)  # (batch, width)


def run(h, first, last):  # blocks first .. last - 1, as one segment
    for block in blocks[first:last]:
        h = block(h)
    return h


def forward(seg):  # seg = 0: no checkpointing; else segments of seg layers
    h = x
    if seg == 0:
        return run(h, 0, n_layers)
    for first in range(0, n_layers, seg):
        h = checkpoint(run, h, first, first + seg, use_reentrant=False)
    return h


def activation_kb(fn, skip=()):  # saved tensors, not weights, in KB
    saved = {}

    def pack(t):
        ptr = t.untyped_storage().data_ptr()
        if ptr not in params and ptr not in skip:  # weights are kept anyway
            saved[ptr] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn()
    return out, sum(saved.values()) / 1e3


table = {}
print("segment | kept after | recomputed | worst |  forward | same")
print("  size  | forward KB | segment KB |   KB  |   calls  | grads")
for seg in [0, 1, 2, 4, 8, 16, 32, 64]:
    blocks.zero_grad()
    calls["forward"] = 0
    out, kept = activation_kb(lambda seg=seg: forward(seg))
    out.square().mean().backward()
    grads = torch.cat([p.grad.flatten() for p in blocks.parameters()])
    forward_calls = calls["forward"]
    if seg == 0:
        plain_grads = grads
    # what one segment holds while it is recomputed during backward
    h_in = torch.randn(batch, width, requires_grad=True)
    h_ptr = {h_in.untyped_storage().data_ptr()}  # kept already, above
    _, segment = activation_kb(lambda s=seg, h=h_in: run(h, 0, s), h_ptr)
    worst = kept + segment
    table[seg] = (kept, segment, worst, forward_calls)
    same = torch.equal(grads, plain_grads)
    print(
        f"{seg or 'none':>7} | {kept:>10.0f} | {segment:>10.0f} | "
        f"{worst:>5.0f} | {forward_calls:>8} | {same}"
    )
# --8<-- [end:measure]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

segs = [s for s in table if s]
fig, ax = plt.subplots(figsize=(5.0, 3.8))
ax.plot(segs, [table[s][0] for s in segs], "o--", label="kept after forward")
ax.plot(segs, [table[s][1] for s in segs], "s:", label="recomputed segment")
ax.plot(segs, [table[s][2] for s in segs], "^-", label="worst moment (sum)")
ax.axhline(table[0][0], color="gray", ls="-.", label="no checkpointing")
ax.set_xscale("log", base=2)
ax.set_xticks(segs, labels=[str(s) for s in segs])
ax.set_ylim(0, 900)  # room for the legend above the curves
ax.set_xlabel("layers per segment (64 layers in all)")
ax.set_ylabel("activations kept (KB)")
ax.set_title("Checkpointing 64 layers:\nmemory against segment size")
ax.legend(loc="upper center", ncol=2, fontsize=10)
plt.show()
# --8<-- [end:plot]
