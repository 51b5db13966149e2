"""PyTorch peer of kernel-lib's mini GPT (nanoGPT's model and training recipe), for the
`llm-lessons bench gpt` comparison: same architecture, data, batch sampling scheme, AdamW
settings, gradient clipping and warmup + cosine schedule, on `threads` CPU threads (default 1).

usage: /usr/bin/python3 scripts/peers/torch_gpt.py CONFIG.json
CONFIG: {"train": "train.i32", "val": "val.i32", "vocab_size": 90, "n_layer": 4, "n_head": 4,
         "n_embd": 128, "block_size": 64, "batch_size": 12, "max_iters": 200, "lr": 1e-3,
         "min_lr": 1e-4, "warmup": 20, "weight_decay": 0.1, "beta2": 0.99, "grad_clip": 1.0,
         "eval_iters": 20, "seed": 1, "untimed": 3}
Prints one JSON line: {"tokens_per_s", "val_loss", "train_loss", "params", "torch"}.
"""
import json
import math
import sys
import time

import numpy as np

try:
    import torch
    import torch.nn as nn
    from torch.nn import functional as F
except ImportError:
    print(json.dumps({"unavailable": "python3 has no torch module"}))
    sys.exit(0)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        C = c["n_embd"]
        self.n_head = c["n_head"]
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.mlp_proj = nn.Linear(4 * C, C)
        T = c["block_size"]
        self.register_buffer("mask", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        hs = C // self.n_head
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.c_proj(y)
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))
        return x


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        C = c["n_embd"]
        self.wte = nn.Embedding(c["vocab_size"], C)
        self.wpe = nn.Embedding(c["block_size"], C)
        self.h = nn.ModuleList([Block(c) for _ in range(c["n_layer"])])
        self.ln_f = nn.LayerNorm(C)
        self.lm_head = nn.Linear(C, c["vocab_size"], bias=False)
        self.wte.weight = self.lm_head.weight  # weight tying, as in nanoGPT
        self.apply(self._init)
        for n, p in self.named_parameters():
            if n.endswith("c_proj.weight") or n.endswith("mlp_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * c["n_layer"]))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, idx, targets):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for b in self.h:
            x = b(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    c = json.load(open(sys.argv[1]))
    torch.set_num_threads(int(c.get("threads", 1)))
    torch.manual_seed(c["seed"])
    rng = np.random.default_rng(c["seed"])
    train = torch.from_numpy(np.fromfile(c["train"], dtype="<i4").astype(np.int64))
    val = torch.from_numpy(np.fromfile(c["val"], dtype="<i4").astype(np.int64))
    T, B = c["block_size"], c["batch_size"]

    def batch(data, r):
        ix = r.integers(0, len(data) - T, size=B)
        return torch.stack([data[i : i + T] for i in ix]), torch.stack([data[i + 1 : i + T + 1] for i in ix])

    model = GPT(c)
    params = sum(p.numel() for p in model.parameters())
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": c["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}], lr=c["lr"], betas=(0.9, c["beta2"]))

    def lr_at(it):
        if it < c["warmup"]:
            return c["lr"] * (it + 1) / (c["warmup"] + 1)
        if it >= c["max_iters"]:
            return c["min_lr"]
        ratio = (it - c["warmup"]) / max(1, c["max_iters"] - c["warmup"])
        return c["min_lr"] + 0.5 * (1 + math.cos(math.pi * ratio)) * (c["lr"] - c["min_lr"])

    step_times = []
    last = 0.0
    for it in range(c["max_iters"]):
        for g in opt.param_groups:
            g["lr"] = lr_at(it)
        x, y = batch(train, rng)
        t0 = time.perf_counter()
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), c["grad_clip"])
        opt.step()
        step_times.append(time.perf_counter() - t0)
        last = loss.item()
    model.eval()
    er = np.random.default_rng(12345)
    with torch.no_grad():
        val_loss = float(np.mean([model(*batch(val, er)).item() for _ in range(c["eval_iters"])]))
    # The first `untimed` steps (default 3) are left out of tokens_per_s: warm-up.
    skip = int(c.get("untimed", 3))
    timed = step_times[skip:] if len(step_times) > 2 * skip else step_times
    print(json.dumps({
        "tokens_per_s": B * T * len(timed) / sum(timed),
        "val_loss": val_loss,
        "train_loss": last,
        "params": params,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
