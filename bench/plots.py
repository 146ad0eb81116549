"""Plots from bench/results/*.json (matplotlib, PNG): ``python -m bench.plots``."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import BENCH, RESULTS


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def plot_scale(data: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = data["sizes"]
    xs = [s["lines"] for s in sizes]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, label, bar in ((a, "rss_mb", "idle RSS (MiB)", 150), (b, "start_to_ready_s", "start to ready (s)", 2.0)):
        med = [s[key]["median"] for s in sizes]
        lo = [s[key]["median"] - s[key]["min"] for s in sizes]
        hi = [s[key]["max"] - s[key]["median"] for s in sizes]
        ax.errorbar(xs, med, yerr=[lo, hi], marker="o", capsize=4, label="bot (median, range)")
        ax.axhline(bar, color="red", linestyle="--", linewidth=1, label=f"bar: {bar}")
        if key == "rss_mb":
            ax.axhline(1.2 * sizes[0][key]["median"], color="orange", linestyle=":", linewidth=1,
                       label=f"bar: 1.2 x RSS at {xs[0]:,} lines")
        ax.set_xscale("log")
        ax.set_xlabel("lines in the store")
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"renewal-bot at scale ({data['params']['reps']} starts per size)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_lateness(data: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    allv = []
    for r in data["runs"]:
        v = [x * 1000 for x in r["lateness_s"]]
        allv.extend(v)
        a.plot(sorted(v), [i / len(v) for i in range(1, len(v) + 1)], label=f"run {r['rep'] + 1}")
    a.set_xlim(left=0)
    a.set_xlabel("lateness (ms, origin_server_ts - due)")
    a.set_ylabel("fraction of pings")
    a.set_title("CDF per run (the bar, p99 <= 1000 ms, is off the scale)")
    a.grid(True, alpha=0.3)
    a.legend(fontsize=8)
    b.hist(allv, bins=40, color="tab:blue")
    b.set_xlabel("lateness (ms)")
    b.set_ylabel("pings")
    b.set_title(f"all runs: {len(allv)} pings")
    b.grid(True, alpha=0.3)
    fig.suptitle("Punctuality: each ping's lateness as the homeserver stamps it")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_burst(plain: dict[str, Any] | None, e2ee: dict[str, Any] | None, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [(n, d) for n, d in (("plain rooms", plain), ("encrypted rooms", e2ee)) if d]
    fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 4), squeeze=False)
    for ax, (name, d) in zip(axes[0], groups, strict=False):
        kinds = sorted({r["kind"] for r in d["runs"]}, key=lambda k: (k != "bot", k))
        for i, kind in enumerate(kinds):
            vals = [r["throughput"] for r in d["runs"] if r["kind"] == kind]
            ax.scatter([i] * len(vals), vals, zorder=3)
            ax.bar(i, sorted(vals)[len(vals) // 2], alpha=0.4)
        ax.set_xticks(range(len(kinds)), kinds)
        ax.set_ylabel("messages / s (to last origin_server_ts)")
        ax.set_title(f"{d['params']['n']} pings due at once, {name}")
        ax.set_ylim(bottom=0)
        ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main() -> int:
    made = []
    if (d := _load("scale")) is not None:
        plot_scale(d, BENCH / "scale.png")
        made.append("scale.png")
    if (d := _load("punctuality")) is not None:
        plot_lateness(d, BENCH / "lateness.png")
        made.append("lateness.png")
    plain, e2ee = _load("burst"), _load("burst-e2ee")
    if plain or e2ee:
        plot_burst(plain, e2ee, BENCH / "burst.png")
        made.append("burst.png")
    print("plotted:", ", ".join(made) or "nothing (no results yet)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
