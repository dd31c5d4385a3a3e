"""bench/run's measurements of issue 15 (docs/performance.md). Loopback only. Prints a report and,
last, one JSON line. Environment (bench/run sets the defaults; BENCH_SMOKE=1 makes them tiny):
CIVICPUB_BIN, N, PEER_N, ACTORS, F, H, POSTS, REPLIES, DURATION, CONNECTIONS, RSA_SIGN_PER_S,
RSA_VERIFY_PER_S (from `openssl speed -multi`), BENCH_PEER (0: skip the Fedify peer).
"""

import asyncio
import json
import os
import pathlib
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests" / "integration"), str(HERE.parent / "tests" / "interop")]

from bench_load import Sink, send_all  # noqa: E402
from bench_world import ActorStub, fan_out_hosts, make_actors, seed, signed_creates  # noqa: E402
from harness import Instance, free_port, wait_until  # noqa: E402

AS2 = "application/activity+json"
ACCOUNT = "gemeente"
LOGIN = "comms@town.example"
PASSWORD = "bench password for the town's account"
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "900"))  # seconds for ingest or fan-out to finish


def env_int(name):
    return int(os.environ[name])


def log(message):
    print(message, flush=True)


def status_kib(pid, field):
    text = pathlib.Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def fetch(url, accept):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),
                                timeout=30) as response:
        return response.read()


def wrk(url, accept, duration, connections, server_pids=()):
    """wrk's rate, its error lines, and the CPU the server's processes spent per answer:
    (user, system) microseconds, from /proc (where the time of a read goes, docs/performance.md)."""
    before = cpu_ticks(server_pids)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-H",
         f"Accept: {accept}", url],
        check=True, capture_output=True, text=True, timeout=duration + 60).stdout
    after = cpu_ticks(server_pids)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    answers = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", out)
    tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
    per_answer = tuple((a - b) * tick_us / max(answers, 1) for a, b in zip(after, before))
    return rate, errors, per_answer


def cpu_ticks(pids):
    """User and system clock ticks of the processes `pids` (all their threads), so far."""
    user = system = 0
    for pid in pids:
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        user, system = user + int(fields[11]), system + int(fields[12])
    return user, system


def children(pid):
    """The pids whose parent is `pid` (nginx's workers)."""
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


class Nginx:
    """nginx serving files from its own directory on 127.0.0.1 (the ceiling for a static answer)."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.html = self.root / "html"
        self.html.mkdir(parents=True)
        self.port = free_port()
        self.process = None

    def add(self, name, body):
        (self.html / name).write_bytes(body)
        return f"http://127.0.0.1:{self.port}/{name}"

    def start(self):
        conf = self.root / "nginx.conf"
        temp = " ".join(f"{k}_temp_path {self.root};" for k in
                        ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf.write_text(f"""daemon off; worker_processes {os.cpu_count()};
pid {self.root}/nginx.pid; error_log {self.root}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; {temp}
  types {{ application/activity+json json; text/html html; }}
  server {{ listen 127.0.0.1:{self.port}; location / {{ root {self.html}; }} }} }}
""")
        # nginx's workers drop root privileges: let them read the documents.
        for path in [self.root.parent, self.root, self.html, *self.html.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(self.root)],
                                        stdin=subprocess.DEVNULL)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)


def openssl_rates():
    return float(os.environ["RSA_SIGN_PER_S"]), float(os.environ["RSA_VERIFY_PER_S"])


def build_instance(work):
    n = env_int("N")
    # The whole load comes from one address (127.0.0.1): no per-address share of connections
    # (wrk's 64 are exactly the default share, so a connection wrk reopened was refused until the
    # server had finished with the old one; docs/performance.md), and the inbox's caps per actor
    # and per host raised to N.
    extra = f"""
[http]
max_connections_per_address = 0
[logging]
level = "{os.environ.get('BENCH_LOG_LEVEL', 'warn')}"
access_log = false
[federation]
inbox_pending_per_actor = {n}
inbox_pending_per_host = {n}
"""
    civic = Instance("bench", extra_toml=extra)
    civic.init()
    # The account has a login: the fan-out posts through the client API, as a town's
    # communication team does from its Mastodon app.
    civic.cli("account", "create", "--username", ACCOUNT, "--type", "organization", "--email",
              LOGIN, "--password-stdin", input=PASSWORD + "\n")
    note = civic.cli("post", "--as", ACCOUNT, "Plan for the square: tell us what you think.")
    note_url = note.stdout.split()[-1]
    root = civic.cli("post", "--as", ACCOUNT, "The town budget for next year, open for comment.")
    root_url = root.stdout.split()[-1]
    for i in range(env_int("REPLIES")):
        civic.cli("post", "--as", ACCOUNT, "--reply-to", root_url,
                  f"Reply {i}: a point about the budget, item {i}.")
    return civic, note_url, root_url


def measure_startup(civic):
    start = time.monotonic()
    civic.start(wait=False)
    while True:
        try:
            socket.create_connection((civic.address, civic.port), timeout=1).close()
            break
        except OSError:
            if civic.process.poll() is not None:
                raise RuntimeError(f"civicpub exited:\n{civic.log_tail()}")
            time.sleep(0.001)
    startup_ms = (time.monotonic() - start) * 1000
    wait_until(lambda: civic.get("/healthz").status == 200, timeout=60, message="healthz")
    return startup_ms


def reads(civic, note_url, root_url, nginx, duration, connections):
    base = civic.base_url
    host = f"127.0.0.1:{civic.port}"
    targets = {
        "actor": (f"{base}/users/{ACCOUNT}", AS2, "actor.json"),
        "webfinger": (f"{base}/.well-known/webfinger?resource=acct:{ACCOUNT}@{host}",
                      "application/jrd+json", "webfinger.json"),
        "note": (note_url, AS2, "note.json"),
        "thread_page": (root_url, "text/html", "thread.html"),
    }
    static = {key: nginx.add(name, fetch(url, accept))
              for key, (url, accept, name) in targets.items()}
    nginx.start()
    wait_until(lambda: fetch(static["actor"], AS2), timeout=30, message="nginx answers")
    ratios, rates = {}, {}
    civic_pids = [civic.process.pid]
    nginx_pids = [nginx.process.pid, *children(nginx.process.pid)]
    for key, (url, accept, _) in targets.items():
        ours, errors, our_cpu = wrk(url, accept, duration, connections, civic_pids)
        theirs, nginx_errors, their_cpu = wrk(static[key], accept, duration, connections,
                                              nginx_pids)
        log(f"read {key:12} civicpub {ours:10.0f} req/s   nginx {theirs:10.0f} req/s   "
            f"ratio {ours / theirs:.3f} {' '.join(errors + nginx_errors)}")
        log(f"     {'':12} CPU per answer, user + system: civicpub {our_cpu[0]:.1f} + "
            f"{our_cpu[1]:.1f} us   nginx {their_cpu[0]:.1f} + {their_cpu[1]:.1f} us")
        ratios[f"read_ratio_{key}"] = ours / theirs
        rates[key] = ours
    return ratios, rates


def count_posts(db_path, domain):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute("SELECT count(*) FROM posts WHERE author_id IN"
                          " (SELECT id FROM actors WHERE domain = ?)", (domain,)).fetchone()[0]
    finally:
        db.close()


def inbox_ingest(civic, actors, stub, n, connections):
    host = f"127.0.0.1:{civic.port}"
    recipient = f"{civic.base_url}/users/{ACCOUNT}"
    db_path = str(civic.data_dir / "civicpub.db")
    # Untimed: one activity per actor, a few at a time, so civicpub has fetched every actor's key
    # (the steady state of a server that knows its peers). A burst of first contacts from one
    # host beyond `fetches_per_host` is answered 401 (docs/performance.md).
    warm = signed_creates(actors, host, "/inbox", len(actors), recipient, "warm")
    result = send_all("127.0.0.1", civic.port, warm, 2)
    if set(result["statuses"]) != {202}:
        raise RuntimeError(f"inbox warm-up answers: {result['statuses']}")
    requests = signed_creates(actors, host, "/inbox", n, recipient, "civic")
    start = time.monotonic()
    result = send_all("127.0.0.1", civic.port, requests, connections)
    log(f"inbox: answers {result['statuses']} in {result['seconds']:.2f}s")
    wait_until(lambda: count_posts(db_path, stub.origin) >= n + len(actors), timeout=TIMEOUT,
               interval=0.05,
               message=f"{n} posts stored")
    seconds = time.monotonic() - start
    log(f"inbox: {n} activities stored in {seconds:.2f}s")
    return n / seconds


def pending_inbox_items(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute("SELECT count(*) FROM inbox_items WHERE state = 'pending'").fetchone()[0]
    finally:
        db.close()


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def inbox_split(civic, actors, stub, n, connections):
    """Step 1 again, in two halves (docs/performance.md, "The inbox split in two"): a burst of n
    more Creates accepted by a civicpub whose inbox worker is paused
    (CIVICPUB_BENCH_PAUSE_INBOX_WORKER=1: verified, queued durably, answered 202, nothing
    processed), then a restart without the pause that processes the queue alone. Each half's
    rate, and civicpub's and the load client's CPU per activity (from /proc and
    RUSAGE_CHILDREN). Restarts civicpub; run it after every other step on the same process."""
    db_path = str(civic.data_dir / "civicpub.db")
    host = f"127.0.0.1:{civic.port}"
    recipient = f"{civic.base_url}/users/{ACCOUNT}"
    wait_until(lambda: pending_inbox_items(db_path) == 0, timeout=TIMEOUT, interval=0.05,
               message="step 1's items all marked")
    stored_before = count_posts(db_path, stub.origin)
    civic.stop()
    os.environ["CIVICPUB_BENCH_PAUSE_INBOX_WORKER"] = "1"
    try:
        civic.start()
    finally:
        del os.environ["CIVICPUB_BENCH_PAUSE_INBOX_WORKER"]
    requests = signed_creates(actors, host, "/inbox", n, recipient, "split")
    pid = civic.process.pid
    server_before, client_before = cpu_ticks([pid]), children_cpu_s()
    result = send_all("127.0.0.1", civic.port, requests, connections)
    server_after, client_after = cpu_ticks([pid]), children_cpu_s()
    accept_seconds = result["seconds"]
    if set(result["statuses"]) != {202}:
        raise RuntimeError(f"inbox split: answers {result['statuses']}")
    queued = pending_inbox_items(db_path)
    if queued != n or count_posts(db_path, stub.origin) != stored_before:
        raise RuntimeError(f"inbox split: {queued} items pending after the paused burst, not {n},"
                           " or some were processed")
    tick_s = 1 / os.sysconf("SC_CLK_TCK")
    accept_cpu = sum(server_after) - sum(server_before)
    log(f"inbox split: {n} accepted (worker paused) in {accept_seconds:.2f}s; CPU per activity:"
        f" civicpub {accept_cpu * tick_s / n * 1e6:.0f} us, load client"
        f" {(client_after - client_before) / n * 1e6:.0f} us")
    civic.stop()
    # Processing alone: from the start of a civicpub that finds the n items queued until every
    # one is stored (its start-up, about 30 ms, is in the time).
    start = time.monotonic()
    civic.start(wait=False)
    pid = civic.process.pid
    wait_until(lambda: count_posts(db_path, stub.origin) >= stored_before + n, timeout=TIMEOUT,
               interval=0.05, message=f"{n} queued posts stored")
    process_seconds = time.monotonic() - start
    process_cpu = sum(cpu_ticks([pid]))
    wait_until(lambda: civic.get("/healthz").status == 200, timeout=60, message="healthz")
    log(f"inbox split: {n} processed (after a restart) in {process_seconds:.2f}s; civicpub's CPU"
        f" per activity {process_cpu * tick_s / n * 1e6:.0f} us")
    return {"inbox_accept_per_s": n / accept_seconds,
            "inbox_accept_cpu_us": accept_cpu * tick_s / n * 1e6,
            "inbox_process_per_s": n / process_seconds,
            "inbox_process_cpu_us": process_cpu * tick_s / n * 1e6}


def deliveries_left(db, activity_like):
    return db.execute("SELECT count(*), sum(state <> 'done') FROM deliveries"
                      " WHERE activity_id LIKE ?", (activity_like,)).fetchone()


def deliveries_pending(db):
    # Counted in the partial index deliveries_due alone: no row is read. deliveries_left reads
    # every row of the post, bodies included (about 2.5 ms at 2,000 rows), and looking with it
    # every 10 ms took about a tenth of the machine while the fan-out ran.
    return db.execute("SELECT count(*) FROM deliveries WHERE state = 'pending'").fetchone()[0]


def fan_out(civic, hosts, sink_port):
    public_pem = json.loads(fetch(f"{civic.base_url}/users/{ACCOUNT}", AS2))["publicKey"][
        "publicKeyPem"]
    db_path = str(civic.data_dir / "civicpub.db")

    async def run():
        sink = Sink(hosts, sink_port, public_pem, sample_every=max(1, len(hosts) // 50))
        await sink.start()
        auth = civic.bearer(LOGIN, PASSWORD, client_name="civicpub bench")
        start = time.monotonic()
        # From the post to the last delivery recorded done: the post is made through the client
        # API, so the server's own commit wakes the delivery worker (a post from the CLI, another
        # process, is seen within the worker's poll interval, 100 ms).
        posted = await asyncio.to_thread(civic.request, "POST", "/api/v1/statuses",
                                         {"status": "Council meeting tonight at eight."}, auth)
        if posted.status != 200:
            raise RuntimeError(f"fan-out: posting answered {posted.status}: {posted.text[:200]}")
        like = f"{posted.json()['uri']}%"
        deadline = time.monotonic() + TIMEOUT
        # One connection for the whole wait: opening one per look (reading the schema each
        # time) took a tenth of the machine's time during the fan-out.
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30,
                             check_same_thread=False)
        try:
            while True:
                # The cheap look until nothing is pending anywhere (rows of other activities
                # only make the wait longer), then the exact one for the post's own rows.
                pending = await asyncio.to_thread(deliveries_pending, db)
                if not pending:
                    total, left = await asyncio.to_thread(deliveries_left, db, like)
                    if total and not left:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"fan-out: not done after {TIMEOUT:.0f}s ({pending} rows"
                                       " pending)")
                await asyncio.sleep(0.01)
        finally:
            db.close()
        seconds = time.monotonic() - start
        await sink.close()
        if sink.bad or not sink.checked:
            raise RuntimeError(f"fan-out: {sink.checked} signatures checked, bad: {sink.bad[:3]}")
        log(f"fan-out: {total} deliveries in {seconds:.2f}s, sink received {sink.received}, "
            f"{sink.checked} signatures checked")
        return total / seconds
    return asyncio.run(run())


def fedify(actors, duration, connections, civic_actor_rate, civic_inbox_rate):
    from peers import FedifyPeer
    peer_n = env_int("PEER_N")
    with FedifyPeer(name="peer", host="127.0.0.3") as peer:
        fetch(peer.actor_url, AS2)  # its first answer is slow (Node warms up), as civicpub's
        rate, errors, _ = wrk(peer.actor_url, AS2, duration, connections)
        host = f"{peer.host}:{peer.port}"
        requests = signed_creates(actors, host, "/inbox", peer_n, peer.actor_url, "fedify")
        result = send_all(peer.host, peer.port, requests, connections)
        # Fedify runs its inbox listeners before it answers (no queue is configured).
        received = len(peer.received("Create"))
    log(f"fedify: actor {rate:.0f} req/s {' '.join(errors)}; inbox {peer_n} in "
        f"{result['seconds']:.2f}s ({result['statuses']}, {received} recorded)")
    inbox_rate = received / result["seconds"]
    return {"peer_ratio_actor": civic_actor_rate / rate,
            "peer_ratio_inbox": civic_inbox_rate / inbox_rate}


def main():
    duration, connections = env_int("DURATION"), env_int("CONNECTIONS")
    sign_rate, verify_rate = openssl_rates()
    n, followers, posts = env_int("N"), env_int("F"), env_int("POSTS")
    hosts = fan_out_hosts(env_int("H"))
    sink_port = free_port(hosts[0])
    work = pathlib.Path(tempfile.mkdtemp(prefix="civicpub-bench-"))
    stub = ActorStub("127.0.0.2")
    nginx = Nginx(work / "nginx")
    civic = None
    try:
        log(f"setting up: {env_int('ACTORS')} remote actors, {followers} followers on "
            f"{len(hosts)} hosts, {posts} posts, a thread of {env_int('REPLIES')} replies")
        actors = make_actors(stub, env_int("ACTORS"))
        stub.start()
        civic, note_url, root_url = build_instance(work)
        seed(str(civic.data_dir / "civicpub.db"), ACCOUNT, hosts, sink_port, followers, posts)
        startup_ms = measure_startup(civic)
        pid = civic.process.pid
        rss_idle = status_kib(pid, "VmRSS") / 1024
        log(f"start-up {startup_ms:.1f} ms, idle RSS {rss_idle:.1f} MiB")
        result, rates = reads(civic, note_url, root_url, nginx, duration, connections)
        nginx.stop()
        inbox_rate = inbox_ingest(civic, actors, stub, n, connections)
        fanout_rate = fan_out(civic, hosts, sink_port)
        rss_peak = status_kib(pid, "VmHWM") / 1024
        split = inbox_split(civic, actors, stub, n, connections)
        civic.stop()
        if os.environ.get("BENCH_PEER", "1") == "1":
            result.update(fedify(actors, duration, connections, rates["actor"],
                                  inbox_rate))
        result.update({
            "inbox_per_s": inbox_rate, "inbox_ratio": inbox_rate / verify_rate,
            "fanout_per_s": fanout_rate, "fanout_ratio": fanout_rate / sign_rate,
            "rss_idle_mib": rss_idle, "rss_peak_mib": rss_peak, "startup_ms": startup_ms,
            **split, "inbox_accept_ratio": split["inbox_accept_per_s"] / verify_rate,
        })
    finally:
        nginx.stop()
        if civic is not None:
            civic.stop()
        stub.close()
        if os.environ.get("CIVICPUB_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
            if civic is not None:
                shutil.rmtree(civic.data_dir, ignore_errors=True)
    print(json.dumps({k: round(v, 4) for k, v in sorted(result.items())}), flush=True)


if __name__ == "__main__":
    main()
