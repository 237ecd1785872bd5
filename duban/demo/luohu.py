"""The demo district's organisation: real Luohu unit and place names, as far as they are known.

Sources: `shared/reference/domain-china-mechanisms.md` §8. Names marked UNVERIFIED below are
plausible fillers for gaps in those sources (the full community list must come from the NBS
division codes for 440303 before any real deployment); every person is fictional.
"""

from __future__ import annotations

DISTRICT = {"name": "罗湖区", "short_name": "罗湖", "code": "440303", "address": "深圳市罗湖区文锦中路1008号"}

# (name, NBS code, verified communities, UNVERIFIED filler communities)
STREETS = [
    ("桂园街道", "440303001", ["红村"], ["老围", "松园", "鹿丹", "人民桥", "大塘龙", "宝安"]),
    ("黄贝街道", "440303002", ["黄贝岭", "水库", "罗芳", "新兴"], ["文华", "新谊", "凤凰", "碧波"]),
    ("东门街道", "440303003", ["城东", "湖贝", "东门"], ["立新", "新园", "花场", "螺岭"]),
    (
        "翠竹街道",
        "440303004",
        ["翠达", "木头龙", "新村", "水贝", "翠岭", "翠平", "愉天", "翠竹", "民新", "翠宁"],
        [],
    ),
    ("南湖街道", "440303005", ["罗湖", "罗湖桥", "嘉北"], ["向西", "东站", "新南", "渔邨", "文锦"]),
    ("笋岗街道", "440303006", ["田贝", "北站", "洪湖", "笋岗", "田心", "梨园", "笋西", "湖景"], []),
    ("东湖街道", "440303007", [], ["东湖", "大望", "梧桐山", "布心", "翠湖", "金湖"]),
    ("莲塘街道", "440303008", ["坳下"], ["莲塘", "长岭", "仙湖", "鹏兴", "西岭", "聚宝"]),
    ("东晓街道", "440303009", [], ["东晓", "兰花", "独树", "草埔东", "草埔西", "木棉岭"]),
    ("清水河街道", "440303010", [], ["清水河", "玉龙", "坭岗", "三角楼", "银湖", "清湖"]),
]

# The one community code the sources give (street code + 3 digits).
COMMUNITY_CODES = {("南湖街道", "罗湖"): "440303005015"}

# The seven model urban villages (示范村), placed under the community of the same area.
URBAN_VILLAGES = {
    ("南湖街道", "罗湖"): "罗湖村",
    ("南湖街道", "向西"): "向西村",
    ("笋岗街道", "笋岗"): "笋岗村",
    ("清水河街道", "坭岗"): "坭岗村",
    ("莲塘街道", "莲塘"): "莲塘村",
    ("莲塘街道", "坳下"): "坳下村",
    ("黄贝街道", "水库"): "水库新村",
}

GRIDS_PER_COMMUNITY = ["第一网格", "第二网格"]

# (name, short name, children); seen in sources unless the line says UNVERIFIED (typical Shenzhen line-up).
COMMISSIONS = [
    ("中共深圳市罗湖区委全面深化改革委员会", "区委深改委", [("区委全面深化改革委员会办公室", "区委改革办")]),
    ("罗湖区委办公室（区政府办公室）", "区委(政府)办", [("区委区政府督查室", "督查室")]),
    ("区纪委监委", "区纪委监委", []),
    ("区委审计委员会", "区委审计委", []),
    ("区人大常委会", "区人大常委会", []),
    ("区委组织部", "区委组织部", []),  # UNVERIFIED
    ("区委宣传部", "区委宣传部", []),  # UNVERIFIED
    ("区委政法委", "区委政法委", []),  # UNVERIFIED
    ("区委统战部", "区委统战部", []),  # UNVERIFIED
]

DEPARTMENTS = [
    ("区发展和改革局", "区发展改革局"),
    ("区审计局", "区审计局"),
    ("区城市管理和综合执法局", "区城管局"),
    ("区政务服务数据管理局", "区政数局"),
    ("区投资推广和企业服务中心", "区投资推广中心"),
    # UNVERIFIED from here: the typical Shenzhen district line-up.
    ("区财政局", "区财政局"),
    ("区教育局", "区教育局"),
    ("区卫生健康局", "区卫健局"),
    ("区民政局", "区民政局"),
    ("区司法局", "区司法局"),
    ("区人力资源局", "区人力资源局"),
    ("区住房和建设局", "区住建局"),
    ("区城市更新和土地整备局", "区城市更新局"),
    ("区科技创新局", "区科创局"),
    ("区工业和信息化局", "区工信局"),
    ("区商务局", "区商务局"),
    ("区文化广电旅游体育局", "区文广旅体局"),
    ("区水务局", "区水务局"),
    ("区应急管理局", "区应急管理局"),
    ("区退役军人事务局", "区退役军人事务局"),
    ("区统计局", "区统计局"),
    ("区国有资产监督管理局", "区国资局"),
    ("区信访局", "区信访局"),
    ("区机关事务管理局", "区机关事务局"),
]

BRANCHES = [
    ("市交通运输局罗湖管理局", "交通罗湖管理局"),
    ("市规划和自然资源局罗湖管理局", "规自罗湖管理局"),  # UNVERIFIED
    ("市市场监督管理局罗湖监管局", "市监罗湖局"),  # UNVERIFIED
    ("市生态环境局罗湖管理局", "生态环境罗湖局"),  # UNVERIFIED
    ("市公安局罗湖分局", "罗湖公安分局"),  # UNVERIFIED
]

EXTERNALS = [
    ("深圳市委全面深化改革委员会办公室", "市委改革办"),
    ("深圳市人民政府发展研究中心", "市发展研究中心"),
    ("鹏城公共政策评估中心", "第三方评估机构"),  # FICTIONAL third-party evaluator
]

DOMAINS = [
    ("party-building", "党的建设"),
    ("government-functions", "政府职能转变"),
    ("development-space", "发展空间拓展"),
    ("public-services", "公共服务"),
    ("industry", "产业发展"),
    ("grassroots-governance", "基层治理"),
    ("business-environment", "营商环境"),
    ("ecology", "生态文明"),
]

# District leaders (fictional people): title, rank, domains, units in charge (short names or streets).
LEADERS = [
    ("区委书记", "main", ["party-building"], ["区委深改委", "区委(政府)办"]),
    ("区长", "main", ["government-functions"], ["区发展改革局", "区财政局"]),
    ("区委副书记", "in_charge", ["grassroots-governance"], ["区委政法委", "桂园街道", "黄贝街道"]),
    (
        "常务副区长",
        "in_charge",
        ["business-environment", "government-functions"],
        ["区审计局", "区统计局", "区政数局"],
    ),
    ("副区长", "in_charge", ["development-space"], ["区城市更新局", "区住建局", "东门街道", "南湖街道"]),
    (
        "副区长",
        "in_charge",
        ["public-services"],
        ["区教育局", "区卫健局", "区民政局", "翠竹街道", "笋岗街道"],
    ),
    ("副区长", "in_charge", ["industry"], ["区科创局", "区工信局", "区商务局", "东湖街道", "莲塘街道"]),
    ("副区长", "in_charge", ["ecology"], ["区城管局", "区水务局", "区应急管理局", "东晓街道", "清水河街道"]),
    ("区纪委书记", "in_charge", ["party-building"], ["区纪委监委"]),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶"
    "黎贺顾毛郝龚邵万严覃武戴莫孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯颖佳琳晨"
    "欣怡思源博俊宏志远海燕雪梅晓东雅婷子涵嘉豪立新国庆春梅振华"
)
