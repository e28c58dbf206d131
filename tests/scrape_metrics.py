#!/usr/bin/env python3
"""A real scrape of examples/metrics_server: starts it on a free loopback port, fetches
/metrics with curl, checks the text with `promtool check metrics`, and checks the counts it
reports against the fixed workload the server made (and that its background workload counts
on between two scrapes).

Usage: scrape_metrics.py METRICS_SERVER [--metrics-off | --metrics-misspelt]
  --metrics-off        run the server with CACHET_METRICS=off: no call may be counted
  --metrics-misspelt   CACHET_METRICS=of: counting stays on, and a notice on stderr says why
"""
import os
import re
import subprocess
import sys
import time

ROUNDS = 50
TIMING_STRIDE = 16  # cachet::detail::timing_stride


def fail(message):
    sys.exit("scrape_metrics: " + message)


def samples(text):
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            out[series] = float(value)
    return out


def scrape(port, path="/metrics"):
    result = subprocess.run(["curl", "--silent", "--show-error", "--fail", "--max-time", "10",
                             "--dump-header", "/dev/stderr", f"http://127.0.0.1:{port}{path}"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"curl {path} failed ({result.returncode}): {result.stderr}")
    if "text/plain; version=0.0.4" not in result.stderr:
        fail(f"no exposition content type in the headers: {result.stderr}")
    return result.stdout


def main():
    server, metrics_off = sys.argv[1], "--metrics-off" in sys.argv[2:]
    misspelt = "--metrics-misspelt" in sys.argv[2:]
    env = dict(os.environ, CACHET_ENV="production", CACHET_URL="memory://?max_keys=100000",
               CACHET_TEST_URL="")
    env.pop("CACHET_METRICS", None)
    if metrics_off:
        env["CACHET_METRICS"] = "off"
    if misspelt:
        env["CACHET_METRICS"] = "of"
    process = subprocess.Popen([server, "--port", "0", "--rounds", str(ROUNDS)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                fail(f"the server exited ({process.wait()}) before it listened")
            print(line, end="")
            match = re.match(r"listening on 127\.0\.0\.1:(\d+)$", line.strip())
            if match:
                port = int(match.group(1))
        if port is None:
            fail("the server never said where it listens")

        first = scrape(port)
        check = subprocess.run(["promtool", "check", "metrics"], input=first, capture_output=True, text=True)
        print(check.stdout + check.stderr, end="")
        if check.returncode != 0:
            fail(f"promtool check metrics failed ({check.returncode})")

        s = samples(first)
        calls = lambda keyspace, op, result: s.get(
            f'cachet_calls_total{{cluster="profiles",keyspace="{keyspace}",op="{op}",result="{result}"}}', 0)
        if metrics_off:
            counted = [k for k in s if k.startswith("cachet_calls_total") or k.startswith("cachet_call_duration")]
            if counted:
                fail(f"CACHET_METRICS=off, yet calls were counted: {counted[:3]}")
            if s.get('cachet_keys{cluster="profiles"}', 0) < 2 * ROUNDS:
                fail("the backend's figures must still be there with CACHET_METRICS=off")
            print("CACHET_METRICS=off: no call counted; backend figures present")
            return

        expected = {
            ("name/:key", "get", "miss"): ROUNDS,
            ("name/:key", "get", "ok"): ROUNDS,
            ("name/:key", "set", "ok"): ROUNDS,
            ("visits/:key", "increment", "ok"): ROUNDS,
        }
        for (keyspace, op, result), n in expected.items():
            got = calls(keyspace, op, result)
            if got != n:
                fail(f"{keyspace} {op} {result}: /metrics says {got}, the server made {n}")
        hist = lambda keyspace, part: s.get(
            f'cachet_call_duration_seconds_{part}{{cluster="profiles",keyspace="{keyspace}"}}', 0)
        # The histogram times the first of every TIMING_STRIDE calls of each op on a thread; the
        # fixed workload runs on one thread: name/:key's gets and sets, visits/:key's increments.
        timed = lambda n: -(-n // TIMING_STRIDE)
        if hist("name/:key", "count") != timed(2 * ROUNDS) + timed(ROUNDS) or hist("visits/:key", "count") != timed(ROUNDS):
            fail("the histogram counts are not the timed calls (the first of every 16 of an op on a thread)")
        # Every key the fixed workload wrote, and the background's 200 pages once it went round.
        keys = s.get('cachet_keys{cluster="profiles"}')
        if keys is None or keys < 2 * ROUNDS:
            fail(f"cachet_keys says {keys}, the server wrote at least {2 * ROUNDS} keys")

        time.sleep(0.3)
        second = samples(scrape(port))
        page_calls = lambda m: sum(v for k, v in m.items()
                                   if k.startswith('cachet_calls_total{cluster="profiles",keyspace="page/:key"'))
        if not page_calls(second) > page_calls(s) > 0:
            fail(f"the background workload's calls did not grow: {page_calls(s)} then {page_calls(second)}")

        if misspelt:
            process.kill()
            notice = process.communicate()[1]
            if 'CACHET_METRICS="of" is not understood (use "on" or "off"); calls are counted' not in notice:
                fail(f"no notice about the misspelt CACHET_METRICS on stderr: {notice!r}")
            print("CACHET_METRICS=of: counted, and a notice said why")
            return

        missing = subprocess.run(["curl", "--silent", "--output", "/dev/null", "--write-out", "%{http_code}",
                                  f"http://127.0.0.1:{port}/other"], capture_output=True, text=True)
        if missing.stdout != "404":
            fail(f"/other answered {missing.stdout}, not 404")
        print(f"scraped /metrics: promtool is content, and the counts match the {ROUNDS} rounds made")
    finally:
        process.kill()
        process.wait()


main()
