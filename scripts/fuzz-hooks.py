"""Schemathesis hooks for the fuzz stage (scripts/fuzz.ts loads this file via SCHEMATHESIS_HOOKS).

The API's text pattern refuses control characters and lone surrogates, e.g.
`^[^\\u0000-\\u001F\\u007F\\uD800-\\uDFFF]*$`. Schemathesis validates and generates with a Rust
regex engine, which cannot express surrogates, so it drops the whole pattern: its "valid" bodies
then carry control characters, the API rightly answers 400, and the actions behind those bodies
go untested. Removing only the surrogate range keeps the rest of the rule for generation; nothing
is lost, since generated text never holds a lone surrogate (it must encode as UTF-8). Negative
cases still send control characters, so the refusal itself is fuzzed too.
"""

import re

import schemathesis

SURROGATES = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}-\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _without_surrogates(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                node[key] = SURROGATES.sub("", value)
            else:
                _without_surrogates(value)
    elif isinstance(node, list):
        for item in node:
            _without_surrogates(item)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    _without_surrogates(raw_schema)
