{
    "name": "Key Account Management: scenarios beside the customer's apps",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "summary": "Test-only module of `make test-core`: checkout, point of sale, contact import, "
               "partner merge and invoicing by users without any key-account group",
    "author": "key_account_management developers",
    "license": "LGPL-3",
    "depends": [
        "key_account_management",
        "website_sale",
        "sale_management",
        "account",
        "point_of_sale",
        "stock",
        "purchase",
        "hr_expense",
        "project",
        "base_import",
    ],
    "data": [],
    "installable": True,
}
