#!/usr/bin/env python3
"""Draws the logos of the demo's two companies (generated shapes and text, no image of
anyone's) into key_account_management/demo/img/:

    python3 tools/kam_demo_logos.py

Huaxin Telecom: signal arcs over a dot, in blue; Precision Components: a gear, in teal;
each with the company's name in English and in Chinese (Noto Sans CJK when the machine
has it, else the Latin name only). Reports and the portal print them instead of Odoo's
"Your logo".
"""

import math
import os

from PIL import Image, ImageDraw, ImageFont

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "key_account_management", "demo", "img")
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
W, H = 600, 180


def font(path, size, index=0):
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError:
        return ImageFont.load_default()


def cjk_font(size):
    # index 2: Simplified Chinese of the collection (JP, KR, SC, TC... by build)
    for index in range(8):
        try:
            face = ImageFont.truetype(CJK, size, index=index)
        except OSError:
            return None
        if "SC" in " ".join(face.getname()):
            return face
    return None


def huaxin(draw, color):
    cx, cy = 90, 120
    draw.ellipse((cx - 12, cy - 12, cx + 12, cy + 12), fill=color)
    for radius in (40, 68, 96):
        draw.arc((cx - radius, cy - radius, cx + radius, cy + radius), 225, 315,
                 fill=color, width=14)


def gear(draw, color):
    cx, cy, outer, inner = 90, 90, 66, 50
    points = []
    teeth = 10
    for i in range(teeth * 4):
        angle = 2 * math.pi * i / (teeth * 4)
        radius = outer if i % 4 in (1, 2) else inner
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=color)
    draw.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), fill="white")


def logo(filename, symbol, color, english, chinese):
    image = Image.new("RGBA", (W, H), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    symbol(draw, color)
    draw.text((185, 30), english, font=font(LATIN, 40), fill=color)
    face = cjk_font(44)
    if face:
        draw.text((185, 90), chinese, font=face, fill="#444444")
    path = os.path.join(OUT, filename)
    image.save(path, optimize=True)
    print(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    logo("kam_demo_logo_huaxin.png", huaxin, "#1565C0", "HUAXIN TELECOM", "华信通信")
    logo("kam_demo_logo_precision.png", gear, "#00796B", "PRECISION", "精工零部件")


if __name__ == "__main__":
    main()
