# Simplified Chinese for the registration feature (nominations, registry guards,
# handover, tier history, sales-order privileges, demo). Used by tools/po_fill.py.
T = {
    "%(count)s accounts handed over from %(old)s to %(new)s.":
        "已将 %(count)s 个客户从 %(old)s 移交给 %(new)s。",
    "%(field)s of tier %(tier)s cannot be negative (%(value)s).":
        "等级 %(tier)s 的%(field)s不能为负数（%(value)s）。",
    "%(field)s of tier %(tier)s must be between %(min)s and %(max)s (%(value)s).":
        "等级 %(tier)s 的%(field)s必须介于 %(min)s 和 %(max)s 之间（%(value)s）。",
    "%(order)s: the discount of %(lines)s is above the %(allowance)s%% allowed for key account "
    "tier %(tier)s. Only a Key Account Director can confirm it.":
        "%(order)s：%(lines)s 的折扣超过大客户等级 %(tier)s 允许的 %(allowance)s%%，"
        "只有大客户总监可以确认该订单。",
    "%(product)s (%(discount)s%%)": "%(product)s（%(discount)s%%）",
    "(none)": "（无）",
    "A nomination that was approved or rejected cannot be changed.":
        "已批准或已驳回的提名不能再修改。",
    "Account: %(partner)s already has a nomination to approve in %(company)s.":
        "客户：%(partner)s 在 %(company)s 已有一个待审批的提名。",
    "Account: %(partner)s is already a registered key account of %(company)s.":
        "客户：%(partner)s 已是 %(company)s 的已备案大客户。",
    "Account: only a company can be nominated as a key account. %(partner)s is a contact "
    "person; nominate its company %(company)s instead.":
        "客户：只有公司才能被提名为大客户。%(partner)s 是联系人，请改为提名其公司 %(company)s。",
    "Accounts: %(partners)s are not managed by %(user)s in %(company)s.":
        "客户：%(partners)s 在 %(company)s 不由 %(user)s 负责。",
    "Accounts: choose at least one account to hand over.": "客户：请至少选择一个要移交的客户。",
    "An account can have only one nomination to approve per company.":
        "每个公司中一个客户只能有一个待审批的提名。",
    "Approve": "批准",
    "Approve key account: %(partner)s": "审批大客户：%(partner)s",
    "Approved": "已批准",
    "By default every account the first user manages in this company.":
        "默认为移交人在本公司负责的全部客户。",
    "Can Decide": "可审批",
    "Cloud Backup 10 TB": "云备份 10 TB",
    "Control Board CB-7": "控制板 CB-7",
    "Customer company": "客户公司",
    "Decided by": "审批人",
    "Decision": "审批结果",
    "Decision Date": "审批日期",
    "Dedicated Fibre Line 1 Gbps": "1 Gbps 专线光纤",
    "Dedicated KAM and application engineer, vendor-managed inventory, quarterly quality review.":
        "专属大客户经理和应用工程师，供应商管理库存，每季度质量评审。",
    "Dedicated KAM, half-yearly quality review, priority production slots.":
        "专属大客户经理，每半年质量评审，优先排产。",
    "Discard": "放弃",
    "Discount above the allowance of key account tier %(tier)s (%(allowance)s%%) approved by "
    "%(user)s: %(lines)s.":
        "超出大客户等级 %(tier)s 折扣上限（%(allowance)s%%）的折扣已由 %(user)s 批准：%(lines)s。",
    "Downgrades": "降级",
    "Every change of an account's tier or key-account status is recorded here with its\n"
    "                date, cause and author.":
        "客户等级或大客户状态的每次变更都记录在此，包括日期、原因和操作人。",
    "From": "移交人",
    "Hand Over": "移交",
    "Hand Over Accounts": "客户移交",
    "Hand Over Key Accounts": "移交大客户",
    "Can Edit Key Account Data": "可编辑大客户资料",
    "Can Edit Key Account Registry": "可编辑大客户备案信息",
    "Key Account Nomination": "大客户提名",
    "Key Account Nominations": "大客户提名",
    "Key Account Portfolio Handover": "大客户组合移交",
    "Key account handed over from %(old)s to %(new)s by %(user)s.":
        "大客户已由 %(user)s 从 %(old)s 移交给 %(new)s。",
    "Key account tier %(tier)s locked by %(user)s: %(reason)s":
        "大客户等级 %(tier)s 已被 %(user)s 锁定：%(reason)s",
    "Key account tier unlocked by %(user)s": "大客户等级已被 %(user)s 解锁",
    "Lock": "锁定",
    "Lock Tier": "锁定等级",
    "Lock a Key Account Tier": "锁定大客户等级",
    "My Nominations": "我的提名",
    "Named KAM, yearly review.": "指定大客户经理，每年评审。",
    "No nomination to approve": "没有待审批的提名",
    "No nomination yet": "还没有提名",
    "No tier or status change yet": "还没有等级或状态变更",
    "Nominate": "提名",
    "Nominate a customer as a key account from the Key Account tab of the customer.":
        "在客户的“大客户”页签中将其提名为大客户。",
    "Nominate as Key Account": "提名为大客户",
    "Nominated by": "提名人",
    "Nominated by %(user)s": "由 %(user)s 提名",
    "Nominated on": "提名日期",
    "Nomination approved by %(user)s": "提名已由 %(user)s 批准",
    "Nomination of %(partner)s: set the %(fields)s before approving it.":
        "%(partner)s 的提名：批准前请先填写%(fields)s。",
    "Nomination rejected: %(reason)s": "提名被驳回：%(reason)s",
    "Nominations": "提名",
    "Nominations to Approve": "待审批提名",
    "Only a Key Account Director can approve or reject a nomination.":
        "只有大客户总监可以批准或驳回提名。",
    "Only a Key Account Director can change %(field)s of %(partner)s.":
        "只有大客户总监可以修改 %(partner)s 的%(field)s。",
    "Only a Key Account Director can decide on a nomination.": "只有大客户总监可以审批提名。",
    "Only a Key Account Director can hand key accounts over.": "只有大客户总监可以移交大客户。",
    "Only a Key Account Director can set %(field)s on a new contact.":
        "只有大客户总监可以在新联系人上设置%(field)s。",
    "Only a nomination to approve can be approved or rejected.": "只有待审批的提名才能批准或驳回。",
    "Only the key account manager or the account team of %(partner)s can change its %(field)s.":
        "只有 %(partner)s 的大客户经理或客户团队成员可以修改其%(field)s。",
    "Open Nomination": "查看提名",
    "Precision Gearbox PG-50": "精密减速机 PG-50",
    "Private 5G Campus Network": "5G 园区专网",
    "Proposal": "提议",
    "Proposed Key Account Manager": "拟任大客户经理",
    "Proposed Tier": "拟定等级",
    "Reason": "理由",
    "Reject": "驳回",
    "Rejected": "已驳回",
    "Rejection Reason": "驳回理由",
    "Rejection Reason: a nomination of %(partner)s cannot be rejected without a reason.":
        "驳回理由：驳回 %(partner)s 的提名必须填写理由。",
    "Rejection Reason: write why the nomination of %(partner)s is rejected before rejecting it.":
        "驳回理由：驳回前请填写驳回 %(partner)s 提名的理由。",
    "Required to reject: why the customer is not registered now.": "驳回时必填：为何现在不予备案。",
    "SD-WAN Managed Service": "SD-WAN 托管服务",
    "Sales Analysis Report": "销售分析报表",
    "Sales Order": "销售订单",
    "Salespeople nominate customers from the Key Account tab of the customer; approving a\n"
    "                nomination registers the account (备案) with its tier and key account "
    "manager.":
        "销售人员在客户的“大客户”页签中提名客户；批准提名后，客户按其等级和大客户经理完成备案。",
    "Scoring will no longer change the tier of this account until a director unlocks it.":
        "在总监解锁之前，评分将不再改变该客户的等级。",
    "Servo Motor SM-200": "伺服电机 SM-200",
    "Status Changes": "状态变更",
    "Status before Nomination": "提名前状态",
    "Strategic Key Accounts": "战略大客户",
    "The chosen accounts get their new key account manager in one step; open\n"
    "                    activities, visits and plans of the former manager move along, and each\n"
    "                    account's chatter logs the handover.":
        "所选客户一步换成新的大客户经理；原经理的未完成活动、拜访和计划随之转移，"
        "每个客户的沟通记录中都会记下此次移交。",
    "The customer company proposed as a key account.": "被提名为大客户的客户公司。",
    "The key account manager who hands the accounts over.": "移交客户的大客户经理。",
    "The user who takes the accounts over.": "接手客户的用户。",
    "Tier Changes": "等级变更",
    "Tier History Count": "等级历史数",
    "Tier Lock Reason: the tier of %(partner)s cannot be locked without a reason.":
        "等级锁定原因：锁定 %(partner)s 的等级必须填写原因。",
    "Tier of the customer's company in the order's company when the order was made.":
        "下单时客户公司在订单所属公司中的大客户等级。",
    "To": "接手人",
    "To Approve": "待审批",
    "To: %(user)s is not an internal user of %(company)s and cannot manage its key accounts.":
        "接手人：%(user)s 不是 %(company)s 的内部用户，不能管理其大客户。",
    "To: the accounts of %(user)s must go to another user.":
        "接手人：%(user)s 的客户必须移交给其他用户。",
    "Unlock Tier": "解锁等级",
    "Upgrades": "升级",
    "Why scoring must no longer change this account's tier.": "为何评分不应再改变该客户的等级。",
    "Why the portfolio moves, e.g. new assignment, leave.": "移交原因，例如岗位调整、休假。",
    "Why this customer should be a key account: revenue, potential, strategic value...":
        "为何该客户应成为大客户：收入、潜力、战略价值……",
    "You cannot decide on your own nomination of %(partner)s: only a Key Account Director can "
    "approve or reject it.":
        "您不能审批自己对 %(partner)s 的提名：只有大客户总监可以批准或驳回。",
    "e.g. New regional assignment": "例如：新的区域分工",
    "Old Key Account Manager": "原大客户经理",
    "Proposed Key Account Manager: %(user)s is not an internal user of %(company)s.":
        "拟任大客户经理：%(user)s 不是 %(company)s 的内部用户。",
    "Tier of the customer's company in the order's company when the order was confirmed (for "
    "quotations: now).":
        "订单确认时客户公司在订单所属公司中的大客户等级（报价单：当前等级）。",
    "Account: the account of a nomination cannot be changed; reject it and nominate the other "
    "company.":
        "客户：提名的客户不能更改；请驳回此提名并提名另一家公司。",
    "New Key Account Manager": "新大客户经理",
    "Key account manager: %(old)s → %(new)s (%(cause)s)":
        "大客户经理：%(old)s → %(new)s（%(cause)s）",
    "%(change)s: %(note)s": "%(change)s：%(note)s",
    "Manager Changes": "经理变更",
    "Key Account Manager": "大客户经理",
    "e.g. Strategic contract signed until 2028": "例如：战略合同已签至 2028 年",
}
