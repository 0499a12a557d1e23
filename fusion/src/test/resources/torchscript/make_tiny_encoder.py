"""Makes tiny-encoder.pt: a small TorchScript text encoder for TorchScriptTextEncoderTest, with
its tokenizer.json and the outputs it gives for two fixed inputs (expected.json), computed here
by torch, independently of Braid. CI has no python: the three generated files are committed.

    python3 make_tiny_encoder.py     # in this folder; torch from Debian's python3-torch

The encoder takes ids int64 [B, T] and mask bool [B, T] and gives tokens float [B, T, 8]: an
embedding, plus the masked mean of the sample's real tokens (so a token depends on the others,
never on padding), through a linear layer and tanh.
"""
import json

import torch

VOCABULARY = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
              "my", "parcel", "is", "late", "refund", "please", "the", "screen", "broken"]
WIDTH = 8


class TinyEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(len(VOCABULARY), WIDTH)
        self.mix = torch.nn.Linear(WIDTH, WIDTH)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask.unsqueeze(-1).to(torch.float32)  # (B, T, 1)
        x = self.embedding(ids) * m  # (B, T, H), zero at padding
        context = x.sum(1, keepdim=True) / m.sum(1, keepdim=True).clamp(min=1.0)  # (B, 1, H)
        return torch.tanh(self.mix(x + context)) * m


def tokenizer():
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(VOCABULARY[:5])]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": None, "decoder": None,
            "model": {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(VOCABULARY)},
                      "unk_token": "[UNK]"}}


def main():
    torch.manual_seed(7)
    model = torch.jit.script(TinyEncoder().eval())
    model.save("tiny-encoder.pt")
    with open("tokenizer.json", "w") as f:
        json.dump(tokenizer(), f, indent=1)
    # [CLS] my parcel is late [SEP], and [CLS] refund please [SEP] padded with [PAD]
    ids = torch.tensor([[2, 5, 6, 7, 8, 3], [2, 9, 10, 3, 0, 0]])
    mask = ids != 0
    with torch.no_grad():
        out = model(ids, mask)
    with open("expected.json", "w") as f:
        json.dump({"ids": ids.tolist(), "mask": mask.tolist(), "tokens": out.tolist()}, f)


if __name__ == "__main__":
    main()
