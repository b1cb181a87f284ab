import numpy as np


def profit(p):
    return (p - 10) * (1000 - 20 * p)  # margin times units sold


def dprofit_dp(p, h=1e-5):
    return (profit(p + h) - profit(p - h)) / (2 * h)


low, high = 10.0, 50.0  # dprofit_dp(low) > 0 > dprofit_dp(high)
for _ in range(50):
    mid = (low + high) / 2
    if dprofit_dp(mid) > 0:
        low = mid
    else:
        high = mid
print(f"P'(p) = 0 at p = {mid:.6f} (bisection on the slope)")

prices = np.linspace(10, 50, 4001)  # (4001,) every cent
best = prices[np.argmax(profit(prices))]
print(f"grid search: best price {best:.2f}, profit {profit(best):.2f}")
for p in [29.0, 30.0, 31.0]:
    print(f"p = {p}: profit {profit(p):8.2f}, slope {dprofit_dp(p):8.3f}")
