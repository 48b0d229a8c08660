"""
The PyTorch peer's side of `node dist/bench/run.js peers`: each subcommand prints one JSON
object on stdout. Codes come from fedflow (bench/peers/codes-file.ts), never re-encoded here.

  info                                    torch version and default thread count
  check MODEL CODES OUT                   scores + per-field NLL of every row -> OUT (float32)
  grad MODEL CODES OUT [--batch 512]      loss of the first rows, its gradient -> OUT (float32)
  train MODEL CODES --epochs 3 [--batch 512] [--threads N] [--seed 1]   flows/s per epoch
  score MODEL CODES [--repeats 3] [--threads N]                         model-only flows/s
  gemm [--threads N]                      float32 matmul GFLOP/s (the machine's limit)
"""

import argparse
import json
import sys
import time

import numpy as np
import torch

from vae_peer import MixtureVae, adam, load_model_dir, read_codes

SCORE_BATCH = 2048  # fedflow's SCORE_BATCH (shared/model/score-table.ts)


def open_model(path):
    spec, weights = load_model_dir(path)
    return MixtureVae(spec, weights)


def score_all(model, codes):
    scores, fields = [], []
    for start in range(0, codes.shape[0], SCORE_BATCH):
        s, f = model.score(model.multi_hot(codes[start : start + SCORE_BATCH]))
        scores.append(s)
        fields.append(f)
    return torch.cat(scores), torch.cat(fields)


def cmd_check(a):
    model = open_model(a.model)
    scores, fields = score_all(model, read_codes(a.codes, model.fields))
    with open(a.out, "wb") as f:
        f.write(scores.numpy().astype("<f4").tobytes())
        f.write(fields.numpy().astype("<f4").tobytes())
    return {"rows": int(scores.shape[0]), "fields": model.fields}


def cmd_grad(a):
    """The training loss of the first rows (KL weight 1) and its gradient, in manifest order."""
    model = open_model(a.model)
    codes = read_codes(a.codes, model.fields)[: a.batch]
    loss = model.loss(model.multi_hot(codes), 1.0)
    loss.backward()
    gradient = torch.cat([p.grad.reshape(-1) for p in model.params])
    with open(a.out, "wb") as f:
        f.write(gradient.numpy().astype("<f4").tobytes())
    return {"rows": int(codes.shape[0]), "loss": loss.item()}


def cmd_train(a):
    """The local trainer's loop: shuffle, multi-hot batch, Adam step, loss read back per step."""
    model = open_model(a.model)
    codes = read_codes(a.codes, model.fields)
    training = model.spec.get("metadata", {}).get("training", {})
    warmup = training.get("klWarmupEpochs", 0)
    optimizer = adam(model, a.learning_rate)
    generator = torch.Generator().manual_seed(a.seed)
    epochs = []
    for epoch in range(1, a.epochs + 1):
        kl_weight = min(1.0, epoch / max(1, warmup))
        started = time.perf_counter()
        order = torch.randperm(codes.shape[0], generator=generator)
        loss_sum = 0.0
        for start in range(0, codes.shape[0], a.batch):
            x = model.multi_hot(codes[order[start : start + a.batch]])
            loss = model.loss(x, kl_weight)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * x.shape[0]
        seconds = time.perf_counter() - started
        epochs.append(
            {
                "epoch": epoch,
                "seconds": seconds,
                "flowsPerSecond": codes.shape[0] / seconds,
                "trainLoss": loss_sum / codes.shape[0],
                "klWeight": kl_weight,
            }
        )
    return {"rows": int(codes.shape[0]), "batchSize": a.batch, "epochs": epochs}


def cmd_score(a):
    model = open_model(a.model)
    codes = read_codes(a.codes, model.fields)
    score_all(model, codes[:SCORE_BATCH])  # warm-up: first-call allocations
    runs = []
    for _ in range(a.repeats):
        started = time.perf_counter()
        score_all(model, codes)
        runs.append(codes.shape[0] / (time.perf_counter() - started))
    return {"rows": int(codes.shape[0]), "flowsPerSecond": runs}


def cmd_gemm(a):
    n = 1024
    x, y = torch.randn(n, n), torch.randn(n, n)
    x @ y
    best = 0.0
    for _ in range(5):
        started = time.perf_counter()
        x @ y
        best = max(best, 2 * n**3 / (time.perf_counter() - started) / 1e9)
    return {"n": n, "gflops": best}


def cmd_info(_):
    # score_file.py, the peer of `fedflow score`, reads with pandas: missing, the peer cannot run.
    import pandas

    return {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "pandas": pandas.__version__,
        "defaultThreads": torch.get_num_threads(),
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("check", "grad", "train", "score"):
        p = sub.add_parser(name)
        p.add_argument("model")
        p.add_argument("codes")
        if name in ("check", "grad"):
            p.add_argument("out")
        p.add_argument("--batch", type=int, default=512)
        p.add_argument("--epochs", type=int, default=3)
        p.add_argument("--learning-rate", type=float, default=0.004)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--repeats", type=int, default=3)
        p.add_argument("--threads", type=int, default=0)
    for name in ("gemm", "info"):
        sub.add_parser(name).add_argument("--threads", type=int, default=0)
    a = parser.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    result = globals()[f"cmd_{a.command}"](a)
    result["threads"] = torch.get_num_threads()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
