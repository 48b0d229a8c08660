"""
The PyTorch peer of `fedflow score` for an NSL-KDD file: read it with pandas, encode every
field with the model's own encoder spec (vocabularies and numeric bin edges from model.json),
score with torch, write one JSON line per flow (score, thresholds crossed, the three fields
that explain it most) as fedflow's alert lines do.

  python3 score_file.py --model DIR --data KDDTest+.txt --out alerts.jsonl [--threads N]
"""

import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
import torch

from vae_peer import MixtureVae, cardinality, load_model_dir

BATCH = 2048  # fedflow's SCORE_BATCH
TOP = 3  # fedflow's scoring.topFields default


def encode(frame, fields):
    """The FlowEncoder's codes: vocabulary index + 1 (0 = other); numeric bin (0 = zero/unset)."""
    codes = np.zeros((len(frame), len(fields)), dtype=np.int64)
    for i, field in enumerate(fields):
        column = frame[field["name"]]
        if field["kind"] == "categorical":
            lookup = {v: j + 1 for j, v in enumerate(field["vocabulary"])}
            codes[:, i] = column.map(lookup).fillna(0).to_numpy(dtype=np.int64)
        else:
            values = column.to_numpy(dtype=np.float64)
            bins = np.searchsorted(np.asarray(field["edges"], dtype=np.float64), values, side="right") + 1
            codes[:, i] = np.where(values > 0, bins, 0)
    return torch.from_numpy(codes)


def describe(field, code):
    if field["kind"] == "categorical":
        return "<other>" if code == 0 else field["vocabulary"][code - 1]
    if code == 0:
        return "0"
    edges = field["edges"]
    lower = 0 if code == 1 else edges[code - 2]
    upper = edges[code - 1] if code - 1 < len(edges) else math.inf
    return f"{'(' if code == 1 else '['}{short(lower)}, {short(upper)})"


def short(value):
    if math.isinf(value):
        return "inf"
    rounded = float(f"{value:.3g}")
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def alert_key(fpr):
    return "fpr_" + format(float(f"{fpr * 100:.6g}"), "g").replace(".", "_") + "pct"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=0)
    a = parser.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    started = time.perf_counter()
    spec, weights = load_model_dir(a.model)
    model = MixtureVae(spec, weights)
    with open(os.path.join(a.model, "thresholds.json"), encoding="utf-8") as f:
        targets = (json.load(f) or {}).get("targets", [])
    digest = hashlib.sha256(weights.tobytes()).hexdigest()[:16]
    fields = spec["encoder"]["fields"]
    schema = [f["name"] for f in spec["schema"]["fields"]]
    categorical = {f["name"]: str for f in fields if f["kind"] == "categorical"}
    frame = pd.read_csv(
        a.data, header=None, names=schema + ["label", "difficulty"], dtype=categorical, keep_default_na=False
    )
    codes = encode(frame, fields)

    prefixes = [f'{{"field":{json.dumps(f["name"])},"value":' for f in fields]
    numeric = [f["kind"] == "numeric" for f in fields]
    categories = [[json.dumps(describe(f, c)) for c in range(cardinality(f))] for f in fields]
    keys = [json.dumps(alert_key(t["fpr"])) for t in targets]
    thresholds = [t["threshold"] for t in targets]
    tail = f',"model":{{"digest":"{digest}"}}}}\n'
    file_json = json.dumps(a.data)
    columns = [frame[f["name"]].to_numpy() for f in fields]
    labels = frame["label"].to_numpy()
    alerts = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for start in range(0, codes.shape[0], BATCH):
            batch = codes[start : start + BATCH]
            scores, field_nll = model.score(model.multi_hot(batch))
            scores, field_nll, batch = scores.numpy(), field_nll.numpy(), batch.numpy()
            top = np.argsort(-field_nll, axis=1, kind="stable")[:, :TOP]
            lines = []
            for r in range(scores.shape[0]):
                row = start + r
                score = float(scores[r])
                crossed = [score > t for t in thresholds]
                alerts += any(crossed)
                parts = []
                for i in top[r]:
                    nats = float(field_nll[r, i])
                    value = columns[i][row]
                    value = repr(float(value)) if numeric[i] else json.dumps(value)
                    parts.append(
                        f'{prefixes[i]}{value},"category":{categories[i][batch[r, i]]},'
                        f'"probability":{math.exp(-nats):.4g},"nats":{round(nats, 4)}}}'
                    )
                flags = ",".join(f"{k}:{'true' if c else 'false'}" for k, c in zip(keys, crossed))
                lines.append(
                    f'{{"row":{row + 1},"file":{file_json},"line":{row + 1},"score":{round(score, 4)},'
                    f'"alerts":{{{flags}}},"top":[{",".join(parts)}],"label":{json.dumps(labels[row])}{tail}'
                )
            out.write("".join(lines))
    seconds = time.perf_counter() - started
    rows = int(codes.shape[0])
    print(json.dumps({"rows": rows, "alerts": alerts, "seconds": seconds, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main(sys.argv[1:])
