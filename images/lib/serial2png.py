"""Render the tail of a serial console log as a PNG "screenshot" (needs Pillow: apt-get install python3-pil).

usage: serial2png.py SERIAL.log OUT.png [LINES] [--from TEXT]   (--from: start at the last line containing TEXT)
"""

import re
import sys

from PIL import Image, ImageDraw, ImageFont

args = sys.argv[1:]
start_at = None
if "--from" in args:
    i = args.index("--from")
    start_at = args[i + 1]
    del args[i : i + 2]
log, out = args[0], args[1]
count = int(args[2]) if len(args) > 2 else 40
with open(log, errors="replace") as f:
    text = f.read()
text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "", text)
lines = [line.rstrip() for line in text.split("\n")]
if start_at:
    hits = [i for i, line in enumerate(lines) if start_at in line]
    if hits:
        lines = lines[max(0, hits[-1] - count // 2) :]
lines = [line.expandtabs()[:110] for line in lines[-count:]] if not start_at else lines[:count]
font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 14)
w, h = 110 * 9 + 20, len(lines) * 18 + 20
img = Image.new("RGB", (w, h), (12, 12, 12))
draw = ImageDraw.Draw(img)
for n, line in enumerate(lines):
    colour = (120, 230, 120) if ("setup code" in line or "Open  http" in line) else (215, 215, 215)
    draw.text((10, 10 + n * 18), line, font=font, fill=colour)
img.save(out)
