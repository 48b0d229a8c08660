"""
The PyTorch peer of fedflow's default detector: the categorical VAE with a mixture latent
trained on the exact objective (shared/model/vae.ts). It loads a fedflow model directory
(model.json + weights.bin, digests checked against integrity.json) and computes the same
scores, per-field parts and training loss, with the same float32 arithmetic in the same
order where it matters (per-field normalisers through one [width x fields] matrix).
"""

import hashlib
import json
import math
import os

import numpy as np
import torch

TINY = 1e-30  # as categorical-likelihood.ts: keeps log() finite for a field far below the row max


def cardinality(field):
    return len(field["vocabulary"]) + 1 if field["kind"] == "categorical" else len(field["edges"]) + 2


def load_model_dir(path):
    """The spec (model.json without metadata is the ModelSpec) and the flat float32 weights."""
    with open(os.path.join(path, "integrity.json"), encoding="utf-8") as f:
        digests = json.load(f)["files"]
    blobs = {}
    for name in ("model.json", "weights.bin"):
        with open(os.path.join(path, name), "rb") as f:
            blobs[name] = f.read()
        actual = hashlib.sha256(blobs[name]).hexdigest()
        if actual != digests.get(name):
            raise ValueError(f"{path}/{name}: sha256 {actual} does not match integrity.json")
    spec = json.loads(blobs["model.json"].decode("utf-8"))
    weights = np.frombuffer(blobs["weights.bin"], dtype="<f4").copy()
    return spec, weights


class MixtureVae(torch.nn.Module):
    """fedflow's categorical VAE with a mixture latent; parameters in manifest order."""

    def __init__(self, spec, weights):
        super().__init__()
        latent = spec["architecture"]["latent"]
        if latent["kind"] != "mixture":
            raise ValueError(f"the peer models the mixture latent only, not '{latent['kind']}'")
        self.spec = spec
        self.components = latent["components"]
        cards = [cardinality(f) for f in spec["encoder"]["fields"]]
        self.fields = len(cards)
        self.width = sum(cards)
        self.register_buffer("offsets", torch.tensor(np.cumsum([0] + cards[:-1]), dtype=torch.int64))
        segment = torch.zeros(self.width, self.fields)
        segment[torch.arange(self.width), torch.repeat_interleave(torch.arange(self.fields), torch.tensor(cards))] = 1
        self.register_buffer("segment", segment)
        self.register_buffer("eye", torch.eye(self.components))
        self.params = torch.nn.ParameterList()
        self.layers = {"encoder": [], "latent": [], "decoder": [], "output": []}
        at = 0
        for i, entry in enumerate(spec["weights"]):
            size = int(np.prod(entry["shape"]))
            values = torch.from_numpy(weights[at : at + size].reshape(entry["shape"]).copy())
            at += size
            self.params.append(torch.nn.Parameter(values))
            if i % 2 == 1:
                self.layers[layer_role(entry["name"])].append((self.params[i - 1], self.params[i]))
        if at != len(weights):
            raise ValueError(f"weights.bin holds {len(weights)} values, the manifest needs {at}")

    def multi_hot(self, codes):
        """[batch x width] float32 with one 1 per field, from int64 codes [batch x fields]."""
        x = torch.zeros(codes.shape[0], self.width)
        return x.scatter_(1, codes + self.offsets, 1.0)

    def alpha(self, x):
        h = x
        for w, b in self.layers["encoder"]:
            h = torch.relu(h @ w + b)
        w, b = self.layers["latent"][0]
        return h @ w + b

    def table(self):
        """Decoder logits of the K one-hot components: [K x width]."""
        h = self.eye
        for w, b in self.layers["decoder"]:
            h = torch.relu(h @ w + b)
        w, b = self.layers["output"][0]
        return h @ w + b

    def log_normalisers(self, logits):
        """Per-field log-sum-exp of each row of logits: [rows x fields]."""
        row_max = logits.max(1, keepdim=True).values.detach()
        e = torch.exp(logits - row_max)
        return torch.log(e @ self.segment + TINY) + row_max

    def loss(self, x, kl_weight):
        """Mean of the exact objective: expected NLL over all components plus weighted KL."""
        alpha = self.alpha(x)
        table = self.table()
        log_px_c = x @ table.T - self.log_normalisers(table).sum(1)
        log_q = torch.log_softmax(alpha, 1)
        q = torch.exp(log_q)
        expected_nll = -(q * log_px_c).sum(1)
        kl = (q * (log_q + math.log(self.components))).sum(1)
        return (expected_nll + kl * kl_weight).mean()

    @torch.inference_mode()
    def score(self, x):
        """Anomaly scores (negative ELBO, nats) [batch] and per-field NLL [batch x fields]."""
        alpha = self.alpha(x)
        log_q = torch.log_softmax(alpha, 1)
        q = torch.exp(log_q)
        table = self.table()
        log_norm = self.log_normalisers(table)
        log_px_c = x @ table.T - log_norm.sum(1)
        observed = ((q @ table) * x) @ self.segment
        field_nll = q @ log_norm - observed
        kl = (q * (log_q + math.log(self.components))).sum(1)
        return -(q * log_px_c).sum(1) + kl, field_nll


def layer_role(name):
    if name.startswith("encoder.latent"):
        return "latent"
    if name.startswith("decoder.out"):
        return "output"
    return "encoder" if name.startswith("encoder.") else "decoder"


def read_codes(path, fields):
    """Codes fedflow exported: little-endian uint16, row-major, `fields` per row."""
    raw = np.fromfile(path, dtype="<u2")
    if raw.size % fields:
        raise ValueError(f"{path}: {raw.size} codes is not a whole number of {fields}-field rows")
    return torch.from_numpy(raw.reshape(-1, fields).astype(np.int64))


def adam(model, learning_rate):
    # tf.train.adam's defaults: betas (0.9, 0.999), epsilon 1e-7 (torch's default is 1e-8).
    return torch.optim.Adam(model.parameters(), lr=learning_rate, eps=1e-7)
