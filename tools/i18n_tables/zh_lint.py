"""Simplified Chinese for the msgids added by the code-quality pass (feat/lint)."""

T = {
    "Account Plan Line": "客户计划明细",
}
