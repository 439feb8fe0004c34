#!/usr/bin/env python3
"""Rescore eval-recs predictions independently of the Rust code (standard library only).

usage: rescore.py PREDICTIONS.jsonl [LOG.csv[.gz]] [SPLIT=2011-06-01]

Applies the protocol of issue #14 to LOG (train: rows before SPLIT, test: rows from
SPLIT on), checks that PREDICTIONS has a line for every customer with train history
and recommends nothing bought in train, and prints customers evaluated, HR@10 and
NDCG@10.
"""
import csv, gzip, json, math, re, sys
from collections import defaultdict

preds_path = sys.argv[1]
log = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/online-retail/online-retail-2010-12-01-to-2011-07-20.csv.gz"
split = sys.argv[3] if len(sys.argv) > 3 else "2011-06-01"
opener = gzip.open if log.endswith(".gz") else open
train, test = defaultdict(set), defaultdict(set)
with opener(log, "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if not r["CustomerID"] or r["InvoiceNo"][:1] in ("C", "A"):
            continue
        try:
            if int(r["Quantity"]) <= 0 or float(r["UnitPrice"]) <= 0:
                continue
        except ValueError:
            continue
        code = r["StockCode"].upper()
        if re.match(r"^[0-9]{5}", code):
            (train if r["InvoiceDate"] < split else test)[r["CustomerID"]].add(code)
with open(preds_path) as f:
    preds = {j["customer"]: j["items"] for j in map(json.loads, f)}
assert set(preds) == set(train), "one line for every customer with train history"
n = hits_total = ndcg_total = 0
for customer, bought in train.items():
    top = preds[customer][:10]
    assert not set(top) & bought, f"{customer}: recommends an item bought in train"
    relevant = test.get(customer, set()) - bought
    if not relevant:
        continue
    n += 1
    ranks = [i for i, item in enumerate(top) if item in relevant]
    hits_total += bool(ranks)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    ndcg_total += sum(1 / math.log2(i + 2) for i in ranks) / ideal
print(f"customers {n}  HR@10 {hits_total / n:.4f}  NDCG@10 {ndcg_total / n:.4f}")
