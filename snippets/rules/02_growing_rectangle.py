import matplotlib.pyplot as plt
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

f, g = 3.0, 2.0  # the sides at x
df, dg = 0.8, 0.6  # how much each side grows when x grows by h

fig, ax = plt.subplots(figsize=(5.0, 3.6))
pieces = [
    # (corner, width, height, hatch, colour, label)
    ((0, 0), f, g, "", "none", "f · g\n(the old area)"),
    ((0, g), f, dg, "//", "tab:blue", "f · Δg"),
    ((f, 0), df, g, "\\\\", "tab:orange", "g · Δf"),
    ((f, g), df, dg, "xx", "tab:red", "Δf · Δg"),
]
for corner, width, height, hatch, colour, label in pieces:
    face = to_rgba(colour, alpha=0.35)
    ax.add_patch(
        Rectangle(
            corner,
            width,
            height,
            facecolor=face,
            edgecolor="black",
            hatch=hatch,
        )
    )
    ax.text(
        corner[0] + width / 2,
        corner[1] + height / 2,
        label,
        ha="center",
        va="center",
        backgroundcolor="white",
    )
arrow = {"arrowstyle": "<->"}
for start, length, label in [(0, f, "f(x)"), (f, df, "Δf")]:
    ax.annotate("", (start, -0.25), (start + length, -0.25), arrowprops=arrow)
    ax.text(start + length / 2, -0.4, label, ha="center", va="top")
for start, length, label in [(0, g, "g(x)"), (g, dg, "Δg")]:
    ax.annotate("", (-0.25, start), (-0.25, start + length), arrowprops=arrow)
    ax.text(-0.4, start + length / 2, label, ha="right", va="center")
ax.set(
    xlim=(-1.2, f + df + 0.2),
    ylim=(-0.8, g + dg + 0.2),
    aspect="equal",
    title="The area f·g grows by two strips and a corner",
)
ax.set_axis_off()
plt.show()
