#!/usr/bin/env python3
"""Checks the Grafana dashboards in this directory without a Grafana server (stdlib only).

Always: the JSON parses; the dashboard and panel basics Grafana's schema requires are there (uid, title, integer
schemaVersion, unique panel ids, gridPos inside the 24-column grid without overlaps, unique refIds, a data source on
every query panel); every $variable a query or title uses is defined.
  --promtool          also parse every PromQL expression with `promtool check rules` (Grafana macros replaced).
  --psql CONNINFO     also run every SQL query against a database holding the gateway schema (macros expanded
                      as Grafana's Postgres data source does), e.g. "host=/tmp/pg port=55432 user=postgres dbname=gateway".
Exit code 0 when everything passes; every problem is printed.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PANEL_TYPES = {"row", "timeseries", "stat", "bargauge", "table", "gauge", "text", "piechart", "barchart",
               "heatmap", "logs", "state-timeline", "histogram"}
BUILTIN_PREFIXES = ("__",)
VARIABLE = re.compile(r"\$(?:\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|([A-Za-z_][A-Za-z0-9_]*))")


def check_dashboard(path, problems):
    name = os.path.basename(path)

    def fail(message):
        problems.append(f"{name}: {message}")

    try:
        with open(path, encoding="utf-8") as f:
            board = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(f"does not parse: {e}")
        return None
    for key, kind in (("uid", str), ("title", str), ("schemaVersion", int), ("panels", list),
                      ("templating", dict), ("time", dict)):
        if not isinstance(board.get(key), kind):
            fail(f"top-level '{key}' missing or not a {kind.__name__}")
    if problems and problems[-1].startswith(f"{name}: top-level"):
        return None
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", board["uid"]):
        fail(f"uid '{board['uid']}' is not 1-40 characters of [A-Za-z0-9_-]")
    if not {"from", "to"} <= board["time"].keys():
        fail("time needs 'from' and 'to'")

    variables = {v.get("name") for v in board["templating"].get("list", [])}
    for v in board["templating"].get("list", []):
        if not v.get("name") or not v.get("type"):
            fail(f"template variable without name or type: {v}")

    ids = set()
    cells = {}
    for panel in board["panels"]:
        title = panel.get("title", "<untitled>")
        pid = panel.get("id")
        if not isinstance(pid, int) or pid in ids:
            fail(f"panel '{title}': id {pid!r} missing, not an integer or duplicated")
        ids.add(pid)
        if panel.get("type") not in PANEL_TYPES:
            fail(f"panel '{title}': unknown type {panel.get('type')!r}")
        if not title or title == "<untitled>":
            fail(f"panel {pid}: no title")
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            fail(f"panel '{title}': gridPos needs integer h, w, x, y")
            continue
        if grid["x"] < 0 or grid["w"] < 1 or grid["x"] + grid["w"] > 24 or grid["h"] < 1:
            fail(f"panel '{title}': gridPos {grid} outside the 24-column grid")
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                if (x, y) in cells:
                    fail(f"panel '{title}' overlaps panel '{cells[(x, y)]}' at x={x}, y={y}")
                    break
                cells[(x, y)] = title
            else:
                continue
            break
        for text in (title, panel.get("description", "")):
            check_variables(text, variables, f"panel '{title}'", fail)
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets")
        if not targets:
            fail(f"panel '{title}': no targets")
            continue
        if not isinstance(panel.get("datasource"), dict):
            fail(f"panel '{title}': no datasource")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs) or not all(refs):
            fail(f"panel '{title}': refIds {refs} missing or duplicated")
        for t in targets:
            if not isinstance(t.get("datasource"), dict):
                fail(f"panel '{title}' target {t.get('refId')}: no datasource")
            query = t.get("expr") or t.get("rawSql")
            if not query:
                fail(f"panel '{title}' target {t.get('refId')}: no expr or rawSql")
                continue
            check_variables(query, variables, f"panel '{title}' target {t.get('refId')}", fail)
    return board


def check_variables(text, variables, where, fail):
    for m in VARIABLE.finditer(text or ""):
        var = m.group(1) or m.group(2)
        if var.startswith(BUILTIN_PREFIXES) or var in variables:
            continue
        fail(f"{where}: uses undefined variable ${var}")


def queries(board, key):
    for panel in board["panels"]:
        for t in panel.get("targets", []):
            if t.get(key):
                yield panel.get("title"), t.get("refId"), t[key]


def prom_substitute(expr):
    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
    return VARIABLE.sub(".*", expr)


def check_promql(boards, problems):
    promtool = shutil.which("promtool")
    if not promtool:
        problems.append("--promtool: promtool is not installed")
        return 0
    rules = []
    for name, board in boards:
        for title, ref, expr in queries(board, "expr"):
            rules.append((f"{name}: {title} ({ref})", prom_substitute(expr)))
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("groups:\n  - name: dashboards\n    rules:\n")
        for i, (_, expr) in enumerate(rules):
            f.write(f"      - record: dashboard:query_{i}\n        expr: {json.dumps(expr)}\n")
        path = f.name
    try:
        result = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if result.returncode != 0:
        problems.append("promtool rejected a query:\n" + result.stdout + result.stderr)
    return len(rules)


def sql_expand(sql):
    """The macros of Grafana's Postgres data source, for a 30-day range."""
    sql = re.sub(r"\$__timeFilter\(([^)]+)\)",
                 r"\1 BETWEEN now() - interval '30 days' AND now()", sql)

    def group(m):
        column, interval = m.group(1).strip(), m.group(2).strip().strip("'")
        seconds = {"1h": 3600, "6h": 21600, "1d": 86400, "7d": 604800}[interval]
        return f'to_timestamp(floor(extract(epoch from {column}) / {seconds}) * {seconds}) AS "time"'

    sql = sql.replace("$bucket", "1d")
    sql = re.sub(r"\$__timeGroupAlias\(([^,]+),([^)]+)\)", group, sql)
    sql = re.sub(r"\$\{[A-Za-z0-9_]+:sqlstring\}", "'__all__'", sql)
    return sql.replace("$top", "20")


def check_sql(boards, conninfo, problems):
    psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    count = 0
    for name, board in boards:
        variables = [v for v in board["templating"]["list"] if v.get("type") == "query"]
        statements = [(f"{name}: variable {v['name']}", v["query"]) for v in variables
                      if isinstance(v.get("query"), str) and "usage_events" in v["query"]]
        statements += [(f"{name}: {title} ({ref})", sql) for title, ref, sql in queries(board, "rawSql")]
        for where, sql in statements:
            count += 1
            result = subprocess.run([psql, conninfo, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-c", sql_expand(sql)],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                problems.append(f"{where}: SQL failed: {result.stderr.strip()}")
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help="dashboards (default: dashboards/*.json beside this script)")
    parser.add_argument("--promtool", action="store_true")
    parser.add_argument("--psql", metavar="CONNINFO")
    args = parser.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                        "dashboards", "*.json")))
    problems = []
    boards = []
    for path in files:
        board = check_dashboard(path, problems)
        if board is not None:
            boards.append((os.path.basename(path), board))
            panels = sum(1 for p in board["panels"] if p.get("type") != "row")
            print(f"{os.path.basename(path)}: '{board['title']}', {panels} panels, "
                  f"{len(board['templating']['list'])} variables")
    if args.promtool:
        print(f"promtool: {check_promql(boards, problems)} PromQL expressions checked")
    if args.psql:
        print(f"psql: {check_sql(boards, args.psql, problems)} SQL queries run")
    sys.stdout.flush()
    for problem in problems:
        print("FAIL " + problem, file=sys.stderr)
    print("dashboards: " + ("OK" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
