"""The benchmark of issue 9: paved render against helm template and cp -r.

Run through `scripts/bench`, which builds paved in release and finds helm.
Python 3.11, standard library only.

Generates N synthetic, valid apps (all four blueprints, ~20 teams, calls that
agree both ways), validates them once, then times:

- `paved render DIR --out OUT` (every environment, every output), R runs into
  a fresh OUT;
- `helm template APP CHART` on a sample of the charts paved wrote, scaled from
  the mean per chart to all N x environments charts;
- `cp -r OUT OUT2`, the floor set by writing the same bytes.

Wall time is measured around each child process; peak RSS comes from that
child's own rusage (os.wait4), so each figure belongs to one process.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TEAMS = [
    "payments", "risk", "lending", "cards", "treasury", "fraud", "onboarding", "ledger", "savings", "mortgages",
    "identity", "notify", "reporting", "pricing", "trading", "custody", "compliance", "web", "mobile", "data",
]  # fmt: skip
WORDS = [
    "account", "balance", "quote", "order", "invoice", "statement", "transfer", "limit", "score", "alert",
    "profile", "consent", "rate", "fee", "report", "audit", "session", "token", "customer", "product",
    "offer", "claim", "schedule", "export", "import", "search", "ledger", "settle", "clear", "match",
]  # fmt: skip
# Blueprint by index: exact shares per block of 20 (api 50%, worker 25%,
# cronjob 15%, stateful 10%), interleaved.
PATTERN = "AWACASAWACAWASAWACAW"
KIND = {"A": "api", "W": "worker", "C": "cronjob", "S": "stateful"}
SUFFIX = {"api": "api", "worker": "worker", "cronjob": "job", "stateful": "db"}
ENVIRONMENTS = ["dev", "test", "prod"]  # the embedded platform's
VENDORS = ["psp", "sanctions", "fx", "kyc", "credit", "maps", "sms", "mail"]
SCHEDULES = ["30 2 * * *", "0 * * * *", "*/15 * * * *", "0 6 * * 1-5", "@daily", "@hourly", "15 3 1 * *"]
ZONES = ["Europe/Amsterdam", "Europe/London", "UTC", "America/New_York"]
CPUS = ["100m", "250m", "500m", "1", "2"]
MEMORY = ["256Mi", "512Mi", "1Gi", "2Gi"]
BUILDS = ["dotnet", "maven", "node", "go", "docker"]


@dataclass
class App:
    index: int
    name: str
    team: str
    kind: str
    rng: random.Random
    calls: list[str] = field(default_factory=list)
    called_by: list[str] = field(default_factory=list)

    @property
    def has_port(self) -> bool:
        return self.kind in ("api", "stateful")


def make_apps(n: int, seed: int) -> list[App]:
    apps = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        kind = KIND[PATTERN[i % len(PATTERN)]]
        team = TEAMS[rng.randrange(len(TEAMS))]
        name = f"{rng.choice(WORDS)}-{SUFFIX[kind]}-{i:05d}"
        apps.append(App(i, name, team, kind, rng))
    # Calls between apps, agreed both ways: the callee lists each caller in `calledBy`.
    by_team: dict[str, list[App]] = {t: [] for t in TEAMS}
    callees = [a for a in apps if a.has_port]
    for a in callees:
        by_team[a.team].append(a)
    for caller in apps:
        rng = caller.rng
        k = rng.choices([0, 1, 2, 3], weights=[30, 35, 25, 10])[0]
        chosen: dict[int, App] = {}
        for _ in range(k):
            same = by_team[caller.team]
            pool = same if same and rng.random() < 0.7 else callees
            if not pool:
                continue
            callee = pool[rng.randrange(len(pool))]
            if callee.index != caller.index:
                chosen[callee.index] = callee
        for callee in chosen.values():
            same_team = callee.team == caller.team
            caller.calls.append(callee.name if same_team else f"{callee.team}/{callee.name}")
            callee.called_by.append(caller.name if same_team else f"{caller.team}/{caller.name}")
    return apps


def flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def render_app(app: App) -> str:
    """The app file's text: realistic options, chosen by the app's own seeded generator."""
    rng, kind = app.rng, app.kind
    lines = [
        f"name: {app.name}",
        f"team: {app.team}",
        f"blueprint: {kind}@1",
        f"image: acr.bank.internal/{app.team}/{app.name}:{rng.randrange(1, 6)}.{rng.randrange(20)}.{rng.randrange(10)}",
    ]
    if app.has_port:
        lines.append(f"port: {rng.choice([8080, 8080, 8443, 5432, 9000]) if kind == 'stateful' else rng.choice([8080, 8443, 3000])}")
    if rng.random() < 0.3:
        lines.append(f'args: ["--config", "/etc/{app.name}/config.yaml"]')
    if rng.random() < 0.5:
        lines.append(f"build: {rng.choice(BUILDS)}")
    env = {"LOG_LEVEL": "info"}
    for _ in range(rng.randrange(5)):
        env[f"FEATURE_{rng.choice(WORDS).upper()}"] = rng.choice(['"true"', '"false"', "on", "v2"])
    if rng.random() < 0.4:
        env["UPSTREAM_URL"] = f"http://{rng.choice(WORDS)}-api:8080"
    lines.append("env:")
    lines += [f"  {k}: {v}" for k, v in env.items()]
    if rng.random() < 0.7:
        lines.append(f"secrets: {flow([f'{app.name}-{s}' for s in rng.sample(['db', 'broker', 'signing-key', 'api-key'], rng.randrange(1, 3))])}")
    if rng.random() < 0.6:
        lines.append(f"resources: {{cpu: {rng.choice(CPUS)}, memory: {rng.choice(MEMORY)}}}")
    # Replicas: a range (autoscaling) or a fixed number; stateful never autoscales, cronjobs have none.
    if kind in ("api", "worker"):
        roll = rng.random()
        if roll < (0.4 if kind == "api" else 0.2):
            low = rng.randrange(2, 4)
            lines.append(f"replicas: {{min: {low}, max: {low + rng.randrange(2, 12)}}}")
        elif roll < 0.7:
            lines.append(f"replicas: {rng.randrange(1, 5)}")
    elif kind == "stateful":
        lines.append(f"replicas: {rng.choice([1, 3, 3, 5])}")
    if kind == "api":
        if rng.random() < 0.2:
            lines += ["probes:", "  liveness: /livez", "  readiness: /readyz"]
            if rng.random() < 0.5:
                lines.append("  startup: /startup")
        if rng.random() < 0.6:
            if rng.random() < 0.8:
                lines += ["ingress:", f"  host: {app.name}"]
            else:
                lines += [
                    "ingress:",
                    f"  - host: {app.name}",
                    f"  - host: {app.name}.partners.bank.example",
                    "    path: /v1",
                ]
    if kind != "cronjob" and rng.random() < (0.4 if kind == "worker" else 0.5):
        lines.append("metrics: {port: 9090}" if rng.random() < 0.8 else "metrics: {port: 9102, path: /internal/metrics}")
    if kind == "cronjob":
        lines.append(f'schedule: "{rng.choice(SCHEDULES)}"')
        if rng.random() < 0.5:
            lines.append(f"timeZone: {rng.choice(ZONES)}")
        if rng.random() < 0.3:
            lines.append(f"concurrency: {rng.choice(['Allow', 'Forbid', 'Replace'])}")
    if kind == "stateful":
        lines += ["storage:", f"  size: {rng.choice(['10Gi', '50Gi', '100Gi'])}", "  path: /var/lib/data"]
        if rng.random() < 0.5:
            lines.append("  class: managed-premium")
    calls = list(app.calls)
    if rng.random() < 0.3:
        port = rng.choice(["", "", ":8443"])
        calls.append(f"https://api.{rng.choice(VENDORS)}.example.com{port}")
    if rng.random() < 0.1:
        calls.append(f"10.{rng.randrange(10, 60)}.0.0/16:{rng.choice([5432, 5671, 9093])}")
    if calls:
        lines.append("calls:")
        lines += [f"  - {c}" for c in calls]
    called_by = list(app.called_by)
    if kind == "api" and rng.random() < 0.1:
        called_by.append(f"{rng.choice(TEAMS)}/*")
    if called_by:
        lines.append("calledBy:")
        lines += [f"  - {c}" for c in called_by]
    # Environment overrides: most apps differ in prod, some in dev.
    envs: list[str] = []
    if rng.random() < 0.3:
        dev = ["    env:", "      LOG_LEVEL: debug"]
        if kind in ("api", "worker", "stateful"):
            dev.insert(0, "    replicas: 1")
        envs += ["  dev:"] + dev
    if rng.random() < 0.6:
        prod = ["    env:", "      LOG_LEVEL: warn", f"    resources: {{cpu: {rng.choice(CPUS[1:])}, memory: {rng.choice(MEMORY[1:])}}}"]
        if kind in ("api", "worker"):
            low = rng.randrange(2, 5)
            prod.insert(0, f"    replicas: {{min: {low}, max: {low + rng.randrange(4, 16)}}}")
        elif kind == "stateful":
            prod.insert(0, "    replicas: 3")
        if rng.random() < 0.3:
            prod.append(f"    secrets: [{app.name}-db, {app.name}-hsm]")
        envs += ["  prod:"] + prod
    if envs:
        lines.append("environments:")
        lines += envs
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int, root: Path) -> list[App]:
    apps = make_apps(n, seed)
    for app in apps:
        folder = root / app.team / app.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "app.yaml").write_text(render_app(app))
    return apps


@dataclass
class Run:
    seconds: float
    rss_kb: int


def timed(argv: list[str], env: dict[str, str] | None = None, stdout=subprocess.DEVNULL) -> Run:
    """Run one child; its wall time and its own peak RSS (os.wait4 rusage, KiB on Linux)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=stdout, stderr=subprocess.PIPE)
    stderr = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"bench: `{' '.join(argv)}` exited {child.returncode}\n{stderr.decode(errors='replace')[-4000:]}")
    return Run(seconds, usage.ru_maxrss)


def tree_size(root: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def fs_type(path: Path) -> str:
    """The file system `path` is on, from /proc/mounts (the longest mount point above it)."""
    best, kind = "", "unknown file system"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) > 2 and (resolved == parts[1] or resolved.startswith(parts[1].rstrip("/") + "/")):
            if len(parts[1]) >= len(best):
                best, kind = parts[1], parts[2]
    return kind


def paved_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PAVED_LOCK"] = "none"
    env.pop("PAVED_FAULT", None)
    env["NO_COLOR"] = "1"
    return env


def render_runs(paved: str, apps_dir: Path, out: Path, runs: int) -> list[Run]:
    result = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        result.append(timed([paved, "render", str(apps_dir), "--out", str(out)], env=paved_env()))
    return result


def helm_sample(apps: list[App], size: int) -> list[tuple[App, str]]:
    """`size` charts spread over the blueprints in proportion, and over environments."""
    by_kind: dict[str, list[App]] = {}
    for a in apps:
        by_kind.setdefault(a.kind, []).append(a)
    picked: list[tuple[App, str]] = []
    for kind, group in sorted(by_kind.items()):
        share = max(1, round(size * len(group) / len(apps)))
        step = max(1, len(group) // share)
        for j, a in enumerate(group[::step][:share]):
            picked.append((a, ENVIRONMENTS[(j + a.index) % len(ENVIRONMENTS)]))
    return picked


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def spread(values: list[float]) -> str:
    return f"{fmt_s(min(values))} – {fmt_s(max(values))}"


def main() -> None:
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--paved", default="", help="the paved binary (release); needed unless --generate-only")
    p.add_argument("--helm", default="", help="the helm binary; empty: skip the helm row")
    p.add_argument("--apps", type=int, default=1000, help="how many apps (default 1000)")
    p.add_argument("--runs", type=int, default=5, help="runs of each timing (default 5)")
    p.add_argument("--helm-sample", type=int, default=30, help="charts given to helm template (default 30)")
    p.add_argument("--seed", type=int, default=9, help="the generator's seed (default 9)")
    p.add_argument("--scaling", action="store_true", help="time N = 100, 1000, 10000 and print the time per app")
    p.add_argument("--dir", default=None, help="where to make the temporary directory (default: $TMPDIR or /tmp);\n"
                   "/dev/shm (tmpfs) takes the disk out of the figures")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (its path is printed)")
    p.add_argument("--report", action="store_true", help="time only `paved report` (the HTML page of issue 17)")
    p.add_argument("--generate-only", action="store_true", help="write the apps into --dir and stop (for tests)")
    args = p.parse_args()

    if args.generate_only:
        if not args.dir:
            sys.exit("bench: --generate-only needs --dir")
        generate(args.apps, args.seed, Path(args.dir))
        return
    if not args.paved:
        sys.exit("bench: --paved is needed")

    work = Path(tempfile.mkdtemp(prefix="paved-bench-", dir=args.dir))
    print(f"working in {work} ({fs_type(work)})", file=sys.stderr)
    try:
        if args.scaling:
            scaling(args, work)
        elif args.report:
            report_only(args, work)
        else:
            bench(args, work)
    finally:
        if args.keep:
            print(f"\nkept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def prepare(args: argparse.Namespace, work: Path, n: int) -> tuple[list[App], Path]:
    apps_dir = work / f"apps-{n}"
    start = time.perf_counter()
    apps = generate(n, args.seed, apps_dir)
    generated = time.perf_counter() - start
    validate = timed([args.paved, "validate", str(apps_dir), "--format", "short"], env=paved_env())
    kinds = {k: sum(a.kind == k for a in apps) for k in KIND.values()}
    calls = sum(len(a.calls) for a in apps)
    cross = sum(c.count("/") for a in apps for c in a.calls)
    print(
        f"generated {n} apps in {generated:.2f} s ({', '.join(f'{v} {k}' for k, v in kinds.items())}; "
        f"{len({a.team for a in apps})} teams; {calls} in-cluster calls, {cross} across teams); "
        f"`paved validate` passed in {validate.seconds:.2f} s",
        file=sys.stderr,
    )
    return apps, apps_dir


def diff_runs(paved: str, apps_dir: Path, runs: int) -> list[Run]:
    """Commit the apps, change one in ten, and time `paved diff --base HEAD`."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-C", str(apps_dir)]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "base"], check=True)
    files = sorted(apps_dir.rglob("app.yaml"))
    for i, path in enumerate(files[::10]):
        text = path.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: debug", 1)
        if i % 5 == 0:
            text = text.replace(":1.", ":2.", 1)
        path.write_text(text)
    result = []
    for _ in range(runs):
        argv = [paved, "diff", "--base", "HEAD", "."]
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=apps_dir, env=paved_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = child.stderr.read() if child.stderr else b""
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"paved diff failed: {stderr.decode(errors='replace')}")
        result.append(Run(time.perf_counter() - start, usage.ru_maxrss))
    return result


def bench(args: argparse.Namespace, work: Path) -> None:
    n, runs = args.apps, args.runs
    apps, apps_dir = prepare(args, work, n)
    out = work / "out"
    print(f"paved render: {runs} runs", file=sys.stderr)
    paved = render_runs(args.paved, apps_dir, out, runs)
    files, size = tree_size(out)
    charts = len(apps) * len(ENVIRONMENTS)

    # The same render to stdout, discarded: paved's own work without the file system.
    print(f"paved render -o -: {runs} runs", file=sys.stderr)
    stream = [timed([args.paved, "render", str(apps_dir), "-o", "-"], env=paved_env()) for _ in range(runs)]

    # Rendering over the previous tree (what a developer re-running does): paved
    # also reads the old tree for files to keep and deletes it after the swap.
    over = timed([args.paved, "render", str(apps_dir), "--out", str(out)], env=paved_env())

    # paved diff: the apps committed in a git repository, one app in ten changed
    # in the working tree (an env var and, for every fifth, the image tag);
    # both revisions are rendered and compared object by object.
    print(f"paved diff: {runs} runs", file=sys.stderr)
    diffs = diff_runs(args.paved, apps_dir, runs)

    helm_runs: list[float] = []
    helm_rss = 0
    sample: list[tuple[App, str]] = []
    if args.helm:
        sample = helm_sample(apps, args.helm_sample)
        print(f"helm template: {len(sample)} charts x {runs} runs", file=sys.stderr)
        for _ in range(runs):
            total = 0.0
            for app, env in sample:
                chart = out / app.team / app.name / env / "chart"
                r = timed([args.helm, "template", app.name, str(chart)])
                total += r.seconds
                helm_rss = max(helm_rss, r.rss_kb)
            helm_runs.append(total / len(sample) * charts)

    print(f"paved report: {runs} runs", file=sys.stderr)
    reports = report_runs(args.paved, apps_dir, work / "report", runs)

    print(f"cp -r: {runs} runs", file=sys.stderr)
    copies = []
    for _ in range(runs):
        target = work / "copy"
        shutil.rmtree(target, ignore_errors=True)
        copies.append(timed(["cp", "-r", str(out), str(target)]))
    shutil.rmtree(work / "copy", ignore_errors=True)

    paved_t = [r.seconds for r in paved]
    copy_t = [r.seconds for r in copies]
    paved_med, copy_med = statistics.median(paved_t), statistics.median(copy_t)
    stream_t = [r.seconds for r in stream]
    rows = [
        ("paved render --out", fmt_s(paved_med), spread(paved_t), fmt_mb(max(r.rss_kb for r in paved))),
        ("paved render -o - >/dev/null", fmt_s(statistics.median(stream_t)), spread(stream_t),
         fmt_mb(max(r.rss_kb for r in stream))),
    ]  # fmt: skip
    if helm_runs:
        rows.append(
            (
                f"helm template (scaled, {charts} charts)",
                fmt_s(statistics.median(helm_runs)),
                spread(helm_runs),
                f"{fmt_mb(helm_rss)} per chart",
            )
        )
    rows.append(("cp -r of the output", fmt_s(copy_med), spread(copy_t), fmt_mb(max(r.rss_kb for r in copies))))
    diff_t = [r.seconds for r in diffs]
    rows.append(
        ("paved diff --base HEAD (both sides)", fmt_s(statistics.median(diff_t)), spread(diff_t),
         fmt_mb(max(r.rss_kb for r in diffs)))
    )  # fmt: skip

    report_t = [r.seconds for r in reports]
    rows.append(
        ("paved report --out (one HTML page)", fmt_s(statistics.median(report_t)), spread(report_t),
         fmt_mb(max(r.rss_kb for r in reports)))
    )  # fmt: skip

    print()
    print(
        f"{n} apps x {len(ENVIRONMENTS)} environments: output {files} files, {size / 1e6:.1f} MB "
        f"({size} bytes); {runs} runs each; {os.cpu_count()} CPUs; written to {fs_type(out)}"
    )
    print()
    table(["", "median", "min – max", "peak RSS"], rows)
    print()
    if helm_runs:
        helm_med = statistics.median(helm_runs)
        print(
            f"helm / paved: {helm_med / paved_med:.0f}x (paved --out is that many times faster; "
            f"{helm_med / statistics.median(stream_t):.0f}x for paved -o -)"
        )
    print(f"paved / copy: {paved_med / copy_med:.1f}x (paved takes that many times as long as copying its output)")
    print(f"paved render over the previous tree (one run): {fmt_s(over.seconds)}, peak RSS {fmt_mb(over.rss_kb)}")
    print()
    print("Notes:")
    print("- paved: one process renders every output (manifests, policies, chart, Applications, pipeline)")
    print("  of every app and environment into a fresh --out (removed before each run, untimed); times")
    print("  include reading and validating the app files. `-o -` renders the same objects and Applications")
    print("  (no charts: a stream has no use for them) as one YAML stream to /dev/null: no files written.")
    if helm_runs:
        print(
            f"- helm: `helm template APP CHART` on {len(sample)} of the charts paved wrote, spread over the blueprints"
        )
        print("  and environments; the mean per chart times all charts. helm renders the chart objects only (the")
        print("  network policies are plain files in policies/, not in the chart), and each chart is one helm")
        print("  process, start-up included, as a pull-request check running helm would be. Output to /dev/null.")
    else:
        print("- helm: skipped (no helm binary; see scripts/install-helm).")
    print("- cp -r: copying the output tree, the floor set by writing those bytes. Caches cannot be dropped")
    print("  here, so every row reads and writes through a warm page cache.")
    print("- Peak RSS is each process's own maximum resident set (wait4 rusage).")


def report_runs(paved: str, apps_dir: Path, out: Path, runs: int) -> list[Run]:
    """`paved report`: every app's versions and images, each environment's call graph, one page."""
    result = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        result.append(timed([paved, "report", str(apps_dir), "--out", str(out)], env=paved_env()))
    return result


def report_only(args: argparse.Namespace, work: Path) -> None:
    """`scripts/bench --report`: the report's time alone (issue 17: under 2 s for 1,000 apps)."""
    _, apps_dir = prepare(args, work, args.apps)
    out = work / "report"
    runs = report_runs(args.paved, apps_dir, out, args.runs)
    size = (out / "index.html").stat().st_size
    seconds = [r.seconds for r in runs]
    print()
    print(f"paved report, {args.apps} apps x {len(ENVIRONMENTS)} environments, one page of {size / 1e6:.1f} MB; "
          f"{args.runs} runs; {os.cpu_count()} CPUs")
    print()
    table(["", "median", "min – max", "peak RSS"],
          [("paved report --out", fmt_s(statistics.median(seconds)), spread(seconds),
            fmt_mb(max(r.rss_kb for r in runs)))])  # fmt: skip


def scaling(args: argparse.Namespace, work: Path) -> None:
    runs = min(args.runs, 3)
    rows = []
    for n in (100, 1000, 10000):
        _, apps_dir = prepare(args, work, n)
        out = work / f"out-{n}"
        result = render_runs(args.paved, apps_dir, out, runs)
        stream = [timed([args.paved, "render", str(apps_dir), "-o", "-"], env=paved_env()) for _ in range(runs)]
        stream_med = statistics.median(r.seconds for r in stream)
        files, size = tree_size(out)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(apps_dir, ignore_errors=True)
        med = statistics.median(r.seconds for r in result)
        rows.append(
            (
                str(n),
                fmt_s(med),
                spread([r.seconds for r in result]),
                f"{med / n * 1000:.2f} ms",
                fmt_mb(max(r.rss_kb for r in result)),
                fmt_s(stream_med),
                f"{stream_med / n * 1000:.2f} ms",
                fmt_mb(max(r.rss_kb for r in stream)),
                f"{files}",
                f"{size / 1e6:.0f} MB",
            )
        )
    print()
    print(
        f"paved render, every environment: --out DIR ({fs_type(work)}) and -o - >/dev/null; "
        f"{runs} runs each; {os.cpu_count()} CPUs"
    )
    print()
    header = ["apps", "--out median", "min – max", "per app", "peak RSS", "-o - median", "per app", "peak RSS"]
    table([*header, "files", "bytes"], rows)


def table(header: list[str], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [tuple(header), *rows]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


if __name__ == "__main__":
    main()
