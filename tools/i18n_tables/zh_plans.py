"""Chinese (zh_CN) translations of the account plans feature (issue 6)."""

T = {
    '%(account)s already has the plan %(plan)s for the next period.':
        '%(account)s 下一期间已有计划 %(plan)s。',
    '%(account)s: %(category)s': '%(account)s：%(category)s',
    '%(year)s %(who)s': '%(year)s %(who)s',
    "'Account Plan - %s' % object.name": "'客户计划 - %s' % object.name",
    '(gap)': '（空白）',
    '<span> - </span>': '<span> - </span>',
    '<span>Actual</span>': '<span>实际</span>',
    '<span>Target</span>': '<span>目标</span>',
    '<strong>Account:</strong>': '<strong>客户：</strong>',
    '<strong>Key Account Manager:</strong>': '<strong>大客户经理：</strong>',
    '<strong>Period:</strong>': '<strong>期间：</strong>',
    '<strong>Status:</strong>': '<strong>状态：</strong>',
    '<strong>Tier:</strong>': '<strong>等级：</strong>',
    'Account Plan': '客户计划',
    'Account Plan Action': '客户计划行动',
    'Account Plan Competitor Position': '客户计划竞争对手态势',
    'Account Plan Count': '客户计划数',
    'Account Plan Need': '客户计划需求',
    'Account Plan Objective': '客户计划目标项',
    'Account Plan Pace Threshold (%)': '客户计划进度阈值（%）',
    'Account Plan SWOT Item': '客户计划 SWOT 条目',
    'Account Plan Whitespace': '客户计划空白点',
    'Account Plan:': '客户计划：',
    'Account Plans': '客户计划',
    (
        'Account plan %(plan)s cannot be approved: %(other)s is already approved for %('
        'account)s over an overlapping period. Close it or reopen it first.'
    ):
        (
            '客户计划 %(plan)s 无法批准：%(account)s 在重叠期间已有已批准的计划 %(other)s。'
            '请先关闭或重新打开该计划。'
        ),
    'Account plan %(plan)s is %(state)s: it cannot be %(action)s.':
        '客户计划 %(plan)s 当前为%(state)s状态，不能被%(action)s。',
    (
        'Account plan %(plan)s: the period end (%(end)s) cannot be before the period st'
        'art (%(start)s).'
    ):
        '客户计划 %(plan)s：期间结束日（%(end)s）不能早于期间开始日（%(start)s）。',
    'Account plan %(plan)s: the revenue target cannot be negative (%(value)s).':
        '客户计划 %(plan)s：收入目标不能为负数（%(value)s）。',
    (
        'Account plan %(plan)s: the target share of wallet must be between 0 and 100 %%'
        ' (%(value)s).'
    ):
        '客户计划 %(plan)s：目标钱包份额必须在 0 到 100 %% 之间（%(value)s）。',
    'Account plan %(plan)s: the wallet cannot be negative (%(value)s).':
        '客户计划 %(plan)s：客户钱包不能为负数（%(value)s）。',
    'Account plan pace threshold must be between 0 and 100 %% (%(value)s).':
        '客户计划进度阈值必须在 0 到 100 %% 之间（%(value)s）。',
    'Account plans behind pace (below %(threshold)s %% of time elapsed)':
        '进度落后的客户计划（低于已过时间的 %(threshold)s %%）',
    'Achieved': '已达成',
    'Achievement': '达成率',
    'Achievement (%)': '达成率（%）',
    'Achievement (Reported, %)': '达成率（报表，%）',
    'Action %(action)s: the owner %(user)s is not an internal user of %(company)s.':
        '行动 %(action)s：负责人 %(user)s 不是 %(company)s 的内部用户。',
    'Action done.': '行动已完成。',
    'Actual Revenue': '实际收入',
    'Actual Revenue (Reported)': '实际收入（报表）',
    'Actual revenue plus the weighted pipeline: where the period should end.':
        '实际收入加加权商机金额：预计期末所能达到的收入。',
    'Actuals': '实际',
    'Against': '对比',
    (
        'An account plan sets the revenue target of the year and the way to reach it: o'
        'bjectives,\n                SWOT, competitors, needs and actions, with the act'
        'ual revenue and the forecast beside them.'
    ):
        (
            '客户计划设定全年的收入目标及实现路径：目标项、SWOT、竞争对手、需求和行动，并与'
            '实际收入和预测并列展示。'
        ),
    (
        'An approved account plan is behind its pace when its achievement is below this'
        ' percentage of the time elapsed in its period (e.g. 80 %: half-way through the'
        " year, below 40 % of the target). Such plans are listed in the directors' dige"
        'st.'
    ):
        (
            '已批准的客户计划的达成率低于期间已过时间的该百分比时即为进度落后（例如 80 %：'
            '年中时低于目标的 40 %）。此类计划会列入总监周报。'
        ),
    (
        'An approved plan is behind when its achievement is below this percentage of th'
        "e time elapsed; such plans are listed in the directors' weekly digest."
    ):
        '已批准计划的达成率低于已过时间的该百分比时即为落后；此类计划会列入总监周报。',
    'An open opportunity already exists for %(category)s at %(account)s.':
        '%(account)s 的 %(category)s 已有进行中的商机。',
    'An open opportunity was created from the plan for this category.':
        '已从计划为该品类创建了进行中的商机。',
    'Approve': '批准',
    'Approved': '已批准',
    'Approved By': '批准人',
    'Approved Date': '批准日期',
    "Approved, running, and its achievement is below the company's pace threshold.":
        '已批准、正在执行且达成率低于公司进度阈值。',
    'Behind Pace': '进度落后',
    'Bought': '已购买',
    'Bought (24 Months)': '购买额（24 个月）',
    'Business': '业务',
    'Closing': '预计成交',
    'Company Revenue': '公司收入',
    'Company Targets': '公司目标',
    (
        "Company target: part of the company's total revenue the key accounts should br"
        'ing.'
    ):
        '公司目标：大客户应贡献的公司总收入占比。',
    'Competitor': '竞争对手',
    (
        'Competitor %(competitor)s: the estimated share must be between 0 and 100 %% (%'
        '(value)s).'
    ):
        '竞争对手 %(competitor)s：估计份额必须在 0 到 100 %% 之间（%(value)s）。',
    'Competitor: %(competitor)s is our own company.': '竞争对手：%(competitor)s 是我们自己的公司。',
    'Competitor: %(competitor)s is the customer of the plan itself.':
        '竞争对手：%(competitor)s 就是本计划的客户。',
    'Competitors': '竞争对手',
    'Copy to Next Period': '复制到下一期间',
    'Create Opportunity': '创建商机',
    'Current': '当前',
    'Current Value': '当前值',
    'Draft': '草稿',
    'Draft Reminder Sent': '已发送草稿提醒',
    'Due': '到期',
    'Empty: the target of the whole company.': '为空：全公司的目标。',
    'Estimated Share (%)': '估计份额（%）',
    (
        "Estimated share of the customer's spend in our categories that goes to this co"
        'mpetitor.'
    ):
        '客户在我方品类上的支出中流向该竞争对手的估计份额。',
    (
        'Estimated total spend of the customer in our categories during the period, wit'
        'h us and with our competitors.'
    ):
        '客户在本期间内于我方品类上的估计总支出（包括在我方和竞争对手处的支出）。',
    'Expected': '预期',
    "Expected revenue of the account's open opportunities closing in the period.":
        '该客户在本期间内预计成交的进行中商机的预期收入。',
    (
        'Expected revenue times probability of the open opportunities closing in the pe'
        'riod.'
    ):
        '本期间内预计成交的进行中商机的预期收入乘以成功概率。',
    'Figures As Of': '数据截至',
    'Forecast': '预测',
    'Forecast (Reported)': '预测（报表）',
    'Forecast Achievement (%)': '预测达成率（%）',
    'How the objective is measured, e.g. revenue, sites, NPS.':
        '目标的衡量方式，例如收入、站点数、NPS。',
    'How the target was set...': '目标是如何制定的……',
    'How we get there this period: focus, offers, relationships.':
        '本期间如何实现：重点、方案、关系。',
    'How we get there this year...': '今年如何实现……',
    'In Progress': '进行中',
    'Is Overdue': '已逾期',
    'KAM Targets': '大客户经理目标',
    'Key Account Plan': '大客户计划',
    'Key Account Revenue Target': '大客户收入目标',
    'Key Account Target': '大客户目标',
    'Key Account Targets': '大客户目标',
    'Key Accounts: account plan check': '大客户：客户计划检查',
    'Key-Account Share (%)': '大客户收入占比（%）',
    "Key-account revenue expected in the year, on the company's revenue basis.":
        '按公司收入口径，本年度预期的大客户收入。',
    'Last Purchase': '最近购买',
    'Lead': '线索',
    'Measure': '衡量指标',
    'Missed': '未达成',
    'My Plans': '我的计划',
    'Need': '需求',
    'Need %(need)s: %(stakeholder)s is not a stakeholder of %(account)s.':
        '需求 %(need)s：%(stakeholder)s 不是 %(account)s 的相关人。',
    'Need %(need)s: a personal need must name the stakeholder it belongs to.':
        '需求 %(need)s：个人需求必须指明所属的相关人。',
    'Needs': '需求',
    'New Opportunity': '新建商机',
    'No approved account plan running': '暂无正在执行的已批准客户计划',
    'Not Started': '未开始',
    'Not Yet Planned': '尚未分解',
    'Objective': '目标项',
    'Objective %(objective)s: the target cannot be negative (%(value)s).':
        '目标项 %(objective)s：目标值不能为负数（%(value)s）。',
    'Objectives': '目标项',
    'On Track': '正常推进',
    (
        'One line without manager for the company (with the share of revenue key accoun'
        'ts should\n                bring), one line per key account manager; each is c'
        'ompared with the plans and with the\n                actual revenue.'
    ):
        (
            '公司一行（不填经理，含大客户应贡献的收入占比），每位大客户经理一行；每一行都与'
            '计划和实际收入进行对比。'
        ),
    'Only a key account director can approve, close or reopen an account plan.':
        '只有大客户总监可以批准、关闭或重新打开客户计划。',
    'Opportunities': '商机',
    'Opportunity': '商机',
    'Opportunity Count': '商机数',
    'Opportunity Open': '已有商机',
    'Our Counter-Strategy': '我方应对策略',
    'Overdue plan action: %(action)s': '逾期的计划行动：%(action)s',
    "Part of the company's revenue brought by these key accounts.":
        '这些大客户贡献的公司收入占比。',
    'Part of the period already elapsed: the achievement expected today.':
        '期间已过去的比例：即今天应达到的达成率。',
    'Part of the wallet we aim to win in the period.': '本期间我们力争赢得的客户钱包份额。',
    'Period': '期间',
    'Period End': '期间结束',
    'Period Start': '期间开始',
    'Personal': '个人',
    'Pipeline': '商机金额',
    'Plan Pace Threshold': '计划进度阈值',
    'Plan action: %(action)s': '计划行动：%(action)s',
    'Plan the year of a key account': '规划大客户的全年工作',
    'Plans vs Actuals': '计划与实际对比',
    "Plans' Targets": '计划目标合计',
    'Previous Plan': '上期计划',
    'Probability': '成功概率',
    'Product Category': '产品品类',
    (
        'Product categories the account bought from us in the last 24 months, and the\n'
        '                                gaps: categories it has not bought yet.'
    ):
        '该客户最近 24 个月从我方购买的产品品类，以及空白点：尚未购买的品类。',
    'Progress (%)': '进度（%）',
    'Reopen': '重新打开',
    'Revenue Target': '收入目标',
    (
        "Revenue expected from the account in the period, on the company's revenue basi"
        's.'
    ):
        '按公司收入口径，本期间预期来自该客户的收入。',
    (
        'Revenue in the year of the registered key accounts (of this manager, or of the'
        ' company).'
    ):
        '已备案大客户（该经理名下或全公司）本年度的收入。',
    'Revenue of all customers of the company in the year.': '公司全部客户本年度的收入。',
    (
        "Revenue of the account in the period on the company's revenue basis (confirmed"
        ' orders or posted invoices net of refunds).'
    ):
        '按公司收入口径（已确认订单或扣除退款后的已过账发票）计算的该客户本期间收入。',
    'Running': '执行中',
    'SWOT': 'SWOT 分析',
    'Set the key-account revenue target of the year': '设定本年度的大客户收入目标',
    'Share': '份额',
    'Share of Wallet (target / reached)': '钱包份额（目标 / 达到）',
    'Share of Wallet Reached (%)': '已达钱包份额（%）',
    'Stage': '阶段',
    'Stakeholder': '相关人',
    'Strategy': '策略',
    'Strength': '优势',
    'Strengths': '优势',
    'Submit': '提交',
    'Submit the account plan': '提交客户计划',
    'Submitted': '已提交',
    (
        'Sum of the revenue targets of the account plans starting in the year (of this '
        'key account manager, or of the company).'
    ):
        '本年度开始的客户计划（该大客户经理名下或全公司）的收入目标之和。',
    'Target %(target)s: %(year)s is not a valid year.':
        '目标 %(target)s：%(year)s 不是有效的年份。',
    'Target %(target)s: the revenue target cannot be negative (%(value)s).':
        '目标 %(target)s：收入目标不能为负数（%(value)s）。',
    (
        'Target %(target)s: the target key-account share must be between 0 and 100 %% ('
        '%(value)s).'
    ):
        '目标 %(target)s：大客户目标占比必须在 0 到 100 %% 之间（%(value)s）。',
    'Target Key-Account Share (%)': '大客户目标占比（%）',
    'Target Share of Wallet (%)': '目标钱包份额（%）',
    "Target minus the plans' targets: what no account plan carries yet.":
        '目标减去计划目标合计：尚无客户计划承接的部分。',
    'Targets': '目标',
    (
        'Targets of the approved plans against their actual revenue, refreshed every da'
        'y, by key\n                account manager and tier.'
    ):
        '已批准计划的目标与实际收入对比，每日刷新，按大客户经理和等级分析。',
    'The key account plan this opportunity was created from.': '创建该商机的大客户计划。',
    'The period started more than a month ago and the plan is still a draft.':
        '期间已开始一个多月，计划仍为草稿。',
    'The person whose personal need this is.': '提出该个人需求的人。',
    (
        'The plan is submitted: only the current value and the status of its objectives'
        ' can still change. Ask a director to reopen it.'
    ):
        (
            '计划已提交：只能修改目标项的当前值和状态。如需修改其他内容，请总监重新打开计划'
            '。'
        ),
    (
        'The plan is submitted: only the state and the note of its actions can still ch'
        'ange. Ask a director to reopen it.'
    ):
        '计划已提交：只能修改行动的状态和备注。如需修改其他内容，请总监重新打开计划。',
    'The product category gap of the account plan this opportunity addresses.':
        '该商机针对的客户计划空白品类。',
    'There is already a %(year)s target for %(who)s.': '%(who)s 已有 %(year)s 年的目标。',
    'This action of the account plan was due on %(date)s.':
        '客户计划中的这项行动已于 %(date)s 到期。',
    'Threat': '威胁',
    'Threats': '威胁',
    'Time Elapsed': '已过时间',
    'Time Elapsed (%)': '已过时间（%）',
    'Total': '合计',
    'Vision': '愿景',
    'Wallet': '客户钱包',
    'Weakness': '劣势',
    'Weaknesses': '劣势',
    'Weighted': '加权',
    'Weighted Pipeline': '加权商机金额',
    'Where we want to be with this customer in a few years.': '几年后我们希望与该客户达到的状态。',
    'Where we want to be with this customer in three years...':
        '三年后我们希望与该客户达到的状态……',
    'Whitespace': '空白点',
    'Whitespace (last 24 months)': '空白点（最近 24 个月）',
    'Whitespace Category': '空白品类',
    (
        'Whitespace of the account plan %(plan)s: the account has not bought %(category'
        ')s from us in the last 24 months.'
    ):
        '客户计划 %(plan)s 的空白点：该客户最近 24 个月未从我方购买 %(category)s。',
    'Whole company': '全公司',
    'Year': '年度',
    'approved': '批准',
    'e.g. Pacific Union Bank': '例如：太平洋联合银行',
    'reopened': '重新打开',
    'submitted': '提交',
    'closed': '关闭',
    'Closed': '已关闭',
    'Stakeholder Name': '相关人姓名',
    (
        "The stakeholder's name, also for the account team members who cannot open the "
        'decision unit.'
    ):
        '相关人的姓名，供无权查看决策链的客户团队成员查看。',
    '<span class="o_stat_text">Plan Achieved</span>': '<span class="o_stat_text">计划达成</span>',
    'Current Account Plan': '当前客户计划',
    'Current Plan Achievement (%)': '当前计划达成率（%）',
    'The plan of the current company running today (approved first).':
        '本公司当前正在执行的计划（优先取已批准的计划）。',
    'Action': '行动',
    'Actions': '行动',
    'Owner': '负责人',
    'State': '状态',
    'Done': '已完成',
    'Due Date': '到期日',
    'Close': '关闭',
    'Target': '目标',
    "Competitors of %(plan)s: their estimated shares add up to %(total)s %%, more than the customer's whole spend (100 %%).":
        "%(plan)s 的竞争对手：其预计份额合计 %(total)s %%，超过了客户的全部支出（100 %%）。",
}
