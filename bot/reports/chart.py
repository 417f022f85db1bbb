"""The report's PNG chart for the monthly meeting (matplotlib, loaded only when asked for)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.reports.report import Report

_CHANNEL_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "console": "Konsol"}


def write_chart(report: Report, path: Path, office: str = "") -> None:
    """A PNG for the monthly report: messages per day by channel, answered share, and the top topics."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    days = [report.start + timedelta(days=i) for i in range((report.end - report.start).days + 1)]
    per = {(d, c): (n, ok) for d, c, n, ok in report.per_day}
    fig, (top_ax, bottom_ax) = plt.subplots(2, 1, figsize=(11, 9), gridspec_kw={"height_ratios": [3, 2]})
    bottom = [0] * len(days)
    for channel in report.channels:
        values = [per.get((d, channel), (0, 0))[0] for d in days]
        top_ax.bar(days, values, bottom=bottom, label=_CHANNEL_NAMES.get(channel, channel), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    top_ax.set_ylabel("Pesan per hari")
    title = f"Pertanyaan warga {report.start:%d/%m/%Y}–{report.end:%d/%m/%Y}"
    top_ax.set_title(f"{title} ({office})" if office else title, fontsize=13)
    top_ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    top_ax.grid(axis="y", alpha=0.3)
    share_ax = top_ax.twinx()
    shares = []
    for d in days:
        n = sum(per.get((d, c), (0, 0))[0] for c in report.channels)
        ok = sum(per.get((d, c), (0, 0))[1] for c in report.channels)
        shares.append(100 * ok / n if n else float("nan"))
    share_ax.plot(days, shares, color="black", marker=".", linewidth=1.5, label="% terjawab")
    share_ax.set_ylim(0, 105)
    share_ax.set_ylabel("% terjawab")
    handles = top_ax.get_legend_handles_labels()[0] + share_ax.get_legend_handles_labels()[0]
    labels = top_ax.get_legend_handles_labels()[1] + share_ax.get_legend_handles_labels()[1]
    top_ax.set_ylim(0, max([*bottom, 1]) * 1.25)  # headroom for the legend
    top_ax.legend(handles, labels, loc="upper left", ncol=len(labels), fontsize=9, framealpha=0.9)

    topics = list(reversed(report.topics[:10]))
    bottom_ax.barh([t for t, _n in topics], [n for _t, n in topics], color="#2e7d32")
    bottom_ax.set_title("Topik teratas", fontsize=12)
    bottom_ax.set_xlabel("Pesan")
    for i, (_t, n) in enumerate(topics):
        bottom_ax.text(n, i, f" {n}", va="center", fontsize=9)
    bottom_ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
