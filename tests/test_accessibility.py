"""Every page under /o/<org_slug>/ that answers with HTML is checked for the basics a
screen-reader user needs: one main landmark, a label for every form control, alt text on
every image. New pages join by themselves (the same walk as the isolation test)."""

from html.parser import HTMLParser

import pytest

from .test_isolation import OBJECT_MAKERS, URLS, fill

HIDDEN_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.mains = 0
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.mains += 1
        elif tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src", "?"))
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and attrs.get("type", "text") in HIDDEN_TYPES:
                return
            self.controls.append({**attrs, "_tag": tag, "_in_label": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self.open_labels:
            self.open_labels -= 1

    def unlabelled(self) -> list[str]:
        return [
            f"<{c['_tag']} name={c.get('name')!r} id={c.get('id')!r}>"
            for c in self.controls
            if not (
                c["_in_label"]
                or c.get("id") in self.label_for
                or c.get("aria-label")
                or c.get("aria-labelledby")
            )
        ]


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_each_page_has_a_main_landmark_labelled_controls_and_image_alt_text(
    world, login, name, kwargs
):
    assert all(k in OBJECT_MAKERS for k in kwargs)
    url = fill(name, kwargs, slug_of=world.org, objects_of=world.org)
    response = login(world.admin).get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        pytest.skip(f"{url} answers {response.status_code} {response['Content-Type']}")
    body = response.content.decode()
    audit = PageAudit()
    audit.feed(body)
    if 'class="site-header"' in body:  # an app page (a newsletter preview is a mail, not a page)
        assert audit.mains == 1, f"{url}: {audit.mains} <main> elements"
    assert not audit.unlabelled(), f"{url}: controls without a label: {audit.unlabelled()}"
    assert not audit.images_without_alt, f"{url}: images without alt: {audit.images_without_alt}"


def test_the_audit_finds_an_unlabelled_control_and_accepts_the_labelled_ones():
    audit = PageAudit()
    audit.feed(
        '<main><label for="a">A</label><input id="a"><label>B <select name="b"></select></label>'
        '<input aria-label="C" name="c"><input type="hidden" name="h"><textarea name="bare"></textarea>'
        '<img src="logo.svg"></main>'
    )
    assert audit.unlabelled() == ["<textarea name='bare' id=None>"]
    assert audit.images_without_alt == ["logo.svg"]
