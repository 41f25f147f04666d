"""Synthetic demo data: teams, staff and young people with realistic histories, in one transaction.

Every value comes from one random.Random seeded by the caller, so a seed and a date give the same
data on any machine. Rows go in through Core executemany in chunks (never one ORM object at a
time), so 100,000 young people load in about a minute on SQLite. No real person is described:
names are drawn from common given names and surnames, phone numbers from Ofcom's drama range,
emails use example.com and postcodes are random within real postcode areas.
"""

from __future__ import annotations

import gc
import random
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from math import ceil
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, select

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    Contact,
    PaAllocation,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.codes import Role
from careleaver_app.domain.dates import birthday
from careleaver_app.domain.errors import FieldProblem, ValidationError
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.people import search_text
from careleaver_app.services.permissions import Action, require

if TYPE_CHECKING:
    from careleaver_app.services.container import Services

CHUNK_PEOPLE = 5_000  # young people generated and inserted per round
CHUNK_ROWS = 5_000  # rows per executemany
CASELOAD_MIN, CASELOAD_MAX, CASELOAD_TARGET = 20, 25, 22.5
PAS_PER_TEAM = 8
REFERENCE_PREFIX = "CL"
_REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}(\d+)$")
_DEMO_USERNAME = re.compile(r"^demo-(pa|tm|hl)-(\d+)$")

# ---- data -------------------------------------------------------------------------------------
# Each culture: a header "== language, weight among UASC, weight among others, share with English
# as first language, native-script key or -", then given names (male, female) and surnames (for
# men, then for women when they differ). Weights follow the looked-after population in England
# and, for UASC, the main countries of origin.
_CULTURE_TABLE = """
== English 0 64 1.0 -
Oliver Jack Harry Charlie George Thomas Jacob Kyle Connor Liam Callum Jordan Reece Bradley Tyler
  Lewis Ryan Jake Kieran Declan Rhys Dylan Owen Ethan Mason Logan Alfie Riley Joshua Daniel Samuel
  Nathan Jamie Aaron Luke Scott Dean Shane Seán Ciarán Christopher Alexander
Olivia Amelia Chloe Jessica Emily Megan Holly Leah Shannon Courtney Chelsea Jade Ellie Lauren Zoë
  Chloë Niamh Siân Aoife Siobhán Ffion Caitlin Paige Kayleigh Abbie Mia Ruby Freya Lily Grace
  Bethany Rebecca Sophie Hannah Renée
Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White
  Roberts Green Hall Wood Jackson Clarke Hughes Edwards O'Connor O'Brien Lloyd Price Morgan Murphy
  Kelly Turner Hill Moore Cooper Ward Harris Lewis Baker Carter Parker Bennett Griffiths Doyle
  McCarthy Reilly Rees
== English 0 6 1.0 -
Jermaine Tyrone Marcus Kai Malachi Jaden Andre Leon Dwayne Isaiah Elijah Nathaniel Jahmal
Aaliyah Tia Shanice Keisha Nia Jada Imani Kiara Tanisha Naomi
Campbell Francis Samuels Grant Thomas Baptiste Henry Morris Gordon Reid Bailey
== Yoruba 0 5 0.85 -
Chidi Oluwaseun Kwame Kofi Emeka Tobi Chukwuemeka Femi Yaw Babajide Ikenna Obinna
Adaeze Chiamaka Abena Folake Ngozi Adwoa Temitope Funmilayo Ama Chidinma Efua
Okafor Adeyemi Mensah Boateng Okonkwo Adebayo Asante Eze Nwosu Owusu Ogunleye Appiah
== Somali 3 1.5 0.5 -
Abdirahman Mohamed Abdi Yusuf Abdullahi Mahad Hamza Ismail Liban
Hodan Amina Ayaan Fadumo Hibo Ifrah Sagal Nimco
Abdullahi Hassan Warsame Farah Jama Osman Ali Mohamud Egal Hersi
== Urdu 0 3 0.75 -
Muhammad Ayaan Zain Imran Hamza Bilal Abdul Rayyan Shahid Usman Haris
Aisha Fatima Zara Maryam Nadia Sana Noor Rukhsana Hira Iqra
Khan Hussain Ahmed Iqbal Akhtar Shah Mahmood Butt Qureshi
== Bengali 0 1.5 0.7 -
Rayhan Tanvir Sabbir Ibrahim Mahir Arif Sajid
Nusrat Tahmina Farhana Sadia Jannat Tasnim
Rahman Chowdhury Miah Islam Uddin Hossain Ali
Rahman Chowdhury Begum Islam Khatun Hossain Akter
== Punjabi 0 1.5 0.8 -
Arjun Rohan Rahul Gurpreet Harjeet Kabir Jaspreet Manveer
Priya Ananya Simran Harpreet Anjali Navdeep Kiran
Singh Gill Sandhu Patel Sharma Dhillon Sidhu
Kaur Gill Sandhu Patel Sharma Dhillon Sidhu
== Polish 0 3 0.5 -
Łukasz Jakub Kacper Mateusz Michał Paweł Wojciech Szymon Bartosz Piotr Krzysztof
Zofia Maja Zuzanna Małgorzata Agnieszka Wiktoria Natalia Julia Oliwia Aleksandra Kinga
Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Dąbrowski
  Woźniak Mazur
Nowak Kowalska Wiśniewska Wójcik Kowalczyk Kamińska Lewandowska Zielińska Szymańska Dąbrowska
  Woźniak Mazur
== Romanian 0 2 0.4 -
Andrei Ionuț Ștefan Mihai Alexandru Florin Cristian Răzvan
Ioana Elena Bianca Andreea Mădălina Alexandra Denisa Roxana
Popescu Ionescu Dumitru Stănescu Constantin Popa Stoica Rădulescu Munteanu Lungu
== Slovak 0 1.5 0.4 -
Dominik Tomáš Lukáš Jiří Marek Patrik Matej Roman
Kristýna Nikola Veronika Tereza Monika Simona Lucie
Horváth Baláž Dvořák Novák Kováč Lakatoš Oláh Gábor
Horváthová Balážová Dvořáková Nováková Kováčová Lakatošová Oláhová Gáborová
== Portuguese 0 1 0.5 -
João Tiago Gonçalo Rúben Diogo Rafael André
Inês Beatriz Mariana Leonor Conceição Carolina
Silva Gonçalves Araújo Fernandes Santos Pereira Rodrigues Lourenço
== Spanish 0 1 0.5 -
José Alejandro Iñaki Javier Sergio
María Lucía Sofía Noemí Inés
García Núñez Peña Muñoz Martínez López Sánchez Ibáñez
== Turkish 1 1.5 0.6 -
Emre Mehmet Yiğit Barış Mustafa Can Kaan Hüseyin
Ayşe Elif Gül Zeynep Büşra Derya Şeyma
Yılmaz Demir Şahin Çelik Öztürk Kaya Aydın Doğan Koç Güneş
== Ukrainian 1 1 0.2 uk
Oleksandr Dmytro Andrii Maksym Bohdan Artem Yurii
Olena Mariia Anastasiia Sofiia Daryna Kateryna Iryna
Shevchenko Kovalenko Bondarenko Melnyk Tkachenko Kravchenko Boiko Lysenko
== Cantonese 0 1 0.7 -
Wei Jun Hao Yi Chen Jian Ming
Mei Xin Yan Jing Li Hui
Chen Wang Li Zhang Liu Huang Zhao Wu
== Vietnamese 8 0.5 0.3 -
Minh Đức Huy Tuấn Quang Thắng Long Hoàng Khánh
Linh Thảo Ngọc Hương Trang Hạnh Phương Mai
Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Huỳnh
== Pashto 25 0.5 0.2 fa
Ahmad Mohammad Farid Hamid Jawad Mustafa Najib Sohail Zabihullah Naveed Rahmatullah Idris
Mariam Zahra Fereshta Shabnam Parisa Nargis
Ahmadzai Karimi Hashimi Noori Rahimi Sultani Stanikzai Popal Safi Amiri Wardak
== Tigrinya 15 0.5 0.2 ti
Yonas Daniel Samuel Robel Tesfay Filmon Merhawi Kibrom Habtom Amanuel Tesfalem
Selam Helen Rahel Lidya Senait Saba Feven Winta
Tesfamariam Gebremedhin Haile Berhe Kidane Tekle Ghebreyesus Habte Mehari Woldu
== Amharic 3 0.3 0.3 -
Abel Dawit Yohannes Biniam Tewodros
Meron Hanna Tsion Bethlehem
Tadesse Bekele Alemu Girma Desta Mekonnen
== Arabic 15 1 0.3 ar
Mohammed Ahmed Omar Osman Abdelrahman Musa Adam Ibrahim Yousef Khalid Hassan Ali
Fatima Aya Rania Salma Amna Hiba Nour Maryam Layla
Adam Ibrahim Osman Abdalla Mahmoud Musa Ishag Elnour Hassan Al-Khatib Haddad Saleh
== Kurdish 12 0.5 0.3 fa
Reza Amir Ali Mohammad Rebwar Karzan Hiwa Aram Sina
Zahra Sara Dilan Shilan Roya
Ahmadi Hosseini Mohammadi Rezaei Karimi Rahimi Azizi Qadir
== Albanian 8 1 0.4 -
Ergys Arlind Besnik Klevis Erion Dritan Endrit Ardit Enea
Ermira Arta Elira Anisa Klea Dorina
Hoxha Shehu Krasniqi Gashi Berisha Dervishi Çela Lleshi Prifti Muça
"""

# Names in their own script (male, female, surnames), each with the Latin spelling that is kept as
# the preferred name, so colleagues who cannot read the script can still find the record.
_NATIVE_TABLE = """
== ar
محمد=Mohammed أحمد=Ahmed عمر=Omar علي=Ali يوسف=Yousef خالد=Khalid حسن=Hassan إبراهيم=Ibrahim
  عثمان=Osman موسى=Musa آدم=Adam
فاطمة=Fatima مريم=Maryam نور=Nour آية=Aya سلمى=Salma ليلى=Layla
إبراهيم=Ibrahim عثمان=Osman حسن=Hassan محمود=Mahmoud عبدالله=Abdalla موسى=Musa آدم=Adam
  الخطيب=Al-Khatib حداد=Haddad
== fa
احمد=Ahmad محمد=Mohammad فرید=Farid حمید=Hamid جواد=Jawad نجیب=Najib سهیل=Sohail رضا=Reza
  امیر=Amir
مریم=Mariam زهرا=Zahra فرشته=Fereshta سارا=Sara
کریمی=Karimi هاشمی=Hashimi نوری=Noori رحیمی=Rahimi سلطانی=Sultani احمدی=Ahmadi حسینی=Hosseini
  محمدی=Mohammadi امیری=Amiri
== ti
ዮናስ=Yonas ዳኒኤል=Daniel ሳሙኤል=Samuel ሮቤል=Robel ተስፋይ=Tesfay ፊልሞን=Filmon
ሰላም=Selam ሄለን=Helen ራሄል=Rahel ሳባ=Saba
ሃይለ=Haile በርሀ=Berhe ኪዳነ=Kidane ተኽለ=Tekle ሃብተ=Habte
== uk
Олександр=Oleksandr Дмитро=Dmytro Андрій=Andrii Максим=Maksym Богдан=Bohdan Артем=Artem
Олена=Olena Марія=Mariia Анастасія=Anastasiia Софія=Sofiia Дарина=Daryna
Шевченко=Shevchenko Коваленко=Kovalenko Бондаренко=Bondarenko Мельник=Melnyk Ткаченко=Tkachenko
  Кравченко=Kravchenko Бойко=Boiko
"""
_NATIVE_SHARE = 0.25  # of people from a culture with a native-script list

_SHORT_NAMES = """
Oliver=Olly Thomas=Tom Jessica=Jess Alexander=Alex Christopher=Chris Daniel=Dan Samuel=Sam
Rebecca=Becky Joshua=Josh Bethany=Beth Mohammed=Mo Muhammad=Mo Łukasz=Luke Jakub=Kuba
Oluwaseun=Seun Chukwuemeka=Emeka Abdirahman=Abdi Zabihullah=Zabi Rahmatullah=Rahmat
Anastasiia=Nastia Małgorzata=Gosia Aleksandra=Ola Temitope=Tope Funmilayo=Funmi Nathaniel=Nate
"""

# Towns (hyphens stand for spaces) and their postcode areas; postcodes are made up within them.
_TOWN_TABLE = """
Stafford=ST Stoke-on-Trent=ST Tamworth=B Burton-upon-Trent=DE Cannock=WS Lichfield=WS
Wolverhampton=WV Walsall=WS Derby=DE Nottingham=NG Leicester=LE Coventry=CV Birmingham=B
Manchester=M Leeds=LS Sheffield=S Bristol=BS Plymouth=PL Newcastle=NE Sunderland=SR Liverpool=L
Bradford=BD Hull=HU York=YO Middlesbrough=TS Oxford=OX Reading=RG Southampton=SO Portsmouth=PO
Brighton=BN Norwich=NR Ipswich=IP Cambridge=CB Peterborough=PE Lincoln=LN Exeter=EX
Gloucester=GL Preston=PR Blackburn=BB Carlisle=CA Croydon=CR Romford=RM Luton=LU Northampton=NN
Milton-Keynes=MK Swindon=SN Bath=BA Canterbury=CT Chelmsford=CM Colchester=CO
"""
_STREET_TABLE = """
Acacia-Avenue Mill-Lane Station-Road Church-Street Victoria-Road Park-Road Queen-Street
Albert-Terrace Meadow-Close Orchard-Way Elm-Grove Willow-Court Hawthorn-Drive Brook-Street
Kingsway Chapel-Lane Springfield-Road Highfield-Road Oak-Crescent Beech-Walk Cedar-Rise
Foxglove-Way Larch-Close Heather-Bank Rowan-Drive Sycamore-Road Poplar-Grove Linden-Way
"""
_PLACE_TABLE = "Fernlea Holmwood Brackenridge Ashdene Birchfield Oakleigh Thornbury Elmhurst"
_QUARTERS = ("North", "South", "East", "West", "Central")
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use

# Next episode type by age group (weights), and the shortest and longest stay in days.
_UNDER_18_TABLE = "Y:30 D:25 C:15 E:10 B:8 T:3 K:2 V:2 X:1.5 R:1 S:0.5"
_ADULT_TABLE = "U:30 D:15 B:10 E:8 K:7 T:6 Y:2 V:4 W:2 X:2.5 S:2 R:2 G:0.3"
_STAY_TABLE = (
    "B:50-560 C:100-560 D:70-440 E:100-520 G:60-400 K:50-320 R:14-180 S:7-90 T:100-440 "
    "U:160-1100 V:3-60 W:1-21 X:30-365 Y:150-800 Z:150-900"
)
_ALWAYS_UNSUITABLE = frozenset("SXWVR")
# The current episode of the 15% not suitably housed now; "-" keeps the type, judged unsuitable.
_UNSUITABLE_NOW_TABLE = "W:0.6 V:1.0 S:0.5 X:1.5 R:1.0 -:10.4"
_PROVIDER_TABLE = """
B|Family home|Grandparents|Aunt and uncle|Older sibling
C|{} House children's home
D|{} Supported Living
E|{} Supported Lodgings scheme
K|Private lodgings
T|{} Foyer
U|Council tenancy|Private rented flat|University halls|{} Housing Association
V|Night shelter|Direct access hostel
W|{} Guest House
X|HMYOI {}
Y|Foster carers|Independent fostering agency carers
Z|Former foster carers (staying put)
"""
_PLACED_BY = {"W": "Housing options", "V": "Housing options", "X": "Courts", "S": "", "R": ""}
_CONCERNS = (
    *("facilities", "repair", "safety", "location", "support", "tenancy"),
    *("affordability", "views"),
)
_UNSUITABLE_NOTES = (
    "Shared facilities with adults not known to the service",
    "Disrepair reported to the landlord; damp in the bedroom",
    "Too far from college and support network",
    "Rent arrears building; tenancy at risk",
    "Young person says they do not feel safe here",
    "No support on site out of hours",
)

# Current activity when not NEET, by age group (16-17, 18-21, 22-24).
_EET_TABLES = {
    "child": "F2:60 P2:5 F4:10 P4:3 0:2",
    "adult": "F1:10 P1:1 F2:20 P2:4 F4:35 P4:18 0:2",
    "older": "F1:8 P1:2 F2:5 F4:55 P4:25",
}
_CONTACT_KIND_TABLE = "visit:45 phone:30 message:20 other:5"
_NOT_IN_TOUCH_TABLE = "NO:7 REFU:2 NREQ:1"
_CONTACT_NOTES = (
    "",
    "",
    "Pathway plan discussed",
    "Talked about college and money",
    "Checked on the new flat",
    "Helped with a benefits claim",
    "Reminded about the dentist appointment",
    "Discussed the setting-up-home allowance",
)
# Ages 16-24 today, weighted like a leaving-care caseload (fewer over 21).
_AGE_TABLE = "16:9 17:12 18:14 19:14 20:13 21:12 22:10 23:8 24:8"


def _weights(table: str) -> list[tuple[str, float]]:
    return [(k, float(w)) for k, w in (item.split(":") for item in table.split())]


def _blocks(table: str) -> list[tuple[str, list[list[str]]]]:
    """'== header' blocks, each with its lines (an indented line continues the one before)."""
    blocks: list[tuple[str, list[list[str]]]] = []
    for line in table.strip().splitlines():
        if line.startswith("== "):
            blocks.append((line[3:], []))
        elif line.startswith("  "):
            blocks[-1][1][-1].extend(line.split())
        else:
            blocks[-1][1].append(line.split())
    return blocks


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in (w.split("=") for w in words)]


_NATIVE = {key: [_pairs(line) for line in lines] for key, lines in _blocks(_NATIVE_TABLE)}


def _cultures() -> list[dict[str, Any]]:
    out = []
    for header, lines in _blocks(_CULTURE_TABLE):
        language, uasc_w, other_w, english, script = header.split()
        out.append(
            {
                "uasc_w": float(uasc_w),
                "other_w": float(other_w),
                "language": language,
                "english": float(english),
                "male": lines[0],
                "female": lines[1],
                "last_m": lines[2],
                "last_f": lines[3] if len(lines) > 3 else lines[2],
                "native": _NATIVE[script] if script != "-" else None,
            }
        )
    return out


_CULTURES = _cultures()
_SHORT = dict(_pairs(_SHORT_NAMES.split()))
_TOWNS = [(town.replace("-", " "), area) for town, area in _pairs(_TOWN_TABLE.split())]
_STREETS = [s.replace("-", " ") for s in _STREET_TABLE.split()]
_PLACES = _PLACE_TABLE.split()
_STAY = {
    k: (int(v[0]), int(v[1]))
    for k, *v in (i.replace("-", ":").split(":") for i in _STAY_TABLE.split())
}


def _providers() -> dict[str, list[str]]:
    """Provider names by type; '{}' stands for each made-up place name in turn."""
    out = {}
    for line in _PROVIDER_TABLE.strip().splitlines():
        kind, *names = line.split("|")
        out[kind] = [n.format(p) for n in names for p in (_PLACES if "{}" in n else [""])]
    return out


_PROVIDERS = _providers()


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many rows of each kind one demo run added."""

    teams: int
    staff: int
    people: int
    episodes: int
    contacts: int
    activities: int
    care_periods: int
    allocations: int = 0

    def describe(self) -> str:
        return (
            f"Added demo data: {_n(self.people, 'young person', 'young people')} with "
            f"{_n(self.episodes, 'accommodation episode')}, {_n(self.contacts, 'contact')}, "
            f"{_n(self.activities, 'activity record')} and {_n(self.care_periods, 'care period')}"
            f", in {_n(self.teams, 'team')} with {self.staff:,} new staff."
        )


def _n(count: int, singular: str, plural: str = "") -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


class _Rand:
    """randint and choice from one random.Random without their argument checks, which cost more
    than the draw itself when 100,000 people need a few million of them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random = rng.random

    def int(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]


class _Pick:
    """A weighted choice drawn with one random number."""

    def __init__(self, weights: Sequence[tuple[Any, float]]) -> None:
        self.keys = [k for k, _ in weights]
        self.cum = list(accumulate(w for _, w in weights))
        self.total = self.cum[-1]

    def __call__(self, r: _Rand) -> Any:
        return self.keys[bisect_right(self.cum, r.random() * self.total)]


class _Deck:
    """Cards drawn without replacement and reshuffled when used up, so a share such as 'one in
    ten is UASC' holds exactly over every `size` people rather than only on average."""

    def __init__(self, r: _Rand, yes: int, size: int) -> None:
        self._rng = r.rng
        self._cards = [True] * yes + [False] * (size - yes)
        self._hand: list[bool] = []

    def draw(self) -> bool:
        if not self._hand:
            self._hand = self._cards[:]
            self._rng.shuffle(self._hand)
        return self._hand.pop()


@dataclass(frozen=True)
class _Pa:
    id: int
    team_id: int
    manager_id: int
    teammates: tuple[int, ...]
    area: str
    town: str


@dataclass
class _Generated:
    person: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]  # table name -> rows still without person_id


_UNDER_18_PICK = _Pick(_weights(_UNDER_18_TABLE))
_ADULT_PICK = _Pick(_weights(_ADULT_TABLE))
_UNSUITABLE_PICK = _Pick([(k.strip("-"), w) for k, w in _weights(_UNSUITABLE_NOW_TABLE)])
_AGE_PICK = _Pick([(int(a), w) for a, w in _weights(_AGE_TABLE)])
_UASC_CULTURE = _Pick([(c, c["uasc_w"]) for c in _CULTURES])
_OTHER_CULTURE = _Pick([(c, c["other_w"]) for c in _CULTURES])
_EET_PICK = {group: _Pick(_weights(table)) for group, table in _EET_TABLES.items()}
_KIND_PICK = _Pick(_weights(_CONTACT_KIND_TABLE))
_NOT_IN_TOUCH_PICK = _Pick(_weights(_NOT_IN_TOUCH_TABLE))
_EDUCATION_OR_TRAINING = frozenset({"F1", "P1", "F2", "P2", "F4", "P4"})
_NOT_ASCII = re.compile(r"[^a-z]")
_fromordinal = date.fromordinal


class _Maker:
    """Makes one young person at a time; every draw comes from one generator, in a fixed order."""

    def __init__(self, rng: random.Random, today: date, now: datetime) -> None:
        self.r = _Rand(rng)
        self.today = today
        self.today_o = today.toordinal()
        self.now = now
        self.uasc = _Deck(self.r, 1, 10)
        self.suitable_now = _Deck(self.r, 17, 20)
        self.neet = _Deck(self.r, 15, 40)
        self.in_touch = _Deck(self.r, 9, 10)
        self._ascii: dict[str, str] = {}

    def name(self, culture: dict[str, Any], male: bool) -> tuple[str, str, str, str]:
        """(first, last, Latin first, Latin last): the first two may be in another script."""
        r = self.r
        native = culture["native"]
        if native is not None and r.random() < _NATIVE_SHARE:
            first, latin_first = r.choice(native[0] if male else native[1])
            last, latin_last = r.choice(native[2])
            return first, last, latin_first, latin_last
        first = r.choice(culture["male"] if male else culture["female"])
        last = r.choice(culture["last_m"] if male else culture["last_f"])
        return first, last, first, last

    def address(self, kind: str, pa: _Pa) -> tuple[str, str]:
        """A made-up street address and a postcode of the UK format in a real postcode area."""
        r = self.r
        if kind in "SRGX":
            return "", ""
        town, area = (pa.town, pa.area) if r.random() < 0.85 else r.choice(_TOWNS)
        street = f"{r.int(1, 180)} {r.choice(_STREETS)}, {town}"
        if kind in "DUT" and r.random() < 0.5:
            street = f"Flat {r.int(1, 24)}, {street}"
        code = r.int(0, 29 * 10 * 400 - 1)
        district, code = divmod(code, 4000)
        sector, code = divmod(code, 400)
        unit = _INWARD_LETTERS[code // 20] + _INWARD_LETTERS[code % 20]
        return street, f"{area}{district + 1} {sector}{unit}"

    def ascii_name(self, text: str) -> str:
        if text not in self._ascii:
            self._ascii[text] = _NOT_ASCII.sub("", search_text(text, "", "", ""))
        return self._ascii[text]

    def person(self, reference: str, pa: _Pa) -> _Generated:
        r = self.r
        random = r.random
        uasc = self.uasc.draw()
        age = _AGE_PICK(r)
        dob = _fromordinal(_years_before(self.today, age).toordinal() - r.int(0, 364))
        at14, at16, at18, at21 = (birthday(dob, n).toordinal() for n in (14, 16, 18, 21))
        sgo = not uasc and age <= 20 and random() < 0.04
        culture = (_UASC_CULTURE if uasc else _OTHER_CULTURE)(r)
        g = random()
        if uasc:
            gender = "Male" if g < 0.92 else "Female"
        else:
            gender = "Male" if g < 0.55 else "Female" if g < 0.995 else "Non-binary"
        male = gender == "Male" or (gender == "Non-binary" and random() < 0.5)
        first, last, latin_first, latin_last = self.name(culture, male)
        preferred = ""
        if first != latin_first:
            preferred = latin_first
        elif first in _SHORT and random() < 0.3:
            preferred = _SHORT[first]
        english = not uasc and random() < culture["english"]
        interpreter = not english and random() < (0.65 if uasc else 0.1)
        if gender == "Female":
            parenting = random() < (0.12 if age >= 18 else 0.04)
        else:
            parenting = age >= 18 and random() < 0.03

        periods, care_start = self.care(dob.toordinal(), at14, at16, at18, uasc, sgo)
        if uasc:
            history_start = care_start
        elif sgo:
            history_start = min(at16 - r.int(0, 365), self.today_o)
        else:
            history_start = max(care_start, at16 - r.int(0, 540))
        episodes = self.episodes(history_start, at18, at21, sgo, pa)
        since = max(at16, care_start) if uasc else at16
        activities = self.activities(since, age, parenting, pa)
        allocations = self.allocations(since, pa)
        contacts = self.contacts(allocations)

        current = activities[-1]["activity"]
        requested = age >= 22 and (current not in _EDUCATION_OR_TRAINING or random() < 0.5)
        home = episodes[-1]
        email = ""
        if random() < 0.6:
            email = (
                f"{self.ascii_name(latin_first)}.{self.ascii_name(latin_last)}"
                f"{r.int(1, 99)}@example.com"
            )
        person = {
            "reference": reference,
            "first_name": first,
            "last_name": last,
            "preferred_name": preferred,
            "search_text": search_text(first, last, preferred, reference),
            "date_of_birth": dob,
            "gender": gender,
            "first_language": "English" if english else culture["language"],
            "interpreter_needed": interpreter,
            "uasc": uasc,
            "pregnant_or_parenting": parenting,
            "phone": f"07700 900{r.int(0, 999):03d}" if random() < 0.85 else "",
            "email": email,
            "contact_address": f"{home['address']}, {home['postcode']}" if home["address"] else "",
            "housing_consent": random() < 0.75,
            "requested_pa_support": requested,
            "detained_or_in_hospital_on_16th_birthday": False,
            "team_id": pa.team_id,
            "pa_id": pa.id,
            "category_override": None,
            "category_override_reason": "",
            "closed_on": None,
            "closed_reason": "",
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
        }
        return _Generated(
            person,
            {
                "care_periods": periods,
                "pa_allocations": _allocation_rows(allocations, pa),
                "accommodation_episodes": episodes,
                "activities": activities,
                "contacts": contacts,
            },
        )

    def care(
        self, dob: int, at14: int, at16: int, at18: int, uasc: bool, sgo: bool
    ) -> tuple[list[dict[str, Any]], int]:
        """Care periods that make the young person a care leaver today; and when care began."""
        r = self.r
        today_o = self.today_o
        if sgo:
            # Looked after as a younger child, then a special guardianship order to 18:
            # qualifying, not eligible (no time looked after since 14).
            la_start = dob + r.int(6 * 365, 10 * 365)
            la_end = la_start + r.int(200, 900)
            sgo_end = at18 if at18 <= today_o else None
            return [
                _period("looked_after", la_start, la_end),
                _period("special_guardianship", la_end, sgo_end),
            ], la_end
        if uasc:
            # Arrived aged 14.5 to 17.6 and looked after from then, for at least 20 weeks.
            start = min(dob + r.int(5_300, 6_430), at18 - 140, today_o - 100)
        else:
            start = min(dob + r.int(13 * 365, 16 * 365 + 180), today_o - 120)
        # 'Well over' 13 weeks since 14, some of it after 16: eligible, then relevant/former.
        earliest_end = max(max(start, at14) + 182, at16 + 30)
        end = at18
        if earliest_end < at18 and r.random() < (0.1 if uasc else 0.22):
            end = r.int(earliest_end, at18 - 1)
        periods = []
        if not uasc and r.random() < 0.08:
            early = dob + r.int(5 * 365, 10 * 365)
            early_end = min(early + r.int(60, 700), start - 30)
            if early_end > early:
                periods.append(_period("looked_after", early, early_end))
        periods.append(_period("looked_after", start, end if end <= today_o else None))
        return periods, start

    def episodes(
        self, start: int, at18: int, at21: int, sgo: bool, pa: _Pa
    ) -> list[dict[str, Any]]:
        """Consecutive stays from `start` to today: each move ends one and starts the next."""
        r = self.r
        today_o = self.today_o
        spans: list[list[Any]] = []  # [type, start, end or None]
        day, previous = start, ""
        while True:
            adult = day >= at18
            if sgo and not spans:
                kind = "B"  # with the special guardian, a relative
            elif previous == "Y" and day == at18 and r.random() < 0.45:
                kind = "Z"  # staying put with the foster carers from the 18th birthday
            else:
                kind = (_ADULT_PICK if adult else _UNDER_18_PICK)(r)
            low, high = _STAY[kind]
            end = day + r.int(low, high)
            if kind == "Z":
                end = min(end, at21)
            elif not adult and kind in "CY" and end > at18:
                end = at18  # a care placement ends on the 18th birthday
            if end >= today_o:
                spans.append([kind, day, None])
                break
            spans.append([kind, day, end])
            day, previous = end, kind
        suitable_now = self._set_present(spans, at18)
        now = self.now
        rows = []
        last = len(spans) - 1
        for i, (kind, begin, end) in enumerate(spans):
            if i == last:
                suitable = suitable_now
            else:
                suitable = kind == "G" or (kind not in _ALWAYS_UNSUITABLE and r.random() > 0.07)
            concerns: list[str] = []
            notes = ""
            if not suitable and kind not in "XSR":
                concerns = sorted({r.choice(_CONCERNS), r.choice(_CONCERNS)})
                notes = r.choice(_UNSUITABLE_NOTES)
            address, postcode = self.address(kind, pa)
            providers = _PROVIDERS.get(kind)
            placed_by = _PLACED_BY.get(kind)
            if placed_by is None:
                placed_by = "Leaving care team" if begin >= at18 else "Children's social care"
            rows.append(
                {
                    "person_id": None,
                    "type_code": kind,
                    "suitability": "1" if suitable else "2",
                    "start_date": _fromordinal(begin),
                    "end_date": None if end is None else _fromordinal(end),
                    "address": address,
                    "postcode": postcode,
                    "provider": r.choice(providers) if providers else "",
                    "placed_by": placed_by,
                    "concerns": concerns,
                    "suitability_notes": notes,
                    "voided_reason": None,
                    "created_by_id": pa.id,
                    "created_at": now,
                    "version": 1,
                }
            )
        return rows

    def _set_present(self, spans: list[list[Any]], at18: int) -> bool:
        """Make the open episode match the shares asked for (85% suitable now, a few in B&B or
        emergency accommodation); return whether it is suitable."""
        r = self.r
        today_o = self.today_o
        last = spans[-1]
        adult_now = today_o >= at18
        stable = "U" if adult_now else "D"
        if self.suitable_now.draw():
            if last[0] in _ALWAYS_UNSUITABLE:
                last[0] = stable
            return True
        kind = _UNSUITABLE_PICK(r)
        if kind == "W" and not adult_now:
            kind = "V"  # 16-17 year olds are never placed in B&B
        if not kind:
            if last[0] in _ALWAYS_UNSUITABLE or last[0] == "G":
                last[0] = stable  # an ordinary placement, judged unsuitable
            return False
        moved = today_o - r.int(1, _STAY[kind][1])
        if kind == "W":
            moved = max(moved, at18)
        if moved > last[1]:
            last[2] = moved
            spans.append([kind, moved, None])
        else:
            last[0] = kind
        return False

    def activities(self, since: int, age: int, parenting: bool, pa: _Pa) -> list[dict[str, Any]]:
        """Education, employment or training from 16 (or arrival); the last one is current."""
        r = self.r
        today_o = self.today_o
        starts = [since]
        if today_o - since > 60:
            wanted = min(3, (age - 16 + r.int(0, 2)) // 2)
            starts += sorted({r.int(since + 30, today_o) for _ in range(wanted)})
        codes = [
            "G5" if r.random() < 0.3 else _EET_PICK["adult" if i else "child"](r)
            for i in range(len(starts) - 1)
        ]
        if self.neet.draw():
            g = r.random()
            codes.append("G6" if parenting and g < 0.7 else "G4" if g < 0.15 else "G5")
        else:
            codes.append(_EET_PICK["child" if age < 18 else "adult" if age < 22 else "older"](r))
        now = self.now
        return [
            {
                "person_id": None,
                "activity": code,
                "start_date": _fromordinal(start),
                "note": "",
                "recorded_by_id": pa.id,
                "created_at": now,
                "version": 1,
            }
            for code, start in zip(codes, starts, strict=True)
        ]

    def allocations(self, since: int, pa: _Pa) -> list[tuple[int, int, int | None]]:
        """(staff id, start, end): the current PA from some time after 16 (or arrival), and
        sometimes another PA in the team before them."""
        r = self.r
        today_o = self.today_o
        start = min(since + r.int(0, 90), today_o)
        spans: list[tuple[int, int, int | None]] = []
        if len(pa.teammates) > 1 and today_o - start > 60 and r.random() < 0.3:
            change = r.int(start + 30, today_o - 1)
            spans.append((r.choice([s for s in pa.teammates if s != pa.id]), start, change))
            start = change
        spans.append((pa.id, start, None))
        return spans

    def contacts(self, spans: list[tuple[int, int, int | None]]) -> list[dict[str, Any]]:
        """A few contacts by the allocated PA in the last months; the latest one says whether
        the young person is in touch."""
        r = self.r
        if self.in_touch.draw():
            in_touch = True
            gap = r.int(0, 50) if r.random() < 0.9 else r.int(50, 120)
            statuses = ["YES"]
        else:
            in_touch = False
            gap = r.int(0, 120)
            statuses = [_NOT_IN_TOUCH_PICK(r)]
        allocated = spans[0][1]
        day = max(self.today_o - gap, allocated)
        days = [day]
        for _ in range(r.int(1, 4)):
            day -= r.int(14, 70)
            if day < allocated:
                break
            days.append(day)
            statuses.append("YES" if in_touch or r.random() < 0.5 else "NO")
        changed = spans[-1][1]
        now = self.now
        rows = []
        for day, status in zip(reversed(days), reversed(statuses), strict=True):
            kind = _KIND_PICK(r)
            rows.append(
                {
                    "person_id": None,
                    "contact_date": _fromordinal(day),
                    "kind": kind,
                    "in_touch": status,
                    "seen_at_home": kind == "visit" and r.random() < 0.6,
                    "note": r.choice(_CONTACT_NOTES) if status == "YES" else "",
                    "recorded_by_id": spans[0 if day < changed else -1][0],
                    "created_at": now,
                    "version": 1,
                }
            )
        return rows


def _allocation_rows(spans: list[tuple[int, int, int | None]], pa: _Pa) -> list[dict[str, Any]]:
    return [
        {
            "person_id": None,
            "staff_id": staff_id,
            "start_date": _fromordinal(begin),
            "end_date": None if end is None else _fromordinal(end),
            "allocated_by_id": pa.manager_id,
        }
        for staff_id, begin, end in spans
    ]


def _period(kind: str, start: int, end: int | None) -> dict[str, Any]:
    return {
        "person_id": None,
        "kind": kind,
        "start_date": _fromordinal(start),
        "end_date": None if end is None else _fromordinal(end),
        "version": 1,
    }


def _years_before(day: date, years: int) -> date:
    """The latest date of birth of someone aged `years` on `day` (29 February -> 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# ---- writing -----------------------------------------------------------------------------------

_TABLES = {
    "care_periods": CarePeriodRow,
    "pa_allocations": PaAllocation,
    "accommodation_episodes": AccommodationEpisode,
    "activities": ActivityRow,
    "contacts": Contact,
}


def generate_demo(
    services: Services, actor: Actor, *, people: int, seed: int, today: date
) -> DemoSummary:
    """Add `people` synthetic young people, with the teams and staff to hold their caseloads.

    A database that already has people gets more: references continue after the highest 'CL'
    number and staff usernames after the highest 'demo-' number, and the random sequence is
    keyed on where numbering starts so that the new people are not copies of the first ones.
    """
    require(actor, Action.IMPORT_DATA)
    if people < 1:
        raise ValidationError(FieldProblem("people", "must be at least 1"))
    now = audit.now()
    with _gc_paused(), services.db.transaction() as session:
        conn = session.connection()
        first = _next_reference_number(conn)
        rng = random.Random(seed if first == 1 else f"{seed}:{first}")
        maker = _Maker(rng, today, now)
        teams, staff, caseloads = _create_staff(conn, rng, now, people)
        slots = [pa for pa, load in caseloads for _ in range(load)]
        rng.shuffle(slots)
        totals = dict.fromkeys(_TABLES, 0)
        for begin in range(0, people, CHUNK_PEOPLE):
            made = [
                maker.person(f"{REFERENCE_PREFIX}{first + i:07d}", slots[i])
                for i in range(begin, min(begin + CHUNK_PEOPLE, people))
            ]
            ids = _insert_with_ids(conn, YoungPerson, [m.person for m in made])
            for table, model in _TABLES.items():
                rows = []
                for person_id, m in zip(ids, made, strict=True):
                    for row in m.children[table]:
                        row["person_id"] = person_id
                        rows.append(row)
                _insert(conn, model, rows)
                totals[table] += len(rows)
        summary = DemoSummary(
            teams=teams,
            staff=staff,
            people=people,
            episodes=totals["accommodation_episodes"],
            contacts=totals["contacts"],
            activities=totals["activities"],
            care_periods=totals["care_periods"],
            allocations=totals["pa_allocations"],
        )
        last = first + people - 1
        audit.record(
            session,
            actor,
            "import",
            "demo",
            None,
            detail=(
                f"synthetic demo data (seed {seed}, references {REFERENCE_PREFIX}{first:07d} to "
                f"{REFERENCE_PREFIX}{last:07d}): {summary.describe()}"
            ),
        )
    return summary


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, which would otherwise re-scan the millions of new,
    acyclic row dicts again and again (a fifth of the run); reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _insert(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK_ROWS):
        conn.execute(insert(model), rows[i : i + CHUNK_ROWS])


def _insert_with_ids(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows`; return their new ids in order."""
    if conn.dialect.name == "sqlite":
        # The write transaction began IMMEDIATE, so nobody else can insert before it commits:
        # the ids after the highest are the ones SQLite would give, without a RETURNING
        # round trip per row (SQLite cannot match RETURNING rows to a batch's parameters).
        start = (conn.scalar(select(func.max(model.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
        for new_id, row in zip(ids, rows, strict=True):
            row["id"] = new_id
        _insert(conn, model, rows)
        return ids
    out: list[int] = []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    for i in range(0, len(rows), CHUNK_ROWS):
        out.extend(conn.execute(stmt, rows[i : i + CHUNK_ROWS]).scalars())
    return out


def _next_reference_number(conn: Connection) -> int:
    highest = 0
    for reference in conn.scalars(
        select(YoungPerson.reference).where(YoungPerson.reference.like(f"{REFERENCE_PREFIX}%"))
    ):
        match = _REFERENCE.match(reference)
        if match:
            highest = max(highest, int(match.group(1)))
    return highest + 1


def _plan_caseloads(rng: random.Random, people: int) -> list[int]:
    """Caseload sizes between 20 and 25 adding up to `people` (fewer people: one small one)."""
    if people < CASELOAD_MIN:
        return [people]
    pas = max(
        ceil(people / CASELOAD_MAX),
        min(people // CASELOAD_MIN, round(people / CASELOAD_TARGET)),
    )
    if not pas * CASELOAD_MIN <= people <= pas * CASELOAD_MAX:
        return [people // pas + (1 if i < people % pas else 0) for i in range(pas)]
    loads = [CASELOAD_MIN] * pas
    room = list(range(pas))
    for _ in range(people - CASELOAD_MIN * pas):
        j = rng.randrange(len(room))
        loads[room[j]] += 1
        if loads[room[j]] == CASELOAD_MAX:
            room[j] = room[-1]
            room.pop()
    return loads


def _team_names(conn: Connection, count: int) -> list[tuple[str, str, str]]:
    """(name, town, postcode area) for `count` new teams, skipping names already in use."""
    taken = set(conn.scalars(select(Team.name)))
    names: list[tuple[str, str, str]] = []
    i = 0
    while len(names) < count:
        town, area = _TOWNS[i % len(_TOWNS)]
        lap = i // len(_TOWNS)
        name = f"{town} {_QUARTERS[lap % len(_QUARTERS)]}"
        if lap >= len(_QUARTERS):
            name += f" {lap // len(_QUARTERS) + 1}"
        if name not in taken:
            names.append((name, town, area))
        i += 1
    return names


def _create_staff(
    conn: Connection, rng: random.Random, now: datetime, people: int
) -> tuple[int, int, list[tuple[_Pa, int]]]:
    """New teams of PAs, each with a team manager, and one housing liaison officer. Returns
    the numbers of teams and staff made, and each new PA with the caseload they will hold."""
    loads = _plan_caseloads(rng, people)
    names = _team_names(conn, max(1, round(len(loads) / PAS_PER_TEAM)))
    team_ids = _insert_with_ids(
        conn, Team, [{"name": n, "active": True, "version": 1} for n, _, _ in names]
    )
    numbers = {"pa": 0, "tm": 0, "hl": 0}
    for username in conn.scalars(
        select(StaffMember.username).where(StaffMember.username.like("demo-%"))
    ):
        match = _DEMO_USERNAME.match(username)
        if match:
            numbers[match.group(1)] = max(numbers[match.group(1)], int(match.group(2)))
    r = _Rand(rng)

    def member(key: str, role: Role, team_id: int) -> dict[str, Any]:
        numbers[key] += 1
        username = f"demo-{key}-{numbers[key]:05d}"
        culture = _OTHER_CULTURE(r)
        male = r.random() < 0.3  # most leaving-care staff are women
        first = r.choice(culture["male"] if male else culture["female"])
        last = r.choice(culture["last_m"] if male else culture["last_f"])
        return {
            "username": username,
            "display_name": f"{first} {last}",
            "role": role.value,
            "team_id": team_id,
            "email": f"{username}@example.org",
            "active": True,
            "created_at": now,
            "version": 1,
        }

    managers = [member("tm", Role.TEAM_MANAGER, t) for t in team_ids]
    liaison = member("hl", Role.HOUSING_LIAISON, team_ids[0])
    pas = [member("pa", Role.PERSONAL_ADVISER, team_ids[k % len(names)]) for k in range(len(loads))]
    manager_ids = _insert_with_ids(conn, StaffMember, [*managers, liaison])
    pa_ids = _insert_with_ids(conn, StaffMember, pas)
    by_team: dict[int, list[int]] = {}
    for pa_id, row in zip(pa_ids, pas, strict=True):
        by_team.setdefault(row["team_id"], []).append(pa_id)
    out = []
    for k, (pa_id, load) in enumerate(zip(pa_ids, loads, strict=True)):
        _, town, area = names[k % len(names)]
        team_id = team_ids[k % len(names)]
        teammates = tuple(by_team[team_id])
        out.append((_Pa(pa_id, team_id, manager_ids[k % len(names)], teammates, area, town), load))
    return len(names), len(managers) + 1 + len(pas), out
