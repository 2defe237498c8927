"""19.0.1.3.0, for existing databases, once the module's models are loaded: a care
reminder is unique per company.

Up to 19.0.1.2.0 the constraint ``kam_care_reminder_key_uniq`` was ``UNIQUE(key)``,
the key being occasion, account, stakeholder and year without the company: an
account registered in two companies (an occasion of every company, e.g. a holiday)
got the reminder of the first company the daily action ran for, never the second
one's. The constraint is now ``UNIQUE(company_id, key)``. Odoo replaces a changed
constraint of the same name when it loads the model; this step makes sure the
database ends with the new definition (and not the old one) whatever happened
then. The existing rows satisfy it (they were unique by key alone); their keys are
unchanged, so no reminder of the year is sent a second time in its company.
"""

from odoo.tools import sql

TABLE = "kam_care_reminder"
CONSTRAINT = "kam_care_reminder_key_uniq"
DEFINITION = "UNIQUE(company_id, key)"


def migrate(cr, version):
    if not sql.table_exists(cr, TABLE):
        return
    current = sql.constraint_definition(cr, TABLE, CONSTRAINT)
    if current == DEFINITION:
        return
    if current:
        sql.drop_constraint(cr, TABLE, CONSTRAINT)
    sql.add_constraint(cr, TABLE, CONSTRAINT, DEFINITION)
