#!/usr/bin/env python3
"""Generate the bundled ChainLens example workspace `examples/zhejiang/`.

Every number written here is SYNTHETIC and ILLUSTRATIVE: the chains, stages and the
stories (landmark chains, cores in Hangzhou and Taizhou, imported chips, a cable supplier
whose customers pay late) follow the two source papers (Gao 2021; Zhang 2024), but no
enterprise, link or indicator value is a real statistic, and any resemblance of a
generated name to a real company is accidental.

Run it with the Python 3.11+ standard library only:

    python3 examples/zhejiang/generate.py

It rewrites chainlens.toml and data/ exactly (fixed seed, no set iteration, fixed
formatting) and then runs a self-check against docs/workspace-format.md (referential
integrity, duplicates, non-negative values, acyclic stage graphs, balanced IO table, and
the deliberate weaknesses described in README.md). Any failure raises.

Units: money in 10^4 CNY (also the IO table), time in days.
"""

from __future__ import annotations

import csv
import math
import os
import random
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
SEED = 20211130  # fixed: the example must be reproducible byte for byte
YEARS = list(range(2018, 2024))

rng = random.Random(SEED)


def U(a: float, b: float) -> float:
    return rng.uniform(a, b)


# ---------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------

# (id, name, level, parent, group, lat, lon)
REGIONS = [
    ("china", "China", "country", "", "", 35.86, 104.20),
    ("abroad", "Abroad (rest of the world)", "country", "", "", None, None),
    ("zhejiang", "Zhejiang", "province", "china", "yangtze_delta", 29.15, 120.05),
    ("shanghai", "Shanghai", "province", "china", "yangtze_delta", 31.23, 121.47),
    ("jiangsu", "Jiangsu", "province", "china", "yangtze_delta", 32.97, 119.46),
    ("anhui", "Anhui", "province", "china", "yangtze_delta", 31.86, 117.28),
    ("guangdong", "Guangdong", "province", "china", "pearl_delta", 23.38, 113.42),
    # Zhejiang's 11 prefecture-level cities, in the province's usual north-east /
    # south-west split (浙东北 / 浙西南).
    ("hangzhou", "Hangzhou", "city", "zhejiang", "northeast_zhejiang", 30.27, 120.15),
    ("ningbo", "Ningbo", "city", "zhejiang", "northeast_zhejiang", 29.87, 121.55),
    ("wenzhou", "Wenzhou", "city", "zhejiang", "southwest_zhejiang", 27.99, 120.70),
    ("jiaxing", "Jiaxing", "city", "zhejiang", "northeast_zhejiang", 30.75, 120.76),
    ("huzhou", "Huzhou", "city", "zhejiang", "northeast_zhejiang", 30.89, 120.09),
    ("shaoxing", "Shaoxing", "city", "zhejiang", "northeast_zhejiang", 30.00, 120.58),
    ("jinhua", "Jinhua", "city", "zhejiang", "southwest_zhejiang", 29.08, 119.65),
    ("quzhou", "Quzhou", "city", "zhejiang", "southwest_zhejiang", 28.94, 118.87),
    ("zhoushan", "Zhoushan", "city", "zhejiang", "northeast_zhejiang", 29.99, 122.21),
    ("taizhou", "Taizhou", "city", "zhejiang", "southwest_zhejiang", 28.66, 121.42),
    ("lishui", "Lishui", "city", "zhejiang", "southwest_zhejiang", 28.45, 119.92),
]

# Undirected adjacency (land borders; Ningbo–Zhoushan and Jiaxing–Ningbo across the
# bay by bridge). Written both ways below.
ADJACENT = [
    ("zhejiang", "shanghai"), ("zhejiang", "jiangsu"), ("zhejiang", "anhui"),
    ("shanghai", "jiangsu"), ("jiangsu", "anhui"),
    ("hangzhou", "huzhou"), ("hangzhou", "jiaxing"), ("hangzhou", "shaoxing"),
    ("hangzhou", "jinhua"), ("hangzhou", "quzhou"),
    ("ningbo", "shaoxing"), ("ningbo", "taizhou"), ("ningbo", "zhoushan"), ("ningbo", "jiaxing"),
    ("wenzhou", "taizhou"), ("wenzhou", "lishui"),
    ("jiaxing", "huzhou"),
    ("shaoxing", "jinhua"), ("shaoxing", "taizhou"),
    ("jinhua", "taizhou"), ("jinhua", "lishui"), ("jinhua", "quzhou"),
    ("quzhou", "lishui"),
    ("taizhou", "lishui"),
]

REGION_INFO = {r[0]: r for r in REGIONS}
CITIES = [r[0] for r in REGIONS if r[2] == "city"]


def province_of(region: str) -> str:
    r = REGION_INFO[region]
    if r[2] == "city":
        return r[3]
    return region


def country_of(region: str) -> str:
    return "abroad" if region == "abroad" else "china"


def neighbours(region: str) -> list[str]:
    out = []
    for a, b in ADJACENT:
        if a == region:
            out.append(b)
        elif b == region:
            out.append(a)
    return out


def distance_class(a: str, b: str) -> int:
    """0 same city/region, 1 same province, 2 neighbouring province, 3 elsewhere in China, 4 abroad."""
    if a == b:
        return 0
    if country_of(a) != country_of(b):
        return 4
    pa, pb = province_of(a), province_of(b)
    if pa == pb:
        return 1
    if pb in neighbours(pa):
        return 2
    return 3


# ---------------------------------------------------------------------------------------
# Sectors (GB/T 4754-2017 divisions / groups)
# ---------------------------------------------------------------------------------------

SECTORS = [
    ("steel", "Ferrous metal smelting and rolling", "31"),
    ("chemicals", "Chemical raw materials and chemical products", "26"),
    ("rubber_plastics", "Rubber and plastic products", "29"),
    ("nonmetal_minerals", "Non-metallic mineral products (incl. special glass)", "30"),
    ("auto", "Automobile manufacturing", "36"),
    ("batteries", "Battery manufacturing", "384"),
    ("wire_cable", "Wires, cables, optical fibres and optical cables", "383"),
    ("computers", "Computer manufacturing", "391"),
    ("comm_equipment", "Communication equipment manufacturing", "392"),
    ("semiconductors", "Electronic devices (integrated circuits, discrete and optoelectronic devices)", "397"),
    ("electronic_components", "Electronic components and electronic special materials", "398"),
    ("electricity", "Electricity and heat production and supply (incl. EV charging)", "44"),
    ("auto_retail", "Retail of motor vehicles, parts and fuel", "526"),
    ("road_transport", "Road transport", "54"),
    ("warehousing", "Loading, handling and warehousing", "59"),
    ("internet_data", "Internet and related services (incl. data centres)", "64"),
    ("software_it", "Software and information technology services", "65"),
    ("consumer_finance", "Non-monetary banking services (incl. consumer finance)", "663"),
    ("packaging", "Packaging services", "7292"),
    ("research", "Research and experimental development", "73"),
    ("vehicle_repair", "Repair and maintenance of motor vehicles", "811"),
]

# ---------------------------------------------------------------------------------------
# Chains and stages
# ---------------------------------------------------------------------------------------
# Stage: id, name, segment, position, core, sector, inputs, and generator parameters:
#   coef      value of each input per unit of the stage's output (technical coefficients)
#   base      typical output of a supporting enterprise, 10^4 CNY
#   frac      share of output sold to buyers mapped in the example (the rest leaves it)
#   goods     False for services (no inventory of them is held)

CHAINS = [
    {
        "id": "nev",
        "name": "New-energy vehicles",
        "description": "Energy-saving and new-energy vehicle chain (Gao 2021): pre-production "
        "materials and parts, R&D and vehicle manufacturing with two cores (Hangzhou and "
        "Taizhou), circulation services, and post-production sales, maintenance, charging "
        "and consumer finance.",
        "stages": [
            dict(id="steel", name="Steel and special steel", segment="pre-production", position="upstream",
                 core=False, sector="steel", inputs=[], coef={}, base=260000, frac=(0.06, 0.18)),
            dict(id="petrochem_rubber", name="Petrochemicals, rubber and plastics", segment="pre-production",
                 position="upstream", core=False, sector="rubber_plastics", inputs=[], coef={},
                 base=90000, frac=(0.12, 0.35)),
            dict(id="power_semis", note="Deliberate gap: no maker in Zhejiang (Shanghai, Jiangsu, abroad only).", name="High-end power semiconductors (IGBT/SiC)", segment="pre-production",
                 position="upstream", core=True, sector="semiconductors", inputs=[], coef={},
                 base=150000, frac=(0.04, 0.15)),
            dict(id="electronics", note="Needs power semiconductors: every buyer depends on the gap above.", name="Automotive electronics (motor control, BMS, sensors)",
                 segment="pre-production", position="upstream", core=True, sector="electronic_components",
                 inputs=["power_semis"], coef={"power_semis": 0.18}, base=40000, frac=(0.4, 0.8)),
            dict(id="battery", name="Power batteries", segment="pre-production", position="upstream",
                 core=True, sector="batteries", inputs=["petrochem_rubber", "steel?", "electronics?"],
                 coef={"petrochem_rubber": 0.25, "steel": 0.05, "electronics": 0.08},
                 base=120000, frac=(0.45, 0.85)),
            dict(id="rnd", name="R&D and vehicle design", segment="production", position="midstream",
                 core=False, sector="research", inputs=[], coef={}, base=8000, frac=(0.5, 0.9), goods=False),
            dict(id="transport", note="Circulation services are bought by vehicle makers and dealers (links follow the money).", name="Transport and logistics", segment="circulation", position="midstream",
                 core=False, sector="road_transport", inputs=[], coef={}, base=12000, frac=(0.2, 0.5),
                 goods=False),
            dict(id="storage", name="Warehousing", segment="circulation", position="midstream", core=False,
                 sector="warehousing", inputs=[], coef={}, base=6000, frac=(0.3, 0.6), goods=False),
            dict(id="packaging", name="Packaging", segment="circulation", position="midstream", core=False,
                 sector="packaging", inputs=["petrochem_rubber?"], coef={"petrochem_rubber": 0.35},
                 base=6000, frac=(0.3, 0.6)),
            dict(id="vehicle", note="The core: leading makers in Hangzhou (e073, e074) and Taizhou (e075).", name="Vehicle manufacturing", segment="production", position="midstream",
                 core=True, sector="auto",
                 inputs=["steel", "petrochem_rubber", "electronics", "battery", "rnd?", "transport?",
                         "packaging?"],
                 coef={"steel": 0.07, "petrochem_rubber": 0.06, "electronics": 0.10, "battery": 0.28,
                       "rnd": 0.03, "transport": 0.02, "packaging": 0.01},
                 base=300000, frac=(0.3, 0.55)),
            dict(id="finance", name="Consumer and dealer finance", segment="post-production",
                 position="downstream", core=False, sector="consumer_finance", inputs=[], coef={},
                 base=20000, frac=(0.04, 0.15), goods=False),
            dict(id="sales", note="Dealers buy vehicles (and logistics, warehousing, floor-plan finance); they sell to households.", name="Sales and dealerships", segment="post-production", position="downstream",
                 core=False, sector="auto_retail", inputs=["vehicle", "transport?", "storage?", "finance?"],
                 coef={"vehicle": 0.82, "transport": 0.02, "storage": 0.015, "finance": 0.01},
                 base=30000, frac=(0.02, 0.06)),
            dict(id="maintenance", name="Maintenance and repair", segment="post-production",
                 position="downstream", core=False, sector="vehicle_repair",
                 inputs=["sales", "battery?", "petrochem_rubber?"],
                 coef={"sales": 0.25, "battery": 0.12, "petrochem_rubber": 0.08}, base=2500, frac=(0, 0)),
            dict(id="charging", name="Charging and battery swapping", segment="post-production",
                 position="downstream", core=False, sector="electricity", inputs=["electronics", "battery?"],
                 coef={"electronics": 0.30, "battery": 0.10}, base=6000, frac=(0, 0)),
        ],
    },
    {
        "id": "optical",
        "name": "Optical communication",
        "description": "Network-communication chain after Gao 2021's optical-communication case: "
        "high-purity materials, optical fibre preform, fibre, cable, optical devices and "
        "broadband switches. One preform maker feeds every fibre maker (a single point of "
        "failure); a cable supplier's customers pay late (chain protection).",
        "stages": [
            dict(id="silica", name="High-purity silicon and germanium chemicals", segment="pre-production",
                 position="upstream", core=False, sector="chemicals", inputs=[], coef={}, base=20000,
                 frac=(0.3, 0.6)),
            dict(id="preform", note="One Hangzhou maker (e154) supplies every fibre maker: a single point of failure.", name="Optical fibre preforms", segment="pre-production", position="upstream",
                 core=True, sector="nonmetal_minerals", inputs=["silica"], coef={"silica": 0.35},
                 base=60000, frac=(0.75, 0.95)),
            dict(id="fibre", name="Optical fibre", segment="production", position="midstream", core=True,
                 sector="wire_cable", inputs=["preform"], coef={"preform": 0.55}, base=50000,
                 frac=(0.5, 0.85)),
            dict(id="cable", note="e161 is the cable supplier whose customers pay late (README: the clearing calculation).", name="Optical cable", segment="production", position="midstream", core=False,
                 sector="wire_cable", inputs=["fibre"], coef={"fibre": 0.60}, base=40000, frac=(0.4, 0.7)),
            dict(id="devices", name="Optical devices and modules", segment="production", position="downstream",
                 core=True, sector="semiconductors", inputs=["cable"], coef={"cable": 0.50}, base=30000,
                 frac=(0.3, 0.6)),
            dict(id="switches", name="Broadband switches and access equipment", segment="production",
                 position="downstream", core=False, sector="comm_equipment", inputs=["devices"],
                 coef={"devices": 0.35}, base=50000, frac=(0, 0)),
        ],
    },
    {
        "id": "computing",
        "name": "Intelligent computing",
        "description": "Intelligent-computer chain (Gao 2021's chain-supplement case): high-end chips "
        "and core components, mostly imported, feed domestic server makers, integrators, data "
        "centres and AI applications.",
        "stages": [
            dict(id="chips", note="Mostly imported: about 77 % of the value bought comes from `abroad`.", name="High-end chips (CPU, GPU, AI accelerators)", segment="pre-production",
                 position="upstream", core=True, sector="semiconductors", inputs=[], coef={},
                 base=400000, frac=(0.01, 0.04)),
            dict(id="components", name="Core components (memory, boards, optical modules, power)",
                 segment="pre-production", position="upstream", core=True, sector="electronic_components",
                 inputs=["chips?"], coef={"chips": 0.30}, base=80000, frac=(0.15, 0.45)),
            dict(id="servers", name="Servers and intelligent computers", segment="production",
                 position="midstream", core=True, sector="computers", inputs=["chips", "components"],
                 coef={"chips": 0.35, "components": 0.30}, base=150000, frac=(0.4, 0.7)),
            dict(id="integration", name="System integration and distribution", segment="circulation",
                 position="midstream", core=False, sector="software_it", inputs=["servers"],
                 coef={"servers": 0.70}, base=20000, frac=(0.4, 0.8)),
            dict(id="data_centres", name="Data centres and computing-power services", segment="post-production",
                 position="downstream", core=False, sector="internet_data", inputs=["servers", "integration?"],
                 coef={"servers": 0.30, "integration": 0.10}, base=30000, frac=(0.3, 0.6), goods=False),
            dict(id="applications", name="AI and industry applications", segment="post-production",
                 position="downstream", core=False, sector="software_it", inputs=["data_centres"],
                 coef={"data_centres": 0.20}, base=8000, frac=(0, 0), goods=False),
        ],
    },
]

STAGE = {}
for _c in CHAINS:
    for _s in _c["stages"]:
        _s.setdefault("goods", True)
        STAGE[(_c["id"], _s["id"])] = _s


def stage_inputs(chain: str, stage: str) -> list[tuple[str, bool]]:
    out = []
    for raw in STAGE[(chain, stage)]["inputs"]:
        out.append((raw.rstrip("?"), not raw.endswith("?")))
    return out


# ---------------------------------------------------------------------------------------
# Enterprises: who sits where. (region, count, role[, tag])
# A tag names an enterprise the story needs (see README.md); tagged enterprises get
# fixed numbers below.
# ---------------------------------------------------------------------------------------

L, S, P = "leading", "specialised", "supporting"

PLACEMENT = {
    ("nev", "steel"): [("ningbo", 2, S), ("hangzhou", 1, P), ("huzhou", 1, P), ("jiangsu", 2, P),
                       ("anhui", 1, P), ("shanghai", 1, S)],
    ("nev", "petrochem_rubber"): [("ningbo", 3, S), ("shaoxing", 2, P), ("jiaxing", 1, P), ("zhoushan", 1, S),
                                  ("taizhou", 2, P), ("jiangsu", 1, P), ("shanghai", 1, P)],
    # Deliberate gap: no power-semiconductor maker anywhere in Zhejiang.
    ("nev", "power_semis"): [("shanghai", 1, S), ("jiangsu", 1, S), ("abroad", 2, S)],
    ("nev", "electronics"): [("hangzhou", 3, S), ("ningbo", 2, P, "multi_elec"), ("jiaxing", 2, P),
                             ("wenzhou", 2, P), ("shaoxing", 1, P), ("jiangsu", 1, P), ("guangdong", 1, S)],
    ("nev", "battery"): [("ningbo", 1, L), ("huzhou", 2, S), ("quzhou", 1, P), ("jinhua", 1, P),
                         ("taizhou", 1, S, "tz_battery"), ("jiangsu", 1, S), ("guangdong", 1, S)],
    ("nev", "rnd"): [("hangzhou", 3, S), ("ningbo", 1, P), ("taizhou", 1, P), ("shanghai", 1, S)],
    ("nev", "transport"): [("hangzhou", 3, P, "multi_logi"), ("ningbo", 2, P), ("taizhou", 2, P),
                           ("jiaxing", 1, P), ("jinhua", 1, P), ("shanghai", 1, P)],
    ("nev", "storage"): [("hangzhou", 2, P), ("ningbo", 2, P), ("taizhou", 1, P), ("jiaxing", 1, P),
                         ("jinhua", 1, P)],
    ("nev", "packaging"): [("hangzhou", 2, P), ("taizhou", 2, P), ("ningbo", 1, P), ("wenzhou", 1, P)],
    ("nev", "vehicle"): [("hangzhou", 2, L, "hz_vehicle"), ("taizhou", 1, L, "tz_vehicle"), ("taizhou", 1, S),
                         ("ningbo", 1, S), ("jinhua", 1, S), ("huzhou", 1, P)],
    ("nev", "finance"): [("hangzhou", 3, S), ("ningbo", 1, P), ("shanghai", 1, S), ("wenzhou", 1, P)],
    ("nev", "sales"): [("hangzhou", 5, P), ("ningbo", 4, P), ("wenzhou", 3, P), ("jiaxing", 2, P),
                       ("huzhou", 2, P), ("shaoxing", 3, P), ("jinhua", 3, P), ("quzhou", 2, P),
                       ("zhoushan", 1, P), ("taizhou", 3, P), ("lishui", 2, P)],
    ("nev", "maintenance"): [("hangzhou", 4, P), ("ningbo", 3, P), ("wenzhou", 3, P), ("jiaxing", 2, P),
                             ("huzhou", 1, P), ("shaoxing", 2, P), ("jinhua", 2, P), ("quzhou", 1, P),
                             ("zhoushan", 1, P), ("taizhou", 2, P), ("lishui", 1, P)],
    ("nev", "charging"): [("hangzhou", 3, S), ("ningbo", 2, P), ("wenzhou", 1, P), ("jiaxing", 1, P),
                          ("shaoxing", 1, P), ("jinhua", 1, P), ("taizhou", 1, P), ("lishui", 1, P)],

    ("optical", "silica"): [("quzhou", 2, S), ("hangzhou", 1, P), ("jiangsu", 1, P), ("anhui", 1, P)],
    # P_hz: the only preform maker any fibre maker buys from (dominator).
    # Q_js: a preform maker in Jiangsu with spare capacity and no relation yet (a supplement candidate).
    ("optical", "preform"): [("hangzhou", 1, S, "preform_hz"), ("jiangsu", 1, S, "preform_js")],
    ("optical", "fibre"): [("hangzhou", 2, S, "fibre"), ("jiaxing", 2, P, "fibre"), ("huzhou", 1, P, "fibre")],
    ("optical", "cable"): [("hangzhou", 1, S, "cable_C"), ("hangzhou", 1, P, "cable_C2"), ("jiaxing", 1, P, "cable_C3"),
                           ("hangzhou", 1, P), ("jiaxing", 2, P), ("ningbo", 2, P), ("shaoxing", 1, P),
                           ("huzhou", 1, P), ("jiangsu", 2, P)],
    ("optical", "devices"): [("hangzhou", 1, L, "group_G"), ("hangzhou", 1, P, "dev_D1"), ("ningbo", 1, P, "dev_D2"),
                             ("hangzhou", 1, S), ("ningbo", 2, P), ("jiaxing", 1, P), ("wenzhou", 1, P),
                             ("shaoxing", 1, P), ("shanghai", 1, S), ("guangdong", 2, S)],
    ("optical", "switches"): [("hangzhou", 1, S), ("ningbo", 1, S, "sw_S1"), ("jiaxing", 1, P, "sw_S2"),
                              ("hangzhou", 1, P), ("ningbo", 1, P), ("wenzhou", 1, P), ("guangdong", 2, S)],

    ("computing", "chips"): [("abroad", 5, L), ("shanghai", 2, S), ("hangzhou", 1, P, "hz_chip")],
    ("computing", "components"): [("abroad", 3, S), ("guangdong", 2, S), ("jiangsu", 1, P), ("shanghai", 1, P),
                                  ("hangzhou", 1, P), ("wenzhou", 1, P)],
    ("computing", "servers"): [("hangzhou", 2, L), ("ningbo", 1, S), ("wenzhou", 1, S, "wz_server"),
                               ("jiaxing", 1, P), ("huzhou", 1, P)],
    ("computing", "integration"): [("hangzhou", 3, P), ("ningbo", 2, P), ("wenzhou", 1, P), ("jinhua", 1, P),
                                   ("shaoxing", 1, P)],
    ("computing", "data_centres"): [("hangzhou", 3, L), ("huzhou", 1, S), ("jiaxing", 1, P), ("ningbo", 2, P),
                                    ("quzhou", 1, P), ("lishui", 1, P), ("jinhua", 1, P)],
    ("computing", "applications"): [("hangzhou", 7, P), ("ningbo", 4, P), ("wenzhou", 2, P), ("jiaxing", 2, P),
                                    ("huzhou", 1, P), ("shaoxing", 2, P), ("jinhua", 2, P), ("quzhou", 1, P),
                                    ("zhoushan", 1, P), ("taizhou", 2, P), ("lishui", 1, P)],
}

# Multi-stage enterprises: the tagged enterprise also serves these stages.
EXTRA_STAGES = {
    "multi_elec": [("computing", "components")],  # first of the two Ningbo electronics firms
    "multi_logi": [("nev", "storage")],  # first of the three Hangzhou logistics firms
    "group_G": [("optical", "switches")],  # the integrated optical-communication group
}

# Name parts (pinyin trade names) and product words.
TRADE = [
    "Xinneng", "Huayu", "Tianlong", "Jinshan", "Hengrui", "Dongfang", "Zhongke", "Ruifeng", "Haitian", "Mingda",
    "Kaiyuan", "Lianhe", "Shengtai", "Yongxin", "Jiahe", "Baosheng", "Fuxing", "Longsheng", "Huaxin", "Tongda",
    "Xinghuo", "Chenguang", "Jinlong", "Anda", "Qiangsheng", "Weiye", "Hongda", "Zhengtai", "Yuhua", "Xiangyu",
    "Guangyu", "Juneng", "Lingyun", "Boyuan", "Huiyuan", "Taihe", "Lvneng", "Zhicheng", "Ruixin", "Dingsheng",
    "Wanfeng", "Jiuzhou", "Haoyun", "Xinhe", "Tianyi", "Hengtai", "Yuanhang", "Zhuoyue", "Jingwei", "Qianjin",
    "Shuguang", "Pengcheng", "Xinlian", "Hongyuan", "Meida", "Yida", "Chuangxin", "Fengyuan", "Huatong", "Jinyu",
    "Kangda", "Lixin", "Minghui", "Ningda", "Oujiang", "Puhua", "Qiming", "Rongsheng", "Sanjiang", "Tianma",
    "Weixing", "Xingyuan", "Yaohua", "Zhongyi", "Aoxiang", "Beida", "Caihong", "Deli", "Erya", "Feida",
]
FOREIGN = [
    "Westbay Microsystems Inc.", "Kessler Halbleiter GmbH", "Tatsumi Devices K.K.", "Hanbit Semiconductor Co.",
    "Aurion Compute Ltd.", "Nordvik Power Devices AB", "Pacifica Logic Inc.", "Valcourt Memory S.A.",
    "Meridian Boards Pte. Ltd.", "Sorensen Silicon A/S", "Oakridge Interconnect Inc.",
]
PROVINCE_CITIES = {"shanghai": ["Shanghai"], "jiangsu": ["Suzhou", "Wuxi", "Changzhou", "Nanjing", "Nantong"],
                   "anhui": ["Hefei", "Wuhu", "Bengbu"], "guangdong": ["Shenzhen", "Dongguan", "Guangzhou", "Foshan"]}
PRODUCT = {
    "steel": "Special Steel Co.", "petrochem_rubber": "Petrochemical & Rubber Co.",
    "power_semis": "Power Semiconductor Co.", "electronics": "Auto Electronics Co.",
    "battery": "Power Battery Technology Co.", "rnd": "Automotive Engineering Research Institute Co.",
    "transport": "Logistics Co.", "storage": "Warehousing Co.", "packaging": "Packaging Co.",
    "vehicle": "New Energy Automobile Co.", "finance": "Consumer Finance Co.", "sales": "Auto Sales & Service Co.",
    "maintenance": "Auto Repair Co.", "charging": "Charging Technology Co.", "silica": "Silicon Materials Co.",
    "preform": "Optical Preform Co.", "fibre": "Optical Fibre Co.", "cable": "Cable Technology Co.",
    "devices": "Photonics Co.", "switches": "Broadband Networks Co.", "chips": "Microelectronics Co.",
    "components": "Electronic Components Co.", "servers": "Intelligent Computing Co.",
    "integration": "Systems Integration Co.", "data_centres": "Cloud Data Centre Co.",
    "applications": "AI Software Co.",
}
SPECIAL_NAMES = {
    "preform_hz": "Hangzhou Tianxing Optical Preform Co.",
    "preform_js": "Changzhou Hengguang Preform Technology Co.",
    "cable_C": "Hangzhou Yuanxin Cable Technology Co.",
    "group_G": "Hangzhou Futai Optical Communication Group Co.",
    "dev_D1": "Hangzhou Guangrun Photonics Co.",
    "dev_D2": "Ningbo Haixun Photonics Co.",
}


class Enterprise:
    def __init__(self, eid, name, region, role, units, tag):
        self.id = eid
        self.name = name
        self.region = region
        self.role = role
        self.units = units  # list of (chain, stage)
        self.tag = tag
        self.unit_output: dict[tuple[str, str], float] = {}
        self.attrs: dict[str, float] = {}


ENTERPRISES: list[Enterprise] = []
BY_TAG: dict[str, list[Enterprise]] = {}
_used_names: set[str] = set()
_trade_i = 0
_foreign_i = 0


def make_name(region: str, stage: str) -> str:
    global _trade_i, _foreign_i
    if region == "abroad":
        n = FOREIGN[_foreign_i % len(FOREIGN)]
        _foreign_i += 1
        return n
    if region in PROVINCE_CITIES:
        opts = PROVINCE_CITIES[region]
        place = opts[_trade_i % len(opts)]
    else:
        place = REGION_INFO[region][1]
    while True:
        trade = TRADE[(_trade_i * 7) % len(TRADE)]
        _trade_i += 1
        name = f"{place} {trade} {PRODUCT[stage]}"
        if name not in _used_names:
            return name


def build_enterprises():
    k = 0
    for (chain, stage), rows in PLACEMENT.items():
        for row in rows:
            region, count, role = row[0], row[1], row[2]
            tag = row[3] if len(row) > 3 else None
            for i in range(count):
                k += 1
                eid = f"e{k:03d}"
                units = [(chain, stage)]
                if tag in EXTRA_STAGES and i == 0:
                    units += EXTRA_STAGES[tag]
                name = SPECIAL_NAMES.get(tag) if tag in SPECIAL_NAMES else make_name(region, stage)
                _used_names.add(name)
                e = Enterprise(eid, name, region, role, units, tag)
                ENTERPRISES.append(e)
                if tag:
                    BY_TAG.setdefault(tag, []).append(e)


build_enterprises()
EBY_ID = {e.id: e for e in ENTERPRISES}


def tagged(tag: str) -> Enterprise:
    return BY_TAG[tag][0]


def units_of(chain: str, stage: str) -> list[Enterprise]:
    return [e for e in ENTERPRISES if (chain, stage) in e.units]


# ---------------------------------------------------------------------------------------
# Supply links
# ---------------------------------------------------------------------------------------
ROLE_W = {L: 4.0, S: 2.0, P: 1.0}
ROLE_MULT = {L: 5.0, S: 2.0, P: 1.0}
LOC_W = [4.0, 2.5, 1.2, 0.8, 0.5]

# Links fixed by the story (chain protection case): (supplier tag, buyer tag, stage, value,
# receivable, overdue_days). See README.md "The cable supplier's default".
FORCED = [
    ("cable_C", "dev_D1", ("optical", "cable"), 21600.0, 8100.0, 150),
    ("cable_C", "dev_D2", ("optical", "cable"), 14400.0, 4800.0, 120),
    ("cable_C", "group_G", ("optical", "cable"), 24000.0, 4000.0, 0),
    ("cable_C2", "dev_D1", ("optical", "cable"), 10800.0, 1800.0, 30),
    ("cable_C3", "dev_D2", ("optical", "cable"), 7200.0, 1200.0, 0),
    ("dev_D1", "sw_S1", ("optical", "devices"), 12000.0, 2000.0, 0),
    ("dev_D1", "sw_S2", ("optical", "devices"), 6000.0, 1000.0, 0),
    ("dev_D2", "sw_S2", ("optical", "devices"), 9000.0, 1500.0, 0),
]
# C buys fibre from two fibre makers at two months' credit: 36,000 + 24,000 a year.
FORCED_C_FIBRE = [(36000.0, 6000.0), (24000.0, 4000.0)]
# Fixed outputs (10^4 CNY) and cash of the story's enterprises.
FIXED_OUTPUT = {("cable_C", ("optical", "cable")): 100000.0,
                ("dev_D1", ("optical", "devices")): 60000.0,
                ("dev_D2", ("optical", "devices")): 40000.0}
FIXED_CASH = {"cable_C": 600.0, "dev_D1": 465.0, "dev_D2": 300.0}
# Enterprises whose every link is fixed above: no random link may touch them (as a supplier
# for C, D1, D2; as a buyer for C, D1, D2 and G's devices unit).
NO_RANDOM_SUPPLIER = {"cable_C", "dev_D1", "dev_D2", "preform_js"}

links: dict[tuple[str, str, str, str], dict] = {}  # (supplier, buyer, chain, stage) -> link


def add_link(sup: Enterprise, buy: Enterprise, chain: str, stage: str, value: float, **kw):
    key = (sup.id, buy.id, chain, stage)
    assert sup.id != buy.id, key
    if key in links:
        links[key]["value"] += value
        return
    links[key] = dict(supplier=sup.id, buyer=buy.id, chain=chain, stage=stage, value=value, **kw)


def reverse_topo(chain: dict) -> list[str]:
    ids = [s["id"] for s in chain["stages"]]
    consumers = {i: [] for i in ids}
    indeg = {i: 0 for i in ids}
    for s in chain["stages"]:
        for raw in s["inputs"]:
            consumers[raw.rstrip("?")].append(s["id"])
            indeg[s["id"]] += 1
    order, ready = [], [i for i in ids if indeg[i] == 0]
    while ready:
        i = ready.pop(0)
        order.append(i)
        for j in consumers[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
    if len(order) != len(ids):
        raise ValueError(f"chain {chain['id']} has a cyclic stage graph")
    return list(reversed(order))


def weighted_sample(cands: list[Enterprise], weights: list[float], k: int) -> list[Enterprise]:
    cands, weights = list(cands), list(weights)
    out = []
    for _ in range(min(k, len(cands))):
        tot = sum(weights)
        r = rng.uniform(0, tot)
        acc = 0.0
        for i, w in enumerate(weights):
            acc += w
            if r <= acc:
                break
        out.append(cands.pop(i))
        weights.pop(i)
    return out


def stage_weight(chain: str, stage: str, sup: Enterprise, buyer: Enterprise) -> float:
    w = ROLE_W[sup.role] * LOC_W[distance_class(sup.region, buyer.region)]
    if (chain, stage) == ("computing", "chips"):
        # The papers' external dependence: high-end chips come mostly from abroad.
        w *= 1.5 if sup.region == "abroad" else 1.0
    if (chain, stage) == ("computing", "components"):
        w *= 3.0 if sup.region == "abroad" else 1.0
    return w * U(0.7, 1.3)


def generate_links():
    for chain in CHAINS:
        cid = chain["id"]
        for sid in reverse_topo(chain):
            st = STAGE[(cid, sid)]
            for e in units_of(cid, sid):
                key = (e.tag, (cid, sid))
                # 1. this unit's output: fixed, or from what its buyers take, or a random size.
                sold = sum(l["value"] for l in links.values()
                           if l["supplier"] == e.id and l["chain"] == cid and l["stage"] == sid)
                draw = st["base"] * ROLE_MULT[e.role] * math.exp(rng.gauss(0, 0.35))
                if key in FIXED_OUTPUT:
                    out = FIXED_OUTPUT[key]
                elif sold > 0 and st["frac"][1] > 0:
                    out = max(sold / U(*st["frac"]), 0.5 * draw, sold * 1.05)
                else:
                    out = max(draw, sold * 1.05)
                e.unit_output[(cid, sid)] = out
                # 2. its purchases along the stage graph.
                if e.tag in ("cable_C", "dev_D1", "dev_D2") or (e.tag == "group_G" and sid == "devices"):
                    continue  # all fixed (FORCED)
                for inp, essential in stage_inputs(cid, sid):
                    need = st["coef"][inp] * out
                    forced = [f for f in FORCED if f[1] == e.tag and f[2] == (cid, inp)]
                    for f in forced:
                        need -= f[3]
                    cands = [s for s in units_of(cid, inp) if s.id != e.id and s.tag not in NO_RANDOM_SUPPLIER]
                    if (cid, inp) == ("optical", "preform"):
                        cands = [tagged("preform_hz")]  # every fibre maker: single source (dominator)
                    if e.tag == "tz_vehicle" and inp == "battery":
                        cands = [tagged("tz_battery")]  # Taizhou core: single-source batteries
                    if e.tag == "wz_server" and inp == "chips":
                        cands = [c for c in cands if c.region == "abroad"][:1]  # one foreign chip vendor
                    if forced or need <= 0:
                        k = 1 + (rng.random() < 0.5)
                    elif essential:
                        k = rng.choice([1, 2, 2, 2, 3, 3, 3, 3, 4, 4] if e.role != L else [2, 3, 3, 4])
                    else:
                        k = rng.choice([1, 1, 2])
                    if need <= 0:
                        continue
                    w = [stage_weight(cid, inp, s, e) for s in cands]
                    chosen = weighted_sample(cands, w, k)
                    shares = [stage_weight(cid, inp, s, e) * U(0.5, 1.5) for s in chosen]
                    tot = sum(shares)
                    for s, sh in zip(chosen, shares):
                        add_link(s, e, cid, inp, need * sh / tot, essential=essential)
            # Forced links whose buyer is in this stage (buyer decided here, supplier later).
            for sup_tag, buy_tag, (fc, fs), value, rec, overdue in FORCED:
                buyer = tagged(buy_tag)
                if fc == cid and any(inp == fs for inp, _ in stage_inputs(cid, sid)) and (cid, sid) in buyer.units:
                    add_link(tagged(sup_tag), buyer, fc, fs, value, essential=True,
                             receivable=rec, overdue_days=overdue)
            if (cid, sid) == ("optical", "cable"):
                # C's own purchases: fibre from the two largest-weighted fibre makers.
                c = tagged("cable_C")
                fibres = BY_TAG["fibre"][:2]
                for f, (value, rec) in zip(fibres, FORCED_C_FIBRE):
                    add_link(f, c, "optical", "fibre", value, essential=True, receivable=rec, overdue_days=0)


generate_links()

# Link attributes: lead time, inventory, essential, receivable, overdue.
for key in sorted(links):
    l = links[key]
    sup, buy = EBY_ID[l["supplier"]], EBY_ID[l["buyer"]]
    st = STAGE[(l["chain"], l["stage"])]
    dc = distance_class(sup.region, buy.region)
    if not st["goods"]:
        l["lead_time_days"] = rng.randint(1, 3)
        l["inventory_days"] = 0
    else:
        lo, hi = [(1, 3), (2, 5), (3, 8), (5, 12), (30, 75)][dc]
        if l["stage"] == "chips":
            lo, hi = (45, 120) if dc == 4 else (10, 25)
        l["lead_time_days"] = rng.randint(lo, hi)
        if l["stage"] == "chips":
            inv = rng.randint(30, 90)
        elif l["stage"] == "battery" and buy.tag in ("hz_vehicle", "tz_vehicle"):
            inv = rng.randint(3, 7)  # just-in-time at the cores
        elif l["stage"] == "preform":
            inv = rng.randint(10, 20)
        elif l["stage"] == "vehicle":
            inv = rng.randint(20, 45)
        else:
            inv = rng.randint(5, 30)
        l["inventory_days"] = inv
    if "receivable" not in l:
        months = U(1.0, 3.0)
        l["receivable"] = l["value"] * months / 12.0
        r = rng.random()
        l["overdue_days"] = 0 if r < 0.92 else rng.choice([15, 30, 45, 60])
    # essential comes from the stage input's flag
    buyer_stage = [s for (c, s) in buy.units if c == l["chain"] and any(i == l["stage"] for i, _ in stage_inputs(c, s))]
    l["essential"] = any(dict(stage_inputs(l["chain"], s))[l["stage"]] for s in buyer_stage)

# ---------------------------------------------------------------------------------------
# Enterprise figures
# ---------------------------------------------------------------------------------------
PRODUCTIVITY = {  # output per worker, 10^4 CNY
    "steel": 320, "petrochem_rubber": 260, "power_semis": 180, "electronics": 140, "battery": 200, "rnd": 60,
    "transport": 45, "storage": 40, "packaging": 70, "vehicle": 260, "finance": 220, "sales": 180,
    "maintenance": 35, "charging": 90, "silica": 160, "preform": 210, "fibre": 190, "cable": 150,
    "devices": 110, "switches": 150, "chips": 250, "components": 130, "servers": 240, "integration": 120,
    "data_centres": 200, "applications": 55,
}
ASSET_RATIO = {"steel": 1.3, "petrochem_rubber": 1.1, "power_semis": 1.6, "chips": 1.8, "preform": 1.5,
               "data_centres": 2.2, "finance": 3.0, "battery": 1.2, "vehicle": 1.0, "sales": 0.5,
               "maintenance": 0.6, "transport": 0.8, "storage": 1.2, "applications": 0.7}
RD_INT = {"rnd": 0.30, "chips": 0.18, "power_semis": 0.12, "applications": 0.10, "devices": 0.06,
          "electronics": 0.05, "battery": 0.05, "servers": 0.05, "switches": 0.07, "components": 0.05,
          "vehicle": 0.045, "preform": 0.05, "fibre": 0.035, "cable": 0.025, "silica": 0.03,
          "sales": 0.002, "maintenance": 0.002, "transport": 0.003, "storage": 0.002, "finance": 0.01}
DEV_CYCLE = {"vehicle": 540, "battery": 300, "chips": 540, "power_semis": 420, "electronics": 200,
             "servers": 240, "components": 180, "preform": 360, "fibre": 240, "cable": 150, "devices": 180,
             "switches": 210, "applications": 60, "steel": 240, "petrochem_rubber": 200, "silica": 220}
SWITCH_DAYS = {"vehicle": 120, "battery": 150, "servers": 120, "fibre": 90, "electronics": 90,
               "devices": 75, "switches": 60, "cable": 60, "components": 90, "preform": 150}

payables: dict[str, float] = {}
for l in links.values():
    payables[l["buyer"]] = payables.get(l["buyer"], 0.0) + l["receivable"]

for e in ENTERPRISES:
    main = e.units[0][1]
    output = sum(e.unit_output.values())
    util = U(0.6, 0.98)
    if e.tag == "cable_C":
        util = 100000.0 / 120000.0
    capacity = output / util
    income = output * U(0.97, 1.06)
    prod = PRODUCTIVITY[main] * U(0.75, 1.25)
    assets = output * ASSET_RATIO.get(main, 0.9) * U(0.8, 1.2)
    if e.tag == "cable_C":
        assets, income = 70000.0, 98500.0
    rd = income * RD_INT.get(main, 0.02) * (1.3 if e.role == L else 1.0) * U(0.7, 1.3)
    if e.region == "abroad":
        pat = rd / U(600, 1200)
    else:
        pat = rd / U(150, 450)
    if e.tag in FIXED_CASH:
        cash = FIXED_CASH[e.tag]
    else:
        # Healthy enterprises hold enough liquid assets to pay every payable in the example:
        # only the story's three enterprises can default in a clearing.
        cash = max(assets * U(0.05, 0.15), payables.get(e.id, 0.0) * U(1.15, 1.8))
    e.attrs = dict(
        capacity=capacity, output=output, employees=max(5, round(output / prod)), total_assets=assets,
        operating_income=income, rd_expenditure=rd, invention_patents=round(pat), cash=cash,
        dev_cycle_days=round(DEV_CYCLE.get(main, 90) * U(0.7, 1.3) * (0.85 if e.role == L else 1.0)),
        switch_days=round(SWITCH_DAYS.get(main, 30) * U(0.6, 1.4)),
    )

# ---------------------------------------------------------------------------------------
# Indicator panel (11 cities x 2018-2023)
# ---------------------------------------------------------------------------------------
STRENGTH = {"hangzhou": 0.95, "ningbo": 0.90, "jiaxing": 0.72, "shaoxing": 0.66, "huzhou": 0.63,
            "taizhou": 0.60, "wenzhou": 0.58, "jinhua": 0.55, "zhoushan": 0.45, "quzhou": 0.33,
            "lishui": 0.28}
# id: (lo, hi, direction, annual trend, decimals)
PAPER_INDICATORS = {
    "D111": (0.35, 0.80, +1, 0.015, 4),   # local matching rate
    "D112": (0.45, 0.95, +1, 0.010, 4),   # chain coverage rate
    "D121": (0.003, 0.035, +1, 0.020, 5),  # regional output / national output of the industry
    "D122": (0.55, 2.40, +1, 0.012, 3),   # location quotient
    "D211": (0.17, 0.32, +1, 0.008, 4),   # added-value rate
    "D212": (85.0, 260.0, +1, 0.045, 2),  # labour productivity, 10^4 CNY per worker
    "D221": (1.05, 2.60, +1, 0.010, 3),   # capital turnover (also `capital_turnover`)
    "D222": (0.70, 0.90, +1, 0.004, 4),   # equipment utilisation (also `capacity_utilisation`)
    "D311": (0.012, 0.046, +1, 0.040, 4),  # R&D intensity
    "D312": (0.6, 6.0, +1, 0.060, 3),     # invention patents per enterprise
    "D321": (110.0, 360.0, -1, -0.025, 1),  # new product development cycle, days
    "D322": (20.0, 120.0, -1, -0.030, 1),   # supplier switch completion time, days
}
COVID_DIP = {"D212": 0.95, "D221": 0.93, "D222": 0.95}
panel: dict[tuple[str, int, str], tuple[float, str, bool]] = {}


def series(city: str, ind: str) -> list[float]:
    lo, hi, direction, trend, dec = PAPER_INDICATORS[ind]
    s = STRENGTH[city]
    pos = 0.12 + 0.78 * s + rng.gauss(0, 0.04)
    base = lo + (hi - lo) * pos if direction > 0 else hi - (hi - lo) * pos
    out = []
    for k, y in enumerate(YEARS):
        v = base * (1 + trend) ** k * (1 + rng.gauss(0, 0.012))
        if y == 2020:
            v *= COVID_DIP.get(ind, 1.0)
        out.append(round(v, dec))
    return out


for city in CITIES:
    for ind in PAPER_INDICATORS:
        vals = series(city, ind)
        if city == "jiaxing" and ind == "D222":
            vals = [0.9050, 0.8930, 0.8840, 0.8720, 0.8640, 0.8560]  # drifting towards 0.850
        for y, v in zip(YEARS, vals):
            panel[(city, y, ind)] = (v, "synthetic", False)

# A few gaps filled by linear interpolation between the neighbouring years.
IMPUTED = [("lishui", 2019, "D312"), ("quzhou", 2020, "D311"), ("zhoushan", 2021, "D212"),
           ("jinhua", 2022, "D122"), ("wenzhou", 2019, "D321"), ("huzhou", 2021, "D211")]
for city, y, ind in IMPUTED:
    dec = PAPER_INDICATORS[ind][4]
    v = round((panel[(city, y - 1, ind)][0] + panel[(city, y + 1, ind)][0]) / 2, dec)
    panel[(city, y, ind)] = (v, "interpolated", True)

# Early-warning indicators (Zhang 2024, Table 4-7 targets).
for city in CITIES:
    s = STRENGTH[city]
    sc0 = 0.17 + 0.36 * (1 - s) + rng.gauss(0, 0.01)
    ir0 = 0.36 + 0.33 * s + rng.gauss(0, 0.01)
    mc0 = 0.20 + 0.30 * (1 - s) + rng.gauss(0, 0.01)
    for k, y in enumerate(YEARS):
        sc = sc0 * (1 + rng.gauss(0, 0.015))
        if city == "ningbo":
            sc = [0.2150, 0.2280, 0.2420, 0.2580, 0.2720, 0.2880][k]  # rising towards 0.300
        ir = ir0 * 1.012 ** k * (1 + rng.gauss(0, 0.01))
        mc = mc0 * (1 + rng.gauss(0, 0.015))
        panel[(city, y, "supplier_concentration")] = (round(sc, 4), "synthetic", False)
        panel[(city, y, "independent_innovation_rate")] = (round(ir, 4), "synthetic", False)
        panel[(city, y, "market_concentration")] = (round(mc, 4), "synthetic", False)
        # Same measures as D222 and D221 under the names the Table 4-7 rules use.
        panel[(city, y, "capacity_utilisation")] = (panel[(city, y, "D222")][0], "synthetic (= D222)", False)
        panel[(city, y, "capital_turnover")] = (panel[(city, y, "D221")][0], "synthetic (= D221)", False)

# ---------------------------------------------------------------------------------------
# Emergency-response data (Zhang 2024, Table 4-8, levels 3 and 4). Drawn from a second
# random stream so that every number above stays as it was.
# ---------------------------------------------------------------------------------------
rng2 = random.Random(SEED + 1)

# `demand`: orders received by the city's landmark-chain enterprises, 10^8 CNY a year.
# A size from the city's strength, +6 % a year, a 2020 dip of 9 % and ±1.5 % noise, so
# that no year-on-year change reaches the ±20 % bound of the `demand` trigger except
# the 2023 stories below (level 3: capacity adjustment by the key enterprises).
DEMAND_TREND, DEMAND_DIP = 0.06, 0.91
DEMAND_2023 = {
    "taizhou": 0.76,   # export orders for the Taizhou core's vehicles fall away: -24 %
    "jinhua": 1.27,    # a new vehicle model and charging build-out: orders +27 %
}
for city in CITIES:
    s = STRENGTH[city]
    d0 = 150.0 + 1650.0 * s * s
    prev = None
    for k, y in enumerate(YEARS):
        v = d0 * (1 + DEMAND_TREND) ** k * (1 + rng2.gauss(0, 0.015))
        if y == 2020:
            v *= DEMAND_DIP
        if y == 2023 and city in DEMAND_2023:
            v = prev * DEMAND_2023[city]
        v = round(v, 1)
        panel[(city, y, "demand")] = (v, "synthetic", False)
        prev = v

# `quality_incidents` (enterprise column): quality incidents recorded in 2023 (batches
# recalled or rejected at incoming inspection). Zero for every enterprise but two
# (level 4: source control by the related companies): a Huzhou battery maker whose
# cells failed an abuse test (2 recalled batches) and a Jiaxing fibre maker whose
# fibre missed its attenuation spec (1 rejected batch). Filled in below, by stage and city.
QUALITY_INCIDENTS = [(("nev", "battery"), "huzhou", 2), (("optical", "fibre"), "jiaxing", 1)]
for _e in ENTERPRISES:
    _e.attrs["quality_incidents"] = 0
for (_cs, _city, _n) in QUALITY_INCIDENTS:
    [e for e in units_of(*_cs) if e.region == _city][0].attrs["quality_incidents"] = _n

# ---------------------------------------------------------------------------------------
# Risks (Zhang 2024, Table 4-6, exactly)
# ---------------------------------------------------------------------------------------
RISKS = [
    ("supply_cut", "Supply risk", "Raw material supply cut", 0.234, 0.867, "Regional command",
     "Multi-source supply: develop alternative and potential suppliers in and outside the province"),
    ("tech_blockade", "Technical risk", "Technology blockade", 0.345, 0.923, "Industry alliance",
     "Independent innovation: joint R&D platforms for core components and high-end chips"),
    ("demand_fluctuation", "Market risk", "Demand fluctuation", 0.456, 0.678, "Key enterprises",
     "Market regulation: diversify markets and adjust capacity"),
    ("policy_change", "Policy risk", "Policy change", 0.234, 0.567, "Regional economic department",
     "Policy tracking: monitor industrial, trade and fiscal policy changes"),
    ("carbon_constraint", "Environmental risk", "Carbon emission constraint", 0.567, 0.789, "Related companies",
     "Green transformation: energy saving, clean production and low-carbon processes"),
]

# ---------------------------------------------------------------------------------------
# Two-region input-output table (zhejiang, rest_of_china), 10 sectors each
# ---------------------------------------------------------------------------------------
IO_SECTORS = ["agriculture", "mining", "food_textiles", "chemicals", "metals", "machinery_vehicles",
              "electronics", "utilities_construction", "trade_transport", "services"]
IO_REGIONS = ["zhejiang", "rest_of_china"]
# Domestic technical-coefficient pattern (purchases of row sector per unit of column output).
A_PATTERN = [
    # agr   min   food  chem  metal mach  elec  util  trade serv
    [0.12, 0.00, 0.30, 0.03, 0.00, 0.00, 0.00, 0.01, 0.01, 0.01],  # agriculture
    [0.00, 0.05, 0.01, 0.10, 0.18, 0.01, 0.01, 0.12, 0.00, 0.00],  # mining
    [0.06, 0.01, 0.18, 0.03, 0.01, 0.02, 0.01, 0.01, 0.03, 0.03],  # food & textiles
    [0.08, 0.04, 0.07, 0.25, 0.04, 0.06, 0.06, 0.08, 0.02, 0.03],  # chemicals
    [0.00, 0.04, 0.01, 0.03, 0.28, 0.18, 0.06, 0.14, 0.01, 0.01],  # metals
    [0.02, 0.06, 0.02, 0.02, 0.03, 0.22, 0.05, 0.05, 0.04, 0.02],  # machinery & vehicles
    [0.00, 0.01, 0.01, 0.01, 0.01, 0.07, 0.30, 0.02, 0.02, 0.04],  # electronics
    [0.02, 0.08, 0.03, 0.05, 0.06, 0.02, 0.02, 0.10, 0.04, 0.05],  # utilities & construction
    [0.05, 0.04, 0.07, 0.05, 0.05, 0.06, 0.05, 0.06, 0.08, 0.06],  # trade & transport
    [0.03, 0.05, 0.04, 0.05, 0.04, 0.06, 0.07, 0.05, 0.12, 0.15],  # services
]
# Share of a region's purchases of each product (intermediate and domestic final demand)
# bought from the other region: Zhejiang imports most minerals and much of its metals and
# farm produce; the rest of China buys Zhejiang's textiles, chemicals, machinery and
# electronics.
OTHER_SHARE = {
    "zhejiang": {"mining": 0.85, "agriculture": 0.45, "metals": 0.45, "_": 0.20},
    "rest_of_china": {"mining": 0.003, "agriculture": 0.01, "metals": 0.03, "food_textiles": 0.10,
                      "chemicals": 0.07, "machinery_vehicles": 0.08, "electronics": 0.08, "_": 0.025},
}


def other_share(buyer_region: str, sector: str) -> float:
    t = OTHER_SHARE[buyer_region]
    return t.get(sector, t["_"])
FD_CATEGORIES = ["households", "government", "investment", "exports"]
FD_BASE = {  # final demand of each sector (10^8 CNY), per demanding region
    "agriculture": (900, 12000), "mining": (80, 2500), "food_textiles": (4200, 38000),
    "chemicals": (2600, 16000), "metals": (900, 8000), "machinery_vehicles": (6200, 52000),
    "electronics": (4500, 36000), "utilities_construction": (9500, 90000), "trade_transport": (7000, 60000),
    "services": (15000, 150000),
}
# Zhejiang's exports (to abroad) are relatively larger in its specialisations.
EXPORT_BOOST = {"food_textiles": 2.2, "chemicals": 1.5, "machinery_vehicles": 1.6, "electronics": 1.8}


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c] != 0:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def build_io():
    n = len(IO_SECTORS)
    ind = [(r, s) for r in IO_REGIONS for s in IO_SECTORS]
    N = len(ind)
    A = [[0.0] * N for _ in range(N)]
    for j, (rj, sj) in enumerate(ind):
        for i, (ri, si) in enumerate(ind):
            a = A_PATTERN[IO_SECTORS.index(si)][IO_SECTORS.index(sj)] * U(0.85, 1.15)
            share = other_share(rj, si) if ri != rj else 1 - other_share(rj, si)
            A[i][j] = a * share
    # Y: final demand of each region's categories for each industry's product (10^4 CNY).
    fd_labels = [(r, c) for r in IO_REGIONS for c in FD_CATEGORIES]
    cat_share = {"households": 0.45, "government": 0.15, "investment": 0.30, "exports": 0.10}
    Y = [[0.0] * len(fd_labels) for _ in range(N)]
    for i, (ri, si) in enumerate(ind):
        zj, rc = FD_BASE[si]
        for k, (rd, cat) in enumerate(fd_labels):
            total = (zj if rd == "zhejiang" else rc) * 1e4  # 10^8 -> 10^4 CNY
            own = 1 - other_share(rd, si) if ri == rd else other_share(rd, si)
            if cat == "exports":
                own = 1.0 if ri == rd else 0.0  # a region exports its own products
                boost = EXPORT_BOOST.get(si, 1.0) if rd == "zhejiang" else 1.0
            else:
                boost = 1.0
            Y[i][k] = total * cat_share[cat] * own * boost * U(0.9, 1.1)
    ytot = [sum(r) for r in Y]
    IA = [[(1.0 if i == j else 0.0) - A[i][j] for j in range(N)] for i in range(N)]
    x = solve(IA, ytot)
    # Work in integer hundredths so the published table balances exactly.
    Zc = [[round(A[i][j] * x[j] * 100) for j in range(N)] for i in range(N)]
    Yc = [[round(v * 100) for v in row] for row in Y]
    xc = [sum(Zc[i]) + sum(Yc[i]) for i in range(N)]
    va_total = [xc[j] - sum(Zc[i][j] for i in range(N)) for j in range(N)]
    va_labels = ["compensation", "net_taxes", "operating_surplus"]
    Vc = []
    for j in range(N):
        comp = round(va_total[j] * U(0.45, 0.60))
        tax = round(va_total[j] * U(0.08, 0.14))
        Vc.append([comp, tax, va_total[j] - comp - tax])
    return ind, fd_labels, Zc, Yc, Vc, va_labels, A, xc


IO = build_io()

# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------


def fmt(v, dec=1) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return f"{v:.{dec}f}"


def write_csv(path: str, header: list[str], rows: list[list[str]]):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_all():
    write_csv(os.path.join(DATA, "regions.csv"),
              ["id", "name", "level", "parent", "group", "neighbours", "latitude", "longitude"],
              [[r[0], r[1], r[2], r[3], r[4], ";".join(neighbours(r[0])),
                "" if r[5] is None else f"{r[5]:.2f}", "" if r[6] is None else f"{r[6]:.2f}"] for r in REGIONS])
    write_csv(os.path.join(DATA, "sectors.csv"), ["id", "name", "code", "classification"],
              [[s[0], s[1], s[2], "GB/T 4754-2017"] for s in SECTORS])
    erows = []
    for e in ENTERPRISES:
        a = e.attrs
        erows.append([e.id, e.name, e.region, e.role, ";".join(f"{c}/{s}" for c, s in e.units),
                      STAGE[e.units[0]]["sector"], fmt(a["capacity"]), fmt(a["output"]), str(a["employees"]),
                      fmt(a["total_assets"]), fmt(a["operating_income"]), fmt(a["rd_expenditure"]),
                      str(a["invention_patents"]), fmt(a["cash"]), str(a["dev_cycle_days"]),
                      str(a["switch_days"]), str(a["quality_incidents"])])
    write_csv(os.path.join(DATA, "enterprises.csv"),
              ["id", "name", "region", "role", "stages", "sector", "capacity", "output", "employees",
               "total_assets", "operating_income", "rd_expenditure", "invention_patents", "cash",
               "dev_cycle_days", "switch_days", "quality_incidents"], erows)
    lrows = []
    order = {(c["id"], s["id"]): (ci, si) for ci, c in enumerate(CHAINS) for si, s in enumerate(c["stages"])}
    for key in sorted(links, key=lambda k: (order[(k[2], k[3])], k[0], k[1])):
        l = links[key]
        lrows.append([l["supplier"], l["buyer"], l["chain"], l["stage"], fmt(l["value"]), "",
                      str(l["lead_time_days"]), str(l["inventory_days"]), fmt(l["essential"]),
                      fmt(l["receivable"]), str(l["overdue_days"])])
    write_csv(os.path.join(DATA, "supply_links.csv"),
              ["supplier", "buyer", "chain", "stage", "value", "share", "lead_time_days", "inventory_days",
               "essential", "receivable", "overdue_days"], lrows)
    irows = []
    for city in CITIES:
        for y in YEARS:
            for ind in list(PAPER_INDICATORS) + ["supplier_concentration", "independent_innovation_rate",
                                                  "capacity_utilisation", "market_concentration",
                                                  "capital_turnover", "demand"]:
                v, src, imp = panel[(city, y, ind)]
                dec = PAPER_INDICATORS[ind][4] if ind in PAPER_INDICATORS else 4
                if ind == "capital_turnover":
                    dec = PAPER_INDICATORS["D221"][4]
                if ind == "demand":
                    dec = 1
                irows.append([city, str(y), ind, f"{v:.{dec}f}", src, fmt(imp)])
    write_csv(os.path.join(DATA, "indicators.csv"), ["region", "year", "indicator", "value", "source", "imputed"],
              irows)
    write_csv(os.path.join(DATA, "risks.csv"), ["id", "type", "factor", "probability", "impact", "owner", "measures"],
              [[r[0], r[1], r[2], f"{r[3]:.3f}", f"{r[4]:.3f}", r[5], r[6]] for r in RISKS])
    ind, fd_labels, Zc, Yc, Vc, va_labels, _, _ = IO
    io_dir = os.path.join(DATA, "io")
    hdr = ["region", "sector"] + [f"{r}|{s}" for r, s in ind]
    c2 = lambda v: f"{v / 100:.2f}"
    write_csv(os.path.join(io_dir, "Z.csv"), hdr, [[r, s] + [c2(v) for v in Zc[i]] for i, (r, s) in enumerate(ind)])
    write_csv(os.path.join(io_dir, "Y.csv"), ["region", "sector"] + [f"{r}|{c}" for r, c in fd_labels],
              [[r, s] + [c2(v) for v in Yc[i]] for i, (r, s) in enumerate(ind)])
    write_csv(os.path.join(io_dir, "value_added.csv"), ["region", "sector"] + va_labels,
              [[r, s] + [c2(v) for v in Vc[i]] for i, (r, s) in enumerate(ind)])
    with open(os.path.join(HERE, "chainlens.toml"), "w", encoding="utf-8") as f:
        f.write(render_toml())


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_toml() -> str:
    out = [TOML_HEAD]
    comments = {
        "nev": "# New-energy vehicles. Gao 2021 splits the chain into four segments; the two cores\n"
               "# (vehicle manufacturing) sit in Hangzhou and Taizhou. Deliberate gap: `power_semis` has\n"
               "# no enterprise in Zhejiang, so automotive electronics depend on Shanghai, Jiangsu and\n"
               "# abroad.",
        "optical": "# Optical communication (Gao 2021's chain-protection case). Every fibre maker buys its\n"
                   "# preforms from one Hangzhou preform maker (a single point of failure); a Hangzhou\n"
                   "# cable supplier's customers pay late (see README.md, the clearing calculation).",
        "computing": "# Intelligent computing (Gao 2021's chain-supplement case): high-end chips and core\n"
                     "# components come mostly from abroad (external dependence of the core stages).",
    }
    for chain in CHAINS:
        out.append("")
        out.append(comments[chain["id"]])
        out.append("[[chains]]")
        out.append(f"id = {toml_str(chain['id'])}")
        out.append(f"name = {toml_str(chain['name'])}")
        out.append(f"description = {toml_str(chain['description'])}")
        for s in chain["stages"]:
            out.append("")
            if "note" in s:
                out.append(f"  # {s['note']}")
            out.append("  [[chains.stages]]")
            out.append(f"  id = {toml_str(s['id'])}")
            out.append(f"  name = {toml_str(s['name'])}")
            out.append(f"  segment = {toml_str(s['segment'])}")
            out.append(f"  position = {toml_str(s['position'])}")
            out.append(f"  core = {'true' if s['core'] else 'false'}")
            out.append(f"  sector = {toml_str(s['sector'])}")
            out.append("  inputs = [" + ", ".join(toml_str(i) for i in s["inputs"]) + "]")
    out.append(TOML_TAIL)
    return "\n".join(out)


TOML_HEAD = """\
# ChainLens example workspace: Zhejiang's landmark industrial chains.
#
# ALL NUMBERS ARE SYNTHETIC AND ILLUSTRATIVE. They were produced by generate.py (in this
# folder, fixed seed) to follow the cases of the two source papers, not taken from
# statistics. Regenerate with:  python3 examples/zhejiang/generate.py
# The format of this file and of data/ is described in docs/workspace-format.md.
# Units: money in 10^4 CNY, time in days.

[workspace]
name = "zhejiang"
title = "Zhejiang landmark chains (illustrative, synthetic data)"
home_region = "zhejiang"     # "local" means inside Zhejiang (its 11 cities are children of it)
country = "china"            # enterprises in the region `abroad` count as foreign
years = [2018, 2023]         # the indicator panel covers 2018-2023

[tables]                     # one CSV per table, UTF-8
regions = "data/regions.csv"            # China, Zhejiang + 4 partner provinces, 11 cities, abroad
sectors = "data/sectors.csv"            # GB/T 4754-2017 divisions/groups used by stages and enterprises
enterprises = "data/enterprises.csv"    # extra numeric columns: dev_cycle_days, switch_days, quality_incidents
supply_links = "data/supply_links.csv"  # supplier -> buyer, `stage` = what the supplier sells
indicators = "data/indicators.csv"      # long format: region, year, indicator, value, source, imputed (incl. demand)
risks = "data/risks.csv"                # Zhang 2024, Table 4-6

# A two-region input-output table (zhejiang, rest_of_china; 10 sectors each) in the
# `matrix` layout: Z.csv, Y.csv and value_added.csv, first columns region,sector, other
# headers region|sector (region|category for final demand). Balanced by construction:
# x = Z1 + Y1 = 1'Z + 1'V. Units: 10^4 CNY. Read by the linkage analysis.
[io]
table = "data/io"
layout = "matrix"

# ---------------------------------------------------------------------------------------
# Chains. Each stage has:
#   id, name   unique within the chain
#   segment    pre-production | production | circulation | post-production (Gao 2021)
#   position   upstream | midstream | downstream
#   core       true for core components / key equipment
#   sector     a sector id from data/sectors.csv
#   inputs     the stages of the same chain this stage buys from; a trailing `?` marks a
#              non-essential input (production goes on without it). Production needs ALL
#              essential inputs and ANY supplier within each input.
# Stages are listed upstream first; the inputs must form an acyclic graph.
# ---------------------------------------------------------------------------------------"""

TOML_TAIL = """
# ---------------------------------------------------------------------------------------
# Early warning for `chainlens warn` (crates/chainlens-warning/src/config.rs). Without this
# section the defaults of Zhang 2024 apply: Table 4-7's five targets with a warning band
# of 10 % before each threshold, and the four triggers of Table 4-8. On this panel they
# raise 54 alerts, most of them saying that the weaker cities are weaker (capital
# turnover > 2.5 is met by Hangzhou alone, capacity utilisation > 0.85 by three cities),
# and the bands of the level-3 rules land at level 4, among the quality incidents. The
# rules below replace the defaults to give a list a chain office acts on (28 alerts).
# ---------------------------------------------------------------------------------------

# Supplier concentration keeps Table 4-7's target (< 0.300, level 2, develop potential
# suppliers). No band: the forecast warns instead when the trend will miss the target
# within two years (Ningbo: 0.215 -> 0.288 over 2018-2023).
[[warning.rules]]
id = "supplier_concentration"
below = 0.300
band = 0.0
horizon = 2
level = 2
measure = "supplement"
response = "develop potential suppliers (supplier diversity)"

# Market concentration keeps Table 4-7's target (< 0.400, level 3).
[[warning.rules]]
id = "market_concentration"
below = 0.400
band = 0.0
horizon = 2
level = 3
measure = "financing"
response = "expand into new markets"

# Interim targets on the way to Table 4-7's (innovation rate > 0.600, capacity
# utilisation > 0.850, capital turnover > 2.500), which 5, 8 and 10 of the 11 cities miss
# in 2023: these flag the cities furthest behind, where action comes first.
[[warning.rules]]
id = "independent_innovation_rate"
above = 0.550
band = 0.0
horizon = 2
level = 3
measure = "creation"
response = "build an innovation platform (technological breakthrough)"

[[warning.rules]]
id = "capacity_utilisation"
above = 0.820
band = 0.0
horizon = 2
level = 3
measure = "protection"
response = "transform production lines (flexible production)"

[[warning.rules]]
id = "capital_turnover"
above = 2.000
band = 0.0
horizon = 2
level = 3
measure = "financing"
response = "innovative financing model"

# The emergency triggers of Table 4-8 keep their defaults: chain break (level 1), tight
# supply when a buyer's stock of an essential input covers less than its replacement
# lead time (level 2), a year-on-year change of `demand` beyond +-20 % (level 3) and any
# `quality_incidents` recorded by an enterprise (level 4). Written out for reference.
[warning.triggers.tight_supply]
threshold = 1.0

[warning.triggers.demand]
threshold = 0.20

[warning.triggers.quality]
threshold = 0.0

# ---------------------------------------------------------------------------------------
# Disruption scenarios for `chainlens simulate examples/zhejiang --scenario NAME` (the
# firm-level cascade of chainlens-sim, see crates/chainlens-sim/src/scenario.rs). Days
# count from 0; a shock removes `share` of the capacity of a firm, of every enterprise
# serving a stage (`chain/stage`, wherever it is) or of every enterprise in a region (and
# the regions below it) from day `start` for `days` days. Buyers bridge a shortfall from
# their stock (`inventory_days` of the links); a firm below half its normal output counts
# as failed. `ttr_days` is the time a node needs to recover (its time to survive is
# compared with it). README.md tells what each scenario shows.
# ---------------------------------------------------------------------------------------

# Every power-battery maker stops for a month. The cores hold only 3-7 days of batteries
# (Taizhou's e075 buys from e041 alone): e073, e074 and e075 fail 6-8 days after the stop,
# the other vehicle makers, with 19-25 days of stock, one to three weeks later. The
# dealers bridge the gap from their 20-45 days of vehicles.
[[scenarios]]
name = "battery_stop"
description = "Power batteries (stage nev/battery) lose all capacity from day 5 for 30 days"
days = 120
ttr_days = 30

  [[scenarios.shocks]]
  stage = "nev/battery"
  share = 1.0
  start = 5
  days = 30

# Ningbo is cut off (a typhoon closes the port and roads) for two weeks: its 41
# enterprises stop (steel, petrochemicals, electronics, the battery leader e036, a vehicle
# maker, logistics, dealers), and the Hangzhou core e074 falls below half its output.
[[scenarios]]
name = "ningbo_cutoff"
description = "The city of Ningbo is cut off from day 3 for 14 days"
days = 120
ttr_days = 30

  [[scenarios.shocks]]
  region = "ningbo"
  share = 1.0
  start = 3
  days = 14

# The single point of failure: e154, the only preform supplier of every fibre maker,
# stops for 90 days (a furnace rebuild). Once the fibre makers' 10-20 days of preforms are
# used up, fibre, cable, devices and switches stop in turn: all 37 enterprises it
# dominates fail, the whole optical chain below the preform breaks.
[[scenarios]]
name = "preform_outage"
description = "e154 (the only preform supplier of all fibre makers) stops from day 0 for 90 days"
days = 180
ttr_days = 60

  [[scenarios.shocks]]
  firm = "e154"
  share = 1.0
  start = 0
  days = 90

# No fixed shock: a Monte Carlo over the risk register (data/risks.csv, Table 4-6). In
# each trial every risk occurs with its probability and takes the share `impact` of one
# firm's capacity for `shock_days` days; the result is the loss distribution (mean, VaR,
# expected shortfall) and robustness curves (random against targeted removal).
[[scenarios]]
name = "risk_register"
description = "Monte Carlo over the risk register (Zhang 2024, Table 4-6)"
days = 120
shocks = []

  [scenarios.monte_carlo]
  trials = 500
  seed = 20211130
  shock_days = 30
  alpha = 0.95
"""


# ---------------------------------------------------------------------------------------
# Self-check (raises on failure)
# ---------------------------------------------------------------------------------------


class CheckError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise CheckError(msg)


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def clearing(firms, liab, cash):
    """Eisenberg-Noe clearing with the fictitious-default algorithm.
    liab[(debtor, creditor)] = amount. Returns payments, defaults in order of rounds."""
    total = {i: 0.0 for i in firms}
    for (d, _), v in liab.items():
        total[d] += v
    defaulted: set[str] = set()
    rounds = []
    while True:
        # payments: solvent pay in full; defaulted pay p_i solving the linear system, done
        # here by fixed-point iteration restricted to the defaulted set (small).
        p = dict(total)
        for _ in range(10000):
            moved = 0.0
            for i in sorted(defaulted):
                inflow = sum(v / total[d] * p[d] for (d, c), v in liab.items() if c == i and total[d] > 0)
                new = min(total[i], cash[i] + inflow)
                moved = max(moved, abs(new - p[i]))
                p[i] = new
            if moved < 1e-10:
                break
        new_def = []
        for i in sorted(firms):
            if i in defaulted or total[i] == 0:
                continue
            inflow = sum(v / total[d] * p[d] for (d, c), v in liab.items() if c == i and total[d] > 0)
            if cash[i] + inflow < total[i] - 1e-9:
                new_def.append(i)
        if not new_def:
            return p, total, rounds
        rounds.append(new_def)
        defaulted.update(new_def)


def self_check():
    cfg = tomllib.load(open(os.path.join(HERE, "chainlens.toml"), "rb"))
    check(cfg["workspace"]["name"] == "zhejiang", "workspace name")
    for t, p in cfg["tables"].items():
        check(os.path.exists(os.path.join(HERE, p)), f"table {t}: {p} missing")
    regions = read_csv(os.path.join(DATA, "regions.csv"))
    sectors = read_csv(os.path.join(DATA, "sectors.csv"))
    ents = read_csv(os.path.join(DATA, "enterprises.csv"))
    lnk = read_csv(os.path.join(DATA, "supply_links.csv"))
    inds = read_csv(os.path.join(DATA, "indicators.csv"))
    risks = read_csv(os.path.join(DATA, "risks.csv"))

    def unique(rows, what):
        ids = [r["id"] for r in rows]
        check(len(ids) == len(set(ids)), f"duplicate {what} id")
        check(all(ids), f"empty {what} id")
        return {r["id"]: r for r in rows}

    R = unique(regions, "region")
    SEC = unique(sectors, "sector")
    E = unique(ents, "enterprise")
    unique(risks, "risk")
    levels = {"country": 0, "province": 1, "city": 2, "county": 3}
    for r in regions:
        check(r["level"] in levels, f"region {r['id']} level")
        if r["parent"]:
            check(r["parent"] in R, f"region {r['id']} parent")
            check(levels[R[r["parent"]]["level"]] < levels[r["level"]], f"region {r['id']} parent level")
        for n in filter(None, r["neighbours"].split(";")):
            check(n in R, f"region {r['id']} neighbour {n}")
            check(r["id"] in R[n]["neighbours"].split(";"), f"neighbours {r['id']}-{n} not symmetric")
    check(cfg["workspace"]["home_region"] in R and cfg["workspace"]["country"] in R, "workspace regions")
    check(sum(1 for r in regions if r["level"] == "city" and r["parent"] == "zhejiang") == 11, "11 cities")
    # chains: stage ids, segments, sectors, inputs, acyclic
    stage_set = set()
    seg_ok = {"pre-production", "production", "circulation", "post-production"}
    pos_ok = {"upstream", "midstream", "downstream"}
    check(len({c["id"] for c in cfg["chains"]}) == len(cfg["chains"]) >= 3, "chains")
    for c in cfg["chains"]:
        ids = [s["id"] for s in c["stages"]]
        check(len(ids) == len(set(ids)), f"duplicate stage in {c['id']}")
        for s in c["stages"]:
            check(s["segment"] in seg_ok and s["position"] in pos_ok, f"stage {s['id']} segment/position")
            check(s["sector"] in SEC, f"stage {s['id']} sector")
            for i in s["inputs"]:
                check(i.rstrip("?") in ids and i.rstrip("?") != s["id"], f"stage {s['id']} input {i}")
            stage_set.add((c["id"], s["id"]))
        # acyclic (Kahn)
        indeg = {s["id"]: len(s["inputs"]) for s in c["stages"]}
        done = [k for k, v in indeg.items() if v == 0]
        seen = 0
        while done:
            k = done.pop()
            seen += 1
            for s in c["stages"]:
                if k in [i.rstrip("?") for i in s["inputs"]]:
                    indeg[s["id"]] -= 1
                    if indeg[s["id"]] == 0:
                        done.append(s["id"])
        check(seen == len(c["stages"]), f"chain {c['id']} has a cycle")
    money = ["capacity", "output", "employees", "total_assets", "operating_income", "rd_expenditure",
             "invention_patents", "cash", "dev_cycle_days", "switch_days", "quality_incidents"]
    names = [e["name"] for e in ents]
    check(len(names) == len(set(names)), "duplicate enterprise names")
    for e in ents:
        check(e["region"] in R, f"enterprise {e['id']} region")
        check(e["role"] in ("leading", "specialised", "supporting"), f"enterprise {e['id']} role")
        check(e["sector"] in SEC, f"enterprise {e['id']} sector")
        for sr in e["stages"].split(";"):
            c, s = sr.split("/")
            check((c, s) in stage_set, f"enterprise {e['id']} stage {sr}")
        for m in money:
            v = float(e[m])
            check(math.isfinite(v) and v >= 0, f"enterprise {e['id']} {m} = {v}")
        check(float(e["output"]) <= float(e["capacity"]) + 1e-6, f"enterprise {e['id']} output > capacity")
        u = float(e["output"]) / float(e["capacity"])
        check(0.59 <= u <= 0.981, f"enterprise {e['id']} utilisation {u}")
    check(150 <= len(ents) <= 400, f"{len(ents)} enterprises")
    check(600 <= len(lnk) <= 3000, f"{len(lnk)} links")
    keys = set()
    stages_of = {e["id"]: set(tuple(x.split("/")) for x in e["stages"].split(";")) for e in ents}
    chain_inputs = {(c["id"], s["id"]): {i.rstrip("?"): not i.endswith("?") for i in s["inputs"]}
                    for c in cfg["chains"] for s in c["stages"]}
    sold = {}
    for l in lnk:
        k = (l["supplier"], l["buyer"], l["chain"], l["stage"])
        check(k not in keys, f"duplicate link {k}")
        keys.add(k)
        check(l["supplier"] in E and l["buyer"] in E, f"link {k} enterprise")
        check(l["supplier"] != l["buyer"], f"self link {k}")
        check((l["chain"], l["stage"]) in stages_of[l["supplier"]], f"link {k}: supplier does not serve stage")
        bstages = [s for (c, s) in stages_of[l["buyer"]] if c == l["chain"] and l["stage"] in chain_inputs[(c, s)]]
        check(bstages, f"link {k}: buyer serves no stage that draws on {l['stage']}")
        ess = any(chain_inputs[(l["chain"], s)][l["stage"]] for s in bstages)
        check((l["essential"] == "true") == ess, f"link {k}: essential flag")
        for m in ("value", "lead_time_days", "inventory_days", "receivable", "overdue_days"):
            v = float(l[m])
            check(math.isfinite(v) and v >= 0, f"link {k} {m}")
        check(l["share"] == "", "shares are left empty")
        check(float(l["receivable"]) <= float(l["value"]) * 0.5, f"link {k} receivable too large")
        sold[l["supplier"]] = sold.get(l["supplier"], 0.0) + float(l["value"])
    for e in ents:
        check(sold.get(e["id"], 0.0) <= float(e["output"]) + 1e-6, f"enterprise {e['id']} sells more than its output")
    years = cfg["workspace"]["years"]
    ikeys = set()
    for r in inds:
        k = (r["region"], r["year"], r["indicator"])
        check(k not in ikeys, f"duplicate indicator {k}")
        ikeys.add(k)
        check(r["region"] in R and years[0] <= int(r["year"]) <= years[1], f"indicator {k}")
        check(math.isfinite(float(r["value"])) and float(r["value"]) >= 0, f"indicator {k} value")
        check(r["imputed"] in ("true", "false"), f"indicator {k} imputed")
        if r["imputed"] == "true":
            check(r["source"] == "interpolated", f"indicator {k} source")
    check(len(ikeys) == 11 * 6 * 18, f"{len(ikeys)} indicator values")
    for r in risks:
        check(0 <= float(r["probability"]) <= 1 and 0 <= float(r["impact"]) <= 1, f"risk {r['id']}")
    check([(r["factor"], r["probability"], r["impact"]) for r in risks] == [
        ("Raw material supply cut", "0.234", "0.867"), ("Technology blockade", "0.345", "0.923"),
        ("Demand fluctuation", "0.456", "0.678"), ("Policy change", "0.234", "0.567"),
        ("Carbon emission constraint", "0.567", "0.789")], "Table 4-6")

    # --- IO table: balanced and productive, read back from the files.
    io = os.path.join(HERE, cfg["io"]["table"])
    Z = read_csv(os.path.join(io, "Z.csv"))
    Y = read_csv(os.path.join(io, "Y.csv"))
    V = read_csv(os.path.join(io, "value_added.csv"))
    labels = [f"{r['region']}|{r['sector']}" for r in Z]
    check(list(Z[0].keys())[2:] == labels, "Z headers")
    check([f"{r['region']}|{r['sector']}" for r in Y] == labels == [f"{r['region']}|{r['sector']}" for r in V],
          "IO row labels")
    z = [[float(r[h]) for h in labels] for r in Z]
    yhdr = list(Y[0].keys())[2:]
    vhdr = list(V[0].keys())[2:]
    x_row = [sum(z[i]) + sum(float(Y[i][h]) for h in yhdr) for i in range(len(labels))]
    x_col = [sum(z[i][j] for i in range(len(labels))) + sum(float(V[j][h]) for h in vhdr) for j in range(len(labels))]
    gap = max(abs(a - b) / a for a, b in zip(x_row, x_col))
    check(gap < 1e-9, f"IO table not balanced: {gap}")
    for j in range(len(labels)):
        colsum = sum(z[i][j] for i in range(len(labels))) / x_row[j]
        check(colsum < 1, f"IO column {labels[j]} sum of A = {colsum}")
        check(all(float(V[j][h]) >= 0 for h in vhdr), f"value added of {labels[j]} negative")
    check(all(v >= 0 for row in z for v in row), "Z negative")

    # --- The deliberate weaknesses.
    zj_cities = {r["id"] for r in regions if r["parent"] == "zhejiang"} | {"zhejiang"}
    # gap: nev/power_semis has no enterprise in Zhejiang (but some elsewhere)
    ps = [e for e in ents if ("nev", "power_semis") in stages_of[e["id"]]]
    check(ps and not [e for e in ps if e["region"] in zj_cities], "power_semis gap")
    # dominator: one Hangzhou preform maker supplies every fibre maker
    pre = tagged("preform_hz").id
    fibre_buyers = {l["buyer"] for l in lnk if l["stage"] == "preform"}
    fibre_makers = {e["id"] for e in ents if ("optical", "fibre") in stages_of[e["id"]]}
    check(fibre_buyers == fibre_makers, "every fibre maker buys preforms")
    check({l["supplier"] for l in lnk if l["stage"] == "preform"} == {pre}, "single preform supplier")
    dom = dominators([e["id"] for e in ents], [(l["supplier"], l["buyer"]) for l in lnk])
    dominated = sorted(v for v, ds in dom.items() if pre in ds and v != pre)
    optical_down = sorted(e["id"] for e in ents if any(c == "optical" and s in ("fibre", "cable", "devices", "switches")
                                                       for c, s in stages_of[e["id"]]))
    check(dominated == optical_down, f"preform maker dominates {dominated}")
    # external dependence of chips bought by server makers
    chip = [l for l in lnk if l["chain"] == "computing" and l["stage"] == "chips"]
    abroad = sum(float(l["value"]) for l in chip if E[l["supplier"]]["region"] == "abroad")
    ext_chips = abroad / sum(float(l["value"]) for l in chip)
    check(ext_chips > 0.7, f"chips from abroad only {ext_chips:.3f}")
    # single-source essential inputs
    groups = {}
    for l in lnk:
        if l["essential"] == "true":
            groups.setdefault((l["buyer"], l["chain"], l["stage"]), []).append(l["supplier"])
    single = sorted(k for k, v in groups.items() if len(v) == 1)
    check(len(single) >= 5, "single-source essential inputs")
    # Eisenberg-Noe: exactly the story's three enterprises default, the cable supplier second.
    liab = {}
    for l in lnk:
        liab[(l["buyer"], l["supplier"])] = liab.get((l["buyer"], l["supplier"]), 0.0) + float(l["receivable"])
    cash = {e["id"]: float(e["cash"]) for e in ents}
    p, total, rounds = clearing(sorted(E), liab, cash)
    C, D1, D2 = tagged("cable_C").id, tagged("dev_D1").id, tagged("dev_D2").id
    check(rounds == [sorted([D1, D2]), [C]], f"clearing default rounds {rounds}")
    check(abs(total[C] - 10000.0) < 1e-6 and abs(p[C] - 8875.0) < 1e-6, f"C pays {p[C]} of {total[C]}")
    check(abs(p[D1] / total[D1] - 0.35) < 1e-9 and abs(p[D2] / total[D2] - 0.30) < 1e-9, "D ratios")
    # C would pay in full if its debtors paid in full: a default caused by others paying late.
    owed_to_c = sum(v for (d, c), v in liab.items() if c == C)
    check(cash[C] + owed_to_c >= total[C], "C fundamentally solvent")
    # Level 3: `demand` for every city and year; in 2023 only Taizhou (-24 %) and Jinhua
    # (+27 %) change by more than the trigger's 20 %.
    dem = {(r["region"], int(r["year"])): float(r["value"]) for r in inds if r["indicator"] == "demand"}
    check(len(dem) == 11 * 6 and all(v > 0 for v in dem.values()), "demand panel")
    beyond = sorted(c for c in CITIES if abs(dem[(c, 2023)] / dem[(c, 2022)] - 1) > 0.20)
    check(beyond == ["jinhua", "taizhou"], f"2023 demand changes beyond 20 %: {beyond}")
    check(all(abs(dem[(c, y)] / dem[(c, y - 1)] - 1) < 0.20 for c in CITIES for y in YEARS[1:-1]),
          "demand changes before 2023 stay within 20 %")
    # Level 4: quality incidents recorded by e037 (Huzhou batteries) and e158 (Jiaxing fibre).
    qual = {e["id"]: int(e["quality_incidents"]) for e in ents if int(e["quality_incidents"]) > 0}
    check(qual == {"e037": 2, "e158": 1}, f"quality incidents {qual}")
    # Scenarios and the [warning] section: names, targets and the rules' metrics resolve.
    sc = {x["name"]: x for x in cfg["scenarios"]}
    check(sorted(sc) == ["battery_stop", "ningbo_cutoff", "preform_outage", "risk_register"], "scenarios")
    for x in cfg["scenarios"]:
        for sh in x["shocks"]:
            check(sum(k in sh for k in ("firm", "stage", "region")) == 1, f"scenario {x['name']} shock target")
            check(sh.get("firm", "e001") in E and sh.get("region", "china") in R
                  and tuple(sh.get("stage", "nev/battery").split("/")) in stage_set, f"scenario {x['name']} target")
            check(0 < sh["share"] <= 1 and sh["start"] >= 0 and sh["days"] > 0, f"scenario {x['name']} shock")
    check(sc["preform_outage"]["shocks"][0]["firm"] == pre, "preform_outage hits the dominator")
    check("monte_carlo" in sc["risk_register"], "risk_register has a Monte Carlo block")
    ind_names = {r["indicator"] for r in inds}
    for rule in cfg["warning"]["rules"]:
        check(rule.get("metric", rule["id"]) in ind_names, f"warning rule {rule['id']}: metric not in the panel")
    # Ids quoted in chainlens.toml comments and README.md.
    quoted = {"preform_hz": ["e154"], "preform_js": ["e155"], "cable_C": ["e161"], "group_G": ["e173"],
              "dev_D1": ["e174"], "dev_D2": ["e175"], "hz_vehicle": ["e073", "e074"], "tz_vehicle": ["e075"],
              "tz_battery": ["e041"], "wz_server": ["e213"]}
    for tag, ids in quoted.items():
        check([e.id for e in BY_TAG[tag]] == ids, f"{tag} is no longer {ids}: update README.md and the notes")
    check(abs(ext_chips - 0.768) < 0.005 and len(dominated) == 37 and len(single) == 25,
          "README.md quotes 76.8 % imported chips, 37 dominated enterprises, 25 single sources")
    return dict(single=single, ext_chips=ext_chips, dominated=len(dominated), rounds=rounds, p=p, total=total,
                n_ent=len(ents), n_links=len(lnk), n_ind=len(inds))


def dominators(nodes, edges):
    """Dominator sets with a virtual source feeding every node without suppliers (iterative)."""
    preds = {n: [] for n in nodes}
    for s, b in edges:
        preds[b].append(s)
    src = "__source__"
    for n in nodes:
        if not preds[n]:
            preds[n] = [src]
    allset = frozenset(nodes) | {src}
    dom = {n: allset for n in nodes}
    dom[src] = frozenset([src])
    changed = True
    while changed:
        changed = False
        for n in nodes:
            new = None
            for p in preds[n]:
                new = dom[p] if new is None else new & dom[p]
            new = (new or frozenset()) | {n}
            if new != dom[n]:
                dom[n] = new
                changed = True
    return dom


def main():
    write_all()
    info = self_check()
    ents = {e.id: e for e in ENTERPRISES}
    print(f"enterprises {info['n_ent']}, supply links {info['n_links']}, indicator values {info['n_ind']}")
    print(f"chips bought from abroad: {info['ext_chips']:.3f} of value")
    print(f"preform maker {tagged('preform_hz').id} dominates {info['dominated']} enterprises")
    print(f"single-source essential inputs: {len(info['single'])}")
    for b, c, s in info["single"]:
        print(f"  {b} ({ents[b].region}, {ents[b].units[0][0]}/{ents[b].units[0][1]}) <- {c}/{s}")
    for tag in ["preform_hz", "preform_js", "cable_C", "cable_C2", "cable_C3", "dev_D1", "dev_D2", "group_G",
                "sw_S1", "sw_S2", "hz_vehicle", "tz_vehicle", "tz_battery", "wz_server", "multi_elec", "multi_logi"]:
        for e in BY_TAG[tag][: (2 if tag == "hz_vehicle" else 1)]:
            print(f"  {tag:12s} {e.id} {e.name} ({e.region})")
    print("clearing rounds:", info["rounds"])
    print("self-check passed")


if __name__ == "__main__":
    main()
