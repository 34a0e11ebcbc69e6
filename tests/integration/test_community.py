"""The community side on a real SQLite file: boards, digests, milestones, admins, cards."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from bot import cards, streaks
from bot.core import ALL_TIME, window_keys
from bot.models import CommunityRef, Context, PersonRef, Where
from bot.reminders import ReminderEngine
from bot.store import Store, StreakRow
from tests.conftest import COMMUNITY, in_channel, in_dm, person, text_of

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
MEMBERS = 300


def admin(name: str = "Alex") -> Context:
    return Context(person(name), COMMUNITY, "channel-1", is_admin=True)


class Poster:
    """A Messenger double that records channel posts."""

    def __init__(self) -> None:
        self.posts: list[tuple[CommunityRef, str, str]] = []
        self.dms: list[str] = []

    async def send_dm(self, person, reply, *, key=None) -> None:
        self.dms.append(reply.text.plain())

    async def post(self, community, channel_id, reply) -> None:
        self.posts.append((community, channel_id, reply.title.plain() + "\n" + reply.text.plain()))


# -- boards on a community of several hundred ----------------------------------------------


async def seed(store: Store, now: datetime) -> dict[str, dict]:
    """300 members with known effort; every third one has not opted in."""
    rng = random.Random(42)
    week_key, month_key = window_keys(now.date())
    index = streaks.period_index(now, streaks_zone())
    people: dict[str, dict] = {}
    for n in range(MEMBERS):
        name = f"Member {n:03d}"
        row = await store.people.ensure(PersonRef("test", f"m{n}", name), now)
        community_id = await store.people.join(row.id, COMMUNITY, now)
        opted = n % 3 != 0
        await store.people.set_leaderboard(row.id, community_id, opted)
        # Small ranges make many ties, so the name tie-break is exercised.
        current = rng.randint(0, 6)
        week, month = rng.randint(0, 8), rng.randint(0, 20)
        total = month + rng.randint(0, 30)
        last = index if current else None
        await store.effort.save_streak(
            row.id, StreakRow(current, current, 0, last, week, total), now
        )
        # Points are only ever added, so a window without effort has no row at all.
        for key, points in ((week_key, week), (month_key, month), (ALL_TIME, total)):
            if points:
                await store.effort.add_period_points(row.id, [key], points)
        people[name] = {
            "id": row.id,
            "opted": opted,
            "streak": current,
            "week": week,
            "month": month,
            "total": total,
        }
    return people


def streaks_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("UTC")


def points_in(person: dict, view: str) -> int:
    return person["total" if view == "all" else view]


def expected_order(people: dict[str, dict], view: str) -> list[str]:
    """Opted-in members with effort in the window: most points first, ties by name, then id."""
    members = [(n, p) for n, p in people.items() if p["opted"] and points_in(p, view)]
    members.sort(key=lambda item: (-points_in(item[1], view), item[0].lower(), item[1]["id"]))
    return [name for name, _ in members]


def expected_rank(people: dict[str, dict], view: str, name: str) -> int:
    """Equal points share a place: one more than the number of members with more points."""
    mine = points_in(people[name], view)
    return 1 + sum(1 for p in people.values() if p["opted"] and points_in(p, view) > mine)


def names_on(text: str) -> list[str]:
    return [
        line.split(". ", 1)[1].split(":")[0] for line in text.splitlines() if ". Member" in line
    ]


@pytest.mark.parametrize("view", ["week", "month", "all"])
async def test_board_top_ten_and_neighbours_match_the_known_answer(core, store, clock, view):
    people = await seed(store, clock.now())
    order = expected_order(people, view)
    assert 150 < len(order) <= 200  # most opted-in members have effort in any window
    ranks = [expected_rank(people, view, name) for name in order]
    assert len(set(ranks)) < len(ranks)  # ties are exercised
    for caller in (order[0], order[11], order[120], order[-1]):
        replies = await core.leaderboard(
            Context(PersonRef("test", f"m{int(caller[-3:])}", caller), COMMUNITY, "c"), view=view
        )
        text = text_of(replies)
        place = order.index(caller)
        window = order[max(0, place - 2) : place + 3]
        expected = list(dict.fromkeys(order[:10] + (window if place >= 10 else [])))
        assert names_on(text) == expected, (view, caller)
        for line in text.splitlines():
            if ". Member" in line:
                rank, name = line.split(". ", 1)[0], line.split(". ", 1)[1].split(":")[0]
                assert int(rank) == expected_rank(people, view, name), (view, line)
        gap = place - 2 > 10  # rows between the top ten and the caller's neighbours
        assert ("…" in text) == gap, (view, caller)
        rank = expected_rank(people, view, caller)
        assert f"You're number {rank} of {len(order)}" in text


async def test_an_opted_in_member_without_effort_in_the_window_is_told_how_to_appear(
    core, store, clock
):
    people = await seed(store, clock.now())
    idle = next(n for n, p in people.items() if p["opted"] and not p["week"])
    text = text_of(
        await core.leaderboard(
            Context(PersonRef("test", f"m{int(idle[-3:])}", idle), COMMUNITY, "c"), view="week"
        )
    )
    assert idle not in names_on(text) and "You're number" not in text
    assert "Nothing is logged for you this week yet" in text


async def test_people_who_have_not_opted_in_appear_nowhere_on_the_board(core, store, clock):
    people = await seed(store, clock.now())
    hidden = {name for name, p in people.items() if not p["opted"]}
    outsider = next(iter(sorted(hidden)))
    replies = await core.leaderboard(
        Context(PersonRef("test", f"m{int(outsider[-3:])}", outsider), COMMUNITY, "c"), view="all"
    )
    reply = replies[0]
    text = text_of(replies)
    assert "Join to appear" in text and "You're number" not in text
    assert not hidden & set(names_on(text))
    assert not any(name in reply.attachments[0].description for name in hidden)
    assert reply.buttons[0].action_id == "board:join"


async def test_week_boundaries_follow_the_community_timezone(core, store, clock):
    await core.admin(admin(), timezone="Europe/Berlin")
    await core.leaderboard(in_channel("Ada"), "join")
    # Sunday 23:30 UTC is already Monday 00:30 in Berlin: it counts in the new week.
    clock.set(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    await core.checkin(in_channel("Ada"), mood=3)
    clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    assert "1. Ada: 1 point" in text_of(await core.leaderboard(in_channel("Ada")))


# -- digests ----------------------------------------------------------------------------------


async def test_the_digest_is_posted_once_a_week_even_across_a_restart(core, store, clock, content):
    await core.admin(admin(), channel="#wins", day="friday", hour="16", timezone="Europe/Berlin")
    for name in ("Ada", "Bea"):
        await core.checkin(in_channel(name), mood=4)
    clock.set(datetime(2026, 11, 27, 14, 59, tzinfo=UTC))  # 15:59 in Berlin
    poster = Poster()
    engine = ReminderEngine(store, core, clock)
    engine.register("test", poster)
    assert await engine.post_digests() == 0
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # the posting minute
    assert await engine.post_digests() == 1
    restarted = ReminderEngine(store, core, clock)  # as after a restart, at the same minute
    restarted.register("test", poster)
    assert await restarted.post_digests() == 0
    assert len(poster.posts) == 1
    community, channel, text = poster.posts[0]
    assert channel == "wins" and community.community_id == COMMUNITY.community_id
    assert "2 check-ins" in text
    clock.advance(timedelta(days=7))
    assert await restarted.post_digests() == 1
    assert len(poster.posts) == 2


async def test_the_digest_names_only_people_who_opted_in_and_never_rejections(core, store, clock):
    await core.admin(admin(), channel="wins", day="monday", hour="9")
    await core.rejected(
        in_channel("Ada"), company="Secret Corp", note="private note", stage="final"
    )
    me = {}
    for name, shout in (("Ada", True), ("Bea", False)):
        await core.checkin(in_channel(name), mood=3)
        if shout:
            await core.settings(in_channel(name), shoutouts="on")
        me[name] = await store.people.find("test", name.lower())
        await store.effort.record_milestone(me[name].id, 4, clock.now())
    reply = await core.digest(
        (await store.people.join(me["Ada"].id, COMMUNITY, clock.now())),
        clock.now() + timedelta(days=1),
    )
    text = reply.text.plain()
    assert reply.where is Where.CHANNEL
    assert "Ada: 4 weeks in a row" in text
    assert "Bea" not in text
    for secret in ("Secret Corp", "private note", "final", "reject"):
        assert secret not in text


# -- milestones -------------------------------------------------------------------------------


async def test_four_weeks_in_a_row_is_celebrated_in_dm_and_by_choice_in_the_channel(core, clock):
    await core.settings(in_channel("Ada"), shoutouts="on")
    for week in range(4):
        replies = await core.checkin(in_channel("Ada"), mood=3)
        if week < 3:
            clock.advance(timedelta(days=7))
    dm = [r for r in replies if r.where is Where.DM]
    post = [r for r in replies if r.where is Where.CHANNEL]
    assert dm and "4 weeks in a row" in dm[0].title.plain()
    assert post and "Ada" in post[0].text.plain()
    for week in range(4):
        quiet = await core.checkin(in_channel("Bea"), mood=3)
        if week < 3:
            clock.advance(timedelta(days=7))
    assert [r.where for r in quiet].count(Where.CHANNEL) == 0  # Bea did not opt in
    assert [r.where for r in quiet].count(Where.DM) == 1


# -- admins -----------------------------------------------------------------------------------


async def test_only_admins_change_settings_and_every_change_is_logged(core, store, clock):
    refused = await core.admin(in_channel("Sam"), sharing="off")
    assert "Only this community's admins" in text_of(refused)
    assert "Community settings live in a community channel" in text_of(await core.admin(in_dm()))
    saved = await core.admin(admin(), sharing="off", period="daily", support="Ask in #help")
    text = text_of(saved)
    assert "Sharing posts: off" in text and "Streaks count: days" in text
    assert "Ask in #help" in text
    community_id = await store.people.join(
        (await store.people.find("test", "alex")).id, COMMUNITY, clock.now()
    )
    log = await store.community.changes(community_id)
    assert {(r.key, r.new_value, r.display_name) for r in log} == {
        ("sharing", "off", "Alex"),
        ("streak_period", "day", "Alex"),
        ("support_text", "Ask in #help", "Alex"),
    }
    assert all(r.changed_at == datetime(2026, 11, 26, 15, 0, tzinfo=UTC) for r in log)
    bad = await core.admin(admin(), day="someday")
    assert "day of the week" in text_of(bad)


async def test_community_switches_take_effect(core, clock):
    await core.admin(admin(), sharing="off", leaderboard="off", period="day")
    logged = await core.rejected(in_channel("Sam"), stage="final")
    assert not any(b.action_id.startswith("share:") for b in logged[0].buttons)
    refused = await core.press(
        in_channel("Sam"), logged[0].buttons[0].action_id.replace("reflect:start", "share:named")
    )
    assert "switched off" in text_of(refused)
    assert "switched off" in text_of(await core.leaderboard(in_channel("Sam")))
    await core.checkin(in_channel("Sam"), mood=3)
    clock.advance(timedelta(days=1))
    replies = await core.checkin(in_channel("Sam"), mood=3)
    assert "Your resilience streak: 2 days" in text_of(replies)
    assert "Current streak: 2 days" in text_of(await core.streak(in_channel("Sam")))


# -- cards ------------------------------------------------------------------------------------


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def test_streak_card_decodes_has_alt_text_and_stays_small(core, clock):
    for _ in range(3):
        await core.checkin(in_channel(), mood=4)
        clock.advance(timedelta(days=8))
    reply = (await core.streak(in_channel()))[0]
    [card] = reply.attachments
    assert card.content_type == "image/png" and len(card.data) < 200_000
    assert decode(card.data).size == (800, 400)
    assert "Current streak: 3 weeks. Best: 3 weeks." in card.description
    assert "Active on 3 days in the last 12 weeks" in card.description


SAMPLE_STREAK = cards.StreakCard(
    title="Your resilience streak",
    name="Ada Lovelace",
    current_label="Current streak",
    current="5 weeks",
    stats=(("Best streak", "8 weeks"), ("Reserves", "1 / 2"), ("Points this week", "6")),
    heatmap_label="Last 12 weeks",
    levels=tuple(tuple((w * 7 + d) % 5 for d in range(7)) for w in range(12)),
)
SAMPLE_BOARD = cards.BoardCard(
    title="Resilience board · Terminal: this week",
    subtitle="Effort only: reflections, check-ins, follow-ups and next steps. Never rejections.",
    rows=tuple(
        cards.BoardRowCard(
            rank, f"Person {rank}", f"{40 - rank} points, streak {rank % 6} weeks", mine=rank == 13
        )
        for rank in [*range(1, 11), 11, 12, 13, 14, 15]
    ),
    footer="You're number 13 of 40.",
)


@pytest.mark.parametrize(
    ("name", "render", "sample"),
    [("streak", cards.streak_card, SAMPLE_STREAK), ("board", cards.board_card, SAMPLE_BOARD)],
)
def test_cards_match_their_golden_images(name, render, sample):
    image = decode(render(sample)).convert("RGB")
    golden = decode((GOLDEN / f"{name}.png").read_bytes()).convert("RGB")
    assert image.size == golden.size
    # A small tolerance absorbs font-rasteriser differences; a moved or missing element does not.
    difference = ImageStat.Stat(ImageChops.difference(image, golden)).mean
    assert max(difference) < 1.5, difference
