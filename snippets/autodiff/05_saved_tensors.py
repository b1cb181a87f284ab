import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(256, 512),
    nn.ReLU(),
    nn.Linear(512, 512),
    nn.ReLU(),
    nn.Linear(512, 10),
)
param_storages = {p.untyped_storage().data_ptr() for p in model.parameters()}
param_mb = sum(p.numel() * p.element_size() for p in model.parameters()) / 1e6


def saved_by_forward(batch, mode):
    saved = []

    def pack(t):  # autograd calls this for every tensor it keeps
        saved.append(t)
        return t

    x = torch.randn(batch, 256)  # (batch, 256)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), mode():
        model(x).square().mean()  # forward only: no backward needed
    # the same storage can be saved twice (ReLU's output is also the
    # next Linear's input); weights are kept too but cost nothing extra
    activations = {
        t.untyped_storage().data_ptr(): t.untyped_storage().nbytes()
        for t in saved
        if t.untyped_storage().data_ptr() not in param_storages
    }
    return len(saved), sum(activations.values()) / 1e6


print(f"parameters: {param_mb:.2f} MB")
print("batch | saved, grad on | activations (MB) | no_grad | inference_mode")
for batch in [1, 64, 256, 1024]:
    count, mb = saved_by_forward(batch, torch.enable_grad)
    off = saved_by_forward(batch, torch.no_grad)[0]
    inference = saved_by_forward(batch, torch.inference_mode)[0]
    print(
        f"{batch:>5} | {count:>14} | {mb:>16.3f} | {off:>7} | {inference:>14}"
    )
