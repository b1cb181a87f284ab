import math

import numpy as np

eps = np.finfo(np.float64).eps
a = 1000.0
f_a, df_a = abs(math.sin(a)), abs(math.cos(a))  # |f(a)|, |f'(a)|


def rel(estimate):
    return abs(estimate - math.cos(a)) / df_a


print(f"{'h':>6} {'error':>8} {'f only':>8} {'with a+h':>8} {'true step':>9}")
for h in [1e-4, 1e-6, 1e-8, 1e-10]:
    forward = (math.sin(a + h) - math.sin(a)) / h
    taken = (a + h) - a  # the step actually taken: exact in float64
    true_step = (math.sin(a + h) - math.sin(a)) / taken
    # the error model, relative: truncation and rounding of f, then
    # also the rounding of a + h (|f''| = |f| for sin)
    f_only = (f_a * h / 2 + 2 * eps * f_a / h) / df_a
    with_a = f_only + eps * abs(a) / (2 * h)
    print(
        f"{h:6.0e} {rel(forward):8.1e} {f_only:8.1e} {with_a:8.1e} "
        f"{rel(true_step):9.1e}"
    )

cbrt_eps = np.cbrt(eps)
central_errors = {}  # relative errors with the unscaled and scaled h
for name, f, df, x in [
    ("ln x at 1e6", math.log, lambda x: 1 / x, 1e6),
    ("x³ at 1e6", lambda x: x**3, lambda x: 3 * x**2, 1e6),
    ("sin x at 1000", math.sin, math.cos, 1000.0),
]:
    errors = []
    for h in [cbrt_eps, cbrt_eps * max(1.0, abs(x))]:
        central = (f(x + h) - f(x - h)) / (2 * h)
        errors.append(abs(central - df(x)) / abs(df(x)))
    h = cbrt_eps  # unscaled again, divided by the true step (x+h)-(x-h)
    central = (f(x + h) - f(x - h)) / ((x + h) - (x - h))
    errors.append(abs(central - df(x)) / abs(df(x)))
    central_errors[name] = errors
    print(
        f"{name}: h = cbrt(eps) {errors[0]:.1e}, "
        f"h = cbrt(eps)*|a| {errors[1]:.1e}, true step {errors[2]:.1e}"
    )
