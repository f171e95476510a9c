"""Markdown is rendered and sanitized: nothing executable gets through."""

import pytest

from backbone.markdown import render_document_markdown as render_markdown

ATTACKS = [
    "<script>alert('x')</script>",
    "<style>body{display:none}</style>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><circle r="4"/></svg>',
    "<form action='https://evil.example'><input name=x></form>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_executable_survives(attack):
    html = render_markdown(f"Intro\n\n{attack}\n\nOutro").lower()
    for needle in ["<script", "<style", "onerror", "onload", "onmouseover", "javascript:",
                   "data:text", "style=", "<iframe", "<svg", "<form", "<input", "alert("]:  # fmt: skip
        assert needle not in html, (attack, html)
    assert "intro" in html and "outro" in html


def test_markdown_becomes_html_with_safe_links_and_tables():
    html = render_markdown(
        "# Why collective impact\n\n**Together** we *can*.\n\n- one\n- two\n\n"
        "[Vibrant Communities](https://www.tamarackcommunity.ca)\n\n"
        "| year | families |\n|---|---|\n| 2027 | 4210 |"
    )
    assert "<h2>Why collective impact</h2>" in html  # h1 is the section's own title
    assert "<strong>Together</strong>" in html and "<em>can</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://www.tamarackcommunity.ca"' in html and 'rel="noopener noreferrer"' in html
    assert "<td>4210</td>" in html


def test_plain_text_with_angle_brackets_is_escaped_not_dropped():
    assert "3 &lt; 5" in render_markdown("3 < 5")
