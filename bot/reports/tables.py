"""The report as titled tables, written as a text table, CSV or an Excel workbook."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.reports.report import Report


def sections(report: Report) -> list[tuple[str, list[str], list[Sequence[object]]]]:
    """The report as titled tables: the same rows feed the text table, CSV and the workbook."""
    share = f"{100 * report.answered / report.total:.1f}%" if report.total else "-"
    summary: list[Sequence[object]] = [
        ("Periode", f"{report.start.isoformat()} s.d. {report.end.isoformat()}"),
        ("Pesan", report.total),
        ("Terjawab", f"{report.answered} ({share})"),
        ("Tidak terjawab (fallback/clarify)", report.unanswered_total),
    ]
    summary += [(f"Waktu respons p{round(p * 100)} (ms)", round(v)) for p, v in report.response_ms.items()]
    return [
        ("Ringkasan", ["Ukuran", "Nilai"], summary),
        ("Pesan per hari dan kanal", ["Tanggal", "Kanal", "Pesan", "Terjawab"], [
            (d.isoformat(), c, n, ok) for d, c, n, ok in report.per_day
        ]),
        ("Topik teratas", ["Topik", "Pesan"], list(report.topics)),
        ("Pertanyaan belum terjawab (dikelompokkan)", ["Jumlah", "Contoh pertanyaan", "Variasi lain"], [
            (g.count, g.example, " | ".join(f"{t} ({n})" for t, n in g.variants[1:4])) for g in report.unanswered
        ]),
        ("Apakah jawaban membantu?", ["Topik", "Ditanya", "👍", "👎", "% membantu"], [
            (i, n, y, no, f"{100 * y / (y + no):.0f}%" if y + no else "-") for i, n, y, no in report.helpfulness
        ]),
        ("Pesan per kelurahan (yang menyebutkan)", ["Kode kelurahan", "Pesan"], list(report.kelurahan)),
    ]  # fmt: skip


def render_table(report: Report) -> str:
    out = io.StringIO()
    for title, header, rows in sections(report):
        out.write(f"\n== {title} ==\n")
        table = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
        widths = [min(60, max(len(r[i]) for r in table)) for i in range(len(header))]
        for n, row in enumerate(table):
            out.write("  ".join(cell[:60].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n")
            if n == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
        if not rows:
            out.write("(tidak ada data)\n")
    return out.getvalue()


def write_csv(report: Report, sink: TextIO) -> None:
    """One CSV, sections one after another: a title row, a header row, the rows, a blank row."""
    writer = csv.writer(sink)
    for title, header, rows in sections(report):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])


def write_xlsx(report: Report, path: Path) -> None:
    """A workbook with one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sections(report):
        sheet = book.create_sheet(_sheet_name(title))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(70, max(10, width + 2))
    book.save(path)


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31]
