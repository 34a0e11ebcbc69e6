"""The growth ledger's cards: golden images, size, and alt text that says what they show."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from bot.cards_growth import InsightsCard, InsightsMonth, LedgerCard, insights_card, ledger_card
from tests.conftest import in_channel

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

SAMPLE_INSIGHTS = InsightsCard(
    title="What your applications and no's show",
    subtitle="September to December 2026",
    applications_label="Applications",
    nos_label="No's by stage:",
    stage_labels=(
        "application",
        "screening",
        "technical interview",
        "final round",
        "offer",
        "hiring",
    ),
    months=(
        InsightsMonth("Sep", 3, (1, 0, 0, 0, 0, 0)),
        InsightsMonth("Oct", 6, (1, 2, 0, 1, 0, 0)),
        InsightsMonth("Nov", 8, (2, 1, 1, 0, 0, 1)),
        InsightsMonth("Dec", 10, (0, 2, 1, 1, 0, 0)),
    ),
    footer="Most no's at the screening stage (5)",
)


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def golden_difference(data: bytes, name: str, size: tuple[int, int]) -> float:
    """How far a card is from its golden image (mean per channel, the worst channel)."""
    image = decode(data).convert("RGB")
    golden = decode((GOLDEN / name).read_bytes()).convert("RGB")
    assert image.size == golden.size == size
    return max(ImageStat.Stat(ImageChops.difference(image, golden)).mean)


def test_the_insights_card_matches_its_golden_image_and_stays_small():
    data = insights_card(SAMPLE_INSIGHTS)
    assert len(data) < 200_000
    # A small tolerance absorbs font-rasteriser differences; a moved or missing bar does not.
    assert golden_difference(data, "insights.png", (800, 480)) < 1.5


def test_a_missing_bar_is_noticed_by_the_golden_check():
    months = (*SAMPLE_INSIGHTS.months[:3], InsightsMonth("Dec", 0, (0,) * 6))
    changed = InsightsCard(**{**_fields(SAMPLE_INSIGHTS), "months": months})
    assert golden_difference(insights_card(changed), "insights.png", (800, 480)) >= 1.5


def _fields(card: InsightsCard) -> dict:
    return {name: getattr(card, name) for name in card.__slots__}


async def test_insights_come_privately_with_a_card_whose_alt_text_says_the_same(core, clock):
    for n in range(4):
        await core.applied(in_channel(), company=f"Co {n}")
    await core.rejected(in_channel(), company="Acme", stage="screen")
    clock.advance(timedelta(days=7))  # into December
    await core.rejected(in_channel(), company="Initech", stage="final")
    [reply] = await core.insights(in_channel())
    assert reply.where.value == "private"
    [card] = reply.attachments
    assert card.filename == "insights.png" and card.content_type == "image/png"
    assert len(card.data) < 200_000 and decode(card.data).size == (800, 480)
    assert card.description.startswith("Insights card: applications and no's by month")
    assert "November: 4 applications, 1 no (1 screening)" in card.description
    assert "December: 0 applications, 1 no (1 final round)" in card.description
    assert "November: 4 applications, 1 no (1 screening)" in reply.text.plain()


SAMPLE_LEDGER = LedgerCard(
    title="What your no's gave you this month",
    subtitle="November 2026, in your own numbers",
    stats=(
        ("No's logged", "4"),
        ("Applications", "10"),
        ("Reflections", "2"),
        ("Skills worked on", "1"),
        ("Skills closed", "0"),
        ("Follow-ups sent", "1"),
        ("Steps done", "1"),
        ("Connections", "1"),
    ),
)


def test_the_ledger_card_matches_its_golden_image_and_stays_small():
    data = ledger_card(SAMPLE_LEDGER)
    assert len(data) < 200_000
    assert golden_difference(data, "ledger.png", (800, 408)) < 1.5
