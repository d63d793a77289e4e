#!/usr/bin/env python3
"""Time a cold refresh of teaser feeds with full text against the same refresh without.

    python benchmarks/fulltext.py [--pages 200] [--feeds 20] [--latency-ms 100] [--runs 3]

The pages are the real article pages of ``../shared/corpus/readability-pages/`` (cycled to
``--pages``), served with their feeds on 127.0.0.1 by a small threaded server that waits
``--latency-ms`` before every answer (one network round trip). Each feed item carries a
teaser (the page's first words and "…") and links to its page. Each round runs the real
command line on a fresh store, ``import-opml`` then ``refresh --quiet``, once with
``full_text = "never"`` and once with ``"auto"`` (every item is a teaser: every page is
fetched and extracted), alternating. It prints the medians, their ratio, the pages whose
text became the page's, the CPU seconds of all processes, and the peak RSS of the largest
single process (the parse processes are separate processes). Targets (issue 11): ratio
<= 1.5, peak RSS <= 200 MB.

All pages are on one host: newsreader's default of 4 requests per host and 0.5 s between
two pages of a host would make this a test of politeness, not of the pipeline, so the
config gives ``max_per_host = 16`` and ``page_delay = 0`` (16 connections in all, as in
``benchmarks/refresh.py``), and says so in its output.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "readability-pages"
CONFIG = (
    "[fetch]\nmax_connections = 16\nmax_per_host = 16\npage_delay = 0\n"
    'total_timeout = 30\nfull_text = "{mode}"\n'
)
TARGETS = {"ratio": 1.5, "rss_mb": 200.0}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, fmt: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        """The file at this path, after the latency; 404 otherwise."""
        time.sleep(self.server.latency)
        found = self.server.files.get(self.path)
        status, ctype, body = (200, *found) if found else (404, "text/plain", b"not found")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, files: dict[str, tuple[str, bytes]], latency: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files, self.latency = files, latency


def _teaser(source: Path) -> tuple[str, str]:
    """(title, teaser) of a corpus page, from Readability's answer."""
    meta = json.loads((source / "expected-metadata.json").read_text(encoding="utf-8"))
    text = _SPACE.sub(" ", _TAG.sub(" ", (source / "expected.html").read_text("utf-8")))
    words = text.split()[:25]
    return str(meta.get("title") or source.name), " ".join(words) + "…"


def build_site(pages: int, feeds: int, base: str) -> tuple[dict[str, tuple[str, bytes]], str]:
    """The served files (feeds and pages) and the OPML that subscribes to the feeds."""
    sources = sorted(p for p in CORPUS.iterdir() if (p / "source.html").is_file())
    files: dict[str, tuple[str, bytes]] = {}
    items: list[list[str]] = [[] for _ in range(feeds)]
    for n in range(pages):
        source = sources[n % len(sources)]
        files[f"/p/{n}"] = ("text/html; charset=utf-8", (source / "source.html").read_bytes())
        title, teaser = _teaser(source)
        items[n % feeds].append(
            f"<item><guid>p{n}</guid><title>{escape(title)}</title>"
            f"<link>{base}/p/{n}</link><description>{escape(teaser)}</description></item>"
        )
    outlines = []
    for f, entries in enumerate(items):
        files[f"/f/{f}.xml"] = (
            "application/rss+xml",
            (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>'
                f"<link>{base}/</link>{''.join(entries)}</channel></rss>"
            ).encode(),
        )
        outlines.append(f'<outline type="rss" text="Feed {f}" xmlUrl="{base}/f/{f}.xml"/>')
    opml = f'<?xml version="1.0"?><opml version="2.0"><body>{"".join(outlines)}</body></opml>'
    return files, opml


def run_once(work: Path, opml: Path, mode: str) -> dict[str, float]:
    """One cold refresh on a fresh store; wall seconds, CPU seconds, peak RSS, pages."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    config = work / "config.toml"
    config.write_text(CONFIG.format(mode=mode), encoding="utf-8")
    cli = [sys.executable, "-m", "newsreader", "--db", str(work / "db"), "--config", str(config)]
    subprocess.run([*cli, "import-opml", str(opml)], check=True, capture_output=True)
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        " r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        " u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        " print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss, r.returncode);"
        " print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-300:])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *cli, "refresh", "--quiet"], capture_output=True, text=True
    )
    figures, last = done.stdout.splitlines()[:2]
    wall, cpu, rss_kb, code = figures.split()
    if code != "0":
        raise SystemExit(f"refresh failed ({mode}): {last}")
    import sqlite3

    with sqlite3.connect(work / "db") as conn:
        pages = conn.execute("SELECT count(*) FROM articles WHERE text_source = 'page'")
        from_pages = pages.fetchone()[0]
    return {
        "wall": float(wall),
        "cpu": float(cpu),
        "rss_mb": int(rss_kb) / 1024,
        "pages": from_pages,
        "line": last,  # type: ignore[dict-item]
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--latency-ms", type=float, default=100.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"no corpus at {CORPUS}")
    server = _Server({}, args.latency_ms / 1000)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.files, opml_text = build_site(args.pages, args.feeds, base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"# {args.pages} pages in {args.feeds} feeds, {args.latency_ms:g} ms latency, {base}")
    print(f"# config: {CONFIG.format(mode='never|auto').strip().replace(chr(10), '; ')}")
    results: dict[str, list[dict[str, float]]] = {"never": [], "auto": []}
    with tempfile.TemporaryDirectory(prefix="nr-fulltext-") as tmp:
        opml = Path(tmp) / "feeds.opml"
        opml.write_text(opml_text, encoding="utf-8")
        for round_no in range(args.runs):
            for mode in ("never", "auto") if round_no % 2 == 0 else ("auto", "never"):
                result = run_once(Path(tmp) / mode, opml, mode)
                results[mode].append(result)
                print(
                    f"round {round_no + 1} {mode:5}: {result['wall']:.2f} s wall, "
                    f"{result['cpu']:.2f} s CPU, {result['rss_mb']:.0f} MB peak, "
                    f"{int(result['pages'])} pages used",
                    flush=True,
                )
    server.shutdown()
    report(results, args.pages)


def report(results: dict[str, list[dict[str, float]]], pages: int) -> None:
    """Medians, the ratio and the targets."""
    wall = {m: statistics.median(r["wall"] for r in rs) for m, rs in results.items()}
    cpu = {m: statistics.median(r["cpu"] for r in rs) for m, rs in results.items()}
    rss = max(r["rss_mb"] for rs in results.values() for r in rs)
    ratio = wall["auto"] / wall["never"]
    print(f"last line (auto): {results['auto'][-1]['line']}")
    print(f"without full text: {wall['never']:.2f} s (median), {cpu['never']:.2f} s CPU")
    print(f"with full text:    {wall['auto']:.2f} s (median), {cpu['auto']:.2f} s CPU")
    extra = (cpu["auto"] - cpu["never"]) / max(pages, 1) * 1000
    print(f"ratio {ratio:.2f}x (target <= {TARGETS['ratio']}); {extra:.0f} ms CPU a page")
    print(f"peak RSS of the largest process {rss:.0f} MB (target <= {TARGETS['rss_mb']:.0f})")


if __name__ == "__main__":
    main()
