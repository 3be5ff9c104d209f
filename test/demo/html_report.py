#!/usr/bin/env python3
"""Write the demo's HTML report: the same sections as the terminal report,
with charts drawn as inline SVG from query results.

  html_report.py OUT.html

Runs against the database psql reaches through the PG* environment (the demo
cluster, after test/demo/gen*.sql).  Sections: test/demo/report_*.sql, run
with psql's HTML output.  Charts: test/demo/charts/*.sql, each one query
with a header of '-- key: value' lines (chart: bar | line | step; title;
x; y; diagonal).  A bar chart's query returns (label, value); a line or step
chart's returns (x, y [, series]).  No network, no dependencies beyond
Python's standard library and psql.
"""
import csv
import glob
import html
import io
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PSQL = os.path.join(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"), "psql")
COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4"]


def psql(args, sql_file=None, sql=None):
    cmd = [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-P", "footer=off"] + args
    if sql_file:
        cmd += ["-f", sql_file]
    else:
        cmd += ["-c", sql]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"html_report: {sql_file or 'query'} failed:\n{r.stderr}")
    return r.stdout


def section_html(path):
    """A report section through psql -H: tables stay, \\echo lines become
    headings (== … ==) or paragraphs, and so does a sentence the section
    computes (a one-column table without a header, psql's \\t)."""
    out, in_table, table = [], False, []
    for line in psql(["-H"], sql_file=path).splitlines():
        if line.startswith("<table"):
            in_table, table = True, []
        if in_table:
            table.append(line)
            if line.strip() == "</table>":
                in_table = False
                cells = [t for t in table if "<td" in t]
                rows = [t for t in table if "<tr" in t]
                if cells and len(cells) == len(rows) and not any("<th" in t for t in table):
                    out.extend("<p class=\"note\">" + re.sub(r"^\s*<td[^>]*>|</td>\s*$", "", c) + "</p>" for c in cells)
                else:
                    out.extend(table)
            continue
        text = line.strip()
        if not text:
            continue
        m = re.match(r"^==\s*(.*?)\s*==$", text)
        if m:
            out.append(f"<h2>{html.escape(m.group(1))}</h2>")
        else:
            out.append(f"<p class=\"note\">{html.escape(text)}</p>")
    return "\n".join(out)


def chart_spec(path):
    spec, body = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^--\s*(chart|title|x|y|diagonal):\s*(.*?)\s*$", line)
            if m and not body:
                spec[m.group(1)] = m.group(2)
            else:
                body.append(line)
    spec["sql"] = "".join(body)
    spec["name"] = os.path.splitext(os.path.basename(path))[0]
    return spec


def rows_of(sql):
    text = psql(["--csv"], sql=sql)
    rd = list(csv.reader(io.StringIO(text)))
    return rd[0], rd[1:]


def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def bar_svg(spec, header, rows):
    W, left, right, bar_h, gap = 760, 160, 90, 26, 8
    H = 20 + len(rows) * (bar_h + gap)
    vals = [float(r[1]) for r in rows]
    top = max(vals) if vals and max(vals) > 0 else 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img">']
    for i, (r, v) in enumerate(zip(rows, vals)):
        y = 10 + i * (bar_h + gap)
        w = max(1.0, (W - left - right) * v / top)
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" class="label">{html.escape(r[0])}</text>')
        parts.append(f'<rect class="mark" x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[0]}"><title>{html.escape(r[0])}: {fmt(v)}</title></rect>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" class="value">{fmt(v)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_svg(spec, header, rows, step=False):
    W, H, L, R, T, B = 760, 380, 60, 20, 14, 46
    series = {}
    for r in rows:
        key = r[2] if len(r) > 2 else (spec.get("y") or "")
        series.setdefault(key, []).append((float(r[0]), float(r[1])))
    xs = [p[0] for s in series.values() for p in s] or [0, 1]
    ys = [p[1] for s in series.values() for p in s] or [0, 1]
    x0, x1 = min(0.0, min(xs)), max(xs) if max(xs) > 0 else 1.0
    y0, y1 = min(0.0, min(ys)), max(ys) if max(ys) > 0 else 1.0

    def X(v):
        return L + (W - L - R) * (v - x0) / ((x1 - x0) or 1)

    def Y(v):
        return H - B - (H - T - B) * (v - y0) / ((y1 - y0) or 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img">',
             f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" class="axis"/>',
             f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H - B}" class="axis"/>']
    for k in range(5):
        fy = y0 + (y1 - y0) * k / 4
        fx = x0 + (x1 - x0) * k / 4
        parts.append(f'<text x="{L - 6}" y="{Y(fy) + 4:.1f}" text-anchor="end" class="tick">{fmt(fy)}</text>')
        parts.append(f'<text x="{X(fx):.1f}" y="{H - B + 16}" text-anchor="middle" class="tick">{fmt(fx)}</text>')
    parts.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 8}" text-anchor="middle" class="label">{html.escape(spec.get("x", ""))}</text>')
    if spec.get("diagonal"):
        parts.append(f'<line x1="{X(x0):.1f}" y1="{Y(y0):.1f}" x2="{X(x1):.1f}" y2="{Y(y1):.1f}" class="diagonal"><title>{html.escape(spec["diagonal"])}</title></line>')
    legend_y = T + 4
    for i, (name, pts) in enumerate(series.items()):
        pts.sort()
        coords = []
        for j, (x, y) in enumerate(pts):
            if step and j > 0:
                coords.append(f"{X(x):.1f},{Y(pts[j - 1][1]):.1f}")
            coords.append(f"{X(x):.1f},{Y(y):.1f}")
        colour = COLOURS[i % len(COLOURS)]
        parts.append(f'<polyline class="mark" fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(coords)}"><title>{html.escape(name)}</title></polyline>')
        if len(series) > 1 or spec.get("diagonal"):
            parts.append(f'<rect x="{W - R - 330}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>'
                         f'<text x="{W - R - 312}" y="{legend_y + 2}" class="legend">{html.escape(name)}</text>')
            legend_y += 18
    if spec.get("diagonal"):
        parts.append(f'<line x1="{W - R - 330}" y1="{legend_y - 3}" x2="{W - R - 318}" y2="{legend_y - 3}" class="diagonal"/>'
                     f'<text x="{W - R - 312}" y="{legend_y + 2}" class="legend">{html.escape(spec["diagonal"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 2em auto; max-width: 980px; color: #1f2328; }
h1 { font-size: 1.6em; } h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; } th { background: #f6f8fa; }
figure.chart { margin: 1.2em 0; padding: 0.6em; border: 1px solid #d0d7de; border-radius: 6px; }
figcaption { font-weight: bold; margin-bottom: 0.4em; }
.label, .legend { font-size: 13px; fill: #1f2328; } .value, .tick { font-size: 12px; fill: #57606a; }
.axis { stroke: #57606a; } .diagonal { stroke: #8c959f; stroke-dasharray: 5 4; }
p.note { color: #57606a; margin: 0.3em 0; }
"""


def main(out):
    # the sections first: charts read the tables they store (account_scores …)
    sections = [section_html(p) for p in sorted(glob.glob(os.path.join(HERE, "report_*.sql")))]
    charts = []
    for path in sorted(glob.glob(os.path.join(HERE, "charts", "*.sql"))):
        spec = chart_spec(path)
        header, rows = rows_of(spec["sql"])
        kind = spec.get("chart", "bar")
        svg = bar_svg(spec, header, rows) if kind == "bar" else line_svg(spec, header, rows, step=(kind == "step"))
        y = f'<p class="note">{html.escape(spec["y"])}</p>' if spec.get("y") and kind == "bar" else ""
        charts.append(f'<figure class="chart" data-chart="{spec["name"]}" data-points="{len(rows)}">'
                      f'<figcaption>{html.escape(spec.get("title", spec["name"]))}</figcaption>{y}{svg}</figure>')
    doc = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>b2btarget demo — targeting report</title>", f"<style>{CSS}</style></head><body>",
           "<h1>b2btarget demo — a targeting report on a generated B2B data set</h1>",
           '<p class="note">Every number and chart below is computed in PostgreSQL by the b2btarget extension; the same report prints in the terminal.</p>',
           '<section id="charts"><h2>At a glance</h2>', *charts, "</section>",
           '<section id="report">', *sections, "</section></body></html>"]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(doc) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: html_report.py OUT.html")
    main(sys.argv[1])
