"""E-mail readers on real messages from CPython's e-mail test suite (tests/data/mail/README.md) and
on messages, mailboxes and attachments generated with the standard library and python-docx.
Attachments are read through the real format dispatch (`formats.read_file`)."""

from __future__ import annotations

import io
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from llmops.ingest.blocks import render
from llmops.ingest.formats import read_file
from llmops.ingest.mail import read_eml, read_mbox
from llmops.ingest.readers import Extracted, IngestError, ReadContext, ReadLimits

DATA = Path(__file__).parent / "data" / "mail"
DOCX = "vnd.openxmlformats-officedocument.wordprocessingml.document"


def _read(name: str, payload: bytes, limits: ReadLimits = ReadLimits()) -> list[Extracted]:
    return list(read_file(name, io.BytesIO(payload), ReadContext(limits)))


def _text(item: Extracted) -> str:
    return render(item.blocks)


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _message(subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.get("sender", "Li Wei <li.wei@example.cn>")
    message["To"] = "Ops <ops@example.com>"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Jun 2024 09:30:00 +0800"
    message.set_content(body)
    return message


# --- real messages -------------------------------------------------------------------------------


def test_digest_gives_the_digest_then_each_message():
    items = _read("digest.eml", (DATA / "digest.eml").read_bytes())
    assert [item.part for item in items] == ["", *(f"attached message {n}" for n in range(1, 6))]
    digest = items[0]
    assert digest.title == "Ppp digest, Vol 1 #2 - 5 msgs"
    assert digest.metadata["from"] == "ppp-request@zzz.org"
    assert digest.metadata["date"] == "Fri, 20 Apr 2001 20:18:00 -0400 (EDT)"  # headers as written
    assert digest.blocks[0].kind == "heading" and digest.blocks[0].text == digest.title
    text = _text(digest)
    assert "From: ppp-request@zzz.org\nTo: ppp@zzz.org" in text
    assert "Today's Topics:" in text and "Ppp mailing list" in text  # masthead and footer parts
    assert [item.title for item in items[1:]] == ["[Ppp] testing #1", "", "[Ppp] testing #3", "[Ppp] testing #4",
                                                  "[Ppp] testing #5"]
    assert all("hello" in _text(item) and item.metadata["from"].startswith("barry@digicool.com") for item in items[1:])
    assert all(item.metadata["format"] == "eml" for item in items)


def test_forwarded_message_is_its_own_document():
    outer, inner = _read("forwarded.eml", (DATA / "forwarded.eml").read_bytes())
    assert outer.metadata["from"] == '"Sender" <sender@example.net>'
    assert inner.part == "attached message 1"
    assert inner.metadata["message_id"] == "<4B66B890.4070408@teconcept.de>"
    assert inner.metadata["to"] == '"Recipient" <recipient@example.com>'
    assert "Testing email forwarding with Groupwise 1.2.2010" in _text(inner)
    assert "Testing email forwarding" not in _text(outer)


def test_unreadable_attachment_is_named_not_lost():
    (item,) = _read("image_attachment.eml", (DATA / "image_attachment.eml").read_bytes())
    assert "This is the dingus fish." in _text(item)
    assert item.metadata["attachments"] == "dingusfish.gif"
    assert item.metadata["attachments_skipped"] == "dingusfish.gif (unsupported format .gif)"


def test_bounce_keeps_the_report_and_the_returned_message():
    report, returned = _read("delivery_failure.eml", (DATA / "delivery_failure.eml").read_bytes())
    assert "recipient reached disk quota" in _text(report)
    assert "message/delivery-status" in report.metadata["attachments_skipped"]
    assert returned.part == "attached message 1" and returned.title == "[scr] yeah for Ians!!"


# --- charsets and HTML ---------------------------------------------------------------------------


def test_chinese_mail_labelled_gb2312_with_gbk_characters():
    body = "各位同事：\n\n朱镕基纪念馆的参观安排见附件。预算为人民币三万元。\n"  # 镕 is GBK, not GB2312
    message = _message("参观安排", "placeholder")
    message.set_content(body.encode("gbk"), maintype="text", subtype="plain", cte="base64")
    message.set_param("charset", "gb2312")
    (item,) = _read("visit.eml", message.as_bytes())
    assert item.title == "参观安排"  # RFC 2047 subject
    assert "朱镕基纪念馆的参观安排见附件" in _text(item)
    assert item.metadata["from"] == "Li Wei <li.wei@example.cn>"


def test_raw_8bit_gbk_headers_and_unknown_charset():
    raw = ("From: 张三 <zhang@example.cn>\nTo: 李四 <li@example.cn>\nSubject: 关于第三季度预算的通知\n"
           "Content-Type: text/plain; charset=x-unknown-charset\nContent-Transfer-Encoding: 8bit\n\n"
           "请在周五前提交第三季度预算表，谢谢。\n").encode("gbk")
    (item,) = _read("budget.eml", raw)
    assert item.title == "关于第三季度预算的通知"
    assert item.metadata["from"] == "张三 <zhang@example.cn>"
    assert item.metadata["to"] == "李四 <li@example.cn>"
    assert "请在周五前提交第三季度预算表" in _text(item)


def test_html_only_mail_in_big5_becomes_text_with_headings():
    html = ("<html><head><style>p {color: red}</style></head><body><h1>季度報告</h1>"
            "<p>營業額成長百分之十二。</p><ul><li>台北</li><li>高雄</li></ul></body></html>")
    message = _message("報告", "placeholder")
    message.set_content(html, subtype="html", charset="big5")
    (item,) = _read("report.eml", message.as_bytes())
    text = _text(item)
    assert "# 季度報告" in text and "營業額成長百分之十二。" in text and "- 台北" in text
    assert "color" not in text and "<p>" not in text


def test_plain_alternative_is_preferred_and_empty_plain_falls_back_to_html():
    message = _message("Roadmap", "Plain roadmap text.")
    message.add_alternative("<p>HTML roadmap text.</p>", subtype="html")
    (item,) = _read("roadmap.eml", message.as_bytes())
    assert "Plain roadmap text." in _text(item) and "HTML roadmap" not in _text(item)

    message = _message("Roadmap", "\n")
    message.add_alternative("<p>HTML roadmap text.</p>", subtype="html")
    (item,) = _read("roadmap.eml", message.as_bytes())
    assert "HTML roadmap text." in _text(item)


def test_headers_the_standard_parser_cannot_take_are_kept_as_written():
    raw = (b"From: Barry <barry@example.com>\nTo: =@\nCc: f.: ==\nSubject: Odd headers\n"
           b"Content-Type: text/plain; charset=us-ascii\nContent-Disposition: :a)u?laa>?()alt*8deta,?;emqn*\n\n"
           b"Body survives.\n")
    (item,) = _read("odd.eml", raw)
    assert item.metadata["to"] == "=@" and item.metadata["cc"] == "f.: =="
    assert "Body survives." in _text(item)


# --- attachments and nesting ---------------------------------------------------------------------


def test_docx_attachment_is_read_by_the_word_reader():
    message = _message("Q3 report", "Report attached.")
    message.add_attachment(_docx("第三季度报告", "Revenue grew 12 percent."), maintype="application",
                           subtype=DOCX, filename="季度报告.docx")
    mail, attachment = _read("q3.eml", message.as_bytes())
    assert mail.metadata["attachments"] == "季度报告.docx" and "attachments_skipped" not in mail.metadata
    assert attachment.part == "attachment 季度报告.docx"
    assert attachment.metadata["format"] == "docx" and attachment.metadata["parent_subject"] == "Q3 report"
    assert attachment.title == "季度报告.docx"  # the file has no title of its own
    assert "# 第三季度报告" in _text(attachment) and "Revenue grew 12 percent." in _text(attachment)


def test_corrupt_attachment_and_inline_image_keep_the_message():
    message = _message("Broken", "See attachment.")
    message.add_attachment(b"not a zip at all", maintype="application", subtype=DOCX, filename="plan.docx")
    message.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="logo.png",
                           disposition="inline")
    (item,) = _read("broken.eml", message.as_bytes())
    assert "See attachment." in _text(item)
    skipped = item.metadata["attachments_skipped"]
    assert "plan.docx (corrupt file: not a valid zip container" in skipped
    assert "logo.png (inline image)" in skipped


def _forward(inner: EmailMessage, subject: str) -> EmailMessage:
    outer = _message(subject, f"Forwarding {inner['Subject']}.")
    outer.add_attachment(inner)
    return outer


def test_nesting_beyond_max_nesting_is_recorded():
    innermost = _message("Level 2", "Deepest text.")
    innermost.add_attachment(b"notes", maintype="text", subtype="plain", filename="notes.txt")
    middle = _forward(innermost, "Level 1")
    middle.add_attachment(b"Middle notes.", maintype="text", subtype="plain", filename="middle.txt")
    outer = _forward(middle, "Level 0")

    items = _read("chain.eml", outer.as_bytes(), ReadLimits(max_nesting=1))
    assert [item.part for item in items] == ["", "attached message 1"]
    level1 = items[1]
    assert level1.title == "Level 1"
    assert "attached message 1 (nested more than 1 deep (max_nesting))" in level1.metadata["attachments_skipped"]
    assert "middle.txt (middle.txt is nested more than 1 deep (max_nesting))" in level1.metadata[
        "attachments_skipped"]

    items = _read("chain.eml", outer.as_bytes(), ReadLimits(max_nesting=3))
    assert [item.part for item in items] == ["", "attached message 1", "attached message 1 > attachment middle.txt",
                                             "attached message 1 > attached message 1",
                                             "attached message 1 > attached message 1 > attachment notes.txt"]
    assert "Middle notes." in _text(items[2]) and items[2].metadata["parent_subject"] == "Level 1"


# --- mailboxes -----------------------------------------------------------------------------------


def test_mbox_gives_each_message_with_its_attachments(tmp_path):
    path = tmp_path / "team.mbox"
    box = mailbox.mbox(path)
    box.add(_message("Kickoff", "Agenda follows.\n\nFrom the top: introductions.\n"))  # written as ">From"
    report = _message("Numbers", "Sheet attached.", sender="王芳 <wang.fang@example.cn>")
    report.add_attachment(_docx("Numbers", "Costs fell."), maintype="application", subtype=DOCX, filename="n.docx")
    box.add(report)
    box.add(_message("Wrap-up", "Thanks all."))
    box.flush()
    box.close()
    assert b"\n>From the top" in path.read_bytes()

    with path.open("rb") as stream:
        items = list(read_file("team.mbox", stream, ReadContext()))
    assert [item.part for item in items] == ["message 1", "message 2", "message 2 > attachment n.docx", "message 3"]
    assert [item.title for item in items] == ["Kickoff", "Numbers", "n.docx", "Wrap-up"]
    assert "\nFrom the top: introductions." in _text(items[0])
    assert items[1].metadata["from"] == "王芳 <wang.fang@example.cn>"
    assert "Costs fell." in _text(items[2])


def test_mbox_is_read_one_message_at_a_time_and_unquoted_from_stays_text():
    raw = b"".join(b"From a@example.com Mon Jun  3 10:00:0%d 2024\r\nSubject: m%d\r\n\r\nbody %d\r\n\r\n"
                   b"From the top, once more.\r\n\r\n" % (n, n, n) for n in range(1, 4))
    messages = read_mbox(io.BytesIO(raw), ReadContext())
    first = next(messages)
    assert first.part == "message 1" and first.title == "m1"
    assert "From the top, once more." in _text(first)
    assert [item.title for item in messages] == ["m2", "m3"]


def test_not_mail_is_rejected():
    with pytest.raises(IngestError, match="not an e-mail message"):
        list(read_eml(io.BytesIO(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), ReadContext()))
    with pytest.raises(IngestError, match="not an e-mail message"):
        list(read_eml(io.BytesIO(bytes(range(256)) * 4), ReadContext()))
    with pytest.raises(IngestError, match="not an mbox mailbox"):
        list(read_mbox(io.BytesIO(b"Subject: no From line\n\nbody\n"), ReadContext()))
    assert list(read_mbox(io.BytesIO(b""), ReadContext())) == []
