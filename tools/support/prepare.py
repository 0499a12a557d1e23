#!/usr/bin/python3
"""Generates Braid's customer-service dataset (data/support) reproducibly.

A ticket = a customer message (always), optionally a 64x64 photo, optionally a voice note.
Three heads: intent (8), product (6), urgency (3). The information is spread across the
modalities: the product may be only in the photo ("see the photo"), the intent or the urgency
may be only in the voice note ("as I said in the voice note"), damaged items show cracks and
stains in the photo.

Run with Debian's python (it sees python3-opencv / python3-numpy):

    bash tools/support/install-tools.sh
    /usr/bin/python3 tools/support/prepare.py            # rewrites data/support

Everything is derived from one seed; the same seed and the same Debian packages give the same
files. See tools/support/README.md.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import wave
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replies import write_replies  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

INTENTS = ["refund", "damaged_item", "delivery", "account_access", "billing",
           "technical_setup", "exchange", "cancellation"]
INTENT_WEIGHTS = [16, 14, 16, 10, 11, 13, 10, 10]
PRODUCTS = ["headphones", "phone", "computer", "camera", "printer", "tv"]
URGENCIES = ["low", "normal", "high"]
URGENCY_WEIGHTS = [25, 50, 25]
SPLITS = {"train": 1800, "val": 300, "test": 400}

P_PHOTO = 0.60          # share of tickets with a photo
P_VOICE = 0.40          # share of tickets with a voice note
P_ZH = 0.40             # share of Chinese messages
P_TYPO = 0.25           # share of messages with injected typos
P_PRODUCT_ONLY_PHOTO = 0.5   # given a photo: the text does not name the product
P_INTENT_ONLY_VOICE = 0.5    # given a voice note: the text does not state the request
P_URGENCY_ONLY_VOICE = 0.6   # given a voice note: the text carries no urgency cue
P_DAMAGE_VISIBLE = 0.85      # given damaged_item with a photo: the damage is drawn
P_VOICE_OTHER_LANG = 0.15    # voice note in the other language than the text

ICON_DIRS = [Path("/usr/share/icons/oxygen/base/64x64/devices"),
             Path("/usr/share/icons/Tango/32x32/devices")]
ICONS = {  # product -> icon files (oxygen = LGPL-3+, Tango = public domain)
    "headphones": ["oxygen:audio-headphones", "oxygen:audio-headset"],
    "phone": ["oxygen:phone", "oxygen:smartphone", "oxygen:phone-openmoko-freerunner"],
    "computer": ["oxygen:computer-laptop", "oxygen:computer", "tango:computer"],
    "camera": ["oxygen:camera-photo", "tango:camera-photo", "tango:camera-video"],
    "printer": ["oxygen:printer", "oxygen:printer-laser", "tango:printer"],
    "tv": ["oxygen:video-television", "oxygen:video-display", "tango:video-display"],
}

# Voices: accents and variants are disjoint between splits, so val/test voices are unheard.
VOICES = {
    "train": {"en": (["en-us", "en-gb", "en-gb-x-rp", "en-029", "en-gb-x-gbclan"],
                     ["m1", "m2", "m3", "f1", "f2", "f3", "klatt", "Alex"]),
              "zh": (["cmn"], ["m1", "m2", "m3", "f1", "f2", "f3", "klatt", "Alex"])},
    "val": {"en": (["en-gb-x-gbcwmd"], ["m6", "f5", "Andy"]),
            "zh": (["cmn"], ["m6", "f5", "Andy"])},
    "test": {"en": (["en-us-nyc", "en-gb-scotland"], ["m4", "m7", "f4", "Annie", "klatt3"]),
             "zh": (["cmn"], ["m4", "m7", "f4", "Annie", "klatt3"])},
}
CLIPS_PER_COMBO = {"train": 2, "val": 1, "test": 1}  # per (language, intent, urgency)
# Background pools: disjoint seeds per split, so val/test photos sit on unseen backgrounds.
BACKGROUNDS = {"train": 60, "val": 16, "test": 20}
BG_FAMILIES = ["gradient", "wood", "tiles", "fabric", "bokeh", "stripes", "paper"]

AUDIO_RATE = 16000
MAX_AUDIO_SECONDS = 3.0
ZH_RATE = 1.7
IMAGE_SIZE = 64

# ----------------------------------------------------------------------------------------------
# Text
# ----------------------------------------------------------------------------------------------

PRODUCT_WORDS = {
    "en": {
        "headphones": ["headphones", "headset", "wireless headphones", "earphones",
                       "noise-cancelling headphones", "bluetooth headset"],
        "phone": ["phone", "smartphone", "mobile phone", "cell phone", "new phone"],
        "computer": ["laptop", "computer", "notebook", "desktop PC", "PC"],
        "camera": ["camera", "digital camera", "camcorder", "video camera", "DSLR"],
        "printer": ["printer", "laser printer", "inkjet printer", "printer-scanner"],
        "tv": ["TV", "television", "monitor", "smart TV", "display", "screen"],
    },
    "zh": {
        "headphones": ["耳机", "蓝牙耳机", "头戴式耳机", "降噪耳机", "无线耳机"],
        "phone": ["手机", "智能手机", "新手机", "电话"],
        "computer": ["笔记本电脑", "电脑", "笔记本", "台式机"],
        "camera": ["相机", "数码相机", "摄像机", "单反"],
        "printer": ["打印机", "激光打印机", "喷墨打印机"],
        "tv": ["电视", "电视机", "显示器", "智能电视"],
    },
}
# What the text says instead of the product when the product is only in the photo.
DEICTIC = {
    "en": ["the item in the photo", "this thing (see photo)", "the product in the picture",
           "what you see in the attached photo", "this", "the one in the pic"],
    "zh": ["照片里的东西", "图片里这个", "这个（见照片）", "附图中的商品", "这个东西"],
}
DEICTIC_SHORT = {"en": ["item", "product", "thing", "order"], "zh": ["东西", "商品", "这个", "订单"]}
SEE_PHOTO = {
    "en": ["See the photo.", "Photo attached.", "I attached a picture.", "Pic attached.",
           "Please look at the photo."],
    "zh": ["请看照片。", "附上照片。", "见图。", "我拍了照片。"],
}

# Per intent: request sentences with {p}. The LAST one of each list is held out of training
# (used only in val/test), so val/test also measure unseen phrasings.
REQUESTS = {
    "en": {
        "refund": [
            "I want a refund for my {p}.", "Please give me my money back for the {p}.",
            "Can I get a refund on the {p}?", "I'd like to return the {p} and be reimbursed.",
            "How do I get my money back? I bought the {p} last week.",
            "Requesting a full refund for the {p}.", "Refund the {p} please, I don't want it.",
            "I returned the {p} two weeks ago and still have no refund.",
            "I'd like my payment for the {p} reversed."],
        "damaged_item": [
            "My {p} arrived broken.", "The {p} came damaged in the box.",
            "There is a crack on the {p}.", "The {p} was smashed when it was delivered.",
            "The {p} arrived scratched and dented.", "The {p} is cracked right out of the box.",
            "Box was crushed and the {p} inside is broken.", "The {p} has a big dent and stains on it.",
            "Got the {p} today and it's physically damaged."],
        "delivery": [
            "Where is my {p}? The tracking hasn't updated for days.",
            "My {p} still hasn't arrived.", "The order for my {p} is late.",
            "The courier says delivered but I never got the {p}.",
            "When will the {p} ship?", "The {p} was sent to the wrong address.",
            "Tracking for the {p} says 'in transit' for a week now.",
            "Parcel with the {p} is lost somewhere."],
        "account_access": [
            "I can't log in to my account to register my {p}.",
            "The password reset email never arrives, I need to see my order for the {p}.",
            "My account got locked after I bought the {p}.",
            "The two-factor code doesn't work so I can't check my order for the {p}.",
            "I forgot my password and can't access the warranty for my {p}.",
            "It says my account is disabled, I just want to manage my {p}.",
            "Login fails with 'invalid credentials' when I try to see my {p} purchase."],
        "billing": [
            "I was charged twice for the {p}.", "The invoice for my {p} shows the wrong amount.",
            "There is an unknown charge on my card for a {p}.",
            "I need a proper VAT invoice for the {p}.",
            "The discount on the {p} was not applied to my bill.",
            "You billed me for a {p} I never ordered.",
            "My statement shows the {p} charged at full price instead of the sale price.",
            "Why is there an extra fee on my payment for the {p}?"],
        "technical_setup": [
            "How do I set up the {p}?", "The {p} won't connect to wifi.",
            "I can't pair the {p} with my other devices.", "I need help installing drivers for the {p}.",
            "The firmware update on the {p} failed.", "The {p} doesn't show up on my network.",
            "What are the steps to configure the {p} for the first time?",
            "Can't get the {p} to sync with the app."],
        "exchange": [
            "I'd like to swap the {p} for a different colour.",
            "Can I exchange the {p} for another model?",
            "I ordered the wrong {p}, I want to exchange it.",
            "Please replace the {p} with the bigger version.",
            "I want to trade the {p} for the newer model and pay the difference.",
            "The {p} is the wrong size for me, can I get a different one instead?",
            "Could I switch the {p} for the black one?"],
        "cancellation": [
            "Please cancel my order for the {p}.",
            "I changed my mind, cancel the {p} before it ships.",
            "Stop my order of the {p}.", "Cancel the extended warranty plan for my {p}.",
            "I don't need the {p} anymore, cancel the order please.",
            "I ordered the {p} by mistake, please cancel it.",
            "Please call off the {p} purchase, I found it elsewhere."],
    },
    "zh": {
        "refund": [
            "我要退款，{p}不想要了。", "请把{p}的钱退给我。", "{p}能退款吗？",
            "我想把{p}退货并退款。", "上周买的{p}怎么退钱？", "申请{p}全额退款。",
            "{p}两周前就寄回去了，钱还没退。", "麻烦把{p}的货款原路退回。"],
        "damaged_item": [
            "{p}到货的时候就坏了。", "{p}收到时包装里已经损坏。", "{p}上面有裂痕。",
            "快递送来的{p}被压坏了。", "{p}到手就有划痕和凹陷。", "{p}开箱就碎了。",
            "箱子被压扁，里面的{p}也坏了。", "{p}外壳破损还有污渍。"],
        "delivery": [
            "我的{p}在哪里？物流好几天没更新了。", "{p}到现在还没到。", "{p}的订单延迟了。",
            "快递显示已签收，但我没收到{p}。", "{p}什么时候发货？", "{p}被送到错误的地址了。",
            "{p}的包裹一直显示运输中。", "寄{p}的包裹好像丢了。"],
        "account_access": [
            "我登录不了账户，没法注册{p}。", "重置密码的邮件一直收不到，想查{p}的订单。",
            "买了{p}之后账户被锁了。", "验证码不对，看不了{p}的订单。",
            "忘记密码了，无法查看{p}的保修。", "提示账户已停用，我只想管理我的{p}。",
            "登录时一直提示密码错误，查不到{p}的购买记录。"],
        "billing": [
            "{p}被重复扣款了。", "{p}的发票金额不对。", "我的卡上有一笔{p}的陌生扣费。",
            "我需要{p}的正式增值税发票。", "{p}的优惠没有计入账单。",
            "我没买过{p}，却被收费了。", "{p}按原价扣款，不是促销价。", "{p}付款为什么多收了手续费？"],
        "technical_setup": [
            "{p}怎么设置？", "{p}连不上无线网。", "{p}和其他设备配对不上。", "{p}的驱动装不上。",
            "{p}固件升级失败了。", "网络里找不到{p}。", "第一次用{p}，请问怎么配置？",
            "{p}和应用同步不了。"],
        "exchange": [
            "我想把{p}换个颜色。", "{p}能换成别的型号吗？", "{p}买错了，想换货。",
            "请把{p}换成大一点的版本。", "想把{p}换成新款，我补差价。",
            "{p}尺寸不合适，能换一个吗？", "能把{p}换成黑色的吗？"],
        "cancellation": [
            "请取消我的{p}订单。", "我改主意了，{p}发货前请取消。", "{p}的订单不要了。",
            "请取消{p}的延保服务。", "{p}不需要了，请取消订单。", "{p}下错单了，请取消。",
            "{p}在别处买到了，麻烦取消。"],
    },
}
# When the request is only in the voice note.
INTENT_IN_VOICE = {
    "en": ["As I said in the voice note, please sort this out for my {p}.",
           "Details are in my voice message. It's about the {p}.",
           "Please listen to the voice note about the {p}.",
           "I explained everything in the audio, regarding the {p}.",
           "see voice msg re: {p}"],
    "zh": ["关于{p}，具体情况我在语音里说了。", "请听语音，是{p}的问题。", "{p}的事情见语音留言。",
           "我发了语音说明{p}的情况。"],
}
# When the damage is only visible in the photo (damaged_item).
INTENT_IN_PHOTO = {
    "en": ["Just look at the photo of the {p}.", "This is how the {p} looks now, see photo.",
           "Look at the picture. The {p}, today."],
    "zh": ["看看照片里的{p}就知道了。", "{p}现在是这样，见照片。", "请看图，{p}今天的样子。"],
}
URGENCY_TEXT = {
    "en": {"high": ["This is urgent!", "I need this fixed ASAP.", "URGENT please!!",
                    "Please hurry, I need it for work tomorrow!", "Need an answer today!!"],
           "low": ["No rush, whenever you have time.", "Not urgent.", "It can wait until next week.",
                   "Take your time."],
           "normal": ["", "", "Thanks.", "Thank you."]},
    "zh": {"high": ["非常紧急！", "请尽快处理！！", "急！明天上班要用！", "今天必须解决！"],
           "low": ["不着急，有空再处理。", "不急。", "下周处理也可以。", "慢慢来。"],
           "normal": ["", "", "谢谢。", "麻烦了。"]},
}
GREETINGS = {
    "en": ["", "", "Hi,", "Hello,", "Hi there,", "Dear support,", "Good morning,", "hey"],
    "zh": ["", "", "你好，", "您好，", "客服你好，", "在吗？"],
}
CLOSINGS = {
    "en": ["", "", "", "Thanks, Sam", "Regards.", "Cheers", "Best, Maria"],
    "zh": ["", "", "", "谢谢！", "辛苦了。", "期待回复。"],
}
ORDER = {"en": ["Order #{n}.", "My order number is {n}.", "(order {n})", ""],
         "zh": ["订单号{n}。", "订单：{n}。", ""]}
FILLERS = {
    "en": ["I've been a customer for years.", "I bought it from your online store.",
           "It was a gift for my daughter.", "I already tried restarting it.",
           "Your chat bot couldn't help.", ""],
    "zh": ["我是老客户了。", "是在你们官网买的。", "这是送给家人的礼物。", "已经试过重启了。",
           "机器人客服没解决。", ""],
}

# Voice notes: short requests; the urgency is in the prosody and sometimes in the words.
VOICE_REQUEST = {
    "en": {"refund": ["I want a refund.", "Please refund my money."],
           "damaged_item": ["It arrived broken.", "The item is damaged."],
           "delivery": ["My package has not arrived.", "Where is my order?"],
           "account_access": ["I cannot log in to my account.", "I am locked out of my account."],
           "billing": ["I was charged twice.", "My bill is wrong."],
           "technical_setup": ["I need help setting it up.", "It will not connect."],
           "exchange": ["I want to exchange it.", "Can I swap it for another one?"],
           "cancellation": ["Please cancel my order.", "Cancel it, please."]},
    "zh": {"refund": ["我要退款。", "请把钱退给我。"],
           "damaged_item": ["东西到的时候坏了。", "商品损坏了。"],
           "delivery": ["我的包裹还没到。", "我的订单在哪里？"],
           "account_access": ["我登录不了账户。", "我的账户被锁了。"],
           "billing": ["我被重复扣款了。", "账单有问题。"],
           "technical_setup": ["我不会安装设置。", "连不上网络。"],
           "exchange": ["我想换货。", "能换一个吗？"],
           "cancellation": ["请取消我的订单。", "订单不要了。"]},
}
VOICE_URGENCY = {
    "en": {"high": ["This is urgent!", "Please hurry!"], "low": ["No rush.", "Whenever you can."],
           "normal": ["Thank you."]},
    "zh": {"high": ["非常紧急！", "请快一点！"], "low": ["不着急。", "有空再说。"],
           "normal": ["谢谢。"]},
}
PROSODY = {  # espeak-ng: -s words/minute, -p pitch 0..99, -a amplitude 0..200
    "low": {"s": (120, 145), "p": (20, 38), "a": (50, 80)},
    "normal": {"s": (155, 180), "p": (42, 58), "a": (95, 125)},
    "high": {"s": (200, 240), "p": (65, 90), "a": (150, 180)},
}

EN_NEIGHBOURS = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm",
                                      "wqrtyuiopoadfghjkllxcvbnmn")}
ZH_CONFUSIONS = {"的": "得", "在": "再", "已": "以", "做": "作", "账": "帐", "号": "好",
                 "到": "道", "经": "今", "么": "吗", "货": "或", "款": "宽", "单": "但"}


def typo_en(text, rng):
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        idx = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) > 3]
        if not idx:
            break
        i = rng.choice(idx)
        w = list(words[i])
        letters = [k for k, ch in enumerate(w) if ch.isalpha()]
        k = rng.choice(letters[1:])
        kind = rng.randrange(4)
        if kind == 0 and k + 1 < len(w) and w[k + 1].isalpha():
            w[k], w[k + 1] = w[k + 1], w[k]
        elif kind == 1:
            del w[k]
        elif kind == 2:
            w.insert(k, w[k])
        else:
            w[k] = EN_NEIGHBOURS.get(w[k].lower(), w[k])
        words[i] = "".join(w)
    out = " ".join(words)
    if rng.random() < 0.3:
        out = out.lower()
    return out


def typo_zh(text, rng):
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        conf = [i for i, c in enumerate(chars) if c in ZH_CONFUSIONS]
        if conf and rng.random() < 0.7:
            i = rng.choice(conf)
            chars[i] = ZH_CONFUSIONS[chars[i]]
        else:
            han = [i for i in range(len(chars) - 1)
                   if "\u4e00" <= chars[i] <= "\u9fff" and "\u4e00" <= chars[i + 1] <= "\u9fff"]
            if han:
                i = rng.choice(han)
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
    out = "".join(chars)
    if rng.random() < 0.3:
        out = out.replace("，", ",").replace("。", " ")
    return out


def pick(rng, options, split, holdout):
    """Chooses a template; the last one of a held-out list appears only in val/test."""
    if holdout:
        if split == "train":
            i = rng.randrange(len(options) - 1)
        elif rng.random() < 0.35:
            i = len(options) - 1
        else:
            i = rng.randrange(len(options) - 1)
    else:
        i = rng.randrange(len(options))
    return i, options[i]


def compose_text(t, rng):
    """Writes the message for ticket t; records in t which cues the text carries."""
    lang, split = t["lang"], t["split"]
    if t["product_in_text"]:
        p = rng.choice(PRODUCT_WORDS[lang][t["product"]])
        if lang == "en" and rng.random() < 0.2:
            p = p.upper() if len(p) <= 3 else p
    elif t["intent_in_text"]:
        p = rng.choice(DEICTIC[lang])
    else:  # the sentence already points at the photo or the voice note
        p = rng.choice(DEICTIC_SHORT[lang])
    if t["intent_in_text"]:
        tid, req = pick(rng, REQUESTS[lang][t["intent"]], split, holdout=True)
        t["template"] = f"{lang}/{t['intent']}/{tid}"
    elif t["intent_cue"] == "voice":
        tid, req = pick(rng, INTENT_IN_VOICE[lang], split, holdout=False)
        t["template"] = f"{lang}/intent_in_voice/{tid}"
    else:
        tid, req = pick(rng, INTENT_IN_PHOTO[lang], split, holdout=False)
        t["template"] = f"{lang}/intent_in_photo/{tid}"
    req = req.replace("{p}", p)
    if lang == "en":
        req = req[0].upper() + req[1:]
        req = req.replace("the this", "this").replace("my this", "this").replace("a this", "this")
        req = req.replace("the the ", "the ").replace("my the ", "the ").replace("a the ", "the ")
        req = req.replace("the what", "what").replace("my what", "what").replace("a what", "what")
    parts = [rng.choice(GREETINGS[lang])]
    if rng.random() < 0.4:
        parts.append(rng.choice(ORDER[lang]).replace("{n}", str(rng.randint(100000, 999999))))
    if rng.random() < 0.3:
        parts.append(rng.choice(FILLERS[lang]))
    parts.append(req)
    if t["has_image"] and (not t["product_in_text"] or rng.random() < 0.3):
        parts.append(rng.choice(SEE_PHOTO[lang]))
    if t["urgency_in_text"]:
        parts.append(rng.choice(URGENCY_TEXT[lang][t["urgency"]]))
    elif rng.random() < 0.3:
        parts.append(rng.choice(URGENCY_TEXT[lang]["normal"]))
    if rng.random() < 0.25:
        parts.append(rng.choice(FILLERS[lang]))
    parts.append(rng.choice(CLOSINGS[lang]))
    sep = " " if lang == "en" else ""
    text = sep.join(x for x in parts if x).strip()
    if rng.random() < P_TYPO:
        text = typo_en(text, rng) if lang == "en" else typo_zh(text, rng)
        t["typo"] = True
    return text


# ----------------------------------------------------------------------------------------------
# Photos
# ----------------------------------------------------------------------------------------------

def load_icon(name):
    theme, stem = name.split(":")
    folder = ICON_DIRS[0] if theme == "oxygen" else ICON_DIRS[1]
    path = folder / f"{stem}.png"
    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if img is None:
        sys.exit(f"icon {path} missing; run tools/support/install-tools.sh")
    if img.shape[2] == 3:
        img = np.dstack([img, np.full(img.shape[:2], 255, np.uint8)])
    if img.shape[0] != 64:
        img = cv2.resize(img, (64, 64), interpolation=cv2.INTER_CUBIC)
    return img


def background(family, seed):
    """A 96x96 BGR texture, deterministic in (family, seed)."""
    r = np.random.default_rng(seed)
    n = 96
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32) / n
    c1 = r.integers(0, 256, 3).astype(np.float32)
    c2 = r.integers(0, 256, 3).astype(np.float32)
    if family == "gradient":
        a = r.uniform(0, np.pi)
        t = (np.cos(a) * xx + np.sin(a) * yy)
        t = (t - t.min()) / (t.max() - t.min() + 1e-6)
    elif family == "wood":
        c1 = np.array([r.uniform(20, 70), r.uniform(60, 120), r.uniform(110, 190)], np.float32)
        c2 = c1 * r.uniform(0.55, 0.8)
        warp = cv2.GaussianBlur(r.normal(0, 1, (n, n)).astype(np.float32), (0, 0), 6) * 8
        t = 0.5 + 0.5 * np.sin((yy * r.uniform(15, 40)) + warp)
    elif family == "tiles":
        k = int(r.integers(8, 24))
        t = (((np.arange(n)[:, None] // k) + (np.arange(n)[None, :] // k)) % 2).astype(np.float32)
        grout = ((np.arange(n)[:, None] % k == 0) | (np.arange(n)[None, :] % k == 0))
        t = np.where(grout, 0.5, t * r.uniform(0.3, 1.0))
    elif family == "fabric":
        noise = r.normal(0, 1, (n, n)).astype(np.float32)
        t = cv2.GaussianBlur(noise, (0, 0), sigmaX=float(r.uniform(0.6, 3)), sigmaY=0.6)
        t = (t - t.min()) / (t.max() - t.min() + 1e-6)
    elif family == "bokeh":
        t = np.zeros((n, n), np.float32)
        for _ in range(int(r.integers(5, 14))):
            cv2.circle(t, (int(r.integers(0, n)), int(r.integers(0, n))),
                       int(r.integers(4, 18)), float(r.uniform(0.3, 1)), -1)
        t = cv2.GaussianBlur(t, (0, 0), 4)
        t = np.clip(t, 0, 1)
    elif family == "stripes":
        a = r.uniform(0, np.pi)
        t = (np.sin((np.cos(a) * xx + np.sin(a) * yy) * r.uniform(10, 40)) > 0).astype(np.float32)
        t = cv2.GaussianBlur(t, (0, 0), 0.8)
    else:  # paper: low-contrast mottled surface
        c2 = c1 * 0.85
        t = cv2.GaussianBlur(r.normal(0, 1, (n, n)).astype(np.float32), (0, 0), 5)
        t = (t - t.min()) / (t.max() - t.min() + 1e-6)
    img = c1[None, None, :] * (1 - t[..., None]) + c2[None, None, :] * t[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def draw_damage(rgba, rng):
    """Cracks (dark jagged lines) and stains drawn onto the icon's opaque area."""
    h, w = rgba.shape[:2]
    mask = rgba[..., 3] > 128
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return rgba
    out = rgba.copy()
    layer = out[..., :3].copy()
    kinds = rng.sample(["crack", "crack", "stain", "shatter"], k=rng.randint(2, 3))
    for kind in kinds:
        j = rng.randrange(len(xs))
        x, y = int(xs[j]), int(ys[j])
        if kind == "stain":
            colour = rng.choice([(30, 60, 90), (20, 40, 40), (60, 90, 120)])
            tmp = layer.copy()
            cv2.ellipse(tmp, (x, y), (rng.randint(9, 18), rng.randint(6, 12)), rng.randint(0, 180),
                        0, 360, colour, -1)
            layer = cv2.addWeighted(tmp, 0.7, layer, 0.3, 0)
        else:
            rays = 1 if kind == "crack" else rng.randint(4, 7)
            for _ in range(rays):
                px, py = x, y
                ang = rng.uniform(0, 2 * np.pi)
                for _ in range(rng.randint(4, 8)):
                    ang += rng.uniform(-0.9, 0.9)
                    step = rng.uniform(4, 9)
                    nx, ny = int(px + step * np.cos(ang)), int(py + step * np.sin(ang))
                    cv2.line(layer, (px, py), (nx, ny), (15, 15, 15), rng.choice([2, 3]),
                             cv2.LINE_AA)
                    if kind == "crack":
                        cv2.line(layer, (px + 2, py + 1), (nx + 2, ny + 1), (240, 240, 240), 1)
                    px, py = nx, ny
    out[..., :3] = np.where(mask[..., None], layer, out[..., :3])
    return out


def compose_photo(icon_rgba, bg, damaged, rng, nrng):
    size = IMAGE_SIZE
    # Background: random crop, flip and brightness.
    x0, y0 = rng.randint(0, bg.shape[1] - size), rng.randint(0, bg.shape[0] - size)
    canvas = bg[y0:y0 + size, x0:x0 + size].astype(np.float32)
    if rng.random() < 0.5:
        canvas = canvas[:, ::-1]
    icon = draw_damage(icon_rgba, rng) if damaged else icon_rgba
    # Icon: scale, rotate, place.
    s = rng.randint(30, 50)
    icon = cv2.resize(icon, (s, s), interpolation=cv2.INTER_AREA)
    angle = rng.uniform(-35, 35)
    pad = int(s * 0.25)
    icon = cv2.copyMakeBorder(icon, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(0, 0, 0, 0))
    m = cv2.getRotationMatrix2D((icon.shape[1] / 2, icon.shape[0] / 2), angle, 1.0)
    icon = cv2.warpAffine(icon, m, (icon.shape[1], icon.shape[0]), flags=cv2.INTER_LINEAR,
                          borderValue=(0, 0, 0, 0))
    ih, iw = icon.shape[:2]
    ox = rng.randint(-pad // 2, size - iw + pad // 2)
    oy = rng.randint(-pad // 2, size - ih + pad // 2)
    full = np.zeros((size, size, 4), np.float32)
    xs0, ys0 = max(ox, 0), max(oy, 0)
    xs1, ys1 = min(ox + iw, size), min(oy + ih, size)
    full[ys0:ys1, xs0:xs1] = icon[ys0 - oy:ys1 - oy, xs0 - ox:xs1 - ox]
    alpha = full[..., 3:] / 255.0
    # Soft shadow under the object.
    if rng.random() < 0.6:
        shadow = cv2.GaussianBlur(alpha[..., 0], (0, 0), 2.5)
        shadow = np.roll(np.roll(shadow, 2, 0), 2, 1)[..., None] * 0.4
        canvas = canvas * (1 - shadow)
    colour = full[..., :3] * rng.uniform(0.75, 1.2)
    canvas = canvas * (1 - alpha) + colour * alpha
    # Camera: contrast/brightness, blur, noise.
    canvas = (canvas - 128) * rng.uniform(0.75, 1.2) + 128 + rng.uniform(-25, 25)
    sigma = rng.choice([0, 0, 0.5, 0.8, 1.2])
    if sigma:
        canvas = cv2.GaussianBlur(canvas, (0, 0), sigma)
    noise = rng.choice([0, 0, 0, 2, 4])
    if noise:
        canvas = canvas + nrng.normal(0, noise, canvas.shape)
    return np.clip(canvas, 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------------------------
# Voice notes
# ----------------------------------------------------------------------------------------------

def speak(text, voice, s, p, a, out_wav, tmpdir):
    raw = Path(tmpdir) / "raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(s), "-p", str(p), "-a", str(a),
                    "-w", str(raw), text], check=True, capture_output=True)
    # -R -D: repeatable, no dither, so a re-run writes identical files.
    # 16 kHz mono 16-bit; leading/trailing silence cut, inner pauses shortened to 0.1 s; <= 3 s.
    subprocess.run(["sox", "-R", "-D", str(raw), "-r", str(AUDIO_RATE), "-c", "1", "-b", "16",
                    str(out_wav),
                    "silence", "-l", "1", "0.02", "0.5%", "-1", "0.1", "0.5%",
                    "trim", "0", str(MAX_AUDIO_SECONDS - 0.05)], check=True, capture_output=True)
    with wave.open(str(out_wav)) as w:
        return w.getnframes() / w.getframerate()


def make_clips(out_dir, seed, tmpdir):
    """Voice clips per split and (language, intent, urgency); voices disjoint per split."""
    clips = {}  # (split, lang, intent, urgency) -> list of clip dicts
    info = []
    for split in SPLITS:
        for lang in ("en", "zh"):
            bases, variants = VOICES[split][lang]
            for intent in INTENTS:
                for urgency in URGENCIES:
                    key = (split, lang, intent, urgency)
                    for k in range(CLIPS_PER_COMBO[split]):
                        r = random.Random(f"{seed}/clip/{'/'.join(key)}/{k}")
                        voice = f"{r.choice(bases)}+{r.choice(variants)}"
                        req = r.choice(VOICE_REQUEST[lang][intent])
                        words = urgency != "normal" and r.random() < 0.45
                        if words:
                            cue = r.choice(VOICE_URGENCY[lang][urgency])
                            text = f"{cue} {req}" if r.random() < 0.5 else f"{req} {cue}"
                        else:
                            text = req
                        pr = PROSODY[urgency]
                        s, p, a = (r.randint(*pr["s"]), r.randint(*pr["p"]), r.randint(*pr["a"]))
                        if lang == "zh":
                            s = int(s * ZH_RATE)  # espeak-ng's cmn is slow at a given rate
                        cid = f"{split}-{lang}-{intent}-{urgency}-{k}"
                        path = out_dir / "audio" / f"{cid}.wav"
                        dur = speak(text, voice, s, p, a, path, tmpdir)
                        if dur >= MAX_AUDIO_SECONDS - 0.06 and text != req:
                            words, text = False, req  # too long: keep the prosody cue only
                            dur = speak(text, voice, s, p, a, path, tmpdir)
                        while dur >= MAX_AUDIO_SECONDS - 0.06:  # never cut a request short
                            s = int(s * 1.1)
                            dur = speak(text, voice, s, p, a, path, tmpdir)
                        c = {"clip": cid, "file": f"audio/{cid}.wav", "lang": lang,
                             "voice": voice, "words": text, "urgency_words": words,
                             "rate": s, "pitch": p, "amplitude": a, "seconds": round(dur, 3)}
                        clips.setdefault(key, []).append(c)
                        info.append(c)
    return clips, info


# ----------------------------------------------------------------------------------------------
# Tickets
# ----------------------------------------------------------------------------------------------

def plan_ticket(idx, split, rng):
    t = {"id": f"t{idx:05d}", "split": split,
         "intent": rng.choices(INTENTS, INTENT_WEIGHTS)[0],
         "product": rng.choice(PRODUCTS),
         "urgency": rng.choices(URGENCIES, URGENCY_WEIGHTS)[0],
         "lang": "zh" if rng.random() < P_ZH else "en",
         "has_image": rng.random() < P_PHOTO,
         "has_audio": rng.random() < P_VOICE,
         "typo": False}
    t["damage_visible"] = (t["has_image"] and t["intent"] == "damaged_item"
                           and rng.random() < P_DAMAGE_VISIBLE)
    t["product_in_text"] = not (t["has_image"] and rng.random() < P_PRODUCT_ONLY_PHOTO)
    t["intent_cue"] = "text"
    if t["has_audio"] and rng.random() < P_INTENT_ONLY_VOICE:
        t["intent_cue"] = "voice"
    elif t["damage_visible"] and rng.random() < 0.35:
        t["intent_cue"] = "photo"
    t["intent_in_text"] = t["intent_cue"] == "text"
    t["urgency_in_text"] = not (t["has_audio"] and rng.random() < P_URGENCY_ONLY_VOICE)
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "support")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    (out / "images").mkdir(parents=True)
    (out / "audio").mkdir()

    icons = {name: load_icon(name) for names in ICONS.values() for name in names}
    bg_pool = {}
    for split, count in BACKGROUNDS.items():
        r = random.Random(f"{args.seed}/bg/{split}")
        bg_pool[split] = []
        for k in range(count):
            fam = BG_FAMILIES[k % len(BG_FAMILIES)]
            bseed = int(hashlib.sha256(f"{args.seed}/bg/{split}/{k}".encode()).hexdigest()[:8], 16)
            bg_pool[split].append((f"{split}-{fam}-{k}", background(fam, bseed)))
        r.shuffle(bg_pool[split])

    with tempfile.TemporaryDirectory() as tmp:
        clips, clip_info = make_clips(out, args.seed, tmp)

    rows, meta = [], []
    idx = 0
    for split, count in SPLITS.items():
        for _ in range(count):
            rng = random.Random(f"{args.seed}/ticket/{idx}")
            nrng = np.random.default_rng(int(hashlib.sha256(
                f"{args.seed}/noise/{idx}".encode()).hexdigest()[:8], 16))
            t = plan_ticket(idx, split, rng)
            text = compose_text(t, rng)
            row = {"id": t["id"], "text": text}
            m = {"id": t["id"], "lang": t["lang"], "template": t["template"], "typo": t["typo"],
                 "product_in": [], "intent_in": [], "urgency_in": []}
            if t["product_in_text"]:
                m["product_in"].append("text")
            if t["intent_in_text"]:
                m["intent_in"].append("text")
            if t["urgency_in_text"] and t["urgency"] != "normal":
                m["urgency_in"].append("text")
            if t["has_image"]:
                icon_name = rng.choice(ICONS[t["product"]])
                bg_id, bg = rng.choice(bg_pool[split])
                img = compose_photo(icons[icon_name], bg, t["damage_visible"], rng, nrng)
                rel = f"images/{t['id']}.png"
                cv2.imwrite(str(out / rel), img, [cv2.IMWRITE_PNG_COMPRESSION, 9])
                row["image"] = rel
                m.update(icon=icon_name, background=bg_id, damage_drawn=t["damage_visible"])
                m["product_in"].append("photo")
                if t["damage_visible"]:
                    m["intent_in"].append("photo")
            if t["has_audio"]:
                lang = t["lang"]
                if rng.random() < P_VOICE_OTHER_LANG:
                    lang = "en" if lang == "zh" else "zh"
                c = rng.choice(clips[(split, lang, t["intent"], t["urgency"])])
                row["audio"] = c["file"]
                m.update(clip=c["clip"], voice=c["voice"], voice_lang=lang)
                m["intent_in"].append("voice")
                m["urgency_in"].append("voice")
            row["label"] = {"intent": t["intent"], "product": t["product"],
                            "urgency": t["urgency"]}
            row["split"] = split
            rows.append(row)
            meta.append(m)
            idx += 1

    used = {r["audio"] for r in rows if "audio" in r}
    for c in clip_info:  # clips of rare (split, language, intent, urgency) no ticket drew
        if c["file"] not in used:
            (out / c["file"]).unlink()
    clip_info = [c for c in clip_info if c["file"] in used]

    with open(out / "manifest.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(out / "meta.jsonl", "w", encoding="utf-8") as f:
        for m in meta:
            f.write(json.dumps(m, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(out / "clips.jsonl", "w", encoding="utf-8") as f:
        for c in clip_info:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    shutil.copyfile(HERE / "replies.json", out / "replies.json")
    write_replies(out)  # replies.jsonl: a pure function of the manifest and meta written above
    shutil.copyfile(HERE / "DATA-README.md", out / "README.md")
    summarize(out, rows, meta, clip_info)


def summarize(out, rows, meta, clip_info):
    print(f"wrote {out}")
    for split in SPLITS:
        rs = [r for r in rows if r["split"] == split]
        img = sum("image" in r for r in rs) / len(rs)
        aud = sum("audio" in r for r in rs) / len(rs)
        print(f"  {split:5s} {len(rs):5d} tickets  photo {img:.0%}  voice {aud:.0%}")
    for head in ("intent", "product", "urgency"):
        c = Counter(r["label"][head] for r in rows)
        print(f"  {head}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    zh = sum(m["lang"] == "zh" for m in meta) / len(meta)
    typo = sum(m["typo"] for m in meta) / len(meta)
    print(f"  chinese {zh:.0%}  typos {typo:.0%}")
    print(f"  product only in photo {sum(m['product_in'] == ['photo'] for m in meta)}, "
          f"intent only in voice {sum(m['intent_in'] == ['voice'] for m in meta)}, "
          f"intent only in photo {sum(m['intent_in'] == ['photo'] for m in meta)}, "
          f"urgency only in voice {sum(m['urgency_in'] == ['voice'] for m in meta)}")
    secs = [c["seconds"] for c in clip_info]
    print(f"  voice clips {len(clip_info)}, {min(secs):.2f}-{max(secs):.2f} s")
    sizes = {}
    for root, _, files in os.walk(out):
        for name in files:
            part = Path(root).name
            sizes[part] = sizes.get(part, 0) + os.path.getsize(os.path.join(root, name))
    total = sum(sizes.values())
    print("  size " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sorted(sizes.items()))
          + f"; total {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
