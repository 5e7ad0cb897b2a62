"""HTML from Moodle becomes safe text: what a reader sees, and nothing that runs."""

from __future__ import annotations

import pytest

from course.interop.markup import escape_markdown, html_to_markdown, html_to_text, visible_text


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Match the <b>activity</b></p>", "Match the **activity**"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<br>b<br><br>c<br></p>", "a\\\nb\n\nc"),
        ('<a href="https://gov.pk/rules">rules</a>', "[rules](https://gov.pk/rules)"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<script>alert(1)</script>Hi<style>p{}</style>", "Hi"),
        ("<p onclick='x()'>5 * 3 &lt; 20 &amp; [x]</p>", "5 \\* 3 \\< 20 & \\[x\\]"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<!-- hidden -->shown", "shown"),
        ('<img src="@@PLUGINFILE@@/3.png" alt="A chart">', "A chart"),
        ("<p># not a heading</p>", "\\# not a heading"),
    ],
)
def test_html_becomes_markdown_without_tags(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown


def test_html_becomes_plain_text() -> None:
    assert html_to_text("<p>Hello <b>there</b></p><p>x &gt; y</p>") == "Hello there\n\nx > y"


@pytest.mark.parametrize("text", ["*not bold*", "1. not a list", "a_b_c", "[not](a link)", "# no"])
def test_plain_text_escaped_for_markdown_shows_as_written(text: str) -> None:
    assert visible_text(escape_markdown(text), "markdown") == text
