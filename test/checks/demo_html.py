#!/usr/bin/env python3
"""Check the demo's HTML report as Chromium rendered it.

  demo_html.py DOM.html SHOT.png CHART_NAME...

DOM.html is Chromium's --dump-dom of the report, SHOT.png its screenshot.
Every chart named must be present with at least two data points and two
drawn marks; the screenshot must be a real picture (many colours, not one
blank page).  The PNG is decoded with the standard library only.
"""
import re
import struct
import sys
import zlib


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path} is not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise SystemExit(f"unexpected PNG format depth={depth} colour type={ctype}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main(dom_path, shot_path, names):
    dom = open(dom_path, encoding="utf-8").read()
    bad = []
    for name in names:
        m = re.search(r'<figure class="chart" data-chart="%s" data-points="(\d+)">(.*?)</figure>' % re.escape(name), dom, re.S)
        if not m:
            bad.append(f"chart {name}: missing from the rendered page")
            continue
        marks = len(re.findall(r'class="mark"', m.group(2)))
        if int(m.group(1)) < 2 or marks < 1 or "<svg" not in m.group(2):
            bad.append(f"chart {name}: empty ({m.group(1)} data points, {marks} marks)")
        else:
            print(f"chart {name}: {m.group(1)} data points, {marks} marks")
    if "<table" not in dom:
        bad.append("the report sections (tables) are missing")
    w, h, bpp, rows = png_pixels(shot_path)
    colours = set()
    non_white = 0
    for row in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            px = row[x:x + 3]
            colours.add(px)
            if px != b"\xff\xff\xff":
                non_white += 1
    share = non_white / max(1, len(rows[::4]) * len(range(0, w * bpp, bpp * 4)))
    print(f"screenshot {w}x{h}: {len(colours)} colours, {share:.1%} of sampled pixels not white")
    blue = sum(1 for c in colours if c[2] > 180 and c[0] < 80)
    if len(colours) < 20 or share < 0.02 or blue == 0:
        bad.append("the screenshot looks blank (too few colours, or no chart colour)")
    if bad:
        print("\n".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
