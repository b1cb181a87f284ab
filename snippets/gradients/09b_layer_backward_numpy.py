import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def identity(z):
    return z


def identity_prime(z):
    return np.ones_like(z)


# chapter 3's lab network: 2 inputs, 2 sigmoid units, 1 linear output
W1 = np.array([[0.4, -0.7], [0.9, 0.3]])  # (2, 2)
b1 = np.array([0.1, -0.2])  # (2,)
W2 = np.array([[1.1, -0.6]])  # (1, 2)
b2 = np.array([0.05])  # (1,)
layers = [  # (W_l, b_l, σ, σ') for each layer
    (W1, b1, sigmoid, sigmoid_prime),
    (W2, b2, identity, identity_prime),
]
x = np.array([1.0, 2.0])  # (2,)
y = np.array([0.3])  # (1,) the target


def forward(layers, x):
    hs, zs = [x], []  # keep every h_l and z_l: backward needs them
    for W, b, act, _ in layers:
        zs.append(W @ hs[-1] + b)  # z_l = W_l h_{l-1} + b_l
        hs.append(act(zs[-1]))  # h_l = σ(z_l)
    return hs, zs


def backward(layers, hs, zs, dL_dh):  # dL_dh: δ at the last layer
    grads = []
    for k in reversed(range(len(layers))):  # layer l = k + 1
        W, _, _, act_prime = layers[k]
        dL_dz = act_prime(zs[k]) * dL_dh  # σ'(z_l) ⊙ δ_l, no diag
        dL_dW = np.outer(dL_dz, hs[k])  # (σ'(z_l) ⊙ δ_l) h_{l-1}ᵀ
        grads.insert(0, (dL_dW, dL_dz))  # (∂L/∂W_l, ∂L/∂b_l)
        dL_dh = W.T @ dL_dz  # δ_{l-1} = W_lᵀ (σ'(z_l) ⊙ δ_l)
    return grads, dL_dh  # dL_dh is now ∂L/∂x


hs, zs = forward(layers, x)
loss = np.sum((hs[-1] - y) ** 2)
grads, dL_dx = backward(layers, hs, zs, 2 * (hs[-1] - y))
print(f"loss = {loss:.8f}")
for k, (dL_dW, dL_db) in enumerate(grads, start=1):
    print(f"dL/dW{k} =\n{dL_dW}\ndL/db{k} = {dL_db}")
print(f"dL/dx  = {dL_dx}")
