"""Names for the synthetic graph: real ministries, councils and agencies (facts, no prose), themes."""

THEMES = [
    ("ai", "AI", "Artificial intelligence"), ("quantum", "量子", "Quantum technology"),
    ("materials", "マテリアル", "Materials"), ("semiconductors", "半導体", "Semiconductors"),
    ("bio", "バイオ", "Biotechnology"), ("health", "健康・医療", "Health and medicine"),
    ("space", "宇宙", "Space"), ("ocean", "海洋", "Ocean"), ("energy", "エネルギー・GX", "Energy and GX"),
    ("disaster", "防災", "Disaster resilience"), ("food", "食料・農林水産", "Food and agriculture"),
    ("startups", "スタートアップ", "Startups"), ("talent", "人材", "Research talent"),
    ("international", "国際", "International collaboration"),
    ("research-integrity", "研究公正", "Research integrity"),
]
MINISTRIES = [
    ("cao", "内閣府", "Cabinet Office"), ("mext", "文部科学省", "MEXT"), ("meti", "経済産業省", "METI"),
    ("mic", "総務省", "MIC"), ("mhlw", "厚生労働省", "MHLW"), ("maff", "農林水産省", "MAFF"),
    ("mlit", "国土交通省", "MLIT"), ("env", "環境省", "Ministry of the Environment"), ("mofa", "外務省", "MOFA"),
    ("mod", "防衛省", "Ministry of Defense"), ("mof", "財務省", "Ministry of Finance"),
    ("digital-agency", "デジタル庁", "Digital Agency"), ("cas", "内閣官房", "Cabinet Secretariat"),
    ("reconstruction-agency", "復興庁", "Reconstruction Agency"), ("npa", "警察庁", "National Police Agency"),
    ("fsa", "金融庁", "Financial Services Agency"), ("caa", "消費者庁", "Consumer Affairs Agency"),
    ("cfa", "こども家庭庁", "Children and Families Agency"),
]
COUNCILS = [
    ("csti", "総合科学技術・イノベーション会議", "CSTI"), ("hq-health", "健康・医療戦略推進本部", "Headquarters for Healthcare Policy"),
    ("hq-space", "宇宙開発戦略本部", "Strategic Headquarters for Space Policy"),
    ("hq-ip", "知的財産戦略本部", "Intellectual Property Strategy Headquarters"),
    ("hq-ocean", "総合海洋政策本部", "Headquarters for Ocean Policy"),
]
AGENCIES = [  # id, ja, en, ministry
    ("jst", "科学技術振興機構", "JST", "mext"), ("jsps", "日本学術振興会", "JSPS", "mext"),
    ("amed", "日本医療研究開発機構", "AMED", "cao"), ("nedo", "新エネルギー・産業技術総合開発機構", "NEDO", "meti"),
    ("nict", "情報通信研究機構", "NICT", "mic"), ("riken", "理化学研究所", "RIKEN", "mext"),
    ("aist", "産業技術総合研究所", "AIST", "meti"), ("jaxa", "宇宙航空研究開発機構", "JAXA", "mext"),
    ("jamstec", "海洋研究開発機構", "JAMSTEC", "mext"), ("nims", "物質・材料研究機構", "NIMS", "mext"),
]
SCIENCE_MINISTRIES = ("mext", "meti", "mic", "mhlw", "maff", "mlit", "env", "cao", "digital-agency")
PROGRAM_WORDS = ["研究開発推進", "基盤技術開発", "社会実装加速", "国際共同研究", "人材育成", "拠点形成",
                 "創発的研究支援", "先端計測", "実証", "産学連携"]
PROGRAM_WORDS_EN = ["R&D promotion", "fundamental technology", "deployment acceleration", "international research",
                    "talent development", "centre formation", "emergent research", "advanced measurement",
                    "demonstration", "industry-academia collaboration"]
