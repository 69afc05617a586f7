"""Facts for the demo: the Harbin organisation as the magazine shows it.

Organisation names are real; every person is invented.
"""

CITY = ("harbin", "中国人民政治协商会议哈尔滨市委员会", "市政协")

# (code, name of the district or county) — 9 districts and 9 counties/county-level cities.
DISTRICTS = [
    ("daoli", "道里区"), ("daowai", "道外区"), ("nangang", "南岗区"), ("xiangfang", "香坊区"),
    ("pingfang", "平房区"), ("songbei", "松北区"), ("hulan", "呼兰区"), ("acheng", "阿城区"),
    ("shuangcheng", "双城区"), ("wuchang", "五常市"), ("shangzhi", "尚志市"), ("binxian", "宾县"),
    ("bayan", "巴彦县"), ("mulan", "木兰县"), ("tonghe", "通河县"), ("yilan", "依兰县"),
    ("yanshou", "延寿县"), ("fangzheng", "方正县"),
]

COMMITTEES = ["提案委员会", "经济委员会", "社会和法制委员会", "城乡建设资源环境委员会",
              "教科卫体委员会", "文化文史和学习委员会"]

DEPARTMENTS = ["办公厅", "研究室", "提案委员会办公室", "督查考评办公室", "委员工作室"]

# (name, kind) in the order bodies print them.
SECTORS = [
    ("中国共产党", "party"), ("民革", "party"), ("民盟", "party"), ("民建", "party"),
    ("民进", "party"), ("农工党", "party"), ("致公党", "party"), ("九三学社", "party"),
    ("台盟", "party"), ("无党派人士", "party"),
    ("总工会", "organisation"), ("共青团", "organisation"), ("妇联", "organisation"),
    ("科协", "organisation"), ("工商联", "organisation"), ("台联", "organisation"),
    ("侨联", "organisation"),
    ("经济界", "field"), ("农业界", "field"), ("教育界", "field"), ("科学技术界", "field"),
    ("文化艺术界", "field"), ("体育界", "field"), ("新闻出版界", "field"),
    ("医药卫生界", "field"), ("社会福利和社会保障界", "field"), ("少数民族界", "field"),
    ("宗教界", "field"), ("特邀人士", "field"),
]

# The party each party sector's members belong to; other sectors draw from the mix below.
SECTOR_PARTY = {"中国共产党": "cpc", "民革": "rcck", "民盟": "cdl", "民建": "cndca",
                "民进": "capd", "农工党": "cpwdp", "致公党": "czgp", "九三学社": "jiusan",
                "台盟": "tdsgl", "无党派人士": "none"}

HANDLING_UNITS = [
    "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局", "市公安局",
    "市民政局", "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局",
    "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水务局", "市农业农村局",
    "市商务局", "市文化广电和旅游局", "市卫生健康委员会", "市退役军人事务局", "市应急管理局",
    "市审计局", "市市场监督管理局", "市体育局", "市统计局", "市医疗保障局", "市城市管理局",
    "市营商环境建设监督局", "市林业和草原局", "市机关事务管理局", "市信访局",
    "市民族宗教事务局", "市人民政府国有资产监督管理委员会", "市地方金融监督管理局",
    "市残疾人联合会", "市住房公积金管理中心", "哈尔滨新区管理委员会", "市税务局",
    "市消防救援支队", "市气象局", "国网哈尔滨供电公司",
]

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈"
                "曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康"
                "毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = list("建国志强海燕晓丽红梅春雨秋月明华立新文博思远雅静子涵浩然宏伟玉兰振东冬梅国庆"
             "德胜秀英伟杰丽娜晨阳佳怡宇航瑞雪庆丰松林冰洁雪松鹏飞慧敏永刚淑芬长青俊峰凤霞")

EMPLOYERS = [
    "哈尔滨工业大学", "哈尔滨医科大学附属第一医院", "黑龙江大学", "哈尔滨市第三中学",
    "哈尔滨电机厂有限责任公司", "哈药集团", "哈尔滨市农业科学院", "哈尔滨日报社",
    "哈尔滨市第一医院", "哈尔滨工程大学", "东北农业大学", "哈尔滨市儿童医院",
    "哈尔滨冰雪大世界运营公司", "哈尔滨市律师协会", "哈尔滨商业大学", "哈尔滨师范大学",
    "哈尔滨市中医医院", "哈尔滨市歌剧院", "哈尔滨市体育运动学校", "哈尔滨市社会福利院",
]
JOB_TITLES = ["教授", "主任医师", "董事长", "总经理", "研究员", "高级教师", "副院长", "总编辑",
              "高级工程师", "律师", "主任", "副教授", "党委书记", "所长"]
ETHNICITIES = ["汉族"] * 12 + ["满族", "朝鲜族", "回族", "蒙古族"]

HANDLER_NAMES = ["丁一凡", "卢佳怡", "田雪松", "汪淑芬", "毛俊峰", "贺冰洁"]
OFFICER_NAMES = ["江秋月", "段永刚", "侯凤霞", "龚子涵"]
XIANGFANG_STREETS = ["香坊区通天街道", "香坊区大庆路街道", "香坊区幸福镇", "香坊区成高子镇"]
