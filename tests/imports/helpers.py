import csv
import random

import openpyxl

from spotcheck.directory.uscc import generate_uscc

ENTITY_HEADER = [
    "企业名称",
    "统一社会信用代码",
    "企业类型",
    "行业代码",
    "行政区划",
    "经营地址",
    "登记状态",
    "信用风险分类",
]


def valid_usccs(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [generate_uscc(rng) for _ in range(count)]


def entity_rows(usccs: list[str]) -> list[list[str]]:
    return [
        [f"北京测试{i}有限公司", code, "企业", "5212", "110101", f"东城区测试路{i}号", "存续", "B"]
        for i, code in enumerate(usccs)
    ]


def write_csv(path, rows, header=ENTITY_HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=ENTITY_HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_sheet(path, table, merges=()):
    """``table`` (rows of cells, "" for blank) as .xlsx or .xls by ``path``'s suffix, with
    ``merges`` as 0-based (first_row, first_col, last_row, last_col)."""
    from .xls_writer import write_xls

    if path.suffix == ".xls":
        write_xls(path, table, list(merges))
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    for row in table:
        sheet.append([None if cell == "" else cell for cell in row])
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)
    return path
