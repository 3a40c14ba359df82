"""Statistics as CSV or an Excel workbook, the way officers take figures into their own reports."""

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from pydantic import BaseModel

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(rows: Sequence[BaseModel], model: type[BaseModel]) -> tuple[list[str], list[list[object]]]:
    header = list(model.model_fields)
    return header, [[getattr(row, name) for name in header] for row in rows]


def to_csv(header: list[str], rows: list[list[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese port and party names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None, "a new workbook has one sheet"
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
