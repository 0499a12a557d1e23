# Reference values for AdamWTest, from torch.optim.AdamW.
# Run: /usr/bin/python3 adamw_reference.py   (Debian python3-torch)
# A 2-D weight [[1, -2]] with weight decay 0.1 and a 1-D bias [0.5, -0.5] without decay
# (Braid's AdamW never decays 1-D parameters), betas (0.9, 0.999), eps 1e-8.
# Step 1: lr 0.1, gradients w [[0.5, -1.0]], b [0.2, 0.0]
# Step 2: lr 0.05, gradients w [[0.25, 2.0]], b [-0.4, 0.1]
import torch

torch.set_printoptions(precision=10)
w = torch.nn.Parameter(torch.tensor([[1.0, -2.0]], dtype=torch.float32))
b = torch.nn.Parameter(torch.tensor([0.5, -0.5], dtype=torch.float32))
opt = torch.optim.AdamW(
    [{"params": [w], "weight_decay": 0.1}, {"params": [b], "weight_decay": 0.0}],
    lr=0.1, betas=(0.9, 0.999), eps=1e-8, foreach=False)
steps = [
    (0.1, [[0.5, -1.0]], [0.2, 0.0]),
    (0.05, [[0.25, 2.0]], [-0.4, 0.1]),
]
for i, (lr, gw, gb) in enumerate(steps, 1):
    for group in opt.param_groups:
        group["lr"] = lr
    w.grad = torch.tensor(gw, dtype=torch.float32)
    b.grad = torch.tensor(gb, dtype=torch.float32)
    opt.step()
    print(f"step {i}: w {[f'{x:.9g}' for x in w.detach().flatten().tolist()]}"
          f" b {[f'{x:.9g}' for x in b.detach().tolist()]}")
    print(f"  m_w {[f'{x:.9g}' for x in opt.state[w]['exp_avg'].flatten().tolist()]}"
          f" v_w {[f'{x:.9g}' for x in opt.state[w]['exp_avg_sq'].flatten().tolist()]}")
