#!/usr/bin/python3
"""Reference log-mel values for LogMelReferenceTest, computed independently with torchaudio.

Run with Debian's python3-torch / python3-torchaudio:
    /usr/bin/python3 audio/src/test/resources/logmel_reference.py
and paste the printed arrays into LogMelReferenceTest.java. The tests do not need Python.

Signal (16 kHz, 1600 samples):
    x[n] = 0.5 sin(2 pi 440 n / fs) + 0.25 sin(2 pi 1500 n / fs + 0.3) + 0.1 cos(2 pi 3000 n / fs)
Log-mel: ln(max(1e-10, mel power)), centred frames with zero padding (pad_mode='constant').
"""
import math

import torch
import torchaudio

FS = 16000
N = 1600
n = torch.arange(N, dtype=torch.float64)
x = (0.5 * torch.sin(2 * math.pi * 440 * n / FS)
     + 0.25 * torch.sin(2 * math.pi * 1500 * n / FS + 0.3)
     + 0.1 * torch.cos(2 * math.pi * 3000 * n / FS))

CONFIGS = {
    # name: (n_fft, hop, window_fn, n_mels, f_min, f_max, mel_scale, norm)
    "SLANEY_SLANEY_HANN": (400, 160, torch.hann_window, 16, 0.0, 8000.0, "slaney", "slaney"),
    "HTK_NONE_HAMMING": (512, 256, torch.hamming_window, 12, 100.0, 7000.0, "htk", None),
}

for name, (n_fft, hop, window_fn, n_mels, f_min, f_max, mel_scale, norm) in CONFIGS.items():
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=FS, n_fft=n_fft, hop_length=hop, f_min=f_min, f_max=f_max,
        n_mels=n_mels, window_fn=window_fn, power=2.0, center=True, pad_mode="constant",
        norm=norm, mel_scale=mel_scale).double()
    logmel = torch.log(torch.clamp(mel(x), min=1e-10))  # (n_mels, frames)
    print(f"// {name}: {tuple(logmel.shape)}")
    print(f"private static final double[][] {name} = {{")
    for row in logmel.tolist():
        print("    {" + ", ".join(f"{v:.6f}" for v in row) + "},")
    print("};")
