# --8<-- [start:sweep]
import math

import numpy as np

a = 1.0
exact = math.cos(a)  # f = sin, so f'(1) = cos(1)
hs = 10.0 ** -np.arange(1, 21)  # (20,) steps 1e-1, 1e-2, ..., 1e-20


def complex_step(f, x, h):  # f must accept complex input
    return np.imag(f(x + 1j * h)) / h  # x + ih is complex128


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


cs_err = np.abs(complex_step(np.sin, a, hs) - exact) / exact  # (20,)
ctr_err = np.abs(central(np.sin, a, hs) - exact) / exact  # (20,)
print("     h  complex step  central")
for h, e_cs, e_ctr in zip(hs, cs_err, ctr_err, strict=True):
    if round(np.log10(h)) % 2 == 0:  # every other step
        print(f"{h:6.0e} {e_cs:13.1e} {e_ctr:8.1e}")
print(
    f"best relative error: complex step {cs_err.min():.1e}, "
    f"central {ctr_err.min():.1e}"
)
print(f"complex step at h = 1e-20: {complex_step(np.sin, a, 1e-20)}")
print(f"cos(1):                    {exact}")
# --8<-- [end:sweep]


# --8<-- [start:fails]
import warnings


def relu(x):
    return max(0.0, x)


x = -0.5  # |x| has slope -1 here, ReLU slope 0
print(
    f"np.abs:   complex step {complex_step(np.abs, x, 1e-20)}, "
    f"central {central(np.abs, x, 1e-5):.6f}"
)
try:
    complex_step(relu, x, 1e-20)
except TypeError as error:
    print(f"relu:     TypeError: {error}")

x_np = np.float64(x)  # a NumPy float: x_np + ih is np.complex128
print(f"relu, NumPy input: complex step {complex_step(relu, x_np, 1e-20)}")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    dropped = complex_step(math.sin, x_np, 1e-20)  # math.sin calls float
print(
    f"math.sin, NumPy input: complex step {dropped} "
    f"({caught[0].category.__name__}), cos(x) = {math.cos(x):.4f}"
)


def abs_safe(x):  # the same |x| for real x, written without np.abs
    return np.where(np.real(x) < 0, -x, x)


print(f"abs_safe: complex step {complex_step(abs_safe, x, 1e-20)}")
# --8<-- [end:fails]
