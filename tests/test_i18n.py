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
