import math

import numpy as np

# The setup of 06c_complex_step.py; on the page this block continues that
# one, so this part is not shown there.
a = 1.0
exact = math.cos(a)  # f = sin, so f'(1) = cos(1)


def complex_step(f, x, h):
    return np.imag(f(x + 1j * h)) / h


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


# --8<-- [start:plot]
import matplotlib.pyplot as plt

h_grid = 10.0 ** np.linspace(-20, 0, 101)  # (101,) from 1e-20 to 1
estimates = {
    "forward": (np.sin(a + h_grid) - np.sin(a)) / h_grid,
    "central": central(np.sin, a, h_grid),
    "complex step": complex_step(np.sin, a, h_grid),
}
rel_err = {name: np.abs(d - exact) / exact for name, d in estimates.items()}
cs, ctr = rel_err["complex step"], rel_err["central"]
close = np.abs(cs / ctr - 1) < 0.01  # (101,) within 1% of each other
lo = hi = np.argmin(np.abs(h_grid - 1e-2))  # widen the run around 1e-2
while close[lo - 1]:
    lo -= 1
while close[hi + 1]:
    hi += 1
print(
    f"complex step within 1% of central: h = {h_grid[lo]:.1e} "
    f"to {h_grid[hi]:.1e}"
)
tiny = h_grid <= 1e-8
print(
    f"complex step for h <= 1e-8: largest error {cs[tiny].max():.1e}, "
    f"exactly 0 at {np.sum(cs[tiny] == 0)} of {tiny.sum()} steps"
)

fig, ax = plt.subplots(figsize=(4.0, 3.4))  # fits a phone unscrolled
styles = [("-o", "black"), ("--s", "tab:blue"), (":^", "tab:orange")]
for (name, err), (fmt, colour) in zip(rel_err.items(), styles, strict=True):
    error = np.maximum(err, 1e-18)  # an error of 0 is drawn at 1e-18
    ax.loglog(h_grid, error, fmt, color=colour, markersize=3, label=name)
ax.set(xlabel="step size h", ylabel="relative error", ylim=(3e-19, 3))
ax.set_xticks(10.0 ** np.arange(-20, 1, 5))  # every 5th power of 10
ax.set_yticks(10.0 ** np.arange(-18, 1, 3))
ax.set_title("sin′(1) in float64 (0 drawn at 1e-18)")
ax.legend(loc="center left")
plt.show()
# --8<-- [end:plot]
