#!/usr/bin/python3
"""Drives a long-running implementation over its stdin/stdout one check at a time, as Postfix drives a
spawned policy server: write one request, read its whole answer, then the next (or, with --pipelined, every
request of a pass at once from a thread, the answers read as they come). The passes (--passes) go
through the same process; each check's latency runs from writing the request to reading the answer's end.
The clock starts once the process waits for its first request (benchlib.wait_for_input), so the first
pass times checks and not the process's start (0.2 – 0.6 s for .NET, Python and Perl servers).

  --protocol policy    Postfix policy delegation (SMTPD_POLICY_README): attribute lines, an empty line;
                       the answer is "action=..." and an empty line. Each request has its own instance
                       (process, pass, line), so no pass is answered from a per-message cache.
  --protocol spfquery  libspf2's `spfquery -file -`: one line "IP SENDER HELO" per check; the answer is
                       four lines (see read_spfquery_answer). spfquery writes through stdio, so run it
                       under `stdbuf -oL` or it holds its answers in a buffer.

The command follows "--". The process's peak memory (VmHWM) is read just before its stdin is closed.
"""

import subprocess
import sys
import threading
import time

import benchlib

# The attributes Postfix 3.7 sends at RCPT besides those from the workload line, as bench/Vouch.PolicyLoad
# sends them, so that every policy server parses a request of realistic size.
POLICY_TAIL = (
    "queue_id=\nsasl_method=\nsasl_username=\nsasl_sender=\nsize=0\nccert_subject=\nccert_issuer=\n"
    "ccert_fingerprint=\nccert_pubkey_fingerprint=\nencryption_protocol=TLSv1.3\n"
    "encryption_cipher=TLS_AES_256_GCM_SHA384\nencryption_keysize=256\netrn_domain=\nstress=\n"
    "server_address=192.0.2.25\nserver_port=25\npolicy_context=\ncompatibility_level=3.6\nmail_version=3.7.11\n\n"
)


def policy_request(row, instance):
    return (
        "request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n"
        f"client_address={row['ip']}\nclient_name=unknown\nreverse_client_name=unknown\n"
        f"helo_name={row['helo']}\nsender={row['sender']}\nrecipient=user@example.net\nrecipient_count=0\n"
        f"instance={instance}\n" + POLICY_TAIL
    ).encode()


def read_policy_answer(stdout):
    first = None
    while True:
        line = stdout.readline()
        if not line:
            raise EOFError("the server closed its output")
        line = line.decode("utf-8", "replace").rstrip("\n")
        if line == "":
            return first
        first = first if first is not None else line


def read_spfquery_answer(stdout):
    """spfquery's answer to one line: an optional error report ("StartError" ... "EndError"), then four
    lines: the result, the SMTP comment, the header comment and the Received-SPF header, the last three
    empty when there is no result to explain (a record that does not compile gives "(invalid)")."""
    def line():
        text = stdout.readline()
        if not text:
            raise EOFError("spfquery closed its output")
        return text.decode("utf-8", "replace").rstrip("\n")

    first = line()
    if first == "StartError":
        while line() != "EndError":
            pass
        first = line()
    return [first, line(), line(), line()]


class Watchdog(threading.Thread):
    """Kills the process when no answer arrives for `limit` seconds, so a stuck peer cannot hang the run."""

    def __init__(self, process, limit=60):
        super().__init__(daemon=True)
        self.process, self.limit, self.last, self.fired = process, limit, time.monotonic(), False

    def run(self):
        while self.process.poll() is None:
            time.sleep(1)
            if time.monotonic() - self.last > self.limit:
                self.fired = True
                self.process.kill()


def request_of(protocol, row, instance):
    if protocol == "policy":
        return policy_request(row, instance)
    return f"{row['ip']} {benchlib.mailfrom_identity(row)} {row['helo']}\n".encode()


def write_all(stream, requests, written):
    """Writes every request; each one's time is taken just before it goes (a full pipe holds the next back)."""
    for i, request in enumerate(requests):
        written[i] = time.perf_counter()
        stream.write(request)
    stream.flush()


def main():
    parser = benchlib.arguments(__doc__)
    parser.add_argument("--protocol", choices=("policy", "spfquery"), required=True)
    parser.add_argument("--pipelined", action="store_true",
                        help="write a pass's requests all at once (a thread) and read the answers as they come: the "
                             "implementation never waits for this driver; latency then includes the wait behind "
                             "the requests before it")
    parser.add_argument("command", nargs="+", help="the implementation's command (after --)")
    args = parser.parse_args()
    rows = benchlib.load_workload(args.workload, args.lines)

    process = subprocess.Popen(args.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    benchlib.wait_for_input(process.pid)
    watchdog = Watchdog(process)
    watchdog.start()
    passes, answers = {}, []
    try:
        for name in args.passes:
            current = benchlib.Pass(name)
            requests = [request_of(args.protocol, row, f"cmp{process.pid}.{name}.{i}") for i, row in enumerate(rows)]
            written = [0.0] * len(requests)
            writer = None
            if args.pipelined:
                writer = threading.Thread(target=write_all, args=(process.stdin, requests, written), daemon=True)
                writer.start()
            for i, row in enumerate(rows):
                if not args.pipelined:
                    written[i] = time.perf_counter()
                    process.stdin.write(requests[i])
                    process.stdin.flush()
                if args.protocol == "policy":
                    action = read_policy_answer(process.stdout)
                    answer = (*benchlib.policy_answer(action or ""), action)
                else:
                    output = read_spfquery_answer(process.stdout)
                    answer = ("mailfrom", benchlib.result_name(output[0].strip()), output[-1] or output[0])
                current.latencies.append(time.perf_counter() - written[i])
                watchdog.last = time.monotonic()
                if not passes:
                    answers.append(answer)
            current.done()
            if writer is not None:
                writer.join()
            passes[name] = current.summary()
        peak = benchlib.peak_rss_kib(process.pid)
    except (EOFError, BrokenPipeError) as error:
        reason = "no answer for 60 s" if watchdog.fired else str(error)
        print(f"stdio_client: {args.command[0]}: {reason}", file=sys.stderr)
        process.kill()
        return 1
    process.stdin.close()
    process.wait()
    benchlib.write_result(args.result, len(rows), passes, peak, memory_of="the server process")
    benchlib.write_answers(args.answers, answers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
