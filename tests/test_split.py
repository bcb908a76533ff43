"""Question splitting: structure, nesting, prose, clutter, offsets."""

import pytest

from classifier.split import split_questions


def _pairs(text, spans):
    return [(s.ref, s.parent_ref, text[s.start : s.end]) for s in spans]


def test_numbered_and_lettered_items_nest():
    text = (
        "Dear Sir/Madam,\n\n"
        "1. Do you sell traded services to schools?\n"
        "2. Which MIS suppliers do you support, and for each:\n"
        "   a) what is the arrangement?\n"
        "   b) when does it end?\n"
        "3. How many schools do you support?\n\n"
        "Kind regards,\nJo Bloggs\n"
    )
    assert _pairs(text, split_questions(text)) == [
        ("1", None, "Do you sell traded services to schools?"),
        ("2", None, "Which MIS suppliers do you support, and for each:"),
        ("2a", "2", "what is the arrangement?"),
        ("2b", "2", "when does it end?"),
        ("3", None, "How many schools do you support?"),
    ]


def test_lettered_child_carries_parent_stem_as_context():
    text = "2. Which MIS suppliers do you support, and for each:\n(a) when did it begin?\n(b) how was it procured?"
    spans = split_questions(text)
    assert text[slice(*spans[1].context)] == "Which MIS suppliers do you support, and for each:"


@pytest.mark.parametrize(
    "lines, refs",
    [
        (["Q1: How many bins were missed?", "Q2: What did it cost?"], ["1", "2"]),
        (["(i) How many bins were missed?", "(ii) What did it cost?", "(iii) Who collects them?"], ["i", "ii", "iii"]),
        (["- How many bins were missed?", "- What did it cost?"], ["1", "2"]),
        (["• How many bins were missed?", "• What did it cost?"], ["1", "2"]),
        (["1) How many bins were missed?", "2) What did it cost?"], ["1", "2"]),
    ],
)
def test_marker_styles(lines, refs):
    text = "Hello,\n\n" + "\n".join(lines) + "\n\nThanks\nSam"
    assert [s.ref for s in split_questions(text)] == refs


def test_offsets_index_the_submitted_text():
    text = "Hi\r\n\r\n1. How many potholes were filled?\r\n2. What was spent on them?\r\n"
    for span in split_questions(text):
        assert text[span.start : span.end].strip() == text[span.start : span.end]
        assert "?" in text[span.start : span.end]


def test_prose_request_split_into_its_asks():
    text = (
        "I am writing under the Freedom of Information Act. My street has been flooded twice this year. "
        "How many flooding complaints did you receive in 2024? If so, how many were investigated. "
        "Please also provide the budget for gully cleaning in 2024/25.\n\nThanks,\nPat"
    )
    asks = [text[s.start : s.end] for s in split_questions(text)]
    assert asks == [
        "How many flooding complaints did you receive in 2024? If so, how many were investigated.",
        "Please also provide the budget for gully cleaning in 2024/25.",
    ]


def test_quoted_reply_footer_and_signature_are_not_questions():
    text = (
        "Thanks for your reply. Could you also tell me how many PCNs were cancelled on appeal in 2023?\n\n"
        "Regards\nChris\n07700 900123\n\n"
        "-----Original Message-----\nFrom: FOI Team\n> 1. How many PCNs were issued?\n> We issued 4,000.\n"
    )
    assert [text[s.start : s.end] for s in split_questions(text)] == [
        "Could you also tell me how many PCNs were cancelled on appeal in 2023?"
    ]


def test_options_list_is_one_question():
    text = "4. Which of the following do you provide:\na. first line support\nb. hosting\nc. data backup\n5. What is the income?"
    spans = split_questions(text)
    assert [s.ref for s in spans] == ["4", "5"]
    assert text[spans[0].start : spans[0].end].endswith("data backup")


def test_unstructured_title_is_one_question():
    text = "Pothole compensation claims 2023"
    assert _pairs(text, split_questions(text)) == [("1", None, text)]


@pytest.mark.parametrize("text", ["Dear Sir or Madam,\n\nKind regards,\nJo", "   \n", "Thanks"])
def test_nothing_to_classify(text):
    assert split_questions(text) == []


def test_signature_initial_is_not_a_lettered_item():
    text = "1. How many staff work in planning?\n\nRegards\nJ. Kowalczyk"
    assert [s.ref for s in split_questions(text)] == ["1"]
