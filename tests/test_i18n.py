"""Translations: the .pot is what the running addon exports, and zh_CN.po
translates every entry of it, keeping each placeholder."""

import base64
import os
import re

import polib

I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "key_account_management", "i18n")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


def _msgids(po):
    return {e.msgid for e in po if not e.obsolete and e.msgid}


def test_zh_cn_complete():
    pot = polib.pofile(os.path.join(I18N, "key_account_management.pot"))
    zh = polib.pofile(os.path.join(I18N, "zh_CN.po"))
    translated = {e.msgid: e.msgstr for e in zh if not e.obsolete and e.msgstr}
    missing = sorted(_msgids(pot) - set(translated))
    assert not missing, f"{len(missing)} msgids untranslated in zh_CN.po: {missing[:20]}"
    broken = [
        msgid for msgid, msgstr in translated.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert not broken, f"placeholders differ in zh_CN.po for: {broken[:20]}"


def test_pot_up_to_date(admin):
    """The committed .pot holds every term the installed addon exports."""
    module = admin["ir.module.module"].search([("name", "=", "key_account_management")])
    Export = admin["base.language.export"]
    wizard_id = Export.create({"lang": "__new__", "format": "po",
                               "modules": [(6, 0, module)]})
    Export.act_getfile([wizard_id])
    data = Export.read([wizard_id], ["data"])[0]["data"]
    exported = polib.pofile(base64.b64decode(data).decode())
    committed = polib.pofile(os.path.join(I18N, "key_account_management.pot"))
    missing = sorted(_msgids(exported) - _msgids(committed))
    assert not missing, (f"{len(missing)} terms missing from the .pot, run "
                         f"`python3 tools/kamctl.py i18n`: {missing[:20]}")


# The addon's own terms and their one Chinese translation: an entry whose English text
# names the term uses this translation (a term translated two ways confuses the users).
GLOSSARY = {
    "Key Account Manager": "大客户经理",
    "Key Account Director": "大客户总监",
    "Key Account": "大客户",
    "Stakeholder": "关系人",
    "Calendar Event": "日历事件",
    "Decision Unit": "决策链",
    "Decision Role": "决策角色",
    "Red Flag": "红旗",
    "Visit Plan": "走访计划",
    "Account Plan": "客户计划",
    "Nomination": "提名",
    "Tier": "等级",
    "Pareto": "帕累托",
    "Green Channel": "绿色通道",
    "Service Request": "服务需求",
    "Dispatch": "调度",
    "Service Team": "服务团队",
    "SLA": "SLA",
    "Health": "健康",
    "Churn": "流失",
    "Care": "关怀",
    "Credit Rating": "信用等级",
    "Scorecard": "考核",
    "Snapshot": "快照",
    "Whitespace": "空白",
    # a compliance rate meets a standard (达标); an achievement reaches a target (达成)
    "Compliance": "达标",
}


def _glossary_violations(entries):
    """(term, msgid, msgstr) for every entry naming a glossary term without its translation.

    Longer terms are matched first and their words masked, so that "Key Account Manager"
    is not also checked as "Key Account"."""
    terms = sorted(GLOSSARY, key=len, reverse=True)
    found = []
    for msgid, msgstr in entries.items():
        text = msgid
        for term in terms:
            pattern = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?:s|es)?(?![\w-])", re.I)
            if pattern.search(text):
                if GLOSSARY[term] not in msgstr:
                    found.append((term, msgid, msgstr))
                text = pattern.sub(" ", text)
    return found


def test_terms_translated_one_way():
    zh = polib.pofile(os.path.join(I18N, "zh_CN.po"))
    # markup entries (QWeb and view fragments) are left out: their words are split by tags
    entries = {e.msgid: e.msgstr for e in zh if not e.obsolete and e.msgstr
               and "<" not in e.msgid}
    violations = _glossary_violations(entries)
    assert not violations, (
        f"{len(violations)} entries translate a term otherwise than the glossary: "
        + "; ".join(f"{t!r} in {m!r} -> {s!r}" for t, m, s in violations[:15]))


def test_glossary_check_catches_a_second_translation():
    """The check itself: a term translated two ways is reported."""
    entries = {"Stakeholder": "关系人", "Stakeholder Name": "相关人姓名",
               "Key Account Manager": "大客户经理"}
    assert [(t, m) for t, m, _s in _glossary_violations(entries)] == [
        ("Stakeholder", "Stakeholder Name")]


def test_a_visit_is_zoufang():
    """A visit is 走访 everywhere; 拜访 only inside the names of two kinds of visit (关怀拜访
    care visit, 上门拜访 on-site visit), so that one screen does not say 走访 and the next 拜访."""
    zh = polib.pofile(os.path.join(I18N, "zh_CN.po"))
    found = [(e.msgid, e.msgstr) for e in zh if not e.obsolete
             and re.search(r"(?<!关怀)(?<!上门)拜访", e.msgstr)]
    assert not found, f"{len(found)} entries say 拜访 for a visit: {found[:5]}"
