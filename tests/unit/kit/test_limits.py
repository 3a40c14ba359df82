"""The nesting depth the request limits measure is the JSON document's real depth."""

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.kit.limits import json_depth

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
TRICKY_TEXT = st.text(alphabet='[]{}"\\ab', max_size=12)
DOCUMENTS = st.recursive(
    SCALARS | TRICKY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TRICKY_TEXT, children, max_size=4),
    max_leaves=40,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@given(DOCUMENTS, st.booleans())
def test_the_measured_depth_is_the_documents_depth(document: Any, ascii_only: bool) -> None:
    body = json.dumps(document, ensure_ascii=ascii_only, indent=None).encode()
    assert json_depth(body) == depth(document)
