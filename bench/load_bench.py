"""Many viewers at once: N concurrent browser sessions on one app server, each changing the sidebar filters and
switching pages, against the same walk by one session alone (the floor), measured in the same run.

One app server (scripts/serve.py, started by tests/browser.serve_app) serves the demo data from a temporary SQLite
store; one Debian chromium (never downloaded) holds one context per session, the sessions arriving half a second
apart. Each session walks `--rounds` rounds: set district, year and month in the sidebar (one interaction each,
only when the value changes), then visit 사업별 실적, 예산 집행, 자치구 비교, 공약·목표 이행 and 종합 현황 through the
sidebar navigation. Session i starts at round i (mod len(ROUNDS)), so the sessions ask for different figures at
once. Before the floor, one unmeasured walk alone fills the server's caches; the floor walks every round once.

An interaction's latency runs from the click to "settled": the page has received script_finished for a run that
ended after the click (counted in the page from the websocket's ForwardMsgs, PROBE_JS), no run is in progress,
and the page shows its h1 with no running indicator, stale element or skeleton (the idle test of
tests/browser.wait_for_app, without its fixed pauses), and no new run starts within 0.25 s. Reported: median and
p95 overall, per page (the page shown after the interaction) and per action; and the CPU used by the server and
by chromium (+ the Playwright driver) during each phase, since on a small machine the browsers share its cores.

Memory is the VmRSS of the server process and its children (/proc/<pid>/status):
- before: after the warm-up and the floor walk have closed and been dropped;
- peak: the highest sample (every 0.25 s) while the N sessions run, and "all open" with all N open and idle;
- after: all N closed and dropped. Streamlit keeps a disconnected session for server.disconnectedSessionTTL
  (`--ttl`, short here; Streamlit's default is 120 s) in a TTL cache that removes expired entries only on its next
  write, i.e. when another session disconnects. So "closed + TTL" is read once the TTL has passed, and "after"
  once one probe session has then opened and closed (the baseline is taken the same way).
memory per session = (peak - before) / N; returned = (peak - after) / (peak - before).
`--cycles K` repeats the N sessions K times and prints the RSS after each: a leak grows with every cycle.

Usage: .venv/bin/python bench/load_bench.py [--sessions 20] [--rounds 1] [--ttl 3] [--cycles 1]
Last line: RATIO load_p95_vs_single=... sessions=... median_ms=... p95_ms=... mb_per_session=... mb_returned_pct=...
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi.demo.seed import load_demo
from kpi.i18n import t
from kpi.store import Store
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve_app
from tests.factories import sqlite_url

START = "/?district=11560&year=2024&as_of=2024-05-31"
# (district name, year, month) of each round: every one a district-year with demo figures
ROUNDS = [("영등포구", 2025, 6), ("마포구", 2024, 4)]
PAGES = ["programs", "budget", "districts", "pledges", "overview"]
IDLE = (
    '() => !!document.querySelector(\'[data-testid="stMain"] h1, [data-testid="stException"]\')'
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.querySelector('[data-stale=\"true\"]')"
    " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
)
SHOTS = Path("/tmp/load_bench")
TIMEOUT_MS = 60_000
STAGGER_S = 0.5
POLL_MS = 50


# ---------------------------------------------------------------- memory


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    tree, todo, found = _children(), [pid], []
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(tree.get(p, []))
    return found


def tree_rss_mb(pid: int) -> float:
    """VmRSS of a process and all its descendants, in MB (shared pages count once per process)."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def server_pid(port: str) -> int:
    """The pid of this process's child running scripts/serve.py on `port`."""
    for child in _children().get(os.getpid(), []):
        try:
            cmd = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(c.endswith(b"serve.py") for c in cmd) and port.encode() in cmd:
            return child
    raise RuntimeError("app server process not found")


# ---------------------------------------------------------------- sessions


# Counts the server's finished script runs in the page itself, from the websocket's ForwardMsgs, by a walk over
# their top-level protobuf fields: script_finished (field 6, an enum; 2 = FINISHED_EARLY_FOR_RERUN, not an end),
# session_status_changed (field 9; its script_is_running is field 2) and new_session (field 4: a run starts).
PROBE_JS = """
(() => {
  const lb = { finished: 0, running: false, runAt: 0, finAt: 0, mark: 0 };
  window.__lb = lb;
  const varint = (b, i) => {
    let x = 0, s = 1, c;
    do { c = b[i++]; x += (c & 0x7f) * s; s *= 128; } while (c & 0x80);
    return [x, i];
  };
  const scan = (buf) => {
    const b = new Uint8Array(buf);
    let i = 0, key, v, n;
    while (i < b.length) {
      [key, i] = varint(b, i);
      const f = Math.floor(key / 8), w = key & 7;
      if (w === 0) {
        [v, i] = varint(b, i);
        if (f === 6 && v !== 2) { lb.finished++; lb.finAt = performance.now(); }
      } else if (w === 2) {
        [n, i] = varint(b, i);
        if (f === 9) {
          let running = false, j = i, k;
          while (j < i + n) {
            [k, j] = varint(b, j);
            if ((k & 7) !== 0) break;
            [v, j] = varint(b, j);
            if (k >> 3 === 2) running = v !== 0;
          }
          lb.running = running;
          if (running) lb.runAt = performance.now();
        } else if (f === 4) { lb.running = true; lb.runAt = performance.now(); }
        i += n;
      } else if (w === 1) i += 8; else if (w === 5) i += 4; else return;
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (e.data instanceof ArrayBuffer) scan(e.data);
        else if (e.data instanceof Blob) e.data.arrayBuffer().then(scan);
      });
    }
  };
})();
"""
DIAGNOSE = """() => ({
  probe: window.__lb,
  h1: !!document.querySelector('[data-testid="stMain"] h1'),
  status: !!document.querySelector('[data-testid="stStatusWidget"]'),
  stale: document.querySelectorAll('[data-stale="true"]').length,
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
})"""
MARK = "() => { window.__lb.mark = performance.now(); window.__lb.runAt = 0; return window.__lb.finished; }"
SETTLED = "(before) => window.__lb && window.__lb.finished > before && !window.__lb.running && (" + IDLE + ")()"
STATE = (
    "() => [window.__lb.finished, window.__lb.running, window.__lb.runAt - window.__lb.mark,"
    " window.__lb.finAt - window.__lb.mark]"
)


@dataclass
class Sample:
    """One interaction: what was done, on which page it ended, how long until settled; and until the server
    started its run and sent its last script_finished."""

    session: int
    action: str
    page: str
    ms: float
    run_ms: float
    server_ms: float


@dataclass
class Session:
    """One browser session: its page, its samples and errors, and the page it is on."""

    index: int
    page: Any = None
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    where: str = "overview"


async def settle(page: Any, before: int, started: float, timeout: float) -> tuple[float, float, float]:
    """Wait until a run that ended after `before` finished runs is over and the page is idle; (ms since `started`,
    ms until the run began and until the last script_finished, from the page's mark)."""
    while True:
        await page.wait_for_function(SETTLED, arg=before, timeout=timeout, polling=POLL_MS)
        done = (time.monotonic() - started) * 1000
        # a run requested by the page itself (a component value, st.rerun) follows within a moment
        seen, _r, run_ms, server_ms = await page.evaluate(STATE)
        await asyncio.sleep(0.25)
        finished, running, _a, _b = await page.evaluate(STATE)
        if finished == seen and not running:
            return done, run_ms, server_ms
        before = seen


async def act(s: Session, action: str, page_after: str, do: Callable[[], Awaitable[Any]]) -> bool:
    """Do one interaction, wait until it has settled, record its latency (or the error and a screenshot);
    False when it failed."""
    try:
        before = await s.page.evaluate(MARK) if action != "open" else 0
        started = time.monotonic()
        await do()
        ms, run_ms, server_ms = await settle(s.page, before, started, TIMEOUT_MS * (3 if action == "open" else 1))
        boxes = await s.page.locator('[data-testid="stException"]').all_inner_texts()
        if boxes:
            raise RuntimeError("exception box: " + boxes[0][:300])
        s.samples.append(Sample(s.index, action, page_after, ms, run_ms, server_ms))
    except Exception as exc:  # any failure is reported with a screenshot, and the walk goes on
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"s{s.index:02d}_{len(s.samples) + len(s.errors):03d}_{action}.png"
        try:
            await s.page.screenshot(path=str(shot), full_page=True)
            state = await s.page.evaluate(DIAGNOSE)
        except Exception:  # the page may be gone
            shot, state = Path("(no screenshot)"), None
        s.errors.append(f"session {s.index} {action} on {page_after}: {type(exc).__name__}: {exc} [{shot}] {state}")
        return False
    finally:
        s.where = page_after
    return True


async def choose(s: Session, box: int, label: str) -> None:
    """Pick `label` in the sidebar's selectbox number `box` (type to filter, then click the option)."""
    page = s.page
    select = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(box)
    await select.click()
    await page.keyboard.type(label)
    await page.get_by_role("option", name=label, exact=True).click()


async def walk(s: Session, base: str, rounds: int, first: int) -> None:
    """Open the app, then `rounds` rounds of filter changes and page visits starting at round `first`."""
    page = s.page
    page.on("pageerror", lambda e: s.errors.append(f"session {s.index} page error: {e}"))
    if not await act(s, "open", "overview", lambda: page.goto(base + START, wait_until="domcontentloaded")):
        return
    state = ("영등포구", 2024, 5)
    for r in range(rounds):
        district, year, month = ROUNDS[(first + r) % len(ROUNDS)]
        if district != state[0]:
            await act(s, "district", s.where, partial(choose, s, 0, district))
        if year != state[1]:
            await act(s, "year", s.where, partial(choose, s, 1, t("year_label", year=year)))
        if month != state[2]:
            await act(s, "month", s.where, partial(choose, s, 2, t("month_label", month=month)))
        state = (district, year, month)
        for target in PAGES:
            link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t(f"nav_{target}"))
            await act(s, "page", target, link.click)


async def run_sessions(
    browser: Any, base: str, n: int, rounds: int, on_open: Callable[[], Awaitable[None]] | None = None
) -> list[Session]:
    """N sessions walking at once; `on_open` is awaited with all of them open and idle, before they close."""
    sessions = [Session(i) for i in range(n)]
    contexts = []
    for s in sessions:
        # reduced motion: twenty headless tabs animating the running indicator and skeletons would burn the CPU
        # the server shares with them (a real user's browser runs on the user's machine)
        ctx = await browser.new_context(viewport={"width": 1366, "height": 768}, reduced_motion="reduce")
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        s.page = await ctx.new_page()
        await s.page.add_init_script(PROBE_JS)

    async def arrive(s: Session) -> None:
        await asyncio.sleep(s.index * STAGGER_S)  # people arrive within a few seconds, not in one millisecond
        await walk(s, base, rounds, s.index % len(ROUNDS))

    await asyncio.gather(*(arrive(s) for s in sessions))
    if on_open is not None:
        await on_open()
    for ctx in contexts:
        await ctx.close()
    return sessions


# ---------------------------------------------------------------- figures


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between closest ranks."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(name: str, samples: list[Sample]) -> tuple[float, float]:
    """Print median and p95 overall and per page; return (median, p95) overall."""
    samples = [x for x in samples if x.action != "open"]
    if not samples:
        print(f"{name}: no interaction settled")
        return float("nan"), float("nan")
    ms = [x.ms for x in samples]
    med, p95 = statistics.median(ms) if ms else float("nan"), pct(ms, 0.95)
    print(f"{name}: {len(ms)} interactions, median {med:.0f} ms, p95 {p95:.0f} ms, max {max(ms, default=0):.0f} ms")
    srv = [x.server_ms for x in samples]
    run = [x.run_ms for x in samples]
    print(
        f"  click -> run starts: median {statistics.median(run):.0f} ms, p95 {pct(run, 0.95):.0f} ms;"
        f" -> last script_finished: median {statistics.median(srv):.0f} ms, p95 {pct(srv, 0.95):.0f} ms"
    )
    for target in PAGES:
        on = [x.ms for x in samples if x.page == target]
        if on:
            print(f"  {target:10s} n={len(on):4d} median {statistics.median(on):6.0f} ms  p95 {pct(on, 0.95):6.0f} ms")
    for action in ("district", "year", "month", "page"):
        on = [x.ms for x in samples if x.action == action]
        if on:
            print(f"  [{action:8s}] n={len(on):4d} median {statistics.median(on):6.0f} ms  p95 {pct(on, 0.95):6.0f} ms")
    return med, p95


@dataclass
class Phase:
    """One walk of N sessions at once: its sessions, wall time, CPU of server and client, RSS with all open."""

    sessions: list[Session]
    wall: float = 0.0
    cpu_server: float = 0.0
    cpu_client: float = 0.0
    rss_open: float = 0.0


async def phase(browser: Any, base: str, pid: int, n: int, rounds: int) -> Phase:
    """Walk N sessions at once; read CPU and RSS with all of them open (a closed context's renderer takes its CPU
    along)."""
    server0, all0, t0 = tree_cpu_s(pid), tree_cpu_s(os.getpid()), time.monotonic()
    out = Phase([])

    async def all_open() -> None:
        out.wall = time.monotonic() - t0
        out.cpu_server = tree_cpu_s(pid) - server0
        out.cpu_client = tree_cpu_s(os.getpid()) - all0 - out.cpu_server
        await asyncio.sleep(1)
        out.rss_open = tree_rss_mb(pid)

    out.sessions = await run_sessions(browser, base, n, rounds, all_open)
    return out


def cpu_line(name: str, ph: Phase, interactions: int) -> None:
    """Print where the CPU went during a phase."""
    per = max(interactions, 1)
    print(
        f"CPU, {name}: server {ph.cpu_server:.1f} s ({ph.cpu_server / ph.wall:.2f} cores,"
        f" {1000 * ph.cpu_server / per:.0f} ms per interaction or page open), chromium + driver {ph.cpu_client:.1f} s"
        f" ({ph.cpu_client / ph.wall:.2f} cores, {1000 * ph.cpu_client / per:.0f} ms each)"
        f" over {ph.wall:.0f} s"
    )


async def main_async(args: argparse.Namespace) -> None:
    """Serve the demo, walk once alone, then with N sessions at once; print the figures and the RATIO line."""
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="load_bench_"))
    store = Store.open(sqlite_url(tmp / "demo.db"))
    load_demo(store)
    store.engine.dispose()
    extra = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(args.ttl)}
    with serve_app(store.url, extra) as base:
        pid = server_pid(base.rsplit(":", 1)[1])
        print(f"server pid {pid} at {base}; RSS at start {tree_rss_mb(pid):.0f} MB")
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            async def dropped() -> float:
                """Wait out the TTL, open and close one probe session (its disconnect reaps the expired ones)."""
                await asyncio.sleep(args.ttl + 1)
                before_probe = tree_rss_mb(pid)
                await run_sessions(browser, base, 1, 0)
                await asyncio.sleep(3)
                return before_probe

            alone = max(args.rounds, len(ROUNDS))  # one session alone walks every round the N sessions walk
            await run_sessions(browser, base, 1, alone)  # warm-up: imports, caches, chromium
            floor = await phase(browser, base, pid, 1, alone)
            await dropped()
            rss_before = peak = tree_rss_mb(pid)
            sampling = True

            async def sampler() -> None:
                nonlocal peak
                while sampling:
                    peak = max(peak, tree_rss_mb(pid))
                    await asyncio.sleep(0.25)

            task = asyncio.create_task(sampler())
            load = await phase(browser, base, pid, args.sessions, args.rounds)
            sampling = False
            await task
            peak = max(peak, load.rss_open)
            rss_ttl = await dropped()
            rss_after = tree_rss_mb(pid)
            for cycle in range(2, args.cycles + 1):  # a leak grows with every cycle; allocator slack does not
                again = await phase(browser, base, pid, args.sessions, args.rounds)
                await dropped()
                errs = sum(len(s.errors) for s in again.sessions)
                rss = tree_rss_mb(pid)
                print(f"cycle {cycle}: all open {again.rss_open:.0f} MB, after {rss:.0f} MB, {errs} errors")
            await browser.close()

    floor_samples = [x for s in floor.sessions for x in s.samples]
    load_samples = [x for s in load.sessions for x in s.samples]
    errors = [e for s in [*floor.sessions, *load.sessions] for e in s.errors]
    print()
    fmed, fp95 = summary(f"single session (floor, {floor.wall:.0f} s)", floor_samples)
    med, p95 = summary(f"{args.sessions} sessions at once ({load.wall:.0f} s)", load_samples)
    cpu_line("single session", floor, sum(len(s.samples) for s in floor.sessions))
    cpu_line(f"{args.sessions} sessions", load, sum(len(s.samples) for s in load.sessions))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end")
    per = (peak - rss_before) / args.sessions
    returned = 100 * (peak - rss_after) / (peak - rss_before) if peak > rss_before else float("nan")
    print(
        f"server RSS (with children): before {rss_before:.0f} MB, peak {peak:.0f} MB, all open {load.rss_open:.0f} MB,"
        f" closed + TTL {rss_ttl:.0f} MB, after a later disconnect {rss_after:.0f} MB"
    )
    print(f"memory per session {per:.2f} MB; returned {returned:.0f}% of the peak growth")
    print(f"errors: {len(errors)}")
    for e in errors[:20]:
        print("  " + e)
    print(
        f"RATIO load_p95_vs_single={p95 / fp95:.2f} load_median_vs_single={med / fmed:.2f} sessions={args.sessions}"
        f" median_ms={med:.0f} p95_ms={p95:.0f} single_median_ms={fmed:.0f} single_p95_ms={fp95:.0f}"
        f" mb_per_session={per:.2f} mb_returned_pct={returned:.0f} errors={len(errors)}"
    )


def main() -> None:
    """Parse the options and run the benchmark."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=1, help="rounds of filter changes and page visits per session")
    ap.add_argument("--ttl", type=int, default=3, help="server.disconnectedSessionTTL in seconds")
    ap.add_argument("--cycles", type=int, default=1, help="repeat the N sessions; RSS after each (a leak check)")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
