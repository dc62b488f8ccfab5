"""The words that give facts away: titles, role changes, deal kinds and statuses, in Chinese
(simplified: the matching twin of the text) and English. Declared once; read by the finders."""

from __future__ import annotations

import re

#: job titles (longest first in the patterns built from them)
TITLES_ZH = (
    "高级副总裁",
    "副总裁",
    "总裁",
    "联合创始人",
    "创始人",
    "创办人",
    "首席执行官",
    "首席科学家",
    "首席技术官",
    "首席运营官",
    "首席财务官",
    "首席产品官",
    "首席AI架构师",
    "首席架构师",
    "首席",
    "负责人",
    "产品经理",
    "总经理",
    "经理",
    "合伙人",
    "董事长",
    "董事",
    "主管",
    "顾问",
    "总监",
    "架构师",
    "研究员",
    "科学家",
    "工程师",
    "院长",
)
TITLES_EN = (
    "CEO",
    "COO",
    "CTO",
    "CFO",
    "CPO",
    "chief executive",
    "chief scientist",
    "chief technology officer",
    "chief operating officer",
    "co-founder",
    "cofounder",
    "founder",
    "president",
    "vice president",
    "VP",
    "head of product",
    "head of research",
    "head of",
    "director",
    "chairman",
    "chairwoman",
    "partner",
    "adviser",
    "advisor",
    "researcher",
    "scientist",
    "engineer",
    "managing director",
    "general manager",
)
#: area words between a firm and a title ("MiniMax商业化负责人")
AREAS_ZH = ("核心产品", "商业化", "产品", "技术", "研发", "算法", "市场", "销售", "运营", "战略", "研究", "工程")

#: common surnames: a discovered two- or three-character name must start with one
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤洪明闵"
)

#: role changes: cue, cause; the first that matches in a clause decides (most specific first)
ROLE_CUES_ZH: tuple[tuple[str, str], ...] = (
    (r"尚未(?:彻底)?离职|转为(?:内部)?顾问|改任\S{0,4}顾问|转任\S{0,4}顾问|变更为顾问|角色已变更为顾问", "advisor"),
    (
        r"离职\S{0,6}创业|下场创业|离开\S{0,6}创办|出走创业"
        r"|(?:离职|辞职|出走)(?:并|后|之后|，)?(?:自己|独立)?(?:创办|创立|创建|联合创立)",
        "founded",
    ),
    (r"降职|遭遇降职|不再负责|调离核心岗位|淡出\S{0,6}核心管理层|被边缘化", "demoted"),
    (r"淡出|改任|转任", "advisor"),
    (r"离职|离开|出走|辞职|卸任|告别|相继离开|离任", "left"),
    (r"任命|出任|担任|升任|接任", "appointed"),
    (r"加入|加盟|入职|收归麾下|挖来", "joined"),
    (r"创办|创立|创建|联合创立", "founded_firm"),
)
ROLE_CUES_EN: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:moved|moves|shifted) to an? \w*\s?advis[eo]r\b|\bbecame an? \w*\s?advis[eo]r\b|\bstepped back\b",
        "advisor",
    ),
    (
        r"\bleft\b[^.]{0,60}\bto (?:found|start|launch)\b|\bto start (?:his|her|their) own\b"
        r"|\b(?:left|quit|departed|resigned)\b[^.,;]{0,40}\band (?:co-)?founded\b",
        "founded",
    ),
    (r"\bdemoted\b|\bsidelined\b|\bno longer (?:leads|runs|in charge)\b|\bstripped of\b", "demoted"),
    (r"\bleft\b|\bleaves\b|\bdeparted\b|\bquit\b|\bresigned\b|\bstepped down\b", "left"),
    (r"\bappointed\b|\bnamed\b[^.]{0,40}\bas\b|\bpromoted\b|\bwill lead\b", "appointed"),
    (r"\bjoined\b|\bjoins\b|\bhired\b|\brecruited\b", "joined"),
    (r"\bfounded\b|\bco-founded\b|\bset up\b|\blaunched a (?:company|startup)\b", "founded_firm"),
)
#: "former" before a title: the spell ended, cause left unless a clause says more
FORMER_ZH = "前"

#: deal kinds by trigger (most specific first)
DEAL_CUES_ZH: tuple[tuple[str, str], ...] = (
    (r"%\s*(?:的)?股份|%\s*股权|入股|持股", "stake"),
    (r"报价提高至|要价|开价|报价", "asking_price"),
    (r"签约奖金|奖金|薪酬|愿意支付|支付\S{0,8}来实现", "compensation_offer"),
    (r"融资", "funding_round"),
    (r"收购|并购|买下", "acquisition"),
    (r"招募|挖角", "recruitment"),
)
#: a funding round's name, where the text gives one: "A轮", "Pre-A轮", "B+轮", "天使轮", "Series C",
#: "seed round" (not "新一轮", "a new round": those name no round)
ROUND_NAME = re.compile(
    r"(?<![A-Za-z])(?P<zh>(?:pre-?)?[a-h]\d?\+{0,2}|pre-?ipo|天使|种子)\s*轮"
    r"|\bseries\s+(?P<en>[a-h]\d?\+{0,2})(?![\w+])"
    r"|\b(?P<stage>pre-seed|seed|angel|pre-ipo)\s+(?:round|funding)\b",
    re.IGNORECASE,
)
DEAL_CUES_EN: tuple[tuple[str, str], ...] = (
    (r"\d\s*%\s*(?:stake|of)|\bstake\b", "stake"),
    (r"\basking price\b|\basked for\b|\bdemanded\b|\bwanted\b[^.]{0,30}\$", "asking_price"),
    (r"\bsigning bonus|\bpay package|\bcompensation\b", "compensation_offer"),
    (r"\bfunding round\b|\braised\b|\braises\b|\bround\b|\bseries [a-e]\b", "funding_round"),
    (r"\bacqui(?:re|res|red|sition)\b|\bbuy(?:s|ing)?\b|\bbought\b|\btakeover\b", "acquisition"),
    (r"\brecruit", "recruitment"),
)
#: who acts in a deal named after its cue ("was acquired by X", "a takeover bid from X", "an
#: acquisition offer from X"): the text from the cue to the first name after it; that name is the buyer
AGENT_AFTER_EN = re.compile(
    r"^\s*(?:[\w$.-]+\s+){0,3}?(?:by|(?:bids?|offers?|approach(?:es)?|proposals?|overtures?)\s+from)\s",
    re.IGNORECASE,
)
#: "from" before that name but after no offer word ("bought assets from X"): X may be the seller
#: or the bidder, and the order of the parties cannot be told
FROM_AFTER_EN = re.compile(r"^\s*(?:[\w$.-]+\s+){0,3}?from\s", re.IGNORECASE)
#: the Chinese passive before the buyer ("星火数据被天穹集团收购", "由…收购" with no firm after the cue)
PASSIVE_BEFORE_ZH = re.compile(r"(?:被|遭到|遭|由)\s*$")
#: deal status cues: the first entry with a match in the sentence decides (most specific first).
#: None found: the status is a guess, marked as one for the reviewer (facts.status says which).
STATUS_CUES_ZH: tuple[tuple[str, str], ...] = (
    (r"拒绝|婉拒|回绝|不同意", "rejected"),
    (r"放弃|告吹|终止", "abandoned"),
    (r"完成", "completed"),
    (r"最终以|达成|敲定|方案出炉|签署|签订|(?<!不)同意", "agreed"),
    (r"谈判|洽谈|接触|磋商", "in_talks"),
    (r"试图|有意|愿意|开出|提出", "offered"),
    (r"报价提高至|要价", "asked"),
    (r"传来|传闻|传出|有望|据传|消息称|或将", "rumoured"),
    (r"已(?:经)?(?:收购|买下|入股)|(?:收购|买下|入股)了", "completed"),
    (r"宣布", "agreed"),
)
STATUS_CUES_EN: tuple[tuple[str, str], ...] = (
    (r"\brejected\b|\bturned down\b|\bdeclined\b|\brebuffed\b", "rejected"),
    (r"\babandoned\b|\bcalled off\b|\bwalked away\b", "abandoned"),
    (r"\bcompleted\b|\bclosed\b|\braised\b", "completed"),
    (
        r"\bagreed\b|\bagrees\b|\bsigned\b|\bsigns\b|\bstruck a deal\b|\breached (?:an|a) (?:agreement|deal)\b",
        "agreed",
    ),
    (r"\bin talks\b|\bnegotiat", "in_talks"),
    (r"\boffered\b|\btried to\b|\bproposed\b", "offered"),
    (r"\basked\b|\basking\b|\bdemanded\b", "asked"),
    (r"\brumou?red\b|\bis said to\b|\breportedly\b|\bmay (?:buy|acquire)\b", "rumoured"),
    (r"\bacquired\b|\bbought\b|\bpaid\b", "completed"),
    (r"\bannounced\b|\bannounces\b", "agreed"),
)
#: how firmly a fact is stated (aiorg.vocabulary.Certainty): reported when the article relays
#: another outlet's report or what "is learned"; rumoured for hearsay and anonymous sourcing
#: ("people familiar with the matter said", "据知情人士透露"), which Certainty counts as rumour
REPORTED_ZH = re.compile(r"据\S{0,12}报道|被爆|被曝|爆料|获悉|据\S{0,8}了解|据悉|据\S{0,10}透露|传来|流传出")
REPORTED_EN = re.compile(r"\breported(?:ly)?\b|\baccording to\b|\bis said to\b")
RUMOURED = re.compile(
    r"传闻|传来|有望|据传|匿名|知情人士|消息人士|接近\S{0,10}的人士|不愿具名|rumou?r|\bmay\b|(?i:\banonymous\b|"
    r"\bfamiliar with\b|\b(?:people|persons?|sources?) close to\b|\bsources? (?:said|say|says|told)\b|"
    r"\b(?:two|three|several|multiple) (?:people|persons|sources) (?:said|say|told)\b|"
    r"\baccording to (?:\w+ )?sources\b|\bnot (?:authori[sz]ed|allowed) to (?:speak|discuss)|"
    r"\basked not to be (?:named|identified)\b|\bcondition of anonymity\b)"
)


def pattern(words: tuple[str, ...]) -> str:
    """An alternation of the words, longest first, escaped."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
