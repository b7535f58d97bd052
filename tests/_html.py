"""A strict HTML checker for the tests of what notebooks display (the reports' and reprs' HTML)."""

from html.parser import HTMLParser


class WellFormed(HTMLParser):
    """Every tag closed in order; the text content collected."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "col"}

    def __init__(self):
        super().__init__()
        self.stack, self.data, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.data.append(data.strip())


def parse(html_text):
    checker = WellFormed()
    checker.feed(html_text)
    checker.close()
    assert checker.stack == []
    return checker
