# %% [markdown]
# # Lab 1: nudge and measure
#
# The forward difference $\frac{f(a + h) - f(a)}{h}$ approaches $f'(a)$.

# %%
def f(x):
    return x**2 / 4


for h in [1.0, 0.1, 0.01, 0.001]:
    print(h, (f(1 + h) - f(1)) / h)
