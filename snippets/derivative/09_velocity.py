import numpy as np


def position(t):
    return 20 * t - 4.9 * t**2  # metres, a ball thrown up at 20 m/s


def velocity(t):
    return 20 - 9.8 * t  # metres per second: the derivative of position


dt = 0.1
t = np.linspace(0, 4, 41)  # (41,) times of the measurements, dt apart
s = position(t)  # (41,) what a sensor would record
v = np.gradient(s, dt)  # central differences inside, one-sided at the ends

for i in [0, 10, 20, 30, 40]:
    print(
        f"t = {t[i]:.1f} s: s = {s[i]:6.2f} m, estimated v = "
        f"{v[i]:6.2f} m/s, exact v = {velocity(t[i]):6.2f} m/s"
    )
inside = np.max(np.abs(v[1:-1] - velocity(t[1:-1])))
print(f"largest error inside: {inside:.1e} m/s")
v2 = np.gradient(s, dt, edge_order=2)  # 3-sample one-sided ends
print(f"edge_order=2 at the ends: {v2[0]:.2f} and {v2[-1]:.2f} m/s")
i = np.flatnonzero(v < 0)[0]  # first sample moving down
top = t[i - 1] + dt * v[i - 1] / (v[i - 1] - v[i])
print(
    f"velocity changes sign near t = {top:.3f} s "
    f"(exact 20 / 9.8 = {20 / 9.8:.3f} s)"
)
