"""Picture cards of the growth ledger, drawn with Pillow like those in bot/cards.py.

Rendering is CPU work: callers run these functions with asyncio.to_thread, never on the loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cards import ACCENT, HIGHLIGHT, MUTED, TEXT, WIDTH, _fit, _frame, _png, font

# The no's by stage, from the first stage to the last, in colours that stay apart on the panel.
STAGE_COLOURS = (
    (125, 211, 252),  # application
    (129, 140, 248),  # screen
    (192, 132, 252),  # technical
    (244, 114, 182),  # final
    (251, 191, 36),  # offer
    (148, 163, 184),  # other
)


@dataclass(frozen=True, slots=True)
class InsightsMonth:
    """One month of the insights card: its name, applications, and no's by stage."""

    label: str
    applications: int
    nos: tuple[int, ...]  # one count per stage, in STAGE_COLOURS' order


@dataclass(frozen=True, slots=True)
class InsightsCard:
    """What the insights card shows; labels come from prompts/, numbers from the store."""

    title: str
    subtitle: str
    applications_label: str
    nos_label: str
    stage_labels: tuple[str, ...]
    months: tuple[InsightsMonth, ...]
    footer: str


def insights_card(card: InsightsCard) -> bytes:
    """The insights card as PNG bytes: per month, an applications bar and a bar of no's."""
    height = 480
    image, draw = _frame(height)
    draw.text((40, 30), _fit(draw, card.title, 28, 720, bold=True), font=font(28, True), fill=TEXT)
    draw.text((40, 70), _fit(draw, card.subtitle, 18, 720), font=font(18), fill=MUTED)
    top, bottom = 120, 330
    tallest = max([1, *(max(m.applications, sum(m.nos)) for m in card.months)])
    scale = (bottom - top - 24) / tallest
    slot = (WIDTH - 80) // max(1, len(card.months))
    bar = min(48, slot // 3)
    draw.line((40, bottom, WIDTH - 40, bottom), fill=MUTED, width=1)
    for index, month in enumerate(card.months):
        left = 40 + index * slot + (slot - 2 * bar - 10) // 2
        # Applications: one bar, its number above it.
        height_a = round(month.applications * scale)
        draw.rounded_rectangle((left, bottom - height_a, left + bar, bottom), 6, ACCENT)
        draw.text((left, bottom - height_a - 22), str(month.applications), font=font(16), fill=TEXT)
        # No's: one bar stacked by stage, the first stage at the bottom.
        x, y = left + bar + 10, bottom
        for count, colour in zip(month.nos, STAGE_COLOURS, strict=False):
            if count:
                step = round(count * scale)
                draw.rectangle((x, y - step, x + bar, y), fill=colour)
                y -= step
        draw.text((x, y - 22), str(sum(month.nos)), font=font(16), fill=TEXT)
        label = _fit(draw, month.label, 16, slot - 8)
        width = draw.textlength(label, font=font(16))
        draw.text(
            (40 + index * slot + (slot - width) / 2, bottom + 8), label, font=font(16), fill=MUTED
        )
    # The legend: applications, then the no's by each stage that appears on the card.
    shown = [i for i in range(len(card.stage_labels)) if any(m.nos[i] for m in card.months)]
    x, y = 40, 366
    entries: list[tuple[tuple[int, int, int] | None, str]] = [
        (ACCENT, card.applications_label),
        (None, card.nos_label),
        *((STAGE_COLOURS[i], card.stage_labels[i]) for i in shown),
    ]
    for colour, text in entries:
        width = draw.textlength(text, font=font(15)) + (20 if colour else 0)
        if x + width > WIDTH - 40:
            x, y = 40, y + 26
        if colour is not None:
            draw.rectangle((x, y + 3, x + 14, y + 17), fill=colour)
        draw.text(
            (x + (20 if colour else 0), y), text, font=font(15), fill=TEXT if colour else MUTED
        )
        x += width + 18
    draw.text((40, height - 52), _fit(draw, card.footer, 16, 720), font=font(16), fill=MUTED)
    return _png(image)


@dataclass(frozen=True, slots=True)
class LedgerCard:
    """What the ledger card shows: a title, the month, and one tile per count."""

    title: str
    subtitle: str
    stats: tuple[tuple[str, str], ...]


def ledger_card(card: LedgerCard) -> bytes:
    """The ledger card as PNG bytes: a grid of tiles, four to a row."""
    columns, tile_w, tile_h, gap = 4, 170, 110, 14
    rows = max(1, -(-len(card.stats) // columns))
    height = 130 + rows * (tile_h + gap) + 30
    image, draw = _frame(height)
    draw.text((40, 30), _fit(draw, card.title, 28, 720, bold=True), font=font(28, True), fill=TEXT)
    draw.text((40, 70), _fit(draw, card.subtitle, 18, 720), font=font(18), fill=MUTED)
    for index, (label, value) in enumerate(card.stats):
        row, column = divmod(index, columns)
        x, y = 40 + column * (tile_w + gap), 118 + row * (tile_h + gap)
        draw.rounded_rectangle((x, y, x + tile_w, y + tile_h), 12, fill=HIGHLIGHT)
        colour = ACCENT if value not in ("0", "") else MUTED
        number = _fit(draw, value, 40, tile_w - 28, bold=True)
        draw.text((x + 14, y + 12), number, font=font(40, True), fill=colour)
        draw.text((x + 14, y + 72), _fit(draw, label, 15, tile_w - 28), font=font(15), fill=TEXT)
    return _png(image)
