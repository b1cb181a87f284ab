# --8<-- [start:symptom]
import re
import warnings

import torch

torch.manual_seed(0)
points = torch.randn(5, 2, requires_grad=True)  # (5, 2)
off_diagonal = 1 - torch.eye(5)  # (5, 5), masks out distance to itself


def spread_loss(p):
    diff = p[:, None, :] - p[None, :, :]  # (5, 5, 2)
    dist = torch.sqrt((diff**2).sum(dim=-1))  # (5, 5)
    return -(dist * off_diagonal).sum() / off_diagonal.sum()


loss = spread_loss(points)
loss.backward()
print(f"loss = {loss.item():.4f}")
print(f"NaNs in points.grad: {points.grad.isnan().sum().item()} of 10")
# --8<-- [end:symptom]


# --8<-- [start:anomaly]
def forward_line(message):
    # the innermost frame of the forward traceback outside torch, no paths
    frames = re.findall(r'File "(.*)", line \d+, in (\S+)\n\s*(.+)', message)
    ours = [(fn, code) for path, fn, code in frames if "torch" not in path]
    function, code = ours[-1]
    return f"in {function}: {code.split('#')[0].strip()}"


def run_in_anomaly_mode(step):
    # print the error anomaly mode raises, and the forward line it blames
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with torch.autograd.detect_anomaly():
                step()
        except RuntimeError as error:
            print(f"RuntimeError: {error}")
    for warning in caught:
        text = str(warning.message)
        if "Traceback of forward call" in text:
            first_line = text.splitlines()[0].replace(". ", ".\n", 1)
            print(f"{warning.category.__name__}: {first_line}")
            print(f"    {forward_line(text)}")


points.grad = None
run_in_anomaly_mode(lambda: spread_loss(points).backward())
# --8<-- [end:anomaly]


# --8<-- [start:fix]
def spread_loss_fixed(p):
    diff = p[:, None, :] - p[None, :, :]  # (5, 5, 2)
    dist = torch.linalg.vector_norm(diff, dim=-1)  # (5, 5), grad 0 at 0
    return -(dist * off_diagonal).sum() / off_diagonal.sum()


points.grad = None
loss_fixed = spread_loss_fixed(points)
loss_fixed.backward()
print(f"loss = {loss_fixed.item():.4f}")
print(f"NaNs in points.grad: {points.grad.isnan().sum().item()} of 10")
# --8<-- [end:fix]


# --8<-- [start:blind]
x = torch.tensor([0.0, 4.0], requires_grad=True)
run_in_anomaly_mode(lambda: torch.sqrt(x).sum().backward())
print(f"an inf gradient raises nothing: x.grad = {x.grad.tolist()}\n")

w = torch.tensor([-1.0, 2.0], requires_grad=True)


def nan_in_forward():
    y = torch.log(w)  # log(-1) is nan: the forward pass makes the nan
    loss = (y * y).mean()
    loss.backward()


run_in_anomaly_mode(nan_in_forward)
# --8<-- [end:blind]


# --8<-- [start:hooks]
class Log(torch.nn.Module):
    def forward(self, x):
        return torch.log(x)


def raise_if_not_finite(name):
    def hook(module, inputs, output):
        if not torch.isfinite(output).all():
            raise RuntimeError(f"non-finite output from {name!r}: {module}")

    return hook


torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(3, 4), Log(), torch.nn.Linear(4, 1)
)
for name, module in model.named_modules():
    module.register_forward_hook(raise_if_not_finite(name))
try:
    model(torch.randn(8, 3))
except RuntimeError as error:
    print(f"RuntimeError: {error}")
# --8<-- [end:hooks]
