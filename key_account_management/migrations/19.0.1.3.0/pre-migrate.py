"""19.0.1.3.0, for existing databases: the record rules follow the code.

Releases up to 19.0.1.2.0 loaded security/key_account_management_rules.xml with
``noupdate="1"``: Odoo then marks each rule's external id ``noupdate`` and an
upgrade (``-u``) never rewrites it, so a database installed earlier kept the rules
it was installed with (the 19.0.1.1.0 and 19.0.1.2.0 migrations' reload did not
change that: in update mode Odoo skips a record whose external id is noupdate).
The rules file is no longer noupdate; the external ids already marked are
unmarked here, before the module's files load, so this upgrade rewrites every rule
as a new installation has it, and removes those the code no longer has.
"""


def migrate(cr, version):
    cr.execute("""
        UPDATE ir_model_data
           SET noupdate = FALSE
         WHERE module = 'key_account_management'
           AND model = 'ir.rule'
           AND noupdate
    """)
