"""The reflection board of a phase: notes and votes by the backbone and the roundtable,
kept in the transition record when the phase changes."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from initiatives import figures_cache, services
from initiatives.models import Phase, PhaseTransition, ReflectionNote, ReflectionVote

from .factories import ReflectionNoteFactory, ReflectionVoteFactory
from .test_initiative_queries import queries_for


def board_url(initiative) -> str:
    return f"/o/riverside/initiatives/{initiative.pk}/reflections/"


def vote_url(note) -> str:
    return f"/o/riverside/initiatives/reflections/{note.pk}/vote/"


def test_staff_and_roundtable_add_notes_to_the_current_phase(world, login, initiative):
    for user, text in (
        (world.coordinator, "Data arrives late"),
        (world.roundtable, "No funder yet"),
    ):
        response = login(user).post(
            board_url(initiative),
            {"question": "missing", "text": text},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert text in response.content.decode()
        assert "Added your note" in response.content.decode()
    with scope(organization=world.org):
        notes = ReflectionNote.objects.filter(initiative=initiative)
        assert {(n.phase, n.question, n.author_name) for n in notes} == {
            (Phase.PRE_LAUNCH, "missing", world.coordinator.display_name),
            (Phase.PRE_LAUNCH, "missing", world.roundtable.display_name),
        }


def test_an_empty_note_is_refused_in_place_with_422(world, login, initiative):
    response = login(world.coordinator).post(
        board_url(initiative), {"question": "missing", "text": "  "}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    with scope(organization=world.org):
        assert not ReflectionNote.objects.exists()


def test_a_partner_neither_sees_nor_writes_the_board(world, login, initiative):
    note = ReflectionNoteFactory(initiative=initiative, text="Trust is thin")
    client = login(world.partner)
    assert (
        client.post(board_url(initiative), {"question": "missing", "text": "x"}).status_code == 403
    )
    assert client.post(vote_url(note)).status_code == 403
    html = client.get(f"/o/riverside/initiatives/{initiative.pk}/").content.decode()
    assert "Trust is thin" not in html


def test_a_vote_is_one_per_person_and_toggles(world, login, initiative):
    note = ReflectionNoteFactory(initiative=initiative)
    ReflectionVoteFactory(note=note, user=world.coordinator)
    client = login(world.roundtable)
    response = client.post(vote_url(note), headers={"HX-Request": "true"})
    assert "2 votes" in response.content.decode()
    assert 'aria-pressed="true"' in response.content.decode()
    response = client.post(vote_url(note), headers={"HX-Request": "true"})
    assert "1 vote" in response.content.decode()
    with scope(organization=world.org):
        assert list(ReflectionVote.objects.values_list("user", flat=True)) == [world.coordinator.pk]


def test_a_phase_change_keeps_the_board_in_the_transition_and_starts_a_fresh_one(
    world, login, initiative
):
    kept = ReflectionNoteFactory(initiative=initiative, question="working", text="Monthly huddles")
    ReflectionVoteFactory(note=kept, user=world.coordinator)
    ReflectionVoteFactory(note=kept, user=world.roundtable)
    with scope(organization=world.org):
        transition = services.initiative_change_phase(
            initiative=initiative,
            to_phase=Phase.INITIATE_ACTION,
            by=world.coordinator,
            confirm_open_items=True,
        )
        transition = PhaseTransition.objects.get(pk=transition.pk)
        assert transition.reflections == [
            {
                "question": "working",
                "phase": Phase.PRE_LAUNCH,
                "text": "Monthly huddles",
                "author": "Ada Lovelace",
                "votes": 2,
            }
        ]
        kept.refresh_from_db()
        assert kept.closed_by == transition
        with pytest.raises(ValidationError):
            services.reflection_vote_toggle(note=kept, by=world.admin)
    html = (
        login(world.roundtable).get(f"/o/riverside/initiatives/{initiative.pk}/").content.decode()
    )
    board, history = html.split('id="reflections"')[1].split("Timeline", 1)
    assert "Monthly huddles" not in board  # a fresh board for phase II
    assert "No notes yet." in board
    assert "Reflection board of I. Pre-launch" in history
    assert "Monthly huddles" in history and "2 votes" in history


def test_the_initiative_page_runs_the_same_queries_for_few_and_many_notes(world, login, initiative):
    client = login(world.roundtable)
    url = f"/o/riverside/initiatives/{initiative.pk}/"
    for _ in range(2):
        ReflectionVoteFactory(note__initiative=initiative, user=world.admin)
    small, _html = queries_for(client, url)
    for question in ("challenging", "missing", "working") * 5:
        ReflectionVoteFactory(
            note__initiative=initiative, note__question=question, user=world.admin
        )
    # Notes don't change the page's figures, kept a minute (test_initiative_figures_cache):
    # count them again, as on the first visit.
    figures_cache.figures_bump(world.org.pk)
    large, html = queries_for(client, url)
    assert small == large
    assert html.count('class="reflection-note"') == 17


def test_the_board_is_kept_per_reader_and_shows_each_note_and_vote_at_once(
    world, login, initiative
):
    """The board on the initiative's page is kept (initiatives.board_cache): a second visit
    draws it from the cache, yet a new note, a vote or a phase change shows on the next
    visit; whether "I voted" is each reader's own; the forms carry the reader's token."""
    from django.test import Client

    from initiatives.board_cache import STAND_IN

    url = f"/o/riverside/initiatives/{initiative.pk}/"
    note = ReflectionNoteFactory(initiative=initiative, text="Funders are <slow> & tired")
    coordinator = login(world.coordinator)
    first, html = queries_for(coordinator, url)
    kept, again = queries_for(coordinator, url)
    assert kept < first and again.count('class="reflection-note"') == 1
    assert "Funders are &lt;slow&gt; &amp; tired" in again and STAND_IN not in again

    with scope(organization=world.org):
        services.reflection_note_add(
            initiative=initiative, by=world.roundtable, question="working", text="Trust grows"
        )
    assert "Trust grows" in coordinator.get(url).content.decode()

    roundtable = Client(enforce_csrf_checks=True)
    roundtable.force_login(world.roundtable)
    page = roundtable.get(url).content.decode()
    token = roundtable.cookies["csrftoken"].value
    assert 'aria-pressed="true"' not in page and token not in page  # the form's token is masked
    voted = roundtable.post(vote_url(note), {"csrfmiddlewaretoken": _form_token(page)})
    assert voted.status_code in (200, 302)
    assert 'aria-pressed="true"' in roundtable.get(url).content.decode()  # their vote, at once
    assert 'aria-pressed="true"' not in coordinator.get(url).content.decode()  # not theirs
    assert "1 vote" in coordinator.get(url).content.decode()


def _form_token(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
