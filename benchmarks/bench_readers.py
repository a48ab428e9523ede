"""Benchmark the file readers of email, chats and call logs, each beside a reference.

    python benchmarks/bench_readers.py                     # 100,000 of each
    python benchmarks/bench_readers.py --messages 20000 --lines 100000 --calls 100000

Generates its data in a temporary folder: a Gmail Takeout-like mbox of N messages (long
Gmail headers, CRLF, one in ten with a ~90 KB base64 attachment, so 100,000 messages
weigh about 1 GB), a WhatsApp export of L lines (Android, 12-hour, multi-line messages
and system lines) and an Android call log of C calls. Every reader runs in a child
process of its own, so its peak memory (``ru_maxrss``) is its own:

- mbox: ``tracker.importers.mail.read_mail`` (headers parsed, addresses and dates read,
  the first text line found) against Python's ``mailbox.mbox`` reading the same headers
  and parsing the same addresses and dates (target: twice its rate; peak RSS < 150 MB);
- WhatsApp: ``read_whatsapp`` (target: the whole import under 3 s; this times the reader);
- call log: ``read_calls`` against ``xml.etree.ElementTree.iterparse`` reading the same
  attributes (target as WhatsApp).

Prints a markdown table and writes it, with the command, as the "Readers" section of
``benchmarks/RESULTS.md`` (replacing an earlier one) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import base64
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from report import Row, output_options, publish, table, verdict  # noqa: E402

SECTION = "Readers"
PEOPLE = 2000
HEADERS = (
    "From",
    "To",
    "Cc",
    "Date",
    "Subject",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "Precedence",
    "Auto-Submitted",
    "X-Gmail-Labels",
)
ATTACHMENT = base64.encodebytes(bytes(range(256)) * 270).decode().replace("\n", "\r\n")
"""About 92 KB of base64, in 76-character lines."""


# -- data ---------------------------------------------------------------------------------
def write_mbox(path: Path, messages: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        for n in range(messages):
            who = n % PEOPLE
            outbound = n % 3 == 0
            sender = "Sam Seller <sam@example.com>" if outbound else f"Person {who} <p{who}@ex.com>"
            to = f"Person {who} <p{who}@ex.com>" if outbound else "Sam Seller <sam@example.com>"
            day = 1 + n % 28
            stamp = f"{day:02d} Mar 2024 {n % 24:02d}:{n % 60:02d}:{n % 59:02d}"
            labels = "Sent" if outbound else "Inbox,Important,Opened,Category Personal"
            lines = [
                f"From 17920000000{n:08d}@xxx Tue Mar 12 14:02:03 +0000 2024",
                f"X-GM-THRID: 17920000000{n // 3:08d}",
                f"X-Gmail-Labels: {labels}",
                "Delivered-To: sam@example.com",
                "Received: by 2002:a05:6a10:1234:b0:5a1:2b3c:4d5e with SMTP id abc123;",
                f"        {stamp} -0700 (PDT)",
                "X-Google-Smtp-Source: AGHT+IGa1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuVwXyZ0123456789ab",
                "ARC-Seal: i=1; a=rsa-sha256; t=1710252123; cv=none; d=google.com; s=arc-20160816;",
                "        b=" + "Qm9ndXMgc2lnbmF0dXJlIGRhdGEgZm9yIGJlbmNobWFya2luZw" * 6,
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=ex.com; s=20230601;",
                "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject;",
                "        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
                "        b=" + "U2lnbmVkIGJ5IG5vYm9keSwgZm9yIHRoZSBiZW5jaG1hcms" * 6,
                "MIME-Version: 1.0",
                f"From: {sender}",
                f"To: {to}",
                f"Cc: Lee Example <lee{who % 7}@ex.com>" if n % 5 == 0 else "X-Cc: none",
                f"Date: Tue, {stamp} -0500",
                f"Subject: =?UTF-8?Q?Re:_Caf=C3=A9_number_{n}?=" if n % 4 == 0 else f"Subject: {n}",
                f"Message-ID: <msg{n}@mail.ex.com>",
            ]
            if n % 10 == 0:
                lines += [
                    'Content-Type: multipart/mixed; boundary="b1"',
                    "",
                    "--b1",
                    'Content-Type: text/plain; charset="UTF-8"',
                    "",
                    f"Hello {who}, here is the quote.",
                    "",
                    "--b1",
                    'Content-Type: application/pdf; name="quote.pdf"',
                    'Content-Disposition: attachment; filename="quote.pdf"',
                    "Content-Transfer-Encoding: base64",
                    "",
                    ATTACHMENT,
                    "--b1--",
                ]
            else:
                lines += [
                    'Content-Type: text/plain; charset="UTF-8"',
                    "Content-Transfer-Encoding: quoted-printable",
                    "",
                    f"Message {n}: sounds good, talk Thursday =E2=80=94 thanks!",
                    "",
                    "> On Mon, someone wrote:",
                    "> an earlier message",
                ]
            out.write("\r\n".join(lines) + "\r\n\r\n")


def write_whatsapp(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "1/2/24, 9:00\u202fAM - Messages and calls are end-to-end encrypted. No one "
            "outside of this chat, not even WhatsApp, can read or listen to them.\n"
        )
        written = 1
        n = 0
        while written < lines:
            month, day = 1 + n // 4000 % 12, 1 + n // 140 % 28
            hour, minute = 1 + n // 60 % 12, n % 60
            half = "AM" if n % 2 else "PM"
            who = "Dana Fictional" if n % 2 else "Sam Seller"
            stamp = f"{month}/{day}/24, {hour}:{minute:02d}\u202f{half}"
            if n % 500 == 0:
                out.write(f"{stamp} - Your security code with Dana Fictional changed.\n")
                written += 1
            elif n % 50 == 0:
                out.write(f"{stamp} - {who}: <Media omitted>\n")
                written += 1
            elif n % 7 == 0:
                out.write(f"{stamp} - {who}: First line of message {n}\nand its second line\n")
                written += 2
            else:
                out.write(f"{stamp} - {who}: Message number {n}, see you then\n")
                written += 1
            n += 1


def write_calls(path: Path, calls: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write(f'<calls count="{calls}" backup_date="1710367200000" type="full">\n')
        for n in range(calls):
            who = n % PEOPLE + 1000
            out.write(
                f'  <call number="+1312555{who:04d}" duration="{(n * 37) % 600 if n % 4 else 0}"'
                f' date="{1600000000000 + n * 60000}" type="{1 + n % 6}" presentation="1"'
                f' subscription_id="1" readable_date="Sep 13, 2020 7:26:40 AM"'
                f' contact_name="Person {who}" />\n'
            )
        out.write("</calls>\n")


# -- children: one reader each, timed, with their peak memory -----------------------------
def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours_mail(path: Path) -> dict[str, Any]:
    from tracker.importers.mail import MailRecord, read_mail

    started = time.perf_counter()
    records = sum(1 for item in read_mail(path) if isinstance(item, MailRecord))
    return {"seconds": time.perf_counter() - started, "records": records, "peak_mb": peak_mb()}


def reference_mail(path: Path) -> dict[str, Any]:
    import mailbox
    from email.utils import getaddresses, parsedate_to_datetime

    started = time.perf_counter()
    records = 0
    for message in mailbox.mbox(path, create=False):
        values = {name: message.get(name, "") for name in HEADERS}
        getaddresses([str(values["From"])])
        getaddresses([str(values["To"]), str(values["Cc"])])
        parsedate_to_datetime(str(values["Date"]))
        records += 1
    return {"seconds": time.perf_counter() - started, "records": records, "peak_mb": peak_mb()}


def ours_whatsapp(path: Path) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from tracker.importers.whatsapp import ChatMessage, read_whatsapp

    started = time.perf_counter()
    tz = ZoneInfo("America/Chicago")
    records = sum(1 for item in read_whatsapp(path, tz) if isinstance(item, ChatMessage))
    return {"seconds": time.perf_counter() - started, "records": records, "peak_mb": peak_mb()}


def ours_calls(path: Path) -> dict[str, Any]:
    from tracker.importers.calls import CallRecord, read_calls

    started = time.perf_counter()
    records = sum(1 for item in read_calls(path) if isinstance(item, CallRecord))
    return {"seconds": time.perf_counter() - started, "records": records, "peak_mb": peak_mb()}


def reference_calls(path: Path) -> dict[str, Any]:
    from xml.etree.ElementTree import iterparse

    started = time.perf_counter()
    records = 0
    for _, element in iterparse(path, events=("end",)):
        if element.tag == "call":
            get = element.attrib.get
            _ = (get("number"), get("duration"), get("date"), get("type"), get("contact_name"))
            records += 1
            element.clear()
    return {"seconds": time.perf_counter() - started, "records": records, "peak_mb": peak_mb()}


CHILDREN = {
    "ours-mail": ours_mail,
    "ref-mail": reference_mail,
    "ours-whatsapp": ours_whatsapp,
    "ours-calls": ours_calls,
    "ref-calls": reference_calls,
}


def child_main(args: argparse.Namespace) -> NoReturn:
    print(json.dumps(CHILDREN[args.child](Path(args.path))))
    sys.exit(0)


def run_child(kind: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--path", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {kind} {path.name}: {result}", flush=True)
    return result


# -- report -------------------------------------------------------------------------------
def mail_rows(count: int, size_mb: float, mine: dict[str, Any], ref: dict[str, Any]) -> list[Row]:
    rate, ref_rate = count / mine["seconds"], count / ref["seconds"]
    label = f"mbox, {count:,} messages ({size_mb:,.0f} MB)"
    return [
        (
            f"{label}: messages per second",
            f"{rate:,.0f}/s ({mine['seconds']:.1f} s)",
            f"{ref_rate:,.0f}/s ({ref['seconds']:.1f} s)",
            f"{rate / ref_rate:.2f}x the rate",
            "≥ 2x the reference's rate",
            verdict(rate >= 2 * ref_rate),
        ),
        (
            f"{label}: peak memory (process RSS)",
            f"{mine['peak_mb']:.0f} MB",
            f"{ref['peak_mb']:.0f} MB",
            f"{mine['peak_mb'] / ref['peak_mb']:.2f}x",
            "< 150 MB",
            verdict(mine["peak_mb"] < 150),
        ),
    ]


def timed_row(what: str, mine: dict[str, Any], ref: dict[str, Any] | None) -> Row:
    seconds = mine["seconds"]
    reference = f"{ref['seconds']:.2f} s" if ref else "-"
    ratio = f"{seconds / ref['seconds']:.2f}x" if ref else "-"
    return (
        f"{what} ({mine['records']:,} records, {mine['peak_mb']:.0f} MB peak)",
        f"{seconds:.2f} s",
        reference,
        ratio,
        "< 3 s (whole import)",
        verdict(seconds < 3),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join((__doc__ or "").splitlines()[1:]),
    )
    parser.add_argument("--messages", type=int, default=100_000, help="messages in the mbox")
    parser.add_argument("--lines", type=int, default=100_000, help="lines of the WhatsApp chat")
    parser.add_argument("--calls", type=int, default=100_000, help="calls in the call log")
    output_options(parser)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--path", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="outreach-bench-readers-") as scratch:
        work = Path(scratch)
        mbox = work / "All mail Including Spam and Trash.mbox"
        print(f"mbox of {args.messages:,} messages ...", flush=True)
        write_mbox(mbox, args.messages)
        size_mb = mbox.stat().st_size / 1e6
        mine, ref = run_child("ours-mail", mbox), run_child("ref-mail", mbox)
        rows.extend(mail_rows(args.messages, size_mb, mine, ref))
        mbox.unlink()

        chat = work / "WhatsApp Chat with Dana Fictional.txt"
        print(f"WhatsApp export of {args.lines:,} lines ...", flush=True)
        write_whatsapp(chat, args.lines)
        mine = run_child("ours-whatsapp", chat)
        rows.append(timed_row(f"WhatsApp export, {args.lines:,} lines: read", mine, None))

        log = work / "calls-20240312.xml"
        print(f"call log of {args.calls:,} calls ...", flush=True)
        write_calls(log, args.calls)
        mine, ref = run_child("ours-calls", log), run_child("ref-calls", log)
        rows.append(timed_row(f"call log, {args.calls:,} calls: read", mine, ref))

    command = "python benchmarks/bench_readers.py"
    for flag, value, default in (
        ("--messages", args.messages, 100_000),
        ("--lines", args.lines, 100_000),
        ("--calls", args.calls, 100_000),
    ):
        if value != default:
            command += f" {flag} {value}"
    context = f"2 cores, Python {platform.python_version()}, {date.today().isoformat()}"
    body = f"## {SECTION}\n\n`{command}` ({context})\n\n{table(rows)}\n"
    print()
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
