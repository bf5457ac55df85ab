#!/usr/bin/env python3
"""A picture of member-sync's Grafana dashboard filled with real data, without Grafana.

Starts Prometheus, a Pushgateway and member-sync's sandbox on 127.0.0.1, runs member-sync against the sandbox
several times (each run standing for a night; the inputs change between runs, and some nights bring 429s, invalid
rows, refusals, answers that are not the vendor's and drift), then asks Prometheus for every panel's queries exactly
as k8s/monitoring/member-sync-dashboard.json writes them, draws the panels where the dashboard places them, and has
headless Chromium take the pictures: docs/images/dashboard.png, and the page of the last run, docs/images/run-page.png.

Needs: python3, a JDK 21 or newer (JAVA_HOME, else java on the PATH), the built jar (./mvnw -B -DskipTests package), and Debian's prometheus,
prometheus-pushgateway and chromium packages. Every process it starts, it stops.

    python3 k8s/monitoring/preview/preview.py [--runs 8] [--gap 45]
"""
import argparse
import html
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "k8s" / "monitoring" / "member-sync-dashboard.json"
SCRAPE_SECONDS = 2
PALETTE = ["#7eb26d", "#eab839", "#6ed0e0", "#ef843c", "#e24d42", "#1f78c1", "#ba43a9", "#705da0", "#508642",
           "#cca300", "#447ebc", "#c15c17"]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


# --- processes --------------------------------------------------------------------------------------------------

class Processes:
    """The processes this script started, each logging to a file of the work folder; all stopped at the end."""

    def __init__(self, folder):
        self.folder = folder
        self.started = []

    def start(self, name, args, cwd=None):
        log = open(self.folder / (name + ".log"), "w")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=cwd or self.folder)
        self.started.append((name, process))
        return process

    def stop_all(self):
        for _, process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for name, process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, what, process, log, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"preview: {what} did not come up at {url}; see {log}")


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


# --- the sandbox's accounts, the feeds, and the nights ---------------------------------------------------------

ACCOUNTS = {  # account: (vendor, credentials)
    "hang": ("hang", {"api-key": "hang-sandbox-key"}),
    "hang-brand-b": ("hang", {"api-key": "hang-sandbox-key-brand-b"}),
    "decoda": ("decoda", {"api-key": "decoda-sandbox-key", "tenant": "sandbox-tenant"}),
    "decoda-uptown": ("decoda", {"api-key": "decoda-sandbox-key", "tenant": "sandbox-tenant-uptown"}),
    "mayar": ("mayar", {"api-key": "mayar-sandbox-key"}),
}
FEEDS = {"hang-members": ("hang", 240), "brand-b": ("hang-brand-b", 120), "clinic": ("decoda", 30),
         "clinic-uptown": ("decoda-uptown", 24), "mayar-members": ("mayar", 16)}


def settings(sandbox_port, pushgateway_port):
    """member-sync's settings for the preview, as command-line arguments."""
    base = f"http://127.0.0.1:{sandbox_port}"
    args = [f"--management.prometheus.metrics.export.pushgateway.enabled=true",
            f"--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:{pushgateway_port}"]
    for account, (vendor, credentials) in ACCOUNTS.items():
        prefix = f"--member-sync.vendors.{account}."
        args += [prefix + "type=" + vendor, prefix + f"base-url={base}/{vendor}"]
        args += [prefix + f"{name}={value}" for name, value in credentials.items()]
    args += ["--member-sync.vendors.hang.rate-limit=20/s", "--member-sync.vendors.hang-brand-b.rate-limit=20/s",
             "--member-sync.vendors.mayar.rate-limit=120/min", "--member-sync.vendors.decoda.rate-limit=auto, at most 25/s",
             "--member-sync.vendors.decoda-uptown.rate-limit=auto, at most 25/s", "--member-sync.vendors.hang.max-attempts=2",
             "--member-sync.vendors.hang-brand-b.max-attempts=2"]
    for feed, (account, _) in FEEDS.items():
        args += [f"--member-sync.feeds.{feed}.vendor={account}", f"--member-sync.feeds.{feed}.csv={feed}.csv"]
    return args


class Inputs:
    """The feeds' CSV files, changed a little every night, as an export from a members' system would be."""

    def __init__(self, folder, rng):
        self.folder = folder
        self.rng = rng
        self.hang = {feed: {f"{feed[:2]}{i:04d}": f"member{i}.{feed}@example.com" for i in range(size)}
                     for feed, (account, size) in FEEDS.items() if ACCOUNTS[account][0] == "hang"}
        self.plans = {feed: {f"plan_{feed}_{i:02d}": 4900 + 100 * i for i in range(size)}
                      for feed, (account, size) in FEEDS.items() if ACCOUNTS[account][0] == "decoda"}
        self.names = {}
        self.mayar = {f"MBR{i:04d}": "active" for i in range(FEEDS["mayar-members"][1])}

    def change(self, emails, prices, statuses):
        for members in self.hang.values():
            for key in self.rng.sample(sorted(members), min(emails, len(members))):
                members[key] = f"{key}.{self.rng.randrange(10**6)}@example.com"
        for plans in self.plans.values():
            for key in self.rng.sample(sorted(plans), min(prices, len(plans))):
                plans[key] += 100
        for key in self.rng.sample(sorted(self.mayar), statuses):
            self.mayar[key] = "stopped" if self.mayar[key] == "active" else "active"

    def write(self, invalid=0, foreign=0):
        for feed, members in self.hang.items():
            rows = [f"{key},crm-{key},{email}" for key, email in members.items()]
            rows += [f"{feed[:2]}x{i},crm-x{i},not-an-email-{i}" for i in range(invalid)]
            (self.folder / f"{feed}.csv").write_text("program_membership_id,external_user_id,email\n" + "\n".join(rows) + "\n")
        for feed, plans in self.plans.items():
            rows = [f"{key},{self.names.get(key, key.replace('_', ' ').title())},{price},MONTHLY"
                    for key, price in plans.items()]
            (self.folder / f"{feed}.csv").write_text("membership_id,name,price,billingFrequency\n" + "\n".join(rows) + "\n")
        product = "7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
        rows = [f"{key},{'foreign-product' if i < foreign else product},{status}"
                for i, (key, status) in enumerate(self.mayar.items())]
        (self.folder / "mayar-members.csv").write_text("memberId,productId,status\n" + "\n".join(rows) + "\n")


# --- Prometheus ----------------------------------------------------------------------------------------------------

def prometheus_query(prometheus, path, **params):
    url = f"http://127.0.0.1:{prometheus}/api/v1/{path}?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as answer:
        body = json.loads(answer.read())
    if body["status"] != "success":
        sys.exit(f"preview: Prometheus refused {params.get('query')}: {body}")
    return body["data"]["result"]


def expression(expr, interval_seconds):
    """A panel's query with Grafana's variables as the preview sets them: every account and feed, its interval."""
    return (expr.replace("$__interval", f"{interval_seconds}s").replace('"$account"', '".*"')
            .replace('"$feed"', '".*"'))


def legend(fmt, labels):
    out = fmt
    for name, value in labels.items():
        out = out.replace("{{" + name + "}}", value)
    return re.sub(r"\{\{\s*\w+\s*}}", "", out).strip() or "value"  # a label the series lacks: empty, as in Grafana


# --- drawing -------------------------------------------------------------------------------------------------------

def fmt(value, unit):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "s":
        for limit, div, name in ((120, 1, "s"), (7200, 60, "min"), (172800, 3600, "h")):
            if abs(value) < limit:
                return f"{value / div:.3g} {name}"
        return f"{value / 86400:.3g} d"
    if unit == "reqps":
        return f"{value:.3g} req/s"
    return f"{value:.4g}"


def nice(value):
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(f * power for f in (1, 2, 5, 10) if f * power >= value - 1e-9)


def clock(t, seconds=True):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%H:%M:%S" if seconds else "%H:%M")


def chart(series, width, height, start, end, unit, styles, bars=None):
    """An SVG of step lines (or, with bars = the nights' times, stacked bars), y from 0, x over [start, end]."""
    left, right, top, bottom = 54, 8, 6, 20
    pw, ph = width - left - right, height - top - bottom
    if bars is not None:
        totals = [sum(values[i] for _, values, _ in series) for i in range(len(bars))]
        peak = max(totals, default=0)
    else:
        peak = max((v for _, points, _ in series for _, v in points), default=0)
    ymax = nice(peak * 1.1) if peak > 0 else 1
    y = lambda v: top + ph - v / ymax * ph
    out = [f'<svg width="{width}" height="{height}">']
    for tick in (0, ymax / 2, ymax):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#2c3235"/>'
                   f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{html.escape(fmt(tick, unit))}</text>')
    if bars is not None:
        slot = pw / max(1, len(bars))
        for i, at in enumerate(bars):
            base = 0
            for name, values, color in series:
                if values[i] > 0:
                    out.append(f'<rect x="{left + i * slot + slot * 0.15:.1f}" y="{y(base + values[i]):.1f}" width="{slot * 0.7:.1f}"'
                               f' height="{y(base) - y(base + values[i]):.1f}" fill="{color}"/>')
                base += values[i]
            out.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - 5}" text-anchor="middle">night {i + 1},'
                       f' {clock(at)}</text>')
    else:
        x = lambda t: left + (t - start) / (end - start) * pw
        step = styles.get("step", 1)
        for name, points, color in series:
            dash = ' stroke-dasharray="8 5"' if styles.get("dash", lambda n: False)(name) else ""
            segment = []
            for i, (t, v) in enumerate(points):
                if segment and t - points[i - 1][0] > 1.5 * step:  # no sample there: a gap, as Grafana leaves one
                    out.append(polyline(segment, color, dash))
                    segment = []
                if segment:
                    segment.append((x(t), segment[-1][1]))
                segment.append((x(t), y(v)))
            if segment:
                segment.append((x(min(end, points[-1][0] + step)), segment[-1][1]))
                out.append(polyline(segment, color, dash))
        for i in range(5):
            t = start + (end - start) * i / 4
            anchor = "start" if i == 0 else "end" if i == 4 else "middle"
            out.append(f'<text x="{x(t):.1f}" y="{height - 5}" text-anchor="{anchor}">{clock(t)}</text>')
    out.append("</svg>")
    return "".join(out)


def polyline(points, color, dash):
    coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return f'<polyline fill="none" stroke="{color}" stroke-width="1.6"{dash} points="{coords}"/>'


def panel_html(panel, body, unit_width, unit_height):
    g = panel["gridPos"]
    style = (f"left:{g['x'] * unit_width + 8}px;top:{g['y'] * unit_height + 52}px;"
             f"width:{g['w'] * unit_width - 8}px;height:{g['h'] * unit_height - 8}px")
    return (f'<div class="panel" style="{style}"><div class="title">{html.escape(panel["title"])}</div>{body}</div>')


def legend_lines(series, width):
    """How many lines the legend takes, roughly: 6.5 px a character, a swatch and a gap a name."""
    return max(1, math.ceil(sum(len(name) * 6.5 + 28 for name, _, _ in series) / width))


def legend_html(series):
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{color}"></i>{html.escape(name)}</span>' for name, _, color in series) + "</div>"


def color_of(panel, name, index):
    for override in panel["fieldConfig"].get("overrides", []):
        if override["matcher"]["id"] == "byName" and override["matcher"]["options"] == name:
            for prop in override["properties"]:
                if prop["id"] == "color":
                    return prop["value"]["fixedColor"]
    return PALETTE[index % len(PALETTE)]


def dashed(panel):
    patterns = [o["matcher"]["options"] for o in panel["fieldConfig"].get("overrides", [])
                if o["matcher"]["id"] == "byRegexp"
                and any(p["id"] == "custom.lineStyle" for p in o["properties"])]
    return lambda name: any(re.fullmatch(p, name) for p in patterns)


def render(dashboard, prometheus, start, end, nights, width):
    """The dashboard's panels as an HTML page: each panel's queries asked of Prometheus, drawn where it sits."""
    unit_width, unit_height = (width - 16) / 24, 30
    step = max(SCRAPE_SECONDS * 2, int((end - start) / 240))
    parts = []
    for panel in dashboard["panels"]:
        unit = panel["fieldConfig"]["defaults"].get("unit", "short")
        w = panel["gridPos"]["w"] * unit_width - 24
        height = lambda series: panel["gridPos"]["h"] * unit_height - 52 - 18 * legend_lines(series, w)
        if panel["type"] == "stat":
            boxes = []
            steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
            for target in panel["targets"]:
                for r in prometheus_query(prometheus, "query", query=expression(target["expr"], step), time=end):
                    value = float(r["value"][1])
                    color = [s["color"] for s in steps if s["value"] is None or value >= s["value"]][-1]
                    boxes.append(f'<div class="stat" style="background:{ {"green": "#37872d", "red": "#c4162a", "orange": "#fa6400"}[color]}">'
                                 f'<small>{html.escape(legend(target.get("legendFormat", ""), r["metric"]))}</small>'
                                 f'<b>{html.escape(fmt(value, unit))}</b></div>')
            parts.append(panel_html(panel, '<div class="stats">' + "".join(boxes) + "</div>", unit_width, unit_height))
            continue
        series = []
        if panel.get("interval") == "1d":
            # One bar per night: the query evaluated at the end of each night, over that night (Grafana: 1d buckets).
            starts = [night_start for night_start, _ in nights]
            for target in panel["targets"]:
                by_name = {}
                for i, (night_start, night_end) in enumerate(nights):
                    query = expression(target["expr"], max(step, int(night_end - night_start)))
                    for r in prometheus_query(prometheus, "query", query=query, time=night_end):
                        name = legend(target.get("legendFormat", ""), r["metric"])
                        by_name.setdefault(name, [0.0] * len(nights))[i] = float(r["value"][1])
                for name, values in by_name.items():
                    series.append((name, values, None))
            order = [o["matcher"]["options"] for o in panel["fieldConfig"].get("overrides", [])]
            series.sort(key=lambda s: order.index(s[0]) if s[0] in order else len(order))
            series = [(name, values, color_of(panel, name, i)) for i, (name, values, _) in enumerate(series)]
            body = chart(series, w, height(series), start, end, unit, {}, bars=starts)
        else:
            for target in panel["targets"]:
                for r in prometheus_query(prometheus, "query_range", query=expression(target["expr"], step),
                                          start=start, end=end, step=step):
                    points = [(float(t), float(v)) for t, v in r["values"] if not math.isnan(float(v))]
                    series.append((legend(target.get("legendFormat", ""), r["metric"]), points, None))
            series.sort(key=lambda s: s[0])
            series = [(name, points, color_of(panel, name, i)) for i, (name, points, _) in enumerate(series)]
            body = chart(series, w, height(series), start, end, unit, {"step": step, "dash": dashed(panel)})
        parts.append(panel_html(panel, body + legend_html(series), unit_width, unit_height))
    bottom = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dashboard["panels"]) * unit_height + 60
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{{margin:0;background:#111217;color:#ccccdc;font:12px system-ui,sans-serif;width:{width}px;height:{bottom}px;position:relative}}
header{{position:absolute;left:8px;top:8px;right:8px;display:flex;gap:14px;align-items:center}}
header h1{{font-size:17px;margin:0 18px 0 0;color:#fff;font-weight:500}} header span{{background:#181b1f;border:1px solid #2c3235;padding:4px 8px}}
.panel{{position:absolute;box-sizing:border-box;background:#181b1f;border:1px solid #2c3235;border-radius:2px;padding:6px 10px;overflow:hidden}}
.title{{font-weight:500;color:#fff;margin-bottom:4px;font-size:13px}} svg text{{fill:#8e8e8e;font-size:10px}}
.legend span{{margin-right:12px;white-space:nowrap;line-height:18px}} .legend i{{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}}
.stats{{display:flex;flex-wrap:wrap;gap:6px}} .stat{{padding:6px 12px;border-radius:2px;min-width:120px;color:#fff}}
.stat small{{display:block;opacity:.85}} .stat b{{font-size:22px;font-weight:500}}
</style></head><body><header><h1>member-sync</h1><span>Prometheus: preview</span><span>account: All</span><span>feed: All</span>
<span>{clock(start, False)} to {clock(end, False)} UTC</span></header>{"".join(parts)}</body></html>"""
    return page, bottom


def screenshot(chromium, page, png, width, height, folder):
    profile = tempfile.mkdtemp(dir=folder, prefix="chromium-")
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
                    f"--window-size={width},{height}", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"preview: {png} ({png.stat().st_size // 1024} KB)")


# --- the whole preview -------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", type=Path, default=ROOT / "target" / "member-sync.jar")
    parser.add_argument("--runs", type=int, default=8, help="sandbox runs, each standing for a night (default 8)")
    parser.add_argument("--gap", type=int, default=45, help="seconds from one run's start to the next (default 45)")
    parser.add_argument("--images", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, the runs' pages)")
    args = parser.parse_args()
    # the JDK of JAVA_HOME when it is set (member-sync needs 21 or newer), else java on the PATH
    java = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else "java"
    for tool in (java, "prometheus", "prometheus-pushgateway", "chromium"):
        if not shutil.which(tool):
            sys.exit(f"preview: {tool} is missing (apt-get install -y prometheus prometheus-pushgateway chromium)")
    if not args.jar.exists():
        sys.exit(f"preview: {args.jar} is missing: ./mvnw -B -DskipTests package")
    folder = Path(tempfile.mkdtemp(prefix="member-sync-preview-"))
    processes = Processes(folder)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("preview: stopped"))  # stop what it started, as on Ctrl-C
    try:
        jar = shutil.copy(args.jar, folder / "member-sync.jar")  # a rebuild meanwhile changes nothing here
        subprocess.run([java, "-Djarmode=tools", "-jar", jar, "extract", "--destination", str(folder / "app")],
                       check=True, capture_output=True)
        sandbox, pushgateway, prometheus = free_port(), free_port(), free_port()
        (folder / "prometheus.yml").write_text(
            f"global: {{scrape_interval: {SCRAPE_SECONDS}s, evaluation_interval: {SCRAPE_SECONDS}s}}\n"
            f"scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n"
            f"    static_configs: [{{targets: ['127.0.0.1:{pushgateway}']}}]\n")
        started = {
            # in memory only: Debian's default persistence file would bring back an earlier preview's series
            "pushgateway": processes.start("pushgateway", ["prometheus-pushgateway", "--persistence.file=",
                                                           f"--web.listen-address=127.0.0.1:{pushgateway}"]),
            "prometheus": processes.start("prometheus", ["prometheus", f"--config.file={folder / 'prometheus.yml'}",
                                                         f"--storage.tsdb.path={folder / 'tsdb'}",
                                                         f"--web.listen-address=127.0.0.1:{prometheus}"]),
            "sandbox": processes.start("sandbox", [java, "-cp", str(folder / "app" / "member-sync.jar"),
                                                   str(Path(__file__).with_name("Sandbox.java")), str(sandbox)])}
        for name, url in (("pushgateway", f"http://127.0.0.1:{pushgateway}/-/ready"),
                          ("prometheus", f"http://127.0.0.1:{prometheus}/-/ready"),
                          ("sandbox", f"http://127.0.0.1:{sandbox}/_admin/hang/impostor")):
            wait_until_up(url, name, started[name], folder / (name + ".log"))
        member_sync = [java, "-jar", jar]
        common = settings(sandbox, pushgateway)
        admin = f"http://127.0.0.1:{sandbox}/_admin"
        inputs = Inputs(folder, random.Random(7))
        nights = []
        start = time.time()
        for night in range(args.runs):
            night_start = max(start + night * args.gap, time.time())
            time.sleep(max(0.0, night_start - time.time()))
            last = night == args.runs - 1
            if night > 0:  # the last night a bigger export, so its page shows 429s and pauses too
                inputs.change(emails=50 if last else inputs.rng.randrange(8, 40), prices=inputs.rng.randrange(0, 4),
                              statuses=2)
            if night == 3:  # a proxy's JSON answers for Hang: answers that are not the vendor's, the run fails
                http("PUT", f"{admin}/hang/impostor", {"answer": "other-json", "methods": ["PATCH"]})
            if night == 4:
                http("PUT", f"{admin}/hang/impostor", {"answer": "none"})
            if night == 5:  # someone edits a plan in Decoda's dashboard, then the export changes that plan too
                http("PATCH", f"{admin}/decoda/memberships/plan_clinic_03", {"price": 12345, "textColor": "#000000"})
                inputs.names["plan_clinic_03"] = "Plan Clinic 03 (renamed)"
            inputs.write(invalid=2 if night in (2, 5) or last else 0, foreign=1 if night >= 4 else 0)
            page = folder / f"run-{night + 1}.html"
            run = subprocess.run(member_sync + ["run", "--report-html", str(page)] + common, cwd=folder,
                                 capture_output=True, text=True)
            print(f"preview: night {night + 1}: run exit {run.returncode}")
            if night in (1, args.runs - 2):  # a verify now and then, after someone edited records at the vendors
                http("PATCH", f"{admin}/decoda/memberships/plan_clinic_1{night % 10}", {"price": 100, "name": "Edited"})
                http("PATCH", f"{admin}/decoda/memberships/plan_clinic_2{night % 10}", {"price": 200})
                http("PATCH", f"{admin}/mayar/members/MBR000{night % 10}", {"status": "finished"})
                verify = subprocess.run(member_sync + ["verify", "--feed", "clinic", "--feed", "clinic-uptown", "--feed",
                                                       "mayar-members"] + common, cwd=folder, capture_output=True, text=True)
                print(f"preview: night {night + 1}: verify exit {verify.returncode}")
            nights.append((night_start, time.time() + 2 * SCRAPE_SECONDS))
        time.sleep(3 * SCRAPE_SECONDS)
        end = time.time()
        dashboard = json.loads(DASHBOARD.read_text())
        width = 1400
        page, height = render(dashboard, prometheus, start - 30, end, nights, width)
        (folder / "dashboard.html").write_text(page)
        args.images.mkdir(parents=True, exist_ok=True)
        chromium = shutil.which("chromium")
        screenshot(chromium, folder / "dashboard.html", args.images / "dashboard.png", width, int(height), folder)
        last_page = folder / f"run-{args.runs}.html"
        screenshot(chromium, last_page, args.images / "run-page.png", 1300, 1550, folder)
        print(f"preview: {args.runs} runs from {clock(start)} to {clock(end)} UTC")
    finally:
        processes.stop_all()
        if args.keep:
            print(f"preview: the work folder is {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
