"""Blind Chinese PII evaluation set no. 2 (zh_CN and zh_TW): writes zh_blind2.jsonl next to this file.

Written without reading the scrubber (llmops/) or the other evaluation sets; only the record format
of bench/pii.py was looked at. See ZH_BLIND2.md for the kinds, the counts and the labelling
decisions. Deterministic: the same Faker version gives the same file.

    .venv/bin/python tests/data/pii_eval/zh_blind2_generate.py          # writes zh_blind2.jsonl
    .venv/bin/python tests/data/pii_eval/zh_blind2_generate.py --stats  # also prints the counts

Record (one JSON object a line), as bench/pii.py's score_labelled reads it:
    {"id", "locale", "kind", "text",
     "entities": [{"type", "value", "start", "end", "ctx", "locale", ...}],
     "hard_negatives": [{"kind", "value", "start", "end"}]}
PERSON entities also carry "form" (how the name itself is made) and "placement" (where it stands).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter
from pathlib import Path

from faker import Faker

SEED = 20250602
OUT = Path(__file__).with_name("zh_blind2.jsonl")
CN, TW = "zh_CN", "zh_TW"


# --- records ----------------------------------------------------------------------------------------


class Ent:
    def __init__(self, type_: str, value: str, ctx: str, **extra: str) -> None:
        self.type, self.value, self.ctx, self.extra = type_, value, ctx, extra


class Neg:
    def __init__(self, kind: str, value: str) -> None:
        self.kind, self.value = kind, value


def N(kind: str, value: str) -> Neg:
    return Neg(kind, value)


def join(items: list, sep: str) -> list:
    out: list = []
    for i, it in enumerate(items):
        if i:
            out.append(sep)
        out.append(it)
    return out


class Doc:
    def __init__(self, kind: str, loc: str) -> None:
        self.kind, self.loc = kind, loc
        self.parts: list[str] = []
        self.pos = 0
        self.ents: list[dict] = []
        self.negs: list[dict] = []

    def _t(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def put(self, it) -> None:
        if it is None:
            return
        if isinstance(it, str):
            self._t(it)
        elif isinstance(it, Ent):
            rec = {"type": it.type, "value": it.value, "start": self.pos, "end": self.pos + len(it.value),
                   "ctx": it.ctx, "locale": it.extra.pop("locale", self.loc)}
            rec.update(it.extra)
            self.ents.append(rec)
            self._t(it.value)
        elif isinstance(it, Neg):
            self.negs.append({"kind": it.kind, "value": it.value, "start": self.pos, "end": self.pos + len(it.value)})
            self._t(it.value)
        elif isinstance(it, (list, tuple)):
            for x in it:
                self.put(x)
        else:
            raise TypeError(it)

    def f(self, tmpl: str, *items) -> "Doc":
        pieces = tmpl.split("{}")
        assert len(pieces) == len(items) + 1, (tmpl, len(items))
        for i, p in enumerate(pieces):
            self._t(p)
            if i < len(items):
                self.put(items[i])
        return self

    def text(self) -> str:
        return "".join(self.parts)


# --- value makers -------------------------------------------------------------------------------------

CN_COMPOUND = ["欧阳", "司马", "上官", "诸葛", "司徒", "慕容", "东方", "皇甫", "夏侯", "令狐", "尉迟", "公孙"]
TW_COMPOUND = ["歐陽", "司馬", "上官", "諸葛", "司徒", "張簡", "范姜", "皇甫"]
CN_TITLES = ["总", "工", "主任", "经理", "老师", "医生", "律师", "师傅", "姐", "哥", "科长", "处长", "教授",
             "博士", "队长", "书记", "总监", "会计", "老板"]
TW_TITLES = ["經理", "老師", "醫師", "主任", "律師", "先生", "小姐", "姐", "哥", "董", "總", "協理", "課長",
             "組長", "襄理", "老闆", "特助"]
ENGLISH = ["Kevin", "Jack", "Tony", "Vivian", "Cherry", "Coco", "Eric", "Jason", "Lily", "Grace", "Amy", "Leo",
           "Sunny", "Emma", "Bruce", "Alex", "Cindy", "Iris", "Steven", "Helen", "Frank", "Wendy", "Oscar",
           "Nancy", "Vincent", "Echo", "Summer", "Ivy", "Jerry", "Angela", "Ray", "Sandy"]
PY_SUR = {"张": "Zhang", "王": "Wang", "李": "Li", "刘": "Liu", "陈": "Chen", "杨": "Yang", "黄": "Huang",
          "赵": "Zhao", "吴": "Wu", "周": "Zhou", "徐": "Xu", "孙": "Sun", "马": "Ma", "朱": "Zhu", "胡": "Hu",
          "郭": "Guo", "何": "He", "林": "Lin", "罗": "Luo", "高": "Gao", "郑": "Zheng", "梁": "Liang",
          "谢": "Xie", "宋": "Song", "唐": "Tang", "韩": "Han", "冯": "Feng", "邓": "Deng", "曹": "Cao",
          "彭": "Peng", "曾": "Zeng", "肖": "Xiao", "田": "Tian", "董": "Dong", "潘": "Pan", "袁": "Yuan",
          "蔡": "Cai", "蒋": "Jiang", "余": "Yu", "杜": "Du", "叶": "Ye", "程": "Cheng", "魏": "Wei",
          "苏": "Su", "吕": "Lyu", "丁": "Ding", "沈": "Shen", "姚": "Yao", "卢": "Lu", "崔": "Cui",
          "钟": "Zhong", "谭": "Tan", "陆": "Lu", "范": "Fan", "廖": "Liao", "石": "Shi", "金": "Jin",
          "贾": "Jia", "夏": "Xia", "方": "Fang", "邹": "Zou", "熊": "Xiong", "白": "Bai", "孟": "Meng",
          "秦": "Qin", "邱": "Qiu", "江": "Jiang", "薛": "Xue", "段": "Duan", "雷": "Lei", "欧阳": "Ouyang",
          "司马": "Sima", "上官": "Shangguan", "诸葛": "Zhuge", "司徒": "Situ"}
PY_GIV = {"伟": "wei", "强": "qiang", "磊": "lei", "洋": "yang", "勇": "yong", "军": "jun", "杰": "jie",
          "涛": "tao", "超": "chao", "明": "ming", "刚": "gang", "平": "ping", "辉": "hui", "鹏": "peng",
          "华": "hua", "飞": "fei", "鑫": "xin", "波": "bo", "斌": "bin", "宇": "yu", "浩": "hao", "凯": "kai",
          "健": "jian", "俊": "jun", "帆": "fan", "旭": "xu", "宁": "ning", "龙": "long", "芳": "fang",
          "娜": "na", "敏": "min", "静": "jing", "丽": "li", "艳": "yan", "娟": "juan", "霞": "xia", "婷": "ting",
          "雪": "xue", "慧": "hui", "玲": "ling", "燕": "yan", "萍": "ping", "欣": "xin", "佳": "jia",
          "晨": "chen", "雨": "yu", "思": "si", "梦": "meng", "子": "zi", "文": "wen", "志": "zhi", "海": "hai",
          "春": "chun", "秀": "xiu", "英": "ying", "晓": "xiao", "建": "jian", "丹": "dan", "颖": "ying",
          "琳": "lin", "兰": "lan", "嘉": "jia", "怡": "yi", "博": "bo", "涵": "han", "轩": "xuan", "睿": "rui",
          "泽": "ze", "昊": "hao", "然": "ran", "诗": "shi", "彤": "tong", "瑶": "yao", "琪": "qi", "航": "hang"}
TW_ROM = {"陳": "Chen", "林": "Lin", "黃": "Huang", "張": "Chang", "李": "Lee", "王": "Wang", "吳": "Wu",
          "劉": "Liu", "蔡": "Tsai", "楊": "Yang", "許": "Hsu", "鄭": "Cheng", "謝": "Hsieh", "郭": "Kuo",
          "洪": "Hung", "曾": "Tseng", "邱": "Chiu", "廖": "Liao", "賴": "Lai", "周": "Chou", "葉": "Yeh"}

CN_MOB = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
          "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183", "185",
          "186", "187", "188", "189", "191", "195", "198", "199"]
CN_AREA = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512",
           "0532", "0731", "0591", "0592", "0371", "0769", "0757"]
TW_AREA = [("02", 8), ("03", 7), ("04", 8), ("05", 7), ("06", 7), ("07", 7), ("08", 7)]
ID_AREAS = ["110105", "110108", "310115", "310104", "440305", "440304", "330106", "320506", "510107",
            "420111", "610113", "370202", "430104", "350203", "120104", "500112", "410105", "440106",
            "360102", "230103", "450103", "130102", "340104", "530102"]
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
TW_LETTER = dict(A=10, B=11, C=12, D=13, E=14, F=15, G=16, H=17, I=34, J=18, K=19, L=20, M=21, N=22, O=35,
                 P=23, Q=24, R=25, S=26, T=27, U=28, V=29, W=32, X=30, Y=31, Z=33)
PLATE_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤川宁琼"
PLATE_LET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
BINS = [("622202", 19), ("621700", 19), ("622848", 19), ("621661", 19), ("622588", 16), ("621483", 16),
        ("623058", 19), ("621226", 18), ("625807", 16), ("436742", 16), ("518710", 16), ("622700", 19),
        ("621799", 17), ("622262", 19)]
PUBLIC_OCTET = [27, 36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
                120, 121, 122, 123, 124, 125, 180, 182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223]
HANZI_DIGIT = "〇一二三四五六七八九"

# (province prefix, city, [(district, [roads])]) -- real roads, invented numbers
CN_PLACES = [
    ("", "北京市", [("朝阳区", ["建国路", "望京街", "酒仙桥路", "东三环中路"]), ("海淀区", ["中关村大街", "学院路", "西二旗大街"]),
                   ("丰台区", ["丰台北路", "南三环西路"])]),
    ("", "上海市", [("浦东新区", ["张江路", "世纪大道", "金桥路"]), ("徐汇区", ["漕溪北路", "宜山路"]),
                   ("闵行区", ["虹梅南路", "莘松路"])]),
    ("广东省", "深圳市", [("南山区", ["科技园南路", "深南大道", "后海大道"]), ("福田区", ["福华一路", "益田路"]),
                      ("龙岗区", ["龙翔大道", "五和大道"])]),
    ("广东省", "广州市", [("天河区", ["天河北路", "体育东路", "华夏路"]), ("海珠区", ["新港中路", "江南大道中"])]),
    ("浙江省", "杭州市", [("西湖区", ["文三路", "天目山路"]), ("余杭区", ["文一西路", "五常大道"]),
                      ("滨江区", ["江南大道", "网商路"])]),
    ("江苏省", "苏州市", [("工业园区", ["星湖街", "金鸡湖大道"]), ("姑苏区", ["人民路", "干将西路"])]),
    ("江苏省", "南京市", [("鼓楼区", ["中山路", "湖南路"]), ("江宁区", ["双龙大道", "胜太路"])]),
    ("四川省", "成都市", [("武侯区", ["科华北路", "武侯祠大街"]), ("高新区", ["天府三街", "益州大道"])]),
    ("湖北省", "武汉市", [("洪山区", ["珞喻路", "关山大道"]), ("江汉区", ["建设大道", "解放大道"])]),
    ("陕西省", "西安市", [("雁塔区", ["小寨东路", "科技路"]), ("碑林区", ["南大街", "友谊东路"])]),
    ("山东省", "青岛市", [("市南区", ["香港中路", "山东路"]), ("崂山区", ["海尔路", "株洲路"])]),
    ("湖南省", "长沙市", [("岳麓区", ["麓山南路", "桐梓坡路"]), ("天心区", ["芙蓉中路", "劳动西路"])]),
    ("", "天津市", [("南开区", ["卫津路", "鞍山西道"]), ("河西区", ["友谊路", "围堤道"])]),
    ("", "重庆市", [("渝北区", ["金开大道", "新南路"]), ("渝中区", ["民族路", "中山三路"])]),
    ("福建省", "厦门市", [("思明区", ["湖滨南路", "莲前西路"]), ("湖里区", ["枋湖路", "金尚路"])]),
    ("河南省", "郑州市", [("金水区", ["花园路", "经三路"]), ("郑东新区", ["商务外环路", "农业东路"])]),
]
CN_ESTATES = ["阳光花园", "万科城", "碧桂园", "金地格林小镇", "龙湖春江郦城", "保利香槟国际", "翠苑三区", "幸福里小区",
              "东方明珠苑", "绿城桂花园", "华润城", "世纪城"]
TW_PLACES = [
    ("台北市", [("大安區", ["忠孝東路四段", "復興南路一段", "和平東路二段"]), ("信義區", ["松仁路", "基隆路一段"]),
             ("中山區", ["南京東路二段", "民生東路三段"]), ("內湖區", ["瑞光路", "成功路四段"])]),
    ("新北市", [("板橋區", ["文化路一段", "中山路二段"]), ("新莊區", ["中正路", "思源路"]), ("中和區", ["景平路", "中正路"])]),
    ("台中市", [("西屯區", ["台灣大道三段", "市政路"]), ("北屯區", ["崇德路二段", "文心路四段"])]),
    ("高雄市", [("苓雅區", ["四維三路", "中正一路"]), ("左營區", ["博愛二路", "自由二路"])]),
    ("台南市", [("東區", ["東門路二段", "林森路一段"]), ("中西區", ["民生路二段", "西門路一段"])]),
    ("桃園市", [("中壢區", ["中大路", "中央西路二段"]), ("桃園區", ["中正路", "經國路"])]),
]

CN_CITIES_ALONE = ["杭州", "成都", "苏州", "武汉", "西安", "厦门", "青岛", "长沙", "合肥", "南京", "郑州", "佛山", "东莞",
                   "宁波", "无锡", "昆明", "贵阳", "大连"]
CN_PLACES_TRAP = ["江南", "黄山", "马鞍山", "周庄", "高新区", "金山区", "石家庄", "常州", "白云区", "宋庄", "钱塘江",
                  "龙华区", "洪山区", "唐山"]
TW_CITIES_ALONE = ["台北", "新竹", "台中", "高雄", "台南", "桃園", "基隆", "花蓮", "宜蘭", "嘉義"]
TW_PLACES_TRAP = ["林口", "黃金海岸", "陽明山", "高雄", "金門", "馬祖", "王田交流道", "林森北路", "中山站", "江子翠"]

CN_DEPTS = ["人力资源部", "财务部", "研发中心", "质量管理部", "市场部", "客服中心", "采购部", "法务部", "行政部", "供应链管理部",
            "信息安全部", "售后服务部", "生产部", "品牌部", "战略发展部", "运维组"]
TW_DEPTS = ["人資部", "財務部", "研發處", "品保部", "行銷部", "客服中心", "採購課", "法務室", "管理部", "業務一部", "資訊部"]
CN_JOBS = ["经理", "主管", "总监", "项目经理", "工程师", "产品经理", "专员", "组长", "副总裁", "技术负责人", "班组长",
           "质检员", "销售代表"]
TW_JOBS = ["經理", "主管", "協理", "專員", "工程師", "副總", "組長", "業務代表", "店長", "課長"]
CN_TRAP_BRANDS = ["周大福", "王府井百货", "李宁", "张小泉", "王老吉", "马应龙", "周黑鸭", "老干妈", "小米", "吴裕泰",
                  "胡庆余堂", "杨国福", "黄飞红", "老凤祥", "海底捞", "金蝶", "白象", "江小白", "钱大妈", "陈李济"]
TW_TRAP_BRANDS = ["鼎泰豐", "林鳳營", "郭元益", "王品", "吳寶春麥方店", "張君雅小妹妹", "陳三鼎", "黑松", "義美", "統一超商",
                  "全聯", "金蘭醬油", "李製餅家", "老協珍"]
CN_PRODUCTS = ["iPhone 15 Pro", "MacBook Air", "华为Mate 60", "小米14", "钉钉", "企业微信", "飞书", "用友U8", "金蝶K3",
               "王者荣耀", "白加黑", "云南白药", "戴森吸尘器", "ThinkPad X1", "Office 365", "SAP ERP", "Jira", "AutoCAD"]
TW_PRODUCTS = ["iPhone 15", "LINE", "MacBook Pro", "ASUS Zenbook", "Gogoro", "悠遊卡", "一卡通", "Excel", "Teams"]


class G:
    """Random values; `loc` is the current document's locale."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fk = {CN: Faker(CN), TW: Faker(TW)}
        self.fk[CN].seed_instance(seed + 1)
        self.fk[TW].seed_instance(seed + 2)
        self.loc = CN
        self.seen: set[str] = set()

    # small helpers
    def ch(self, seq):
        return self.rng.choice(seq)

    def p(self, prob: float) -> bool:
        return self.rng.random() < prob

    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def start_doc(self, loc: str) -> None:
        self.loc = loc
        self.seen = set()

    @property
    def tw(self) -> bool:
        return self.loc == TW

    # --- names ---
    def surname(self) -> str:
        fk = self.fk[self.loc]
        while True:
            s = fk.last_name()
            if len(s) == 1:
                return s

    def given(self, n: int) -> str:
        fk = self.fk[self.loc]
        for _ in range(200):
            g = fk.first_name()
            if g in ("想",):
                continue
            if len(g) == n:
                return g
            if n == 2 and len(g) == 1:
                g2 = fk.first_name()
                if len(g2) == 1 and g2 != g:
                    return g + g2
            if n == 1 and len(g) == 2 and self.tw:  # zh_TW given names are two characters: take one
                return self.ch(g)
        raise RuntimeError("no given name")

    def _fresh(self, make) -> tuple:
        for _ in range(100):
            v = make()
            if v[0] not in self.seen:
                self.seen.add(v[0])
                return v
        return v

    def full_name(self, form: str | None = None) -> tuple[str, str]:
        def make():
            r = self.rng.random()
            f = form or ("full3" if r < 0.62 else "full2" if r < 0.88 else "compound4" if r < 0.96 else "compound3")
            if self.tw and f in ("full2", "compound3") and self.p(0.7):  # one-character given names are rare in Taiwan
                f = "full3" if f == "full2" else "compound4"
            comp = TW_COMPOUND if self.tw else CN_COMPOUND
            if f == "full3":
                return self.surname() + self.given(2), f
            if f == "full2":
                return self.surname() + self.given(1), f
            if f == "compound4":
                return self.ch(comp) + self.given(2), f
            return self.ch(comp) + self.given(1), f
        return self._fresh(make)

    def P(self, placement: str, form: str | None = None) -> Ent:
        """A full name; ctx is where it stands."""
        name, f = self.full_name(form)
        return Ent("PERSON", name, placement, form=f, placement=placement)

    def PT(self, placement: str = "prose") -> Ent:
        """Surname + title (王总, 陳經理): the whole expression is the value."""
        v = self._fresh(lambda: (self.surname() + self.ch(TW_TITLES if self.tw else CN_TITLES),))[0]
        return Ent("PERSON", v, "surname_title", form="surname_title", placement=placement)

    def PTt(self, title: str, placement: str = "prose") -> Ent:
        v = self._fresh(lambda: (self.surname() + title,))[0]
        return Ent("PERSON", v, "surname_title", form="surname_title", placement=placement)

    def PL(self, placement: str = "prose") -> Ent:
        """老王 / 小李 / 阿明."""
        def make():
            if self.tw and self.p(0.4):
                return ("阿" + self.given(2)[-1],)
            return (self.ch("老小") + self.surname(),)
        v = self._fresh(make)[0]
        return Ent("PERSON", v, "lao_xiao", form="lao_xiao", placement=placement)

    def PG(self, placement: str = "prose") -> Ent:
        """Given name alone (two characters)."""
        v = self._fresh(lambda: (self.given(2),))[0]
        return Ent("PERSON", v, "given_only", form="given_only", placement=placement)

    def PE(self, placement: str = "prose", alone: bool = False) -> Ent:
        """English name of Chinese staff: Kevin Zhang / Vivian Lin, or the English given name alone."""
        if alone:
            v = self._fresh(lambda: (self.ch(ENGLISH),))[0]
            return Ent("PERSON", v, "english_given", form="english_given", placement=placement)
        surs = list(TW_ROM.values()) if self.tw else [x for k, x in PY_SUR.items() if len(k) == 1]
        v = self._fresh(lambda: (f"{self.ch(ENGLISH)} {self.ch(surs)}",))[0]
        return Ent("PERSON", v, "english_name", form="english_name", placement=placement)

    def PY(self, placement: str = "prose") -> Ent:
        """A romanised Chinese name: Zhang Wei, ZHANG Wei, Wei Zhang, LIN YA-HUI, Ya-Hui Lin."""
        def make():
            if self.tw:
                fk = self.fk[TW]
                given, sur = fk.first_romanized_name(), fk.last_romanized_name()
                style = self.rng.randrange(3)
                return (f"{sur} {given}" if style == 0 else f"{given.title()} {sur.title()}" if style == 1
                        else f"{sur.title()} {given.title()}",)
            sur = self.ch(list(PY_SUR.values()))
            giv = "".join(self.ch(list(PY_GIV.values())) for _ in range(self.ch([1, 2, 2])))
            style = self.rng.randrange(4)
            return (f"{sur} {giv.title()}" if style == 0 else f"{sur.upper()} {giv.title()}" if style == 1
                    else f"{giv.title()} {sur}" if style == 2 else f"{sur.upper()} {giv.upper()}",)
        v = self._fresh(make)[0]
        return Ent("PERSON", v, "pinyin", form="pinyin", placement=placement)

    def matched(self) -> tuple[str, str, str]:
        """(汉字 name, pinyin surname, pinyin given) from the small tables, for passports and e-mails."""
        def make():
            sur = self.ch([k for k in PY_SUR if len(k) == 1] * 8 + [k for k in PY_SUR if len(k) == 2])
            gl = self.ch([1, 2, 2])
            giv = "".join(self.ch(list(PY_GIV)) for _ in range(gl))
            return sur + giv, PY_SUR[sur], "".join(PY_GIV[c] for c in giv)
        return self._fresh(make)

    def Pm(self, name: str, placement: str) -> Ent:
        form = ("compound" if name[:2] in CN_COMPOUND else "full") + str(len(name))
        return Ent("PERSON", name, placement, form=form, placement=placement)

    # --- phones ---
    def mobile(self, style: str | None = None) -> Ent:
        if self.tw:
            d = "09" + self.digits(8)
            style = style or self.ch(["tw_mobile_dashed", "tw_mobile_dashed", "tw_mobile_plain", "tw_mobile_spaced",
                                      "tw_mobile_intl"])
            v = {"tw_mobile_dashed": f"{d[:4]}-{d[4:7]}-{d[7:]}", "tw_mobile_plain": d,
                 "tw_mobile_spaced": f"{d[:4]} {d[4:7]} {d[7:]}",
                 "tw_mobile_intl": f"+886 {d[1:4]} {d[4:7]} {d[7:]}" if self.p(0.5) else f"+886-{d[1:4]}-{d[4:7]}-{d[7:]}"}[style]
            return Ent("PHONE_NUMBER", v, style)
        d = self.ch(CN_MOB) + self.digits(8)
        style = style or self.ch(["mobile_plain"] * 4 + ["mobile_spaced", "mobile_dashed", "mobile_intl", "mobile_intl_plain"])
        v = {"mobile_plain": d, "mobile_spaced": f"{d[:3]} {d[3:7]} {d[7:]}", "mobile_dashed": f"{d[:3]}-{d[3:7]}-{d[7:]}",
             "mobile_intl": self.ch([f"+86 {d[:3]} {d[3:7]} {d[7:]}", f"+86-{d}", f"(+86) {d}", f"0086 {d}"]),
             "mobile_intl_plain": f"+86{d}"}[style]
        return Ent("PHONE_NUMBER", v, style)

    def landline(self, style: str | None = None) -> Ent:
        if self.tw:
            area, n = self.ch(TW_AREA)
            d = str(self.rng.randint(2, 8)) + self.digits(n - 1)
            num = f"{d[:4]}-{d[4:]}" if n == 8 else f"{d[:3]}-{d[3:]}"
            style = style or self.ch(["tw_landline_paren", "tw_landline", "tw_landline_ext"])
            v = {"tw_landline_paren": f"({area}){num}", "tw_landline": f"{area}-{num}",
                 "tw_landline_ext": f"({area}){num}#{self.rng.randint(100, 899)}"}[style]
            return Ent("PHONE_NUMBER", v, style)
        area = self.ch(CN_AREA)
        n = 8 if len(area) == 3 or self.p(0.7) else 7
        d = str(self.rng.randint(2, 8)) + self.digits(n - 1)
        style = style or self.ch(["landline", "landline", "landline_paren", "landline_spaced", "landline_ext", "landline_intl"])
        v = {"landline": f"{area}-{d}", "landline_paren": f"({area}){d}",
             "landline_spaced": f"{area} {d[:4]} {d[4:]}",
             "landline_ext": f"{area}-{d}" + self.ch(["转", "-", " ext."]) + str(self.rng.randint(800, 8999)),
             "landline_intl": f"+86 {area[1:]} {d}"}[style]
        return Ent("PHONE_NUMBER", v, style)

    def phone(self) -> Ent:
        return self.mobile() if self.p(0.75) else self.landline()

    # --- e-mail ---
    def email(self, py: tuple[str, str] | None = None, ctx: str = "email") -> Ent:
        if py is None:
            if self.tw:
                fk = self.fk[TW]
                sur, giv = fk.last_romanized_name().lower(), fk.first_romanized_name().lower().replace("-", "")
            else:
                sur = self.ch(list(PY_SUR.values())).lower()
                giv = "".join(self.ch(list(PY_GIV.values())) for _ in range(self.ch([1, 2])))
        else:
            sur, giv = py[0].lower(), py[1].lower()
        if self.tw:
            dom = self.ch(["gmail.com", "yahoo.com.tw", "hotmail.com", "msa.hinet.net", "outlook.com",
                           "fonglin.com.tw", "hsinyi-tech.com.tw", "ntu.edu.tw"])
        else:
            dom = self.ch(["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com", "gmail.com",
                           "outlook.com", "139.com", "hengda-tech.com", "xinrui.com.cn", "zju.edu.cn", "ruanxin.cn"])
        if dom == "qq.com" and self.p(0.6):
            local = str(self.rng.randint(10000000, 2999999999))
            ctx = "email_qq_number" if ctx == "email" else ctx
        else:
            local = self.ch([f"{giv}.{sur}", f"{sur}{giv}", f"{sur}_{giv}{self.rng.randint(1, 99)}",
                             f"{sur}{giv[0]}{self.rng.randint(70, 99)}", f"{giv[0]}{sur}", f"{sur}.{giv}"])
        return Ent("EMAIL_ADDRESS", f"{local}@{dom}", ctx)

    # --- addresses (label from the district down; province and city are left unlabelled) ---
    def address(self, style: str | None = None) -> tuple[str, Ent]:
        """(unlabelled prefix, STREET_ADDRESS entity)."""
        if self.tw:
            city, dists = self.ch(TW_PLACES)
            dist, roads = self.ch(dists)
            road = self.ch(roads)
            no = self.rng.randint(1, 399)
            tail = self.ch([f"{no}號{self.rng.randint(2, 18)}樓", f"{self.rng.randint(10, 300)}巷{self.rng.randint(1, 30)}號",
                            f"{self.rng.randint(10, 300)}巷{self.rng.randint(1, 20)}弄{self.rng.randint(1, 40)}號{self.rng.randint(2, 7)}樓",
                            f"{no}號{self.rng.randint(2, 18)}樓之{self.rng.randint(1, 9)}"])
            style = style or self.ch(["tw_full", "tw_full", "tw_full", "tw_no_city", "tw_spaced", "tw_postcode"])
            if style == "tw_no_city":
                return "", Ent("STREET_ADDRESS", f"{dist}{road}{tail}", style)
            if style == "tw_spaced":
                return city + " ", Ent("STREET_ADDRESS", f"{dist} {road} {tail}", style)
            if style == "tw_postcode":
                return f"{self.rng.randint(100, 983)}{city}", Ent("STREET_ADDRESS", f"{dist}{road}{tail}", style)
            return city, Ent("STREET_ADDRESS", f"{dist}{road}{tail}", style)
        prov, city, dists = self.ch(CN_PLACES)
        dist, roads = self.ch(dists)
        road = self.ch(roads)
        no = self.rng.randint(1, 999)
        b, r = self.rng.randint(1, 30), f"{self.rng.randint(1, 32)}{self.rng.randint(1, 4):02d}"
        tail = self.ch([f"{no}号", f"{no}号{b}栋{r}室", f"{no}号院{b}号楼{self.rng.randint(1, 6)}单元{r}",
                        f"{no}弄{b}号{r}室", f"{no}号{self.ch(['A', 'B', 'C'])}座{self.rng.randint(3, 28)}层"])
        style = style or self.ch(["full"] * 4 + ["city_district", "district_street", "street_only", "spaced", "estate"])
        if style == "full":
            return prov + city, Ent("STREET_ADDRESS", f"{dist}{road}{tail}", style)
        if style == "city_district":
            return city, Ent("STREET_ADDRESS", f"{dist}{road}{tail}", style)
        if style == "district_street":
            return "", Ent("STREET_ADDRESS", f"{dist}{road}{tail}", style)
        if style == "street_only":
            return "", Ent("STREET_ADDRESS", f"{road}{tail}", style)
        if style == "spaced":
            tail2 = f"{no}号 {self.rng.randint(2, 28)}楼" if self.p(0.5) else f"{no} 号 {b} 栋 {r} 室"
            return (prov + " " if prov else "") + city + " ", Ent("STREET_ADDRESS", f"{dist} {road} {tail2}", style)
        est = self.ch(CN_ESTATES)
        return city, Ent("STREET_ADDRESS", f"{dist}{est}{b}栋{self.rng.randint(1, 4)}单元{r}", style)

    def addr(self, style: str | None = None) -> list:
        pre, e = self.address(style)
        return [pre, e]

    # --- ids and numbers ---
    def birth(self, lo: int = 1958, hi: int = 2003) -> dt.date:
        return dt.date(self.rng.randint(lo, hi), 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def rid(self, birth: dt.date | None = None, ctx: str = "id18") -> Ent:
        birth = birth or self.birth()
        body = self.ch(ID_AREAS) + birth.strftime("%Y%m%d") + self.digits(3)
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_W)) % 11]
        v = body + check
        if ctx == "id18_spaced":
            v = f"{v[:6]} {v[6:14]} {v[14:]}"
        if check == "X" and self.p(0.3):
            v, ctx = v[:-1] + "x", "id18_lower_x"
        return Ent("CN_RESIDENT_ID", v, ctx)

    def twid(self, ctx: str = "tw_id") -> Ent:
        letter = self.ch("ABCDEFGHJKLMNPQRSTUVXY")
        n = TW_LETTER[letter]
        ds = [self.ch([1, 2])] + [self.rng.randrange(10) for _ in range(7)]
        s = n // 10 + (n % 10) * 9 + sum(d * w for d, w in zip(ds, [8, 7, 6, 5, 4, 3, 2, 1]))
        v = letter + "".join(map(str, ds)) + str((10 - s % 10) % 10)
        return Ent("TW_NATIONAL_ID", v, ctx)

    @staticmethod
    def luhn_digit(body: str) -> str:
        total = 0
        for i, c in enumerate(reversed(body)):
            n = int(c)
            if i % 2 == 0:
                n *= 2
                if n > 9:
                    n -= 9
            total += n
        return str((10 - total % 10) % 10)

    def card(self, style: str | None = None) -> Ent:
        bin_, n = self.ch(BINS)
        body = bin_ + self.digits(n - len(bin_) - 1)
        v = body + self.luhn_digit(body)
        style = style or self.ch(["card_plain", "card_plain", "card_grouped", "card_glued"])
        if style == "card_grouped":
            v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        return Ent("CREDIT_CARD", v, style)

    def uscc(self, ctx: str = "uscc_company", individual: bool = False) -> Ent:
        head = "92" if individual else self.ch(["91", "91", "91", "12", "52"])
        area = self.ch(ID_AREAS)
        org = "".join(self.ch("0123456789" * 3 + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org, [3, 7, 9, 10, 5, 8, 4, 2]))
        c9 = 11 - s % 11
        org += "X" if c9 == 10 else "0" if c9 == 11 else str(c9)
        s17 = head + area + org
        c = 31 - sum(USCC_CHARS.index(x) * w for x, w in zip(s17, USCC_W)) % 31
        return Ent("CN_USCC", s17 + USCC_CHARS[0 if c == 31 else c], "uscc_individual" if individual else ctx)

    def passport(self) -> Ent:
        if self.p(0.55):
            return Ent("CN_PASSPORT", "E" + self.digits(8), "passport_e8")
        return Ent("CN_PASSPORT", "E" + self.ch("ABCDEFGH") + self.digits(7), "passport_e_letter")

    def plate(self, style: str | None = None) -> Ent:
        prov, city = self.ch(PLATE_PROV), self.ch("ABCDEFGHJK")
        style = style or self.ch(["plate_plain", "plate_dot", "plate_space", "plate_new_energy"])
        if style == "plate_new_energy":
            tail = self.ch("DF") + self.digits(5)
            return Ent("CN_LICENSE_PLATE", prov + city + self.ch(["·", "", " "]) + tail, style)
        tail = list(self.digits(5))
        for _ in range(self.ch([0, 0, 1, 1, 2])):
            tail[self.rng.randrange(5)] = self.ch("ABCDEFGHJKLMNPQRSTUVWXYZ")
        tail = "".join(tail)
        sep = {"plate_plain": "", "plate_dot": "·", "plate_space": " "}[style]
        return Ent("CN_LICENSE_PLATE", prov + city + sep + tail, style)

    def ip(self, ctx: str = "ipv4") -> Ent:
        if ctx == "ipv6":
            v = "240e:" + ":".join(f"{self.rng.randrange(1, 0xffff):x}" for _ in range(3)) + "::" + f"{self.rng.randrange(1, 0xfff):x}"
            return Ent("IP_ADDRESS", v, ctx)
        if ctx == "ipv4_private":
            v = self.ch([f"10.{self.rng.randint(1, 250)}.{self.rng.randint(1, 250)}.{self.rng.randint(2, 250)}",
                         f"192.168.{self.rng.randint(2, 250)}.{self.rng.randint(2, 250)}"])
            return Ent("IP_ADDRESS", v, ctx)
        v = ".".join([str(self.ch(PUBLIC_OCTET))] + [str(self.rng.randint(1, 254)) for _ in range(3)])
        return Ent("IP_ADDRESS", v, ctx)

    def dob(self, birth: dt.date | None = None, style: str | None = None) -> Ent:
        b = birth or self.birth()
        y, m, d = b.year, b.month, b.day
        if self.tw:
            ry = y - 1911
            style = style or self.ch(["roc", "roc", "roc_short", "roc_slash", "slash_padded", "iso"])
            v = {"roc": f"民國{ry}年{m}月{d}日", "roc_short": f"{ry}年{m:02d}月{d:02d}日", "roc_slash": f"{ry}/{m:02d}/{d:02d}",
                 "slash_padded": f"{y}/{m:02d}/{d:02d}", "iso": f"{y}-{m:02d}-{d:02d}"}[style]
            return Ent("DATE_OF_BIRTH", v, "dob_" + style)
        style = style or self.ch(["ymd_cn", "ymd_cn", "ymd_cn_padded", "iso", "slash", "dot", "compact", "hanzi"])
        v = {"ymd_cn": f"{y}年{m}月{d}日", "ymd_cn_padded": f"{y}年{m:02d}月{d:02d}日", "iso": f"{y}-{m:02d}-{d:02d}",
             "slash": f"{y}/{m}/{d}", "dot": f"{y}.{m:02d}.{d:02d}", "compact": f"{y}{m:02d}{d:02d}",
             "hanzi": "".join(HANZI_DIGIT[int(c)] for c in str(y)) + "年" + hanzi_num(m) + "月" + hanzi_num(d) + "日"}[style]
        return Ent("DATE_OF_BIRTH", v, "dob_" + style)

    # --- hard negatives ---
    def date(self, year: int = 2024, short: bool = True) -> Neg:
        m, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
        if self.tw:
            v = self.ch([f"{year - 1911}年{m}月{d}日", f"{year}/{m:02d}/{d:02d}", f"{year - 1911}/{m:02d}/{d:02d}"]
                        + ([f"{m}月{d}日"] if short else []))
        else:
            v = self.ch([f"{year}年{m}月{d}日", f"{year}-{m:02d}-{d:02d}", f"{year}.{m:02d}.{d:02d}", f"{year}/{m}/{d}"]
                        + ([f"{m}月{d}日"] if short else []))
        return N("date", v)

    def month_day_birthday(self) -> Ent:
        b = self.birth()
        v = self.ch([f"{b.month}月{b.day}日", f"{b.month:02d}-{b.day:02d}", f"{b.month}.{b.day}"])
        return Ent("DATE_OF_BIRTH", v, "dob_month_day")

    def two(self, fn) -> tuple:
        a = fn()
        for _ in range(50):
            b = fn()
            if b.value != a.value:
                return a, b
        return a, b

    def amount(self, scale: str = "") -> Neg:
        if scale == "small":
            y = self.rng.randint(80, 9800)
            return N("amount", self.ch([f"{y:,}元", f"¥{y:,}.00", f"{y}元"]) if not self.tw else self.ch([f"NT${y:,}", f"{y:,}元"]))
        if scale == "big":
            return N("amount", self.ch([f"{self.rng.randint(20, 900)}万元", f"¥{self.rng.randint(1, 9)},{self.rng.randint(100, 999)},{self.rng.randint(0, 999):03d}.00",
                                        f"{self.rng.randint(1, 9)}.{self.rng.randint(1, 9)}亿元"]) if not self.tw else
                     self.ch([f"新台幣{self.rng.randint(20, 900)}萬元", f"NT${self.rng.randint(1, 9)},{self.rng.randint(100, 999)},000"]))
        if self.tw:
            return N("amount", self.ch([f"NT${self.rng.randint(1, 98)},{self.rng.randint(0, 999):03d}",
                                        f"新台幣{self.rng.randint(2, 60)}萬元", f"{self.rng.randint(1, 9)},{self.rng.randint(0, 999):03d}元"]))
        return N("amount", self.ch([f"¥{self.rng.randint(1, 98)},{self.rng.randint(0, 999):03d}.00",
                                    f"{self.rng.randint(2, 480)}万元", f"{self.rng.randint(1, 9)},{self.rng.randint(0, 999):03d}元",
                                    f"人民币{self.ch(['壹', '贰', '叁', '伍'])}万元整", f"{self.rng.randint(1, 99)}.{self.rng.randint(1, 9)}万元"]))

    def hotline(self) -> Neg:
        if self.tw:
            return N("hotline", self.ch([f"0800-{self.digits(3)}-{self.digits(3)}", f"0800 {self.digits(3)} {self.digits(3)}",
                                         f"0809-{self.digits(3)}-{self.digits(3)}", "1999", "1925"]))
        return N("hotline", self.ch([f"400-{self.digits(3)}-{self.digits(4)}", f"4008-{self.digits(3)}-{self.digits(3)}",
                                     f"400 {self.digits(3)} {self.digits(4)}", f"400{self.digits(7)}", f"800-{self.digits(3)}-{self.digits(4)}",
                                     "95588", "95533", "95338", "10086", "12315", "12345"]))

    def order(self, prefix: str = "") -> Neg:
        kind = self.rng.randrange(5)
        if kind == 0:
            v = prefix + "2024" + self.digits(14)  # 18 digits, fails the ID and Luhn checks below
        elif kind == 1:
            v = prefix + self.ch(["SF", "JD", "YT", "ZTO"]) + self.digits(13)
        elif kind == 2:
            v = prefix + self.ch(["DD", "PO", "SO", "RMA"]) + "2024" + self.digits(8)
        elif kind == 3:
            v = prefix + self.digits(16)
        else:
            v = prefix + self.ch(["INC", "REQ", "QA", "HT"]) + "-2024-" + self.digits(4)
        # order numbers are not PII; keep them from passing the Luhn or resident-ID checks by chance
        while True:
            digits = "".join(c for c in v if c.isdigit())
            if len(digits) >= 13 and (self.luhn_digit(digits[:-1]) == digits[-1] or (len(digits) == 18 and id_ok(digits))):
                v = v[:-1] + str((int(v[-1]) + 1) % 10)
                continue
            return N("order_no", v)

    def version(self) -> Neg:
        return N("version", self.ch([f"v{self.rng.randint(1, 9)}.{self.rng.randint(0, 20)}.{self.rng.randint(0, 9)}",
                                     f"V{self.rng.randint(1, 5)}.{self.rng.randint(0, 12)}.{self.rng.randint(0, 30)}.{self.rng.randint(100, 999)}",
                                     f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 9)}.{self.rng.randint(10, 254)}.{self.rng.randint(1, 99)}",
                                     f"Build {self.rng.randint(1000, 9999)}", f"iOS 17.{self.rng.randint(0, 5)}.1",
                                     f"Android {self.rng.randint(11, 14)}"]))

    def dept(self) -> Neg:
        return N("department", self.ch(TW_DEPTS if self.tw else CN_DEPTS))

    def job(self) -> Neg:
        return N("job_title", self.ch(TW_JOBS if self.tw else CN_JOBS))

    def brand(self) -> Neg:
        return N("brand", self.ch(TW_TRAP_BRANDS if self.tw else CN_TRAP_BRANDS))

    def product(self) -> Neg:
        return N("product", self.ch(TW_PRODUCTS if self.tw else CN_PRODUCTS))

    def company(self) -> Neg:
        if self.tw:
            return N("company", self.ch([self.fk[TW].company(), "台積電", "鴻海精密工業股份有限公司", "中華電信",
                                         "王品餐飲股份有限公司", "林記包子店", "長榮海運", "聯發科技", "黃金旅行社"]))
        return N("company", self.ch([self.fk[CN].company(), self.fk[CN].company(), "周大福珠宝集团有限公司",
                                     "王府井百货", "黄河水利工程有限公司", "华为技术有限公司", "顺丰速运",
                                     "江南造船厂", "林氏家居", "马可波罗瓷砖", "高德软件有限公司", "宋城演艺"]))

    def place(self) -> Neg:
        if self.tw:
            return N("place", self.ch(TW_CITIES_ALONE + TW_PLACES_TRAP))
        return N("place", self.ch(CN_CITIES_ALONE + CN_PLACES_TRAP))

    def postcode(self) -> Neg:
        if self.tw:
            return N("postcode", self.ch([str(self.rng.randint(100, 983)), f"{self.rng.randint(100, 983)}{self.digits(2)}"]))
        return N("postcode", f"{self.rng.randint(10, 85)}{self.digits(1)}{self.ch(['000', '100', '020', '057', '200'])}")


def hanzi_num(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else HANZI_DIGIT[n]
    if n < 20:
        return "十" + HANZI_DIGIT[n - 10]
    return HANZI_DIGIT[n // 10] + "十" + (HANZI_DIGIT[n % 10] if n % 10 else "")


def md_table(d: Doc, header: list[str], rows: list[list]) -> None:
    d.f("| " + " | ".join(header) + " |\n")
    d.f("|" + "|".join("---" for _ in header) + "|\n")
    for row in rows:
        d.f("| ")
        for i, cell in enumerate(row):
            if i:
                d.f(" | ")
            d.put(cell)
        d.f(" |\n")


def tsv(d: Doc, header: list[str], rows: list[list], sep: str = "\t") -> None:
    d.f(sep.join(header) + "\n")
    for row in rows:
        for i, cell in enumerate(row):
            if i:
                d.f(sep)
            d.put(cell)
        d.f("\n")


# --- document kinds: zh_CN ----------------------------------------------------------------------------


def S(word: str) -> Neg:
    """A common word that starts with a character used as a surname."""
    return N("surname_word", word)


def LX(word: str) -> Neg:
    """A word that looks like 老/小 + surname but is not a person."""
    return N("lao_xiao_word", word)


def pick(g: G, pool: list, k: int, d: Doc | None = None) -> None:
    """k of the pool's sentences, in pool order; numbered 1., 2., ... when d is given."""
    for j, i in enumerate(sorted(g.rng.sample(range(len(pool)), k))):
        if d is not None:
            d.f(f"{j + 1}. ")
        pool[i]()


def k_meeting_cn(d: Doc, g: G) -> None:
    topic = g.ch(["项目推进周会", "季度经营分析会", "产品需求评审会", "安全生产例会", "供应商沟通会", "门店运营复盘会"])
    d.f("{}{}纪要\n\n", g.dept(), topic)
    d.f("会议时间：{} 14:00-15:30\n会议地点：总部{}座{}楼第二会议室\n", g.date(), g.ch("ABC"), str(g.rng.randint(2, 18)))
    d.f("主持人：{}　记录人：{}\n", g.P("label"), g.P("label"))
    att = [g.P("list_dunhao") for _ in range(g.rng.randint(3, 5))] + [g.PT("list_dunhao")]
    if g.p(0.5):
        att.append(g.PE("list_dunhao"))
    g.rng.shuffle(att)
    d.f("参会人员：{}\n", join(att, "、"))
    if g.p(0.6):
        d.f("请假：{}（{}）\n", g.P("label"), g.ch(["出差", "病假", "年假"]))
    d.f("\n一、上周工作回顾\n")
    pick(g, [
        lambda: d.f("{}通报了{}的进展：测试版本{}已于{}发布，遗留缺陷从42个降到17个。\n", g.P("prose"), g.product(), g.version(), g.date()),
        lambda: d.f("{}指出，{}片区的交付比计划滞后约一周，{}要进入验收，必须{}按节点推进。\n", g.PT(), g.place(), S("马上"), S("严格")),
        lambda: d.f("{}补充说，华东区客户对新报价反馈不错，但对账期有顾虑，会后由{}单独跟进。\n", g.PL(), g.P("prose")),
        lambda: d.f("上月回款{}，完成率91%；{}{}表示第四季度压力仍然很大，{}要抓{}。\n", g.amount("big"), g.dept(), g.PT(), S("龙头企业"), S("黄金周")),
        lambda: d.f("{}和{}分享了在{}驻场的{}，大家都很{}。\n", g.P("prose"), g.P("prose"), g.place(), S("方法"), S("高兴")),
    ], 3)
    d.f("\n二、讨论事项\n")
    pick(g, [
        lambda: d.f("{}提出本季度采购{}已超出预算{}，建议由{}牵头复核；{}同意，但要求{}前给出方案。\n",
                    g.P("prose"), S("金额"), g.amount("big"), g.dept(), g.PT(), S("周末")),
        lambda: d.f("关于与{}的联名活动，由{}负责对接品牌方，对方联系人{}，电话{}。\n", g.brand(), g.PE(), g.PT(), g.mobile()),
        lambda: d.f("{}反映{}审批流程过长，{}建议简化为两级审批，{}负责修改制度{}。\n", g.PG(), g.product(), g.PL(), g.P("prose"), S("文件")),
        lambda: d.f("新招聘的{}下周到岗，暂由{}带教，{}和{}不再另行安排。\n", g.job(), g.P("prose"), S("任务"), S("计划")),
        lambda: d.f("{}提醒：{}期间园区{}检查较多，请各组提前自查。\n", g.PT(), S("周末"), S("安全")),
    ], 3, d)
    d.f("\n三、会议决议\n")
    d.f("- {}负责整理需求清单，{}前发至全员邮箱（抄送{}）；\n", g.P("prose"), g.date(), g.email())
    d.f("- 客户投诉统一转{}处理，对外只公布{}热线{}；\n", g.dept(), g.ch(["客服", "售后"]), g.hotline())
    d.f("- 下次会议：{}，由{}召集。\n", g.date(), g.PT())


def k_callback_cn(d: Doc, g: G) -> None:
    d.f("客户回访记录（编号：{}）\n\n", g.order("HF"))
    cust = g.P("label")
    d.f("客户姓名：{}\n所属单位：{}\n回访方式：电话（{}）\n回访日期：{}\n回访人：{}\n\n",
        cust, g.company(), g.phone(), g.date(), g.P("label"))
    d.f("回访内容：\n")
    pick(g, [
        lambda: d.f("客户表示上月购买的{}使用两周后出现异响，已联系过{}热线{}，但工程师{}一直没上门。\n",
                    g.product(), g.brand(), g.hotline(), g.PT()),
        lambda: d.f("客户提到其同事{}也想了解团购价格，留了手机{}，请销售{}{}联系。\n", g.P("prose"), g.mobile(), g.PE("prose", alone=True), S("马上")),
        lambda: d.f("客户希望发票寄到家里：{}{}，收件人写{}即可。\n", *g.addr(), g.PL()),
        lambda: d.f("客户生日是{}，下月可安排生日关怀礼包（{}礼盒）。\n", g.dob(), g.brand()),
        lambda: d.f("对方采购负责人{}说，运费{}偏高，希望下次报价前先沟通；{}已在{}邮件里回复。\n", g.PT(), S("成本"), g.PE("prose"), S("周五")),
        lambda: d.f("客户对{}的服务态度很满意，特别表扬了{}和{}。\n", g.dept(), g.P("prose"), g.PG()),
        lambda: d.f("客户反映其员工{}用出口IP {}登录后台时被拦截，{}已加入白名单。\n", g.P("prose"), g.ip(g.ch(["ipv4", "ipv6"])), g.PE()),
    ], 4)
    d.f("\n满意度评分：{}/5\n后续跟进人：{}（{}），预计{}前回复客户。\n",
        str(g.rng.randint(2, 5)), g.P("label"), g.email(), g.date())


def k_weekly_cn(d: Doc, g: G) -> None:
    proj = g.ch(["智慧仓储二期", "会员系统重构", "华南门店数字化", "ERP升级", "新能源电池包产线改造", "小程序商城"])
    d.f("【项目周报】{}（第{}周，{}）\n\n项目经理：{}\n\n本周概述：\n", proj, str(g.rng.randint(2, 40)), g.date(), g.P("label"))
    pick(g, [
        lambda: d.f("{}完成了接口联调，{}发布到预发环境；{}在{}出差，下周回来后继续推进。\n", g.P("prose"), g.version(), g.PT(), g.place()),
        lambda: d.f("由于供应商{}延迟交货，{}与对方{}多次沟通，预计{}到货。\n", g.company(), g.P("prose"), g.PT(), g.date()),
        lambda: d.f("{}提出的{}已评审通过，{}负责落地，{}协助测试。\n", g.PE(), S("方案"), g.P("prose"), g.PL()),
        lambda: d.f("本周预算消耗{}，累计{}；{}提醒{}控制在红线以内。\n", g.amount(), g.amount(), g.PT(), S("成本")),
    ], 2)
    d.f("\n")
    hdr_sets = [["事项", "负责人", "进度", "截止日期", "备注"], ["模块", "对接人", "状态", "计划完成", "风险"],
                ["任务", "跟进人", "完成度", "DDL", "说明"], ["工作项", "经手人", "进展", "时间", "备注"],
                ["需求", "组长", "成员", "上线日期", "状态"], ["客户", "销售", "审核", "预计签约", "金额"]]
    hdr = g.ch(hdr_sets)
    rows = []
    items = ["数据迁移", "权限模块", "报表中心", "支付对接", "仓储看板", "压测", "安全评审", "培训材料", "验收文档"]
    for item in g.rng.sample(items, g.rng.randint(3, 5)):
        pct = f"{g.rng.randint(1, 10) * 10}%"
        if hdr[1] == "组长":
            members = join([g.P("table_cell_list") for _ in range(g.rng.randint(1, 3))], "、")
            rows.append([item, g.P("table_name_header"), members, g.date(), g.ch(["进行中", "已完成", "阻塞"])])
        elif hdr[1] == "销售":
            rows.append([g.company(), g.P("table_other_header"), g.P("table_other_header") if g.p(0.6) else g.PT("table_other_header"),
                         g.date(), g.amount()])
        else:
            who = g.P("table_name_header") if g.p(0.7) else g.ch([g.PT, g.PE, g.PL])("table_name_header")
            rows.append([item, who, pct, g.date(), g.ch(["", "依赖外部接口", "待评审", "需协调资源", "已延期一周"])])
    md_table(d, hdr, rows)
    d.f("\n风险与问题：\n1. {}离职交接未完成，相关{}暂由{}接手。\n2. 测试环境IP为{}，生产环境禁止直连，本机调试请使用{}。\n",
        g.P("prose"), S("文档"), g.P("prose"), N("ip_doc", g.ch(["10.0.0.1", "192.168.1.1"])), N("ip_doc", "127.0.0.1"))
    d.f("\n下周计划：完成{}联调，{}在{}前提交验收报告。\n", g.product(), g.PT(), g.date())


def k_incident_cn(d: Doc, g: G) -> None:
    d.f("质量事故报告\n\n报告编号：{}\n发生时间：{} 03:20\n发生地点：{}工厂{}车间SMT-{}线\n\n",
        g.order("QA"), g.date(), g.place(), g.ch(["二", "三", "五"]), str(g.rng.randint(1, 6)))
    d.f("一、事故经过\n")
    pick(g, [
        lambda: d.f("夜班操作工{}在巡检时发现{}控制板（固件{}）批量虚焊，立即通知班组长{}停线。\n", g.P("prose"), g.product(), g.version(), g.PL()),
        lambda: d.f("{}随后赶到现场，确认不良数量326件，涉及订单{}，预计损失{}。\n", g.PT(), g.order(), g.amount()),
        lambda: d.f("质检员{}复核时发现回流焊炉{}设定偏低约15℃，与工艺{}不符。\n", g.P("prose"), S("温度"), S("文件")),
        lambda: d.f("当班{}{}称交接班时未收到异常记录，{}表示已{}补签。\n", g.job(), g.P("prose"), g.PT(), S("马上")),
    ], 3)
    d.f("\n二、原因分析\n经{}组织8D分析，直接{}为炉温参数被误改，间接原因为变更{}未执行双人复核。\n", g.dept(), S("原因"), S("程序"))
    d.f("\n三、责任认定\n")
    md_table(d, ["角色", "姓名", "部门", "处理意见"], [
        ["直接责任人", g.P("table_name_header"), g.dept(), "通报批评，扣减当月绩效"],
        ["管理责任人", g.P("table_name_header"), g.dept(), "书面检讨"],
        ["审核", g.P("table_other_header") if g.p(0.6) else g.PT("table_other_header"), g.dept(), "—"],
    ])
    d.f("\n四、供应商信息\n焊膏供应商：{}（统一社会信用代码：{}），联系人{}，电话{}。\n", g.company(), g.uscc(), g.PT(), g.landline())
    d.f("\n五、纠正措施\n1. 炉温参数加锁，修改需{}及以上权限；\n2. {}前完成全员再培训，由{}负责。\n", g.job(), g.date(), g.P("prose"))
    d.f("\n报告人：{}　　{}\n", g.P("signature"), g.date())


def k_training_cn(d: Doc, g: G) -> None:
    course = g.ch(["信息安全意识", "消防安全", "新版财务报销制度", "高效沟通", "ISO 9001内审员", "反商业贿赂合规"])
    d.f("《{}》培训签到表\n培训日期：{}　地点：{}　讲师：{}\n\n", course, g.date(), g.ch(["多功能厅", "3楼培训室", "线上（腾讯会议）"]),
        g.ch([g.P("label"), g.PT("label")]))
    rows = []
    for i in range(g.rng.randint(5, 9)):
        name = g.P("tsv_name_header") if g.p(0.8) else g.PE("tsv_name_header")
        sig = g.ch(["已签", "√", "", "代签"]) if g.p(0.6) else g.P("tsv_other_header")
        rows.append([str(i + 1), name, g.dept(), f"{g.rng.randint(8, 9):02d}:{g.rng.randint(0, 59):02d}",
                     g.mobile(g.ch(["mobile_plain", "mobile_plain", "mobile_dashed"])), sig])
    tsv(d, ["序号", "姓名", "部门", "签到时间", "手机号", "签名"], rows)
    d.f("\n备注：{}因{}未参加，需补训；缺勤人员请联系{}（{}）。\n", g.P("prose"), g.ch(["出差", "病假", "倒班"]), g.PT(), g.landline())


def k_award_cn(d: Doc, g: G) -> None:
    d.f("关于表彰{}年度先进集体和个人的决定\n\n各部门：\n", str(g.rng.choice([2023, 2024])))
    d.f("过去一年，公司全体员工{}、砥砺前行，经各部门推荐、{}审核，决定对以下人员予以表彰：\n\n", S("齐心协力"), g.dept())
    best = [g.P("list_dunhao") if g.p(0.85) else g.PE("list_dunhao") for _ in range(g.rng.randint(5, 9))]
    d.f("一、年度优秀员工（{}名）\n{}\n\n", str(len(best)), join(best, "、"))
    d.f("二、最佳新人奖\n{}（{}）、{}（{}）\n\n", g.P("list_paren"), g.dept(), g.P("list_paren"), g.dept())
    d.f("三、金牌{}\n{}，全年业绩{}\n\n", g.ch(["销售", "客服", "导师"]), g.P("line_alone"), g.amount("big"))
    d.f("四、年会抽奖\n特等奖（{}）：{}\n一等奖（{}）：{}、{}\n", g.product(), g.P("label"), g.product(),
        g.P("list_dunhao"), g.PY("list_dunhao") if g.p(0.5) else g.P("list_dunhao"))
    d.f("\n颁奖嘉宾：{}、{}\n每位获奖者奖金{}，由{}统一发放至工资卡。\n", g.PT(), g.PT(), g.amount("small"), g.dept())
    if g.p(0.6):
        d.f("以下同事工资卡信息有误，请尽快更正：{}（尾号错误，原登记{}）、{}。\n", g.P("prose"), g.card(), g.PE("prose"))
    d.f("\n{}\n{}\n", g.company(), g.date(short=False))


def k_logistics_cn(d: Doc, g: G) -> None:
    carrier = g.ch(["顺丰速运", "京东物流", "中通快递", "德邦物流", "圆通速递"])
    d.f("物流异常情况说明\n\n致：{}{}\n", g.company(), g.PT())
    d.f("运单号：{}　承运商：{}　发货日期：{}\n\n", g.order(), N("company", carrier), g.date())
    recv = g.P("prose")
    pick(g, [
        lambda: d.f("贵司发往{}的货物（{}，共8箱）于{}在中转场破损，收件人{}拒收。\n", g.place(), g.product(), g.date(), recv),
        lambda: d.f("派送员{}反映，收件地址{}{}无人签收，多次拨打收件人电话{}未接通。\n", g.PT(), *g.addr(), g.mobile()),
        lambda: d.f("该区域（邮编{}一带）因暴雨道路封闭，{}派件暂停，预计{}恢复。\n", g.postcode(), S("江南"), g.date()),
        lambda: d.f("收件人{}来电称包裹外箱有明显油渍渗漏，已拍照留存。\n", g.PL()),
        lambda: d.f("提货车辆{}，司机{}{}，因{}限行滞留一天。\n", g.plate(), g.P("glued"), g.mobile("mobile_plain"), g.place()),
        lambda: d.f("实名寄件人：{}，身份证号{}；寄件人已同意改派。\n", g.P("label"), g.rid()),
    ], 4)
    if g.p(0.5):
        d.f("\n处理方案：\n1. 重新发货，费用{}由承运商承担；\n2. 新收件信息：{}，{}，{}{}；\n", g.amount("small"), g.P("label"), g.mobile(), *g.addr())
    else:
        d.f("\n处理方案：\n1. 重新发货，费用{}由承运商承担；\n2. 新收件信息：{}{}{}{}；\n", g.amount("small"), *g.addr(), g.P("glued"), g.mobile("mobile_plain"))
    d.f("3. 对接人：{}，邮箱{}。\n", g.P("label"), g.email())
    d.f("\n如有疑问请致电{}客服{}。\n{}\n", N("company", carrier), g.hotline(), g.date())


def k_lease_cn(d: Doc, g: G) -> None:
    lord, ten = g.P("prose"), g.P("prose")
    d.f("房屋租赁合同（节选）\n\n")
    d.f("第一条　房屋基本情况\n出租方{}（以下简称甲方）将其位于{}{}的房屋（{}住宅，建筑面积89.5平方米）出租给承租方{}（以下简称乙方）居住使用。\n\n",
        lord, *g.addr(), LX("小高层"), ten)
    if g.p(0.5):
        d.f("乙方同住人：{}，出生日期{}。\n\n", g.P("label"), g.dob())
    d.f("第二条　租赁期限\n自{}起至{}止，共十二个月。\n\n", g.date(2024), g.date(2025))
    d.f("第三条　租金及支付方式\n月租金{}，押一付三。乙方应于每月5日前将租金转入甲方名下{}账户{}，户名：{}。\n\n",
        g.amount("small"), N("company", g.ch(["招商银行", "中国建设银行", "工商银行", "浦发银行"])), g.card(), g.Pm(lord.value, "label"))
    d.f("第四条　身份信息\n甲方身份证号：{}；乙方身份证号码{}。\n\n", g.rid(), g.rid())
    d.f("第五条　维修责任\n房屋主体结构及燃气管道由甲方负责维修；因乙方使用不当造成损坏的，由乙方承担{}。\n\n", S("费用"))
    d.f("第六条　其他\n乙方紧急联系人：{}（{}），联系电话{}。甲方委托中介{}的{}办理交接，对方电话{}。\n",
        g.P("prose"), g.ch(["母亲", "配偶", "兄长"]), g.mobile(), N("company", g.ch(["链家", "我爱我家", "中原地产", "贝壳找房"])),
        g.PT(), g.landline())


def k_medical_cn(d: Doc, g: G) -> None:
    b = g.birth(1940, 2010)
    hosp = g.ch(["北京协和医院", "复旦大学附属中山医院", "浙江大学医学院附属第一医院", "四川大学华西医院", "武汉同济医院", "中山大学附属第三医院"])
    d.f("{}　出院小结\n\n", N("org", hosp))
    d.f("姓名：{}　性别：{}　出生日期：{}　年龄：{}岁\n", g.P("label"), g.ch(["男", "女"]), g.dob(b), str(2024 - b.year))
    d.f("身份证号：{}\n联系电话：{}　联系人：{}（{}）\n住址：{}{}\n", g.rid(b), g.mobile(), g.P("label"), g.ch(["女儿", "儿子", "配偶"]), *g.addr())
    d.f("入院日期：{}　出院日期：{}　科室：{}\n\n", g.date(), g.date(), N("department", g.ch(["心血管内科", "呼吸与危重症医学科", "骨科", "内分泌科"])))
    d.f("入院诊断：{}\n", g.ch(["冠状动脉粥样硬化性心脏病", "社区获得性肺炎", "2型糖尿病", "腰椎间盘突出症"]))
    d.f("诊疗经过：患者入院后完善相关检查，予{}、{}等治疗，按{}疗程三天后症状明显缓解。\n", N("product", g.ch(["阿司匹林肠溶片", "硝苯地平控释片", "二甲双胍"])),
        N("product", g.ch(["头孢呋辛", "甲钴胺", "云南白药"])), S("常规"))
    d.f("出院医嘱：低盐低脂饮食，两周后复查，{}监测血压，如有不适及时就诊或拨打{}。\n\n", S("每天"), N("hotline", "120"))
    d.f("主治医师：{}　住院医师：{}　{}：{}\n", g.P("label"), g.P("label"), N("job_title", "责任护士"), g.P("label"))
    if g.p(0.5):
        d.f("（病情记录由{}核对，如需复印病历请联系{}{}）\n", g.PTt("护士长"), N("department", "病案室"), g.landline())


def k_parent_cn(d: Doc, g: G) -> None:
    school = g.ch(["杭州市天长小学", "北京市育才学校", "深圳实验学校", "成都七中初中学校", "苏州工业园区星海小学"])
    d.f("{}{}家长通知\n\n各位家长：\n", N("org", school), g.ch(["三年级（2）班", "五年级（1）班", "六年级（3）班", "二年级（4）班"]))
    d.f("本学期{}安排在{}（{}）举行，请家长{}准时参加。地点：{}三楼会议室。\n",
        "家长会", g.date(), g.ch(["周五", "周六"]), "务必", N("place", g.ch(["逸夫楼", "中山楼", "图书馆"])))
    pick(g, [
        lambda: d.f("{}同学和{}同学在区{}比赛中获得一等奖，特此表扬。\n", g.P("prose"), g.P("prose"), S("程序设计")),
        lambda: d.f("本周值日生：{}\n", join([g.P("list_dunhao") for _ in range(4)], "、")),
        lambda: d.f("{}妈妈反映孩子近期作业量大，{}已调整；请{}家长尽快联系我（{}）。\n",
                    g.PG("parent_ref"), g.PTt("老师"), g.PG("parent_ref"), g.mobile()),
        lambda: d.f("春游报名截至{}，费用{}，请转账至家委会{}的银行卡{}，备注孩子姓名。\n", g.date(), g.amount("small"), g.P("prose"), g.card()),
        lambda: d.f("以下同学的学平险信息有误，请家长核对：{}（身份证号{}）、{}（身份证号{}）。\n",
                    g.P("list_paren"), g.rid(g.birth(2012, 2017)), g.P("list_paren"), g.rid(g.birth(2012, 2017))),
        lambda: d.f("请假请在钉钉群里提交，不再接受电话请假；本周五下午放学时间调整为15:30，{}。\n", S("谢谢配合")),
    ], 4)
    d.f("\n班主任：{}\n联系电话：{}　邮箱：{}\n{}\n", g.P("label"), g.mobile(), g.email(), g.date())


def k_bid_cn(d: Doc, g: G) -> None:
    proj = g.ch(["智慧园区安防系统采购项目", "办公楼物业服务项目", "数据中心UPS改造项目", "食堂食材配送项目", "职工体检服务项目"])
    d.f("{}\n评标报告（评审意见）\n\n招标编号：{}\n开标时间：{} 09:30\n\n", proj, g.order("ZB"), g.date())
    d.f("一、评标委员会\n组长：{}；成员：{}\n\n", g.P("label"), join([g.P("list_dunhao") for _ in range(4)], "、"))
    d.f("二、投标单位及报价\n")
    rows = []
    for _ in range(3):
        rows.append([g.company(), g.uscc(), g.amount("big"), g.P("table_other_header")])
    md_table(d, ["投标单位", "统一社会信用代码", "投标报价", "授权代表"], rows)
    d.f("\n三、评审意见\n")
    pick(g, [
        lambda: d.f("第一名投标人项目负责人{}具有一级建造师资格，近三年同类业绩{}个，技术方案较完整。\n", g.P("prose"), "4"),
        lambda: d.f("{}认为第二名投标人售后响应承诺不明确，扣2分；{}对此有保留意见。\n", g.PT(), g.PT()),
        lambda: d.f("第三名投标人为个体工商户（统一社会信用代码{}），经营者{}，资质不满足招标文件要求，作无效标处理。\n",
                    g.uscc(individual=True), g.P("prose")),
        lambda: d.f("评委一致认为报价{}属于合理区间，{}无异常。\n", g.amount("big"), S("单价")),
    ], 3, d)
    d.f("\n四、推荐中标候选人：{}\n\n招标代理联系人：{}，电话{}，邮箱{}\n{}\n", g.company(), g.P("label"), g.landline(), g.email(), g.date())


PUBLIC = ["姚明", "刘翔", "郎朗", "莫言", "杨利伟", "屠呦呦", "雷军", "董明珠", "李娜", "谷爱凌"]
HISTORICAL = ["苏轼", "李白", "杜甫", "王羲之", "孔子", "鲁迅", "李清照", "诸葛亮"]


def k_newsletter_cn(d: Doc, g: G) -> None:
    d.f("《{}通讯》第{}期\n\n", N("company", g.ch(["恒达", "星瑞", "华信", "江南环保"])), str(g.rng.randint(10, 120)))
    d.f("【人物】\n")
    pick(g, [
        lambda: d.f("研发中心的{}带领团队攻克了{}难题，{}评价他“既懂技术又懂业务”。\n", g.P("prose"), g.product(), g.PT()),
        lambda: d.f("今年刚满三十岁的{}，{}起就在{}做售后，被同事们亲切地称为“{}”。\n", g.P("prose"), g.date(2016), g.place(), g.PL()),
        lambda: d.f("{}（{}）从{}调任{}，负责海外渠道。\n", g.P("prose"), g.PE(), *g.two(g.dept)),
        lambda: d.f("退休老员工{}回到公司，和年轻人讲述了当年在{}建厂的故事。\n", g.P("prose"), g.place()),
    ], 2)
    d.f("\n【活动】\n")
    pick(g, [
        lambda: d.f("公司年度论坛邀请到{}到场分享，{}主持了对话环节。\n", Ent("PERSON", g.ch(PUBLIC), "public_figure", form="public_figure", placement="prose"), g.P("prose")),
        lambda: d.f("书法社本月临摹{}的作品，{}的作品获得一致好评。\n", Ent("PERSON", g.ch(HISTORICAL), "historical", form="historical", placement="prose"), g.PG()),
        lambda: d.f("读书会推荐{}选集，领读人：{}。\n", Ent("PERSON", g.ch(HISTORICAL), "historical", form="historical", placement="prose"), g.PT()),
        lambda: d.f("{}假期组织员工前往{}和{}徒步，共87人参加，{}带队。\n", S("周末"), N("place", g.ch(CN_PLACES_TRAP)), g.place(), g.PL()),
        lambda: d.f("篮球赛决赛中{}队以3分险胜，MVP是{}。\n", g.dept(), g.PY()),
    ], 3)
    d.f("\n【公告】\n")
    d.f("新入职同事：{}\n", join([g.P("list_dunhao") for _ in range(g.rng.randint(3, 6))], "、"))
    if g.p(0.7):
        d.f("本月寿星：{}，{}已备好{}蛋糕。\n", join([[g.P("list_paren"), "（", g.month_day_birthday(), "）"] for _ in range(g.rng.randint(2, 4))], "、"),
            g.dept(), g.brand())
    d.f("内刊投稿请发送至{}，稿费{}/篇。本期编辑：{}\n", g.email(), N("amount", f"{g.rng.randint(1, 5) * 100}元"), g.P("label"))


def k_forum_cn(d: Doc, g: G) -> None:
    title = g.ch(["【求助】被二房东坑了押金怎么办", "【吐槽】装修公司拖工期两个月", "【经验】新手第一次买二手车的坑", "【求推荐】{}附近的靠谱牙医"])
    if "{}" in title:
        d.f(title + "\n", g.place())
    else:
        d.f(title + "\n")
    d.f("楼主：风吹麦浪2019　发表于 {} 22:41　IP属地：{}\n\n", g.date(), N("place", g.ch(["广东", "浙江", "四川", "北京", "江苏", "湖北"])))

    def landlord() -> None:
        sur = g.surname()
        d.f("我是技术{}，去年在{}租房，房东姓{}，我们都叫他{}。\n", LX("小白"), g.place(), sur,
            Ent("PERSON", "老" + sur, "lao_xiao", form="lao_xiao", placement="prose"))
    pick(g, [
        lambda: landlord(),
        lambda: d.f("中介是{}的{}，当时签完合同人就找不到了，电话{}一直关机。\n", g.company(), g.PT(), g.mobile()),
        lambda: d.f("后来联系到他们店长{}，说押金{}要扣一半，理由是墙面有污渍。\n", g.P("prose"), g.amount("small")),
        lambda: d.f("昨天{}去吃了{}，顺便问了在那边上班的朋友{}，他说这家公司口碑一直很差。\n", S("周末"), LX("小龙虾"), g.PG()),
        lambda: d.f("车是从{}那里买的，车牌{}，过户后才发现是事故车。\n", g.PL(), g.plate()),
        lambda: d.f("有同样遭遇的可以加我微信聊，我手机{}，{}拉个群。\n", g.mobile(), S("马上")),
        lambda: d.f("房子在{}{}，{}的{}，朝南。\n", *g.addr(), LX("老破小"), S("高层")),
    ], 4)
    d.f("\n---\n2楼 回复：\n")
    pick(g, [
        lambda: d.f("楼主去找{}投诉，打{}，比在这发帖有用。\n", N("org", "市场监督管理局"), N("hotline", "12315")),
        lambda: d.f("同一个{}坑过我，他真名叫{}，大家小心。\n", LX("老狐狸"), g.P("prose")),
        lambda: d.f("顶一下，{}也是这样，最后走了法律{}。\n", g.PL(), S("程序")),
    ], 2)


def k_wechat_cn(d: Doc, g: G) -> None:
    person = g.P("prose")
    d.f("本期人物 | {}：从一线工程师到技术总监\n\n", person)
    d.f("原创　{}官方号　{}\n\n", N("company", g.ch(["星瑞科技", "江南环保", "华信智能"])), g.date())
    d.f("{}出生于{}，{}毕业后加入公司。谈起这些年，{}说最感谢的是当年的师傅{}。\n",
        g.Pm(person.value, "prose"), g.place(), g.ch(["大学", "研究生"]), g.Pm(person.value, "prose"), g.PL())
    pick(g, [
        lambda: d.f("“那时候{}，一周七天在现场，”他笑着说，“{}说，{}就是多问一句为什么。”\n", S("白天黑夜"), g.PTt("总"), S("方法")),
        lambda: d.f("他带的团队里，{}和{}已经成长为骨干，{}则去了{}开拓新市场。\n", g.P("prose"), g.PE(), g.P("prose"), g.place()),
        lambda: d.f("在{}项目上，他和{}一起把系统可用性做到了99.99%。\n", g.product(), g.PT()),
    ], 2)
    d.f("\n— 活动预告 —\n{}将在{}举办开放日，报名请联系{}，电话{}，或发邮件至{}。\n",
        g.dept(), g.date(), g.PTt("老师"), g.mobile(), g.email())
    d.f("活动地址：{}{}\n咨询热线：{}（工作日9:00-18:00）\n", *g.addr(), g.hotline())
    if g.p(0.5):
        d.f("来信请寄：{}市{}信箱，邮编{}。\n", N("place", g.ch(["北京", "杭州", "成都"])), str(g.rng.randint(1, 99)), g.postcode())


def k_contacts_cn(d: Doc, g: G) -> None:
    d.f("# {}通讯录（内部资料，请勿外传）更新于{}\n", g.company(), g.date())
    rows = []
    for _ in range(g.rng.randint(6, 10)):
        m, sp, gp = g.matched()
        name = g.Pm(m, "csv_name_header") if g.p(0.8) else g.PE("csv_name_header")
        rows.append([name, g.dept(), g.job(), g.mobile(g.ch(["mobile_plain", "mobile_plain", "mobile_dashed", "mobile_intl_plain"])),
                     g.landline(g.ch(["landline", "landline_ext"])) if g.p(0.6) else "", g.email((sp, gp))])
    if g.p(0.6):
        for row in rows:
            row.append(g.dob(style=g.ch(["iso", "slash", "dot", "ymd_cn"])) if g.p(0.85) else "")
        tsv(d, ["姓名", "部门", "职务", "手机", "座机", "邮箱", "生日"], rows, sep=",")
    else:
        tsv(d, ["姓名", "部门", "职务", "手机", "座机", "邮箱"], rows, sep=",")


def k_oncall_cn(d: Doc, g: G) -> None:
    d.f("{}节假日值班安排表\n\n", g.dept())
    hdr = g.ch([["日期", "值班", "备班", "审核", "联系电话"], ["日期", "白班", "夜班", "带班领导", "值班手机"],
                ["日期", "主值", "副值", "签发", "电话"]])
    rows = []
    for _ in range(g.rng.randint(4, 7)):
        rows.append([g.date(), g.P("table_other_header"), g.P("table_other_header") if g.p(0.7) else g.PL("table_other_header"),
                     g.PT("table_other_header") if g.p(0.5) else g.P("table_other_header"), g.mobile()])
    md_table(d, hdr, rows)
    d.f("\n说明：\n1. 值班人员须保持手机畅通，交接班时{}核对机房{}与告警记录；\n", S("严格"), S("温度"))
    d.f("2. 遇重大故障先电话通知{}，再上报{}{}；\n", g.PT(), g.dept(), g.job())
    d.f("3. 对外服务热线{}照常开放，值班调整请提前两天找{}（{}）。\n", g.hotline(), g.P("prose"), g.landline())


def k_audit_cn(d: Doc, g: G) -> None:
    d.f("账号安全审计报告（{}）\n\n审计范围：{}、VPN、邮件系统\n审计人：{}\n\n", g.date(), g.product(), g.P("label"))
    d.f("一、异常登录\n")
    for _ in range(g.rng.randint(2, 5)):
        ctx = g.ch(["ipv4", "ipv4", "ipv6", "ipv6", "ipv4_private"])
        d.f("- {} {}:{} 员工{}的账号从{}登录，归属地{}，距上次登录地{}约1200公里，已触发二次验证。\n",
            g.date(), f"{g.rng.randint(0, 23):02d}", f"{g.rng.randint(0, 59):02d}", g.P("prose"), g.ip(ctx), *g.two(g.place))
    d.f("\n二、处置情况\n")
    pick(g, [
        lambda: d.f("{}确认其中一次为本人在{}出差期间使用酒店网络，另一次非本人操作，已重置密码。\n", g.PT(), g.place()),
        lambda: d.f("攻击源{}已加入黑名单；{}负责排查同网段其他账号。\n", g.ip(), g.PL()),
        lambda: d.f("{}的工位机（内网{}）存在弱口令，已通知其主管{}整改。\n", g.P("prose"), g.ip("ipv4_private"), g.PT()),
    ], 2)
    d.f("\n三、配置说明（供参考）\n本地代理监听{}:8080，对外服务绑定{}；子网掩码{}，DNS使用{}与{}。网关组件版本{}。\n",
        N("ip_doc", "127.0.0.1"), N("ip_doc", "0.0.0.0"), N("ip_doc", "255.255.255.0"), N("ip_doc", "114.114.114.114"),
        N("ip_doc", "8.8.8.8"), g.version())
    d.f("\n如有疑问请联系{}，分机{}。\n", g.dept(), str(g.rng.randint(8000, 8999)))


def k_vehicle_cn(d: Doc, g: G) -> None:
    d.f("公务用车使用情况说明\n\n")
    drv = g.P("label")
    d.f("车辆：{}（{}）\n驾驶员：{}　驾驶证号：{}\n用车人：{}\n用车时间：{} 08:00 至 18:30\n事由：陪同客户前往{}考察{}。\n\n",
        g.plate(), N("product", g.ch(["别克GL8", "丰田凯美瑞", "比亚迪汉EV", "大众帕萨特"])), drv, g.rid(ctx="driver_licence"),
        g.PT("label"), g.date(), g.place(), S("林业") if g.p(0.5) else S("黄金"))
    d.f("情况说明：\n")
    pick(g, [
        lambda: d.f("返程途中在{}被电子警察抓拍超速，罚款{}，记3分，由驾驶员{}本人承担。\n", g.place(), N("amount", "200元"), g.Pm(drv.value, "prose")),
        lambda: d.f("因雨天追尾，对方车辆{}，车主{}，电话{}，双方已报保险（报案号{}）。\n", g.plate(), g.P("prose"), g.mobile(), g.order()),
        lambda: d.f("本次行驶里程186公里，油费{}，停车费由{}垫付。\n", g.amount("small"), g.PL()),
        lambda: d.f("另，{}借用{}的私家车{}送样品，往返油费按{}报销。\n", g.P("prose"), g.PT(), g.plate(), S("常规")),
    ], 3)
    d.f("\n{}审批：{}　{}\n", g.dept(), g.PT(), g.date())


def k_refund_cn(d: Doc, g: G) -> None:
    cust = g.P("label")
    b = g.birth()
    d.f("退款/理赔审批单\n\n申请编号：{}\n客户姓名：{}\n证件号码：{}\n联系电话：{}\n原订单号：{}\n",
        g.order("RF"), cust, g.rid(b), g.phone(), g.order())
    d.f("\n申请事由：\n")
    pick(g, [
        lambda: d.f("客户称收到的{}存在质量问题，要求全额退款{}，上门取件地址：{}{}。\n", g.product(), g.amount("small"), *g.addr()),
        lambda: d.f("客户于{}投保的意外险出险，申请理赔{}，已提供医院证明。\n", g.date(2023), g.amount()),
        lambda: d.f("客户出生日期{}，投保时年龄填写有误，{}已更正。\n", g.dob(b), g.PL()),
        lambda: d.f("客户反映被重复扣款两次，每次{}，{}已核实属实。\n", g.amount("small"), g.PT()),
    ], 2)
    bank = N("company", g.ch(["中国工商银行", "招商银行", "中国农业银行", "交通银行", "中国银行"]))
    style = g.ch(["card_plain", "card_grouped", "card_glued"])
    if style == "card_glued":
        d.f("\n退款账户：{}卡号{}开户名{}\n", bank, g.card("card_glued"), g.Pm(cust.value, "glued"))
    else:
        d.f("\n退款账户：{}，卡号：{}，开户名：{}\n", bank, g.card(style), g.Pm(cust.value, "label"))
    if g.p(0.5):
        d.f("备用账户：{}（{}代收）\n", g.card(), g.P("prose"))
    d.f("\n经办人：{}　审核：{}　财务：{}\n退款将在{}内原路退回，如有疑问请拨打{}。\n",
        g.P("label"), g.PT("label"), g.P("label"), "七个工作日", g.hotline())


def k_visa_cn(d: Doc, g: G) -> None:
    dest = g.ch(["德国慕尼黑", "日本东京", "新加坡", "美国拉斯维加斯", "法国巴黎"])
    d.f("出国（境）出差签证材料清单\n\n出访事由：参加{}展会　目的地：{}\n出访时间：{}至{}\n\n", g.ch(["CES", "汉诺威工业博览会", "国际医疗器械"]),
        N("place", dest), g.date(short=False), g.date(short=False))
    for i in range(g.rng.randint(2, 4)):
        m, sp, gp = g.matched()
        b = g.birth(1965, 2000)
        py = Ent("PERSON", f"{sp.upper()} {gp.upper()}" if g.p(0.6) else f"{sp.upper()}, {gp.upper()}", "pinyin_passport",
                 form="pinyin", placement="label")
        d.f("{}. {}（{}）\n   护照号：{}　出生日期：{}　护照有效期至{}\n   手机：{}　邮箱：{}\n",
            str(i + 1), g.Pm(m, "label"), py, g.passport(), g.dob(b, g.ch(["iso", "ymd_cn", "dot"])), g.date(2031, short=False),
            g.mobile(), g.email((sp, gp)))
        if g.p(0.5):
            d.f("   家庭住址：{}{}\n", *g.addr())
    d.f("\n所需材料：护照原件、近6个月银行流水（工资卡{}）、在职证明（{}盖章）、邀请函（邀请方：{}）。\n",
        g.card(), g.dept(), N("company", g.ch(["Siemens AG", "Messe München GmbH", "Sony Corporation"])))
    d.f("紧急联系人：{}，{}。办理进度请咨询行政部{}。\n", g.P("prose"), g.mobile(), g.PT())


# --- document kinds: zh_TW (traditional characters, Taiwan formats) -----------------------------------

TW_PUBLIC = ["周杰倫", "林志玲", "吳念真", "王建民", "戴資穎", "林書豪", "蔡依林"]


def k_meeting_tw(d: Doc, g: G) -> None:
    topic = g.ch(["專案進度會議", "月營運檢討會", "產品規劃會議", "供應商協調會", "門市主管會議"])
    d.f("{}{}紀錄\n\n時間：{} 下午2:00-3:30\n地點：{}12樓大會議室\n", g.dept(), topic, g.date(), g.company())
    d.f("主席：{}　紀錄：{}\n", g.P("label"), g.P("label"))
    att = [g.P("list_dunhao") for _ in range(g.rng.randint(3, 5))] + [g.PT("list_dunhao")]
    if g.p(0.5):
        att.append(g.PE("list_dunhao"))
    g.rng.shuffle(att)
    d.f("出席：{}\n", join(att, "、"))
    if g.p(0.5):
        d.f("請假：{}（出差）\n", g.P("label"))
    d.f("\n一、報告事項\n")
    pick(g, [
        lambda: d.f("{}報告{}導入進度，目前版本{}，預計{}上線。\n", g.P("prose"), g.product(), g.version(), g.date()),
        lambda: d.f("{}表示{}門市業績較去年同期成長12%，但{}下滑，需檢討{}。\n", g.PT(), g.place(), S("毛利"), S("陳列")),
        lambda: d.f("{}提到客戶{}要求{}提供報價，{}已在處理。\n", g.PL(), g.company(), S("馬上"), g.P("prose")),
        lambda: d.f("{}與{}上週拜訪{}經銷商，對方窗口{}，手機{}。\n", g.P("prose"), g.P("prose"), g.place(), g.PT(), g.mobile()),
    ], 3)
    d.f("\n二、討論事項\n")
    pick(g, [
        lambda: d.f("尾牙預算{}，由{}{}規劃，餐廳暫定{}。\n", g.amount(), g.dept(), g.PT(), g.brand()),
        lambda: d.f("{}提議導入{}，{}擔心資安風險，請{}下週{}。\n", g.PE(), g.product(), g.PT(), g.P("prose"), S("簡報")),
        lambda: d.f("{}反映報帳流程太慢，{}同意改為線上簽核，{}各部門將{}改用新系統。\n", g.PG(), g.PT(), S("於是"), S("陸續")),
    ], 2, d)
    d.f("\n三、決議\n- {}負責於{}前彙整資料，寄至{}；\n- 客訴一律轉{}，對外公布客服專線{}。\n",
        g.P("prose"), g.date(), g.email(), g.dept(), g.hotline())


def k_callback_tw(d: Doc, g: G) -> None:
    d.f("客戶回訪紀錄\n\n客戶：{}（{}採購部）\n回訪日期：{}　方式：電話 {}\n回訪人員：{}\n\n內容：\n",
        g.P("label"), g.company(), g.date(), g.phone(), g.P("label"))
    pick(g, [
        lambda: d.f("- 客戶反映上個月購買的{}電池異常，曾撥打客服{}，但{}一直沒回電。\n", g.product(), g.hotline(), g.PT()),
        lambda: d.f("- 客戶生日為{}，可安排生日禮（{}禮盒）。\n", g.dob(), g.brand()),
        lambda: d.f("- 客戶希望發票寄到{}{}，收件人寫{}即可。\n", *g.addr(), g.PL()),
        lambda: d.f("- 客戶同事{}也有興趣，手機{}，請業務{}聯絡。\n", g.P("prose"), g.mobile(), g.PE("prose", alone=True)),
        lambda: d.f("- 對{}的服務很滿意，特別感謝{}。\n", g.dept(), g.PG()),
        lambda: d.f("- 對方{}{}說運費偏高，下次報價前請先溝通，{}。\n", g.job(), g.PT(), S("謝謝")),
    ], 4)
    d.f("\n滿意度：{}/5　後續追蹤：{}（{}）\n", str(g.rng.randint(2, 5)), g.P("label"), g.email())


def k_medical_tw(d: Doc, g: G) -> None:
    b = g.birth(1940, 2010)
    hosp = g.ch(["臺大醫院", "臺北榮民總醫院", "林口長庚紀念醫院", "馬偕紀念醫院", "中國醫藥大學附設醫院", "高雄醫學大學附設醫院"])
    d.f("{}　病歷摘要\n\n", N("org", hosp))
    d.f("病患姓名：{}　性別：{}　出生年月日：{}\n身分證字號：{}\n", g.P("label"), g.ch(["男", "女"]), g.dob(b), g.twid())
    d.f("聯絡電話：{}　緊急聯絡人：{}（{}）{}\n地址：{}{}\n", g.phone(), g.P("label"), g.ch(["配偶", "女兒", "兒子"]), g.mobile(), *g.addr())
    d.f("就診科別：{}　就診日期：{}\n\n", N("department", g.ch(["心臟內科", "家庭醫學科", "骨科", "新陳代謝科"])), g.date())
    d.f("主訴：三週來反覆胸悶，活動時加劇，{}。\n處置：給予{}，兩週後追蹤，{}量血壓。\n", S("常伴冒冷汗"), N("product", g.ch(["普拿疼", "阿斯匹靈", "脈優錠"])), S("每天"))
    d.f("\n主治醫師：{}　住院醫師：{}　{}\n", g.P("label"), g.P("label"), g.PTt("護理長"))


def k_lease_tw(d: Doc, g: G) -> None:
    lord, ten = g.P("prose"), g.P("prose")
    d.f("住宅租賃契約書（摘錄）\n\n")
    d.f("第一條　租賃標的\n出租人{}（以下簡稱甲方）將坐落於{}{}之房屋出租予承租人{}（以下簡稱乙方）。\n\n", lord, *g.addr(), ten)
    d.f("第二條　租賃期間\n自{}起至{}止。\n\n", g.date(2024), g.date(2025))
    d.f("第三條　租金\n每月租金{}，押金二個月。乙方同意以信用卡{}按月自動扣繳。\n\n", g.amount(), g.card(g.ch(["card_plain", "card_grouped"])))
    d.f("第四條　當事人資料\n甲方身分證字號：{}；乙方身分證字號：{}，出生日期{}。\n\n", g.twid(), g.twid(), g.dob())
    d.f("第五條　修繕\n房屋{}及附屬設備之修繕由甲方負責，但因乙方使用不當致損壞者，由乙方負擔。\n\n", S("管線"))
    d.f("第六條　其他\n乙方緊急聯絡人{}，電話{}；本契約由{}{}居間，電話{}。\n",
        g.P("prose"), g.mobile(), N("company", g.ch(["信義房屋", "永慶房屋", "住商不動產"])), g.PT(), g.landline())


def k_parent_tw(d: Doc, g: G) -> None:
    school = g.ch(["臺北市大安區幸安國小", "新竹市東門國小", "臺中市立惠文高中", "高雄市立五福國中"])
    d.f("{}{}家長通知單\n\n親愛的家長您好：\n", N("org", school), g.ch(["三年甲班", "五年二班", "八年十班"]))
    d.f("本學期親師座談會訂於{}（六）上午9:00舉行，地點：{}，敬請撥冗出席。\n", g.date(), N("place", g.ch(["中正堂", "逸仙樓", "活動中心"])))
    pick(g, [
        lambda: d.f("恭喜{}、{}同學榮獲全市{}比賽第一名。\n", g.P("list_dunhao"), g.P("list_dunhao"), S("游泳")),
        lambda: d.f("本週值日生：{}\n", join([g.P("list_dunhao") for _ in range(4)], "、")),
        lambda: d.f("{}媽媽反映孩子作業量偏多，{}已調整；{}家長請盡快與我聯繫（{}）。\n", g.PG("parent_ref"), g.PTt("老師"), g.PG("parent_ref"), g.mobile()),
        lambda: d.f("戶外教學費用{}，請於{}前交給家長會{}。\n", g.amount("small"), g.date(), g.PL()),
        lambda: d.f("學生團體保險資料更正：{}（身分證字號{}，出生日期{}）。\n", g.P("label"), g.twid(), g.dob(g.birth(2010, 2017))),
    ], 3)
    d.f("\n導師：{}\n聯絡電話：{}　Email：{}\n", g.P("label"), g.mobile(), g.email())


def k_forum_tw(d: Doc, g: G) -> None:
    board = g.ch(["home-sale", "Tech_Job", "car", "Salary"])
    d.f("作者 chiayi0815 (嘉義小胖)\n看板 {}\n標題 [問題] {}\n\n", board, g.ch(["房東不退押金怎麼辦", "仲介說謊算詐欺嗎", "新公司主管很奇怪", "二手車行隱瞞泡水"]))
    pick(g, [
        lambda: d.f("小弟在{}租屋兩年，房東{}人本來還不錯。\n", g.place(), g.PL()),
        lambda: d.f("仲介是{}的{}，簽約後就找不到人，電話{}都不接。\n", g.company(), g.PT(), g.mobile()),
        lambda: d.f("我是租屋{}，後來找到店長{}，他說押金{}要扣一半。\n", LX("小白"), g.P("prose"), g.amount()),
        lambda: d.f("同事{}說{}他也遇過，最後去{}申請調解。\n", g.PG(), S("許多"), N("org", "消保官")),
        lambda: d.f("主管{}每天早上開會，{}到晚上九點，{}已經受不了。\n", g.PE("prose", alone=True), S("常常"), g.PG()),
    ], 3)
    d.f("\n--\n推 taipeiboy: 直接打{}市民專線比較快\n", g.hotline())
    d.f("→ kaohsiung77: 那個{}真的很扯，我朋友也被坑\n", g.P("prose"))
    if g.p(0.6):
        d.f("推 momo520: 可以私訊我，我手機{}，我有認識的律師{}\n", g.mobile(), g.PT())


def k_contacts_tw(d: Doc, g: G) -> None:
    d.f("# {}通訊錄（內部使用）更新日期：{}\n", g.company(), g.date())
    rows = []
    for _ in range(g.rng.randint(6, 10)):
        name = g.P("csv_name_header") if g.p(0.8) else g.PE("csv_name_header")
        rows.append([name, g.dept(), g.job(), g.mobile(g.ch(["tw_mobile_dashed", "tw_mobile_plain"])),
                     g.landline() if g.p(0.5) else "", g.email()])
    tsv(d, ["姓名", "部門", "職稱", "手機", "電話", "Email"], rows, sep=",")


def k_newsletter_tw(d: Doc, g: G) -> None:
    d.f("《{}電子報》第{}期\n\n【人物專訪】\n", g.company(), str(g.rng.randint(5, 90)))
    pick(g, [
        lambda: d.f("{}從{}調任{}，負責東南亞市場，她說最感謝前主管{}。\n", g.P("prose"), *g.two(g.dept), g.PT()),
        lambda: d.f("在{}服務二十年的{}即將退休，同事們都叫他「{}」。\n", g.place(), g.P("prose"), g.PL()),
        lambda: d.f("{}（{}）帶領團隊完成{}改版，{}稱讚不已。\n", g.P("prose"), g.PE(), g.product(), g.PT()),
    ], 2)
    d.f("\n【活動花絮】\n")
    pick(g, [
        lambda: d.f("尾牙抽獎頭獎{}由{}抽中，{}到場演出，全場{}。\n", g.product(), g.P("prose"),
                    Ent("PERSON", g.ch(TW_PUBLIC), "public_figure", form="public_figure", placement="prose"), S("高興")),
        lambda: d.f("公益路跑在{}舉行，{}跑出全公司最佳成績。\n", g.place(), g.PY()),
        lambda: d.f("福委會推出{}團購，由{}統一收單。\n", g.brand(), g.PL()),
    ], 2)
    d.f("\n【新進同仁】{}\n投稿信箱：{}\n", join([g.P("list_dunhao") for _ in range(g.rng.randint(3, 5))], "、"), g.email())


def k_logistics_tw(d: Doc, g: G) -> None:
    carrier = g.ch(["黑貓宅急便", "新竹物流", "嘉里大榮", "中華郵政"])
    d.f("物流異常說明\n\n託運單號：{}　物流商：{}　出貨日：{}\n\n", g.order(), N("company", carrier), g.date())
    pick(g, [
        lambda: d.f("寄往{}（郵遞區號{}）之包裹因颱風停止配送，預計{}恢復。\n", g.place(), g.postcode(), g.date()),
        lambda: d.f("收件人{}，電話{}，地址{}{}，司機三次投遞無人簽收。\n", g.P("prose"), g.mobile(), *g.addr()),
        lambda: d.f("司機{}表示外箱有油漬滲出，已拍照回報，{}。\n", g.PT(), S("萬一")),
        lambda: d.f("收件人{}來電要求改寄公司，由{}處理。\n", g.PL(), g.P("prose")),
    ], 3)
    d.f("\n處理方式：重新出貨，運費{}由物流商負擔；新收件人：{}，{}。\n對接窗口：{}，{}\n客服專線：{}\n",
        g.amount(), g.P("label"), g.mobile(), g.P("label"), g.email(), g.hotline())


def k_weekly_tw(d: Doc, g: G) -> None:
    proj = g.ch(["ERP系統升級", "門市POS汰換", "官網改版", "倉儲自動化"])
    d.f("【專案週報】{}（W{}）\n專案經理：{}\n\n本週摘要：\n", proj, str(g.rng.randint(2, 50)), g.P("label"))
    pick(g, [
        lambda: d.f("{}完成API串接，{}已部署至測試環境；{}出差{}，下週回來。\n", g.P("prose"), g.version(), g.PT(), g.place()),
        lambda: d.f("供應商{}延遲交貨，{}與對方{}協調中。\n", g.company(), g.P("prose"), g.PT()),
        lambda: d.f("本週花費{}，{}提醒{}需控制。\n", g.amount(), g.PL(), S("成本")),
    ], 2)
    d.f("\n")
    hdr = g.ch([["項目", "負責人", "進度", "預計完成", "備註"], ["客戶", "業務", "主管核准", "預計簽約", "金額"],
                ["模組", "窗口", "狀態", "上線日", "風險"]])
    rows = []
    for item in g.rng.sample(["資料轉換", "權限設定", "報表", "金流串接", "教育訓練", "壓力測試"], g.rng.randint(3, 5)):
        if hdr[1] == "業務":
            rows.append([g.company(), g.P("table_other_header"), g.PT("table_other_header") if g.p(0.5) else g.P("table_other_header"),
                         g.date(), g.amount()])
        else:
            who = g.P("table_name_header") if g.p(0.75) else g.ch([g.PT, g.PE, g.PL])("table_name_header")
            rows.append([item, who, f"{g.rng.randint(1, 10) * 10}%", g.date(), g.ch(["", "待確認", "需支援", "延遲一週"])])
    md_table(d, hdr, rows)
    d.f("\n風險：{}離職，交接由{}負責。\n", g.P("prose"), g.P("prose"))


# --- the set ------------------------------------------------------------------------------------------

KINDS = [
    ("meeting_minutes", CN, k_meeting_cn, 7), ("customer_callback", CN, k_callback_cn, 7),
    ("weekly_report", CN, k_weekly_cn, 7), ("quality_incident", CN, k_incident_cn, 7),
    ("training_signin", CN, k_training_cn, 7), ("award_list", CN, k_award_cn, 7),
    ("logistics_exception", CN, k_logistics_cn, 7), ("lease_terms", CN, k_lease_cn, 7),
    ("medical_summary", CN, k_medical_cn, 7), ("parent_notice", CN, k_parent_cn, 7),
    ("bid_review", CN, k_bid_cn, 7), ("newsletter", CN, k_newsletter_cn, 7),
    ("forum_post", CN, k_forum_cn, 7), ("wechat_article", CN, k_wechat_cn, 7),
    ("contacts_csv", CN, k_contacts_cn, 7), ("oncall_roster", CN, k_oncall_cn, 7),
    ("security_audit", CN, k_audit_cn, 7), ("vehicle_use", CN, k_vehicle_cn, 7),
    ("refund_claim", CN, k_refund_cn, 7), ("visa_materials", CN, k_visa_cn, 7),
    ("meeting_minutes", TW, k_meeting_tw, 6), ("customer_callback", TW, k_callback_tw, 6),
    ("medical_summary", TW, k_medical_tw, 6), ("lease_terms", TW, k_lease_tw, 6),
    ("parent_notice", TW, k_parent_tw, 6), ("forum_post", TW, k_forum_tw, 6),
    ("contacts_csv", TW, k_contacts_tw, 6), ("newsletter", TW, k_newsletter_tw, 6),
    ("logistics_exception", TW, k_logistics_tw, 6), ("weekly_report", TW, k_weekly_tw, 6),
]


def id_ok(v: str) -> bool:
    return len(v) == 18 and "10X98765432"[sum(int(c) * w for c, w in zip(v[:17], ID_W)) % 11] == v[17].upper()


def check(row: dict) -> None:
    text = row["text"]
    spans = []
    for e in row["entities"] + row["hard_negatives"]:
        assert text[e["start"]:e["end"]] == e["value"], (row["id"], e)
        assert e["value"] and e["value"] == e["value"].strip(), (row["id"], e)
        spans.append((e["start"], e["end"]))
    spans.sort()
    for (a, b), (c, _) in zip(spans, spans[1:]):
        assert b <= c, (row["id"], "overlap", text[a:b], text[c:_])
    for e in row["entities"]:
        v = e["value"]
        digits = "".join(c for c in v if c.isdigit())
        if e["type"] == "CN_RESIDENT_ID":
            assert id_ok(v.replace(" ", "")), v
        elif e["type"] == "CREDIT_CARD":
            assert 16 <= len(digits) <= 19 and G.luhn_digit(digits[:-1]) == digits[-1], v
        elif e["type"] == "CN_USCC":
            c = 31 - sum(USCC_CHARS.index(x) * w for x, w in zip(v[:17], USCC_W)) % 31
            assert len(v) == 18 and USCC_CHARS[0 if c == 31 else c] == v[17], v
        elif e["type"] == "TW_NATIONAL_ID":
            n = TW_LETTER[v[0]]
            s = n // 10 + (n % 10) * 9 + sum(int(x) * w for x, w in zip(v[1:9], [8, 7, 6, 5, 4, 3, 2, 1])) + int(v[9])
            assert s % 10 == 0, v
        elif e["type"] == "PERSON":
            assert any(c.isalnum() for c in v) and sum(c.isalnum() for c in v) >= 2, v
    for n in row["hard_negatives"]:
        digits = "".join(c for c in n["value"] if c.isdigit())
        if n["kind"] == "order_no" and len(digits) >= 13:
            assert G.luhn_digit(digits[:-1]) != digits[-1], n
            assert not id_ok(digits[:18]) or len(digits) != 18, n


def build() -> list[dict]:
    g = G(SEED)
    rows = []
    plan = [(kind, loc, fn) for kind, loc, fn, n in KINDS for _ in range(n)]
    g.rng.shuffle(plan)
    for i, (kind, loc, fn) in enumerate(plan):
        g.start_doc(loc)
        d = Doc(kind, loc)
        fn(d, g)
        row = {"id": f"zhb2-{i:03d}-{loc}-{kind}", "locale": loc, "kind": kind, "text": d.text(),
               "entities": d.ents, "hard_negatives": d.negs}
        check(row)
        rows.append(row)
    return rows


def stats(rows: list[dict]) -> str:
    out = []
    types = Counter(e["type"] for r in rows for e in r["entities"])
    out.append(f"{len(rows)} documents ({Counter(r['locale'] for r in rows)}), {sum(len(r['text']) for r in rows):,} characters, "
               f"{sum(types.values())} entities, {sum(len(r['hard_negatives']) for r in rows)} hard negatives")
    out.append("kinds: " + ", ".join(f"{k}/{l} {n}" for (k, l), n in sorted(Counter((r['kind'], r['locale']) for r in rows).items())))
    out.append("entities by type: " + ", ".join(f"{k} {n}" for k, n in types.most_common()))
    out.append("entities by locale: " + ", ".join(f"{k} {n}" for k, n in Counter(e["locale"] for r in rows for e in r["entities"]).most_common()))
    for t in types:
        c = Counter(e["ctx"] for r in rows for e in r["entities"] if e["type"] == t)
        out.append(f"  {t} by ctx: " + ", ".join(f"{k} {n}" for k, n in c.most_common()))
    c = Counter(e["form"] for r in rows for e in r["entities"] if e["type"] == "PERSON")
    out.append("  PERSON by form: " + ", ".join(f"{k} {n}" for k, n in c.most_common()))
    c = Counter(e["placement"] for r in rows for e in r["entities"] if e["type"] == "PERSON")
    out.append("  PERSON by placement: " + ", ".join(f"{k} {n}" for k, n in c.most_common()))
    c = Counter(n["kind"] for r in rows for n in r["hard_negatives"])
    out.append("hard negatives by kind: " + ", ".join(f"{k} {n}" for k, n in c.most_common()))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", action="store_true", help="print counts by type, ctx and kind")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = build()
    assert rows == build(), "not deterministic"
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} documents to {args.out}")
    if args.stats:
        print(stats(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
