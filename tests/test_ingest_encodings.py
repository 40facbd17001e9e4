"""Ingestion decodes real files in the encodings enterprise exports come in, records which one, and
quarantines only what no encoding decodes with confidence."""

import codecs
import json
import random
import struct
import zlib
from pathlib import Path

import pytest

from llmops.ingest.encoding import SAMPLE_BYTES, detect_encoding
from llmops.ingest.raw_documents import normalize_text, read_documents

ZH_HANS = "退货政策：客户在购买后三十天内可以申请全额退款。\n请保留您的收据，并通过客服热线联系我们。\n因质量问题退货的，运费由公司承担。\n"
ZH_HANT = "退貨政策：客戶在購買後三十天內可以申請全額退款。\n請保留您的收據，並透過客服專線與我們聯絡。\n因品質問題退貨者，運費由本公司負擔。\n"
JA = "返品について：ご購入から三十日以内であれば全額返金いたします。\n領収書を保管の上、サポート窓口までご連絡ください。\n品質不良による返品の送料は当社が負担します。\n"
FR = ("Compte rendu de la réunion du comité\nLe café coûte désormais 3 € ; l’équipe a reçu les clés près de l’hôtel.\n"
      "À noter : le cœur de métier reste la qualité — merci à tous.\n")
DE = "Grüße aus München!\nDie Straße vor dem Büro ist für Fußgänger gesperrt.\nBitte nutzen Sie den Eingang an der Südseite.\n"


def _read_one(tmp_path: Path, name: str, data: bytes):
    root = tmp_path / "raw"
    root.mkdir(exist_ok=True)
    (root / name).write_bytes(data)
    return read_documents(root)


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (ZH_HANS, ZH_HANS.encode("gbk"), "gb18030"),
        (ZH_HANS, ZH_HANS.encode("gb2312"), "gb18030"),
        (ZH_HANS, ZH_HANS.encode("gb18030"), "gb18030"),
        (ZH_HANT, ZH_HANT.encode("big5"), "big5"),
        (JA, JA.encode("shift_jis"), "cp932"),
        (FR, FR.encode("cp1252"), "cp1252"),
        (DE, DE.encode("latin-1"), "cp1252"),
        (FR, codecs.BOM_UTF16_LE + FR.encode("utf-16-le"), "utf-16"),
        (ZH_HANS, codecs.BOM_UTF16_BE + ZH_HANS.encode("utf-16-be"), "utf-16"),
        (DE, codecs.BOM_UTF32_LE + DE.encode("utf-32-le"), "utf-32"),
        (ZH_HANS, codecs.BOM_UTF8 + ZH_HANS.encode("utf-8"), "utf-8-sig"),
        (JA, JA.encode("utf-8"), "utf-8"),
        ("ok", b"ok", "utf-8"),
    ],
    ids=["gbk", "gb2312", "gb18030", "big5", "shift-jis", "cp1252", "latin-1", "utf-16-le-bom", "utf-16-be-bom",
         "utf-32-bom", "utf-8-bom", "utf-8", "short-ascii"],
)
def test_text_files_decode_in_their_encoding(tmp_path: Path, text: str, data: bytes, encoding: str) -> None:
    result = _read_one(tmp_path, "policy.txt", data)
    assert result.quarantined == []
    [doc] = result.documents
    assert doc.text == normalize_text(text)
    assert doc.metadata["file_encoding"] == encoding


def test_structured_files_stream_in_their_encoding(tmp_path: Path) -> None:
    root = tmp_path / "raw"
    root.mkdir()
    lines = [{"ticket_id": f"T-{n}", "text": line} for n, line in enumerate(ZH_HANS.splitlines())]
    (root / "tickets.jsonl").write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines).encode("gbk"))
    (root / "faq.csv").write_bytes(("question,answer\nWie bestelle ich?,Über die Straße im Büro.\n"
                                    "Wo ist München?,In Süddeutschland; Grüße!\n").encode("utf-16"))
    result = read_documents(root)
    assert result.quarantined == []
    docs = {d.source: d for d in result.documents}
    assert docs["tickets.jsonl#L1"].text == normalize_text(ZH_HANS.splitlines()[0])
    assert docs["tickets.jsonl#L1"].metadata == {"ticket_id": "T-0", "file_encoding": "gb18030"}
    assert docs["faq.csv#row2"].text == "Question: Wie bestelle ich?\nAnswer: Über die Straße im Büro."
    assert docs["faq.csv#row3"].metadata["file_encoding"] == "utf-16"


def test_detection_sample_may_end_inside_a_character(tmp_path: Path) -> None:
    """Files longer than the detection sample: the sample is cut on a line break, not mid-character."""
    root = tmp_path / "raw"
    root.mkdir()
    record = json.dumps({"text": ZH_HANS.replace("\n", " ")}, ensure_ascii=False)
    count = SAMPLE_BYTES // len(record.encode("gbk")) + 50
    data = "".join("\n" + record.replace("退货", f"{n} 退货") for n in range(count)).encode("gbk")
    with pytest.raises(UnicodeDecodeError):  # the first SAMPLE_BYTES end inside a character
        data[:SAMPLE_BYTES].decode("gbk")
    (root / "big.jsonl").write_bytes(data)
    (root / "big.txt").write_bytes(codecs.BOM_UTF16_LE + ("😀 " + ZH_HANS.replace("\n", " ") * 9000).encode("utf-16-le"))
    result = read_documents(root)
    assert result.quarantined == [] and len(result.documents) == count + 1
    assert {d.metadata["file_encoding"] for d in result.documents} == {"gb18030", "utf-16"}


def test_bad_bytes_past_the_sample_quarantine_the_whole_file(tmp_path: Path) -> None:
    root = tmp_path / "raw"
    root.mkdir()
    good = [json.dumps({"text": f"note {n}: the pump was serviced"}) for n in range(SAMPLE_BYTES // 40 + 100)]
    (root / "late.jsonl").write_bytes("\n".join(good).encode() + b'\n{"text": "caf\xe9 receipt"}\n')
    (root / "fine.txt").write_text("The service report is ready.")
    result = read_documents(root)
    assert [d.source for d in result.documents] == ["fine.txt"]  # nothing of the half-read file is kept
    [bad] = result.quarantined
    assert bad.source == "late.jsonl" and "not valid utf-8 further in the file" in bad.reason
    assert result.records_seen == 2


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    pixels = zlib.compress(bytes(random.Random(1).randrange(256) for _ in range(64 * 193)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)) + chunk(b"IDAT", pixels)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (random.Random(0).randbytes(4096), "not valid UTF-8"),
        (_png(), "not valid UTF-8"),
        (struct.pack("<400I", *(n % 120 for n in range(400))), "control characters"),  # valid UTF-8, but binary
        # data/sample/incoming_bad/scanned_policy.txt: a UTF-16 byte-order mark, then noise
        (b"\xff\xfe\x00garbage\x80\x81 OCR\xc3( page 1 \x9d\x8f\x00\xfe scan error\n", "garbled text"),
    ],
    ids=["random-bytes", "png", "binary-ascii", "bom-then-noise"],
)
def test_binary_is_quarantined_with_the_reason(tmp_path: Path, data: bytes, why: str) -> None:
    result = _read_one(tmp_path, "scan.txt", data)
    assert result.documents == []
    [item] = result.quarantined
    assert "no other encoding fits with confidence: binary or damaged data" in item.reason and why in item.reason


def test_nul_and_control_characters_separate_words(tmp_path: Path) -> None:
    assert normalize_text("alpha\x00beta").split() == ["alpha", "beta"]
    assert normalize_text("one\x0btwo\x1fthree\x85four\u200bfive\u00adsix") == "one two three fourfivesix"
    result = _read_one(tmp_path, "export.txt", b"Order\x00shipped on Monday.\nInvoice\x00\x00sent to the customer.\n")
    [doc] = result.documents
    assert doc.text == "Order shipped on Monday.\nInvoice sent to the customer."
    assert doc.metadata["file_encoding"] == "utf-8"


def test_short_ascii_stays_utf8() -> None:
    assert detect_encoding(b"ok", complete=True) == "utf-8"
    assert detect_encoding(b"", complete=True) == "utf-8"
    assert detect_encoding(b"Invoice 42 paid\n" * 40_000, complete=False) == "utf-8"
