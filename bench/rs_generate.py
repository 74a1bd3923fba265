"""Write RS-layout review-sheet ZIPs at real size: one folder per sheet year, one ZIP per table, seeded.

Per sheet year (defaults): 5,500 projects of 30 ministries (IDs stable across years, a few percent
starting and ending each year), ~25 rows of table 5-1 per project (block headers, payee totals, one to
three contract rows each; about 5% of projects with no payee), 2-1 summary rows for the five fiscal years
the real tables carry (sheet year-4 .. sheet year) plus account rows for 40% of them, 5-2 root links and
passed-on links, and 1-1/1-2 rows. Payees come from a pool of 60,000 organizations (70% with a valid
法人番号; the real agencies JST, JSPS, AMED, NEDO ... with their real numbers) drawn with a long tail.
Files are UTF-8 with a BOM and CRLF, and entry names are stored as CP932 bytes, as the RS system does.
Names and amounts are invented.

    python bench/rs_generate.py /tmp/rs-bench --years 2016-2025          # ten sheet years, ~40 s each
    python bench/rs_generate.py /tmp/rs-bench --years 2025 --projects 500
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import time
import zipfile
from pathlib import Path

TABLES = {
    "1-1": "基本情報_組織情報", "1-2": "基本情報_事業概要等", "2-1": "予算・執行_サマリ",
    "5-1": "支出先_支出情報", "5-2": "支出先_支出ブロックのつながり",
}
BASE = ["シート種別", "事業年度", "予算事業ID", "事業名"]
ORG = ["府省庁", "局・庁", "部", "課", "室", "班", "係"]
HEADERS = {
    "1-1": BASE + ["建制順", "所管府省庁"] + ORG + ["その他担当組織_作成責任者_no"] + [f"{c}（その他担当組織）" for c in ORG]
    + ["作成責任者"],
    "1-2": BASE + ["府省庁の建制順", "政策所管府省庁"] + ORG + [
        "事業の目的", "現状・課題", "事業の概要", "事業概要URL", "事業区分", "事業開始年度", "開始年度不明", "事業終了（予定）年度",
        "終了予定なし", "主要経費", "備考", "実施方法ー直接実施", "実施方法ー補助", "実施方法ー負担", "実施方法ー交付",
        "実施方法ー分担金・拠出金", "実施方法ーその他", "旧事業番号", "整理表表示順"],
    "2-1": BASE + ["府省庁の建制順", "政策所管府省庁"] + ORG + [
        "予算年度", "当初予算（合計）", "補正予算（合計）", "前年度からの繰越し（合計）", "予備費等（合計）", "計（歳出予算現額合計）",
        "執行額（合計）", "執行率", "翌年度への繰越し(合計）", "翌年度要求額（合計）", "主な増減理由", "その他特記事項", "会計区分", "会計",
        "勘定", "当初予算", "第1次補正予算", "第2次補正予算", "第3次補正予算", "第4次補正予算", "第5次補正予算", "前年度から繰越し",
        "予備費等1", "予備費等2", "予備費等3", "予備費等4", "歳出予算現額", "執行額", "翌年度要求額", "要望額", "備考"],
    "5-1": BASE + ["府省庁の建制順", "政策所管府省庁"] + ORG + [
        "支出先ブロック番号", "支出先ブロック名", "支出先の数", "事業を行う上での役割", "ブロックの合計支出額", "支出先名", "法人番号", "所在地",
        "法人種別", "その他支出先", "支出先の合計支出額", "契約概要", "金額", "契約方式等", "具体的な契約方式等", "入札者数", "落札率",
        "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策（支出額10億円以上）", "その他の契約"],
    "5-2": BASE + ["府省庁の建制順", "政策所管府省庁"] + ORG + [
        "支出元の支出先ブロック", "支出元の支出先ブロック名", "担当組織からの支出", "支出先の支出先ブロック", "支出先の支出先ブロック名",
        "資金の流れの補足情報", "国自らが支出する間接経費", "国自らが支出する間接経費の項目", "国自らが支出する間接経費の金額"],
}
MINISTRIES = [  # (name, weight): roughly the share of projects per ministry
    ("国土交通省", 14), ("厚生労働省", 12), ("経済産業省", 11), ("文部科学省", 10), ("農林水産省", 9), ("内閣府", 5),
    ("総務省", 5), ("環境省", 5), ("防衛省", 4), ("外務省", 3), ("法務省", 2), ("財務省", 2), ("警察庁", 1),
    ("金融庁", 1), ("消費者庁", 1), ("こども家庭庁", 2), ("デジタル庁", 1), ("復興庁", 1), ("内閣官房", 1),
    ("原子力規制委員会", 1), ("個人情報保護委員会", 1), ("公正取引委員会", 1), ("スポーツ庁", 1), ("文化庁", 1),
    ("林野庁", 1), ("水産庁", 1), ("資源エネルギー庁", 1), ("特許庁", 1), ("中小企業庁", 1), ("観光庁", 1),
]
AGENCIES = [  # real names and 法人番号 of registry agencies: the payees the queries ask about
    ("国立研究開発法人科学技術振興機構", "4030005012570"), ("独立行政法人日本学術振興会", "1010005006890"),
    ("国立研究開発法人日本医療研究開発機構", "9010005023796"), ("国立研究開発法人新エネルギー・産業技術総合開発機構", "2020005008480"),
    ("国立研究開発法人理化学研究所", "1030005007111"), ("国立研究開発法人産業技術総合研究所", "7010005005425"),
    ("国立研究開発法人宇宙航空研究開発機構", "9012405001241"), ("国立研究開発法人量子科学技術研究開発機構", "8040005001619"),
]
FORMS = ["株式会社", "一般財団法人", "公益社団法人", "国立大学法人", "学校法人", "有限会社", "合同会社", "一般社団法人"]
SYLLABLES = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"
ROLES = ["事業の実施", "調査の実施", "システムの運用", "研究開発の実施", "補助金の交付", "施設の整備", "広報の実施", "事務局業務"]


def corporate_number(base12: str) -> str:
    """A 法人番号 with a valid check digit for a made-up 12-digit base."""
    total = sum(int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(base12)))
    return str(9 - total % 9) + base12


class World:
    """The seeded, persistent part: projects, their ministries and bureaus, the payee pool."""

    def __init__(self, seed: int, projects: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.ministries = [m for m, w in MINISTRIES for _ in range(w)]
        self.payees: list[tuple[str, str]] = list(AGENCIES)
        for i in range(60_000):
            name = rng.choice(FORMS) + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 7))) + f"{i:05d}"
            number = corporate_number(f"9{i:011d}") if rng.random() < 0.7 else ""
            self.payees.append((name, number))
        self.next_id = 1
        self.active: dict[int, tuple[str, str, str, int]] = {}
        for _ in range(projects):
            self._new_project(2000 + rng.randint(0, 14))

    def _new_project(self, start: int) -> None:
        rng = self.rng
        ministry = rng.choice(self.ministries)
        bureau = f"第{rng.randint(1, 8)}局"
        name = f"試験用{''.join(rng.choice(SYLLABLES) for _ in range(rng.randint(4, 10)))}推進事業{self.next_id}"
        self.active[self.next_id] = (name, ministry, bureau, start)
        self.next_id += 1

    def advance(self, year: int, churn: float = 0.04) -> None:
        """Some projects end and as many start, so IDs stay stable and the count stays level."""
        rng = self.rng
        ending = [pid for pid in self.active if rng.random() < churn]
        for pid in ending:
            del self.active[pid]
        for _ in ending:
            self._new_project(year)

    def payee(self, ministry: str) -> tuple[str, str]:
        rng = self.rng
        if ministry in ("文部科学省", "経済産業省", "内閣府", "厚生労働省") and rng.random() < 0.08:
            return rng.choice(AGENCIES)
        # A long tail: a few payees are paid by many projects, most by one or two.
        return self.payees[min(len(self.payees) - 1, int(rng.paretovariate(0.6) * 3))] if rng.random() < 0.3 \
            else rng.choice(self.payees)


def write_year(world: World, year: int, out: Path) -> dict[str, int]:
    """Write the five ZIPs of one sheet year; returns rows per table."""
    rng = world.rng
    out.mkdir(parents=True, exist_ok=True)
    writers, handles, counts = {}, {}, dict.fromkeys(TABLES, 0)
    for table, title in TABLES.items():
        name = f"{table}_RS_{year}_{title}"
        archive = zipfile.ZipFile(out / f"{name}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        info = _Cp932Info(f"{name}.csv")
        info.compress_type = zipfile.ZIP_DEFLATED
        raw = archive.open(info, "w")
        raw.write(b"\xef\xbb\xbf")
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(HEADERS[table])
        writers[table], handles[table] = writer, (archive, raw, text)

    def row(table: str, values: dict[str, str]) -> None:
        writers[table].writerow([values.get(h, "") for h in HEADERS[table]])
        counts[table] += 1

    for pid, (name, ministry, bureau, start) in sorted(world.active.items()):
        common = {"シート種別": "レビューシート", "事業年度": str(year), "予算事業ID": str(pid), "事業名": name,
                  "府省庁": ministry, "局・庁": bureau}
        row("1-1", common)
        row("1-2", {**common, "事業区分": "前年度事業", "事業開始年度": str(start), "開始年度不明": "FALSE",
                    "終了予定なし": "TRUE", "主要経費": "科学技術振興費", "実施方法ー補助": "1"})
        scale = 10 ** rng.uniform(7, 10.5)
        for fy in range(year - 4, year + 1):
            if fy < start:
                continue
            initial = int(scale * rng.uniform(0.8, 1.2))
            supplementary = int(scale * rng.uniform(0, 0.3)) if rng.random() < 0.2 else 0
            current = initial + supplementary
            executed = int(current * rng.uniform(0.3, 1.0)) if fy < year else 0
            row("2-1", {**common, "予算年度": str(fy), "当初予算（合計）": str(initial), "補正予算（合計）": str(supplementary),
                        "前年度からの繰越し（合計）": "0", "予備費等（合計）": "0", "計（歳出予算現額合計）": str(current),
                        "執行額（合計）": str(executed), "執行率": f"{100 * executed / current:.1f}" if current else "",
                        "翌年度要求額（合計）": str(int(initial * rng.uniform(0.9, 1.2)))})
            if rng.random() < 0.4:
                row("2-1", {**common, "予算年度": str(fy), "会計区分": "一般会計", "当初予算": str(initial),
                            "歳出予算現額": str(current), "執行額": str(executed)})
        if rng.random() < 0.05:
            continue  # a project with budget and no payee
        blocks = max(1, min(8, int(rng.expovariate(1 / 2.5)) + 1))
        letters = [chr(ord("A") + i) for i in range(blocks)]
        downstream = {b: f"{b}{chr(ord('A') + i)}" for i, b in enumerate(letters) if rng.random() < 0.2}
        for block in letters + list(downstream.values()):
            parent = next((b for b, d in downstream.items() if d == block), None)
            payees = max(1, min(40, int(rng.expovariate(1 / 2.2)) + 1))
            chosen = [world.payee(ministry) for _ in range(payees)]
            amounts = [int(scale * rng.uniform(0.01, 0.4)) for _ in chosen]
            row("5-1", {**common, "支出先ブロック番号": block, "支出先ブロック名": chosen[0][0] + ("等" if payees > 1 else ""),
                        "支出先の数": str(payees), "事業を行う上での役割": rng.choice(ROLES),
                        "ブロックの合計支出額": str(sum(amounts))})
            for (payee, number), amount in zip(chosen, amounts):
                row("5-1", {**common, "支出先ブロック番号": block, "支出先名": payee, "法人番号": number,
                            "その他支出先": "FALSE", "支出先の合計支出額": str(amount)})
                parts = 1 if rng.random() < 0.69 else rng.randint(2, 3)
                cuts = sorted(rng.randint(0, amount) for _ in range(parts - 1))
                for low, high in zip([0] + cuts, cuts + [amount]):
                    row("5-1", {**common, "支出先ブロック番号": block, "支出先名": payee, "法人番号": number,
                                "その他支出先": "FALSE", "契約概要": "業務の委託", "金額": str(high - low), "その他の契約": "FALSE"})
            link = {**common, "支出先の支出先ブロック": block, "支出先の支出先ブロック名": chosen[0][0]}
            if parent:
                row("5-2", {**link, "支出元の支出先ブロック": parent, "担当組織からの支出": "FALSE"})
            else:
                row("5-2", {**link, "支出元の支出先ブロック名": ministry, "担当組織からの支出": "TRUE"})
    for archive, raw, text in handles.values():
        text.flush()
        text.detach()
        raw.close()
        archive.close()
    return counts


class _Cp932Info(zipfile.ZipInfo):
    """Entry names as CP932 bytes without the UTF-8 flag, as the RS downloads store them."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.filename.encode("cp932"), self.flag_bits & ~0x800


def parse_years(text: str) -> list[int]:
    """"2016-2025" or "2024,2025" -> years."""
    if "-" in text:
        first, last = (int(x) for x in text.split("-"))
        return list(range(first, last + 1))
    return [int(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the sheet-year folders")
    parser.add_argument("--years", default="2025", help="sheet years, e.g. 2016-2025 (default 2025)")
    parser.add_argument("--projects", type=int, default=5500)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    years = parse_years(args.years)
    world = World(args.seed, args.projects)
    for year in years:
        started = time.perf_counter()
        world.advance(year)
        counts = write_year(world, year, args.out / str(year))
        print(f"{year}: {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
