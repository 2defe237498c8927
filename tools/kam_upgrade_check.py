"""The upgrade test of the test command (issue 21): a database installed with an
earlier release, upgraded to the working tree, must look like a fresh install.

For each release of CHANGELOG.md's table (its commit in git history): the addon as of
that commit is extracted with ``git archive`` into a folder of ``.kam/``, installed
with its demo data on a new database, then upgraded with the working tree's addon
(``-u key_account_management``). The upgraded database is compared with a fresh
install of the working tree: the addon's record rules (model, domain, groups,
permissions, active), groups and their implications, access rights, scheduled
actions (model, code, interval, active) and the groups of its fields; and no row of
key accounts, visits, plans, stakeholders, service requests, ratings or tier history
is lost by the upgrade. Used by ``tools/kamctl.py test`` (``--no-upgrade`` skips it).
"""

import os
import re
import shutil
import subprocess
import tarfile
import tempfile

ADDON = "key_account_management"

# what must be the same in an upgraded database and a fresh one, as sorted rows
METADATA_QUERIES = {
    "record rules": f"""
        SELECT d.name, m.model, r.name, r.domain_force, r.active, r.perm_read, r.perm_write,
               r.perm_create, r.perm_unlink,
               COALESCE((SELECT string_agg(gd.module || '.' || gd.name, ',' ORDER BY gd.module, gd.name)
                           FROM rule_group_rel rg
                           JOIN ir_model_data gd ON gd.model = 'res.groups' AND gd.res_id = rg.group_id
                          WHERE rg.rule_group_id = r.id), '')
          FROM ir_rule r
          JOIN ir_model_data d ON d.model = 'ir.rule' AND d.res_id = r.id AND d.module = '{ADDON}'
          JOIN ir_model m ON m.id = r.model_id""",
    "groups and their implications": f"""
        SELECT d.name,
               COALESCE((SELECT string_agg(hd.module || '.' || hd.name, ',' ORDER BY hd.module, hd.name)
                           FROM res_groups_implied_rel i
                           JOIN ir_model_data hd ON hd.model = 'res.groups' AND hd.res_id = i.hid
                          WHERE i.gid = g.id), '')
          FROM res_groups g
          JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = g.id AND d.module = '{ADDON}'""",
    "access rights": f"""
        SELECT d.name, m.model, COALESCE(gd.module || '.' || gd.name, ''), a.active,
               a.perm_read, a.perm_write, a.perm_create, a.perm_unlink
          FROM ir_model_access a
          JOIN ir_model_data d ON d.model = 'ir.model.access' AND d.res_id = a.id AND d.module = '{ADDON}'
          JOIN ir_model m ON m.id = a.model_id
          LEFT JOIN ir_model_data gd ON gd.model = 'res.groups' AND gd.res_id = a.group_id""",
    "scheduled actions": f"""
        SELECT d.name, m.model, s.code, c.interval_number, c.interval_type, c.active
          FROM ir_cron c
          JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id AND d.module = '{ADDON}'
          JOIN ir_act_server s ON s.id = c.ir_actions_server_id
          JOIN ir_model m ON m.id = s.model_id""",
    "field groups": f"""
        SELECT f.model, f.name, gd.module || '.' || gd.name
          FROM ir_model_fields_group_rel fg
          JOIN ir_model_fields f ON f.id = fg.field_id
          JOIN ir_model_data gd ON gd.model = 'res.groups' AND gd.res_id = fg.group_id
         WHERE gd.module = '{ADDON}'
            OR f.id IN (SELECT res_id FROM ir_model_data
                         WHERE model = 'ir.model.fields' AND module = '{ADDON}')""",
}

# the tables whose rows an upgrade must keep
KEPT_TABLES = ("res_partner", "kam_visit", "kam_account_plan", "kam_stakeholder",
               "kam_service_request", "rating_rating", "kam_tier_history", "kam_nomination",
               "kam_scorecard")

# the engine's figures of each account (company-dependent: one jsonb per column, per company)
ENGINE_COLUMNS = ("kam_revenue_12m", "kam_order_count", "kam_revenue_share", "kam_pareto_class",
                  "kam_score", "kam_suggested_tier_id", "kam_health_score", "kam_health_band")
# the engine as its daily scheduled action runs it, in an `odoo shell` of the database
ENGINE_RUN = "env['kam.scoring']._recompute_companies()\nenv.cr.commit()\n"

RELEASE_RE = re.compile(r"^\|\s*(19\.0\.\d+\.\d+\.\d+)\s*\|\s*([0-9a-f]{7,40})\s*\|", re.M)


def releases(repo):
    """``[(version, commit)]`` of CHANGELOG.md's release table, oldest first; the row of
    the working tree (commit ``-``) is not one."""
    with open(os.path.join(repo, "CHANGELOG.md")) as fh:
        return sorted(RELEASE_RE.findall(fh.read()), key=lambda r: tuple(map(int, r[0].split("."))))


def extract_release(repo, commit, dest):
    """The addon as of ``commit`` in ``dest/key_account_management``."""
    shallow = subprocess.run(["git", "-C", repo, "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True).stdout.strip()
    if shallow == "true":
        raise RuntimeError("the upgrade test needs the git history of the releases: this clone "
                           "is shallow (git fetch --unshallow)")
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", repo, "archive", "--format=tar", commit, ADDON],
                       stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(dest, filter="data")
    return os.path.join(dest, ADDON)


def psql_rows(env, db, query):
    proc = subprocess.run(["psql", "-X", "-d", db, "-tAF", "\x1f", "-c", query], env=env,
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"psql on {db}: {proc.stderr.strip()}")
    return sorted(line for line in proc.stdout.splitlines() if line)


def metadata(env, db):
    return {what: psql_rows(env, db, query) for what, query in METADATA_QUERIES.items()}


def row_counts(env, db):
    counts = {}
    for table in KEPT_TABLES:
        rows = psql_rows(env, db, f"SELECT to_regclass('{table}') IS NOT NULL")
        if rows == ["t"]:
            counts[table] = int(psql_rows(env, db, f"SELECT count(*) FROM {table}")[0])
    return counts


def compare(fresh, upgraded):
    """The differences between a fresh install's metadata and an upgraded one's, in words."""
    problems = []
    for what in METADATA_QUERIES:
        if not fresh[what] and what != "field groups":
            problems.append(f"{what}: none in a fresh install, the comparison reads nothing")
        missing = sorted(set(fresh[what]) - set(upgraded[what]))
        extra = sorted(set(upgraded[what]) - set(fresh[what]))
        for row in missing[:5]:
            problems.append(f"{what}: the upgraded database lacks {row.split(chr(0x1f))}")
        for row in extra[:5]:
            problems.append(f"{what}: the upgraded database has, a fresh one not, "
                            f"{row.split(chr(0x1f))}")
        if len(missing) + len(extra) > 10:
            problems.append(f"{what}: {len(missing)} missing and {len(extra)} extra rows in all")
    return problems


def lost_rows(before, after):
    return [f"{table}: {before[table]} rows before the upgrade, {after.get(table, 0)} after"
            for table in before if after.get(table, 0) < before[table]]


def engine_figures(env, db):
    """The engine's stored figures, one row per account with any."""
    columns = ", ".join(f"COALESCE({c}::text, '')" for c in ENGINE_COLUMNS)
    rows = psql_rows(env, db, f"SELECT id, {columns} FROM res_partner "
                              f"WHERE kam_score IS NOT NULL")
    return {row.split("\x1f", 1)[0]: row for row in rows}


def not_recomputed(upgraded, recomputed):
    """The accounts whose figures after the upgrade are not what the engine of the new
    release computes on the same data: the upgrade left figures of the old release."""
    if not recomputed:
        return ["engine figures: none after the engine ran, the comparison reads nothing"]
    differing = sorted(set(recomputed) ^ set(upgraded)
                       | {k for k in recomputed if upgraded.get(k) != recomputed[k]})
    problems = [f"engine figures of partner {pid} after the upgrade: "
                f"{(upgraded.get(pid) or '-').split(chr(0x1f))[1:]}, "
                f"recomputed: {(recomputed.get(pid) or '-').split(chr(0x1f))[1:]}"
                for pid in differing[:5]]
    if len(differing) > 5:
        problems.append(f"engine figures: {len(differing)} accounts differ in all")
    return problems


# what must hold in an upgraded database as in a new one: (what, query counting violations)
INVARIANTS = (
    ("visits' calendar events readable beyond the visit's people", """
        SELECT count(*) FROM calendar_event e JOIN kam_visit v ON v.calendar_event_id = e.id
         WHERE e.privacy IS DISTINCT FROM 'private'"""),
)


def broken_invariants(env, db):
    problems = []
    for what, query in INVARIANTS:
        count = int(psql_rows(env, db, query)[0])
        if count:
            problems.append(f"{what}: {count}")
    return problems


def cleanup(path):
    shutil.rmtree(path, ignore_errors=True)
