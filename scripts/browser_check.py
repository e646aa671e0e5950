#!/usr/bin/env python3
"""Render cnnspec's HTML reports in headless Chromium and check them (make browser-check).

For each spec: write the HTML page and the JSON report with cnnspec, then
  - structural checks of the HTML text against the JSON plan (always, no browser needed):
    one detail block per layer, one detail edge per layer input (residual into add,
    concat into concat), overview blocks covering every layer, the expected row count;
  - when Chromium is there: load the page (all rows expanded) with --dump-dom, read back the
    page's error hook (data-errors) and the counts its script took from the rendered DOM
    (data-drawn), compare them with the plan, and save screenshots under out/browser/;
  - when Graphviz is there (optional): check that `dot` accepts the DOT report.
Stdlib only. Exit 0 when every check passes, 1 otherwise.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

# Rows of the collapsed diagram, counted by hand from the architectures: LeNet-5 is
# conv·tanh, pool, conv·tanh, pool, fc·tanh, fc·tanh, fc; VGG-16 is five stages of
# (conv·relu)xN and a pool (10 rows), then (fc·relu·dropout)x2 and fc; ResNet-50 is the stem conv,
# the max pool, per stage the first bottleneck and the repeated ones, the pool and fc.
EXPECTED_ROWS = {"lenet5": 7, "vgg16": 12, "resnet50": 12}
# Rows holding residual/concat blocks (each draws one skip arc).
EXPECTED_ARCS = {"lenet5": 0, "vgg16": 0, "resnet50": 8}


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def expected(plan):
    layers = plan["layers"]
    edges = sum(len(l["inputs"]) for l in layers)
    residual = sum(len(l["inputs"]) for l in layers if l["op"] == "add")
    concat = sum(len(l["inputs"]) for l in layers if l["op"] == "concat")
    return {"layers": len(layers), "edges": edges, "residual": residual, "concat": concat}


def structural(name, html, plan, failures):
    exp = expected(plan)
    names = re.findall(r'<g class="blk" data-layer="([^"]*)"', html)
    want = [l["name"] for l in plan["layers"]]
    if sorted(names) != sorted(want):
        failures.append(f"{name}: detail blocks {len(names)} do not name the {len(want)} layers once each")
    kinds = re.findall(r'<path class="edge [a-z]+" data-edge="([a-z]+)" data-from=', html)
    got = {"edges": len(kinds), "residual": kinds.count("residual"), "concat": kinds.count("concat")}
    for k, v in got.items():
        if v != exp[k]:
            failures.append(f"{name}: {v} {k} edges in the detail drawings, the plan has {exp[k]}")
    covered = sum(int(n) for n in re.findall(r'data-block="\d+" data-layers="(\d+)"', html))
    if covered != exp["layers"]:
        failures.append(f"{name}: overview blocks cover {covered} layers, the plan has {exp['layers']}")
    rows = len(re.findall(r'data-block="\d+"', html))
    if name in EXPECTED_ROWS and rows != EXPECTED_ROWS[name]:
        failures.append(f"{name}: {rows} overview rows, expected {EXPECTED_ROWS[name]}")
    arcs = len(re.findall(r'<path class="edge (?:residual|concat)" data-edge="(?:residual|concat)" d=', html))
    if name in EXPECTED_ARCS and arcs != EXPECTED_ARCS[name]:
        failures.append(f"{name}: {arcs} skip arcs, expected {EXPECTED_ARCS[name]}")
    for tag in ("svg", "details", "table", "section"):
        if html.count(f"<{tag}") != html.count(f"</{tag}>"):
            failures.append(f"{name}: unbalanced <{tag}>")
    if re.search(r'<(script|link|img)[^>]+(src|href)=', html):
        failures.append(f"{name}: the page loads an external resource")
    return rows, arcs


def render(chromium, url, screenshot, dom_out):
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run(base + ["--virtual-time-budget=3000", "--dump-dom", url + "#open-all"],
                         capture_output=True, text=True, timeout=120)
    with open(dom_out, "w") as f:
        f.write(dom.stdout)
    # The page as it opens (diagram collapsed, charts in log scale), and with every row open.
    logs, code = dom.stderr, 0
    for suffix, window, hash_ in (("", "1200,3600", "#log"), ("-open", "1200,2400", "#open-all")):
        shot = subprocess.run(base + [f"--window-size={window}", f"--screenshot={screenshot}{suffix}.png", url + hash_],
                              capture_output=True, text=True, timeout=120)
        logs += shot.stderr
        code = code or shot.returncode
    return dom.stdout, logs, code


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("specs", nargs="*", default=["specs/lenet5.cnn", "specs/vgg16.cnn", "specs/resnet50.cnn"])
    ap.add_argument("--cnnspec", default=".build/release/cnnspec")
    ap.add_argument("--out", default="out/browser")
    ap.add_argument("--structural-only", action="store_true", help="do not start a browser")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    chromium = None if args.structural_only else chromium_binary()
    if chromium is None and not args.structural_only:
        print("browser-check: chromium not found; running the structural checks of the HTML only")
    failures = []
    for spec in args.specs:
        name = os.path.splitext(os.path.basename(spec))[0]
        page = os.path.abspath(os.path.join(args.out, name + ".html"))
        subprocess.run([args.cnnspec, "report", spec, "--format", "html", "-o", page],
                       check=True, stderr=subprocess.DEVNULL)
        plan = json.loads(subprocess.run([args.cnnspec, "report", spec, "--format", "json"], check=True,
                                         capture_output=True, text=True).stdout)
        html = open(page, encoding="utf-8").read()
        rows, arcs = structural(name, html, plan, failures)
        line = f"{name:14s} {len(plan['layers']):4d} layers, {rows:3d} rows, {arcs:2d} skip arcs, {len(html) // 1024} KiB"
        if chromium:
            png = os.path.join(args.out, name)
            dom, log, code = render(chromium, "file://" + page, png, os.path.join(args.out, name + ".dom.html"))
            exp = expected(plan)
            m = re.search(r'<body[^>]*data-drawn="([^"]*)"', dom)
            if code != 0 or not os.path.exists(png + ".png") or not os.path.exists(png + "-open.png"):
                failures.append(f"{name}: chromium could not take a screenshot (exit {code})")
            if m is None:
                failures.append(f"{name}: the page's script did not run (no data-drawn in the DOM)")
            else:
                drawn = dict(kv.split("=") for kv in m.group(1).split())
                want = {"rows": rows, "layers": exp["layers"], "edges": exp["edges"],
                        "residual": exp["residual"], "concat": exp["concat"], "arcs": arcs}
                for k, v in want.items():
                    if int(drawn.get(k, -1)) != v:
                        failures.append(f"{name}: browser DOM has {k}={drawn.get(k)}, expected {v}")
                if int(drawn.get("width", 0)) < 600:
                    failures.append(f"{name}: the diagram is not laid out (width {drawn.get('width')})")
            errors = re.search(r'<html[^>]*data-errors="(\d+)"', dom)
            if errors:
                last = re.search(r'data-error-last="([^"]*)"', dom)
                failures.append(f"{name}: {errors.group(1)} script errors: {last.group(1) if last else ''}")
            console = [l for l in log.splitlines() if "CONSOLE" in l or "Uncaught" in l]
            if console:
                failures.append(f"{name}: console messages: {console[:3]}")
            line += f", browser ok, screenshots {png}.png, {png}-open.png"
        if shutil.which("dot"):
            # Graphviz is optional; when it is there, it must accept cnnspec's DOT text.
            text = subprocess.run([args.cnnspec, "report", spec, "--format", "dot"], check=True,
                                  capture_output=True, text=True).stdout
            gv = subprocess.run(["dot", "-Tsvg", "-o", os.path.join(args.out, name + ".dot.svg")], input=text,
                                capture_output=True, text=True, timeout=120)
            if gv.returncode != 0:
                failures.append(f"{name}: graphviz rejects the DOT report: {gv.stderr[:300]}")
            else:
                line += ", dot ok"
        print(line)
    for f in failures:
        print("FAIL " + f)
    if failures:
        return 1
    print("browser-check: all checks passed" + ("" if chromium else " (structural only)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
