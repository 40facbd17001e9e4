"""Personal data as Chinese documents write it: names, addresses and the identifiers of Chinese
offices, recognized by position and shape (no English NER reads Chinese).

- **Names.** A Chinese name is a surname (one character, or one of the compound ones) and one or
  two given characters; text marks it by position: after a role label and a colon (审批人：王芳),
  as a chat speaker at the start of a line, in a list after such a label (张伟、李娜), before a
  title or kinship term (王经理, 李老师, 陈阿姨), or as 小/老 + surname (小赵). A surname character
  alone proves nothing (王国, 高兴, 周末 are words), so every rule needs one of these positions.
  Names that no position marks (in prose, in table cells) are read by Baidu's LAC 2.1.2, a
  segmenter and tagger trained on Chinese text (`llmops.pii.lac`: the weights of its PyPI release,
  Apache-2.0), whose person tags (PER) count.
- **Addresses.** Province, city, district, road with a number, building and room, written
  without spaces: a road with a number, reached through administrative parts (…省…市…区), or
  after an address label.
- **Identifiers.** Unified social credit codes (GB 32100-2015 check character), passport numbers,
  licence plates (new-energy plates too), and bank card numbers (16-19 digits, Luhn) that may be
  glued to the Chinese text around them, where a word boundary never falls.
"""

from __future__ import annotations

from functools import cache, lru_cache

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from llmops.pii.checksums import luhn_valid
from llmops.pii.lac import Lac, fetch


# The common single-character surnames (the Hundred Family Surnames as used today) and the
# compound ones; an uncommon surname still matches the label and speaker rules through HAN_NAME.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
    "闭由"
    # the same surnames in traditional characters (Taiwan, Hong Kong)
    "劉陳楊黃趙吳許馮鄧蕭董袁葉蔣蔡呂盧薑崔鍾譚陸範賈韋鄒熊閆龍陶賀顧龔萬錢嚴覃溫莊聶魯岳殷詹歐關蘭俞紀畢單裴霍塗駱藍靳"
    "鮑滕饒繆連蘆婁竇戚岑費衛閔鄔邊姬欒隋羅鄭謝韓魏蘇賴張孫馬鐘潘彭曾"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "令狐", "夏侯", "轩辕", "钟离", "端木", "西门", "南宫", "独孤", "澹台", "百里", "呼延", "万俟",
                     "歐陽", "司馬", "諸葛", "東方", "長孫", "軒轅", "鍾離", "獨孤")
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
# Given-name characters: Han, but not the function characters that follow a name in a sentence.
_GIVEN = r"(?:(?![的了在是和与及或等已于将把被给对向从到说讲问请让由为也都就还又再才各每这那个们])\p{Han})"
FULL_NAME = rf"{_SURNAME}{_GIVEN}{{1,2}}"
# Two characters or more: one-character titles (总, 工, 姐) start too many words (总结, 工作, 姐妹).
_TITLES = ("经理|总监|总经理|主任|主管|部长|处长|科长|局长|院长|校长|所长|董事长|老板|总裁|老师|教授|博士|医生|大夫|护士|律师|"
           "会计|师傅|工程师|同学|先生|女士|小姐|阿姨|叔叔|伯伯|大爷|大妈|大姐|大哥")
_ROLE_LABELS = ("姓名|名字|联系人|客户|客户姓名|申请人|收件人|收货人|寄件人|发件人|经办人|负责人|持卡人|审批人|审核人|报销人|签收人|"
                "提交人|处理人|对接人|法定代表人|法人代表|代表人|授权代表|委托人|受托人|借款人|担保人|收款人|付款人|开户名|户名|"
                "开户人|记录人|主持人|值班人|联络人|访客|来访人|被访人|接待人|司机|驾驶员|业务员|销售代表|客服|员工|员工姓名|"
                "乘客|乘机人|旅客|入住人|患者|病人|学生|家长|紧急联系人|推荐人|面试官|候选人|签字|签名|甲方代表|乙方代表|"
                "参会人员|参会人|出席|与会人员|抄送|收件人员|成员|组员|受访者|被访者|访谈人|出差人|申报人|领用人|借用人|"
                # the same labels in traditional characters
                "聯絡人|聯繫人|客戶|申請人|收貨人|寄件人|經辦人|負責人|審批人|審核人|報銷人|簽收人|處理人|對接人|法定代表人|"
                "代表人|委託人|借款人|擔保人|收款人|付款人|開戶名|戶名|記錄人|主持人|值班人|訪客|來訪人|受訪者|接待人|司機|"
                "業務員|員工|乘客|旅客|入住人|緊急聯絡人|推薦人|面試官|候選人|簽名|參會人員|與會人員|成員")
ROLE_LABELS = tuple(_ROLE_LABELS.split("|"))  # also column headers of name columns (llmops.pii.fields)
_FULL_NAME = regex.compile(FULL_NAME)
_LIST_SEP = r"[ \t]*[、，,/；;][ \t]*"
_TIME = r"(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]*)"

NAME_PATTERNS = [
    # 审批人：王芳 / 参会人员：张伟、李娜、王芳 (the first name; the list rule takes the rest)
    Pattern("zh role label", rf"(?<=(?:{_ROLE_LABELS})[ \t]*[:：][ \t]*){FULL_NAME}(?!\p{{Han}})", 0.75),
    Pattern("zh name in a list", rf"(?<=(?:{_ROLE_LABELS})[ \t]*[:：][^\n]{{0,80}}{_LIST_SEP}){FULL_NAME}"
                                 rf"(?=[ \t]*(?:[、，,/；;（(]|$))", 0.7),
    # chat lines: "[09:12] 王芳：…", "09:12 王芳: …", "王芳 09:12"
    Pattern("zh chat speaker", rf"(?<=^[ \t]*{_TIME}?){FULL_NAME}(?=[ \t]*[:：])", 0.7),
    Pattern("zh speaker and time", rf"(?<=^[ \t]*){FULL_NAME}(?=[ \t]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?[ \t]*$)", 0.7),
    # 王经理, 欧阳老师, 陈阿姨 (the surname with its title is the value: it names one person)
    Pattern("zh surname title", rf"{_SURNAME}{_GIVEN}{{0,2}}?(?:{_TITLES})(?!\p{{Han}}{{0,1}}(?:部|处|科|室|组|会|办))", 0.6),
    Pattern("zh 小/老 surname", rf"(?<![\p{{Han}}])[小老]{_SURNAME}(?=[，。、,!！?？:：\s]|$)", 0.6),
    # a full name right before a parenthesised role or after 由/请/联系 and before an action
    Pattern("zh name (role)", rf"{FULL_NAME}(?=[ \t]*[（(](?:{_TITLES}|{_ROLE_LABELS}|[\p{{Han}}]{{0,6}}(?:部|组|中心))[）)])", 0.7),
    Pattern("zh asked person", rf"(?<=(?:请|由|联系|通知|抄送|交给|转给|感谢|致|谢谢))(?:{FULL_NAME})"
                               r"(?=(?:在|于|负责|审批|确认|处理|提交|跟进|回复|签字|批准|核对|补充|联系)|[，。、,；;！!（(]|$)", 0.6),
]

_PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
              "云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|臺灣|臺北|台北|新北|桃園|台中|臺中|台南|臺南|高雄")
# One administrative part: a few Han characters that are not the words a sentence puts before an
# address (位于, 住在, 寄到 ...), then its level.
_PART_HAN = r"(?:(?![位于在的到和与是从往向去住为请寄送把给至将由及或我们你他她它这那])\p{Han})"
_ADMIN = rf"{_PART_HAN}{{1,7}}?(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道|村)"
_ROAD = rf"{_PART_HAN}{{1,9}}?(?:大道|大街|路|街|道|巷|胡同|弄|里)"
_NUMBER = r"[ \t]*[\dA-Za-z]{1,6}(?:[-—][\dA-Za-z]{1,4})?(?:号|座|栋|幢|号楼|弄)?"
_UNITS = r"(?:[ \t]*[\dA-Za-z一二三四五六七八九十]{1,5}(?:号楼|栋|幢|座|单元|层|楼|室|号|户|房))*"
_POSTCODE = r"(?:[ \t]*\d{6}(?!\d))?"
_ADDRESS_LABELS = "地址|住址|家庭住址|现住址|户籍地址|收货地址|送货地址|通讯地址|联系地址|注册地址|办公地址|寄件地址|收件地址|居住地"
ADDRESS_PATTERNS = [
    Pattern("zh province to street", rf"(?:{_PROVINCES})(?:省|市|自治区|特别行政区)?(?:{_ADMIN}){{0,4}}{_ROAD}{_NUMBER}{_UNITS}{_POSTCODE}", 0.7),
    Pattern("zh admin parts to street", rf"(?:{_ADMIN}){{1,4}}{_ROAD}{_NUMBER}{_UNITS}{_POSTCODE}", 0.6),
    Pattern("zh labelled address", rf"(?<=(?:{_ADDRESS_LABELS})[ \t]*[:：][ \t]*)[^\n]{{4,60}}?(?=[ \t]*(?:$|[，。；;]))", 0.7),
]

# 18 characters: registration authority, kind, region (6 digits), organisation code (9), check.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_valid(value: str) -> bool:
    """The GB 32100-2015 check character of a unified social credit code."""
    value = value.upper()
    if len(value) != 18 or any(c not in _USCC_CHARS for c in value):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


# Taiwan's national id and resident certificate: a letter (the place of registration, worth two
# digits), 1/2 (or 8/9 for residents) and eight digits; the weighted sum is a multiple of ten.
_TW_LETTER_VALUES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36)))


def tw_id_valid(value: str) -> bool:
    """Whether a Taiwanese national id or resident certificate number has its check digit right."""
    if len(value) != 10 or value[0] not in _TW_LETTER_VALUES or not value[1:].isdigit():
        return False
    letter = _TW_LETTER_VALUES[value[0]]
    digits = [letter // 10, letter % 10, *map(int, value[1:])]
    return sum(d * w for d, w in zip(digits, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1))) % 10 == 0


_HAN = regex.compile(r"\p{Han}")


class _HanRecognizer(PatternRecognizer):
    """Patterns that need Chinese characters: a text without any is not searched at all (most
    of an English corpus), which keeps their lookbehinds off every position of it."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None):
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if _HAN.search(text) else []


class _ChecksumRecognizer(PatternRecognizer):
    """A pattern whose matches must also pass ``valid``."""

    def __init__(self, entity: str, name: str, patterns: list[Pattern], valid, **kwargs) -> None:
        super().__init__(entity, name=name, patterns=patterns, **kwargs)
        self._valid = valid

    def validate_result(self, pattern_text: str) -> bool | None:
        return self._valid(pattern_text.replace(" ", "").replace("-", ""))


def is_full_name(text: str) -> bool:
    """Whether ``text`` is written as a Chinese full name (a known surname and one or two given
    characters): what a cell under a name header holds."""
    return bool(_FULL_NAME.fullmatch(text))


@cache
def _lac() -> Lac:
    """Baidu's LAC, loaded once per process from the model cache (``make install`` puts it there)."""
    from llmops.settings import Settings

    return Lac(fetch(Settings.from_env().model_cache))


# A piece LAC reads: a sentence (or line), cut at 200 characters; a name never spans one.
_PIECE = regex.compile(r"[^\n。！？!?；;]{1,200}")


@lru_cache(maxsize=32)
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, tag) of each word LAC reads in the sentences of ``text`` that hold Han
    characters; cached, since the tagger and the position rules' check read the same text."""
    pieces = [match for match in _PIECE.finditer(text) if _HAN.search(match.group())]
    found = []
    for piece, words in zip(pieces, _lac().run([match.group() for match in pieces])):
        at = piece.start()
        for word, tag in words:
            found.append((at, at + len(word), tag))
            at += len(word)
    return tuple(found)


# LAC's tags of ordinary words (noun, verb, adjective, adverb, time, measure word...).
_ORDINARY_WORDS = {"n", "v", "vn", "vd", "a", "ad", "an", "d", "f", "s", "t", "TIME", "m", "q", "r", "c", "p", "u",
                   "xc", "w"}


class _NamePositions(_HanRecognizer):
    """The position rules for names, less the words of LAC's vocabulary that it reads as ordinary
    words in that very place ("金额：" opens a line as a chat speaker's name would). A name LAC does
    not know stays, whatever it tags it: the rule's position is the stronger evidence."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if not results:
            return results
        tags = {(start, end): tag for start, end, tag in _words(text)}
        return [result for result in results if tags.get((result.start, result.end)) not in _ORDINARY_WORDS
                or not _lac().is_word(text[result.start:result.end])]


# What a cell holding one person's name looks like: 王芳, 欧阳娜娜, 王经理, 老王.
_NAME_CELL = regex.compile(rf"{FULL_NAME}|{_SURNAME}(?:{_TITLES})|[小老]{_SURNAME}")


def _columns(text: str) -> list[list[tuple[int, int]]]:
    """The columns of every pipe or tab table in ``text``: two or more consecutive lines cut into
    the same number (two or more) of cells; each cell as (start, end) of its stripped value."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    columns: list[list[tuple[int, int]]] = []
    for separator in ("|", "\t"):
        block: list[list[tuple[int, int]]] = []
        for start, line in [*lines, (offset, "")]:
            cells = []
            if separator in line and not set(line) <= set("|-:+ \t"):  # a markdown rule row is skipped
                at = start
                for part in line.split(separator):
                    core = part.strip()
                    cells.append((at + part.find(core), at + part.find(core) + len(core)) if core else (at, at))
                    at += len(part) + 1
                if separator == "|":  # the outer bars of "| a | b |" frame no cells
                    cells = cells[1:-1] if line.strip().startswith("|") and line.strip().endswith("|") else cells
            if block and len(cells) != len(block[0]) and not (separator in line and not cells):
                if len(block) > 1:
                    columns += [list(column) for column in zip(*block)]
                block = []
            if len(cells) > 1:
                block.append(cells)
    return columns


class ChineseNameTagger(EntityRecognizer):
    """Person names wherever Chinese text writes them: LAC's PER words of two or more characters
    with a Han character among them (Latin names are the English recognizers' part). In a table,
    a column where LAC reads half of the cells written as names as persons, or two when nearly every
    row (the header aside) is written as a name, is a column of names: its other cells written as
    names are names too (LAC reads a lone name in a cell with little context)."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(supported_entities=["PERSON"], name="ChineseNameTagger", supported_language=supported_language)

    def load(self) -> None:
        """LAC loads on the first Chinese text, not for an English corpus."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if "PERSON" not in entities or not _HAN.search(text):
            return []
        persons = {(start, end) for start, end, tag in _words(text)
                   if tag == "PER" and len(text[start:end].strip()) > 1 and _HAN.search(text[start:end])}
        for column in _columns(text):
            shaped = [cell for cell in column if _NAME_CELL.fullmatch(text[cell[0]:cell[1]])]
            read = [cell for cell in shaped if cell in persons]
            # half of its name-like cells read as persons, or two and nearly every row written as a name
            if read and (2 * len(read) >= len(shaped) or (len(read) >= 2 and 5 * len(shaped) >= 4 * (len(column) - 1))):
                persons.update(shaped)
        return [RecognizerResult("PERSON", start, end, 0.85) for start, end in sorted(persons)]


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


_FLAGS = regex.DOTALL | regex.MULTILINE  # case-sensitive: plates and codes are upper case


def recognizers(language: str) -> list[PatternRecognizer]:
    """The Chinese recognizers for ``language`` (the scrubber's analyzer language)."""
    flags = {"supported_language": language, "global_regex_flags": _FLAGS}
    return [
        _NamePositions("PERSON", name="ChineseNameRecognizer", patterns=NAME_PATTERNS, **flags),
        ChineseNameTagger(language),
        _HanRecognizer("STREET_ADDRESS", name="ChineseAddressRecognizer", patterns=ADDRESS_PATTERNS, **flags),
        _ChecksumRecognizer("CN_USCC", "UsccRecognizer", [Pattern(
            "unified social credit code", rf"{_NOT_ALNUM_BEFORE}[0-9A-HJ-NPQRTUWXY]{{2}}\d{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}{_NOT_ALNUM_AFTER}",
            0.6)], uscc_valid, **flags),
        _ChecksumRecognizer("CREDIT_CARD", "ChineseBankCardRecognizer", [Pattern(
            "bank card (glued or 19 digits)", r"(?<!\d)(?:62|4\d|5[1-5]|3[5-7]|9\d)\d{2}(?:[ -]?\d{4}){2}[ -]?\d{4,7}(?!\d)",
            0.5)], luhn_valid, **flags),
        _ChecksumRecognizer("TW_NATIONAL_ID", "TaiwanIdRecognizer", [Pattern(
            "Taiwan national id", rf"{_NOT_ALNUM_BEFORE}[A-Z][1289]\d{{8}}{_NOT_ALNUM_AFTER}", 0.6)], tw_id_valid, **flags),
        # a Taiwanese mobile number written as ten plain digits, in Chinese text (09xx xxx xxx), not
        # right after 号 (订单号0912345678 is an order)
        _HanRecognizer("PHONE_NUMBER", name="TaiwanMobileRecognizer", **flags, patterns=[
            Pattern("Taiwan mobile", rf"{_NOT_ALNUM_BEFORE}(?<![号號#])09\d{{2}}[- ]?\d{{3}}[- ]?\d{{3}}{_NOT_ALNUM_AFTER}", 0.5)]),
        PatternRecognizer("CN_PASSPORT", name="ChinesePassportRecognizer", **flags, patterns=[
            Pattern("passport after a cue", rf"(?<=(?:护照|護照|passport)[^\n\d]{{0,12}}){_NOT_ALNUM_BEFORE}"
                                            rf"(?:E[A-HJ-NP-Z]?\d{{7,8}}|[GDSP]\d{{8}}){_NOT_ALNUM_AFTER}", 0.75)]),
        _HanRecognizer("CN_LICENSE_PLATE", name="ChinesePlateRecognizer", **flags, patterns=[
            Pattern("licence plate", rf"[{_PLATE_PROVINCES}][A-HJ-NP-Z][·• ]?(?:[DF][A-HJ-NP-Z0-9]\d{{4}}|\d{{5}}[DF]|"
                                     rf"[A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]){_NOT_ALNUM_AFTER}", 0.6)]),
    ]
