"""The reader's header: the open article's title, feed, author, date and link, where its
text came from (the page, when full text replaced the feed's teaser), whether it is in the
Later queue, its labels, and the other feeds the same story came from."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from newsreader.models import Article
from newsreader.safety import clean_line, clean_url, is_safe_link


def format_time(timestamp: float | None) -> str:
    """Local date and time, or "" when unknown."""
    if timestamp is None:
        return ""
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""


class ArticleHeader(Static):
    """Title, feed, author, date and link of the open article, as plain text."""

    def show_article(self, article: Article | None) -> None:
        """Show ``article``'s header (or the empty-reader hint)."""
        if article is None:
            self.update(Text("Select an article and press enter to read it.", style="dim"))
            return
        text = Text()
        text.append(clean_line(article.title) or "(untitled)", style="bold")
        when = format_time(article.published or article.updated)
        if when and (article.date_kind == "updated" or article.published is None):
            when = "updated " + when  # the feed gave no publication date
        source = "full text" if article.text_source == "page" else ""
        meta = [clean_line(article.feed_title), clean_line(article.author), when, source]
        text.append("\n" + " · ".join(part for part in meta if part), style="italic")
        triage = ["in Later"] if article.in_later else []
        if article.also_in:
            triage.append("also in: " + ", ".join(clean_line(n) for n in article.also_in))
        if article.labels:
            triage.append("labels: " + ", ".join(clean_line(n) for n in article.labels))
        if triage:
            text.append("\n" + " · ".join(triage), style="bold")
        url = clean_url(article.url)
        if url:
            note = "" if is_safe_link(url) else "  (not an http(s) link: o will not open it)"
            text.append("\n" + url + note, style="dim underline" if not note else "dim")
        self.update(text)
