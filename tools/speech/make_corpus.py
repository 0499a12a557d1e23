#!/usr/bin/python3
"""Makes a synthetic speech corpus for pre-training Braid's spectrogram encoder.

Short support requests in English and Mandarin, spoken by espeak-ng with the TRAIN voices of
tools/support/prepare.py only (read from that file, so the two cannot drift apart; the val/test
accents and variants are refused), at many speeds, pitches and loudnesses, some shifted in pitch
or tempo by sox, some with reverberation, about half with noise mixed in. Each clip is labelled
with the words it says (English words, Mandarin characters, minus a few function words), for a
bag-of-words (multi-label) pre-training task, and with the prosody range it was spoken in (low:
slow, low, quiet; normal; high: fast, high, loud; prepare.py's PROSODY) as one more label
("prosody=high"), so that the encoder keeps what the support voice notes carry in their prosody.
(A head of its own for the prosody was tried, with a higher learning rate: the words were learnt
much more slowly, validation ROC AUC 0.57 against 0.79 after 4 epochs, and it was stopped.)

    bash tools/speech/install-tools.sh
    /usr/bin/python3 tools/speech/make_corpus.py --clips 5000 --out runs/speech-corpus
    java -jar apps/target/braid.jar pretrain-audio --corpus runs/speech-corpus

The corpus is a Braid dataset folder (manifest.jsonl, clips/), head "words" (multi-label), with
meta.jsonl recording how each clip was made; it is
NOT committed (hundreds of MB), only this script and the pre-trained weights are. Everything is
derived from --seed and sox runs with -R -D, so a re-run writes the same files.
"""

import argparse
import ast
import json
import random
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
PREPARE = ROOT / "tools" / "support" / "prepare.py"
RATE = 16000
MAX_SECONDS = 3.0  # the support features read 3 s


def prepare_constants(*names):
    """The literal constants of prepare.py (without importing it: it needs OpenCV)."""
    tree = ast.parse(PREPARE.read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in names:
                found[target.id] = ast.literal_eval(node.value)
    missing = set(names) - set(found)
    if missing:
        sys.exit(f"{PREPARE} has no {sorted(missing)}: update this script")
    return [found[n] for n in names]


VOICES, PROSODY, VOICE_REQUEST, VOICE_URGENCY, ZH_RATE = prepare_constants(
    "VOICES", "PROSODY", "VOICE_REQUEST", "VOICE_URGENCY", "ZH_RATE")

# Many ways of saying each request. The support voice notes' own requests (VOICE_REQUEST, which
# the train clips already say) are added to these below.
REQUESTS = {
    "en": {
        "refund": ["I would like my money back.", "Can I get a refund?", "Refund the payment, please.",
                   "I need a refund for this order.", "Give me my money back.",
                   "I am asking for a full refund.", "Send the money back to my card."],
        "damaged_item": ["It came damaged.", "The screen is cracked.", "It is broken and scratched.",
                         "The box was crushed and the item is broken.", "It does not work, it is broken.",
                         "The item arrived damaged.", "It is cracked and dented."],
        "delivery": ["My parcel is late.", "The delivery never came.", "I am still waiting for my package.",
                     "Where is my parcel?", "My order has not arrived yet.", "The package is lost.",
                     "When will my order arrive?"],
        "account_access": ["I forgot my password.", "My account is locked.", "I cannot sign in.",
                           "Please reset my password.", "I cannot log in.", "My login does not work.",
                           "I am locked out."],
        "billing": ["The invoice is wrong.", "There is a wrong charge on my card.", "You charged me twice.",
                    "My bill shows the wrong amount.", "I was billed twice.", "The charge on my bill is wrong.",
                    "Why was I charged again?"],
        "technical_setup": ["I cannot set it up.", "It will not connect to the wifi.", "How do I install it?",
                            "Help me set it up, please.", "I need help with the setup.",
                            "It does not connect.", "How do I connect it?"],
        "exchange": ["I would like a different one.", "Please exchange it for a new one.", "Can I swap it?",
                     "I want to exchange it for another colour.", "Can I exchange this one?",
                     "Swap it for a new one, please.", "I want another one instead."],
        "cancellation": ["I want to cancel my order.", "Cancel the order.", "Please cancel it.",
                         "I do not want it any more, cancel it.", "Cancel my order, please.",
                         "Stop the order, I want to cancel.", "Please cancel the subscription."],
    },
    "zh": {
        "refund": ["我想退款。", "请给我退钱。", "能退款吗？", "把钱退回我的卡。", "我要全额退款。", "请退款。"],
        "damaged_item": ["东西坏了。", "屏幕裂了。", "收到的时候就坏了。", "商品有损坏。", "盒子压坏了，东西也坏了。",
                         "东西摔坏了。"],
        "delivery": ["包裹还没到。", "我的快递在哪里？", "订单还没送到。", "快递丢了。", "什么时候能到？",
                     "我还在等包裹。"],
        "account_access": ["我忘了密码。", "账户被锁了。", "我登录不了。", "请帮我重置密码。", "账户登不上去。",
                           "密码不对，登录不了。"],
        "billing": ["账单不对。", "扣了两次钱。", "我被多扣款了。", "发票金额不对。", "为什么又扣款了？",
                    "账单上的钱数不对。"],
        "technical_setup": ["我不会设置。", "连不上无线网络。", "怎么安装？", "请帮我安装设置。", "设置不了。",
                            "怎么连接？"],
        "exchange": ["我要换货。", "能换一个新的吗？", "我想换个颜色。", "请帮我换一个。", "可以换货吗？",
                     "换一个别的吧。"],
        "cancellation": ["我要取消订单。", "请取消订单。", "不要了，取消吧。", "帮我取消这个订单。", "订单取消吧。",
                         "请取消订阅。"],
    },
}
OPENINGS = {"en": ["", "", "", "Hello.", "Hi.", "Hi there.", "Good morning.", "Hello, it's me again."],
            "zh": ["", "", "", "你好。", "您好。", "喂，你好。", "早上好。"]}
CLOSINGS = {"en": ["", "", "", "Thank you.", "Thanks.", "Thanks a lot.", "Bye."],
            "zh": ["", "", "", "谢谢。", "谢谢你。", "再见。"]}
PRODUCTS = {"en": ["", "", "", "It is my phone.", "It is the headphones.", "It is about my laptop.",
                   "It is the camera.", "It is my printer.", "It is the TV."],
            "zh": ["", "", "", "是手机。", "是耳机。", "是电脑。", "是相机。", "是打印机。", "是电视。"]}
URGENT_MORE = {"en": {"high": ["It is very urgent.", "Quickly, please.", "As soon as possible!"],
                      "low": ["Take your time.", "It is not urgent."], "normal": []},
               "zh": {"high": ["很急。", "请尽快。", "马上处理！"], "low": ["慢慢来。", "不急。"], "normal": []}}
STOP_WORDS = {"en": {"a", "an", "the", "i", "it", "is", "my", "me", "to", "of", "for", "and", "am",
                     "this", "s", "it's", "you", "on", "with", "in", "be"},
              "zh": {"的", "了", "我", "吗", "是", "个", "吧", "这", "你", "在"}}
NOISES = ["white", "pink", "brown", "hum"]


def train_voices():
    """(language -> voice names) from prepare.py's train pool, checked against val and test."""
    held_out = set()
    for split in ("val", "test"):
        for bases, variants in VOICES[split].values():
            held_out.update(f"{b}+{v}" for b in bases for v in variants)
    voices = {}
    for lang, (bases, variants) in VOICES["train"].items():
        voices[lang] = [f"{b}+{v}" for b in bases for v in variants]
        leaked = held_out.intersection(voices[lang])
        if leaked:
            sys.exit(f"train voices {sorted(leaked)} are also val/test voices in prepare.py")
    held_variants = {v for s in ("val", "test") for _, vs in VOICES[s].values() for v in vs}
    held_accents = {b for s in ("val", "test") for bs, _ in VOICES[s].values() for b in bs} - {"cmn"}
    for lang, names in voices.items():
        for name in names:
            base, variant = name.split("+")
            if variant in held_variants or base in held_accents:
                sys.exit(f"voice {name} uses a val/test accent or variant")
    return voices


def sentence(lang, intent, urgency, r):
    """The parts of a spoken request: the request itself first, then the optional ones."""
    request = r.choice(REQUESTS[lang][intent] + VOICE_REQUEST[lang][intent])
    cues = VOICE_URGENCY[lang][urgency] + URGENT_MORE[lang][urgency]
    cue = r.choice(cues) if urgency != "normal" and r.random() < 0.5 else ""
    order = r.choice(["cue first", "cue last"])
    return {"opening": r.choice(OPENINGS[lang]), "request": request, "cue": cue, "order": order,
            "product": r.choice(PRODUCTS[lang]), "closing": r.choice(CLOSINGS[lang])}


def join(lang, parts, short):
    """The text said; short keeps only the request and the urgency words."""
    keep = ["cue", "request"] if parts["order"] == "cue first" else ["request", "cue"]
    if not short:
        keep = ["opening"] + keep + ["product", "closing"]
    said = [parts[k] for k in keep if parts[k]]
    return " ".join(said) if lang == "en" else "".join(said)


def words(text, lang):
    if lang == "en":
        tokens = ["".join(c for c in w.lower() if c.isalpha() or c == "'") for w in text.split()]
        tokens = [t.strip("'") for t in tokens]
    else:
        tokens = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return sorted({t for t in tokens if t and t not in STOP_WORDS[lang]})


def speak(text, voice, s, p, a, gap, effects, out_wav, tmp):
    """Writes the clip; returns its seconds (MAX_SECONDS - 0.05 when sox had to cut it)."""
    raw = Path(tmp) / "raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(s), "-p", str(p), "-a", str(a),
                    "-g", str(gap), "-w", str(raw), text], check=True, capture_output=True)
    # as prepare.py: 16 kHz mono 16-bit, silences cut, <= 3 s; then the clip's own effects
    subprocess.run(["sox", "-R", "-D", str(raw), "-r", str(RATE), "-c", "1", "-b", "16",
                    str(out_wav), *effects,
                    "silence", "-l", "1", "0.02", "0.5%", "-1", "0.1", "0.5%",
                    "trim", "0", str(MAX_SECONDS - 0.05)], check=True, capture_output=True)
    with wave.open(str(out_wav)) as w:
        return w.getnframes() / w.getframerate()


def read_wav(path):
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def write_wav(path, samples):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes())


def add_noise(x, kind, snr_db, rng):
    n = rng.standard_normal(len(x))
    if kind == "pink":  # 1/f: white noise through a leaky integrator mix
        n = np.convolve(n, 0.5 ** np.arange(16), mode="same")
    elif kind == "brown":
        n = np.cumsum(n)
        n -= np.convolve(n, np.ones(400) / 400, mode="same")
    elif kind == "hum":
        t = np.arange(len(x)) / RATE
        f = rng.choice([50.0, 60.0])
        n = np.sin(2 * np.pi * f * t) + 0.5 * np.sin(6 * np.pi * f * t) + 0.1 * n
    speech = np.mean(x ** 2) + 1e-9
    n *= np.sqrt(speech / (np.mean(n ** 2) + 1e-12) / 10 ** (snr_db / 10))
    return x + n


def clip_plan(i, seed, voices):
    r = random.Random(f"{seed}/speech/{i}")
    lang = "en" if r.random() < 0.6 else "zh"
    intent = r.choice(sorted(REQUESTS[lang]))
    urgency = r.choice(["low", "normal", "normal", "high"])
    parts = sentence(lang, intent, urgency, r)
    pr = PROSODY[urgency]
    # prosody from the urgency's range, widened by 15 % either way
    s = int(r.randint(*pr["s"]) * r.uniform(0.85, 1.15))
    p = min(99, max(0, int(r.randint(*pr["p"]) + r.randint(-10, 10))))
    a = min(200, max(20, int(r.randint(*pr["a"]) * r.uniform(0.8, 1.2))))
    if lang == "zh":
        s = int(s * ZH_RATE)
    effects = []
    if r.random() < 0.5:
        effects += ["pitch", str(r.randint(-350, 350))]
    if r.random() < 0.3:
        effects += ["tempo", f"{r.uniform(0.85, 1.15):.3f}"]
    if r.random() < 0.2:
        effects += ["reverb", str(r.randint(10, 50)), "50", str(r.randint(20, 80))]
    noise = (r.choice(NOISES), r.uniform(5, 30)) if r.random() < 0.5 else None
    split = "val" if i % 20 == 0 else "test" if i % 20 == 1 else "train"
    return {"id": f"s{i:05d}", "lang": lang, "intent": intent, "urgency": urgency,
            "voice": r.choice(voices[lang]), "parts": parts, "rate": s,
            "pitch": p, "amplitude": a, "gap": r.choice([0, 0, 1, 2, 4]), "effects": effects,
            "noise": noise, "noise_seed": r.randrange(2 ** 31), "split": split}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clips", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "speech-corpus")
    args = ap.parse_args()
    voices = train_voices()
    out = args.out
    (out / "clips").mkdir(parents=True, exist_ok=True)
    started = time.time()
    rows, meta = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.clips):
            c = clip_plan(i, args.seed, voices)
            path = out / "clips" / f"{c['id']}.wav"
            # never label a word sox cut off: drop the optional parts, then speak faster
            short = False
            while True:
                c["text"] = join(c["lang"], c["parts"], short)
                seconds = speak(c["text"], c["voice"], c["rate"], c["pitch"], c["amplitude"],
                                c["gap"], c["effects"], path, tmp)
                if seconds < MAX_SECONDS - 0.06:
                    break
                if short:
                    c["rate"] = int(c["rate"] * 1.1)
                short = True
            c["labels"] = words(c["text"], c["lang"])
            if c["noise"]:
                x = read_wav(path)
                write_wav(path, add_noise(x, *c["noise"], np.random.default_rng(c["noise_seed"])))
            rows.append({"id": c["id"], "audio": f"clips/{c['id']}.wav",
                         "label": {"words": c["labels"] + [f"prosody={c['urgency']}"]},
                         "split": c["split"]})
            meta.append({k: c[k] for k in ("id", "lang", "intent", "urgency", "voice", "text",
                                            "rate", "pitch", "amplitude", "gap", "effects", "noise")})
            if (i + 1) % 500 == 0:
                print(f"  {i + 1} clips, {time.time() - started:.0f} s", flush=True)
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(out / "meta.jsonl", "w", encoding="utf-8") as f:
        for m in meta:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")
    vocabulary = sorted({w for row in rows if row["split"] == "train" for w in row["label"]["words"]})
    seconds = sum(wave.open(str(out / r["audio"])).getnframes() for r in rows) / RATE
    print(f"{len(rows)} clips ({seconds / 3600:.2f} h of speech), {len(vocabulary)} words, "
          f"voices {sum(len(v) for v in voices.values())} (train only), "
          f"{time.time() - started:.0f} s -> {out}")


if __name__ == "__main__":
    main()
