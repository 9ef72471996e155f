"""Writes the registry-export fixtures of docs/import.md (fixed content, no randomness):

- registry_gbk.csv   GB18030 (as Excel saves CSV on Chinese Windows): two banner rows above the
                     header, a serial-number column, full-width digits and spaces, a duplicated
                     firm, an invalid credit code, an unknown city, a foreign-currency capital,
                     an industry without a code, and two note rows below the records.
- registry.xlsx      the same firms as an XLSX sheet `企业名单` with a banner row (openpyxl 3.1.5).
- map.toml           a mapping file for that workbook (its sheet, and the industry without a code),
                     the yearbook's indicators and units.
- yearbook.csv       UTF-8 with BOM: a yearbook table with a title, a two-row (merged) header with
                     units in brackets, full-width spaces in a region name, a section row and
                     footnotes (values illustrative, not official statistics).
- purchases.csv      UTF-16LE with BOM: an ERP purchase export (buyer, supplier, codes, product,
                     amount in 元, invoice date) with a banner, two years, an unknown buyer and a
                     total row.

    python3 -m pip install openpyxl==3.1.5
    python3 examples/import/make_fixtures.py

Credit codes are made up but valid (GB 32100-2015 check character and GB 11714 organisation
code check computed below); firm names are invented.
"""
import csv
import io
import os

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org(body8):
    w = [3, 7, 9, 10, 5, 8, 4, 2]
    v = lambda ch: int(ch) if ch.isdigit() else ord(ch) - 55
    c = 11 - sum(v(ch) * x for ch, x in zip(body8, w)) % 11
    return body8 + ("X" if c == 10 else "0" if c == 11 else str(c))


def uscc(division, body8):
    first = "91" + division + org(body8)
    s = sum(A.index(ch) * pow(3, i, 31) for i, ch in enumerate(first))
    return first + A[(31 - s % 31) % 31]


def full_width(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


C1 = uscc("330206", "MA2CK1E1")
C2 = uscc("330106", "70428316")
C3 = uscc("331002", "MA28G5TW")
C4 = uscc("310115", "MA1FL3QD")
C5 = uscc("330402", "MA29J7UK")
C6 = uscc("330108", "MA27WQ2B")
BAD = C6[:17] + ("0" if C6[17] != "0" else "1")  # wrong check character

HEADER = ["序号", "企业名称", "统一社会信用代码", "成立日期", "注册资本", "所属行业",
          "所属省份", "所属城市", "注册地址", "参保人数"]
ROWS = [
    [1, "宁波新能特钢有限公司", C1, "2008-05-12", "5000万人民币", "C3130 钢压延加工", "浙江省", "宁波市", "浙江省宁波市北仑区新碶街道 8 号", "1488"],
    [2, "杭州嘉禾特钢有限公司", full_width(C2), "2011/3/2", "1,200万元", "C31", "浙江", "杭州", "", "１１６３"],
    [3, "台州星辰电池有限公司", C3, "2015年6月1日", "3亿元", "C3841 锂离子电池制造", "", "", "浙江省台州市椒江区海门街道 1 号", "820"],
    [4, "宁波新能特钢有限公司", C1, "2008-05-12", "5000万人民币", "C3130 钢压延加工", "浙江省", "宁波市", "", ""],
    [5, "杭州无效代码有限公司", BAD, "2019-01-01", "100万元", "C3670", "浙江省", "杭州市", "", "12"],
    [6, "杭州笔误城市有限公司", C6, "2019-02-02", "100万元", "C3670", "浙江省", "杭洲市", "", "15"],
    [7, "上海芯动半导体有限公司", C4, "2016-09-09", "800万美元", "C3973 集成电路制造", "上海市", "上海市", "上海市浦东新区张江路 3 号", "300"],
    [8, "嘉兴恒通汽车零部件有限公司", C5, "2012-12-12", "　2000　万元", "汽车零部件", "浙江省", "嘉兴市", "", "240"],
]


def write_csv():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["浙江省新能源汽车产业链企业名单（导出）"] + [""] * 9)
    w.writerow(["导出时间：2026-11-30", "", "", "", "", "", "", "", "", ""])
    w.writerow(HEADER)
    w.writerows(ROWS)
    w.writerow([""] * 10)
    w.writerow(["注：参保人数为企业最新年报数据。"] + [""] * 9)
    w.writerow(["数据来源：企业信用信息公示系统导出，仅作示例。"] + [""] * 9)
    with open(os.path.join(HERE, "registry_gbk.csv"), "wb") as f:
        f.write(out.getvalue().encode("gb18030"))


def write_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业名单"
    ws.append(["新能源汽车产业链企业名单"])
    ws.merge_cells("A1:J1")
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    ws.append([])
    ws.append(["注：示例数据。"])
    wb.save(os.path.join(HERE, "registry.xlsx"))


def write_yearbook():
    rows = [
        ["2022年各市主要经济指标", "", "", ""],
        ["地区", "地区生产总值", "年末常住人口", "研发经费投入强度"],
        ["", "（亿元）", "（万人）", "（%）"],
        ["杭州市", "18,753", "1237.6", "3.86"],
        ["宁　波", "15,704", "961.8", "3.0"],
        ["浙南地区", "", "", ""],
        ["台州市", "6,041", "668.1", "…"],
        ["注：地区生产总值按当年价格计算；数值为示意。", "", "", ""],
        ["资料来源：示例统计年鉴2023。", "", "", ""],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    with open(os.path.join(HERE, "yearbook.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def write_purchases():
    rows = [
        ["采购明细（ERP 导出，2022-2023）", "", "", "", "", "", ""],
        ["采购方", "采购方信用代码", "供应商", "供应商信用代码", "物料名称", "金额（元）", "开票日期"],
        ["台州星辰电池有限公司", C3, "宁波新能特钢有限公司", C1, "钢材", "1,250,000.00", "2023-02-11"],
        ["台州星辰电池有限公司", C3, "宁波新能特钢有限公司", C1, "钢材", "980000", "2023-08-20"],
        ["台州星辰电池有限公司", C3, "上海芯动半导体有限公司", "", "芯片", "3,400,000", "2023-05-05"],
        ["嘉兴恒通汽车零部件有限公司", "", "杭州嘉禾特钢有限公司", "", "钢材", "560000", "2023-04-01"],
        ["台州星辰电池有限公司", C3, "宁波新能特钢有限公司", C1, "钢材", "700000", "2022-11-30"],
        ["杭州未知整车有限公司", "", "台州星辰电池有限公司", "", "电芯", "9000000", "2023-06-06"],
        ["合计", "", "", "", "", "15,890,000", ""],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    with open(os.path.join(HERE, "purchases.csv"), "wb") as f:
        f.write(b"\xff\xfe" + out.getvalue().encode("utf-16-le"))


write_csv()
write_xlsx()
write_yearbook()
write_purchases()
with open(os.path.join(HERE, "map.toml"), "w", encoding="utf-8") as f:
    f.write('# Mapping file for registry.xlsx (docs/import.md).\n'
            'sheet = "企业名单"\n\n'
            '[industries]          # an industry written without its GB/T 4754 code\n'
            '"汽车零部件" = "C3670"\n\n'
            '[defaults]\nrole = "supporting"\n\n'
            '[indicators]          # yearbook labels -> indicator code and the unit kept\n'
            '"地区生产总值" = { code = "gdp", unit = "万元" }\n'
            '"年末常住人口" = { code = "population", unit = "万人" }\n'
            '"研发经费投入强度" = { code = "rd_intensity", unit = "ratio" }\n\n'
            '[yearbook]\nsource = "示例统计年鉴2023（数值为示意）"\n')
print("codes:", C1, C2, C3, C4, C5, C6, "bad:", BAD)
