#!/usr/bin/env python3
"""Fill the empty entries of a .po file from other .po files, keeping what is translated.

    python3 tools/po_fill.py key_account_management/i18n/zh_CN.po OTHER.po [OTHER.po ...]

zh_CN.po is the one source of the addon's translations: after `kamctl i18n` merged a new
.pot into it, this fills the new entries from another branch's zh_CN.po (a merge) or from a
file of new entries written by hand. The .po file is created from the .pot when it does not
exist. Prints the msgids still untranslated afterwards.
"""

import os
import sys

import polib


def main(po_path, *tables):
    pot_path = os.path.join(os.path.dirname(po_path), "key_account_management.pot")
    if os.path.exists(po_path):
        po = polib.pofile(po_path, wrapwidth=0)
    else:
        po = polib.pofile(pot_path, wrapwidth=0)
        lang = os.path.splitext(os.path.basename(po_path))[0]
        po.metadata["Language"] = lang
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    table = {}
    for path in tables:
        table.update({e.msgid: e.msgstr for e in polib.pofile(path) if e.msgstr})
    for entry in po:
        if not entry.msgstr and entry.msgid in table:
            entry.msgstr = table[entry.msgid]
    po.save(po_path)
    missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{po_path}: {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
