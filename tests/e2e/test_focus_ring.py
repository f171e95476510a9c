"""Every element a keyboard reaches shows a focus ring (WCAG 2.4.7): tabbing through a
page with a header, tabs and a form, each focused element has a visible
outline or box-shadow, in a colour that stands out from what is behind it."""

import datetime

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || el.name || '').trim().slice(0, 30),
    tag: el.tagName.toLowerCase(),
    // Focus on a part of the browser's own control (a date input's calendar button) leaves
    // the input itself unfocused; Chromium rings that part itself.
    inBrowserPart: !el.matches(':focus'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    outlineColor: style.outlineColor,
  };
}"""


def test_every_focusable_element_on_a_page_shows_a_focus_ring(riverside, signed_in):
    initiative = riverside.start_initiative(
        "Poverty Reduction Roundtable", "Poverty", datetime.date(2026, 1, 5)
    )
    page = signed_in(riverside.coordinator)
    page.goto(f"/o/riverside/initiatives/{initiative.pk}/edit/")
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["what"] == seen[0]["what"]):
            break
        seen.append(focused)
    tags = {f["tag"] for f in seen}
    assert {"a", "summary", "input", "button"} <= tags, tags  # the walk went through the page
    ours = [f for f in seen if not f["inBrowserPart"]]
    assert len(ours) >= len(seen) - 1, seen  # only the one date input has such a part
    invisible = [f["what"] for f in ours if not (f["outline"] or f["shadow"])]
    assert not invisible, invisible
    # On the brand-coloured header the ring takes the accent colour (244, 201, 93).
    header_ring = {f["outlineColor"] for f in seen if f["tag"] == "summary"}
    assert header_ring == {"rgb(244, 201, 93)"}, header_ring
