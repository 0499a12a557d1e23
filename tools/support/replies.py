"""Reference agent replies for the customer-service tickets: data/support/replies.jsonl.

One line per ticket, keyed by id, in the ticket's language:

    {"id": "t00001", "reply": "...", "facts": {"product": "headphones", "urgency": "normal",
     "intent": "damaged_item", "order": "301749"}}

A reply names the product (often only visible in the photo), answers the request (stated in the
text or only in the voice note), promises the time the urgency asks for (often only heard in the
voice note), and copies the order number from the message when it has one ("order": null when
not). It is a pure function of manifest.jsonl and meta.jsonl (no randomness, no audio), so it can
be rewritten alone, byte-identical, without espeak-ng:

    /usr/bin/python3 tools/support/replies.py [--data data/support]

prepare.py calls it after writing the manifest.
"""

import argparse
import json
import re
from pathlib import Path

PRODUCT = {
    "en": {"headphones": "headphones", "phone": "phone", "computer": "computer",
           "camera": "camera", "printer": "printer", "tv": "TV"},
    "zh": {"headphones": "耳机", "phone": "手机", "computer": "电脑", "camera": "相机",
           "printer": "打印机", "tv": "电视"},
}

REQUEST = {
    "en": {"refund": "We have started a refund for your {p}{o}.",
           "damaged_item": "We will replace your damaged {p}{o}.",
           "delivery": "We are tracking the delivery of your {p}{o}.",
           "account_access": "We have reset the account linked to your {p}{o}.",
           "billing": "We are checking the charge for your {p}{o}.",
           "technical_setup": "A technician will help you set up your {p}{o}.",
           "exchange": "We have arranged an exchange for your {p}{o}.",
           "cancellation": "We have cancelled the order for your {p}{o}."},
    "zh": {"refund": "已为您的{p}办理退款{o}。",
           "damaged_item": "我们将为您更换损坏的{p}{o}。",
           "delivery": "我们正在查询您的{p}的物流{o}。",
           "account_access": "已为您重置与{p}相关的账户{o}。",
           "billing": "我们正在核查您的{p}的扣款{o}。",
           "technical_setup": "技术人员将协助您设置{p}{o}。",
           "exchange": "已为您安排{p}换货{o}。",
           "cancellation": "已为您取消{p}的订单{o}。"},
}

ORDER = {"en": " (order {n})", "zh": "（订单号{n}）"}

URGENCY = {
    "en": {"high": "This is marked urgent: we will call you within 2 hours.",
           "normal": "We will reply within one business day.",
           "low": "No rush: we will reply within 3 business days."},
    "zh": {"high": "已标记为紧急，我们将在2小时内致电您。",
           "normal": "我们将在1个工作日内回复。",
           "low": "不着急的话，我们将在3个工作日内回复。"},
}

ORDER_NUMBER = re.compile(r"(?<!\d)\d{6}(?!\d)")


def reply(lang, label, text):
    """The reference reply of one ticket and the facts it carries."""
    found = ORDER_NUMBER.findall(text)
    order = found[0] if found else None
    o = ORDER[lang].format(n=order) if order else ""
    sep = " " if lang == "en" else ""
    words = (REQUEST[lang][label["intent"]].format(p=PRODUCT[lang][label["product"]], o=o)
             + sep + URGENCY[lang][label["urgency"]])
    facts = {"product": label["product"], "urgency": label["urgency"],
             "intent": label["intent"], "order": order}
    return words, facts


def write_replies(data):
    data = Path(data)
    rows = [json.loads(l) for l in open(data / "manifest.jsonl", encoding="utf-8")]
    langs = {m["id"]: m["lang"] for m in
             (json.loads(l) for l in open(data / "meta.jsonl", encoding="utf-8"))}
    with open(data / "replies.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            words, facts = reply(langs[row["id"]], row["label"], row["text"])
            f.write(json.dumps({"id": row["id"], "reply": words, "facts": facts},
                               ensure_ascii=False, separators=(",", ":")) + "\n")
    return len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "data/support"))
    args = parser.parse_args()
    n = write_replies(args.data)
    print(f"wrote {n} replies to {Path(args.data) / 'replies.jsonl'}")


if __name__ == "__main__":
    main()
