"""Reading units: what an answer may quote, each able to stand on its own."""

from __future__ import annotations

from assure_qa.units import reading_units, repeated_text, template_key


def units_of(text: str) -> list[tuple[str, str | None, str]]:
    return [(u.span.text, u.lead.text if u.lead else None, u.kind) for u in reading_units(text, 0, text)]


def test_a_bullet_reads_with_its_lead_in_and_the_caption_alone_is_never_a_unit() -> None:
    text = "We will do three things:\n• Recruit twelve more social workers.\n• Open a carers hub in Anytown."
    assert units_of(text) == [
        ("Recruit twelve more social workers.", "We will do three things:", "item"),
        ("Open a carers hub in Anytown.", "We will do three things:", "item"),
    ]


def test_a_score_line_reads_with_the_statement_it_scores() -> None:
    text = "Quality statement scores\n• Safeguarding\nScore: 2\n• Assessing needs\nScore: 3"
    assert [(u, lead) for u, lead, kind in units_of(text) if kind == "label"] == [
        ("Score: 2", "Safeguarding"), ("Score: 3", "Assessing needs")]


def test_headings_are_left_out_and_this_reads_with_its_antecedent() -> None:
    text = ("Anytown: local authority assessment\nAbout Anytown\n"
            "The council audits 27 case files each month. This gives managers a view of practice quality.")
    assert units_of(text) == [
        ("The council audits 27 case files each month.", None, "sentence"),
        ("This gives managers a view of practice quality.", "The council audits 27 case files each month.",
         "sentence"),
    ]


def test_a_sentence_broken_over_lines_is_one_unit_with_exact_offsets() -> None:
    text = "Members noted that the waiting list had fallen\nfrom 400 to 120 people since April.\nNext item."
    (span, lead, kind), = [u for u in units_of(text) if u[2] == "sentence"]
    assert span == "Members noted that the waiting list had fallen\nfrom 400 to 120 people since April."
    assert text.index(span) == 0 and lead is None


def test_repeated_text_is_what_two_councils_share_or_one_document_repeats() -> None:
    template = "We work with people to understand their needs and how to meet them."
    finding = "Anytown completed 92 percent of reviews on time."
    header = "Anytown Council adult social care assessment report"
    passages = [("Anytown", "a", f"{template} {finding}", 0), ("Bigtown", "b", template, 0),
                ("Anytown", "a", f"{header}\n{header}\n{header}", 100)]
    keys = repeated_text(passages)
    assert template_key(template) in keys and template_key(header) in keys
    assert template_key(finding) not in keys


def test_a_question_minutes_record_is_quoted_as_the_lead_in_of_the_reply_after_it() -> None:
    """A reported question states no answer: the reply after it does, and reads with it. A question
    no reply follows (another question, a heading, the passage's end) stays a unit of its own, and a
    passive "were asked about" is not a reported question."""
    text = ("Councillor Lal asked why safeguarding decisions were slow. The Head of Safeguarding "
            "explained that locality teams had screened concerns alongside other urgent work.\n"
            "Councillor Pearce asked about readmissions.\n"
            "(iv) Councillor Carr asked when CQC would reassess the Council. "
            "The Director said no date had been given.\n"
            "People were involved in safeguarding enquiries and asked about the outcomes they wanted.\n"
            "Councillor Ellery asked how people waiting were kept safe.")
    assert units_of(text) == [
        ("The Head of Safeguarding explained that locality teams had screened concerns alongside other urgent "
         "work.", "Councillor Lal asked why safeguarding decisions were slow.", "sentence"),
        ("Councillor Pearce asked about readmissions.", None, "sentence"),
        ("The Director said no date had been given.", "(iv) Councillor Carr asked when CQC would reassess the Council.",
         "item"),
        ("People were involved in safeguarding enquiries and asked about the outcomes they wanted.", None, "sentence"),
        ("Councillor Ellery asked how people waiting were kept safe.", None, "sentence"),
    ]


def test_a_list_item_set_with_any_common_bullet_glyph_reads_with_its_lead_in() -> None:
    """Word processors and PDF printers set items with squares, arrows and ticks as often as "•"."""
    for glyph in "•■►➢✔○":
        text = (f"At the end of January 2024:\n{glyph} 740 applications were awaiting allocation.\n"
                f"{glyph} 96 people waited.")
        assert [(u.span.text, u.lead.text if u.lead else None) for u in reading_units(text, 0, text)] == [
            ("740 applications were awaiting allocation.", "At the end of January 2024:"),
            ("96 people waited.", "At the end of January 2024:")], glyph
