#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Generator for the blind, held-out Chinese PII evaluation set ``zh_heldout.jsonl``.

Written without reading the project's scrubber or its other evaluation sets, so that
the set measures how the scrubber generalises.  Deterministic: ``random.Random(SEED)``
plus ``Faker.seed(SEED)``.

Run from the repository root:

    .venv/bin/python tests/data/pii_eval/zh_heldout_generate.py

It writes ``zh_heldout.jsonl`` next to this file, verifies every record (offsets,
overlaps, checksums) and prints counts by entity type, ctx and hard-negative kind.
"""
from __future__ import annotations

import json
import os
import random
import re
import sys
from collections import Counter
from datetime import date, timedelta

import faker
from faker import Faker

SEED = 20240917
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "zh_heldout.jsonl")

ENTITY_TYPES = (
    "PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "CN_RESIDENT_ID", "CREDIT_CARD",
    "CN_USCC", "CN_PASSPORT", "CN_LICENSE_PLATE", "IP_ADDRESS", "EMAIL_ADDRESS",
    "DATE_OF_BIRTH",
)
NEG_CODES = {
    "amt": "amount", "date": "date", "co": "company", "prod": "product",
    "id": "identifier", "place": "place", "time": "time", "ver": "version",
    "dept": "department", "job": "job_title", "cw": "common_word",
}
NEG_KINDS = tuple(NEG_CODES.values())

# --------------------------------------------------------------------------------------
# Simplified -> Traditional conversion for zh_TW documents.  Template text gets a few
# phrase replacements (Taiwan vocabulary) and then a character map; values (names,
# addresses, companies) get the character map without the characters that Faker's zh_TW
# provider itself writes, so values that Faker produced stay as Faker wrote them.
# --------------------------------------------------------------------------------------
TW_PHRASES = [
    ("服务器", "伺服器"), ("软件", "軟體"), ("网络", "網路"), ("信息", "資訊"),
    ("数据库", "資料庫"), ("数据", "資料"), ("默认", "預設"), ("短信", "簡訊"),
    ("项目", "專案"), ("账号", "帳號"), ("账户", "帳戶"), ("登录", "登入"),
    ("运维", "維運"), ("硬盘", "硬碟"), ("内存", "記憶體"), ("质量", "品質"),
    ("打印", "列印"), ("邮箱", "信箱"), ("联系人", "聯絡人"),
    ("分钟", "分鐘"), ("备注", "備註"), ("联系电话", "聯絡電話"), ("签字", "簽字"), ("复核", "複核"), ("复制", "複製"), ("头发", "頭髮"), ("联系", "聯繫"),
]
# Pairs (simplified character, traditional character).  Built once, at development time,
# from the characters of this file with a conversion table, then fixed by hand for Taiwan
# usage (為, 啟, 帳, 裡, 參; 台, 峰, 岳, 干 and 淀 left as they are).
_PAIRS = (
    "万萬与與专專业業东東两兩严嚴个個丰豐为為丽麗举舉书書买買乱亂于於亚亞产產亲親仅僅从從仓倉们們价價优優会會伟偉伦倫体體余餘储儲兰蘭关關兴興兹茲内內册冊写寫军軍农農"
    "冯馮决決况況冻凍净淨准準凤鳳凯凱划劃刘劉则則刚剛创創别別办辦务務动動劳勞区區医醫华華协協单單卢盧卫衛厂廠厅廳历歷厦廈叁參参參双雙发發变變叶葉号號后後吕呂吗嗎启啟"
    "吴吳员員咨諮响響团團园園国國场場墙牆处處备備复復够夠头頭夹夾妈媽婶嬸孙孫学學宁寧宝寶实實审審宫宮对對导導将將尔爾尝嘗尽盡层層届屆属屬岗崗岛島崂嶗币幣师師带帶帮幫"
    "并並广廣庆慶库庫应應开開异異张張强強归歸当當录錄态態总總恶惡戏戲户戶托託执執扩擴护護报報担擔拟擬挂掛换換据據携攜数數断斷无無时時显顯晓曉暂暫术術机機权權条條来來"
    "杨楊杰傑标標栋棟档檔桥橋检檢楼樓欢歡欧歐毕畢汇匯汉漢沟溝没沒沪滬泾涇测測浏瀏浑渾涛濤润潤温溫溃潰满滿滨濱灯燈点點烦煩爷爺牵牽独獨献獻环環现現电電畅暢监監盖蓋盘盤"
    "码碼确確离離积積称稱税稅稳穩笔筆筑築签簽简簡类類粤粵紧緊红紅约約级級纪紀纳納线線组組细細织織经經结結给給络絡统統续續维維综綜编編网網罗羅职職联聯脑腦舰艦艳豔节節"
    "芜蕪苏蘇范範荣榮营營蒋蔣补補装裝见見观觀规規视視览覽计計订訂认認让讓训訓议議讯訊记記许許设設访訪证證评評识識诉訴试試话話询詢详詳说說请請诸諸诺諾谁誰调調谈談谊誼"
    "谢謝谭譚负負贡貢财財责責账帳货貨质質购購贰貳贵貴贸貿费費贾賈赁賃资資赵趙车車轩軒转轉软軟载載轿轎较較辆輛辑輯输輸辽遼达達过過运運还還这這进進远遠违違迟遲选選递遞"
    "逻邏邓鄧邮郵邹鄒邺鄴郑鄭采採释釋里裡鉴鑑钉釘钟鍾钱錢银銀铺鋪链鏈销銷错錯锦錦长長门門问問间間闵閔闽閩队隊阳陽陆陸陈陳陕陝随隨静靜韩韓页頁项項顺順须須顿頓预預领領"
    "频頻题題额額风風饭飯馈饋马馬驶駛驾駕验驗鲁魯鸡雞鸣鳴鹏鵬鹭鷺黄黃齐齊龙龍"
)
TRAD_MAP = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)}
# Characters that Faker's zh_TW provider itself writes (surnames 于, 余, 范; 斗六, 游, 筑, 里):
# converted in template text, left alone in values (names, addresses, companies).
FAKER_TW_KEEP = "于余斗游筑范里"
_TRANS_TEXT = str.maketrans(TRAD_MAP)
_TRANS_VALUE = str.maketrans({k: v for k, v in TRAD_MAP.items() if k not in FAKER_TW_KEEP})


def to_trad(s: str, value: bool = False) -> str:
    """Simplified -> traditional for zh_TW documents.  value=True for names, addresses,
    companies and other values, which may come from Faker's zh_TW provider already."""
    if value:
        return s.translate(_TRANS_VALUE)
    for a, b in TW_PHRASES:
        s = s.replace(a, b)
    return s.translate(_TRANS_TEXT)


# --------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------
SURNAME_PY = {
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang",
    "黄": "huang", "赵": "zhao", "吴": "wu", "周": "zhou", "徐": "xu", "孙": "sun",
    "马": "ma", "朱": "zhu", "胡": "hu", "郭": "guo", "何": "he", "高": "gao", "林": "lin",
    "罗": "luo", "郑": "zheng", "梁": "liang", "谢": "xie", "宋": "song", "唐": "tang",
    "许": "xu", "韩": "han", "冯": "feng", "邓": "deng", "曹": "cao", "彭": "peng",
    "曾": "zeng", "肖": "xiao", "田": "tian", "董": "dong", "潘": "pan", "袁": "yuan",
    "蔡": "cai", "蒋": "jiang", "余": "yu", "于": "yu", "杜": "du", "叶": "ye", "程": "cheng",
    "魏": "wei", "苏": "su", "吕": "lv", "丁": "ding", "沈": "shen", "任": "ren", "姚": "yao",
    "卢": "lu", "姜": "jiang", "崔": "cui", "钟": "zhong", "谭": "tan", "陆": "lu",
    "汪": "wang", "范": "fan", "金": "jin", "石": "shi", "廖": "liao", "贾": "jia",
    "夏": "xia", "方": "fang", "白": "bai", "邹": "zou", "孟": "meng", "熊": "xiong",
    "秦": "qin", "江": "jiang", "万": "wan", "常": "chang", "武": "wu", "钱": "qian",
    "严": "yan", "安": "an", "毛": "mao", "龙": "long", "史": "shi", "温": "wen",
}
COMPOUND_PY = {
    "欧阳": "ouyang", "司马": "sima", "上官": "shangguan", "诸葛": "zhuge",
    "东方": "dongfang", "皇甫": "huangfu", "慕容": "murong", "令狐": "linghu",
    "夏侯": "xiahou", "公孙": "gongsun", "司徒": "situ", "尉迟": "yuchi", "宇文": "yuwen",
    "长孙": "zhangsun", "端木": "duanmu", "南宫": "nangong", "独孤": "dugu", "西门": "ximen",
}
GIVEN_PY = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"),
    ("超", "chao"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("秀英", "xiuying"),
    ("秀兰", "xiulan"), ("桂英", "guiying"), ("建华", "jianhua"), ("晓东", "xiaodong"),
    ("子涵", "zihan"), ("欣怡", "xinyi"), ("浩然", "haoran"), ("宇轩", "yuxuan"),
    ("雨桐", "yutong"), ("志强", "zhiqiang"), ("海燕", "haiyan"), ("文博", "wenbo"),
    ("思远", "siyuan"), ("佳琪", "jiaqi"), ("梓萱", "zixuan"), ("俊杰", "junjie"),
    ("晓燕", "xiaoyan"), ("国庆", "guoqing"), ("建国", "jianguo"), ("婷婷", "tingting"),
    ("一鸣", "yiming"), ("嘉怡", "jiayi"), ("振宇", "zhenyu"), ("慧敏", "huimin"),
    ("凯", "kai"), ("琳", "lin"), ("鹏", "peng"), ("倩", "qian"), ("斌", "bin"),
]
TITLES = ["经理", "总", "工", "老师", "主任", "医生", "律师", "科长", "处长", "师傅", "先生",
          "女士", "小姐", "总监", "主管", "会计", "部长", "教授", "助理", "董"]
KINSHIP = ["阿姨", "叔叔", "大爷", "大妈", "奶奶", "爷爷", "姐", "哥", "大哥", "大姐", "婶"]

# (province, city or None for municipalities, districts, roads)
CN_GEO = [
    ("北京市", None, ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"],
     ["建国路", "中关村大街", "望京街", "学院路", "东三环北路", "金融大街", "酒仙桥路"]),
    ("上海市", None, ["浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区", "长宁区"],
     ["张江路", "南京西路", "淮海中路", "世纪大道", "漕河泾开发区宜山路", "延安西路", "国定路"]),
    ("天津市", None, ["和平区", "南开区", "滨海新区", "河西区"],
     ["南京路", "卫津路", "黄海路", "友谊路"]),
    ("重庆市", None, ["渝中区", "江北区", "南岸区", "渝北区"],
     ["解放碑民族路", "建新北路", "南坪西路", "金开大道"]),
    ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"],
     ["天河路", "珠江新城花城大道", "环市东路", "新港中路", "市桥大北路"]),
    ("广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙岗区"],
     ["科技园南路", "深南大道", "福华三路", "宝安大道", "龙岗大道", "高新南九道"]),
    ("浙江省", "杭州市", ["西湖区", "滨江区", "余杭区", "拱墅区"],
     ["文三路", "江南大道", "文一西路", "莫干山路", "网商路"]),
    ("江苏省", "南京市", ["鼓楼区", "玄武区", "江宁区", "建邺区"],
     ["中山北路", "珠江路", "双龙大道", "江东中路"]),
    ("江苏省", "苏州市", ["姑苏区", "吴中区", "工业园区", "虎丘区"],
     ["干将西路", "星湖街", "东吴北路", "金鸡湖大道"]),
    ("四川省", "成都市", ["武侯区", "锦江区", "高新区", "青羊区"],
     ["天府大道", "人民南路", "春熙路", "交子大道"]),
    ("湖北省", "武汉市", ["洪山区", "江汉区", "武昌区", "东湖高新区"],
     ["珞喻路", "解放大道", "中北路", "光谷大道"]),
    ("山东省", "青岛市", ["市南区", "崂山区", "黄岛区"],
     ["香港中路", "海尔路", "长江中路"]),
    ("陕西省", "西安市", ["雁塔区", "碑林区", "未央区"],
     ["高新路", "长安北路", "凤城八路"]),
    ("福建省", "厦门市", ["思明区", "湖里区"], ["鹭江道", "软件园二期观日路", "湖滨南路"]),
    ("湖南省", "长沙市", ["岳麓区", "芙蓉区", "天心区"], ["麓谷大道", "五一大道", "芙蓉中路"]),
    ("河南省", "郑州市", ["金水区", "二七区", "郑东新区"], ["花园路", "金水东路", "商务外环路"]),
    ("辽宁省", "沈阳市", ["和平区", "沈河区", "浑南区"], ["青年大街", "南京南街", "创新路"]),
    ("安徽省", "合肥市", ["蜀山区", "包河区", "高新区"], ["长江西路", "芜湖路", "望江西路"]),
]
CN_BUILDINGS = ["华润大厦", "国贸中心", "科技大厦", "创新园", "阳光花园", "金地花园", "万科城",
                "软件园", "时代广场", "中心大厦", "财富中心", "花园小区", "新村", "商务中心"]
TW_GEO = [
    ("臺北市", ["大安區", "信義區", "中山區", "內湖區", "松山區"],
     ["忠孝東路四段", "仁愛路三段", "信義路五段", "敦化南路一段", "民生東路二段", "內湖路一段"]),
    ("新北市", ["板橋區", "新店區", "中和區", "三重區"], ["文化路一段", "北新路三段", "中山路二段"]),
    ("臺中市", ["西屯區", "北屯區", "南屯區"], ["文心路三段", "臺灣大道三段", "崇德路二段"]),
    ("高雄市", ["前鎮區", "苓雅區", "左營區"], ["中華五路", "四維三路", "博愛二路"]),
    ("桃園市", ["中壢區", "桃園區"], ["中正路", "中山東路"]),
    ("新竹市", ["東區", "北區"], ["光復路二段", "經國路一段"]),
    ("臺南市", ["東區", "安平區"], ["中華東路三段", "永華路二段"]),
]
CN_PLACES = ["北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "苏州", "西安",
             "重庆", "天津", "长沙", "郑州", "青岛", "厦门", "合肥", "沈阳", "浦东新区",
             "朝阳区", "南山区", "海淀区", "滨江区", "天河区", "雄安新区", "东莞", "佛山"]
TW_PLACES = ["台北", "新竹", "台中", "高雄", "桃園", "台南", "內湖", "信義區", "板橋", "基隆"]
DEPTS = ["财务部", "人力资源部", "研发中心", "市场部", "法务部", "行政部", "IT部", "客服中心",
         "采购部", "销售部", "质量管理部", "供应链管理部", "运营部", "审计部", "信息技术部", "总经办"]
JOBS = ["销售经理", "项目经理", "财务总监", "人事专员", "高级工程师", "总经理", "客服专员",
        "运维工程师", "法务主管", "产品经理", "会计", "出纳", "行政助理", "采购专员",
        "技术总监", "区域经理", "测试工程师", "前台", "司机", "董事长"]
PRODUCTS = ["华为 Mate 60", "小米14 Pro", "iPhone 15 Pro", "ThinkPad X1 Carbon", "联想小新Pro 16",
            "大疆 Mini 4 Pro", "海尔冰箱BCD-470", "格力空调KFR-35GW", "美的电饭煲MB-FB40",
            "型号 X200", "SKU-88231", "戴尔 OptiPlex 7010", "荣耀Magic6", "OPPO Find X7",
            "华为MateBook 14", "惠普 LaserJet M1005", "得力 DL-888K 打印机", "金山WPS企业版",
            "钉钉专业版", "企业微信", "料号 MX-2031-B", "型号 QX-550", "TP-LINK TL-R473G"]
BANKS_CN = [  # (bank, bin, total length)
    ("招商银行", "622588", 16), ("招商银行", "621483", 16), ("民生银行", "622622", 16),
    ("浦发银行", "622521", 16), ("光大银行", "622666", 16), ("兴业银行", "622909", 18),
    ("交通银行", "622260", 17), ("中国工商银行", "622202", 19), ("中国工商银行", "621226", 19),
    ("中国建设银行", "621700", 19), ("中国农业银行", "622848", 19), ("中国银行", "621661", 19),
    ("中国邮政储蓄银行", "621799", 19), ("招商银行信用卡", "439225", 16),
    ("中国建设银行信用卡", "524094", 16), ("平安银行", "622155", 16), ("中信银行", "622690", 16),
]
BANKS_TW = [("中國信託", "431195", 16), ("國泰世華", "407417", 16), ("台新銀行", "543257", 16),
            ("玉山銀行", "489972", 16), ("第一銀行", "524255", 16)]
MOBILE_PREFIX = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145",
                 "147", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
                 "170", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
                 "185", "186", "187", "188", "189", "191", "195", "198", "199"]
AREA_CODES = [("010", 8), ("021", 8), ("022", 8), ("023", 8), ("020", 8), ("0755", 8),
              ("0571", 8), ("025", 8), ("027", 8), ("028", 8), ("029", 8), ("0512", 8),
              ("0532", 8), ("0731", 8), ("0592", 7), ("0871", 7), ("0571", 7), ("0311", 7)]
ID_AREAS = ["110101", "110105", "110108", "310101", "310104", "310115", "440103", "440106",
            "440305", "440306", "330106", "330108", "320102", "320508", "510104", "510107",
            "420106", "420111", "370202", "610113", "350203", "430104", "410105", "210102",
            "340104", "500103", "120101", "130102", "230103", "530102", "450103", "360102"]
USCC_AREAS = ["110108", "110105", "310115", "310104", "440300", "440305", "440106", "330100",
              "330106", "320500", "510100", "420100", "370200", "350200", "430100"]
PLATE_PROV = [("京", "ABCEFGHJKLMNPQ"), ("沪", "ABCDEFGHJKLMN"), ("粤", "ABCDEFGHJKLMNPQRSTUVWXYZ"),
              ("浙", "ABCDEFGHJKL"), ("苏", "ABCDEFGHJKLMN"), ("川", "ABCDEFHJKLMQRST"),
              ("鄂", "ABCDEFGHJKLMNPQRS"), ("鲁", "ABCDEFGHJKLMNPQRSUV"), ("津", "ABCDEFGHJKLMN"),
              ("渝", "ABCDFGH"), ("陕", "ABCDEFGHJK"), ("湘", "ABCDEFGHJKLMNU"), ("闽", "ABCDEFGHJK"),
              ("豫", "ABCDEFGHJKLMNPQRSU"), ("辽", "ABCDEFGHJKLMNP"), ("皖", "ABCDEFGHJKLMNPRS"),
              ("冀", "ABCDEFGHJRT")]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PASSPORT_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
EMAIL_DOMAINS_CN = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com",
                    "outlook.com", "gmail.com", "139.com", "yeah.net"]
EMAIL_DOMAINS_CO = ["example.com", "example.cn", "example.com.cn", "corp.example.net",
                    "mail.example.org", "example-tech.cn"]
EMAIL_DOMAINS_TW = ["gmail.com", "yahoo.com.tw", "hotmail.com", "example.com.tw", "msa.hinet.net"]

COMMON_WORD_SENTENCES = [
    "本季度[[cw|金额]]较大的合同需要额外审批。",
    "[[cw|周末]]期间的值班安排另行通知。",
    "这个[[cw|方法]]在上次试点中效果不错，大家都很[[cw|高兴]]。",
    "如有问题请[[cw|马上]]反馈。",
    "[[cw|白天]]施工，夜间停工，请注意安全。",
    "客户主要来自[[cw|江苏]]和浙江两地。",
    "新的审批[[cw|程序]]已经上线。",
    "受[[cw|石油]]价格波动影响，运输成本有所上升。",
    "[[cw|黄金]]周前后订单量明显增加。",
    "项目涉及[[cw|林业]]部门的审批。",
    "有人把这条业务线戏称为一个独立的小[[cw|王国]]。",
    "新同事入职那天，大家[[cw|张开]]双臂表示欢迎。",
    "[[cw|许多]]用户反映界面不够直观。",
    "[[cw|任何]]人不得私自带走公司资产。",
    "[[cw|万一]]系统出现故障，请按应急预案处理。",
    "通过电子[[cw|钱包]]支付的款项也可以报销。",
    "[[cw|关于]]年会的安排，行政部会另行通知。",
    "正文字体统一使用[[cw|宋体]]小四。",
    "本月[[cw|毛利]]率环比提升了两个百分点。",
    "行业[[cw|龙头]]企业已经开始布局。",
    "请[[cw|严格]]执行保密制度。",
    "机房[[cw|温度]]需保持在22度左右。",
    "[[cw|常用]]工具已经放在共享盘里。",
    "这批货的外包装是[[cw|白色]]的。",
    "[[cw|于是]]我们决定调整方案。",
    "[[cw|何时]]上线还需要和客户确认。",
    "系统[[cw|安全]]是第一位的。",
    "请不要[[cw|胡乱]]修改配置。",
    "[[cw|夏天]]是用电高峰期，请节约用电。",
    "大家[[cw|辛苦]]了！",
    "合同需加盖[[cw|朱红]]色公章。",
    "[[cw|方便]]的话请回电。",
    "费用[[cw|包括]]住宿和交通。",
    "货物将[[cw|陆续]]送达。",
    "账户[[cw|余额]]不足时系统会自动提醒。",
    "今年的人力[[cw|成本]]控制得比较好。",
    "[[cw|宁可]]多检查一遍，也不要带着问题上线。",
    "[[cw|毕竟]]是第一次合作，流程上要规范一些。",
    "付款[[cw|周期]]一般为30天。",
    "[[cw|高级]]会员可享受免费上门服务。",
    "大家[[cw|齐心]]协力，按时完成了任务。",
    "请[[cw|向前]]推进，不要等到月底。",
    "这次调整对[[cw|田间]]作业的客户影响不大。",
    "[[cw|常年]]合作的供应商可以走简易流程。",
]


# --------------------------------------------------------------------------------------
# Checksums
# --------------------------------------------------------------------------------------
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_char(body17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS)) % 11]


def valid_resident_id(s: str) -> bool:
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return id_check_char(s[:17]) == s[17]


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    def val(c):
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10
    c = 11 - sum(val(ch) * w for ch, w in zip(body8, ORG_WEIGHTS)) % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def valid_uscc(s: str) -> bool:
    if len(s) != 18 or any(c not in USCC_CHARS for c in s):
        return False
    return uscc_check_char(s[:17]) == s[17]


def luhn_ok(num: str) -> bool:
    digits = [int(c) for c in num if c.isdigit()]
    total = 0
    for i, dgt in enumerate(reversed(digits)):
        if i % 2 == 1:
            dgt *= 2
            if dgt > 9:
                dgt -= 9
        total += dgt
    return total % 10 == 0


def luhn_complete(partial: str) -> str:
    for d in "0123456789":
        if luhn_ok(partial + d):
            return partial + d
    raise AssertionError


def cn_upper_amount(n: int) -> str:
    digits = "零壹贰叁肆伍陆柒捌玖"

    def four(x):
        s, zero = "", False
        for i, u in zip(range(3, -1, -1), ["仟", "佰", "拾", ""]):
            d = x // 10 ** i % 10
            if d == 0:
                zero = bool(s)
            else:
                if zero:
                    s += "零"
                    zero = False
                s += digits[d] + u
        return s
    hi, lo = divmod(n, 10000)
    res = four(hi) + "万" if hi else ""
    if lo:
        if hi and lo < 1000:
            res += "零"
        res += four(lo)
    return (res or "零") + "元整"


# --------------------------------------------------------------------------------------
# Document builder
# --------------------------------------------------------------------------------------
class E:
    """An entity occurrence to be written into a document."""

    def __init__(self, typ, value, ctx, loc=None, **meta):
        assert typ in ENTITY_TYPES, typ
        self.typ, self.value, self.ctx, self.loc, self.meta = typ, value, ctx, loc, meta


class N:
    """A hard-negative occurrence."""

    def __init__(self, kind, value):
        assert kind in NEG_KINDS, kind
        self.kind, self.value = kind, value


TOKEN = re.compile(r"\{(\w+)\}|\[\[(\w+)\|(.*?)\]\]")


class Doc:
    def __init__(self, gen, kind, loc):
        self.g, self.kind, self.loc = gen, kind, loc
        self.tw = loc == "zh_TW"
        self.rng = gen.rng
        self.fk = gen.fakers[loc]
        self.fk_cn = gen.fakers["zh_CN"]
        self.parts, self.pos, self.ents, self.negs = [], 0, [], []
        self.used_names = set()

    # ---------------- writing ----------------
    def tr(self, s):
        return to_trad(s) if self.tw else s

    def trv(self, s):
        return to_trad(s, value=True) if self.tw else s

    def _add(self, s):
        self.parts.append(s)
        self.pos += len(s)

    def put(self, obj):
        if isinstance(obj, E):
            v = self.trv(obj.value) if obj.typ in ("PERSON", "STREET_ADDRESS", "DATE_OF_BIRTH") else obj.value
            s = self.pos
            self._add(v)
            self.ents.append({"type": obj.typ, "start": s, "end": self.pos, "value": v,
                              "ctx": obj.ctx, "locale": obj.loc or self.loc})
        elif isinstance(obj, N):
            v = self.tr(obj.value) if getattr(obj, "literal", False) else self.trv(obj.value)
            s = self.pos
            self._add(v)
            self.negs.append({"kind": obj.kind, "start": s, "end": self.pos, "value": v})
        elif isinstance(obj, (list, tuple)):
            for o in obj:
                self.put(o)
        elif obj is None:
            pass
        else:  # plain text, may carry [[kind|value]] markup
            self.fill(str(obj))

    def fill(self, tpl, **kw):
        last = 0
        for m in TOKEN.finditer(tpl):
            if m.start() > last:
                self._add(self.tr(tpl[last:m.start()]))
            if m.group(1):
                self.put(kw[m.group(1)])
            else:
                neg = N(NEG_CODES[m.group(2)], m.group(3))
                neg.literal = True  # written in the template itself
                self.put(neg)
            last = m.end()
        if last < len(tpl):
            self._add(self.tr(tpl[last:]))
        return self

    def joined(self, items, seps):
        """items joined by a separator chosen once from seps."""
        sep = self.rng.choice(seps)
        out = []
        for i, it in enumerate(items):
            if i:
                out.append(sep)
            out.append(it)
        return out

    def record(self):
        text = "".join(self.parts)
        return {"kind": self.kind, "locale": self.loc, "text": text,
                "entities": self.ents, "hard_negatives": self.negs}

    # ---------------- small helpers ----------------
    def ch(self, seq):
        return self.rng.choice(seq)

    def coin(self, p=0.5):
        return self.rng.random() < p

    def digits(self, n, first="0123456789"):
        return self.rng.choice(first) + "".join(self.rng.choice("0123456789") for _ in range(n - 1))

    # ---------------- persons ----------------
    def _new_name(self, compound=False):
        r = self.rng
        for _ in range(50):
            if compound:
                sur = r.choice(list(COMPOUND_PY))
                given, gpy = r.choice(GIVEN_PY)
                name, py = sur + given, (COMPOUND_PY[sur], gpy)
            elif self.tw:
                sur, given = self.fk.last_name(), self.fk.first_name()
                name, py = sur + given, None
            elif r.random() < 0.5:
                sur, given = self.fk.last_name(), self.fk.first_name()
                name, py = sur + given, None
            else:
                sur = r.choice(list(SURNAME_PY))
                given, gpy = r.choice(GIVEN_PY)
                name, py = sur + given, (SURNAME_PY[sur], gpy)
            if name not in self.used_names and 2 <= len(name) <= 4:
                self.used_names.add(name)
                return name, sur, py
        return name, sur, py

    def person(self, pos, forms=("full", "compound", "title", "kin", "xiaolao"),
               weights=None):
        """A PERSON entity.  ctx is the position (label_*, list, prose, ...) for plain full
        names, and the name form for the special forms."""
        r = self.rng
        if weights is None:
            base = {"full": 62, "compound": 12, "title": 14, "kin": 5, "xiaolao": 7}
            weights = [base[f] for f in forms]
        form = r.choices(forms, weights=weights)[0]
        if form in ("full", "compound"):
            name, sur, py = self._new_name(compound=form == "compound")
            ctx = pos if form == "full" else "compound_surname"
            if form == "full" and len(sur) == 2:
                ctx = "compound_surname"
            return E("PERSON", name, ctx, surname=sur, py=py, full=name)
        sur = r.choice(list(SURNAME_PY)) if not self.tw else self.fk.last_name()
        if form == "title":
            return E("PERSON", sur + r.choice(TITLES), "surname_title", surname=sur)
        if form == "kin":
            return E("PERSON", sur + r.choice(KINSHIP), "surname_kinship", surname=sur)
        return E("PERSON", r.choice("小老") + sur, "xiao_lao_surname", surname=sur)

    def full(self, pos, compound_p=0.12):
        return self.person(pos, forms=("full", "compound"), weights=[1 - compound_p, compound_p])

    def again(self, e, ctx=None):
        """Same name mentioned again (new occurrence, possibly new ctx)."""
        c = e.ctx if ctx is None or e.ctx in ("compound_surname", "surname_title",
                                              "surname_kinship", "xiao_lao_surname") else ctx
        return E("PERSON", e.value, c, e.loc, **e.meta)

    def title_of(self, e, title=None):
        return E("PERSON", e.meta["surname"] + (title or self.ch(TITLES)), "surname_title",
                 surname=e.meta["surname"])

    def pinyin_of(self, e):
        py = e.meta.get("py")
        if not py:
            return None
        sur, given = py
        style = self.rng.randrange(4)
        if style == 0:
            v = f"{sur.capitalize()} {given.capitalize()}"
        elif style == 1:
            v = f"{given.capitalize()} {sur.capitalize()}"
        elif style == 2:
            v = f"{sur.upper()} {given.capitalize()}"
        else:
            v = f"{given.capitalize()} {sur.upper()}"
        return E("PERSON", v, "pinyin")

    # ---------------- other entities ----------------
    def email(self, ctx, who=None, corp=None):
        r = self.rng
        py = who.meta.get("py") if who is not None else None
        if corp is None:
            corp = r.random() < 0.5
        if py:
            sur, given = py
            local = r.choice([sur + given, f"{given}.{sur}", f"{sur}.{given}", sur + given[0],
                              f"{sur}{given}{r.randint(1, 99)}", f"{given[0]}{sur}"])
        elif not self.tw and r.random() < 0.25 and not corp:
            return E("EMAIL_ADDRESS", self.digits(r.randint(6, 10), "123456789") + "@qq.com", ctx)
        else:
            local = self.fk.user_name()
        if corp:
            dom = r.choice(EMAIL_DOMAINS_CO if not self.tw else ["example.com.tw", "corp.example.tw"])
        else:
            dom = r.choice(EMAIL_DOMAINS_CN if not self.tw else EMAIL_DOMAINS_TW)
        return E("EMAIL_ADDRESS", f"{local}@{dom}", ctx)

    def phone(self, kind=None, style=None):
        r = self.rng
        if self.tw:
            return self._tw_phone(kind, style)
        if kind is None:
            kind = "mobile" if r.random() < 0.72 else "landline"
        if kind == "mobile":
            d = r.choice(MOBILE_PREFIX) + self.digits(8)
            style = style or r.choices(
                ["mobile", "mobile_dash", "mobile_space", "mobile_+86", "mobile_86"],
                weights=[40, 16, 16, 18, 10])[0]
            if style == "mobile":
                v = d
            elif style == "mobile_dash":
                v = f"{d[:3]}-{d[3:7]}-{d[7:]}"
            elif style == "mobile_space":
                v = f"{d[:3]} {d[3:7]} {d[7:]}"
            elif style == "mobile_+86":
                v = r.choice([f"+86 {d[:3]} {d[3:7]} {d[7:]}", f"+86-{d}", f"+86{d}",
                              f"+86 {d}", f"+86-{d[:3]}-{d[3:7]}-{d[7:]}"])
            else:
                v = r.choice([f"86-{d}", f"0086-{d}", f"0086 {d}", f"(86){d}"])
            return E("PHONE_NUMBER", v, style)
        area, n = r.choice(AREA_CODES)
        local = self.digits(n, "2345678")
        style = style or r.choices(["landline", "landline_paren", "landline_ext", "landline_intl"],
                                   weights=[30, 25, 25, 20])[0]
        if style == "landline":
            v = f"{area}-{local}"
        elif style == "landline_paren":
            v = r.choice([f"({area}){local}", f"（{area}）{local}", f"({area}) {local}",
                          f"{area} {local}"])
        elif style == "landline_ext":
            ext = self.digits(r.choice([3, 4]), "123456789")
            v = r.choice([f"{area}-{local}-{ext}", f"{area}-{local}转{ext}",
                          f"{area}-{local} 转 {ext}", f"({area}){local}-{ext}"])
        else:
            v = r.choice([f"+86-{area[1:]}-{local}", f"+86 {area[1:]} {local}",
                          f"+86 ({area[1:]}) {local}"])
        return E("PHONE_NUMBER", v, style)

    def _tw_phone(self, kind, style):
        r = self.rng
        if kind is None:
            kind = "mobile" if r.random() < 0.65 else "landline"
        if style == "faker_tw" or (style is None and r.random() < 0.15):
            return E("PHONE_NUMBER", self.fk.phone_number(), "faker_tw")
        if kind == "mobile":
            d = "09" + self.digits(8)
            if r.random() < 0.25:
                v = r.choice([f"+886-{d[1:4]}-{d[4:7]}-{d[7:]}", f"+886 {d[1:4]} {d[4:7]} {d[7:]}",
                              f"+886{d[1:]}"])
                return E("PHONE_NUMBER", v, "tw_intl")
            v = r.choice([d, f"{d[:4]}-{d[4:7]}-{d[7:]}", f"{d[:4]} {d[4:7]} {d[7:]}",
                          f"{d[:4]}-{d[4:]}"])
            return E("PHONE_NUMBER", v, "tw_mobile")
        area = r.choice(["02", "03", "04", "06", "07"])
        local = self.digits(8 if area == "02" else 7, "2345678")
        lf = f"{local[:4]}-{local[4:]}" if len(local) == 8 else f"{local[:3]}-{local[3:]}"
        v = r.choice([f"{area}-{lf}", f"({area}){lf}", f"{area}-{local}", f"({area}) {local}",
                      f"{area}-{lf}#{self.digits(3, '123456789')}"])
        return E("PHONE_NUMBER", v, "tw_landline")

    def address(self, form=None):
        r = self.rng
        if self.tw:
            form = form or r.choice(["tw_faker", "tw_composed", "tw_composed", "tw_no_city"])
            if form == "tw_faker":
                return E("STREET_ADDRESS", re.sub(r"^\d+\s*", "", self.fk.address()), form)
            city, dists, roads = r.choice(TW_GEO)
            tail = f"{r.choice(roads)}{r.randint(1, 399)}號"
            tail += r.choice(["", f"{r.randint(2, 25)}樓", f"{r.randint(2, 25)}樓之{r.randint(1, 9)}",
                              f"{r.randint(2, 12)}樓{r.randint(1, 20)}室"])
            if "段" in tail and r.random() < 0.3:
                tail = tail.replace("段", f"段{r.randint(1, 300)}巷", 1)
            if form == "tw_no_city":
                return E("STREET_ADDRESS", r.choice(dists) + tail, form)
            return E("STREET_ADDRESS", city + r.choice(dists) + tail, form)
        form = form or r.choices(["addr_full", "addr_no_province", "addr_district_road",
                                  "addr_road_building", "faker", "addr_spaced"],
                                 weights=[30, 18, 14, 10, 16, 8])[0]
        if form == "faker":
            return E("STREET_ADDRESS", re.sub(r"\s*\d{6}$", "", self.fk.address()), form)
        prov, city, dists, roads = r.choice(CN_GEO)
        dist, road = r.choice(dists), r.choice(roads)
        num = f"{r.randint(1, 999)}号"
        bld = r.choice([
            f"{r.choice(CN_BUILDINGS)}{r.choice('ABCD')}座{r.randint(2, 32)}{r.randint(1, 20):02d}室",
            f"{r.randint(1, 30)}栋{r.randint(1, 4)}单元{r.randint(1, 28)}{r.randint(1, 6):02d}",
            f"{r.randint(1, 12)}号楼{r.randint(1, 25)}{r.randint(1, 9):02d}室",
            f"{r.choice(CN_BUILDINGS)}{r.randint(3, 40)}层",
            f"{r.choice(CN_BUILDINGS)}{r.randint(1, 20)}号楼{r.randint(1, 3)}单元{r.randint(1, 18)}0{r.randint(1, 4)}",
            "",
        ])
        head = prov + (city or "")
        if form == "addr_full":
            v = head + dist + road + num + bld
        elif form == "addr_no_province":
            v = (city or prov) + dist + road + num + bld
        elif form == "addr_district_road":
            v = dist + road + num + bld
        elif form == "addr_road_building":
            v = road + num + (bld or f"{r.randint(1, 20)}楼")
        else:  # spaced, as shop back-ends export it
            segs = [prov] + ([city] if city else []) + [dist, road + num] + ([bld] if bld else [])
            v = " ".join(segs)
        return E("STREET_ADDRESS", v, form)

    def birth(self):
        return date(1960, 1, 1) + timedelta(days=self.rng.randrange(0, 16000))

    def resident_id(self, style=None, born=None):
        r = self.rng
        born = born or self.birth()
        style = style or r.choices(["plain", "spaced_6_8_4", "ends_with_X"], weights=[70, 15, 15])[0]
        area = r.choice(ID_AREAS)
        for _ in range(200):
            body = area + born.strftime("%Y%m%d") + self.digits(3)
            c = id_check_char(body)
            if (style == "ends_with_X") == (c == "X"):
                break
        v = body + c
        if style == "spaced_6_8_4":
            v = f"{v[:6]} {v[6:14]} {v[14:]}"
        if style == "ends_with_X" and r.random() < 0.3:
            v = v[:-1] + "x"
            style = "ends_with_x_lower"
        return E("CN_RESIDENT_ID", v, style, "zh_CN", born=born)

    def dob(self, born, fmt=None):
        r = self.rng
        y, m, d = born.year, born.month, born.day
        if fmt is None:
            fmts = ["cn_ymd", "iso", "slash", "dotted", "compact", "year_month"]
            w = [35, 25, 12, 15, 8, 5]
            if self.tw:
                fmts.append("roc")
                w.append(25)
            fmt = r.choices(fmts, weights=w)[0]
        pad = r.random() < 0.5
        if fmt == "cn_ymd":
            v = f"{y}年{m:02d}月{d:02d}日" if pad else f"{y}年{m}月{d}日"
        elif fmt == "iso":
            v = f"{y}-{m:02d}-{d:02d}"
        elif fmt == "slash":
            v = f"{y}/{m:02d}/{d:02d}" if pad else f"{y}/{m}/{d}"
        elif fmt == "dotted":
            v = f"{y}.{m:02d}.{d:02d}" if pad else f"{y}.{m}.{d}"
        elif fmt == "compact":
            v = f"{y}{m:02d}{d:02d}"
        elif fmt == "year_month":
            v = f"{y}年{m}月"
        elif fmt == "roc":
            v = (f"民國{y - 1911}年{m}月{d}日" if r.random() < 0.6 else f"{y - 1911}/{m:02d}/{d:02d}")
        else:
            raise ValueError(fmt)
        return E("DATE_OF_BIRTH", v, fmt)

    def card(self, style=None, bank=None):
        r = self.rng
        bank = bank or r.choice(BANKS_TW if self.tw else BANKS_CN)
        name, bin_, n = bank
        num = luhn_complete(bin_ + self.digits(n - len(bin_) - 1))
        style = style or r.choices(["plain", "spaced", "dashed"], weights=[60, 30, 10])[0]
        if style == "spaced":
            v = " ".join(num[i:i + 4] for i in range(0, n, 4))
        elif style == "dashed":
            v = "-".join(num[i:i + 4] for i in range(0, n, 4))
        else:
            v = num
        return E("CREDIT_CARD", v, style), name

    def uscc(self, ctx="label"):
        r = self.rng
        kind = r.choices(["91", "92", "12", "52", "93"], weights=[80, 6, 6, 5, 3])[0]
        if r.random() < 0.55:
            body8 = "MA" + "".join(r.choice(USCC_CHARS) for _ in range(6))
        else:
            body8 = self.digits(8)
        org = body8 + org_check_char(body8)
        b17 = kind + r.choice(USCC_AREAS) + org
        return E("CN_USCC", b17 + uscc_check_char(b17), ctx, "zh_CN")

    def passport(self, style=None):
        r = self.rng
        style = style or r.choices(["E_digits", "E_letter", "G_digits"], weights=[50, 30, 20])[0]
        if style == "E_digits":
            v = "E" + self.digits(8)
        elif style == "E_letter":
            v = "E" + r.choice(PASSPORT_LETTERS) + self.digits(7)
        else:
            v = "G" + self.digits(8, "1234568")
        return E("CN_PASSPORT", v, style, "zh_CN")

    def plate(self, style=None):
        r = self.rng
        prov, letters = r.choice(PLATE_PROV)
        city = r.choice(letters)
        style = style or r.choices(["standard", "standard_dot", "standard_space", "new_energy",
                                    "new_energy_dot"], weights=[40, 15, 8, 25, 12])[0]
        if style.startswith("new_energy"):
            if r.random() < 0.8:
                tail = r.choice("DF") + r.choice(PLATE_LETTERS + "0123456789" * 3) + self.digits(4)
            else:
                tail = self.digits(5) + r.choice("DF")
        else:
            chars = [r.choice("0123456789") for _ in range(5)]
            for _ in range(r.choice([0, 0, 1, 1, 2])):
                chars[r.randrange(5)] = r.choice(PLATE_LETTERS)
            tail = "".join(chars)
        sep = "·" if style.endswith("_dot") else (" " if style == "standard_space" else "")
        return E("CN_LICENSE_PLATE", prov + city + sep + tail, style, "zh_CN")

    def ip(self, ctx, private=None):
        r = self.rng
        if ctx == "ipv6":
            groups = [r.choice(["2408", "240e", "2409", "2001:db8"])] + \
                [f"{r.randrange(1, 65536):x}" for _ in range(r.choice([2, 3]))]
            v = ":".join(groups) + r.choice(["::1", f"::{r.randrange(1, 65536):x}",
                                             f":{r.randrange(1, 65536):x}:{r.randrange(1, 65536):x}"])
            return E("IP_ADDRESS", v, ctx)
        if private is None:
            private = r.random() < 0.6
        if private:
            v = r.choice([f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                          f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
                          f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}"])
        else:
            first = r.choice([36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 115, 116,
                              117, 118, 119, 120, 121, 122, 123, 124, 125, 139, 140, 175, 180,
                              182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223])
            v = f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return E("IP_ADDRESS", v, ctx)

    # ---------------- hard negatives ----------------
    def amt(self, big=False):
        r = self.rng
        if self.tw:
            n = r.randint(300, 300000)
            return N("amount", r.choice([f"NT${n:,}", f"新台幣{n:,}元", f"{n:,}元",
                                         f"新台幣{r.randint(2, 90)}萬元", f"NT$ {n:,}"]))
        n = r.randint(50, 80000) if not big else r.randint(20000, 3000000)
        cents = r.choice(["00", "50", f"{r.randint(0, 99):02d}"])
        return N("amount", r.choice([
            f"¥{n:,}.{cents}", f"￥{n:,}.{cents}", f"{n:,}.{cents}元", f"{n}元",
            f"人民币{r.randint(1, 99)}万元", f"{r.randint(1, 99)}.{r.randint(1, 9)}万元",
            f"RMB {n:,}.{cents}", f"人民币{n:,}元", f"{n:,}元"]))

    def amt_pair(self):
        """An amount in figures and the same amount in Chinese capitals."""
        n = self.rng.randint(1000, 900000)
        if self.tw:
            return N("amount", f"NT${n:,}"), N("amount", "新台幣" + cn_upper_amount(n))
        return N("amount", f"¥{n:,}.00"), N("amount", cn_upper_amount(n))

    def date_neg(self, fmt=None):
        r = self.rng
        dd = date(2019, 1, 1) + timedelta(days=r.randrange(0, 2900))
        y, m, d = dd.year, dd.month, dd.day
        if self.tw and fmt is None and r.random() < 0.3:
            return N("date", f"{y - 1911}年{m}月{d}日")
        fmt = fmt or r.choice(["cn", "cn", "iso", "slash", "dot", "md", "ym"])
        v = {"cn": f"{y}年{m}月{d}日", "iso": f"{y}-{m:02d}-{d:02d}", "slash": f"{y}/{m}/{d}",
             "dot": f"{y}.{m:02d}.{d:02d}", "md": f"{m}月{d}日", "ym": f"{y}年{m}月"}[fmt]
        return N("date", v)

    def time_neg(self):
        r = self.rng
        h, m = r.randint(7, 21), r.choice([0, 5, 10, 15, 20, 30, 40, 45, 50])
        return N("time", r.choice([f"{h:02d}:{m:02d}", f"{h}:{m:02d}", f"{h}点{m}分" if m else f"{h}点",
                                   f"上午{r.randint(8, 11)}点", f"下午{r.randint(1, 5)}点半",
                                   f"{h:02d}:{m:02d}-{h + 1:02d}:{m:02d}"]))

    def company(self):
        return N("company", self.fk.company())

    def product(self):
        return N("product", self.ch(PRODUCTS))

    def place(self):
        return N("place", self.ch(TW_PLACES if self.tw else CN_PLACES))

    def dept(self):
        return N("department", self.ch(DEPTS))

    def job(self):
        return N("job_title", self.ch(JOBS))

    def version(self):
        r = self.rng
        return N("version", r.choice([
            f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}",
            f"{r.randint(1, 12)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(100, 9999)}",
            f"V{r.randint(1, 5)}.{r.randint(0, 9)}", f"{r.randint(2, 6)}.{r.randint(0, 9)}.{r.randint(0, 9)}-rc{r.randint(1, 4)}",
            f"Android {r.randint(11, 15)}", f"iOS {r.randint(15, 18)}.{r.randint(0, 5)}",
            f"HarmonyOS {r.randint(2, 5)}.{r.randint(0, 1)}"]))

    def ident(self, sub=None):
        r = self.rng
        sub = sub or r.choice(["order", "ticket", "invoice", "contract", "employee", "express",
                               "serial", "order18", "asset"])
        y = r.randint(2021, 2025)
        if sub == "order":
            v = r.choice([f"DD{y}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{self.digits(6)}",
                          self.digits(12, "123456789"), f"PO-{y}-{self.digits(5)}"])
        elif sub == "order19":  # 19 digits that fail Luhn (looks like a card number)
            while True:
                v = self.digits(19, "123456789")
                if not luhn_ok(v):
                    break
        elif sub == "order18":  # 18 digits that are not a valid resident ID
            while True:
                v = f"{y}{self.digits(14)}"
                if not valid_resident_id(v):
                    break
        elif sub == "ticket":
            v = r.choice([f"GD{y}{r.randint(1, 12):02d}{r.randint(1, 28):02d}-{self.digits(4)}",
                          f"INC-{y}-{self.digits(5)}", f"#{self.digits(5, '123456789')}",
                          f"TK{self.digits(8)}"])
        elif sub == "invoice":
            v = r.choice([self.digits(8), f"{str(y)[2:]}44{self.digits(16)}", f"044{self.digits(9)}"])
        elif sub == "contract":
            v = r.choice([f"HT-{y}-{r.choice(['SZ', 'BJ', 'SH', 'HZ'])}-{self.digits(4)}",
                          f"{r.choice(['BJ', 'SH', 'GZ'])}{y}-{self.digits(3)}", f"CG{y}{self.digits(5)}"])
        elif sub == "employee":
            v = r.choice([f"A{self.digits(5)}", f"EMP-{self.digits(5)}", f"{y}{self.digits(4)}",
                          f"HR{self.digits(6)}"])
        elif sub == "express":
            v = r.choice([f"SF{self.digits(13, '123456789')}", f"YT{self.digits(13)}",
                          f"JDVA{self.digits(11)}", f"7{self.digits(13)}", f"ZTO{self.digits(12)}"])
        elif sub == "serial":
            while True:
                v = f"{y}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{self.digits(12)}"
                if not luhn_ok(v):
                    break
        elif sub == "flight":
            v = r.choice(["CA", "MU", "CZ", "HU", "ZH", "3U", "MF", "CI", "BR"]) + self.digits(4, "123456789")
        elif sub == "train":
            v = r.choice("GDCKZT") + self.digits(r.choice([3, 4]), "123456789")
        elif sub == "asset":
            v = f"IT-{r.choice(['NB', 'PC', 'SV', 'MON'])}-{self.digits(5)}"
        elif sub == "monthly":
            v = self.digits(10, "123456789")
        elif sub == "tw_tax":
            v = self.digits(8, "123456789")
        elif sub == "mac":
            v = ":".join(f"{r.randrange(256):02X}" for _ in range(6))
        else:
            raise ValueError(sub)
        return N("identifier", v)

    def filler(self, k=1):
        out = []
        for s in self.rng.sample(COMMON_WORD_SENTENCES, k):
            out.append(s)
        return "".join(out)

    def fill_filler(self, k=1):
        self.fill(self.filler(k))


# --------------------------------------------------------------------------------------
# Templates.  Each takes a Doc and writes into it.
# --------------------------------------------------------------------------------------
def offer_letter(d):
    r = d.rng
    p = d.person("greeting", forms=("full", "compound"), weights=[85, 15])
    co = d.company()
    hr = d.person("label_fullwidth", forms=("full", "title"), weights=[50, 50])
    hr_ctx = "prose" if hr.ctx not in ("surname_title", "compound_surname") else hr.ctx
    hr = E("PERSON", hr.value, hr_ctx, **hr.meta)
    d.fill("录用通知书\n\n{name}{hon}：\n    您好！感谢您对{co}的信任。经综合评估，公司决定录用您为{dept}{job}，"
           "税前月薪{amt}，试用期3个月。请于{d1}{t}到{place}总部报到。\n",
           name=p, hon=r.choice(["先生", "女士", "同学"]), co=co, dept=d.dept(), job=d.job(),
           amt=d.amt(), d1=d.date_neg("cn"), t=d.time_neg(), place=d.place())
    if not d.tw:
        c, bank = d.card()
        d.fill("    报到时请携带身份证原件（身份证号：{rid}）、学历证书及一寸照片两张，并提供本人名下的工资卡卡号"
               "（{card}，开户行：{bank}）。\n", rid=d.resident_id(), card=c, bank=N("company", bank))
    else:
        c, bank = d.card()
        d.fill("    報到時請攜帶學歷證書及照片兩張，並提供本人薪資帳戶（{card}，{bank}）。\n",
               card=c, bank=N("company", bank))
    d.fill("    如有疑问，请联系人力资源部{hr}，电话{ph}，邮箱{em}。\n\n{co}\n[[dept|人力资源部]]\n{d2}\n",
           hr=hr, ph=d.phone("landline"), em=d.email("prose", hr, corp=True), co=co, d2=d.date_neg())


def labour_contract(d):
    r = d.rng
    co = d.company()
    legal = d.full("label_fullwidth")
    p = d.full("label_fullwidth")
    born = d.birth()
    d.fill("劳动合同书（节选）\n\n甲方（用人单位）：{co}\n", co=co)
    if not d.tw:
        d.fill("统一社会信用代码：{u}\n", u=d.uscc("label"))
    d.fill("法定代表人：{legal}\n地址：{a}\n\n乙方（劳动者）：{p}\n性别：{sex}    出生日期：{dob}\n",
           legal=legal, a=d.address(), p=p, sex=r.choice("男女"), dob=d.dob(born))
    if not d.tw:
        d.fill("居民身份证号码：{rid}\n户籍地址：{a1}\n", rid=d.resident_id(born=born), a1=d.address("addr_full"))
    emg = d.full("label_fullwidth")
    d.fill("现居住地址：{a2}\n联系电话：{ph}\n紧急联系人：{emg}（{rel}）  电话：{ph2}\n\n",
           a2=d.address(), ph=d.phone("mobile"), emg=emg, rel=r.choice(["配偶", "亲属", "朋友", "父母", "同学"]),
           ph2=d.phone("mobile"))
    c, bank = d.card()
    d.fill("第一条 合同期限：自{d1}起至{d2}止，其中试用期至{d3}。\n"
           "第二条 乙方同意根据甲方工作需要，在{dept}从事{job}工作，工作地点为{place}。\n"
           "第三条 乙方月工资为{amt}，甲方于每月15日前通过银行转账支付至乙方{bank}账户{card}。\n{f}\n",
           d1=d.date_neg("cn"), d2=d.date_neg("cn"), d3=d.date_neg("cn"), dept=d.dept(), job=d.job(),
           place=d.place(), amt=d.amt(), bank=N("company", bank), card=c, f=d.filler())


def onboarding_form(d):
    r = d.rng
    p = d.full("label_fullwidth")
    born = d.birth()
    sep = r.choice(["：", ":"])
    pctx = "label_fullwidth" if sep == "：" else "label_halfwidth"
    p = E("PERSON", p.value, pctx if p.ctx != "compound_surname" else p.ctx, **p.meta)
    d.fill("新员工入职信息登记表\n姓名{s}{p}    工号{s}{emp}\n部门{s}{dept}    岗位{s}{job}\n出生年月{s}{dob}\n"
           "手机{s}{ph}    邮箱{s}{em}\n", s=sep, p=p, emp=d.ident("employee"), dept=d.dept(), job=d.job(),
           dob=d.dob(born, r.choice(["year_month", "iso", "cn_ymd", "dotted"])),
           ph=d.phone("mobile"), em=d.email("label", p, corp=False))
    if not d.tw:
        d.fill("身份证号{s}{rid}\n", s=sep, rid=d.resident_id(born=born))
        if d.coin(0.5):
            d.fill("护照号码{s}{pp}（因公出国用）\n", s=sep, pp=d.passport())
    c, bank = d.card()
    hr = d.person("label_fullwidth", forms=("full", "title"), weights=[60, 40])
    d.fill("家庭住址{s}{a}\n银行卡号{s}{card}（{bank}）\n入职日期{s}{d1}\n填表人签字{s}{p2}    HR审核{s}{hr}\n",
           s=sep, a=d.address(), card=c, bank=N("company", bank), d1=d.date_neg(), p2=d.again(p, "signature"), hr=hr)


def hr_note(d):
    r = d.rng
    p = d.full("prose")
    boss = d.person("prose", forms=("title", "full"), weights=[70, 30])
    born = d.birth()
    kin = d.person("prose", forms=("xiaolao",))
    d.fill("各位好：\n今天{p}已完成入职手续，工号{emp}，安排在{dept}，直属上级是{boss}。{p2}的手机是{ph}，生日是{dob}，"
           "请行政部准备工位和电脑（资产编号{asset}）。{kin}负责带新人熟悉{ver}版本的内部系统。\n{f}\n",
           p=p, emp=d.ident("employee"), dept=d.dept(), boss=boss, p2=d.again(p, "prose"), ph=d.phone("mobile"),
           dob=d.dob(born, r.choice(["cn_ymd", "iso", "dotted"])), asset=d.ident("asset"), kin=kin,
           ver=d.version(), f=d.filler())
    sig = d.full("signature")
    d.fill("\n{sig}\n{dept}\n{d}\n", sig=sig, dept=d.dept(), d=d.date_neg())


def resignation_cert(d):
    p = d.full("prose")
    d.fill("离职证明\n\n兹证明{p}", p=p)
    if not d.tw:
        d.fill("（身份证号：{rid}）", rid=d.resident_id())
    else:
        d.fill("（出生日期：{dob}）", dob=d.dob(d.birth()))
    co = d.company()
    d.fill("自{d1}至{d2}在我公司{dept}担任{job}职务，于{d3}因个人原因离职，已办理完毕全部离职交接手续。\n特此证明。\n\n"
           "{co}（盖章）\n经办人：{hr}  电话：{ph}\n{d4}\n",
           d1=d.date_neg("cn"), d2=d.date_neg("cn"), dept=d.dept(), job=d.job(), d3=d.date_neg("cn"),
           co=co, hr=d.person("label_fullwidth", forms=("full", "title"), weights=[50, 50]),
           ph=d.phone("landline"), d4=d.date_neg("cn"))


# ---------------- customer tickets ----------------
def ticket_form(d):
    p = d.full("label_fullwidth")
    agent = d.full("label_fullwidth")
    eng = d.person("prose", forms=("title", "xiaolao", "full"), weights=[50, 25, 25])
    d.fill("工单编号：{tid}\n创建时间：{dt} {t}\n客户姓名：{p}\n联系电话：{ph}\n服务地址：{a}\n产品型号：{prod}\n"
           "问题描述：客户反映设备开机后黑屏，已尝试重启无效，购买日期{d2}。{f}\n处理人：{agent}\n"
           "处理结果：已安排{eng}于{d3}{t2}上门检修。\n",
           tid=d.ident("ticket"), dt=d.date_neg("iso"), t=d.time_neg(), p=p, ph=d.phone(), a=d.address(),
           prod=d.product(), d2=d.date_neg(), f=d.filler(), agent=agent, eng=eng, d3=d.date_neg("md"), t2=d.time_neg())


def ticket_pipe(d):
    rows = []
    p = d.full("table")
    d.fill("【工单】{tid} | 客户：{p} | 手机：{ph} | 地址：{a} | 类型：退换货 | 订单号：{oid} | 金额：{amt}\n",
           tid=d.ident("ticket"), p=p, ph=d.phone("mobile"), a=d.address(), oid=d.ident("order19"), amt=d.amt())
    d.fill("备注：客户要求{t}前回电，{f}\n", t=d.time_neg(), f=d.filler())


def ticket_prose(d):
    p = d.person("prose", forms=("full", "compound", "title"), weights=[70, 15, 15])
    owner = d.full("label_fullwidth")
    d.fill("客户{p}来电（来电号码{ph}），称{d1}在官方商城购买的{prod}出现质量问题，要求退货并退还{amt}。"
           "客户地址：{a}。已转{dept}跟进，责任人：{owner}。订单编号{oid}。{f}\n", f=d.filler(),
           p=p, ph=d.phone(), d1=d.date_neg(), prod=d.product(), amt=d.amt(), a=d.address(), dept=d.dept(),
           owner=owner, oid=d.ident("order"))


def ticket_en_headers(d):
    p = d.full("label_halfwidth")
    d.fill("Ticket {tid}\n提交人: {p}\nEmail: {em}\n电话: {ph}\n优先级: P2\n"
           "描述: 登录后台后页面一直转圈，浏览器版本{ver}。{f}\n", tid=d.ident("ticket"), p=p,
           em=d.email("label", p), ph=d.phone(), ver=d.version(), f=d.filler())
    d.fill("指派给: {a}\n抄送: {b}、{c}\n", a=d.full("label_halfwidth"), b=d.full("list"), c=d.person("list", forms=("full", "title")))


def ticket_followup(d):
    p = d.full("prose")
    kin = d.person("prose", forms=("kin",))
    d.fill("售后回访记录\n回访时间：{dt} {t}\n回访对象：{p}，电话{ph}\n回访内容：{p2}表示{prod}已经修好，"
           "上门的{eng}态度很好。当天家里只有{kin}在，是{kin2}帮忙签的字。客户的新住址为{a}，请更新档案。\n满意度：5分\n",
           dt=d.date_neg(), t=d.time_neg(), p=p, ph=d.phone("mobile"), p2=d.again(p, "prose"), prod=d.product(),
           eng=d.person("prose", forms=("title", "xiaolao")), kin=kin, kin2=d.again(kin), a=d.address())


# ---------------- chat logs ----------------
def _chat(d, speakers, msgs, style=None):
    """msgs: list of (speaker index, template, kwargs)."""
    r = d.rng
    style = style or r.choice(["bracket", "name_time", "dingtalk"])
    h, m = r.randint(8, 18), r.randint(0, 50)
    day = d.date_neg("iso")
    for si, tpl, kw in msgs:
        m += r.randint(1, 6)
        if m >= 60:
            h, m = h + 1, m - 60
        t = N("time", f"{h:02d}:{m:02d}")
        t_sec = N("time", f"{h:02d}:{m:02d}:{r.randint(0, 59):02d}")
        sp = d.again(speakers[si], "chat_speaker")
        if style == "bracket":
            d.fill("[{t}] {sp}{c}", t=t, sp=sp, c=r.choice(["：", ":", "： "]))
            d.fill(tpl + "\n", **kw)
        elif style == "name_time":
            d.fill("{sp} {t}\n", sp=sp, t=t)
            d.fill(tpl + "\n\n", **kw)
        else:
            dp = speakers[si].meta.get("dept") or "销售部"
            d.fill("{sp}（{dp}） {day} {t}\n", sp=sp, dp=N("department", dp), day=day, t=t_sec)
            d.fill(tpl + "\n", **kw)


def _speakers(d, n):
    out = []
    for _ in range(n):
        e = d.full("chat_speaker", compound_p=0.1)
        e.meta["dept"] = d.ch(DEPTS)
        out.append(e)
    return out


def chat_logistics(d):
    A, B, C = _speakers(d, 3)
    cust = d.person("prose", forms=("full", "title"), weights=[70, 30])
    msgs = [
        (0, "{b}，客户{cust}的收货地址改了，新地址是{a}", dict(b=d.again(B, "prose"), cust=cust, a=d.address())),
        (1, "收到。电话还是{ph}吗？{f}", dict(ph=d.phone("mobile"), f=d.filler())),
        (0, "换成{ph}了，麻烦[[cw|马上]]改一下", dict(ph=d.phone("mobile"))),
        (1, "改好了，{t}前发货，单号{ex}", dict(t=d.time_neg(), ex=d.ident("express"))),
        (2, "@{a} {boss}说这单金额{amt}，要走加急", dict(a=d.again(A, "prose"), boss=d.person("prose", forms=("title",)),
                                                 amt=d.amt())),
        (0, "好的👌", {}),
    ]
    _chat(d, [A, B, C], msgs)


def chat_admin(d):
    A, B = _speakers(d, 2)
    newbie = d.full("prose")
    msgs = [(0, "明天新同事{n}入职，工位在3楼靠窗那排", dict(n=newbie))]
    if not d.tw:
        born = d.birth()
        msgs += [
            (1, "好的，他开车吗？要不要登记停车", {}),
            (0, "开车，车牌{pl}，麻烦加一下白名单", dict(pl=d.plate())),
            (1, "门禁要登记身份证，{n}的身份证号发我一下", dict(n=d.again(newbie, "prose"))),
            (0, "{rid}", dict(rid=d.resident_id(born=born))),
            (1, "收到，生日是{dob}对吧？系统里要填", dict(dob=d.dob(born, d.ch(["cn_ymd", "iso", "dotted"])))),
        ]
    else:
        msgs += [
            (1, "好的，他的手機和Email給我一下，我建帳號", {}),
            (0, "{ph}，{em}", dict(ph=d.phone("mobile"), em=d.email("chat", newbie))),
        ]
    msgs += [(0, "对，{f}", dict(f=d.filler())), (1, "👍", {})]
    _chat(d, [A, B], msgs)


def chat_family_property(d):
    A, B = _speakers(d, 2)
    kin = d.person("prose", forms=("kin",))
    xl = d.person("prose", forms=("xiaolao",))
    msgs = [
        (0, "{kin}说快递放在门卫了，你下班顺便拿一下", dict(kin=kin)),
        (1, "好，是寄到{a}那个吧？", dict(a=d.address(d.ch(["addr_district_road", "addr_road_building"])
                                            if not d.tw else "tw_no_city"))),
        (0, "对，快递员是{xl}，电话{ph}", dict(xl=xl, ph=d.phone("mobile"))),
        (1, "[[cw|白天]]我不在家，晚上再联系他", {}),
        (0, "行，{f}", dict(f=d.filler())),
    ]
    _chat(d, [A, B], msgs)


def chat_devops(d):
    A, B, C = _speakers(d, 3)
    msgs = [
        (0, "{ip}这台机器又挂了，谁看一下", dict(ip=d.ip("glued_cjk"))),
        (1, "我看下，日志里报 connection refused，版本是{v}", dict(v=d.version())),
        (2, "{xl}你先重启一下，跳板机是 {ip} ", dict(xl=d.person("prose", forms=("xiaolao", "title")),
                                               ip=d.ip("spaced", private=True))),
        (1, "重启了，{t}恢复。告警邮件我转给{em}了", dict(t=d.time_neg(), em=d.email("glued_cjk"))),
        (0, "辛苦，{f}", dict(f=d.filler())),
    ]
    _chat(d, [A, B, C], msgs)


def chat_finance(d):
    A, B = _speakers(d, 2)
    boss = d.person("prose", forms=("title",))
    c, bank = d.card()
    msgs = [
        (0, "{boss}，上个月的报销{amt}已经打到你{bank}卡{c}上了，麻烦查收", dict(boss=boss, amt=d.amt(),
                                                                    bank=N("company", bank), c=c)),
        (1, "收到，谢谢！另外{p}的差旅费还没批", dict(p=d.full("prose"))),
        (0, "审批卡在{dept}，我催一下{x}", dict(dept=d.dept(), x=d.person("prose", forms=("xiaolao", "title", "full")))),
        (1, "好的，发票号码是{inv}，{f}", dict(inv=d.ident("invoice"), f=d.filler())),
    ]
    _chat(d, [A, B], msgs)


def chat_sales_group(d):
    sp = _speakers(d, 4)
    msgs = [
        (0, "今天拜访了{co}，对接人是{c}，手机{ph}，对{prod}很感兴趣", dict(co=d.company(), c=d.person("prose", forms=("full", "title")),
                                                           ph=d.phone("mobile"), prod=d.product())),
        (1, "地址发我，我明天{t}过去", dict(t=d.time_neg())),
        (0, "{a}", dict(a=d.address())),
        (2, "这家之前是{p}跟的，[[cw|金额]]不大，{amt}左右", dict(p=d.again(sp[3], "prose"), amt=d.amt())),
        (3, "对，他们采购的邮箱是{em}，可以先发资料。{f}", dict(em=d.email("chat"), f=d.filler())),
    ]
    _chat(d, sp, msgs)


# ---------------- meeting minutes ----------------
def _attendees(d, k, with_dept=False):
    items = []
    for _ in range(k):
        e = d.person("list", forms=("full", "compound", "title"), weights=[70, 12, 18])
        if with_dept:
            items.append([e, "（", d.dept(), "）"])
        else:
            items.append(e)
    return d.joined(items, ["、", "，", "、", ", ", " "])


def minutes_formal(d):
    r = d.rng
    host = d.person("label_fullwidth", forms=("full", "title"), weights=[60, 40])
    rec = d.full("label_fullwidth")
    p2, p3, p4 = d.full("prose"), d.person("prose"), d.full("prose")
    d.fill("会议纪要\n\n会议主题：{prod}交付进度沟通会\n会议时间：{dt} {t1}\n会议地点：{place}办公室3号会议室\n主持人：{host}\n",
           prod=d.product(), dt=d.date_neg("cn"), t1=d.time_neg(), place=d.place(), host=host)
    d.fill("参会人员：")
    d.put(_attendees(d, r.randint(3, 6), with_dept=r.random() < 0.4))
    d.fill("\n缺席：{ab}（请假）\n记录人：{rec}\n\n", ab=d.person("label_fullwidth", forms=("full", "title")), rec=rec)
    d.fill("一、{h}通报了本季度销售情况，回款{amt}。{f}\n二、{p2}提出{prod}的交付进度需要加快，{place}仓库目前缺货。\n"
           "三、会议决定由{p3}牵头，{p4}配合，于{d2}前完成方案，合同编号{hid}。\n下次会议时间另行通知。\n",
           h=d.again(host, "prose"), amt=d.amt(True), f=d.filler(), p2=p2, prod=d.product(), place=d.place(),
           p3=p3, p4=p4, d2=d.date_neg("md"), hid=d.ident("contract"))


def minutes_table(d):
    sep = d.ch(["|", "\t"])
    d.fill("周例会纪要（{dt}）\n出席：", dt=d.date_neg())
    d.put(_attendees(d, d.rng.randint(4, 7)))
    d.fill("\n\n待办事项\n")
    if sep == "|":
        d.fill("| 事项 | 负责人 | 截止日期 |\n| --- | --- | --- |\n")
    else:
        d.fill("事项\t负责人\t截止日期\n")
    for task in d.rng.sample(["合同评审", "供应商比价", "服务器扩容", "客户回访", "年度预算", "招聘面试", "发票核对"], 3):
        p = d.full("table")
        if sep == "|":
            d.fill("| {task} | {p} | {dd} |\n", task=task, p=p, dd=d.date_neg())
        else:
            d.fill("{task}\t{p}\t{dd}\n", task=task, p=p, dd=d.date_neg())
    d.fill("{f}\n", f=d.filler())


def minutes_prose(d):
    a, b = d.person("prose", forms=("full", "title")), d.full("prose")
    d.fill("{md}{t}，{a}主持召开了{dept}月度例会，", md=d.date_neg("md"), t=d.time_neg(), a=a, dept=d.dept())
    d.put(_attendees(d, d.rng.randint(2, 4)))
    d.fill("等参加了会议。会上{b}汇报了{place}分公司的经营情况：营收{amt}，同比增长8%。{f}会议要求各部门在{d2}前提交下季度计划，"
           "由{job}统一汇总。\n", b=b, place=d.place(), amt=d.amt(True), f=d.filler(), d2=d.date_neg("md"), job=d.job())


# ---------------- delivery ----------------
def delivery_waybill(d):
    s, rcv = d.full("label_fullwidth"), d.full("label_fullwidth")
    d.fill("顺丰速运  运单号：{sf}\n寄件人：{s}  {sph}\n寄件地址：{sa}\n收件人：{r}  {rph}\n收件地址：{ra}\n"
           "托寄物：{prod}  数量：2\n付款方式：寄付月结  月结卡号：{mc}\n寄件时间：{dt} {t}\n备注：{f}\n",
           sf=d.ident("express"), s=s, sph=d.phone(), sa=d.address(), r=rcv, rph=d.phone("mobile"),
           ra=d.address(), prod=d.product(), mc=d.ident("monthly"), dt=d.date_neg("iso"), t=d.time_neg(),
           f=d.filler())


def delivery_note_tab(d):
    rcv, drv = d.full("table"), d.full("table")
    d.fill("发货单\n单号\t{oid}\n客户\t{co}\n收货人\t{r}\n电话\t{ph}\n地址\t{a}\n", oid=d.ident("order"),
           co=d.company(), r=rcv, ph=d.phone(), a=d.address())
    if not d.tw:
        if d.coin(0.5):
            d.fill("客户税号\t{u}\n", u=d.uscc("table"))
        d.fill("车牌\t{pl}\n", pl=d.plate())
    d.fill("司机\t{drv}\t{dph}\n货物\t{prod} x 20箱\n发货日期\t{dt}\n", drv=drv, dph=d.phone("mobile"),
           prod=d.product(), dt=d.date_neg())


def delivery_prose(d):
    xl = d.person("prose", forms=("xiaolao", "title", "full"), weights=[50, 25, 25])
    d.fill("【物流通知】您的订单{oid}已发货，由{co}配送，快递员{xl}（电话{ph}）将于今天{t}前送达{a}，请保持电话畅通。{f}\n",
           oid=d.ident("order"), co=d.company(), xl=xl, ph=d.phone("mobile"), t=d.time_neg(), a=d.address(), f=d.filler())


def delivery_export(d):
    d.fill("订单导出 {dt}\n", dt=d.date_neg())
    for _ in range(d.rng.randint(2, 4)):
        p = d.full("table")
        d.fill("{oid}，{p}，{ph}，{a}，{prod}，{amt}\n", oid=d.ident("order"), p=p, ph=d.phone("mobile"),
               a=d.address("addr_spaced" if not d.tw else None), prod=d.product(), amt=d.amt())


# ---------------- expense claims ----------------
def expense_form(d):
    p = d.full("label_fullwidth")
    c, bank = d.card()
    a1, a2 = d.amt_pair()
    d.fill("费用报销单\n报销人：{p}    部门：{dept}    工号：{emp}\n报销事由：{dt}赴{place}拜访客户{co}\n费用明细：\n"
           "  交通费 {x1}\n  住宿费 {x2}\n  餐费 {x3}\n合计：{a1}（大写：{a2}）\n收款账户：{c}  开户行：{bank}\n",
           p=p, dept=d.dept(), emp=d.ident("employee"), dt=d.date_neg(), place=d.place(), co=d.company(),
           x1=d.amt(), x2=d.amt(), x3=d.amt(), a1=a1, a2=a2, c=c, bank=N("company", bank))
    if not d.tw:
        d.fill("开票信息：{co}  纳税人识别号：{u}\n", co=d.company(), u=d.uscc("label"))
    d.fill("审批人：{ap}    财务审核：{fin}\n", ap=d.person("label_fullwidth", forms=("full", "title"), weights=[50, 50]),
           fin=d.full("label_fullwidth"))


def expense_table(d):
    d.fill("{dept}{ym}报销汇总\n| 序号 | 姓名 | 部门 | 金额 | 银行卡号 |\n|---|---|---|---|---|\n", dept=d.dept(),
           ym=d.date_neg("ym"))
    for i in range(d.rng.randint(3, 5)):
        c, _ = d.card("plain")
        d.fill("| {i} | {p} | {dep} | {amt} | {c} |\n", i=str(i + 1), p=d.full("table"), dep=d.dept(), amt=d.amt(), c=c)
    d.fill("制表：{p}  复核：{q}\n", p=d.full("label_fullwidth"), q=d.person("label_fullwidth", forms=("title", "full")))


def expense_mail(d):
    boss = d.person("greeting", forms=("title",))
    me = d.full("signature")
    c, bank = d.card()
    d.fill("{boss}您好，\n附件是{dt}出差{place}的报销单，合计{amt}，麻烦审批。报销款请打到我的{bank}卡{c}。{f}\n谢谢！\n{me}\n{dept}\n",
           boss=boss, dt=d.date_neg(), place=d.place(), amt=d.amt(), bank=N("company", bank), c=c, f=d.filler(),
           me=me, dept=d.dept())


def invoice_request(d):
    p = d.full("label_fullwidth")
    d.fill("开票申请\n申请人：{p}  部门：{dept}  日期：{dt}\n发票类型：增值税专用发票\n购买方名称：{co}\n纳税人识别号：{u}\n"
           "地址、电话：{a} {ph}\n开户行：{bank}\n开票内容：{prod} 技术服务费\n金额：{amt}\n收票邮箱：{e}\n{f}\n",
           p=p, dept=d.dept(), dt=d.date_neg(), co=d.company(), u=d.uscc("label"), a=d.address(),
           ph=d.phone("landline"), bank=N("company", d.ch(BANKS_CN)[0] + d.ch(CN_PLACES) + "支行"), prod=d.product(),
           amt=d.amt(True), e=d.email("label", corp=True), f=d.filler())


# ---------------- payments ----------------
def payment_request(d):
    co = d.company()
    c, bank = d.card()
    a1, a2 = d.amt_pair()
    d.fill("付款申请单\n申请日期：{dt}      申请编号：{pid}\n申请人：{p}        所属部门：{dept}\n收款单位：{co}\n",
           dt=d.date_neg(), pid=d.ident("order"), p=d.full("label_fullwidth"), dept=d.dept(), co=co)
    if not d.tw:
        d.fill("统一社会信用代码：{u}\n", u=d.uscc("label"))
    else:
        d.fill("統一編號：{tax}\n", tax=d.ident("tw_tax"))
    d.fill("收款人：{payee}\n开户银行：{bank}\n银行卡号：{c}\n付款金额：{a1}（{a2}）\n付款事由：支付合同{hid}第二期款\n"
           "对方联系人：{ct}  电话：{ph}\n审批：", payee=d.full("label_fullwidth"), bank=N("company", bank), c=c,
           a1=a1, a2=a2, hid=d.ident("contract"), ct=d.person("label_fullwidth", forms=("full", "title")), ph=d.phone())
    apps = [d.person("list", forms=("full", "title"), weights=[50, 50]) for _ in range(3)]
    d.put(d.joined(apps, [" → ", "→", " > ", "、"]))
    d.fill("\n")


def payment_receipt(d):
    c1, b1 = d.card()
    c2, b2 = d.card()
    d.fill("{bank} 网上银行电子回单\n交易流水号：{sn}\n付款人户名：{p1}\n付款卡号：{c1}\n收款人户名：{p2}\n收款卡号：{c2}\n"
           "收款行：{b2}\n金额：{amt}\n交易时间：{dt} {t}\n摘要：{memo}\n{f}\n",
           bank=N("company", b1), sn=d.ident("serial"), p1=d.full("label_fullwidth"), c1=c1,
           p2=d.full("label_fullwidth"), c2=c2, b2=N("company", b2), amt=d.amt(), dt=d.date_neg("iso"),
           t=d.time_neg(), memo=d.ch(["货款", "服务费", "房租", "报销款", "借款归还"]), f=d.filler())


def payment_prose(d):
    c, bank = d.card()
    co = d.company()
    if not d.tw:
        d.fill("请财务今天[[cw|马上]]支付{co}（统一社会信用代码{u}）的技术服务费{amt}，", co=co, u=d.uscc("prose"), amt=d.amt())
    else:
        d.fill("請財務今天[[cw|馬上]]支付{co}的技術服務費{amt}，", co=co, amt=d.amt())
    d.fill("收款人{p}，卡号{c}，{bank}。经办人{x}，有问题打{ph}。\n", p=d.full("prose"), c=c, bank=N("company", bank),
           x=d.person("prose", forms=("full", "title", "xiaolao")), ph=d.phone("mobile"))


def payment_batch(d):
    d.fill("代发工资明细（{ym}）\n", ym=d.date_neg("ym"))
    d.fill("姓名\t身份证号\t卡号\t实发金额\n" if not d.tw else "姓名\t卡號\t實發金額\n")
    for _ in range(d.rng.randint(3, 5)):
        c, _ = d.card(d.ch(["plain", "spaced"]))
        if not d.tw:
            d.fill("{p}\t{rid}\t{c}\t{amt}\n", p=d.full("table"), rid=d.resident_id(), c=c, amt=d.amt())
        else:
            d.fill("{p}\t{c}\t{amt}\n", p=d.full("table"), c=c, amt=d.amt())
    d.fill("经办：{p}\n", p=d.full("label_fullwidth"))


# ---------------- visitor logs ----------------
def visitor_table(d):
    sep = d.ch(["|", "\t"])
    d.fill("访客登记表  {dt}\n", dt=d.date_neg())
    cols = ["序号", "姓名", "证件号码", "手机号", "车牌号", "来访事由", "被访人", "进入时间", "离开时间"]
    d.fill(sep.join(cols) + "\n")
    for i in range(d.rng.randint(3, 5)):
        pl = d.plate() if d.coin(0.7) else "无"
        host = d.person("table", forms=("full", "title"), weights=[50, 50])
        h = d.rng.randint(8, 15)
        t1 = N("time", f"{h:02d}:{d.rng.randint(0, 59):02d}")
        t2 = N("time", f"{h + d.rng.randint(1, 3):02d}:{d.rng.randint(0, 59):02d}")
        doc_id = d.resident_id() if d.coin(0.85) else d.passport()
        items = [str(i + 1), d.full("table"), doc_id, d.phone("mobile"), pl,
                 d.ch(["送货", "面试", "商务洽谈", "设备维修", "审计"]), host, t1, t2]
        for j, it in enumerate(items):
            if j:
                d.fill(sep)
            d.put(it)
        d.fill("\n")


def visitor_prose(d):
    for _ in range(d.rng.randint(2, 3)):
        d.fill("{t}，{p}驾驶{pl}到访，登记身份证{rid}，拜访{h}，手机{ph}，{t2}离开。\n", t=d.time_neg(),
               p=d.full("prose"), pl=d.plate(), rid=d.resident_id(), h=d.person("prose", forms=("title", "full")),
               ph=d.phone("mobile"), t2=d.time_neg())
    d.fill("值班保安：{p}\n{f}\n", p=d.person("label_fullwidth", forms=("full", "xiaolao")), f=d.filler())


def parking_application(d):
    p = d.full("label_fullwidth")
    d.fill("停车月卡申请表\n申请人：{p}    部门：{dept}    工号：{emp}\n手机：{ph}\n", p=p, dept=d.dept(),
           emp=d.ident("employee"), ph=d.phone("mobile"))
    plates = [d.plate() for _ in range(d.rng.randint(1, 2))]
    d.fill("车牌号码：")
    d.put(d.joined(plates, ["、", " / ", "，"]))
    d.fill("\n车辆类型：{t}\n有效期：{d1}至{d2}\n月租费用：{amt}\n审批：{ap}\n{f}\n",
           t=d.ch(["小型轿车", "新能源汽车", "SUV"]), d1=d.date_neg("iso"), d2=d.date_neg("iso"), amt=d.amt(),
           ap=d.person("label_fullwidth", forms=("full", "title")), f=d.filler())


def visitor_tw(d):
    d.fill("訪客登記 {dt}\n", dt=d.date_neg())
    for _ in range(d.rng.randint(2, 4)):
        d.fill("姓名：{p}　公司：{co}　電話：{ph}　受訪者：{h}　時間：{t}\n", p=d.full("label_fullwidth"),
               co=d.company(), ph=d.phone(), h=d.person("label_fullwidth", forms=("full", "title")), t=d.time_neg())


# ---------------- e-mails ----------------
def _signature(d, me, co, with_py=True):
    d.fill("\n--\n{me}\n", me=d.again(me, "signature"))
    if with_py:
        py = d.pinyin_of(me)
        if py is not None and d.coin(0.5):
            d.fill("{py}\n", py=py)
    d.fill("{job} | {dept}\n{co}\n", job=d.job(), dept=d.dept(), co=co)
    d.fill("电话：{l}\n手机：{m}\n邮箱：{e}\n", l=d.phone("landline"), m=d.phone("mobile"), e=d.email("signature", me, corp=True))
    if d.coin(0.6):
        d.fill("地址：{a}\n", a=d.address())


def email_quote(d):
    me = d.full("signature")
    to = d.full("label_fullwidth")
    co = d.company()
    d.fill("发件人：{me} <{e1}>\n收件人：{to} <{e2}>\n抄送：{cc1}; {cc2}\n主题：关于{prod}报价的确认\n时间：{dt} {t}\n\n",
           me=d.again(me, "label_fullwidth"), e1=d.email("angle_brackets", me, corp=True), to=to,
           e2=d.email("angle_brackets", to), cc1=d.email("list"), cc2=d.email("list"), prod=d.product(),
           dt=d.date_neg("iso"), t=d.time_neg())
    d.fill("{tt}，您好：\n    附件是{prod}的报价单，总价{amt}（含税），有效期至{d2}。[[cw|方便]]的话请于本周内回复确认，或直接发邮件至{e}确认。\n    {f}\n\n祝好！\n",
           tt=d.title_of(to, d.ch(["经理", "总", "女士", "先生"])), prod=d.product(), amt=d.amt(True),
           d2=d.date_neg(), e=d.email("glued_cjk", me, corp=True), f=d.filler())
    _signature(d, me, co)


def email_en_headers(d):
    me = d.full("signature")
    to = d.full("label_halfwidth")
    d.fill("From: {me} <{e1}>\nTo: {to} <{e2}>\nSubject: {v} 升级计划\nDate: {dt}\n\n{g}你好，\n"
           "{v2}的升级定在{d2}晚上{t}，届时服务会中断约30分钟。有问题请联系{c}（{ph}）。\n",
           me=d.again(me, "label_halfwidth"), e1=d.email("angle_brackets", me, corp=True), to=to,
           e2=d.email("angle_brackets", to, corp=True), v=d.version(), dt=d.date_neg("iso"),
           g=d.again(to, "greeting"), v2=d.version(), d2=d.date_neg("md"), t=d.time_neg(),
           c=d.person("prose", forms=("full", "title")), ph=d.phone())
    d.fill("\nBest regards,\n")
    _signature(d, me, d.company())


def email_forward(d):
    a, b = d.full("label_halfwidth"), d.full("label_halfwidth")
    d.fill("{b2}，这个客户你跟一下。\n\n-----原始邮件-----\n发件人: {a} <{ea}>\n发送时间: {dt}\n收件人: {b} <{eb}>\n主题: 合作咨询\n\n"
           "您好，我是{co}的{a2}，想咨询贵司{prod}的批量采购价格，大约200台。我的手机是{ph}，也可以加微信同号。"
           "公司地址在{addr}。\n", b2=d.person("greeting", forms=("xiaolao", "title")), a=a, ea=d.email("angle_brackets", a),
           dt=d.date_neg(), b=b, eb=d.email("angle_brackets", b, corp=True), co=d.company(), a2=d.again(a, "prose"),
           prod=d.product(), ph=d.phone("mobile"), addr=d.address())


def email_internal(d):
    me = d.full("signature")
    d.fill("各位同事：\n    {dept}将于{d1}{t}组织{prod}使用培训，地点在{place}园区。报名请发邮件至{e}，或联系{c}（分机：{ext}）。{f}\n",
           dept=d.dept(), d1=d.date_neg("md"), t=d.time_neg(), prod=d.product(), place=d.place(),
           e=d.email("glued_cjk", corp=True), c=d.person("prose", forms=("full", "title", "xiaolao")),
           ext=d.digits(4, "123456789"), f=d.filler())
    _signature(d, me, d.company(), with_py=False)


# ---------------- contracts ----------------
def contract_parties(d):
    co1, co2 = d.company(), d.company()
    for role, co in (("甲方", co1), ("乙方", co2)):
        d.fill("{role}：{co}\n", role=role, co=co)
        if not d.tw:
            d.fill("统一社会信用代码：{u}\n", u=d.uscc("label"))
        else:
            d.fill("統一編號：{x}\n", x=d.ident("tw_tax"))
        c = d.person("label_fullwidth", forms=("full", "title"), weights=[75, 25])
        d.fill("法定代表人：{l}\n住所：{a}\n联系人：{c}    联系电话：{ph}\n电子邮箱：{e}\n\n", l=d.full("label_fullwidth"),
               a=d.address(), c=c, ph=d.phone(), e=d.email("label", c if c.ctx != "surname_title" else None, corp=True))
    d.fill("鉴于甲方拟采购{prod}，经双方友好协商，达成如下协议：合同总价{amt}，签订日期{dt}，签订地点{place}，合同编号{hid}。{f}\n",
           prod=d.product(), amt=d.amt(True), dt=d.date_neg("cn"), place=d.place(), hid=d.ident("contract"), f=d.filler())


def contract_individual(d):
    co = d.company()
    p = d.full("prose")
    d.fill("甲方：{co}\n", co=co)
    if not d.tw:
        d.fill("统一社会信用代码：{u}\n", u=d.uscc("label"))
    d.fill("乙方（个人）：{p}，", p=p)
    if not d.tw:
        d.fill("身份证号码：{rid}，", rid=d.resident_id())
    else:
        d.fill("出生日期：{dob}，", dob=d.dob(d.birth()))
    d.fill("住址：{a}，联系电话：{ph}\n\n第一条 乙方为甲方提供{prod}安装服务，服务费{amt}，于{d1}前支付至乙方银行卡{c}。\n",
           a=d.address(), ph=d.phone("mobile"), prod=d.product(), amt=d.amt(), d1=d.date_neg("cn"), c=d.card()[0])


def contract_lease(d):
    p = d.full("prose")
    co = d.company()
    d.fill("房屋租赁合同\n出租方（甲方）：{p}", p=p)
    if not d.tw:
        d.fill("，身份证号{rid}\n承租方（乙方）：{co}，统一社会信用代码{u}\n", rid=d.resident_id(), co=co, u=d.uscc("prose"))
    else:
        d.fill("\n承租方（乙方）：{co}\n", co=co)
    d.fill("租赁房屋坐落于{a}，建筑面积120平方米，月租金{amt}，租期自{d1}至{d2}。\n甲方联系电话：{ph}；乙方联系人：{c}。\n{f}\n",
           a=d.address(), amt=d.amt(), d1=d.date_neg("cn"), d2=d.date_neg("cn"), ph=d.phone(),
           c=d.person("prose", forms=("full", "title")), f=d.filler())


def supplier_registration(d):
    sep = d.ch(["：", "\t"])
    legal = d.full("label_fullwidth" if sep == "：" else "table")
    contact = d.full("label_fullwidth" if sep == "：" else "table")
    d.fill("供应商准入登记表\n供应商名称{s}{co}\n统一社会信用代码{s}{u}\n法定代表人{s}{l}\n法定代表人身份证号{s}{rid}\n"
           "注册地址{s}{a}\n经营地址{s}{a2}\n联系人{s}{c}\n手机{s}{ph}\n邮箱{s}{e}\n主营产品{s}{prod}\n"
           "注册资本{s}{amt}\n成立日期{s}{dt}\n",
           s=sep, co=d.company(), u=d.uscc("label" if sep == "：" else "table"), l=legal, rid=d.resident_id(),
           a=d.address(), a2=d.address(), c=contact, ph=d.phone("mobile"), e=d.email("label", contact, corp=True),
           prod=d.product(), amt=d.amt(True), dt=d.date_neg("cn"))
    if d.coin(0.5):
        d.fill("关联公司{s}{co}（{u}）\n", s=sep, co=d.company(), u=d.uscc("prose"))
    d.fill("{f}\n", f=d.filler())


def contract_signoff(d):
    d.fill("（以下无正文）\n\n")
    for role in ("甲方", "乙方"):
        d.fill("{role}（盖章）：{co}\n法定代表人或授权代表（签字）：{p}\n日期：{dt}\n\n", role=role, co=d.company(),
               p=d.full("label_fullwidth"), dt=d.date_neg())
    if not d.tw:
        d.fill("附：乙方开票信息  统一社会信用代码 {u}  地址及电话 {a} {ph}\n", u=d.uscc("spaced"), a=d.address(), ph=d.phone("landline"))


# ---------------- travel ----------------
def travel_form(d):
    p = d.full("label_fullwidth")
    born = d.birth()
    d.fill("差旅申请单  单号：{tid}\n出差人：{p}    部门：{dept}\n", tid=d.ident("order"), p=p, dept=d.dept())
    if not d.tw:
        d.fill("证件类型：护照    证件号码：{pp}\n", pp=d.passport())
        if d.coin(0.6):
            d.fill("随行人员：{q}（护照号：{pp}）\n", q=d.full("label_fullwidth"), pp=d.passport())
    d.fill("出生日期：{dob}\n手机：{ph}\n行程：{d1} {f1} {c1}—{c2}，{d2} {f2} 返程\n酒店：{hotel}（{a}），{amt}/晚\n预订人：{b}\n",
           dob=d.dob(born), ph=d.phone("mobile"), d1=d.date_neg("md"), f1=d.ident("flight"), c1=d.place(),
           c2=N("place", d.ch(["新加坡", "东京", "法兰克福", "曼谷", "首尔", "伦敦"])), d2=d.date_neg("md"),
           f2=d.ident("flight"), hotel=N("company", d.ch(["希尔顿酒店", "香格里拉大酒店", "全季酒店", "亚朵酒店"])),
           a=d.address(), amt=d.amt(), b=d.person("label_fullwidth", forms=("full", "xiaolao")))


def travel_group(d):
    sep = d.ch(["|", "\t"])
    d.fill("出访团组名单（{place}）\n", place=N("place", d.ch(["德国", "日本", "新加坡", "美国", "阿联酋"])))
    d.fill(sep.join(["姓名", "拼音", "护照号", "出生日期", "手机"]) + "\n")
    for _ in range(d.rng.randint(3, 6)):
        p = d.person("table", forms=("full", "compound"), weights=[85, 15])
        p2 = E("PERSON", p.value, p.ctx, **p.meta)
        py = d.pinyin_of(p) if p.meta.get("py") else None
        row = [p2, py if py is not None else "-", d.passport(), d.dob(d.birth(), d.ch(["iso", "dotted", "slash", "compact"])),
               d.phone("mobile")]
        for j, it in enumerate(row):
            if j:
                d.fill(sep)
            d.put(it)
        d.fill("\n")
    d.fill("领队：{p}\n{f}\n", p=d.person("label_fullwidth", forms=("full", "title")), f=d.filler())


def travel_prose(d):
    p, q = d.full("prose"), d.full("prose")
    d.fill("{p}的护照号是{pp}，有效期至{exp}，已提交签证中心；同行的{q}护照{pp2}，出生于{dob}，需要补一份在职证明。"
           "签证费{amt}由{dept}统一支付。{f}\n", f=d.filler(), p=p, pp=d.passport(), exp=d.date_neg("cn"), q=q, pp2=d.passport(),
           dob=d.dob(d.birth(), "year_month"), amt=d.amt(), dept=d.dept())


def travel_visa_email(d):
    me = d.full("signature")
    lead = d.person("greeting", forms=("title",))
    d.fill("{lead}好，\n{place}展会的签证材料已整理如下，请核对：\n", lead=lead,
           place=N("place", d.ch(["汉诺威", "拉斯维加斯", "迪拜", "大阪", "米兰"])))
    for i in range(d.rng.randint(2, 3)):
        d.fill("{i}. {p}，护照{pp}，出生日期{dob}，手机{ph}\n", i=str(i + 1), p=d.full("list"), pp=d.passport(),
               dob=d.dob(d.birth(), d.ch(["iso", "cn_ymd", "dotted", "compact"])), ph=d.phone("mobile"))
    d.fill("机票已预订{fl}，{dt}出发，费用{amt}。{f}\n", fl=d.ident("flight"), dt=d.date_neg("cn"), amt=d.amt(), f=d.filler())
    d.fill("\n{me}\n{dept}\n", me=me, dept=d.dept())


def travel_train(d):
    p = d.full("label_fullwidth")
    d.fill("【订票成功】乘车人：{p}  身份证{rid}  车次{tn}  {dt} {t}开  {seat}\n取票号{id}，如需改签请致电{ph}。\n",
           p=p, rid=d.resident_id(), tn=d.ident("train"), dt=d.date_neg("md"), t=d.time_neg(),
           seat=f"{d.rng.randint(1, 16):02d}车{d.rng.randint(1, 20)}{d.ch('ABCDF')}号", id=d.ident("ticket"),
           ph=d.phone("mobile"))


def travel_tw(d):
    p = d.full("label_fullwidth")
    c, bank = d.card()
    d.fill("訂房確認\n旅客姓名：{p}\n出生日期：{dob}\n聯絡電話：{ph}\nEmail：{e}\n入住：{d1}　退房：{d2}\n"
           "信用卡：{c}（{bank}）\n訂單編號：{oid}\n", p=p, dob=d.dob(d.birth()), ph=d.phone("mobile"),
           e=d.email("label", p), d1=d.date_neg(), d2=d.date_neg(), c=c, bank=N("company", bank), oid=d.ident("order"))


# ---------------- IT operations ----------------
def itops_incident(d):
    d.fill("【故障工单】{tid}\n报障人：{p}（{dept}）\n联系方式：{ph}\n故障描述：服务器{ip}无法访问，ping {ip2} 超时。应用版本{v}，"
           "操作系统 CentOS 7.9。\n处理人：{eng}\n处理记录：{t} 登录跳板机{ip3}:22，发现磁盘已满，清理日志后恢复。请发邮件至{e}确认。\n",
           tid=d.ident("ticket"), p=d.full("label_fullwidth"), dept=d.dept(), ph=d.phone(), ip=d.ip("glued_cjk"),
           ip2=d.ip("spaced"), v=d.version(), eng=d.person("label_fullwidth", forms=("full", "title", "xiaolao")),
           t=d.time_neg(), ip3=d.ip("with_port"), e=d.email("glued_cjk", corp=True))


def itops_firewall(d):
    d.fill("防火墙策略变更申请\n申请人：{p}  工号：{emp}\n源地址：{s}\n目的地址：{t}\n端口：443、8443\n", p=d.full("label_fullwidth"),
           emp=d.ident("employee"), s=d.ip("label"), t=d.ip("label", private=False))
    if d.coin(0.5):
        d.fill("IPv6地址：{v6}\n", v6=d.ip("ipv6"))
    d.fill("变更窗口：{dt} {tm}\n审批人：{a}\n备注：上线版本{v}，{f}\n", dt=d.date_neg(), tm=d.time_neg(),
           a=d.person("label_fullwidth", forms=("full", "title")), v=d.version(), f=d.filler())


def itops_log(d):
    user_ip = d.ip("glued_cjk", private=False)
    d.fill("安全告警：检测到异常登录\n")
    for _ in range(d.rng.randint(2, 4)):
        tm = N("time", f"{d.rng.randint(0, 23):02d}:{d.rng.randint(0, 59):02d}:{d.rng.randint(0, 59):02d}")
        d.fill("{dt} {tm} WARN login failed user=admin src={ip} client={v}\n", dt=d.date_neg("iso"), tm=tm,
               ip=d.ip("log"), v=d.version())
    if d.coin(0.5):
        tm = N("time", f"{d.rng.randint(0, 23):02d}:{d.rng.randint(0, 59):02d}:{d.rng.randint(0, 59):02d}")
        d.fill("{dt} {tm} WARN login failed user=root src={ip}\n", dt=d.date_neg("iso"), tm=tm, ip=d.ip("ipv6"))
    d.fill("请{p}核实来源{ip}是否为本人操作，如非本人请立即修改密码并联系{e}。\n",
           p=d.person("prose", forms=("full", "title", "xiaolao")), ip=user_ip, e=d.email("glued_cjk", corp=True))


def itops_vpn(d):
    p = d.full("label_fullwidth")
    d.fill("VPN账号开通申请\n申请人：{p}\n部门：{dept}\n邮箱：{e}\n手机：{ph}\n办公电脑IP {ip}，MAC {mac}\n资产编号：{asset}\n"
           "申请理由：出差期间需要访问内网{ip2}上的{prod}。{f}\n", f=d.filler(), p=p, dept=d.dept(), e=d.email("label", p, corp=True),
           ph=d.phone("mobile"), ip=d.ip("spaced", private=True), mac=d.ident("mac"), asset=d.ident("asset"),
           ip2=d.ip("glued_cjk", private=True), prod=N("product", d.ch(["OA系统", "ERP系统", "Jira", "GitLab", "财务共享平台"])))


def itops_handover(d):
    d.fill("运维交接记录（{dt}）\n1. 数据库主库{ip1}已切换到{ip2}，复制延迟正常。\n2. {p}反馈{place}机房的交换机（型号 S5735）"
           "风扇告警，已联系厂商工程师{x}（{ph}）。\n3. 监控平台升级到{v}，新地址 http://{ip3}:3000 。\n4. 出口地址已改为{v6}。{f}\n交接人：{a}  接收人：{b}\n",
           dt=d.date_neg(), ip1=d.ip("glued_cjk", private=True), ip2=d.ip("glued_cjk", private=True),
           p=d.person("prose", forms=("full", "xiaolao", "title")), place=d.place(),
           x=d.person("prose", forms=("title", "full")), ph=d.phone("mobile"), v=d.version(),
           ip3=d.ip("url", private=True), v6=d.ip("ipv6"), f=d.filler(), a=d.full("label_fullwidth"), b=d.full("label_fullwidth"))


# ---------------- complaints ----------------
def complaint_shop(d):
    p = d.full("prose")
    agent = d.person("prose", forms=("kin", "title", "xiaolao"))
    d.fill("我是{p}，住在{a}。{dt}我在贵公司网店买了{prod}（订单号{oid}），收到后发现屏幕有划痕。我联系了客服{ag}，"
           "说是[[cw|马上]]处理，结果到现在都没人管。{f}我的电话是{ph}，希望尽快给我回复，否则我将向消费者协会投诉。\n", f=d.filler(),
           p=p, a=d.address(), dt=d.date_neg(), prod=d.product(), oid=d.ident("order18"), ag=agent, ph=d.phone("mobile"))


def complaint_driver(d):
    d.fill("投诉信\n\n贵公司：\n    {dt}{t}左右，贵公司的送货车辆（车牌{pl}）在{a}门口违规停车近一小时，司机{x}态度恶劣。"
           "我是隔壁店铺的{p}，联系电话{ph}，请贵公司核实处理。\n    {f}\n                投诉人：{p2}\n",
           dt=d.date_neg("md"), t=d.time_neg(), pl=d.plate(), a=d.address(), x=d.person("prose", forms=("xiaolao", "title", "kin")),
           p=d.full("prose"), ph=d.phone(), f=d.filler(), p2=d.full("label_fullwidth"))


def complaint_property(d):
    d.fill("关于物业服务的投诉\n本人{p}，是{a}的业主。物业的{m}多次承诺维修楼道灯，至今未修。楼上的{k}年纪大了，晚上摔了一跤。"
           "请物业公司{co}尽快处理，并回复到我的邮箱{e}或手机{ph}。{f}\n", f=d.filler(), p=d.full("prose"), a=d.address(),
           m=d.person("prose", forms=("title", "xiaolao")), k=d.person("prose", forms=("kin",)), co=d.company(),
           e=d.email("glued_cjk", corp=False), ph=d.phone("mobile"))


def complaint_bank(d):
    p = d.full("prose")
    c, bank = d.card()
    d.fill("本人{p}", p=p)
    if not d.tw:
        d.fill("（身份证号{rid}）", rid=d.resident_id())
    d.fill("，于{dt}在贵行办理的借记卡{c}被无故冻结，导致{amt}工资无法取出。网点的{m}让我找客户经理，客户经理又让我打客服。"
           "我已经跑了三趟{bank}营业厅，{f}请尽快给个说法，联系电话{ph}。\n", dt=d.date_neg(), c=c, amt=d.amt(),
           m=d.person("prose", forms=("title", "kin")), bank=N("company", bank), f=d.filler(), ph=d.phone())


def complaint_tw(d):
    d.fill("本人{p}，於{dt}在貴公司{place}門市購買{prod}，使用不到一週即故障。門市的{m}表示需要送修三週，本人無法接受。"
           "請以電話{ph}或Email {e} 與我聯繫。地址：{a}\n{f}\n", f=d.filler(), p=d.full("prose"), dt=d.date_neg(), place=d.place(), prod=d.product(),
           m=d.person("prose", forms=("title", "xiaolao")), ph=d.phone(), e=d.email("spaced"), a=d.address())


# ---------------- rosters ----------------
def roster_tab(d):
    d.fill("员工通讯录（{dept}）\n姓名\t职位\t手机\t邮箱\t出生日期\n", dept=d.dept())
    for _ in range(d.rng.randint(3, 6)):
        p = d.person("table", forms=("full", "compound"), weights=[85, 15])
        d.fill("{p}\t{job}\t{ph}\t{e}\t{dob}\n", p=p, job=d.job(), ph=d.phone("mobile"), e=d.email("table", p, corp=True),
               dob=d.dob(d.birth(), d.ch(["iso", "slash", "dotted", "cn_ymd"] + (["roc"] if d.tw else []))))


def roster_md(d):
    d.fill("| 工号 | 姓名 | 部门 | 身份证号 | 户籍地址 |\n|---|---|---|---|---|\n" if not d.tw else
           "| 工號 | 姓名 | 部門 | 生日 | 地址 |\n|---|---|---|---|---|\n")
    for _ in range(d.rng.randint(3, 5)):
        p = d.person("table", forms=("full", "compound"), weights=[85, 15])
        if not d.tw:
            d.fill("| {emp} | {p} | {dept} | {rid} | {a} |\n", emp=d.ident("employee"), p=p, dept=d.dept(),
                   rid=d.resident_id(), a=d.address())
        else:
            d.fill("| {emp} | {p} | {dept} | {dob} | {a} |\n", emp=d.ident("employee"), p=p, dept=d.dept(),
                   dob=d.dob(d.birth(), "roc"), a=d.address())
    d.fill("注：以上信息仅限{dept}内部使用。\n", dept=d.dept())


def roster_birthdays(d):
    month = d.rng.randint(1, 12)
    d.fill("{m}月生日会名单：", m=str(month))
    people = []
    for _ in range(d.rng.randint(3, 5)):
        born = date(d.rng.randint(1962, 2002), month, d.rng.randint(1, 28))
        people.append([d.person("list", forms=("full", "compound"), weights=[85, 15]), "（",
                       d.dob(born, d.ch(["iso", "dotted", "cn_ymd"])), "）"])
    d.put(d.joined(people, ["、", "，"]))
    d.fill("。\n生日会定于{dt}{t}在{place}举行，{f}\n", dt=d.date_neg("md"), t=d.time_neg(), place=N("place", "员工餐厅"),
           f=d.filler())


# ---------------- documents without entities ----------------
def neg_announcement(d):
    d.fill("{co}新品发布公告\n\n{co}今日正式发布{prod}，售价{amt}起，{dt}开售。新品搭载{v}系统，首批将在{p1}、{p2}等城市上市，"
           "{p3}旗舰店同步开放体验。{f}\n活动期间（{d1}至{d2}），购买{prod2}可享受{amt2}优惠，订单号以 DD 开头的订单均可参与。"
           "详情请咨询各门店{job}。\n", co=(c := d.company()), prod=d.product(), amt=d.amt(), dt=d.date_neg("cn"),
           v=d.version(), p1=(pl := d.rng.sample(TW_PLACES if d.tw else CN_PLACES, 3)) and N("place", pl[0]),
           p2=N("place", pl[1]), p3=N("place", pl[2]), f=d.filler(2), d1=d.date_neg("md"), d2=d.date_neg("md"),
           prod2=d.product(), amt2=d.amt(), job=d.job())


def neg_policy(d):
    d.fill("差旅费报销管理办法（{v}）\n\n第一条 为规范公司差旅费管理，依据{co}财务制度制定本办法。\n"
           "第二条 {job}及以上人员出差，住宿标准为一线城市（[[place|北京]]、[[place|上海]]、{p1}）每晚不超过{a1}，其他城市不超过{a2}。\n"
           "第三条 报销时须提交发票原件，发票号码与开票日期须与行程一致；[[cw|金额]]超过{a3}的须经{dept}负责人审批。\n"
           "第四条 {f}\n第五条 本办法由{dept2}负责解释，自{dt}起施行，合同类文件编号规则见附件{id}。\n",
           v=N("version", f"{d.rng.randint(2019, 2025)}版"), co=d.company(), job=d.job(), p1=d.place(), a1=d.amt(),
           a2=d.amt(), a3=d.amt(True), dept=d.dept(), f=d.filler(2), dept2=d.dept(), dt=d.date_neg("cn"), id=d.ident("contract"))


def neg_technote(d):
    d.fill("{prod} 固件 {v} 发布说明\n发布日期：{dt}\n\n1. 修复了在{v2}上偶发的崩溃问题（问题单{id}）。\n2. 默认端口由8080调整为8443，"
           "内部版本号 {v3}。\n3. 优化了订单同步逻辑，订单号{oid}这类19位编号不再被截断。\n4. {f}\n升级前请备份配置，"
           "预计耗时{t}。如有疑问请联系{dept}。\n", prod=d.product(), v=d.version(), dt=d.date_neg("iso"), v2=d.version(),
           id=d.ident("ticket"), v3=N("version", f"{d.rng.randint(1, 9)}.{d.rng.randint(0, 9)}.{d.rng.randint(0, 9)}.{d.rng.randint(1, 250)}"),
           oid=d.ident("order19"), f=d.filler(), t=N("time", f"{d.rng.randint(10, 40)}分钟"), dept=d.dept())


def neg_notice(d):
    d.fill("关于{dt}{t}起系统维护的通知\n\n各部门：\n    为保障{prod}稳定运行，{dept}将于{dt2}{t2}至次日{t3}对{place}数据中心进行升级，"
           "届时OA、报销及合同系统（当前版本{v}）将暂停服务。维护期间产生的发票编号{inv}以后的单据请于恢复后补录。{f}\n"
           "                                                {dept2}\n                                                {dt3}\n",
           dt=d.date_neg("md"), t=d.time_neg(), prod=d.product(), dept=d.dept(), dt2=d.date_neg("cn"), t2=d.time_neg(),
           t3=d.time_neg(), place=d.place(), v=d.version(), inv=d.ident("invoice"), f=d.filler(2), dept2=d.dept(),
           dt3=d.date_neg("cn"))


def neg_report(d):
    d.fill("{ym}经营简报\n本月实现营业收入{a1}，同比增长12%；[[cw|毛利]]{a2}。{co}、{co2}两大客户贡献了主要增量。"
           "{p1}区域签约合同{n}份（合同编号{id1}至{id2}），{dept}完成了{prod}的备货。{f}\n下月重点：{job}牵头推进{p2}新仓库建设。\n",
           ym=d.date_neg("ym"), a1=d.amt(True), a2=d.amt(True), co=d.company(), co2=d.company(), p1=d.place(),
           n=str(d.rng.randint(5, 40)), id1=d.ident("contract"), id2=d.ident("contract"), dept=d.dept(), prod=d.product(),
           f=d.filler(2), job=d.job(), p2=d.place())


# kind -> (number of documents, templates)
KINDS = {
    "offer": (20, [offer_letter, labour_contract, onboarding_form, hr_note, resignation_cert]),
    "ticket": (20, [ticket_form, ticket_pipe, ticket_prose, ticket_en_headers, ticket_followup]),
    "chat": (24, [chat_logistics, chat_admin, chat_family_property, chat_devops, chat_finance, chat_sales_group]),
    "minutes": (18, [minutes_formal, minutes_table, minutes_prose]),
    "delivery": (20, [delivery_waybill, delivery_note_tab, delivery_prose, delivery_export]),
    "expense": (18, [expense_form, expense_table, expense_mail, invoice_request]),
    "payment": (20, [payment_request, payment_receipt, payment_prose, payment_batch]),
    "visitor": (18, [visitor_table, visitor_prose, parking_application, visitor_tw]),
    "email": (22, [email_quote, email_en_headers, email_forward, email_internal]),
    "contract": (20, [contract_parties, contract_individual, contract_lease, contract_signoff,
                      supplier_registration]),
    "travel": (20, [travel_form, travel_group, travel_prose, travel_train, travel_visa_email, travel_tw]),
    "itops": (22, [itops_incident, itops_firewall, itops_log, itops_vpn, itops_handover]),
    "complaint": (20, [complaint_shop, complaint_driver, complaint_property, complaint_bank, complaint_tw]),
    "roster": (14, [roster_tab, roster_md, roster_birthdays]),
    "announcement": (6, [neg_announcement]),
    "policy": (6, [neg_policy]),
    "tech_note": (6, [neg_technote]),
    "notice": (5, [neg_notice, neg_report]),
}
NO_ENTITY_KINDS = {"announcement", "policy", "tech_note", "notice"}
# templates that only make sense for one locale
CN_ONLY = {visitor_table, visitor_prose, travel_train, travel_group, travel_prose, complaint_driver,
           travel_visa_email, invoice_request, parking_application, supplier_registration}
TW_ONLY = {visitor_tw, travel_tw, complaint_tw}


class Generator:
    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)
        Faker.seed(seed)
        self.fakers = {"zh_CN": Faker("zh_CN"), "zh_TW": Faker("zh_TW")}

    def documents(self):
        docs = []
        for kind, (count, templates) in KINDS.items():
            for i in range(count):
                # every fourth document of a kind is written for Taiwan (zh_TW)
                loc = "zh_TW" if i % 4 == 2 else "zh_CN"
                choices = [t for t in templates if not ((loc == "zh_TW" and t in CN_ONLY) or
                                                        (loc == "zh_CN" and t in TW_ONLY))]
                if not choices:
                    loc = "zh_CN"
                    choices = [t for t in templates if t not in TW_ONLY]
                # cycle through templates so that each one is used, then random
                tpl = choices[i % len(choices)] if i < 2 * len(choices) else self.rng.choice(choices)
                d = Doc(self, kind, loc)
                tpl(d)
                rec = d.record()
                rec["id"] = f"{kind}-{i + 1:03d}"
                docs.append(rec)
        return docs


# --------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------
def verify(rec):
    text = rec["text"]
    spans = []
    for e in rec["entities"]:
        assert e["type"] in ENTITY_TYPES, e
        assert 0 <= e["start"] < e["end"] <= len(text), e
        assert text[e["start"]:e["end"]] == e["value"], (rec["id"], e)
        assert e["value"] == e["value"].strip() and e["value"], (rec["id"], e)
        v = e["value"]
        if e["type"] == "CN_RESIDENT_ID":
            assert valid_resident_id(v), (rec["id"], v)
        elif e["type"] == "CN_USCC":
            assert valid_uscc(v) and org_check_char(v[8:16]) == v[16], (rec["id"], v)
        elif e["type"] == "CREDIT_CARD":
            digits = re.sub(r"[ -]", "", v)
            assert digits.isdigit() and 16 <= len(digits) <= 19 and luhn_ok(digits), (rec["id"], v)
        elif e["type"] == "CN_PASSPORT":
            assert re.fullmatch(r"[EG]\d{8}|E[A-HJ-NP-Z]\d{7}", v), (rec["id"], v)
        elif e["type"] == "CN_LICENSE_PLATE":
            assert re.fullmatch(r"[\u4e00-\u9fff][A-Z][· ]?[A-Z0-9]{5,6}", v), (rec["id"], v)
            tail = re.sub(r"[· ]", "", v)[2:]
            assert len(tail) == (6 if e["ctx"].startswith("new_energy") else 5), (rec["id"], v)
        elif e["type"] == "IP_ADDRESS":
            if ":" not in v:
                assert all(0 <= int(x) <= 255 for x in v.split(".")) and v.count(".") == 3, v
        elif e["type"] == "EMAIL_ADDRESS":
            assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}", v), v
        spans.append((e["start"], e["end"]))
    spans.sort()
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2, (rec["id"], "entity overlap", s1, e1, s2, e2)
    for n in rec["hard_negatives"]:
        assert n["kind"] in NEG_KINDS, n
        assert text[n["start"]:n["end"]] == n["value"] and n["value"], (rec["id"], n)
        for s, e in spans:
            assert n["end"] <= s or n["start"] >= e, (rec["id"], "neg overlaps entity", n)
    assert set(rec) == {"id", "kind", "locale", "text", "entities", "hard_negatives"}
    assert rec["locale"] in ("zh_CN", "zh_TW")


def main():
    gen = Generator(SEED)
    docs = gen.documents()
    ids = set()
    for rec in docs:
        verify(rec)
        assert rec["id"] not in ids
        ids.add(rec["id"])
    order = ["id", "kind", "locale", "text", "entities", "hard_negatives"]
    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        for rec in docs:
            fh.write(json.dumps({k: rec[k] for k in order}, ensure_ascii=False) + "\n")
    # re-read and re-verify what was written
    with open(OUT_PATH, encoding="utf-8") as fh:
        back = [json.loads(line) for line in fh]
    for rec in back:
        verify(rec)
    assert back == [{k: r[k] for k in order} for r in docs]

    by_type, by_ctx, by_neg = Counter(), Counter(), Counter()
    by_kind, by_loc, ent_loc = Counter(), Counter(), Counter()
    empty = 0
    for rec in back:
        by_kind[rec["kind"]] += 1
        by_loc[rec["locale"]] += 1
        empty += not rec["entities"]
        for e in rec["entities"]:
            by_type[e["type"]] += 1
            by_ctx[(e["type"], e["ctx"])] += 1
            ent_loc[e["locale"]] += 1
        for n in rec["hard_negatives"]:
            by_neg[n["kind"]] += 1
    print(f"wrote {OUT_PATH}")
    print(f"seed={SEED} faker={faker.VERSION} python={sys.version.split()[0]}")
    print(f"documents: {len(back)}  ({dict(sorted(by_loc.items()))}); without entities: {empty}")
    print(f"entities: {sum(by_type.values())}  by locale {dict(sorted(ent_loc.items()))}; "
          f"hard negatives: {sum(by_neg.values())}")
    print("\n## documents by kind")
    for k, v in by_kind.items():
        print(f"{k:14s} {v}")
    print("\n## entities by type")
    for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]):
        print(f"{k:18s} {v}")
    print("\n## entities by type / ctx")
    for (t, c), v in sorted(by_ctx.items()):
        print(f"{t:18s} {c:22s} {v}")
    print("\n## hard negatives by kind")
    for k, v in sorted(by_neg.items(), key=lambda kv: -kv[1]):
        print(f"{k:14s} {v}")


if __name__ == "__main__":
    main()
