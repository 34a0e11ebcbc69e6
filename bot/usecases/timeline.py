"""/rejections: a person's rejections newest first, paged, to correct or delete one."""

from __future__ import annotations

from bot.actions import Action
from bot.models import Button, Context, Style, Text
from bot.store.records import Rejection
from bot.store.records_growth import RejectionEdit, TimelineEntry
from bot.usecases.care import despite, screen
from bot.usecases.checks import clean, in_range, parse_stage, row_id
from bot.usecases.kit import Kit, Me, find_me
from bot.usecases.outcome import Outcome
from bot.vocab import DIGITS_MAX, NAME_MAX, NOTE_MAX, UserError

PAGE_SIZE = 5
# Far past any real history, and small enough that offset * size stays a small number.
PAGE_MAX = 10**DIGITS_MAX // PAGE_SIZE


def _what(kit: Kit, rejection: Rejection) -> Text:
    """The rejection as a person names it: company and role, or that none was given."""
    if rejection.company and rejection.role:
        return kit.msg("timeline.at_as", company=rejection.company, role=rejection.role)
    if rejection.company or rejection.role:
        return Text.typed(rejection.company or rejection.role or "")
    return kit.msg("timeline.unnamed")


def described(kit: Kit, me: Me, rejection: Rejection) -> dict[str, Text | int]:
    """What every timeline message says of a rejection: number, who, stage and date."""
    day = rejection.created_at.astimezone(me.tz).date()
    return {
        "n": rejection.id,
        "what": _what(kit, rejection),
        "stage_label": kit.stage_label(rejection.stage),
        "day": Text.of(f"{day:%a} {day.day} {day:%b} {day.year}"),
    }


def entry_line(kit: Kit, me: Me, entry: TimelineEntry) -> Text:
    """One line of the timeline: number, who, stage, date, and whether reflected on."""
    mark = "timeline.reflected" if entry.reflected else "timeline.not_reflected"
    return kit.msg("timeline.item", **described(kit, me, entry.rejection), reflected=kit.msg(mark))


async def rejections_list(kit: Kit, ctx: Context, *, page: int | str | None = None) -> Outcome:
    """The person's rejections, newest first, a page at a time, with how to change one."""
    number = in_range(page, 1, PAGE_MAX, "timeline.bad_page") or 1
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        found = await u.timeline.page(me.id, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    if found.total == 0:
        return Outcome.of(me, [kit.private(kit.msg("timeline.empty"))])
    pages = -(-found.total // PAGE_SIZE)
    if not found.entries:
        # A page past the end: say where the end is instead of showing nothing.
        return Outcome.of(me, [kit.private(kit.msg("timeline.past_end", pages=pages))])
    text = Text()
    for index, entry in enumerate(found.entries):
        text += ("\n" if index else "") + entry_line(kit, me, entry)
    text += "\n\n" + kit.msg("timeline.hint", n=found.entries[0].rejection.id)
    buttons: list[Button] = []
    if number > 1:
        buttons.append(kit.button("timeline.button.newer", Action("timeline", "page", number - 1)))
    if number < pages:
        buttons.append(kit.button("timeline.button.older", Action("timeline", "page", number + 1)))
    title = kit.msg("timeline.title", page=number, pages=pages, total=found.total)
    return Outcome.of(me, [kit.private(text, title=title, buttons=tuple(buttons))])


def _id(value: int | str | None) -> int:
    """The rejection number a person typed; refused kindly when missing or not a number."""
    return row_id(value, "timeline.need_id", "timeline.bad_id")


def _edit_of(
    company: str | None, role: str | None, stage: str | None, note: str | None
) -> RejectionEdit:
    """The edit typed: a value given empty (`company:""`) clears that field."""

    def cleared(value: str | None) -> bool:
        return value is not None and not value.strip()

    return RejectionEdit(
        company=clean(company, "company", NAME_MAX),
        role=clean(role, "role", NAME_MAX),
        stage=None if stage is None or not stage.strip() else parse_stage(stage),
        note=clean(note, "note", NOTE_MAX),
        clear_company=cleared(company),
        clear_role=cleared(role),
        clear_note=cleared(note),
    )


async def rejections_edit(
    kit: Kit,
    ctx: Context,
    *,
    id: int | str | None = None,  # named as the option people type
    company: str | None = None,
    role: str | None = None,
    stage: str | None = None,
    note: str | None = None,
) -> Outcome:
    """Correct the company, role, stage or note of one of the person's rejections."""
    try:
        rejection_id = _id(id)
        edit = _edit_of(company, role, stage, note)
    except UserError as error:
        return await despite(kit, ctx, error, note)
    if edit.empty:
        raise UserError("timeline.edit_nothing", n=rejection_id)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        saved = await u.timeline.edit(rejection_id, me.id, edit)
        if saved is None:
            raise UserError("timeline.not_found", n=rejection_id)
        # A corrected note is free text like any other: the safety net reads it too.
        care = await screen(kit, u, me, edit.note)
    reply = kit.private(kit.msg("timeline.edited", **described(kit, me, saved)))
    return Outcome.of(me, [reply], care)


async def rejections_delete(
    kit: Kit,
    ctx: Context,
    *,
    id: int | str | None = None,  # named as the option people type
    confirmed: bool = False,
) -> Outcome:
    """Ask before deleting one of the person's rejections; delete it once confirmed."""
    rejection_id = _id(id)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        rejection = await u.rejections.get(rejection_id, me.id)
        if rejection is None:
            raise UserError("timeline.not_found", n=rejection_id)
        if confirmed:
            await u.timeline.delete(rejection_id, me.id)
    values = described(kit, me, rejection)
    if confirmed:
        return Outcome.of(me, [kit.private(kit.msg("timeline.deleted", **values))])
    delete = Action("timeline", "delete", rejection_id)
    buttons = (
        kit.button("timeline.button.delete", delete, Style.DANGER),
        kit.button("timeline.button.keep", Action("timeline", "keep", rejection_id)),
    )
    ask = kit.msg("timeline.delete_ask", **values)
    return Outcome.of(me, [kit.private(ask, buttons=buttons)])


async def kept(kit: Kit, ctx: Context, rejection_id: int) -> Outcome:
    """The person chose not to delete a rejection after all."""
    return Outcome([kit.private(kit.msg("timeline.kept", n=rejection_id))])
