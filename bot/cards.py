"""Picture cards for /streak and /leaderboard, drawn with Pillow.

Rendering is CPU work: callers run these functions with asyncio.to_thread, never on the loop.
Every card has an opaque background and its own contrast, so it reads the same in light and dark
chat themes, and uses the bundled DejaVu font, so it renders the same on every machine.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

WIDTH = 800
BACKGROUND = (24, 32, 44)
PANEL = (35, 46, 62)
BORDER = (70, 86, 110)
TEXT = (241, 245, 249)
MUTED = (160, 174, 192)
ACCENT = (94, 234, 160)
HIGHLIGHT = (52, 72, 98)
# Activity levels from nothing to a lot: dim slate to bright green.
LEVELS = ((48, 60, 78), (22, 101, 72), (28, 150, 96), (52, 199, 120), (110, 240, 160))
MAX_BYTES = 200_000


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled DejaVu Sans at a size."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    data = resources.files("bot.assets").joinpath("fonts", name).read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, bold: bool = False) -> str:
    """text, shortened with an ellipsis until it fits width at size."""
    face = font(size, bold)
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_BYTES:  # a palette image of the same card is far smaller
        out = io.BytesIO()
        image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(out, format="PNG")
        data = out.getvalue()
    return data


def _frame(height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, WIDTH - 9, height - 9), radius=18, fill=PANEL, outline=BORDER)
    return image, draw


@dataclass(frozen=True, slots=True)
class StreakCard:
    """What the streak card shows; labels come from prompts/, values from the store."""

    title: str
    name: str
    current_label: str
    current: str
    stats: tuple[tuple[str, str], ...]
    heatmap_label: str
    levels: tuple[tuple[int, ...], ...]  # 12 weeks, oldest first, 7 days each (0-4)


def streak_card(card: StreakCard) -> bytes:
    """The streak card as PNG bytes."""
    image, draw = _frame(400)
    draw.text((40, 34), _fit(draw, card.title, 30, 460, bold=True), font=font(30, True), fill=TEXT)
    draw.text((40, 76), _fit(draw, card.name, 20, 460), font=font(20), fill=MUTED)
    draw.text((40, 130), card.current_label, font=font(18), fill=MUTED)
    draw.text(
        (40, 154), _fit(draw, card.current, 56, 330, bold=True), font=font(56, True), fill=ACCENT
    )
    y = 250
    for label, value in card.stats:
        draw.text((40, y), label, font=font(18), fill=MUTED)
        draw.text((250, y), value, font=font(18, True), fill=TEXT)
        y += 34
    # The heatmap: one column a week, Monday at the top, like a contribution graph.
    cell, gap = 22, 5
    left, top = WIDTH - 40 - 12 * (cell + gap) + gap, 150
    draw.text((left, 118), card.heatmap_label, font=font(16), fill=MUTED)
    for column, week in enumerate(card.levels[-12:]):
        for row, level in enumerate(week[:7]):
            x, y0 = left + column * (cell + gap), top + row * (cell + gap)
            color = LEVELS[max(0, min(level, len(LEVELS) - 1))]
            draw.rounded_rectangle((x, y0, x + cell, y0 + cell), radius=5, fill=color)
    return _png(image)


@dataclass(frozen=True, slots=True)
class BoardRowCard:
    """One row of the board card."""

    rank: int
    name: str
    detail: str
    mine: bool = False
    after_gap: bool = False


@dataclass(frozen=True, slots=True)
class BoardCard:
    """What the leaderboard card shows."""

    title: str
    subtitle: str
    rows: tuple[BoardRowCard, ...]
    footer: str


def board_card(card: BoardCard) -> bytes:
    """The leaderboard card as PNG bytes."""
    row_height = 44
    height = 150 + row_height * max(1, len(card.rows)) + 40
    image, draw = _frame(height)
    draw.text((40, 30), _fit(draw, card.title, 28, 720, bold=True), font=font(28, True), fill=TEXT)
    draw.text((40, 70), _fit(draw, card.subtitle, 18, 720), font=font(18), fill=MUTED)
    y = 118
    for row in card.rows:
        if row.after_gap:
            draw.text((40, y - 10), "⋯", font=font(20), fill=MUTED)
            y += 14
        if row.mine:
            draw.rounded_rectangle((28, y - 6, WIDTH - 28, y + row_height - 10), 10, HIGHLIGHT)
        draw.text((44, y), f"{row.rank}.", font=font(20, True), fill=ACCENT)
        draw.text((110, y), _fit(draw, row.name, 20, 330, bold=row.mine), font=font(20), fill=TEXT)
        detail = _fit(draw, row.detail, 18, 300)
        width = draw.textlength(detail, font=font(18))
        draw.text((WIDTH - 48 - width, y + 2), detail, font=font(18), fill=MUTED)
        y += row_height
    draw.text((40, height - 56), _fit(draw, card.footer, 16, 720), font=font(16), fill=MUTED)
    return _png(image)
