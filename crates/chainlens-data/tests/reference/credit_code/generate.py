"""Reference verdicts for chainlens_data::credit_code from python-stdnum 2.2
(stdnum.cn.uscc, an independent implementation of GB 32100-2015).

    python3 -m pip install python-stdnum==2.2
    python3 crates/chainlens-data/tests/reference/credit_code/generate.py > \
        crates/chainlens-data/tests/reference/credit_code/expected.json

Valid codes are those the firms publish on their business licences and in their annual
reports (and stdnum's own documentation example); the invalid ones are copies of them
with one character changed, two adjacent characters swapped, a letter the alphabet
lacks, or a character dropped.
"""
import json
import random

import stdnum
from stdnum.cn import uscc

assert stdnum.__version__ == "2.2", stdnum.__version__

PUBLISHED = {
    "91330100716105852F": "Alibaba (China) Co., Ltd. / 阿里巴巴（中国）有限公司",
    "9144030071526726XG": "Tencent Technology (Shenzhen) Co., Ltd. / 腾讯科技（深圳）有限公司",
    "914403001922038216": "Huawei Technologies Co., Ltd. / 华为技术有限公司",
    "91440300192317458F": "BYD Company Limited / 比亚迪股份有限公司",
    "91110000710925462X": "PetroChina Company Limited / 中国石油天然气股份有限公司",
    "91110108551385082Q": "Beijing Xiaomi Technology Co., Ltd. / 北京小米科技有限责任公司",
    "91110000600037341L": "python-stdnum's documentation example",
}

rng = random.Random(17)
alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
invalid = []
for code in PUBLISHED:
    assert uscc.is_valid(code), code
    # one character changed
    for _ in range(3):
        i = rng.randrange(18)
        c = rng.choice([a for a in alphabet if a != code[i]])
        invalid.append(code[:i] + c + code[i + 1:])
    # adjacent swap of different characters
    i = next(i for i in range(rng.randrange(17), 34) if code[i % 17] != code[i % 17 + 1]) % 17
    invalid.append(code[:i] + code[i + 1] + code[i] + code[i + 2:])
    # a letter outside the alphabet, a dropped character
    invalid.append(code[:10] + "O" + code[11:])
    invalid.append(code[:5] + code[6:])
for code in invalid:
    assert not uscc.is_valid(code), code

print(json.dumps({
    "reference": f"python-stdnum {stdnum.__version__} stdnum.cn.uscc",
    "valid": list(PUBLISHED),
    "names": PUBLISHED,
    "invalid": invalid,
}, ensure_ascii=False, indent=1))
