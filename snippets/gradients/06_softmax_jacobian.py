import torch
from torch.autograd.functional import hessian
from torch.func import jacrev

torch.set_printoptions(precision=4)
z = torch.tensor([1.0, 2.0, 0.5, -1.0], dtype=torch.float64)  # (4,)
s = torch.softmax(z, dim=0)  # (4,)

# --8<-- [start:by_hand]
J_hand = torch.diag(s) - torch.outer(s, s)  # (4, 4): s_i([i = j] - s_j)
J_auto = jacrev(lambda z: torch.softmax(z, dim=0))(z)  # (4, 4)
print(f"s = {s}")
print(f"J has shape {tuple(J_auto.shape)}")
print(J_auto)
print(f"max |J_hand - J_auto| = {(J_hand - J_auto).abs().max():.1e}")
print(f"largest |row sum|    = {J_auto.sum(dim=1).abs().max():.1e}")
print(f"largest |column sum| = {J_auto.sum(dim=0).abs().max():.1e}")
# --8<-- [end:by_hand]
assert torch.allclose(J_hand, J_auto, atol=1e-15)
assert torch.allclose(J_auto, J_auto.T)
assert J_auto.sum(dim=1).abs().max() < 1e-15
assert J_auto.sum(dim=0).abs().max() < 1e-15
# symmetric because softmax is the gradient of logsumexp: J is its Hessian
H_lse = hessian(lambda z: torch.logsumexp(z, dim=0), z)  # (4, 4)
assert torch.allclose(J_auto, H_lse, rtol=0, atol=1e-15)
