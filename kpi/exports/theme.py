"""The projector theme shared by every export: Korean font, high-contrast colours, slide size."""

from __future__ import annotations

from kpi import colors

KOREAN_FONT = "Noto Sans CJK KR"  # ships with Debian's fonts-noto-cjk; PowerPoint on Windows falls back to 맑은 고딕
FONT_STACK = f"{KOREAN_FONT}, 'Noto Sans KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
INK = "#111111"  # text on white: contrast ratio above 18:1
MUTED = "#444444"
BACKGROUND = "#FFFFFF"
SAMPLE = "#B00020"  # the sample-data tag
SERIES = (colors.EXECUTION, colors.PACE, colors.OKABE_ITO[2], colors.OKABE_ITO[5], colors.OKABE_ITO[3])
WIDTH_PX, HEIGHT_PX = 1280, 720  # 16:9, the PNG/PDF page; the .pptx is 13.333 x 7.5 in
