{
    "name": "Key Account Management",
    "version": "19.0.1.0.0",
    "category": "Sales/Key Accounts",
    "sequence": 15,
    "summary": "Key account management (大客户管理) on real order, invoice and service data",
    "description": """
Key account management inside Odoo: tiers and scoring of accounts from real
revenue (Pareto), registration and approval of key accounts, key account
managers and account teams, decision units and org charts, visit plans and
reports, yearly account plans, a green channel with SLAs by tier, health
alerts and KAM scorecards.
""",
    "author": "key_account_management developers",
    "website": "https://github.com/key-account-management/key_account_management",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": [
        "sale_management",
        "sale_crm",
        "crm",
        "calendar",
        "mail",
        "web_hierarchy",
    ],
    "data": [
        "security/key_account_management_groups.xml",
        "security/ir.model.access.csv",
        "security/key_account_management_rules.xml",
        "data/ir_default_data.xml",
        "data/ir_cron_data.xml",
        "views/kam_tier_views.xml",
        "views/kam_team_member_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/kam_account_plan_views.xml",
        "views/kam_target_views.xml",
        "views/res_partner_account_plan_views.xml",
        "views/crm_lead_views.xml",
        "report/kam_account_plan_report.xml",
        "views/key_account_management_menus.xml",
    ],
    "demo": [
        "demo/kam_tier_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/kam_account_plan_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "key_account_management/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
