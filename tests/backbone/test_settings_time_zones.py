"""The settings page's time zone select: the ~600 zones are read and written once per
process, yet the page shows the organization's own zone, chosen, after every change."""

import re
import zoneinfo

from django import forms

from backbone.forms import OrganizationSettingsForm, TimeZoneSelect, time_zone_choices


def chosen_zone(html: str) -> str:
    select = re.search(r'<select name="time_zone".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]+)" selected>', select)


def test_the_cached_select_writes_what_a_plain_select_writes():
    choices = time_zone_choices()
    assert {tz for tz, _label in choices} == zoneinfo.available_timezones()
    plain = forms.Select(choices=choices)
    for value, attrs in [("Europe/Paris", {"id": "id_tz"}), ("", {"required": True})]:
        kept = TimeZoneSelect(choices=choices)
        first = kept.render("time_zone", value, attrs)
        assert first == plain.render("time_zone", value, attrs)
        assert kept.render("time_zone", value, attrs) == first


def test_the_page_shows_the_zone_chosen_after_each_save(world, login):
    client = login(world.admin)
    url = "/o/riverside/settings/"
    assert chosen_zone(client.get(url).content.decode()) == [world.org.time_zone]
    for zone in ("America/Vancouver", "Europe/Paris", "America/Vancouver"):
        form = OrganizationSettingsForm(instance=world.org)
        data = {name: form[name].value() for name in form.fields}
        data.update(time_zone=zone, name=world.org.name)
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        world.org.refresh_from_db()
        assert world.org.time_zone == zone
        assert chosen_zone(client.get(url).content.decode()) == [zone]


def test_an_unknown_zone_is_refused_and_shown_as_typed(world, login):
    client = login(world.admin)
    form = OrganizationSettingsForm(instance=world.org)
    data = {name: form[name].value() for name in form.fields}
    data["time_zone"] = "Mars/Olympus_Mons"
    response = client.post("/o/riverside/settings/", data)
    assert response.status_code == 422
    assert chosen_zone(response.content.decode()) == []


def test_the_fields_zones_are_read_as_they_are_and_shared_by_every_form(world):
    first, second = OrganizationSettingsForm(instance=world.org), OrganizationSettingsForm()
    assert first.fields["time_zone"].choices is second.fields["time_zone"].choices
    assert list(first.fields["time_zone"].choices) == list(time_zone_choices())
    assert list(first.fields["time_zone"].widget.choices) == list(time_zone_choices())
    assert first.fields["time_zone"].valid_value("Europe/Paris")
    assert not first.fields["time_zone"].valid_value("Mars/Olympus_Mons")
