"""Chinese personal data through the pipeline scrubber: names by position, addresses, the
identifiers of Chinese offices, and the words and terms that must survive."""

from __future__ import annotations

import pytest

from llmops.pii.chinese import uscc_valid
from llmops.pii.config import pipeline_config
from llmops.pii.scrubber import Scrubber


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber(pipeline_config())


def _scrubbed(scrubber: Scrubber, text: str) -> tuple[str, dict[str, list[str]]]:
    result = scrubber.scrub(text)
    found: dict[str, list[str]] = {}
    for span in result.spans:
        found.setdefault(span.entity_type, []).append(text[span.start:span.end])
    return result.text, found


@pytest.mark.parametrize("text, name", [
    ("报销单\n报销人：韩秀云\n金额：¥3,962.04", "韩秀云"),
    ("审批人:欧阳娜娜\n状态：待审批", "欧阳娜娜"),
    ("[09:19] 徐俊：构建又失败了，版本 1.12.0", "徐俊"),
    ("09:21 司马光: 我看一下日志", "司马光"),
    ("参会人员：张伟、李娜、王芳\n议题：季度预算", "王芳"),
    ("这个问题请王经理明天确认。", "王经理"),
    ("李老师，作业已经上传了。", "李老师"),
    ("小赵，合同在你那边吗？", "小赵"),
    ("本周由陈晓燕负责值班。", "陈晓燕"),
    ("联系人：周杰（销售部）\n电话：13800138000", "周杰"),
    ("姓名：賴麗華　公司：塑台石化股份有限公司　受訪者：鄭宇翔　時間：20:50", "鄭宇翔"),
    ("报名请发邮件，或联系唐丹（分机：5367）。", "唐丹"),
    ("客户王先生反馈服务器无法连接。", "王先生"),  # and 客户 (customer) stays
])
def test_names_by_position(scrubber: Scrubber, text: str, name: str) -> None:
    out, found = _scrubbed(scrubber, text)
    assert name not in out and name in found.get("PERSON", []), (out, found)
    assert not {"金额", "状态", "议题", "电话", "客户"} & set(found.get("PERSON", [])), found  # labels stay


@pytest.mark.parametrize("text, names", [
    # nothing marks these names but the sentence itself: Baidu's LAC reads them
    ("今天下午，技术部的陈晓明和市场部刘洋一起讨论了发布计划。", ["陈晓明", "刘洋"]),
    ("会议结束后，韦嘉怡把修改过的合同寄给了供应商。", ["韦嘉怡"]),
    ("上个月宋立军调到了成都分公司，接替他的是从总部来的。", ["宋立军"]),
    # a table whose column header says the cells are names
    ("事项\t负责人\t截止日期\n合同评审\t赵志强\t2024-03-20\n供应商比价\t戴平\t2021.07.16", ["赵志强", "戴平"]),
    ("| 工号 | 姓名 | 部门 |\n|---|---|---|\n| 1021 | 卢敏 | 法务部 |", ["卢敏"]),
    # a roster whose headers do not say "name": the column is one of names
    ("| 日期 | 值班 | 审核 |\n|---|---|---|\n| 2024-11-24 | 蒲浩 | 李玉华 |\n| 2024/2/16 | 卢磊 | 廖雷 |",
     ["蒲浩", "李玉华", "卢磊", "廖雷"]),
])
def test_names_in_prose_and_name_columns(scrubber: Scrubber, text: str, names: list[str]) -> None:
    out, found = _scrubbed(scrubber, text)
    assert all(name not in out and name in found.get("PERSON", []) for name in names), (out, found)
    assert set(found) == {"PERSON"}, found  # departments, dates and cities stay


def test_words_that_start_with_a_surname_and_terms_in_chinese_text_survive(scrubber: Scrubber) -> None:
    text = ("王国维护了无盘工作站的文档，大家都很高兴。周末金额结算时请总结方法。\n"
            "Debian Edu 使用 Samba 和 LDAP；安装 KDE Plasma 后运行 Firefox。"
            "深圳市腾讯计算机系统有限公司发布了 2024年3月5日 的版本 5.8.6，价格为人民币3万元。\n"
            "使用 dpkg-buildpackage 构建软件包之前，维护者需要检查 debian/control 文件；主服务器和工作站之间的"
            "连接超时后，系统管理员应重启网络服务。\n从以下列表中选择一项：\n– 主服务器\n∗ 提供所有服务\n– 工作站\n"
            "金额：¥3,962.04\n项目：年度审计\n方式：银行转账\n时间：周一上午\n")
    out, found = _scrubbed(scrubber, text)
    assert out == text, found


def test_addresses_and_identifiers(scrubber: Scrubber) -> None:
    text = ("家庭住址：广东省深圳市南山区科技园路18号A座1203室\n"
            "公司位于上海市浦东新区张江路88号3号楼，欢迎来访。\n"
            "统一社会信用代码：91350100M000100Y43\n"
            "护照号码：E12345678\n"
            "车牌：粤B·D12345，访客车辆京A12345\n"
            "收款卡号6222021234567890128请核对")
    out, found = _scrubbed(scrubber, text)
    assert found["STREET_ADDRESS"] == ["广东省深圳市南山区科技园路18号A座1203室", "上海市浦东新区张江路88号3号楼"]
    assert "公司位于" in out and "欢迎来访" in out  # the words around an address stay
    assert found["CN_USCC"] == ["91350100M000100Y43"] and found["CN_PASSPORT"] == ["E12345678"]
    assert sorted(found["CN_LICENSE_PLATE"]) == ["京A12345", "粤B·D12345"]
    assert found["CREDIT_CARD"] == ["6222021234567890128"] and "请核对" in out


def test_taiwanese_ids_and_mobiles(scrubber: Scrubber) -> None:
    from llmops.pii.chinese import tw_id_valid

    assert tw_id_valid("A123456789") and not tw_id_valid("A123456788") and not tw_id_valid("A323456789")
    text = "甲方身分證字號：A123456789；手機：0912345678\n司徒美,資訊部,0987 654 321\n订单号0912345678已发货，编号A123456788"
    out, found = _scrubbed(scrubber, text)
    assert found.get("TW_NATIONAL_ID") == ["A123456789"], found
    assert sorted(found.get("PHONE_NUMBER", [])) == ["0912345678", "0987 654 321"], found
    assert "订单号0912345678" in out and "A123456788" in out


def test_unified_social_credit_code_check_character() -> None:
    assert uscc_valid("91350100M000100Y43") and uscc_valid("91110000600037341L")
    assert not uscc_valid("91350100M000100Y44") and not uscc_valid("ABC")


def test_values_glued_to_chinese_text(scrubber: Scrubber) -> None:
    text = "服务器10.24.7.19无法访问，请联系宋淑貞（0978-048070）。内网段10.0.0.0/8不用改。"
    out, found = _scrubbed(scrubber, text)
    assert found["IP_ADDRESS"] == ["10.24.7.19"] and "10.0.0.0/8" in out  # a range names no device
    assert "0978-048070" not in out and found["PHONE_NUMBER"]


def test_a_product_before_a_possessive_is_not_a_given_name(scrubber: Scrubber) -> None:
    text = "Because of Debian Edu's thin client support, ask Priya's team before upgrading."
    out, found = _scrubbed(scrubber, text)
    assert "Debian Edu's" in out and "Priya" not in out, found
