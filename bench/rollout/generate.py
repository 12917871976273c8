#!/usr/bin/env python3
"""Inputs for bench/rollout/run.sh.

generate.py postfix-log            a Postfix log (postlogd's format) of the demo zone's senders, 40 messages
generate.py decisions SEED N       N decision lines: the seed lines repeated, each copy with a new time (a
                                   minute apart, so about 19 years of minutes for 10 million: many weeks)
                                   and a new client address (256 * 256 networks), the rest as replayed
"""
import json
import sys

SENDERS = [
    ("192.0.2.10", "mail.example.com", "alice@example.com"),
    ("203.0.113.66", "spoofer.example.net", "alice@example.com"),
    ("198.51.100.7", "mx.shop.example.org", "orders@shop.example.org"),
    ("198.51.100.20", "mail.example.net", "bob@example.net"),
    ("198.51.100.30", "relay.example.net", "bob@example.net"),
    ("203.0.113.99", "dsl-203-0-113-99.isp.example", "carol@example.net"),
    ("198.51.100.20", "mail.example.net", "alerts@noreply.example.org"),
    ("198.51.100.60", "relay.provider.example", "secretary@club.example.org"),
    ("203.0.113.7", "mx.spammer.example", "win@spammer.example"),
]


def postfix_log():
    out = sys.stdout
    for i in range(40):
        ip, helo, sender = SENDERS[i % len(SENDERS)]
        pid, queue = 1000 + i, f"{0xA0000 + i:X}"
        stamp = f"Dec 01 10:{i // 60:02d}:{i % 60:02d}"
        out.write(f"{stamp} mx postfix/smtpd[{pid}]: connect from unknown[{ip}]\n")
        out.write(f"{stamp} mx postfix/smtpd[{pid}]: NOQUEUE: permit: RCPT from unknown[{ip}]: action=permit_auth_destination for Recipient address=u@receiver.example ; from=<{sender}> to=<u@receiver.example> proto=ESMTP helo=<{helo}>\n")
        out.write(f"{stamp} mx postfix/smtpd[{pid}]: {queue}: client=unknown[{ip}]\n")
        out.write(f"{stamp} mx postfix/qmgr[99]: {queue}: from=<{sender}>, size=1000, nrcpt=1 (queue active)\n")
        out.write(f"{stamp} mx postfix/smtpd[{pid}]: disconnect from unknown[{ip}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5\n")


def decisions(seed_path, count):
    seeds = [json.loads(line) for line in open(seed_path, encoding="utf-8") if line.strip()]
    # Split each seed line around its time and client once, so that each copy is three joins.
    templates = []
    for seed in seeds:
        seed["time"], seed["client"] = "@@TIME@@", "@@CLIENT@@"
        text = json.dumps(seed, separators=(",", ":"), ensure_ascii=False)
        before, rest = text.split("@@TIME@@")
        middle, after = rest.split("@@CLIENT@@")
        templates.append((before, middle, after))
    out = sys.stdout
    base = 1_730_000_000  # 2024-10-27
    import datetime
    write = out.write
    for i in range(count):
        before, middle, after = templates[i % len(templates)]
        stamp = datetime.datetime.fromtimestamp(base + i * 60, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        client = f"10.{(i >> 8) & 255}.{i & 255}.{i % 7}"
        write(f"{before}{stamp}{middle}{client}{after}\n")


if __name__ == "__main__":
    if sys.argv[1] == "postfix-log":
        postfix_log()
    else:
        decisions(sys.argv[2], int(sys.argv[3]))
