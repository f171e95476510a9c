import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

from measures.charts import trend_svg
from measures.models import Indicator, Target
from measures.periods import parse_period

NS = {"svg": "http://www.w3.org/2000/svg"}


def chart(values, **fields):
    indicator = Indicator(
        name="Children ready for school <at K>", unit="percent", decimal_places=1, **fields
    )
    series = [
        (parse_period(f"2027-Q{i}", "quarterly"), Decimal(v)) for i, v in enumerate(values, start=1)
    ]
    targets = [Target(value=Decimal("80"), date=datetime.date(2029, 6, 30))]
    svg = trend_svg(indicator, series, targets=targets, width=400, height=200)
    return ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it


def test_the_chart_is_well_formed_xml_with_an_accessible_title():
    root = chart(["60", "70"], direction="up")
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # Its title, the alt text of pages, mails and tagged PDFs, says every value in words.
    assert root.find("svg:title", NS).text == (
        "Children ready for school <at K>: higher is better; approved values 2027-Q1 60.0 %, "
        "2027-Q2 70.0 %; target 80.0 % by 2029."
    )
    assert root.get("aria-label") == root.find("svg:title", NS).text


def test_points_sit_where_the_data_says():
    root = chart(["40", "60", "80"], direction="up", baseline_value=Decimal("40"))
    points = root.findall("svg:circle", NS)
    assert [p.get("data-period") for p in points] == ["2027-Q1", "2027-Q2", "2027-Q3"]
    ys = [float(p.get("cy")) for p in points]
    xs = [float(p.get("cx")) for p in points]
    assert ys[0] > ys[1] > ys[2]  # higher values are drawn higher
    assert xs[1] - xs[0] == xs[2] - xs[1]  # periods are evenly spaced
    assert (
        abs((ys[0] - ys[1]) - (ys[1] - ys[2])) < 0.2
    )  # equal steps in value, equal steps on screen
    target = root.find("svg:line[@class='target']", NS)
    assert float(target.get("y1")) == ys[2]  # the target of 80 is level with the value 80
    baseline = root.find("svg:line[@class='baseline']", NS)
    assert float(baseline.get("y1")) == ys[0]


def test_the_chart_shows_the_desired_direction_and_an_empty_state():
    root = chart([], direction="down")
    texts = "".join(root.itertext())
    assert "lower is better" in texts
    assert "No approved data yet" in texts
    assert root.findall("svg:circle", NS) == []


def test_the_chart_is_self_contained_for_pdfs():
    svg = ET.tostring(chart(["1", "2"], direction="up"), encoding="unicode")
    assert "<style" not in svg and "href" not in svg and "url(" not in svg
    assert 'font-family="sans-serif"' in svg


def test_period_labels_do_not_crowd_a_small_chart():
    indicator = Indicator(name="Hampers", unit="currency", decimal_places=0, direction="up")
    series = [
        (parse_period(f"{2020 + i // 4}-Q{i % 4 + 1}", "quarterly"), Decimal(1_000_000 + i))
        for i in range(12)
    ]
    root = ET.fromstring(trend_svg(indicator, series, width=320, height=180))  # noqa: S314
    labels = [t for t in root.findall("svg:text", NS) if t.text and "-Q" in t.text]
    assert labels[0].text == "2020-Q1" and labels[-1].text == "2022-Q4"
    xs = [float(t.get("x")) for t in labels]
    assert all(b - a >= 50 for a, b in zip(xs, xs[1:], strict=False))
    axis = [
        t
        for t in root.findall("svg:text", NS)
        if t.get("text-anchor") == "end" and t.text.startswith("$")
    ]
    assert all(
        float(t.get("x")) >= len(t.text) * 6 for t in axis
    )  # the axis labels are not cut off


def test_weasyprint_renders_the_chart_in_a_pdf():
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    indicator = Indicator(name="Hampers", unit="number", decimal_places=0, direction="up")
    series = [(parse_period(f"2027-Q{i}", "quarterly"), Decimal(900 + 40 * i)) for i in range(1, 5)]
    svg = trend_svg(indicator, series, width=400, height=200)
    pdf = HTML(string=f"<html><body><h1>Report card</h1>{svg}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Report card" in text
    assert "2027-Q1" in text and "higher is better" in text  # the chart's own text made it in
