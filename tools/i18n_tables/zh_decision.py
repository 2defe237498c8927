# ruff: noqa: E501
# Chinese (zh_CN) translations of the decision-unit feature (issue 4).
T = {
    "%(attitude)s: %(competitor)s": "%(attitude)s：%(competitor)s",
    "+1 Willing to continue": "+1 愿意继续接触",
    "+2 Interested": "+2 有兴趣",
    "+3 Supports": "+3 支持",
    "+4 Advocates": "+4 积极推荐",
    "+5 Fully supports us": "+5 完全支持我们",
    "-1 Does not oppose": "-1 不反对",
    "-10 Favours a competitor": "-10 倾向竞争对手",
    "-2 Not interested": "-2 不感兴趣",
    "-3 Opposes": "-3 反对",
    "-5 Strongly opposes": "-5 强烈反对",
    '<i class="fa fa-bolt me-1" title="Influence"/>': '<i class="fa fa-bolt me-1" title="影响力"/>',
    "A contact of the account. Type a new name to create the person in the account.":
        "客户的联系人。输入新姓名即可在该客户下创建此人。",
    "A decision maker's attitude is 0 or less (or unknown).": "有决策者的态度为 0 或以下（或未知）。",
    "A high-influence stakeholder opposes us (-3 or less) or favours a competitor.":
        "有高影响力的关系人反对我们（-3 或以下）或倾向竞争对手。",
    "A high-influence stakeholder opposes us or favours a competitor.":
        "有高影响力的关系人反对我们或倾向竞争对手。",
    "A high-influence stakeholder was not contacted within the tier's visit interval.":
        "有高影响力的关系人在本级别的拜访间隔内未被联系。",
    "A member of top management who endorses the relationship with us.": "认可并支持与我们合作的高层管理者。",
    "A person in this role guides us from inside the account (内线): an account without one is flagged.":
        "担任此角色的人在客户内部为我们指路（内线）：没有内线的客户会被标记。",
    "A person in this role signs off the purchase: an account without one is flagged.":
        "担任此角色的人拍板采购：没有决策者的客户会被标记。",
    "Accounts with Red Flags": "有红旗预警的客户",
    "Add the people of the account and whom they report to: the org chart shows their\n"
    "                roles, attitude and influence.":
        "添加客户的人员及其汇报对象：组织架构图会显示他们的\n"
        "                角色、态度和影响力。",
    "Attitude": "态度",
    "Attitude Unknown": "态度未知",
    "Attitude Value": "态度分值",
    "Attitude unknown": "态度未知",
    "Attitude: %(value)s is not on the scale. Use +5, +4, +3, +2, +1, -1, -2, -3, -5 or -10 (favours a competitor).":
        "态度：%(value)s 不在量表上。请使用 +5、+4、+3、+2、+1、-1、-2、-3、-5 或 -10（倾向竞争对手）。",
    "Avatar 128": "头像 128",
    "Birthday": "生日",
    "Business Needs": "业务需求",
    "Buying roles (decision maker, technical evaluator, coach...) describe who plays which\n"
    "                part in a key account's purchase decisions.":
        "采购角色（决策者、技术把关者、内线……）描述谁在大客户的\n"
        "                采购决策中扮演什么角色。",
    "Calendar Event": "日历活动",
    "Checks that the offer meets the technical requirements; can veto a supplier on technical grounds.":
        "检查方案是否满足技术要求；可以技术理由否决供应商。",
    "Coach": "内线",
    "Coach / Inside Informant": "内线",
    "Coaches": "内线",
    "Controls access to the decision makers and the flow of information (assistant, office manager).":
        "控制接触决策者的渠道和信息流（助理、办公室主任）。",
    "Decision Maker": "决策者",
    "Decision Maker / Economic Buyer": "决策者",
    "Decision Maker Not Supportive": "决策者不支持",
    "Decision Makers": "决策者",
    "Decision Role": "决策角色",
    "Decision Roles": "决策角色",
    "Decision Unit": "决策链",
    "Decision Unit of %(account)s": "%(account)s 的决策链",
    "Decision Units": "决策链",
    "Decision maker not won": "决策者未争取到",
    "Decision maker not won over: %(people)s.": "决策者尚未争取到：%(people)s。",
    "Decision units with red flags: %(count)s account(s)": "决策链有红旗预警：%(count)s 个客户",
    "Define a buying role": "定义一个采购角色",
    "Description": "描述",
    "Direct Reports": "直接下属",
    "Email": "电子邮件",
    "Favoured Competitor": "倾向的竞争对手",
    "Favoured Competitor: %(person)s is at -10 (favours a competitor): name the competitor.":
        "倾向的竞争对手：%(person)s 的态度为 -10（倾向竞争对手），请填写该竞争对手。",
    "Favoured Competitor: the account %(account)s cannot be its own competitor.":
        "倾向的竞争对手：客户 %(account)s 不能是它自己的竞争对手。",
    "Favours a Competitor": "倾向竞争对手",
    "Fewer than 2 stakeholders were contacted in the last 90 days.": "最近 90 天内被联系的关系人少于 2 人。",
    "Gatekeeper": "把关人",
    "Has Red Flags": "有红旗预警",
    "Has no formal say but weighs on the decision through expertise or relationships.":
        "没有正式决定权，但凭专业或人脉影响决策。",
    "High": "高",
    "High Influence": "高影响力",
    "High-influence opponent: %(people)s.": "高影响力的反对者：%(people)s。",
    "High-influence stakeholder not contacted within %(days)s days (visit interval of tier %(tier)s): %(people)s.":
        "高影响力关系人在 %(days)s 天内未被联系（级别 %(tier)s 的拜访间隔）：%(people)s。",
    "How the influence works, e.g. former colleague, golf partner.": "影响的方式，例如：前同事、球友。",
    "Influence": "影响力",
    "Influence-weighted average attitude of the stakeholders whose attitude is known (high = 3, medium = 2, low = 1; -10 counted as such): from -10 to +5.":
        "态度已知的关系人按影响力加权的平均态度（高 = 3，中 = 2，低 = 1；-10 按 -10 计）：从 -10 到 +5。",
    "Influenced By": "受谁影响",
    "Influencer": "影响者",
    "Influences": "影响谁",
    "Influences: %(influencer)s (%(account)s) and %(target)s (%(other)s) belong to different accounts; an influence link stays inside one decision unit.":
        "影响关系：%(influencer)s（%(account)s）和 %(target)s（%(other)s）属于不同客户；影响关系只能在同一决策链内。",
    "Influences: %(person)s cannot influence themselves.": "影响关系：%(person)s 不能影响自己。",
    "Influential Opponent": "有影响力的反对者",
    "Influential opponent": "有影响力的反对者",
    "Interests and Hobbies": "兴趣爱好",
    "Job Position": "职位",
    "Key Accounts: stakeholders' last contact dates": "大客户：关系人最近联系日期",
    "Key Person Not Contacted": "关键人物未联系",
    "Key person not contacted": "关键人物未联系",
    "Leave empty to share the role with every company.": "留空则所有公司共用此角色。",
    "Low": "低",
    "Map a decision unit": "绘制决策链",
    "Medium": "中",
    "My Relationships": "我负责的关系",
    "Needs": "需求",
    "No Coach": "没有内线",
    "No Decision Maker": "没有决策者",
    "No Owner": "无负责人",
    "No coach": "没有内线",
    "No coach: nobody inside the account guides us; win someone over and give them the coach role.":
        "没有内线：客户内部没有人为我们指路；争取一个人并给他内线角色。",
    "No decision maker": "没有决策者",
    "No decision maker identified: nobody in the decision unit has a decision-maker role.":
        "未识别决策者：决策链中没有人担任决策者角色。",
    "No stakeholder yet": "还没有关系人",
    "Nobody in the decision unit has a coach role.": "决策链中没有人担任内线角色。",
    "Nobody in the decision unit has a decision-maker role.": "决策链中没有人担任决策者角色。",
    "Not Contacted for 30 Days": "30 天未联系",
    "Not Contacted for 90 Days": "90 天未联系",
    "One line per red flag, explaining it.": "每个红旗预警一行说明。",
    "One of the roles is a coach role.": "其中一个角色是内线角色。",
    "One of the roles is a decision-maker role.": "其中一个角色是决策者角色。",
    "Opposed": "反对",
    "Org Chart": "组织架构图",
    "Org Charts": "组织架构图",
    "People this person influences.": "此人影响的人。",
    "People who influence this person.": "影响此人的人。",
    "Person: %(person)s does not belong to the account %(account)s (they belong to %(other)s). A stakeholder must be a contact of the account; create the person as a contact of %(account)s.":
        "人员：%(person)s 不属于客户 %(account)s（其所属为 %(other)s）。关系人必须是该客户的联系人；请将此人创建为 %(account)s 的联系人。",
    "Person: %(person)s is already a stakeholder of %(account)s (maybe archived). The same person cannot appear twice in one account's decision unit.":
        "人员：%(person)s 已经是 %(account)s 的关系人（可能已归档）。同一个人不能在一个客户的决策链中出现两次。",
    "Personal Needs": "个人需求",
    "Phone": "电话",
    "Procurement": "采购",
    "Record who decides at each key account, their roles, their attitude towards you and\n"
    "                their influence; the account then shows its coverage red flags.":
        "记录每个大客户由谁决策、他们的角色、对我们的态度和\n"
        "                影响力；客户随即显示其覆盖度红旗预警。",
    "Red Flag Details": "红旗预警详情",
    "Red Flags": "红旗预警",
    "Relationship": "关系",
    "Relationship Owner": "关系负责人",
    "Reports To": "汇报给",
    "Reports To: %(person)s (%(account)s) cannot report to %(boss)s, a stakeholder of another account (%(other)s).":
        "汇报给：%(person)s（%(account)s）不能汇报给另一个客户（%(other)s）的关系人 %(boss)s。",
    "Reports To: this reporting line would create a cycle (a person who reports, directly or not, to themselves).":
        "汇报给：此汇报关系会形成循环（某人直接或间接地汇报给自己）。",
    "Roles": "角色",
    "Runs the tender and negotiates price and terms.": "组织招标，谈判价格和条款。",
    "Short technical code, unique, e.g. DM, TECH, COACH.": "简短的唯一技术代码，例如 DM、TECH、COACH。",
    "Signs off the purchase and owns the budget; has the final say.": "批准采购并掌握预算；拥有最终决定权。",
    "Single-Threaded": "单线联系",
    "Single-threaded": "单线联系",
    "Single-threaded: %(count)s stakeholder(s) contacted in the last %(days)s days (at least %(min)s needed).":
        "单线联系：最近 %(days)s 天内仅联系了 %(count)s 位关系人（至少需要 %(min)s 位）。",
    "Stakeholder": "关系人",
    "Stakeholder Influence Link": "关系人影响关系",
    "Stakeholders": "关系人",
    "Stakeholders Count": "关系人数量",
    "Strength": "强度",
    "Strong": "强",
    "Support Index": "支持指数",
    "Supporters": "支持者",
    "Technical Evaluator": "技术把关者",
    "The attitude as a number (0 while unknown), for sorting and averages.": "态度的数值（未知时为 0），用于排序和平均。",
    "The code of a decision role must be unique.": "决策角色的代码必须唯一。",
    "The competitor this person favours (required at -10).": "此人倾向的竞争对手（态度为 -10 时必填）。",
    "The member of the account team who owns the relationship with this person.": "负责维护与此人关系的客户团队成员。",
    "This influence link already exists.": "此影响关系已存在。",
    "User": "使用者",
    "Wants us to win and guides us from inside: tells us who decides, how and when.":
        "希望我们赢，并在内部为我们指路：告诉我们谁决策、如何决策、何时决策。",
    "Weak": "弱",
    "What a person in this role does in a purchase.": "担任此角色的人在采购中做什么。",
    "What does a person in this role do in a purchase?": "担任此角色的人在采购中做什么？",
    "What the person wants for themselves: recognition, career, less risk... Private.":
        "此人自己想要什么：认可、职业发展、降低风险……（保密）",
    "What the person's organisation needs from us (enterprise needs).": "此人所在组织需要我们提供什么（企业需求）。",
    "What their organisation needs from us...": "其组织需要我们提供什么……",
    "What they want for themselves: recognition, career, less risk...": "其个人想要什么：认可、职业发展、降低风险……",
    "Where the person stands towards us, from +5 (fully supports us) to -10 (favours a competitor). Empty while unknown.":
        "此人对我们的态度，从 +5（完全支持我们）到 -10（倾向竞争对手）。未知时留空。",
    "Work, interests, hobbies...": "工作、兴趣、爱好……",
    "Works with the product or service every day; judges it by ease of use and reliability.":
        "每天使用产品或服务；以易用性和可靠性评判。",
    "attitude unknown": "态度未知",
    "e.g. Technical Evaluator": "例如：技术把关者",
    "e.g. Zhou Hong": "例如：周宏",
    "last %(date)s": "最近 %(date)s",
    "never": "从未联系",
}
